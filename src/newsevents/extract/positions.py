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


def _holder(subj: Token, actors: ActorIndex, quotes: list[Quote]) -> ActorRef | None:
    if subj.pos_ == "PRON" and subj.lower_ in _FIRST_PERSON:
        for q in quotes:
            if q.kind == "direct" and q.start <= subj.idx < q.end and q.speaker is not None:
                return q.speaker
        return None
    return actors.ref_for_token(subj)


def _target(tokens: list[Token]) -> tuple[str, int, int] | None:
    """The words of the target phrase(s), or None for pronouns and empty phrases."""
    if not tokens:
        return None
    start = min(t.left_edge.idx for t in tokens)
    end = max(t.right_edge.idx + len(t.right_edge.text) for t in tokens)
    doc = tokens[0].doc
    text = doc.text[start:end].strip(" ,.;:\"'“”‘’")
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
        target = _target(targets)
        if target is None:
            continue
        for subj_tok in [subj, *[c for c in subj.conjuncts if c.i > subj.i]]:
            holder = _holder(subj_tok, actors, quotes)  # "France and Germany backed the package"
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
