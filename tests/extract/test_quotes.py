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
