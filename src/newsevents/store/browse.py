"""Reads for browsing a store: actors, places and positions listings, and event aggregates computed in SQL.

The aggregates (`event_histogram`, `event_places`, `event_dyads`) take the same `EventFilter` as the event
listing and count in the database, so a client never receives every event to draw a chart, a map or a
network. Every query is portable SQL (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from newsevents.errors import ConfigError
from newsevents.store.queries import (
    EventFilter,
    Fetch,
    PageFilter,
    Query,
    _add_page,
    _contains,
    _escape_like,
    _finish,
    _Where,
    event_conditions,
    event_from,
)

__all__ = [
    "INTERVALS",
    "ActorFilter",
    "PlaceFilter",
    "PositionFilter",
    "auto_interval",
    "event_count",
    "event_dyads",
    "event_histogram",
    "event_places",
    "list_actors",
    "list_places",
    "list_positions",
]

#: The most rows an aggregate returns (`top` is capped here).
MAX_TOP = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorFilter(PageFilter):
    """Actor identities by name; `query` is a name substring or code prefix, `kind` e.g. ``person``."""

    sort_field: ClassVar[str] = "name"

    query: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceFilter(PageFilter):
    """Places by name; `query` is a name substring, `country` an ISO 3166 alpha-3 code."""

    sort_field: ClassVar[str] = "name"

    query: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionFilter(PageFilter):
    """Positions (stances) by the article's date; `holder` a name/text substring or code prefix."""

    sort_field: ClassVar[str] = "article_published"

    holder: str | None = None
    stance: str | None = None
    article_id: str | None = None


def list_actors(fetch: Fetch, filters: ActorFilter) -> list[dict[str, Any]]:
    """Actor identities with how many event roles and quotes each has.

    Returns:
        Dicts with ``id``, ``name``, ``code``, ``kind``, ``role``, ``country``, ``n_events`` (event mentions
        it takes part in) and ``n_quotes`` (quotes it is the speaker of); ordered by name then id.

    Example:
        >>> list_actors(lambda query: [], ActorFilter(query="biden"))
        []
    """
    where = _Where()
    if filters.query and filters.query.strip():
        where.add(
            "(LOWER(x.name) LIKE ? ESCAPE '\\' OR LOWER(x.code) LIKE ? ESCAPE '\\')",
            _contains(filters.query),
            f"{_escape_like(filters.query.strip().lower())}%",
        )
    if filters.kind and filters.kind.strip():
        where.add("LOWER(x.kind) = ?", filters.kind.strip().lower())
    tail = _add_page(where, filters, "x.name", "x.id")
    select = (
        "SELECT x.id, x.name, x.code, x.kind, x.role, x.country,"
        " (SELECT COUNT(DISTINCT ea.event_id) FROM event_actors ea WHERE ea.actor_id = x.id) AS n_events,"
        " (SELECT COUNT(*) FROM quotes q WHERE q.speaker_actor_id = x.id) AS n_quotes"
        " FROM actors x"
    )
    return [
        {**row, "n_events": int(row["n_events"]), "n_quotes": int(row["n_quotes"])}
        for row in fetch(_finish(select, where, tail, filters))
    ]


def list_places(fetch: Fetch, filters: PlaceFilter) -> list[dict[str, Any]]:
    """Places with their coordinates and how many event mentions happen there.

    Returns:
        Dicts with ``id``, ``name``, ``country``, ``lat``, ``lon``, ``geonameid``, ``precision``,
        ``n_events`` and ``n_mentions`` (times the place is named); ordered by name then id.

    Example:
        >>> list_places(lambda query: [], PlaceFilter(country="ukr"))
        []
    """
    where = _Where()
    if filters.query and filters.query.strip():
        where.add("LOWER(p.name) LIKE ? ESCAPE '\\'", _contains(filters.query))
    if filters.country and filters.country.strip():
        where.add("UPPER(p.country) = ?", filters.country.strip().upper())
    tail = _add_page(where, filters, "p.name", "p.id")
    select = (
        "SELECT p.id, p.name, p.country, p.lat, p.lon, p.geonameid, p.precision,"
        " (SELECT COUNT(*) FROM events e WHERE e.place_id = p.id) AS n_events,"
        " (SELECT COUNT(*) FROM place_mentions pm WHERE pm.place_id = p.id) AS n_mentions"
        " FROM places p"
    )
    return [
        {**row, "n_events": int(row["n_events"]), "n_mentions": int(row["n_mentions"])}
        for row in fetch(_finish(select, where, tail, filters))
    ]


