"""Frozen records shared by every stage (no spaCy, no SQL).

Every `Span`-like offset is a character offset into `Article.text`, the cleaned text, with the invariant
``article.text[start:end] == span.text``. Nothing here depends on spaCy token indices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

SCHEMA_VERSION = 1


#: The 16 PLOVER event types, in the order of ../shared/ONTOLOGY.md.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
#: An event's `factuality`: only "asserted" and "historical" events count as things that happened.
FACTUALITY: tuple[str, ...] = ("asserted", "negated", "future", "hypothetical", "historical")


class ReasonCode(str, Enum):
    """Why an input or an article was rejected (bad data is not an exception)."""

    UNREADABLE = "unreadable"  # the file could not be opened or read
    UNDECODABLE = "undecodable"  # bytes that decode to no text
    EMPTY = "empty"  # nothing left after reading or cleaning
    MALFORMED = "malformed"  # a JSON line that is not JSON, a record with no text, ...
    UNSUPPORTED = "unsupported"  # a format we cannot read
    TOO_LARGE = "too_large"  # over the size cap (--max-chars); rejected before any parsing
    INTERNAL_ERROR = "internal_error"  # a bug, or a store error on one article: logged with its traceback
    FETCH_FAILED = "fetch_failed"  # a URL that could not be fetched (refused address, timeout, HTTP error)
    # Filtered, not quarantined: units that are deliberately not articles (see `FILTERED_REASONS`).
    NOT_ARTICLE = (
        "not_article"  # a WARC request/metadata record, a non-HTML response, a feed item with no text
    )
    ROBOTS_DISALLOWED = "robots_disallowed"  # robots.txt forbids fetching the URL

    @property
    def filtered(self) -> bool:
        """Whether a unit with this reason was deliberately skipped (``filtered``) rather than quarantined.

        Example:
            >>> ReasonCode.NOT_ARTICLE.filtered, ReasonCode.MALFORMED.filtered
            (True, False)
        """
        return self in FILTERED_REASONS


#: Reasons that make a unit ``filtered`` in a run's ledger: skipped on purpose, not an error to retry.
FILTERED_REASONS = frozenset({ReasonCode.NOT_ARTICLE, ReasonCode.ROBOTS_DISALLOWED})


class DateBasis(str, Enum):
    """How an event's date was found (`Event.date_basis`); `Event.date_source` says it in words."""

    GOVERNED = "governed"  # the temporal expression that governs the event in the parse
    SENTENCE = "sentence"  # the nearest temporal expression in the event's sentence
    PUBLISHED = "published"  # no date in the sentence: the article's publication date
    BACKGROUND = "background"  # background retold from earlier: deliberately left undated
    UNKNOWN = "unknown"  # no date in the sentence and no publication date to fall back on

    @property
    def own(self) -> bool:
        """Whether the date comes from the event's own sentence (not a fallback, not missing)."""
        return self in (DateBasis.GOVERNED, DateBasis.SENTENCE)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of `Article.text`: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of scraping debris removed from the article text, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class InferredDate:
    """Bounds on an unknown publication date, inferred from the text."""

    earliest: dt.date | None
    latest: dt.date | None
    reason: str


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read from its source, before cleaning.

    `body` is decoded text: plain text (possibly with the inline ``date YYYY-MM-DD`` header) when
    `format` is ``"text"``, markup when it is ``"html"``. Metadata fields hold what the source itself said.
    """

    source: str
    body: str
    format: str = "text"
    title: str | None = None
    published: str | None = None
    url: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the text every extracted offset points into."""

    id: str
    source: str
    text: str
    title: str | None = None
    subtitle: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_inferred: InferredDate | None = None
    removed: tuple[Removal, ...] = ()
    content_hash: str = ""

    @property
    def anchor(self) -> dt.date | None:
        """The date relative expressions are resolved against: published, else the inferred earliest."""
        if self.published is not None:
            return self.published
        if self.published_inferred is not None:
            return self.published_inferred.earliest
        return None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input or article that could not be processed; logged, stored and counted, never raised."""

    source: str
    stage: str
    reason: ReasonCode
    detail: str
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One mention of an actor where an event or quote uses it."""

    text: str
    start: int
    end: int
    name: str | None = None
    code: str | None = None
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor identity within an article, with every mention of it."""

    id: str
    name: str
    code: str | None
    kind: str  # person | organization | country | group
    role: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """A place named in the article, geocoded when the gazetteer knows it."""

    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # country | admin1 | city | point | region | unknown
    mentions: tuple[tuple[int, int], ...] = ()
    confidence: float = 0.5  # how sure the resolution is (1 = a single reading; lower with rivals)
    evidence: str = ""  # how the reading was chosen ("name: qualified by Indiana", "demonym: only reading")
    mention_kinds: tuple[str, ...] = ()  # per mention: name | abbreviation | dateline | demonym


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression normalised against the article's anchor date."""

    text: str
    start: int
    end: int
    value: str | None
    precision: str  # day | week | month | season | year | duration | unknown
    anchor: dt.date | None = None
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """A PLOVER-coded event with its evidence."""

    id: str
    type: str
    mode: str | None
    cameo: str
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    factuality: str
    trigger: Span
    sentence: Span
    date: str | None = None
    date_precision: str = "unknown"
    date_source: str = "unknown"
    date_basis: DateBasis = DateBasis.UNKNOWN
    place: Place | None = None
    confidence: float = 0.5
    evidence: str = ""
    quad_class: int = 0  # GDELT quad class of `cameo`: 1 verbal coop .. 4 material conflict
    goldstein: float = 0.0  # Goldstein-style score of `cameo`, -10 (conflict) .. +10 (cooperation)
    reported_by: ActorRef | None = None  # who reports it: "X said Y attacked Z" -> X
    place_source: str = (
        ""  # "clause" (its own clause), "sentence" (nearest location in it), "article" (dateline or dominant)
    )


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker: direct (in quotation marks) or indirect (reported speech)."""

    id: str
    text: str
    start: int
    end: int
    kind: str  # direct | indirect
    cue: Span | None = None
    speaker: ActorRef | None = None
    confidence: float = 0.5
    evidence: str = ""
    cue_type: str = "speech"  # speech | thought | intention | evidence | perception (the cue lexicon's type)
    # what carries the content: quote (quotation marks), transcript, clause, according_to, to, object,
    # object_pred, of, for, about, on, against
    content_kind: str = "quote"


@dataclass(frozen=True, slots=True)
class Position:
    """An actor's stated stance toward a target."""

    holder: ActorRef
    stance: str  # supports | opposes | wants
    target: str
    evidence: Span


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which spaCy model produced a result."""

    name: str
    version: str
    lang: str = "en"
    pipes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything extracted from one article: what `newsevents extract` prints and the store saves."""

    article: Article
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    positions: tuple[Position, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    model: ModelInfo | None = None
    pipeline_version: str = ""
    extractors: tuple[str, ...] = field(default=())
