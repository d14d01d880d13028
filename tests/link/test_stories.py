"""Story linking: one story joined, same-kind happenings kept apart, the same result in any order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.evaluate.clusters import bcubed
from newsevents.link.stories import StoryInput, days_apart, find_stories, story_id

GOLD = Path(__file__).resolve().parents[1] / "gold" / "stories" / "stories.partA.jsonl"

D = dt.date


def _gold_inputs() -> tuple[list[StoryInput], dict[str, str]]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    inputs = [
        StoryInput(r["id"], r["text"], r["title"], D.fromisoformat(r["published"]), duplicate_of=r["copy_of"])
        for r in rows
    ]
    return inputs, {r["id"]: r["story"] for r in rows}


GOLD_INPUTS, GOLD_STORIES = _gold_inputs()

QUAKE_PERU = (
    "A magnitude 6.8 earthquake struck the Colca Valley in southern Peru, killing 14 people in Cabanaconde "
    "and Madrigal. Peru's defence ministry sent soldiers to Caylloma and Arequipa's governor asked for tents."
)
QUAKE_PERU_2 = (
    "The toll from the Colca Valley earthquake in Peru rose to 21 as relief flights reached Cabanaconde; "
    "soldiers cleared landslides on the Caylloma road, Arequipa officials said."
)
QUAKE_PHILIPPINES = (
    "A magnitude 6.4 earthquake shook Cotabato province on Mindanao in the southern Philippines, killing "
    "nine people in Makilala and Kidapawan; the Red Cross sent aid to evacuation centres."
)


def test_reports_of_one_story_join_and_another_quake_stays_apart() -> None:
    a = StoryInput("a", QUAKE_PERU, "Quake kills 14 in southern Peru", D(2019, 3, 13))
    b = StoryInput("b", QUAKE_PERU_2, "Peru quake toll rises to 21", D(2019, 3, 14))
    c = StoryInput("c", QUAKE_PHILIPPINES, "Quake kills 9 in southern Philippines", D(2019, 3, 15))
    stories = find_stories([c, b, a])
    assert [s.articles for s in stories] == [("a", "b"), ("c",)]
    assert stories[0].id == story_id("a") and stories[0].first == D(2019, 3, 13)
    assert "text similarity" in stories[0].linked_by and "close dates" in stories[0].linked_by
    assert stories[1].linked_by == ()


def test_far_apart_reports_are_not_one_story() -> None:
    a = StoryInput("a", QUAKE_PERU, None, D(2019, 3, 13))
    b = StoryInput("b", QUAKE_PERU_2, None, D(2021, 3, 14))  # the same words two years later
    assert len(find_stories([a, b])) == 2


def test_an_article_dated_only_by_its_earliest_day_may_be_from_later() -> None:
    a = StoryInput("a", QUAKE_PERU, None, D(2019, 5, 1))
    b = StoryInput("b", QUAKE_PERU_2, None, earliest=D(2019, 3, 1))  # "no earlier than March"
    assert days_apart(a, b) == 0 and days_apart(b, StoryInput("c", "", published=D(2019, 2, 1))) == 28
    assert [s.articles for s in find_stories([a, b])] == [("b", "a")]


def test_a_copy_joins_its_canonical_articles_story() -> None:
    a = StoryInput("a", QUAKE_PERU, None, D(2019, 3, 13))
    copy = StoryInput("z", "unrelated words entirely", None, D(2019, 3, 14), duplicate_of="a")
    c = StoryInput("c", QUAKE_PHILIPPINES, None, D(2019, 3, 15))
    assert [s.articles for s in find_stories([copy, c, a])] == [("a", "z"), ("c",)]


def test_the_gold_stories_from_text_and_dates_alone() -> None:
    """Without names or places (no parse), text and dates alone already separate the held-in stories."""
    stories = find_stories(GOLD_INPUTS)
    pred = {a: s.id for s in stories for a in s.articles}
    precision, _, f1 = bcubed(GOLD_STORIES, pred)
    assert precision >= 0.95 and f1 >= 0.9


@settings(max_examples=15, deadline=None)
@given(st.permutations(GOLD_INPUTS))
def test_stories_do_not_depend_on_the_order_articles_arrive_in(shuffled: list[StoryInput]) -> None:
    assert find_stories(shuffled) == find_stories(GOLD_INPUTS)


def test_batches_give_the_same_stories_as_one_run() -> None:
    """Linking works over everything stored, so adding the rest later ends where one run ends."""
    first, rest = GOLD_INPUTS[::2], GOLD_INPUTS[1::2]
    find_stories(first)  # an earlier link over part of the store leaves nothing behind
    assert find_stories(first + rest) == find_stories(GOLD_INPUTS)


def test_an_empty_store_has_no_stories() -> None:
    assert find_stories([]) == []
