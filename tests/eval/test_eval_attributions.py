"""The brat attribution corpus reader and scorer (a tiny corpus written for the test) and, when the public
corpus is on this machine, the CLI on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.evaluate.attributions import (
    GoldAttribution,
    PredAttribution,
    _same_person,
    _score_item,
    _Tally,
    eval_attributions,
    is_brat_corpus,
    read_brat_corpus,
)

TEXT = (
    "Senator Ann Ruiz spoke on Monday.\n\n"
    "“We will not back down,” she said.\n\n"
    "Her rival, Tom Kale, said the bill was dead.\n"
)


def _corpus(tmp_path: Path, ann: str, text: str = TEXT) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "wire_2016-03-01_bill.txt").write_text(text, encoding="utf-8")
    (tmp_path / "attributions" / "wire_2016-03-01_bill_a1.ann").write_text(ann, encoding="utf-8")
    return tmp_path


def _span(text: str, needle: str) -> str:
    start = text.index(needle)
    return f"{start} {start + len(needle)}\t{needle}"


ANN = "\n".join(
    [
        f"T1\tSource {_span(TEXT, 'she')}",
        f"T2\tCue {_span(TEXT, 'said')}",
        f"T3\tContent {_span(TEXT, 'We will not back down,')}",
        f"T4\tAttribution {_span(TEXT, 'said')}",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {_span(TEXT, 'Tom Kale')}",
        f"T6\tCue {_span(TEXT, 'said the')[:-4]}",
        f"T7\tContent {_span(TEXT, 'the bill was dead')}",
        "E2\tAttribution:T6 Content:T7 Cue:T6 Source:T5",
        "E3\tAttribution-no-source:T6 ",  # an annotator's unfinished line: skipped
    ]
)


def test_read_brat_corpus(tmp_path):
    root = _corpus(tmp_path, ANN.replace("T6\tCue 7", "T6\tCue 7"))
    assert is_brat_corpus(root) and not is_brat_corpus(tmp_path / "text")
    (item,) = read_brat_corpus(root)
    assert item["id"] == "wire_2016-03-01_bill" and item["published"] == "2016-03-01"
    direct, indirect = item["attributions"]
    assert direct.direct and not indirect.direct
    assert TEXT[slice(*indirect.content[0])] == "the bill was dead"
    assert TEXT[slice(*direct.source[0])] == "she"
    assert isinstance(item["_heldout"], bool)


def test_read_brat_corpus_errors_name_the_file(tmp_path):
    root = _corpus(tmp_path, "T1\tSource 5 9999\tx\n")
    with pytest.raises(ConfigError, match=r"_a1\.ann:1: span 5 9999 is outside the text"):
        list(read_brat_corpus(root))
    with pytest.raises(ConfigError, match="not a brat attribution corpus"):
        list(read_brat_corpus(tmp_path / "text"))


def test_brat_span_text_running_over_lines_is_not_a_line(tmp_path):
    text = "He said: Tomorrow.\n\nThe end."
    ann = "T1\tContent 9 18;20 27\tTomorrow.\n\nThe end\n"
    ann += "T2\tCue 3 7\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n"
    (item,) = read_brat_corpus(_corpus(tmp_path, ann, text))
    assert len(item["attributions"]) == 1


def test_same_person_keeps_namesakes_apart():
    assert _same_person("Hillary Clinton", "Clinton")
    assert _same_person("Hillary Clinton", "Mrs. Clinton")
    assert not _same_person("Bill Clinton", "Hillary Clinton")
    assert not _same_person("Hillary Clinton", "she")


def test_score_item_counts_content_speaker_and_silence():
    text = "“Go home now, all of you,” she said. Kale said the bill was dead. Ruiz said nothing."
    she = (text.index("she"), text.index("she") + 3)
    gold = [
        GoldAttribution(((1, 25),), (she,), (), True),
        GoldAttribution(((text.index("the bill"), text.index(" Ruiz") - 1),), ((37, 41),), (), False),
    ]
    preds = [
        PredAttribution(((1, 25),), True, she, "Ann Ruiz"),  # right
        PredAttribution(((text.index("bill"), text.index(" Ruiz") - 1),), False, None, None),  # silent
        PredAttribution(((text.index("nothing"), len(text) - 1),), False, (66, 70), None),  # spurious
    ]
    tally, errors = _Tally(), []
    _score_item({"id": "t", "text": text, "attributions": gold}, preds, [tally], errors)
    report = tally.report("t", errors)
    assert (report.scores["direct_speaker"].tp, report.scores["direct_speaker"].fp) == (1, 0)
    assert report.scores["all_content"].tp == 2 and report.scores["all_content"].fp == 1
    assert report.scores["all_speaker"].tp == 1
    assert report.values["all_no_speaker"] == 0.5
    assert report.values["direct_no_speaker"] == 0.0


@pytest.mark.model
def test_eval_attributions_on_a_tiny_corpus(tmp_path, nlp):
    items = list(read_brat_corpus(_corpus(tmp_path, ANN)))
    (report,) = eval_attributions(items, nlp)
    assert report.name == "attributions" and report.items == 1
    assert report.scores["direct_speaker"].tp == 1  # "she" is the speaker span
    assert report.scores["all_content"].tp == 2
    assert report.heldout is not None


POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "polnear-train"


def test_cli_skips_an_absent_corpus(tmp_path):
    from click.testing import CliRunner

    from newsevents.cli import cli

    result = CliRunner().invoke(cli, ["eval", "quotes", "--gold", str(tmp_path / "polnear-train")])
    assert result.exit_code == 0
    assert "no such gold set on this machine" in result.output
