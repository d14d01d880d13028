"""Quotes: found (span overlap) and attributed to the right speaker, for our extractor and textacy.

A predicted quote matches a gold one when their spans overlap (one to one). Its speaker is right when the
predicted speaker's span overlaps any occurrence of any of the gold ``speaker_mentions``. Scores: ``span``
(found), ``speaker`` (found and attributed right), ``direct`` and ``indirect`` (found, per gold kind: recall
only, so their precision counts every prediction of that kind); values: ``speaker_accuracy_on_found``.
Positions, when the gold lists them, are scored by holder overlap and stance (``positions``).

Only predictions of what was said are scored (speech cues whose content is a quote, a transcript line, a
clause or "according to"), which is what the team's guidelines mark; `eval_attributions` scores every
attribution on a public corpus.

Engines: ``rules`` (newsevents' own `extract_quotes`, what the pipeline uses) and ``textacy``
(``textacy.extract.triples.direct_quotations``, direct quotes only; an exception on a passage counts as
finding nothing there, which is how textacy behaves on unbalanced marks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, Score, article_for, locate, match_spans, overlaps
from newsevents.model import Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsevents.kb import Resources

__all__ = ["QUOTE_ENGINES", "eval_quotes", "gold_quotes"]

QUOTE_ENGINES = ("rules", "textacy")
# What the team's gold marks as quotes: words in quotation marks, reported speech (a clause, "according to").
_REPORTED = {"quote", "transcript", "clause", "according_to"}
Span2 = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldQuote:
    span: Span2
    kind: str
    speakers: tuple[Span2, ...]  # every occurrence of every mention of the speaker


@dataclass(frozen=True, slots=True)
class PredQuote:
    span: Span2
    kind: str
    speaker: Span2 | None


@dataclass(frozen=True, slots=True)
class PredPosition:
    holder: Span2
    stance: str
    name: str | None = None  # the holder's resolved name ("he" -> "John Kirby")


def _all_occurrences(text: str, needle: str) -> list[Span2]:
    """Whole-word occurrences, so a speaker "he" never matches inside "the"."""
    if not needle:
        return []
    pattern = (
        (r"(?<!\w)" if needle[0].isalnum() else "")
        + re.escape(needle)
        + (r"(?!\w)" if needle[-1].isalnum() else "")
    )
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def gold_quotes(item: dict[str, Any]) -> list[GoldQuote]:
    """The gold quotes of one item, located.

    Raises:
        ConfigError: a quote or speaker mention not in the text, or an unknown kind.

    Example:
        >>> gold_quotes({"id": "x", "text": '"Go," he said.', "quotes": [{"text": "Go,", "kind": "direct",
        ...     "speaker_mentions": ["he"]}]})[0].speakers
        ((6, 8),)
    """
    text, item_id = item["text"], item.get("id")
    out = []
    for q in item.get("quotes", []):
        if q.get("kind") not in {"direct", "indirect"}:
            raise ConfigError(f"gold item {item_id}: unknown quote kind {q.get('kind')!r}")
        try:
            span = locate(text, q["text"], int(q.get("occurrence", 1)))
        except ConfigError as exc:
            raise ConfigError(f"gold item {item_id}: {exc}") from exc
        speakers: list[Span2] = []
        for mention in q.get("speaker_mentions", []):
            found = _all_occurrences(text, mention)
            if not found:
                raise ConfigError(f"gold item {item_id}: speaker mention {mention!r} is not in the text")
            speakers.extend(found)
        out.append(GoldQuote(span, q["kind"], tuple(speakers)))
    return out


def _rules(
    nlp: Language, resources: Resources | None
) -> Callable[[Article, Doc], tuple[list[PredQuote], list[PredPosition]]]:
    from newsevents.extract.registry import extractors_for, run_extractors
    from newsevents.kb import default_resources

    res = resources or default_resources()
    needed = extractors_for("quotes", "positions")

    def run(article: Article, doc: Doc) -> tuple[list[PredQuote], list[PredPosition]]:
        got = run_extractors(doc, article, res, needed)
        # The team's gold marks what was said (speech cues reporting words); thoughts, intentions, evidence
        # and speech acts with a noun object ("condemned the move") are scored on an attribution corpus
        # (`eval_attributions`).
        quotes = [q for q in got["quotes"] if q.cue_type == "speech" and q.content_kind in _REPORTED]
        preds = [
            PredQuote((q.start, q.end), q.kind, (q.speaker.start, q.speaker.end) if q.speaker else None)
            for q in quotes
        ]
        positions = [
            PredPosition((p.holder.start, p.holder.end), p.stance, p.holder.name) for p in got["positions"]
        ]
        return preds, positions

    return run


def _textacy() -> Callable[[Article, Doc], tuple[list[PredQuote], list[PredPosition]]]:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        raise ConfigError("textacy is not installed: pip install 'newsevents[compare]'") from exc

    def run(article: Article, doc: Doc) -> tuple[list[PredQuote], list[PredPosition]]:
        out = []
        try:
            for triple in direct_quotations(doc):
                content = triple.content
                speaker = (triple.speaker[0].idx, triple.speaker[-1].idx + len(triple.speaker[-1].text))
                out.append(PredQuote((content.start_char, content.end_char), "direct", speaker))
        except Exception:  # textacy raises on unbalanced marks: the passage yields nothing
            return [], []
        return out, []

    return run


def eval_quotes(
    items: Iterable[dict[str, Any]],
    nlp: Language,
    *,
    engine: str = "rules",
    resources: Resources | None = None,
) -> EvalReport:
    """Score one engine's quotes and speakers (and, for ``rules``, positions) against gold items.

    Args:
        items: gold items (`load_gold` on ``tests/gold/quotes*.jsonl``).
        nlp: the spaCy pipeline.
        engine: ``rules`` or ``textacy``.

    Returns:
        An `EvalReport` named ``quotes`` (``quotes-textacy`` for textacy).

    Example:
        >>> report = eval_quotes(load_gold("tests/gold/quotes.partA.jsonl"), nlp)  # doctest: +SKIP
        >>> report.scores["speaker"].f1  # doctest: +SKIP
        0.8
    """
    if engine not in QUOTE_ENGINES:
        raise ConfigError(f"unknown quote engine {engine!r}; choose one of {', '.join(QUOTE_ENGINES)}")
    run = _rules(nlp, resources) if engine == "rules" else _textacy()
    scores = {k: Score() for k in ("span", "speaker", "direct", "indirect", "positions")}
    errors: list[dict[str, Any]] = []
    items = list(items)
    found = right = 0
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = gold_quotes(item)
        pred, positions = run(article, doc)
        pairs = match_spans([g.span for g in gold], [p.span for p in pred])
        good = {gi for gi, pi in pairs if _speaker_right(pred[pi].speaker, gold[gi].speakers)}
        for score, tp in ((scores["span"], len(pairs)), (scores["speaker"], len(good))):
            score.tp += tp
            score.fp += len(pred) - tp
            score.fn += len(gold) - tp
        for kind in ("direct", "indirect"):
            hits = sum(1 for gi, _ in pairs if gold[gi].kind == kind)
            scores[kind].tp += hits
            scores[kind].fn += sum(1 for g in gold if g.kind == kind) - hits
            scores[kind].fp += sum(1 for p in pred if p.kind == kind) - sum(
                1 for _, pi in pairs if pred[pi].kind == kind
            )
        found += len(pairs)
        right += len(good)
        if engine == "rules" and "positions" in item:
            _score_positions(item, positions, scores["positions"])
        text = item["text"]
        paired = dict(pairs)
        for gi, g in enumerate(gold):
            pi = paired.get(gi)
            if pi is None:
                errors.append({"id": item.get("id"), "kind": "missed", "quote": text[slice(*g.span)][:80]})
            elif gi not in good:
                sp = pred[pi].speaker
                errors.append(
                    {
                        "id": item.get("id"),
                        "kind": "wrong speaker",
                        "quote": text[slice(*g.span)][:60],
                        "predicted": text[slice(*sp)] if sp else None,
                    }
                )
        matched_p = {pi for _, pi in pairs}
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                errors.append({"id": item.get("id"), "kind": "spurious", "quote": text[slice(*p.span)][:80]})
    name = "quotes" if engine == "rules" else f"quotes-{engine}"
    values = {"speaker_accuracy_on_found": right / found if found else 0.0}
    return EvalReport(name, len(items), scores, errors, values)


def _speaker_right(speaker: Span2 | None, gold: tuple[Span2, ...]) -> bool:
    return speaker is not None and any(overlaps(speaker, s) for s in gold)


def _score_positions(item: dict[str, Any], pred: list[PredPosition], score: Score) -> None:
    """A predicted position is right when its stance equals a gold one's and its holder mention overlaps the
    gold holder, or its resolved name is the gold holder's ("she" resolved to Caroline Ashby)."""
    text = item["text"]
    gold = []
    for p in item["positions"]:
        holders = _all_occurrences(text, p["holder"])
        if not holders:
            raise ConfigError(
                f"gold item {item.get('id')}: position holder {p['holder']!r} is not in the text"
            )
        gold.append((holders, p["stance"], p["holder"].lower()))
    used: set[int] = set()
    for pp in pred:
        name = (pp.name or "").lower()
        hit = next(
            (
                gi
                for gi, (spans, g_stance, g_text) in enumerate(gold)
                if gi not in used
                and g_stance == pp.stance
                and (
                    any(overlaps(pp.holder, s) for s in spans)
                    or (len(name) > 3 and (name in g_text or g_text.split()[-1] in name.split()))
                )
            ),
            None,
        )
        if hit is None:
            score.fp += 1
        else:
            used.add(hit)
            score.tp += 1
    score.fn += len(gold) - len(used)
