"""Actor mentions, coding and identity: hand-built Docs for the rules, the real model for the whole."""

from __future__ import annotations

import datetime as dt

import pytest

from newsevents.extract.actors import extract_actors
from newsevents.extract.places import extract_places
from newsevents.kb.lexicon import fold, load_lexicons


def test_extract_actors_title_gives_country_and_sector(make_doc, article, resources):
    doc = make_doc(
        ["US", "President", "Joe", "Biden", "spoke", "."],
        heads=[3, 3, 3, 4, 4, 4],
        deps=["compound", "compound", "compound", "nsubj", "ROOT", "punct"],
        pos=["PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
        ents=[(0, 1, "GPE"), (2, 4, "PERSON")],
    )
    index = extract_actors(doc, article(doc.text), resources=resources)
    (biden,) = [a for a in index.actors if a.kind == "person"]
    assert (biden.name, biden.code, biden.role) == ("Joe Biden", "USAGOV", "President")
    assert index.mentions[0].text == "US President Joe Biden"


def test_extract_actors_unknown_person_coded_from_title(make_doc, article, resources):
    doc = make_doc(
        ["Kenyan", "Minister", "Wanjiku", "Otieno", "spoke", "."],
        heads=[3, 3, 3, 4, 4, 4],
        deps=["amod", "compound", "compound", "nsubj", "ROOT", "punct"],
        pos=["ADJ", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
        ents=[(0, 1, "NORP"), (2, 4, "PERSON")],
    )
    (actor,) = extract_actors(doc, article(doc.text), resources=resources).actors
    assert actor.code == "KENGOV"


def test_extract_actors_unknown_stays_null(make_doc, article, resources):
    doc = make_doc(
        ["The", "Strategic", "Consultative", "Group", "met", "."],
        heads=[3, 3, 3, 4, 4, 4],
        deps=["det", "compound", "compound", "nsubj", "ROOT", "punct"],
        pos=["DET", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
        ents=[(0, 4, "ORG")],
    )
    (actor,) = extract_actors(doc, article(doc.text), resources=resources).actors
    assert actor.code is None and actor.name == "Strategic Consultative Group"


def test_extract_actors_surname_joins_full_name(make_doc, article, resources):
    doc = make_doc(
        ["John", "Kirby", "spoke", ".", "Kirby", "left", "."],
        heads=[1, 2, 2, 2, 5, 5, 5],
        deps=["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
        pos=["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"],
        ents=[(0, 2, "PERSON"), (4, 5, "PERSON")],
    )
    index = extract_actors(doc, article(doc.text), resources=resources)
    assert len(index.actors) == 1
    assert index.actors[0].name == "John Kirby" and len(index.actors[0].mentions) == 2


def test_extract_actors_ner_person_that_is_a_place_is_not_an_actor(make_doc, article, resources):
    doc = make_doc(
        ["Troops", "entered", "Rafah", "."],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "punct"],
        pos=["NOUN", "VERB", "PROPN", "PUNCT"],
        ents=[(2, 3, "PERSON")],
    )
    art = article(doc.text)
    assert extract_actors(doc, art, resources=resources).actors == []
    (place,) = extract_places(doc, art, resources=resources).places
    assert (place.name, place.country, place.precision) == ("Rafah", "PSE", "city")


def test_extract_actors_role_phrase_with_demonym(make_doc, article, resources):
    doc = make_doc(
        ["An", "Israeli", "official", "said", "."],
        heads=[2, 2, 3, 3, 3],
        deps=["det", "amod", "nsubj", "ROOT", "punct"],
        pos=["DET", "ADJ", "NOUN", "VERB", "PUNCT"],
        ents=[(1, 2, "NORP")],
    )
    (actor,) = extract_actors(doc, article(doc.text), resources=resources).actors
    assert actor.code == "ISRGOV" and actor.kind == "unnamed"
    ref = extract_actors(doc, article(doc.text), resources=resources).ref_for_token(doc[2])
    assert ref is not None and ref.name is None and ref.text == "Israeli official"


def test_extract_actors_roles_are_date_bounded():
    lex = load_lexicons()
    trump = lex.people[fold("Donald Trump")]
    roles_2019 = [p for p in trump if p.holds_on(dt.date(2019, 6, 1))]
    roles_2022 = [p for p in trump if p.holds_on(dt.date(2022, 6, 1)) and p.role == "President"]
    assert any(p.role == "President" for p in roles_2019) and not roles_2022


def test_lexicons_have_the_issue_minimums():
    lex = load_lexicons()
    assert len(lex.by_iso3) >= 195
    assert lex.organizations[fold("IDF")].code == "ISRMIL"
    assert lex.organizations[fold("UN Security Council")].code == "IGOUNO"
    assert lex.capitals[fold("Washington")].iso3 == "USA"
    assert lex.adjectives[fold("U.S.")].iso3 == "USA"


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "name", "code"),
    [
        ("US National Security Advisor Jake Sullivan met reporters.", "Jake Sullivan", "USAGOV"),
        ("The IDF said it struck targets.", "Israel Defense Forces", "ISRMIL"),
        ("The UN Security Council voted on Monday.", "UN Security Council", "IGOUNO"),
        ("Hamas rejected the offer.", "Hamas", "PSEREB"),
        ("The Kremlin denied the report.", "Kremlin", "RUSGOV"),
    ],
)
def test_extract_actors_real_model_codes(nlp, article, sentence, name, code, resources):
    index = extract_actors(nlp(sentence), article(sentence), resources=resources)
    assert {a.name: a.code for a in index.actors}.get(name) == code, [(a.name, a.code) for a in index.actors]


@pytest.mark.model
def test_extract_actors_pronoun_resolves_to_person(nlp, article, resources):
    text = "Kirby said the talks went well. He added that more were planned."
    doc = nlp(text)
    index = extract_actors(doc, article(text), resources=resources)
    he = next(t for t in doc if t.text == "He")
    ref = index.ref_for_token(he)
    assert ref is not None and ref.name == "John Kirby"


@pytest.mark.model
def test_extract_actors_bare_surname_needs_a_dated_role(nlp, article, resources):
    text = "McCain criticized the plan."
    undated = extract_actors(nlp(text), article(text, published=None), resources=resources)
    assert [a.code for a in undated.actors] == [None]


@pytest.mark.model
def test_extract_actors_undated_full_name_takes_latest_role(nlp, article, resources):
    text = "Hillary Clinton spoke in Iowa."
    index = extract_actors(nlp(text), article(text, published=None), resources=resources)
    clinton = next(a for a in index.actors if a.kind == "person")
    assert clinton.name == "Hillary Clinton" and clinton.code is not None and clinton.code.startswith("USA")


@pytest.mark.model
def test_extract_actors_same_person_keeps_one_id_across_articles(nlp, article, resources):
    a = "US Secretary of State Antony Blinken arrived in Cairo."
    b = "Blinken met Egyptian officials. Antony Blinken later left."
    ids_a = {x.name: x.id for x in extract_actors(nlp(a), article(a, id="one"), resources=resources).actors}
    ids_b = {x.name: x.id for x in extract_actors(nlp(b), article(b, id="two"), resources=resources).actors}
    assert ids_a["Antony Blinken"] == ids_b["Antony Blinken"]


@pytest.mark.model
def test_extract_actors_unnamed_descriptions_are_per_article(nlp, article, resources):
    text = "An Israeli official said the talks went well."
    one = extract_actors(nlp(text), article(text, id="one"), resources=resources).actors
    two = extract_actors(nlp(text), article(text, id="two"), resources=resources).actors
    assert one[0].id != two[0].id and one[0].code == two[0].code == "ISRGOV"


@pytest.mark.model
def test_extract_actors_namesakes_stay_two_and_a_surname_is_the_latest_named(nlp, article, resources):
    text = (
        "Former President Bill Clinton and his daughter Chelsea Clinton toured a camp in Haiti on Monday. "
        "Secretary of State Hillary Clinton arrived later. Clinton met the prime minister."
    )
    index = extract_actors(nlp(text), article(text, published=dt.date(2010, 3, 1)), resources=resources)
    people = {a.name: a for a in index.actors if a.kind == "person"}
    assert {"Bill Clinton", "Chelsea Clinton", "Hillary Clinton"} <= set(people)
    assert len({people[n].id for n in ("Bill Clinton", "Chelsea Clinton", "Hillary Clinton")}) == 3
    bare = text.rindex("Clinton met")
    assert any(start == bare for start, _ in people["Hillary Clinton"].mentions)


@pytest.mark.model
def test_extract_actors_title_without_country_takes_the_dominant_country(nlp, article, resources):
    text = (
        "Lebanese lawmakers met in Beirut on Tuesday. President Najib Halawi said Lebanon would hold "
        "elections in May, and Lebanese parties welcomed the decision."
    )
    index = extract_actors(nlp(text), article(text), resources=resources)
    halawi = next(a for a in index.actors if a.name == "Najib Halawi")
    assert halawi.code == "LBNGOV"
    mixed = "President Najib Halawi spoke to reporters about Syria, Israel and Iran."
    other = extract_actors(nlp(mixed), article(mixed), resources=resources)
    assert next(a for a in other.actors if a.name == "Najib Halawi").code is None  # no dominant country


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("President Michel Suleiman said Lebanon wanted calm.", "Michel Suleiman", "LBNGOV"),
        (
            "The US commander in Iraq, General David Petraeus, told Congress that violence fell.",
            "David Petraeus",
            "USAMIL",
        ),
    ],
)
def test_extract_actors_compose_a_code_from_title_and_a_country_cue(
    nlp, article, resources, text, name, code
):
    index = extract_actors(nlp(text), article(text, published=dt.date(2008, 9, 10)), resources=resources)
    assert next(a for a in index.actors if a.name == name).code == code


