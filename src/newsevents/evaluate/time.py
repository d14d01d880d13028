"""Temporal expressions: detection and exact normalised values, for our rules and two libraries.

A predicted expression matches a gold one when their spans overlap (one to one); it is right when its value
equals the gold value exactly (the value carries the granularity: ``2024-05-06``, ``2024-W19``,
``2024-05``, ``2024-SU``, ``2024``; durations are ``None``). Scores: ``span`` (found) and ``value`` (found and
right); values:
``relative_recall`` / ``absolute_recall`` (share of relative / self-contained gold expressions found with the
right value) and ``value_accuracy_on_found``.

Engines: ``rules`` (newsevents' own `extract_times`, what the pipeline uses), ``dateparser`` (plain
``dateparser.search.search_dates`` anchored on the publication date) and ``recognizers`` (Microsoft's
Recognizers-Text date-time model, ``recognizers-text-suite`` on PyPI). The libraries are optional: a missing
one raises `ConfigError` with the command that installs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, Score, article_for, locate, match_spans

if TYPE_CHECKING:
    from spacy.language import Language

    from newsevents.kb import Resources

__all__ = ["ENGINES", "GoldTime", "eval_time", "gold_times"]

ENGINES = ("rules", "dateparser", "recognizers")
_PRECISIONS = {"day", "week", "month", "season", "year", "duration"}
_VALUE = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "week": re.compile(r"\d{4}-W\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "season": re.compile(r"\d{4}-(SP|SU|FA|WI)"),
    "year": re.compile(r"\d{4}"),
}


@dataclass(frozen=True, slots=True)
class GoldTime:
    span: tuple[int, int]
    value: str | None
    precision: str
    relative: bool


@dataclass(frozen=True, slots=True)
class Predicted:
    span: tuple[int, int]
    value: str | None


def gold_times(item: dict[str, Any]) -> list[GoldTime]:
    """The gold expressions of one item, located and checked.

    Raises:
        ConfigError: a string not in the text, an unknown precision, or a value of the wrong shape.

    Example:
        >>> gold_times({"id": "x", "text": "They met on Monday.", "times": [{"text": "Monday",
        ...     "value": "2024-05-06", "precision": "day", "relative": True}]})[0].span
        (12, 18)
    """
    out = []
    item_id = item.get("id")
    for t in item.get("times", []):
        precision = t.get("precision")
        if precision not in _PRECISIONS:
            raise ConfigError(f"gold item {item_id}: unknown precision {precision!r}")
        value = t.get("value")
        shape = _VALUE.get(precision)
        if (value is None) != (precision == "duration") or (shape and not shape.fullmatch(str(value))):
            raise ConfigError(f"gold item {item_id}: value {value!r} does not fit precision {precision}")
        try:
            span = locate(item["text"], t["text"], int(t.get("occurrence", 1)))
        except ConfigError as exc:
            raise ConfigError(f"gold item {item_id}: {exc}") from exc
        out.append(GoldTime(span, value, precision, bool(t.get("relative"))))
    return out


def _rules(nlp: Language | None, resources: Resources | None) -> Callable[[str, dt.date], list[Predicted]]:
    from newsevents.extract.registry import extractors_for, run_extractors
    from newsevents.kb import default_resources
    from newsevents.model import Article

    if nlp is None:
        raise ConfigError("the rules engine needs a spaCy model")
    res = resources or default_resources()
    needed = extractors_for("times")

    def run(text: str, anchor: dt.date) -> list[Predicted]:
        article = Article(id="gold", source="gold", text=text, published=anchor)
        got = run_extractors(nlp(text), article, res, needed)
        return [Predicted((t.start, t.end), t.value) for t in got["times"]]

    return run


def _dateparser() -> Callable[[str, dt.date], list[Predicted]]:
    from newsevents.periods import iso_week

    try:
        from dateparser.date import DateDataParser
        from dateparser.search import search_dates
    except ImportError as exc:  # pragma: no cover - dateparser comes with trafilatura
        raise ConfigError("dateparser is not installed: pip install dateparser") from exc

    def run(text: str, anchor: dt.date) -> list[Predicted]:
        base = dt.datetime(anchor.year, anchor.month, anchor.day, 12)
        settings: Any = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
        try:
            found = search_dates(text, languages=["en"], settings=settings) or []
        except Exception:  # a library failure is a miss, not a crash
            found = []
        parser = DateDataParser(languages=["en"], settings=settings)
        out, cursor = [], 0
        for piece, when in found:
            start = text.find(piece, cursor)
            if start < 0:
                continue
            cursor = start + len(piece)
            try:
                period = parser.get_date_data(piece).period or "day"
            except Exception:  # a library failure is a miss, not a crash
                period = "day"
            day = when.date()
            value = {
                "week": iso_week(day),
                "month": f"{day.year:04d}-{day.month:02d}",
                "year": f"{day.year:04d}",
            }.get(period, day.isoformat())
            out.append(Predicted((start, start + len(piece)), value))
        return out

    return run


_TIMEX = re.compile(r"(\d{4})(?:-(W\d{2}|SP|SU|FA|WI|\d{2})(?:-(\d{2}))?)?")


def _recognizers() -> Callable[[str, dt.date], list[Predicted]]:
    try:
        from recognizers_date_time import recognize_datetime
        from recognizers_text import Culture
    except ImportError as exc:
        raise ConfigError(
            "Recognizers-Text is not installed: pip install recognizers-text-suite 'emoji<1'"
        ) from exc

    def run(text: str, anchor: dt.date) -> list[Predicted]:
        base = dt.datetime(anchor.year, anchor.month, anchor.day, 12)
        try:
            results = recognize_datetime(text, Culture.English, reference=base)
        except Exception:  # a library failure is a miss, not a crash
            return []
        out = []
        for r in results:
            values = (r.resolution or {}).get("values") or [{}]
            first = values[0]
            value: str | None = None
            if "duration" in r.type_name:
                value = None
            elif first.get("value") and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", str(first["value"])):
                value = str(first["value"])[:10]
            else:
                m = _TIMEX.fullmatch(str(first.get("timex", "")))
                if m and m.group(3):
                    value = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
                elif m and m.group(2):
                    value = f"{m.group(1)}-{m.group(2)}"
                elif m:
                    value = m.group(1)
                elif first.get("start"):
                    value = str(first["start"])[:10]
            out.append(Predicted((r.start, r.end + 1), value))
        return out

    return run


def eval_time(
    items: Iterable[dict[str, Any]],
    nlp: Language | None = None,
    *,
    engine: str = "rules",
    resources: Resources | None = None,
) -> EvalReport:
    """Score one engine's temporal expressions and values against gold items.

    Args:
        items: gold items (`load_gold` on ``tests/gold/time*.jsonl``).
        nlp: the spaCy pipeline (needed by the ``rules`` engine).
        engine: ``rules``, ``dateparser`` or ``recognizers``.

    Returns:
        An `EvalReport` named ``time`` (``time-dateparser`` ... for the libraries).

    Example:
        >>> eval_time(load_gold("tests/gold/time.partA.jsonl"), nlp).scores["value"].f1  # doctest: +SKIP
        0.9
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown time engine {engine!r}; choose one of {', '.join(ENGINES)}")
    run = {"rules": lambda: _rules(nlp, resources), "dateparser": _dateparser, "recognizers": _recognizers}[
        engine
    ]()
    scores = {"span": Score(), "value": Score()}
    by_kind = {True: [0, 0], False: [0, 0]}  # relative?: [right, total]
    errors: list[dict[str, Any]] = []
    items = list(items)
    for n, item in enumerate(items):
        article = article_for(item, n)
        if article.published is None:
            raise ConfigError(f"gold item {item.get('id')}: a time gold item needs 'published'")
        gold = gold_times(item)
        pred = run(item["text"], article.published)
        pairs = match_spans([g.span for g in gold], [p.span for p in pred])
        right = {gi for gi, pi in pairs if gold[gi].value == pred[pi].value}
        for score, tp in ((scores["span"], len(pairs)), (scores["value"], len(right))):
            score.tp += tp
            score.fp += len(pred) - tp
            score.fn += len(gold) - tp
        for gi, g in enumerate(gold):
            by_kind[g.relative][0] += gi in right
            by_kind[g.relative][1] += 1
        paired = dict(pairs)
        text = item["text"]
        for gi, g in enumerate(gold):
            if gi in right:
                continue
            pi = paired.get(gi)
            errors.append(
                {
                    "id": item.get("id"),
                    "kind": "missed" if pi is None else "wrong value",
                    "text": text[slice(*g.span)],
                    "gold": g.value,
                    "predicted": None if pi is None else pred[pi].value,
                    "published": item.get("published"),
                }
            )
    name = "time" if engine == "rules" else f"time-{engine}"
    value = scores["value"]
    matched = scores["span"].tp
    values = {
        "value_accuracy_on_found": value.tp / matched if matched else 0.0,
        "relative_recall": by_kind[True][0] / by_kind[True][1] if by_kind[True][1] else 0.0,
        "absolute_recall": by_kind[False][0] / by_kind[False][1] if by_kind[False][1] else 0.0,
    }
    return EvalReport(name, len(items), scores, errors, values)
