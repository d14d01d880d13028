"""Finding actor mentions: persons, organisations, countries, capitals, role phrases, titles and pronouns."""

from __future__ import annotations

import bisect
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsevents.extract.actors.coding import (
    apposition,
    country_in,
    country_of_word,
    person_code,
    role_in,
    title_tokens,
)
from newsevents.extract.actors.index import Mention
from newsevents.extract.mentions import MentionTypes
from newsevents.extract.quotemarks import quoted_regions
from newsevents.kb import Resources, fold
from newsevents.kb.speech import gender_of_name, pronoun_gender
from newsevents.model import Article

__all__ = ["MentionBuilder"]

_PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers"}
# Words before a surname that are no given name ("Mr. Clinton" is the Clinton named last).
_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "prof",
        "rev",
        "sheikh",
        "madam",
        "mme",
        "m",
    ]
)
_PRONOUNS_THING = {"it", "its"}
_POSS = {"'s", "’s", "'"}
# Entity labels an organisation, a country or a capital may carry (a place-typed entity may carry any label).
_ACTOR_LABELS = {"ORG", "NORP", "GPE", "FAC", "PERSON"}


class MentionBuilder:
    """Collects the actor mentions of one Doc, stage by stage; a token belongs to at most one mention."""

    def __init__(self, doc: Doc, article: Article, resources: Resources, types: MentionTypes) -> None:
        self.doc = doc
        self.types = types
        self.article = article
        self.lex = resources.lexicons
        self.day = article.anchor
        self.mentions: list[Mention] = []
        self.claimed: set[int] = set()
        self.people_country: dict[str, str] = {}
        self.genders: dict[str, str] = {}  # person key -> m | f, from an honorific or a given name
        self.quoted = quoted_regions(article.text)
        self._quoted_starts = [a for a, _ in self.quoted]
        self._by_token: dict[int, Mention] = {}
        self._sorted: list[Mention] = []  # by token start, for windowed lookups
        self._sorted_starts: list[int] = []
        self.sent_starts = [sent.start for sent in doc.sents]
        self._roles: dict[int, tuple[str, str] | None] = {}
        self._dominant: str | bool | None = False  # not computed yet
        self._sentence_countries: dict[int, str | None] | None = None
        self._countries: list[tuple[int, str]] | None = None

    def sentence_country(self, sent: Span) -> str | None:
        """The country a sentence names, when it names exactly one (country, demonym or capital)."""
        return self.sentence_countries().get(sent.start)

    def sentence_countries(self) -> dict[int, str | None]:
        """The one country each sentence names (by sentence start), computed in one pass over the entities."""
        if self._sentence_countries is None:
            found: dict[int, set[str]] = {}
            for start, iso3 in self._entity_countries():
                sent = self.sent_starts[bisect.bisect_right(self.sent_starts, start) - 1]
                found.setdefault(sent, set()).add(iso3)
            self._sentence_countries = {
                start: next(iter(found.get(start, ()))) if len(found.get(start, ())) == 1 else None
                for start in self.sent_starts
            }
        return self._sentence_countries

    def _entity_countries(self) -> list[tuple[int, str]]:
        """(token start, ISO3) of every country, demonym and capital entity, computed once per article."""
        if self._countries is None:
            self._countries = []
            for ent in self.doc.ents:
                if ent.label_ in {"GPE", "NORP"}:
                    c = country_of_word(ent.text.removeprefix("the ").removesuffix("'s"), self.lex)
                    c = c or self.lex.capitals.get(fold(ent.text))
                    if c is not None:
                        self._countries.append((ent.start, c.iso3))
        return self._countries

    def dominant_country(self) -> str | None:
        """The country the article is about, when one clearly dominates its country words: named at least
        twice and in at least half of all country, demonym and capital mentions (the cue for "President
        Michel Suleiman" in a story about Lebanon)."""
        if self._dominant is False:
            counts: dict[str, int] = {}
            for _, iso3 in self._entity_countries():
                counts[iso3] = counts.get(iso3, 0) + 1
            best = max(counts.items(), key=lambda kv: kv[1], default=None)
            total = sum(counts.values())
            self._dominant = best[0] if best and best[1] >= 2 and best[1] * 2 >= total else None
        return self._dominant if isinstance(self._dominant, str) else None

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
            self._roles[tok.i] = role_in([tok], self.lex)
        return self._roles[tok.i]

    def region(self, char: int) -> int:
        """Index of the quotation containing this offset, or -1 for narrative text (a binary search: the
        quotations are in text order and do not overlap)."""
        k = bisect.bisect_right(self._quoted_starts, char) - 1
        return k if k >= 0 and char < self.quoted[k][1] else -1

    def _window(self, start: int, end: int) -> list[Mention]:
        """Mentions whose first token lies in [start, end), in text order."""
        return self._sorted[
            bisect.bisect_left(self._sorted_starts, start) : bisect.bisect_left(self._sorted_starts, end)
        ]

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
        for i in range(tok_start, tok_end):
            self._by_token[i] = m
        k = bisect.bisect_left(self._sorted_starts, tok_start)
        self._sorted_starts.insert(k, tok_start)
        self._sorted.insert(k, m)
        return m

    def persons(self) -> None:
        """The entities typed ``person`` (`type_mentions`), with a title before the name or in apposition.

        A full name is its own identity ("Hillary Clinton" and "Chelsea Clinton" are two people); a bare
        surname ("Clinton", "Mr. Clinton") is the person of that surname named most recently before it."""
        surnames: dict[str, str] = {}
        named: dict[str, tuple[str | None, str | None, str | None, str]] = {}  # full-name key -> its coding
        for typed in sorted(self.types.of_type("person"), key=lambda t: t.start):
            ent = self.doc[typed.start : typed.end]
            name_toks = [t for t in ent if t.text not in {"'s", "’s"}]
            if not name_toks:
                continue
            name = self.doc[name_toks[0].i : name_toks[-1].i + 1].text
            key = self._person_key(name_toks, surnames)
            if key in named and not self._given(name_toks):
                # a bare surname after a full name of the article is that person ("Gwen Graham ... Graham"),
                # never the dictionary's holder of the surname
                code, role, country, canonical = named[key]
            else:
                code, role, country, canonical = person_code(name, self.lex, self.day)
            title = title_tokens(ent)
            appos = apposition(ent)
            described = title + appos  # "the US commander in Iraq, General David Petraeus"
            if described:
                t_role = role_in(title, self.lex) or role_in(appos, self.lex)
                t_country = country_in(described, self.lex, self.people_country)
                if code is None and not t_country and t_role and not country:
                    # a title with no country word: the one country its sentence names, else the article's
                    t_country = self.sentence_country(ent.sent) or self.dominant_country()
                if code is None and t_country:
                    country = t_country
                    code = t_country + (t_role[0] if t_role else "")
                elif code is not None and len(code) == 3 and t_role:
                    # known, but holding no listed office on the day: the text's title decides the sector
                    # ("Egyptian President Hosni Mubarak" on the day he resigned)
                    code += t_role[0]
                if t_role and not role:
                    role = t_role[1]
            if country:
                self.people_country[fold(name_toks[-1].text)] = country
            start = title[0].i if title else name_toks[0].i
            if self._given(name_toks):
                named.setdefault(key, (code, role, country, canonical))
            gender = gender_of_name([t.text for t in [*title, *name_toks]])
            if gender and key not in self.genders:
                self.genders[key] = gender
            self.add(
                start,
                name_toks[-1].i + 1,
                kind="person",
                key=key,
                name=canonical,
                code=code,
                role=role,
                country=country,
            )

    @staticmethod
    def _given(name_toks: list[Token]) -> bool:
        return any(fold(t.text).rstrip(".") not in _HONORIFICS for t in name_toks[:-1])

    @staticmethod
    def _person_key(name_toks: list[Token], surnames: dict[str, str]) -> str:
        given = [t for t in name_toks[:-1] if fold(t.text).rstrip(".") not in _HONORIFICS]
        surname = fold(name_toks[-1].text)
        if not given:
            return surnames.get(surname, "person:" + surname)
        key = "person:" + fold(" ".join(t.text for t in [*given, name_toks[-1]]))
        surnames[surname] = key
        return key

    def organizations(self) -> None:
        """Dictionary and NER organisations, countries acting as states, capitals standing for governments.

        Only entities typed ``organization`` are organisations; countries and capitals are read among the
        ``place`` and ``other`` ones (a GPE "Israel" is a place, and a state when it acts).
        """
        lex = self.lex
        for typed in self.types.mentions:
            kind, label = typed.type, typed.label
            if kind == "person" or not label or (label not in _ACTOR_LABELS and kind != "place"):
                continue
            if label == "PERSON" and kind != "organization":
                continue
            ent = self.doc[typed.start : typed.end]
            toks = [t for t in ent if t.dep_ != "det" and t.text not in {"'s", "’s"}]
            if not toks:
                continue
            start, end = toks[0].i, toks[-1].i + 1
            text = self.doc[start:end].text
            f = fold(text)
            org = lex.organizations.get(f) if kind == "organization" else None
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
            country = country_of_word(text, lex)
            if country is not None and (label in {"GPE", "NORP"} or kind == "place"):
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
            if capital is not None and (label == "GPE" or kind == "place"):
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
            if label == "ORG" and kind == "organization":
                role = role_in(toks, lex)
                c = country_in(toks, lex, self.people_country)
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
        by_surname: dict[str, list[Mention]] = {}
        for m in sorted(self.mentions, key=lambda m: m.start):
            if m.kind in {"person", "organization"}:
                known.setdefault(m.text, m)
                if m.kind == "person" and m.name:
                    by_surname.setdefault(m.name.split()[-1], []).append(m)
        for tok in self.doc:
            if tok.i in self.claimed or tok.pos_ != "PROPN":
                continue
            typed = self.types.at(tok)
            if typed is not None and typed.type == "place":
                continue  # one decision per name: a place is not an actor again by its spelling
            ref = known.get(tok.text)
            if ref is None and tok.text in by_surname:  # the namesake named most recently before it
                named = by_surname[tok.text]
                ref = next((m for m in reversed(named) if m.start < tok.idx), named[0])
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
            country = country_in(mod_toks, lex, self.people_country)
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
            while span_start < tok.i and (
                self.doc[span_start].dep_ == "case" or self.doc[span_start].text in _POSS
            ):
                span_start += 1  # "Iraq['s] national security adviser": the possessive ending is not the role
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

    @staticmethod
    def _clause_subjects(tok: Token) -> set[int]:
        """Token indices of the subjects of the clause a word is in, and of the clauses a participle or
        infinitive takes its subject from ("Uribe ended ..., accusing him": Uribe)."""
        node, out = tok.head, set[int]()
        for _ in range(6):
            if node.pos_ in {"VERB", "AUX"}:
                subj = [c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}]
                out.update(t.i for c in subj for t in c.subtree)
                if subj or node.dep_ not in {"advcl", "xcomp", "conj", "acl"}:
                    break
            if node.head == node:
                break
            node = node.head
        return out

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
                    m = self._by_token.get(c.i)
                    if m is not None and (
                        m.kind in kinds or (m.kind == "pronoun" and m.key.startswith("person:") == person)
                    ):
                        return m
        sent_idx = bisect.bisect_right(self.sent_starts, tok.i) - 1
        window_start = self.sent_starts[max(0, sent_idx - 2)]
        window = self._window(window_start, tok.i)
        cands = [m for m in window if m.kind in kinds]
        if person:
            cands += [m for m in window if m.kind == "pronoun" and m.key.startswith("person:")]
        here = self.region(tok.idx)
        cands = [m for m in cands if self.region(m.start) == here]
        if person:  # "she" is never the male senator: gender from honorifics and given names
            want = pronoun_gender(tok.lower_)
            cands = [m for m in cands if self.genders.get(m.key, want) == want]
        if not cands:
            return None
        if person and tok.dep_ in {"dobj", "pobj", "dative"} and tok.lower_ in {"him", "her"}:
            # An object pronoun is not its own clause's subject ("Uribe ... accusing him"): the latest
            # other person.
            subjects = self._clause_subjects(tok)
            subject_keys = {m.key for m in cands if any(m.tok_start <= i < m.tok_end for i in subjects)}
            others = [m for m in cands if m.key not in subject_keys]
            if others:
                return max(others, key=lambda m: m.start)
        keys = {m.key for m in cands}
        if person and len(keys) > 1:
            # Prefer the latest subject; otherwise ambiguous.
            subj = [m for m in cands if self.doc[m.tok_end - 1].dep_ in {"nsubj", "nsubjpass"}]
            if not subj:
                return None
            return max(subj, key=lambda m: m.start)
        return max(cands, key=lambda m: m.start)
