"""The web app in a real headless Chromium (Debian's chromium, driven by Playwright), against a real
``newsevents serve`` process: on the samples, on a generated store of 100,000 events, and on a store
seeded with script-injection payloads (a dialog listener proves none runs).

Screenshots of each page (from the samples) are written to docs/screenshots/ for the README.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsevents.serve.web import STATIC
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
PAYLOADS = (
    "<script>alert('title')</script>",
    '"><img src=x onerror=alert("img")>',
    "<svg onload=alert('svg')>",
    "javascript:alert('href')",
    "</textarea><iframe srcdoc=\"<script>alert('frame')</script>\">",
)

pytestmark = pytest.mark.skipif(not (STATIC / "index.html").is_file(), reason="the web app is not packaged")


def _chromium() -> str | None:
    return (
        os.environ.get("NEWSEVENTS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        if os.environ.get("NEWSEVENTS_REQUIRE_BROWSER"):
            pytest.fail(
                "no Chromium/Playwright: .ci/run installs Debian's chromium and the playwright package"
            )
        pytest.skip("no Chromium or Playwright here (apt install chromium; pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Server:
    """``newsevents serve`` on a free port of 127.0.0.1, stopped at the end."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsevents", "--db", str(db), "serve", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/stats", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode() if self.proc.stderr else "") from None
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("newsevents serve did not answer within 60 s")

    def api(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=60) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture(scope="module")
def samples_server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path, nlp: Any) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web") / "samples.db"
    done = subprocess.run(
        [sys.executable, "-m", "newsevents", "--db", str(db), "process", str(samples_dir), "--no-progress"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    server = Server(db)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path, nlp: Any) -> Iterator[Server]:
    from newsevents.bench import generate_store

    db = tmp_path_factory.mktemp("web") / "big.db"
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(samples_dir.glob("*.txt"))]
    counts = generate_store(db, texts, 100_000)
    assert counts["happenings"] >= 100_000
    server = Server(db)
    yield server
    server.stop()


def _hostile_results() -> list[Any]:
    from tests.store.test_sqlite import TEXT, make_result

    out = []
    for i, payload in enumerate(PAYLOADS):
        base = make_result(f"x{i}", content_hash=f"x{i}")
        text = TEXT + " " + payload
        events = tuple(
            dataclasses.replace(
                e,
                actors=tuple(dataclasses.replace(a, name=payload) for a in e.actors),
                place=dataclasses.replace(e.place, name=payload) if e.place else None,
            )
            for e in base.events
        )
        article = dataclasses.replace(base.article, text=text, title=payload, url=payload, source=payload)
        out.append(
            dataclasses.replace(
                base,
                article=article,
                events=events,
                quotes=tuple(dataclasses.replace(q, text=payload) for q in base.quotes),
                actors=tuple(dataclasses.replace(a, name=payload) for a in base.actors),
                places=tuple(dataclasses.replace(p, name=payload) for p in base.places),
            )
        )
    return out


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from newsevents.link import link_store
    from newsevents.store import SQLiteStore

    db = tmp_path_factory.mktemp("web") / "hostile.db"
    with SQLiteStore(db) as store:
        for result in _hostile_results():
            store.save_result(result)
        link_store(store)
    server = Server(db)
    yield server
    server.stop()


