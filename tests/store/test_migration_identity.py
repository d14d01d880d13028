"""Migration 0004_identity: a 0001-0003 database with path-based article ids, carried over to the new ids."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsevents.clean import hash_content
from newsevents.ids import article_id, stable_hash
from newsevents.store import ArticleFilter, EventFilter, QuoteFilter, SQLiteStore
from newsevents.store import migrations as migrations_module

TEXT = "Israel and Egypt held talks in Cairo. Kirby said “we oppose it”."
OTHER = "Protesters marched in Paris on Saturday."
HASH, OTHER_HASH = hash_content(TEXT), hash_content(OTHER)
# Old ids hashed the absolute path: the same text read from two folders was two articles.
OLD_A1 = stable_hash("file:/data/in/a.txt")
OLD_A2 = stable_hash("file:/data/copy/a.txt")
OLD_B = stable_hash("file:/data/in/b.jsonl:3")
URL = "https://example.org/news/1"
URL_ID = article_id(url=URL)


def insert(conn: sqlite3.Connection, table: str, **columns: Any) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(columns.values()))


def old_article(
    conn: sqlite3.Connection, old_id: str, source: str, text: str, stored_at: str, **extra: Any
) -> None:
    """An article row as 0001-0003 stored it, with a contract JSON naming its old id and one event."""
    url = extra.pop("url", None)
    content_hash = extra.pop("content_hash", hash_content(text))
    event = {
        "id": f"{old_id}-ev",
        "type": "CONSULT",
        "trigger": {"text": "held talks", "start": 17, "end": 27},
    }
    quote = {"id": f"{old_id}-q", "text": "we oppose it", "kind": "direct"}
    contract = {
        "schema_version": 1,
        "article": {"id": old_id, "source": source},
        "events": [event],
        "quotes": [quote],
    }
    insert(
        conn,
        "articles",
        id=old_id,
        source=source,
        url=url,
        text=text,
        removed_json="[]",
        content_hash=content_hash,
        pipeline_version="newsevents 0.1.0",
        result_json=json.dumps(contract, separators=(",", ":")),
        stored_at=stored_at,
    )
    insert(
        conn,
        "events",
        id=f"{old_id}-ev",
        article_id=old_id,
        type="CONSULT",
        cameo="040",
        factuality="asserted",
        date_precision="unknown",
        date_source="unknown",
        trigger_start=17,
        trigger_end=27,
        trigger_text="held talks",
        sentence_start=0,
        sentence_end=36,
        confidence=0.5,
        evidence="events.v1",
    )
    insert(
        conn,
        "event_actors",
        event_id=f"{old_id}-ev",
        role="actor",
        ordinal=0,
        actor_id="actor-isr",
        text="Israel",
        name="Israel",
        code="ISR",
        start_char=0,
        end_char=6,
    )
    insert(
        conn,
        "quotes",
        id=f"{old_id}-q",
        article_id=old_id,
        text="we oppose it",
        start_char=49,
        end_char=61,
        kind="direct",
        confidence=0.5,
        evidence="quotes.v1",
    )
    insert(
        conn,
        "positions",
        article_id=old_id,
        ordinal=0,
        holder_text="Kirby",
        holder_start=37,
        holder_end=42,
        stance="opposes",
        target="it",
        evidence_start=37,
        evidence_end=62,
    )
    insert(
        conn, "actor_mentions", article_id=old_id, actor_id="actor-isr", ordinal=0, start_char=0, end_char=6
    )
    insert(
        conn,
        "place_mentions",
        article_id=old_id,
        place_id="place-cairo",
        ordinal=0,
        start_char=31,
        end_char=36,
    )
    insert(
        conn,
        "times",
        article_id=old_id,
        ordinal=0,
        start_char=0,
        end_char=6,
        text="Israel",
        precision="unknown",
        relative=0,
    )


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database at 0003 holding the same text from two folders, another text, and an article with a URL."""
    path = tmp_path / "old.db"
    before = tuple(m for m in migrations_module.MIGRATIONS if m.name < "0004")
    with monkeypatch.context() as m:
        m.setattr(migrations_module, "MIGRATIONS", before)
        with SQLiteStore(path) as s:
            assert s.applied_migrations() == ["0001_initial", "0002_event_coding", "0003_place_confidence"]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        insert(conn, "actors", id="actor-isr", name="Israel", code="ISR", kind="country")
        insert(conn, "places", id="place-cairo", name="Cairo", country="EGY", precision="city")
        old_article(conn, OLD_A2, "/data/copy/a.txt", TEXT, "2024-05-02T00:00:00+00:00")
        old_article(conn, OLD_A1, "/data/in/a.txt", TEXT, "2024-05-01T00:00:00+00:00")
        old_article(conn, OLD_B, "/data/in/b.jsonl:3", OTHER, "2024-05-03T00:00:00+00:00")
        old_article(conn, URL_ID, "/data/in/c.html", OTHER + " More.", "2024-05-04T00:00:00+00:00", url=URL)
        insert(
            conn,
            "rejections",
            source="/data/copy/a.txt",
            stage="store",
            reason="internal_error",
            detail="IntegrityError: boom",
            article_id=OLD_A2,
            seen_count=1,
            first_seen="2024-05-02T00:00:00+00:00",
            last_seen="2024-05-02T00:00:00+00:00",
        )
    conn.close()
    return path


