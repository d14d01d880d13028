"""Linking over a real store with the real model: samples, folders, batches and order, id changes, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.ingest import read_inputs
from newsevents.link import link_store
from newsevents.link.stories import story_id
from newsevents.link.timeline import story_timeline
from newsevents.model import RawArticle
from newsevents.pipeline import process, run_batch
from newsevents.store import ArticleFilter, EventFilter, SQLiteStore, StoryFilter
from newsevents.store.queries import MAX_LIMIT

pytestmark = pytest.mark.model

GOLD = Path(__file__).resolve().parents[1] / "gold" / "stories" / "stories.partA.jsonl"
GOLD_ROWS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def raw(row: dict[str, Any]) -> RawArticle:
    return RawArticle(
        source=row["url"], body=row["text"], title=row["title"], published=row["published"], url=row["url"]
    )


def links(store: SQLiteStore) -> tuple[dict[str, Any], dict[str, Any]]:
    articles = {
        a["id"]: (a["story_id"], a["duplicate_of"]) for a in store.list_articles(ArticleFilter(limit=500))
    }
    events = {
        e["id"]: e["happening_id"] for e in store.list_events(EventFilter(limit=MAX_LIMIT, mentions=True))
    }
    return articles, events


def test_the_samples_are_one_story_whose_timeline_puts_the_talks_before_the_call_and_seizure(
    nlp: Any, samples_dir: Path
) -> None:
    with SQLiteStore(":memory:") as store:
        process(run_batch(read_inputs([str(samples_dir)]), nlp), store)
        summary = link_store(store)
        (story,) = store.list_stories(StoryFilter())
        assert summary.stories == 1 and story["n_articles"] == 2 and story["linked_by"]
        timeline = story_timeline(store, story["id"])
        assert timeline is not None
        ids = {a["id"]: Path(a["source"]).name for a in store.list_articles(ArticleFilter())}
    # (type, every mention's trigger, the sample files reporting it, the happening's date), in timeline order
    order = [
        (
            h["type"],
            {m["trigger"]["text"] for m in h["mentions"]},
            {ids[m["article_id"]][:3] for m in h["mentions"]},
            h.get("date"),
        )
        for h in timeline["happenings"]
    ]
    talks = next(k for k, (t, _, arts, date) in enumerate(order) if t == "CONSULT" and "002" in arts and date)
    call = next(k for k, (t, trig, _, _) in enumerate(order) if t == "CONSULT" and "phone call" in trig)
    seizure = next(k for k, (t, trig, _, _) in enumerate(order) if t == "COERCE" and "seized" in trig)
    assert order[talks][3].startswith("2024-W1") or order[talks][3][:7] in {"2024-03", "2024-04"}
    assert talks < call and talks < seizure, order
    assert order[call][3] == "2024-05-06" and order[seizure][3] == "2024-05-07"


def test_the_same_folder_copied_twice_is_stored_once_with_two_sources(
    nlp: Any, samples_dir: Path, tmp_path: Path
) -> None:
    for name in ("inbox", "archive"):
        shutil.copytree(samples_dir, tmp_path / name)
    with SQLiteStore(tmp_path / "n.db") as store:
        process(run_batch(read_inputs([str(tmp_path / "inbox"), str(tmp_path / "archive")]), nlp), store)
        link_store(store)
        articles = store.list_articles(ArticleFilter())
        assert store.counts()["articles"] == 2
        assert all(len(a["sources"]) == 2 and a["duplicate_of"] is None for a in articles)
        (story,) = store.list_stories(StoryFilter())
        assert story["n_articles"] == 2 and story["n_sources"] == 4
        happenings = store.list_events(EventFilter(limit=MAX_LIMIT))
        assert all(h["n_articles"] == len({m["article_id"] for m in h["mentions"]}) for h in happenings)


def test_batches_and_order_give_the_same_links_as_one_run(nlp: Any) -> None:
    rows = GOLD_ROWS[:40]  # several stories, copies and shared happenings
    with SQLiteStore(":memory:") as once:
        process(run_batch([raw(r) for r in rows], nlp), once)
        link_store(once)
        expected = links(once)
    with SQLiteStore(":memory:") as batched:
        backwards = [raw(r) for r in reversed(rows)]
        for start in range(0, len(backwards), 15):  # three runs, newest articles first
            process(run_batch(backwards[start : start + 15], nlp), batched)
            link_store(batched)
        assert links(batched) == expected
        link_store(batched)  # re-linking changes nothing
        assert links(batched) == expected
    assert len({story for story, _ in expected[0].values()}) >= 5
    assert sum(dup is not None for _, dup in expected[0].values()) >= 3


def test_an_earlier_report_arriving_later_renames_the_story_and_the_change_is_recorded(
    nlp: Any, tmp_path: Path
) -> None:
    first, later = (r for r in GOLD_ROWS if r["id"] in {"sa-001", "sa-003"})
    db = tmp_path / "n.db"
    with SQLiteStore(db) as store:
        process(run_batch([raw(later)], nlp), store)
        link_store(store)
        (old,) = store.list_stories(StoryFilter())
        process(run_batch([raw(first)], nlp), store)
        summary = link_store(store)
        (new,) = store.list_stories(StoryFilter())
        assert new["n_articles"] == 2 and new["id"] == story_id(new["articles"][0]) != old["id"]
        assert summary.changes >= 1
        (change,) = store.story_changes(old["id"])
        assert (change["kind"], change["change"], change["new_id"]) == ("story", "merged_into", new["id"])
    result = CliRunner().invoke(cli, ["--db", str(db), "timeline", old["id"], "--json"])
    assert result.exit_code == 0, result.output
    assert f"merged into {new['id']}" in result.stderr
    assert json.loads(result.stdout)["story"]["id"] == new["id"]


def test_the_listings_print_the_contract_shapes(nlp: Any, samples_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", db, "process", str(samples_dir)])
    assert done.exit_code == 0 and "1 stories" in done.stderr, done.output
    (story,) = [
        json.loads(line) for line in runner.invoke(cli, ["--db", db, "stories", "--json"]).stdout.splitlines()
    ]
    contract = {"id", "title", "articles", "first", "last", "n_articles", "n_events", "linked_by"}
    assert contract <= set(story) and story["n_articles"] == 2
    articles = runner.invoke(
        cli, ["--db", db, "articles", "--json", "--story", story["id"]]
    ).stdout.splitlines()
    assert {json.loads(a)["story_id"] for a in articles} == {story["id"]} and len(articles) == 2
    events = [
        json.loads(line)
        for line in runner.invoke(
            cli, ["--db", db, "events", "--json", "--story", story["id"]]
        ).stdout.splitlines()
    ]
    assert len(events) == story["n_events"]
    for e in events:
        assert {"happening_id", "story_id", "n_mentions", "n_articles", "n_sources", "mentions"} <= set(e)
        assert {"article_id", "event_id", "trigger", "sentence", "factuality"} <= set(e["mentions"][0])
    assert sum(e["n_mentions"] for e in events) == story["n_mentions"]
    text = runner.invoke(cli, ["--db", db, "timeline", story["id"]])
    assert text.exit_code == 0 and "phone call" in text.stdout
    missing = runner.invoke(cli, ["--db", db, "timeline", "0000000000000000"])
    assert missing.exit_code == 1 and "no story" in missing.stderr
