"""Clustering scores for linking across articles: B-cubed and pairwise precision, recall and F1.

B-cubed (Bagga and Baldwin 1998) scores each item by the overlap of its predicted and gold clusters, so large
clusters do not dominate the way pair counts let them; pairwise scores count the item pairs put together.
Items missing from the prediction count as singletons; predicted items that are not in the gold are ignored
(a scorer of what the gold labels).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import TypeVar

from newsevents.evaluate.core import Score

__all__ = ["bcubed", "clusters_of", "pairwise"]

K = TypeVar("K", bound=Hashable)


def clusters_of(labels: Mapping[K, Hashable]) -> list[frozenset[K]]:
    """Group items by label.

    Example:
        >>> sorted(sorted(c) for c in clusters_of({"a": 1, "b": 1, "c": 2}))
        [['a', 'b'], ['c']]
    """
    groups: dict[Hashable, set[K]] = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return [frozenset(g) for g in groups.values()]


def _members(labels: Mapping[K, Hashable], items: set[K]) -> dict[K, frozenset[K]]:
    out: dict[K, frozenset[K]] = {}
    for cluster in clusters_of({k: v for k, v in labels.items() if k in items}):
        for item in cluster:
            out[item] = cluster
    return out


def bcubed(gold: Mapping[K, Hashable], pred: Mapping[K, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted clustering against the gold one, over the gold items.

    Example:
        >>> bcubed({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "y"})
        (1.0, 1.0, 1.0)
        >>> [round(v, 3) for v in bcubed({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})]
        [0.556, 1.0, 0.714]
    """
    items = set(gold)
    if not items:
        return 0.0, 0.0, 0.0
    pred_full = {k: pred.get(k, ("__alone__", k)) for k in items}  # unpredicted items: singletons
    g, p = _members(gold, items), _members(pred_full, items)
    precision = sum(len(g[i] & p[i]) / len(p[i]) for i in items) / len(items)
    recall = sum(len(g[i] & p[i]) / len(g[i]) for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(labels: Mapping[K, Hashable]) -> set[frozenset[K]]:
    return {frozenset(pair) for c in clusters_of(labels) for pair in combinations(sorted(c, key=repr), 2)}


def pairwise(gold: Mapping[K, Hashable], pred: Mapping[K, Hashable]) -> Score:
    """Pairs of gold items placed together: true positives, false positives and false negatives.

    Example:
        >>> s = pairwise({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})
        >>> (s.tp, s.fp, s.fn)
        (1, 2, 0)
    """
    items = set(gold)
    g = _pairs(gold)
    p = _pairs({k: v for k, v in pred.items() if k in items})
    return Score(tp=len(g & p), fp=len(p - g), fn=len(g - p))
