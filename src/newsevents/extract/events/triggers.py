"""Triggers: the verbs and event nouns that report a happening, their constraints and their spans."""

from __future__ import annotations

import re
from collections.abc import Mapping

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from newsevents.extract.events.context import Context, argument_preps, framed
from newsevents.extract.events.readings import reading
from newsevents.kb import Trigger
from newsevents.kb.patterns import conditions, specificity
from newsevents.model import Span

__all__ = [
    "Candidate",
    "candidates",
    "constraints",
    "is_purpose_protest",
    "reports_casualties",
    "restates_head",
    "sporting",
    "trigger_span",
]

Candidate = tuple[Token, Token, Trigger]  # (trigger token, clause verb, lexicon entry)

_ARG_DEPS = {"dobj", "nsubj", "nsubjpass", "attr", "appos", "dative", "oprd"}
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
# Types whose nouns are topics as the subject of "be": "the support of McCain is crucial".
_VERBAL_TYPES = {"SUPPORT", "ACCUSE", "REQUEST", "AGREE", "REJECT", "CONCEDE", "THREATEN"}
_SCORE = re.compile(r"^\d{1,3}[-–]\d{1,3}$")


def constraints(trig: Trigger) -> dict[str, frozenset[str]]:
    """A trigger's conditions: ``armed;object=missile|rocket`` -> {"armed": {}, "object": {...}}."""
    return conditions(trig.constraint)


def candidates(ctx: Context) -> list[Candidate]:
    """(trigger token, clause verb, lexicon entry) for every plausible trigger.

    A verb that is an event only through its object ("launched missiles") yields to an event noun in that
    object ("launched missile strikes"): the noun reading is kept, its trigger spans both words."""
    verbs: list[Candidate] = []
    nouns: list[Candidate] = []
    ent_roots = {ent.root.i for ent in ctx.doc.ents if ent.label_ != "EVENT"}
    # Subheadings with no verb at their root ("Conversation 'better than expected'") report nothing.
    # A finite verb the parser hung under a noun root ("Iraqi troops backed by tanks invaded Kuwait") is
    # a sentence all the same.
    fragments = {
        t.i
        for s in ctx.doc.sents
        if (s.root.pos_ not in {"VERB", "AUX"} or not s.root.is_alpha)
        and not any(t.dep_ == "acl" and t.tag_ in {"VBD", "VBZ", "VBP"} for t in s)
        for t in s
    }
    for tok in ctx.doc:
        if tok.i in fragments:
            continue
        if tok.pos_ == "VERB":
            trig = _verb_trigger(tok, ctx)
            if trig is not None:
                verbs.append((tok, tok, trig))
        elif tok.pos_ in {"NOUN", "PROPN"}:
            if tok.i in ent_roots:
                continue  # "March" the month, "Strike" in a name (not "days of [protests]")
            found = _noun_candidate(tok, ctx)
            if found is not None:
                nouns.append(found)
    carried = {gov.i: trig.type for tok, gov, trig in nouns if tok.dep_ == "dobj" and tok.head == gov}
    kept = [c for c in verbs if carried.get(c[0].i) != c[2].type or "object" not in constraints(c[2])]
    return sorted(kept + nouns, key=lambda c: c[0].i)


def _verb_trigger(tok: Token, ctx: Context) -> Trigger | None:
    """The pattern a verb stands for: of its phrasal verb if the lexicon has one ("step down"), else of the
    verb; the most specific pattern whose conditions hold."""
    lex = ctx.lex
    lemma = tok.lemma_.lower()
    prts = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    patterns = next((lex.verb_patterns[k] for p in prts if (k := f"{lemma} {p}") in lex.verb_patterns), None)
    patterns = patterns or lex.verb_patterns.get(lemma, ())
    # none holds: the least specific one, which the readings may override and the final check refuses
    trig = _pick(tok, tok, patterns, ctx.words) or (patterns[-1] if patterns else None)
    special = reading(tok, lemma, trig, ctx.words)
    if special is not True:
        trig = special or None
    if trig is not None and _syntax_ok(tok, tok, trig, ctx.words):
        return trig
    return None


def _pick(
    tok: Token, verb: Token, patterns: tuple[Trigger, ...], words: Mapping[str, frozenset[str]]
) -> Trigger | None:
    """The first (most specific) of a lemma's patterns whose conditions hold here."""
    return next((t for t in patterns if _syntax_ok(tok, verb, t, words)), None)


