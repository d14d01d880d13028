"""Places: gazetteer ranking, qualifiers, capitals, and event places."""

from __future__ import annotations

import datetime as dt

import pytest

from newsevents.extract.places import extract_places


def test_gazetteer_knows_small_towns_but_they_never_overrule_person_names(resources):
    candidates, is_known_place = resources.gazetteer.candidates, resources.gazetteer.is_known_place
    assert candidates("Avdiivka") or candidates("Avdiyivka")
    assert is_known_place("Kharkiv")
    assert not is_known_place("Kirby")  # a few small towns share the name; a person wins


def test_gazetteer_us_states_have_centres_and_capitals_are_marked(resources):
    candidates, first_match = resources.gazetteer.candidates, resources.gazetteer.first_match
    texas = next(c for c in candidates("Texas") if c.precision == "admin1")
    assert 25 < texas.lat < 37 and -107 < texas.lon < -93
    assert any(c.capital and c.country == "USA" for c in candidates("Washington"))
    assert first_match("Paris") is not None


@pytest.mark.model
@pytest.mark.issue(7)
@pytest.mark.parametrize(
    ("text", "name", "country", "lat"),
    [
        ("Blinken flew to Washington on Monday.", "Washington", "USA", 38.9),
        ("Protesters gathered in Paris, Texas, on Monday.", "Paris", "USA", 33.66),
        ("Protesters gathered in Paris on Monday.", "Paris", "FRA", 48.85),
        ("Talks were held in Tbilisi, Georgia, on Monday.", "Georgia", "GEO", 42.0),
    ],
)
def test_extract_places_context(nlp, article, resources, text, name, country, lat):
    art = article(text, published=dt.date(2024, 5, 7))
    places = {p.name: p for p in extract_places(nlp(text), art, resources=resources).places}
    place = places[name]
    assert place.country == country and abs(place.lat - lat) < 1.5, place


def test_gazetteer_has_every_level_at_geonames_points(resources):
    gaz = resources.gazetteer
    usa = next(c for c in gaz.candidates("United States") if c.precision == "country")
    assert (round(usa.lat, 1), round(usa.lon, 1)) == (39.8, -98.5) and usa.geonameid == 6252001
    ontario = next(c for c in gaz.candidates("Ontario") if c.precision == "admin1")
    assert ontario.country == "CAN" and ontario.admin1 == "08"
    county = next(c for c in gaz.candidates("Elkhart County") if c.precision == "admin2")
    assert (county.country, county.admin1) == ("USA", "IN") and county.admin2
    assert gaz.candidates("Europe")[0].precision == "region"
    assert gaz.candidates("Guam")[0].precision == "country"  # a territory our country table leaves out
    assert gaz.division("USA", "IN").name == "Indiana"


def test_gazetteer_alternate_names_never_take_a_bigger_places_name(resources):
    # GeoNames lists "Africa" among the alternate names of a Tunisian town; the continent keeps the name.
    assert all(c.precision != "city" for c in resources.gazetteer.candidates("Africa"))
    assert not any(
        c.precision == "admin1" and c.name == "Central" for c in resources.gazetteer.candidates("Central")
    )


def test_abbreviations_ap_forms_and_postal_codes(resources):
    gaz = resources.gazetteer
    assert gaz.abbreviation("Calif.")[0].name == "California"
    assert gaz.abbreviation("Ont.")[0].country == "CAN"
    assert gaz.abbreviation("IN") == (gaz.division("USA", "IN"), True)
    assert gaz.abbreviation("in") is None


def test_outlet_for_url(resources):
    from newsevents.extract.places import outlet_for

    outlet = outlet_for("https://www.nola.com/news/article.html", resources.gazetteer)
    assert outlet is not None and outlet.scope == "local" and outlet.admin1 == "LA"
    assert outlet_for("https://example.invalid/x", resources.gazetteer) is None
    assert outlet_for(None, resources.gazetteer) is None


def _places(nlp, article, resources, text, **kw):
    art = article(text, published=dt.date(2024, 5, 7), **kw)
    return extract_places(nlp(text), art, resources=resources)


@pytest.mark.model
@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("text", "name", "lat", "lon"),
    [
        # a state abbreviation after a comma qualifies the town
        ("Flooding closed two schools in Monroe, La., on Tuesday.", "Monroe", 32.5, -92.1),
        ("The county fair opened in Athens, Ohio, on Friday.", "Athens", 39.3, -82.1),
        # a postal code after a town is its state
        ("The trailer plant in Elkhart, IN, will close in June.", "Elkhart", 41.7, -86.0),
        # an all-caps dateline
        ("SPRINGFIELD, Ill. (AP) — The governor signed the budget on Friday.", "Springfield", 39.8, -89.6),
        # a town in the state the article names wins over a bigger namesake
        (
            "Storms crossed western Tennessee overnight. In Jackson, the mayor closed schools.",
            "Jackson",
            35.6,
            -88.8,
        ),
        # a state named after its big city is the city, unless the text says "state"
        ("Rents rose again in New York last year.", "New York City", 40.7, -74.0),
    ],
)
def test_places_v3_resolution(nlp, article, resources, text, name, lat, lon):
    found = [p for p in _places(nlp, article, resources, text).places if p.name == name]
    assert found, [p.name for p in _places(nlp, article, resources, text).places]
    assert abs(found[0].lat - lat) < 1.0 and abs(found[0].lon - lon) < 1.0, found[0]
    assert found[0].evidence


@pytest.mark.model
@pytest.mark.issue(15)
def test_new_york_state_is_the_state(nlp, article, resources):
    index = _places(nlp, article, resources, "Lawmakers in New York state passed the bill on Monday.")
    state = next(p for p in index.places if p.name == "New York")
    assert state.precision == "admin1"


@pytest.mark.model
@pytest.mark.issue(15)
def test_demonyms_are_place_mentions_but_not_locations(nlp, article, resources):
    text = "Canadian officials said the border would stay open."
    doc = nlp(text)
    index = extract_places(doc, article(text), resources=resources)
    canada = next(p for p in index.places if p.country == "CAN")
    assert canada.mention_kinds == ("demonym",) and canada.precision == "country"
    assert index.at(doc[0]) is None  # "Canadian" does not place an event in Canada


@pytest.mark.model
@pytest.mark.issue(15)
def test_outlet_region_breaks_a_tie(nlp, article, resources):
    text = "Officials in Covington said the new bridge would open in the spring."
    local = _places(nlp, article, resources, text, url="https://www.nola.com/news/bridge.html").places
    plain = _places(nlp, article, resources, text).places
    covington = next(p for p in local if p.name == "Covington")
    assert abs(covington.lat - 30.5) < 0.5 and "outlet nola.com" in covington.evidence
    assert next(p for p in plain if p.name == "Covington").lat != covington.lat


@pytest.mark.model
@pytest.mark.issue(15)
def test_event_places_are_labelled(nlp, article, resources):
    from newsevents.extract.registry import run_extractors

    text = "Police arrested 40 protesters in Rafah on Monday."
    art = article(text, published=dt.date(2024, 5, 7))
    events = run_extractors(nlp(text), art, resources)["events"]
    placed = [e for e in events if e.place is not None]
    assert placed and placed[0].place.name == "Rafah" and placed[0].place_source == "clause"
