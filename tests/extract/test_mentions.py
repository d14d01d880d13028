"""Mention typing (`type_mentions`): one rule per test on hand-built Docs, and what actors and places take."""

from __future__ import annotations

import pytest

from newsevents.extract.actors import extract_actors
from newsevents.extract.mentions import EXTRACTOR, type_mentions
from newsevents.extract.places import extract_places
from newsevents.extract.registry import EXTRACTORS


def _types(doc, art, resources):
    return [(m.text, m.label, m.type) for m in type_mentions(doc, art, resources=resources).mentions]


def test_registered_before_actors_and_places():
    names = [e.name for e in EXTRACTORS]
    assert EXTRACTOR == "mentions.v1"
    assert names.index("mentions.v1") < names.index("actors.v1") < names.index("places.v3")
    assert all("mentions" in e.requires for e in EXTRACTORS if e.provides in {"actors", "places"})


# Rule 1: the surname of a person named in full is that person, whatever NER calls it.
def test_surname_of_a_full_name_is_the_person_not_the_town(make_doc, article, resources):
    doc = make_doc(
        ["Sergio", "Massa", "conceded", ".", "Massa", "left", "."],
        ents=[(0, 2, "PERSON"), (4, 5, "PERSON")],
    )
    art = article(doc.text)
    assert _types(doc, art, resources) == [
        ("Sergio Massa", "PERSON", "person"),
        ("Massa", "PERSON", "person"),
    ]
    index = extract_actors(doc, art, resources=resources)
    (massa,) = index.actors
    assert massa.name == "Sergio Massa" and len(massa.mentions) == 2
    assert extract_places(doc, art, resources=resources).places == []


def test_without_the_full_name_a_known_town_is_a_place(make_doc, article, resources):
    doc = make_doc(["Massa", "flooded", "."], ents=[(0, 1, "PERSON")])
    assert _types(doc, article(doc.text), resources) == [("Massa", "PERSON", "place")]


def test_a_known_surname_after_a_static_locative_is_the_place(make_doc, article, resources):
    import datetime as dt

    words = ["Rebels", "attacked", "posts", "in", "Morales", "."]
    doc = make_doc(
        words,
        heads=[1, 1, 1, 2, 3, 1],
        deps=["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ents=[(4, 5, "PERSON")],
    )
    art = article(doc.text, published=dt.date(2010, 5, 1))  # Evo Morales is president then
    assert _types(doc, art, resources) == [("Morales", "PERSON", "place")]
    said = make_doc(["Morales", "spoke", "."], ents=[(0, 1, "PERSON")])
    assert _types(said, article(said.text, published=dt.date(2010, 5, 1)), resources)[0][2] == "person"


# Rule 2: NER says PERSON.
@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Rafah", "place"),  # the gazetteer knows it, the people dictionary does not
        ("al-Shabaab", "organization"),  # a dictionary organisation
        ("Blinken", "person"),  # a dictionary person
        ("Otieno", "person"),  # nobody knows it: NER stands
        ("Thai", "other"),  # a demonym that is also a town
    ],
)
def test_person_label(make_doc, article, resources, word, kind):
    doc = make_doc([word, "spoke", "."], ents=[(0, 1, "PERSON")])
    assert _types(doc, article(doc.text), resources) == [(word, "PERSON", kind)]


# Rule 3: a dictionary organisation is a place only where the text uses it as one.
def test_organisation_used_as_a_place_is_a_place(make_doc, article, resources):
    doc = make_doc(
        ["Leaders", "met", "at", "the", "White", "House", "."],
        heads=[1, 1, 1, 5, 5, 2, 1],
        deps=["nsubj", "ROOT", "prep", "det", "compound", "pobj", "punct"],
        pos=["NOUN", "VERB", "ADP", "DET", "PROPN", "PROPN", "PUNCT"],
        ents=[(3, 6, "FAC")],
    )
    art = article(doc.text)
    assert _types(doc, art, resources) == [("White House", "FAC", "place")]
    assert extract_actors(doc, art, resources=resources).actors == []
    assert [p.mentions for p in extract_places(doc, art, resources=resources).places] == [((19, 30),)]


def test_organisation_in_front_of_is_a_place(make_doc, article, resources):
    doc = make_doc(
        ["Fires", "burned", "in", "front", "of", "the", "White", "House", "."],
        heads=[1, 1, 1, 2, 3, 7, 7, 4, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "prep", "det", "compound", "pobj", "punct"],
        ents=[(5, 8, "FAC")],
    )
    assert _types(doc, article(doc.text), resources) == [("White House", "FAC", "place")]


def test_organisation_acting_is_an_organisation(make_doc, article, resources):
    doc = make_doc(
        ["The", "White", "House", "said", "no", "."],
        heads=[2, 2, 3, 3, 3, 3],
        deps=["det", "compound", "nsubj", "ROOT", "dobj", "punct"],
        pos=["DET", "PROPN", "PROPN", "VERB", "INTJ", "PUNCT"],
        ents=[(0, 3, "FAC")],
    )
    art = article(doc.text)
    assert _types(doc, art, resources) == [("White House", "FAC", "organization")]
    (actor,) = extract_actors(doc, art, resources=resources).actors
    assert (actor.name, actor.code) == ("White House", "USAGOV")
    assert extract_places(doc, art, resources=resources).places == []


