"""The time scorer and its three engines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.evaluate import eval_time
from newsevents.evaluate.time import gold_times

ITEM = {
    "id": "t1",
    "published": "2024-05-07",
    "text": "Troops entered Rafah on Monday, and talks will resume next week, a year after the 2023 deal.",
    "times": [
        {"text": "Monday", "value": "2024-05-06", "precision": "day", "relative": True},
        {"text": "next week", "value": "2024-W20", "precision": "week", "relative": True},
        {"text": "2023", "value": "2023", "precision": "year", "relative": False},
    ],
}


def test_gold_times_checks_value_shapes():
    assert [g.span for g in gold_times(ITEM)] == [(24, 30), (54, 63), (82, 86)]
    bad = dict(ITEM, times=[{"text": "Monday", "value": "2024-05", "precision": "day"}])
    with pytest.raises(ConfigError, match="does not fit"):
        gold_times(bad)
    with pytest.raises(ConfigError, match="precision"):
        gold_times(dict(ITEM, times=[{"text": "Monday", "value": None, "precision": "hour"}]))


@pytest.mark.model
def test_eval_time_rules_scores_values(nlp):
    report = eval_time([ITEM], nlp)
    assert report.scores["value"].tp == 3 and report.values["relative_recall"] == 1.0


@pytest.mark.parametrize("engine", ["dateparser", "recognizers"])
def test_eval_time_library_engines_run_and_never_crash(engine):
    pytest.importorskip("dateparser" if engine == "dateparser" else "recognizers_date_time")
    report = eval_time([ITEM, dict(ITEM, id="t2", text="\u2028?? )(", times=[])], engine=engine)
    assert report.name == f"time-{engine}"
    assert report.scores["span"].tp >= 2


def test_eval_time_unknown_engine_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown time engine"):
        eval_time([ITEM], engine="clock")


@pytest.mark.model
def test_cli_eval_time_all_engines_and_gate(tmp_path, nlp):
    pytest.importorskip("recognizers_date_time")
    gold = tmp_path / "time.jsonl"
    gold.write_text(json.dumps(ITEM) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "time", "--gold", str(gold), "--engine", "all"])
    assert result.exit_code == 0, result.output
    assert "time-dateparser" in result.stdout and "time-recognizers" in result.stdout
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"time": {"value_f1": 1.01}}))
    gated = runner.invoke(cli, ["eval", "time", "--gold", str(gold), "--gate", str(baseline)])
    assert gated.exit_code == 1 and "REGRESSION: time value_f1" in gated.stderr