@pytest.fixture
def migrated(old_db: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(old_db) as s:
        yield s


def rows(store: SQLiteStore, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in store._conn.execute(sql).fetchall()]


def test_identity_migration_is_recorded(migrated: SQLiteStore) -> None:
    assert "0004_identity" in migrated.applied_migrations()


def test_identity_migration_rekeys_path_ids_and_keeps_url_ids(migrated: SQLiteStore) -> None:
    assert (
        sorted(rows(migrated, "SELECT id, source FROM articles"))
        == sorted(
            [
                (HASH[:16], "/data/in/a.txt"),  # the earliest stored of the two copies
                (OTHER_HASH[:16], "/data/in/b.jsonl:3"),
                (URL_ID, "/data/in/c.html"),
            ]
        )
    )


def test_identity_migration_keeps_every_source_of_merged_copies(migrated: SQLiteStore) -> None:
    assert sorted(
        rows(migrated, "SELECT article_id, source, first_seen, last_seen FROM article_sources")
    ) == sorted(
        [
            (HASH[:16], "/data/copy/a.txt", "2024-05-02T00:00:00+00:00", "2024-05-02T00:00:00+00:00"),
            (HASH[:16], "/data/in/a.txt", "2024-05-01T00:00:00+00:00", "2024-05-01T00:00:00+00:00"),
            (OTHER_HASH[:16], "/data/in/b.jsonl:3", "2024-05-03T00:00:00+00:00", "2024-05-03T00:00:00+00:00"),
            (URL_ID, "/data/in/c.html", "2024-05-04T00:00:00+00:00", "2024-05-04T00:00:00+00:00"),
        ]
    )
    listed = {a["id"]: a["sources"] for a in migrated.list_articles(ArticleFilter())}
    assert listed[HASH[:16]] == ["/data/in/a.txt", "/data/copy/a.txt"]


def test_identity_migration_moves_child_rows_of_the_kept_copy_only(migrated: SQLiteStore) -> None:
    expected = sorted(
        [(f"{OLD_A1}-ev", HASH[:16]), (f"{OLD_B}-ev", OTHER_HASH[:16]), (f"{URL_ID}-ev", URL_ID)]
    )
    assert sorted(rows(migrated, "SELECT id, article_id FROM events")) == expected
    assert sorted(rows(migrated, "SELECT event_id FROM event_actors")) == sorted((e,) for e, _ in expected)
    assert sorted(rows(migrated, "SELECT id, article_id FROM quotes")) == sorted(
        (e.replace("-ev", "-q"), a) for e, a in expected
    )
    new_ids = sorted([(HASH[:16],), (OTHER_HASH[:16],), (URL_ID,)])
    for table in ("positions", "actor_mentions", "place_mentions", "times"):
        assert sorted(rows(migrated, f"SELECT article_id FROM {table}")) == new_ids, table
    assert rows(migrated, "PRAGMA foreign_key_check") == []
    assert rows(migrated, "SELECT name FROM sqlite_master WHERE name = 'rekey_0004'") == []


def test_identity_migration_rekeys_rejections(migrated: SQLiteStore) -> None:
    assert rows(migrated, "SELECT source, article_id FROM rejections") == [("/data/copy/a.txt", HASH[:16])]


def test_identity_migration_writes_the_new_id_into_the_stored_contract(migrated: SQLiteStore) -> None:
    contract = migrated.get_article(HASH[:16])
    assert contract is not None
    assert contract["article"] == {"id": HASH[:16], "source": "/data/in/a.txt"}
    assert migrated.get_article(OLD_A1) is None
    url_contract = migrated.get_article(URL_ID)
    assert url_contract is not None and url_contract["article"]["id"] == URL_ID


def test_identity_migration_backfills_event_and_quote_json_for_the_listings(migrated: SQLiteStore) -> None:
    events = migrated.list_events(EventFilter(article_id=HASH[:16]))
    assert [(e["id"], e["trigger"], e["n_sources"]) for e in events] == [
        (f"{OLD_A1}-ev", {"text": "held talks", "start": 17, "end": 27}, 2)
    ]
    assert events[0]["sentence_text"] == TEXT[:36]
    quotes = migrated.list_quotes(QuoteFilter(article_id=HASH[:16]))
    assert [(q["id"], q["kind"], q["article_id"]) for q in quotes] == [(f"{OLD_A1}-q", "direct", HASH[:16])]


def test_identity_migration_database_keeps_working(migrated: SQLiteStore) -> None:
    """After the migration, the same text from a third folder adds a source and clears the copy's failure."""
    from newsevents.model import Article, ArticleResult

    before = migrated.counts()
    article = Article(id=HASH[:16], source="/data/third/a.txt", text=TEXT, content_hash=HASH)
    result = ArticleResult(article, pipeline_version="newsevents 0.1.0")
    assert migrated.save_result(result) == "duplicate"  # the same article from a new source
    assert migrated.counts() == {**before, "rejections": 0}
    (listed,) = [a for a in migrated.list_articles(ArticleFilter()) if a["id"] == HASH[:16]]
    assert listed["sources"] == ["/data/in/a.txt", "/data/copy/a.txt", "/data/third/a.txt"]
