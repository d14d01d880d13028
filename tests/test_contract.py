"""One record shape: the store's event and quote listings carry the contract objects, field for field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsevents.contract import result_to_dict
from newsevents.ingest import read_inputs
from newsevents.model import ArticleResult
from newsevents.pipeline import run_batch
from newsevents.store import EventFilter, QuoteFilter, SQLiteStore
from newsevents.store.queries import MAX_LIMIT
from tests.store.test_sqlite import make_result

EVENT_ADDITIONS = {
    "article_id",
    "article_title",
    "article_source",
    "article_published",
    "date_first",
    "date_last",
    "sentence_text",
    "happening_id",
    "story_id",
    "happening_factuality",
    "contradicts",
    "n_mentions",
    "n_articles",
    "n_sources",
    "mentions",
}
QUOTE_ADDITIONS = {"article_id", "article_title", "article_source", "article_published"}


def _as_printed(value: Any) -> Any:
    """What `newsevents extract` prints, read back: the contract object through JSON."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def assert_listings_carry_the_contract(results: list[ArticleResult]) -> int:
    """Save `results`, then check every contract event and quote against its listing row; return the count."""
    checked = 0
    with SQLiteStore(":memory:") as store:
        for result in results:
            store.save_result(result)
        for result in results:
            contract = _as_printed(result_to_dict(result))
            article = contract["article"]
            events = store.list_events(EventFilter(article_id=article["id"], limit=MAX_LIMIT))
            quotes = store.list_quotes(QuoteFilter(article_id=article["id"], limit=MAX_LIMIT))
            rows = {row["id"]: row for row in events}
            assert len(rows) == len(contract["events"])
            for event in contract["events"]:
                row = rows[event["id"]]
                assert {key: row[key] for key in event} == event  # every key, the same value
                assert set(row) == set(event) | EVENT_ADDITIONS  # additions only
                assert row["article_id"] == article["id"]
                assert (
                    row["sentence_text"]
                    == article["text"][event["sentence"]["start"] : event["sentence"]["end"]]
                )
                checked += 1
            quote_rows = {row["id"]: row for row in quotes}
            assert len(quote_rows) == len(contract["quotes"])
            for quote in contract["quotes"]:
                row = quote_rows[quote["id"]]
                assert {key: row[key] for key in quote} == quote
                assert set(row) == set(quote) | QUOTE_ADDITIONS
                checked += 1
        _assert_linked_listings(store, results)
    return checked


def _assert_linked_listings(store: SQLiteStore, results: list[ArticleResult]) -> None:
    """After linking: each event is a mention of exactly one listed happening, and still listed on its own."""
    from newsevents.link import link_store

    link_store(store)
    event_ids = {e.id for r in results for e in r.events}
    happenings = store.list_events(EventFilter(limit=MAX_LIMIT))
    mentioned = [m["event_id"] for h in happenings for m in h["mentions"]]
    assert sorted(mentioned) == sorted(event_ids)  # each mention once, none lost
    for h in happenings:
        assert h["happening_id"] and h["story_id"] and h["n_mentions"] >= 1
        assert h["id"] in {m["event_id"] for m in h["mentions"]}  # the representative is one of them
    per_mention = store.list_events(EventFilter(limit=MAX_LIMIT, mentions=True))
    assert {row["id"] for row in per_mention} == event_ids


def test_listings_carry_the_contract_for_a_hand_built_result() -> None:
    assert assert_listings_carry_the_contract([make_result("art-1"), make_result("art-2")]) == 6


@pytest.mark.model
def test_listings_carry_the_contract_for_the_samples(nlp: Any, samples_dir: Path) -> None:
    results = [r for r in run_batch(read_inputs([str(samples_dir)]), nlp) if isinstance(r, ArticleResult)]
    assert len(results) == 2
    assert sum(len(r.events) for r in results) > 0 and sum(len(r.quotes) for r in results) > 0
    assert assert_listings_carry_the_contract(results) == sum(len(r.events) + len(r.quotes) for r in results)