def test_organisation_after_to_is_still_the_organisation(make_doc, article, resources):
    doc = make_doc(
        ["Hamas", "wrote", "to", "the", "White", "House", "."],
        heads=[1, 1, 1, 5, 5, 2, 1],
        deps=["nsubj", "ROOT", "prep", "det", "compound", "pobj", "punct"],
        ents=[(0, 1, "ORG"), (3, 6, "FAC")],
    )
    assert [t for *_, t in _types(doc, article(doc.text), resources)] == ["organization", "organization"]


# Rule 4: a dictionary person NER gave another label.
@pytest.mark.parametrize("label", ["GPE", "ORG", "NORP", "FAC", "WORK_OF_ART"])
def test_known_person_with_another_label_is_a_person(make_doc, article, resources, label):
    doc = make_doc(["Blinken", "arrived", "."], ents=[(0, 1, label)])
    art = article(doc.text)
    assert _types(doc, art, resources) == [("Blinken", label, "person")]
    (actor,) = extract_actors(doc, art, resources=resources).actors
    assert actor.name == "Antony Blinken"
    assert extract_places(doc, art, resources=resources).places == []


# Rule 5: GPE, LOC and FAC are places, unless a dictionary person the gazetteer does not know.
def test_place_labels(make_doc, article, resources):
    doc = make_doc(
        ["Rafah", ",", "Gaza", "Strip", "and", "Crimea", "."],
        ents=[(0, 1, "GPE"), (2, 4, "LOC"), (5, 6, "GPE")],
    )
    assert [t for *_, t in _types(doc, article(doc.text), resources)] == ["place", "place", "place"]


def test_unresolved_surname_as_gpe(make_doc, article, resources):
    # Undated, a bare surname resolves to nobody; "McCain" is no place anywhere, "Kirby" is a small town.
    doc = make_doc(["McCain", "and", "Kirby", "."], ents=[(0, 1, "GPE"), (2, 3, "GPE")])
    assert _types(doc, article(doc.text, published=None), resources) == [
        ("McCain", "GPE", "person"),
        ("Kirby", "GPE", "place"),
    ]


# Rule 6: a place NER called an organisation, a group, a product.
@pytest.mark.parametrize(
    ("word", "label", "kind"),
    [
        ("Kharkiv", "ORG", "place"),
        ("Kharkiv", "NORP", "place"),
        ("Hamas", "ORG", "organization"),  # a known place too, but a dictionary organisation
        ("Israeli", "NORP", "other"),  # a demonym: actors read it as a country word
    ],
)
def test_misread_places(make_doc, article, resources, word, label, kind):
    doc = make_doc([word, "news", "."], ents=[(0, 1, label)])
    assert _types(doc, article(doc.text), resources) == [(word, label, kind)]


# Rule 7: the rest.
def test_other_entities(make_doc, article, resources):
    doc = make_doc(
        ["The", "Strategic", "Group", "met", "on", "Monday", "."],
        ents=[(0, 3, "ORG"), (5, 6, "DATE")],
    )
    assert _types(doc, article(doc.text), resources) == [
        ("Strategic Group", "ORG", "organization"),
        ("Monday", "DATE", "other"),
    ]


# Rule 8: a well-known place NER did not mark, after a locative preposition.
def test_missed_place_after_a_locative(make_doc, article, resources):
    doc = make_doc(
        ["Strikes", "hit", "near", "Aleppo", "."],
        heads=[1, 1, 1, 2, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "punct"],
        pos=["NOUN", "VERB", "ADP", "PROPN", "PUNCT"],
    )
    art = article(doc.text)
    types = type_mentions(doc, art, resources=resources)
    assert [(m.text, m.label, m.type) for m in types.mentions] == [("Aleppo", "", "place")]
    assert types.at(doc[3]) is types.mentions[0] and types.at(doc[2]) is None
    (place,) = extract_places(doc, art, resources=resources, mentions=types).places
    assert place.country == "SYR"


@pytest.mark.parametrize(
    ("words", "deps"),
    [
        (["Strikes", "hit", "near", "aleppo", "."], ["nsubj", "ROOT", "prep", "pobj", "punct"]),  # not a name
        (["Strikes", "hit", "Aleppo", "today", "."], ["nsubj", "ROOT", "dobj", "npadvmod", "punct"]),
        (["Strikes", "hit", "near", "Massa", "."], ["nsubj", "ROOT", "prep", "pobj", "punct"]),  # < 100,000
    ],
)
def test_no_missed_place(make_doc, article, resources, words, deps):
    doc = make_doc(words, heads=[1, 1, 1, 2, 1], deps=deps)
    assert type_mentions(doc, article(doc.text), resources=resources).mentions == ()


def test_lookups(make_doc, article, resources):
    doc = make_doc(["Rafah", "and", "Blinken", "."], ents=[(0, 1, "GPE"), (2, 3, "PERSON")])
    types = type_mentions(doc, article(doc.text), resources=resources)
    assert types.type_of(doc.ents[0]) == "place" and types.type_of(doc.ents[1]) == "person"
    assert types.type_of(doc[0:2]) is None
    assert [m.text for m in types.of_type("person", "organization")] == ["Blinken"]


def test_actors_and_places_compute_the_types_when_not_given(make_doc, article, resources):
    doc = make_doc(["Troops", "entered", "Rafah", "."], ents=[(2, 3, "PERSON")])
    art = article(doc.text)
    types = type_mentions(doc, art, resources=resources)
    given = extract_places(doc, art, resources=resources, mentions=types).places
    assert given == extract_places(doc, art, resources=resources).places
    assert extract_actors(doc, art, resources=resources, mentions=types).actors == []
