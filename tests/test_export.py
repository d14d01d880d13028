"""Exports: every happening once, CAMEO codes as strings, spreadsheet-safe cells, streamed past one page."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.export import FLAT_COLUMNS, export_events, safe_cell
from newsevents.link import link_store
from newsevents.store import EventFilter, SQLiteStore
from newsevents.store.queries import MAX_LIMIT
from tests.store.test_sqlite import make_result


@pytest.fixture
def store() -> Any:
    with SQLiteStore(":memory:") as s:
        s.save_result(make_result("art-1", title='=HYPERLINK("http://x")'))
        s.save_result(make_result("art-2", content_hash="hash-2"))
        link_store(s)
        yield s


def _export(store: SQLiteStore, fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    export_events(store, EventFilter(**kw.pop("filters", {})), fmt, out, **kw)
    return out.getvalue()


def test_csv_has_every_happening_with_cameo_codes_as_strings_and_escaped_formulas(store: SQLiteStore) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, "csv"))))
    happenings = store.list_events(EventFilter(limit=MAX_LIMIT))
    assert len(rows) == len(happenings) and list(rows[0]) == list(FLAT_COLUMNS)
    assert {r["happening_id"] for r in rows} == {h["happening_id"] for h in happenings}
    assert all(len(r["cameo"]) == 3 and r["cameo"].isdigit() for r in rows)  # "040", never 40
    titles = {r["article_title"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in titles and '=HYPERLINK("http://x")' not in titles
    raw = {r["article_title"] for r in csv.DictReader(io.StringIO(_export(store, "csv", raw=True)))}
    assert '=HYPERLINK("http://x")' in raw


def test_numbers_stay_numbers_and_tsv_matches_csv(store: SQLiteStore) -> None:
    assert safe_cell("-2.0") == "'-2.0"  # text cells are escaped, numeric columns are not:
    rows = list(csv.DictReader(io.StringIO(_export(store, "tsv")), delimiter="\t"))
    assert all(float(r["goldstein"]) == float(r["goldstein"]) for r in rows if r["goldstein"])
    assert len(rows) == len(list(csv.DictReader(io.StringIO(_export(store, "csv")))))


def test_jsonl_is_the_listing_and_plover_names_the_fields(store: SQLiteStore) -> None:
    listed = store.list_events(EventFilter(limit=MAX_LIMIT))
    assert [json.loads(line) for line in _export(store, "jsonl").splitlines()] == json.loads(
        json.dumps(listed)
    )
    plover = [json.loads(line) for line in _export(store, "plover").splitlines()]
    assert {"event_type", "actor", "recipient", "actor_country", "source_text", "date"} <= set(plover[0])
    assert {p["id"] for p in plover} == {e["happening_id"] for e in listed}


def test_filters_apply_and_an_unknown_format_is_an_error(store: SQLiteStore) -> None:
    consult = [json.loads(x) for x in _export(store, "jsonl", filters={"type": "CONSULT"}).splitlines()]
    assert consult and all(e["type"] == "CONSULT" for e in consult)
    with pytest.raises(ValueError, match="unknown export format"):
        _export(store, "xlsx")


def test_export_streams_past_one_page(tmp_path: Any) -> None:
    with SQLiteStore(tmp_path / "n.db") as s:
        for k in range(MAX_LIMIT // 2 + 5):  # two events each: more than one page
            s.save_result(make_result(f"a{k}", content_hash=f"h{k}"))
        out = io.StringIO()
        n = export_events(s, EventFilter(mentions=True), "csv", out)
    assert n == 2 * (MAX_LIMIT // 2 + 5) > MAX_LIMIT
    ids = [r["event_id"] for r in csv.DictReader(io.StringIO(out.getvalue()))]
    assert len(ids) == len(set(ids)) == n


def test_cli_export_to_a_file(tmp_path: Any, store: SQLiteStore) -> None:
    db = tmp_path / "n.db"
    with SQLiteStore(db) as s:
        s.save_result(make_result("art-1"))
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 2 row(s) as csv" in result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("happening_id,event_id")


def test_gdelt_events_and_mentions_have_gdelts_columns(store: SQLiteStore) -> None:
    from newsevents.export import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS

    assert len(GDELT_EVENT_COLUMNS) == 61 and len(GDELT_MENTION_COLUMNS) == 16
    happenings = store.list_events(EventFilter(limit=MAX_LIMIT))
    events = [
        dict(zip(GDELT_EVENT_COLUMNS, line.split("\t"), strict=True))
        for line in _export(store, "gdelt-events").splitlines()
    ]
    assert len(events) == len(happenings)
    by_id = {h["happening_id"]: h for h in happenings}
    for row in events:
        h = by_id[row["GLOBALEVENTID"]]
        assert row["EventCode"] == h["cameo"] and row["EventRootCode"] == h["cameo"][:2]
        assert row["NumMentions"] == str(h["n_mentions"]) and row["Actor1Code"] == h["actors"][0]["code"]
        assert row["SQLDATE"] == (h["date_first"] or h["article_published"]).replace("-", "")
    mentions = [line.split("\t") for line in _export(store, "gdelt-mentions").splitlines()]
    assert all(len(m) == 16 for m in mentions)
    assert len(mentions) == sum(len(h["mentions"]) for h in happenings)


def test_cli_export_takes_the_listing_filters(tmp_path: Any) -> None:
    db = tmp_path / "n.db"
    with SQLiteStore(db) as s:
        s.save_result(make_result("art-1"))
        wanted = s.list_events(EventFilter(mentions=True, dyad=("USA", "ISR")))
    assert wanted

    def export(*args: str) -> list[dict[str, str]]:
        result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "csv", "--mentions", *args])
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout)))

    assert {r["event_id"] for r in export("--dyad", "USA,ISR")} == {e["id"] for e in wanted}
    assert export("--dyad", "ISR,USA", "--recipient", "nobody-at-all") == []
    assert export("--source", "no-such-source") == []
    bad = CliRunner().invoke(cli, ["--db", str(db), "export", "--dyad", "USA"])
    assert bad.exit_code == 2 and "ACTOR,RECIPIENT" in bad.output


def test_query_filter_matches_the_sentence_or_title(store: SQLiteStore) -> None:
    every = store.list_events(EventFilter(mentions=True, limit=MAX_LIMIT))
    word = every[0]["sentence_text"].split()[1]
    found = store.list_events(EventFilter(mentions=True, query=word.upper(), limit=MAX_LIMIT))
    assert {e["id"] for e in found} == {
        e["id"]
        for e in every
        if word.lower() in (e["sentence_text"] + " " + (e["article_title"] or "")).lower()
    }
    assert store.list_events(EventFilter(query="no such words anywhere")) == []


def test_every_list_of_export_formats_is_the_same() -> None:
    from newsevents.cli._common import EXPORT_FORMATS
    from newsevents.export import FORMATS
    from newsevents.serve import api

    assert EXPORT_FORMATS == FORMATS == tuple(api._EXPORT_TYPES)
    schema = api.create_app(":memory:").openapi()
    (param,) = [p for p in schema["paths"]["/api/export"]["get"]["parameters"] if p["name"] == "format"]
    assert tuple(param["schema"]["enum"]) == FORMATS
