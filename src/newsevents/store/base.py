"""The `Store` protocol every backend implements, and the backend-neutral rows it writes per article.

`result_rows` turns an `ArticleResult` into rows per table in insertion order and `insert_sql` writes the
portable (qmark) INSERT or upsert for them, so a backend only runs them inside one transaction after deleting
the article's previous version (its items go with it through ``ON DELETE CASCADE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol

from newsevents.contract import place_to_dict, result_to_dict
from newsevents.periods import period_bounds
from newsevents.model import (
    ActorRef,
    Article,
    ArticleResult,
    Event,
    Place,
    Position,
    Quote,
    Rejected,
    TimeExpr,
)
from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter

__all__ = [
    "SaveStatus",
    "Store",
    "TableRows",
    "event_day_range",
    "insert_sql",
    "is_unchanged",
    "rejection_upsert",
    "result_json",
    "result_rows",
]

#: What `Store.save_result` did.
SaveStatus = Literal["new", "updated", "unchanged"]


class Store(Protocol):
    """A database of article results: the pipeline writes through it, the CLI and the API read through it."""

    def save_result(self, result: ArticleResult) -> SaveStatus:
        """Store one article's results, replacing any earlier version in one transaction."""
        ...

    def save_rejection(self, rejected: Rejected) -> None:
        """Record a rejection, counting repeats of the same (source, stage, reason) in one row."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per main table."""
        ...

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they were applied."""
        ...

    def list_articles(self, filters: ArticleFilter) -> list[dict[str, Any]]:
        """Articles matching `filters`, as JSON-ready dicts."""
        ...

    def list_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Events matching `filters`, as JSON-ready dicts."""
        ...

    def list_quotes(self, filters: QuoteFilter) -> list[dict[str, Any]]:
        """Quotes matching `filters`, as JSON-ready dicts."""
        ...

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored contract object of one article, or None."""
        ...

    def close(self) -> None:
        """Release the connection; calling it twice is harmless."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class TableRows:
    """Rows for one table as ``{column: value}`` dicts with the same keys; `conflict` names the upsert key."""

    table: str
    rows: list[dict[str, Any]]
    conflict: tuple[str, ...] | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in the order of the first row's keys (empty when there are no rows)."""
        return tuple(self.rows[0]) if self.rows else ()

    def params(self) -> list[tuple[Any, ...]]:
        """The rows as tuples in `columns` order, for ``executemany`` with `insert_sql`."""
        columns = self.columns
        return [tuple(row[c] for c in columns) for row in self.rows]


def insert_sql(rows: TableRows) -> str:
    """The portable INSERT (or upsert, last writer wins) statement for `rows`, with ``?`` placeholders.

    Args:
        rows: the table, its rows (at least one, for the columns) and the conflict key.

    Returns:
        The SQL text.

    Example:
        >>> insert_sql(TableRows("actors", [{"id": "x", "name": "X"}], conflict=("id",)))
        'INSERT INTO actors (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name'
    """
    columns = rows.columns
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {rows.table} ({', '.join(columns)}) VALUES ({placeholders})"
    if rows.conflict is None:
        return sql
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in rows.conflict)
    return f"{sql} ON CONFLICT ({', '.join(rows.conflict)}) DO UPDATE SET {updates}"


def rejection_upsert(rejected: Rejected, now: str) -> tuple[str, tuple[Any, ...]]:
    """The upsert that records `rejected`: a repeat bumps ``seen_count`` and ``last_seen``.

    Args:
        rejected: the rejection.
        now: the current time, ISO 8601.

    Returns:
        The SQL (``?`` placeholders) and its parameters.

    Example:
        >>> from newsevents.model import ReasonCode
        >>> rejection_upsert(Rejected("a.txt", "read", ReasonCode.EMPTY, "no text"), "t")[1][:3]
        ('a.txt', 'read', 'empty')
    """
    sql = (
        "INSERT INTO rejections"
        " (source, stage, reason, detail, article_id, seen_count, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (source, stage, reason) DO UPDATE SET"
        " detail = excluded.detail, article_id = excluded.article_id,"
        " seen_count = rejections.seen_count + 1, last_seen = excluded.last_seen"
    )
    reason = rejected.reason.value
    return sql, (rejected.source, rejected.stage, reason, rejected.detail, rejected.article_id, now, now)


