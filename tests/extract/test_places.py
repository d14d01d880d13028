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
