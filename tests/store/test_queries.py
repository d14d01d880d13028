"""Read queries: each filter, ordering, pagination and the shape of the dicts, on a real SQLite store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from newsevents.errors import ConfigError
from newsevents.model import ActorRef, Article, ArticleResult, Event, Place, Quote, Span
from newsevents.store import ArticleFilter, EventFilter, QuoteFilter, SQLiteStore, next_cursor
from newsevents.store.queries import MAX_LIMIT, Query

# --- builder: short articles whose sentences each hold one event --------------------------------------


def _span(text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(start, start + len(piece), piece)


def _ref(text: str, piece: str, name: str | None = None, code: str | None = None) -> ActorRef:
    s = _span(text, piece)
    return ActorRef(piece, s.start, s.end, name, code)


def make_article(
    article_id: str,
    text: str,
    *,
    published: dt.date | None,
    title: str | None = None,
    events: tuple[dict[str, Any], ...] = (),
    quotes: tuple[dict[str, Any], ...] = (),
) -> ArticleResult:
    """An article; each event spec names a ``trigger`` and ``sentence`` (pieces of `text`) plus fields.

    Actor specs are ``(piece, name, code)`` tuples; quote specs name ``text`` and an optional ``speaker``.
    """
    built_events = []
    for i, spec in enumerate(events):
        spec = dict(spec)
        built_events.append(
            Event(
                id=spec.pop("id", f"{article_id}-e{i}"),
                type=spec.pop("type", "CONSULT"),
                mode=None,
                cameo=spec.pop("cameo", "040"),
                actors=tuple(_ref(text, *a) for a in spec.pop("actors", ())),
                recipients=tuple(_ref(text, *a) for a in spec.pop("recipients", ())),
                factuality=spec.pop("factuality", "asserted"),
                trigger=_span(text, spec.pop("trigger")),
                sentence=_span(text, spec.pop("sentence")),
                **spec,
            )
        )
    built_quotes = []
    for i, spec in enumerate(quotes):
        words = _span(text, spec["text"])
        speaker = _ref(text, *spec["speaker"]) if "speaker" in spec else None
        built_quotes.append(
            Quote(
                f"{article_id}-q{i}",
                words.text,
                words.start,
                words.end,
                "direct",
                _span(text, "said"),
                speaker,
            )
        )
    return ArticleResult(
        Article(id=article_id, source=f"{article_id}.txt", text=text, title=title, published=published),
        events=tuple(built_events),
        quotes=tuple(built_quotes),
        pipeline_version="test",
    )


CALL = "Joe Biden called Benjamin Netanyahu. Kirby said “we oppose it”."
PROTEST = "Students protested outside the Élysée. The police arrested ten. 🙂 Nobody said a word."
UNDATED = "The ministry said nothing. Troops moved north."

CORPUS = (
    make_article(
        "a-call",
        CALL,
        published=dt.date(2024, 5, 7),
        title="Biden calls Netanyahu",
        events=(
            {
                "id": "ev-call",
                "trigger": "called",
                "sentence": "Joe Biden called Benjamin Netanyahu.",
                "actors": (("Joe Biden", "Joe Biden", "USAGOV"),),
                "recipients": (("Benjamin Netanyahu", "Benjamin Netanyahu", "ISRGOV"),),
                "date": "2024-05-06",
                "quad_class": 1,
                "goldstein": 1.0,
                "reported_by": ActorRef("the White House", 0, 0, "White House", "USAGOV"),
                "place": Place("p-wash", "Washington", "USA", 38.9, -77.0, 4140963, "city"),
            },
        ),
        quotes=({"text": "we oppose it", "speaker": ("Kirby", "John Kirby", "USAGOV")},),
    ),
    make_article(
        "a-protest",
        PROTEST,
        published=dt.date(2024, 3, 10),
        title="Protest in Paris",
        events=(
            {
                "id": "ev-protest",
                "type": "PROTEST",
                "cameo": "140",
                "trigger": "protested",
                "sentence": "Students protested outside the Élysée.",
                "actors": (("Students", None, "FRACVL"),),
                "recipients": (("the Élysée", "Élysée Palace", "FRAGOV"),),
            },
            {
                "id": "ev-arrest",
                "type": "COERCE",
                "cameo": "173",
                "trigger": "arrested",
                "sentence": "The police arrested ten.",
                "actors": (("The police", None, "FRACOP"),),
                "factuality": "negated",
                "date": "2024-02",
            },
        ),
        quotes=({"text": "a word"},),
    ),
    make_article(
        "a-undated",
        UNDATED,
        published=None,
        events=(
            {
                "id": "ev-move",
                "type": "MOBILIZE",
                "cameo": "150",
                "trigger": "moved",
                "sentence": "Troops moved north.",
                "actors": (("Troops", None, None),),
            },
        ),
        quotes=({"text": "nothing", "speaker": ("The ministry", "Ministry of Defence", "ISRGOV")},),
    ),
)


@pytest.fixture
def store(tmp_path: Any) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "q.db") as s:
        for result in CORPUS:
            s.save_result(result)
        yield s


def event_ids(store: SQLiteStore, **filters: Any) -> list[str]:
    return [e["id"] for e in store.list_events(EventFilter(**filters))]


def quote_ids(store: SQLiteStore, **filters: Any) -> list[str]:
    return [q["id"] for q in store.list_quotes(QuoteFilter(**filters))]


def article_ids(store: SQLiteStore, **filters: Any) -> list[str]:
    return [a["id"] for a in store.list_articles(ArticleFilter(**filters))]


# --- events --------------------------------------------------------------------------------------------


def test_list_events_orders_by_date_then_id_undated_first(store: SQLiteStore) -> None:
    # ev-move has no date and an undated article; ev-protest falls back to 2024-03-10; ev-arrest is Feb.
    assert event_ids(store) == ["ev-move", "ev-arrest", "ev-protest", "ev-call"]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("biden", ["ev-call"]),
        ("JOE BIDEN", ["ev-call"]),
        ("netanyahu", ["ev-call"]),  # recipients count too
        ("USA", ["ev-call"]),  # code prefix
        ("usagov", ["ev-call"]),
        ("FRA", ["ev-arrest", "ev-protest"]),
        ("GOV", []),  # a code matches by prefix only
        ("élysée", ["ev-protest"]),  # Unicode case folding
        ("police", ["ev-arrest"]),  # the mention text when there is no name
        ("troops", ["ev-move"]),
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
    ],
)
def test_list_events_actor_filter(store: SQLiteStore, actor: str, expected: list[str]) -> None:
    assert event_ids(store, actor=actor) == expected


@pytest.mark.parametrize(
    ("type_", "expected"),
    [("protest", ["ev-protest"]), ("CONSULT", ["ev-call"]), ("Coerce", ["ev-arrest"]), ("AID", [])],
)
def test_list_events_type_filter_is_case_insensitive(
    store: SQLiteStore, type_: str, expected: list[str]
) -> None:
    assert event_ids(store, type=type_) == expected


def test_list_events_factuality_filter(store: SQLiteStore) -> None:
    assert event_ids(store, factuality="negated") == ["ev-arrest"]
    assert event_ids(store, factuality="asserted") == ["ev-move", "ev-protest", "ev-call"]


def test_list_events_article_filter(store: SQLiteStore) -> None:
    assert event_ids(store, article_id="a-protest") == ["ev-arrest", "ev-protest"]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        # ev-call's own date (05-06) counts, not its article's (05-07).
        (dt.date(2024, 5, 6), dt.date(2024, 5, 6), ["ev-call"]),
        (dt.date(2024, 5, 7), None, []),
        # ev-protest has no date: its article's published date (03-10) stands in.
        (dt.date(2024, 3, 10), dt.date(2024, 3, 10), ["ev-protest"]),
        # ev-arrest is "2024-02": any overlap with the month matches.
        (dt.date(2024, 2, 15), dt.date(2024, 2, 15), ["ev-arrest"]),
        (None, dt.date(2024, 1, 31), []),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), ["ev-arrest", "ev-protest", "ev-call"]),
    ],
)
def test_list_events_date_filter_with_published_fallback(
    store: SQLiteStore, since: dt.date | None, until: dt.date | None, expected: list[str]
) -> None:
    assert event_ids(store, since=since, until=until) == expected


def test_list_events_dict_shape(store: SQLiteStore) -> None:
    """The contract's event object, unchanged, then the article, date range, sentence and linking fields."""
    (call,) = store.list_events(EventFilter(actor="biden"))
    assert call == {
        "id": "ev-call",
        "type": "CONSULT",
        "mode": None,
        "cameo": "040",
        "quad_class": 1,
        "goldstein": 1.0,
        "actors": [
            {
                "text": "Joe Biden",
                "name": "Joe Biden",
                "code": "USAGOV",
                "start": 0,
                "end": 9,
                "actor_id": None,
            }
        ],
        "recipients": [
            {
                "text": "Benjamin Netanyahu",
                "name": "Benjamin Netanyahu",
                "code": "ISRGOV",
                "start": 17,
                "end": 35,
                "actor_id": None,
            }
        ],
        "reported_by": {
            "text": "the White House",
            "name": "White House",
            "code": "USAGOV",
            "start": 0,
            "end": 0,
            "actor_id": None,
        },
        "date": "2024-05-06",
        "date_precision": "unknown",
        "date_source": "unknown",
        "date_basis": "unknown",
        "place": {
            "id": "p-wash",
            "name": "Washington",
            "country": "USA",
            "lat": 38.9,
            "lon": -77.0,
            "geonameid": 4140963,
            "precision": "city",
            "confidence": 0.5,
            "evidence": None,
        },
        "place_source": None,
        "factuality": "asserted",
        "trigger": {"text": "called", "start": 10, "end": 16},
        "sentence": {"start": 0, "end": 36},
        "confidence": 0.5,
        "evidence": "",
        "article_id": "a-call",
        "article_title": "Biden calls Netanyahu",
        "article_source": "a-call.txt",
        "article_published": "2024-05-07",
        "date_first": "2024-05-06",
        "date_last": "2024-05-06",
        "sentence_text": "Joe Biden called Benjamin Netanyahu.",
        "happening_id": None,
        "story_id": None,
        "happening_factuality": "asserted",
        "contradicts": [],
        "n_mentions": 1,
        "n_articles": 1,
        "n_sources": 1,
        "mentions": [
            {
                "article_id": "a-call",
                "event_id": "ev-call",
                "trigger": {"text": "called", "start": 10, "end": 16},
                "sentence": {"start": 0, "end": 36},
                "factuality": "asserted",
                "published": "2024-05-07",
                "duplicate_of": None,
            }
        ],
    }


