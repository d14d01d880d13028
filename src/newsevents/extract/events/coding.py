"""Coding: the loop that turns trigger candidates into PLOVER events, and the merging of repeats."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from newsevents.extract.actors import ActorIndex
from newsevents.extract.events.arguments import (
    arguments,
    armed,
    crowd,
    person,
    political,
    reporter,
    state_actor,
)
from newsevents.extract.events.context import Context, framed, make_context
from newsevents.extract.events.factuality import factuality, historical
from newsevents.extract.events.grounding import date_for, dominant_place, place_for, sentence_place
from newsevents.extract.events.triggers import (
    candidates,
    constraints,
    is_purpose_protest,
    reports_casualties,
    restates_head,
    sporting,
    trigger_span,
)
from newsevents.extract.places import PlaceIndex
from newsevents.ids import event_id
from newsevents.kb import Resources, Trigger
from newsevents.model import ActorRef, Article, Event, Span, TimeExpr

__all__ = ["EXTRACTOR", "extract_events"]

EXTRACTOR = "events.v2"

# Event nouns that report a happening even when the sentence names no one: "protests spread", "an air strike
# killed five".
_SELF_EVIDENT = {"PROTEST", "ASSAULT", "CONSULT", "RETREAT"}

_Heads = dict[str, tuple[int, int, bool]]  # event id -> (trigger token, governor token, restating noun)


def extract_events(
    doc: Doc,
    article: Article,
    actors: ActorIndex,
    places: PlaceIndex,
    times: list[TimeExpr],
    *,
    resources: Resources,
) -> list[Event]:
    """Code the events of one article.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        actors: its actors (from `extract_actors`).
        places: its places (from `extract_places`).
        times: its temporal expressions (from `extract_times`).
        resources: the knowledge base (triggers, lexicons, CAMEO table).

    Returns:
        Events in text order, at most one per (sentence, type, actors, recipients).

    Example:
        >>> events = extract_events(doc, article, actors, places, times, resources=res)  # doctest: +SKIP
        >>> [e.type for e in events]  # doctest: +SKIP
        ['CONSULT']
    """
    ctx = make_context(doc, article, actors, places, times, resources)
    best: dict[tuple[object, ...], Event] = {}
    heads: _Heads = {}
    for tok, verb, trig in candidates(ctx):
        if is_purpose_protest(tok, verb, trig) or restates_head(verb, trig, ctx):
            continue
        if reports_casualties(tok, verb, trig, ctx):
            continue
        mood = factuality(verb, tok, ctx)
        if mood is None:
            continue
        actor_refs, recipient_refs = arguments(tok, verb, trig, ctx)
        coded = _code(tok, verb, trig, actor_refs, recipient_refs, ctx)
        if coded is None:
            continue
        trig, cons = coded
        event = _event(tok, verb, trig, "governor" in cons, mood, actor_refs, recipient_refs, ctx, resources)
        sent = tok.sent
        key = (
            sent.start,
            trig.type,
            tuple((a.start, a.end) for a in actor_refs),
            tuple((r.start, r.end) for r in recipient_refs),
        )
        # One event per clause and parties: the more specific reading wins ("discussed ... in a phone call").
        if key not in best or _rank(event) > _rank(best[key]):
            best[key] = event
            restating = tok is not verb and tok.dep_ == "pobj" and tok.head.lower_ in {"in", "with", "during"}
            heads[event.id] = (tok.i, verb.i, restating)
    return _merge_repeats(_merge_restatements(list(best.values()), heads))


def _code(
    tok: Token,
    verb: Token,
    trig: Trigger,
    actor_refs: list[ActorRef],
    recipient_refs: list[ActorRef],
    ctx: Context,
) -> tuple[Trigger, dict[str, frozenset[str]]] | None:
    """The trigger a candidate codes as, with its constraints, given its parties; None when the parties
    do not fit it (no one named, no recipient, a state in a civilian protest, words rather than force)."""
    self_evident = trig.type in _SELF_EVIDENT and (
        trig.type == "PROTEST"
        or (tok is not verb and trig.type != "CONSULT")
        or (
            tok is not verb
            and (tok.dep_ in {"nsubj", "nsubjpass"} or framed(tok) or verb.lemma_ in ctx.words["light"])
        )
    )
    if not actor_refs and not recipient_refs and not self_evident:
        return None
    cons = constraints(trig)
    if ({"needs_recipient", "destination"} & cons.keys()) and not recipient_refs:
        return None
    if "civilian" in cons and state_actor(actor_refs, ctx):
        return None
    if trig.type == "ASSAULT" and sporting(tok.sent, ctx):
        return None  # "Turkey beat Georgia 3-1"
    if trig.lemma in ctx.words["unrest"] and actor_refs and crowd(actor_refs, ctx):
        # "protesters stormed parliament", "demonstrators blocked the highway": collective protest.
        riot = trig.lemma in ctx.words["riot"]
        trig = Trigger(
            trig.lemma, trig.pos, "PROTEST", "riot" if riot else "obstruct", "145" if riot else "144", ""
        )
        cons = {}
    verbal = ctx.words["verbal_attacks"]
    if "armed" in cons and actor_refs and not armed(actor_refs, ctx):
        if trig.lemma not in verbal or not recipient_refs or not political(actor_refs, ctx):
            return None  # "she captured South Carolina": words, not force
        trig = Trigger(trig.lemma, trig.pos, "ACCUSE", "disapprove", "111", "")  # "Trump attacked Clinton"
    elif (
        trig.type == "ASSAULT"
        and trig.lemma in verbal
        and not armed(actor_refs, ctx)
        and (political(actor_refs, ctx) or (not actor_refs and person(recipient_refs, ctx)))
    ):
        # "Sanders' attacks against her", "no one is eager to attack him": political words
        trig = Trigger(trig.lemma, trig.pos, "ACCUSE", "disapprove", "111", "")
    return trig, cons


def _event(
    tok: Token,
    verb: Token,
    trig: Trigger,
    whole: bool,
    mood: str,
    actor_refs: list[ActorRef],
    recipient_refs: list[ActorRef],
    ctx: Context,
    resources: Resources,
) -> Event:
    """The coded event with its provenance: date, place, trigger and sentence spans, confidence."""
    article = ctx.article
    sent = tok.sent
    dating = date_for(tok, verb, ctx)
    if mood == "asserted" and historical(dating.date, dating.basis, article):
        mood = "historical"
    info = resources.cameo.info(trig.cameo)
    place, place_source = place_for([tok, verb], ctx), "clause"
    if place is None:
        place, place_source = sentence_place(tok, ctx), "sentence"
    if place is None:
        place = dominant_place(actor_refs + recipient_refs, ctx)
        place_source = "article" if place else ""
    trigger = trigger_span(tok, verb, ctx, whole=whole)
    mode = trig.mode
    if trig.type == "CONSULT" and mode is None and len(actor_refs) + len(recipient_refs) > 3:
        mode = "multilateral"
    coded = sum(1 for r in actor_refs + recipient_refs if r.code)
    confidence = (
        0.45 + 0.1 * min(coded, 2) + (0.15 if tok is verb else 0.0) + (0.1 if recipient_refs else 0.0)
    )
    if dating.inferred_anchor:
        confidence -= 0.1  # dated against a lower bound, not a known publication date
    return Event(
        id=event_id(article.id, trigger.start, trigger.end, trig.type),
        type=trig.type,
        mode=mode,
        cameo=trig.cameo,
        actors=tuple(actor_refs),
        recipients=tuple(recipient_refs),
        factuality=mood,
        trigger=trigger,
        sentence=Span(sent.start_char, sent.end_char, sent.text),
        date=dating.date,
        date_precision=dating.precision,
        date_source=dating.source,
        date_basis=dating.basis,
        place=place,
        confidence=min(confidence, 0.95),
        evidence=_evidence(trig),
        quad_class=info.quad_class,
        goldstein=info.goldstein,
        reported_by=reporter(verb, ctx),
        place_source=place_source,
    )


def _evidence(trig: Trigger) -> str:
    """Which pattern coded the event, from which file and line; says so when only the CAMEO root is known."""
    pattern = f" [{trig.constraint}]" if trig.constraint else ""
    where = f" {trig.source}" if trig.source else ""
    root = (
        "; CAMEO root only (no more specific code applies)"
        if trig.cameo.endswith("0") and len(trig.cameo) == 3
        else ""
    )
    coded = f"({trig.type}/{trig.cameo})"
    return f"{EXTRACTOR}: {trig.pos.lower()} trigger '{trig.lemma}'{pattern} {coded}{where}{root}"


def _merge_restatements(events: list[Event], heads: _Heads) -> list[Event]:
    """ "Iran launched drones at Israel in its first direct attack", "retaliated with strikes", "discussed
    ... in a phone call": an event noun framing a verb event of the same type is that event. The more specific
    of the two is kept (a mode wins), its empty party slots filled from the other."""
    by_token = {heads[e.id][0]: e for e in events if e.id in heads}
    dropped: set[str] = set()
    merged: dict[str, Event] = {}
    for e in events:
        _tok, gov_i, restating = heads.get(e.id, (-1, -1, False))
        verb_event = by_token.get(gov_i)
        if not restating or verb_event is None or verb_event.type != e.type or verb_event.id == e.id:
            continue
        keep, drop = (e, verb_event) if _rank(e) > _rank(verb_event) else (verb_event, e)
        actors = keep.actors or drop.actors
        recipients = tuple(r for r in (keep.recipients or drop.recipients) if r not in actors)
        merged[keep.id] = replace(keep, actors=actors, recipients=recipients)
        dropped.add(drop.id)
    out = [merged.get(e.id, e) for e in events if e.id not in dropped]
    return sorted(out, key=lambda e: e.trigger.start)


def _rank(e: Event) -> tuple[bool, float]:
    return e.mode is not None, e.confidence


def _identity(refs: tuple[ActorRef, ...]) -> frozenset[str]:
    return frozenset(r.actor_id or r.code or r.text.lower() for r in refs)


def _merge_repeats(events: list[Event]) -> list[Event]:
    """Drop later mentions of an event already reported ("the call ... During his call ...").

    Two events are one when type, mode, actors and recipients agree and the later one has no date of its own
    (its date fell back to the publication date or is missing), so distinct dated happenings are never merged.
    """
    kept: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    for e in events:
        key = (e.type, e.mode, _identity(e.actors) | _identity(e.recipients))
        if key in seen and not e.date_basis.own:
            continue
        seen.add(key)
        kept.append(e)
    return kept
