"""Interfaces of the ingest stage: where raw articles come from (`Source`), how bytes are fetched (`Fetcher`).

Every source yields `RawArticle` records, or `Rejected` records for inputs it could not read; bad input never
raises, so one broken file or feed item does not stop a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, TypeAlias, runtime_checkable

from newsevents.model import RawArticle, ReasonCode, Rejected

__all__ = ["STAGE", "STDIN_SOURCE", "Fetcher", "IngestItem", "Source", "reject"]

#: The `Rejected.stage` of everything the ingest stage turns away.
STAGE = "ingest"

#: The `source` given to input read from standard input (``-`` on the command line).
STDIN_SOURCE = "<stdin>"

#: What an ingest source yields.
IngestItem: TypeAlias = RawArticle | Rejected


@runtime_checkable
class Source(Protocol):
    """Anything that yields raw articles: files, feeds, WARC archives, ..."""

    def read(self) -> Iterator[IngestItem]:
        """Yield every article of the source, and a `Rejected` for each input that could not be read."""
        ...


@runtime_checkable
class Fetcher(Protocol):
    """Fetches the bytes behind a URL (a real HTTP client, or canned responses in tests)."""

    def fetch(self, url: str) -> bytes:
        """Return the body found at `url`; raise `newsevents.errors.FetchError` when it cannot be had."""
        ...


def reject(source: str, reason: ReasonCode, detail: str) -> Rejected:
    """Build the `Rejected` record of an input the ingest stage could not use.

    Args:
        source: the path, ``path:line`` or URL of the input.
        reason: why it was rejected.
        detail: a human explanation naming the problem, e.g. ``"no such file or directory"``.

    Returns:
        A `Rejected` with ``stage="ingest"``.

    Example:
        >>> reject("a.txt", ReasonCode.EMPTY, "empty file").stage
        'ingest'
    """
    return Rejected(source=source, stage=STAGE, reason=reason, detail=detail)