def test_list_events_contract_fields_come_first_and_match_the_stored_article(store: SQLiteStore) -> None:
    contract = store.get_article("a-protest")
    assert contract is not None
    listed = store.list_events(EventFilter(article_id="a-protest"))
    by_id = {e["id"]: e for e in listed}
    for event in contract["events"]:
        row = by_id[event["id"]]
        assert list(row)[: len(event)] == list(event)
        assert {k: row[k] for k in event} == event


def test_list_events_sentence_is_sliced_from_the_stored_text(store: SQLiteStore) -> None:
    events = {e["id"]: e for e in store.list_events(EventFilter(article_id="a-protest"))}
    assert events["ev-protest"]["sentence_text"] == "Students protested outside the Élysée."
    assert events["ev-arrest"]["sentence_text"] == "The police arrested ten."


# --- quotes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("kirby", ["a-call-q0"]),
        ("john", ["a-call-q0"]),
        ("USA", ["a-call-q0"]),
        ("ISR", ["a-undated-q0"]),
        ("ministry", ["a-undated-q0"]),
        ("SRGOV", []),
    ],
)
def test_list_quotes_speaker_filter(store: SQLiteStore, speaker: str, expected: list[str]) -> None:
    assert quote_ids(store, speaker=speaker) == expected


def test_list_quotes_orders_by_published_and_filters_dates(store: SQLiteStore) -> None:
    assert quote_ids(store) == ["a-undated-q0", "a-protest-q0", "a-call-q0"]
    assert quote_ids(store, since=dt.date(2024, 4, 1)) == ["a-call-q0"]
    assert quote_ids(store, until=dt.date(2024, 4, 1)) == ["a-protest-q0"]
    assert quote_ids(store, article_id="a-call") == ["a-call-q0"]


