"""Scores, gold-set reading, span matching and the floors that gate CI, shared by every evaluator."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.errors import ConfigError
from newsevents.model import Article

__all__ = [
    "EvalReport",
    "Score",
    "article_for",
    "check_floors",
    "load_gold",
    "locate",
    "match_spans",
    "overlaps",
    "update_baseline",
]


@dataclass(slots=True)
class Score:
    """Counts of true positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class EvalReport:
    """The scores of one gold set, with the disagreements for inspection."""

    name: str
    items: int
    scores: dict[str, Score]
    errors: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # single figures: accuracies, counts
    heldout: EvalReport | None = None  # the same scores on the held-out parts alone (``*.heldout*.jsonl``)

    def metrics(self) -> dict[str, float]:
        """Flat metric names for floors: ``span_exact_f1``, ``code_f1``, ``factuality_accuracy``, ..."""
        out: dict[str, float] = {key: round(value, 4) for key, value in self.values.items()}
        for key, score in self.scores.items():
            out[f"{key}_precision"] = round(score.precision, 4)
            out[f"{key}_recall"] = round(score.recall, 4)
            out[f"{key}_f1"] = round(score.f1, 4)
        return out


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold JSON Lines file; a bad line raises `ConfigError` naming the file and line.

    Example:
        >>> load_gold("tests/gold/actors.jsonl")[0]["mentions"][0]["text"]  # doctest: +SKIP
        'US Secretary of State Antony Blinken'
    """
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read gold set {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{n}: not JSON: {exc.msg}") from exc
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ConfigError(f"{path}:{n}: a gold item needs a 'text' string")
        items.append(item)
    return items


def locate(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The (start, end) of the n-th occurrence of `needle` in `text`.

    Raises:
        ConfigError: the needle does not occur that often.

    Example:
        >>> locate("Biden met Biden", "Biden", 2)
        (10, 15)
    """
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ConfigError(f"gold mention {needle!r} (occurrence {occurrence}) is not in the text")
    return start, start + len(needle)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of overlapping spans, exact matches first: (gold index, pred index)."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for exact in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(pred):
                if pi in used_p:
                    continue
                if (g == p) if exact else overlaps(g, p):
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
    return pairs


def article_for(item: dict[str, Any], n: int) -> Article:
    published = item.get("published")
    return Article(
        id=f"gold:{item.get('id', n)}",
        source=f"gold:{item.get('id', n)}",
        text=item["text"],
        title=item.get("title") or None,
        url=item.get("url") or None,
        published=dt.date.fromisoformat(published) if published else None,
    )


def check_floors(report: EvalReport, baseline: dict[str, Any]) -> list[str]:
    """The metrics of `report` that fall below the floors pinned for it in `baseline` (empty: all good).

    Example:
        >>> r = EvalReport("actors", 1, {"code": Score(tp=8, fp=2, fn=2)})
        >>> check_floors(r, {"actors": {"code_f1": 0.9}})
        ['actors code_f1 0.8000 < floor 0.9000']
    """
    floors = baseline.get(report.name, {})
    metrics = report.metrics()
    return [
        f"{report.name} {name} {metrics.get(name, 0.0):.4f} < floor {floor:.4f}"
        for name, floor in sorted(floors.items())
        if metrics.get(name, 0.0) + 1e-9 < floor
    ]


def update_baseline(
    report: EvalReport, baseline: dict[str, Any], metrics: Iterable[str], *, allow_regression: bool = False
) -> dict[str, Any]:
    """A new baseline with `report`'s current values as floors for `metrics`.

    Raises:
        ConfigError: a floor would go down and `allow_regression` is false.

    Example:
        >>> r = EvalReport("actors", 1, {"code": Score(tp=9, fp=1, fn=1)})
        >>> update_baseline(r, {}, ["code_f1"])["actors"]
        {'code_f1': 0.9}
    """
    current = report.metrics()
    floors = dict(baseline.get(report.name, {}))
    for name in metrics:
        value = current[name]
        if name in floors and value < floors[name] and not allow_regression:
            raise ConfigError(
                f"{report.name} {name} would drop from {floors[name]:.4f} to {value:.4f}; "
                "pass --allow-regression to lower a floor on purpose"
            )
        floors[name] = value
    return {**baseline, report.name: floors}
