"""The actor index one article's extractors share: mentions, and the token -> mention lookup."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.model import Actor, ActorRef


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

    def __init__(
        self,
        mentions: list[Mention],
        actors: list[Actor],
        ids: dict[str, str],
        *,
        sentence_countries: dict[int, str | None] | None = None,
        dominant_country: str | None = None,
        genders: dict[str, str] | None = None,
    ) -> None:
        self.mentions = mentions
        self.actors = actors
        self._ids = ids
        self._sentence_countries = sentence_countries or {}
        self.dominant_country = dominant_country
        self.genders = genders or {}  # person key -> m | f
        self._sentence_starts = sorted(self._sentence_countries)  # every sentence has an entry
        self._by_token: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.tok_start, m.tok_end):
                self._by_token.setdefault(i, m)

    def country_near(self, token: Token) -> str | None:
        """The country an unnamed group ("soldiers", "the police") most likely belongs to: the one country
        its sentence names, else the article's dominant country (None when neither is clear)."""
        k = bisect.bisect_right(self._sentence_starts, token.i) - 1
        start = self._sentence_starts[k] if k >= 0 else 0
        return self._sentence_countries.get(start) or self.dominant_country

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

    def gender(self, mention: Mention) -> str | None:
        """``m`` or ``f`` for a person known by an honorific or a given name, ``p`` for groups and
        organisations ("they"), ``n`` for countries ("it"), else None."""
        if mention.kind in {"organization", "unnamed"}:
            return "p" if mention.kind == "unnamed" and mention.text.lower().endswith("s") else None
        if mention.kind == "country":
            return "n"
        return self.genders.get(mention.key)

    def ref_for_token(self, token: Token) -> ActorRef | None:
        m = self.at(token)
        return self.ref(m) if m else None

    def in_span(self, start: int, end: int) -> list[Mention]:
        """Mentions whose tokens lie within [start, end) token indices, in order."""
        return [m for m in self.mentions if m.tok_start >= start and m.tok_end <= end]
