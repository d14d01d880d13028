"""The event gold set itself: large enough, covering every type, locatable, with the traps it promises."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from newsevents.evaluate import load_gold
from newsevents.evaluate.events import PLOVER_TYPES, gold_events

GOLD = sorted(Path(__file__).resolve().parents[1].joinpath("gold").glob("events*.jsonl"))


@pytest.fixture(scope="module")
def items():
    assert GOLD, "no tests/gold/events*.jsonl"
    return [item for path in GOLD for item in load_gold(path)]


def test_event_gold_is_large_and_covers_every_type(items):
    assert len(items) >= 400
    assert len({item["id"] for item in items}) == len(items)
    types = collections.Counter(e["type"] for item in items for e in item["events"])
    assert set(types) == set(PLOVER_TYPES)
    assert min(types.values()) >= 10


def test_event_gold_has_enough_non_asserted_sentences_and_traps(items):
    non_asserted = [
        item
        for item in items
        if "non_asserted" in item.get("tags", [])
        or any(e["factuality"] in {"negated", "future", "hypothetical"} for e in item["events"])
    ]
    assert len(non_asserted) >= 60
    assert sum("trap" in item.get("tags", []) for item in items) >= 30
    assert sum(not item["events"] for item in items) >= 20


def test_event_gold_strings_are_in_their_text(items):
    for item in items:
        assert len(gold_events(item)) == len(item["events"]), item["id"]
        assert item.get("published"), item["id"]
