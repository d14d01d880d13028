"""Actors: find mentions (NER plus role noun phrases), code them CAMEO-style, and group them into identities.

Version ``actors.v1``. Codes come from, in order: the people and organisation dictionaries (date-bounded
roles), titles in the mention ("US President Joe Biden" -> USA + GOV), country words and demonyms, and
the document (a surname used again, "the President" when one person in the article holds that role).
Unknowns stay honest: no country, no code.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsevents.kb import Country, Lexicons, Resources, fold
from newsevents.extract.quotemarks import quoted_regions
from newsevents.model import Actor, ActorRef, Article

__all__ = ["EXTRACTOR", "ActorIndex", "Mention", "extract_actors"]

EXTRACTOR = "actors.v1"

_TITLE_DEPS = {"compound", "amod", "nmod", "npadvmod", "prep", "pobj", "punct", "nummod", "appos", "flat"}
_SKIP_LEFT = {"det", "poss", "cc", "case", "predet", "prep"}
_PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers"}
_PRONOUNS_THING = {"it", "its"}
# Role nouns that only denote an actor together with a country or a known holder.
_EXTRA_ROLES = {"side": ("GOV", "Government"), "delegation": ("GOV", "Delegation")}


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention; token indices are for this Doc only and never stored."""

    start: int
    end: int
    text: str
    tok_start: int
    tok_end: int
    kind: str  # person | organization | country | unnamed | pronoun
    key: str
    name: str | None = None
    code: str | None = None
    role: str | None = None
    country: str | None = None
    modifier: bool = False  # not an actor in its own right: "Israeli airstrikes", a country as a location


class ActorIndex:
    """The actors of one article, with a token -> mention lookup for the other extractors."""

    def __init__(self, mentions: list[Mention], actors: list[Actor], ids: dict[str, str]) -> None:
        self.mentions = mentions
        self.actors = actors
        self._ids = ids
        self._by_token: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.tok_start, m.tok_end):
                self._by_token.setdefault(i, m)

    def at(self, token: Token) -> Mention | None:
        """The mention covering this token, if any."""
        return self._by_token.get(token.i)

    def ref(self, mention: Mention) -> ActorRef:
        """The contract reference for a mention (unnamed actors keep name null)."""
        return ActorRef(
            text=mention.text,
            start=mention.start,
            end=mention.end,
            name=mention.name,
            code=mention.code,
            actor_id=self._ids.get(mention.key),
        )

    def ref_for_token(self, token: Token) -> ActorRef | None:
        m = self.at(token)
        return self.ref(m) if m else None

    def in_span(self, start: int, end: int) -> list[Mention]:
        """Mentions whose tokens lie within [start, end) token indices, in order."""
        return [m for m in self.mentions if m.tok_start >= start and m.tok_end <= end]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _country_of_word(word: str, lex: Lexicons) -> Country | None:
    f = fold(word)
    return lex.adjectives.get(f) or lex.countries.get(f)


def _role_in(tokens: Iterable[Token], lex: Lexicons) -> tuple[str, str] | None:
    """The most specific (longest) role phrase among these tokens, as (sector, display role)."""
    words = [t for t in tokens]
    best: tuple[int, tuple[str, str]] | None = None
    for i in range(len(words)):
        for n in range(min(lex.max_role_words, len(words) - i), 0, -1):
            phrase = fold(" ".join(w.text for w in words[i : i + n]))
            hit = lex.roles.get(phrase) or _EXTRA_ROLES.get(phrase)
            if hit is None and n == 1:
                lemma = fold(words[i].lemma_)
                hit = lex.roles.get(lemma) or _EXTRA_ROLES.get(lemma)
            if hit is not None and (best is None or n > best[0]):
                best = (n, hit)
                break
    return best[1] if best else None


def _country_in(tokens: Iterable[Token], lex: Lexicons, people_country: dict[str, str]) -> str | None:
    toks = list(tokens)
    for n in (3, 2, 1):
        for i in range(len(toks) - n + 1):
            phrase = " ".join(t.text for t in toks[i : i + n])
            c = _country_of_word(phrase, lex)
            if c is not None:
                return c.iso3
    for t in toks:
        if fold(t.text) in people_country:
            return people_country[fold(t.text)]
    return None