def _noun_candidate(tok: Token, ctx: Context) -> Candidate | None:
    """An event noun with the verb it hangs from, unless it names a topic rather than a happening."""
    lex, words = ctx.lex, ctx.words
    lemma = tok.lemma_.lower()
    patterns = lex.noun_patterns.get(lemma, ())
    if tok.lower_ != lemma and (surface := lex.noun_patterns.get(tok.lower_)):
        # rows keyed by the lemma and by the written form ("talks") compete: the most specific first
        patterns = tuple(sorted((*patterns, *surface), key=specificity, reverse=True))
    gov = _governor(tok, words)
    if gov is None:
        return None
    trig = _pick(tok, gov, patterns, words) or (patterns[-1] if patterns else None)
    special = reading(tok, lemma, trig, words)
    if special is not True:
        trig = special or None
    if trig is None:
        return None
    governs = gov.lemma_.lower()
    if not framed(tok) and (governs in words["blocking"] or governs in words["content"]):
        return None  # "cancelled the talks"; but "scrapped the plan after days of protests" keeps them
    if governs == "order" and trig.type != "MOBILIZE" and not framed(tok):
        return None  # "ordered a ceasefire": the content of an order (its REQUEST is the event)
    if _dated_topic(tok, gov, ctx):
        return None
    head_trig = lex.noun_triggers.get(tok.head.lemma_.lower()) if tok.dep_ == "conj" else None
    if head_trig is not None and head_trig.type == trig.type:
        return None  # "delivered food, medicine and generators": one delivery
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in words["prospects"]:
        return None  # "fears of an invasion": a prospect, not an event
    if lemma in words["retaliation"] and tok.head.lower_ == "in":
        return None  # "struck targets in retaliation for ...": the strike is the event
    if any(c.dep_ == "det" and c.lower_ in {"those", "these", "that", "this"} for c in tok.children):
        return None  # "in those talks", "that trip": a mention of an event told before
    if trig.type == "AGREE" and governs in words["signing"]:
        return None  # "signed a peace agreement": the signing is the event (SUPPORT or COOPERATE)
    if gov.lemma_ == "be" and tok.dep_ == "nsubj" and trig.type in _VERBAL_TYPES:
        return None  # "the support of McCain is crucial": a topic, not a happening
    if _syntax_ok(tok, gov, trig, words):
        return tok, gov, trig
    return None


def _governor(noun: Token, words: Mapping[str, frozenset[str]]) -> Token | None:
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
        if (
            node.dep_ == "pobj"
            and node.head.lower_ in {"to", "on"}
            and node.head.head.lemma_ in words["intent"]
        ):
            return node.head.head  # "agreed to a ceasefire": the content of a commitment
        if node.dep_ != "pobj" or node.head.lower_ not in _FRAMING_PREPS:
            return None
        head = node.head.head
        if head.pos_ in {"VERB", "AUX"}:
            return head
        node = head
    return None


def _dated_topic(noun: Token, gov: Token, ctx: Context) -> bool:
    """ "the 2014 protests", "the 2006 war": an event named by an earlier year is a topic, not a report."""
    if gov.lemma_.lower() in ctx.words["light"]:
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


def _syntax_ok(tok: Token, verb: Token, trig: Trigger, words: Mapping[str, frozenset[str]]) -> bool:
    """Whether a pattern's conditions hold for trigger `tok` and its clause verb (see `kb.patterns`)."""
    cons = constraints(trig)
    kids = list(verb.children)
    nominal = tok is not verb
    if "light" in cons and verb.lemma_.lower() not in words["light"] and nominal:
        return False
    if "governor" in cons and (not nominal or not _governed_by(verb, cons["governor"])):
        return False
    if "mod" in cons and not (
        nominal
        and any(c.dep_ in {"amod", "compound"} and c.lemma_.lower() in cons["mod"] for c in tok.children)
    ):
        return False
    if ("passive" in cons or "active" in cons) and (_passive(verb) != ("passive" in cons)) and not nominal:
        return False
    if "xcomp" in cons and not any(c.dep_ == "xcomp" and c.lemma_.lower() in cons["xcomp"] for c in kids):
        return False
    if "pp" in cons and not _pp(tok if nominal else verb) & cons["pp"]:
        return False
    if "no_ccomp" in cons and not any(c.dep_ in {"xcomp", "dobj", "prep"} for c in kids):
        return False
    if "needs_object" in cons and not nominal and not any(c.dep_ in {"dobj", "nsubjpass"} for c in kids):
        return False
    if "object" in cons and nominal:
        return bool(_of_objects(tok) & cons["object"])
    if "object" in cons:
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
        preps = argument_preps(kids)
        # "offered to mediate", "asked Israel to pause": the infinitive is the object
        xcomp = trig.lemma in words["infinitive_object"] and any(c.dep_ == "xcomp" for c in kids)
        if not (objs & cons["object"] or preps & cons.get("prep", frozenset()) or xcomp):
            return False
    elif "prep" in cons and not nominal and not argument_preps(kids) & cons["prep"]:
        return False
    return True


