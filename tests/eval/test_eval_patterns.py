"""`newsevents eval patterns`: each pattern row's example, run through the pipeline, codes as the row says."""

from __future__ import annotations

import pytest

from newsevents.evaluate.patterns import eval_patterns, pattern_examples
from newsevents.kb import load_resources

HEADER = "lemma\tpos\ttype\tmode\tcameo\tconstraint\texample\n"


def test_pattern_examples_read_every_bundled_row_with_an_example(tmp_path):
    bundled = pattern_examples()
    assert bundled and all(item["id"].startswith("patterns/") and item["text"] for item in bundled)
    user = tmp_path / "patterns.tsv"
    user.write_text(HEADER + "# a comment\nzorb\tVERB\tASSAULT\t\t190\t\tRebels zorbed the town.\n")
    items = pattern_examples([user])
    assert items[-1] == {
        "id": f"{user}:3",
        "text": "Rebels zorbed the town.",
        "lemma": "zorb",
        "pos": "VERB",
        "type": "ASSAULT",
        "cameo": "190",
    }


@pytest.mark.model
def test_eval_patterns_scores_a_row_right_and_a_wrong_example_wrong(nlp, tmp_path):
    path = tmp_path / "patterns.tsv"
    path.write_text(
        HEADER
        + "shell\tVERB\tASSAULT\theavy-weapons\t194\tarmed\tRussian forces shelled Kharkiv on Tuesday.\n"
        + "shell\tVERB\tASSAULT\theavy-weapons\t194\tarmed;prep=near\tThe minister praised the teachers.\n"
    )
    res = load_resources([str(path)])
    report = eval_patterns(pattern_examples([path])[-2:], nlp, resources=res)
    assert report.values["rows"] == 2
    assert report.values["type_accuracy"] == 0.5 and report.values["cameo_accuracy"] == 0.5
    assert [e["row"] for e in report.errors] == [f"{path}:3"]
    assert report.scores["ASSAULT"].tp == 1 and report.scores["ASSAULT"].fn == 1
