"""What linking reads from a store and writes back, and the story listings: portable SQL over a `Fetch`.

`newsevents.link.link_store` reads `link_inputs` (article texts in pages, so the caller holds one page at a
time; names, places and events as compact rows), computes copies, stories and happenings, and hands
`LinkWrite` to the backend, which runs `link_write_statements` in one transaction. Listings of stories and
timelines live here too, next to the tables they read (see `newsevents.store.migrations`, ``0006_stories``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsevents.store.migrations import REFRESH_EVENT_LISTING
from newsevents.store.queries import (
    Fetch,
    PageFilter,
    Query,
    _add_page,
    _chunks,
    _contains,
    _finish,
    _in_list,
    _Where,
)

__all__ = [
    "HAPPENING_COLUMNS",
    "LinkInputs",
    "LinkWrite",
    "StoryFilter",
    "get_story",
    "link_events",
    "link_page",
    "link_state",
    "link_write_statements",
    "links_stale",
    "list_stories",
    "read_link_inputs",
    "story_changes",
]

_PAGE = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFilter(PageFilter):
    """Stories, by their first day; `query` is a substring of the title; `article_id` the story of one."""

    sort_field = "first"

    query: str | None = None
    article_id: str | None = None


@dataclass(slots=True)
class LinkInputs:
    """What linking reads of the whole store at once: each article's ``(id, title, published,
    published_earliest)`` and the links stored now. Texts, names and places come page by page
    (`link_page`), events story by story (`link_events`), so memory does not grow with them."""

    articles: list[tuple[str, str | None, str | None, str | None]]
    story_of: dict[str, str]
    happening_of: dict[str, str]


def read_link_inputs(fetch: Fetch) -> LinkInputs:
    """Read `LinkInputs` (call it inside one read transaction)."""
    story_of, happening_of = link_state(fetch)
    rows = fetch(Query("SELECT id, title, published, published_earliest FROM articles ORDER BY id"))
    return LinkInputs(
        articles=[(r["id"], r["title"], r["published"], r["published_earliest"]) for r in rows],
        story_of=story_of,
        happening_of=happening_of,
    )


@dataclass(slots=True)
class LinkWrite:
    """Everything one linking pass writes (it replaces the previous links as a whole).

    `stories` rows are dicts (few); `happenings` rows are tuples in `HAPPENING_COLUMNS` order (many).
    """

    duplicates: dict[str, str] = field(default_factory=dict)
    story_of: dict[str, str] = field(default_factory=dict)
    happening_of: dict[str, str] = field(default_factory=dict)
    stories: list[dict[str, Any]] = field(default_factory=list)
    happenings: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, old, change, new
    changed_at: str = ""


#: The order of a `LinkWrite.happenings` row.
HAPPENING_COLUMNS = (
    "id",
    "story_id",
    "event_id",
    "type",
    "factuality",
    "date_first",
    "date_last",
    "n_mentions",
    "n_articles",
    "n_sources",
    "contradicts_json",
)


def link_page(fetch: Fetch, after: str, page: int = _PAGE) -> list[dict[str, Any]]:
    """The next `page` articles after the id `after` (ordered by id): ``id``, ``text``, ``names`` (the
    ``(name, kind)`` of each named actor mentioned) and ``places`` (``(place id, precision)``)."""
    rows = fetch(Query("SELECT id, text FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after, page)))
    if not rows:
        return []
    ids = [str(r["id"]) for r in rows]
    names: dict[str, list[tuple[str, str]]] = {}
    for r in fetch(
        Query(
            "SELECT DISTINCT m.article_id, a.name, a.kind FROM actor_mentions m"
            " JOIN actors a ON a.id = m.actor_id WHERE a.kind <> 'unnamed' AND "
            + _in_list("m.article_id", ids)
            + " ORDER BY m.article_id, a.name, a.kind",
            tuple(ids),
        )
    ):
        names.setdefault(r["article_id"], []).append((str(r["name"]), str(r["kind"])))
    places: dict[str, list[tuple[str, str]]] = {}
    for r in fetch(
        Query(
            "SELECT DISTINCT m.article_id, m.place_id, p.precision FROM place_mentions m"
            " JOIN places p ON p.id = m.place_id WHERE "
            + _in_list("m.article_id", ids)
            + " ORDER BY m.article_id, m.place_id",
            tuple(ids),
        )
    ):
        places.setdefault(r["article_id"], []).append((str(r["place_id"]), str(r["precision"])))
    return [
        {"id": i, "text": str(r["text"]), "names": names.get(i, []), "places": places.get(i, [])}
        for i, r in zip(ids, rows, strict=True)
    ]


def link_events(fetch: Fetch, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The events of some articles with what happening linking needs: ``events`` (their columns),
    ``actors`` (``event_id``, ``role``, ``code``, ``kind``, ``name`` of each argument, in order) and
    ``sources`` (``article_id``, ``source``)."""
    out: dict[str, list[dict[str, Any]]] = {"events": [], "actors": [], "sources": []}
    for chunk in _chunks(article_ids, _PAGE):
        ids = tuple(chunk)
        events = fetch(
            Query(
                "SELECT id, article_id, type, factuality, date_first, date_last, date_source, place_country,"
                " trigger_start, confidence FROM events WHERE "
                + _in_list("article_id", ids)
                + " ORDER BY article_id, trigger_start, id",
                ids,
            )
        )
        out["events"] += events
        out["actors"] += fetch(
            Query(
                "SELECT ea.event_id, ea.role, ea.code, a.kind, a.name FROM event_actors ea"
                " JOIN events e ON e.id = ea.event_id LEFT JOIN actors a ON a.id = ea.actor_id WHERE "
                + _in_list("e.article_id", ids)
                + " ORDER BY ea.event_id, ea.role, ea.ordinal",
                ids,
            )
        )
        out["sources"] += fetch(
            Query(
                "SELECT article_id, source FROM article_sources WHERE "
                + _in_list("article_id", ids)
                + " ORDER BY article_id, source",
                ids,
            )
        )
    return out


