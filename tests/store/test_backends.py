"""One store suite, run on SQLite and on the real PostgreSQL server (`store_url` is parametrised).

Hostile content (NUL, emoji, astral characters, very long strings), re-ingest, duplicates, quarantine,
the run ledger, links, listings and concurrent writers must behave the same on both backends.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from newsevents.contract import result_to_dict
from newsevents.model import ReasonCode, Rejected
from newsevents.store import ArticleFilter, EventFilter, QuoteFilter, StoryFilter, open_store
from newsevents.store.rows import scrub_nul
from tests.store.test_sqlite import make_result


def _from(result: Any, source: str) -> Any:
    return dataclasses.replace(result, article=dataclasses.replace(result.article, source=source))


def _hostile(article_id: str, filler: str) -> Any:
    """A result whose text holds NUL, emoji, astral and combining characters and a very long run."""
    base = make_result(article_id)
    text = base.article.text + " \x00 🇺🇦 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301 " + filler
    article = dataclasses.replace(base.article, text=text, title="Title with \x00 NUL and 🙂 emoji")
    return dataclasses.replace(base, article=article)


def test_hostile_strings_round_trip_the_same_on_every_backend(store_url: str) -> None:
    long = "x" * 1_000_000
    result = _hostile("hostile", long)
    with open_store(store_url) as store:
        assert store.save_result(result) == "new"
        stored = store.get_article("hostile")
        assert stored == scrub_nul(result_to_dict(result))
        assert stored is not None
        text = stored["article"]["text"]
        assert "\ufffd 🇺🇦 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301" in text
        assert len(text) == len(result.article.text)  # one character for one: offsets stay right
        assert text.endswith(long)
        # Offsets still slice the stored text exactly.
        for event in stored["events"]:
            trigger = event["trigger"]
            assert text[trigger["start"] : trigger["end"]] == trigger["text"]
        (row,) = store.list_articles(ArticleFilter(query="emoji"))
        assert row["title"] == "Title with \ufffd NUL and 🙂 emoji"


def test_reingest_adds_no_rows_and_keeps_the_dump(store_url: str) -> None:
    results = [make_result(f"a{i}", content_hash=f"h{i}") for i in range(3)]
    with open_store(store_url) as store:
        assert [store.save_result(r) for r in results] == ["new"] * 3
        counts, digest = store.counts(), store.dump_hash()
        assert [store.save_result(r) for r in results] == ["unchanged"] * 3
        assert store.counts() == counts
        assert store.dump_hash() == digest
        # The same article from another source is a duplicate: one more source, no new rows elsewhere.
        assert store.save_result(_from(results[0], "mirror/a0.txt")) == "duplicate"
        assert store.counts() == counts
        (article,) = [a for a in store.list_articles(ArticleFilter()) if a["id"] == "a0"]
        assert sorted(article["sources"]) == ["a0.txt", "mirror/a0.txt"]
        assert store.integrity_problems() == []


def test_update_replaces_items_and_keeps_shared_identities(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_result(make_result("a1"))
        assert store.save_result(make_result("a1", content_hash="other", events=())) == "updated"
        assert store.counts()["events"] == 0
        assert store.counts()["actors"] > 0  # identities are shared and kept


def test_listings_and_filters(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_result(make_result("a1"))
        assert [e["type"] for e in store.list_events(EventFilter(actor="biden", mentions=True))] == [
            "CONSULT"
        ]
        assert [e["type"] for e in store.list_events(EventFilter(type="MOBILIZE", mentions=True))] == [
            "MOBILIZE"
        ]
        assert store.list_events(EventFilter(actor="nobody", mentions=True)) == []
        assert [q["speaker"]["name"] for q in store.list_quotes(QuoteFilter(speaker="KIRBY"))] == [
            "John Kirby"
        ]
        stats = store.stats()
        assert stats["counts"]["events"] == 2


def test_quarantine_and_its_clearing(store_url: str) -> None:
    bad = Rejected("in/a.jsonl:3", "ingest", ReasonCode.MALFORMED, "line 3: not JSON")
    with open_store(store_url) as store:
        store.save_rejection(bad)
        store.save_rejection(bad)
        (row,) = store.list_rejections()
        assert (row["source"], row["reason"], row["seen_count"]) == ("in/a.jsonl:3", "malformed", 2)
        # A filtered unit is not quarantine.
        store.save_rejection(Rejected("w.warc@0", "ingest", ReasonCode.NOT_ARTICLE, "warcinfo record"))
        assert len(store.list_rejections()) == 1
        # The line fixed and read again: saved, and out of quarantine.
        store.save_result(_from(make_result("fixed"), "in/a.jsonl:3"))
        assert store.list_rejections() == []


def test_run_ledger_balances(store_url: str) -> None:
    with open_store(store_url) as store:
        run = store.start_run("process", ["in"], {"model": "test"})
        store.save_result(_from(make_result("a1"), "in/1.txt"), run_id=run)
        store.save_result(_from(make_result("a1"), "in/1-copy.txt"), run_id=run)
        store.save_result(_from(make_result("a2", content_hash="h2"), "in/2.txt"), run_id=run)
        store.save_rejection(Rejected("in/3.txt", "ingest", ReasonCode.EMPTY, "empty file"), run_id=run)
        store.save_rejection(Rejected("in/x.warc@0", "ingest", ReasonCode.NOT_ARTICLE, "request"), run_id=run)
        done = store.finish_run(run)
        assert done["status"] == "finished"
        assert done["counts"] == {
            "stored": 2,
            "duplicate": 1,
            "unchanged": 0,
            "quarantined": 1,
            "filtered": 1,
        }
        assert done["received"] == 5
        assert done["reasons"] == {
            "filtered:not_article": 1,
            "quarantined:empty": 1,
            "stored:new": 2,
        }
        again = store.start_run("process", ["in"])
        store.save_result(_from(make_result("a1"), "in/1.txt"), run_id=again)
        assert store.finish_run(again)["counts"]["unchanged"] == 1
        assert [r["id"] for r in store.list_runs()] == [again, run]
        assert store.get_run(run[:-3]) is None or store.get_run(run[:-3])["id"] in (run, again)
        units = store.run_units(run, "quarantined")
        assert [(u["source"], u["reason"]) for u in units] == [("in/3.txt", "empty")]


def test_a_dead_running_run_is_marked_interrupted(store_url: str) -> None:
    with open_store(store_url) as store:
        run = store.start_run("process", ["in"])
        # Pretend its process died: a pid that cannot exist.
        store._execute("UPDATE runs SET pid = ? WHERE id = ?", (2**22 + 12345, run))  # type: ignore[attr-defined]
        store.start_run("process", ["in"])
        got = store.get_run(run)
        assert got is not None and got["status"] == "interrupted"


def test_links_and_stories(store_url: str) -> None:
    from newsevents.link import link_store

    with open_store(store_url) as store:
        store.save_result(make_result("a1"))
        store.save_result(make_result("a2", content_hash="h2"))
        assert store.links_stale()
        summary = link_store(store)
        assert not store.links_stale()
        assert summary.stories >= 1
        stories = store.list_stories(StoryFilter())
        assert sorted(a for s in stories for a in s["articles"]) == ["a1", "a2"]
        story = store.get_story(stories[0]["id"])
        assert story is not None and story["id"] == stories[0]["id"]
        digest = store.dump_hash()
        link_store(store)
        assert store.dump_hash() == digest


def test_concurrent_writers_end_like_one_writer(store_url: str, tmp_path: Any) -> None:
    results = [make_result(f"c{i}", content_hash=f"h{i}") for i in range(12)]
    errors: list[BaseException] = []

    def write(part: list[Any]) -> None:
        try:
            with open_store(store_url) as store:
                for r in part:
                    store.save_result(r)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    # Two writers with overlapping halves (the middle four articles are written by both).
    threads = [
        threading.Thread(target=write, args=(results[:8],)),
        threading.Thread(target=write, args=(results[4:],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with open_store(store_url) as store:
        concurrent = store.dump_hash()
        assert store.counts()["articles"] == 12
        assert store.integrity_problems() == []
    with open_store(tmp_path / "serial.db") as serial:
        for r in results:
            serial.save_result(r)
        assert serial.dump_hash() == concurrent


def test_both_backends_dump_the_same(postgres_url: str, tmp_path: Any) -> None:
    """The same saves on SQLite and PostgreSQL give the same canonical dump."""
    from newsevents.link import link_store

    results = [make_result("a1"), _hostile("h1", "y" * 5000), make_result("a2", content_hash="h2")]
    hashes = []
    for url in (str(tmp_path / "x.db"), postgres_url):
        with open_store(url) as store:
            for r in results:
                store.save_result(r)
            store.save_rejection(Rejected("bad.txt", "ingest", ReasonCode.EMPTY, "empty file"))
            link_store(store)
            hashes.append(store.dump_hash())
    assert hashes[0] == hashes[1]


def _paged(store: Any, filters: EventFilter) -> list[dict[str, Any]]:
    """Every row of a listing read with the keyset cursor, three at a time."""
    from newsevents.store.queries import next_cursor

    page = dataclasses.replace(filters, limit=3)
    out: list[dict[str, Any]] = []
    while True:
        rows = store.list_events(page)
        out.extend(rows)
        cursor = next_cursor(rows, page)
        if cursor is None:
            return out
        page = dataclasses.replace(page, after=cursor)


def test_streamed_events_equal_the_paged_listing(store_url: str) -> None:
    import datetime as dt

    from newsevents.link import link_store

    with open_store(store_url) as store:
        for i in range(9):
            published = None if i % 4 == 0 else dt.date(2024, 5, 1 + i)
            store.save_result(make_result(f"s{i}", content_hash=f"h{i}", published=published))
        link_store(store)
        filters = [
            EventFilter(),
            EventFilter(mentions=True),
            EventFilter(type="consult"),
            EventFilter(actor="netanyahu", mentions=True),
            EventFilter(since=dt.date(2024, 5, 4)),
        ]
        for f in filters:
            streamed = list(store.iter_events(f, chunk=2))  # chunks interleave with the follow-up queries
            assert streamed == _paged(store, f)
        assert len(list(store.iter_events(EventFilter(mentions=True)))) == store.counts()["events"]
        # An abandoned stream releases its read snapshot: writing afterwards works.
        stream = store.iter_events(EventFilter(), chunk=1)
        next(stream)
        stream.close()
        assert store.save_result(make_result("late", content_hash="late")) == "new"
        assert any(e["article_id"] == "late" for e in store.iter_events(EventFilter(mentions=True)))


def _write_in_process(url: str, ids: list[int]) -> None:
    with open_store(url) as store:
        for i in ids:
            store.save_result(make_result(f"p{i}", content_hash=f"h{i}"))


def test_concurrent_writer_processes_end_like_one_writer(store_url: str, tmp_path: Any) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    # Three processes with overlapping thirds; each opens the store itself (and may race to migrate it).
    parts = [list(range(0, 8)), list(range(4, 12)), list(range(8, 16))]
    workers = [context.Process(target=_write_in_process, args=(store_url, part)) for part in parts]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    with open_store(store_url) as store:
        assert store.counts()["articles"] == 16
        assert store.integrity_problems() == []
        concurrent = store.dump_hash()
    with open_store(tmp_path / "serial.db") as serial:
        for i in range(16):
            serial.save_result(make_result(f"p{i}", content_hash=f"h{i}"))
        assert serial.dump_hash() == concurrent


def test_role_place_and_source_filters(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_result(make_result("r1"))
        store.save_result(_from(make_result("r2", content_hash="h2"), "feeds/other.xml#2"))
        every = store.list_events(EventFilter(mentions=True, limit=500))

        def names(refs: list[dict[str, Any]]) -> str:
            return " ".join(f"{r.get('name')} {r.get('code')}".lower() for r in refs)

        def ids(f: EventFilter) -> set[str]:
            return {e["id"] for e in store.list_events(f)}

        def want(keep: Any) -> set[str]:
            return {e["id"] for e in every if keep(e)}

        assert ids(EventFilter(mentions=True, recipient="netanyahu")) == want(
            lambda e: "netanyahu" in names(e["recipients"])
        )
        assert ids(EventFilter(mentions=True, recipient="netanyahu"))
        assert ids(EventFilter(mentions=True, dyad=("USA", "ISR"))) == want(
            lambda e: "usa" in names(e["actors"]) and "isr" in names(e["recipients"])
        )
        assert ids(EventFilter(mentions=True, dyad=("ISR", "USA"))) == want(
            lambda e: "isr" in names(e["actors"]) and "usa" in names(e["recipients"])
        )
        assert ids(EventFilter(mentions=True, dyad=("USA", ""))) == want(
            lambda e: "usa" in names(e["actors"])
        )
        placed = [e for e in every if e.get("place")]
        assert placed, "make_result has a placed event"
        country = placed[0]["place"]["country"]
        assert ids(EventFilter(mentions=True, country=country.lower())) == want(
            lambda e: (e.get("place") or {}).get("country") == country
        )
        name = placed[0]["place"]["name"]
        assert ids(EventFilter(mentions=True, place=name[1:4].upper())) == want(
            lambda e: name[1:4].lower() in ((e.get("place") or {}).get("name") or "").lower()
        )
        assert {
            e["article_id"] for e in store.list_events(EventFilter(mentions=True, source="OTHER.xml"))
        } == {"r2"}
        assert ids(EventFilter(mentions=True, place="100%_")) == set()  # LIKE wildcards are literal


def test_browse_listings_and_aggregates(store_url: str) -> None:
    import datetime as dt

    from newsevents.store import ActorFilter, PlaceFilter, PositionFilter

    with open_store(store_url) as store:
        store.save_result(make_result("b1"))
        store.save_result(make_result("b2", content_hash="h2", published=dt.date(2024, 6, 3)))
        mentions = store.list_events(EventFilter(mentions=True, limit=500))
        actors = store.list_actors(ActorFilter(limit=500))
        assert [a["name"] for a in actors] == sorted(a["name"] for a in actors)
        biden = [a for a in store.list_actors(ActorFilter(query="usagov"))]
        assert biden and all(a["code"].startswith("USAGOV") for a in biden)
        assert sum(a["n_events"] for a in actors) >= len(mentions)
        places = store.list_places(PlaceFilter(limit=500))
        assert all(p["n_events"] >= 0 for p in places)
        positions = store.list_positions(PositionFilter(limit=500))
        for p in positions:
            assert p["evidence"]["text"]
        days = store.event_histogram(EventFilter(mentions=True))
        dated = [m for m in mentions if m.get("date_first")]
        assert sum(d["n"] for d in days) == len(dated)
        weeks = store.event_histogram(EventFilter(mentions=True), "week")
        assert sum(w["n"] for w in weeks) == len(dated)
        assert all(dt.date.fromisoformat(w["period"]).weekday() == 0 for w in weeks)
        years = store.event_histogram(EventFilter(mentions=True), "year")
        assert sum(y["n"] for y in years) == len(dated) and all(len(y["period"]) == 4 for y in years)
        auto = store.event_histogram(EventFilter(mentions=True), "auto")
        assert auto and {a["interval"] for a in auto} == {"day"}  # the store spans days, not years
        assert sum(a["n"] for a in auto) == len(dated)
        located = store.event_places(EventFilter(mentions=True))
        assert sum(p["n"] for p in located) == sum(
            1 for m in mentions if (m.get("place") or {}).get("lat") is not None
        )
        pairs = store.event_dyads(EventFilter(mentions=True))
        assert sum(p["n"] for p in pairs) == sum(len(m["actors"]) * len(m["recipients"]) for m in mentions)
        assert store.event_dyads(EventFilter(mentions=True, type="no-such-type")) == []


_LISTING = "SELECT id, listed, span_first, span_last FROM events ORDER BY id"
#: What the listing columns mean, as the joins they stand for (migration 0010_event_listing).
_LISTING_BY_JOIN = (
    "SELECT e.id, CASE WHEN h.id IS NULL OR h.event_id = e.id THEN 1 ELSE 0 END AS listed,"
    " COALESCE(h.date_first, e.date_first, '') AS span_first,"
    " COALESCE(h.date_last, e.date_last, '') AS span_last"
    " FROM events e LEFT JOIN happenings h ON h.id = e.happening_id ORDER BY e.id"
)


def _listing(store: Any, sql: str) -> list[tuple[Any, ...]]:
    from newsevents.store.queries import Query

    with store._read():  # the columns are internal: read them as the listings do
        rows = store._fetch(Query(sql))
    return [(r["id"], int(r["listed"]), r["span_first"], r["span_last"]) for r in rows]


def test_listing_columns_follow_saves_links_and_the_migration(store_url: str) -> None:
    import datetime as dt

    from newsevents.link import link_store
    from newsevents.store.migrations import REFRESH_EVENT_LISTING

    with open_store(store_url) as store:
        for i in range(6):
            published = None if i == 0 else dt.date(2024, 5, 1 + i)
            store.save_result(make_result(f"l{i}", content_hash=f"h{i}", published=published))
        saved = _listing(store, _LISTING)
        assert {row[1] for row in saved} == {1}  # before linking every event is its own happening
        assert saved == _listing(store, _LISTING_BY_JOIN)
        link_store(store)
        linked = _listing(store, _LISTING)
        assert linked == _listing(store, _LISTING_BY_JOIN)
        assert 0 < sum(row[1] for row in linked) < len(linked)  # reports of one happening are listed once
        listed = store.list_events(EventFilter(limit=500))
        assert len(listed) == sum(row[1] for row in linked) == store.counts()["happenings"]
        # A re-saved article's events are unlinked until the next link, and listed on their own days.
        store.save_result(make_result("l3", content_hash="changed", published=dt.date(2025, 1, 1)))
        assert _listing(store, _LISTING) == _listing(store, _LISTING_BY_JOIN)
        link_store(store)
        assert _listing(store, _LISTING) == _listing(store, _LISTING_BY_JOIN)
        # The migration's statement rebuilds the columns of a store written before them.
        relinked = _listing(store, _LISTING)
        with store._transaction():
            store._execute("UPDATE events SET listed = 1, span_first = '', span_last = ''")
            store._execute(REFRESH_EVENT_LISTING)
        assert _listing(store, _LISTING) == relinked
