"""Round trips into the tools analysts use: pandas reads every export with CAMEO codes intact and the right
dtypes; datasette serves the SQLite file (a real server on 127.0.0.1, started and stopped here)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newsevents.export import export_events, export_parquet
from newsevents.link import link_store
from newsevents.store import EventFilter, SQLiteStore
from tests.conftest import free_port
from tests.store.test_sqlite import make_result


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with SQLiteStore(path) as s:
        s.save_result(make_result("art-1", title='=HYPERLINK("http://x")'))
        s.save_result(make_result("art-2", content_hash="hash-2"))
        link_store(s)
    return path


def _text_export(db: Path, fmt: str) -> str:
    out = io.StringIO()
    with SQLiteStore(db) as s:
        export_events(s, EventFilter(), fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_pandas_reads_csv_and_tsv_with_cameo_codes_intact(db: Path, fmt: str) -> None:
    text = _text_export(db, fmt)
    frame = pd.read_csv(io.StringIO(text), sep="," if fmt == "csv" else "\t", dtype={"cameo": str})
    assert sorted(frame["cameo"]) == ["040", "150"]  # zero-padded, as written
    # Numbers stay numbers even with pandas' own guessing.
    assert frame["goldstein"].dtype.kind == "f" and frame["quad_class"].dtype.kind == "i"
    assert frame["n_mentions"].dtype.kind == "i"
    # Without a dtype, pandas would read "040" as 40: the documented reason to pass dtype={"cameo": str}.
    guessed = pd.read_csv(io.StringIO(text), sep="," if fmt == "csv" else "\t")
    assert sorted(guessed["cameo"]) == [40, 150]


def test_pandas_reads_parquet_typed_without_any_dtype_hints(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    with SQLiteStore(db) as s:
        n = export_parquet(s, EventFilter(), path)
    frame = pd.read_parquet(path)
    assert len(frame) == n == 2
    assert sorted(frame["cameo"]) == ["040", "150"]
    assert str(frame["quad_class"].dtype) == "int32"
    assert str(frame["goldstein"].dtype) == "float64" and str(frame["lat"].dtype) == "float64"
    published = [v for v in frame["article_published"] if v is not None]
    assert published and all(type(v).__name__ == "date" for v in published)
    assert frame["cameo"].map(type).eq(str).all()


def test_parquet_of_nothing_is_a_valid_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "none.parquet"
    with SQLiteStore(tmp_path / "empty.db") as s:
        assert export_parquet(s, EventFilter(), path) == 0
    assert len(pd.read_parquet(path)) == 0


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_datasette_serves_the_database_views_and_full_text_search(db: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/news"
        deadline = time.monotonic() + 30
        while True:
            try:
                tables = _get(f"{base}.json")
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"datasette did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from exc
                time.sleep(0.3)
        names = {t["name"] for t in tables["tables"]}
        assert {"articles", "events", "quotes", "articles_fts", "quotes_fts"} <= names
        assert {"event_rows", "quote_rows", "happening_rows"} <= {v["name"] for v in tables["views"]}
        rows = _get(f"{base}/event_rows.json?_shape=array")
        assert {r["cameo"] for r in rows} == {"040", "150"}
        assert any(r["actor_name"] == "Joe Biden" for r in rows)
        found = _get(f"{base}/articles.json?_search=Netanyahu&_shape=array")
        assert sorted(r["id"] for r in found) == ["art-1", "art-2"]
        assert _get(f"{base}/quotes.json?_search=Rafah&_shape=array")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            server.kill()
        if server.stderr:
            server.stderr.close()
