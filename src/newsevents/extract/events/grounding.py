"""Grounding: when an event happened (its date, how it was found) and where (its place, how it was found)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.extract.events.context import Context, clause_of
from newsevents.model import ActorRef, Article, DateBasis, Place, TimeExpr

__all__ = ["Dating", "date_for", "dominant_place", "place_for", "sentence_place"]

_LOCATIVE = {
    "in",
    "at",
    "near",
    "from",
    "into",
    "across",
    "inside",
    "outside",
    "around",
    "toward",
    "towards",
    "on",
}


@dataclass(frozen=True, slots=True)
class Dating:
    """An event's date and how it was decided.

    Attributes:
        date: the ISO date or period, None when undated.
        precision: day, week, month, year, ... or unknown.
        source: how it was found, in words (`Event.date_source`).
        basis: how it was found, as a category (`Event.date_basis`).
        inferred_anchor: the date rests on an inferred publication date, not a known one.
    """

    date: str | None
    precision: str
    source: str
    basis: DateBasis
    inferred_anchor: bool = False


def date_for(trigger: Token, verb: Token, ctx: Context) -> Dating:
    """The event's date: the temporal expression governing it in the parse (the nearest governor wins), else
    the nearest one in its sentence, else the publication date, saying so; background told in the past
    perfect gets no date rather than the publication day."""
    article = ctx.article
    in_sent = [t for t in ctx.times_in(trigger.sent) if t.value]
    targets = {trigger.i, verb.i}
    governed: list[tuple[int, TimeExpr]] = []
    for t in in_sent:
        span = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        steps = _distance(span.root, targets)
        if steps is not None:
            own_clause = clause_of(span.root, through_participles=True) in (trigger, verb)
            governed.append((steps if own_clause else 100 + steps, t))
    anchor_desc = _anchor_desc(article)
    inferred = article.published is None and article.anchor is not None
    pick = (
        min(governed, key=lambda g: (g[0], g[1].start))[1]
        if governed
        else (min(in_sent, key=lambda t: abs(t.start - trigger.idx)) if in_sent else None)
    )
    if pick is not None:
        how = "relative" if pick.relative else "absolute"
        where = "" if governed else ", nearest in sentence"
        src = f"{how}: '{pick.text}'" + (f" from {anchor_desc}" if pick.relative else "") + where
        basis = DateBasis.GOVERNED if governed else DateBasis.SENTENCE
        return Dating(pick.value, pick.precision, src, basis, inferred and pick.relative)
    background = _background(verb, ctx.words)
    if background:
        src = f"unknown: background ({background}), not dated as the news"
        return Dating(None, "unknown", src, DateBasis.BACKGROUND)
    if article.published is not None:
        return Dating(article.published.isoformat(), "day", f"fallback: {anchor_desc}", DateBasis.PUBLISHED)
    if article.anchor is not None:
        src = f"unknown: no date in the sentence; {anchor_desc}"
        return Dating(None, "unknown", src, DateBasis.UNKNOWN, inferred_anchor=True)
    return Dating(
        None, "unknown", "unknown: no date in the sentence and no publication date", DateBasis.UNKNOWN
    )


def _anchor_desc(article: Article) -> str:
    if article.published is not None:
        return f"published {article.published.isoformat()}"
    if article.anchor is not None:
        return f"inferred publication date (no earlier than {article.anchor.isoformat()})"
    return "no publication date"


def _distance(root: Token, targets: set[int]) -> int | None:
    """How many steps up from `root` the first of `targets` is (None: not an ancestor)."""
    for steps, node in enumerate([root, *root.ancestors]):
        if node.i in targets:
            return steps
    return None


def _background(verb: Token, words: Mapping[str, frozenset[str]]) -> str | None:
    """A clause told as background: in the past perfect ("had fought", "had been seized") or placed in a
    phase of something larger ("at the start of the war", "in the early days of the invasion")."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in {"had", "'d"} for a in auxes) and verb.tag_ == "VBN":
        return "told in the past perfect"
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ not in {"at", "in", "during", "since"}:
            continue
        for p in c.children:
            if p.lemma_.lower() in words["phases"] and any(g.lower_ == "of" for g in p.children):
                return f"'{verb.doc[c.i : p.right_edge.i + 1].text}'"
    return None


def place_for(tokens: list[Token], ctx: Context) -> Place | None:
    """The place a locative phrase of the trigger or its clause names, else one naming the object
    ("seized the Rafah crossing")."""
    found = _locative_place(tokens, ctx)
    if found is not None:
        return found
    for tok in tokens:
        for child in tok.children:
            if child.dep_ in {"dobj", "nsubjpass"}:
                for t in child.subtree:
                    place = ctx.places.at(t)
                    if place is not None and t.dep_ in {"compound", "pobj", "dobj", "nsubjpass"}:
                        return place
    return None


def sentence_place(tok: Token, ctx: Context) -> Place | None:
    """The place nearest the trigger among those the sentence names as locations (the object of "in", "at",
    "near"... anywhere in the sentence), or None."""
    best: tuple[int, Place] | None = None
    for t in tok.sent:
        if t.dep_ != "prep" or t.lower_ not in _LOCATIVE:
            continue
        for pobj in t.children:
            if pobj.dep_ != "pobj":
                continue
            for c in pobj.subtree:
                place = ctx.places.at(c)
                if place is not None and (best is None or abs(c.i - tok.i) < best[0]):
                    best = (abs(c.i - tok.i), place)
    return best[1] if best else None


def dominant_place(refs: list[ActorRef], ctx: Context) -> Place | None:
    """The article's dateline place, else its most-mentioned sub-national place (named at least twice) in the
    country of one of the event's parties; None when there is neither."""
    countries = {r.code[:3] for r in refs if r.code and r.code[:3].isalpha()}
    dateline = next((p for p in ctx.places.places if "dateline" in p.mention_kinds), None)
    if dateline is not None and (not countries or dateline.country in countries):
        return dateline
    local = [p for p in ctx.local_places if p.country in countries]
    if not local:
        return None
    return max(local, key=lambda p: (len(p.mentions), -(p.mentions[0][0] if p.mentions else 0)))


def _locative_place(tokens: list[Token], ctx: Context) -> Place | None:
    for tok in tokens:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in _LOCATIVE:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        place = ctx.places.at(pobj) or next(
                            (ctx.places.at(c) for c in pobj.subtree if ctx.places.at(c)), None
                        )
                        if place is not None:
                            return place
    return None
