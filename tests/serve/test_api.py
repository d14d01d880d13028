"""The HTTP API on both backends: every route, every filter, pages, errors, downloads and headers."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from newsevents.export import export_events
from newsevents.link import link_store
from newsevents.serve import create_app
from newsevents.serve.api import SECURITY_HEADERS
from newsevents.store import EventFilter, open_store
from tests.store.test_sqlite import make_result

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _seed(url: str) -> None:
    with open_store(url) as store:
        for i in range(7):
            result = make_result(f"a{i}", content_hash=f"h{i}", published=dt.date(2024, 5, 1 + 3 * i))
            if i == 3:
                article = dataclasses.replace(result.article, source="feeds/wire.xml#3")
                result = dataclasses.replace(result, article=article)
            store.save_result(result)
        link_store(store)


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    _seed(store_url)
    with TestClient(create_app(store_url)) as c:
        yield c


def _all(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, following `next` two at a time."""
    items: list[dict[str, Any]] = []
    params = {**params, "limit": 2}
    while True:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next", "limit"} and page["limit"] == 2
        items.extend(page["items"])
        if page["next"] is None:
            return items
        params["after"] = page["next"]


def test_listings_page_through_everything_once(client: TestClient, store_url: str) -> None:
    with open_store(store_url) as store:
        expected = {
            "/api/articles": store.counts()["articles"],
            "/api/quotes": store.counts()["quotes"],
            "/api/actors": store.counts()["actors"],
            "/api/places": store.counts()["places"],
            "/api/stories": store.counts()["stories"],
        }
        events = list(store.iter_events(EventFilter(mentions=True)))
    for path, n in expected.items():
        items = _all(client, path)
        assert len(items) == n, path
        assert len({i["id"] for i in items}) == n, path
    assert _all(client, "/api/events", mentions="true") == events
    assert len(_all(client, "/api/positions")) == 7


def test_event_filters_change_the_results(client: TestClient, store_url: str) -> None:
    with open_store(store_url) as store:

        def ids(**kw: Any) -> list[str]:
            return [e["id"] for e in store.iter_events(EventFilter(mentions=True, **kw))]

        cases = [
            ({"type": "consult"}, ids(type="consult")),
            ({"actor": "biden"}, ids(actor="biden")),
            ({"recipient": "ISR"}, ids(recipient="ISR")),
            ({"dyad": "USA,ISR"}, ids(dyad=("USA", "ISR"))),
            ({"country": "pse"}, ids(country="pse")),
            ({"place": "rafa"}, ids(place="rafa")),
            ({"source": "wire"}, ids(source="wire")),
            ({"q": "TROOPS"}, ids(query="troops")),
            (
                {"since": "2024-05-10", "until": "2024-05-14"},
                ids(since=dt.date(2024, 5, 10), until=dt.date(2024, 5, 14)),
            ),
            ({"factuality": "asserted"}, ids(factuality="asserted")),
        ]
        every = ids()
    for params, want in cases:
        got = [e["id"] for e in _all(client, "/api/events", mentions="true", **params)]
        assert got == want, params
        count = client.get("/api/aggregates/count", params={"mentions": "true", **params}).json()
        assert count == {"n": len(want)}, params
        assert (want and len(want) < len(every)) or params == {"factuality": "asserted"}, params
    story = client.get("/api/stories", params={"limit": 1}).json()["items"][0]["id"]
    in_story = _all(client, "/api/events", story=story)
    assert in_story and all(e["story_id"] == story for e in in_story)
    happenings = _all(client, "/api/events")
    assert client.get("/api/aggregates/count", params={"limit": 1}).json()["n"] == len(happenings)


