"""Benchmark: time each stage on a corpus and report it as a ratio of bare spaCy on the same texts, same run.

Ratios (not seconds) are what we compare across machines: ``actors / parse = 0.04`` means actor coding
adds 4% to the spaCy parse time of the same text.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsevents.clean import clean_article
from newsevents.extract import actors, events, places, quotes
from newsevents.extract import time as timex
from newsevents.model import Article, RawArticle
from newsevents.nlp.load import load_model, resolve_model_name

__all__ = ["BenchReport", "run_bench"]


@dataclass(slots=True)
class BenchReport:
    """Seconds per stage, the bare-spaCy baseline, and peak memory."""

    docs: int
    chars: int
    model: str
    bare_spacy: float
    stages: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    def ratios(self) -> dict[str, float]:
        """Each stage's time divided by bare spaCy's time on the same texts."""
        return {k: round(v / self.bare_spacy, 4) if self.bare_spacy else 0.0 for k, v in self.stages.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "chars": self.chars,
            "model": self.model,
            "bare_spacy_seconds": round(self.bare_spacy, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stages.items()},
            "ratio_to_bare_spacy": self.ratios(),
            "docs_per_second": round(self.docs / sum(self.stages.values()), 2) if self.stages else 0.0,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _lap(stages: dict[str, float], name: str, since: float) -> float:
    now = time.perf_counter()
    stages[name] += now - since
    return now


def run_bench(texts: Sequence[tuple[str, str]], model: str = "auto", *, batch_size: int = 16) -> BenchReport:
    """Time bare spaCy, then every newsevents stage, on the same texts in one process.

    Args:
        texts: (source, raw text) pairs.
        model: the spaCy model package, or ``"auto"``.
        batch_size: `nlp.pipe` batch size for both runs.

    Returns:
        A `BenchReport`; `BenchReport.ratios` gives each stage relative to bare spaCy.

    Example:
        >>> run_bench([("a", "Israel and Egypt held talks.")]).docs  # doctest: +SKIP
        1
    """
    import spacy

    package = resolve_model_name(model)
    bare = spacy.load(package)
    raws = [RawArticle(source=src, body=body) for src, body in texts]
    cleaned, t_clean = _timed(lambda: [clean_article(r) for r in raws])
    articles = [a for a in cleaned if isinstance(a, Article)]
    plain = [a.text for a in articles]
    nlp = load_model(model)
    bare(plain[0] if plain else "Warm up.")  # first calls allocate; keep that out of both timings
    nlp(plain[0] if plain else "Warm up.")
    _, t_bare = _timed(lambda: list(bare.pipe(plain, batch_size=batch_size)))
    warm = Article(id="warm-up", source="warm-up", text="Israel and Egypt held talks in Cairo.")
    warm_doc = nlp(warm.text)  # load lexicons and the gazetteer outside the timed runs
    actors.extract_actors(warm_doc, warm)
    places.extract_places(warm_doc, warm)
    docs, t_parse = _timed(lambda: list(nlp.pipe(plain, batch_size=batch_size)))
    stages = {
        "clean": t_clean,
        "parse": t_parse,
        "time": 0.0,
        "actors": 0.0,
        "places": 0.0,
        "events": 0.0,
        "quotes": 0.0,
    }
    for doc, art in zip(docs, articles, strict=True):
        clock = time.perf_counter()
        tx = timex.extract_times(doc, art)
        clock = _lap(stages, "time", clock)
        ax = actors.extract_actors(doc, art)
        clock = _lap(stages, "actors", clock)
        px = places.extract_places(doc, art)
        clock = _lap(stages, "places", clock)
        events.extract_events(doc, art, ax, px, tx)
        clock = _lap(stages, "events", clock)
        quotes.extract_quotes(doc, art, ax)
        _lap(stages, "quotes", clock)
    meta = nlp.meta
    return BenchReport(
        docs=len(articles),
        chars=sum(len(t) for t in plain),
        model=f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
        bare_spacy=t_bare,
        stages=stages,
        peak_rss_mb=_peak_rss_mb(),
    )
