"""Exports of stored happenings: JSON Lines, PLOVER-style JSON Lines, CSV and TSV, streamed in flat memory.

Rows come from `Store.list_events` a page at a time (keyset cursor), so an export of any size holds one page.
Flat formats (CSV, TSV) have one row per happening (or per mention with ``mentions=True``) with the columns of
`FLAT_COLUMNS`; CAMEO codes stay zero-padded strings. CSV and TSV are spreadsheet-safe by default: a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that no
spreadsheet runs it as a formula (``raw=True`` turns this off); numeric columns (`NUMERIC_COLUMNS`) are left
as numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from newsevents.store.queries import MAX_LIMIT, EventFilter, next_cursor

if TYPE_CHECKING:
    from newsevents.store.base import Store

__all__ = [
    "FLAT_COLUMNS",
    "FORMATS",
    "NUMERIC_COLUMNS",
    "export_events",
    "flat_row",
    "iter_events",
    "plover_record",
    "safe_cell",
]

#: The formats `export_events` writes.
FORMATS = ("jsonl", "plover", "csv", "tsv")

#: The columns of a CSV/TSV export, in order.
FLAT_COLUMNS = (
    "happening_id",
    "event_id",
    "story_id",
    "date",
    "date_precision",
    "date_first",
    "date_last",
    "type",
    "mode",
    "cameo",
    "quad_class",
    "goldstein",
    "factuality",
    "happening_factuality",
    "actor_name",
    "actor_code",
    "recipient_name",
    "recipient_code",
    "place_name",
    "place_country",
    "lat",
    "lon",
    "n_mentions",
    "n_articles",
    "n_sources",
    "confidence",
    "trigger",
    "article_id",
    "article_title",
    "article_published",
    "article_source",
    "sentence",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns written as numbers (never escaped, so a negative Goldstein score stays a number).
NUMERIC_COLUMNS = frozenset(
    {"quad_class", "goldstein", "lat", "lon", "n_mentions", "n_articles", "n_sources", "confidence"}
)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading formula character is escaped with ``'``.

    Example:
        >>> safe_cell("=HYPERLINK(1)"), safe_cell("-0.5"), safe_cell("040")
        ("'=HYPERLINK(1)", "'-0.5", '040')
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def iter_events(store: Store, filters: EventFilter) -> Iterator[dict[str, Any]]:
    """Every happening (or mention) matching `filters`, page by page; `filters.limit` is the page size.

    Example:
        >>> from newsevents.store import SQLiteStore
        >>> with SQLiteStore(":memory:") as s:
        ...     list(iter_events(s, EventFilter()))
        []
    """
    page_filter = dataclasses.replace(filters, limit=MAX_LIMIT, offset=0)
    while True:
        rows = store.list_events(page_filter)
        yield from rows
        cursor = next_cursor(rows, page_filter)
        if cursor is None:
            return
        page_filter = dataclasses.replace(page_filter, after=cursor)


def _names(refs: list[dict[str, Any]] | None, key: str) -> str:
    return "; ".join(str(r.get(key) or (r.get("text") if key == "name" else "") or "") for r in refs or [])


def flat_row(event: dict[str, Any]) -> dict[str, Any]:
    """One listing object as a `FLAT_COLUMNS` row (None for what is unknown).

    Example:
        >>> row = flat_row({"id": "e1", "cameo": "040", "actors": [{"text": "he", "code": "USA"}]})
        >>> row["cameo"], row["actor_name"]
        ('040', 'he')
    """
    place = event.get("place") or {}
    return {
        "happening_id": event.get("happening_id"),
        "event_id": event.get("id"),
        "story_id": event.get("story_id"),
        "date": event.get("date"),
        "date_precision": event.get("date_precision"),
        "date_first": event.get("date_first"),
        "date_last": event.get("date_last"),
        "type": event.get("type"),
        "mode": event.get("mode"),
        "cameo": event.get("cameo"),
        "quad_class": event.get("quad_class"),
        "goldstein": event.get("goldstein"),
        "factuality": event.get("factuality"),
        "happening_factuality": event.get("happening_factuality"),
        "actor_name": _names(event.get("actors"), "name"),
        "actor_code": _names(event.get("actors"), "code"),
        "recipient_name": _names(event.get("recipients"), "name"),
        "recipient_code": _names(event.get("recipients"), "code"),
        "place_name": place.get("name"),
        "place_country": place.get("country"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "n_mentions": event.get("n_mentions"),
        "n_articles": event.get("n_articles"),
        "n_sources": event.get("n_sources"),
        "confidence": event.get("confidence"),
        "trigger": (event.get("trigger") or {}).get("text"),
        "article_id": event.get("article_id"),
        "article_title": event.get("article_title"),
        "article_published": event.get("article_published"),
        "article_source": event.get("article_source"),
        "sentence": " ".join(str(event.get("sentence_text") or "").split()),
    }


def _first(refs: list[dict[str, Any]] | None) -> dict[str, Any]:
    return (refs or [{}])[0]


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER-style record (the field names of the PLOVER event data format) for one listing object.

    ``actor``/``recipient`` are the first actor's and recipient's names, with their codes and countries (the
    first three letters of a CAMEO-style code); ``source_text`` is the sentence.

    Example:
        >>> plover_record({"id": "e1", "actors": [{"name": "Joe Biden", "code": "USAGOV"}]})["actor_country"]
        'USA'
    """
    actor, recipient = _first(event.get("actors")), _first(event.get("recipients"))
    place = event.get("place") or {}
    return {
        "id": event.get("happening_id") or event.get("id"),
        "date": event.get("date") or event.get("date_first"),
        "date_precision": event.get("date_precision"),
        "event_type": event.get("type"),
        "mode": event.get("mode"),
        "cameo": event.get("cameo"),
        "quad_class": event.get("quad_class"),
        "goldstein": event.get("goldstein"),
        "factuality": event.get("happening_factuality") or event.get("factuality"),
        "actor": actor.get("name") or actor.get("text"),
        "actor_code": actor.get("code"),
        "actor_country": (actor.get("code") or "")[:3] or None,
        "recipient": recipient.get("name") or recipient.get("text"),
        "recipient_code": recipient.get("code"),
        "recipient_country": (recipient.get("code") or "")[:3] or None,
        "location": place.get("name"),
        "country": place.get("country"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "source_text": " ".join(str(event.get("sentence_text") or "").split()),
        "story_id": event.get("story_id"),
        "n_mentions": event.get("n_mentions"),
        "n_sources": event.get("n_sources"),
        "article_ids": sorted({m["article_id"] for m in event.get("mentions") or []}),
    }


def export_events(store: Store, filters: EventFilter, fmt: str, out: IO[str], *, raw: bool = False) -> int:
    """Write every happening matching `filters` to `out` in `fmt`; return the number of rows written.

    Raises:
        ValueError: `fmt` is not one of `FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    n = 0
    if fmt in {"jsonl", "plover"}:
        for event in iter_events(store, filters):
            record = event if fmt == "jsonl" else plover_record(event)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    for event in iter_events(store, filters):
        row = flat_row(event)
        cells = ["" if row[c] is None else str(row[c]) for c in FLAT_COLUMNS]
        if not raw:
            cells = [
                c if col in NUMERIC_COLUMNS else safe_cell(c)
                for col, c in zip(FLAT_COLUMNS, cells, strict=True)
            ]
        writer.writerow(cells)
        n += 1
    return n
