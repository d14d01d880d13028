"""Actor mentions: exact and overlapping spans, and their CAMEO-style codes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newsevents.evaluate.core import EvalReport, Score, article_for, locate, match_spans, overlaps
from newsevents.extract.registry import extractors_for, run_extractors
from newsevents.kb import Resources, default_resources

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["eval_actors"]


def _gold_spans(item: dict[str, Any]) -> list[tuple[tuple[int, int], str | None]]:
    """Locate each gold mention; one that lands inside an earlier mention ("Bazoum" in "President Mohamed
    Bazoum") moves on to the next occurrence, as the annotator meant a separate mention."""
    out: list[tuple[tuple[int, int], str | None]] = []
    for m in item["mentions"]:
        n = m.get("occurrence", 1)
        span = locate(item["text"], m["text"], n)
        while any(overlaps(span, taken) for taken, _ in out) and item["text"].count(m["text"]) > n:
            n += 1
            span = locate(item["text"], m["text"], n)
        out.append((span, m.get("code")))
    return out


def eval_actors(
    items: Iterable[dict[str, Any]], nlp: Language, *, resources: Resources | None = None
) -> EvalReport:
    """Score actor mention spans (exact and overlapping) and their codes against a gold set.

    A predicted mention is every actor mention except pronouns and country words that only modify a
    non-actor noun ("Israeli airstrikes"), as the gold guidelines define mentions. Codes are scored on
    overlapping pairs: a code is right when it equals the gold code exactly (null included).

    Args:
        items: gold items (`load_gold`).
        nlp: the spaCy pipeline to parse with.
        resources: the knowledge base (`load_resources`); the bundled one by default.

    Returns:
        An `EvalReport` with ``span_exact``, ``span_overlap`` and ``code`` scores.

    Example:
        >>> report = eval_actors(load_gold("tests/gold/actors.jsonl"), load_model())  # doctest: +SKIP
        >>> round(report.scores["code"].f1, 2)  # doctest: +SKIP
        0.8
    """
    res = resources or default_resources()
    needed = extractors_for("actors")
    items = list(items)
    exact, overlap, code = Score(), Score(), Score()
    errors: list[dict[str, Any]] = []
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = _gold_spans(item)
        index = run_extractors(doc, article, res, needed)["actors"]
        pred = [((m.start, m.end), m.code) for m in index.mentions if m.kind != "pronoun" and not m.modifier]
        g_spans, p_spans = [g[0] for g in gold], [p[0] for p in pred]
        exact_hits = len(set(g_spans) & set(p_spans))
        exact.tp += exact_hits
        exact.fp += len(p_spans) - exact_hits
        exact.fn += len(g_spans) - exact_hits
        pairs = match_spans(g_spans, p_spans)
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
