"""Coding one actor mention: role words, country words, demonyms, titles, appositions, dictionary people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from spacy.tokens import Span, Token

from newsevents.extract.mentions import lookup_person
from newsevents.kb import Country, Lexicons, fold

_TITLE_DEPS = {"compound", "amod", "nmod", "npadvmod", "prep", "pobj", "punct", "nummod", "appos", "flat"}
_SKIP_LEFT = {"det", "poss", "cc", "case", "predet", "prep"}
# Role nouns that only denote an actor together with a country or a known holder.
_EXTRA_ROLES = {"side": ("GOV", "Government"), "delegation": ("GOV", "Delegation")}


def country_of_word(word: str, lex: Lexicons) -> Country | None:
    f = fold(word)
    return lex.adjectives.get(f) or lex.countries.get(f)


def role_in(tokens: Iterable[Token], lex: Lexicons) -> tuple[str, str] | None:
    """The most specific (longest) role phrase among these tokens, as (sector, display role)."""
    words = [t for t in tokens]
    best: tuple[int, tuple[str, str]] | None = None
    for i in range(len(words)):
        for n in range(min(lex.max_role_words, len(words) - i), 0, -1):
            # as written: "vice-president" stays one word, "vice president" two
            phrase = fold("".join(w.text_with_ws for w in words[i : i + n]).strip())
            hit = lex.roles.get(phrase) or _EXTRA_ROLES.get(phrase)
            if hit is None and n == 1:
                lemma = fold(words[i].lemma_)
                hit = lex.roles.get(lemma) or _EXTRA_ROLES.get(lemma)
            if hit is not None and (best is None or n > best[0]):
                best = (n, hit)
                break
    return best[1] if best else None


def country_in(tokens: Iterable[Token], lex: Lexicons, people_country: dict[str, str]) -> str | None:
    toks = list(tokens)
    for n in (3, 2, 1):
        for i in range(len(toks) - n + 1):
            phrase = " ".join(t.text for t in toks[i : i + n])
            c = country_of_word(phrase, lex)
            if c is not None:
                return c.iso3
    for t in toks:
        if fold(t.text) in people_country:
            return people_country[fold(t.text)]
    return None


def title_tokens(ent: Span) -> list[Token]:
    """Title words to the left of a name inside its noun phrase: "US Secretary of State" Antony Blinken."""
    doc = ent.doc
    root = ent.root
    left = root.left_edge.i
    out: list[Token] = []
    j = ent.start - 1
    while j >= left and j >= ent.sent.start:
        t = doc[j]
        if t.dep_ in _SKIP_LEFT and t.head.i >= ent.start and t.text.lower() != "of":
            break
        if t.text in {",", "(", ")", '"', "“", "”"} or t.dep_ == "cc":
            break
        if t.dep_ not in _TITLE_DEPS and t.text.lower() != "of":
            break
        out.insert(0, t)
        j -= 1
    while out and (out[0].dep_ in _SKIP_LEFT or out[0].text.lower() == "of"):
        out.pop(0)
    return out


def apposition(ent: Span) -> list[Token]:
    """Role words in apposition: "Joe Biden, the US president," or "the US president, Joe Biden"."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            return [t for t in child.subtree if t.dep_ != "det"]
    if root.dep_ == "appos" and root.head.pos_ in {"NOUN", "PROPN"} and root.head.ent_type_ != "PERSON":
        head = root.head
        return [t for t in head.subtree if t.i < ent.start and t.dep_ not in {"det", "punct"}]
    return []


def person_code(
    name: str, lex: Lexicons, day: dt.date | None
) -> tuple[str | None, str | None, str | None, str]:
    """(code, role, country, canonical name) of a name from the people dictionary (`lookup_person`).

    A known person with no role on `day` keeps the identity and the country, with no sector. A name the
    dictionary does not resolve keeps its own spelling and no code.

    Example:
        >>> from newsevents.kb import default_resources
        >>> person_code("Joe Biden", default_resources().lexicons, dt.date(2022, 1, 1))
        ('USAGOV', 'President', 'USA', 'Joe Biden')
    """
    p = lookup_person(name, lex, day)
    if p is None:
        return None, None, None, name
    if day is not None and not p.holds_on(day):
        return p.country, None, p.country, p.name
    return p.code, p.role, p.country, p.name
