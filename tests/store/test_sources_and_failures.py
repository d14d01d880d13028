"""Article sources (one article seen in several places) and failure isolation in `save_result`."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsevents.contract import result_to_dict
from newsevents.errors import StoreError
from newsevents.model import Actor, ArticleResult, Place, ReasonCode, Rejected
from newsevents.pipeline import process
from newsevents.store import ArticleFilter, EventFilter, SQLiteStore
from tests.store.test_sqlite import ALL_TABLES, make_result


def from_source(result: ArticleResult, source: str, **changes: Any) -> ArticleResult:
    return dataclasses.replace(result, article=dataclasses.replace(result.article, source=source), **changes)


def table_counts(store: SQLiteStore) -> dict[str, int]:
    tables = (*ALL_TABLES, "article_sources")
    return {t: store._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SQLiteStore(tmp_path / "s.db") as s:
        yield s


# --- sources -------------------------------------------------------------------------------------------


def test_same_article_from_two_places_is_one_article_with_two_sources(store: SQLiteStore) -> None:
    result = make_result()
    assert store.save_result(from_source(result, "in/a.txt")) == "new"
    assert store.save_result(from_source(result, "copy/a.txt")) == "duplicate"
    assert store.counts()["articles"] == 1
    (article,) = store.list_articles(ArticleFilter())
    assert article["sources"] == ["in/a.txt", "copy/a.txt"]
    assert (article["duplicate_of"], article["story_id"]) == (None, None)
    assert {e["n_sources"] for e in store.list_events(EventFilter())} == {2}


def test_saving_from_the_same_place_again_adds_no_source(store: SQLiteStore) -> None:
    result = from_source(make_result(), "in/a.txt")
    store.save_result(result)
    store.save_result(result)
    assert store.list_articles(ArticleFilter())[0]["sources"] == ["in/a.txt"]


def test_an_updated_article_keeps_its_earlier_sources(store: SQLiteStore) -> None:
    store.save_result(from_source(make_result(), "in/a.txt"))
    edited = from_source(make_result(content_hash="hash-2", title="Edited"), "new/a.txt")
    assert store.save_result(edited) == "updated"
    (article,) = store.list_articles(ArticleFilter())
    assert article["sources"] == ["in/a.txt", "new/a.txt"]
    assert article["source"] == "new/a.txt"  # the source of the version stored
    assert store.get_article("art-1") == result_to_dict(edited)


# --- failure isolation ---------------------------------------------------------------------------------


def _duplicate_actor_result() -> ArticleResult:
    """A result the database must refuse: two actors with one id and the same mention."""
    base = make_result("art-bad")
    twin = Actor("actor-twin", "Twin", "USA", "person", mentions=((0, 9),))
    place = Place("place-new", "Nowhere", None, None, None, None, "unknown")
    return dataclasses.replace(base, actors=(twin, twin), places=(place,))


def test_a_failing_article_leaves_nothing_behind_and_the_store_goes_on(store: SQLiteStore) -> None:
    store.save_result(make_result("art-1"))
    before = table_counts(store)
    with pytest.raises(StoreError, match="art-bad"):
        store.save_result(_duplicate_actor_result())
    assert not store._conn.in_transaction
    assert table_counts(store) == before  # no article, item, actor, place or source of it
    assert store.get_article("art-bad") is None
    assert store.save_result(make_result("art-2")) == "new"
    assert store.counts()["articles"] == 2
    assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_successful_save_clears_earlier_internal_errors_of_that_article(store: SQLiteStore) -> None:
    store.save_rejection(Rejected("a.txt", "events.v1", ReasonCode.INTERNAL_ERROR, "KeyError: x", "art-1"))
    store.save_rejection(Rejected("a.txt", "store", ReasonCode.INTERNAL_ERROR, "IntegrityError", "art-1"))
    store.save_rejection(Rejected("a.txt", "clean", ReasonCode.EMPTY, "no text left", "art-1"))
    store.save_rejection(Rejected("b.txt", "events.v1", ReasonCode.INTERNAL_ERROR, "KeyError: y", "art-2"))
    store.save_result(make_result("art-1"))
    left = store._conn.execute("SELECT source, stage, reason FROM rejections ORDER BY source").fetchall()
    assert [tuple(row) for row in left] == [
        ("a.txt", "clean", "empty"),
        ("b.txt", "events.v1", "internal_error"),
    ]


def test_process_records_a_store_failure_and_a_retry_that_works_clears_it(store: SQLiteStore) -> None:
    bad = _duplicate_actor_result()
    summary = process([bad], store)
    assert summary.failed == 1
    (row,) = store._conn.execute("SELECT stage, reason, article_id, detail FROM rejections").fetchall()
    assert tuple(row)[:3] == ("store", "internal_error", "art-bad")
    assert "UNIQUE constraint failed" in row["detail"]
    fixed = dataclasses.replace(bad, actors=bad.actors[:1])
    assert process([fixed], store).counts["new"] == 1
    assert store.counts()["rejections"] == 0


def test_integrity_errors_do_not_poison_the_connection(tmp_path: Path) -> None:
    """Another connection can write after a refused save: no lock or transaction is left open."""
    path = tmp_path / "lock.db"
    with SQLiteStore(path, timeout=0.2) as s:
        with pytest.raises(StoreError):
            s.save_result(_duplicate_actor_result())
        other = sqlite3.connect(path, timeout=0.2)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()


# --- imports -------------------------------------------------------------------------------------------


def test_importing_the_store_does_not_import_spacy() -> None:
    code = "import newsevents.store, sys; assert not any(m.startswith('spacy') for m in sys.modules), 'spacy'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
