"""Events: PLOVER-coded who-did-what-to-whom from the dependency parse, with factuality and provenance.

Version ``events.v1``. Triggers are verbs and event nouns listed in `data/event_triggers.tsv`; actors and
recipients come from the clause structure (subjects, objects, "with"/"against" phrases, passive agents,
coordination, subjects carried into infinitives); factuality from negation, modals, conditionals and the
verbs that govern the trigger ("wants X to strike" is a REQUEST, not a strike).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from newsevents.extract.actors import ActorIndex
from newsevents.ids import event_id
from newsevents.kb import Lexicons, Resources, Trigger, fold
from newsevents.extract.places import PlaceIndex
from newsevents.periods import period_bounds
from newsevents.model import ActorRef, Article, Event, Place, Span, TimeExpr

__all__ = ["EXTRACTOR", "extract_events"]

EXTRACTOR = "events.v1"

# Verbs whose object noun names the event they realise ("held talks", "expressed its opposition").
_LIGHT = {
    "hold",
    "have",
    "make",
    "conduct",
    "launch",
    "begin",
    "start",
    "carry",
    "host",
    "stage",
    "express",
    "voice",
    "raise",
    "mount",
    "resume",
    "include",
    "give",
    "deliver",
    "issue",
    "announce",
    "continue",
    "join",
    "attend",
    "reach",
    "speak",
    "spoke",
}
# Governors under which a noun event did not (or not yet) happen as such.
_BLOCKING = {
    "lift",
    "ease",
    "remove",
    "relax",
    "end",
    "break",
    "violate",
    "jeopardise",
    "jeopardize",
    "undermine",
    "threaten",
    "mark",
    "commemorate",
    "cancel",
    "postpone",
    "delay",
    "reject",
    "oppose",
    "prevent",
    "avoid",
    "deny",
    "halt",
    "suspend",
    "stop",
    "scrap",
    "refuse",
    "call",
    "need",
    "seek",
    "discuss",
    "negotiate",
    "want",
    "demand",
    "urge",
    "support",
    "back",
    "welcome",
    "condemn",
    "criticize",
    "criticise",
    "protest",
    "push",
}
_DESIRE = {
    "appeal",
    "lobby",
    "petition",
    "want",
    "wish",
    "hope",
    "urge",
    "ask",
    "demand",
    "call",
    "request",
    "press",
    "need",
    "seek",
    "push",
    "encourage",
    "implore",
    "plead",
    "beg",
    "expect",
}
_INTENT = {
    "plan",
    "intend",
    "promise",
    "agree",
    "pledge",
    "vow",
    "prepare",
    "schedule",
    "aim",
    "decide",
    "offer",
    "try",
    "attempt",
}
_INTENT |= {"determined", "determine", "ready", "poised", "due", "eager", "set", "expect", "seek", "vote"}
_NEGATING = {"refuse", "fail", "failure", "refusal", "decline", "reject", "deny"}
# Verbs whose content is not an event of its own: the threat, accusation or wish is the event.
_CONTENT = {"threaten", "warn", "accuse", "blame", "allege", "fear", "suspect"}
# Adjectives on an event noun: "a possible attack", "the planned visit", "an upcoming summit".
_HYPOTHETICAL_MODS = {"possible", "potential", "likely", "hypothetical", "proposed", "prospective", "rumored"}
_FUTURE_MODS = {"planned", "upcoming", "expected", "scheduled", "imminent", "future", "forthcoming", "next"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must", "can", "ought"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
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
_RECIPIENT_PREPS = {"with", "against", "on", "to", "at", "upon", "toward", "towards", "from", "between"}
_STATE_SECTORS = ("GOV", "MIL", "COP", "SPY", "JUD", "LEG")
_CUE = {"say", "tell", "state", "add", "report", "announce", "claim", "explain", "stress", "note"}


@dataclass(frozen=True, slots=True)
class _Context:
    doc: Doc
    article: Article
    actors: ActorIndex
    places: PlaceIndex
    times: list[TimeExpr]
    lex: Lexicons


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _refs(tokens: list[Token], ctx: _Context, *, allow_unresolved: bool = True) -> list[ActorRef]:
    """Actor references for argument head tokens (with their conjuncts), in order, without duplicates."""
    out: list[ActorRef] = []
    seen: set[tuple[int, int]] = set()
    for head in tokens:
        for tok in _conjuncts(_counted(head)):
            ref = ctx.actors.ref_for_token(tok)
            if ref is None:
                # A modifier may carry the actor: "Biden administration concerns", "Israeli operation".
                for child in tok.children:
                    if child.dep_ in {"poss", "compound", "amod", "nmod"}:
                        ref = ctx.actors.ref_for_token(child)
                        if ref is not None:
                            break
            if (
                ref is None
                and allow_unresolved
                and tok.pos_ in {"PROPN", "NOUN"}
                and tok.ent_type_ in {"ORG", "PERSON", "NORP"}
            ):
                span = tok.doc[tok.left_edge.i : tok.i + 1]
                while len(span) > 1 and span[0].dep_ in {"det", "poss"}:
                    span = span[1:]
                ref = ActorRef(text=span.text, start=span.start_char, end=span.end_char)
            if ref is None and allow_unresolved:
                ref = _role_ref(tok, ctx)
            if ref is not None and (ref.start, ref.end) not in seen:
                seen.add((ref.start, ref.end))
                out.append(ref)
    return out


_QUANTITIES = {"hundred", "thousand", "dozen", "million", "score", "ten", "group", "crowd", "number", "tens"}


def _counted(tok: Token) -> Token:
    """What a quantity counts: "hundreds of thousands of protesters" -> protesters."""
    for _ in range(3):
        if not (tok.pos_ == "NUM" or tok.lemma_.lower() in _QUANTITIES):
            break
        pobj = next(
            (
                p
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children
                if p.dep_ == "pobj"
            ),
            None,
        )
        if pobj is None:
            break
        tok = pobj
    return tok


def _role_ref(tok: Token, ctx: _Context) -> ActorRef | None:
    """An actor named only by its role, with no country to code it: "police", "protesters", "riot police"."""
    if tok.pos_ != "NOUN" or not (tok.lower_ in ctx.lex.roles or tok.lemma_.lower() in ctx.lex.roles):
        return None
    start = tok
    for child in reversed([c for c in tok.children if c.i < tok.i]):
        if child.dep_ in {"compound", "amod"} and child.i == start.i - 1:
            start = child
    span = tok.doc[start.i : tok.i + 1]
    return ActorRef(text=span.text, start=span.start_char, end=span.end_char)


def _subject(verb: Token) -> tuple[list[Token], list[Token]]:
    """(actor heads, passive-subject heads) of a clause, carried from governing clauses when absent."""
    node = verb
    for _ in range(5):
        subj = [c for c in node.children if c.dep_ in {"nsubj", "csubj"}]
        passive = [c for c in node.children if c.dep_ == "nsubjpass"]
        agents = [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if subj or passive or agents:
            relcl = [s for s in subj if s.tag_ in {"WP", "WDT"} and node.dep_ == "relcl"]
            if relcl:
                subj = [node.head]
            return subj + agents, passive
        if node.dep_ == "xcomp":
            objs = [c for c in node.head.children if c.dep_ in {"dobj", "dative"}]
            if objs:
                return objs, []
        if node.dep_ == "acl" and node.tag_ == "VBN":
            return [], [node.head]  # "prisoners released from Israeli jails"
        if node.dep_ in {"relcl", "acl"}:
            return [node.head], []
        if node.dep_ not in {"xcomp", "conj", "advcl", "pcomp", "ccomp", "pobj", "prep"} or node.head == node:
            break
        node = node.head
    return [], []


_FRAMING_PREPS = {
    "as",
    "despite",
    "in",
    "during",
    "at",
    "after",
    "before",
    "following",
    "since",
    "amid",
    "of",
    "with",
    "through",
}


_ARG_DEPS = {"dobj", "nsubj", "nsubjpass", "attr", "appos", "dative", "oprd"}


def _governor(noun: Token) -> Token | None:
    """The verb a nominal trigger hangs from: "held [talks]", "spoke ... in his phone [call]", "staged a day
    of [strikes]", "[protests] spread".

    Object and subject nouns take their head verb; nouns in a prepositional phrase climb through framing
    prepositions ("in", "during", "after", "of") and the nouns they modify, up to the clause verb.
    """
    node = noun
    for _ in range(6):
        if node.dep_ in _ARG_DEPS:
            return node.head if node.head.pos_ in {"VERB", "AUX"} else None
        if node.dep_ == "conj":
            node = node.head
            continue
        if node.dep_ == "pobj" and node.head.lower_ in {"to", "on"} and node.head.head.lemma_ in _INTENT:
            return node.head.head  # "agreed to a ceasefire": the content of a commitment
        if node.dep_ != "pobj" or node.head.lower_ not in _FRAMING_PREPS:
            return None
        head = node.head.head
        if head.pos_ in {"VERB", "AUX"}:
            return head
        node = head
    return None


_TEMPORAL_MARKS = {"after", "before", "as", "when", "while", "since", "until", "because", "once", "although"}
_CLIMB = {"xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj", "acl"}
_CONTENT_EDGES = {"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"}


def _chain(verb: Token) -> list[tuple[Token, str]]:
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
        if node.dep_ == "pcomp" and node.head.lower_ in _FRAMES | _TEMPORAL_MARKS:
            break  # "despite pledging to ...", "after meeting ..."
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in kids):
            break
        via = node.dep_
        node = node.head
        out.append((node, via))
    return out


def _years_before(node: Token) -> bool:
    """A clause set years back: "a year after agents abducted him", "decades after the war began"."""
    marks = [c for c in node.children if c.dep_ == "mark" and c.lower_ in {"after", "since"}]
    for mark in marks:
        around = [*mark.children, *node.children]
        if any(
            c.dep_ in {"npadvmod", "advmod", "nummod"} and c.lemma_.lower() in {"year", "decade"}
            for c in around
        ):
            return True
    return False


def _is_content(chain: list[tuple[Token, str]]) -> bool:
    """Whether the event is only what someone wants, demands, threatens or alleges ("wants Israel to strike",
    "threatened to cut gas", "accused Moscow of shelling"): reached from such a verb through its complement,
    not through a coordination ("threatened X and accused Y")."""
    for node, via in chain[1:]:
        lemma = node.lemma_
        if lemma == "expect" and any(c.dep_ in {"auxpass", "nsubjpass"} for c in node.children):
            continue  # "talks are expected to resume": a forecast, handled as future
        if lemma in _DESIRE or lemma in _CONTENT:
            return via in _CONTENT_EDGES
    return False


def _factuality(verb: Token, trigger: Token, ctx: _Context) -> str | None:
    """asserted | negated | future | hypothetical | historical, or None to drop (a desire's object)."""
    sent = trigger.sent
    reported = any(t.lemma_ in _CUE for t in sent)
    chain = _chain(verb)
    if _is_content(chain):
        return None
    state = "asserted"
    if trigger is not verb and _framed(trigger):
        # "withdrew the bill after two nights of protests": a framing event keeps its own mood.
        mods = {c.lower_ for c in trigger.children if c.dep_ in {"amod", "compound", "nmod"}}
        return "hypothetical" if mods & _HYPOTHETICAL_MODS else "future" if mods & _FUTURE_MODS else state
    if any(_years_before(node) for node, _via in chain):
        return "historical"  # "40 years after Argentine troops invaded the islands"
    if (
        trigger is not verb
        and verb.lemma_ in _INTENT
        and trigger.dep_ == "pobj"
        and trigger.head.lower_ in {"to", "on"}
        and trigger.head.head == verb
    ):
        state = "future"  # "agreed to a ceasefire"
    if trigger is not verb:
        mods = {c.lower_ for c in trigger.children if c.dep_ in {"amod", "compound", "nmod"}}
        if mods & _HYPOTHETICAL_MODS:
            return "hypothetical"
        if mods & _FUTURE_MODS:
            state = "future"
        if any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children):
            return "negated"
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
            state = "future" if reported or _has_future_time(sent, ctx) else "hypothetical"
        if depth > 0 and via == "conj":
            continue  # a coordinated verb shares the mood, not the meaning: "denied X and accused Y"
        if depth > 0 and node.lemma_ in _NEGATING:
            return "negated"
        if (
            depth > 0
            and state == "asserted"
            and via == "xcomp"
            and (node.lemma_ in _INTENT or (node.lemma_ == "go" and node.tag_ == "VBG" and auxes))
        ):
            state = "future"  # "plans to meet", "is going to meet", "talks are expected to resume"
        if (
            node.dep_ == "advcl"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids)
            and state == "asserted"
            and (trigger is verb or depth > 0 or verb.lemma_ in _LIGHT)
        ):
            state = (
                "future"  # a purpose: "deployed troops to secure the border" (not "fled to escape bombing")
            )
    if state == "asserted" and (_has_future_time(sent, ctx, near=(trigger, verb))):
        return "future"
    return state


