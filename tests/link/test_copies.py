"""Near-duplicate detection: syndicated copies found, different reports of one story kept apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.link.copies import CopyInput, find_copies, shingles

WIRE = (
    "NAIROBI, March 4 - Kenyan police fired tear gas at thousands of protesters in central Nairobi on "
    "Tuesday as opposition supporters marched against a new finance law that raises taxes on fuel and "
    "mobile money transfers.\n\n"
    "Opposition leader Grace Wambui told reporters the law would push millions of families into poverty "
    "and called for a national strike on Friday if parliament refused to repeal it.\n\n"
    "Interior Minister Peter Otieno said the police had acted to protect property after some protesters "
    "looted shops near the central bus station, and that 41 people had been arrested.\n\n"
    "The International Monetary Fund, which is negotiating a new loan with Kenya, declined to comment."
)
COPY = (
    "Police tear-gas Nairobi tax protesters\n\n"
    + WIRE.replace("NAIROBI, March 4 - ", "").rsplit("\n\n", 1)[0]  # no dateline, last paragraph trimmed
    + "\n\nReporting by staff; editing by the desk."
)
OTHER_REPORT = (
    "Thousands of people took to the streets of Nairobi on Tuesday to oppose higher fuel and mobile money "
    "taxes, and riot police dispersed them with tear gas. Grace Wambui, who leads the opposition, urged "
    "Kenyans to stay home on Friday. The interior ministry said 41 people were detained after looting near "
    "the bus station. Lenders led by the IMF are in talks with the government over a loan."
)
SECOND_PROTEST = WIRE.replace("Tuesday", "Thursday").replace("fuel and", "bread and").replace("41", "17")


def _docs():
    return [
        CopyInput("wire", WIRE, dt.date(2024, 3, 4)),
        CopyInput("copy", COPY, dt.date(2024, 3, 5)),
        CopyInput("report", OTHER_REPORT, dt.date(2024, 3, 4)),
        CopyInput("late-copy", "Kenya protests\n\n" + WIRE, dt.date(2024, 3, 6)),
    ]


def test_syndicated_copies_join_the_earliest_article():
    assert find_copies(_docs()) == {"copy": "wire", "late-copy": "wire"}


def test_an_independent_report_of_the_same_happening_is_not_a_copy():
    assert "report" not in find_copies(_docs())


def test_undated_articles_are_canonical_last_and_ties_go_to_the_smallest_id():
    docs = [CopyInput("b", WIRE), CopyInput("a", COPY), CopyInput("c", WIRE, dt.date(2024, 3, 5))]
    assert find_copies(docs) == {"a": "c", "b": "c"}
    assert find_copies([CopyInput("b", WIRE), CopyInput("a", COPY)]) == {"b": "a"}


def test_short_texts_are_never_copies():
    assert find_copies([CopyInput("x", "Photo: AP."), CopyInput("y", "Photo: AP.")]) == {}


def test_shingles_of_empty_and_short_texts():
    assert shingles("") == frozenset()
    assert shingles("Two words") == frozenset({"two words"})


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_the_result_does_not_depend_on_the_order(order):
    docs = _docs()
    assert find_copies([docs[i] for i in order]) == {"copy": "wire", "late-copy": "wire"}


def test_a_near_copy_with_different_facts_is_still_a_copy_but_a_rewrite_is_not():
    # one changed day, product and number leave most 5-grams intact: the same wire story, corrected
    assert find_copies([CopyInput("a", WIRE), CopyInput("b", SECOND_PROTEST)]) == {"b": "a"}


@pytest.mark.model
@pytest.mark.issue(17)
def test_process_marks_a_syndicated_copy_and_link_rebuilds_it(tmp_path):
    import json

    from click.testing import CliRunner

    from newsevents.cli import cli

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "wire.txt").write_text(" date 2024-03-04\n" + WIRE, encoding="utf-8")
    (inbox / "copy.txt").write_text(" date 2024-03-05\n" + COPY, encoding="utf-8")
    (inbox / "report.txt").write_text(" date 2024-03-04\n" + OTHER_REPORT, encoding="utf-8")
    db = tmp_path / "n.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "process", str(inbox)])
    assert result.exit_code == 0, result.output
    assert "linked: 1 near-copies" in result.stderr
    rows = [
        json.loads(ln)
        for ln in runner.invoke(cli, ["--db", str(db), "articles", "--json"]).stdout.splitlines()
    ]
    by_source = {Path(r["source"]).name: r for r in rows}
    assert by_source["copy.txt"]["duplicate_of"] == by_source["wire.txt"]["id"]
    assert by_source["wire.txt"]["duplicate_of"] is None and by_source["report.txt"]["duplicate_of"] is None
    again = runner.invoke(cli, ["--db", str(db), "link"])
    assert again.exit_code == 0 and "1 near-copies" in again.stderr
    relinked = [
        json.loads(ln)
        for ln in runner.invoke(cli, ["--db", str(db), "articles", "--json"]).stdout.splitlines()
    ]
    assert relinked == rows  # linking again changes nothing


def test_streaming_input_gives_the_same_copies_as_a_list():
    """Given a callable, copy detection reads its input twice and keeps only signatures in between."""
    items = [CopyInput("w", WIRE), CopyInput("c", COPY), CopyInput("o", OTHER_REPORT)]
    calls = []

    def source():
        calls.append(1)
        return iter(items)

    streamed = find_copies(source)
    assert len(calls) == 2
    assert streamed == find_copies(items) == {"w": "c"}  # undated: the smallest id is canonical