class Watched:
    """A page whose dialogs, page errors and CSP violations are recorded."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(msg.text)
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )

    def go(self, url: str, page: str) -> Any:
        """Open `url` and wait until `page` is drawn. A hash change is a same-document navigation, for which
        Playwright's "networkidle" has long been reached, so the page's own drawn element is waited for."""
        self.page.goto(url)
        self.page.wait_for_selector(f"[data-page='{page}']", timeout=20_000)
        if page in DRAWN:
            self.page.wait_for_selector(f"[data-page='{page}'] {DRAWN[page]}", timeout=30_000)
        self.page.wait_for_load_state("networkidle")
        return self.page


#: What each page shows once its data has arrived and is drawn.
DRAWN = {
    "events": "#events-table tbody tr",
    "timeline": "svg rect",
    "map": "svg circle",
    "network": "svg circle",
    "stories": "a[href^='#/story/']",
}


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.page.close()


def _rows(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#events-table tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
    )


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_every_page_renders_on_the_samples(samples_server: Server, watched: Watched) -> None:
    base = samples_server.url
    page = watched.go(base + "/#/events", "events")
    page.wait_for_selector("#events-table tbody tr")
    assert _rows(page)
    _shot(page, "events")
    event = samples_server.api("/api/events?limit=1")["items"][0]
    page = watched.go(f"{base}/#/article/{event['article_id']}", "article")
    page.wait_for_selector("#article-text mark.hl-event")
    assert page.locator("#legend").is_visible()
    placeholder = page.locator("#record").inner_text()
    page.locator("#article-text mark.hl-event").first.click()
    page.wait_for_function(
        "(before) => document.querySelector('#record').innerText !== before", arg=placeholder
    )
    assert "type" in page.locator("#record").inner_text().lower()
    assert "[object Object]" not in page.inner_text("body")
    _shot(page, "article")
    for name in ("timeline", "map", "network", "stories"):
        page = watched.go(f"{base}/#/{name}", name)
        _shot(page, name)
    page = watched.go(f"{base}/#/timeline", "timeline")
    assert page.locator("[data-page='timeline'] svg rect").count() > 0
    # The axis is continuous: every day from the first to the last is a slot, empty days included.
    counted = samples_server.api("/api/aggregates/histogram?interval=auto")["items"]
    days = sorted({row["period"] for row in counted})
    first, last = (dt.date.fromisoformat(d) for d in (days[0], days[-1]))
    drawn = page.get_attribute("[data-page='timeline'] svg.timeline-chart", "data-periods")
    assert drawn is not None and int(drawn) == (last - first).days + 1 > len(days)
    page = watched.go(f"{base}/#/map", "map")
    assert page.locator("[data-page='map'] svg path").count() > 50  # country outlines
    assert page.locator("[data-page='map'] svg circle").count() > 0
    page = watched.go(f"{base}/#/network", "network")
    assert page.locator("[data-page='network'] svg circle").count() > 1
    story = samples_server.api("/api/stories?limit=1")["items"][0]
    page = watched.go(f"{base}/#/story/{story['id']}", "story")
    page.wait_for_selector(f"a[href='#/article/{story['articles'][0]}']")
    _shot(page, "story")
    assert watched.dialogs == [] and watched.errors == []


def test_filters_change_the_results_and_the_download_matches(
    samples_server: Server, watched: Watched
) -> None:
    base = samples_server.url
    counts = samples_server.api("/api/stats")["events_by_type"]
    kind = max(counts, key=lambda r: r["n"])["type"]
    page = watched.go(base + "/#/events", "events")
    page.wait_for_selector("#events-table tbody tr")
    everything = _rows(page)
    page.fill("#filters [name=type]", kind)
    page.locator("#filters button[type=submit], #filters input[type=submit]").first.click()
    page.wait_for_function("() => location.hash.includes('type=')")
    page.wait_for_load_state("networkidle")
    filtered = _rows(page)
    assert filtered and len(filtered) < len(everything)
    api = samples_server.api(f"/api/events?type={kind}&limit=100")["items"]
    assert len(filtered) == len(api)
    page.wait_for_function("() => document.querySelector('#event-count').textContent.includes('matching')")
    assert f"of {len(api)} matching happenings" in page.inner_text("#event-count")
    href = page.get_attribute("#download-csv", "href")
    assert href and "type=" + kind in href
    body = page.request.get(base + href if href.startswith("/") else href).text()
    lines = [line for line in body.splitlines()[1:] if line]
    assert len(lines) == len(api)
    assert all(f",{kind}," in line for line in lines)


def test_a_store_of_100000_events_stays_responsive(big_server: Server, watched: Watched) -> None:
    base = big_server.url
    timings = {}
    for name, selector in [
        ("events", "#events-table tbody tr"),
        ("timeline", "[data-page='timeline'] svg rect"),
        ("map", "[data-page='map'] svg circle"),
        ("network", "[data-page='network'] svg circle"),
        ("stories", "[data-page='stories'] a"),
    ]:
        # From navigation to the page drawn (not counting the wait for the network to go quiet).
        start = time.perf_counter()
        watched.page.goto(f"{base}/#/{name}")
        watched.page.wait_for_selector(selector, timeout=30_000)
        timings[name] = round(time.perf_counter() - start, 2)
        page = watched.go(f"{base}/#/{name}", name)
    page = watched.go(base + "/#/events", "events")
    page.wait_for_selector("#events-table tbody tr")
    rows = _rows(page)
    assert 0 < len(rows) <= 100  # the browser never receives everything
    page.locator("#load-more").click()
    page.wait_for_function(f"() => document.querySelectorAll('#events-table tbody tr').length > {len(rows)}")
    (SHOTS.parent / "web-timings.json").write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
    assert watched.dialogs == [] and watched.errors == []


def test_script_injection_payloads_never_run(hostile_server: Server, watched: Watched) -> None:
    base = hostile_server.url
    articles = hostile_server.api("/api/articles?limit=50")["items"]
    stories = hostile_server.api("/api/stories?limit=50")["items"]
    assert len(articles) == len(PAYLOADS)
    for name in ("events", "timeline", "map", "network", "stories"):
        watched.go(f"{base}/#/{name}", name)
    page = watched.go(f"{base}/#/events?actor=script", "events")
    for article in articles:
        page = watched.go(f"{base}/#/article/{article['id']}", "article")
        page.wait_for_selector("mark")
        for mark in page.locator("mark").all()[:6]:
            mark.click()
    for story in stories:
        watched.go(f"{base}/#/story/{story['id']}", "story")
    # The payloads are shown as text, and nothing they carry exists as an element.
    page = watched.go(f"{base}/#/article/{articles[0]['id']}", "article")
    page.wait_for_selector("mark")
    assert "<script>" in page.inner_text("body") or "onerror" in page.inner_text("body")
    assert page.locator("iframe, img[src='x'], [data-page] script").count() == 0
    assert watched.dialogs == [], watched.dialogs
    assert watched.errors == [], watched.errors