def _clause_of(tok: Token, *, through_participles: bool = False) -> Token:
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


def _has_future_time(sent: object, ctx: _Context, near: tuple[Token, ...] = ()) -> bool:
    """Whether the sentence (or, with `near`, the clause of one of those tokens) names a time ahead."""
    span = sent  # a spaCy Span
    start, end = span.start_char, span.end_char  # type: ignore[attr-defined]
    for t in ctx.times:
        if not (start <= t.start < end and t.text.lower().split()[0] in {"next", "tomorrow", "coming"}):
            continue
        if not near:
            return True
        found = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if found is not None and _clause_of(found.root) in near:
            return True
    return False


def _is_purpose_protest(tok: Token, verb: Token, trig: Trigger) -> bool:
    """ "canceled the trip to protest X", "recalled its envoy in protest": the protest is the motive of
    another act, not a street protest."""
    if trig.type != "PROTEST":
        return False
    if tok is not verb:
        return (
            tok.dep_ == "pobj" and tok.head.lower_ == "in" and not any(c.dep_ == "det" for c in tok.children)
        )
    return (
        verb.dep_ in {"advcl", "xcomp", "acl"}
        and verb.head.pos_ in {"VERB", "NOUN"}
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _restates_head(verb: Token, trig: Trigger, ctx: _Context) -> bool:
    """ "met X to discuss Y": a purpose clause of the same type is the same event, not a second one."""
    if verb.dep_ not in {"advcl", "xcomp"} or verb.head == verb:
        return False
    head = ctx.lex.verb_triggers.get(verb.head.lemma_.lower())
    return head is not None and head.type == trig.type


_ARMED_SECTORS = {"MIL", "REB", "COP", "SPY"}
_VERBAL_ATTACKS = {"attack", "target", "hit", "blast", "savage", "assail"}
_SPORTS = {
    "match",
    "game",
    "goal",
    "cup",
    "league",
    "tournament",
    "championship",
    "final",
    "semifinal",
    "opener",
    "innings",
    "wicket",
    "set",
    "medal",
    "season",
    "fixture",
    "playoff",
    "striker",
    "coach",
    "stadium",
}
_SCORE = re.compile(r"^\d{1,3}[-–]\d{1,3}$")


def _sporting(sent: object) -> bool:
    """A sports report: a score ("3-1") or the words of a match."""
    toks = list(sent)  # type: ignore[call-overload]
    return any(_SCORE.match(t.text) for t in toks) or sum(t.lemma_.lower() in _SPORTS for t in toks) >= 2


# Event nouns that report a happening even when the sentence names no one: "protests spread", "an air strike
# killed five".
_SELF_EVIDENT = {"PROTEST", "ASSAULT", "CONSULT", "RETREAT"}


def _armed(refs: list[ActorRef], ctx: _Context) -> bool:
    """Whether an actor can use force: a state (bare country code) or armed forces, police, rebels, spies,
    also when named only by role ("riot police", "gunmen")."""
    for r in refs:
        if r.code is None and r.text:
            role = ctx.lex.roles.get(r.text.split()[-1].lower())
            if role is not None and role[0] in _ARMED_SECTORS:
                return True
        if r.code and (len(r.code) == 3 and r.code.isalpha() and not r.code.startswith(("IGO", "NGO"))):
            return True
        if r.code and any(r.code[i : i + 3] in _ARMED_SECTORS for i in range(3, len(r.code), 3)):
            return True
    return False


_POLITICAL_SECTORS = {"GOV", "OPP", "PTY", "LEG", "ELI", "MED", "JUD"}


def _political(refs: list[ActorRef], ctx: _Context) -> bool:
    """Whether the actors are politicians, parties or officials (whose "attacks" are words)."""
    for r in refs:
        if r.code and any(r.code[i : i + 3] in _POLITICAL_SECTORS for i in range(3, len(r.code), 3)):
            return True
        span = ctx.doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None and span.root.ent_type_ == "PERSON":
            return True
    return False


_UNREST = {
    "storm",
    "clash",
    "block",
    "blockade",
    "occupy",
    "barricade",
    "shut down",
    "torch",
    "loot",
    "seize",
}
_CROWDS = {
    "protester",
    "protesters",
    "demonstrator",
    "demonstrators",
    "rioter",
    "rioters",
    "supporter",
    "supporters",
    "student",
    "students",
    "farmer",
    "farmers",
    "worker",
    "workers",
    "crowd",
    "crowds",
    "mob",
    "activist",
    "activists",
    "trucker",
    "truckers",
    "driver",
    "drivers",
    "resident",
    "residents",
    "villager",
    "villagers",
}


def _crowd(refs: list[ActorRef], ctx: _Context) -> bool:
    """Whether the actors are a civilian crowd (protesters, students, farmers), not a state or armed group."""
    for r in refs:
        words = r.text.lower().split()
        if words and words[-1] in _CROWDS and not _armed([r], ctx):
            return True
    return False


def _person(refs: list[ActorRef], ctx: _Context) -> bool:
    """Whether a reference is a named person or a pronoun standing for one."""
    for r in refs:
        span = ctx.doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None and (span.root.ent_type_ == "PERSON" or span.root.lower_ in {"him", "her"}):
            return True
    return False


def _state_actor(refs: list[ActorRef], ctx: _Context) -> bool:
    """Whether an actor is a state or its officials; a people named by demonym ("Belarusians") is not."""
    return any(
        r.code
        and (len(r.code) == 3 or r.code[3:6] in _STATE_SECTORS)
        and not (r.text.endswith("s") and fold(r.text) in ctx.lex.adjectives)
        for r in refs
    )


def _place_for(tokens: list[Token], ctx: _Context) -> Place | None:
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


def _dominant_place(refs: list[ActorRef], ctx: _Context) -> Place | None:
    """The article's most-mentioned sub-national place (named at least twice) in the country of one of the
    event's parties, or None when no party has a country or the article names no such place."""
    countries = {r.code[:3] for r in refs if r.code and r.code[:3].isalpha()}
    local = [
        p
        for p in ctx.places.places
        if p.precision in {"city", "admin1", "point"} and p.country in countries and len(p.mentions) >= 2
    ]  # dominant: named at least twice
    if not local:
        return None
    return max(local, key=lambda p: (len(p.mentions), -(p.mentions[0][0] if p.mentions else 0)))


def _locative_place(tokens: list[Token], ctx: _Context) -> Place | None:
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


def _distance(root: Token, targets: set[int]) -> int | None:
    """How many steps up from `root` the first of `targets` is (None: not an ancestor)."""
    for steps, node in enumerate([root, *root.ancestors]):
        if node.i in targets:
            return steps
    return None


_PHASES = {"start", "beginning", "outset", "onset", "height", "early", "days", "course"}


def _background(verb: Token) -> str | None:
    """A clause told as background: in the past perfect ("had fought", "had been seized") or placed in a
    phase of something larger ("at the start of the war", "in the early days of the invasion")."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in {"had", "'d"} for a in auxes) and verb.tag_ == "VBN":
        return "told in the past perfect"
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ not in {"at", "in", "during", "since"}:
            continue
        for p in c.children:
            if p.lemma_.lower() in _PHASES and any(g.lower_ == "of" for g in p.children):
                return f"'{verb.doc[c.i : p.right_edge.i + 1].text}'"
    return None


def _date_for(trigger: Token, verb: Token, ctx: _Context) -> tuple[str | None, str, str]:
    """The event's date: the temporal expression governing it in the parse (the nearest governor wins), else
    the nearest one in its sentence, else the publication date, saying so; background told in the past
    perfect gets no date rather than the publication day."""
    sent = trigger.sent
    in_sent = [t for t in ctx.times if sent.start_char <= t.start < sent.end_char and t.value]
    targets = {trigger.i, verb.i}
    governed: list[tuple[int, TimeExpr]] = []
    for t in in_sent:
        span = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        steps = _distance(span.root, targets)
        if steps is not None:
            own_clause = _clause_of(span.root, through_participles=True) in (trigger, verb)
            governed.append((steps if own_clause else 100 + steps, t))
    anchor_desc = _anchor_desc(ctx.article)
    pick = (
        min(governed, key=lambda g: (g[0], g[1].start))[1]
        if governed
        else (min(in_sent, key=lambda t: abs(t.start - trigger.idx)) if in_sent else None)
    )
    if pick is not None:
        how = "relative" if pick.relative else "absolute"
        where = "" if governed else ", nearest in sentence"
        src = f"{how}: '{pick.text}'" + (f" from {anchor_desc}" if pick.relative else "") + where
        return pick.value, pick.precision, src
    background = _background(verb)
    if background:
        return None, "unknown", f"unknown: background ({background}), not dated as the news"
    if ctx.article.published is not None:
        return ctx.article.published.isoformat(), "day", f"fallback: {anchor_desc}"
    if ctx.article.anchor is not None:
        return None, "unknown", f"unknown: no date in the sentence; {anchor_desc}"
    return None, "unknown", "unknown: no date in the sentence and no publication date"


def _anchor_desc(article: Article) -> str:
    if article.published is not None:
        return f"published {article.published.isoformat()}"
    if article.anchor is not None:
        return f"inferred publication date (no earlier than {article.anchor.isoformat()})"
    return "no publication date"


# Background retold from well before the news: its own date ends this long before the article's date.
_HISTORICAL_GAP = dt.timedelta(days=45)


def _historical(date: str | None, source: str, article: Article) -> bool:
    """Whether an event dated by its own time expression lies well before the article (background)."""
    anchor = article.anchor
    if date is None or anchor is None or source.startswith(("fallback", "unknown")):
        return False
    bounds = period_bounds(date)
    return bounds is not None and bounds[1] < anchor - _HISTORICAL_GAP


_REPORT_CUES = _CUE | {"tell", "say", "confirm", "allege", "write", "quote", "insist", "warn", "acknowledge"}


def _reporter(verb: Token, ctx: _Context) -> ActorRef | None:
    """Who reports the event: the subject of the speech verb governing its clause ("X said Y attacked Z"),
    a speech verb hanging from it ("Israel struck Z, the army said"), or "according to X"."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                for to in child.children:
                    for pobj in to.children if to.lower_ == "to" else ():
                        refs = _refs([pobj], ctx, allow_unresolved=True)
                        if refs:
                            return refs[0]
            if (
                child.dep_ in {"parataxis", "ccomp"}
                and child.lemma_.lower() in _REPORT_CUES
                and child.i > verb.i
            ):
                refs = _refs([c for c in child.children if c.dep_ == "nsubj"], ctx)
                if refs:
                    return refs[0]
        if node.dep_ not in {"ccomp", "conj", "xcomp", "advcl"} or node.head == node:
            return None
        node = node.head
        if node.lemma_.lower() in _REPORT_CUES:
            refs = _refs([c for c in node.children if c.dep_ == "nsubj"], ctx)
            return refs[0] if refs else None
    return None


# Verbs that only carry a noun event ("held talks"): the noun alone is the trigger. Other governors of an
# object noun are part of the event's words ("imposed sanctions", "declared a ceasefire").
_CARRIERS = {
    "escape",
    "flee",
    "survive",
    "hold",
    "have",
    "make",
    "conduct",
    "carry",
    "give",
    "take",
    "stage",
    "begin",
    "start",
    "continue",
    "resume",
    "join",
    "attend",
    "include",
    "mount",
    "deliver",
    "be",
    "see",
    "end",
    "face",
}


def _trigger_span(tok: Token, gov: Token | None = None, *, whole: bool = False) -> Span:
    """The trigger's words: the token with its particle or noun compound; a specific governing verb and its
    object noun together ("imposed sanctions", "sent 37 tonnes of medical supplies" with `whole`)."""
    if (
        gov is not None
        and gov is not tok
        and gov.i < tok.i
        and ((tok.dep_ == "dobj" and tok.head == gov) or whole)
        and gov.lemma_.lower() not in _CARRIERS
        and gov.lemma_.lower() not in _CUE
    ):
        start, end = gov.idx, tok.idx + len(tok.text)
        return Span(start, end, tok.doc.text[start:end])  # "imposed sweeping sanctions"
    toks = [tok] + [
        c
        for c in tok.children
        if c.dep_ == "prt" or (c.dep_ == "compound" and c.i == tok.i - 1 and c.pos_ == "NOUN")
    ]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return Span(start, end, tok.doc.text[start:end])


def _constraints(trig: Trigger) -> dict[str, frozenset[str]]:
    """A trigger's constraints: ``armed;object=missile|rocket`` -> {"armed": {}, "object": {...}}."""
    out: dict[str, frozenset[str]] = {}
    for part in trig.constraint.split(";"):
        name, _, values = part.strip().partition("=")
        if name:
            out[name] = frozenset(v.strip() for v in values.split("|") if v.strip())
    return out


_LABOUR = {
    "general",
    "nationwide",
    "national",
    "labour",
    "labor",
    "hunger",
    "rail",
    "worker",
    "workers",
    "union",
    "warning",
    "token",
    "wildcat",
    "teachers",
    "doctors",
    "transport",
    "public-sector",
    "indefinite",
}
_STRIKE_GOVERNORS = {"go", "call", "stage", "hold", "begin", "join", "declare", "end"}
_PHONE = {"phone", "telephone"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_PROSPECTS = {
    "fear",
    "threat",
    "risk",
    "prospect",
    "possibility",
    "danger",
    "warning",
    "rumor",
    "rumour",
    "speculation",
    "concern",
    "spectre",
    "specter",
    "likelihood",
    "chance",
}
_TARGETS = {
    "deadline",
    "target",
    "goal",
    "requirement",
    "standard",
    "expectation",
    "criterion",
    "threshold",
    "need",
}
_PUBLICATIONS = {
    "data",
    "report",
    "statement",
    "poll",
    "video",
    "figure",
    "result",
    "plan",
    "budget",
    "album",
    "book",
    "document",
    "list",
    "image",
    "photo",
    "footage",
    "record",
    "transcript",
    "tape",
    "letter",
    "memo",
    "ad",
    "advertisement",
    "platform",
    "study",
    "survey",
    "return",
    "detail",
    "information",
    "email",
}
_VERBAL_TYPES = {"SUPPORT", "ACCUSE", "REQUEST", "AGREE", "REJECT", "CONCEDE", "THREATEN"}
_DISPARAGING = {
    "terrorist",
    "terrorists",
    "illegal",
    "unacceptable",
    "provocation",
    "provocative",
    "criminal",
    "liar",
    "genocide",
    "dangerous",
    "inflammatory",
    "irresponsible",
    "outrageous",
    "absurd",
    "baseless",
    "shameful",
    "disgrace",
    "disgraceful",
    "aggression",
    "violation",
    "hostile",
    "brazen",
    "cynical",
    "racist",
    "fascist",
    "traitor",
    "traitors",
    "puppet",
    "dictator",
    "illegitimate",
    "coup",
    "lies",
    "lie",
    "fraud",
    "sham",
    "farce",
    "threat",
    "reckless",
    "hypocritical",
    "barbaric",
    "crime",
    "crimes",
    "nazi",
    "nazis",
}
_TRANSFER = {"send", "provide", "deliver", "give", "ship", "transfer", "donate", "hand", "gift", "sell"}
_MATERIEL = {
    "tank",
    "missile",
    "jet",
    "howitzer",
    "drone",
    "ammunition",
    "weapon",
    "arm",
    "artillery",
    "rocket",
    "munition",
    "shell",
    "system",
    "battery",
    "aircraft",
    "fighter",
    "helicopter",
    "vehicle",
    "rifle",
}
_RELIEF = {"aid", "food", "medicine", "supply", "assistance", "fuel", "vaccine", "tent", "water", "relief"}
_FORCES = {"troop", "troops", "soldier", "force", "reservist", "warship", "jet", "unit", "reinforcement"}
_REVENGE = {"retaliate", "avenge", "revenge", "punish", "pay", "crush", "destroy", "eliminate", "respond"}
_CONSEQUENCES = {
    "consequence",
    "response",
    "retaliation",
    "reprisal",
    "action",
    "measure",
    "sanction",
    "war",
    "force",
}


def _special(tok: Token, lemma: str, trig: Trigger | None) -> Trigger | bool | None:
    """Triggers whose type depends on their words: "call for" (REQUEST) vs "called Netanyahu" (a phone call),
    "spoke with" (CONSULT), a labour or hunger strike (PROTEST) vs an air strike, joint exercises.

    Returns a trigger, None for no event, or True to keep the lexicon's entry."""
    kids = list(tok.children)
    preps = _preps(kids) | {c.lower_ for c in kids if c.dep_ == "prt"}
    if lemma == "call" and tok.pos_ == "VERB":
        if "up" in preps:
            return True  # "called up reservists" (the lexicon's "call up")
        if "off" in preps:
            return Trigger("call off", "VERB", "SANCTION", None, "160", "needs_object")
        complements = [t for c in kids if c.dep_ in {"oprd", "xcomp", "ccomp", "dobj"} for t in c.subtree]
        if any(t.lower_ in _DISPARAGING and t.dep_ != "dobj" for t in complements):
            return Trigger(
                "call", "VERB", "ACCUSE", "disapprove", "111", ""
            )  # "called the verdict a disgrace"
        if preps & {"for", "on", "upon"}:
            return Trigger("call", "VERB", "REQUEST", None, "020", "")
        objs = [c for c in kids if c.dep_ == "dobj"]
        if (
            objs
            and not any(c.dep_ in {"oprd", "xcomp", "ccomp"} for c in kids)
            and (objs[0].ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or objs[0].tag_ == "PRP")
        ):
            return Trigger("call", "VERB", "CONSULT", "phone", "041", "")
        return None
    if lemma in {"speak", "talk"} and tok.pos_ == "VERB":
        if "against" in preps:
            return Trigger(lemma, "VERB", "ACCUSE", "disapprove", "111", "")  # "spoke out against X"
        if "with" in preps or ("to" in preps and lemma == "speak"):
            phone = any(t.lower_ in _PHONE for t in tok.subtree)
            return Trigger(
                lemma, "VERB", "CONSULT", "phone" if phone else None, "041" if phone else "040", ""
            )
        return None if lemma == "speak" else True
    if lemma in {"come", "rail", "lash"} and tok.pos_ == "VERB" and "against" in preps:
        return Trigger(lemma, "VERB", "ACCUSE", "disapprove", "111", "")
    if (
        lemma == "order"
        and tok.pos_ == "VERB"
        and any(c.dep_ == "dobj" and c.lemma_.lower() in _FORCES for c in kids)
    ):
        return None  # "ordered troops to the border": the troops noun makes it a MOBILIZE
    if lemma == "open" and tok.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lower_ == "fire" for c in kids):
        return Trigger("open fire", "VERB", "ASSAULT", "firearms", "190", "armed")  # "opened fire on"
    if trig is None and tok.pos_ == "VERB" and lemma in _TRANSFER:
        # "will send Leopard 2 tanks to Ukraine", "provided $1 billion in military aid"
        words = {t.lemma_.lower() for c in kids if c.dep_ in {"dobj", "dative"} for t in c.subtree}
        if words & _FORCES:
            return None  # "sending troops": the troops noun makes it a MOBILIZE
        if words & _FUNDS - {"aid"}:
            return Trigger(lemma, "VERB", "AID", "economic", "071", "")
        if words & _MATERIEL:
            return Trigger(lemma, "VERB", "AID", "military", "072", "")
        if words & _RELIEF:
            return Trigger(lemma, "VERB", "AID", "humanitarian", "073", "")
        return None
    if lemma == "warn" and tok.pos_ == "VERB":
        # "warned it would retaliate", "warned of a harsh response": a consequence is threatened.
        comps = [c for c in kids if c.dep_ in {"ccomp", "xcomp"}]
        if any(a.lower_ in {"will", "would", "'ll"} for c in comps for a in c.children if a.dep_ == "aux"):
            return Trigger("warn", "VERB", "THREATEN", None, "130", "")
        if any(p.lower_ == "of" and any(o.lemma_.lower() in _CONSEQUENCES for o in p.children) for p in kids):
            return Trigger("warn", "VERB", "THREATEN", None, "130", "")
        return True
    if lemma in {"vow", "pledge", "promise", "swear"} and tok.pos_ == "VERB":
        # "vowed to retaliate", "vowed to make Hezbollah pay": a promise of force is a threat.
        comps = [c for c in kids if c.dep_ in {"xcomp", "ccomp"}]
        inner = {t.lemma_.lower() for c in comps for t in c.subtree if t.pos_ == "VERB"}
        if inner & _REVENGE:
            return Trigger(lemma, "VERB", "THREATEN", "violence", "138", "")
        return True
    if tok.pos_ == "VERB" and trig is not None:
        reading = _object_reading(tok, lemma, trig)
        if reading is False:
            return None
        if reading is not None:
            return reading
    if lemma == "call" and tok.pos_ in {"NOUN", "PROPN"}:
        compounds = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if "for" in preps:
            return Trigger("call", "NOUN", "REQUEST", None, "020", "")
        return True if compounds & _PHONE or "with" in preps else None
    if lemma == "strike" and tok.pos_ in {"NOUN", "PROPN"}:
        mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod", "nmod"}}
        if "hunger" in mods:
            return Trigger("strike", "NOUN", "PROTEST", "hunger", "142", "")
        military = mods & {
            "air",
            "drone",
            "missile",
            "military",
            "israeli",
            "russian",
            "us",
            "u.s.",
            "precision",
        }
        on_strike = tok.dep_ == "pobj" and tok.head.lower_ == "on"
        called = tok.dep_ == "dobj" and tok.head.lemma_.lower() in _STRIKE_GOVERNORS
        if mods & _LABOUR and not military:
            return Trigger("strike", "NOUN", "PROTEST", "strike", "143", "")
        if not military and "on" not in preps and (mods & _LABOUR or on_strike or called):
            return Trigger("strike", "NOUN", "PROTEST", "strike", "143", "")
        return True
    if lemma == "meet" and tok.pos_ == "VERB":
        met = {c.lemma_.lower() for c in kids if c.dep_ == "dobj"}
        if met & {"demand", "condition", "request"}:
            return Trigger(lemma, "VERB", "CONCEDE", None, "083", "")  # "met the protesters' demands"
        if met & _TARGETS:
            return None  # "met the deadline"
        return True
    if lemma == "rally" and tok.pos_ == "NOUN":
        mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if (tok.dep_ == "pobj" and tok.head.lower_ in {"at", "during"}) or mods & {"campaign", "election"}:
            return None  # "said at a rally": a campaign event, not a protest
        return True
    if lemma in {"ceasefire", "truce"} and tok.pos_ in {"NOUN", "PROPN"}:
        gov = tok.head if tok.dep_ == "dobj" else None
        if gov is not None and gov.lemma_.lower() in {"declare", "announce", "offer", "propose"}:
            return Trigger(lemma, "NOUN", "CONCEDE", "ceasefire", "087", "")  # a declared ceasefire
        return True
    if lemma in {"exercise", "drill", "patrol"} and tok.pos_ == "NOUN":
        mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if not mods & {"military", "joint", "naval", "war", "air", "live-fire", "combat", "large-scale"}:
            return None
        if "joint" in mods or "with" in preps:
            return Trigger(lemma, "NOUN", "COOPERATE", None, "062", "light")
        return Trigger(lemma, "NOUN", "MOBILIZE", None, "150", "light")
    return True


_AGREEMENTS = {
    "deal",
    "treaty",
    "agreement",
    "accord",
    "accords",
    "pact",
    "organization",
    "organisation",
    "convention",
    "talks",
    "negotiation",
    "alliance",
    "council",
    "court",
    "union",
    "coalition",
    "framework",
    "bloc",
    "process",
}
_POLICIES = {
    "bill",
    "law",
    "proposal",
    "plan",
    "reform",
    "tax",
    "decree",
    "measure",
    "rule",
    "policy",
    "amendment",
}
_COOPERATION = {
    "cooperation",
    "security",
    "defence",
    "defense",
    "intelligence",
    "trade",
    "arms",
    "military",
    "economic",
    "partnership",
    "investment",
    "energy",
    "nuclear",
    "technology",
    "sale",
    "sales",
    "extradition",
}
_FUNDS = {
    "fund",
    "funds",
    "funding",
    "money",
    "aid",
    "tranche",
    "loan",
    "payment",
    "assistance",
    "budget",
    "euro",
    "dollar",
    "pound",
    "yuan",
    "rupee",
    "franc",
    "$",
    "€",
    "£",
}
_PEOPLE = {
    "soldier",
    "hostage",
    "people",
    "civilian",
    "fighter",
    "man",
    "woman",
    "child",
    "journalist",
    "worker",
    "tourist",
    "sailor",
    "crew",
    "militant",
    "officer",
    "citizen",
    "national",
    "member",
    "activist",
}


def _object_reading(tok: Token, lemma: str, trig: Trigger) -> Trigger | bool | None:
    """The reading a verb takes from its object: withdrawing troops (RETREAT) or from a treaty (SANCTION) or
    a bill (CONCEDE); suspending aid (SANCTION) or a reform (CONCEDE); releasing hostages (RETREAT) or funds
    (AID); signing a defence pact (COOPERATE) or a declaration (SUPPORT); capturing soldiers (ASSAULT) or a
    town (COERCE)."""
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)
    words = {t.lemma_.lower() for o in objs for t in o.subtree}
    heads = {o.lemma_.lower() for o in objs}
    froms = {
        p.lemma_.lower()
        for c in kids
        if c.dep_ == "prep" and c.lower_ in {"from", "of"}
        for p in c.subtree
        if p.dep_ in {"pobj", "compound", "conj"}
    }
    if trig.type == "RETREAT" and lemma in {"withdraw", "pull"}:
        if heads & _POLICIES:
            return Trigger(lemma, "VERB", "CONCEDE", None, "083", "")
        if froms & _AGREEMENTS:
            return Trigger(lemma, "VERB", "SANCTION", "withdraw", "166", "")
    if (
        trig.type == "SANCTION"
        and lemma in {"suspend", "freeze", "halt", "scrap", "shelve"}
        and heads & _POLICIES
    ):
        return Trigger(lemma, "VERB", "CONCEDE", None, "081", "")
    if trig.type == "RETREAT" and lemma == "release" and heads & _PUBLICATIONS:
        return False  # "released data", "released a statement": nothing conceded
    if trig.type == "RETREAT" and lemma in {"release", "free"} and (heads | words) & _FUNDS:
        return Trigger(lemma, "VERB", "AID", "economic", "071", "")
    if lemma == "close" and heads & {"embassy", "consulate", "mission"}:
        return Trigger(lemma, "VERB", "SANCTION", None, "161", "")  # closing an embassy reduces relations
    if lemma == "sign" and words & _COOPERATION:
        return Trigger(lemma, "VERB", "COOPERATE", None, "060", "")
    if lemma == "capture" and heads & _PEOPLE:
        return Trigger(lemma, "VERB", "ASSAULT", "abduct", "181", "armed")
    return None


