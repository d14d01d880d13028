"""Store.stats: totals over the whole database in SQL, beyond any listing page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from newsevents.errors import ConfigError
from newsevents.model import ActorRef, Article, ArticleResult, Event, Span
from newsevents.store import SQLiteStore
from newsevents.store.queries import MAX_LIMIT

PER_ARTICLE = 260  # three articles: 780 events, more than a listing page of 500
WORD = "Talks. "


def _result(n: int, published: dt.date) -> ArticleResult:
    """Article `n`: PER_ARTICLE one-word events; Israel acts in every one, Egypt receives every third."""
    text = WORD * PER_ARTICLE
    events = []
    for i in range(PER_ARTICLE):
        at = len(WORD) * i
        trigger = Span(at, at + 5, "Talks")
        actors = (ActorRef("Talks", at, at + 5, "Israel", "ISR"),)
        recipients = (ActorRef("Talks", at, at + 5, "Egypt", "EGY"),) if i % 3 == 0 else ()
        events.append(
            Event(
                id=f"a{n}-e{i:03d}",
                type="CONSULT" if i % 2 else "ASSAULT",
                mode=None,
                cameo="040" if i % 2 else "190",
                actors=actors,
                recipients=recipients,
                factuality="asserted" if i % 4 else "negated",
                trigger=trigger,
                sentence=Span(at, at + 6, "Talks."),
                date=None if i else "2023-12",
            )
        )
    article = Article(id=f"a{n}", source=f"a{n}.txt", text=text, published=published, content_hash=f"h{n}")
    return ArticleResult(article, events=tuple(events), pipeline_version="test")


@pytest.fixture(scope="module")
def store() -> Iterator[SQLiteStore]:
    with SQLiteStore(":memory:") as s:
        for n, day in enumerate((dt.date(2024, 1, 5), dt.date(2024, 2, 1), dt.date(2024, 3, 9))):
            s.save_result(_result(n, day))
        s.save_result(ArticleResult(Article("a0", "copy/a0.txt", WORD * PER_ARTICLE, content_hash="h0"),
                                    pipeline_version="test"))  # fmt: skip
        yield s


def test_stats_counts_everything_not_a_page(store: SQLiteStore) -> None:
    stats = store.stats()
    total = 3 * PER_ARTICLE
    assert total > MAX_LIMIT
    assert stats["counts"] == store.counts()
    assert stats["counts"]["events"] == total
    assert sum(row["n"] for row in stats["events_by_type"]) == total


def test_stats_events_by_type_and_factuality(store: SQLiteStore) -> None:
    # Per article: even i ASSAULT (130), odd CONSULT (130); i % 4 == 0 negated (65, all even).
    assert store.stats()["events_by_type"] == [
        {"type": "ASSAULT", "factuality": "asserted", "n": 3 * 65},
        {"type": "ASSAULT", "factuality": "negated", "n": 3 * 65},
        {"type": "CONSULT", "factuality": "asserted", "n": 3 * 130},
    ]


def test_stats_top_actors_by_name_and_code(store: SQLiteStore) -> None:
    assert store.stats(top=1)["top_actors"] == [{"name": "Israel", "code": "ISR", "n": 3 * PER_ARTICLE}]
    assert store.stats()["top_actors"] == [
        {"name": "Israel", "code": "ISR", "n": 3 * PER_ARTICLE},
        {"name": "Egypt", "code": "EGY", "n": 3 * 87},  # i % 3 == 0 for i < 260: 87 events
    ]


def test_stats_articles_by_number_of_sources(store: SQLiteStore) -> None:
    assert store.stats()["articles_by_sources"] == [
        {"sources": 1, "articles": 2},
        {"sources": 2, "articles": 1},
    ]


def test_stats_event_date_range(store: SQLiteStore) -> None:
    # The first event of each article is dated "2023-12"; the others fall back to the published day.
    assert store.stats()["event_dates"] == {"first": "2023-12-01", "last": "2024-03-09"}


def test_stats_of_an_empty_store() -> None:
    with SQLiteStore(":memory:") as s:
        stats = s.stats()
    assert stats["events_by_type"] == stats["top_actors"] == stats["articles_by_sources"] == []
    assert stats["event_dates"] == {"first": None, "last": None}


def test_stats_top_must_be_positive(store: SQLiteStore) -> None:
    with pytest.raises(ConfigError, match="top"):
        store.stats(top=0)
