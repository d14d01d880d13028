"""The dated role table: no two holders of one office at once, and agreement with Phoenix where both cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.evaluate.roles import compare_with_phoenix, overlapping_terms, people_rows
from newsevents.kb import Person
from newsevents.kb.lexicon import load_lexicons

PHOENIX = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "dictionaries"
    / "petrarch2"
    / "Phoenix.Countries.actors.txt"
)


def test_no_two_people_hold_one_single_holder_office_at_once():
    overlaps = overlapping_terms(people_rows(load_lexicons()))
    assert not overlaps, "\n".join(overlaps[:40])


def test_overlap_check_finds_an_overlap():
    import datetime as dt

    a = Person("A B", "XYZ", "GOV", "Prime Minister", dt.date(2001, 1, 1), dt.date(2005, 1, 1))
    b = Person("C D", "XYZ", "GOV", "Prime Minister", dt.date(2003, 1, 1), None)
    handover = Person("E F", "XYZ", "GOV", "Prime Minister", dt.date(2004, 12, 29), None)
    assert len(overlapping_terms([a, b])) == 1 and not overlapping_terms([a, handover])


@pytest.mark.skipif(not PHOENIX.exists(), reason="../shared/dictionaries/petrarch2 is not here")
def test_role_table_agrees_with_phoenix_on_shared_people_2000_2013(capsys):
    result = compare_with_phoenix(load_lexicons(), PHOENIX)
    with capsys.disabled():
        print(
            f"\nroles vs Phoenix 2000-2013: {result.people} people, {result.compared} person-years, "
            f"country {result.country_rate:.3f}, country+sector {result.both_rate:.3f}"
        )
    assert result.compared >= 20
    assert result.country_rate >= 0.90, "\n".join(result.disagreements[:40])