def list_positions(fetch: Fetch, filters: PositionFilter) -> list[dict[str, Any]]:
    """Positions: who holds what stance towards what, with the evidence sentence's offsets.

    Returns:
        Dicts with ``id`` (``article_id:ordinal``), ``article_id``, ``article_title``,
        ``article_published``, ``holder`` (``{"text", "name", "code", "actor_id", "start", "end"}``),
        ``stance``, ``target``, ``evidence`` (``{"start", "end", "text"}``); ordered by the article's date.

    Example:
        >>> list_positions(lambda query: [], PositionFilter(holder="putin"))
        []
    """
    where = _Where()
    if filters.since is not None:
        where.add("a.published >= ?", filters.since.isoformat())
    if filters.until is not None:
        where.add("a.published <= ?", filters.until.isoformat())
    if filters.holder and filters.holder.strip():
        where.add(
            "(LOWER(p.holder_name) LIKE ? ESCAPE '\\' OR LOWER(p.holder_text) LIKE ? ESCAPE '\\'"
            " OR LOWER(p.holder_code) LIKE ? ESCAPE '\\')",
            _contains(filters.holder),
            _contains(filters.holder),
            f"{_escape_like(filters.holder.strip().lower())}%",
        )
    if filters.stance and filters.stance.strip():
        where.add("LOWER(p.stance) = ?", filters.stance.strip().lower())
    if filters.article_id is not None:
        where.add("p.article_id = ?", filters.article_id)
    position_id = "p.article_id || ':' || CAST(p.ordinal AS TEXT)"
    tail = _add_page(where, filters, "COALESCE(a.published, '')", position_id)
    select = (
        f"SELECT {position_id} AS id, p.article_id, p.holder_actor_id, p.holder_text, p.holder_name,"
        " p.holder_code, p.holder_start, p.holder_end, p.stance, p.target, p.evidence_start, p.evidence_end,"
        " a.title AS article_title, a.published AS article_published, a.text"
        " FROM positions p JOIN articles a ON a.id = p.article_id"
    )
    return [
        {
            "id": row["id"],
            "article_id": row["article_id"],
            "article_title": row["article_title"],
            "article_published": row["article_published"],
            "holder": {
                "text": row["holder_text"],
                "name": row["holder_name"],
                "code": row["holder_code"],
                "actor_id": row["holder_actor_id"],
                "start": row["holder_start"],
                "end": row["holder_end"],
            },
            "stance": row["stance"],
            "target": row["target"],
            "evidence": {
                "start": row["evidence_start"],
                "end": row["evidence_end"],
                "text": row["text"][row["evidence_start"] : row["evidence_end"]],
            },
        }
        for row in fetch(_finish(select, where, tail, filters))
    ]


def _top(top: int) -> int:
    if top < 1:
        raise ConfigError(f"top must be at least 1, got {top}")
    return min(top, MAX_TOP)


#: The intervals a histogram counts by, finest first; ``auto`` picks one of them.
INTERVALS = ("day", "week", "month", "year")
#: ``auto`` picks the finest interval whose periods from the first to the last day are at most this many.
MAX_AUTO_PERIODS = 400


def auto_interval(first: dt.date, last: dt.date) -> str:
    """The finest of `INTERVALS` that covers `first`..`last` in at most `MAX_AUTO_PERIODS` periods.

    Example:
        >>> auto_interval(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        'day'
        >>> auto_interval(dt.date(1990, 1, 1), dt.date(2024, 12, 31))
        'year'
    """
    days = (last - first).days
    spans = {
        "day": days + 1,
        "week": (days + first.weekday()) // 7 + 1,
        "month": (last.year - first.year) * 12 + last.month - first.month + 1,
    }
    return next((i for i in INTERVALS[:-1] if spans[i] <= MAX_AUTO_PERIODS), "year")


def event_histogram(fetch: Fetch, filters: EventFilter, interval: str = "day") -> list[dict[str, Any]]:
    """Events per day (or week, month or year) and type: what a timeline draws.

    Counted in SQL per first possible day and type; weeks (starting on Monday), months and years are summed
    from the days. ``auto`` takes the finest interval that spans the matching days in at most
    `MAX_AUTO_PERIODS` periods, so a chart gets a bounded number of bars however long the store's record.
    Events without a calendar day are left out.

    Returns:
        ``[{"period", "type", "n", "interval"}]`` by period then type; ``interval`` is the one counted by
        (what ``auto`` chose).

    Raises:
        ConfigError: `interval` is not day, week, month, year or auto.

    Example:
        >>> event_histogram(lambda query: [], EventFilter(), "week")
        []
    """
    if interval not in {*INTERVALS, "auto"}:
        raise ConfigError(f"interval must be day, week, month, year or auto, not {interval!r}")
    where = event_conditions(filters)
    where.add("e.span_first <> ''")
    # Explicit months and years are counted per prefix of the day; the rest per day (weeks and ``auto``
    # are summed from the days in one pass, so the filters are evaluated once).
    grouped = interval if interval in _PREFIX else "day"
    period = f"SUBSTR(e.span_first, 1, {_PREFIX.get(grouped, 10)})"
    sql = f"SELECT {period} AS period, e.type, COUNT(*) AS n {event_from(where)}{where.sql()}"
    rows = [
        (str(row["period"]), str(row["type"]), int(row["n"]))
        for row in fetch(Query(f"{sql} GROUP BY {period}, e.type", tuple(where.params)))
    ]
    if interval == "auto":
        days = [dt.date.fromisoformat(v) for v, _, _ in rows if _period_of(v, "day", "day")]
        interval = auto_interval(min(days), max(days)) if days else "day"
    totals: dict[tuple[str, str], int] = {}
    for value, kind, n in rows:
        key = _period_of(value, grouped, interval)
        if key is not None:  # else not a calendar day: skipped rather than guessed
            totals[key, kind] = totals.get((key, kind), 0) + n
    return [{"period": p, "type": t, "n": n, "interval": interval} for (p, t), n in sorted(totals.items())]


