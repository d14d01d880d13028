"""Inputs the linkers read more than once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def replayable(items: Iterable[T] | Callable[[], Iterable[T]]) -> Callable[[], Iterable[T]]:
    """A callable giving the same items each time: `items` itself when it is one (a stream to re-read, e.g.
    from a store), else the items held in a list.

    Example:
        >>> again = replayable(iter([1, 2]))
        >>> list(again()), list(again())
        ([1, 2], [1, 2])
    """
    if callable(items):
        return items
    held = list(items)
    return lambda: held
