"""Quote pairing (pure text) and attribution (real model)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsevents.extract.actors import extract_actors
from newsevents.extract.quotemarks import find_quote_segments
from newsevents.extract.quotes import extract_quotes
from newsevents.kb import default_resources


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“One two three,” he said, “four five.”", ["One two three,", "four five."]),
        ('"Straight quotes work," she said.', ["Straight quotes work,"]),
        (
            "“First paragraph runs on.\n\n“Second closes,” he said.",
            ["First paragraph runs on.", "Second closes,"],
        ),
        ("“Unbalanced and never closed.\n\nNext paragraph is narrative.", []),
        ('He is 5\'11" tall and said "hello there".', ["hello there"]),
        ("“Outer ‘inner’ words,” he said.", ["Outer ‘inner’ words,"]),
    ],
)
def test_find_quote_segments_pairs_marks(text, expected):
    assert [text[s:e] for s, e, _ in find_quote_segments(text)] == expected


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,')), max_size=300))
def test_find_quote_segments_never_raises_and_stays_in_bounds(text):
    for s, e, _ in find_quote_segments(text):
        assert 0 < s <= e <= len(text)


def _quotes(nlp, article, text):
    doc = nlp(text)
    art = article(text)
    return extract_quotes(doc, art, extract_actors(doc, art, resources=default_resources()))


@pytest.mark.model
def test_extract_quotes_split_around_cue_share_speaker(nlp, article):
    text = "“Americans want the war to end,” the Israeli official said, “and we want to win the war.”"
    qs = [q for q in _quotes(nlp, article, text) if q.kind == "direct"]
    assert len(qs) == 2
    assert all(q.speaker is not None and q.speaker.code == "ISRGOV" and q.speaker.name is None for q in qs)
    for q in qs:
        assert text[q.start : q.end] == q.text


@pytest.mark.model
def test_extract_quotes_pronoun_cue_resolves_to_named_speaker(nlp, article):
    text = (
        "US National Security Communications Adviser John Kirby spoke to reporters.\n\n"
        "Kirby said, “We have made our views clear about operations in Rafah.\n\n"
        "“During his call, the President again made this clear,” he stressed."
    )
    qs = [q for q in _quotes(nlp, article, text) if q.kind == "direct"]
    assert len(qs) == 2
    assert {q.speaker.name for q in qs if q.speaker} == {"John Kirby"}


@pytest.mark.model
def test_extract_quotes_indirect_with_that_clause(nlp, article):
    text = "Egyptian Foreign Minister Sameh Shoukry said that Cairo would host new talks next week."
    qs = _quotes(nlp, article, text)
    (q,) = [q for q in qs if q.kind == "indirect"]
    assert q.text.startswith("Cairo would host")
    assert q.speaker is not None and q.speaker.code == "EGYGOV"


@pytest.mark.model
def test_extract_quotes_according_to(nlp, article):
    text = "Israel agreed to delay the operation, according to the White House."
    (q,) = [q for q in _quotes(nlp, article, text) if q.content_kind == "according_to"]
    assert q.kind == "indirect" and q.text == "Israel agreed to delay the operation"
    assert q.speaker is not None and q.speaker.code == "USAGOV"


@pytest.mark.model
def test_extract_quotes_scare_quotes_are_not_quotes(nlp, article):
    assert [
        q for q in _quotes(nlp, article, "The talks were “constructive” overall.") if q.kind == "direct"
    ] == []


@pytest.mark.model
@pytest.mark.issue(6)
def test_extract_quotes_colon_relative_clause_and_runs(nlp, article):
    from newsevents.extract.actors import extract_actors
    from newsevents.extract.quotes import extract_quotes

    text = (
        'Foreign Minister Sergei Lavrov was blunt: "There will be no talks while the West arms Kyiv."\n\n'
        "\"The Americans told us, 'We will not negotiate,'\" a senior Russian official, who spoke on "
        'condition of anonymity, said. "So we stopped asking."\n\n'
        "According to the Kremlin, the meeting was postponed."
    )
    art = article(text)
    doc = nlp(text)
    quotes = extract_quotes(doc, art, extract_actors(doc, art, resources=default_resources()))
    speakers = {q.text[:20]: (q.speaker.text if q.speaker else None) for q in quotes}
    assert speakers["There will be no tal"] == "Foreign Minister Sergei Lavrov"
    assert speakers["The Americans told u"] == "senior Russian official"
    assert speakers["So we stopped asking"] == "senior Russian official"  # never from inside a quote
    assert speakers["the meeting was post"] == "Kremlin"


# --- quotes.v2: speakers ------------------------------------------------------------------------------------
def _speaker_names(nlp, article, text, kind="direct"):
    return [
        (q.text, q.speaker.name if q.speaker else None, q.speaker.text if q.speaker else None)
        for q in _quotes(nlp, article, text)
        if q.kind == kind
    ]


@pytest.mark.model
@pytest.mark.issue(16)
def test_pronoun_speaker_agrees_in_gender(nlp, article):
    text = (
        "Senator Mark Ellison met Governor Susan Hale in the capital on Tuesday.\n\n"
        "“We have a deal on the budget, and it will pass,” she said."
    )
    ((_, name, mention),) = _speaker_names(nlp, article, text)
    assert name == "Susan Hale" and mention == "she"


@pytest.mark.model
@pytest.mark.issue(16)
def test_namesakes_stay_two_people(nlp, article):
    text = (
        "Hillary Clinton campaigned in Ohio while Chelsea Clinton spoke in Iowa.\n\n"
        "“Every vote in this state matters to us,” Chelsea Clinton said.\n\n"
        "“We are not taking anything for granted here,” Hillary Clinton said."
    )
    names = [name for _, name, _ in _speaker_names(nlp, article, text)]
    assert names == ["Chelsea Clinton", "Hillary Clinton"]
    art = article(text)
    doc = nlp(text)
    actors = extract_actors(doc, art, resources=default_resources())
    ids = {a.name: a.id for a in actors.actors if a.name and "Clinton" in a.name}
    assert len(set(ids.values())) == 2


@pytest.mark.model
@pytest.mark.issue(16)
def test_speaker_in_the_next_sentence_and_by_colon_from_the_paragraph_before(nlp, article):
    text = (
        "“The river has never been this high in forty years of records.”\n\n"
        "Mayor Daniel Ortiz said so on Wednesday.\n\n"
        "The regional water authority was blunt:\n\n"
        "“Nobody should try to drive through the flooded roads tonight.”"
    )
    got = {q[:20]: (name, mention) for q, name, mention in _speaker_names(nlp, article, text)}
    assert got["The river has never "][0] == "Daniel Ortiz"
    assert "water authority" in (got["Nobody should try to"][1] or "")


@pytest.mark.model
@pytest.mark.issue(16)
def test_transcript_labels_are_speakers(nlp, article):
    text = (
        "Senator Janet Pruitt spoke to the host on Sunday.\n\n"
        "HOST: Will you vote for the bill when it comes to the floor?\n\n"
        "PRUITT: I will vote against it, because it does nothing for farmers.\n\n"
        "HOST: Even if your party asks you to support it?"
    )
    got = [
        (q.text[:12], q.speaker.text, q.speaker.name)
        for q in _quotes(nlp, article, text)
        if q.kind == "direct"
    ]
    assert ("I will vote ", "PRUITT", "Janet Pruitt") in got
    assert [g[1] for g in got].count("HOST") == 2


@pytest.mark.model
@pytest.mark.issue(16)
def test_fronted_content_partial_quotes_and_thoughts(nlp, article):
    text = (
        "The talks were constructive and will continue next week, the official said.\n\n"
        "The senator called the plan “a disaster for working families.”\n\n"
        "Analysts believe the central bank will cut rates in June."
    )
    quotes = _quotes(nlp, article, text)
    by_text = {q.text: q for q in quotes}
    fronted = next(q for q in quotes if q.text.startswith("The talks were constructive"))
    assert fronted.kind == "indirect" and fronted.speaker is not None and fronted.cue_type == "speech"
    partial = next(q for q in quotes if "a disaster for working families" in q.text and q.kind == "indirect")
    assert partial.text.startswith("the plan") and partial.content_kind == "object_pred"
    thought = next(q for q in quotes if q.text.startswith("the central bank will cut"))
    assert (
        thought.cue_type == "thought" and thought.speaker is not None and thought.speaker.text == "Analysts"
    )
    quoted = by_text["a disaster for working families."]  # the words in marks: a direct quote of the same cue
    assert quoted.kind == "direct" and quoted.cue == partial.cue and quoted.speaker == partial.speaker
