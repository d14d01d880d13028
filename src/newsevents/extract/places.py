"""Places: the mentions typed as places (`newsevents.extract.mentions`), geocoded offline with the gazetteer.

Version ``places.v2``: a qualifier decides first ("Paris, Texas", "Tbilisi, Georgia"); then a country name is
the country, a capital is the capital city ("Washington" is Washington, D.C., not the state); then places in
the countries the article mentions, then population. Names the gazetteer does not know are kept with null
coordinates and precision "unknown" rather than guessed.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from newsevents.extract.mentions import MentionTypes, type_mentions
from newsevents.ids import place_id
from newsevents.kb import Gazetteer, PlaceCandidate, Resources, fold
from newsevents.model import Article, Place

__all__ = ["EXTRACTOR", "PlaceIndex", "extract_places"]

EXTRACTOR = "places.v2"


class PlaceIndex:
    """The places of one article with a token -> place lookup."""

    def __init__(self, places: list[Place], by_token: dict[int, Place]) -> None:
        self.places = places
        self._by_token = by_token

    def at(self, token: Token) -> Place | None:
        return self._by_token.get(token.i)


def _qualifier(doc: Doc, end: int, gaz: Gazetteer) -> tuple[PlaceCandidate, ...]:
    """The place named right after a comma ("Paris, Texas"): what the toponym lies in."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return ()
    nxt = doc[end + 1]
    words = [nxt]
    if nxt.ent_iob_ == "B":
        words = [
            t
            for t in doc[nxt.i : nxt.i + 4]
            if t.ent_iob_ in {"B", "I"} and (t.i == nxt.i or t.ent_iob_ == "I")
        ]
    text = doc[words[0].i : words[-1].i + 1].text
    return tuple(c for c in gaz.candidates(text) if c.precision in {"country", "admin1"})


def _contained(
    doc: Doc, start: int, cands: tuple[PlaceCandidate, ...], gaz: Gazetteer, ent_at: dict[int, Span]
) -> PlaceCandidate | None:
    """ "Columbus, Georgia": the state or country after a comma is the one containing the place before it.

    `ent_at` maps a token index to its entity (built once per Doc: no scan of ``doc.ents`` per place).
    """
    if start < 2 or doc[start - 1].text != ",":
        return None
    before = doc[start - 2]
    ent = ent_at.get(before.i)
    prev = gaz.candidates(ent.text if ent is not None else before.text)
    for c in cands:
        if c.precision not in {"country", "admin1"}:
            continue
        if any(
            p.precision == "city"
            and p.country == c.country
            and (c.precision == "country" or p.admin1 == c.admin1)
            for p in prev
        ):
            return c
    return None


def _confidence(
    chosen: PlaceCandidate, cands: tuple[PlaceCandidate, ...], qualified: bool, countries: set[str | None]
) -> float:
    """How sure a resolution is: one reading, a qualifier, a country or capital are near certain; a town
    picked among namesakes only by population is a guess."""
    if len(cands) == 1 or chosen.precision in {"country", "region"} or qualified:
        return 0.95
    if chosen.capital or chosen.precision == "admin1":
        return 0.85
    if chosen.country in countries:
        return 0.75
    rival = next((c for c in cands if c is not chosen), None)
    return 0.6 if rival is None or chosen.population > 10 * rival.population else 0.4


def _choose(
    cands: tuple[PlaceCandidate, ...], article_countries: set[str], within: tuple[PlaceCandidate, ...] = ()
) -> PlaceCandidate | None:
    if not cands:
        return None
    if within:
        inside = [
            c
            for c in cands
            if c.precision == "city"
            and any(
                c.country == w.country and (w.precision == "country" or c.admin1 == w.admin1) for w in within
            )
        ]
        if inside:
            return inside[0]
    countries = [c for c in cands if c.precision == "country"]
    if countries:
        return countries[0]
    capitals = [c for c in cands if c.capital]
    if capitals:
        return capitals[0]
    local = [c for c in cands if c.country in article_countries]
    return (local or list(cands))[0]


def extract_places(
    doc: Doc, article: Article, *, resources: Resources, mentions: MentionTypes | None = None
) -> PlaceIndex:
    """Find and geocode the places named in an article.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        resources: the knowledge base (gazetteer and lexicons).
        mentions: the entity types (`type_mentions`); computed here when not given. Its ``place`` mentions are
            the toponyms, in order.

    Returns:
        A `PlaceIndex`: one `Place` per distinct place with all its mentions.

    Example:
        >>> index = extract_places(nlp("Troops entered Rafah."), article, resources=res)  # doctest: +SKIP
        >>> [p.country for p in index.places]  # doctest: +SKIP
        ['PSE']
    """
    lex, gaz = resources.lexicons, resources.gazetteer
    candidates = gaz.candidates
    types = mentions if mentions is not None else type_mentions(doc, article, resources=resources)
    spans = [(doc[m.start : m.end], m.text) for m in types.of_type("place")]
    ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
    article_countries = {c.country for _, t in spans for c in candidates(t)[:1] if c.precision == "country"}
    # Demonyms and adjectives place the story too ("the Lebanese army" -> LBN).
    article_countries |= {c.iso3 for t in doc if (c := lex.adjectives.get(fold(t.text))) is not None}
    article_countries.discard(None)
    found: dict[str, Place] = {}
    by_token: dict[int, Place] = {}
    for ent, text in spans:
        within = _qualifier(doc, ent.end, gaz)
        cands = candidates(text)
        contained = _contained(doc, ent.start, cands, gaz, ent_at)
        chosen = contained or _choose(cands, {c for c in article_countries if c}, within)
        start = ent.end_char - len(text)
        if chosen is None:
            pid = place_id(None, None, text)
            place = Place(pid, text, None, None, None, None, "unknown")
        else:
            pid = place_id(chosen.country, chosen.geonameid, chosen.name)
            # Keep the article's spelling when it is the same name ("Rafah" for GeoNames' "Rafaḩ").
            name = text if fold(text) == fold(chosen.name) else chosen.name
            place = Place(
                pid,
                name,
                chosen.country,
                chosen.lat,
                chosen.lon,
                chosen.geonameid,
                chosen.precision,
                confidence=_confidence(
                    chosen, cands, contained is not None or bool(within), article_countries
                ),
            )
        prev = found.get(pid, place)
        found[pid] = replace(prev, mentions=(*prev.mentions, (start, ent.end_char)))
        for t in ent:
            by_token[t.i] = found[pid]
    places = list(found.values())
    final = {p.id: p for p in places}
    return PlaceIndex(places, {i: final[p.id] for i, p in by_token.items()})
