"""CAMEO-format verb dictionaries: a small hand-made one, and the real PETRARCH2 file when it is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import cli
from newsevents.errors import ConfigError
from newsevents.kb import load_resources
from newsevents.kb.petrarch import read_actor_dictionary
from newsevents.kb.verbs import read_verb_dictionary

SHARED = Path(__file__).resolve().parents[3] / "shared" / "dictionaries" / "petrarch2"
REAL_VERBS = SHARED / "CAMEO.2.0.txt"

SMALL = """\
# a comment
&PRISONER
+PRISONER
+HOSTAGES
+POLITICAL_DETAINEE

####### VERB PATTERNS #######

---  FREE   [084]  ---
FREE
RELEASE {RELEASES RELEASED RELEASING}
+SET_FREE [0841]
- * &PRISONER                                         [0841]        # FREE
- * (FROM PRISON)                                     [0841]        # RELEASE
- * STATEMENT                                         [---]         # not an event
- $ * + (TO ^)                                        [:042]        # sent to
- * BADLY [08!]

---  SAY   [010]  ---
SAY
- * (ON TELEVISION)                                   [010]

---  SHELL   [---]  ---
SHELL
+CALL_OFF [160]
- * &CITY                                             [190]
"""


def _read(tmp_path: Path, text: str = SMALL):
    path = tmp_path / "CAMEO.test.txt"
    path.write_text(text)
    return path, read_verb_dictionary(path)


def test_verbs_blocks_sets_and_patterns(tmp_path: Path):
    path, vd = _read(tmp_path)
    rows = {(t.lemma, t.constraint): (t.type, t.mode, t.cameo) for t in vd.triggers}
    assert rows[("free", "")] == ("RETREAT", "release", "084")
    assert rows[("release", "")] == ("RETREAT", "release", "084")
    assert rows[("set", "object=free")] == ("RETREAT", "release", "0841")  # verb + object word
    objects = "object=detainee|hostage|hostages|prisoner"
    assert rows[("release", objects)] == ("RETREAT", "release", "0841")
    assert rows[("free", "pp=from:prison")] == ("RETREAT", "release", "0841")
    assert rows[("release", "prep=to")] == ("CONSULT", "visit", "042")
    assert rows[("call off", "")] == ("SANCTION", None, "160")
    assert not any(t.lemma == "say" for t in vd.triggers)  # CAMEO 010: no PLOVER event
    assert not any("statement" in t.constraint for t in vd.triggers)  # [---]: not an event
    assert not any(t.lemma == "shell" and not t.constraint for t in vd.triggers)  # [---] block: no default
    assert vd.verbs == 6 and all(t.source.startswith(f"{path}:") for t in vd.triggers)
    # the unknown set and the bad code are reported with file and line, and skipped
    assert len(vd.problems) == 2
    assert re.match(rf"{re.escape(str(path))}:\d+: code \[08!\] is not a CAMEO code", vd.problems[0])
    assert "unknown synonym set &CITY" in vd.problems[1]


def test_a_file_with_no_verb_block_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="no verb blocks"):
        _read(tmp_path, "&SET\n+WORD\n")


@pytest.mark.model
def test_verbs_option_codes_events_with_the_dictionary_patterns(tmp_path: Path):
    path, _ = _read(tmp_path, SMALL.replace("FREE\nRELEASE", "FREE\nUNSHACKLE\nRELEASE"))
    runner = CliRunner()
    doc = tmp_path / "a.txt"
    doc.write_text("Rebels unshackled 20 hostages on Monday, officials said.\n")
    plain = runner.invoke(cli, ["extract", str(doc)])
    with_verbs = runner.invoke(cli, ["--verbs", str(path), "extract", str(doc)])
    assert plain.exit_code == 0 and with_verbs.exit_code == 0, with_verbs.output
    assert '"0841"' not in plain.stdout and '"0841"' in with_verbs.stdout
    assert "2 dictionary lines skipped" in with_verbs.stderr


@pytest.mark.skipif(not REAL_VERBS.exists(), reason="../shared/dictionaries/petrarch2 is not here")
def test_the_real_petrarch_verb_dictionary_reads():
    vd = read_verb_dictionary(REAL_VERBS)
    assert vd.verbs >= 1500 and vd.patterns >= 4000
    assert len({t.lemma for t in vd.triggers}) >= 1500
    assert len(vd.problems) <= 10 and all(p.startswith(f"{REAL_VERBS}:") for p in vd.problems)
    assert {t.type for t in vd.triggers} >= {"ASSAULT", "CONSULT", "ACCUSE", "AID", "PROTEST"}


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/dictionaries/petrarch2 is not here")
def test_the_real_phoenix_dictionaries_load_with_their_dirty_lines_reported():
    problems: list[str] = []
    actors = read_actor_dictionary(SHARED / "Phoenix.Countries.actors.txt", problems)
    assert len(actors) > 10_000 and 0 < len(problems) <= 30
    zahir = next(a for a in actors if a.name == "MOHAMMAD ZAHIR SHAH")
    assert [(c.code, c.start and c.start.year, c.end and c.end.year) for c in zahir.codes][1] == (
        "AFGGOV",
        1933,
        1973,
    )
    res = load_resources((str(SHARED),))  # the whole directory, as --lexicons gives it
    assert res.lexicons.problems and all(re.match(r".+:\d+: ", p) for p in res.lexicons.problems)
    assert len(res.lexicons.people) > 10_000
