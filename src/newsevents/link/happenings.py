"""Happenings: the event mentions of one story that report the same real-world event, merged.

Within a story, mentions are taken in a fixed order (their linking period's first day, the article's date,
the article id, the trigger's offset) and each joins the happening it is compatible with whose mentions it
fits best one by one (the earlier happening on a tie), else starts one. A mention is compatible with a
happening when:

- the PLOVER type is the same, and the mention is not in a sentence of the same article that already
  has a mention of the happening (two triggers of one type in one sentence are two events);
- both are negated or both are not: a negated report never merges with an asserted one; when a negated
  happening would otherwise match a non-negated one, each lists the other in ``contradicts`` (the
  disagreement is shown, not resolved);
- the linking periods overlap (`period`): an explicit date's period widened by `TOLERANCE_DAYS` on each
  side; a mention dated only by its article's day covers the two days before it when asserted and the month
  after it when future or hypothetical (a planned meeting merges with its later report); undated
  background covers the `BACKGROUND_DAYS` before the article;
- actors are compatible role by role (`compatible_roles`): a side without actors fits anything; otherwise
  some actor of the mention fits some actor of the happening: the same name (`same_name`: equal, or a
  bare surname of the other's full name), or an unnamed actor or a country whose code is a prefix of the
  other's (or has no code);
- the countries of their places agree, or one has none, or a named actor links them (place resolution is
  noisier than names).

A happening's id is derived from its first mention's event id, so later reports never change it. Its
representative mention (what the listings show) is the most certain one: asserted before future before
hypothetical, dated by its text before dated by its article, then the most confident. Its
factuality is ``asserted`` when any mention asserts it, else that of its latest mention; every mention keeps
its own. Mentions in near-copies (``duplicate_of``) are kept but counted once: ``n_mentions`` and
``n_articles`` count canonical articles only, ``n_sources`` counts every place any of its articles was read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsevents.ids import stable_hash

__all__ = [
    "BACKGROUND_DAYS",
    "TOLERANCE_DAYS",
    "ActorRef",
    "EventInput",
    "HappeningResult",
    "compatible_roles",
    "find_happenings",
    "happening_id",
    "period",
    "same_name",
]

_FACTUALITY_RANK = {"asserted": 0, "future": 1, "hypothetical": 2, "negated": 3}

TOLERANCE_DAYS = 1
FALLBACK_PAST_DAYS = 2
FUTURE_DAYS = 31
BACKGROUND_DAYS = 60


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor or recipient of a mention, as linking sees it.

    `key` is a named actor's folded name (the same person in two articles, whatever kind the recogniser
    gave it); None for an unnamed one.
    `country` marks a country actor, which is compatible with its own institutions by code.
    """

    key: str | None
    code: str | None = None
    country: bool = False


@dataclass(frozen=True, slots=True)
class EventInput:
    """What happening linking needs of one event mention.

    `first`/`last` are the event's stored period; `dating` says where it came from: ``"text"`` (a date in
    the text), ``"article"`` (the article's own date, for want of one) or ``"background"`` (undated, told as
    earlier than the news); `published` is the article's date.
    """

    id: str
    article_id: str
    type: str
    factuality: str
    first: dt.date | None = None
    last: dt.date | None = None
    dating: str = "text"
    published: dt.date | None = None
    actors: tuple[ActorRef, ...] = ()
    recipients: tuple[ActorRef, ...] = ()
    country: str | None = None
    trigger_start: int = 0
    confidence: float = 0.5
    duplicate_of: str | None = None
    sources: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class HappeningResult:
    """One happening: its mentions (first first), its representative mention and its counts."""

    id: str
    mentions: tuple[str, ...]
    representative: str
    type: str
    factuality: str
    first: dt.date | None
    last: dt.date | None
    n_mentions: int
    n_articles: int
    n_sources: int
    contradicts: tuple[str, ...] = ()


def happening_id(first_event: str) -> str:
    """The id of the happening whose first mention is the event `first_event`.

    Example:
        >>> happening_id("e1") != happening_id("e2")
        True
    """
    return stable_hash("happening", first_event)


