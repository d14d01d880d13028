"""Score the extractors against the team's gold sets (precision, recall, F1) and gate CI on pinned floors.

Gold sets are JSON Lines files in ``tests/gold/`` (format in ``tests/gold/README.md``). Floors live in a
baseline JSON file (``tests/eval/baseline.json``); `check_floors` fails when a metric drops below its floor,
and `update_baseline` refuses to lower a floor unless explicitly allowed, as trafilatura's eval gate does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.extract.actors import extract_actors
from newsevents.extract.lexicon import Lexicons
from newsevents.model import Article

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "EvalReport",
    "Score",
    "check_floors",
    "eval_actors",
    "load_gold",
    "locate",
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

    def metrics(self) -> dict[str, float]:
        """Flat metric names for floors: ``span_exact_f1``, ``code_f1``, ..."""
        out: dict[str, float] = {}
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


def _gold_spans(item: dict[str, Any]) -> list[tuple[tuple[int, int], str | None]]:
    """Locate each gold mention; one that lands inside an earlier mention ("Bazoum" in "President Mohamed
    Bazoum") moves on to the next occurrence, as the annotator meant a separate mention."""
    out: list[tuple[tuple[int, int], str | None]] = []
    for m in item["mentions"]:
        n = m.get("occurrence", 1)
        span = locate(item["text"], m["text"], n)
        while any(_overlaps(span, taken) for taken, _ in out) and item["text"].count(m["text"]) > n:
            n += 1
            span = locate(item["text"], m["text"], n)
        out.append((span, m.get("code")))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
                if (g == p) if exact else _overlaps(g, p):
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
    return pairs


def _article(item: dict[str, Any], n: int) -> Article:
    published = item.get("published")
    return Article(
        id=f"gold:{item.get('id', n)}",
        source=f"gold:{item.get('id', n)}",
        text=item["text"],
        published=dt.date.fromisoformat(published) if published else None,
    )


def eval_actors(
    items: Iterable[dict[str, Any]], nlp: Language, *, lexicons: Lexicons | None = None
) -> EvalReport:
    """Score actor mention spans (exact and overlapping) and their codes against a gold set.

    A predicted mention is every actor mention except pronouns and country words that only modify a
    non-actor noun ("Israeli airstrikes"), as the gold guidelines define mentions. Codes are scored on
    overlapping pairs: a code is right when it equals the gold code exactly (null included).

    Args:
        items: gold items (`load_gold`).
        nlp: the spaCy pipeline to parse with.
        lexicons: lookup tables; the bundled ones by default.

    Returns:
        An `EvalReport` with ``span_exact``, ``span_overlap`` and ``code`` scores.

    Example:
        >>> report = eval_actors(load_gold("tests/gold/actors.jsonl"), load_model())  # doctest: +SKIP
        >>> round(report.scores["code"].f1, 2)  # doctest: +SKIP
        0.8
    """
    items = list(items)
    exact, overlap, code = Score(), Score(), Score()
    errors: list[dict[str, Any]] = []
    articles = [_article(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = _gold_spans(item)
        index = extract_actors(doc, article, lexicons=lexicons)
        pred = [((m.start, m.end), m.code) for m in index.mentions if m.kind != "pronoun" and not m.modifier]
        g_spans, p_spans = [g[0] for g in gold], [p[0] for p in pred]
        exact_hits = len(set(g_spans) & set(p_spans))
        exact.tp += exact_hits
        exact.fp += len(p_spans) - exact_hits
        exact.fn += len(g_spans) - exact_hits
        pairs = _match(g_spans, p_spans)
        overlap.tp += len(pairs)
        overlap.fp += len(p_spans) - len(pairs)
        overlap.fn += len(g_spans) - len(pairs)
        right = [(gi, pi) for gi, pi in pairs if gold[gi][1] == pred[pi][1]]
        code.tp += len(right)
        code.fp += len(p_spans) - len(right)
        code.fn += len(g_spans) - len(right)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        text = item["text"]
        for gi, pi in pairs:
            if gold[gi][1] != pred[pi][1]:
                errors.append(
                    {
                        "id": item.get("id"),
                        "kind": "wrong code",
                        "text": text[slice(*gold[gi][0])],
                        "gold": gold[gi][1],
                        "predicted": pred[pi][1],
                    }
                )
        for gi, (span, c) in enumerate(gold):
            if gi not in matched_g:
                errors.append({"id": item.get("id"), "kind": "missed", "text": text[slice(*span)], "gold": c})
        for pi, (span, c) in enumerate(pred):
            if pi not in matched_p:
                errors.append(
                    {"id": item.get("id"), "kind": "spurious", "text": text[slice(*span)], "predicted": c}
                )
    return EvalReport(
        "actors", len(items), {"span_exact": exact, "span_overlap": overlap, "code": code}, errors
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