def test_list_quotes_dict_shape(store: SQLiteStore) -> None:
    """The contract's quote object, unchanged, then its article."""
    assert store.list_quotes(QuoteFilter(speaker="kirby")) == [
        {
            "id": "a-call-q0",
            "text": "we oppose it",
            "start": 49,
            "end": 61,
            "kind": "direct",
            "cue_type": "speech",
            "content_kind": "quote",
            "cue": "said",
            "cue_span": {"start": 43, "end": 47},
            "speaker": {
                "text": "Kirby",
                "name": "John Kirby",
                "code": "USAGOV",
                "start": 37,
                "end": 42,
                "actor_id": None,
            },
            "confidence": 0.5,
            "evidence": "",
            "article_id": "a-call",
            "article_title": "Biden calls Netanyahu",
            "article_source": "a-call.txt",
            "article_published": "2024-05-07",
        }
    ]
    assert store.list_quotes(QuoteFilter(article_id="a-protest"))[0]["speaker"] is None


# --- articles ------------------------------------------------------------------------------------------


def test_list_articles_filters_and_counts(store: SQLiteStore) -> None:
    assert article_ids(store) == ["a-undated", "a-protest", "a-call"]
    assert article_ids(store, query="netanyahu") == ["a-call"]  # title
    assert article_ids(store, query="ÉLYSÉE") == ["a-protest"]  # text, Unicode case folding
    assert article_ids(store, since=dt.date(2024, 3, 10), until=dt.date(2024, 3, 10)) == ["a-protest"]
    (protest,) = store.list_articles(ArticleFilter(query="paris"))
    assert {k: protest[k] for k in ("published", "published_earliest", "event_count", "quote_count")} == {
        "published": "2024-03-10",
        "published_earliest": None,
        "event_count": 2,
        "quote_count": 1,
    }
    assert {k: protest[k] for k in ("sources", "duplicate_of", "story_id")} == {
        "sources": ["a-protest.txt"],
        "duplicate_of": None,
        "story_id": None,
    }


