"""The pipeline: the registry that is checked is the one that runs; one article's failure stays its own."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.extract.registry import EXTRACTORS, check_extractors, extractors_for, run_extractors
from newsevents.model import RawArticle, ReasonCode, Rejected
from newsevents.pipeline import _clean, analyze_doc


def test_registry_order_is_valid():
    check_extractors()
    assert [e.provides for e in extractors_for("events")][-1] == "events"


@pytest.mark.parametrize("swap", [(0, -1), (1, 3)])
def test_registry_reordered_fails_the_check(swap):
    order = list(EXTRACTORS)
    i, j = swap
    order[i], order[j] = order[j], order[i]
    with pytest.raises(ConfigError, match="requires"):
        check_extractors(order)


def test_registry_duplicate_provider_fails_the_check():
    with pytest.raises(ConfigError, match="second time"):
        check_extractors([*EXTRACTORS, EXTRACTORS[0]])


def test_run_extractors_refuses_a_bad_order(make_doc, article, resources):
    doc = make_doc(["Talks", "."])
    with pytest.raises(ConfigError):
        run_extractors(doc, article(doc.text), resources, tuple(reversed(EXTRACTORS)))


def test_run_extractors_runs_exactly_the_list_it_is_given(make_doc, article, resources):
    ran: list[str] = []
    doc = make_doc(["Talks", "."])
    run_extractors(doc, article(doc.text), resources, on_stage=ran.append)
    assert ran == [e.name for e in EXTRACTORS]


def test_analyze_doc_records_the_extractors_that_ran(make_doc, article, resources):
    doc = make_doc(["Talks", "."])
    result = analyze_doc(doc, article(doc.text), resources=resources)
    assert result.extractors == ("clean.v1", *(e.name for e in EXTRACTORS))


@pytest.mark.issue(13)
def test_too_large_input_is_rejected_before_cleaning():
    raw = RawArticle(source="big.txt", body="word " * 1000)
    (item,) = _clean([raw], max_chars=4000)
    assert isinstance(item, Rejected) and item.reason is ReasonCode.TOO_LARGE
    assert "5,000 characters" in item.detail and "4,000" in item.detail


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "a.txt": " date 2024-05-07 Israel and Egypt held talks in Cairo on Monday.",
        "b.txt": " date 2024-05-08 Kenya sent troops to Haiti on Tuesday.",
        "c.txt": " date 2024-05-09 BOOM. Protesters marched in Dakar on Wednesday.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text)
    return folder


@pytest.mark.model
@pytest.mark.issue(13)
def test_one_failing_article_is_recorded_and_the_batch_goes_on(nlp, tmp_path, monkeypatch):
    folder, db = _articles(tmp_path), tmp_path / "n.db"
    from newsevents.extract import events

    real = events.extract_events
    name = next(e.name for e in EXTRACTORS if e.provides == "events")

    def explode(doc, article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "BOOM" in article.text:
            raise RuntimeError("simulated bug")
        return real(doc, article, *args, **kwargs)

    monkeypatch.setattr(events, "extract_events", explode)
    runner = CliRunner()
    first = runner.invoke(cli, ["process", str(folder), "--db", str(db)])
    assert first.exit_code == 1, first.output
    assert "2 new" in first.stderr and "1 failed" in first.stderr
    assert _rows(db, "select count(*) from articles") == [(2,)]
    ((stage, reason, detail, source),) = _rows(db, "select stage, reason, detail, source from rejections")
    assert (stage, reason) == (name, "internal_error")
    assert "RuntimeError: simulated bug" in detail and source.endswith("c.txt")

    monkeypatch.undo()
    second = runner.invoke(cli, ["process", str(folder), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "1 new" in second.stderr and "2 unchanged" in second.stderr
    assert _rows(db, "select count(*) from articles") == [(3,)]


@pytest.mark.model
@pytest.mark.issue(13)
def test_a_10_mb_single_line_file_is_rejected_and_the_others_stored(nlp, tmp_path):
    folder, db = _articles(tmp_path), tmp_path / "n.db"
    (folder / "c.txt").unlink()
    (folder / "huge.txt").write_text("The talks went on. " * 550_000)  # 10.4 MB, no line break
    result = CliRunner().invoke(cli, ["--db", str(db), "process", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stderr and "1 rejected" in result.stderr
    assert _rows(db, "select count(*) from articles") == [(2,)]
    ((reason, detail, source),) = _rows(db, "select reason, detail, source from rejections")
    assert reason == "too_large" and "10,450,000 characters" in detail and source.endswith("huge.txt")


@pytest.mark.model
@pytest.mark.issue(13)
def test_the_same_samples_from_two_folders_are_two_articles(nlp, tmp_path, samples_dir):
    one, two, db = tmp_path / "one", tmp_path / "two", tmp_path / "n.db"
    shutil.copytree(samples_dir, one)
    shutil.copytree(samples_dir, two)
    runner = CliRunner()
    assert runner.invoke(cli, ["process", str(one), "--db", str(db)]).exit_code == 0
    again = runner.invoke(cli, ["process", str(two), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "2 duplicate" in again.stderr  # the same articles, from new sources
    assert _rows(db, "select count(*) from articles") == [(2,)]
    sources = {row[0] for row in _rows(db, "select source from article_sources")}
    assert len(sources) == 4 and {Path(s).parent for s in sources} == {one, two}


@pytest.mark.issue(13)
def test_process_records_a_store_failure_and_goes_on(monkeypatch):
    from newsevents.model import Article, ArticleResult
    from newsevents.pipeline import process
    from newsevents.store import SQLiteStore

    results = [
        ArticleResult(Article(id=f"a{i}", source=f"{i}.txt", text=f"text {i}", content_hash=f"h{i}"))
        for i in range(3)
    ]
    with SQLiteStore(":memory:") as store:
        real = store.save_result

        def flaky(result, **kwargs):  # type: ignore[no-untyped-def]
            if result.article.id == "a1":
                raise ValueError("cannot serialise")
            return real(result, **kwargs)

        monkeypatch.setattr(store, "save_result", flaky)
        summary = process(results, store)
        assert (summary.counts["new"], summary.failed, summary.received) == (2, 1, 3)
        (failure,) = summary.rejections
        assert (failure.stage, failure.article_id) == ("store", "a1")
        assert "ValueError: cannot serialise" in failure.detail
        assert store.counts()["articles"] == 2 and store.counts()["rejections"] == 1
