"""A story's timeline: its happenings in date order, each with the reports behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsevents.store.queries import ArticleFilter, EventFilter, iter_all

if TYPE_CHECKING:
    from newsevents.store.base import Store

__all__ = ["story_timeline"]


def story_timeline(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story and its happenings in date order, each with its sources; None when there is no such story.

    Happenings are ordered by the first day they may fall on; one without a date of its own
    (``date_basis`` ``"report"``) is placed at its first report's date (published, else the earliest day its
    text allows), after the dated ones of that day.

    Returns:
        ``{"story": <stories listing object>, "happenings": [<events listing object> + "date_basis",
        "sources": [{"article_id", "title", "published", "sources", "factuality", "duplicate_of"}]]}``.

    Example:
        >>> from newsevents.store import SQLiteStore
        >>> with SQLiteStore(":memory:") as s:
        ...     story_timeline(s, "nope") is None
        True
    """
    story = store.get_story(story_id)
    if story is None:
        return None
    happenings = list(iter_all(store.list_events, EventFilter(story_id=story_id)))
    articles = {a["id"]: a for a in iter_all(store.list_articles, ArticleFilter(story_id=story_id))}

    def day_of(article_id: str) -> str:
        a = articles.get(article_id, {})
        return str(a.get("published") or a.get("published_earliest") or "")

    ordered = []
    for h in happenings:
        h["date_basis"] = "text" if h.get("date") else "report"
        h["sources"] = [
            {
                "article_id": m["article_id"],
                "title": articles.get(m["article_id"], {}).get("title"),
                "published": articles.get(m["article_id"], {}).get("published"),
                "published_earliest": articles.get(m["article_id"], {}).get("published_earliest"),
                "sources": articles.get(m["article_id"], {}).get("sources", []),
                "factuality": m["factuality"],
                "duplicate_of": m.get("duplicate_of"),
            }
            for m in h["mentions"]
        ]
        reported = sorted(d for m in h["mentions"] if (d := day_of(m["article_id"])))
        first = (h.get("date_first") if h["date_basis"] == "text" else None) or (
            reported[0] if reported else "9999"
        )
        ordered.append(((first, h["date_basis"] == "report", h["id"]), h))
    ordered.sort(key=lambda pair: pair[0])
    return {"story": story, "happenings": [h for _, h in ordered]}
