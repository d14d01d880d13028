"""The knowledge base: every lexicon, the gazetteer and the CAMEO table, in one immutable `Resources` object.

`load_resources(paths)` reads the bundled data files plus the user's lexicon files or directories once,
validates them (a bad line raises `ConfigError` naming the file and the line), builds the gazetteer from the
resulting countries (so a country a user adds is both an actor and a place) and returns one read-only object
that the pipeline hands to every extractor. No extractor reads a cached global.

Loading takes about 6-8 s on one core (the gazetteer indexes ~170,000 GeoNames places); it happens once per
process, before the first article, and `load_resources` returns the same object for the same paths.

Example:
    >>> res = default_resources()
    >>> res.lexicons.adjectives["israeli"].iso3, res.cameo.info("042").name
    ('ISR', 'Make a visit')
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from newsevents.kb.cameo import CameoCode, CameoTable, load_cameo
from newsevents.kb.gazetteer import Gazetteer, PlaceCandidate
from newsevents.kb.lexicon import Country, Lexicons, Organization, Person, Trigger, fold, load_lexicons

__all__ = [
    "CameoCode",
    "CameoTable",
    "Country",
    "Gazetteer",
    "Lexicons",
    "Organization",
    "Person",
    "PlaceCandidate",
    "Resources",
    "Trigger",
    "default_resources",
    "fold",
    "load_resources",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything the extractors look up, loaded once: lexicons (bundled + user), gazetteer, CAMEO table.

    Attributes:
        lexicons: countries, roles, organisations, people and event triggers.
        gazetteer: the place-name index (countries from `lexicons`, regions, GeoNames places).
        cameo: CAMEO names, quad classes and Goldstein scores.
        paths: the user lexicon paths this was loaded from (empty: bundled data only).
    """

    lexicons: Lexicons
    gazetteer: Gazetteer
    cameo: CameoTable
    paths: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Every data file read, bundled first (``bundled:people.tsv``), then each user file as given."""
        return (
            *self.lexicons.sources,
            "bundled:regions.tsv",
            "bundled:cameo.tsv",
            "bundled:geonames",
            "bundled:places",
        )

    def describe(self) -> dict[str, int]:
        """Sizes of the loaded tables (what ``newsevents info`` prints).

        Example:
            >>> default_resources().describe()["countries"] > 190
            True
        """
        lex = self.lexicons
        return {
            "countries": len(lex.by_iso3),
            "role words": len(lex.roles),
            "organisations": len({o.name for o in lex.organizations.values()}),
            "people": len({p.name for ps in lex.people.values() for p in ps}),
            "trigger lemmas": len(lex.verb_patterns) + len(lex.noun_patterns),
            "event patterns": sum(len(v) for t in (lex.verb_patterns, lex.noun_patterns) for v in t.values()),
            "place names": len(self.gazetteer),
            "CAMEO codes": len(self.cameo),
        }


def load_resources(paths: Iterable[str] = ()) -> Resources:
    """Load the knowledge base: the bundled data plus user lexicon files or directories, in order.

    Args:
        paths: user lexicon directories or files (``people.tsv``, ``organizations.tsv``, ``roles.tsv``,
            ``countries.tsv``, PETRARCH ``*.actors.txt`` / ``*.agents.txt``), layered over the bundled data.

    Returns:
        The same immutable `Resources` for the same paths within a process.

    Raises:
        ConfigError: a path does not exist or a file cannot be parsed (the message names file and line).

    Example:
        >>> load_resources() is load_resources(())
        True
    """
    return _load(tuple(str(p) for p in paths))


def default_resources() -> Resources:
    """The bundled knowledge base with no user lexicons (`load_resources` with no paths)."""
    return _load(())


@functools.cache
def _load(paths: tuple[str, ...]) -> Resources:
    started = time.perf_counter()
    lexicons = load_lexicons(paths)
    resources = Resources(lexicons, Gazetteer(lexicons), load_cameo(), paths)
    log.info("knowledge base loaded in %.1f s (%s)", time.perf_counter() - started, resources.describe())
    return resources