_FRAMES = {"after", "before", "following", "amid", "since", "despite", "until", "as"}


def _framed(noun: Token) -> bool:
    """A noun in a time or circumstance frame of another clause ("ordered troops after protests"): the
    clause's subject is not the noun event's actor."""
    node = noun
    for _ in range(4):
        if node.dep_ == "pobj" and node.head.lower_ in _FRAMES:
            return True
        if node.dep_ not in {"pobj", "conj", "prep"}:
            return False
        node = node.head
    return False


def _dated_topic(noun: Token, gov: Token, ctx: _Context) -> bool:
    """ "the 2014 protests", "the 2006 war": an event named by an earlier year is a topic, not a report."""
    if gov.lemma_.lower() in _LIGHT:
        return False
    year = ctx.article.anchor.year if ctx.article.anchor else None
    for child in noun.children:
        if (
            child.dep_ in {"compound", "nummod", "amod", "poss"}
            and child.ent_type_ == "DATE"
            and child.like_num
            and year is not None
            and len(child.text) == 4
            and int(child.text) < year
        ):
            return True
    return False


def _candidates(ctx: _Context) -> list[tuple[Token, Token, Trigger]]:
    """(trigger token, clause verb, lexicon entry) for every plausible trigger.

    A verb that is an event only through its object ("launched missiles") yields to an event noun in that
    object ("launched missile strikes"): the noun reading is kept, its trigger spans both words."""
    lex = ctx.lex
    verbs: list[tuple[Token, Token, Trigger]] = []
    nouns: list[tuple[Token, Token, Trigger]] = []
    ent_roots = {ent.root.i for ent in ctx.doc.ents if ent.label_ != "EVENT"}
    # Subheadings with no verb at their root ("Conversation 'better than expected'") report nothing.
    fragments = {
        t.i for s in ctx.doc.sents if s.root.pos_ not in {"VERB", "AUX"} or not s.root.is_alpha for t in s
    }
    for tok in ctx.doc:
        lemma = tok.lemma_.lower()
        if tok.i in fragments:
            continue
        if tok.pos_ == "VERB":
            prts = [c.lower_ for c in tok.children if c.dep_ == "prt"]
            trig = next(
                (lex.verb_triggers[k] for p in prts if (k := f"{lemma} {p}") in lex.verb_triggers), None
            )
            if trig is None:
                trig = lex.verb_triggers.get(lemma)
            special = _special(tok, lemma, trig)
            if special is not True:
                trig = special or None
            if trig is not None and _syntax_ok(tok, tok, trig, lex):
                verbs.append((tok, tok, trig))
        elif tok.pos_ in {"NOUN", "PROPN"}:
            if tok.i in ent_roots:
                continue  # "March" the month, "Strike" in a name (not "days of [protests]")
            trig = lex.noun_triggers.get(lemma) or lex.noun_triggers.get(tok.lower_)
            special = _special(tok, lemma, trig)
            if special is not True:
                trig = special or None
            if trig is None:
                continue
            gov = _governor(tok)
            if gov is None:
                continue
            if not _framed(tok) and (gov.lemma_.lower() in _BLOCKING or gov.lemma_.lower() in _CONTENT):
                continue  # "cancelled the talks"; but "scrapped the plan after days of protests" keeps them
            if gov.lemma_.lower() == "order" and trig.type != "MOBILIZE" and not _framed(tok):
                continue  # "ordered a ceasefire": the content of an order (its REQUEST is the event)
            if _dated_topic(tok, gov, ctx):
                continue
            head_trig = lex.noun_triggers.get(tok.head.lemma_.lower()) if tok.dep_ == "conj" else None
            if head_trig is not None and head_trig.type == trig.type:
                continue  # "delivered food, medicine and generators": one delivery
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _PROSPECTS:
                continue  # "fears of an invasion": a prospect, not an event
            if tok.lemma_.lower() in {"retaliation", "response", "reprisal"} and tok.head.lower_ == "in":
                continue  # "struck targets in retaliation for ...": the strike is the event
            if any(c.dep_ == "det" and c.lower_ in {"those", "these", "that", "this"} for c in tok.children):
                continue  # "in those talks", "that trip": a mention of an event told before
            if trig.type == "AGREE" and gov.lemma_.lower() in {"sign", "ratify", "approve", "endorse"}:
                continue  # "signed a peace agreement": the signing is the event (SUPPORT or COOPERATE)
            if gov.lemma_ == "be" and tok.dep_ == "nsubj" and trig.type in _VERBAL_TYPES:
                continue  # "the support of McCain is crucial": a topic, not a happening
            if _syntax_ok(tok, gov, trig, lex):
                nouns.append((tok, gov, trig))
    carried = {gov.i: trig.type for tok, gov, trig in nouns if tok.dep_ == "dobj" and tok.head == gov}
    kept = [c for c in verbs if carried.get(c[0].i) != c[2].type or "object" not in _constraints(c[2])]
    return sorted(kept + nouns, key=lambda c: c[0].i)


