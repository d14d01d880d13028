"""The extractor registry: the one ordered list of extractors that the pipeline, the benchmark, every scorer
and the tests run.

Each `Extractor` has a versioned name (``"events.v1"``), the results it `requires` (``doc`` and ``article``
are always there) and the one result it `provides`. `check_extractors` verifies at import that every
requirement is provided by an earlier extractor, as spaCy's pipe analysis does for components, and
`run_extractors` runs exactly that checked list. To add an extractor: write ``extract_<thing>(doc, article,
..., *, resources)`` in its own module and append an `Extractor` here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.extract import actors, events, mentions, places, positions, quotes
from newsevents.extract import time as timex

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsevents.kb import Resources
    from newsevents.model import Article

__all__ = [
    "ALWAYS",
    "EXTRACTORS",
    "Extractor",
    "check_extractors",
    "extractor_names",
    "extractors_for",
    "run_extractors",
]

#: What every extractor may require without an earlier extractor providing it.
ALWAYS = frozenset({"doc", "article"})

#: ``run(doc, article, resources, results so far) -> the result it provides``.
RunFn = Callable[["Doc", "Article", "Resources", Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Extractor:
    """One registered extractor: versioned name, what it needs and provides, and how to run it."""

    name: str
    requires: tuple[str, ...]
    provides: str
    run: RunFn


def _times(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return timex.extract_times(doc, article)


def _mentions(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return mentions.type_mentions(doc, article, resources=res)


def _actors(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return actors.extract_actors(doc, article, resources=res, mentions=got["mentions"])


def _places(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return places.extract_places(doc, article, resources=res, mentions=got["mentions"])


def _events(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return events.extract_events(doc, article, got["actors"], got["places"], got["times"], resources=res)


def _quotes(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return quotes.extract_quotes(doc, article, got["actors"])


def _positions(doc: Doc, article: Article, res: Resources, got: Mapping[str, Any]) -> Any:
    return positions.extract_positions(doc, article, got["actors"], got["quotes"])


#: Every extractor, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (
    Extractor(timex.EXTRACTOR, ("doc", "article"), "times", _times),
    Extractor(mentions.EXTRACTOR, ("doc", "article"), "mentions", _mentions),
    Extractor(actors.EXTRACTOR, ("doc", "article", "mentions"), "actors", _actors),
    Extractor(places.EXTRACTOR, ("doc", "article", "mentions"), "places", _places),
    Extractor(events.EXTRACTOR, ("doc", "article", "actors", "places", "times"), "events", _events),
    Extractor(quotes.EXTRACTOR, ("doc", "article", "actors"), "quotes", _quotes),
    Extractor(positions.EXTRACTOR, ("doc", "article", "actors", "quotes"), "positions", _positions),
)


def check_extractors(extractors: Iterable[Extractor] = EXTRACTORS) -> None:
    """Raise `ConfigError` when an extractor needs a result no earlier extractor provides.

    Example:
        >>> check_extractors()
        >>> check_extractors(reversed(EXTRACTORS))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        newsevents.errors.ConfigError: extractor positions.v1 requires ['actors', 'quotes'], which no ...
    """
    have = set(ALWAYS)
    for extractor in extractors:
        missing = set(extractor.requires) - have
        if missing:
            raise ConfigError(
                f"extractor {extractor.name} requires {sorted(missing)}, which no earlier extractor provides"
            )
        if extractor.provides in have:
            raise ConfigError(f"extractor {extractor.name} provides {extractor.provides!r} a second time")
        have.add(extractor.provides)


check_extractors()


def extractor_names(extractors: Iterable[Extractor] = EXTRACTORS) -> tuple[str, ...]:
    """The versioned names, in order (recorded in every result's provenance)."""
    return tuple(e.name for e in extractors)


def extractors_for(*wanted: str, extractors: tuple[Extractor, ...] = EXTRACTORS) -> tuple[Extractor, ...]:
    """The registered extractors needed to provide `wanted` (and what they require), in registry order.

    The scorers run these, so a scorer runs exactly what the pipeline runs up to the stage it scores.

    Raises:
        ConfigError: nothing provides one of `wanted`.

    Example:
        >>> [e.provides for e in extractors_for("quotes")][-1]
        'quotes'
    """
    by_result = {e.provides: e for e in extractors}
    needed: set[str] = set()
    todo = list(wanted)
    while todo:
        result = todo.pop()
        if result in ALWAYS or result in needed:
            continue
        if result not in by_result:
            raise ConfigError(f"no registered extractor provides {result!r}")
        needed.add(result)
        todo.extend(by_result[result].requires)
    return tuple(e for e in extractors if e.provides in needed)


def run_extractors(
    doc: Doc,
    article: Article,
    resources: Resources,
    extractors: Iterable[Extractor] = EXTRACTORS,
    *,
    on_stage: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the extractors in order over one parsed article.

    Args:
        doc: ``nlp(article.text)``.
        article: the cleaned article.
        resources: the knowledge base.
        extractors: which to run (checked first); the registry by default.
        on_stage: called with each extractor's name before it runs (the benchmark times stages with it,
            the batch loop records which stage failed).

    Returns:
        ``{provides: result}`` for every extractor run.

    Raises:
        ConfigError: the list is not in a valid order.

    Example:
        >>> sorted(run_extractors(doc, article, default_resources()))  # doctest: +SKIP
        ['actors', 'events', 'mentions', 'places', 'positions', 'quotes', 'times']
    """
    chosen = tuple(extractors)
    if chosen is not EXTRACTORS:
        check_extractors(chosen)
    got: dict[str, Any] = {}
    for extractor in chosen:
        if on_stage is not None:
            on_stage(extractor.name)
        got[extractor.provides] = extractor.run(doc, article, resources, got)
    return got