def _title_tokens(ent: Span) -> list[Token]:
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


def _apposition(ent: Span) -> list[Token]:
    """Role words in apposition: "Joe Biden, the US president," or "the US president, Joe Biden"."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            return [t for t in child.subtree if t.dep_ != "det"]
    if root.dep_ == "appos" and root.head.pos_ in {"NOUN", "PROPN"} and root.head.ent_type_ != "PERSON":
        head = root.head
        return [t for t in head.subtree if t.i < ent.start and t.dep_ not in {"det", "punct"}]
    return []


def _person_lookup(
    name: str, lex: Lexicons, day: dt.date | None
) -> tuple[str | None, str | None, str | None, str]:
    """(code, role, country, canonical name) from the people dictionary, preferring roles held on `day`.

    A bare surname ("McCain") only matches someone who held a role on the article's date: surnames are
    shared, and an undated article gives no way to tell which holder is meant. A full name always matches.
    With no date, the most recent role is used.
    """
    people = lex.people.get(fold(name), ())
    if not people:
        return None, None, None, name
    held = [p for p in people if p.holds_on(day)] if day else []
    if len(name.split()) == 1 and not held:
        return None, None, None, name
    if not held and day is None:
        held = sorted(people, key=lambda p: p.start or dt.date.min, reverse=True)
    if not held:
        # Known person, but no role on that day: keep the identity and country, no sector.
        p = people[0]
        return p.country, None, p.country, p.name
    p = held[0]
    return p.code, p.role, p.country, p.name


class _Builder:
    def __init__(self, doc: Doc, article: Article, resources: Resources) -> None:
        self.doc = doc
        self.article = article
        self.lex = resources.lexicons
        self.gazetteer = resources.gazetteer
        self.day = article.anchor
        self.mentions: list[Mention] = []
        self.claimed: set[int] = set()
        self.people_country: dict[str, str] = {}
        self.quoted = quoted_regions(article.text)
        self.sent_starts = [sent.start for sent in doc.sents]
        self._roles: dict[int, tuple[str, str] | None] = {}

    def refer(self, tok: Token, ref: Mention, kind: str) -> None:
        """Add a one-token mention of an actor already found (a pronoun, a bare title, a repeated name)."""
        name = None if kind == "unnamed" else ref.name
        self.add(
            tok.i,
            tok.i + 1,
            kind=kind,
            key=ref.key,
            name=name,
            code=ref.code,
            role=ref.role,
            country=ref.country,
        )

    def role_of(self, tok: Token) -> tuple[str, str] | None:
        """The role a single token names (memoised: every noun is asked several times)."""
        if tok.i not in self._roles:
            self._roles[tok.i] = _role_in([tok], self.lex)
        return self._roles[tok.i]

    def region(self, char: int) -> int:
        """Index of the quotation containing this offset, or -1 for narrative text."""
        return next((k for k, (s, e) in enumerate(self.quoted) if s <= char < e), -1)

    def add(self, tok_start: int, tok_end: int, **kw: Any) -> Mention | None:
        if tok_start >= tok_end or any(i in self.claimed for i in range(tok_start, tok_end)):
            return None
        span = self.doc[tok_start:tok_end]
        m = Mention(
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            tok_start=tok_start,
            tok_end=tok_end,
            kind=kw.pop("kind") or "unnamed",
            key=kw.pop("key") or fold(span.text),
            **kw,
        )
        self.claimed.update(range(tok_start, tok_end))
        self.mentions.append(m)
        return m

    def persons(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" and not self._misread_person(ent):
                continue
            name_toks = [t for t in ent if t.text not in {"'s", "’s"}]
            if not name_toks:
                continue
            name = self.doc[name_toks[0].i : name_toks[-1].i + 1].text
            if fold(name) in self.lex.organizations and not self.lex.people.get(fold(name)):
                continue  # NER called an organisation a person ("al-Shabaab"): organizations() takes it
            code, role, country, canonical = _person_lookup(name, self.lex, self.day)
            if (
                code is None
                and len(ent) == 1
                and self.gazetteer.is_known_place(name)
                and not self.lex.people.get(fold(name))
            ):
                continue  # NER called a place a person ("Rafah"): places.py takes it
            title = _title_tokens(ent)
            described = title or _apposition(ent)
            if described:
                t_role = _role_in(described, self.lex)
                t_country = _country_in(described, self.lex, self.people_country)
                if code is None and t_country:
                    country = t_country
                    code = t_country + (t_role[0] if t_role else "")
                if t_role and not role:
                    role = t_role[1]
            if country:
                self.people_country[fold(name_toks[-1].text)] = country
            start = title[0].i if title else name_toks[0].i
            self.add(
                start,
                name_toks[-1].i + 1,
                kind="person",
                key="person:" + fold(name_toks[-1].text),
                name=canonical,
                code=code,
                role=role,
                country=country,
            )

    def _misread_person(self, ent: Span) -> bool:
        """NER called a known person something else ("Blinken" as GPE, "Antony Blinken" as FAC)."""
        if ent.label_ not in {"GPE", "FAC", "ORG", "NORP", "LOC", "PRODUCT", "WORK_OF_ART"}:
            return False
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        key = fold(text)
        if key not in self.lex.people or key in self.lex.organizations or key in self.lex.countries:
            return False
        return _person_lookup(text, self.lex, self.day)[0] is not None or len(text.split()) > 1

    def organizations(self) -> None:
        lex = self.lex
        for ent in self.doc.ents:
            if ent.label_ not in {"ORG", "NORP", "GPE", "FAC", "PERSON"}:
                continue
            if ent.label_ == "PERSON" and fold(ent.text) not in lex.organizations:
                continue
            toks = [t for t in ent if t.dep_ != "det" and t.text not in {"'s", "’s"}]
            if not toks:
                continue
            start, end = toks[0].i, toks[-1].i + 1
            text = self.doc[start:end].text
            f = fold(text)
            org = lex.organizations.get(f)
            if org is not None:
                self.add(
                    start,
                    end,
                    kind="organization",
                    key="org:" + fold(org.name),
                    name=org.name,
                    code=org.code,
                    country=org.country,
                )
                continue
            country = _country_of_word(text, lex)
            if country is not None and ent.label_ in {"GPE", "NORP"}:
                if self._is_role_modifier(ent):
                    continue  # "Israeli official": the role noun phrase takes it
                self.add(
                    start,
                    end,
                    modifier=self._is_modifier(ent) or self._is_locative(ent),
                    kind="country",
                    key="country:" + country.iso3,
                    name=country.name,
                    code=country.iso3,
                    country=country.iso3,
                )
                continue
            capital = lex.capitals.get(f)
            if capital is not None and ent.label_ == "GPE":
                if not self._is_locative(ent):
                    self.add(
                        start,
                        end,
                        kind="organization",
                        key="gov:" + capital.iso3,
                        name=f"{capital.name} government",
                        code=capital.iso3 + "GOV",
                        country=capital.iso3,
                    )
                continue
            if ent.label_ == "ORG":
                role = _role_in(toks, lex)
                c = _country_in(toks, lex, self.people_country)
                code = (c + (role[0] if role else "")) if c else None
                self.add(
                    start,
                    end,
                    kind="organization",
                    key="org:" + f,
                    name=text,
                    code=code,
                    country=c,
                    role=role[1] if role else None,
                )

    def repeated_names(self) -> None:
        """Names NER missed in one place but found in another ("SCG", "Hanegbi") refer to the same actor."""
        known: dict[str, Mention] = {}
        for m in self.mentions:
            if m.kind in {"person", "organization"}:
                known.setdefault(m.text, m)
                if m.kind == "person" and m.name:
                    known.setdefault(m.name.split()[-1], m)
        for tok in self.doc:
            if tok.i in self.claimed or tok.pos_ != "PROPN":
                continue
            ref = known.get(tok.text)
            if ref is not None:
                self.refer(tok, ref, ref.kind)

    @staticmethod
    def _is_modifier(ent: Span) -> bool:
        """A country word describing a thing, not an actor: "Israeli airstrikes", "the Russian economy"."""
        root = ent.root
        return (
            root.dep_ in {"amod", "compound", "nmod"}
            and root.head.pos_ in {"NOUN", "PROPN"}
            and root.head.i >= ent.end
        )

    def _is_role_modifier(self, ent: Span) -> bool:
        head = ent.root.head
        return (
            ent.root.dep_ in {"amod", "compound", "nmod"}
            and head.i >= ent.end
            and self.role_of(head) is not None
        )

    @staticmethod
    def _is_locative(ent: Span) -> bool:
        root = ent.root
        return root.dep_ == "pobj" and root.head.lower_ in {
            "in",
            "to",
            "at",
            "from",
            "into",
            "near",
            "across",
            "toward",
            "towards",
            "via",
        }

    def role_phrases(self) -> None:
        """Noun phrases headed by a role noun with a country ("an Israeli official", "Biden officials")."""
        lex = self.lex
        for tok in self.doc:
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.i in self.claimed:
                continue
            role = self.role_of(tok)
            if role is None:
                continue
            mods = [c for c in tok.lefts if c.dep_ in {"amod", "compound", "nmod", "poss", "npadvmod"}]
            span_start = min([m.left_edge.i for m in mods] + [tok.i])
            while span_start < tok.i and self.doc[span_start].dep_ in {"det", "cc", "punct"}:
                span_start += 1
            mod_toks = list(self.doc[span_start : tok.i])
            country = _country_in(mod_toks, lex, self.people_country)
            if country is None:
                for c in tok.lefts:
                    if c.dep_ == "poss" and fold(c.text) in lex.countries:
                        country = lex.countries[fold(c.text)].iso3
            if country is None or self._describes_person(tok):
                continue
            # The institution beats the function: "army spokesman" speaks for the army (MIL).
            institution = [r for t in mod_toks if (r := self.role_of(t)) is not None and r[0] != "GOV"]
            sector = institution[0][0] if institution else role[0]
            claimed_before = [i for i in range(span_start, tok.i + 1) if i in self.claimed]
            if claimed_before:
                span_start = max(claimed_before) + 1
            self.add(
                span_start,
                tok.i + 1,
                kind="unnamed",
                key=f"unnamed:{country}:{fold(tok.lemma_)}",
                name=None,
                code=country + sector,
                role=role[1],
                country=country,
            )

    @staticmethod
    def _describes_person(tok: Token) -> bool:
        """A role phrase in apposition to a name is that person's title, not another actor."""
        if tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON":
            return True
        return any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children)

    def resolve_titles_and_pronouns(self) -> None:
        """Bare titles ("the President") and he/she/it to an actor already in the document."""
        persons = [m for m in self.mentions if m.kind == "person"]
        by_role: dict[str, set[str]] = {}
        for m in persons:
            if m.role:
                by_role.setdefault(fold(m.role), set()).add(m.key)
        best = {m.key: m for m in sorted(persons, key=lambda m: (m.code is None, -len(m.name or "")))}
        unnamed: dict[str, list[Mention]] = {}
        for m in self.mentions:
            if m.kind == "unnamed":
                unnamed.setdefault(m.key.rsplit(":", 1)[-1], []).append(m)
        for tok in self.doc:
            if tok.i in self.claimed:
                continue
            low = tok.lower_
            if tok.pos_ in {"NOUN", "PROPN"}:
                role = self.role_of(tok)
                keys = by_role.get(fold(role[1]), set()) if role else set()
                definite = any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts)
                if not definite or any(c.dep_ in {"amod", "compound"} for c in tok.lefts):
                    continue
                if len(keys) == 1:
                    ref = best[next(iter(keys))]
                    self.refer(tok, ref, "pronoun")
                    continue
                earlier = [m for m in unnamed.get(fold(tok.lemma_), []) if m.start < tok.idx]
                if len({m.key for m in earlier}) == 1:
                    ref = earlier[-1]
                    self.refer(tok, ref, "unnamed")
            elif tok.pos_ == "PRON" and (low in _PRONOUNS_PERSON or low in _PRONOUNS_THING):
                antecedent = self._antecedent(tok, person=low in _PRONOUNS_PERSON)
                if antecedent is not None:
                    self.refer(tok, antecedent, "pronoun")

    def _antecedent(self, tok: Token, *, person: bool) -> Mention | None:
        kinds = {"person"} if person else {"organization", "country", "unnamed"}
        if tok.dep_ == "poss":
            # "The U.S. side expressed its concerns": a possessive first refers to its own clause's subject.
            node = tok.head
            for _ in range(4):
                if node.pos_ in {"VERB", "AUX"} or node.head == node:
                    break
                node = node.head
            for c in node.children:
                if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i:
                    m = next((m for m in self.mentions if m.tok_start <= c.i < m.tok_end), None)
                    if m is not None and (
                        m.kind in kinds or (m.kind == "pronoun" and m.key.startswith("person:") == person)
                    ):
                        return m
        sent_idx = bisect.bisect_right(self.sent_starts, tok.i) - 1
        window_start = self.sent_starts[max(0, sent_idx - 2)]
        cands = [m for m in self.mentions if m.kind in kinds and window_start <= m.tok_start < tok.i]
        if person:
            cands += [
                m
                for m in self.mentions
                if m.kind == "pronoun" and m.key.startswith("person:") and window_start <= m.tok_start < tok.i
            ]
        here = self.region(tok.idx)
        cands = [m for m in cands if self.region(m.start) == here]
        if not cands:
            return None
        keys = {m.key for m in cands}
        if person and len(keys) > 1:
            # Prefer the latest subject; otherwise ambiguous.
            subj = [m for m in cands if self.doc[m.tok_end - 1].dep_ in {"nsubj", "nsubjpass"}]
            if not subj:
                return None
            return max(subj, key=lambda m: m.start)
        return max(cands, key=lambda m: m.start)


