"""The story gold set is well formed (the scorer of issue 17 reads it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.model import PLOVER_TYPES

GOLD = Path(__file__).resolve().parents[1] / "gold" / "stories"
TYPES = set(PLOVER_TYPES)


@pytest.mark.parametrize("name", ["stories.partA.jsonl", "stories.partB.heldout.jsonl"])
def test_story_gold_is_well_formed(name):
    articles = [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line]
    ids: set[str] = set()
    for a in articles:
        assert a["id"] not in ids
        ids.add(a["id"])
        assert a["copy_of"] is None or a["copy_of"] in ids  # copies follow their original
        for h in a["happenings"]:
            assert h["trigger"] in a["text"] and h["type"] in TYPES
            assert h["factuality"] in {"asserted", "negated", "future", "hypothetical"}
    stories = {a["story"] for a in articles}
    assert len(articles) >= 50 and len(stories) >= 9
    assert sum(a["copy_of"] is not None for a in articles) >= 0.12 * len(articles)
