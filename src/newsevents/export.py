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
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from newsevents.store.queries import EventFilter

if TYPE_CHECKING:
    from newsevents.store.base import Store

__all__ = [
    "FLAT_COLUMNS",
    "FORMATS",
    "GDELT_EVENT_COLUMNS",
    "GDELT_MENTION_COLUMNS",
    "NUMERIC_COLUMNS",
    "export_events",
    "flat_row",
    "gdelt_event_row",
    "gdelt_mention_rows",
    "iter_events",
    "plover_record",
    "safe_cell",
]

#: The formats `export_events` writes.
FORMATS = ("jsonl", "plover", "csv", "tsv", "gdelt-events", "gdelt-mentions", "parquet")

#: Formats written as bytes (the rest are text).
BINARY_FORMATS = frozenset({"parquet"})

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
    """Every happening (or mention) matching `filters`, streamed from one query (`Store.iter_events`).

    Example:
        >>> from newsevents.store import SQLiteStore
        >>> with SQLiteStore(":memory:") as s:
        ...     list(iter_events(s, EventFilter()))
        []
    """
    return store.iter_events(filters)


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


_INT_COLUMNS = frozenset({"quad_class", "n_mentions", "n_articles", "n_sources"})
_DATE_COLUMNS = frozenset({"date_first", "date_last", "article_published"})
#: Rows per Parquet row group: what the writer holds in memory at once.
PARQUET_ROW_GROUP = 10_000
_ARROW_BATCH = 1_000  # PARQUET_ROW_GROUP is a multiple of it


def parquet_schema() -> Any:
    """The Parquet schema of an export: the CSV columns, typed (CAMEO codes and ids stay strings).

    Integers are int32, scores and coordinates float64, the day bounds and the published day date32,
    everything else a UTF-8 string.
    """
    import pyarrow as pa

    def kind(column: str) -> Any:
        if column in _INT_COLUMNS:
            return pa.int32()
        if column in NUMERIC_COLUMNS:
            return pa.float64()
        if column in _DATE_COLUMNS:
            return pa.date32()
        return pa.string()

    return pa.schema([pa.field(c, kind(c)) for c in FLAT_COLUMNS])


