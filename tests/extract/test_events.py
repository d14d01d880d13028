"""Event rules on hand-built Docs (no model), plus a few checks on the real model."""

from __future__ import annotations

import datetime as dt

import pytest

from newsevents.extract.actors import extract_actors
from newsevents.extract.events import extract_events
from newsevents.extract.places import extract_places
from newsevents.extract.time import extract_times


def _extract(doc, art, resources):
    return extract_events(
        doc,
        art,
        extract_actors(doc, art, resources=resources),
        extract_places(doc, art, resources=resources),
        extract_times(doc, art),
        resources=resources,
    )


def run(doc, article, resources):
    return _extract(doc, article(doc.text), resources)


def test_extract_events_coordinated_actors_and_recipients_are_one_event(make_doc, article, resources):
    doc = make_doc(
        ["Sullivan", "and", "Blinken", "held", "talks", "with", "Dermer", "and", "Hanegbi", "."],
        heads=[3, 0, 0, 3, 3, 4, 5, 6, 6, 3],
        deps=["nsubj", "cc", "conj", "ROOT", "dobj", "prep", "pobj", "cc", "conj", "punct"],
        pos=["PROPN", "CCONJ", "PROPN", "VERB", "NOUN", "ADP", "PROPN", "CCONJ", "PROPN", "PUNCT"],
        lemmas=["Sullivan", "and", "Blinken", "hold", "talk", "with", "Dermer", "and", "Hanegbi", "."],
        ents=[(0, 1, "PERSON"), (2, 3, "PERSON"), (6, 7, "PERSON"), (8, 9, "PERSON")],
    )
    events = run(doc, article, resources)
    assert len(events) == 1
    e = events[0]
    assert e.type == "CONSULT" and e.factuality == "asserted"
    assert [a.text for a in e.actors] == ["Sullivan", "Blinken"]
    assert [r.text for r in e.recipients] == ["Dermer", "Hanegbi"]
    assert e.trigger.text == "talks"


def test_extract_events_negation_marks_event_negated(make_doc, article, resources):
    doc = make_doc(
        ["Israel", "did", "not", "attack", "Hamas", "."],
        heads=[3, 3, 3, 3, 3, 3],
        deps=["nsubj", "aux", "neg", "ROOT", "dobj", "punct"],
        pos=["PROPN", "AUX", "PART", "VERB", "PROPN", "PUNCT"],
        lemmas=["Israel", "do", "not", "attack", "Hamas", "."],
        ents=[(0, 1, "GPE"), (4, 5, "ORG")],
    )
    (e,) = run(doc, article, resources)
    assert (e.type, e.factuality) == ("ASSAULT", "negated")
    assert e.actors[0].code == "ISR" and e.recipients[0].code == "PSEREB"


def test_extract_events_desire_is_request_not_strike(make_doc, article, resources):
    doc = make_doc(
        ["The", "US", "wants", "Israel", "to", "conduct", "strikes", "."],
        heads=[1, 2, 2, 2, 5, 2, 5, 2],
        deps=["det", "nsubj", "ROOT", "dobj", "aux", "xcomp", "dobj", "punct"],
        pos=["DET", "PROPN", "VERB", "PROPN", "PART", "VERB", "NOUN", "PUNCT"],
        lemmas=["the", "US", "want", "Israel", "to", "conduct", "strike", "."],
        ents=[(1, 2, "GPE"), (3, 4, "GPE")],
    )
    events = run(doc, article, resources)
    assert [e.type for e in events] == ["REQUEST"]
    assert events[0].actors[0].code == "USA" and events[0].recipients[0].code == "ISR"


def test_extract_events_could_is_hypothetical_visit_to_capital(make_doc, article, resources):
    doc = make_doc(
        ["Dermer", "could", "head", "to", "Washington", "next", "week", "."],
        heads=[2, 2, 2, 2, 3, 6, 2, 2],
        deps=["nsubj", "aux", "ROOT", "prep", "pobj", "amod", "npadvmod", "punct"],
        pos=["PROPN", "AUX", "VERB", "ADP", "PROPN", "ADJ", "NOUN", "PUNCT"],
        lemmas=["Dermer", "could", "head", "to", "Washington", "next", "week", "."],
        ents=[(0, 1, "PERSON"), (4, 5, "GPE")],
    )
    (e,) = run(doc, article, resources)
    assert (e.type, e.mode, e.factuality) == ("CONSULT", "visit", "hypothetical")
    assert e.recipients[0].code == "USAGOV"
    assert e.date == "2024-W20" and e.date_precision == "week"