@pytest.mark.model
def test_extract_actors_possessive_country_codes_a_role_without_its_ending(nlp, article, resources):
    text = "Iraq's national security advisor met Iranian officials in Tehran."
    index = extract_actors(nlp(text), article(text), resources=resources)
    adviser = next(a for a in index.actors if a.code == "IRQGOV")
    assert adviser.name.startswith("national security") or "national security" in adviser.aliases[0]
    assert not any(alias.startswith("'s") for a in index.actors for alias in a.aliases)


@pytest.mark.model
def test_extract_actors_title_in_the_text_gives_the_sector_out_of_office(nlp, article, resources):
    import datetime as dt

    text = "Egyptian President Hosni Mubarak resigned on Friday."
    (on_last_day,) = extract_actors(
        nlp(text), article(text, published=dt.date(2011, 2, 11)), resources=resources
    ).actors
    assert on_last_day.code == "EGYGOV"
    text = "Hosni Mubarak died on Tuesday."
    (later,) = extract_actors(
        nlp(text), article(text, published=dt.date(2020, 2, 25)), resources=resources
    ).actors
    assert later.code == "EGY"


@pytest.mark.model
def test_extract_actors_an_object_pronoun_is_not_its_clause_subject(nlp, article, resources):
    import datetime as dt

    text = (
        "Colombian President Alvaro Uribe ended Venezuelan President Hugo Chavez's role as a mediator on "
        "Wednesday, accusing him of breaking protocol."
    )
    doc = nlp(text)
    index = extract_actors(doc, article(text, published=dt.date(2007, 11, 22)), resources=resources)
    him = next(t for t in doc if t.text == "him")
    ref = index.ref_for_token(him)
    assert ref is not None and ref.name == "Hugo Chavez"
