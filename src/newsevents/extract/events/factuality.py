"""Factuality: whether an event happened, will, might or did not, read from the clauses governing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from newsevents.extract.events.context import FRAMES, Context, clause_of, framed
from newsevents.model import Article, DateBasis
from newsevents.periods import period_bounds

__all__ = ["factuality", "historical"]

_HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must", "can", "ought"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_TEMPORAL_MARKS = {"after", "before", "as", "when", "while", "since", "until", "because", "once", "although"}
_CLIMB = {"xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj", "acl"}
_CONTENT_EDGES = {"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"}
_NOUN_MODS = {"amod", "compound", "nmod"}
# Background retold from well before the news: its own date ends this long before the article's date.
_HISTORICAL_GAP = dt.timedelta(days=45)

_Chain = list[tuple[Token, str]]


def factuality(verb: Token, trigger: Token, ctx: Context) -> str | None:
    """asserted | negated | future | hypothetical | historical, or None to drop (a desire's object)."""
    words = ctx.words
    chain = _chain(verb)
    if _is_content(chain, words):
        return None
    state = "asserted"
    if trigger is not verb and framed(trigger):
        # "withdrew the bill after two nights of protests": a framing event keeps its own mood.
        mods = {c.lower_ for c in trigger.children if c.dep_ in _NOUN_MODS}
        if mods & words["hypothetical_mods"]:
            return "hypothetical"
        return "future" if mods & words["future_mods"] else state
    if any(_years_before(node, words) for node, _via in chain):
        return "historical"  # "40 years after Argentine troops invaded the islands"
    if trigger is not verb:
        state = _noun_mood(trigger, verb, words)
        if state in {"hypothetical", "negated"}:
            return state
    return _clause_mood(chain, trigger, state, ctx)


def _noun_mood(trigger: Token, verb: Token, words: Mapping[str, frozenset[str]]) -> str:
    """The mood an event noun carries in its own words: "agreed to a ceasefire" (future), "a possible
    attack" (hypothetical), "the planned visit" (future), "no talks" (negated); else asserted."""
    state = "asserted"
    if (
        verb.lemma_ in words["intent"]
        and trigger.dep_ == "pobj"
        and trigger.head.lower_ in {"to", "on"}
        and trigger.head.head == verb
    ):
        state = "future"  # "agreed to a ceasefire"
    mods = {c.lower_ for c in trigger.children if c.dep_ in _NOUN_MODS}
    if mods & words["hypothetical_mods"]:
        return "hypothetical"
    if mods & words["future_mods"]:
        state = "future"
    if any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children):
        return "negated"
    return state


def _clause_mood(chain: _Chain, trigger: Token, state: str, ctx: Context) -> str:
    """The mood the governing clauses give the event, nearest first: negation, conditionals, modals,
    commitments and purposes; a time ahead in its own clause makes an asserted event future."""
    verb = chain[0][0]
    sent = trigger.sent
    words = ctx.words
    for depth, (node, via) in enumerate(chain):
        kids = list(node.children)
        auxes = {c.lower_ for c in kids if c.dep_ in {"aux", "auxpass"}}
        if any(c.dep_ == "neg" for c in kids):
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in kids):
            return "hypothetical"
        if auxes & _HYPOTHETICAL_AUX:
            return "hypothetical"
        if auxes & _FUTURE_AUX:
            state = "future"
        if "would" in auxes:
            reported = any(t.lemma_ in words["cue"] for t in sent)
            state = "future" if reported or _has_future_time(sent, ctx) else "hypothetical"
        if depth > 0 and via == "conj":
            continue  # a coordinated verb shares the mood, not the meaning: "denied X and accused Y"
        if depth > 0 and node.lemma_ in words["negating"]:
            return "negated"
        if (
            depth > 0
            and state == "asserted"
            and via == "xcomp"
            and (node.lemma_ in words["intent"] or (node.lemma_ == "go" and node.tag_ == "VBG" and auxes))
        ):
            state = "future"  # "plans to meet", "is going to meet", "talks are expected to resume"
        if (
            node.dep_ == "advcl"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids)
            and state == "asserted"
            and (trigger is verb or depth > 0 or verb.lemma_ in words["light"])
        ):
            state = (
                "future"  # a purpose: "deployed troops to secure the border" (not "fled to escape bombing")
            )
    if state == "asserted" and (_has_future_time(sent, ctx, near=(trigger, verb))):
        return "future"
    return state


def _chain(verb: Token) -> _Chain:
    """The clauses governing `verb`, nearest first, each with the dependency it was reached through.

    Climbing stops at a clause with its own subject coordinated to the next one, and at a temporal or causal
    clause ("after the army raided ..."): their mood is their own."""
    out = [(verb, "")]
    node = verb
    for _ in range(6):
        kids = list(node.children)
        if node.dep_ not in _CLIMB or node.head == node:
            break
        if node.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in kids):
            break
        if node.dep_ == "pcomp" and node.head.lower_ in FRAMES | _TEMPORAL_MARKS:
            break  # "despite pledging to ...", "after meeting ..."
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in kids):
            break
        via = node.dep_
        node = node.head
        out.append((node, via))
    return out


def _years_before(node: Token, words: Mapping[str, frozenset[str]]) -> bool:
    """A clause set years back: "a year after agents abducted him", "decades after the war began"."""
    marks = [c for c in node.children if c.dep_ == "mark" and c.lower_ in {"after", "since"}]
    for mark in marks:
        around = [*mark.children, *node.children]
        if any(
            c.dep_ in {"npadvmod", "advmod", "nummod"} and c.lemma_.lower() in words["years"] for c in around
        ):
            return True
    return False


def _is_content(chain: _Chain, words: Mapping[str, frozenset[str]]) -> bool:
    """Whether the event is only what someone wants, demands, threatens or alleges ("wants Israel to strike",
    "threatened to cut gas", "accused Moscow of shelling"): reached from such a verb through its complement,
    not through a coordination ("threatened X and accused Y")."""
    for node, via in chain[1:]:
        lemma = node.lemma_
        if lemma == "expect" and any(c.dep_ in {"auxpass", "nsubjpass"} for c in node.children):
            continue  # "talks are expected to resume": a forecast, handled as future
        if lemma in words["desire"] or lemma in words["content"]:
            return via in _CONTENT_EDGES
    return False


def _has_future_time(sent: DocSpan, ctx: Context, near: tuple[Token, ...] = ()) -> bool:
    """Whether the sentence (or, with `near`, the clause of one of those tokens) names a time ahead."""
    for t in ctx.times_in(sent):
        if t.text.lower().split()[0] not in ctx.words["future_time"]:
            continue
        if not near:
            return True
        found = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if found is not None and clause_of(found.root) in near:
            return True
    return False


def historical(date: str | None, basis: DateBasis, article: Article) -> bool:
    """Whether an event dated by its own time expression lies well before the article (background)."""
    anchor = article.anchor
    if date is None or anchor is None or not basis.own:
        return False
    bounds = period_bounds(date)
    return bounds is not None and bounds[1] < anchor - _HISTORICAL_GAP
