"""Lexicons: the bundled TSV files in `newsevents/data/` plus optional user lexicons, loaded once and indexed.

Users can read and edit these files; the loader skips blank lines and lines starting with ``#``.

User lexicons (`load_lexicons(("my/lexicons",))`) are directories or single files layered on top of the
bundled ones, in order: ``countries.tsv``, then PETRARCH/Phoenix ``*.actors.txt`` and ``*.agents.txt``
(see `newsevents.kb.petrarch`), then ``roles.tsv``, ``organizations.tsv`` and ``people.tsv``, with the
bundled columns (optional columns may be left out). For the same `fold`-ed key a later layer replaces an
earlier one, so a user can recode a bundled actor. Other files in a directory are skipped (DEBUG log); a file
that cannot be parsed raises `ConfigError` naming the file and line, because lexicons are configuration.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from newsevents.errors import ConfigError
from newsevents.kb.patterns import Trigger, bundled_patterns, index_patterns, read_user_patterns
from newsevents.kb.verbs import read_verb_dictionary

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

log = logging.getLogger(__name__)

_DATA = "newsevents.data"
_BUNDLED = ("countries.tsv", "roles.tsv", "organizations.tsv", "people.tsv", "event_triggers.tsv")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Normalise a name for lookup: strip accents, lowercase, drop a leading "the", unify quotes and dots.

    Example:
        >>> fold("The U.S.")
        'u.s.'
        >>> fold("Rafaḩ")
        'rafah'
    """
    if not text.isascii():  # accents, curly apostrophes; ASCII text (most names) skips the work
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.replace("’", "'").replace("‘", "'")
    text = " ".join(text.lower().split())
    if text.startswith("the "):
        text = text[4:]
    return text[:-2] if text.endswith("'s") else text


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
class Lexicons:
    """All lookup tables, keyed by `fold`-ed strings."""

    countries: Mapping[str, Country]  # name, alias, capital-free
    adjectives: Mapping[str, Country]  # "israeli", "americans", "u.s."
    capitals: Mapping[str, Country]  # "washington" -> USA
    by_iso3: Mapping[str, Country]
    roles: Mapping[str, tuple[str, str]]  # "prime minister" -> ("GOV", "Prime Minister")
    max_role_words: int
    organizations: Mapping[str, Organization]
    people: Mapping[str, tuple[Person, ...]]  # full name or alias -> roles
    verb_triggers: Mapping[str, Trigger]  # lemma -> its least specific pattern (is this lemma a trigger?)
    noun_triggers: Mapping[str, Trigger]
    verb_patterns: Mapping[str, tuple[Trigger, ...]]  # lemma -> every pattern, most specific first
    noun_patterns: Mapping[str, tuple[Trigger, ...]]
    sources: tuple[str, ...] = ()  # "bundled:people.tsv", then each user file as given
    problems: tuple[str, ...] = ()  # lines of user dictionaries that were skipped, as "file:line: reason"


def _country(row: dict[str, str]) -> Country:
    return Country(
        iso3=row["iso3"],
        name=row["name"],
        capital=row.get("capital", ""),
        lat=_float(row.get("lat", "")),
        lon=_float(row.get("lon", "")),
        capital_lat=_float(row.get("capital_lat", "")),
        capital_lon=_float(row.get("capital_lon", "")),
    )


def _countries(
    rows: Iterable[dict[str, str]],
) -> tuple[dict[str, Country], dict[str, Country], dict[str, Country], dict[str, Country]]:
    names: dict[str, Country] = {}
    adjectives: dict[str, Country] = {}
    capitals: dict[str, Country] = {}
    by_iso3: dict[str, Country] = {}
    for row in rows:
        c = _country(row)
        by_iso3[c.iso3] = c
        for n in [c.name, *_split(row.get("aliases", ""))]:
            names.setdefault(fold(n), c)
        for a in _split(row.get("adjectives", "")):
            adjectives.setdefault(fold(a), c)
        if c.capital:
            capitals.setdefault(fold(c.capital), c)
    return names, adjectives, capitals, by_iso3


def _roles(rows: Iterable[dict[str, str]]) -> dict[str, tuple[str, str]]:
    roles: dict[str, tuple[str, str]] = {}
    for row in rows:
        roles.setdefault(fold(row["word"]), (row["sector"], row.get("role") or row["word"].title()))
    return roles


