"""Places: the toponyms of an article, geocoded offline with GeoNames at every level.

Version ``places.v3``. Mentions are the place mentions of the mention typing
(`newsevents.extract.mentions`), plus what NER misses: all-caps datelines ("GEORGETOWN, Guyana (AP) —"),
state and province abbreviations ("Elkhart, Ind.", "Calif."), and demonyms ("Canadian officials", kind
``demonym``: a reference to the country).

Each toponym's candidates (`Gazetteer.candidates`: countries, regions, states and provinces, counties, towns)
are scored, and the best one wins:

1. A qualifier decides: "Paris, Texas", "Elkhart, Ind.", "Columbus, Georgia" (the state after a comma contains
   the town before it), "Monroe County".
2. Otherwise a score adds the candidate's size (log population), its level (a country, a capital, a state
   before a town of the same size), and the article: the countries it names (also by demonyms), the states
   and counties it names, its outlet's home region when the URL is known (`data/places/outlets.tsv`), and the
   other places resolved in it (one coherent region beats scattered picks: a second pass rescores with the
   first pass's picks). A town's alternate name counts less than its own name; a state named after its big
   city ("New York", "Buenos Aires") is the city unless the text says "state" or "province".

Each place records how it was chosen (``evidence``) and a ``confidence`` from the margin over the runner-up,
calibrated on held-in gold (see the README). Names the gazetteer does not know are kept with null coordinates
and precision "unknown" rather than guessed.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from spacy.tokens import Doc, Span, Token

from newsevents.extract.mentions import MentionTypes, type_mentions
from newsevents.ids import place_id
from newsevents.kb import Gazetteer, PlaceCandidate, Resources, fold
from newsevents.kb.gazetteer import haversine_km
from newsevents.kb.lexicon import read_tsv
from newsevents.model import Article, Place

__all__ = ["EXTRACTOR", "Outlet", "PlaceIndex", "extract_places", "outlet_for"]

EXTRACTOR = "places.v3"

_ADMIN1_WORDS = frozenset({"state", "province", "region", "oblast", "governorate", "prefecture"})
_ADMIN2_WORDS = frozenset({"county", "parish", "district", "borough"})
_NEAR_KM = 250.0


class PlaceIndex:
    """The places of one article with a token -> place lookup (toponyms only: demonyms are not locations)."""

    def __init__(self, places: list[Place], by_token: dict[int, Place]) -> None:
        self.places = places
        self._by_token = by_token

    def at(self, token: Token) -> Place | None:
        return self._by_token.get(token.i)


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet's home: where its local stories happen."""

    domain: str
    name: str
    country: str
    admin1: str | None  # GeoNames admin1 code, when the table names a state or province
    lat: float
    lon: float
    scope: str  # local | national | international


@functools.lru_cache(maxsize=4)
def _outlets(gaz: Gazetteer) -> dict[str, Outlet]:
    out: dict[str, Outlet] = {}
    for row in read_tsv("places/outlets.tsv"):
        admin1 = None
        if row["admin1"]:
            admin1 = next(
                (
                    c.admin1
                    for c in gaz.candidates(row["admin1"])
                    if c.precision == "admin1" and c.country == row["country"]
                ),
                None,
            )
        out[row["domain"]] = Outlet(
            row["domain"],
            row["name"],
            row["country"],
            admin1,
            float(row["lat"]),
            float(row["lon"]),
            row["scope"],
        )
    return out


def outlet_for(url: str | None, gaz: Gazetteer) -> Outlet | None:
    """The outlet an article URL belongs to (its host or a parent domain in `data/places/outlets.tsv`).

    Example:
        >>> from newsevents.kb import default_resources
        >>> outlet_for("https://www.nola.com/news/x.html", default_resources().gazetteer).country
        'USA'
    """
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    table = _outlets(gaz)
    parts = host.split(".")
    for n in range(len(parts) - 1):
        found = table.get(".".join(parts[n:]))
        if found is not None:
            return found
    return None


@dataclass(slots=True)
class _Toponym:
    start: int  # token span
    end: int
    char_start: int
    char_end: int
    text: str
    kind: str  # name | abbreviation | dateline | demonym
    cands: tuple[PlaceCandidate, ...]
    within: tuple[PlaceCandidate, ...] = ()  # a qualifier after a comma ("Paris, Texas")
    state_cue: str = (
        ""  # "admin1" for "New York state", "the province of Buenos Aires"; "admin2" for counties
    )


