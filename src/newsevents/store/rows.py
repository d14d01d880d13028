"""Storage rows derived from the contract object: the one place that maps contract fields to table columns.

`result_rows` takes the contract dict of one article (`newsevents.contract.result_to_dict`) and returns its
rows per table in insertion order; `insert_sql` writes the portable (qmark) INSERT or upsert for them. Events
and quotes keep their whole contract object as JSON (``events.event_json``, ``quotes.quote_json``), which is
what the listings print; the other columns exist to filter, join and order. Columns are picked by name, so a
field added to the contract needs no change here unless it should also become a filterable column.

A backend saves an article in one transaction: `item_delete_sql` (when an earlier version is stored), the
`result_rows`, then `source_upsert` (every save, changed or not) and `clear_failures_sql`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from newsevents.contract import result_to_dict
from newsevents.model import ArticleResult, ReasonCode, Rejected
from newsevents.periods import period_bounds

__all__ = [
    "ITEM_TABLES",
    "TableRows",
    "clear_failures_sql",
    "clear_quarantine_sql",
    "event_day_range",
    "insert_sql",
    "item_delete_sql",
    "rejection_upsert",
    "result_json",
    "result_rows",
    "scrub_nul",
    "source_upsert",
    "to_json",
]

#: Tables whose rows belong to one article (``article_id`` column) and are replaced when it changes;
#: ``event_actors`` goes with ``events`` through ``ON DELETE CASCADE``.
ITEM_TABLES: tuple[str, ...] = ("events", "quotes", "positions", "actor_mentions", "place_mentions", "times")

_PLACE_COLUMNS = ("id", "name", "country", "lat", "lon", "geonameid", "precision", "confidence")
_ACTOR_COLUMNS = ("id", "name", "code", "kind", "role", "country")


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


def item_delete_sql() -> list[str]:
    """The statements that delete one article's items (parameter: the article id), before rewriting them.

    Example:
        >>> item_delete_sql()[0]
        'DELETE FROM events WHERE article_id = ?'
    """
    return [f"DELETE FROM {table} WHERE article_id = ?" for table in ITEM_TABLES]


def source_upsert(article_id: str, source: str, now: str) -> tuple[str, tuple[Any, ...]]:
    """The upsert recording that `article_id` was seen at `source` now (``first_seen`` is kept).

    Example:
        >>> source_upsert("a1", "in/a.txt", "t")[1]
        ('a1', 'in/a.txt', 't', 't')
    """
    sql = (
        "INSERT INTO article_sources (article_id, source, first_seen, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (article_id, source) DO UPDATE SET last_seen = excluded.last_seen"
    )
    return sql, (article_id, source, now, now)


def clear_failures_sql(article_id: str) -> tuple[str, tuple[Any, ...]]:
    """The delete that clears an article's earlier ``internal_error`` rejections once it saved.

    Example:
        >>> clear_failures_sql("a1")[1]
        ('a1', 'internal_error')
    """
    return "DELETE FROM rejections WHERE article_id = ? AND reason = ?", (
        article_id,
        ReasonCode.INTERNAL_ERROR.value,
    )


def clear_quarantine_sql(source: str) -> tuple[str, tuple[Any, ...]]:
    """The delete that takes a source out of quarantine once an article from it saved.

    Example:
        >>> clear_quarantine_sql("in/a.jsonl:3")[1]
        ('in/a.jsonl:3',)
    """
    return "DELETE FROM rejections WHERE source = ?", (source,)


_T = TypeVar("_T")


def scrub_nul(value: _T) -> _T:
    """`value` with every NUL character replaced by U+FFFD, in strings nested in dicts, lists and dataclasses.

    PostgreSQL text cannot hold NUL; every backend stores the same replacement, one character for one, so
    offsets into the text stay right.

    Example:
        >>> scrub_nul({"text": "a\\x00b", "n": [1, "\\x00"]})
        {'text': 'a\\ufffdb', 'n': [1, '\\ufffd']}
    """
    return cast(_T, _scrub(value))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_scrub(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _scrub(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def rejection_upsert(rejected: Rejected, now: str) -> tuple[str, tuple[Any, ...]]:
    """The upsert that records `rejected`: a repeat bumps ``seen_count`` and ``last_seen``.

    Args:
        rejected: the rejection.
        now: the current time, ISO 8601.

    Returns:
        The SQL (``?`` placeholders) and its parameters.

    Example:
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