def _governed_by(verb: Token, lemmas: frozenset[str]) -> bool:
    """ "lodged a protest" (lodge), "carried out raids" (carry out: the verb with its particle)."""
    lemma = verb.lemma_.lower()
    return lemma in lemmas or any(f"{lemma} {c.lower_}" in lemmas for c in verb.children if c.dep_ == "prt")


def _passive(verb: Token) -> bool:
    """ "was arrested", "the law imposed by Beijing"."""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _pp(head: Token) -> set[str]:
    """ "banned [on travel]" -> {"on:travel"}: each preposition with its object's head and compounds."""
    out: set[str] = set()
    for prep in head.children:
        if prep.dep_ not in {"prep", "agent"}:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj":
                lemmas = {obj.lemma_.lower()} | {
                    c.lemma_.lower() for c in obj.children if c.dep_ == "compound"
                }
                out |= {f"{prep.lower_}:{lem}" for lem in lemmas}
    return out


def _of_objects(noun: Token) -> set[str]:
    """What an event noun acts on: "the release [of prisoners]", "[prisoner] release", "[its] release"."""
    out = {c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"}}
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    out.add(obj.lemma_.lower())
                    out |= {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
    return out


def trigger_span(tok: Token, gov: Token | None, ctx: Context, *, whole: bool = False) -> Span:
    """The trigger's words: the token with its particle or noun compound; a specific governing verb and its
    object noun together ("imposed sanctions", "sent 37 tonnes of medical supplies" with `whole`).

    The text is sliced from `article.text` by token offsets: ``doc.text`` would join every token again."""
    text = ctx.article.text
    if (
        gov is not None
        and gov is not tok
        and gov.i < tok.i
        and ((tok.dep_ == "dobj" and tok.head == gov) or whole)
        and gov.lemma_.lower() not in ctx.words["carriers"]
        and gov.lemma_.lower() not in ctx.words["cue"]
    ):
        start, end = gov.idx, tok.idx + len(tok.text)
        return Span(start, end, text[start:end])  # "imposed sweeping sanctions"
    toks = [tok] + [
        c
        for c in tok.children
        if c.dep_ == "prt" or (c.dep_ == "compound" and c.i == tok.i - 1 and c.pos_ == "NOUN")
    ]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return Span(start, end, text[start:end])


def is_purpose_protest(tok: Token, verb: Token, trig: Trigger) -> bool:
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


def restates_head(verb: Token, trig: Trigger, ctx: Context) -> bool:
    """ "met X to discuss Y": a purpose clause of the same type is the same event, not a second one."""
    if verb.dep_ not in {"advcl", "xcomp"} or verb.head == verb:
        return False
    if any(c.dep_ == "mark" for c in verb.children):
        return False  # a clause of its own ("after two brothers were shot dead"), not a purpose
    head = ctx.lex.verb_triggers.get(verb.head.lemma_.lower())
    return head is not None and head.type == trig.type


def reports_casualties(tok: Token, verb: Token, trig: Trigger, ctx: Context) -> bool:
    """ "a suicide bombing that killed 32 people", "shelled the island, killing two marines": the dead and
    wounded of an attack are its outcome, not a second attack."""
    if trig.type != "ASSAULT" or tok is not verb or verb.lemma_.lower() not in ctx.words["casualties"]:
        return False
    if verb.dep_ not in {"advcl", "relcl", "acl"} or verb.head == verb:
        return False
    head = verb.head
    table = ctx.lex.verb_patterns if head.pos_ == "VERB" else ctx.lex.noun_patterns
    return any(t.type == "ASSAULT" for t in table.get(head.lemma_.lower(), ()))


def sporting(sent: DocSpan, ctx: Context) -> bool:
    """A sports report: a score ("3-1") or the words of a match."""
    sports = ctx.words["sports"]
    return any(_SCORE.match(t.text) for t in sent) or sum(t.lemma_.lower() in sports for t in sent) >= 2
