"""The per-article context every event module reads, and the clause helpers they share."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newsevents.extract.actors import ActorIndex
from newsevents.extract.events.vocabulary import load_vocabulary
from newsevents.extract.places import PlaceIndex
from newsevents.kb import Lexicons, Resources
from newsevents.model import Article, Place, TimeExpr

__all__ = ["FRAMES", "Context", "argument_preps", "clause_of", "framed", "make_context"]

# Prepositions that frame a noun event in time or circumstance: "ordered troops after protests".
FRAMES = frozenset({"after", "before", "following", "amid", "since", "despite", "until", "as"})


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules read about one article, built once per `extract_events` call.

    Attributes:
        doc: the parse of `article.text` (``doc.text == article.text``).
        article: the article.
        actors: its actor mentions.
        places: its places.
        times: its temporal expressions.
        lex: the lexicons (triggers, roles, countries).
        words: the event word lists (`load_vocabulary`).
        times_by_sentence: the times of each sentence (keyed by its first character), in `times` order.
        local_places: sub-national places the article names at least twice (dominant-place candidates).
    """

    doc: Doc
    article: Article
    actors: ActorIndex
    places: PlaceIndex
    times: list[TimeExpr]
    lex: Lexicons
    words: Mapping[str, frozenset[str]]
    times_by_sentence: Mapping[int, list[TimeExpr]]
    local_places: list[Place]

    def times_in(self, sent: DocSpan) -> list[TimeExpr]:
        """The temporal expressions starting in this sentence, without rescanning the article's."""
        return self.times_by_sentence.get(sent.start_char, [])


def make_context(
    doc: Doc,
    article: Article,
    actors: ActorIndex,
    places: PlaceIndex,
    times: list[TimeExpr],
    resources: Resources,
) -> Context:
    """Build the context of one article, indexing what per-trigger rules would otherwise rescan."""
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    by_sentence: dict[int, list[TimeExpr]] = {}
    for t in times:
        n = bisect.bisect_right(starts, t.start) - 1
        if n >= 0 and t.start < sents[n].end_char:
            by_sentence.setdefault(starts[n], []).append(t)
    local = [
        p
        for p in places.places
        if p.precision in {"city", "admin1", "admin2", "point"} and len(p.mentions) >= 2
    ]  # dominant: named at least twice
    return Context(
        doc=doc,
        article=article,
        actors=actors,
        places=places,
        times=times,
        lex=resources.lexicons,
        words=load_vocabulary(),
        times_by_sentence=by_sentence,
        local_places=local,
    )


def clause_of(tok: Token, *, through_participles: bool = False) -> Token:
    """The verb heading the clause a word belongs to; with `through_participles`, a participle modifying a
    noun ("agreements normalising relations") does not count as a clause of its own."""
    node = tok
    for _ in range(10):
        if node.dep_ == "ROOT" or node.head == node:
            return node
        participle = node.dep_ == "acl" and node.tag_ in {"VBG", "VBN"}
        if node.pos_ in {"VERB", "AUX"} and not (through_participles and participle):
            return node
        node = node.head
    return node


def framed(noun: Token) -> bool:
    """A noun in a time or circumstance frame of another clause ("ordered troops after protests"): the
    clause's subject is not the noun event's actor."""
    node = noun
    for _ in range(4):
        if node.dep_ == "pobj" and node.head.lower_ in FRAMES:
            return True
        if node.dep_ not in {"pobj", "conj", "prep"}:
            return False
        node = node.head
    return False


def argument_preps(kids: list[Token]) -> set[str]:
    """Prepositions heading arguments, not dates ("fired on protesters", not "fired him on Friday")."""
    return {
        c.lower_
        for c in kids
        if c.dep_ == "prep"
        and not any(p.ent_type_ in {"DATE", "TIME"} for p in c.children if p.dep_ == "pobj")
    }