def export_parquet(store: Store, filters: EventFilter, out: Any) -> int:
    """Write every happening matching `filters` as Parquet to `out` (a path or a binary file), a row group
    of `PARQUET_ROW_GROUP` rows at a time; return the number of rows written."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()

    def cell(column: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        if column in _DATE_COLUMNS:
            try:
                return dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                return None
        if column in _INT_COLUMNS:
            return int(value)
        if column in NUMERIC_COLUMNS:
            return float(value)
        return str(value)

    # Python values are turned into Arrow columns every `_ARROW_BATCH` rows (compact), and a row group of
    # `PARQUET_ROW_GROUP` rows is written from those batches: memory stays flat and small.
    n = 0
    rows: dict[str, list[Any]] = {c: [] for c in FLAT_COLUMNS}
    batches: list[Any] = []
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for event in iter_events(store, filters):
            row = flat_row(event)
            for c in FLAT_COLUMNS:
                rows[c].append(cell(c, row[c]))
            n += 1
            if n % _ARROW_BATCH == 0:
                batches.append(pa.record_batch(rows, schema=schema))
                rows = {c: [] for c in FLAT_COLUMNS}
            if n % PARQUET_ROW_GROUP == 0:
                writer.write_table(pa.Table.from_batches(batches, schema=schema))
                batches = []
        if rows[FLAT_COLUMNS[0]] or n == 0:
            batches.append(pa.record_batch(rows, schema=schema))
        if batches:
            writer.write_table(pa.Table.from_batches(batches, schema=schema))
    return n


def export_events(store: Store, filters: EventFilter, fmt: str, out: IO[str], *, raw: bool = False) -> int:
    """Write every happening matching `filters` to `out` in `fmt`; return the number of rows written.

    Raises:
        ValueError: `fmt` is not one of `FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in BINARY_FORMATS:
        raise ValueError(f"{fmt} is binary: use export_parquet with a path or a binary file")
    n = 0
    if fmt in {"jsonl", "plover"}:
        for event in iter_events(store, filters):
            record = event if fmt == "jsonl" else plover_record(event)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt.startswith("gdelt"):  # GDELT files have no header and no quoting: tabs and newlines become spaces
        for event in iter_events(store, filters):
            lines = [gdelt_event_row(event)] if fmt == "gdelt-events" else gdelt_mention_rows(event)
            for line in lines:
                out.write("\t".join(" ".join(cell.split()) for cell in line) + "\n")
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


_ACTOR_COLUMNS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_COLUMNS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: GDELT 2.0 event table columns, in GDELT's order (61).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR_COLUMNS),
    *(f"Actor2{c}" for c in _ACTOR_COLUMNS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO_COLUMNS),
    *(f"Actor2Geo_{c}" for c in _GEO_COLUMNS),
    *(f"ActionGeo_{c}" for c in _GEO_COLUMNS),
    "DATEADDED",
    "SOURCEURL",
)

#: GDELT 2.0 mentions table columns, in GDELT's order (16).
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)

#: The lead, for GDELT's IsRootEvent: an event whose sentence starts in the first this many characters.
LEAD_CHARS = 300


def _ymd(day: str | None) -> str:
    return day[:10].replace("-", "") if day and len(day) >= 10 and day[4] == "-" else ""


def _geo_type(precision: str | None, country: str | None) -> str:
    """GDELT's geo type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    if precision == "country":
        return "1"
    if precision == "admin1":
        return "2" if country == "USA" else "5"
    if precision:
        return "3" if country == "USA" else "4"
    return ""


def _actor_cells(ref: dict[str, Any]) -> list[str]:
    code = str(ref.get("code") or "")
    name = str(ref.get("name") or ref.get("text") or "")
    types = [code[i : i + 3] for i in range(3, min(len(code), 12), 3)]
    return [code, name.upper(), code[:3], "", "", "", "", *[*types, "", "", ""][:3]]


def gdelt_event_row(event: dict[str, Any]) -> list[str]:
    """One happening as a GDELT 2.0 event row (see the README for what each column holds).

    Example:
        >>> row = gdelt_event_row({"happening_id": "h1", "cameo": "042", "date_first": "2024-05-06",
        ...                        "actors": [{"name": "Joe Biden", "code": "USAGOV"}]})
        >>> dict(zip(GDELT_EVENT_COLUMNS, row))["EventRootCode"], row[1], row[5:8]
        ('04', '20240506', ['USAGOV', 'JOE BIDEN', 'USA'])
    """
    day = event.get("date_first") or event.get("article_published")
    ymd = _ymd(day)
    fraction = ""
    if ymd:
        import datetime as dt

        d = dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
        fraction = f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}"
    cameo = str(event.get("cameo") or "")
    place = event.get("place") or {}
    geo = [
        _geo_type(place.get("precision"), place.get("country")),
        str(place.get("name") or ""),
        str(place.get("country") or ""),
        "",
        "",
        "" if place.get("lat") is None else str(place["lat"]),
        "" if place.get("lon") is None else str(place["lon"]),
        "" if place.get("geonameid") is None else str(place["geonameid"]),
    ]
    sentence = event.get("sentence") or {}
    return [
        str(event.get("happening_id") or event.get("id") or ""),
        ymd,
        ymd[:6],
        ymd[:4],
        fraction,
        *_actor_cells(_first(event.get("actors"))),
        *_actor_cells(_first(event.get("recipients"))),
        "1" if int(sentence.get("start", LEAD_CHARS)) < LEAD_CHARS else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        "" if event.get("quad_class") is None else str(event["quad_class"]),
        "" if event.get("goldstein") is None else str(event["goldstein"]),
        str(event.get("n_mentions") or 1),
        str(event.get("n_sources") or 1),
        str(event.get("n_articles") or 1),
        "",
        *([""] * 8),
        *([""] * 8),
        *geo,
        _ymd(event.get("article_published")),
        str(event.get("article_source") or ""),
    ]


def gdelt_mention_rows(event: dict[str, Any]) -> list[list[str]]:
    """One GDELT 2.0 mentions row per report of a happening."""
    day = _ymd(event.get("date_first"))
    out = []
    for m in event.get("mentions") or []:
        out.append(
            [
                str(event.get("happening_id") or event.get("id") or ""),
                day + "000000" if day else "",
                (_ymd(m.get("published")) + "000000") if _ymd(m.get("published")) else "",
                "1",
                str(event.get("article_source") or "") if m["article_id"] == event.get("article_id") else "",
                str(m["article_id"]),
                "",
                "-1",
                "-1",
                str((m.get("trigger") or {}).get("start", "")),
                "1",
                str(round(100 * float(event.get("confidence") or 0))),
                "",
                "",
                "",
                json.dumps({"event_id": m["event_id"], "factuality": m["factuality"]}),
            ]
        )
    return out
