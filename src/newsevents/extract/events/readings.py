"""Readings: triggers whose type depends on their words and objects ("call for" vs "called Netanyahu")."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Token

from newsevents.extract.events.context import argument_preps
from newsevents.kb import Trigger

__all__ = ["reading"]

_Words = Mapping[str, frozenset[str]]
_Reading = Trigger | bool | None
_ACCUSE = ("ACCUSE", "disapprove", "111")


def reading(tok: Token, lemma: str, trig: Trigger | None, words: _Words) -> _Reading:
    """The trigger `tok` stands for when its words decide: "call for" (REQUEST) vs "called Netanyahu" (a phone
    call), "spoke with" (CONSULT), a labour or hunger strike (PROTEST) vs an air strike, joint exercises.

    Returns a trigger, None for no event, or True to keep the lexicon's entry (`trig`)."""
    kids = list(tok.children)
    preps = argument_preps(kids) | {c.lower_ for c in kids if c.dep_ == "prt"}
    if tok.pos_ == "VERB":
        return _verb_reading(tok, lemma, trig, kids, preps, words)
    if tok.pos_ in {"NOUN", "PROPN"}:
        return _noun_reading(tok, lemma, kids, preps, words)
    return True


def _verb_reading(
    tok: Token, lemma: str, trig: Trigger | None, kids: list[Token], preps: set[str], words: _Words
) -> _Reading:
    if lemma == "call":
        return _call(kids, preps, words)
    if lemma in {"speak", "talk"}:
        if "against" in preps:
            return Trigger(lemma, "VERB", *_ACCUSE, "")  # "spoke out against X"
        if "with" in preps or ("to" in preps and lemma == "speak"):
            phone = any(t.lower_ in words["phone"] for t in tok.subtree)
            return Trigger(
                lemma, "VERB", "CONSULT", "phone" if phone else None, "041" if phone else "040", ""
            )
        return None if lemma == "speak" else True
    if lemma in words["denouncing"] and "against" in preps:
        return Trigger(lemma, "VERB", *_ACCUSE, "")
    if lemma == "order" and any(c.dep_ == "dobj" and c.lemma_.lower() in words["forces"] for c in kids):
        return None  # "ordered troops to the border": the troops noun makes it a MOBILIZE
    if lemma == "open" and any(c.dep_ == "dobj" and c.lower_ == "fire" for c in kids):
        return Trigger("open fire", "VERB", "ASSAULT", "firearms", "193", "armed")  # "opened fire on"
    if trig is None and lemma in words["transfer"]:
        return _transfer(lemma, kids, words)
    if lemma == "warn":
        # "warned it would retaliate", "warned of a harsh response": a consequence is threatened.
        comps = [c for c in kids if c.dep_ in {"ccomp", "xcomp"}]
        if any(a.lower_ in {"will", "would", "'ll"} for c in comps for a in c.children if a.dep_ == "aux"):
            return Trigger("warn", "VERB", "THREATEN", None, "130", "")
        consequences = words["consequences"]
        if any(p.lower_ == "of" and any(o.lemma_.lower() in consequences for o in p.children) for p in kids):
            return Trigger("warn", "VERB", "THREATEN", None, "130", "")
        return True
    if lemma in words["promising"]:
        # "vowed to retaliate", "vowed to make Hezbollah pay": a promise of force is a threat.
        comps = [c for c in kids if c.dep_ in {"xcomp", "ccomp"}]
        inner = {t.lemma_.lower() for c in comps for t in c.subtree if t.pos_ == "VERB"}
        if inner & words["revenge"]:
            return Trigger(lemma, "VERB", "THREATEN", "violence", "138", "")
        return True
    if trig is not None:
        found = _object_reading(tok, lemma, trig, words)
        if found is False:
            return None
        if found is not None:
            return found
    if lemma == "meet":
        met = {c.lemma_.lower() for c in kids if c.dep_ == "dobj"}
        if met & words["demands"]:
            return Trigger(lemma, "VERB", "CONCEDE", None, "083", "")  # "met the protesters' demands"
        if met & words["targets"]:
            return None  # "met the deadline"
    return True


def _call(kids: list[Token], preps: set[str], words: _Words) -> _Reading:
    """ "called up reservists", "called off the talks", "called the verdict a disgrace", "called for
    talks", "called Netanyahu"."""
    if "up" in preps:
        return True  # "called up reservists" (the lexicon's "call up")
    if "off" in preps:
        return Trigger("call off", "VERB", "SANCTION", None, "160", "needs_object")
    complements = [t for c in kids if c.dep_ in {"oprd", "xcomp", "ccomp", "dobj"} for t in c.subtree]
    if any(t.lower_ in words["disparaging"] and t.dep_ != "dobj" for t in complements):
        return Trigger("call", "VERB", *_ACCUSE, "")  # "called the verdict a disgrace"
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