_PREFIX = {"month": 7, "year": 4}
_PREFIX_SHAPE = {"month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"), "year": re.compile(r"\d{4}")}


def _period_of(value: str, grouped: str, interval: str) -> str | None:
    """The period of `interval` that `value` falls in: a day, or with `grouped` month or year the day's
    prefix. None if `value` is not what it should be (not a calendar day, say)."""
    if grouped in _PREFIX_SHAPE:
        return value if _PREFIX_SHAPE[grouped].fullmatch(value) else None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    if interval == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    text = day.isoformat()
    return text[:7] if interval == "month" else text[:4] if interval == "year" else text


def event_count(fetch: Fetch, filters: EventFilter) -> int:
    """How many rows the event listing has for `filters` (every page together; ``limit`` and the cursor are
    ignored): happenings, or reports with ``mentions``.

    Example:
        >>> event_count(lambda query: [{"n": 3}], EventFilter())
        3
    """
    where = event_conditions(filters)
    rows = fetch(Query(f"SELECT COUNT(*) AS n {event_from(where)}{where.sql()}", tuple(where.params)))
    return int(rows[0]["n"]) if rows else 0


def event_places(fetch: Fetch, filters: EventFilter, top: int = 500) -> list[dict[str, Any]]:
    """The places with the most matching events, with coordinates: what a map draws.

    Returns:
        ``[{"place_id", "name", "country", "lat", "lon", "precision", "n"}]`` by ``n`` descending, at most
        `top` (capped at `MAX_TOP`); places without coordinates are left out.

    Example:
        >>> event_places(lambda query: [], EventFilter())
        []
    """
    where = event_conditions(filters)
    where.add("p.lat IS NOT NULL AND p.lon IS NOT NULL")
    sql = (
        "SELECT p.id AS place_id, p.name, p.country, p.lat, p.lon, p.precision, COUNT(*) AS n"
        f" {event_from(where)} JOIN places p ON p.id = e.place_id{where.sql()}"
        " GROUP BY p.id, p.name, p.country, p.lat, p.lon, p.precision ORDER BY n DESC, p.id LIMIT ?"
    )
    return [
        {**row, "n": int(row["n"]), "lat": float(row["lat"]), "lon": float(row["lon"])}
        for row in fetch(Query(sql, (*where.params, _top(top))))
    ]


def event_dyads(fetch: Fetch, filters: EventFilter, top: int = 200) -> list[dict[str, Any]]:
    """Actor-recipient pairs by how many matching events join them: what a network draws.

    A pair is keyed by each side's code when it has one, else its name; each event mention counts once per
    pair of its actors and recipients.

    Returns:
        ``[{"source", "source_name", "target", "target_name", "n"}]`` by ``n`` descending, at most `top`.

    Example:
        >>> event_dyads(lambda query: [], EventFilter())
        []
    """
    where = event_conditions(filters)
    source = "COALESCE(s.code, s.name, s.text)"
    target = "COALESCE(t.code, t.name, t.text)"
    sql = (
        f"SELECT {source} AS source, MIN(COALESCE(s.name, s.text)) AS source_name,"
        f" {target} AS target, MIN(COALESCE(t.name, t.text)) AS target_name, COUNT(*) AS n"
        f" {event_from(where)}"
        " JOIN event_actors s ON s.event_id = e.id AND s.role = 'actor'"
        " JOIN event_actors t ON t.event_id = e.id AND t.role = 'recipient'"
        f"{where.sql()} GROUP BY {source}, {target} ORDER BY n DESC, source, target LIMIT ?"
    )
    return [{**row, "n": int(row["n"])} for row in fetch(Query(sql, (*where.params, _top(top))))]
