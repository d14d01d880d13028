"""B-cubed and pairwise clustering scores."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsevents.evaluate.clusters import bcubed, pairwise

labels = st.dictionaries(st.integers(0, 30), st.integers(0, 5), min_size=1, max_size=30)


@given(labels)
def test_a_perfect_prediction_scores_one(gold):
    assert bcubed(gold, {k: f"p{v}" for k, v in gold.items()}) == (1.0, 1.0, 1.0)
    s = pairwise(gold, {k: f"p{v}" for k, v in gold.items()})
    assert s.fp == 0 and s.fn == 0


@given(labels, labels)
def test_scores_are_bounded_and_unpredicted_items_are_singletons(gold, pred):
    p, r, f = bcubed(gold, pred)
    assert 0.0 <= p <= 1.0 and 0.0 <= r <= 1.0 and 0.0 <= f <= 1.0
    singletons = bcubed(gold, {})
    assert singletons[0] == 1.0  # nothing merged: every item's cluster is itself


def test_merging_two_stories_costs_precision_and_splitting_costs_recall():
    gold = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    merged = dict.fromkeys(gold, "x")
    split = {"a1": 1, "a2": 1, "a3": 2, "b1": 3, "b2": 3}
    assert bcubed(gold, merged)[1] == 1.0 and bcubed(gold, merged)[0] < 0.6
    assert bcubed(gold, split)[0] == 1.0 and bcubed(gold, split)[1] < 1.0
    s = pairwise(gold, split)
    assert (s.tp, s.fp, s.fn) == (2, 0, 2)


def test_predicted_items_outside_the_gold_are_ignored():
    assert bcubed({"a": 1, "b": 1}, {"a": 0, "b": 0, "zz": 0}) == (1.0, 1.0, 1.0)
