"""Events: detection and PLOVER typing per type, arguments, and factuality, against the event gold set.

A predicted event matches a gold event when their trigger spans overlap (one to one, same-type pairs first).
Scores:

- ``overall``: trigger and type right; one score per PLOVER type under its own name (``CONSULT``, ...).
- ``trigger``: an event found at the right words, whatever its type.
- ``happened``: events reported as having happened (``asserted`` or ``historical``), trigger and type right;
  a non-happening reported as a happening is a false positive here.
- ``non_asserted``: on typed matches, whether "did not happen (yet)" is recognised (negated, future,
  hypothetical).
- ``actors`` / ``recipients``: argument mentions (overlapping spans) on typed matches.
- values ``factuality_accuracy`` (typed matches whose factuality is exactly right) and ``mode_accuracy``
  (typed matches whose gold names a mode).
- ``sentence_type_accuracy``: items whose set of predicted PLOVER types equals the gold set (an item with no
  gold event is right when nothing is predicted).

On items whose gold events carry ``cameo`` and ``actor_codes``/``recipient_codes`` (the coded parts):

- ``triple`` / ``triple_root``: (source code, target code, CAMEO code) triples of the item, one per actor x
  recipient of each event ("" for a missing side), compared as multisets; ``_root`` compares CAMEO roots
  (``046`` and ``042`` are both ``04``).
- ``cameo_accuracy`` / ``cameo_root_accuracy``: typed matches whose CAMEO code (root) is right.
- ``actor_code_accuracy`` / ``actor_country_accuracy``: gold actor and recipient mentions with a code that a
  predicted argument of the matched event overlaps: the full code right, the country (first block) right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, Score, article_for, locate, match_spans, overlaps
from newsevents.kb import Resources
from newsevents.model import FACTUALITY, PLOVER_TYPES, Event

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["FACTUALITY", "PLOVER_TYPES", "eval_events"]

_HAPPENED = {"asserted", "historical"}

Span2 = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldEvent:
    trigger: Span2
    type: str
    mode: str | None
    factuality: str
    actors: tuple[Span2, ...]
    recipients: tuple[Span2, ...]
    cameo: str | None = None
    actor_codes: tuple[str, ...] | None = None  # parallel to actors; None when the part has no codes
    recipient_codes: tuple[str, ...] | None = None


def _mention(text: str, value: Any, item_id: str) -> Span2:
    if isinstance(value, str):
        return locate(text, value)
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return locate(text, value["text"], int(value.get("occurrence", 1)))
    raise ConfigError(f"gold item {item_id}: an actor must be a string or {{text, occurrence}}: {value!r}")


def gold_events(item: dict[str, Any]) -> list[GoldEvent]:
    """The gold events of one item, located in its text.

    Raises:
        ConfigError: an unknown type or factuality, or a string that is not in the text.

    Example:
        >>> gold_events({"id": "x", "text": "Iran and Iraq met.", "events": [{"trigger": "met",
        ...     "type": "CONSULT", "factuality": "asserted", "actors": ["Iran", "Iraq"], "recipients": []}]})
        ... # doctest: +NORMALIZE_WHITESPACE
        [GoldEvent(trigger=(14, 17), type='CONSULT', mode=None, factuality='asserted',
                   actors=((0, 4), (9, 13)), recipients=(), cameo=None, actor_codes=None,
                   recipient_codes=None)]
    """
    text, item_id = item["text"], str(item.get("id"))
    out = []
    for ev in item.get("events", []):
        if ev.get("type") not in PLOVER_TYPES:
            raise ConfigError(f"gold item {item_id}: unknown PLOVER type {ev.get('type')!r}")
        if ev.get("factuality") not in FACTUALITY:
            raise ConfigError(f"gold item {item_id}: unknown factuality {ev.get('factuality')!r}")
        try:
            trigger = locate(text, ev["trigger"], int(ev.get("occurrence", 1)))
            actors = tuple(_mention(text, a, item_id) for a in ev.get("actors", []))
            recipients = tuple(_mention(text, r, item_id) for r in ev.get("recipients", []))
        except ConfigError as exc:
            raise ConfigError(f"gold item {item_id}: {exc}") from exc
        codes = [
            _codes(ev, key, len(spans), item_id)
            for key, spans in (("actor", actors), ("recipient", recipients))
        ]
        cameo = ev.get("cameo")
        if cameo is not None and not (isinstance(cameo, str) and cameo.isdigit() and 2 <= len(cameo) <= 4):
            raise ConfigError(f"gold item {item_id}: cameo {cameo!r} is not a zero-padded CAMEO code string")
        out.append(
            GoldEvent(
                trigger, ev["type"], ev.get("mode"), ev["factuality"], actors, recipients, cameo, *codes
            )
        )
    return out


def _codes(ev: dict[str, Any], key: str, n: int, item_id: str) -> tuple[str, ...] | None:
    codes = ev.get(f"{key}_codes")
    if codes is None:
        return None
    if not isinstance(codes, list) or len(codes) != n or not all(isinstance(c, str) for c in codes):
        raise ConfigError(f"gold item {item_id}: {key}_codes must be {n} strings, parallel to {key}s")
    return tuple(codes)


def _triples(events: list[tuple[list[str], list[str], str]], root: bool) -> list[tuple[str, str, str]]:
    out = []
    for sources, targets, code in events:
        code = code[:2] if root else code
        out += [(s, t, code) for s in (sources or [""]) for t in (targets or [""])]
    return out


def _score_multiset(score: Score, gold: list[Any], pred: list[Any]) -> None:
    left = list(pred)
    hits = 0
    for g in gold:
        if g in left:
            left.remove(g)
            hits += 1
    score.tp += hits
    score.fp += len(pred) - hits
    score.fn += len(gold) - hits


def _code_hits(
    gold_spans: tuple[Span2, ...], codes: tuple[str, ...] | None, pred: tuple[Any, ...]
) -> list[tuple[str, str]]:
    """(gold code, predicted code or "") for each coded gold mention a predicted argument overlaps."""
    out = []
    for span, code in zip(gold_spans, codes or (), strict=False):
        if not code:
            continue
        hit = next((a for a in pred if overlaps(span, (a.start, a.end))), None)
        if hit is not None:
            out.append((code, hit.code or ""))
    return out


def _pair(gold: list[GoldEvent], pred: list[Event]) -> list[tuple[int, int]]:
    """One-to-one (gold, predicted) pairs with overlapping triggers, same-type pairs first."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for same_type in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(pred):
                if pi in used_p or not overlaps(g.trigger, (p.trigger.start, p.trigger.end)):
                    continue
                if same_type and g.type != p.type:
                    continue
                pairs.append((gi, pi))
                used_g.add(gi)
                used_p.add(pi)
                break
    return pairs


