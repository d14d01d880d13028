"""Mention typing: one decision per entity (and per place NER missed): person, place, organization or other.

Version ``mentions.v1``. spaCy's NER misreads names ("Rafah" as a PERSON, "Blinken" as a GPE, "the White
House" as a FAC where it acts as an organisation). The actor and the place extractors used to correct it each
with its own lexicons; `type_mentions` now decides once, with one rule set, and both consume the decision:
`extract_actors` takes the ``person`` and ``organization`` mentions (and reads countries and capitals among
the ``place`` and ``other`` ones as states when they act), `extract_places` geocodes the ``place`` mentions.

The rules, in order, for an entity whose text (without a leading "the" or a trailing "'s") is *name*:

1. The last word of a full name NER found as a PERSON elsewhere in the article ("Massa" after "Sergio Massa")
   is that person, whatever NER calls it, unless it is a dictionary organisation, country, capital or demonym.
2. NER says PERSON: a dictionary person is a person; else a dictionary organisation is an organisation; else
   a name of 1-3 tokens the gazetteer knows as a country, state or town of 15,000+ is a place (a demonym such
   as "Thai" is other); else a person.
3. A dictionary organisation is an organisation, unless NER called it a place (GPE, LOC, FAC) and the text
   uses it as one, after a static locative preposition ("signed the accords at the White House", "in front
   of the European Parliament"): then it is a place.
4. A dictionary person NER called something else (GPE, FAC, ORG, NORP, LOC, PRODUCT, WORK_OF_ART) is a
   person when the name is not a country and the dictionary resolves it on the article's date (or it has
   several words).
5. GPE, LOC and FAC are places, except a dictionary person the gazetteer does not know at all (a person).
6. An ORG, NORP, PRODUCT or WORK_OF_ART of 1-3 tokens the gazetteer knows as a country, state or town of
   15,000+ is a place, unless the name is a dictionary person, organisation or demonym.
7. Else ORG is an organisation and anything else (demonyms, dates, numbers...) is other.
8. A title-case token NER did not mark, the object of a locative preposition ("strikes near Aleppo"), is a
   place when the gazetteer knows it as a place of 100,000+, it is no dictionary person, organisation or
   demonym, and it is not the last word of a full name of a person in the article.
9. Local places NER calls persons or organisations: a name ending in a division word that the gazetteer knows
   as a division ("Lafayette Parish", "Doña Ana County"), and a one-word name of a town in a state the
   article names elsewhere ("Wasilla" in an article naming Alaska), used as a place (the object of a
   preposition, or in a list with a place), that is no dictionary person or organisation and no surname of a
   person the article names in full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsevents.kb import Gazetteer, Lexicons, Person, Resources, fold
from newsevents.model import Article

__all__ = [
    "EXTRACTOR",
    "MentionType",
    "MentionTypes",
    "TypedMention",
    "lookup_person",
    "type_mentions",
]

EXTRACTOR = "mentions.v1"

MentionType = Literal["person", "place", "organization", "other"]

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels NER gives to names of people it does not recognise as PERSON.
_MISREAD_PERSON_LABELS = frozenset({"GPE", "FAC", "ORG", "NORP", "LOC", "PRODUCT", "WORK_OF_ART"})
# Labels NER gives to place names it does not recognise as GPE, LOC or FAC (PERSON has its own rule).
_MISREAD_PLACE_LABELS = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART"})
# After these, a well-known place NER did not mark is a place ("strikes near Aleppo").
_LOCATIVE_PREPS = frozenset(
    {"in", "near", "from", "to", "at", "outside", "around", "into", "across", "toward", "towards"}
)
# After these, a named organisation is only where something happens ("at the White House"); "to" and "from"
# are left out: "a letter to the White House" addresses the organisation.
_STATIC_PREPS = frozenset({"in", "at", "inside", "outside", "near", "around", "within"})
_MAX_MISREAD_PLACE_TOKENS = 3
_MISSED_PLACE_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class TypedMention:
    """One typed entity (or a place NER missed); token indices are for this Doc only.

    Attributes:
        start: first token index.
        end: token index after the last one.
        text: the entity's text without a leading "the" (a suffix of the span's text).
        label: the NER label, or ``""`` for a place NER did not mark.
        type: person, place, organization or other.
    """

    start: int
    end: int
    text: str
    label: str
    type: MentionType


class MentionTypes:
    """The typed mentions of one article: every entity in ``doc.ents`` order, then the places NER missed."""

    __slots__ = ("_by_span", "_by_token", "mentions")

    def __init__(self, mentions: tuple[TypedMention, ...]) -> None:
        self.mentions = mentions
        self._by_span = {(m.start, m.end): m for m in mentions}
        self._by_token = {i: m for m in mentions for i in range(m.start, m.end)}

    def type_of(self, span: Span) -> MentionType | None:
        """The type decided for exactly this span (an entity of the Doc), if any."""
        m = self._by_span.get((span.start, span.end))
        return m.type if m is not None else None

    def at(self, token: Token) -> TypedMention | None:
        """The typed mention covering this token, if any."""
        return self._by_token.get(token.i)

    def of_type(self, *types: MentionType) -> list[TypedMention]:
        """The mentions of these types, in order (entities first, then missed places)."""
        return [m for m in self.mentions if m.type in types]


def lookup_person(name: str, lex: Lexicons, day: dt.date | None) -> Person | None:
    """The dictionary person (and role) a name denotes on `day`, or None.

    A bare surname ("McCain") only matches someone who held a role on `day`: surnames are shared, and an
    undated article gives no way to tell which holder is meant. A full name always matches: the role held on
    `day`, else (undated) the latest role, else the person's first entry with no role that day.

    Args:
        name: the name as written.
        lex: the lexicons.
        day: the article's anchor date (None: undated).

    Returns:
        The `Person` row, or None when the dictionary does not know the name (or a bare surname held no role).

    Example:
        >>> from newsevents.kb import default_resources
        >>> lookup_person("Joe Biden", default_resources().lexicons, dt.date(2022, 1, 1)).role
        'President'
    """
    people = lex.people.get(fold(name), ())
    if not people:
        return None
    held = [p for p in people if p.holds_on(day)] if day else []
    if len(name.split()) == 1 and not held:
        return None
    if not held and day is None:
        held = sorted(people, key=lambda p: p.start or dt.date.min, reverse=True)
    return held[0] if held else people[0]


def type_mentions(doc: Doc, article: Article, *, resources: Resources) -> MentionTypes:
    """Decide once, for every entity and every place NER missed, what it names.

    Args:
        doc: the parsed `article.text`.
        article: the article (its anchor date decides which dictionary people a bare surname can be).
        resources: the knowledge base (people, organisations, demonyms, gazetteer).

    Returns:
        `MentionTypes`: one `TypedMention` per entity in ``doc.ents`` order, then the missed places.

    Example:
        >>> types = type_mentions(nlp("Troops entered Rafah."), article, resources=res)  # doctest: +SKIP
        >>> [(m.text, m.type) for m in types.mentions]  # doctest: +SKIP
        [('Rafah', 'place')]
    """
    lex, gaz, day = resources.lexicons, resources.gazetteer, article.anchor
    # Surnames of the people the article names in full: "Massa" after "Sergio Massa" is him, not the town.
    surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
    out: list[TypedMention] = []
    for ent in doc.ents:
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        kind = _type_entity(ent, text, lex, gaz, day, surnames)
        out.append(TypedMention(ent.start, ent.end, text, ent.label_, kind))
    for tok in doc:
        if tok.text not in surnames and _missed_place(tok, lex, gaz):
            out.append(TypedMention(tok.i, tok.i + 1, tok.text, "", "place"))
    states = _named_states(doc, out, gaz)
    places = {i for m in out if m.type == "place" for i in range(m.start, m.end)}
    for n, m in enumerate(out):
        if (
            m.type in {"person", "organization"}
            and m.text not in surnames
            and _local_place(doc[m.start : m.end], m.text, states, places, lex, gaz)
        ):
            out[n] = replace(m, type="place")
    return MentionTypes(tuple(out))


_DIVISION_WORDS = frozenset({"county", "parish", "province", "district", "borough", "oblast", "governorate"})


def _named_states(doc: Doc, mentions: list[TypedMention], gaz: Gazetteer) -> set[tuple[str, str]]:
    """The first-level divisions the article names: places whose first reading is a state or province, and
    AP abbreviations ("Ind.")."""
    out: set[tuple[str, str]] = set()
    for m in mentions:
        if m.type == "place":
            top = gaz.candidates(m.text)[:1]
            if top and top[0].precision == "admin1" and top[0].country and top[0].admin1:
                out.add((top[0].country, top[0].admin1))
    for tok in doc:
        found = gaz.abbreviation(tok.text)
        if found is not None and not found[1] and found[0].country and found[0].admin1:
            out.add((found[0].country, found[0].admin1))
    return out


def _local_place(
    ent: Span, text: str, states: set[tuple[str, str]], places: set[int], lex: Lexicons, gaz: Gazetteer
) -> bool:
    """Rule 9: a division by its full name, or a town of a state the article names, used as a place."""
    key = fold(text)
    if key in lex.people or key in lex.organizations or len(ent) > 4:
        return False
    cands = gaz.candidates(text)
    if text.split()[-1].lower() in _DIVISION_WORDS:
        return any(c.precision in {"admin1", "admin2"} for c in cands)
    if len(ent) != 1 or not states:
        return False
    root = ent.root
    in_list = root.dep_ == "conj" and root.head.i in places
    if not (root.dep_ == "pobj" or in_list or any(c.dep_ == "conj" and c.i in places for c in root.children)):
        return False
    return any(c.precision == "city" and (c.country or "", c.admin1 or "") in states for c in cands)


def _type_entity(
    ent: Span, text: str, lex: Lexicons, gaz: Gazetteer, day: dt.date | None, surnames: set[str]
) -> MentionType:
    """Rules 1-7 of the module docstring, in order."""
    name = _strip_possessive(text)
    key = fold(name)
    is_person, is_org = key in lex.people, key in lex.organizations
    label = ent.label_
    if (
        name in surnames
        and label in _MISREAD_PERSON_LABELS | {"PERSON"}
        and not is_org
        and key not in lex.countries
        and key not in lex.capitals
        and key not in lex.adjectives
    ):
        return "person"
    # A one-word name that is both a known person and a known place, as the object of "in"/"at"/"near",
    # is the place ("attacked police posts in Morales"), unless the article names that person in full.
    located = len(ent) == 1 and _used_as_place(ent) and gaz.is_known_place(name)
    if label == "PERSON":
        if is_person:
            return "place" if located else "person"
        if is_org:
            return "organization"
        if len(ent) <= _MAX_MISREAD_PLACE_TOKENS and gaz.is_known_place(name):
            return "other" if key in lex.adjectives else "place"
        return "person"
    if is_org:
        return "place" if label in _PLACE_LABELS and _used_as_place(ent) else "organization"
    if (
        is_person
        and label in _MISREAD_PERSON_LABELS
        and key not in lex.countries
        and (_resolves(name, lex, day) or len(name.split()) > 1)
        and not located
    ):
        return "person"
    if label in _PLACE_LABELS:
        return "person" if is_person and not gaz.candidates(name) else "place"
    if (
        label in _MISREAD_PLACE_LABELS
        and len(ent) <= _MAX_MISREAD_PLACE_TOKENS
        and gaz.is_known_place(name)
        and not is_person
        and key not in lex.adjectives
    ):
        return "place"
    return "organization" if label == "ORG" else "other"


def _strip_possessive(text: str) -> str:
    for suffix in (" 's", "'s", " ’s", "’s"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _resolves(name: str, lex: Lexicons, day: dt.date | None) -> bool:
    """Whether the people dictionary codes this name on `day` (a country is known for the person)."""
    person = lookup_person(name, lex, day)
    return person is not None and person.country is not None


def _used_as_place(ent: Span) -> bool:
    """The entity is the object of a static locative: "at the White House", "in front of the Parliament"."""
    root = ent.root
    if root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ in _STATIC_PREPS:
        return True
    # "in front of X": X hangs from "of", "of" from "front", "front" from "in".
    return prep.lower_ == "of" and prep.head.lower_ == "front" and prep.head.head.lower_ == "in"


def _missed_place(tok: Token, lex: Lexicons, gaz: Gazetteer) -> bool:
    """Rule 8: a well-known place NER did not mark, after a locative preposition ("strikes near Aleppo")."""
    if tok.ent_type_ or not tok.is_title or tok.dep_ != "pobj" or tok.head.lower_ not in _LOCATIVE_PREPS:
        return False
    key = fold(tok.text)
    if key in lex.people or key in lex.organizations or key in lex.adjectives:
        return False
    return gaz.is_known_place(tok.text, min_population=_MISSED_PLACE_POPULATION)