def _merge(mentions: list[Mention]) -> tuple[list[Mention], dict[str, Mention]]:
    """Give every mention of one identity the best name, code and role found for it."""
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.kind == "pronoun":
            continue
        cur = best.get(m.key)
        score = (m.code is not None, len(m.code or ""), len(m.name or ""))
        if cur is None or score > (cur.code is not None, len(cur.code or ""), len(cur.name or "")):
            best[m.key] = m
    out = []
    for m in mentions:
        b = best.get(m.key)
        if b is not None and m.kind != "unnamed":
            m = replace(
                m, name=b.name, code=b.code or m.code, role=b.role or m.role, country=b.country or m.country
            )
        elif b is not None:
            m = replace(m, code=m.code or b.code)
        out.append(m)
    return out, best


def extract_actors(doc: Doc, article: Article, *, resources: Resources) -> ActorIndex:
    """Find, code and group the actors of one article.

    Args:
        doc: the parsed `article.text`.
        article: the article (its anchor date selects dictionary roles).
        resources: the knowledge base (lexicons and gazetteer).

    Returns:
        An `ActorIndex` with mentions, actor identities and a token lookup.

    Example:
        >>> index = extract_actors(nlp("US President Joe Biden spoke."), article, resources=res)  # doctest: +SKIP
        >>> index.actors[0].code  # doctest: +SKIP
        'USAGOV'
    """
    b = _Builder(doc, article, resources)
    b.persons()
    b.organizations()
    b.repeated_names()
    b.role_phrases()
    b.resolve_titles_and_pronouns()
    mentions, best = _merge(sorted(b.mentions, key=lambda m: m.start))
    ids: dict[str, str] = {}
    actors: list[Actor] = []
    for key, m in best.items():
        # Identities are global (one id across articles) except unnamed descriptions, which are per article.
        if m.kind == "unnamed":
            ids[key] = _hash(f"{article.id}:{key}")
        else:
            ids[key] = _hash(f"person:{fold(m.name or m.text)}" if m.kind == "person" else key)
    for key, head in sorted(best.items(), key=lambda kv: kv[1].start):
        ms = [m for m in mentions if m.key == key]
        display = head.name or head.text
        actors.append(
            Actor(
                id=ids[key],
                name=display,
                code=head.code,
                kind=head.kind,
                role=head.role,
                country=head.country,
                aliases=tuple(sorted({m.text for m in ms if m.kind != "pronoun"})),
                mentions=tuple((m.start, m.end) for m in ms),
            )
        )
    return ActorIndex(mentions, actors, ids)