def _preps(kids: list[Token]) -> set[str]:
    """Prepositions heading arguments, not dates ("fired on protesters", not "fired him on Friday")."""
    return {
        c.lower_
        for c in kids
        if c.dep_ == "prep"
        and not any(p.ent_type_ in {"DATE", "TIME"} for p in c.children if p.dep_ == "pobj")
    }


def _syntax_ok(tok: Token, verb: Token, trig: Trigger, lex: Lexicons) -> bool:
    """The syntactic constraints of a trigger (see `data/event_triggers.tsv`)."""
    cons = _constraints(trig)
    kids = list(verb.children)
    if "light" in cons and verb.lemma_.lower() not in _LIGHT and tok is not verb:
        return False
    if "governor" in cons and (tok is verb or verb.lemma_.lower() not in cons["governor"]):
        return False
    if "no_ccomp" in cons and not any(c.dep_ in {"xcomp", "dobj", "prep"} for c in kids):
        return False
    if "needs_object" in cons and tok is verb and not any(c.dep_ in {"dobj", "nsubjpass"} for c in kids):
        return False
    if "object" in cons and tok is verb:
        objs = {c.lemma_.lower() for c in kids if c.dep_ in {"dobj", "nsubjpass"}}
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            objs.add(verb.head.lemma_.lower())  # "the security law imposed by Beijing"
        objs |= {
            c.lemma_.lower()
            for o in kids
            if o.dep_ in {"dobj", "nsubjpass"}
            for c in o.children
            if c.dep_ == "compound"
        }
        preps = _preps(kids)
        # "offered to mediate", "asked Israel to pause": the infinitive is the object
        xcomp = trig.lemma in {"offer", "ask"} and any(c.dep_ == "xcomp" for c in kids)
        if not (objs & cons["object"] or preps & cons.get("prep", frozenset()) or xcomp):
            return False
    elif "prep" in cons and tok is verb and not _preps(kids) & cons["prep"]:
        return False
    return True


