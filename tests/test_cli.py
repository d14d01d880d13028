"""The command line: help everywhere, extract, process (idempotent), listings, errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import cli

COMMANDS = ["extract", "process", "articles", "events", "quotes", "summary", "info", "bench", "eval"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_cli_help_explains_every_command(runner, command):
    args = [command, "--help"] if command else ["--help"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 4


def test_cli_commands_are_documented_in_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for command in COMMANDS:
        assert f"newsevents {command}" in readme or ("newsevents --db" in readme and command in readme)


def test_cli_listing_without_database_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["--db", str(tmp_path / "none.db"), "events"])
    assert result.exit_code == 2
    assert "none.db" in result.output


def test_cli_bad_date_is_a_usage_error(runner, tmp_path):
    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    result = runner.invoke(cli, ["--db", str(db), "events", "--since", "yesterday"])
    assert result.exit_code == 2


@pytest.mark.model
def test_cli_extract_prints_json_lines(runner, samples_dir):
    result = runner.invoke(cli, ["extract", str(samples_dir)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(lines) == 2
    assert all(json.loads(ln)["schema_version"] == 1 for ln in lines)


@pytest.mark.model
def test_cli_extract_reads_stdin(runner):
    result = runner.invoke(
        cli, ["extract", "-"], input=" date 2024-05-07 Israel and Egypt held talks in Cairo on Monday."
    )
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["article"]["published"] == "2024-05-07"


@pytest.mark.model
def test_cli_extract_names_missing_file_and_goes_on(runner, tmp_path, samples_dir):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(cli, ["extract", str(missing), str(samples_dir)])
    assert result.exit_code == 0
    assert "nope.txt" in result.stderr
    assert len([ln for ln in result.stdout.splitlines() if ln.strip()]) == 2


@pytest.mark.model
def test_cli_extract_nothing_readable_exits_1(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(cli, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        # The run ledger records every run, so it grows by design; everything else must not.
        tables = [t for t in tables if t not in ("runs", "run_units")]
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.mark.model
def test_cli_process_twice_adds_nothing(runner, tmp_path, samples_dir):
    db = tmp_path / "n.db"
    first = runner.invoke(cli, ["--db", str(db), "process", str(samples_dir)])
    assert first.exit_code == 0, first.output
    assert "2 new" in first.stderr
    before = _counts(db)
    second = runner.invoke(cli, ["--db", str(db), "process", str(samples_dir)])
    assert second.exit_code == 0
    assert "2 unchanged" in second.stderr
    assert _counts(db) == before
    assert before["articles"] == 2 and before["events"] > 0 and before["quotes"] > 0

    events = runner.invoke(cli, ["--db", str(db), "events", "--json", "--actor", "Biden"])
    rows = [json.loads(ln) for ln in events.stdout.splitlines()]
    assert rows and all(
        any("Biden" in (r.get("name") or r.get("text") or "") for r in row["actors"] + row["recipients"])
        for row in rows
    )
    typed = runner.invoke(cli, ["--db", str(db), "events", "--json", "--type", "consult"])
    assert all(json.loads(ln)["type"] == "CONSULT" for ln in typed.stdout.splitlines())
    quotes = runner.invoke(cli, ["--db", str(db), "quotes", "--json", "--speaker", "Kirby"])
    assert any("We've made clear" in json.loads(ln)["text"] for ln in quotes.stdout.splitlines())
    since = runner.invoke(cli, ["--db", str(db), "articles", "--json", "--since", "2024-05-01"])
    assert len(since.stdout.splitlines()) == 1
    table = runner.invoke(cli, ["--db", str(db), "summary"])
    assert table.exit_code == 0 and "Events by type" in table.output


@pytest.mark.model
def test_cli_user_lexicon_recodes_an_actor(runner, tmp_path):
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "organizations.tsv").write_text(
        "name\taliases\tcode\tcountry\tkind\nKaramoja Youth Front\tKYF\tUGAREB\tUGA\tarmed_group\n"
    )
    text = " date 2024-05-07 The Karamoja Youth Front attacked a police post in Moroto."
    plain = json.loads(runner.invoke(cli, ["extract", "-"], input=text).stdout)
    custom = json.loads(runner.invoke(cli, ["--lexicons", str(lex), "extract", "-"], input=text).stdout)
    code = lambda d: {a["name"]: a["code"] for a in d["actors"]}.get("Karamoja Youth Front")  # noqa: E731
    assert code(plain) is None and code(custom) == "UGAREB"


@pytest.mark.issue(13)
@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_global_options_go_before_or_after_the_command(runner, tmp_path, where):
    db = tmp_path / "x.db"
    args = ["--db", str(db), "-q"]
    result = runner.invoke(cli, [*args, "articles"] if where == "before" else ["articles", *args])
    assert result.exit_code == 2 and "x.db" in result.output  # the listing looked at x.db


@pytest.mark.model
@pytest.mark.issue(13)
def test_cli_process_accepts_db_after_the_command(runner, tmp_path, samples_dir):
    db = tmp_path / "after.db"
    result = runner.invoke(cli, ["process", str(samples_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.exists() and "2 new" in result.stderr


@pytest.mark.issue(13)
@pytest.mark.parametrize("command", [["info"], ["eval", "actors"], ["extract", "-"]])
def test_cli_bad_lexicon_line_is_an_error_line_not_a_traceback(runner, tmp_path, command):
    (tmp_path / "organizations.tsv").write_text(
        "name\taliases\tcode\tcountry\tkind\nFoo Front\t\tnot a code\tUGA\tarmed_group\n"
    )
    result = runner.invoke(cli, ["--lexicons", str(tmp_path), *command], input="text")
    assert result.exit_code == 2, result.output
    assert "organizations.tsv:2" in result.stderr and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_eval_gold_dir_without_gold_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "time", "--gold-dir", str(tmp_path)])
    assert result.exit_code == 2 and "--gold-dir" in result.output


def test_cli_bench_without_corpus_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["bench", "--corpus", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no corpus" in result.output


@pytest.mark.model
def test_cli_process_of_the_directory_holding_the_store_reads_only_articles(runner, tmp_path, samples_dir):
    import shutil

    for path in samples_dir.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    db = tmp_path / "store.data"  # not a .db name: skipped because it is the store, not by its extension
    for _ in range(2):  # the second run finds the database, its WAL and shared memory beside the articles
        result = runner.invoke(cli, ["--db", str(db), "process", str(tmp_path)])
        assert result.exit_code == 0, result.output
    runs = runner.invoke(cli, ["--db", str(db), "runs", "--json"])
    last = json.loads(runs.stdout.splitlines()[0])  # the latest run first
    assert last["received"] == 2 and last["counts"]["quarantined"] == 0, last
