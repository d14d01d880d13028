"""Positions: an actor's stated stance toward a target ("the US opposes a major Rafah operation").

Version ``positions.v1``, precision first. A position needs a stance word with a clear holder and target:

- ``supports``: support, back, endorse, favour, welcome; "is in favour of";
- ``opposes``: oppose, reject, object to; "is against", "is opposed to";
- ``wants``: want, call for, demand, seek, urge (holder wants the target to happen).

The holder is the clause subject resolved to an actor (pronouns and "the official" included); inside a quote,
"we"/"I" stand for the quote's speaker. Negated stances ("they are not against defeating Hamas") are skipped
rather than guessed, as are holders that are not actors and targets that are only pronouns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

from spacy.tokens import Doc, Token

from newsevents.extract.actors import ActorIndex
from newsevents.model import ActorRef, Article, Position, Quote, Span

__all__ = ["EXTRACTOR", "extract_positions"]

EXTRACTOR = "positions.v1"

_VERBS = {
    "support": "supports",
    "back": "supports",
    "endorse": "supports",
    "favour": "supports",
    "favor": "supports",
    "welcome": "supports",
    "praise": "supports",
    "hail": "supports",
    "condemn": "opposes",
    "denounce": "opposes",
    "criticize": "opposes",
    "criticise": "opposes",
    "oppose": "opposes",
    "reject": "opposes",
    "want": "wants",
    "demand": "wants",
    "seek": "wants",
    "urge": "wants",
}
_PREP_VERBS = {
    ("call", "for"): "wants",
    ("ask", "for"): "wants",
    ("press", "for"): "wants",
    ("push", "for"): "wants",
    ("insist", "on"): "wants",
    ("object", "to"): "opposes",
    ("disagree", "with"): "opposes",
    ("oppose", "to"): "opposes",  # "is opposed to"
}
_COPULA_PREPS = {"against": "opposes", "for": "supports"}
_FIRST_PERSON = {"we", "i", "us"}


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for c in tok.head.children if tok.dep_ in {"xcomp", "acomp", "prep"}
    )


def _subject(verb: Token) -> Token | None:
    node = verb
    for _ in range(3):
        subj = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            return subj
        if node.dep_ not in {"xcomp", "conj"}:
            return None
        node = node.head
    return None


class _Speakers:
    """The speaker of the direct quote around a character offset: the first such quote in list order.

    Direct quotes do not overlap, so the lookup is a binary search over their starts (linear in the article
    overall, where scanning every quote for every "we" was not); a hand-made list whose quotes overlap is
    scanned in order instead.
    """

    def __init__(self, quotes: Sequence[Quote]) -> None:
        spoken = [q for q in quotes if q.kind == "direct" and q.speaker is not None and q.start < q.end]
        self._ordered = spoken
        self._sorted = sorted(spoken, key=lambda q: q.start)
        self._starts = [q.start for q in self._sorted]
        self._disjoint = all(a.end <= b.start for a, b in pairwise(self._sorted))

    def around(self, offset: int) -> ActorRef | None:
        if not self._disjoint:
            return next((q.speaker for q in self._ordered if q.start <= offset < q.end), None)
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._sorted[i].end:
            return self._sorted[i].speaker
        return None


def _holder(subj: Token, actors: ActorIndex, speakers: _Speakers) -> ActorRef | None:
    if subj.pos_ == "PRON" and subj.lower_ in _FIRST_PERSON:
        return speakers.around(subj.idx)
    return actors.ref_for_token(subj)


def _target(tokens: list[Token], doc_text: str) -> tuple[str, int, int] | None:
    """The words of the target phrase(s), or None for pronouns and empty phrases.

    `doc_text` is ``doc.text``, built once per article: spaCy joins every token each time it is read.
    """
    if not tokens:
        return None
    start = min(t.left_edge.idx for t in tokens)
    end = max(t.right_edge.idx + len(t.right_edge.text) for t in tokens)
    text = doc_text[start:end].strip(" ,.;:\"'“”‘’")
    if not text or (len(tokens) == 1 and tokens[0].pos_ == "PRON" and len(text.split()) == 1):
        return None  # "we oppose it": the pronoun says nothing on its own
    return text, start, end


def extract_positions(doc: Doc, article: Article, actors: ActorIndex, quotes: list[Quote]) -> list[Position]:
    """The stated stances of the article's actors.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        actors: its actors (from `extract_actors`).
        quotes: its quotes (from `extract_quotes`), for "we" inside a quote.

    Returns:
        Positions in text order, each with its sentence as evidence.

    Example:
        >>> [p.stance for p in extract_positions(doc, article, actors, quotes)]  # doctest: +SKIP
        ['opposes']
    """
    out: list[Position] = []
    seen: set[tuple[int, str, int]] = set()
    doc_text, speakers = doc.text, _Speakers(quotes)
    for tok in doc:
        stance: str | None = None
        targets: list[Token] = []
        lemma = tok.lemma_.lower()
        verb = tok  # the clause head the stance hangs from
        if tok.pos_ == "VERB" and lemma in _VERBS:
            stance = _VERBS[lemma]
            targets = [c for c in tok.children if c.dep_ in {"dobj", "xcomp", "ccomp"}]
            if lemma in {"want", "urge"}:  # "wants Israel to conduct targeted strikes"
                objs = [c for c in tok.children if c.dep_ == "dobj"]
                targets = objs + [c for c in tok.children if c.dep_ == "xcomp"] if objs else targets
        elif tok.pos_ == "VERB":
            for c in tok.children:
                pair = (lemma, c.lower_)
                if c.dep_ in {"prep", "prt"} and pair in _PREP_VERBS:
                    stance = _PREP_VERBS[pair]
                    targets = [p for p in c.children if p.dep_ == "pobj"]
        elif tok.dep_ == "prep" and tok.lower_ in _COPULA_PREPS and tok.head.lemma_ == "be":
            stance = _COPULA_PREPS[tok.lower_]  # "they are against a major operation"
            targets = [p for p in tok.children if p.dep_ in {"pobj", "pcomp"}]
            verb = tok.head
        if stance is None or _negated(verb):
            continue
        subj = _subject(verb)
        if subj is None:
            continue
        target = _target(targets, doc_text)
        if target is None:
            continue
        for subj_tok in [subj, *[c for c in subj.conjuncts if c.i > subj.i]]:
            holder = _holder(subj_tok, actors, speakers)  # "France and Germany backed the package"
            if holder is None:
                continue
            key = (holder.start, stance, target[1])
            if key in seen:
                continue
            seen.add(key)
            sent = verb.sent
            out.append(
                Position(
                    holder=holder,
                    stance=stance,
                    target=target[0],
                    evidence=Span(sent.start_char, sent.end_char, sent.text),
                )
            )
    return out