def _organizations(rows: Iterable[dict[str, str]]) -> dict[str, Organization]:
    out: dict[str, Organization] = {}
    for row in rows:
        org = Organization(
            name=row["name"],
            code=row.get("code") or None,
            country=row.get("country") or None,
            kind=row.get("kind") or "other",
        )
        for n in [org.name, *_split(row.get("aliases", ""))]:
            out.setdefault(fold(n), org)
    return out


def _people(rows: Iterable[dict[str, str]]) -> dict[str, tuple[Person, ...]]:
    out: dict[str, list[Person]] = {}
    for row in rows:
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


def _bundled_entries(folder_name: str) -> list[Path]:
    """The ``.tsv`` files of a bundled data folder (``people/``, ``roles/``, ``patterns/``), by name."""
    folder = resources.files(_DATA).joinpath(folder_name)
    if not folder.is_dir():
        return []
    return sorted((Path(str(e)) for e in folder.iterdir() if e.name.endswith(".tsv")), key=lambda p: p.name)


def _bundled_folder(kind: str, folder_name: str) -> list[dict[str, str]]:
    """The rows of every ``<folder_name>/*.tsv`` bundled file, each validated as a user `kind` file."""
    return [row for path in _bundled_entries(folder_name) for row in _read_user_tsv(path, kind=kind)]


def _bundled_folder_names() -> list[str]:
    """``bundled:people/africa.tsv``-style names of the files in the bundled data folders."""
    return [f"bundled:{f}/{p.name}" for f in ("roles", "people", "patterns") for p in _bundled_entries(f)]


def _bundled_roles() -> dict[str, tuple[str, str]]:
    """``roles.tsv`` and every ``roles/*.tsv`` (title and group patterns), each row validated; the core
    table wins where both give a word."""
    return _roles([*read_tsv("roles.tsv"), *_bundled_folder("roles.tsv", "roles")])


def _bundled_people() -> dict[str, tuple[Person, ...]]:
    """``people.tsv`` and every ``people/*.tsv`` (office holders by region, 1990-), each row validated."""
    return _people([*read_tsv("people.tsv"), *_bundled_folder("people.tsv", "people")])


# --- User lexicons -----------------------------------------------------------------------------------------

_COLUMNS = {
    "countries.tsv": (
        *("iso3", "name", "aliases", "adjectives", "capital"),
        *("capital_lat", "capital_lon", "lat", "lon"),
    ),
    "roles.tsv": ("word", "sector", "role"),
    "organizations.tsv": ("name", "aliases", "code", "country", "kind"),
    "people.tsv": ("name", "aliases", "country", "sector", "role", "start", "end"),
}
_REQUIRED = {"countries.tsv": 2, "roles.tsv": 2, "organizations.tsv": 1, "people.tsv": 1}  # leading columns
_CHECKS: dict[str, tuple[str, str]] = {  # column -> (pattern, what it should be)
    "iso3": (r"[A-Z]{3}", "an upper-case ISO 3166 alpha-3 code"),
    "country": (r"[A-Z]{3}", "an upper-case ISO3 or IGO/NGO/IMG code"),
    "sector": (r"[A-Z0-9]+", "an upper-case CAMEO sector code"),
    "code": (r"[A-Z0-9]+", "an upper-case CAMEO actor code"),
    "lat": (r"-?[0-9]+(?:\.[0-9]+)?", "a decimal number"),
    "lon": (r"-?[0-9]+(?:\.[0-9]+)?", "a decimal number"),
    "capital_lat": (r"-?[0-9]+(?:\.[0-9]+)?", "a decimal number"),
    "capital_lon": (r"-?[0-9]+(?:\.[0-9]+)?", "a decimal number"),
    "start": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a YYYY-MM-DD date"),
    "end": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a YYYY-MM-DD date"),
}


@dataclass(slots=True)
class _Tables:
    """The mutable tables while layers are merged; frozen into `Lexicons` at the end."""

    countries: dict[str, Country]
    adjectives: dict[str, Country]
    capitals: dict[str, Country]
    by_iso3: dict[str, Country]
    roles: dict[str, tuple[str, str]]
    organizations: dict[str, Organization]
    people: dict[str, tuple[Person, ...]]
    sources: list[str] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)  # user patterns, before the bundled ones
    problems: list[str] = field(default_factory=list)  # dirty dictionary lines skipped (file:line: reason)
    borrowed: list[Trigger] = field(default_factory=list)  # CAMEO verb dictionaries: after the bundled rows