def period(event: EventInput) -> tuple[dt.date, dt.date] | None:
    """The days a mention may refer to, for linking (None: no date at all, fits any period).

    Example:
        >>> day = dt.date(2024, 5, 7)
        >>> period(EventInput("e", "a", "CONSULT", "future", day, day, dating="article", published=day))
        (datetime.date(2024, 5, 7), datetime.date(2024, 6, 7))
    """
    day = dt.timedelta(days=1)
    if event.dating == "text" and event.first is not None and event.last is not None:
        return event.first - TOLERANCE_DAYS * day, event.last + TOLERANCE_DAYS * day
    anchor = event.published or event.first
    if anchor is None:
        return None
    if event.dating == "background":
        return anchor - BACKGROUND_DAYS * day, anchor
    if event.factuality in {"future", "hypothetical"}:
        return anchor, anchor + FUTURE_DAYS * day
    return anchor - FALLBACK_PAST_DAYS * day, anchor


def _codes_fit(a: str | None, b: str | None) -> bool:
    return not a or not b or a.startswith(b) or b.startswith(a)


def same_name(a: str, b: str) -> bool:
    """Whether two folded names may name the same actor: equal, or one is the other's last word.

    Example:
        >>> same_name("vasile grosu", "grosu"), same_name("grosu", "vasile grosu"), same_name("ana", "grosu")
        (True, True, False)
    """
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return " " not in short and long.endswith(" " + short)


def _refs_fit(a: ActorRef, b: ActorRef) -> bool:
    if a.key is not None and b.key is not None and same_name(a.key, b.key):
        return True
    if a.key is not None and b.key is not None and not (a.country or b.country):
        return False  # two different named actors
    if a.key is not None and b.key is not None:
        return bool(a.code and b.code) and _codes_fit(a.code, b.code)
    return _codes_fit(a.code, b.code)


def compatible_roles(a: Sequence[ActorRef], b: Sequence[ActorRef]) -> bool:
    """Whether two actor lists (of one role) may name the same participants.

    Example:
        >>> biden, usa = ActorRef("joe biden", "USAGOV"), ActorRef("united states", "USA", country=True)
        >>> officials = ActorRef(None, "USAGOV")
        >>> putin = ActorRef("vladimir putin", "RUSGOV")
        >>> compatible_roles([biden], [officials]), compatible_roles([biden], [putin])
        (True, False)
        >>> compatible_roles([usa], [biden]), compatible_roles([], [biden])
        (True, True)
    """
    if not a or not b:
        return True
    return any(_refs_fit(x, y) for x in a for y in b)


def _named_link(a: Sequence[ActorRef], b: Sequence[ActorRef]) -> bool:
    return any(x.key and y.key and same_name(x.key, y.key) for x in a for y in b)


@dataclass(slots=True)
class _Group:
    mentions: list[EventInput]
    span: tuple[dt.date, dt.date] | None
    actors: list[ActorRef] = field(default_factory=list)
    recipients: list[ActorRef] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)

    @property
    def negated(self) -> bool:
        return self.mentions[0].factuality == "negated"

    def fits(
        self, e: EventInput, span: tuple[dt.date, dt.date] | None, *, ignore_negation: bool = False
    ) -> bool:
        first = self.mentions[0]
        if e.type != first.type:
            return False
        if not ignore_negation and (e.factuality == "negated") != self.negated:
            return False
        if span is not None and self.span is not None and (span[1] < self.span[0] or self.span[1] < span[0]):
            return False
        if not (compatible_roles(self.actors, e.actors) and compatible_roles(self.recipients, e.recipients)):
            return False
        has_args = (self.actors or self.recipients) and (e.actors or e.recipients)
        shared_role = (self.actors and e.actors) or (self.recipients and e.recipients)
        if has_args and not shared_role:
            return (
                False  # both name participants, but never in the same role: nothing says they are one event
            )
        if e.country and self.countries and e.country not in self.countries:
            return _named_link(self.actors, e.actors) or _named_link(self.recipients, e.recipients)
        return True

    def support(self, e: EventInput, span: tuple[dt.date, dt.date] | None) -> int:
        """How many of the happening's mentions `e` fits on its own (the best happening is chosen by it)."""
        return sum(_Group([m], period(m)).fits(e, span) for m in self.mentions)

    def add(self, e: EventInput, span: tuple[dt.date, dt.date] | None) -> None:
        self.mentions.append(e)
        if span is not None:
            if self.span is None:
                self.span = span
            elif e.dating == "text":  # narrow to the overlap: a date in the text pins a vague report down
                narrowed = (max(self.span[0], span[0]), min(self.span[1], span[1]))
                if narrowed[0] <= narrowed[1]:
                    self.span = narrowed
        self.actors.extend(r for r in e.actors if r not in self.actors)
        self.recipients.extend(r for r in e.recipients if r not in self.recipients)
        if e.country:
            self.countries.add(e.country)