def _destinations(verb: Token, ctx: _Context) -> list[ActorRef]:
    """The host of a visit: "head to Washington" -> the US government (a capital stands for it)."""
    out = []
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ not in {"to", "for"}:
            continue
        for pobj in c.children:
            place = ctx.places.at(pobj) if pobj.dep_ == "pobj" else None
            if place is None or place.country is None:
                continue
            country = ctx.lex.by_iso3.get(place.country)
            seat = place.precision == "country" or (
                country is not None and fold(country.capital) == fold(place.name)
            )
            span = ctx.doc[pobj.left_edge.i : pobj.i + 1]
            code = place.country + ("GOV" if seat else "")
            out.append(
                ActorRef(
                    text=span.text,
                    start=span.start_char,
                    end=span.end_char,
                    name=country.name if country and seat else place.name,
                    code=code,
                )
            )
    return out


def _arguments(
    tok: Token, verb: Token, trig: Trigger, ctx: _Context
) -> tuple[list[ActorRef], list[ActorRef]]:
    if tok is verb:
        subj, passive = _subject(verb)
        actors = _refs(subj, ctx)
        objs = [c for c in verb.children if c.dep_ in {"dobj", "dative", "attr"}]
        objs += [
            p
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in _RECIPIENT_PREPS
            for p in c.children
            if p.dep_ == "pobj"
        ]
        # "cut ties with Iran", "suspended talks with Hamas": the partner hangs from the object.
        objs += [
            p
            for o in verb.children
            if o.dep_ == "dobj"
            for c in o.children
            if c.dep_ == "prep" and c.lower_ in {"with", "to", "against"}
            for p in c.children
            if p.dep_ == "pobj"
        ]
        if "destination" in _constraints(trig):
            return actors, _destinations(verb, ctx)
        recipients = _refs(passive + objs, ctx)
    else:
        poss = [c for c in tok.children if c.dep_ == "poss"]
        actors = _refs(poss, ctx, allow_unresolved=False)
        if not actors:
            # "the Biden-Netanyahu conversation", "a US-Israel meeting": the parties are the actors.
            mods = [c for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}]
            actors = [r for m in mods if (r := ctx.actors.ref_for_token(m)) is not None]
            actors = list({(r.start, r.end): r for r in actors}.values())
        if not actors and verb.lemma_.lower() not in _CUE and (trig.type == "CONSULT" or not _framed(tok)):
            subj, _ = _subject(verb)
            actors = _refs(subj, ctx)
        preps = [
            p
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in _RECIPIENT_PREPS | {"of"}
            for p in c.children
            if p.dep_ == "pobj"
        ]
        # "held talks with X"; "sent weapons to Ukraine", "gave Ukraine weapons", "launched an attack on X"
        verb_preps = {"with", "to", "on", "against", "for"} if tok.dep_ == "dobj" else {"with"}
        preps += [
            p
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in verb_preps
            for p in c.children
            if p.dep_ == "pobj"
        ]
        if tok.dep_ == "dobj":
            preps += [c for c in verb.children if c.dep_ == "dative"]
        recipients = _refs(preps, ctx)
    actor_spans = {(a.start, a.end) for a in actors}
    actor_ids = {a.actor_id for a in actors if a.actor_id}
    recipients = [
        r
        for r in recipients
        if (r.start, r.end) not in actor_spans and (r.actor_id is None or r.actor_id not in actor_ids)
    ]
    if trig.type == "MOBILIZE":
        # The forces moved are not the recipient: "deployed troops to Israel" -> Israel.
        objs_spans = {
            (t.idx, t.idx + len(t.text)) for c in verb.children if c.dep_ == "dobj" for t in c.subtree
        }
        recipients = [r for r in recipients if not any(s <= r.start < e for s, e in objs_spans)]
    if tok is not verb and not actors:
        # "a ceasefire between Israel and Hezbollah": the parties act together.
        between = [p for c in tok.children if c.lower_ == "between" for p in c.children if p.dep_ == "pobj"]
        if between:
            actors = _refs(between, ctx)
            recipients = [r for r in recipients if r not in actors]
    if not recipients and trig.type in {"AGREE", "SANCTION", "REQUEST", "THREATEN"}:
        # The object's owner, or the target of a purpose clause: "canceled the trip to protest X's failure";
        # the addressee of a demand or threat: "demanded that Israel withdraw", "vowed to make Hezbollah pay".
        inner = [
            c
            for c in verb.children
            if c.dep_ in {"xcomp", "ccomp"}
            or (
                c.dep_ == "advcl"
                and (trig.type == "SANCTION" or any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))
            )
        ]
        objs = [o for x in inner for o in x.children if o.dep_ in {"dobj", "nsubj"}]
        recipients = [
            r for r in _refs(objs, ctx, allow_unresolved=False) if (r.start, r.end) not in actor_spans
        ]
    seen_ids = {r.actor_id for r in actors if r.actor_id}
    unique: list[ActorRef] = []
    for r in recipients:
        if r.actor_id is None or r.actor_id not in seen_ids:
            unique.append(r)
            if r.actor_id:
                seen_ids.add(r.actor_id)
    return actors, unique


