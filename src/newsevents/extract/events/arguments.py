"""Arguments: an event's actors, recipients and reporter from the clause structure, and what kind of party."""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.extract.events.context import Context, framed
from newsevents.extract.events.triggers import constraints
from newsevents.kb import Trigger, fold
from newsevents.model import ActorRef

__all__ = ["arguments", "armed", "crowd", "person", "political", "reporter", "state_actor"]

_RECIPIENT_PREPS = {"with", "against", "on", "to", "at", "upon", "toward", "towards", "from", "between"}
# CAMEO sectors (three letters after the country) of the state, of those who can use force, of politics.
_STATE_SECTORS = ("GOV", "MIL", "COP", "SPY", "JUD", "LEG")
_ARMED_SECTORS = {"MIL", "REB", "COP", "SPY"}
_POLITICAL_SECTORS = {"GOV", "OPP", "PTY", "LEG", "ELI", "MED", "JUD"}


def arguments(tok: Token, verb: Token, trig: Trigger, ctx: Context) -> tuple[list[ActorRef], list[ActorRef]]:
    """The (actors, recipients) of the event `trig` triggered by `tok` in the clause of `verb`."""
    if tok is verb:
        subj, passive = _subject(verb)
        actors = refs(subj + _together_with(verb), ctx)
        if "destination" in constraints(trig):
            return actors, _destinations(verb, ctx)
        recipients = refs(passive + _verb_objects(verb), ctx)
    else:
        actors, recipients = _noun_arguments(tok, verb, trig, ctx)
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
            actors = refs(between, ctx)
            recipients = [r for r in recipients if r not in actors]
    if not recipients and trig.type in {"AGREE", "SANCTION", "REQUEST", "THREATEN"}:
        recipients = _addressees(verb, trig, actor_spans, ctx)
    seen_ids = {r.actor_id for r in actors if r.actor_id}
    unique: list[ActorRef] = []
    for r in recipients:
        if r.actor_id is None or r.actor_id not in seen_ids:
            unique.append(r)
            if r.actor_id:
                seen_ids.add(r.actor_id)
    return actors, unique


def _together_with(verb: Token) -> list[Token]:
    """ "signed ..., together with Russian President Dmitry Medvedev": a co-actor, not a recipient."""
    withs = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
    joint = [c for c in withs if any(a.lower_ in {"together", "along"} for a in c.children)]
    return [p for c in joint for p in c.children if p.dep_ == "pobj"]


def _verb_objects(verb: Token) -> list[Token]:
    """A verb's recipient heads: objects, "with"/"against"/"to" phrases, partners hanging from the object."""
    objs = [c for c in verb.children if c.dep_ in {"dobj", "dative", "attr"}]
    objs += [
        p
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in _RECIPIENT_PREPS
        for p in c.children
        if p.dep_ == "pobj"
    ]
    # "cut ties with Iran", "suspended talks with Hamas", "lifted sanctions on Libya": the partner hangs
    # from the object.
    objs += [
        p
        for o in verb.children
        if o.dep_ == "dobj"
        for c in o.children
        if c.dep_ == "prep" and c.lower_ in {"with", "to", "against", "on"}
        for p in c.children
        if p.dep_ == "pobj"
    ]
    return objs


def _noun_arguments(
    tok: Token, verb: Token, trig: Trigger, ctx: Context
) -> tuple[list[ActorRef], list[ActorRef]]:
    """An event noun's parties: its possessor or party modifiers, else its clause's subject; recipients
    from its own prepositions and from "with"/"to" phrases and datives of the verb carrying it."""
    poss = [c for c in tok.children if c.dep_ == "poss"]
    actors = refs(poss, ctx, allow_unresolved=False)
    if not actors:
        # "the Biden-Netanyahu conversation", "a US-Israel meeting": the parties are the actors.
        mods = [c for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}]
        actors = [r for m in mods if (r := ctx.actors.ref_for_token(m)) is not None]
        actors = list({(r.start, r.end): r for r in actors}.values())
    if not actors:
        # "appeals from President Bill Clinton", "an attack by militants": the noun's own agent
        agents = [
            p
            for c in tok.children
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "from"}
            for p in c.children
            if p.dep_ == "pobj"
        ]
        actors = refs(agents, ctx, allow_unresolved=False)
    if (
        not actors
        and verb.lemma_.lower() not in ctx.words["cue"]
        and (trig.type == "CONSULT" or not framed(tok))
    ):
        subj, _ = _subject(verb)
        actors = refs(subj, ctx)
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
    return actors, refs(preps, ctx)