# --- pagination ----------------------------------------------------------------------------------------


@pytest.fixture
def big_store() -> Iterator[SQLiteStore]:
    text = "Talks. " * (MAX_LIMIT + 20)
    events = tuple(
        Event(f"ev-{i:04d}", "CONSULT", None, "040", (), (), "asserted", Span(7 * i, 7 * i + 5, "Talks"),
              Span(7 * i, 7 * i + 6, "Talks."), date=f"2024-01-{1 + i % 28:02d}")
        for i in range(MAX_LIMIT + 20)
    )  # fmt: skip
    result = ArticleResult(Article("big", "big.txt", text, published=dt.date(2024, 2, 1)), events=events)
    with SQLiteStore(":memory:") as s:
        s.save_result(result)
        yield s


def test_list_events_limit_is_capped(big_store: SQLiteStore) -> None:
    assert len(big_store.list_events(EventFilter(limit=10_000))) == MAX_LIMIT
    assert EventFilter(limit=10_000).page_size == MAX_LIMIT
    assert len(big_store.list_events(EventFilter())) == 50


def test_list_events_keyset_pages_cover_everything_once(big_store: SQLiteStore) -> None:
    everything = [e["id"] for e in big_store.list_events(EventFilter(limit=MAX_LIMIT, offset=0))]
    everything += [e["id"] for e in big_store.list_events(EventFilter(limit=MAX_LIMIT, offset=MAX_LIMIT))]
    walked: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        filters = EventFilter(limit=77, after=cursor)
        page = big_store.list_events(filters)
        walked += [e["id"] for e in page]
        pages += 1
        cursor = next_cursor(page, filters)
        if cursor is None:
            break
    assert walked == everything
    assert len(set(walked)) == MAX_LIMIT + 20
    assert pages == 7


def test_next_cursor_works_for_quotes_and_articles(store: SQLiteStore) -> None:
    first = QuoteFilter(limit=2)
    page = store.list_quotes(first)
    rest = store.list_quotes(QuoteFilter(limit=2, after=next_cursor(page, first)))
    assert [q["id"] for q in page + rest] == quote_ids(store)
    first_articles = ArticleFilter(limit=1)
    page = store.list_articles(first_articles)
    rest = store.list_articles(ArticleFilter(after=next_cursor(page, first_articles)))
    assert [a["id"] for a in page + rest] == article_ids(store)


@pytest.mark.parametrize(
    "bad", [{"limit": 0}, {"limit": -5}, {"offset": -1}, {"after": "not a cursor"}, {"after": "WzFd"}]
)
def test_filters_reject_bad_paging(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        EventFilter(**bad)


def test_query_format_style_for_psycopg() -> None:
    query = Query("SELECT 1 WHERE a = ? AND b LIKE ? ESCAPE '\\' AND c = '50%'", (1, "%x%"))
    assert query.format_style() == Query(
        "SELECT 1 WHERE a = %s AND b LIKE %s ESCAPE '\\' AND c = '50%%'", (1, "%x%")
    )