def extract_events(
    doc: Doc,
    article: Article,
    actors: ActorIndex,
    places: PlaceIndex,
    times: list[TimeExpr],
    *,
    resources: Resources,
) -> list[Event]:
    """Code the events of one article.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        actors: its actors (from `extract_actors`).
        places: its places (from `extract_places`).
        times: its temporal expressions (from `extract_times`).
        resources: the knowledge base (triggers, lexicons, CAMEO table).

    Returns:
        Events in text order, at most one per (sentence, type, actors, recipients).

    Example:
        >>> [e.type for e in extract_events(doc, article, actors, places, times)]  # doctest: +SKIP
        ['CONSULT']
    """
    ctx = _Context(doc, article, actors, places, times, resources.lexicons)
    best: dict[tuple[object, ...], Event] = {}
    heads: dict[str, tuple[int, int, bool]] = {}  # event id -> (trigger token, governor token, framed noun)
    for tok, verb, trig in _candidates(ctx):
        if _is_purpose_protest(tok, verb, trig) or _restates_head(verb, trig, ctx):
            continue
        factuality = _factuality(verb, tok, ctx)
        if factuality is None:
            continue
        actor_refs, recipient_refs = _arguments(tok, verb, trig, ctx)
        self_evident = trig.type in _SELF_EVIDENT and (
            trig.type == "PROTEST"
            or (tok is not verb and trig.type != "CONSULT")
            or (
                tok is not verb
                and (tok.dep_ in {"nsubj", "nsubjpass"} or _framed(tok) or verb.lemma_ in _LIGHT)
            )
        )
        if not actor_refs and not recipient_refs and not self_evident:
            continue
        cons = _constraints(trig)
        if ({"needs_recipient", "destination"} & cons.keys()) and not recipient_refs:
            continue
        if "civilian" in cons and _state_actor(actor_refs, ctx):
            continue
        if trig.type == "ASSAULT" and _sporting(tok.sent):
            continue  # "Turkey beat Georgia 3-1"
        if trig.lemma in _UNREST and actor_refs and _crowd(actor_refs, ctx):
            # "protesters stormed parliament", "demonstrators blocked the highway": collective protest.
            riot = trig.lemma in {"storm", "clash", "torch", "loot"}
            trig = Trigger(
                trig.lemma, trig.pos, "PROTEST", "riot" if riot else "obstruct", "145" if riot else "144", ""
            )
            cons = {}
        if "armed" in cons and actor_refs and not _armed(actor_refs, ctx):
            if trig.lemma not in _VERBAL_ATTACKS or not recipient_refs or not _political(actor_refs, ctx):
                continue  # "she captured South Carolina": words, not force
            trig = Trigger(
                trig.lemma, trig.pos, "ACCUSE", "disapprove", "111", ""
            )  # "Trump attacked Clinton"
        elif (
            trig.type == "ASSAULT"
            and trig.lemma in _VERBAL_ATTACKS
            and not _armed(actor_refs, ctx)
            and (_political(actor_refs, ctx) or (not actor_refs and _person(recipient_refs, ctx)))
        ):
            # "Sanders' attacks against her", "no one is eager to attack him": political words
            trig = Trigger(trig.lemma, trig.pos, "ACCUSE", "disapprove", "111", "")
        sent = tok.sent
        date, precision, source = _date_for(tok, verb, ctx)
        if factuality == "asserted" and _historical(date, source, article):
            factuality = "historical"
        info = resources.cameo.info(trig.cameo)
        place, place_source = _place_for([tok, verb], ctx), "parse"
        if place is None:
            place = _dominant_place(actor_refs + recipient_refs, ctx)
            place_source = "dominant place of the article for its actors" if place else ""
        trigger = _trigger_span(tok, verb, whole="governor" in cons)
        mode = trig.mode
        if trig.type == "CONSULT" and mode is None and len(actor_refs) + len(recipient_refs) > 3:
            mode = "multilateral"
        coded = sum(1 for r in actor_refs + recipient_refs if r.code)
        confidence = (
            0.45 + 0.1 * min(coded, 2) + (0.15 if tok is verb else 0.0) + (0.1 if recipient_refs else 0.0)
        )
        if "inferred publication date" in source:
            confidence -= 0.1  # dated against a lower bound, not a known publication date
        event = Event(
            id=event_id(article.id, trigger.start, trigger.end, trig.type),
            type=trig.type,
            mode=mode,
            cameo=trig.cameo,
            actors=tuple(actor_refs),
            recipients=tuple(recipient_refs),
            factuality=factuality,
            trigger=trigger,
            sentence=Span(sent.start_char, sent.end_char, sent.text),
            date=date,
            date_precision=precision,
            date_source=source,
            place=place,
            confidence=min(confidence, 0.95),
            evidence=f"{EXTRACTOR}: {trig.pos.lower()} trigger '{trig.lemma}' ({trig.type}/{trig.cameo})",
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            reported_by=_reporter(verb, ctx),
            place_source=place_source,
        )
        key = (
            sent.start,
            trig.type,
            tuple((a.start, a.end) for a in actor_refs),
            tuple((r.start, r.end) for r in recipient_refs),
        )
        # One event per clause and parties: the more specific reading wins ("discussed ... in a phone call").
        if key not in best or _rank(event) > _rank(best[key]):
            best[key] = event
            restating = tok is not verb and tok.dep_ == "pobj" and tok.head.lower_ in {"in", "with", "during"}
            heads[event.id] = (tok.i, verb.i, restating)
    return _merge_repeats(_merge_restatements(list(best.values()), heads))


