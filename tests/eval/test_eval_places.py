"""The place scorer: within 161 km, at the right level, beside first-match lookup."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.evaluate import eval_places
from newsevents.evaluate.places import haversine_km

ITEM = {
    "id": "p1",
    "published": "2024-05-07",
    "text": "Protesters gathered in Paris, Texas, while Blinken flew to Washington.",
    "places": [
        {"text": "Paris", "country": "USA", "lat": 33.66, "lon": -95.56, "precision": "city"},
        {"text": "Texas", "country": "USA", "lat": 31.0, "lon": -99.0, "precision": "admin1"},
        {"text": "Washington", "country": "USA", "lat": 38.9, "lon": -77.04, "precision": "city"},
    ],
}


def test_haversine_km():
    assert round(haversine_km(0, 0, 0, 1)) == 111


@pytest.mark.model
def test_eval_places_rejects_bad_gold(nlp):
    with pytest.raises(ConfigError, match="precision"):
        eval_places([dict(ITEM, places=[dict(ITEM["places"][0], precision="town")])], nlp)


@pytest.mark.model
def test_eval_places_context_beats_first_match(nlp):
    ours = eval_places([ITEM], nlp)
    naive = eval_places([ITEM], nlp, engine="first-match")
    assert ours.values["accuracy_161km"] == 1.0
    assert naive.values["accuracy_161km"] < 1.0  # Paris in Ontario comes first in the file


@pytest.mark.model
def test_cli_eval_places_gate(tmp_path, nlp):
    gold = tmp_path / "places.jsonl"
    gold.write_text(json.dumps(ITEM) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "places", "--gold", str(gold), "--engine", "all"])
    assert result.exit_code == 0, result.output
    assert "places-first-match" in result.stdout
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"places": {"accuracy_161km": 1.01}}))
    gated = runner.invoke(cli, ["eval", "places", "--gold", str(gold), "--gate", str(baseline)])
    assert gated.exit_code == 1 and "REGRESSION: places accuracy_161km" in gated.stderr