@dataclass(slots=True)
class _Context:
    countries: dict[str, float]  # ISO3 -> share of the article's placed mentions in that country
    admin1: set[tuple[str, str]]
    admin2: set[tuple[str, str, str]]
    outlet: Outlet | None
    picks: list[tuple[int, PlaceCandidate]]  # the first pass: toponym index -> choice
    # the distinct city and county picks with two of their toponym indexes (a place repeated a thousand
    # times in a huge article is compared once: nearness stays linear in the article)
    near_points: list[tuple[tuple[int, ...], PlaceCandidate]] = field(default_factory=list)
    near_cache: dict[int, list[tuple[tuple[int, ...], PlaceCandidate]]] = field(default_factory=dict)


def _qualifier(doc: Doc, end: int, gaz: Gazetteer, ent_at: dict[int, Span]) -> tuple[PlaceCandidate, ...]:
    """The place named right after a comma ("Paris, Texas", "Elkhart, Ind."): what the toponym lies in."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return ()
    nxt = doc[end + 1]
    abbrev = gaz.abbreviation(nxt.text)
    if abbrev is not None:
        return (abbrev[0],)
    ent = ent_at.get(nxt.i)
    span = ent if ent is not None and ent.start == nxt.i else doc[nxt.i : nxt.i + 1]
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and (
        after.lower_ in {"and", "or"}
        or (after.text == "," and span.end + 1 < len(doc) and doc[span.end + 1].text[:1].isupper())
    ):
        return ()  # a list of places ("China, Japan and Korea"; "Washington, West Virginia, Ohio")
    return tuple(c for c in gaz.candidates(span.text) if c.precision in {"country", "admin1"})


def _state_cue(doc: Doc, start: int, end: int) -> str:
    """ "New York state", "the province of Buenos Aires" -> "admin1"; "Monroe County" (written apart) ->
    "admin2"; else ""."""
    after = doc[end].lower_ if end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    of_word = before[-2] if len(before) >= 2 and before[-1] == "of" else ""
    if after in _ADMIN1_WORDS or of_word in _ADMIN1_WORDS:
        return "admin1"
    if after in _ADMIN2_WORDS or of_word in _ADMIN2_WORDS:
        return "admin2"
    return ""


def _lies_in(c: PlaceCandidate, w: PlaceCandidate) -> bool:
    if c is w or c.country != w.country:
        return False
    if w.precision == "country":
        return c.precision != "country"
    if w.precision == "admin1":
        return c.precision in {"city", "admin2"} and c.admin1 == w.admin1
    if w.precision == "admin2":
        return c.precision == "city" and c.admin1 == w.admin1 and c.admin2 == w.admin2
    return False


#: The weights of the resolver's score, in log10-population units. Set by a coordinate search on the
#: held-in parts of the development gold (``tools/tune_places.py``), never on the held-out parts.
WEIGHTS: dict[str, float] = {
    "population": 1.0,  # times log10(population)
    "country": 1.5,
    "region": 2.5,
    "admin1": 1.0,
    "admin2": 0.5,
    "capital": 3.0,
    "alternate_name": -1.0,  # a town matched by an alternate name only
    "named_after_city": -3.0,  # a division sharing its name with its big city, with no "state"/"county"
    "division_cue": 4.0,  # "New York state", "Monroe County"
    "article_country": 2.0,  # times the share of the article's placed mentions in the candidate's country
    "article_state": 1.5,  # a town or county in a state the article names
    "article_county": 2.0,  # a town in a county the article names
    "outlet_local": 2.0,  # a place in the state of a local outlet
    "outlet_country": 1.0,  # a place in the country of a national or local outlet
    "near": 1.25,  # within 250 km of another place resolved in the article
}


def _score(topo: _Toponym, c: PlaceCandidate, ctx: _Context, index: int) -> tuple[float, list[str]]:
    """How good a reading `c` is for `topo` in this article, with the reasons that counted."""
    w = WEIGHTS
    why: list[str] = []
    s = w["population"] * math.log10(c.population + 10)
    if c.precision in {"country", "region", "admin1", "admin2"}:
        s += w[c.precision]
    if c.capital:
        s += w["capital"]
    key = fold(topo.text)
    if c.precision == "city" and fold(c.name) != key:
        s += w["alternate_name"]
    if (
        c.precision in {"admin1", "admin2"}
        and not topo.state_cue
        and any(
            o.precision == "city"
            and o.population >= (20_000 if fold(o.name) == key else 100_000)
            and o.country == c.country
            and o.admin1 == c.admin1
            for o in topo.cands
        )
    ):
        s += w["named_after_city"]  # "New York" is the city; the state is "New York state"
    if topo.state_cue == c.precision:
        s += w["division_cue"]
        why.append("named as a division")
    share = ctx.countries.get(c.country or "", 0.0)
    if share > 0:
        s += w["article_country"] * share
        why.append(f"article names {c.country} ({share:.0%})")
    if c.country and c.admin1 and c.precision in {"city", "admin2"} and (c.country, c.admin1) in ctx.admin1:
        s += w["article_state"]
        why.append(f"article names its state {c.admin1}")
    if c.precision == "city" and c.country and c.admin1 and (c.country, c.admin1, c.admin2) in ctx.admin2:
        s += w["article_county"]
        why.append("article names its county")
    outlet = ctx.outlet
    if outlet is not None and c.precision != "country" and c.country == outlet.country:
        if outlet.scope == "local" and outlet.admin1 and c.admin1 == outlet.admin1:
            s += w["outlet_local"]
            why.append(f"outlet {outlet.domain} is local there")
        elif outlet.scope != "international":
            s += w["outlet_country"]
            why.append(f"outlet {outlet.domain} is in {outlet.country}")
    if c.precision in {"city", "admin2", "admin1"}:
        if id(c) not in ctx.near_cache:  # the picks near this reading, worked out once per reading
            ctx.near_cache[id(c)] = [
                (idx, p)
                for idx, p in ctx.near_points
                if p is not c
                and c.lat is not None
                and c.lon is not None
                and p.lat is not None
                and p.lon is not None
                and haversine_km(c.lat, c.lon, p.lat, p.lon) <= _NEAR_KM
            ]
        near = [p for idx, p in ctx.near_cache[id(c)] if any(i != index for i in idx)]
        if near:
            s += w["near"]
            why.append(f"near {near[0].name}")
    return s, why


def _decide(topo: _Toponym, ctx: _Context, index: int) -> tuple[PlaceCandidate | None, str, float]:
    """The chosen reading, the evidence, and the confidence."""
    cands = topo.cands
    if not cands:
        return None, "not in the gazetteer", 0.0
    if topo.within:
        inside = [c for c in cands if any(_lies_in(c, w) for w in topo.within)]
        if inside:
            key = fold(topo.text)
            best = max(inside, key=lambda c: (fold(c.name) == key, c.population))
            return best, f"qualified by {topo.within[0].name}", 0.95
    if len(cands) == 1:
        return cands[0], "only reading", 0.9 if cands[0].precision != "city" else 0.85
    scored = sorted(
        ((*_score(topo, c, ctx, index), n, c) for n, c in enumerate(cands)), key=lambda x: (-x[0], x[2])
    )
    (best_s, why, _, best), (second_s, _, _, _) = scored[0], scored[1]
    margin = best_s - second_s
    confidence = round(0.5 + 0.45 * (1 - math.exp(-margin / 1.5)), 3)
    reasons = ", ".join(why) if why else "largest"
    return best, f"{best.precision} by score ({reasons}; margin {margin:.1f})", confidence


def _contained_state(doc: Doc, topos: list[_Toponym]) -> None:
    """ "Columbus, Georgia": a state or country after a comma that contains a reading of the place before it
    is read as that container (Georgia the state, not the country), and qualifies the place before it."""
    for prev, topo in itertools.pairwise(topos):
        if topo.start != prev.end + 1 or doc[prev.end].text != ",":
            continue
        containing = tuple(c for c in topo.cands if any(_lies_in(p, c) for p in prev.cands))
        if containing:
            topo.cands = containing
            prev.within = containing


def _datelines(doc: Doc, gaz: Gazetteer, taken: set[int]) -> Iterable[tuple[int, int]]:
    """All-caps place names opening a paragraph and followed by a comma, "(" or a dash: datelines."""
    for tok in doc:
        if tok.i in taken or not (tok.i == 0 or "\n" in doc[tok.i - 1].text_with_ws):
            continue
        end = tok.i
        while end < len(doc) and doc[end].is_upper and doc[end].is_alpha and end - tok.i < 4:
            end += 1
        if end > tok.i and end < len(doc) and doc[end].text in {",", "(", "—", "–", "-", ":"}:
            if gaz.candidates(doc[tok.i : end].text):
                yield tok.i, end
        elif (
            tok.is_title
            and tok.i + 1 < len(doc)
            and doc[tok.i + 1].text == ":"
            and gaz.is_known_place(tok.text)
        ):  # "Muscat: The ..."
            yield tok.i, tok.i + 1


_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "upper",
        "lower",
        "greater",
        "inner",
        "outer",
    ]
)


def _lookup(text: str, gaz: Gazetteer) -> tuple[tuple[PlaceCandidate, ...], str]:
    """The candidates of a name NER typed as a place, and a division cue ("admin1"/"admin2") when the name
    carries one. A name the gazetteer does not know is retried as an abbreviation ("Calif.", "NSW"), without
    a division word ("Oaxaca State", "Nyanza Province"), and without a compass word ("eastern Ghouta",
    "North Dallas": the place it is part of)."""
    cands = gaz.candidates(text)
    if cands:
        return cands, ""
    abbrev = gaz.abbreviation(text)
    if abbrev is not None:
        return (abbrev[0],), "admin1"
    words = text.split()
    if len(words) >= 2 and words[-1].lower() in _ADMIN1_WORDS | _ADMIN2_WORDS:
        base = gaz.candidates(" ".join(words[:-1]))
        cue = "admin1" if words[-1].lower() in _ADMIN1_WORDS else "admin2"
        if base:
            return base, cue
    if len(words) >= 2 and words[0].lower() in _DIRECTIONS:
        base = gaz.candidates(" ".join(words[1:]))
        if base:
            return base, ""
    return (), ""


@functools.lru_cache(maxsize=1)
def _region_adjectives() -> dict[str, str]:
    return {row["adjective"]: row["place"] for row in read_tsv("places/adjectives.tsv")}


def _toponyms(doc: Doc, article: Article, types: MentionTypes, resources: Resources) -> list[_Toponym]:
    lex, gaz = resources.lexicons, resources.gazetteer
    ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
    out: list[_Toponym] = []
    taken: set[int] = set()
    for m in types.of_type("place"):
        span = doc[m.start : m.end]
        start_char = span.end_char - len(m.text)
        named, cue = _lookup(m.text, gaz)
        topo = _Toponym(m.start, m.end, start_char, span.end_char, m.text, "name", named)
        topo.state_cue = cue
        out.append(topo)
        taken.update(range(m.start, m.end))
    for start, end in _datelines(doc, gaz, taken):
        span = doc[start:end]
        out.append(
            _Toponym(
                start, end, span.start_char, span.end_char, span.text, "dateline", gaz.candidates(span.text)
            )
        )
        taken.update(range(start, end))
    persons = {i for m in types.of_type("person") for i in range(m.start, m.end)}
    for tok in doc:
        if tok.i in taken or tok.i in persons:
            continue
        abbrev = gaz.abbreviation(tok.text)
        if abbrev is not None and _abbreviation_is_place(tok, abbrev[1], taken):
            out.append(
                _Toponym(
                    tok.i, tok.i + 1, tok.idx, tok.idx + len(tok), tok.text, "abbreviation", (abbrev[0],)
                )
            )
            taken.add(tok.i)
            continue
        if not tok.text[:1].isupper():
            continue
        cands: tuple[PlaceCandidate, ...] = ()
        if (country := lex.adjectives.get(fold(tok.text))) is not None:
            cands = tuple(c for c in gaz.candidates(country.name) if c.precision == "country")[:1]
        elif (region := _region_adjectives().get(tok.text)) is not None:
            cands = gaz.candidates(region)[:1]
        if cands:
            out.append(_Toponym(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok), tok.text, "demonym", cands))
    out.sort(key=lambda t: t.start)
    for topo in out:
        if topo.kind in {"name", "dateline"} and not any(
            c.precision in {"country", "admin1"} and fold(c.name) == fold(topo.text) for c in topo.cands[:1]
        ):  # a country or state is not qualified by the next one: that is a list
            topo.within = _qualifier(doc, topo.end, gaz, ent_at)
        if topo.kind in {"name", "dateline"} and not topo.state_cue:
            topo.state_cue = _state_cue(doc, topo.start, topo.end)
    return out


def _abbreviation_is_place(tok: Token, postal: bool, taken: set[int]) -> bool:
    """ "Elkhart, Ind." and "Elkhart, IN" are states; "Ind." after a name is a party, "IN" mostly a word."""
    prev = tok.nbor(-1) if tok.i > 0 else None
    after_place = prev is not None and prev.text == "," and tok.i >= 2 and (tok.i - 2) in taken
    if postal:
        return after_place and tok.is_upper
    if after_place:
        return True
    if prev is not None and prev.lower_ in {"in", "of", "from", "near", "to", "at"}:
        return True
    return (
        prev is not None
        and prev.text == ","
        and tok.i >= 2
        and tok.nbor(-2).text[:1].isupper()
        and (
            tok.i + 1 >= len(tok.doc)
            or tok.nbor(1).text in {"(", ",", "—", "-", "–", "."}
            or tok.nbor(1).is_space
        )
    )


def extract_places(
    doc: Doc, article: Article, *, resources: Resources, mentions: MentionTypes | None = None
) -> PlaceIndex:
    """Find and geocode the places named in an article.

    Args:
        doc: the parsed `article.text`.
        article: the article (its ``url``, when known, names the outlet).
        resources: the knowledge base (gazetteer and lexicons).
        mentions: the entity types (`type_mentions`); computed here when not given.

    Returns:
        A `PlaceIndex`: one `Place` per distinct place with all its mentions.

    Example:
        >>> index = extract_places(nlp("Troops entered Rafah."), article, resources=res)  # doctest: +SKIP
        >>> [p.country for p in index.places]  # doctest: +SKIP
        ['PSE']
    """
    gaz = resources.gazetteer
    types = mentions if mentions is not None else type_mentions(doc, article, resources=resources)
    topos = _toponyms(doc, article, types, resources)
    _contained_state(doc, topos)
    ctx = _Context({}, set(), set(), outlet_for(article.url, gaz), [])
    counts: dict[str, int] = {}
    for topo in topos:  # what the article names unambiguously enough to place the rest
        top = topo.cands[0] if topo.cands else None
        if top is None:
            continue
        if top.country and (
            top.precision != "country"
            or topo.kind == "demonym"
            or len(topo.cands) == 1
            or top.population > 10**7
        ):
            counts[top.country] = counts.get(top.country, 0) + 1
        if top.precision == "admin1" and top.country and top.admin1:
            ctx.admin1.add((top.country, top.admin1))
        if top.precision == "admin2" and top.country and top.admin1 and top.admin2:
            ctx.admin2.add((top.country, top.admin1, top.admin2))
        for w in topo.within:
            if w.country:
                counts[w.country] = counts.get(w.country, 0) + 1
            if w.precision == "admin1" and w.country and w.admin1:
                ctx.admin1.add((w.country, w.admin1))
    total = sum(counts.values())
    ctx.countries = {c: n / total for c, n in counts.items()} if total else {}
    first = [_decide(t, ctx, i) for i, t in enumerate(topos)]
    ctx.picks = [(i, c) for i, (c, _, conf) in enumerate(first) if c is not None and conf >= 0.6]
    points: dict[int, tuple[tuple[int, ...], PlaceCandidate]] = {}
    for i, c in ctx.picks:
        if c.precision in {"city", "admin2"}:
            idx, _ = points.get(id(c), ((), c))
            if len(idx) < 2:
                points[id(c)] = ((*idx, i), c)
    ctx.near_points = list(points.values())
    ctx.near_cache.clear()  # the first pass had no picks to be near
    decisions = [_decide(t, ctx, i) for i, t in enumerate(topos)]
    found: dict[str, Place] = {}
    kinds: dict[str, list[str]] = {}
    by_token: dict[int, str] = {}
    for topo, (chosen, evidence, confidence) in zip(topos, decisions, strict=True):
        if chosen is None:
            pid = place_id(None, None, topo.text)
            place = Place(
                pid, topo.text, None, None, None, None, "unknown", evidence=evidence, confidence=0.0
            )
        else:
            pid = place_id(chosen.country, chosen.geonameid, chosen.name)
            # Keep the article's spelling when it is the same name ("Rafah" for GeoNames' "Rafaḩ").
            same = fold(topo.text) == fold(chosen.name) and not topo.text.isupper()  # not "SPRINGFIELD"
            name = topo.text if same and topo.kind == "name" else chosen.name
            place = Place(
                pid,
                name,
                chosen.country,
                chosen.lat,
                chosen.lon,
                chosen.geonameid,
                chosen.precision,
                confidence=confidence,
                evidence=f"{topo.kind}: {evidence}",
            )
        prev = found.get(pid)
        if prev is None:
            prev = place
        elif topo.kind == "name" and prev.mentions and all(k != "name" for k in kinds[pid]):
            prev = replace(place, mentions=prev.mentions)  # a name describes the place better than "Syrian"
        found[pid] = replace(prev, mentions=(*prev.mentions, (topo.char_start, topo.char_end)))
        kinds.setdefault(pid, []).append(topo.kind)
        if topo.kind != "demonym":
            for i in range(topo.start, topo.end):
                by_token[i] = pid
    places = [replace(p, mention_kinds=tuple(kinds[p.id])) for p in found.values()]
    final = {p.id: p for p in places}
    return PlaceIndex(places, {i: final[pid] for i, pid in by_token.items()})