def test_extract_events_motion_without_destination_is_no_visit(make_doc, article, resources):
    doc = make_doc(
        ["Dermer", "went", "home", "."],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "advmod", "punct"],
        pos=["PROPN", "VERB", "ADV", "PUNCT"],
        lemmas=["Dermer", "go", "home", "."],
        ents=[(0, 1, "PERSON")],
    )
    assert run(doc, article, resources) == []


@pytest.mark.issue(4)
def test_extract_events_cancel_to_protest_is_sanction_not_protest(make_doc, article, resources):
    doc = make_doc(
        ["Netanyahu", "canceled", "the", "trip", "to", "protest", "the", "US", "decision", "."],
        heads=[1, 1, 3, 1, 5, 1, 8, 8, 5, 1],
        deps=["nsubj", "ROOT", "det", "dobj", "aux", "advcl", "det", "compound", "dobj", "punct"],
        pos=["PROPN", "VERB", "DET", "NOUN", "PART", "VERB", "DET", "PROPN", "NOUN", "PUNCT"],
        lemmas=["Netanyahu", "cancel", "the", "trip", "to", "protest", "the", "US", "decision", "."],
        ents=[(0, 1, "PERSON"), (7, 8, "GPE")],
    )
    events = run(doc, article, resources)
    assert [e.type for e in events] == ["SANCTION"]
    assert events[0].recipients[0].code == "USA"


def test_extract_events_passive_agent_is_actor(make_doc, article, resources):
    doc = make_doc(
        ["Palestinian", "protesters", "were", "arrested", "by", "Israeli", "police", "."],
        heads=[1, 3, 3, 3, 3, 6, 4, 3],
        deps=["amod", "nsubjpass", "auxpass", "ROOT", "agent", "amod", "pobj", "punct"],
        pos=["ADJ", "NOUN", "AUX", "VERB", "ADP", "ADJ", "NOUN", "PUNCT"],
        lemmas=["palestinian", "protester", "be", "arrest", "by", "israeli", "police", "."],
        ents=[(0, 1, "NORP"), (5, 6, "NORP")],
    )
    (e,) = run(doc, article, resources)
    assert (e.type, e.mode) == ("COERCE", "arrest")
    assert e.actors[0].code == "ISRCOP"
    assert e.recipients[0].code.startswith("PSE")


def _israel_will_meet_egypt(make_doc):
    return make_doc(
        ["Israel", "will", "meet", "Egypt", "."],
        heads=[2, 2, 2, 2, 2],
        deps=["nsubj", "aux", "ROOT", "dobj", "punct"],
        pos=["PROPN", "AUX", "VERB", "PROPN", "PUNCT"],
        lemmas=["Israel", "will", "meet", "Egypt", "."],
        ents=[(0, 1, "GPE"), (3, 4, "GPE")],
    )


def test_extract_events_will_is_future(make_doc, article, resources):
    doc = _israel_will_meet_egypt(make_doc)
    (e,) = run(doc, article, resources)
    assert (e.type, e.factuality, e.cameo) == ("CONSULT", "future", "040")


def test_extract_events_agree_that_is_an_opinion_not_an_agreement(make_doc, article, resources):
    doc = make_doc(
        ["Egypt", "agreed", "that", "Israel", "erred", "."],
        heads=[1, 1, 4, 4, 1, 1],
        deps=["nsubj", "ROOT", "mark", "nsubj", "ccomp", "punct"],
        pos=["PROPN", "VERB", "SCONJ", "PROPN", "VERB", "PUNCT"],
        lemmas=["Egypt", "agree", "that", "Israel", "err", "."],
        ents=[(0, 1, "GPE"), (3, 4, "GPE")],
    )
    assert run(doc, article, resources) == []


def test_extract_events_offsets_point_into_text(make_doc, article, resources):
    doc = _israel_will_meet_egypt(make_doc)
    for e in run(doc, article, resources):
        for span in (e.trigger, *e.actors, *e.recipients):
            assert doc.text[span.start : span.end] == span.text


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "etype", "factuality"),
    [
        ("Russian forces shelled the city of Kharkiv on Tuesday.", "ASSAULT", "asserted"),
        (
            "Egyptian President Abdel Fattah al-Sisi met Israeli Prime Minister Benjamin Netanyahu in Cairo.",
            "CONSULT",
            "asserted",
        ),
        ("Israeli police arrested dozens of Palestinian protesters in Jerusalem.", "COERCE", "asserted"),
        ("The United States will impose sanctions on Iran.", "SANCTION", "future"),
        ("Hezbollah might attack Israel if the war spreads.", "ASSAULT", "hypothetical"),
        ("China did not criticize Russia.", "ACCUSE", "negated"),
    ],
)
def test_extract_events_real_model(nlp, article, sentence, etype, factuality, resources):
    art = article(sentence)
    doc = nlp(sentence)
    events = _extract(doc, art, resources)
    assert any(e.type == etype and e.factuality == factuality for e in events), [
        (e.type, e.factuality) for e in events
    ]


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "Donald Trump attacked Hillary Clinton over her emails.",
        "Clinton captured South Carolina by a wide margin.",
        "Senator Marco Rubio suspended his campaign on Tuesday.",
    ],
)
def test_extract_events_words_are_not_force(nlp, article, sentence, resources):
    art = article(sentence, published=dt.date(2016, 3, 15))
    doc = nlp(sentence)
    events = _extract(doc, art, resources)
    assert not [e for e in events if e.type in {"ASSAULT", "COERCE", "SANCTION"}], events