def to_json(value: Any) -> str:
    """Compact JSON, non-ASCII kept: how contract objects are stored.

    Example:
        >>> to_json({"a": [1, "é"]})
        '{"a":[1,"é"]}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def result_json(result: ArticleResult) -> str:
    """The contract object of `result` as compact JSON: what ``articles.result_json`` holds.

    Example:
        >>> from newsevents.model import Article
        >>> result_json(ArticleResult(Article(id="a", source="s", text="t")))[:18]
        '{"schema_version":'
    """
    return to_json(result_to_dict(result))


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


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _pick(obj: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {c: obj.get(c) for c in columns}


def _ref(prefix: str, ref: Mapping[str, Any] | None) -> dict[str, Any]:
    """An actor reference as columns: ``{prefix}actor_id``, ``{prefix}text``, ... (all None without one)."""
    ref = ref or {}
    return {
        f"{prefix}actor_id": ref.get("actor_id"),
        f"{prefix}text": ref.get("text"),
        f"{prefix}name": ref.get("name"),
        f"{prefix}code": ref.get("code"),
        f"{prefix}start": ref.get("start"),
        f"{prefix}end": ref.get("end"),
    }


def _article_row(contract: Mapping[str, Any], payload: str, stored_at: str) -> dict[str, Any]:
    a, provenance = contract["article"], contract.get("provenance") or {}
    model = provenance.get("model") or {}
    inferred = a.get("published_inferred")
    return {
        "id": a["id"],
        "source": a["source"],
        "url": a.get("url"),
        "title": a.get("title"),
        "subtitle": a.get("subtitle"),
        "published": a.get("published"),
        "published_earliest": inferred.get("earliest") if inferred else None,
        "published_inferred_json": json.dumps(inferred, ensure_ascii=False) if inferred else None,
        "text": a["text"],
        "removed_json": json.dumps(a.get("removed", []), ensure_ascii=False),
        "content_hash": a.get("content_hash", ""),
        "pipeline_version": provenance.get("pipeline", ""),
        "model_name": model.get("name"),
        "model_version": model.get("version"),
        "result_json": payload,
        "stored_at": stored_at,
    }


def _event_row(e: Mapping[str, Any], article_id: str, published: dt.date | None) -> dict[str, Any]:
    first, last = event_day_range(e.get("date"), published)
    place = e.get("place") or {}
    reported = e.get("reported_by") or {}
    return {
        "id": e["id"],
        "article_id": article_id,
        "type": e["type"],
        "mode": e.get("mode"),
        "cameo": e["cameo"],
        "quad_class": e.get("quad_class"),
        "goldstein": e.get("goldstein"),
        "factuality": e["factuality"],
        "date": e.get("date"),
        "date_precision": e.get("date_precision", "unknown"),
        "date_source": e.get("date_source", "unknown"),
        "date_first": first,
        "date_last": last,
        # Until a link says otherwise the event is its own happening (migration 0010_event_listing).
        "listed": 1,
        "span_first": first or "",
        "span_last": last or "",
        "trigger_start": e["trigger"]["start"],
        "trigger_end": e["trigger"]["end"],
        "trigger_text": e["trigger"]["text"],
        "sentence_start": e["sentence"]["start"],
        "sentence_end": e["sentence"]["end"],
        "place_id": place.get("id"),
        "place_name": place.get("name"),
        "place_country": place.get("country"),
        "confidence": e.get("confidence", 0.0),
        "evidence": e.get("evidence", ""),
        "reported_by_text": reported.get("text"),
        "reported_by_name": reported.get("name"),
        "reported_by_code": reported.get("code"),
        "event_json": to_json(e),
    }


def _event_actor_rows(e: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "event_id": e["id"],
            "role": role,
            "ordinal": i,
            "actor_id": ref.get("actor_id"),
            "text": ref["text"],
            "name": ref.get("name"),
            "code": ref.get("code"),
            "start_char": ref["start"],
            "end_char": ref["end"],
        }
        for role, key in (("actor", "actors"), ("recipient", "recipients"))
        for i, ref in enumerate(e.get(key) or ())
    ]


def _quote_row(q: Mapping[str, Any], article_id: str) -> dict[str, Any]:
    cue_span = q.get("cue_span") or {}
    return {
        "id": q["id"],
        "article_id": article_id,
        "text": q["text"],
        "start_char": q["start"],
        "end_char": q["end"],
        "kind": q["kind"],
        "cue": q.get("cue"),
        "cue_start": cue_span.get("start"),
        "cue_end": cue_span.get("end"),
        **_ref("speaker_", q.get("speaker")),
        "confidence": q.get("confidence", 0.0),
        "evidence": q.get("evidence", ""),
        "quote_json": to_json(q),
    }


def _position_row(p: Mapping[str, Any], article_id: str, ordinal: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        **_ref("holder_", p["holder"]),
        "stance": p["stance"],
        "target": p["target"],
        "evidence_start": p["evidence"]["start"],
        "evidence_end": p["evidence"]["end"],
    }


def _time_row(t: Mapping[str, Any], article_id: str, ordinal: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        "start_char": t["start"],
        "end_char": t["end"],
        "text": t["text"],
        "value": t.get("value"),
        "precision": t["precision"],
        "anchor": t.get("anchor"),
        "relative": int(bool(t.get("relative"))),
    }


def _mention_rows(article_id: str, items: list[Mapping[str, Any]], column: str) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, column: x["id"], "ordinal": i, "start_char": start, "end_char": end}
        for x in items
        for i, (start, end) in enumerate(x.get("mentions") or ())
    ]


def _places(contract: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The article's places plus any event place missing from them, once each, as place rows."""
    places = {p["id"]: _pick(p, _PLACE_COLUMNS) for p in contract.get("places", ())}
    for event in contract.get("events", ()):
        if event.get("place"):
            places.setdefault(event["place"]["id"], _pick(event["place"], _PLACE_COLUMNS))
    return list(places.values())