def _merge_restatements(events: list[Event], heads: dict[str, tuple[int, int, bool]]) -> list[Event]:
    """ "Iran launched drones at Israel in its first direct attack", "retaliated with strikes", "discussed
    ... in a phone call": an event noun framing a verb event of the same type is that event. The more specific
    of the two is kept (a mode wins), its empty party slots filled from the other."""
    by_token = {heads[e.id][0]: e for e in events if e.id in heads}
    dropped: set[str] = set()
    merged: dict[str, Event] = {}
    for e in events:
        _tok, gov_i, restating = heads.get(e.id, (-1, -1, False))
        verb_event = by_token.get(gov_i)
        if not restating or verb_event is None or verb_event.type != e.type or verb_event.id == e.id:
            continue
        keep, drop = (e, verb_event) if _rank(e) > _rank(verb_event) else (verb_event, e)
        actors = keep.actors or drop.actors
        recipients = tuple(r for r in (keep.recipients or drop.recipients) if r not in actors)
        merged[keep.id] = replace(keep, actors=actors, recipients=recipients)
        dropped.add(drop.id)
    out = [merged.get(e.id, e) for e in events if e.id not in dropped]
    return sorted(out, key=lambda e: e.trigger.start)


def _rank(e: Event) -> tuple[bool, float]:
    return e.mode is not None, e.confidence


def _identity(refs: tuple[ActorRef, ...]) -> frozenset[str]:
    return frozenset(r.actor_id or r.code or r.text.lower() for r in refs)


def _merge_repeats(events: list[Event]) -> list[Event]:
    """Drop later mentions of an event already reported ("the call ... During his call ...").

    Two events are one when type, mode, actors and recipients agree and the later one has no date of its own
    (its date fell back to the publication date), so distinct dated happenings are never merged.
    """
    kept: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    for e in events:
        key = (e.type, e.mode, _identity(e.actors) | _identity(e.recipients))
        own_date = not e.date_source.startswith(("fallback", "unknown"))
        if key in seen and not own_date:
            continue
        seen.add(key)
        kept.append(e)
    return kept