def _read_user_tsv(path: Path, kind: str = "") -> list[dict[str, str]]:
    """Rows of a user TSV (of `kind`, by default its file name), checked cell by cell; a bad line raises
    `ConfigError` with its line number."""
    kind = kind or path.name.lower()
    columns = _COLUMNS[kind]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as exc:
        raise ConfigError(f"cannot read lexicon {path}: {exc}; save it as UTF-8 text") from exc
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{path}:{lineno}"
        if header is None:
            missing = [c for c in columns[: _REQUIRED[kind]] if c not in cells]
            if missing:
                raise ConfigError(
                    f"{where}: the header lacks {', '.join(missing)}; "
                    f"the first line must name tab-separated columns from {', '.join(columns)}"
                )
            unknown = [c for c in cells if c not in columns]
            if unknown:
                log.debug("%s: ignoring unknown columns %s", path, unknown)
            header = cells
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            raise ConfigError(f"{where}: {len(cells)} fields but the header has {len(header)} (a stray tab?)")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        for col in columns[: _REQUIRED[kind]]:
            if not row[col]:
                raise ConfigError(f"{where}: empty {col!r}; every row needs one")
        for col, value in row.items():
            pattern, what = _CHECKS.get(col, ("", ""))
            if value and pattern and not re.fullmatch(pattern, value):
                raise ConfigError(f"{where}: {col} {value!r} is not {what}")
        if _date_bad(row):
            period = f"{row.get('start')!r}/{row.get('end')!r}"
            raise ConfigError(f"{where}: start/end {period} is not a valid period (dates, end after start)")
        rows.append(row)
    return rows


def _date_bad(row: dict[str, str]) -> bool:
    """An impossible date (2024-02-30), or an end before the start."""
    start, end = (_date(row.get(k, "")) for k in ("start", "end"))
    if (row.get("start") and start is None) or (row.get("end") and end is None):
        return True
    return start is not None and end is not None and end < start


def _apply_tsv(t: _Tables, path: Path) -> None:
    rows = _read_user_tsv(path)
    kind = path.name.lower()
    if kind == "countries.tsv":
        tables = (t.countries, t.adjectives, t.capitals, t.by_iso3)
        for mine, theirs in zip(tables, _countries(rows), strict=True):
            mine.update(theirs)
    elif kind == "roles.tsv":
        t.roles.update(_roles(rows))
    elif kind == "organizations.tsv":
        t.organizations.update(_organizations(rows))
    else:
        t.people.update(_people(rows))
    log.info("lexicon %s: %d rows", path, len(rows))


def _user_files(entry: str) -> list[Path]:
    """The lexicon files of a user entry, in layering order; unknown files in a directory are skipped."""
    if entry.startswith("verbs:"):  # `--verbs FILE`: a CAMEO verb dictionary, whatever its name
        path = Path(entry[len("verbs:") :])
        if not path.is_file():
            raise ConfigError(f"no such verb dictionary: {path}")
        return [path]
    path = Path(entry)
    if path.is_file():
        if _file_rank(path) is None:
            kinds = ", ".join(
                [*_COLUMNS, "patterns.tsv", "*.actors.txt", "*.agents.txt", "CAMEO*.txt", "*.verbs"]
            )
            raise ConfigError(f"lexicon file {entry}: unknown kind; name it one of {kinds}")
        return [path]
    if not path.is_dir():
        raise ConfigError(f"no such lexicon file or directory: {entry}")
    files = []
    for child in sorted(path.iterdir()):
        if child.is_file() and _file_rank(child) is not None:
            files.append(child)
        else:
            log.debug("lexicon directory %s: ignoring %s", path, child.name)
    return sorted(files, key=lambda f: _file_rank(f) or 0)


def _file_rank(path: Path) -> int | None:
    """Layering order: countries first (PETRARCH aliases need them), hand-written TSVs last (they win)."""
    name = path.name.lower()
    if _is_verb_dictionary(path):
        return 7
    if name.endswith(".actors.txt"):
        return 1
    if name.endswith(".agents.txt"):
        return 2
    order = {"countries.tsv": 0, "roles.tsv": 3, "organizations.tsv": 4, "people.tsv": 5, "patterns.tsv": 6}
    return order.get(name)