def link_state(fetch: Fetch) -> tuple[dict[str, str], dict[str, str]]:
    """The links stored now: ``({article id: story id}, {event id: happening id})``."""
    stories = {
        str(r["id"]): str(r["story_id"])
        for r in fetch(Query("SELECT id, story_id FROM articles WHERE story_id IS NOT NULL"))
    }
    happenings = {
        str(r["id"]): str(r["happening_id"])
        for r in fetch(Query("SELECT id, happening_id FROM events WHERE happening_id IS NOT NULL"))
    }
    return stories, happenings


def links_stale(fetch: Fetch) -> bool:
    """Whether some article or event has no story or happening yet: stored after the last link.

    Example:
        >>> links_stale(lambda query: [])
        False
    """
    rows = fetch(
        Query(
            "SELECT 1 AS x FROM articles WHERE story_id IS NULL"
            " UNION ALL SELECT 1 AS x FROM events WHERE happening_id IS NULL LIMIT 1"
        )
    )
    return bool(rows)


def link_write_statements(link: LinkWrite) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The statements (each with its parameter rows) that replace every link by `link`, in order.

    Example:
        >>> [sql.split()[0] for sql, _ in link_write_statements(LinkWrite())][:3]
        ['UPDATE', 'UPDATE', 'UPDATE']
    """
    out: list[tuple[str, list[tuple[Any, ...]]]] = [
        ("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL", [()]),
        ("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL", [()]),
        ("UPDATE events SET happening_id = NULL WHERE happening_id IS NOT NULL", [()]),
        ("DELETE FROM stories", [()]),
        ("DELETE FROM happenings", [()]),
        (
            "UPDATE articles SET duplicate_of = ? WHERE id = ?",
            [(canonical, copy) for copy, canonical in sorted(link.duplicates.items())],
        ),
        (
            "UPDATE articles SET story_id = ? WHERE id = ?",
            [(story, article) for article, story in sorted(link.story_of.items())],
        ),
        (
            "UPDATE events SET happening_id = ? WHERE id = ?",
            [(happening, event) for event, happening in sorted(link.happening_of.items())],
        ),
    ]
    story_columns = (
        "id, title, first_day, last_day, n_articles, n_sources, n_events, n_mentions, linked_by_json,"
        " articles_json"
    )
    out.append(
        (
            f"INSERT INTO stories ({story_columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    s["id"],
                    s["title"],
                    s["first"],
                    s["last"],
                    s["n_articles"],
                    s["n_sources"],
                    s["n_events"],
                    s["n_mentions"],
                    json.dumps(s["linked_by"]),
                    json.dumps(s["articles"]),
                )
                for s in link.stories
            ],
        )
    )
    placeholders = ", ".join("?" for _ in HAPPENING_COLUMNS)
    out.append(
        (
            f"INSERT INTO happenings ({', '.join(HAPPENING_COLUMNS)}) VALUES ({placeholders})",
            list(link.happenings),
        )
    )
    out.append((REFRESH_EVENT_LISTING, [()]))
    out.append(
        (
            "INSERT INTO link_changes (changed_at, kind, old_id, change, new_id) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, old_id, new_id, changed_at) DO NOTHING",
            [(link.changed_at, *change) for change in link.changes],
        )
    )
    return [(sql, params) for sql, params in out if params]


def _story_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "articles": json.loads(row["articles_json"]),
        "first": row["first_day"],
        "last": row["last_day"],
        "n_articles": int(row["n_articles"]),
        "n_events": int(row["n_events"]),
        "n_mentions": int(row["n_mentions"]),
        "n_sources": int(row["n_sources"]),
        "linked_by": json.loads(row["linked_by_json"]),
    }


_STORY_SELECT = (
    "SELECT s.id, s.title, s.first_day, s.last_day, s.first_day AS first, s.n_articles, s.n_sources,"
    " s.n_events,"
    " s.n_mentions, s.linked_by_json, s.articles_json FROM stories s"
)


def list_stories(fetch: Fetch, filters: StoryFilter) -> list[dict[str, Any]]:
    """List stories in the contract's shape (CONTRACT.md, "Across articles"), first day first.

    Returns:
        Dicts with ``id``, ``title`` (its first article's), ``articles`` (ids, first first), ``first``/
        ``last`` (its articles' first and last dates), ``n_articles``, ``n_events`` (its happenings),
        ``n_mentions`` (event mentions, copies not counted), ``n_sources`` and ``linked_by``.

    Example:
        >>> list_stories(lambda query: [], StoryFilter(query="quake"))
        []
    """
    where = _Where()
    if filters.since is not None:
        where.add("s.last_day >= ?", filters.since.isoformat())
    if filters.until is not None:
        where.add("s.first_day <= ?", filters.until.isoformat())
    if filters.query and filters.query.strip():
        where.add("LOWER(s.title) LIKE ? ESCAPE '\\'", _contains(filters.query))
    if filters.article_id is not None:
        where.add("s.id = (SELECT a.story_id FROM articles a WHERE a.id = ?)", filters.article_id)
    tail = _add_page(where, filters, "COALESCE(s.first_day, '')", "s.id")
    return [_story_dict(row) for row in fetch(_finish(_STORY_SELECT, where, tail, filters))]


def story_changes(fetch: Fetch, old_id: str) -> list[dict[str, Any]]:
    """What became of a story or happening id that a re-link replaced (latest change first).

    Example:
        >>> story_changes(lambda query: [], "gone")
        []
    """
    rows = fetch(
        Query(
            "SELECT changed_at, kind, old_id, change, new_id FROM link_changes WHERE old_id = ?"
            " ORDER BY changed_at DESC, new_id",
            (old_id,),
        )
    )
    if not rows:
        return []
    latest = rows[0]["changed_at"]
    return [row for row in rows if row["changed_at"] == latest]


def get_story(fetch: Fetch, story_id: str) -> dict[str, Any] | None:
    """One story in the listing's shape, or None."""
    rows = fetch(Query(_STORY_SELECT + " WHERE s.id = ?", (story_id,)))
    return _story_dict(rows[0]) if rows else None