def result_json(result: ArticleResult) -> str:
    """The contract object of `result` as compact JSON: what ``articles.result_json`` holds.

    Args:
        result: one article's results.

    Returns:
        ``result_to_dict(result)`` serialised.

    Example:
        >>> from newsevents.model import Article
        >>> result_json(ArticleResult(Article(id="a", source="s", text="t")))[:18]
        '{"schema_version":'
    """
    return json.dumps(result_to_dict(result), ensure_ascii=False, separators=(",", ":"))


def is_unchanged(stored: Mapping[str, Any], result: ArticleResult, payload: str) -> bool:
    """Whether the stored version of an article needs no rewrite.

    Same content hash, pipeline version and model name/version. An empty content hash proves nothing, so
    then the whole stored JSON must be equal too.

    Args:
        stored: the stored row's ``content_hash``, ``pipeline_version``, ``model_name``, ``model_version``
            and ``result_json``.
        result: the new results.
        payload: ``result_json(result)``.

    Returns:
        True when saving `result` would change nothing that matters.

    Example:
        >>> from newsevents.model import Article
        >>> r = ArticleResult(Article(id="a", source="s", text="t", content_hash="h"), pipeline_version="1")
        >>> is_unchanged({"content_hash": "h", "pipeline_version": "1", "model_name": None,
        ...               "model_version": None, "result_json": ""}, r, "")
        True
    """
    model = result.model
    same: bool = (
        stored["content_hash"] == result.article.content_hash
        and stored["pipeline_version"] == result.pipeline_version
        and stored["model_name"] == (model.name if model else None)
        and stored["model_version"] == (model.version if model else None)
    )
    if same and not result.article.content_hash:
        same = stored["result_json"] == payload
    return same


def event_day_range(date: str | None, published: dt.date | None) -> tuple[str | None, str | None]:
    """The first and last day an event may fall on, as ISO dates, for filtering and ordering.

    Args:
        date: the event's ``date``: a day, ``YYYY-Www``, ``YYYY-MM``, ``YYYY``, or None.
        published: the article's published date, used when `date` is None or unparsable.

    Returns:
        ``(first, last)``, or ``(None, None)`` when neither date is known.

    Example:
        >>> event_day_range("2024-02", None)
        ('2024-02-01', '2024-02-29')
    """
    period = period_bounds(date) if date else None
    if period is None:
        if published is None:
            return None, None
        period = (published, published)
    return period[0].isoformat(), period[1].isoformat()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _ref(prefix: str, ref: ActorRef | None) -> dict[str, Any]:
    """An actor mention as columns: ``{prefix}actor_id``, ``{prefix}text``, ... (all None without one)."""
    return {
        f"{prefix}actor_id": ref.actor_id if ref else None,
        f"{prefix}text": ref.text if ref else None,
        f"{prefix}name": ref.name if ref else None,
        f"{prefix}code": ref.code if ref else None,
        f"{prefix}start": ref.start if ref else None,
        f"{prefix}end": ref.end if ref else None,
    }


def _article_row(result: ArticleResult, payload: str, stored_at: str) -> dict[str, Any]:
    a, model, inferred = result.article, result.model, result.article.published_inferred
    inferred_json = None
    if inferred is not None:
        bounds = {
            "earliest": _iso(inferred.earliest),
            "latest": _iso(inferred.latest),
            "reason": inferred.reason,
        }
        inferred_json = json.dumps(bounds, ensure_ascii=False)
    removed = [{"text": r.text, "reason": r.reason} for r in a.removed]
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "subtitle": a.subtitle,
        "published": _iso(a.published),
        "published_earliest": _iso(inferred.earliest) if inferred else None,
        "published_inferred_json": inferred_json,
        "text": a.text,
        "removed_json": json.dumps(removed, ensure_ascii=False),
        "content_hash": a.content_hash,
        "pipeline_version": result.pipeline_version,
        "model_name": model.name if model else None,
        "model_version": model.version if model else None,
        "result_json": payload,
        "stored_at": stored_at,
    }


