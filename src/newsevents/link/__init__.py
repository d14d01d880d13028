"""Linking across stored articles: near-duplicate copies, stories, and happenings (event co-reference).

`link_store` reads everything a store holds (`newsevents.store.linking`), links it and writes the links back
in one transaction. The links are a function of the stored articles alone (`newsevents.link.copies`,
`newsevents.link.stories`, `newsevents.link.happenings` each define their order), so they are the same
however the articles were processed: in any order, in any batches, from any folder, re-run or not. A story or
happening id that a re-link replaces is recorded in ``link_changes`` (``merged_into`` / ``split_into``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents.link.copies import CopyInput, find_copies
from newsevents.link.happenings import ActorRef, EventInput, HappeningResult, find_happenings
from newsevents.link.stories import StoryInput, StoryParams, StoryResult, find_stories

if TYPE_CHECKING:
    from newsevents.store.base import Store
    from newsevents.store.linking import LinkInputs, LinkWrite

__all__ = [
    "CopyInput",
    "LinkSummary",
    "find_copies",
    "find_happenings",
    "find_stories",
    "id_changes",
    "link_store",
    "plan_links",
]


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What one `link_store` pass found."""

    articles: int
    copies: int
    stories: int
    linked_stories: int  # stories of more than one article
    happenings: int
    merged_happenings: int  # happenings of more than one mention
    changes: int