def result_rows(contract: Mapping[str, Any], stored_at: str, payload: str | None = None) -> list[TableRows]:
    """Every row one article's contract object writes, per table, in an order that satisfies the foreign keys.

    Args:
        contract: ``result_to_dict(result)``.
        stored_at: the time of this save, ISO 8601.
        payload: ``to_json(contract)`` when the caller already has it (stored as ``articles.result_json``).

    Returns:
        `TableRows` for places and actors (upserts, shared across articles), the article (an upsert on its
        id), then its items.

    Example:
        >>> from newsevents.model import Article
        >>> contract = result_to_dict(ArticleResult(Article(id="a", source="s", text="t")))
        >>> [t.table for t in result_rows(contract, "now") if t.rows]
        ['articles']
    """
    a = contract["article"]
    article_id, published = a["id"], _date(a.get("published"))
    events, actors = list(contract.get("events", ())), list(contract.get("actors", ()))
    article = _article_row(contract, payload if payload is not None else to_json(contract), stored_at)
    return [
        TableRows("places", _places(contract), conflict=("id",)),
        TableRows("actors", [_pick(x, _ACTOR_COLUMNS) for x in actors], conflict=("id",)),
        TableRows("articles", [article], conflict=("id",)),
        TableRows("events", [_event_row(e, article_id, published) for e in events]),
        TableRows("event_actors", [row for e in events for row in _event_actor_rows(e)]),
        TableRows("quotes", [_quote_row(q, article_id) for q in contract.get("quotes", ())]),
        TableRows(
            "positions",
            [_position_row(p, article_id, i) for i, p in enumerate(contract.get("positions", ()))],
        ),
        TableRows("actor_mentions", _mention_rows(article_id, actors, "actor_id")),
        TableRows("place_mentions", _mention_rows(article_id, list(contract.get("places", ())), "place_id")),
        TableRows("times", [_time_row(t, article_id, i) for i, t in enumerate(contract.get("times", ()))]),
    ]