@pytest.mark.model
def test_extract_events_passive_killing_without_agent_is_kept(nlp, article, resources):
    sentence = "Three Palestinian civilians were killed in Khan Younis."
    doc = nlp(sentence)
    art = article(sentence)
    events = _extract(doc, art, resources)
    assert [e.type for e in events] == ["ASSAULT"]


def _real(nlp, article, resources, sentence, published=dt.date(2024, 5, 7)):
    art = article(sentence, published=published)
    doc = nlp(sentence)
    return _extract(doc, art, resources)


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "reporter"),
    [
        ("The Pentagon said Russian forces shelled Kharkiv on Tuesday.", "Pentagon"),
        ("Russian forces shelled Kharkiv on Tuesday, the Ukrainian military said.", "Ukrainian military"),
        ("According to the United Nations, Russian forces shelled Kharkiv on Tuesday.", "United Nations"),
    ],
)
def test_extract_events_reported_speech_is_the_reported_actors_event(
    nlp, article, sentence, reporter, resources
):
    (e,) = [e for e in _real(nlp, article, resources, sentence) if e.type == "ASSAULT"]
    assert [a.text for a in e.actors] == ["Russian forces"]
    assert e.reported_by is not None and reporter in e.reported_by.text


@pytest.mark.model
def test_extract_events_direct_report_has_no_reporter(nlp, article, resources):
    (e,) = [
        e
        for e in _real(nlp, article, resources, "Russian forces shelled Kharkiv on Tuesday.")
        if e.type == "ASSAULT"
    ]
    assert e.reported_by is None


@pytest.mark.model
def test_extract_events_export_codes_follow_cameo(nlp, article, resources):
    (e,) = [
        e
        for e in _real(nlp, article, resources, "Russian forces shelled Kharkiv on Tuesday.")
        if e.type == "ASSAULT"
    ]
    assert e.quad_class == 4 and -10.0 <= e.goldstein < 0
    (m,) = [
        e
        for e in _real(nlp, article, resources, "Blinken met Erdogan in Ankara on Monday.")
        if e.type == "CONSULT"
    ]
    assert m.quad_class == 1 and m.goldstein > 0 and m.cameo.startswith("04")


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "factuality"),
    [
        ("Russia annexed Crimea in 2014, and its forces shelled Kharkiv on Tuesday.", "historical"),
        ("Russian forces shelled Kharkiv last year.", "historical"),
        ("Russian forces shelled Kharkiv on Tuesday.", "asserted"),
        ("Russian forces shelled Kharkiv earlier this month.", "asserted"),
    ],
)
def test_extract_events_background_dated_well_before_is_historical(
    nlp, article, sentence, factuality, resources
):
    events = _real(nlp, article, resources, sentence)
    first = min(events, key=lambda e: e.trigger.start)
    assert first.factuality == factuality, [(e.trigger.text, e.factuality, e.date) for e in events]


@pytest.mark.model
def test_extract_events_role_only_actors_are_kept_uncoded(nlp, article, resources):
    (e,) = _real(nlp, article, resources, "Police detained 40 protesters on Monday.")
    assert (e.type, e.actors[0].text, e.actors[0].code) == ("COERCE", "Police", None)
    assert (e.recipients[0].text, e.recipients[0].code) == ("protesters", None)


@pytest.mark.model
def test_extract_events_groups_take_the_one_country_their_sentence_names(nlp, article, resources):
    (e,) = _real(nlp, article, resources, "Police detained 40 protesters in Tbilisi.")
    assert [(a.text, a.code) for a in (*e.actors, *e.recipients)] == [
        ("Police", "GEOCOP"),
        ("protesters", "GEOCVL"),
    ]
    (e,) = _real(nlp, article, resources, "An official said police detained 40 protesters in Tbilisi.")
    assert e.actors[0].code == "GEOCOP"