def _day(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _dating(date_source: str | None) -> str:
    source = date_source or ""
    if source.startswith("fallback"):
        return "article"
    if source.startswith("unknown"):
        return "background"
    return "text"


def id_changes(kind: str, old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Old ids that a re-link replaced: ``(kind, old id, "merged_into" | "split_into", new id)`` rows.

    An old id that still exists is not a change (its group may have grown or shrunk). One that is gone is
    ``merged_into`` the one new id that holds all its surviving members, or ``split_into`` each of several.

    Example:
        >>> id_changes("story", {"a": "s1", "b": "s1", "c": "s2"}, {"a": "s1", "b": "s1", "c": "s1"})
        [('story', 's2', 'merged_into', 's1')]
        >>> id_changes("story", {"a": "s0", "b": "s0"}, {"a": "s1", "b": "s2"})
        [('story', 's0', 'split_into', 's1'), ('story', 's0', 'split_into', 's2')]
    """
    alive = set(new.values())
    targets: dict[str, set[str]] = defaultdict(set)
    for member, old_id in old.items():
        if member in new:
            targets[old_id].add(new[member])
    out: list[tuple[str, str, str, str]] = []
    for old_id in sorted(targets):
        if old_id in alive:
            continue
        change = "merged_into" if len(targets[old_id]) == 1 else "split_into"
        out.extend((kind, old_id, change, new_id) for new_id in sorted(targets[old_id]))
    return out


def _event_inputs(
    rows: dict[str, list[dict[str, Any]]], copies: dict[str, str], published: dict[str, dt.date | None]
) -> list[EventInput]:
    refs: dict[tuple[str, str], list[ActorRef]] = defaultdict(list)
    for row in rows["actors"]:
        named = row["kind"] and row["kind"] != "unnamed" and row["name"]
        key = _fold(str(row["name"])) if named else None
        refs[(row["event_id"], row["role"])].append(
            ActorRef(key, row["code"] or None, row["kind"] == "country")
        )
    sources: dict[str, set[str]] = defaultdict(set)
    for row in rows["sources"]:
        sources[row["article_id"]].add(str(row["source"]))
    return [
        EventInput(
            id=row["id"],
            article_id=row["article_id"],
            type=row["type"],
            factuality=row["factuality"],
            first=_day(row["date_first"]),
            last=_day(row["date_last"]),
            dating=_dating(row["date_source"]),
            published=published.get(row["article_id"]),
            actors=tuple(refs.get((row["id"], "actor"), ())),
            recipients=tuple(refs.get((row["id"], "recipient"), ())),
            country=row["place_country"] or None,
            trigger_start=int(row["trigger_start"]),
            confidence=float(row["confidence"]),
            duplicate_of=copies.get(row["article_id"]),
            sources=frozenset(sources.get(row["article_id"], ())),
        )
        for row in rows["events"]
    ]


def _fold(name: str) -> str:
    from newsevents.kb.lexicon import fold

    return fold(name)


#: Reads pages of articles: each ``{"id", "text", "names": [(name, kind)], "places": [(id, precision)]}``.
Pages = Callable[[], Iterable[dict[str, Any]]]
#: Reads the events, their arguments and the sources of some articles (`Store.link_events`).
EventsOf = Callable[[Sequence[str]], dict[str, list[dict[str, Any]]]]


def plan_links(
    data: LinkInputs,
    pages: Pages,
    events_of: EventsOf,
    params: StoryParams | None = None,
    changed_at: str = "",
) -> tuple[LinkWrite, LinkSummary]:
    """Compute every link from what a store holds, reading it through `pages` and `events_of` only.

    Memory: the whole store is read as `data` (ids, titles, dates, current links) and as one MinHash
    signature and one cut TF-IDF vector per article; texts stream through `pages` (called four times: two
    passes for copies, two for stories) and events are read story by story.

    Args:
        data: `newsevents.store.linking.read_link_inputs` output.
        pages: `Store.link_pages`.
        events_of: `Store.link_events`.
        params: the story linker's settings.
        changed_at: the time to stamp id changes with (ISO 8601).

    Returns:
        What to write, and a summary.
    """
    from newsevents.store.linking import LinkWrite

    known = {a[0]: a for a in data.articles}
    published = {i: _day(a[2]) for i, a in known.items()}
    dates = {i: _day(a[2]) or _day(a[3]) for i, a in known.items()}

    def copy_inputs() -> Iterator[CopyInput]:
        return (CopyInput(p["id"], p["text"], dates.get(p["id"])) for p in pages() if p["id"] in known)

    copies = find_copies(copy_inputs)
    first_lines: dict[str, str] = {}  # a title for the untitled

    def story_inputs() -> Iterator[StoryInput]:
        for page in pages():
            i = page["id"]
            a = known.get(i)
            if a is None:  # stored after the snapshot: the next link takes it
                continue
            if not a[1] and i not in first_lines:
                first_lines[i] = (page["text"].strip().splitlines() or [""])[0][:200]
            yield StoryInput(
                id=i,
                text=page["text"],
                title=a[1],
                published=published[i],
                earliest=_day(a[3]),
                actors=frozenset(_fold(n) for n, kind in page["names"] if kind in {"person", "organization"}),
                places=frozenset(p for p, precision in page["places"] if precision != "country"),
                duplicate_of=copies.get(i),
            )

    stories = find_stories(story_inputs, params)
    link = LinkWrite(duplicates=copies, changed_at=changed_at)
    n_happenings = merged = 0
    for story in stories:
        rows = events_of(story.articles)
        happenings = find_happenings(_event_inputs(rows, copies, {a: dates.get(a) for a in story.articles}))
        n_happenings += len(happenings)
        merged += sum(h.n_mentions > 1 for h in happenings)
        seen = {str(r["source"]) for r in rows["sources"]}
        link.stories.append(_story_row(story, happenings, known, copies, len(seen), first_lines))
        for article in story.articles:
            link.story_of[article] = story.id
        for h in happenings:
            link.happenings.append(_happening_row(h, story))
            for mention in h.mentions:
                link.happening_of[mention] = h.id
    link.changes = id_changes("story", data.story_of, link.story_of) + id_changes(
        "happening", data.happening_of, link.happening_of
    )
    summary = LinkSummary(
        articles=len(data.articles),
        copies=len(copies),
        stories=len(stories),
        linked_stories=sum(len(s.articles) - sum(a in copies for a in s.articles) > 1 for s in stories),
        happenings=n_happenings,
        merged_happenings=merged,
        changes=len(link.changes),
    )
    return link, summary


def _story_row(
    story: StoryResult,
    happenings: list[HappeningResult],
    known: dict[str, tuple[str, str | None, str | None, str | None]],
    copies: dict[str, str],
    n_sources: int,
    first_lines: dict[str, str],
) -> dict[str, Any]:
    first = story.articles[0]
    return {
        "id": story.id,
        "title": known[first][1] or first_lines.get(first) or first,
        "articles": list(story.articles),
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "n_articles": sum(a not in copies for a in story.articles),
        "n_sources": n_sources,
        "n_events": len(happenings),
        "n_mentions": sum(h.n_mentions for h in happenings),
        "linked_by": list(story.linked_by),
    }


def _happening_row(h: HappeningResult, story: StoryResult) -> tuple[Any, ...]:
    """A `newsevents.store.linking.HAPPENING_COLUMNS` row."""
    return (
        h.id,
        story.id,
        h.representative,
        h.type,
        h.factuality,
        h.first.isoformat() if h.first else None,
        h.last.isoformat() if h.last else None,
        h.n_mentions,
        h.n_articles,
        h.n_sources,
        json.dumps(list(h.contradicts)),
    )


def link_store(store: Store, params: StoryParams | None = None) -> LinkSummary:
    """Link everything a store holds and record the links (replacing the previous ones).

    Returns:
        What was found.

    Example:
        >>> from newsevents.store import SQLiteStore
        >>> with SQLiteStore(":memory:") as store:
        ...     link_store(store).stories
        0
    """
    changed_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    link, summary = plan_links(store.link_inputs(), store.link_pages, store.link_events, params, changed_at)
    store.save_links(link)
    return summary
