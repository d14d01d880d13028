"""The run ledger on real formats, and kill-and-resume: SIGKILL at random moments, then a full run, must
end with the database of an uninterrupted run (canonical dump hash) and a clean integrity check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.store import open_store

FORMATS = Path(__file__).resolve().parent.parent / "data" / "ingest" / "formats"


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("news.rss", {"stored": 3, "duplicate": 0, "unchanged": 0, "quarantined": 0, "filtered": 1}),
        ("news.atom", {"stored": 3, "duplicate": 0, "unchanged": 0, "quarantined": 0, "filtered": 0}),
        ("news.warc.gz", {"stored": 3, "duplicate": 0, "unchanged": 0, "quarantined": 1, "filtered": 4}),
        ("news.jsonl.gz", {"stored": 3, "duplicate": 0, "unchanged": 0, "quarantined": 2, "filtered": 0}),
    ],
)
def test_each_real_format_is_ingested_with_a_balanced_ledger(
    nlp: object, tmp_path: Path, name: str, expected: dict[str, int]
) -> None:
    db = tmp_path / "f.db"
    result = CliRunner().invoke(cli, ["process", str(FORMATS / name), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        (run,) = store.list_runs()
        assert run["status"] == "finished"
        assert run["counts"] == expected
        assert run["received"] == sum(expected.values())
        units = store.run_units(run["id"])
        assert len(units) == run["received"]
        assert all(u["reason"] for u in units if u["outcome"] in ("quarantined", "filtered"))
        assert len(store.list_rejections()) == expected["quarantined"]
    # Again: everything unchanged, nothing stored, the same quarantine.
    again = CliRunner().invoke(cli, ["process", str(FORMATS / name), "--db", str(db), "--no-progress"])
    assert again.exit_code == 0, again.output
    with open_store(db) as store:
        latest = store.list_runs()[0]
        assert latest["counts"]["stored"] == 0
        assert latest["counts"]["unchanged"] == expected["stored"]
        assert latest["received"] == sum(expected.values())


@pytest.mark.model
def test_runs_rejections_retry_and_check_commands(nlp: object, tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["process", str(FORMATS / "news.jsonl.gz"), "--db", db]).exit_code == 0
    listed = runner.invoke(cli, ["runs", "--db", db])
    assert listed.exit_code == 0 and "finished" in listed.output
    rejected = runner.invoke(cli, ["rejections", "--db", db, "--json"])
    assert rejected.output.count("malformed") == 2
    retried = runner.invoke(cli, ["retry", "--db", db])
    assert retried.exit_code == 1, retried.output  # nothing recovered: the same lines are still broken
    assert "received 2 = 0 stored + 0 duplicate + 0 unchanged + 2 quarantined + 0 filtered" in retried.stderr
    checked = runner.invoke(cli, ["check", "--db", db])
    assert checked.exit_code == 0 and "integrity: ok" in checked.output


def _process(db: Path, corpus: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsevents", "--db", str(db), "process", str(corpus), "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.model
def test_sigkill_at_random_moments_then_resume_ends_identical(nlp: object, tmp_path: Path) -> None:
    corpus = FORMATS
    reference = tmp_path / "reference.db"
    started = time.monotonic()
    assert _process(reference, corpus).wait(timeout=300) == 0
    full = time.monotonic() - started
    with open_store(reference) as store:
        expected = store.dump_hash()
    rng = random.Random(int(os.environ.get("NEWSEVENTS_KILL_SEED", "20261207")))
    kills = 0
    for round_ in range(4):
        db = tmp_path / f"killed-{round_}.db"
        for _ in range(5):
            proc = _process(db, corpus)
            time.sleep(rng.uniform(0.3 * full, 1.0 * full))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            kills += 1
        assert _process(db, corpus).wait(timeout=300) == 0
        with open_store(db) as store:
            assert store.integrity_problems() == []
            assert store.dump_hash() == expected, f"round {round_} differs from the uninterrupted run"
            statuses = {r["status"] for r in store.list_runs(50)}
            assert statuses <= {"finished", "interrupted"}
    assert kills >= 20
