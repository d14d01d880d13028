"""The event pattern lexicon: validation with file and line, ranking by specificity, user pattern files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.kb import load_resources
from newsevents.kb.cameo import load_cameo
from newsevents.kb.patterns import (
    Trigger,
    bundled_patterns,
    cameo_to_plover,
    conditions,
    index_patterns,
    read_pattern_file,
    specificity,
)
from newsevents.model import PLOVER_TYPES, Article

HEADER = "lemma\tpos\ttype\tmode\tcameo\tconstraint\texample"


def test_bundled_patterns_are_valid_and_cover_every_plover_type():
    pats = bundled_patterns()
    assert {p.type for p in pats} == set(PLOVER_TYPES)
    assert all(p.source and ":" in p.source for p in pats)
    codes = load_cameo().codes()
    assert all(p.cameo in codes or p.cameo[:3] in codes for p in pats)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("meet\tVERB\tMEET\t\t040\t", "'MEET' is not a PLOVER type"),
        ("meet\tADJ\tCONSULT\t\t040\t", "pos 'ADJ' is not VERB or NOUN"),
        ("meet\tVERB\tCONSULT\tdrone\t040\t", "mode 'drone' is not a mode of CONSULT"),
        ("meet\tVERB\tCONSULT\t\t40a\t", "CAMEO code '40a' is not 2-4 digits"),
        ("meet\tVERB\tCONSULT\t\t0499\t", "'0499' is not a CAMEO code"),
        ("meet\tVERB\tCONSULT\t\t040\tnear=x", "unknown condition 'near'"),
        ("meet\tVERB\tCONSULT\t\t040\tobject", "condition 'object' needs values"),
        ("meet\tVERB\tCONSULT\t\t040\tpassive=x", "condition 'passive' takes no values"),
        ("meet\tVERB\tCONSULT\t\t040\tpp=travel", "pp needs preposition:object"),
        ("meet\tVERB\tCONSULT\t\t040\t\tx\ty", "8 fields, the header has 7"),
    ],
)
def test_a_bad_row_names_file_line_and_reason(row: str, message: str):
    text = f"{HEADER}\n# a comment\nmeet\tVERB\tCONSULT\t\t040\t\tThey met.\n{row}\n"
    with pytest.raises(ConfigError, match=re.escape(f"mine.tsv:4: {message}")):
        read_pattern_file(text, "mine.tsv", known_codes=load_cameo().codes())


def test_a_repeated_pattern_is_refused_but_other_conditions_of_a_lemma_are_patterns():
    rows = ["release\tVERB\tRETREAT\t\t084\t", "release\tVERB\tRETREAT\trelease\t0841\tobject=prisoner"]
    assert len(read_pattern_file("\n".join([HEADER, *rows]), "p.tsv")) == 2
    with pytest.raises(ConfigError, match=r"p\.tsv:3: .* repeats line 2"):
        read_pattern_file("\n".join([HEADER, rows[0], rows[0]]), "p.tsv")


def test_most_specific_pattern_first_and_first_given_wins_a_tie():
    bare = Trigger("ban", "VERB", "COERCE", "ban", "172", "")
    travel = Trigger("ban", "VERB", "COERCE", "ban", "1721", "pp=on:travel;active")
    other = Trigger("ban", "VERB", "SANCTION", None, "160", "")
    verbs, nouns = index_patterns([bare, travel, other])
    assert verbs["ban"] == (travel, bare) and not nouns
    assert specificity(travel) == 2 and conditions("pp=on:travel|trade")["pp"] == {"on:travel", "on:trade"}


def test_cameo_codes_map_to_plover_types_by_longest_prefix():
    assert cameo_to_plover("0841") == ("RETREAT", "release")
    assert cameo_to_plover("046") == ("CONSULT", None)
    assert cameo_to_plover("173") == ("COERCE", "arrest")
    assert cameo_to_plover("195") == ("ASSAULT", "aerial")
    assert cameo_to_plover("010") is None  # public statements are no PLOVER event
    assert all(cameo_to_plover(f"{root:02d}0") for root in range(2, 21))


def _events(nlp, res, text: str) -> list[tuple[str, str, str | None]]:
    from newsevents.extract.registry import run_extractors

    art = Article(id="t", source="t", text=text, published=dt.date(2024, 5, 7))
    result = run_extractors(nlp(text), art, res)
    return [(e.type, e.cameo, e.mode) for e in result["events"]]


@pytest.mark.model
def test_a_user_patterns_file_adds_specific_readings_on_the_real_model(nlp, tmp_path: Path):
    (tmp_path / "patterns.tsv").write_text(
        "\n".join(
            [
                HEADER,
                "release\tVERB\tRETREAT\trelease\t0841\tobject=prisoner|hostage\tX released prisoners.",
                "ban\tVERB\tCOERCE\tban\t1721\tpp=on:travel\tX banned Y on travel.",
                "threaten\tVERB\tTHREATEN\tviolence\t138\txcomp=attack|strike\tX threatened to attack Y.",
                "sanction\tVERB\tSANCTION\t\t163\tpassive\tX was sanctioned by Y.",
            ]
        )
        + "\n"
    )
    res = load_resources((str(tmp_path),))
    assert ("RETREAT", "0841", "release") in _events(nlp, res, "Israel released 50 prisoners on Monday.")
    threat = _events(nlp, res, "Iran threatened to attack Israel on Monday.")
    assert ("THREATEN", "138", "violence") in threat
    sanctioned = _events(nlp, res, "Three Russian banks were sanctioned by the European Union on Monday.")
    assert ("SANCTION", "163", None) in sanctioned
    # the bundled reading stays where the specific one does not hold
    assert ("RETREAT", "0841", "release") not in _events(nlp, res, "Israel released a statement on Monday.")
