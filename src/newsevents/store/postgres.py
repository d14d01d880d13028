"""The PostgreSQL `Store` (psycopg 3): the same schema, SQL and behaviour as SQLite, on a server.

PostgreSQL quirks live here and nowhere else: ``?`` placeholders become ``%s``, the connection runs in
autocommit mode with explicit transactions (reads are ``REPEATABLE READ READ ONLY`` snapshots), article
and link writes take one transaction-level advisory lock so concurrent writers never deadlock on the
shared actor and place rows, migrations take another so two processes opening a new database do not both
migrate it, and ``numeric`` results (``SUM``) come back as ints or floats. Install the driver with
``pip install 'newsevents[postgres]'``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsevents.errors import StoreError
from newsevents.store.queries import Query
from newsevents.store.sql import SQLStore, utcnow

__all__ = ["PostgresStore", "redact"]

# Arbitrary constants naming our advisory locks.
_WRITE_LOCK = 7_245_001
_MIGRATION_LOCK = 7_245_002

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def redact(url: str) -> str:
    """`url` with any password replaced by ``***``, for messages.

    Example:
        >>> redact("postgresql://me:secret@db.example/news")
        'postgresql://me:***@db.example/news'
    """
    return _PASSWORD.sub(r"\1***@", url)


def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class PostgresStore(SQLStore):
    """A `newsevents.store.base.Store` in a PostgreSQL database.

    Args:
        url: a libpq connection URL, e.g. ``postgresql://user@127.0.0.1:5432/news``.
        timeout: seconds to wait for the connection and for another writer's lock before failing.
        clock: returns the current time (tz-aware UTC); tests pass a fixed one.

    Raises:
        StoreError: psycopg is not installed, or the server cannot be reached or refuses the login.
        MigrationError: a migration failed (earlier ones stay applied).
    """

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL needs the psycopg driver: pip install 'newsevents[postgres]'"
            ) from exc
        self.name = redact(url)
        self._clock = clock
        self._db_errors = (psycopg.Error,)
        self._closed = False
        self._cursors = 0
        try:
            self._conn = psycopg.connect(
                url, autocommit=True, row_factory=dict_row, connect_timeout=max(1, int(timeout))
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {self.name}: {str(exc).strip()}; check that the server is "
                "running and the URL (host, port, user, database) is right"
            ) from exc
        try:
            self._conn.execute(f"SET lock_timeout = {int(timeout * 1000)}")
            self._conn.execute("SET client_encoding = 'UTF8'")
            self._migrate()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({self.name!r})"

    def close(self) -> None:
        """Close the connection; calling it twice is harmless."""
        if not self._closed:
            self._closed = True
            self._conn.close()

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self!r} is closed; open the store again")
        with self._conn.transaction():
            if not write:
                self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    def _fetch(self, query: Query) -> list[dict[str, Any]]:
        cursor = self._conn.execute(_placeholders(query.sql), query.params or None)
        if cursor.description is None:
            return []
        return [{k: _plain(v) for k, v in row.items()} for row in cursor.fetchall()]

    def _stream(self, query: Query, size: int) -> Iterator[list[dict[str, Any]]]:
        # A named (server-side) cursor: the server keeps the result, we fetch `size` rows at a time.
        self._cursors += 1
        with self._conn.cursor(name=f"newsevents_stream_{self._cursors}") as cursor:
            cursor.execute(_placeholders(query.sql), query.params or None)
            while rows := cursor.fetchmany(size):
                yield [{k: _plain(v) for k, v in row.items()} for row in rows]

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(_placeholders(sql), tuple(params) or None)

    def _executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        rows = [tuple(p) for p in params]
        if rows and not rows[0]:  # a statement without parameters, run once per (empty) row
            for _ in rows:
                self._conn.execute(sql)
            return
        with self._conn.cursor() as cursor:
            cursor.executemany(_placeholders(sql), rows)

    def _lock_migrations(self) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))

    def _lock_writes(self) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def _applied_if_any(self) -> list[str]:
        rows = self._conn.execute("SELECT to_regclass('migrations') IS NOT NULL AS present").fetchall()
        if not rows or not rows[0]["present"]:
            return []
        return [str(r["name"]) for r in self._conn.execute("SELECT name FROM migrations").fetchall()]

    def integrity_problems(self) -> list[str]:
        """PostgreSQL enforces keys and constraints on every write; this checks the server answers and
        that no index is marked invalid (``[]`` when all is well)."""
        with self._read():
            rows = self._fetch(
                Query(
                    "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE NOT i.indisvalid AND n.nspname = current_schema()"
                )
            )
        return [f"invalid index {r['name']}" for r in rows]

    def drop_everything(self) -> None:
        """Drop every newsevents table and view in the current schema (tests and ``--reset`` use it)."""
        tables = [
            "run_units",
            "runs",
            "link_changes",
            "happenings",
            "stories",
            "article_sources",
            "rejections",
            "times",
            "place_mentions",
            "actor_mentions",
            "positions",
            "quotes",
            "event_actors",
            "events",
            "articles",
            "places",
            "actors",
            "migrations",
        ]
        with self._transaction():
            for view in ("event_rows", "quote_rows", "happening_rows"):
                self._conn.execute(f"DROP VIEW IF EXISTS {view}")
            for table in tables:
                self._conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
