"""The event scorer: trigger matching, per-type scores, happened vs not, arguments, factuality."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.evaluate import eval_events
from newsevents.evaluate.events import gold_events


def _item(text: str, *events: dict[str, object], published: str = "2024-05-07") -> dict[str, object]:
    return {"id": "t", "published": published, "text": text, "events": list(events)}


def test_gold_events_locates_occurrences_and_rejects_bad_values():
    item = _item(
        "Iran met Iraq and Iran met Oman.",
        {
            "trigger": "met",
            "occurrence": 2,
            "type": "CONSULT",
            "factuality": "asserted",
            "actors": [{"text": "Iran", "occurrence": 2}],
            "recipients": ["Oman"],
        },
    )
    (g,) = gold_events(item)
    assert g.trigger == (23, 26) and g.actors == ((18, 22),) and g.recipients == ((27, 31),)
    with pytest.raises(ConfigError, match="unknown PLOVER type"):
        gold_events(_item("x", {"trigger": "x", "type": "FIGHT", "factuality": "asserted"}))
    with pytest.raises(ConfigError, match="factuality"):
        gold_events(_item("x", {"trigger": "x", "type": "AID", "factuality": "maybe"}))
    with pytest.raises(ConfigError, match="not in the text"):
        gold_events(_item("x", {"trigger": "y", "type": "AID", "factuality": "asserted"}))


@pytest.mark.model
def test_eval_events_scores_types_factuality_and_arguments(nlp):
    items = [
        _item(
            "Israeli troops arrested two journalists in Hebron on Monday.",
            {
                "trigger": "arrested",
                "type": "COERCE",
                "factuality": "asserted",
                "actors": ["Israeli troops"],
                "recipients": ["journalists"],
            },
        ),
        _item(
            "Russia will not attack Finland, the Kremlin said.",
            {
                "trigger": "attack",
                "type": "ASSAULT",
                "factuality": "negated",
                "actors": ["Russia"],
                "recipients": ["Finland"],
            },
        ),
        # A gold event the extractor cannot know: a miss counted against recall.
        _item(
            "The two sides inked a framework in Doha.",
            {"trigger": "inked", "type": "AGREE", "factuality": "asserted", "actors": ["two sides"]},
        ),
    ]
    report = eval_events(items, nlp)
    assert report.scores["COERCE"].tp == 1
    assert report.scores["ASSAULT"].tp == 1
    assert report.scores["AGREE"].fn == 1
    assert report.scores["overall"].tp == 2 and report.scores["overall"].fn == 1
    # The negated attack is typed right but did not happen: not in the "happened" score.
    assert report.scores["happened"].tp == 1
    assert report.scores["non_asserted"].tp == 1
    assert report.values["factuality_accuracy"] == 1.0
    assert report.scores["actors"].tp >= 2
    assert any(e["kind"] == "missed" and e["trigger"] == "inked" for e in report.errors)


@pytest.mark.model
def test_eval_events_counts_spurious_and_wrong_type(nlp):
    items = [
        _item("Arsenal beat Chelsea 3-1 on Sunday."),  # no gold event: anything found is spurious
        _item(
            "Police detained 40 protesters in Tbilisi.",
            {"trigger": "detained", "type": "ASSAULT", "factuality": "asserted"},  # deliberately wrong type
        ),
    ]
    report = eval_events(items, nlp)
    kinds = {e["kind"] for e in report.errors}
    assert "wrong type" in kinds
    assert report.scores["trigger"].tp == 1
    assert report.scores["ASSAULT"].fn == 1 and report.scores["COERCE"].fp == 1


@pytest.mark.model
def test_cli_eval_events_prints_per_type_and_gates(tmp_path, nlp):
    gold = tmp_path / "events.jsonl"
    gold.write_text(
        json.dumps(
            _item(
                "Egypt hosted talks with Hamas leaders in Cairo.",
                {
                    "trigger": "talks",
                    "type": "CONSULT",
                    "factuality": "asserted",
                    "actors": ["Egypt"],
                    "recipients": ["Hamas"],
                },
            )
        )
        + "\n"
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "events", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "CONSULT" in result.stdout and "factuality_accuracy" in result.stdout
    as_json = json.loads(runner.invoke(cli, ["eval", "events", "--gold", str(gold), "--json"]).stdout)
    assert as_json["values"]["gold_events"] == 1
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"events": {"overall_f1": 1.01}}))
    gated = runner.invoke(cli, ["eval", "events", "--gold", str(gold), "--gate", str(baseline)])
    assert gated.exit_code == 1 and "REGRESSION: events overall_f1" in gated.stderr
