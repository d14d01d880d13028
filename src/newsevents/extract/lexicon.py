"""Project-owned lexicons (versioned TSV files in `newsevents/data/`), loaded once and indexed for lookup.

Users can read and edit these files; the loader skips blank lines and lines starting with ``#``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "Country",
    "Lexicons",
    "Organization",
    "Person",
    "Trigger",
    "fold",
    "load_lexicons",
    "read_tsv",
]

_DATA = "newsevents.data"


def fold(text: str) -> str:
    """Normalise a name for lookup: strip accents, lowercase, drop a leading "the", unify quotes and dots.

    Example:
        >>> fold("The U.S.")
        'u.s.'
        >>> fold("Rafaḩ")
        'rafah'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower().strip()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"^the ", "", text)
    return re.sub(r"'s$", "", text)


def read_tsv(name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of a bundled TSV data file as dicts keyed by its header.

    Example:
        >>> next(read_tsv("countries.tsv"))["iso3"].isupper()
        True
    """
    raw = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    capital: str
    lat: float | None
    lon: float | None
    capital_lat: float | None
    capital_lon: float | None


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    code: str | None
    country: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    country: str | None
    sector: str | None
    role: str | None
    start: dt.date | None
    end: dt.date | None

    @property
    def code(self) -> str | None:
        if not self.country:
            return None
        return self.country + (self.sector or "")

    def holds_on(self, day: dt.date | None) -> bool:
        """Whether this role was held on `day` (any role counts when the day is unknown)."""
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    pos: str
    type: str
    mode: str | None
    cameo: str
    constraint: str


@dataclass(frozen=True, slots=True)
class Lexicons:
    """All lookup tables, keyed by `fold`-ed strings."""

    countries: dict[str, Country]  # name, alias, capital-free
    adjectives: dict[str, Country]  # "israeli", "americans", "u.s."
    capitals: dict[str, Country]  # "washington" -> USA
    by_iso3: dict[str, Country]
    roles: dict[str, tuple[str, str]]  # "prime minister" -> ("GOV", "Prime Minister")
    max_role_words: int
    organizations: dict[str, Organization]
    people: dict[str, tuple[Person, ...]]  # full name or alias -> roles
    verb_triggers: dict[str, Trigger]
    noun_triggers: dict[str, Trigger]


def _countries() -> tuple[dict[str, Country], dict[str, Country], dict[str, Country], dict[str, Country]]:
    names: dict[str, Country] = {}
    adjectives: dict[str, Country] = {}
    capitals: dict[str, Country] = {}
    by_iso3: dict[str, Country] = {}
    for row in read_tsv("countries.tsv"):
        c = Country(
            iso3=row["iso3"],
            name=row["name"],
            capital=row.get("capital", ""),
            lat=_float(row.get("lat", "")),
            lon=_float(row.get("lon", "")),
            capital_lat=_float(row.get("capital_lat", "")),
            capital_lon=_float(row.get("capital_lon", "")),
        )
        by_iso3[c.iso3] = c
        for n in [c.name, *_split(row.get("aliases", ""))]:
            names.setdefault(fold(n), c)
        for a in _split(row.get("adjectives", "")):
            adjectives.setdefault(fold(a), c)
        if c.capital:
            capitals.setdefault(fold(c.capital), c)
    return names, adjectives, capitals, by_iso3


def _organizations() -> dict[str, Organization]:
    out: dict[str, Organization] = {}
    for row in read_tsv("organizations.tsv"):
        org = Organization(
            name=row["name"],
            code=row.get("code") or None,
            country=row.get("country") or None,
            kind=row.get("kind") or "other",
        )
        for n in [org.name, *_split(row.get("aliases", ""))]:
            out.setdefault(fold(n), org)
    return out


def _people() -> dict[str, tuple[Person, ...]]:
    out: dict[str, list[Person]] = {}
    for row in read_tsv("people.tsv"):
        p = Person(
            name=row["name"],
            country=row.get("country") or None,
            sector=row.get("sector") or None,
            role=row.get("role") or None,
            start=_date(row.get("start", "")),
            end=_date(row.get("end", "")),
        )
        keys = {fold(p.name), *(fold(a) for a in _split(row.get("aliases", "")))}
        for k in keys:
            out.setdefault(k, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _triggers() -> tuple[dict[str, Trigger], dict[str, Trigger]]:
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    for row in read_tsv("event_triggers.tsv"):
        t = Trigger(
            lemma=row["lemma"].lower(),
            pos=row["pos"].upper(),
            type=row["type"],
            mode=row.get("mode") or None,
            cameo=row["cameo"],
            constraint=row.get("constraint", ""),
        )
        (verbs if t.pos == "VERB" else nouns)[t.lemma] = t
    return verbs, nouns


@functools.cache
def load_lexicons() -> Lexicons:
    """Load every bundled lexicon once.

    Example:
        >>> load_lexicons().adjectives["israeli"].iso3
        'ISR'
    """
    names, adjectives, capitals, by_iso3 = _countries()
    roles: dict[str, tuple[str, str]] = {}
    for row in read_tsv("roles.tsv"):
        roles.setdefault(fold(row["word"]), (row["sector"], row.get("role") or row["word"].title()))
    verbs, nouns = _triggers()
    return Lexicons(
        countries=names,
        adjectives=adjectives,
        capitals=capitals,
        by_iso3=by_iso3,
        roles=roles,
        max_role_words=max((len(k.split()) for k in roles), default=1),
        organizations=_organizations(),
        people=_people(),
        verb_triggers=verbs,
        noun_triggers=nouns,
    )