def _score_args(score: Score, gold: tuple[Span2, ...], pred: list[Span2]) -> int:
    hits = len(match_spans(list(gold), pred))
    score.tp += hits
    score.fp += len(pred) - hits
    score.fn += len(gold) - hits
    return hits


def eval_events(
    items: Iterable[dict[str, Any]], nlp: Language, *, resources: Resources | None = None
) -> EvalReport:
    """Score the event extractor (the whole pipeline) against gold events.

    Args:
        items: gold items (`load_gold` on ``tests/gold/events*.jsonl``).
        nlp: the spaCy pipeline to parse with.
        resources: the knowledge base (`load_resources`); the bundled one by default.

    Returns:
        An `EvalReport` with the scores and values described in this module's docstring.

    Example:
        >>> report = eval_events(load_gold("tests/gold/events.partA.jsonl"), load_model())  # doctest: +SKIP
        >>> round(report.scores["overall"].f1, 2)  # doctest: +SKIP
        0.6
    """
    from newsevents.pipeline import analyze_doc

    items = list(items)
    scores: dict[str, Score] = {
        name: Score() for name in ("overall", "trigger", "happened", "non_asserted", "actors", "recipients")
    }
    per_type = {t: Score() for t in PLOVER_TYPES}
    coded = {"triple": Score(), "triple_root": Score()}
    fact_right = fact_total = mode_right = mode_total = 0
    counts = dict.fromkeys(
        ("sent_right", "sents", "cameo", "cameo_root", "cameo_n", "code", "country", "code_n"), 0
    )
    errors: list[dict[str, Any]] = []
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = gold_events(item)
        pred = list(analyze_doc(doc, article, resources=resources).events)
        text, item_id = item["text"], item.get("id")
        pairs = _pair(gold, pred)
        typed = [(gi, pi) for gi, pi in pairs if gold[gi].type == pred[pi].type]
        counts["sents"] += 1
        counts["sent_right"] += {g.type for g in gold} == {p.type for p in pred}
        if gold and all(g.cameo and g.actor_codes is not None for g in gold):
            _score_coded(coded, counts, gold, pred, typed)
        scores["trigger"].tp += len(pairs)
        scores["trigger"].fp += len(pred) - len(pairs)
        scores["trigger"].fn += len(gold) - len(pairs)
        overall = scores["overall"]
        overall.tp += len(typed)
        overall.fp += len(pred) - len(typed)
        overall.fn += len(gold) - len(typed)
        typed_g = {gi for gi, _ in typed}
        typed_p = {pi for _, pi in typed}
        for gi, _ in typed:
            per_type[gold[gi].type].tp += 1
        for gi, g in enumerate(gold):
            if gi not in typed_g:
                per_type[g.type].fn += 1
        for pi, p in enumerate(pred):
            if pi not in typed_p:
                per_type[p.type].fp += 1
        happened = scores["happened"]
        both = sum(
            1 for gi, pi in typed if gold[gi].factuality in _HAPPENED and pred[pi].factuality in _HAPPENED
        )
        happened.tp += both
        happened.fp += sum(1 for p in pred if p.factuality in _HAPPENED) - both
        happened.fn += sum(1 for g in gold if g.factuality in _HAPPENED) - both
        for gi, pi in typed:
            g, p = gold[gi], pred[pi]
            g_non, p_non = g.factuality not in _HAPPENED, p.factuality not in _HAPPENED
            non = scores["non_asserted"]
            non.tp += g_non and p_non
            non.fp += p_non and not g_non
            non.fn += g_non and not p_non
            fact_total += 1
            fact_right += g.factuality == p.factuality
            if g.mode:
                mode_total += 1
                mode_right += g.mode == p.mode
            a_hits = _score_args(scores["actors"], g.actors, [(a.start, a.end) for a in p.actors])
            r_hits = _score_args(scores["recipients"], g.recipients, [(r.start, r.end) for r in p.recipients])
            trig = text[slice(*g.trigger)]
            if g.factuality != p.factuality:
                errors.append(
                    {
                        "id": item_id,
                        "kind": "wrong factuality",
                        "trigger": trig,
                        "gold": g.factuality,
                        "predicted": p.factuality,
                    }
                )
            if a_hits < max(len(g.actors), len(p.actors)) or r_hits < max(
                len(g.recipients), len(p.recipients)
            ):
                errors.append(
                    {
                        "id": item_id,
                        "kind": "wrong arguments",
                        "trigger": trig,
                        "gold": [
                            [text[slice(*s)] for s in g.actors],
                            [text[slice(*s)] for s in g.recipients],
                        ],
                        "predicted": [[a.text for a in p.actors], [r.text for r in p.recipients]],
                    }
                )
        for gi, pi in pairs:
            if gold[gi].type != pred[pi].type:
                errors.append(
                    {
                        "id": item_id,
                        "kind": "wrong type",
                        "trigger": text[slice(*gold[gi].trigger)],
                        "gold": gold[gi].type,
                        "predicted": pred[pi].type,
                    }
                )
        paired_g = {gi for gi, _ in pairs}
        paired_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if gi not in paired_g:
                errors.append(
                    {"id": item_id, "kind": "missed", "trigger": text[slice(*g.trigger)], "gold": g.type}
                )
        for pi, p in enumerate(pred):
            if pi not in paired_p:
                errors.append(
                    {
                        "id": item_id,
                        "kind": "spurious",
                        "trigger": p.trigger.text,
                        "predicted": f"{p.type}/{p.factuality}",
                        "sentence": p.sentence.text,
                    }
                )
    values = {
        "sentence_type_accuracy": counts["sent_right"] / counts["sents"] if counts["sents"] else 0.0,
        "factuality_accuracy": fact_right / fact_total if fact_total else 0.0,
        "mode_accuracy": mode_right / mode_total if mode_total else 0.0,
        "gold_events": float(sum(1 for item in items for _ in item.get("events", []))),
    }
    if counts["cameo_n"]:
        values["cameo_accuracy"] = counts["cameo"] / counts["cameo_n"]
        values["cameo_root_accuracy"] = counts["cameo_root"] / counts["cameo_n"]
    if counts["code_n"]:
        values["actor_code_accuracy"] = counts["code"] / counts["code_n"]
        values["actor_country_accuracy"] = counts["country"] / counts["code_n"]
    extra = coded if coded["triple"].tp + coded["triple"].fn else {}
    return EvalReport("events", len(items), {**scores, **extra, **per_type}, errors, values)


