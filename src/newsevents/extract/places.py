"""Places: toponyms from NER (and names NER mistook for people), geocoded offline with the gazetteer.

Version ``places.v2``: a qualifier decides first ("Paris, Texas", "Tbilisi, Georgia"); then a country name is
the country, a capital is the capital city ("Washington" is Washington, D.C., not the state); then places in
the countries the article mentions, then population. Names the gazetteer does not know are kept with null
coordinates and precision "unknown" rather than guessed.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from newsevents.extract.gazetteer import PlaceCandidate, candidates, is_known_place, place_id
from newsevents.extract.lexicon import fold, load_lexicons
from newsevents.model import Article, Place

__all__ = ["EXTRACTOR", "PlaceIndex", "extract_places"]

EXTRACTOR = "places.v2"
_LABELS = {"GPE", "LOC", "FAC"}


class PlaceIndex:
    """The places of one article with a token -> place lookup."""

    def __init__(self, places: list[Place], by_token: dict[int, Place]) -> None:
        self.places = places
        self._by_token = by_token

    def at(self, token: Token) -> Place | None:
        return self._by_token.get(token.i)


def _qualifier(doc: Doc, end: int) -> tuple[PlaceCandidate, ...]:
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
    return tuple(c for c in candidates(text) if c.precision in {"country", "admin1"})


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


def extract_places(doc: Doc, article: Article) -> PlaceIndex:
    """Find and geocode the places named in an article.

    Args:
        doc: the parsed `article.text`.
        article: the article.

    Returns:
        A `PlaceIndex`: one `Place` per distinct place with all its mentions.

    Example:
        >>> index = extract_places(nlp("Troops entered Rafah."), article)  # doctest: +SKIP
        >>> [p.country for p in index.places]  # doctest: +SKIP
        ['PSE']
    """
    lex = load_lexicons()
    spans = []
    for ent in doc.ents:
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        if ent.label_ in _LABELS and fold(text) in lex.people and not candidates(text):
            continue  # a person NER mistook for a place ("Blinken" as GPE)
        if ent.label_ in _LABELS or (
            ent.label_ == "PERSON" and len(ent) <= 3 and is_known_place(text) and fold(text) not in lex.people
        ):
            spans.append((ent, text))
    article_countries = {c.country for _, t in spans for c in candidates(t)[:1] if c.precision == "country"}
    article_countries.discard(None)
    found: dict[str, Place] = {}
    by_token: dict[int, Place] = {}
    for ent, text in spans:
        within = _qualifier(doc, ent.end)
        chosen = _choose(candidates(text), {c for c in article_countries if c}, within)
        start = ent.end_char - len(text)
        if chosen is None:
            pid = place_id(None, None, text)
            place = Place(pid, text, None, None, None, None, "unknown")
        else:
            pid = place_id(chosen.country, chosen.geonameid, chosen.name)
            # Keep the article's spelling when it is the same name ("Rafah" for GeoNames' "Rafaḩ").
            name = text if fold(text) == fold(chosen.name) else chosen.name
            place = Place(
                pid, name, chosen.country, chosen.lat, chosen.lon, chosen.geonameid, chosen.precision
            )
        prev = found.get(pid, place)
        found[pid] = replace(prev, mentions=(*prev.mentions, (start, ent.end_char)))
        for t in ent:
            by_token[t.i] = found[pid]
    places = list(found.values())
    final = {p.id: p for p in places}
    return PlaceIndex(places, {i: final[p.id] for i, p in by_token.items()})
