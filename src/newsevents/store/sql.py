"""The half of a `Store` that every SQL backend shares: portable SQL run through four connection hooks.

`SQLStore` implements the whole `newsevents.store.base.Store` protocol in terms of `_transaction`,
`_fetch`, `_execute` and `_executemany`, which a backend (`newsevents.store.sqlite.SQLiteStore`,
`newsevents.store.postgres.PostgresStore`) provides for its driver. Statements are written with ``?``
placeholders; a backend whose driver wants another style converts them in its hooks. So the schema, the
save decision, the listings, the links and the run ledger behave the same on every backend, and one test
suite runs against each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Self

from newsevents.contract import result_to_dict
from newsevents.errors import MigrationError, StoreError
from newsevents.model import ArticleResult, Rejected
from newsevents.store import browse, ledger, linking, migrations, queries
from newsevents.store.base import SaveStatus, is_unchanged
from newsevents.store.linking import LinkInputs, LinkWrite, StoryFilter
from newsevents.store.queries import ArticleFilter, EventFilter, Query, QuoteFilter
from newsevents.store.rows import (
    clear_failures_sql,
    clear_quarantine_sql,
    insert_sql,
    item_delete_sql,
    rejection_upsert,
    result_rows,
    scrub_nul,
    source_upsert,
    to_json,
)

__all__ = ["SQLStore", "utcnow"]

log = logging.getLogger(__name__)


def utcnow() -> dt.datetime:
    """The current time, tz-aware UTC (the default clock of every store)."""
    return dt.datetime.now(dt.timezone.utc)


class SQLStore:
    """A `newsevents.store.base.Store` over any DB-API connection, given four hooks.

    Subclasses set `name` (how messages name the database: a path, or a URL without its password),
    `_db_errors` (the driver's exception base classes) and implement the hooks; they call `_migrate` once
    connected.
    """

    name: str
    dialect: str = "sqlite"
    _db_errors: tuple[type[BaseException], ...] = ()
    _clock: Callable[[], dt.datetime] = staticmethod(utcnow)

    # -- hooks ------------------------------------------------------------------------------------------

    def _transaction(self, write: bool = True) -> AbstractContextManager[None]:
        """One transaction: a write one holds the database's write lock from the start; a read one is a
        snapshot. Rolled back on any exception."""
        raise NotImplementedError

    def _fetch(self, query: Query) -> list[dict[str, Any]]:
        """Run `query` (``?`` placeholders); its rows as dicts, ``[]`` for a statement without rows."""
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement (``?`` placeholders)."""
        raise NotImplementedError

    def _stream(self, query: Query, size: int) -> Iterator[list[dict[str, Any]]]:
        """Inside a read transaction: the rows of `query`, `size` at a time, from one cursor that other
        `_fetch` calls may interleave with (the database sorts once; memory stays flat)."""
        raise NotImplementedError

    def _executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""
        raise NotImplementedError

    def _lock_migrations(self) -> None:
        """Inside a migration's transaction: keep other processes from migrating at the same time."""

    def _lock_writes(self) -> None:
        """Inside a write transaction: serialise article writes (SQLite's write lock already does)."""

    def close(self) -> None:
        """Close the connection; calling it twice is harmless."""
        raise NotImplementedError

    def integrity_problems(self) -> list[str]:
        """What the database's own consistency check reports (``[]`` when all is well)."""
        raise NotImplementedError

    # -- plumbing ---------------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock().isoformat()

    def _read(self) -> AbstractContextManager[None]:
        return _Reading(self)

    def _migrate(self) -> None:
        applied = set(self._applied_if_any())
        for migration in migrations.pending_migrations(applied, migrations.MIGRATIONS):
            try:
                with self._transaction():
                    self._lock_migrations()
                    self._execute(migrations.MIGRATIONS_TABLE_SQL)
                    # Another process may have applied it since we looked.
                    done = Query("SELECT 1 AS x FROM migrations WHERE name = ?", (migration.name,))
                    if self._fetch(done):
                        continue
                    if migration.applies_to(self.dialect):
                        for statement in migrations.split_statements(migration.sql):
                            self._execute(statement)
                        if migration.step is not None:
                            migration.step(self._fetch)
                    record = "INSERT INTO migrations (name, applied_at) VALUES (?, ?)"
                    self._execute(record, (migration.name, self._now()))
            except self._db_errors as exc:
                raise MigrationError(
                    f"migration {migration.name} failed on {self.name}: {exc}; the database is left at the "
                    "previous migration; restore a backup or report this with the database's origin"
                ) from exc
            log.info("applied migration %s to %s", migration.name, self.name)
        unknown = applied - {migration.name for migration in migrations.MIGRATIONS}
        if unknown:
            log.warning("%s has migrations unknown to this newsevents (%s); upgrade it", self.name, unknown)

    def _applied_if_any(self) -> list[str]:
        """The applied migrations, or ``[]`` for a database without the migrations table; no write lock."""
        raise NotImplementedError

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they were applied.

        Returns:
            Migration names.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.applied_migrations()[:2], store.applied_migrations()[-1]
            (['0001_initial', '0002_event_coding'], '0010_event_listing')
        """
        with self._read():
            rows = self._fetch(Query("SELECT name FROM migrations ORDER BY applied_at, name"))
        return [str(row["name"]) for row in rows]

    # -- writes -----------------------------------------------------------------------------------------

    def save_result(self, result: ArticleResult, *, run_id: str | None = None) -> SaveStatus:
        """Store one article's results and record where it was read from.

        An article already stored with the same content hash, pipeline version and model name/version is
        left untouched: ``"unchanged"`` when it was read from this source before, ``"duplicate"`` when this
        source is new (the same article from another file, line or URL). Otherwise its previous items are
        deleted and the new ones written, in one transaction. Either way the article's source is upserted
        into ``article_sources`` and the source's earlier rejections are cleared (it is out of
        quarantine). NUL characters, which PostgreSQL text cannot hold, are stored as U+FFFD on every
        backend (one character for one, so offsets stay right). On any failure the transaction is rolled
        back: nothing of this article is left behind, nothing stored before is lost, and the store stays
        usable.

        Args:
            result: what the pipeline produced for one article.
            run_id: the run (`start_run`) whose ledger records this unit, in the same transaction.

        Returns:
            ``"new"``, ``"updated"``, ``"unchanged"`` or ``"duplicate"``.

        Raises:
            StoreError: the database refused the write (the transaction was rolled back).

        Example:
            >>> from newsevents.model import Article
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     result = ArticleResult(Article(id="a1", source="s", text="t", content_hash="h"))
            ...     [store.save_result(result), store.save_result(result)]
            ['new', 'unchanged']
        """
        article_id = result.article.id
        source = scrub_nul(result.article.source)
        contract = scrub_nul(result_to_dict(result))
        payload = to_json(contract)
        now = self._now()
        status: SaveStatus
        try:
            with self._transaction():
                self._lock_writes()
                stored = self._fetch(
                    Query(
                        "SELECT content_hash, pipeline_version, model_name, model_version, result_json"
                        " FROM articles WHERE id = ?",
                        (article_id,),
                    )
                )
                if stored and is_unchanged(stored[0], result, payload):
                    seen = self._fetch(
                        Query(
                            "SELECT 1 AS x FROM article_sources WHERE article_id = ? AND source = ?",
                            (article_id, source),
                        )
                    )
                    status = "unchanged" if seen else "duplicate"
                else:
                    status = "new" if not stored else "updated"
                    if stored:
                        for statement in item_delete_sql():
                            self._execute(statement, (article_id,))
                    for table in result_rows(contract, now, payload):
                        if table.rows:
                            self._executemany(insert_sql(table), table.params())
                self._execute(*source_upsert(article_id, source, now))
                self._execute(*clear_failures_sql(article_id))
                self._execute(*clear_quarantine_sql(source))
                if run_id is not None:
                    self._execute(*ledger.unit_insert(run_id, source, status, now, article_id=article_id))
        except self._db_errors as exc:
            raise StoreError(
                f"could not save article {article_id} ({result.article.source}) to {self.name}: {exc}; "
                "nothing was changed"
            ) from exc
        log.debug("article %s %s", article_id, status)
        return status

    def save_rejection(self, rejected: Rejected, *, run_id: str | None = None) -> None:
        """Record a unit that was not stored.

        A quarantined unit (bad data or a failure) goes into ``rejections``, where the same (source, stage,
        reason) again updates one row and counts it; a filtered one (`ReasonCode.filtered`: deliberately
        not an article) is only written to the run's ledger.

        Args:
            rejected: the rejection.
            run_id: the run (`start_run`) whose ledger records this unit, in the same transaction.

        Raises:
            StoreError: the database refused the write.

        Example:
            >>> from newsevents.model import ReasonCode
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.save_rejection(Rejected("a.txt", "read", ReasonCode.EMPTY, "no text"))
            ...     store.counts()["rejections"]
            1
        """
        rejected = scrub_nul(rejected)
        now = self._now()
        try:
            with self._transaction():
                if not rejected.reason.filtered:
                    self._execute(*rejection_upsert(rejected, now))
                if run_id is not None:
                    outcome = "filtered" if rejected.reason.filtered else "quarantined"
                    self._execute(
                        *ledger.unit_insert(
                            run_id,
                            rejected.source,
                            outcome,
                            now,
                            reason=rejected.reason.value,
                            stage=rejected.stage,
                            detail=rejected.detail,
                            article_id=rejected.article_id,
                        )
                    )
        except self._db_errors as exc:
            raise StoreError(
                f"could not record the rejection of {rejected.source} in {self.name}: {exc}"
            ) from exc

    # -- the run ledger ---------------------------------------------------------------------------------

    def start_run(self, command: str, inputs: Sequence[str], settings: dict[str, Any] | None = None) -> str:
        """Open a run's ledger; earlier runs of this host whose process is gone are marked ``interrupted``.

        Args:
            command: what started it (``"process"``, ``"retry"``).
            inputs: the paths or URLs it was given.
            settings: anything worth recording with it (model, pipeline version, caps).

        Returns:
            The new run's id: its UTC start time and a random suffix, so ids sort by start.

        Raises:
            StoreError: the database refused the write.
        """
        now = self._clock()
        run_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        host, pid = socket.gethostname(), os.getpid()
        try:
            with self._transaction():
                running = self._fetch(Query("SELECT id, host, pid FROM runs WHERE status = 'running'"))
                for row in running:
                    if row["host"] == host and not _alive(int(row["pid"] or 0)):
                        self._execute(*ledger.mark_interrupted(str(row["id"]), now.isoformat()))
                opened = ledger.run_insert(
                    run_id, command, list(inputs), settings or {}, now.isoformat(), host, pid
                )
                self._execute(*opened)
        except self._db_errors as exc:
            raise StoreError(f"could not start a run in {self.name}: {exc}") from exc
        return run_id

    def record_unit(self, run_id: str, source: str, outcome: str, *, reason: str | None = None) -> None:
        """Write one unit to a run's ledger without storing anything (a unit a retry skips, say)."""
        try:
            with self._transaction():
                self._execute(*ledger.unit_insert(run_id, source, outcome, self._now(), reason=reason))
        except self._db_errors as exc:
            raise StoreError(f"could not record {source} in run {run_id} in {self.name}: {exc}") from exc

    def finish_run(self, run_id: str, status: str = "finished") -> dict[str, Any]:
        """Close a run's ledger.

        Args:
            run_id: the run.
            status: ``"finished"``, or ``"failed"`` when it stopped on an error.

        Returns:
            The run (`get_run`).
        """
        try:
            with self._transaction():
                self._execute(*ledger.run_finish(run_id, status, self._now()))
        except self._db_errors as exc:
            raise StoreError(f"could not finish run {run_id} in {self.name}: {exc}") from exc
        run = self.get_run(run_id)
        assert run is not None
        return run

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first, each with its counts; see `newsevents.store.ledger.list_runs`."""
        with self._read():
            return ledger.list_runs(self._fetch, limit)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """One run with its counts, or None; `run_id` may be a unique prefix."""
        with self._read():
            return ledger.get_run(self._fetch, run_id)

    def run_units(self, run_id: str, outcome: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """A run's units (optionally of one outcome), in the order they were recorded."""
        with self._read():
            return ledger.run_units(self._fetch, run_id, outcome, limit)

    def list_rejections(self, reason: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The quarantined units: every rejection not since cleared by a successful save."""
        with self._read():
            return ledger.list_rejections(self._fetch, reason, limit)

    # -- links ------------------------------------------------------------------------------------------

    def link_inputs(self) -> LinkInputs:
        """Everything linking reads, in one snapshot; see `newsevents.store.linking`."""
        with self._read():
            return linking.read_link_inputs(self._fetch)

    def link_pages(self) -> Iterator[dict[str, Any]]:
        """Every article's id, text, names and places (`newsevents.store.linking.link_page`), ordered by
        id, read a page at a time (each page its own snapshot)."""
        after = ""
        while True:
            with self._read():
                rows = linking.link_page(self._fetch, after)
            if not rows:
                return
            yield from rows
            after = str(rows[-1]["id"])

    def link_events(self, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The events of some articles, for happening linking; see `newsevents.store.linking.link_events`."""
        with self._read():
            return linking.link_events(self._fetch, article_ids)

    def links_stale(self) -> bool:
        """Whether some stored article or event has no link yet (a run stopped before linking)."""
        with self._read():
            return linking.links_stale(self._fetch)

    def save_links(self, link: LinkWrite) -> None:
        """Replace every link (copies, stories, happenings) by `link`, recording id changes; one transaction.

        Raises:
            StoreError: the database refused the write (rolled back: the earlier links stay).
        """
        try:
            with self._transaction():
                self._lock_writes()
                for sql, params in linking.link_write_statements(link):
                    self._executemany(sql, params)
        except self._db_errors as exc:
            raise StoreError(f"could not record links in {self.name}: {exc}; nothing was changed") from exc

    def list_stories(self, filters: StoryFilter) -> list[dict[str, Any]]:
        """Stories matching `filters`; see `newsevents.store.linking.list_stories`.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_stories(StoryFilter())
            []
        """
        with self._read():
            return linking.list_stories(self._fetch, filters)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """One story, or None; see `newsevents.store.linking.get_story`."""
        with self._read():
            return linking.get_story(self._fetch, story_id)

    def story_changes(self, old_id: str) -> list[dict[str, Any]]:
        """What a re-link made of a replaced story or happening id; see `newsevents.store.linking`."""
        with self._read():
            return linking.story_changes(self._fetch, old_id)

    # -- reads ------------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per main table.

        Returns:
            ``{table: rows}`` for articles, events, quotes, actors, places, rejections, stories and
            happenings.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     sorted(store.counts())
            ['actors', 'articles', 'events', 'happenings', 'places', 'quotes', 'rejections', 'stories']
        """
        with self._read():
            return queries.counts(self._fetch)

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Totals over the whole database, computed in SQL; see `newsevents.store.queries.stats`.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.stats()["event_dates"]
            {'first': None, 'last': None}
        """
        with self._read():
            return queries.stats(self._fetch, top)

    def list_articles(self, filters: ArticleFilter) -> list[dict[str, Any]]:
        """Articles matching `filters`; see `newsevents.store.queries.list_articles`.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_articles(ArticleFilter(query="gaza"))
            []
        """
        with self._read():
            return queries.list_articles(self._fetch, filters)

    def list_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Events matching `filters`; see `newsevents.store.queries.list_events`.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_events(EventFilter(actor="biden"))
            []
        """
        with self._read():
            return queries.list_events(self._fetch, filters)

    def iter_events(self, filters: EventFilter, chunk: int = queries.MAX_LIMIT) -> Iterator[dict[str, Any]]:
        """Every event `filters` matches (its cursor, limit and offset ignored), in `list_events` order, as
        `list_events` dicts, streamed from one query in one read snapshot.

        For exports: the database sorts once and rows arrive `chunk` at a time, so time is linear and
        memory flat in the number of events (paging with the keyset cursor re-sorts on every page). Do not
        write through this store while iterating.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     list(store.iter_events(EventFilter(type="assault")))
            []
        """
        with self._read():
            for rows in self._stream(queries.events_query(filters, paged=False), chunk):
                yield from queries.event_dicts(self._fetch, rows, filters)

    def list_actors(self, filters: browse.ActorFilter) -> list[dict[str, Any]]:
        """Actor identities; see `newsevents.store.browse.list_actors`."""
        with self._read():
            return browse.list_actors(self._fetch, filters)

    def list_places(self, filters: browse.PlaceFilter) -> list[dict[str, Any]]:
        """Places; see `newsevents.store.browse.list_places`."""
        with self._read():
            return browse.list_places(self._fetch, filters)

    def list_positions(self, filters: browse.PositionFilter) -> list[dict[str, Any]]:
        """Positions; see `newsevents.store.browse.list_positions`."""
        with self._read():
            return browse.list_positions(self._fetch, filters)

    def event_count(self, filters: EventFilter) -> int:
        """How many rows the event listing has for `filters`; see `newsevents.store.browse.event_count`."""
        with self._read():
            return browse.event_count(self._fetch, filters)

    def event_histogram(self, filters: EventFilter, interval: str = "day") -> list[dict[str, Any]]:
        """Events per period and type; see `newsevents.store.browse.event_histogram`."""
        with self._read():
            return browse.event_histogram(self._fetch, filters, interval)

    def event_places(self, filters: EventFilter, top: int = 500) -> list[dict[str, Any]]:
        """Places by matching events; see `newsevents.store.browse.event_places`."""
        with self._read():
            return browse.event_places(self._fetch, filters, top)

    def event_dyads(self, filters: EventFilter, top: int = 200) -> list[dict[str, Any]]:
        """Actor-recipient pairs by matching events; see `newsevents.store.browse.event_dyads`."""
        with self._read():
            return browse.event_dyads(self._fetch, filters, top)

    def list_quotes(self, filters: QuoteFilter) -> list[dict[str, Any]]:
        """Quotes matching `filters`; see `newsevents.store.queries.list_quotes`.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.list_quotes(QuoteFilter(speaker="kirby"))
            []
        """
        with self._read():
            return queries.list_quotes(self._fetch, filters)

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored contract object of one article (``result_to_dict`` output), or None.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as store:
            ...     store.get_article("missing") is None
            True
        """
        with self._read():
            return queries.get_article(self._fetch, article_id)

    def canonical_dump(self) -> Iterator[str]:
        """The stored content as sorted JSON lines, without times, counters and run ledgers.

        Two databases holding the same articles, items, links and quarantine dump the same lines, whatever
        backend, order of arrival, re-runs or interruptions produced them; `dump_hash` hashes them. Read
        table by table, a page at a time.

        Yields:
            ``{"table": ..., "row": {...}}`` JSON, one line per row, tables and rows in a fixed order.
        """
        for table, key in ledger.DUMP_TABLES:
            after: tuple[Any, ...] | None = None
            while True:
                with self._read():
                    rows = self._fetch(ledger.dump_page(table, key, after))
                if not rows:
                    break
                for row in rows:
                    yield ledger.dump_line(table, row)
                after = tuple(rows[-1][k] for k in key)

    def dump_hash(self) -> str:
        """The sha256 of `canonical_dump`: equal hashes mean equal stored content.

        Example:
            >>> from newsevents.store import SQLiteStore
            >>> with SQLiteStore(":memory:") as a, SQLiteStore(":memory:") as b:
            ...     a.dump_hash() == b.dump_hash()
            True
        """
        digest = hashlib.sha256()
        for line in self.canonical_dump():
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()


class _Reading:
    """A read transaction that turns driver errors into `StoreError` naming the database."""

    def __init__(self, store: SQLStore) -> None:
        self._store = store
        self._inner: AbstractContextManager[None] | None = None

    def __enter__(self) -> None:
        self._inner = self._store._transaction(write=False)
        try:
            self._inner.__enter__()
        except self._store._db_errors as exc:
            raise StoreError(f"could not read from {self._store.name}: {exc}") from exc

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._inner is not None
        try:
            self._inner.__exit__(exc_type, exc, tb)
        except self._store._db_errors as err:
            raise StoreError(f"could not read from {self._store.name}: {err}") from err
        if exc is not None and isinstance(exc, self._store._db_errors):
            raise StoreError(f"could not read from {self._store.name}: {exc}") from exc


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