def _transfer(lemma: str, kids: list[Token], words: _Words) -> _Reading:
    """ "will send Leopard 2 tanks to Ukraine", "provided $1 billion in military aid": the kind of AID the
    object makes it."""
    sent = {t.lemma_.lower() for c in kids if c.dep_ in {"dobj", "dative"} for t in c.subtree}
    if sent & words["forces"]:
        return None  # "sending troops": the troops noun makes it a MOBILIZE
    if sent & (words["funds"] - {"aid"}):  # "aid" alone says nothing of its kind
        return Trigger(lemma, "VERB", "AID", "economic", "071", "")
    if sent & words["materiel"]:
        return Trigger(lemma, "VERB", "AID", "military", "072", "")
    if sent & words["relief"]:
        return Trigger(lemma, "VERB", "AID", "humanitarian", "073", "")
    return None


def _noun_reading(tok: Token, lemma: str, kids: list[Token], preps: set[str], words: _Words) -> _Reading:
    if lemma == "call":
        compounds = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if "for" in preps:
            return Trigger("call", "NOUN", "REQUEST", None, "020", "")
        return True if compounds & words["phone"] or "with" in preps else None
    if lemma == "strike":
        return _strike(tok, kids, preps, words)
    if lemma == "rally" and tok.pos_ == "NOUN":
        mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if (tok.dep_ == "pobj" and tok.head.lower_ in {"at", "during"}) or mods & words["campaign"]:
            return None  # "said at a rally": a campaign event, not a protest
        return True
    if lemma in words["truces"]:
        gov = tok.head if tok.dep_ == "dobj" else None
        if gov is not None and gov.lemma_.lower() in words["declaring"]:
            return Trigger(lemma, "NOUN", "CONCEDE", None, "0871", "")  # a declared ceasefire
        return True
    if lemma in words["drills"] and tok.pos_ == "NOUN":
        mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod"}}
        if not mods & words["drill_military"]:
            return None
        if "joint" in mods or "with" in preps:
            return Trigger(lemma, "NOUN", "COOPERATE", None, "062", "light")
        return Trigger(lemma, "NOUN", "MOBILIZE", None, "150", "light")
    return True


def _strike(tok: Token, kids: list[Token], preps: set[str], words: _Words) -> _Reading:
    """A hunger or labour strike is a PROTEST; an air, drone or missile strike keeps the lexicon's ASSAULT."""
    mods = {c.lower_ for c in kids if c.dep_ in {"compound", "amod", "nmod"}}
    if "hunger" in mods:
        return Trigger("strike", "NOUN", "PROTEST", "hunger", "142", "")
    military = mods & words["strike_military"]
    on_strike = tok.dep_ == "pobj" and tok.head.lower_ == "on"
    called = tok.dep_ == "dobj" and tok.head.lemma_.lower() in words["strike_governors"]
    if mods & words["labour"] and not military:
        return Trigger("strike", "NOUN", "PROTEST", "strike", "143", "")
    if not military and "on" not in preps and (mods & words["labour"] or on_strike or called):
        return Trigger("strike", "NOUN", "PROTEST", "strike", "143", "")
    return True


def _object_reading(tok: Token, lemma: str, trig: Trigger, words: _Words) -> _Reading:
    """The reading a verb takes from its object: withdrawing troops (RETREAT) or from a treaty (SANCTION) or
    a bill (CONCEDE); suspending aid (SANCTION) or a reform (CONCEDE); releasing hostages (RETREAT) or funds
    (AID); signing a defence pact (COOPERATE) or a declaration (SUPPORT); capturing soldiers (ASSAULT) or a
    town (COERCE)."""
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)
    subtree = {t.lemma_.lower() for o in objs for t in o.subtree}
    heads = {o.lemma_.lower() for o in objs}
    froms = {
        p.lemma_.lower()
        for c in kids
        if c.dep_ == "prep" and c.lower_ in {"from", "of"}
        for p in c.subtree
        if p.dep_ in {"pobj", "compound", "conj"}
    }
    if trig.type == "RETREAT" and lemma in words["withdrawing"]:
        if heads & words["policies"]:
            return Trigger(lemma, "VERB", "CONCEDE", None, "083", "")
        if froms & words["agreements"]:
            return Trigger(lemma, "VERB", "SANCTION", "withdraw", "166", "")
    if trig.type == "SANCTION" and lemma in words["suspending"] and heads & words["policies"]:
        return Trigger(lemma, "VERB", "CONCEDE", None, "081", "")
    if trig.type == "RETREAT" and lemma == "release" and heads & words["publications"]:
        return False  # "released data", "released a statement": nothing conceded
    if trig.type == "RETREAT" and lemma in words["releasing"] and (heads | subtree) & words["funds"]:
        return Trigger(lemma, "VERB", "AID", "economic", "071", "")
    if lemma == "close" and heads & words["missions"]:
        return Trigger(lemma, "VERB", "SANCTION", None, "161", "")  # closing an embassy reduces relations
    if lemma == "sign" and subtree & words["cooperation"]:
        return Trigger(lemma, "VERB", "COOPERATE", None, "060", "")
    if lemma == "capture" and heads & words["people"]:
        return Trigger(lemma, "VERB", "ASSAULT", "abduct", "181", "armed")
    return None