def test_records_aggregates_and_their_errors(client: TestClient) -> None:
    article = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    full = client.get(f"/api/articles/{article['id']}").json()
    assert full["article"]["id"] == article["id"] and "events" in full and "quotes" in full
    event = client.get("/api/events").json()["items"][0]
    happening = client.get(f"/api/happenings/{event['happening_id']}").json()
    assert happening["happening_id"] == event["happening_id"] and happening["mentions"]
    story = client.get("/api/stories").json()["items"][0]
    assert client.get(f"/api/stories/{story['id']}").json()["id"] == story["id"]
    timeline = client.get(f"/api/stories/{story['id']}/timeline").json()
    assert timeline["story"]["id"] == story["id"] and timeline["happenings"]
    stats = client.get("/api/stats").json()
    assert stats["counts"]["articles"] == 7
    weeks = client.get("/api/aggregates/histogram", params={"interval": "week", "mentions": "true"}).json()
    assert sum(w["n"] for w in weeks["items"]) == stats["counts"]["events"]
    places = client.get("/api/aggregates/places", params={"country": "PSE"}).json()["items"]
    assert places and places[0]["name"] == "Rafah"
    pairs = client.get("/api/aggregates/dyads", params={"top": 1}).json()["items"]
    assert len(pairs) == 1 and pairs[0]["source"] == "USAGOV"
    for path in [
        "/api/articles/nope",
        "/api/stories/nope",
        "/api/stories/nope/timeline",
        "/api/happenings/x",
    ]:
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/events", {"limit": 0}),
        ("/api/events", {"limit": 501}),
        ("/api/events", {"since": "yesterday"}),
        ("/api/events", {"after": "not-a-cursor"}),
        ("/api/events", {"dyad": "USA"}),
        ("/api/aggregates/histogram", {"interval": "hour"}),
        ("/api/aggregates/places", {"top": 0}),
        ("/api/quotes", {"until": "2024-13-01"}),
        ("/api/export", {"format": "xlsx"}),
    ],
)
def test_bad_parameters_get_one_error_shape(client: TestClient, path: str, params: dict[str, Any]) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request" and error["message"]


def test_no_writes_and_security_headers_everywhere(client: TestClient) -> None:
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/events")
        assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
    for path in ["/api/stats", "/api/nope", "/openapi.json", "/api/events?limit=0"]:
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
    assert "unsafe-inline" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_downloads_match_the_filter(client: TestClient, store_url: str) -> None:
    import pyarrow.parquet as pq

    params = {"type": "consult", "mentions": "true"}
    response = client.get("/api/export", params={**params, "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    with open_store(store_url) as store:
        out = io.StringIO()
        export_events(store, EventFilter(type="consult", mentions=True), "csv", out)
    assert response.text == out.getvalue()
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and all(r["type"] == "CONSULT" for r in rows)
    parquet = client.get("/api/export", params={**params, "format": "parquet"})
    assert parquet.status_code == 200
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == len(rows)
    lines = client.get("/api/export", params={**params, "format": "jsonl"}).text.splitlines()
    assert len(lines) == len(rows)


def test_the_openapi_document_lists_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = set(spec["paths"])
    assert {
        "/api/stats",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/events",
        "/api/happenings/{happening_id}",
        "/api/quotes",
        "/api/positions",
        "/api/actors",
        "/api/places",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/timeline",
        "/api/aggregates/count",
        "/api/aggregates/histogram",
        "/api/aggregates/places",
        "/api/aggregates/dyads",
        "/api/export",
    } <= routes
    assert spec["components"]["schemas"]["ErrorBody"]


def test_the_app_serves_again_after_a_restart(store_url: str) -> None:
    _seed(store_url)
    app = create_app(store_url)
    for _ in range(2):  # shutting down closes every connection; starting again opens new ones
        with TestClient(app) as c:
            assert c.get("/api/stats").json()["counts"]["articles"] == 7


def test_concurrent_requests_each_get_a_store_of_their_own_thread(client: TestClient) -> None:
    """FastAPI runs a request's dependencies and its endpoint on worker threads that may differ; a store
    opened on one thread must never be used on another (SQLite refuses; a shared one would interleave)."""
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/api/aggregates/places", "/api/events", "/api/aggregates/histogram", "/api/stats"] * 30
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda path: client.get(path).status_code, paths))
    assert statuses == [200] * len(paths)
