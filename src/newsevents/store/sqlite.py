"""The SQLite `Store`: one connection, WAL, foreign keys on, migrations applied on open.

SQLite quirks live here and nowhere else: the connection runs in autocommit mode and every write is an
explicit ``BEGIN IMMEDIATE`` ... ``COMMIT`` (so the write lock is taken up front and a failure rolls back
everything), and a Unicode ``lower()`` replaces SQLite's ASCII-only one so that case-insensitive filters
behave as they do on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from newsevents.contract import result_to_dict
from newsevents.errors import MigrationError, StoreError
from newsevents.model import ArticleResult, Rejected
from newsevents.store import linking, migrations, queries
from newsevents.store.base import SaveStatus, is_unchanged
from newsevents.store.linking import LinkInputs, LinkWrite, StoryFilter
from newsevents.store.queries import ArticleFilter, EventFilter, Query, QuoteFilter
from newsevents.store.rows import (
    TableRows,
    clear_failures_sql,
    insert_sql,
    item_delete_sql,
    rejection_upsert,
    result_rows,
    source_upsert,
    to_json,
)

__all__ = ["MEMORY", "SQLiteStore"]

log = logging.getLogger(__name__)

#: The path of a private in-memory database.
MEMORY = ":memory:"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _unicode_lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value


def _connect(path: str, timeout: float) -> sqlite3.Connection:
    """Open and configure a connection; any failure becomes a StoreError naming the file."""
    if path != MEMORY and Path(path).is_dir():
        raise StoreError(f"cannot open {path} as a SQLite database: it is a directory; give a file path")
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open SQLite database {path}: {exc}; check the path and its permissions"
        ) from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Reading the journal mode is the first statement that reads the file header, so a file that is not
        # a database fails here.
        mode = conn.execute(
            "PRAGMA journal_mode = WAL" if path != MEMORY else "PRAGMA journal_mode"
        ).fetchone()[0]
        if path != MEMORY and str(mode).lower() != "wal":
            log.warning("SQLite database %s stays in %s journal mode (WAL unavailable)", path, mode)
        conn.create_function("lower", 1, _unicode_lower, deterministic=True)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(
            f"cannot use {path} as a SQLite database: {exc}; "
            "point the store at a SQLite file or at a new path to create one"
        ) from exc
    return conn


class SQLiteStore:
    """A `newsevents.store.base.Store` in one SQLite file (or in memory with ``":memory:"``).

    Args:
        path: the database file, created if missing, or ``":memory:"``.
        timeout: seconds to wait for another writer's lock before failing.
        clock: returns the current time (tz-aware UTC) for ``stored_at`` and friends; tests pass a fixed one.

    Raises:
        StoreError: the file cannot be opened or is not a SQLite database.
        MigrationError: a migration failed (earlier ones stay applied).

    Example:
        >>> with SQLiteStore(":memory:") as store:
        ...     store.counts()["articles"]
        0
    """

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = 5.0,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.path = str(path)
        self._clock = clock
        self._conn = _connect(self.path, timeout)
        self._closed = False
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def close(self) -> None:
        """Close the connection; calling it twice is harmless.

        Example:
            >>> store = SQLiteStore(":memory:")
            >>> store.close(); store.close()
        """
        if not self._closed:
            self._closed = True
            self._conn.close()

    def _now(self) -> str:
        return self._clock().isoformat()

    @contextmanager
    def _transaction(self, mode: str = "IMMEDIATE") -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self!r} is closed; open the store again")
        self._conn.execute(f"BEGIN {mode}")
        try:
            yield
        except BaseException:
            # SQLite may already have rolled back on its own (disk full, I/O error).
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One read transaction, so that several queries see the same snapshot."""
        try:
            with self._transaction("DEFERRED"):
                yield
        except sqlite3.Error as exc:
            raise StoreError(f"could not read from {self.path}: {exc}") from exc

    def _fetch(self, query: Query) -> list[dict[str, Any]]:
        """Run `query`; its rows as dicts (``[]`` for a statement without rows)."""
        return [dict(row) for row in self._conn.execute(query.sql, query.params).fetchall()]

    def _migrate(self) -> None:
        # Look first without the write lock: opening an up-to-date database must not wait for a writer.
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        applied = set(self.applied_migrations()) if self._conn.execute(exists).fetchone() else set()
        for migration in migrations.pending_migrations(applied, migrations.MIGRATIONS):
            try:
                with self._transaction():
                    self._conn.execute(migrations.MIGRATIONS_TABLE_SQL)
                    # Another process may have applied it since we looked.
                    done = self._conn.execute("SELECT 1 FROM migrations WHERE name = ?", (migration.name,))
                    if done.fetchone() is not None:
                        continue
                    for statement in migrations.split_statements(migration.sql):
                        self._conn.execute(statement)
                    if migration.step is not None:
                        migration.step(self._fetch)
                    record = "INSERT INTO migrations (name, applied_at) VALUES (?, ?)"
                    self._conn.execute(record, (migration.name, self._now()))
            except sqlite3.Error as exc:
                raise MigrationError(
                    f"migration {migration.name} failed on {self.path}: {exc}; the database is left at the "
                    "previous migration; restore a backup or report this with the database's origin"
                ) from exc
            log.info("applied migration %s to %s", migration.name, self.path)
        unknown = applied - {migration.name for migration in migrations.MIGRATIONS}
        if unknown:
            log.warning("%s has migrations unknown to this newsevents (%s); upgrade it", self.path, unknown)

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they were applied.

        Returns:
            Migration names.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.applied_migrations()[:2], store.applied_migrations()[-1]
            (['0001_initial', '0002_event_coding'], '0006_stories')
        """
        with self._reading():
            rows = self._fetch(Query("SELECT name FROM migrations ORDER BY applied_at, name"))
        return [str(row["name"]) for row in rows]

    def save_result(self, result: ArticleResult) -> SaveStatus:
        """Store one article's results and record where it was read from.

        An article already stored with the same content hash, pipeline version and model name/version is
        left untouched. Otherwise its previous items are deleted and the new ones written, in one
        transaction. Either way the article's source is upserted into ``article_sources`` and its earlier
        ``internal_error`` rejections are cleared. On any failure the transaction is rolled back: nothing of
        this article is left behind, nothing stored before is lost, and the store stays usable.

        Args:
            result: what the pipeline produced for one article.

        Returns:
            ``"new"``, ``"updated"`` or ``"unchanged"``.

        Raises:
            StoreError: the database refused the write (the transaction was rolled back).

        Example:
            >>> from newsevents.model import Article
            >>> with SQLiteStore(":memory:") as store:
            ...     result = ArticleResult(Article(id="a1", source="s", text="t", content_hash="h"))
            ...     [store.save_result(result), store.save_result(result)]
            ['new', 'unchanged']
        """
        article_id = result.article.id
        contract = result_to_dict(result)
        payload = to_json(contract)
        now = self._now()
        status: SaveStatus
        try:
            with self._transaction():
                stored = self._conn.execute(
                    "SELECT content_hash, pipeline_version, model_name, model_version, result_json"
                    " FROM articles WHERE id = ?",
                    (article_id,),
                ).fetchone()
                if stored is not None and is_unchanged(dict(stored), result, payload):
                    status = "unchanged"
                else:
                    status = "new" if stored is None else "updated"
                    if stored is not None:
                        for statement in item_delete_sql():
                            self._conn.execute(statement, (article_id,))
                    for table in result_rows(contract, now, payload):
                        _write_table(self._conn, table)
                self._conn.execute(*source_upsert(article_id, result.article.source, now))
                self._conn.execute(*clear_failures_sql(article_id))
        except sqlite3.Error as exc:
            raise StoreError(
                f"could not save article {article_id} ({result.article.source}) to {self.path}: {exc}; "
                "nothing was changed"
            ) from exc
        log.debug("article %s %s", article_id, status)
        return status

    def link_inputs(self) -> LinkInputs:
        """Everything linking reads, in one snapshot; see `newsevents.store.linking`."""
        with self._reading():
            return linking.read_link_inputs(self._fetch)

    def link_pages(self) -> Iterator[dict[str, Any]]:
        """Every article's id, text, names and places (`newsevents.store.linking.link_page`), ordered by
        id, read a page at a time (each page its own snapshot)."""
        after = ""
        while True:
            with self._reading():
                rows = linking.link_page(self._fetch, after)
            if not rows:
                return
            yield from rows
            after = str(rows[-1]["id"])

    def link_events(self, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The events of some articles, for happening linking; see `newsevents.store.linking.link_events`."""
        with self._reading():
            return linking.link_events(self._fetch, article_ids)

    def save_links(self, link: LinkWrite) -> None:
        """Replace every link (copies, stories, happenings) by `link`, recording id changes; one transaction.

        Raises:
            StoreError: the database refused the write (rolled back: the earlier links stay).
        """
        try:
            with self._transaction():
                for sql, params in linking.link_write_statements(link):
                    self._conn.executemany(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"could not record links in {self.path}: {exc}; nothing was changed") from exc

    def list_stories(self, filters: StoryFilter) -> list[dict[str, Any]]:
        """Stories matching `filters`; see `newsevents.store.linking.list_stories`.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_stories(StoryFilter())
            []
        """
        with self._reading():
            return linking.list_stories(self._fetch, filters)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """One story, or None; see `newsevents.store.linking.get_story`."""
        with self._reading():
            return linking.get_story(self._fetch, story_id)

    def story_changes(self, old_id: str) -> list[dict[str, Any]]:
        """What a re-link made of a replaced story or happening id; see `newsevents.store.linking`."""
        with self._reading():
            return linking.story_changes(self._fetch, old_id)

    def save_rejection(self, rejected: Rejected) -> None:
        """Record a rejection; the same (source, stage, reason) again updates one row and counts it.

        Args:
            rejected: the rejection.

        Raises:
            StoreError: the database refused the write.

        Example:
            >>> from newsevents.model import ReasonCode
            >>> with SQLiteStore(":memory:") as store:
            ...     store.save_rejection(Rejected("a.txt", "read", ReasonCode.EMPTY, "no text"))
            ...     store.counts()["rejections"]
            1
        """
        sql, params = rejection_upsert(rejected, self._now())
        try:
            with self._transaction():
                self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(
                f"could not record the rejection of {rejected.source} in {self.path}: {exc}"
            ) from exc

    def counts(self) -> dict[str, int]:
        """Rows per main table.

        Returns:
            ``{table: rows}`` for articles, events, quotes, actors, places, rejections, stories and
            happenings.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     sorted(store.counts())
            ['actors', 'articles', 'events', 'happenings', 'places', 'quotes', 'rejections', 'stories']
        """
        with self._reading():
            return queries.counts(self._fetch)

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Totals over the whole database, computed in SQL; see `newsevents.store.queries.stats`.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.stats()["event_dates"]
            {'first': None, 'last': None}
        """
        with self._reading():
            return queries.stats(self._fetch, top)

    def list_articles(self, filters: ArticleFilter) -> list[dict[str, Any]]:
        """Articles matching `filters`; see `newsevents.store.queries.list_articles`.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_articles(ArticleFilter(query="gaza"))
            []
        """
        with self._reading():
            return queries.list_articles(self._fetch, filters)

    def list_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Events matching `filters`; see `newsevents.store.queries.list_events`.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_events(EventFilter(actor="biden"))
            []
        """
        with self._reading():
            return queries.list_events(self._fetch, filters)

    def list_quotes(self, filters: QuoteFilter) -> list[dict[str, Any]]:
        """Quotes matching `filters`; see `newsevents.store.queries.list_quotes`.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_quotes(QuoteFilter(speaker="kirby"))
            []
        """
        with self._reading():
            return queries.list_quotes(self._fetch, filters)

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored contract object of one article (``result_to_dict`` output), or None.

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.get_article("missing") is None
            True
        """
        with self._reading():
            return queries.get_article(self._fetch, article_id)


def _write_table(conn: sqlite3.Connection, table: TableRows) -> None:
    if table.rows:
        conn.executemany(insert_sql(table), table.params())
