"""Linking across stored articles: near-duplicate copies now; stories and happenings build on it.

`link_copies` works over everything in a store, so it gives the same result however the articles were
processed (order, batches, folders).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from newsevents.link.copies import CopyInput, find_copies

if TYPE_CHECKING:
    from newsevents.store.base import Store

__all__ = ["CopyInput", "find_copies", "link_copies"]


def link_copies(store: Store) -> dict[str, str]:
    """Find the near-duplicate articles in a store and record them (``articles.duplicate_of``).

    Returns:
        ``{copy id: canonical id}``.

    Example:
        >>> from newsevents.store import SQLiteStore
        >>> with SQLiteStore(":memory:") as store:
        ...     link_copies(store)
        {}
    """
    inputs = [
        CopyInput(article_id, text, dt.date.fromisoformat(published[:10]) if published else None)
        for article_id, text, published in store.copy_inputs()
    ]
    copies = find_copies(inputs)
    store.set_duplicates(copies)
    return copies
