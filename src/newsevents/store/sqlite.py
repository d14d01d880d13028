"""The SQLite `Store`: one connection, WAL, foreign keys on, migrations applied on open.

SQLite quirks live here and nowhere else: the connection runs in autocommit mode and every write is an
explicit ``BEGIN IMMEDIATE`` ... ``COMMIT`` (so the write lock is taken up front and a failure rolls back
everything), and a Unicode ``lower()`` replaces SQLite's ASCII-only one so that case-insensitive filters
behave as they do on PostgreSQL. Everything else is `newsevents.store.sql.SQLStore`.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsevents.errors import StoreError
from newsevents.store.queries import Query
from newsevents.store.sql import SQLStore, utcnow

__all__ = ["MEMORY", "SQLiteStore"]

log = logging.getLogger(__name__)

#: The path of a private in-memory database.
MEMORY = ":memory:"


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
        mode = _journal_mode(conn, path, timeout)
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


def _journal_mode(conn: sqlite3.Connection, path: str, timeout: float) -> str:
    """Switch to WAL. Switching needs a moment without other connections' locks, which the busy handler
    does not wait for, so a concurrent opener retries until `timeout`."""
    if path == MEMORY:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    deadline = time.monotonic() + timeout
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SQLiteStore(SQLStore):
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

    dialect = "sqlite"
    _db_errors = (sqlite3.Error,)

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = 5.0,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.path = str(path)
        self.name = self.path
        self._clock = clock
        self._conn = _connect(self.path, timeout)
        self._closed = False
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

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

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self!r} is closed; open the store again")
        self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")
        try:
            yield
        except BaseException:
            # SQLite may already have rolled back on its own (disk full, I/O error).
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _fetch(self, query: Query) -> list[dict[str, Any]]:
        return [dict(row) for row in self._conn.execute(query.sql, query.params).fetchall()]

    def _stream(self, query: Query, size: int) -> Iterator[list[dict[str, Any]]]:
        cursor = self._conn.execute(query.sql, query.params)
        try:
            while rows := cursor.fetchmany(size):
                yield [dict(row) for row in rows]
        finally:
            cursor.close()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, tuple(params))

    def _executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, [tuple(p) for p in params])

    def _applied_if_any(self) -> list[str]:
        # Look without the write lock: opening an up-to-date database must not wait for a writer.
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        if self._conn.execute(exists).fetchone() is None:
            return []
        return [str(r[0]) for r in self._conn.execute("SELECT name FROM migrations")]

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` report (``[]`` when all is well).

        Example:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.integrity_problems()
            []
        """
        with self._read():
            problems = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check")]
            problems = [p for p in problems if p != "ok"]
            for row in self._conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"foreign key: {row[0]} row {row[1]} -> {row[2]}")
        return problems