def _order(e: EventInput) -> tuple[dt.date, dt.date, str, int, str]:
    span = period(e)
    return (
        span[0] if span else dt.date.max,
        e.published or dt.date.max,
        e.article_id,
        e.trigger_start,
        e.id,
    )


def _summary(group: _Group, other: dict[int, list[str]], k: int, gid: str) -> HappeningResult:
    ms = group.mentions
    canonical = [m for m in ms if m.duplicate_of is None]
    counted = canonical or ms
    asserted = [m for m in counted if m.factuality == "asserted"]
    factuality = "asserted" if asserted else counted[-1].factuality
    representative = min(
        counted,
        key=lambda m: (_FACTUALITY_RANK.get(m.factuality, 4), m.dating != "text", -m.confidence, ms.index(m)),
    )
    firsts = [m.first for m in ms if m.dating == "text" and m.first is not None]
    lasts = [m.last for m in ms if m.dating == "text" and m.last is not None]
    if not firsts:
        firsts = [m.first for m in ms if m.first is not None]
        lasts = [m.last for m in ms if m.last is not None]
    sources: set[str] = set()
    for m in ms:
        sources |= m.sources
    return HappeningResult(
        id=gid,
        mentions=tuple(m.id for m in ms),
        representative=representative.id,
        type=ms[0].type,
        factuality=factuality,
        first=representative.first if representative.dating == "text" else (min(firsts) if firsts else None),
        last=representative.last if representative.dating == "text" else (max(lasts) if lasts else None),
        n_mentions=len(counted),
        n_articles=len({m.article_id for m in counted}),
        n_sources=len(sources) or len({m.article_id for m in ms}),
        contradicts=tuple(sorted(other.get(k, []))),
    )


def find_happenings(events: Iterable[EventInput]) -> list[HappeningResult]:
    """Merge the event mentions of one story into happenings.

    Args:
        events: the mentions of one story (ids unique).

    Returns:
        The happenings, ordered by their first mention.

    Example:
        >>> may = dt.date(2024, 5, 1)
        >>> plan = EventInput("e1", "a1", "CONSULT", "future", may, may, dating="article", published=may,
        ...                   actors=(ActorRef("antony blinken", "USAGOV"),))
        >>> held = EventInput("e2", "a2", "CONSULT", "asserted", dt.date(2024, 5, 9), dt.date(2024, 5, 9),
        ...                   published=dt.date(2024, 5, 9), actors=(ActorRef("antony blinken", "USAGOV"),))
        >>> [(h.mentions, h.factuality, h.n_articles) for h in find_happenings([held, plan])]
        [(('e1', 'e2'), 'asserted', 2)]
    """
    ordered = sorted(events, key=_order)
    groups: list[_Group] = []
    for e in ordered:
        span = period(e)
        fitting = [
            (group.support(e, span), -k, group) for k, group in enumerate(groups) if group.fits(e, span)
        ]
        if fitting:
            max(fitting, key=lambda f: (f[0], f[1]))[2].add(e, span)
        else:
            group = _Group([], None)
            group.add(e, span)
            groups.append(group)
    ids = [happening_id(g.mentions[0].id) for g in groups]
    other: dict[int, list[str]] = {}
    for i, g in enumerate(groups):
        if not g.negated:
            continue
        for j, h in enumerate(groups):
            if (
                i != j
                and not h.negated
                and all(h.fits(m, period(m), ignore_negation=True) for m in g.mentions)
            ):
                other.setdefault(i, []).append(ids[j])
                other.setdefault(j, []).append(ids[i])
    return [_summary(g, other, k, ids[k]) for k, g in enumerate(groups)]
