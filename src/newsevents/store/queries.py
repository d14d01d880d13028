"""Read queries behind the CLI and the HTTP API: filters in, portable SQL out, JSON-ready dicts back.

Every backend reuses these. Builders return a `Query` written with ``?`` (qmark) placeholders and nothing
backend-specific; a backend whose driver wants ``%s`` calls `Query.format_style` first. The ``list_*``
functions take a `Fetch` callable (run a query, return rows as dicts), so the SQL and the row-to-dict shaping
live here once and the backends only execute.

Matching is case-insensitive through ``LOWER(column) LIKE lowered-pattern`` (SQLite's built-in ``LOWER`` is
ASCII-only, so the SQLite backend registers a Unicode ``lower``). Results are ordered by date then id, both
ascending; undated rows sort first. Pagination is ``offset`` or the keyset cursor ``after`` (from
`next_cursor`), or both.

The event and quote listings print the contract's own object (stored as ``event_json``/``quote_json``) with
fields added, never renamed (CONTRACT.md, "Across articles"); `stats` totals the whole database in SQL.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from newsevents.errors import ConfigError

__all__ = [
    "DEFAULT_LIMIT",
    "MAIN_TABLES",
    "MAX_LIMIT",
    "ArticleFilter",
    "EventFilter",
    "Fetch",
    "PageFilter",
    "Query",
    "QuoteFilter",
    "article_query",
    "articles_query",
    "counts",
    "event_dicts",
    "events_query",
    "get_article",
    "iter_all",
    "list_articles",
    "list_events",
    "list_quotes",
    "next_cursor",
    "parse_dyad",
    "quotes_query",
    "stats",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The tables `counts` reports.
MAIN_TABLES: tuple[str, ...] = (
    "articles",
    "events",
    "quotes",
    "actors",
    "places",
    "rejections",
    "stories",
    "happenings",
)


@dataclass(frozen=True, slots=True)
class Query:
    """One SQL statement with ``?`` placeholders and its parameters."""

    sql: str
    params: tuple[Any, ...] = ()

    def format_style(self) -> Query:
        """The same query for drivers with the ``format`` paramstyle (psycopg): ``?`` -> ``%s``.

        Builders never put ``?`` or ``%`` in SQL literals (LIKE patterns are parameters), so this is exact.

        Returns:
            A new `Query` with ``%s`` placeholders and any literal ``%`` doubled.

        Example:
            >>> Query("SELECT x FROM t WHERE a = ? AND b LIKE ?", (1, "%z%")).format_style().sql
            'SELECT x FROM t WHERE a = %s AND b LIKE %s'
        """
        return Query(self.sql.replace("%", "%%").replace("?", "%s"), self.params)


#: Runs a `Query` and returns its rows as ``{column: value}`` dicts.
Fetch = Callable[[Query], list[dict[str, Any]]]


def _encode_cursor(sort_value: str, row_id: str) -> str:
    raw = json.dumps([sort_value, row_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error):
        value = None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ConfigError(f"invalid cursor {cursor!r}: pass the `next` cursor of a previous page unchanged")
    return value[0], value[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageFilter:
    """Filters every listing shares: an inclusive date range and a page.

    ``limit`` is capped at `MAX_LIMIT` (see `page_size`); a limit below 1, a negative offset or a malformed
    cursor raise `ConfigError`.
    """

    #: The result key holding the first sort value (the second is always ``id``).
    sort_field: ClassVar[str] = "published"

    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: str | None = None

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ConfigError(f"limit must be at least 1, got {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must be 0 or more, got {self.offset}")
        if self.after is not None:
            _decode_cursor(self.after)

    @property
    def page_size(self) -> int:
        """The number of rows asked for, capped at `MAX_LIMIT`."""
        return min(self.limit, MAX_LIMIT)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFilter(PageFilter):
    """Articles, by published date; `query` is a substring of the title or the text; `story_id` a story."""

    query: str | None = None
    story_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter(PageFilter):
    """Events, by event date (falling back to the article's published date).

    `actor` matches a substring of an actor's or recipient's name or text, or a prefix of its code; `type`
    is a PLOVER type and `factuality` a factuality value, both case-insensitive.
    """

    sort_field: ClassVar[str] = "date_first"

    actor: str | None = None
    #: Like `actor`, but only recipients (targets) match.
    recipient: str | None = None
    #: ``(actor, recipient)``: one mention with a matching actor (source) and a matching recipient (target).
    dyad: tuple[str, str] | None = None
    type: str | None = None
    factuality: str | None = None
    #: The place's ISO 3166 alpha-3 country code (case-insensitive), e.g. ``UKR``.
    country: str | None = None
    #: A substring of the place's name.
    place: str | None = None
    #: A substring of the article's source (path or URL).
    source: str | None = None
    #: A substring of the event's sentence or of its article's title (case-insensitive).
    query: str | None = None
    article_id: str | None = None
    story_id: str | None = None
    happening_id: str | None = None
    #: One row per event mention instead of one per happening.
    mentions: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteFilter(PageFilter):
    """Quotes, by the article's published date; `speaker` matches name/text substring or code prefix."""

    sort_field: ClassVar[str] = "article_published"

    speaker: str | None = None
    article_id: str | None = None


class _Where:
    """Accumulates AND-ed conditions and their parameters in order."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []
        #: The aliases of joined tables the conditions read (`event_from` joins only those).
        self.uses: set[str] = set()

    def add(self, clause: str, *params: Any, uses: str = "") -> None:
        """Add `clause` with its `params`; `uses` is the alias of a joined table it reads, if any."""
        self.clauses.append(clause)
        self.params.extend(params)
        if uses:
            self.uses.add(uses)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(term: str) -> str:
    """The LIKE pattern (escape ``\\``) of a case-insensitive substring match of `term`, stripped."""
    return f"%{_escape_like(term.strip().lower())}%"


def _name_match(term: str, text_columns: Sequence[str], code_column: str) -> tuple[str, list[str]]:
    """A condition: substring of any text column, or prefix of the code column, case-insensitively."""
    escaped = _escape_like(term.strip().lower())
    tests = [f"LOWER({column}) LIKE ? ESCAPE '\\'" for column in (*text_columns, code_column)]
    params = [f"%{escaped}%"] * len(text_columns) + [f"{escaped}%"]
    return "(" + " OR ".join(tests) + ")", params


def parse_dyad(text: str) -> tuple[str, str]:
    """``"ACTOR,RECIPIENT"`` as the `EventFilter.dyad` pair (each side stripped; a side may be empty).

    Raises:
        ConfigError: `text` does not hold exactly one comma.

    Example:
        >>> parse_dyad("USA, IRN")
        ('USA', 'IRN')
    """
    parts = text.split(",")
    if len(parts) != 2:
        raise ConfigError(f"dyad {text!r}: give ACTOR,RECIPIENT such as USA,IRN")
    return parts[0].strip(), parts[1].strip()


def _matching_mentions(sides: Sequence[tuple[str, str | None]]) -> tuple[str, list[str]]:
    """A subquery of the ids of event mentions with, for each ``(term, role)`` of `sides`, an actor
    reference in that role (any role if None) matching the term (an empty term: any mention)."""
    tables: list[str] = []
    conditions: list[str] = []
    params: list[str] = []
    for n, (term, role) in enumerate(sides):
        alias = f"r{n}"
        tables.append(
            f"event_actors {alias}"
            if n == 0
            else f"JOIN event_actors {alias} ON {alias}.event_id = r0.event_id"
        )
        if role:
            conditions.append(f"{alias}.role = ?")
            params.append(role)
        if term.strip():
            match, match_params = _name_match(term, (f"{alias}.name", f"{alias}.text"), f"{alias}.code")
            conditions.append(match)
            params.extend(match_params)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return f"SELECT r0.event_id FROM {' '.join(tables)}{where}", params


def _add_mentions(where: _Where, ids: str, params: list[str], mentions: bool) -> None:
    """Keep rows whose mention is one of `ids`, or (per happening) whose happening has one of them. The
    subquery is evaluated once (no correlated scan per row)."""
    if mentions:
        where.add(f"e.id IN ({ids})", *params)
        return
    where.add(
        f"COALESCE(e.happening_id, e.id) IN (SELECT COALESCE(m.happening_id, m.id) FROM events m"
        f" WHERE m.id IN ({ids}))",
        *params,
    )


def _add_page(where: _Where, filters: PageFilter, sort_expr: str, id_expr: str) -> str:
    """Add the keyset condition; return the ORDER BY/LIMIT/OFFSET tail (its parameters go last)."""
    if filters.after is not None:
        sort_value, row_id = _decode_cursor(filters.after)
        where.add(f"({sort_expr} > ? OR ({sort_expr} = ? AND {id_expr} > ?))", sort_value, sort_value, row_id)
    return f" ORDER BY {sort_expr}, {id_expr} LIMIT ? OFFSET ?"


def _finish(select: str, where: _Where, tail: str, filters: PageFilter) -> Query:
    return Query(select + where.sql() + tail, (*where.params, filters.page_size, filters.offset))


def articles_query(filters: ArticleFilter) -> Query:
    """Build the article listing query.

    Args:
        filters: what to list.

    Returns:
        A `Query` whose rows `list_articles` turns into dicts.

    Example:
        >>> articles_query(ArticleFilter(query="gaza")).params
        ('%gaza%', '%gaza%', 50, 0)
    """
    where = _Where()
    if filters.since is not None:
        where.add("a.published >= ?", filters.since.isoformat())
    if filters.until is not None:
        where.add("a.published <= ?", filters.until.isoformat())
    if filters.query and filters.query.strip():
        pattern = _contains(filters.query)
        where.add("(LOWER(a.title) LIKE ? ESCAPE '\\' OR LOWER(a.text) LIKE ? ESCAPE '\\')", pattern, pattern)
    if filters.story_id is not None:
        where.add("a.story_id = ?", filters.story_id)
    tail = _add_page(where, filters, "COALESCE(a.published, '')", "a.id")
    select = (
        "SELECT a.id, a.source, a.url, a.title, a.published, a.published_earliest, a.stored_at,"
        " a.duplicate_of, a.story_id,"
        " (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) AS event_count,"
        " (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quote_count"
        " FROM articles a"
    )
    return _finish(select, where, tail, filters)


def events_query(filters: EventFilter, *, paged: bool = True) -> Query:
    """Build the event listing query (actors, mentions and sentence texts are fetched by `list_events`).

    One row per happening (its representative mention; an event not linked yet is its own), or per mention
    with ``filters.mentions``. Date filters keep rows whose possible days (the happening's, else the
    event's ``date_first``..``date_last``) overlap the range; `actor` matches any mention of the happening.
    Rows come in the order of the ``events_listing`` index (``listed, span_first, id``), so a page reads
    only its own rows however many match.

    Args:
        filters: what to list.
        paged: False for every matching row in order (for streaming): no cursor, limit or offset.

    Returns:
        A `Query` whose rows `event_dicts` turns into dicts.

    Example:
        >>> "UPPER(e.type) = ?" in events_query(EventFilter(type="consult")).sql
        True
        >>> "LIMIT" in events_query(EventFilter(), paged=False).sql
        False
    """
    where = event_conditions(filters)
    tail = _add_page(where, filters, "e.span_first", "e.id") if paged else " ORDER BY e.span_first, e.id"
    select = (
        "SELECT e.id, e.article_id, e.event_json, NULLIF(e.span_first, '') AS date_first,"
        " NULLIF(e.span_last, '') AS date_last, e.factuality,"
        " e.trigger_text, e.trigger_start, e.trigger_end, e.sentence_start, e.sentence_end,"
        " e.happening_id, a.story_id, a.duplicate_of,"
        " h.factuality AS happening_factuality, h.n_mentions, h.n_articles, h.n_sources AS happening_sources,"
        " h.contradicts_json,"
        " a.title AS article_title, a.source AS article_source, a.published AS article_published,"
        " (SELECT COUNT(*) FROM article_sources s WHERE s.article_id = e.article_id) AS n_sources"
        " " + EVENT_FROM
    )
    if not paged:
        return Query(select + where.sql() + tail, tuple(where.params))
    return _finish(select, where, tail, filters)


#: The tables every event query reads: mention ``e``, its article ``a``, its happening ``h`` (if linked).
EVENT_FROM = (
    "FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN happenings h ON h.id = e.happening_id"
)


def event_from(where: _Where) -> str:
    """``FROM events e`` with only the joins of `EVENT_FROM` that `where` reads: what aggregates use, so
    that counting reads the events table (and its indexes) alone when it can."""
    joins = {
        "a": " JOIN articles a ON a.id = e.article_id",
        "h": " LEFT JOIN happenings h ON h.id = e.happening_id",
    }
    return "FROM events e" + "".join(sql for alias, sql in joins.items() if alias in where.uses)


def event_conditions(filters: EventFilter) -> _Where:
    """The WHERE conditions of `filters` over `EVENT_FROM` (no page condition): what the event listing and
    every event aggregate share. ``where.uses`` names the joined tables they read."""
    where = _Where()
    if not filters.mentions:
        where.add("e.listed = 1")
    if filters.since is not None:
        where.add("e.span_last >= ?", filters.since.isoformat())
    if filters.until is not None:
        where.add("e.span_first <> '' AND e.span_first <= ?", filters.until.isoformat())
    if filters.type and filters.type.strip():
        where.add("UPPER(e.type) = ?", filters.type.strip().upper())
    if filters.factuality and filters.factuality.strip():
        value = filters.factuality.strip().lower()
        if filters.mentions:
            where.add("LOWER(e.factuality) = ?", value)
        else:
            where.add("LOWER(COALESCE(h.factuality, e.factuality)) = ?", value, uses="h")
    if filters.article_id is not None:
        where.add("e.article_id = ?", filters.article_id)
    if filters.story_id is not None:
        where.add("a.story_id = ?", filters.story_id, uses="a")
    if filters.happening_id is not None:
        where.add("e.happening_id = ?", filters.happening_id)
    if filters.country and filters.country.strip():
        where.add("UPPER(e.place_country) = ?", filters.country.strip().upper())
    if filters.place and filters.place.strip():
        where.add("LOWER(e.place_name) LIKE ? ESCAPE '\\'", _contains(filters.place))
    if filters.source and filters.source.strip():
        where.add("LOWER(a.source) LIKE ? ESCAPE '\\'", _contains(filters.source), uses="a")
    terms = [(filters.actor, None), (filters.recipient, "recipient")]
    for term, role in terms:
        if term and term.strip():
            ids, params = _matching_mentions([(term, role)])
            _add_mentions(where, ids, params, filters.mentions)
    if filters.dyad is not None and any(t.strip() for t in filters.dyad):
        ids, params = _matching_mentions([(filters.dyad[0], "actor"), (filters.dyad[1], "recipient")])
        _add_mentions(where, ids, params, filters.mentions)
    if filters.query and filters.query.strip():
        sentence = "SUBSTR(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)"
        pattern = _contains(filters.query)
        where.add(
            f"(LOWER({sentence}) LIKE ? ESCAPE '\\' OR LOWER(a.title) LIKE ? ESCAPE '\\')",
            pattern,
            pattern,
            uses="a",
        )
    return where


def quotes_query(filters: QuoteFilter) -> Query:
    """Build the quote listing query.

    Args:
        filters: what to list.

    Returns:
        A `Query` whose rows `list_quotes` turns into dicts.

    Example:
        >>> quotes_query(QuoteFilter(speaker="Kirby")).params[:3]
        ('%kirby%', '%kirby%', 'kirby%')
    """
    where = _Where()
    if filters.since is not None:
        where.add("a.published >= ?", filters.since.isoformat())
    if filters.until is not None:
        where.add("a.published <= ?", filters.until.isoformat())
    if filters.speaker and filters.speaker.strip():
        match, params = _name_match(filters.speaker, ("q.speaker_name", "q.speaker_text"), "q.speaker_code")
        where.add(match, *params)
    if filters.article_id is not None:
        where.add("q.article_id = ?", filters.article_id)
    tail = _add_page(where, filters, "COALESCE(a.published, '')", "q.id")
    select = (
        "SELECT q.id, q.article_id, q.quote_json, a.title AS article_title,"
        " a.source AS article_source, a.published AS article_published"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
    )
    return _finish(select, where, tail, filters)


def article_query(article_id: str) -> Query:
    """Build the query for one article's stored contract JSON.

    Args:
        article_id: the article's id.

    Returns:
        A `Query` selecting ``result_json``.

    Example:
        >>> article_query("a1").params
        ('a1',)
    """
    return Query("SELECT result_json FROM articles WHERE id = ?", (article_id,))


def _in_list(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def list_articles(fetch: Fetch, filters: ArticleFilter) -> list[dict[str, Any]]:
    """List articles as dicts, with every source each was read from.

    Args:
        fetch: runs a query on the backend.
        filters: what to list.

    Returns:
        Dicts with ``id``, ``source`` (of the version stored), ``url``, ``title``, ``published``,
        ``published_earliest``, ``stored_at``, ``event_count``, ``quote_count``, ``sources`` (every place the
        same article was seen, first seen first), ``duplicate_of`` (the article this one is a near-copy of,
        set by `newsevents.link.link_store`, else null) and ``story_id`` (null until linked); ordered by
        published date then id.

    Example:
        >>> list_articles(lambda query: [], ArticleFilter())
        []
    """
    rows = fetch(articles_query(filters))
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    sources: dict[str, list[str]] = {}
    for source in fetch(
        Query(
            "SELECT article_id, source FROM article_sources WHERE "
            + _in_list("article_id", ids)
            + " ORDER BY article_id, first_seen, source",
            tuple(ids),
        )
    ):
        sources.setdefault(source["article_id"], []).append(source["source"])
    return [
        {
            **{k: v for k, v in row.items() if k not in {"duplicate_of", "story_id"}},
            "sources": sources.get(row["id"], []),
        }
        | {"duplicate_of": row.get("duplicate_of"), "story_id": row.get("story_id")}
        for row in rows
    ]


def _contract_item(stored: str | None, item_id: str) -> dict[str, Any]:
    """The stored contract object of an event or quote (just its id if a broken old row has none)."""
    item: dict[str, Any] = json.loads(stored) if stored else {"id": item_id}
    return item


def _with(contract: dict[str, Any], additions: dict[str, Any]) -> dict[str, Any]:
    """The contract object followed by `additions`; a contract field is never overwritten."""
    out = dict(contract)
    for key, value in additions.items():
        out.setdefault(key, value)
    return out


def list_events(fetch: Fetch, filters: EventFilter) -> list[dict[str, Any]]:
    """List happenings (or event mentions): each the contract's event object, plus how it links.

    Args:
        fetch: runs a query on the backend.
        filters: what to list.

    Returns:
        Per happening, every field of the contract's event (its representative mention's, as
        ``newsevents extract`` prints it) followed by ``article_id``, ``article_title``, ``article_source``,
        ``article_published``, ``date_first``/``date_last`` (the days it may fall on, used by the date
        filters), ``sentence_text``, and the cross-article fields: ``happening_id``, ``story_id``,
        ``happening_factuality`` (asserted when any mention asserts it), ``contradicts`` (negated and asserted
        happenings that disagree), ``n_mentions``, ``n_articles``, ``n_sources`` and ``mentions`` (every
        mention: ``article_id``, ``event_id``, ``trigger``, ``sentence``, ``factuality``, ``published``,
        ``duplicate_of``). An event not linked yet is its own happening (``happening_id`` null). Ordered by
        ``date_first`` then id.

    Example:
        >>> list_events(lambda query: [], EventFilter(actor="biden"))
        []
    """
    return event_dicts(fetch, fetch(events_query(filters)), filters)


def event_dicts(fetch: Fetch, rows: Sequence[dict[str, Any]], filters: EventFilter) -> list[dict[str, Any]]:
    """Turn rows of `events_query` into `list_events` dicts, fetching their mentions and sentence texts.

    Example:
        >>> event_dicts(lambda query: [], [], EventFilter())
        []
    """
    if not rows:
        return []
    happening_ids = sorted({row["happening_id"] for row in rows if row["happening_id"]})
    mentions: dict[str, list[dict[str, Any]]] = {}
    for hids in _chunks(happening_ids):
        for m in fetch(
            Query(
                "SELECT e.id, e.article_id, e.happening_id, e.factuality, e.trigger_text, e.trigger_start,"
                " e.trigger_end, e.sentence_start, e.sentence_end, a.published, a.duplicate_of"
                " FROM events e JOIN articles a ON a.id = e.article_id WHERE "
                + _in_list("e.happening_id", hids)
                + " ORDER BY COALESCE(a.published, ''), e.article_id, e.trigger_start",
                tuple(hids),
            )
        ):
            mentions.setdefault(m["happening_id"], []).append(_mention(m))
    # Sliced here rather than with SQL SUBSTR, which stops at a NUL character in SQLite.
    article_ids = sorted({row["article_id"] for row in rows})
    texts = {
        article["id"]: article["text"]
        for article in fetch(
            Query("SELECT id, text FROM articles WHERE " + _in_list("id", article_ids), tuple(article_ids))
        )
    }
    return [
        _event_dict(
            row, texts[row["article_id"]], None if filters.mentions else mentions.get(row["happening_id"])
        )
        for row in rows
    ]


def _chunks(values: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _mention(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "article_id": row["article_id"],
        "event_id": row["id"],
        "trigger": {"text": row["trigger_text"], "start": row["trigger_start"], "end": row["trigger_end"]},
        "sentence": {"start": row["sentence_start"], "end": row["sentence_end"]},
        "factuality": row["factuality"],
        "published": row.get("published", row.get("article_published")),
        "duplicate_of": row.get("duplicate_of"),
    }


def _event_dict(row: dict[str, Any], text: str, mentions: list[dict[str, Any]] | None) -> dict[str, Any]:
    linked = row["happening_id"] is not None and mentions is not None
    additions = {
        "article_id": row["article_id"],
        "article_title": row["article_title"],
        "article_source": row["article_source"],
        "article_published": row["article_published"],
        "date_first": row["date_first"],
        "date_last": row["date_last"],
        "sentence_text": text[row["sentence_start"] : row["sentence_end"]],
        "happening_id": row["happening_id"],
        "story_id": row["story_id"],
        "happening_factuality": row["happening_factuality"] or row["factuality"],
        "contradicts": json.loads(row["contradicts_json"]) if row["contradicts_json"] else [],
        "n_mentions": int(row["n_mentions"]) if linked else 1,
        "n_articles": int(row["n_articles"]) if linked else 1,
        "n_sources": int(row["happening_sources"]) if linked else row["n_sources"],
        "mentions": mentions if linked else [_mention(row)],
    }
    return _with(_contract_item(row["event_json"], row["id"]), additions)


def list_quotes(fetch: Fetch, filters: QuoteFilter) -> list[dict[str, Any]]:
    """List quotes: each the contract's quote object, plus its article.

    Args:
        fetch: runs a query on the backend.
        filters: what to list.

    Returns:
        Per quote, every field of the contract's quote followed by ``article_id``, ``article_title``,
        ``article_source`` and ``article_published``, ordered by the article's published date then id.

    Example:
        >>> list_quotes(lambda query: [], QuoteFilter(speaker="kirby"))
        []
    """
    return [
        _with(
            _contract_item(row["quote_json"], row["id"]),
            {
                "article_id": row["article_id"],
                "article_title": row["article_title"],
                "article_source": row["article_source"],
                "article_published": row["article_published"],
            },
        )
        for row in fetch(quotes_query(filters))
    ]


def get_article(fetch: Fetch, article_id: str) -> dict[str, Any] | None:
    """Fetch one article's full contract object, exactly as it was saved.

    Args:
        fetch: runs a query on the backend.
        article_id: the article's id.

    Returns:
        The ``result_to_dict`` object parsed back from JSON, or None when no such article is stored.

    Example:
        >>> get_article(lambda query: [], "missing") is None
        True
    """
    rows = fetch(article_query(article_id))
    if not rows:
        return None
    stored: dict[str, Any] = json.loads(rows[0]["result_json"])
    return stored


def counts(fetch: Fetch) -> dict[str, int]:
    """Rows per main table (`MAIN_TABLES`).

    Example:
        >>> counts(lambda query: [{"n": 0}])["events"]
        0
    """
    return {table: int(fetch(Query(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]) for table in MAIN_TABLES}


_EVENTS_BY_TYPE = Query(
    "SELECT type, factuality, COUNT(*) AS n FROM events GROUP BY type, factuality ORDER BY type, factuality"
)
_TOP_ACTORS = (
    "SELECT COALESCE(name, text) AS actor, code, COUNT(DISTINCT event_id) AS n FROM event_actors"
    " GROUP BY COALESCE(name, text), code ORDER BY n DESC, actor, code LIMIT ?"
)
_ARTICLES_BY_SOURCES = Query(
    "SELECT n_sources, COUNT(*) AS n FROM"
    " (SELECT a.id, (SELECT COUNT(*) FROM article_sources s WHERE s.article_id = a.id) AS n_sources"
    " FROM articles a) per_article GROUP BY n_sources ORDER BY n_sources"
)
_EVENT_DATES = Query("SELECT MIN(date_first) AS first_day, MAX(date_last) AS last_day FROM events")


def stats(fetch: Fetch, top: int = 10) -> dict[str, Any]:
    """Totals over everything stored, each computed in SQL (no page limit applies).

    Args:
        fetch: runs a query on the backend (inside one read transaction, for one snapshot).
        top: how many of the most active actors to return.

    Returns:
        ``counts`` (rows per main table), ``events_by_type`` (``[{"type", "factuality", "n"}]`` by type
        then factuality), ``top_actors`` (``[{"name", "code", "n"}]``: the name, else the mention text, and
        code of actors and recipients, by ``n``, the number of events they take part in),
        ``articles_by_sources`` (``[{"sources", "articles"}]``: how many articles were seen at 1, 2, ...
        sources) and
        ``event_dates`` (``{"first", "last"}``: the earliest and latest day any event may fall on).

    Raises:
        ConfigError: `top` is below 1.

    Example:
        >>> stats(lambda query: [], top=0)
        Traceback (most recent call last):
        ...
        newsevents.errors.ConfigError: top must be at least 1, got 0
    """
    if top < 1:
        raise ConfigError(f"top must be at least 1, got {top}")
    dates = fetch(_EVENT_DATES)
    return {
        "counts": counts(fetch),
        "events_by_type": [
            {"type": r["type"], "factuality": r["factuality"], "n": int(r["n"])}
            for r in fetch(_EVENTS_BY_TYPE)
        ],
        "top_actors": [
            {"name": r["actor"], "code": r["code"], "n": int(r["n"])}
            for r in fetch(Query(_TOP_ACTORS, (top,)))
        ],
        "articles_by_sources": [
            {"sources": int(r["n_sources"]), "articles": int(r["n"])} for r in fetch(_ARTICLES_BY_SOURCES)
        ],
        "event_dates": {
            "first": dates[0]["first_day"] if dates else None,
            "last": dates[0]["last_day"] if dates else None,
        },
    }


def next_cursor(rows: Sequence[dict[str, Any]], filters: PageFilter) -> str | None:
    """The cursor for the page after `rows`, or None when `rows` was the last page.

    Args:
        rows: a page returned by the ``list_*`` function for `filters`.
        filters: the filters that produced it.

    Returns:
        An opaque string to pass as ``after`` with otherwise equal filters, or None.

    Example:
        >>> next_cursor([], EventFilter()) is None
        True
    """
    if not rows or len(rows) < filters.page_size:
        return None
    last = rows[-1]
    return _encode_cursor(last[filters.sort_field] or "", last["id"])


P = TypeVar("P", bound=PageFilter)


def iter_all(list_page: Callable[[P], list[dict[str, Any]]], filters: P) -> Iterator[dict[str, Any]]:
    """Every row a listing matches, read `MAX_LIMIT` at a time with the keyset cursor (`filters.limit` and
    `filters.offset` are ignored).

    Args:
        list_page: a ``Store.list_*`` method.
        filters: its filters.

    Example:
        >>> list(iter_all(lambda f: [], EventFilter()))
        []
    """
    page = dataclasses.replace(filters, limit=MAX_LIMIT, offset=0)
    while True:
        rows = list_page(page)
        yield from rows
        cursor = next_cursor(rows, page)
        if cursor is None:
            return
        page = dataclasses.replace(page, after=cursor)