def _addressees(
    verb: Token, trig: Trigger, actor_spans: set[tuple[int, int]], ctx: Context
) -> list[ActorRef]:
    """The object's owner, or the target of a purpose clause: "canceled the trip to protest X's failure";
    the addressee of a demand or threat: "demanded that Israel withdraw", "vowed to make Hezbollah pay"."""
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
    return [r for r in refs(objs, ctx, allow_unresolved=False) if (r.start, r.end) not in actor_spans]


def _conjuncts(tok: Token) -> list[Token]:
    """The token and the later members of its coordination. A list the parser reads as an apposition
    ("Saudi Arabia, the UAE, Bahrain and Egypt": UAE appos, Bahrain and Egypt its conjuncts) counts too:
    an apposition with conjuncts of its own, or two different places, is a list, not a description."""
    out = [tok, *[c for c in tok.conjuncts if c.i > tok.i]]
    for member in list(out):
        for app in member.children:
            if app.dep_ != "appos" or app.i < member.i:
                continue
            places = member.ent_type_ == app.ent_type_ == "GPE" and fold(member.text) != fold(app.text)
            if places or any(c.dep_ == "conj" for c in app.children):
                out += [app, *[c for c in app.conjuncts if c.i > app.i]]
    return list(dict.fromkeys(out))


def refs(tokens: list[Token], ctx: Context, *, allow_unresolved: bool = True) -> list[ActorRef]:
    """Actor references for argument head tokens (with their conjuncts), in order, without duplicates."""
    out: list[ActorRef] = []
    seen: set[tuple[int, int]] = set()
    for head in tokens:
        for tok in _named_by_of(_conjuncts(_counted(head, ctx.words["quantities"])), ctx):
            ref = ctx.actors.ref_for_token(tok)
            if ref is None and tok.lemma_.lower() not in ctx.words["place_nouns"]:
                # A modifier may carry the actor: "Biden administration concerns", "Israeli operation";
                # not a place's: "the Colombian port of Cartagena".
                # "his Indonesian counterpart Hassan Wirajuda": the name in apposition comes first
                kids = sorted(tok.children, key=lambda c: c.dep_ != "appos")
                for child in kids:
                    if child.dep_ in {"appos", "poss", "compound", "amod", "nmod"}:
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
                ref = ActorRef(
                    text=span.text, start=span.start_char, end=span.end_char, code=_name_code(span.text, ctx)
                )
            if ref is None and allow_unresolved:
                ref = _role_ref(tok, ctx)
            if ref is not None and (ref.start, ref.end) not in seen:
                seen.add((ref.start, ref.end))
                out.append(ref)
    return out


def _name_code(text: str, ctx: Context) -> str | None:
    """The code a name the actor pass left alone still has: a country ("Togo" read as a person or a
    place) or a dictionary organisation."""
    key = fold(text.removeprefix("the ").removesuffix("'s"))
    country = ctx.lex.countries.get(key)
    if country is not None:
        return country.iso3
    org = ctx.lex.organizations.get(key)
    return org.code if org is not None else None


def _named_by_of(toks: list[Token], ctx: Context) -> list[Token]:
    """ "the breakaway republics of Slovenia and Croatia", "the people of Burma": a naming noun with no
    actor of its own stands for the actors its "of" phrase names."""
    out: list[Token] = []
    for tok in toks:
        if ctx.actors.ref_for_token(tok) is None and tok.lemma_.lower() in ctx.words["of_referents"]:
            named = [
                m
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children
                if p.dep_ == "pobj"
                for m in _conjuncts(p)
                if ctx.actors.ref_for_token(m) is not None
            ]
            if named:
                out += named
                continue
        out.append(tok)
    return out


def _counted(tok: Token, quantities: frozenset[str]) -> Token:
    """What a quantity counts: "hundreds of thousands of protesters" -> protesters."""
    for _ in range(3):
        if not (tok.pos_ == "NUM" or tok.lemma_.lower() in quantities):
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


