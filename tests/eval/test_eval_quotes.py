"""The quote scorer, for our rules and for textacy."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.evaluate import eval_quotes
from newsevents.evaluate.quotes import gold_quotes

ITEM = {
    "id": "q1",
    "published": "2024-05-07",
    "text": (
        '"We have made our views clear," John Kirby told reporters on Monday. "We oppose a major operation '
        'in Rafah."\n\nAn Israeli official said the talks had been candid.'
    ),
    "quotes": [
        {"text": "We have made our views clear,", "kind": "direct", "speaker_mentions": ["John Kirby"]},
        {
            "text": "We oppose a major operation in Rafah.",
            "kind": "direct",
            "speaker_mentions": ["John Kirby"],
        },
        {"text": "the talks had been candid", "kind": "indirect", "speaker_mentions": ["Israeli official"]},
    ],
    "positions": [{"holder": "We", "stance": "opposes", "target": "a major operation in Rafah"}],
}


def test_gold_quotes_locates_speakers_and_rejects_bad_items():
    quotes = gold_quotes(ITEM)
    assert [q.kind for q in quotes] == ["direct", "direct", "indirect"]
    assert quotes[0].speakers == ((32, 42),)
    with pytest.raises(ConfigError, match="speaker mention"):
        gold_quotes(dict(ITEM, quotes=[dict(ITEM["quotes"][0], speaker_mentions=["Biden"])]))
    with pytest.raises(ConfigError, match="kind"):
        gold_quotes(dict(ITEM, quotes=[dict(ITEM["quotes"][0], kind="paraphrase")]))


@pytest.mark.model
def test_eval_quotes_rules_finds_direct_and_indirect_with_speakers(nlp):
    report = eval_quotes([ITEM], nlp)
    assert report.scores["span"].tp == 3
    assert report.scores["speaker"].tp == 3
    assert report.scores["indirect"].tp == 1
    assert report.scores["positions"].tp + report.scores["positions"].fn == 1


@pytest.mark.model
def test_eval_quotes_textacy_engine_and_unbalanced_marks(nlp):
    pytest.importorskip("textacy")
    unbalanced = dict(
        ITEM, id="q2", text=ITEM["text"].replace('Rafah."', "Rafah."), quotes=ITEM["quotes"][:1]
    )
    report = eval_quotes([ITEM, unbalanced], nlp, engine="textacy")
    assert report.name == "quotes-textacy"
    assert report.scores["indirect"].tp == 0  # textacy has no indirect quotes
    assert report.scores["span"].tp >= 2


@pytest.mark.model
def test_cli_eval_quotes_gates(tmp_path, nlp):
    gold = tmp_path / "quotes.jsonl"
    gold.write_text(json.dumps(ITEM) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "quotes", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "speaker" in result.stdout
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"quotes": {"speaker_f1": 1.01}}))
    gated = runner.invoke(cli, ["eval", "quotes", "--gold", str(gold), "--gate", str(baseline)])
    assert gated.exit_code == 1 and "REGRESSION: quotes speaker_f1" in gated.stderr
