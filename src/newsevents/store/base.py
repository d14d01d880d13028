"""The `Store` protocol every backend implements, and the save decision every backend shares.

The rows an article writes are derived from its contract object in `newsevents.store.rows`; a backend runs
them inside one transaction (see `newsevents.store.rows` for the order) and reads through
`newsevents.store.queries`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Protocol

from newsevents.model import ArticleResult, Rejected
from newsevents.store.browse import ActorFilter, PlaceFilter, PositionFilter
from newsevents.store.linking import LinkInputs, LinkWrite, StoryFilter
from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter

__all__ = ["SaveStatus", "Store", "is_unchanged"]

#: What `Store.save_result` did ("duplicate": the same article, already stored, from a new source).
SaveStatus = Literal["new", "updated", "unchanged", "duplicate"]


class Store(Protocol):
    """A database of article results: the pipeline writes through it, the CLI and the API read through it."""

    name: str
    dialect: str

    def save_result(self, result: ArticleResult, *, run_id: str | None = None) -> SaveStatus:
        """Store one article's results in one transaction, replacing an earlier version; record its source
        (and, given a run, the unit in its ledger)."""
        ...

    def start_run(self, command: str, inputs: Sequence[str], settings: dict[str, Any] | None = None) -> str:
        """Open a run's ledger and return its id."""
        ...

    def record_unit(self, run_id: str, source: str, outcome: str, *, reason: str | None = None) -> None:
        """Write one unit to a run's ledger without storing anything."""
        ...

    def finish_run(self, run_id: str, status: str = "finished") -> dict[str, Any]:
        """Close a run's ledger and return the run with its counts."""
        ...

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first, with their counts."""
        ...

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """One run (id or unique prefix) with its counts, or None."""
        ...

    def run_units(self, run_id: str, outcome: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """A run's units, optionally of one outcome."""
        ...

    def list_rejections(self, reason: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The quarantined units."""
        ...

    def links_stale(self) -> bool:
        """Whether some stored article or event has no link yet."""
        ...

    def canonical_dump(self) -> Iterator[str]:
        """The stored content as sorted JSON lines, without times, counters and ledgers."""
        ...

    def dump_hash(self) -> str:
        """The sha256 of `canonical_dump`."""
        ...

    def integrity_problems(self) -> list[str]:
        """What the database's own consistency check reports (``[]`` when all is well)."""
        ...

    def link_inputs(self) -> LinkInputs:
        """Everything `newsevents.link.link_store` reads, in one snapshot."""
        ...

    def link_pages(self) -> Iterator[dict[str, Any]]:
        """Every article's ``id``, ``text``, ``names`` and ``places``, ordered by id, a page at a time."""
        ...

    def link_events(self, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The ``events``, their ``actors`` and the articles' ``sources``, for some articles."""
        ...

    def save_links(self, link: LinkWrite) -> None:
        """Replace every link (copies, stories, happenings) in one transaction, recording id changes."""
        ...

    def list_stories(self, filters: StoryFilter) -> list[dict[str, Any]]:
        """Stories matching `filters`, in the contract's shape."""
        ...

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """One story, or None."""
        ...

    def story_changes(self, old_id: str) -> list[dict[str, Any]]:
        """The latest re-link's record of what became of a replaced story or happening id."""
        ...

    def save_rejection(self, rejected: Rejected, *, run_id: str | None = None) -> None:
        """Record a unit that was not stored: quarantined ones in ``rejections`` (repeats of the same
        (source, stage, reason) counted in one row), and, given a run, every one in its ledger."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per main table."""
        ...

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they were applied."""
        ...

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Totals over the whole database (see `newsevents.store.queries.stats`)."""
        ...

    def list_articles(self, filters: ArticleFilter) -> list[dict[str, Any]]:
        """Articles matching `filters`, as JSON-ready dicts, with every source each was seen at."""
        ...

    def list_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Events matching `filters`: each the contract's event object plus article and linking fields."""
        ...

    def iter_events(self, filters: EventFilter, chunk: int = ...) -> Iterator[dict[str, Any]]:
        """Every event `filters` matches, in `list_events` order, streamed (for exports: flat memory)."""
        ...

    def list_actors(self, filters: ActorFilter) -> list[dict[str, Any]]:
        """Actor identities with their event and quote counts."""
        ...

    def list_places(self, filters: PlaceFilter) -> list[dict[str, Any]]:
        """Places with coordinates and event counts."""
        ...

    def list_positions(self, filters: PositionFilter) -> list[dict[str, Any]]:
        """Positions (holder, stance, target, evidence)."""
        ...

    def event_count(self, filters: EventFilter) -> int:
        """How many happenings (or reports, with ``mentions``) match `filters`, counted in the database."""
        ...

    def event_histogram(self, filters: EventFilter, interval: str = "day") -> list[dict[str, Any]]:
        """Matching events per day, week, month or year and type, counted in the database."""
        ...

    def event_places(self, filters: EventFilter, top: int = 500) -> list[dict[str, Any]]:
        """The places with the most matching events, counted in the database."""
        ...

    def event_dyads(self, filters: EventFilter, top: int = 200) -> list[dict[str, Any]]:
        """Actor-recipient pairs by matching events, counted in the database."""
        ...

    def list_quotes(self, filters: QuoteFilter) -> list[dict[str, Any]]:
        """Quotes matching `filters`: each the contract's quote object plus article fields."""
        ...

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The stored contract object of one article, or None."""
        ...

    def close(self) -> None:
        """Release the connection; calling it twice is harmless."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def is_unchanged(stored: Mapping[str, Any], result: ArticleResult, payload: str) -> bool:
    """Whether the stored version of an article needs no rewrite.

    Same content hash, pipeline version and model name/version. An empty content hash proves nothing, so
    then the whole stored JSON must be equal too.

    Args:
        stored: the stored row's ``content_hash``, ``pipeline_version``, ``model_name``, ``model_version``
            and ``result_json``.
        result: the new results.
        payload: ``result_json(result)``.

    Returns:
        True when saving `result` would change nothing that matters.

    Example:
        >>> from newsevents.model import Article
        >>> r = ArticleResult(Article(id="a", source="s", text="t", content_hash="h"), pipeline_version="1")
        >>> is_unchanged({"content_hash": "h", "pipeline_version": "1", "model_name": None,
        ...               "model_version": None, "result_json": ""}, r, "")
        True
    """
    model = result.model
    same: bool = (
        stored["content_hash"] == result.article.content_hash
        and stored["pipeline_version"] == result.pipeline_version
        and stored["model_name"] == (model.name if model else None)
        and stored["model_version"] == (model.version if model else None)
    )
    if same and not result.article.content_hash:
        same = stored["result_json"] == payload
    return same