def _event_row(e: Event, article: Article) -> dict[str, Any]:
    first, last = event_day_range(e.date, article.published)
    return {
        "id": e.id,
        "article_id": article.id,
        "type": e.type,
        "mode": e.mode,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "factuality": e.factuality,
        "date": e.date,
        "date_precision": e.date_precision,
        "date_source": e.date_source,
        "date_first": first,
        "date_last": last,
        "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end,
        "trigger_text": e.trigger.text,
        "sentence_start": e.sentence.start,
        "sentence_end": e.sentence.end,
        "place_id": e.place.id if e.place else None,
        "place_name": e.place.name if e.place else None,
        "place_country": e.place.country if e.place else None,
        "confidence": round(e.confidence, 3),
        "evidence": e.evidence,
        "reported_by_text": e.reported_by.text if e.reported_by else None,
        "reported_by_name": e.reported_by.name if e.reported_by else None,
        "reported_by_code": e.reported_by.code if e.reported_by else None,
    }


def _event_actor_row(event_id: str, role: str, ordinal: int, ref: ActorRef) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "role": role,
        "ordinal": ordinal,
        "actor_id": ref.actor_id,
        "text": ref.text,
        "name": ref.name,
        "code": ref.code,
        "start_char": ref.start,
        "end_char": ref.end,
    }


def _quote_row(q: Quote, article_id: str) -> dict[str, Any]:
    return {
        "id": q.id,
        "article_id": article_id,
        "text": q.text,
        "start_char": q.start,
        "end_char": q.end,
        "kind": q.kind,
        "cue": q.cue.text if q.cue else None,
        "cue_start": q.cue.start if q.cue else None,
        "cue_end": q.cue.end if q.cue else None,
        **_ref("speaker_", q.speaker),
        "confidence": round(q.confidence, 3),
        "evidence": q.evidence,
    }


def _position_row(p: Position, article_id: str, ordinal: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        **_ref("holder_", p.holder),
        "stance": p.stance,
        "target": p.target,
        "evidence_start": p.evidence.start,
        "evidence_end": p.evidence.end,
    }


def _time_row(t: TimeExpr, article_id: str, ordinal: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        "start_char": t.start,
        "end_char": t.end,
        "text": t.text,
        "value": t.value,
        "precision": t.precision,
        "anchor": _iso(t.anchor),
        "relative": int(t.relative),
    }


def _places(result: ArticleResult) -> list[Place]:
    """The article's places plus any event place missing from them, once each."""
    places = {place.id: place for place in result.places}
    for event in result.events:
        if event.place is not None:
            places.setdefault(event.place.id, event.place)
    return list(places.values())


def result_rows(result: ArticleResult, payload: str, stored_at: str) -> list[TableRows]:
    """Every row one article result writes, per table, in an order that satisfies the foreign keys.

    Args:
        result: one article's results.
        payload: ``result_json(result)``, stored as ``articles.result_json``.
        stored_at: the time of this save, ISO 8601.

    Returns:
        `TableRows` for places and actors (upserts, shared across articles), then the article and its items.

    Example:
        >>> from newsevents.model import Article
        >>> r = ArticleResult(Article(id="a", source="s", text="t"))
        >>> [t.table for t in result_rows(r, result_json(r), "now") if t.rows]
        ['articles']
    """
    a = result.article
    event_actors = [
        _event_actor_row(e.id, role, i, ref)
        for e in result.events
        for role, refs in (("actor", e.actors), ("recipient", e.recipients))
        for i, ref in enumerate(refs)
    ]
    actors = [
        {"id": x.id, "name": x.name, "code": x.code, "kind": x.kind, "role": x.role, "country": x.country}
        for x in result.actors
    ]
    actor_mentions = [
        {"article_id": a.id, "actor_id": x.id, "ordinal": i, "start_char": start, "end_char": end}
        for x in result.actors
        for i, (start, end) in enumerate(x.mentions)
    ]
    place_mentions = [
        {"article_id": a.id, "place_id": p.id, "ordinal": i, "start_char": start, "end_char": end}
        for p in result.places
        for i, (start, end) in enumerate(p.mentions)
    ]
    return [
        TableRows("places", [place_to_dict(p, mentions=False) for p in _places(result)], conflict=("id",)),
        TableRows("actors", actors, conflict=("id",)),
        TableRows("articles", [_article_row(result, payload, stored_at)]),
        TableRows("events", [_event_row(e, a) for e in result.events]),
        TableRows("event_actors", event_actors),
        TableRows("quotes", [_quote_row(q, a.id) for q in result.quotes]),
        TableRows("positions", [_position_row(p, a.id, i) for i, p in enumerate(result.positions)]),
        TableRows("actor_mentions", actor_mentions),
        TableRows("place_mentions", place_mentions),
        TableRows("times", [_time_row(t, a.id, i) for i, t in enumerate(result.times)]),
    ]
