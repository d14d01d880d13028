"""The benchmark reports every stage as a ratio of bare spaCy (no timing assertions)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsevents.bench import run_bench
from newsevents.cli import cli
from newsevents.extract.registry import EXTRACTORS


@pytest.mark.model
def test_run_bench_reports_ratios_for_every_stage(nlp, samples_dir):
    texts = [(str(p), p.read_text()) for p in sorted(samples_dir.iterdir())]
    report = run_bench(texts, long_sizes=(2_000, 20_000))
    data = report.as_dict()
    assert data["docs"] == 2 and data["bare_spacy_seconds"] > 0
    # bench times exactly what the registry runs, in its order, after cleaning and parsing
    assert list(data["ratio_to_bare_spacy"]) == [
        "clean",
        "parse",
        *(e.name.split(".")[0] for e in EXTRACTORS),
    ]
    assert {"mentions", "positions"} <= set(data["ratio_to_bare_spacy"])
    assert data["peak_rss_mb"] > 0
    assert [row["chars"] for row in data["long_inputs"]] == [2_000, 20_000]
    assert all(row["clean_seconds"] >= 0 and row["extract_seconds"] > 0 for row in data["long_inputs"])
    assert set(data["long_input_ratio"]) == {"clean_seconds", "extract_seconds"}


@pytest.mark.model
def test_cli_bench_on_a_directory(nlp, samples_dir):
    result = CliRunner().invoke(cli, ["bench", str(samples_dir), "--limit", "1", "--no-long-inputs"])
    assert result.exit_code == 0, result.output
    assert "ratio" in result.output and "1 articles" in result.output


def test_perturbed_clones_keep_their_length_and_are_not_copies():
    from newsevents.bench import perturb
    from newsevents.link.copies import CopyInput, find_copies

    text = " ".join(
        f"Officials in Kabul said the talks would resume on day {n} of the month." for n in range(20)
    )
    clones = [perturb(text, k) for k in range(1, 4)]
    assert all(len(c) == len(text) for c in clones) and len(set(clones)) == 3
    assert find_copies([CopyInput(str(k), c) for k, c in enumerate([text, *clones])]) == {}


@pytest.mark.model
def test_cli_bench_links_stores_of_growing_size(nlp, samples_dir):
    result = CliRunner().invoke(cli, ["bench", str(samples_dir), "--link", "4,8", "--json"])
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.stdout)
    assert [r["articles"] for r in rows] == [4, 8]
    assert all(r["seconds"] >= 0 and r["peak_mb"] > 0 and r["stories"] >= 1 for r in rows)
    bad = CliRunner().invoke(cli, ["bench", str(samples_dir), "--link", "many"])
    assert bad.exit_code == 2 and "not a list of sizes" in bad.output


def test_generated_store_is_consistent_and_exports_stream(nlp, samples_dir, tmp_path):
    import json
    import sqlite3

    from newsevents.bench import generate_store
    from newsevents.store import EventFilter, SQLiteStore
    from newsevents.store.queries import iter_all

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(samples_dir.glob("*.txt"))]
    path = tmp_path / "gen.db"
    counts = generate_store(path, texts, 60)
    assert counts["happenings"] >= 60
    with pytest.raises(ValueError, match="exists"):
        generate_store(path, texts, 60)
    conn = sqlite3.connect(path)
    # The JSON ids follow the rewritten columns.
    assert (
        conn.execute("SELECT COUNT(*) FROM events WHERE json_extract(event_json, '$.id') != id").fetchone()[0]
        == 0
    )
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM articles WHERE json_extract(result_json, '$.article.id') != id"
        ).fetchone()[0]
        == 0
    )
    listed = {a for (j,) in conn.execute("SELECT articles_json FROM stories") for a in json.loads(j)}
    assert listed == {r[0] for r in conn.execute("SELECT id FROM articles")}
    # The listing columns follow the moved days: one listed row per happening, on its first day.
    by_join = conn.execute(
        "SELECT COUNT(*) FROM events e LEFT JOIN happenings h ON h.id = e.happening_id"
        " WHERE e.listed != (CASE WHEN h.id IS NULL OR h.event_id = e.id THEN 1 ELSE 0 END)"
        " OR e.span_first != COALESCE(h.date_first, e.date_first, '')"
    ).fetchone()[0]
    assert by_join == 0
    assert conn.execute("SELECT COUNT(*) FROM events WHERE listed = 1").fetchone()[0] == counts["happenings"]
    conn.close()
    with SQLiteStore(path) as store:
        assert store.integrity_problems() == []
        streamed = list(store.iter_events(EventFilter()))
        assert len(streamed) == counts["happenings"]
        assert streamed == list(iter_all(store.list_events, EventFilter()))


def test_cli_bench_export_reports_rows_and_peak_memory(nlp, samples_dir, tmp_path):
    import json

    db = tmp_path / "gen.db"
    args = ["bench", str(samples_dir), "--export", "40", "--export-db", str(db), "--formats", "csv,parquet"]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = {r["format"]: r for r in report["exports"]}
    assert set(rows) == {"(imports only)", "csv", "parquet"}
    assert rows["csv"]["rows"] == rows["parquet"]["rows"] == report["counts"]["happenings"] >= 40
    assert all(r["peak_rss_mb"] > 10 for r in rows.values())
    assert db.exists()
    again = CliRunner().invoke(cli, ["bench", "--export-db", str(db), "--formats", "plover"])  # reused as is
    assert again.exit_code == 0, again.output
    assert "generated in" not in again.output and "plover" in again.output
    bad = CliRunner().invoke(cli, ["bench", "--export-db", str(db), "--formats", "xlsx"])
    assert bad.exit_code == 2 and "unknown format xlsx" in bad.output