def _score_coded(
    coded: dict[str, Score],
    counts: dict[str, int],
    gold: list[GoldEvent],
    pred: list[Event],
    typed: list[tuple[int, int]],
) -> None:
    """Triples, CAMEO codes and actor codes of one item whose gold is coded."""
    g_events = [(list(g.actor_codes or ()), list(g.recipient_codes or ()), g.cameo or "") for g in gold]
    p_events = [
        ([a.code or "" for a in p.actors], [r.code or "" for r in p.recipients], p.cameo) for p in pred
    ]
    for name, root in (("triple", False), ("triple_root", True)):
        _score_multiset(coded[name], _triples(g_events, root), _triples(p_events, root))
    for gi, pi in typed:
        g, p = gold[gi], pred[pi]
        counts["cameo_n"] += 1
        counts["cameo"] += g.cameo == p.cameo
        counts["cameo_root"] += (g.cameo or "")[:2] == p.cameo[:2]
        hits = _code_hits(g.actors, g.actor_codes, p.actors) + _code_hits(
            g.recipients, g.recipient_codes, p.recipients
        )
        counts["code_n"] += len(hits)
        counts["code"] += sum(1 for gc, pc in hits if gc == pc)
        counts["country"] += sum(1 for gc, pc in hits if gc[:3] == pc[:3])