def _is_verb_dictionary(path: Path) -> bool:
    """PETRARCH's ``CAMEO.2.0.txt``, TABARI-style ``*.verbs`` / ``*.verbs.txt``."""
    name = path.name.lower()
    return (name.startswith("cameo") and name.endswith(".txt")) or name.endswith((".verbs", ".verbs.txt"))


def _relink(t: _Tables) -> None:
    """Point every name at the current `Country` of its ISO3 (a user countries.tsv may replace one)."""
    for table in (t.countries, t.adjectives, t.capitals):
        for key, country in table.items():
            current = t.by_iso3.get(country.iso3)
            if current is not None and current is not country:
                table[key] = current


def load_lexicons(extra: tuple[str, ...] = ()) -> Lexicons:
    """Load the bundled lexicons plus user lexicon directories or files, once per `extra`.

    Args:
        extra: directories (with ``people.tsv``, ``organizations.tsv``, ``roles.tsv``, ``countries.tsv``,
            ``*.actors.txt``, ``*.agents.txt``) or single such files, layered in order over the bundled ones.

    Returns:
        The indexed tables; ``load_lexicons()`` is the same cached object on every call.

    Raises:
        ConfigError: a path does not exist, or a file cannot be parsed (the message names file and line).

    Example:
        >>> load_lexicons().adjectives["israeli"].iso3
        'ISR'
        >>> load_lexicons().sources[0]
        'bundled:countries.tsv'
    """
    return _load(tuple(str(e) for e in extra))


@functools.cache
def _load(extra: tuple[str, ...]) -> Lexicons:
    from newsevents.kb import layers  # it layers over the tables defined here

    names, adjectives, capitals, by_iso3 = _countries(read_tsv("countries.tsv"))
    t = _Tables(
        countries=names,
        adjectives=adjectives,
        capitals=capitals,
        by_iso3=by_iso3,
        roles=_bundled_roles(),
        organizations=_organizations(read_tsv("organizations.tsv")),
        people=_bundled_people(),
        sources=[f"bundled:{n}" for n in _BUNDLED] + _bundled_folder_names(),
    )
    for entry in extra:
        for path in _user_files(entry):
            name = path.name.lower()
            if name.endswith(".actors.txt"):
                layers.apply_actors(t, path)
            elif name.endswith(".agents.txt"):
                layers.apply_agents(t, path)
            elif name == "patterns.tsv":
                t.triggers[:0] = read_user_patterns(path)  # a later user file wins over an earlier one
            elif entry.startswith("verbs:") or _is_verb_dictionary(path):
                vd = read_verb_dictionary(path)
                t.borrowed.extend(vd.triggers)
                t.problems.extend(vd.problems)
                log.info("verb dictionary %s: %d verbs, %d patterns", path, vd.verbs, vd.patterns)
            else:
                _apply_tsv(t, path)
            t.sources.append(str(path))
    if extra:
        _relink(t)
    ours = [*t.triggers, *bundled_patterns()]
    known = {(p.lemma, p.pos) for p in ours}
    # a borrowed dictionary adds the verbs we lack; where we know a verb our patterns decide
    verbs, nouns = index_patterns([*ours, *(p for p in t.borrowed if (p.lemma, p.pos) not in known)])
    return Lexicons(
        countries=MappingProxyType(t.countries),
        adjectives=MappingProxyType(t.adjectives),
        capitals=MappingProxyType(t.capitals),
        by_iso3=MappingProxyType(t.by_iso3),
        roles=MappingProxyType(t.roles),
        max_role_words=max((len(k.split()) for k in t.roles), default=1),
        organizations=MappingProxyType(t.organizations),
        people=MappingProxyType(t.people),
        verb_triggers=MappingProxyType({k: v[-1] for k, v in verbs.items()}),
        noun_triggers=MappingProxyType({k: v[-1] for k, v in nouns.items()}),
        verb_patterns=MappingProxyType(verbs),
        noun_patterns=MappingProxyType(nouns),
        sources=tuple(t.sources),
        problems=tuple(t.problems),
    )
