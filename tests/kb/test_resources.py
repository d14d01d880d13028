"""The knowledge base: one immutable Resources object, loaded once, handed to every extractor."""

from __future__ import annotations

import pytest

from newsevents.errors import ConfigError
from newsevents.kb import Resources, default_resources, load_resources

COUNTRY_ROW = "ZBW\tZubrowka\tRepublic of Zubrowka\tZubrowkan\tLutz\t47.1\t15.2\t47.0\t15.0\n"
COUNTRY_HEADER = "iso3\tname\taliases\tadjectives\tcapital\tcapital_lat\tcapital_lon\tlat\tlon\n"


@pytest.fixture(scope="module")
def zubrowka(tmp_path_factory: pytest.TempPathFactory) -> Resources:
    lex = tmp_path_factory.mktemp("lex")
    (lex / "countries.tsv").write_text(COUNTRY_HEADER + COUNTRY_ROW)
    return load_resources((str(lex),))


def test_resources_are_loaded_once_per_paths(zubrowka):
    assert load_resources() is default_resources()
    assert load_resources(zubrowka.paths) is zubrowka
    assert zubrowka is not default_resources()


@pytest.mark.parametrize(
    "table", ["countries", "adjectives", "capitals", "by_iso3", "roles", "organizations", "people"]
)
def test_resources_tables_are_read_only(table):
    with pytest.raises(TypeError):
        getattr(default_resources().lexicons, table)["zzz"] = None


def test_resources_object_is_frozen():
    with pytest.raises(AttributeError):
        default_resources().cameo = None  # type: ignore[misc]


@pytest.mark.issue(13)
def test_user_country_is_a_place_as_well_as_an_actor(zubrowka):
    assert zubrowka.lexicons.adjectives["zubrowkan"].iso3 == "ZBW"
    first = zubrowka.gazetteer.candidates("Zubrowka")[0]
    assert (first.country, first.precision) == ("ZBW", "country")
    assert not default_resources().gazetteer.candidates("Zubrowka")


@pytest.mark.issue(13)
def test_user_country_codes_the_actor_and_places_it(zubrowka, make_doc, article):
    from newsevents.extract.registry import extractors_for, run_extractors

    doc = make_doc(["Zubrowka", "protested", "."], ents=[(0, 1, "GPE")])
    got = run_extractors(doc, article(doc.text), zubrowka, extractors_for("actors", "places"))
    assert [a.code for a in got["actors"].actors] == ["ZBW"]
    assert [(p.country, p.precision) for p in got["places"].places] == [("ZBW", "country")]


def test_bad_user_lexicon_names_file_and_line(tmp_path):
    (tmp_path / "countries.tsv").write_text(COUNTRY_HEADER + "zbw\tZubrowka\n")
    with pytest.raises(ConfigError, match=r"countries\.tsv:2"):
        load_resources((str(tmp_path),))


def test_describe_counts_every_table():
    sizes = default_resources().describe()
    assert sizes["countries"] >= 199 and sizes["place names"] > 100_000 and sizes["CAMEO codes"] > 100
