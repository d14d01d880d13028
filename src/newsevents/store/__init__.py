"""The store stage: where article results are saved and read back, behind one `Store` protocol.

`open_store` picks the backend from a URL. Rows are derived from the contract object in
`newsevents.store.rows`; reads go through the filters of `newsevents.store.queries`, and the listings print
the contract's event and quote objects with fields added, never renamed. An article is one row however many
places it was read from; each place is one of its ``sources``.
"""

from __future__ import annotations

import os
import re

from newsevents.errors import StoreError
from newsevents.store.base import SaveStatus, Store
from newsevents.store.browse import ActorFilter, PlaceFilter, PositionFilter
from newsevents.store.linking import StoryFilter
from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter, next_cursor
from newsevents.store.sqlite import SQLiteStore

__all__ = [
    "ActorFilter",
    "ArticleFilter",
    "EventFilter",
    "PlaceFilter",
    "PositionFilter",
    "QuoteFilter",
    "SQLiteStore",
    "SaveStatus",
    "Store",
    "StoryFilter",
    "next_cursor",
    "open_store",
]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def open_store(url: str | os.PathLike[str]) -> Store:
    """Open the store a database URL names, applying any pending migrations.

    A plain path or ``sqlite:///path`` opens SQLite (``sqlite:///rel.db`` is relative, ``sqlite:////abs.db``
    absolute, ``sqlite://`` or ``:memory:`` in memory). ``postgresql://`` (or ``postgres://``) opens
    PostgreSQL through psycopg 3 (`newsevents.store.postgres.PostgresStore`).

    Args:
        url: a file path or a database URL.

    Returns:
        An open `Store`; close it, or use it as a context manager.

    Raises:
        StoreError: an unsupported URL, or a database that cannot be opened.

    Example:
        >>> with open_store("sqlite://") as store:
        ...     store.counts()["events"]
        0
    """
    text = os.fspath(url)
    match = _SCHEME.match(text)
    if match is None:
        return SQLiteStore(text)
    scheme = match[1].lower()
    rest = text[match.end() :]
    if scheme == "sqlite":
        if not rest:
            return SQLiteStore(":memory:")
        if not rest.startswith("/"):
            raise StoreError(
                f"SQLite URL {text!r} has a host part; write sqlite:///relative/path.db or sqlite:////absolute/path.db"
            )
        return SQLiteStore(rest[1:] or ":memory:")
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        from newsevents.store.postgres import PostgresStore

        if scheme.startswith("postgresql+"):  # SQLAlchemy-style driver suffix
            text = "postgresql://" + rest
        return PostgresStore(text)
    # Only the scheme is echoed: the rest of a URL may hold a password.
    raise StoreError(
        f"unsupported database URL scheme {scheme!r}; use a SQLite path, sqlite:///path or postgresql://..."
    )
