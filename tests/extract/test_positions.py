"""Positions: stated stances, precision first."""

from __future__ import annotations

import datetime as dt

import pytest

from newsevents.extract.actors import extract_actors
from newsevents.extract.positions import extract_positions
from newsevents.extract.quotes import extract_quotes
from newsevents.kb import default_resources


def _positions(nlp, article, text):
    art = article(text, published=dt.date(2024, 5, 7))
    doc = nlp(text)
    index = extract_actors(doc, art, resources=default_resources())
    return extract_positions(doc, art, index, extract_quotes(doc, art, index))


@pytest.mark.model
@pytest.mark.issue(6)
@pytest.mark.parametrize(
    ("text", "holder", "stance", "target"),
    [
        ("The US supports the defeat of Hamas.", "US", "supports", "the defeat of Hamas"),
        (
            "The United States opposes a major military operation in Rafah.",
            "United States",
            "opposes",
            "a major military operation in Rafah",
        ),
        (
            "The US wants Israel to conduct targeted strikes.",
            "US",
            "wants",
            "Israel to conduct targeted strikes",
        ),
        (
            "France called for an immediate ceasefire in Gaza.",
            "France",
            "wants",
            "an immediate ceasefire in Gaza",
        ),
        (
            '"We oppose any deal that leaves Hamas in power," Netanyahu said.',
            "Netanyahu",
            "opposes",
            "any deal that leaves Hamas in power",
        ),
    ],
)
def test_extract_positions_finds_stated_stances(nlp, article, text, holder, stance, target):
    found = [(p.holder.text, p.stance, p.target) for p in _positions(nlp, article, text)]
    assert (holder, stance, target) in found, found


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "They are not against defeating Hamas.",  # negated: skipped, not flipped
        "Analysts say the plan could support growth.",  # no actor holds it
        '"We oppose it," he said.',  # a pronoun target says nothing
    ],
)
def test_extract_positions_stays_silent_when_unsure(nlp, article, text):
    assert _positions(nlp, article, text) == []