@pytest.mark.model
def test_extract_events_a_list_read_as_an_apposition_gives_every_member(nlp, article, resources):
    sentence = "Saudi Arabia, the United Arab Emirates, Bahrain and Egypt cut diplomatic ties with Qatar."
    (e,) = _real(nlp, article, resources, sentence)
    assert [a.code for a in e.actors] == ["SAU", "ARE", "BHR", "EGY"]
    assert [r.code for r in e.recipients] == ["QAT"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "etype", "mode", "factuality"),
    [
        (
            "Dockworkers in Antwerp began a nationwide strike on Monday over pension cuts.",
            "PROTEST",
            "strike",
            "asserted",
        ),
        (
            "Hundreds of farmers stormed the regional parliament in Lyon on Friday.",
            "PROTEST",
            "riot",
            "asserted",
        ),
        ("Mali withdrew from the regional defence pact on Tuesday.", "SANCTION", "withdraw", "asserted"),
        (
            "The government withdrew the controversial media bill after a week of criticism.",
            "CONCEDE",
            None,
            "asserted",
        ),
        (
            "The European Union released 500 million euros in frozen funds to Hungary on Thursday.",
            "AID",
            "economic",
            "asserted",
        ),
        ("The rebels declared a unilateral ceasefire on Sunday.", "CONCEDE", None, "asserted"),
        (
            "Canada will send eight Leopard tanks to Ukraine, the defence minister said.",
            "AID",
            "military",
            "future",
        ),
        (
            "The president ordered 3,000 troops to the northern border on Monday.",
            "MOBILIZE",
            "troops",
            "asserted",
        ),
        (
            "Soldiers opened fire on demonstrators outside the palace in Khartoum on Saturday.",
            "ASSAULT",
            "firearms",
            "asserted",
        ),
        ("Kenya broke off diplomatic ties with Somalia on Wednesday.", "SANCTION", "discontinue", "asserted"),
        (
            "The opposition leader called the verdict a disgrace on Tuesday.",
            "ACCUSE",
            "disapprove",
            "asserted",
        ),
    ],
)
def test_extract_events_readings_from_words_and_objects(
    nlp, article, sentence, etype, mode, factuality, resources
):
    events = _real(nlp, article, resources, sentence)
    assert any((e.type, e.mode, e.factuality) == (etype, mode, factuality) for e in events), [
        (e.type, e.mode, e.factuality, e.trigger.text) for e in events
    ]


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("Russia threatened to cut gas supplies to Moldova on Monday.", "SANCTION"),
        ("Kyiv accused Moscow of shelling the power plant on Sunday.", "ASSAULT"),
        ("Celtic beat Rangers 2-0 in the Scottish league on Saturday.", "ASSAULT"),
        ("Opposition parties plan to hold rallies in March, organisers said.", "XXX"),
        ("The president signed an executive order on immigration on Monday.", "SUPPORT"),
        ("The police chief was fired by the interior minister on Friday.", "ASSAULT"),
        ("Sanctions were lifted on the state airline on Tuesday.", "SANCTION"),
    ],
)
def test_extract_events_traps(nlp, article, sentence, absent, resources):
    events = _real(nlp, article, resources, sentence)
    assert not [e for e in events if e.type == absent], [(e.type, e.trigger.text) for e in events]
    assert not [e for e in events if e.trigger.text == "March"]


@pytest.mark.model
def test_extract_events_protests_in_a_time_frame_are_kept_without_the_framing_actor(nlp, article, resources):
    sentence = "The prime minister resigned on Tuesday after weeks of protests against fuel prices."
    events = _real(nlp, article, resources, sentence)
    (protest,) = [e for e in events if e.type == "PROTEST"]
    assert protest.actors == () and protest.factuality == "asserted"
    assert any(e.type == "RETREAT" and e.mode == "resign" for e in events)


@pytest.mark.model
def test_extract_events_coordinated_verbs_do_not_share_meaning(nlp, article, resources):
    sentence = "Moscow denied shelling the town on Sunday and accused Kyiv of staging the images."
    events = {e.type: e for e in _real(nlp, article, resources, sentence)}
    assert events["ASSAULT"].factuality == "negated"
    assert events["ACCUSE"].factuality == "asserted"


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "trigger", "factuality"),
    [
        (
            "The junta eased a curfew on Friday and said it would reopen the airport next week.",
            "eased",
            "asserted",
        ),
        (
            "The party said it would withdraw the bill after two nights of protests outside parliament.",
            "protests",
            "asserted",
        ),
        (
            "The president called for talks on Saturday, 40 years after troops invaded the islands.",
            "invaded",
            "historical",
        ),
    ],
)
def test_extract_events_mood_stays_in_its_own_clause(nlp, article, sentence, trigger, factuality, resources):
    events = {e.trigger.text: e for e in _real(nlp, article, resources, sentence)}
    assert events[trigger].factuality == factuality, {t: e.factuality for t, e in events.items()}