def _role_ref(tok: Token, ctx: Context) -> ActorRef | None:
    """An actor named only by its role, with no country word: "police", "protesters", "riot police". A
    group or an institution ("soldiers", "the army") takes the country its sentence names, else the
    article's dominant country, with the role's sector; a lone unnamed person ("an official") no code."""
    roles = ctx.lex.roles
    role = roles.get(tok.lower_) or roles.get(tok.lemma_.lower())
    if tok.pos_ != "NOUN" or role is None:
        return None
    start = tok
    for child in reversed([c for c in tok.children if c.i < tok.i]):
        if child.dep_ in {"compound", "amod"} and child.i == start.i - 1:
            start = child
    span = tok.doc[start.i : tok.i + 1]
    sectors = [r[0] for t in span if (r := roles.get(t.lower_)) is not None and r[0] != "GOV"]
    group = tok.tag_ == "NNS" or any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    country = ctx.actors.country_near(tok) if group else None
    code = country + (sectors[0] if sectors else role[0]) if country else None
    return ActorRef(text=span.text, start=span.start_char, end=span.end_char, code=code)


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
        if node.dep_ == "acl" and node.tag_ == "VBD":
            # a finite verb read as a modifier ("Iraqi troops backed by tanks invaded Kuwait"): its subject
            # is the noun phrase the chain of modifiers starts from
            top = node.head
            while top.dep_ in {"pobj", "agent", "acl", "prep"} and top.head != top:
                top = top.head
            return [top], []
        if node.dep_ in {"relcl", "acl"}:
            return [node.head], []
        if node.dep_ not in {"xcomp", "conj", "advcl", "pcomp", "ccomp", "pobj", "prep"} or node.head == node:
            break
        node = node.head
    return [], []


def _destinations(verb: Token, ctx: Context) -> list[ActorRef]:
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


def reporter(verb: Token, ctx: Context) -> ActorRef | None:
    """Who reports the event: the subject of the speech verb governing its clause ("X said Y attacked Z"),
    a speech verb hanging from it ("Israel struck Z, the army said"), or "according to X"."""
    cues = ctx.words["report_cue"]
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                for to in child.children:
                    for pobj in to.children if to.lower_ == "to" else ():
                        found = refs([pobj], ctx, allow_unresolved=True)
                        if found:
                            return found[0]
            if child.dep_ in {"parataxis", "ccomp"} and child.lemma_.lower() in cues and child.i > verb.i:
                found = refs([c for c in child.children if c.dep_ == "nsubj"], ctx)
                if found:
                    return found[0]
        if node.dep_ not in {"ccomp", "conj", "xcomp", "advcl"} or node.head == node:
            return None
        node = node.head
        if node.lemma_.lower() in cues:
            found = refs([c for c in node.children if c.dep_ == "nsubj"], ctx)
            return found[0] if found else None
    return None


def armed(parties: list[ActorRef], ctx: Context) -> bool:
    """Whether an actor can use force: a state (bare country code) or armed forces, police, rebels, spies,
    also when named only by role ("riot police", "gunmen")."""
    for r in parties:
        if r.code is None and r.text:
            role = ctx.lex.roles.get(r.text.split()[-1].lower())
            if role is not None and role[0] in _ARMED_SECTORS:
                return True
        if r.code and (len(r.code) == 3 and r.code.isalpha() and not r.code.startswith(("IGO", "NGO"))):
            return True
        if r.code and any(r.code[i : i + 3] in _ARMED_SECTORS for i in range(3, len(r.code), 3)):
            return True
    return False


def political(parties: list[ActorRef], ctx: Context) -> bool:
    """Whether the actors are politicians, parties or officials (whose "attacks" are words)."""
    for r in parties:
        if r.code and any(r.code[i : i + 3] in _POLITICAL_SECTORS for i in range(3, len(r.code), 3)):
            return True
        span = ctx.doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None and span.root.ent_type_ == "PERSON":
            return True
    return False


def crowd(parties: list[ActorRef], ctx: Context) -> bool:
    """Whether the actors are a civilian crowd (protesters, students, farmers), not a state or armed group."""
    for r in parties:
        words = r.text.lower().split()
        if words and words[-1] in ctx.words["crowds"] and not armed([r], ctx):
            return True
    return False


def person(parties: list[ActorRef], ctx: Context) -> bool:
    """Whether a reference is a named person or a pronoun standing for one."""
    for r in parties:
        span = ctx.doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is not None and (span.root.ent_type_ == "PERSON" or span.root.lower_ in {"him", "her"}):
            return True
    return False


def state_actor(parties: list[ActorRef], ctx: Context) -> bool:
    """Whether an actor is a state or its officials; a people named by demonym ("Belarusians") is not."""
    return any(
        r.code
        and (len(r.code) == 3 or r.code[3:6] in _STATE_SECTORS)
        and not (r.text.endswith("s") and fold(r.text) in ctx.lex.adjectives)
        for r in parties
    )
