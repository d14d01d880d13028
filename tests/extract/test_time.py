"""Temporal expressions: finding and normalising against the anchor date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsevents.extract.time import find_times, normalize_time

TUE = dt.date(2024, 5, 7)  # a Tuesday
SUN = dt.date(2024, 3, 31)


@pytest.mark.parametrize(
    ("text", "anchor", "future", "value", "precision"),
    [
        ("Monday", TUE, False, "2024-05-06", "day"),
        ("Monday", TUE, True, "2024-05-13", "day"),
        ("Tuesday", TUE, False, "2024-05-07", "day"),
        ("Friday", TUE, False, "2024-05-03", "day"),
        ("last Friday", TUE, False, "2024-05-03", "day"),
        ("next Friday", TUE, False, "2024-05-10", "day"),
        ("yesterday", TUE, False, "2024-05-06", "day"),
        ("tomorrow", TUE, False, "2024-05-08", "day"),
        ("next week", SUN, False, "2024-W14", "week"),
        ("last week", SUN, False, "2024-W12", "week"),
        ("this week", TUE, False, "2024-W19", "week"),
        ("last month", dt.date(2024, 1, 10), False, "2023-12", "month"),
        ("next year", TUE, False, "2025", "year"),
        ("two days ago", TUE, False, "2024-05-05", "day"),
        ("3 weeks ago", TUE, False, "2024-W16", "week"),
        ("earlier this month", TUE, False, "2024-05", "month"),
        ("March 21, 2024", TUE, False, "2024-03-21", "day"),
        ("21 March 2024", TUE, False, "2024-03-21", "day"),
        ("21/3/2024", TUE, False, "2024-03-21", "day"),
        ("2024-03-21", None, False, "2024-03-21", "day"),
        ("March 2024", None, False, "2024-03", "month"),
        ("December 5", dt.date(2024, 1, 10), False, "2023-12-05", "day"),
    ],
)
def test_normalize_time_resolves_against_anchor(text, anchor, future, value, precision):
    r = normalize_time(text, anchor, future=future)
    assert (r.value, r.precision) == (value, precision)


def test_normalize_time_relative_without_anchor_is_unresolved():
    r = normalize_time("next week", None)
    assert r.value is None and r.relative


def test_normalize_time_duration_has_no_value():
    assert normalize_time("two hours", TUE, kind="duration").value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on Monday.", ["Monday"]),
        ("a meeting as early as next week", ["next week"]),
        ("Talks lasted two hours in May.", ["two hours", "May"]),
        ("He may go.", []),
        ("They will march on Sunday.", ["Sunday"]),
        ("On March 21, 2024 and in 2023", ["March 21, 2024", "2023"]),
    ],
)
def test_find_times_spans(text, expected):
    assert [text[s:e] for s, e, _ in find_times(text)] == expected


@given(st.text(max_size=200))
def test_find_times_never_raises_and_spans_are_in_text(text):
    for s, e, kind in find_times(text):
        assert 0 <= s < e <= len(text)
        r = normalize_time(text[s:e], TUE, kind=kind)
        assert r.precision in {"day", "week", "month", "year", "unknown"}


@pytest.mark.parametrize(
    ("text", "anchor", "value", "precision"),
    [
        ("this summer", "2024-01-03", "2024-SU", "season"),
        ("this winter", "2024-01-15", "2023-WI", "season"),
        ("last winter", "2024-05-07", "2023-WI", "season"),
        ("last summer", "2024-10-01", "2024-SU", "season"),
        ("next spring", "2024-10-01", "2025-SP", "season"),
        ("summer of 2026", "2025-03-31", "2026-SU", "season"),
        ("mid-March", "2020-02-28", "2020-03", "month"),
        ("this week", "2024-12-31", "2025-W01", "week"),
        ("this week", "2021-01-02", "2020-W53", "week"),
        ("this morning", "2024-05-07", "2024-05-07", "day"),
        ("21/3/2024", "2024-05-07", "2024-03-21", "day"),
    ],
)
def test_normalize_time_conventions(text, anchor, value, precision):
    r = normalize_time(text, dt.date.fromisoformat(anchor))
    assert (r.value, r.precision) == (value, precision)


def test_period_bounds_of_a_winter_span_the_new_year():
    from newsevents.extract.time import period_bounds

    assert period_bounds("2023-WI") == (dt.date(2023, 12, 1), dt.date(2024, 2, 29))
    assert period_bounds("2024-SU") == (dt.date(2024, 6, 1), dt.date(2024, 8, 31))


@pytest.mark.model
@pytest.mark.issue(5)
@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The two sides agreed on Friday to resume talks.", "Friday", "2024-05-03"),
        ("The two sides agreed to meet on Friday.", "Friday", "2024-05-10"),
        ("Ugandans vote in a presidential election on Thursday.", "Thursday", "2024-05-09"),
        ("The opposition called a rally for Saturday.", "Saturday", "2024-05-11"),
        ("The commission postponed Sunday's referendum by two weeks.", "Sunday", "2024-05-12"),
        ("Talks began on Tuesday.", "Tuesday", "2024-05-07"),
        ("Officials fear an invasion as early as January.", "January", "2025-01"),
        ("The accord was signed between 2019 and 2021, after the 2018 talks.", "2018", "2018"),
    ],
)
def test_extract_times_tense_decides_direction(nlp, article, sentence, expression, value):
    from newsevents.extract.time import extract_times

    art = article(sentence, published=dt.date(2024, 5, 7))
    times = {t.text: t for t in extract_times(nlp(sentence), art)}
    hit = next(t for text, t in times.items() if expression in text)
    assert hit.value == value, {k: t.value for k, t in times.items()}
