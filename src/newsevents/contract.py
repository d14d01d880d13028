"""Turn an `ArticleResult` into the public contract JSON object (see CONTRACT.md).

The shape is the project's public interface: fields may be added, never removed or renamed without bumping
`SCHEMA_VERSION`. Extensions beyond CONTRACT.md are documented in the README ("Output").
"""

from __future__ import annotations

from typing import Any

from newsevents.model import (
    SCHEMA_VERSION,
    Actor,
    ActorRef,
    Article,
    ArticleResult,
    Event,
    Place,
    Position,
    Quote,
    TimeExpr,
)

__all__ = ["place_to_dict", "result_to_dict"]


def _actor_ref(ref: ActorRef) -> dict[str, Any]:
    return {
        "text": ref.text,
        "name": ref.name,
        "code": ref.code,
        "start": ref.start,
        "end": ref.end,
        "actor_id": ref.actor_id,
    }


def _article(a: Article) -> dict[str, Any]:
    inferred = None
    if a.published_inferred is not None:
        pi = a.published_inferred
        inferred = {
            "earliest": pi.earliest.isoformat() if pi.earliest else None,
            "latest": pi.latest.isoformat() if pi.latest else None,
            "reason": pi.reason,
        }
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "subtitle": a.subtitle,
        "published": a.published.isoformat() if a.published else None,
        "published_inferred": inferred,
        "content_hash": a.content_hash,
        "text": a.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
    }


def place_to_dict(p: Place, *, mentions: bool = True) -> dict[str, Any]:
    """A place as the contract shows it (events' places leave out the mentions).

    Example:
        >>> place_to_dict(Place("i", "Rafah", "PSE", 31.3, 34.2, 281129, "city"), mentions=False)["country"]
        'PSE'
    """
    out: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "country": p.country,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        "precision": p.precision,
        "confidence": round(p.confidence, 3),
        "evidence": p.evidence or None,
    }
    if mentions:
        out["mentions"] = [list(m) for m in p.mentions]
        out["mention_kinds"] = list(p.mention_kinds) if p.mention_kinds else ["name"] * len(p.mentions)
    return out


def _event(e: Event) -> dict[str, Any]:
    place = place_to_dict(e.place, mentions=False) if e.place is not None else None
    return {
        "id": e.id,
        "type": e.type,
        "mode": e.mode,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "actors": [_actor_ref(r) for r in e.actors],
        "recipients": [_actor_ref(r) for r in e.recipients],
        "reported_by": _actor_ref(e.reported_by) if e.reported_by else None,
        "date": e.date,
        "date_precision": e.date_precision,
        "date_source": e.date_source,
        "date_basis": e.date_basis.value,
        "place": place,
        "place_source": e.place_source or None,
        "factuality": e.factuality,
        "trigger": {"text": e.trigger.text, "start": e.trigger.start, "end": e.trigger.end},
        "sentence": {"start": e.sentence.start, "end": e.sentence.end},
        "confidence": round(e.confidence, 3),
        "evidence": e.evidence,
    }


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "cue_type": q.cue_type,
        "content_kind": q.content_kind,
        "cue": q.cue.text if q.cue else None,
        "cue_span": {"start": q.cue.start, "end": q.cue.end} if q.cue else None,
        "speaker": _actor_ref(q.speaker) if q.speaker else None,
        "confidence": round(q.confidence, 3),
        "evidence": q.evidence,
    }


def _position(p: Position) -> dict[str, Any]:
    return {
        "holder": _actor_ref(p.holder),
        "stance": p.stance,
        "target": p.target,
        "evidence": {"start": p.evidence.start, "end": p.evidence.end},
    }


def _actor(a: Actor) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "code": a.code,
        "kind": a.kind,
        "role": a.role,
        "country": a.country,
        "aliases": list(a.aliases),
        "mentions": [list(m) for m in a.mentions],
    }


def _time(t: TimeExpr, inferred: bool) -> dict[str, Any]:
    return {
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "value": t.value,
        "precision": t.precision,
        "anchor": t.anchor.isoformat() if t.anchor else None,
        # The anchor is the inferred lower bound of an undated article's publication date.
        "anchor_inferred": bool(t.relative and t.anchor and inferred),
        "relative": t.relative,
    }


def result_to_dict(result: ArticleResult) -> dict[str, Any]:
    """Serialise one article's results as the contract object.

    Args:
        result: what the pipeline produced for one article.

    Returns:
        A JSON-ready dict with ``schema_version``, ``article``, ``events``, ``quotes``, ``positions``,
        ``actors``, ``places``, ``times`` and ``provenance``.

    Example:
        >>> from newsevents.model import Article, ArticleResult
        >>> result_to_dict(ArticleResult(Article(id="a", source="s", text="t")))["article"]["text"]
        't'
    """
    model = result.model
    return {
        "schema_version": SCHEMA_VERSION,
        "article": _article(result.article),
        "events": [_event(e) for e in result.events],
        "quotes": [_quote(q) for q in result.quotes],
        "positions": [_position(p) for p in result.positions],
        "actors": [_actor(a) for a in result.actors],
        "places": [place_to_dict(p) for p in result.places],
        "times": [_time(t, result.article.published is None) for t in result.times],
        "provenance": {
            "pipeline": result.pipeline_version,
            "model": {
                "name": model.name,
                "version": model.version,
                "lang": model.lang,
                "pipes": list(model.pipes),
            }
            if model
            else None,
            "extractors": list(result.extractors),
        },
    }
