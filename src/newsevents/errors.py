"""Exception tree for newsevents.

Bad data is not an exception: it becomes a `newsevents.model.Rejected` record. Exceptions are for bugs,
bad configuration and unusable environments::

    NewsEventsError
    ├── ConfigError          invalid settings or usage
    ├── SourceError          an input source that cannot be opened at all
    │   ├── FetchError       could not fetch a URL
    │   └── ParseError       a source whose format cannot be parsed
    ├── ModelError           the spaCy model is missing or unsuitable
    └── StoreError           the database cannot be opened or written
        └── MigrationError   a schema migration failed
"""

from __future__ import annotations

from newsevents.model import ReasonCode

__all__ = [
    "ConfigError",
    "FetchError",
    "MigrationError",
    "ModelError",
    "NewsEventsError",
    "ParseError",
    "ReasonCode",
    "SourceError",
    "StoreError",
]


class NewsEventsError(Exception):
    """Base of every error raised by newsevents."""


class ConfigError(NewsEventsError):
    """Invalid settings or usage."""


class SourceError(NewsEventsError):
    """An input source that cannot be opened at all."""


class FetchError(SourceError):
    """A URL that could not be fetched."""


class ParseError(SourceError):
    """A source whose format cannot be parsed."""


class ModelError(NewsEventsError):
    """The spaCy model is missing or unsuitable."""


class StoreError(NewsEventsError):
    """The database cannot be opened or written."""


class MigrationError(StoreError):
    """A schema migration failed."""
