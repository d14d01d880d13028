"""SQLiteStore: opening, migrations, saving, idempotence, replacement, rollback and rejections."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.contract import result_to_dict
from newsevents.errors import MigrationError, StoreError
from newsevents.model import (
    Actor,
    ActorRef,
    Article,
    ArticleResult,
    Event,
    InferredDate,
    ModelInfo,
    Place,
    Position,
    Quote,
    ReasonCode,
    Rejected,
    Removal,
    Span,
    TimeExpr,
)
from newsevents.store import EventFilter, SQLiteStore, open_store
from newsevents.store import migrations as migrations_module
from newsevents.store import sqlite as sqlite_module
from newsevents.store.migrations import Migration
from newsevents.store.rows import event_day_range, scrub_nul

TEXT = (
    "US President Joe Biden spoke by phone with Prime Minister Benjamin Netanyahu on Monday. "
    'John Kirby said "we oppose a major operation in Rafah". '
    "Israeli troops later entered Rafah."
)
ALL_TABLES = (
    "articles",
    "events",
    "event_actors",
    "quotes",
    "positions",
    "actors",
    "actor_mentions",
    "places",
    "place_mentions",
    "times",
    "rejections",
)
MODEL = ModelInfo("en_core_web_sm", "3.8.0", pipes=("tagger", "parser", "ner"))
RAFAH = Place("place-rafah", "Rafah", "PSE", 31.28, 34.25, 281129, "city")


# --- builder -------------------------------------------------------------------------------------------


def span(piece: str, text: str = TEXT, nth: int = 0) -> Span:
    """The `nth` occurrence of `piece` in `text` as a Span."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Span(start, start + len(piece), piece)


def ref(
    piece: str, name: str | None = None, code: str | None = None, actor_id: str | None = None
) -> ActorRef:
    s = span(piece)
    return ActorRef(piece, s.start, s.end, name, code, actor_id)


def sentence(piece: str, text: str = TEXT) -> Span:
    """The sentence of `text` containing `piece` (sentences end with ". ")."""
    at = text.index(piece)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    return Span(start, end, text[start:end])


def make_event(
    event_id: str, trigger: str, *, type_: str = "CONSULT", date: str | None = None, **fields: Any
) -> Event:
    return Event(
        id=event_id,
        type=type_,
        mode=fields.pop("mode", None),
        cameo=fields.pop("cameo", "040"),
        actors=fields.pop("actors", ()),
        recipients=fields.pop("recipients", ()),
        factuality=fields.pop("factuality", "asserted"),
        trigger=span(trigger),
        sentence=sentence(trigger),
        date=date,
        **fields,
    )


def make_result(
    article_id: str = "art-1",
    *,
    events: tuple[Event, ...] | None = None,
    content_hash: str = "hash-1",
    pipeline_version: str = "0.1.0",
    model: ModelInfo | None = MODEL,
    text: str = TEXT,
    title: str | None = "Biden calls Netanyahu",
    published: dt.date | None = dt.date(2024, 5, 7),
) -> ArticleResult:
    """A complete result: every record type, with offsets into `text` when it is the default TEXT."""
    biden = ref("Joe Biden", "Joe Biden", "USAGOV", "actor-biden")
    bibi = ref("Benjamin Netanyahu", "Benjamin Netanyahu", "ISRGOV", "actor-netanyahu")
    kirby = ref("John Kirby", "John Kirby", "USAGOV", "actor-kirby")
    if events is None:
        events = (
            make_event(
                f"{article_id}-ev-call",
                "spoke by phone",
                mode="phone",
                actors=(biden,),
                recipients=(bibi,),
                date="2024-05-06",
                date_precision="day",
                date_source="relative: 'on Monday'",
                confidence=0.8,
                evidence="events.v1",
            ),
            make_event(
                f"{article_id}-ev-enter",
                "entered",
                type_="MOBILIZE",
                cameo="150",
                actors=(ref("Israeli troops", None, "ISRMIL"),),
                place=RAFAH,
            ),
        )
    quote = Quote(
        id=f"{article_id}-q-1",
        text="we oppose a major operation in Rafah",
        start=span("we oppose").start,
        end=span("Rafah").end,
        kind="direct",
        cue=span("said"),
        speaker=kirby,
        confidence=0.9,
        evidence="quotes.v1",
    )
    return ArticleResult(
        article=Article(
            id=article_id,
            source=f"{article_id}.txt",
            text=text,
            title=title,
            subtitle="A phone call",
            url=f"https://example.org/{article_id}",
            published=published,
            published_inferred=InferredDate(dt.date(2024, 5, 1), None, "dated photo credit"),
            removed=(Removal("Subscribe now", "newsletter promo"),),
            content_hash=content_hash,
        ),
        events=events,
        quotes=(quote,),
        positions=(Position(kirby, "opposes", "a major operation in Rafah", sentence("Kirby")),),
        actors=(
            Actor(
                "actor-biden",
                "Joe Biden",
                "USAGOV",
                "person",
                "President",
                "USA",
                (),
                (_bounds("Joe Biden"),),
            ),
            Actor("actor-netanyahu", "Benjamin Netanyahu", "ISRGOV", "person", "Prime Minister", "ISR"),
            Actor(
                "actor-kirby",
                "John Kirby",
                "USAGOV",
                "person",
                None,
                "USA",
                ("Kirby",),
                (_bounds("John Kirby"),),
            ),
        ),
        places=(dataclasses.replace(RAFAH, mentions=(_bounds("Rafah"), _bounds("Rafah", nth=1))),),
        times=(TimeExpr("on Monday", *_bounds("on Monday"), "2024-05-06", "day", dt.date(2024, 5, 7), True),),
        model=model,
        pipeline_version=pipeline_version,
        extractors=("events.v1", "quotes.v1"),
    )


