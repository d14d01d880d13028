"""newsevents: who did what to whom, when and where, and who said what, from raw news articles.

The public API is small and stable; heavy modules (spaCy) load only when first used::

    >>> import newsevents
    >>> result = newsevents.extract_text(" date 2024-05-07 Israel and Egypt held talks.")  # doctest: +SKIP
    >>> result["events"][0]["type"]  # doctest: +SKIP
    'CONSULT'
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

__version__ = "0.2.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "Article": "newsevents.model",
    "ArticleResult": "newsevents.model",
    "RawArticle": "newsevents.model",
    "Rejected": "newsevents.model",
    "NewsEventsError": "newsevents.errors",
    "ModelError": "newsevents.errors",
    "StoreError": "newsevents.errors",
    "read_inputs": "newsevents.ingest",
    "clean_article": "newsevents.clean",
    "load_model": "newsevents.nlp",
    "run_batch": "newsevents.pipeline",
    "process": "newsevents.pipeline",
    "load_resources": "newsevents.kb",
    "Resources": "newsevents.kb",
    "analyze_doc": "newsevents.pipeline",
    "extract_text": "newsevents.pipeline",
    "result_to_dict": "newsevents.contract",
    "open_store": "newsevents.store",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsevents' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
