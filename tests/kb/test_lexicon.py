"""Lexicon loading: bundled tables unchanged; user TSVs and PETRARCH dictionaries layered on top."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from importlib import resources
from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.extract.actors import extract_actors
from newsevents.kb import Resources, load_resources
from newsevents.kb.lexicon import Lexicons, fold, load_lexicons, read_tsv

LEXICONS = Path(__file__).resolve().parent.parent / "data" / "lexicons"
TSV = LEXICONS / "tsv"
MALFORMED = LEXICONS / "malformed"


@pytest.fixture(scope="module")
def res() -> Resources:
    """The knowledge base over the same user lexicons as `lex`."""
    return load_resources((str(LEXICONS), str(TSV)))


@pytest.fixture(scope="module")
def lex() -> Lexicons:
    """Bundled + the sample PETRARCH dictionaries + the sample user TSVs."""
    return load_lexicons((str(LEXICONS), str(TSV)))


def _sizes(lex: Lexicons) -> dict[str, int]:
    return {
        f.name: len(v) if hasattr(v, "__len__") else v
        for f in dataclasses.fields(lex)
        if f.name != "sources"
        for v in [getattr(lex, f.name)]
    }


# --- load_lexicons() with no arguments is unchanged -------------------------------------------------------


def test_load_lexicons_no_args_is_cached_and_same_as_empty_tuple():
    assert load_lexicons() is load_lexicons()
    assert load_lexicons() is load_lexicons(())


def test_load_lexicons_no_args_lists_only_bundled_sources():
    sources = load_lexicons().sources
    assert sources[:5] == (
        "bundled:countries.tsv",
        "bundled:roles.tsv",
        "bundled:organizations.tsv",
        "bundled:people.tsv",
        "bundled:event_triggers.tsv",
    )
    folders = {s.split(":", 1)[1].split("/")[0] for s in sources[5:]}
    assert folders == {"roles", "people", "patterns"} and all(s.startswith("bundled:") for s in sources)


def test_load_lexicons_no_args_counts_match_bundled_files():
    lex = load_lexicons()
    assert len(lex.by_iso3) == len({r["iso3"] for r in read_tsv("countries.tsv")})
    regional = resources.files("newsevents.data").joinpath("people")
    names = {r["name"] for r in read_tsv("people.tsv")}
    for entry in regional.iterdir():
        rows = (line.split("\t")[0] for line in entry.read_text(encoding="utf-8").splitlines()[1:])
        names |= {name for name in rows if name and not name.startswith("#")}
    assert {p.name for ps in lex.people.values() for p in ps} == names
    assert {o.name for o in lex.organizations.values()} == {r["name"] for r in read_tsv("organizations.tsv")}
    words = {fold(r["word"]) for r in read_tsv("roles.tsv")}
    for entry in resources.files("newsevents.data").joinpath("roles").iterdir():
        lines = entry.read_text(encoding="utf-8").splitlines()[1:]
        words |= {fold(line.split("\t")[0]) for line in lines if line.strip() and not line.startswith("#")}
    assert set(lex.roles) == words and len(words) > 2000


def test_load_lexicons_empty_user_directory_changes_nothing(tmp_path):
    assert _sizes(load_lexicons((str(tmp_path),))) == _sizes(load_lexicons())


def test_load_lexicons_user_layers_leave_bundled_object_untouched(lex):
    bundled = load_lexicons()
    assert bundled.people["obama"][0].role == "President"
    assert "afghan national army" not in bundled.organizations
    assert bundled.countries["turkey"].name == "Turkey"


def test_load_lexicons_cached_per_argument_tuple(lex):
    assert load_lexicons((str(LEXICONS), str(TSV))) is lex
    assert load_lexicons((str(TSV),)) is not lex


def test_load_lexicons_sources_list_user_files(lex):
    assert tuple(s for s in lex.sources if not s.startswith("bundled:")) == (
        str(LEXICONS / "sample.actors.txt"),
        str(LEXICONS / "sample.agents.txt"),
        str(TSV / "countries.tsv"),
        str(TSV / "roles.tsv"),
        str(TSV / "organizations.tsv"),
        str(TSV / "people.tsv"),
    )


# --- PETRARCH dictionaries merged -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (dt.date(2006, 6, 1), "USALEG"),
        (dt.date(2009, 1, 20), "USAGOV"),  # the first day is included ...
        (dt.date(2017, 1, 19), "USAGOV"),
        (dt.date(2017, 1, 20), "USAELI"),  # ... the last one is not
        (dt.date(2024, 5, 7), "USAELI"),
    ],
)
def test_load_lexicons_petrarch_person_is_date_bounded(lex, day, code):
    held = [p.code for p in lex.people[fold("Barack Obama")] if p.holds_on(day) and p.start]
    assert held == [code]


def test_load_lexicons_petrarch_undated_code_is_the_fallback(res, make_doc, article):
    doc = make_doc(["Obama", "spoke", "."], ents=[(0, 1, "PERSON")])
    codes = {
        day.year: extract_actors(doc, article(doc.text, published=day), resources=res).actors[0].code
        for day in (dt.date(2010, 3, 1), dt.date(2020, 3, 1), dt.date(2008, 12, 1))
    }
    assert codes == {2010: "USAGOV", 2020: "USAELI", 2008: "USAELI"}  # 2008: between LEG and GOV


def test_load_lexicons_petrarch_person_synonyms_share_the_roles(lex):
    assert lex.people["obama"] == lex.people["barack hussein obama"] == lex.people["barack obama"]


def test_load_lexicons_petrarch_person_keeps_bundled_canonical_name(lex):
    assert {p.name for p in lex.people["obama"]} == {"Barack Obama"}
    assert {p.name for p in lex.people["karzai"]} == {"Hamid Karzai"}


@pytest.mark.parametrize(
    ("key", "holds", "code"),
    [
        ("dostum", dt.date(1995, 1, 1), "AFGREB"),  # 92xxxx -> 1992
        ("dostum", dt.date(2015, 1, 1), "AFGGOV"),  # 14xxxx -> 2014
        ("beto o'rourke", dt.date(2015, 1, 1), "USALEG"),
        ("lula", dt.date(2002, 12, 31), "BRAELI"),  # [BRAELI <030101]: open start
        ("lula", dt.date(2005, 1, 1), "BRAGOV"),
    ],
)
def test_load_lexicons_petrarch_dated_codes(lex, key, holds, code):
    assert [p.code for p in lex.people[key] if p.holds_on(holds)] == [code]


@pytest.mark.parametrize(
    ("key", "name", "code", "country", "kind"),
    [
        ("afghan national army", "Afghan National Army", "AFGMIL", "AFG", "military"),
        ("ana", "Afghan National Army", "AFGMIL", "AFG", "military"),
        ("m23", "M23", "CODREB", "COD", "armed_group"),
        ("economic community of west african states", "ECOWAS", "IGOWAFECW", None, "igo"),
    ],
)
def test_load_lexicons_petrarch_organizations(lex, key, name, code, country, kind):
    org = lex.organizations[key]
    assert (org.name, org.code, org.country, org.kind) == (name, code, country, kind)


def test_load_lexicons_petrarch_unknown_country_code_skipped(lex):
    assert "somaliland government" not in lex.organizations
    assert "somaliland government" not in lex.people


def test_load_lexicons_petrarch_country_entry_adds_aliases_and_adjectives(lex):
    assert lex.countries["islamic state of afghanistan"].iso3 == "AFG"
    assert lex.adjectives["afghanistani"].iso3 == "AFG"


def test_load_lexicons_petrarch_place_coded_as_country_skipped(lex):
    assert "helmand" not in lex.countries and "helmand" not in lex.organizations


@pytest.mark.parametrize(
    ("word", "sector", "role"),
    [
        ("police officers", "COP", "Police Officer"),
        ("congresswomen", "LEG", "Congressman"),
        ("ministries of defence", "MIL", "Minister of Defence"),
        ("spokesmen", "GOV", "Spokesman"),
        ("human rights group", "NGO", "Human Rights Group"),
        ("abbot", "REL", "Abbot"),
    ],
)
def test_load_lexicons_petrarch_agents_become_roles(lex, word, sector, role):
    assert lex.roles[word] == (sector, role)


def test_load_lexicons_role_words_limit_follows_new_roles(tmp_path):
    (tmp_path / "x.agents.txt").write_text("DEPUTY_ASSISTANT_UNDER_SECRETARY_OF_STATE_FOR_AFRICA_ [~GOV]\n")
    assert load_lexicons((str(tmp_path),)).max_role_words == 8


def test_load_lexicons_petrarch_person_found_in_text(res, make_doc, article):
    doc = make_doc(["Hamid", "Karzai", "spoke", "."], ents=[(0, 2, "PERSON")])
    index = extract_actors(doc, article(doc.text, published=dt.date(2010, 3, 1)), resources=res)
    assert [(a.name, a.code) for a in index.actors if a.kind == "person"] == [("Hamid Karzai", "AFGGOV")]


# --- User TSV files ---------------------------------------------------------------------------------------


def test_load_lexicons_user_person_overrides_bundled(lex):
    rows = lex.people[fold("António Guterres")]
    assert [(p.code, p.role) for p in rows] == [
        ("PRTELI", "Former Prime Minister"),
        ("IGOUNO", "UN Secretary-General"),
    ]
    assert lex.people["guterres"] == rows


def test_load_lexicons_user_person_added(lex):
    (p,) = lex.people["wanjiku otieno"]
    assert (p.code, p.role, p.start, p.end) == ("KENGOV", "Cabinet Secretary", dt.date(2023, 10, 4), None)


def test_load_lexicons_user_organization_added_and_aliases(lex):
    assert lex.organizations["kdf"].code == "KENMIL"
    assert lex.organizations["wh"] is lex.organizations["white house"]


def test_load_lexicons_user_role_without_optional_column(lex):
    assert lex.roles["chief rabbi"] == ("REL", "Chief Rabbi")


def test_load_lexicons_user_country_replaces_and_relinks(lex):
    tur = lex.by_iso3["TUR"]
    assert tur.name == "Türkiye" and tur.lat is None
    assert (
        lex.countries["turkey"] is tur and lex.adjectives["turkish"] is tur and lex.capitals["ankara"] is tur
    )


def test_load_lexicons_later_layer_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for d, code in ((first, "KENGOV"), (second, "KENMIL")):
        d.mkdir()
        (d / "organizations.tsv").write_text(f"name\tcode\nNairobi Desk\t{code}\n")
    assert load_lexicons((str(first), str(second))).organizations["nairobi desk"].code == "KENMIL"
    assert load_lexicons((str(second), str(first))).organizations["nairobi desk"].code == "KENGOV"


def test_load_lexicons_single_file_entry(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("name\tcountry\nAmina Hassan\tKEN\n")
    lex = load_lexicons((str(path),))
    assert lex.people["amina hassan"][0].country == "KEN"
    assert lex.sources[-1] == str(path)


def test_load_lexicons_ignores_unknown_files_with_debug_log(tmp_path, caplog):
    (tmp_path / "notes.txt").write_text("not a lexicon\n")
    (tmp_path / "sub").mkdir()
    with caplog.at_level(logging.DEBUG, logger="newsevents.kb.lexicon"):
        lex = load_lexicons((str(tmp_path),))
    assert "ignoring notes.txt" in caplog.text and "ignoring sub" in caplog.text
    assert lex.sources == load_lexicons().sources


# --- Errors -----------------------------------------------------------------------------------------------


def test_load_lexicons_malformed_tsv_names_file_and_line():
    with pytest.raises(ConfigError, match=r"people\.tsv:3: start '20 May 2024' is not a YYYY-MM-DD date"):
        load_lexicons((str(MALFORMED / "people.tsv"),))


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("bad.actors.txt", r"bad\.actors\.txt:4: date '090230'"),
        ("bad.agents.txt", r"bad\.agents\.txt:3: no \[code\]"),
    ],
)
def test_dirty_petrarch_lines_are_reported_with_file_and_line_and_skipped(name, pattern):
    lex = load_lexicons((str(MALFORMED / name),))  # real dictionaries have dirty lines: the rest is read
    assert any(re.search(pattern, p) for p in lex.problems), lex.problems
    assert str(MALFORMED / name) in lex.sources


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        ("people.tsv", "aliases\tcountry\nX\tKEN\n", r":1: the header lacks name"),
        ("roles.tsv", "word\trole\nboss\tBoss\n", r":1: the header lacks sector"),
        ("people.tsv", "name\tcountry\n\n# c\nX\tKEN\tGOV\n", r":4: 3 fields but the header has 2"),
        ("people.tsv", "name\tcountry\n\tKEN\n", r":2: empty 'name'"),
        ("people.tsv", "name\tcountry\nX\tKenya\n", r":2: country 'Kenya' is not"),
        ("people.tsv", "name\tstart\tend\nX\t2024-05-01\t2023-01-01\n", r":2: start/end"),
        ("people.tsv", "name\tstart\nX\t2024-02-30\n", r":2: start/end"),
        ("countries.tsv", "iso3\tname\nab\tAbland\n", r":2: iso3 'ab' is not"),
        ("countries.tsv", "iso3\tname\tlat\nABL\tAbland\tnorth\n", r":2: lat 'north' is not"),
        ("organizations.tsv", "name\tcode\nX\tken gov\n", r":2: code 'ken gov' is not"),
    ],
)
def test_load_lexicons_bad_tsv_names_file_and_line(tmp_path, name, text, pattern):
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError, match=rf"{name.replace('.', '[.]')}{pattern}"):
        load_lexicons((str(tmp_path),))


def test_load_lexicons_missing_path_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such lexicon file or directory"):
        load_lexicons((str(tmp_path / "nope"),))


def test_load_lexicons_unknown_single_file_is_config_error(tmp_path):
    path = tmp_path / "my_people.csv"
    path.write_text("name\nX\n")
    with pytest.raises(ConfigError, match="unknown kind"):
        load_lexicons((str(path),))


def test_bundled_event_triggers_are_well_formed():
    from newsevents.evaluate.events import PLOVER_TYPES
    from newsevents.kb.cameo import load_cameo
    from newsevents.kb.lexicon import load_lexicons
    from newsevents.kb.patterns import CONDITIONS, conditions

    lex, cameo = load_lexicons(), load_cameo()
    patterns = [t for table in (lex.verb_patterns, lex.noun_patterns) for ts in table.values() for t in ts]
    assert len(patterns) > 1000
    for t in patterns:
        assert t.type in PLOVER_TYPES, t
        assert cameo.info(t.cameo).code in {t.cameo, t.cameo[:3]}, t
        assert len(t.cameo) >= 3 and t.cameo.isdigit(), t
        assert set(conditions(t.constraint)) <= CONDITIONS, t


def test_cameo_codes_keep_leading_zero_and_quad_class():
    from newsevents.kb.cameo import load_cameo

    cameo_info = load_cameo().info
    assert cameo_info("042").quad_class == 1 and cameo_info("0841").quad_class == 2
    assert cameo_info("173").goldstein == -5.0 and cameo_info("195").quad_class == 4
    with pytest.raises(ValueError):
        cameo_info("40")
    with pytest.raises(ValueError):
        cameo_info("990")