@pytest.mark.model
@pytest.mark.issue(5)
@pytest.mark.parametrize(
    ("sentence", "trigger", "date", "source"),
    [
        (
            "The Pentagon said on Tuesday that Russian forces shelled Kharkiv on Monday.",
            "shelled",
            "2024-05-06",
            "relative: 'Monday'",
        ),
        ("Russian forces shelled Kharkiv, the Pentagon said.", "shelled", "2024-05-07", "fallback"),
        ("Russian forces had seized the town before the war.", "seized", None, "unknown: background"),
        (
            "Hamas seized 250 hostages at the start of the war.",
            "seized",
            None,
            "unknown: background ('at the",
        ),
        ("Russia and Ukraine will hold talks next week.", "talks", "2024-W20", "relative: 'next week'"),
    ],
)
def test_extract_events_dates_come_from_their_own_clause(
    nlp, article, sentence, trigger, date, source, resources
):
    events = {e.trigger.text: e for e in _real(nlp, article, resources, sentence)}
    e = next(v for k, v in events.items() if trigger in k)
    assert e.date == date and e.date_source.startswith(source), (e.date, e.date_source)


@pytest.mark.model
def test_extract_events_a_finite_verb_misread_as_a_modifier_keeps_its_subject(nlp, article, resources):
    sentence = "Iraqi troops backed by tanks invaded Kuwait before dawn on Thursday."
    (e,) = [e for e in _real(nlp, article, resources, sentence) if e.type == "ASSAULT"]
    assert [a.code for a in e.actors] == ["IRQMIL"] and [r.code for r in e.recipients] == ["KWT"]


@pytest.mark.model
def test_extract_events_a_clause_of_its_own_is_not_a_restated_purpose(nlp, article, resources):
    sentence = "Settlers torched homes on Sunday after two brothers were shot dead by a Palestinian gunman."
    assert [e.trigger.text for e in _real(nlp, article, resources, sentence)] == ["torched", "shot"]
    purpose = "The minister met Abbas on Monday to discuss the ceasefire."
    assert [e.type for e in _real(nlp, article, resources, purpose)] == ["CONSULT"]


@pytest.mark.model
def test_extract_events_a_naming_noun_stands_for_the_actors_of_its_of_phrase(nlp, article, resources):
    sentence = (
        "The European Community recognised the breakaway republics of Slovenia and Croatia on Wednesday."
    )
    (e,) = _real(nlp, article, resources, sentence)
    assert [a.code for a in e.actors] == ["IGO"] and [r.code for r in e.recipients] == ["SVN", "HRV"]


@pytest.mark.model
def test_extract_events_the_dead_of_an_attack_are_its_outcome(nlp, article, resources):
    sentence = "North Korean artillery shelled the island on Tuesday, killing two marines."
    assert [e.trigger.text for e in _real(nlp, article, resources, sentence)] == ["shelled"]
    separate = "Gunmen killed two policemen in Kabul on Tuesday."
    assert [e.type for e in _real(nlp, article, resources, separate)] == ["ASSAULT"]


@pytest.mark.model
def test_extract_events_a_nouns_agent_and_co_actors(nlp, article, resources):
    sentence = "Pakistan ignored appeals from President Bill Clinton to show restraint."
    appeal = next(e for e in _real(nlp, article, resources, sentence) if e.type == "REQUEST")
    assert [a.text for a in appeal.actors] == ["President Bill Clinton"]
    sentence = (
        "Armenian President Serzh Sarkisian signed a declaration near Moscow on Sunday, together with "
        "Russian President Dmitry Medvedev."
    )
    (signed,) = [e for e in _real(nlp, article, resources, sentence) if e.type == "SUPPORT"]
    assert "Russian President Dmitry Medvedev" in [a.text for a in signed.actors] and not signed.recipients


@pytest.mark.model
def test_extract_events_a_name_in_apposition_beats_the_possessive(nlp, article, resources):
    sentence = (
        "Australian Foreign Minister Alexander Downer and his Indonesian counterpart Hassan Wirajuda "
        "signed a security pact on Monday."
    )
    (e,) = [e for e in _real(nlp, article, resources, sentence) if e.type == "COOPERATE"]
    assert [a.text for a in e.actors] == ["Australian Foreign Minister Alexander Downer", "Hassan Wirajuda"]
