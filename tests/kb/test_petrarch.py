"""PETRARCH/Phoenix actor and agent dictionary readers: the sample fixtures, edge cases and errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.errors import ConfigError
from newsevents.kb.petrarch import (
    DatedCode,
    PetrarchActor,
    display_name,
    read_actor_dictionary,
    read_agent_dictionary,
)

LEXICONS = Path(__file__).resolve().parent.parent / "data" / "lexicons"


@pytest.fixture(scope="module")
def actors() -> dict[str, PetrarchActor]:
    return {a.name: a for a in read_actor_dictionary(LEXICONS / "sample.actors.txt")}


def _actors(tmp_path: Path, text: str, encoding: str = "utf-8") -> list[PetrarchActor]:
    path = tmp_path / "t.actors.txt"
    path.write_bytes(text.encode(encoding))
    return read_actor_dictionary(path)


def test_read_actor_dictionary_headword_inline_code(actors):
    assert actors["AFGHAN NATIONAL ARMY"].codes == (DatedCode("AFGMIL"),)


def test_read_actor_dictionary_synonyms(actors):
    assert actors["BARACK OBAMA"].synonyms == ("OBAMA", "BARACK HUSSEIN OBAMA")


def test_read_actor_dictionary_inline_and_indented_code_lines(actors):
    assert actors["BARACK OBAMA"].codes == (
        DatedCode("USAELI"),
        DatedCode("USALEG", dt.date(2005, 1, 3), dt.date(2008, 11, 16)),
        DatedCode("USAGOV", dt.date(2009, 1, 20), dt.date(2017, 1, 20)),
        DatedCode("USAELI", dt.date(2017, 1, 20), None),
    )


def test_read_actor_dictionary_several_codes_on_the_headword_line(actors):
    assert [c.code for c in actors["ABDUL RASHID DOSTUM"].codes] == ["AFGREB", "AFGGOV"]


def test_read_actor_dictionary_skips_comments_and_annotations(actors):
    assert actors["ABDUL RASHID DOSTUM"].synonyms == ("DOSTUM",)  # {alt. spelling ...} dropped
    assert actors["ECONOMIC COMMUNITY OF WEST AFRICAN STATES"].codes == (DatedCode("IGOWAFECW"),)


def test_read_actor_dictionary_keeps_mixed_case_names(actors):
    assert actors["Beto O'Rourke"].display_name == "Beto O'Rourke"


def test_read_actor_dictionary_stops_at_finish(actors):
    assert "EVERYTHING AFTER FINISH" not in actors
    assert list(actors)[-1] == "SOMALILAND GOVERNMENT"


def test_read_actor_dictionary_records_headword_line(actors):
    assert actors["HAMID KARZAI"].line == 17


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("[USAGOV 090120-170120]", DatedCode("USAGOV", dt.date(2009, 1, 20), dt.date(2017, 1, 20))),
        ("[USAELI >170120]", DatedCode("USAELI", dt.date(2017, 1, 20), None)),
        ("[USAGOV <090120]", DatedCode("USAGOV", None, dt.date(2009, 1, 20))),
        ("[GBRGOV 19970502-20070627]", DatedCode("GBRGOV", dt.date(1997, 5, 2), dt.date(2007, 6, 27))),
        ("[usagov]", DatedCode("USAGOV")),
    ],
    ids=["range", "open-end", "before", "yyyymmdd", "lower-case"],
)
def test_read_actor_dictionary_dates(tmp_path, code, expected):
    (actor,) = _actors(tmp_path, f"X_Y_\n{code}\n")
    assert actor.codes == (expected,)


@pytest.mark.parametrize(
    ("yymmdd", "year"),
    [
        ("000101", 2000),
        ("070723", 2007),
        ("301231", 2030),
        ("331108", 1933),
        ("500101", 1950),
        ("991231", 1999),
    ],
)
def test_read_actor_dictionary_century_pivot(tmp_path, yymmdd, year):
    (actor,) = _actors(tmp_path, f"X_ [USAGOV >{yymmdd}]\n")
    assert actor.codes[0].start is not None and actor.codes[0].start.year == year


def test_read_actor_dictionary_entries_need_no_blank_lines(tmp_path):
    entries = _actors(tmp_path, "A_ [USA]\n+AA_\nB_ [FRA]\n+BB_\n")
    assert [(a.name, a.synonyms) for a in entries] == [("A", ("AA",)), ("B", ("BB",))]


def test_read_actor_dictionary_entry_without_code(tmp_path):
    (actor,) = _actors(tmp_path, "NOBODY_IN_PARTICULAR_\n")
    assert actor.codes == ()


def test_read_actor_dictionary_reads_latin1(tmp_path):
    (actor,) = _actors(tmp_path, "JOSÉ_MUJICA_ [URYGOV 100301-150301]\n", encoding="latin-1")
    assert actor.name == "JOSÉ MUJICA"


def test_read_actor_dictionary_malformed_fixture_names_file_and_line():
    path = LEXICONS / "malformed" / "bad.actors.txt"
    with pytest.raises(ConfigError, match=r"bad\.actors\.txt:4: date '090230'"):
        read_actor_dictionary(path)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("+ORPHAN_\n", 1, "before any headword"),
        ("# c\n[USAGOV]\n", 2, "before any headword"),
        ("A_ [USAGOV\n", 1, r"unbalanced \[ \]"),
        ("A_ ]USA[\n", 1, r"unbalanced \[ \]"),
        ("A_\n+\n", 2, "empty synonym"),
        ("___ [USA]\n", 1, "empty headword"),
        ("A_\n[USAGOV 0901-170120]\n", 2, "is not YYMMDD"),
        ("A_\n[USAGOV 090120]\n", 2, "FROM-TO"),
        ("A_\n[USAGOV 170120-090120]\n", 2, "ends before it starts"),
        ("A_\n\n[US GOV 090120-170120]\n", 3, "not \\[CODE\\]"),
        ("A_ []\n", 1, "not \\[CODE\\]"),
    ],
)
def test_read_actor_dictionary_errors_name_file_and_line(tmp_path, text, line, reason):
    with pytest.raises(ConfigError, match=rf"t\.actors\.txt:{line}: .*{reason}"):
        _actors(tmp_path, text)


def test_read_actor_dictionary_missing_file_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read dictionary"):
        read_actor_dictionary(tmp_path / "none.actors.txt")


_TOKENS = st.sampled_from(
    [
        *("A_", "+B_", "[USAGOV]", "[USAGOV 090120-170120]", "[X >9]", "<", ">", "{", "}", "[", "]", "#"),
        *(";", "~~FINISH", "\n", " ", "_", "+", "-", "!", "0", "991231", "\t", "\r\n", "é", "\x00"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_TOKENS | st.text(max_size=5), max_size=40).map("".join)))
def test_read_actor_dictionary_raises_only_config_error(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "x.actors.txt")
        path.write_text(text, encoding="utf-8")
        try:
            result = read_actor_dictionary(path)
        except ConfigError:
            return
    assert all(isinstance(a, PetrarchActor) and a.name for a in result)


@pytest.fixture(scope="module")
def agents():
    return {a.phrase: a for a in read_agent_dictionary(LEXICONS / "sample.agents.txt")}


def test_read_agent_dictionary_code_and_title(agents):
    officer = agents["POLICE OFFICER"]
    assert (officer.code, officer.prefix, officer.display_role) == ("COP", False, "Police Officer")


@pytest.mark.parametrize(
    ("phrase", "variants"),
    [
        ("POLICE OFFICER", ("POLICE OFFICERS",)),  # regular plural of the last word
        ("SECRETARY", ("SECRETARIES",)),
        ("EMBASSY", ("EMBASSIES",)),  # explicit {EMBASSIES}
        ("SPOKESMAN", ("SPOKESMEN",)),
        ("SOLDIER", ("SOLDIERS",)),  # {SOLDIER SOLDIERS}: the root is not repeated
        ("ATTORNEY GENERAL", ("ATTORNEYS GENERAL",)),
        ("POLICE", ()),  # {} = no plural
        ("minister", ("ministers",)),  # undefined !minister! marker = the word itself
        ("DEPUTY minister", ("DEPUTY ministers",)),
    ],
)
def test_read_agent_dictionary_plurals(agents, phrase, variants):
    assert agents[phrase].variants == variants


def test_read_agent_dictionary_substitution_sets(agents):
    assert agents["CONGRESSMAN"].variants == (
        *("CONGRESSMEN", "CONGRESSWOMAN", "CONGRESSWOMEN", "CONGRESSPERSON", "CONGRESSPEOPLE"),
    )
    assert "MINISTRIES OF DEFENCE" in agents["MINISTER OF DEFENCE"].variants


def test_read_agent_dictionary_prefix_code(agents):
    group = agents["HUMAN RIGHTS GROUP"]
    assert (group.code, group.prefix) == ("NGO", True)


def test_read_agent_dictionary_skips_comments_and_markup(agents):
    assert len(agents) == 24
    assert not any(p.startswith(("<", "!", "#")) for p in agents)


def test_read_agent_dictionary_malformed_fixture_names_file_and_line():
    with pytest.raises(ConfigError, match=r"bad\.agents\.txt:3: no \[code\]"):
        read_agent_dictionary(LEXICONS / "malformed" / "bad.agents.txt")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SOLDIER_ [~MIL\n", "no \\[code\\]"),
        ("SOLDIER_ [~MIL~]\n", "not an agent code"),
        ("SOLDIER_ [~MIL 010101]\n", "not an agent code"),
        ("SOLDIER_ {SOLDIERS [~MIL]\n", "unbalanced"),
        ("_ [~MIL]\n", "empty agent phrase"),
        ("!X! = ,\n", "empty substitution set"),
    ],
)
def test_read_agent_dictionary_errors(tmp_path, text, reason):
    path = tmp_path / "t.agents.txt"
    path.write_text(text)
    with pytest.raises(ConfigError, match=rf"t\.agents\.txt:1: .*{reason}"):
        read_agent_dictionary(path)


def test_read_agent_dictionary_code_without_tilde_is_a_suffix(tmp_path):
    path = tmp_path / "t.agents.txt"
    path.write_text("JUDGE_ [JUD]\n")
    (judge,) = read_agent_dictionary(path)
    assert (judge.code, judge.prefix, judge.variants) == ("JUD", False, ("JUDGES",))


@settings(max_examples=200, deadline=None)
@given(st.lists(_TOKENS | st.sampled_from(["[~GOV]", "[NGO~]", "!P! = A, B", "!P!"]), max_size=30))
def test_read_agent_dictionary_raises_only_config_error(tokens):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "x.agents.txt")
        path.write_text("".join(tokens), encoding="utf-8")
        with contextlib.suppress(ConfigError):
            read_agent_dictionary(path)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("BARACK_OBAMA_", "Barack Obama"),
        ("JOHN_MCCAIN_", "John McCain"),
        ("SHAUN_O'NEILL_", "Shaun O'Neill"),
        ("BASHAR_AL-ASSAD_", "Bashar Al-Assad"),
        ("POPE_JOHN_PAUL_II_", "Pope John Paul II"),
        ("XI_JINPING_", "Xi Jinping"),
        ("MINISTER_OF_DEFENCE", "Minister of Defence"),
        ("U.N._SECURITY_COUNCIL_", "U.N. Security Council"),
        ("IRAN'S_", "Iran's"),
        ("de_Mistura_", "de Mistura"),
    ],
)
def test_display_name(raw, shown):
    assert display_name(raw) == shown