def _bounds(piece: str, nth: int = 0) -> tuple[int, int]:
    s = span(piece, nth=nth)
    return s.start, s.end


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ALL_TABLES}
    conn.close()
    return counts


def fixed_clock(*moments: str) -> Any:
    """A clock returning each moment in turn, then the last one forever."""
    times = [dt.datetime.fromisoformat(m) for m in moments]

    def clock() -> dt.datetime:
        return times.pop(0) if len(times) > 1 else times[0]

    return clock


@pytest.fixture(params=["file", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    path = tmp_path / "news.db" if request.param == "file" else ":memory:"
    with SQLiteStore(path) as s:
        yield s


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


# --- opening and migrations ----------------------------------------------------------------------------


def test_sqlite_store_file_opens_with_stdlib_and_has_tables(db_path: Path) -> None:
    with SQLiteStore(db_path) as s:
        s.save_result(make_result())
    conn = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        articles = conn.execute("SELECT id, title FROM articles").fetchall()
    finally:
        conn.close()
    assert {*ALL_TABLES, "migrations"} <= tables
    assert mode == "wal"
    assert articles == [("art-1", "Biden calls Netanyahu")]


def test_sqlite_store_enables_foreign_keys(store: SQLiteStore) -> None:
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


BUILTIN = [
    "0001_initial",
    "0002_event_coding",
    "0003_place_confidence",
    "0004_identity",
    "0005_copies",
    "0006_stories",
    "0007_runs",
    "0008_views",
    "0009_fulltext",
    "0010_event_listing",
]


def test_sqlite_store_migrations_recorded_and_not_reapplied(db_path: Path) -> None:
    with SQLiteStore(db_path, clock=fixed_clock(*["2024-01-01T00:00:00+00:00"] * 5)) as s:
        assert s.applied_migrations() == BUILTIN
    with SQLiteStore(db_path, clock=fixed_clock("2025-01-01T00:00:00+00:00")) as s:
        assert s.applied_migrations() == BUILTIN
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT name, applied_at FROM migrations").fetchall()
    finally:
        conn.close()
    assert rows == [(name, "2024-01-01T00:00:00+00:00") for name in BUILTIN]


def test_sqlite_store_upgrades_a_0001_database_and_keeps_its_rows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tuple(m for m in migrations_module.MIGRATIONS if m.name == "0001_initial")
    with monkeypatch.context() as m:
        m.setattr(migrations_module, "MIGRATIONS", first)
        with SQLiteStore(db_path) as s:
            s._conn.execute(
                "INSERT INTO articles (id, source, text, removed_json, content_hash, pipeline_version,"
                " result_json, stored_at) VALUES ('old', 'old.txt', 'x', '[]', 'h', 'v', '{}', 'now')"
            )
            s._conn.commit()
    with SQLiteStore(db_path) as s:
        assert s.applied_migrations() == BUILTIN
        assert s.counts()["articles"] == 1
        s.save_result(make_result())
        assert s.counts()["articles"] == 2
        columns = {row[1] for row in s._conn.execute("PRAGMA table_info(events)")}
    assert {"quad_class", "goldstein", "reported_by_text", "reported_by_code"} <= columns


def test_sqlite_store_applies_only_new_migrations(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SQLiteStore(db_path) as s:
        s.save_result(make_result())
    extra = Migration(
        "0099_notes", "CREATE TABLE notes (id TEXT PRIMARY KEY);\nCREATE INDEX notes_id ON notes (id);"
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*migrations_module.MIGRATIONS, extra))
    with SQLiteStore(db_path) as s:
        assert s.applied_migrations() == [*BUILTIN, "0099_notes"]
        assert s.counts()["articles"] == 1
        assert s._conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0


def test_sqlite_store_failed_migration_raises_and_keeps_earlier(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration("0099_broken", "CREATE TABLE fine (x TEXT);\nCREATE TABLE articles (x TEXT)")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*migrations_module.MIGRATIONS, broken))
    with pytest.raises(MigrationError, match="0099_broken"):
        SQLiteStore(db_path)
    conn = sqlite3.connect(db_path)
    try:
        names = [row[0] for row in conn.execute("SELECT name FROM migrations")]
        fine = conn.execute("SELECT name FROM sqlite_master WHERE name = 'fine'").fetchall()
    finally:
        conn.close()
    assert names == BUILTIN
    assert fine == []


def test_sqlite_store_non_database_file_raises_store_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database, just some words that fill the header page\n" * 20)
    with pytest.raises(StoreError) as info:
        SQLiteStore(path)
    assert str(path) in str(info.value)
    assert "not a database" in str(info.value)


def test_sqlite_store_directory_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        SQLiteStore(tmp_path)


def test_sqlite_store_close_is_idempotent_and_later_saves_fail(db_path: Path) -> None:
    s = SQLiteStore(db_path)
    s.close()
    s.close()
    with pytest.raises(StoreError):
        s.save_result(make_result())


def test_sqlite_store_reads_after_close_raise_store_error(db_path: Path) -> None:
    s = SQLiteStore(db_path)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.counts()


def test_sqlite_store_warns_about_unknown_migrations(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with SQLiteStore(db_path) as s:
        s._conn.execute("INSERT INTO migrations (name, applied_at) VALUES ('0099_future', 'x')")
    with caplog.at_level("WARNING", logger="newsevents.store.sqlite"), SQLiteStore(db_path):
        pass
    assert "0099_future" in caplog.text


def test_sqlite_store_second_connection_sees_committed_writes(db_path: Path) -> None:
    with SQLiteStore(db_path) as writer, SQLiteStore(db_path) as reader:
        writer.save_result(make_result())
        assert reader.get_article("art-1") == result_to_dict(make_result())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("news.db", "news.db"),
        ("sqlite:///news.db", "news.db"),
        ("sqlite:///sub/news.db", "sub/news.db"),
        ("sqlite://", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
        (":memory:", ":memory:"),
    ],
)
def test_open_store_sqlite_urls(
    url: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    with open_store(url) as s:
        assert isinstance(s, SQLiteStore)
        assert s.path == expected
        assert s.counts()["articles"] == 0


def test_open_store_absolute_sqlite_url(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/abs.db") as s:
        s.save_result(make_result())
    assert (tmp_path / "abs.db").exists()


@pytest.mark.parametrize("url", ["postgresql://u:secret@nowhere.invalid/db", "postgres://nowhere.invalid/db"])
def test_open_store_unreachable_postgres_is_a_clear_error_without_the_password(url: str) -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at postgres") as info:
        open_store(url)
    assert "secret" not in str(info.value)


def test_open_store_unknown_scheme_hides_the_rest_of_the_url() -> None:
    with pytest.raises(StoreError, match="'mysql'") as info:
        open_store("mysql://user:secret@host/db")
    assert "secret" not in str(info.value)


# --- saving ----------------------------------------------------------------------------------------------


def test_save_result_round_trip_is_exact(store: SQLiteStore) -> None:
    result = make_result()
    assert store.save_result(result) == "new"
    assert store.get_article("art-1") == result_to_dict(result)


def test_get_article_missing_is_none(store: SQLiteStore) -> None:
    assert store.get_article("nope") is None


def test_save_result_twice_is_unchanged_with_identical_counts(db_path: Path) -> None:
    with SQLiteStore(db_path) as s:
        assert s.save_result(make_result()) == "new"
        first = row_counts(db_path)
        assert s.save_result(make_result()) == "unchanged"
    assert row_counts(db_path) == first
    assert first == {
        "articles": 1,
        "events": 2,
        "event_actors": 3,
        "quotes": 1,
        "positions": 1,
        "actors": 3,
        "actor_mentions": 2,
        "places": 1,
        "place_mentions": 2,
        "times": 1,
        "rejections": 0,
    }


def test_save_result_forced_rewrite_keeps_counts(db_path: Path) -> None:
    """Re-processing with a new pipeline version replaces rows one for one: nothing accumulates."""
    with SQLiteStore(db_path) as s:
        s.save_result(make_result())
        first = row_counts(db_path)
        assert s.save_result(make_result(pipeline_version="0.2.0")) == "updated"
    assert row_counts(db_path) == first


def test_save_result_unchanged_keeps_stored_at(db_path: Path) -> None:
    # One moment per migration, one for the first save, then a later one.
    clock = fixed_clock(*["2024-01-01T00:00:00+00:00"] * (len(BUILTIN) + 1), "2024-06-01T00:00:00+00:00")
    with SQLiteStore(db_path, clock=clock) as s:
        s.save_result(make_result())
        assert s.save_result(make_result()) == "unchanged"
        stored_at = s._conn.execute("SELECT stored_at FROM articles").fetchone()[0]
        seen = s._conn.execute("SELECT first_seen, last_seen FROM article_sources").fetchall()
    assert stored_at == "2024-01-01T00:00:00+00:00"
    assert [tuple(row) for row in seen] == [("2024-01-01T00:00:00+00:00", "2024-06-01T00:00:00+00:00")]


@pytest.mark.parametrize(
    "changed",
    [
        {"content_hash": "hash-2"},
        {"pipeline_version": "0.2.0"},
        {"model": ModelInfo("en_core_web_sm", "3.8.1")},
        {"model": ModelInfo("en_core_web_lg", "3.8.0")},
        {"model": None},
    ],
)
def test_save_result_updates_when_hash_pipeline_or_model_change(store: SQLiteStore, changed: Any) -> None:
    store.save_result(make_result())
    result = make_result(**changed)
    assert store.save_result(result) == "updated"
    assert store.get_article("art-1") == result_to_dict(result)


def test_save_result_empty_hash_compares_whole_result(store: SQLiteStore) -> None:
    store.save_result(make_result(content_hash=""))
    assert store.save_result(make_result(content_hash="")) == "unchanged"
    assert store.save_result(make_result(content_hash="", title="Edited")) == "updated"


def test_save_result_update_replaces_items_without_orphans(db_path: Path) -> None:
    v1 = make_result()
    v2 = make_result(content_hash="hash-2", events=v1.events[:1])
    with SQLiteStore(db_path) as s:
        s.save_result(v1)
        assert s.save_result(v2) == "updated"
        assert s.get_article("art-1") == result_to_dict(v2)
        assert [e["id"] for e in s.list_events(EventFilter())] == ["art-1-ev-call"]
    counts = row_counts(db_path)
    assert counts["events"] == 1
    assert counts["event_actors"] == 2
    conn = sqlite3.connect(db_path)
    try:
        orphans = conn.execute(
            "SELECT (SELECT COUNT(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events))"
            " + (SELECT COUNT(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles))"
            " + (SELECT COUNT(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles))"
            " + (SELECT COUNT(*) FROM times WHERE article_id NOT IN (SELECT id FROM articles))"
        ).fetchone()[0]
        violations = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    assert orphans == 0
    assert violations == []


def test_save_result_failure_rolls_back_and_keeps_old_rows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = make_result()
    with SQLiteStore(db_path) as s:
        s.save_result(v1)
        before = row_counts(db_path)
        real_write = sqlite_module.SQLiteStore._executemany

        def failing_write(self: SQLiteStore, sql: str, params: Any) -> None:
            if sql.startswith("INSERT INTO quotes"):
                raise RuntimeError("disk on fire")
            real_write(self, sql, params)

        monkeypatch.setattr(sqlite_module.SQLiteStore, "_executemany", failing_write)
        with pytest.raises(RuntimeError, match="disk on fire"):
            s.save_result(make_result(content_hash="hash-2", events=()))
        assert s.get_article("art-1") == result_to_dict(v1)
        assert not s._conn.in_transaction
    assert row_counts(db_path) == before


def test_save_result_integrity_error_is_store_error_and_rolls_back(store: SQLiteStore) -> None:
    v1 = make_result()
    store.save_result(v1)
    duplicated = make_result(content_hash="hash-2", events=(v1.events[0], v1.events[0]))
    with pytest.raises(StoreError, match="art-1"):
        store.save_result(duplicated)
    assert store.get_article("art-1") == result_to_dict(v1)
    assert store.counts()["events"] == 2


def test_save_result_shares_actors_and_places_across_articles(db_path: Path) -> None:
    with SQLiteStore(db_path) as s:
        s.save_result(make_result("art-1"))
        s.save_result(make_result("art-2"))
    counts = row_counts(db_path)
    assert counts["articles"] == 2
    assert counts["actors"] == 3
    assert counts["places"] == 1
    assert counts["actor_mentions"] == 4
    assert counts["events"] == 4


def test_save_result_event_place_missing_from_places_is_stored(store: SQLiteStore) -> None:
    base = make_result()
    other = Place("place-gaza", "Gaza", "PSE", None, None, None, "city")
    event = make_event("ev-gaza", "entered", type_="MOBILIZE", place=other)
    result = ArticleResult(base.article, events=(event,), pipeline_version="x")
    store.save_result(result)
    assert store.counts()["places"] == 1
    assert store.list_events(EventFilter())[0]["place"]["name"] == "Gaza"


# --- rejections and counts ---------------------------------------------------------------------------


def test_save_rejection_dedups_and_counts(db_path: Path) -> None:
    bad = Rejected("bad.txt", "read", ReasonCode.EMPTY, "no text after cleaning")
    with SQLiteStore(db_path) as s:
        s.save_rejection(bad)
        s.save_rejection(Rejected("bad.txt", "read", ReasonCode.EMPTY, "still no text"))
        s.save_rejection(Rejected("bad.txt", "read", ReasonCode.UNDECODABLE, "binary"))
        assert s.counts()["rejections"] == 2
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT detail, seen_count FROM rejections WHERE source = 'bad.txt' AND reason = 'empty'"
        ).fetchone()
    finally:
        conn.close()
    assert row == ("still no text", 2)


def test_counts_names_the_main_tables(store: SQLiteStore) -> None:
    store.save_result(make_result())
    assert store.counts() == {
        "articles": 1,
        "events": 2,
        "quotes": 1,
        "actors": 3,
        "places": 1,
        "rejections": 0,
        "stories": 0,
        "happenings": 0,
    }


# --- helpers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "published", "expected"),
    [
        ("2024-05-06", None, ("2024-05-06", "2024-05-06")),
        ("2024-05-06T10:00:00", None, ("2024-05-06", "2024-05-06")),
        ("2024-W19", None, ("2024-05-06", "2024-05-12")),
        ("2024-02", None, ("2024-02-01", "2024-02-29")),
        ("2024", None, ("2024-01-01", "2024-12-31")),
        (None, dt.date(2024, 5, 7), ("2024-05-07", "2024-05-07")),
        ("next spring", dt.date(2024, 5, 7), ("2024-05-07", "2024-05-07")),
        ("2024-13", dt.date(2024, 5, 7), ("2024-05-07", "2024-05-07")),
        (None, None, (None, None)),
    ],
)
def test_event_day_range(date: str | None, published: dt.date | None, expected: tuple[Any, Any]) -> None:
    assert event_day_range(date, published) == expected


# --- properties ----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=300), title=st.none() | st.text(max_size=80), data=st.data())
def test_save_result_round_trip_property(text: str, title: str | None, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(text)), label="end")
    piece = Span(start, end, text[start:end])
    event = Event(
        "ev", "CONSULT", None, "040", (ActorRef(piece.text, start, end),), (), "asserted", piece, piece
    )
    article = Article(id="gen", source="gen.txt", text=text, title=title, content_hash="h")
    result = ArticleResult(article, events=(event,), pipeline_version="p")
    with SQLiteStore(":memory:") as s:
        s.save_result(result)
        # NUL is stored as U+FFFD on every backend (PostgreSQL text cannot hold it).
        assert s.get_article("gen") == scrub_nul(result_to_dict(result))
        listed = s.list_events(EventFilter())
    stored = piece.text.replace("\x00", "\ufffd")  # one character for one: offsets stay right
    assert [(e["trigger"]["text"], e["sentence_text"]) for e in listed] == [(stored, stored)]
