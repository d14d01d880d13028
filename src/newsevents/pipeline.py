"""The pipeline: stage registry, composition and the batch loop (raw articles in, results or rejections out).

Each stage declares what it requires and provides; `check_stages` verifies the order at start-up, as spaCy's
pipe analysis does for components. Bad data becomes `Rejected`; only this loop catches `Exception`, logs
the traceback with the article id and records `ReasonCode.INTERNAL_ERROR`, and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsevents import __version__
from newsevents.clean import clean_article
from newsevents.contract import result_to_dict
from newsevents.errors import ConfigError
from newsevents.extract import actors, events, places, positions, quotes
from newsevents.extract import time as timex
from newsevents.extract.lexicon import Lexicons
from newsevents.model import Article, ArticleResult, ModelInfo, RawArticle, ReasonCode, Rejected
from newsevents.nlp.load import load_model, model_info

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["PIPELINE_VERSION", "STAGES", "Stage", "analyze_doc", "check_stages", "extract_text", "run_batch"]

log = logging.getLogger(__name__)

PIPELINE_VERSION = f"newsevents {__version__}"


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage("clean.v1", ("raw",), ("article",)),
    Stage("nlp", ("article",), ("doc",)),
    Stage(timex.EXTRACTOR, ("doc", "article"), ("times",)),
    Stage(actors.EXTRACTOR, ("doc", "article"), ("actors",)),
    Stage(places.EXTRACTOR, ("doc", "article"), ("places",)),
    Stage(events.EXTRACTOR, ("doc", "article", "actors", "places", "times"), ("events",)),
    Stage(quotes.EXTRACTOR, ("doc", "article", "actors"), ("quotes",)),
    Stage(positions.EXTRACTOR, ("doc", "article", "actors", "quotes"), ("positions",)),
)


def check_stages(stages: Iterable[Stage] = STAGES) -> None:
    """Raise `ConfigError` when a stage needs something no earlier stage provides.

    Example:
        >>> check_stages()
    """
    have = {"raw"}
    for stage in stages:
        missing = set(stage.requires) - have
        if missing:
            raise ConfigError(
                f"stage {stage.name} requires {sorted(missing)}, which no earlier stage provides"
            )
        have.update(stage.provides)


check_stages()


def analyze_doc(
    doc: Doc, article: Article, model: ModelInfo | None = None, *, lexicons: Lexicons | None = None
) -> ArticleResult:
    """Run every extractor on one parsed article.

    Args:
        doc: ``nlp(article.text)``.
        article: the cleaned article.
        model: provenance of the spaCy model that produced `doc`.
        lexicons: lookup tables (bundled plus user files); the bundled ones by default.

    Returns:
        The `ArticleResult` (what `newsevents extract` prints and the store saves).

    Example:
        >>> result = analyze_doc(nlp(article.text), article)  # doctest: +SKIP
    """
    times = timex.extract_times(doc, article)
    actor_index = actors.extract_actors(doc, article, lexicons=lexicons)
    place_index = places.extract_places(doc, article)
    event_list = events.extract_events(doc, article, actor_index, place_index, times, lexicons=lexicons)
    quote_list = quotes.extract_quotes(doc, article, actor_index)
    position_list = positions.extract_positions(doc, article, actor_index, quote_list)
    return ArticleResult(
        article=article,
        events=tuple(event_list),
        quotes=tuple(quote_list),
        positions=tuple(position_list),
        actors=tuple(actor_index.actors),
        places=tuple(place_index.places),
        times=tuple(times),
        model=model,
        pipeline_version=PIPELINE_VERSION,
        extractors=tuple(s.name for s in STAGES if s.name != "nlp"),
    )


def _clean(raws: Iterable[RawArticle | Rejected]) -> Iterator[Article | Rejected]:
    for raw in raws:
        if isinstance(raw, Rejected):
            yield raw
            continue
        try:
            yield clean_article(raw)
        except Exception as exc:  # a bug in cleaning must not stop the batch
            log.exception("cleaning failed for %s", raw.source)
            yield Rejected(raw.source, "clean", ReasonCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")


def _batches(items: Iterable[Article | Rejected], size: int) -> Iterator[list[Article | Rejected]]:
    batch: list[Article | Rejected] = []
    for item in items:
        batch.append(item)
        if sum(isinstance(i, Article) for i in batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batch(
    raws: Iterable[RawArticle | Rejected],
    nlp: Language,
    *,
    batch_size: int = 16,
    lexicons: Lexicons | None = None,
) -> Iterator[ArticleResult | Rejected]:
    """Clean, parse and extract a stream of raw articles, in input order.

    Args:
        raws: raw articles (and ingest rejections, passed through) from `newsevents.ingest.read_inputs`.
        nlp: a loaded spaCy pipeline (`newsevents.nlp.load_model`).
        batch_size: articles per `nlp.pipe` batch.
        lexicons: lookup tables (`load_lexicons(settings.lexicons)`); the bundled ones by default.

    Yields:
        One `ArticleResult` per article, or a `Rejected` naming the source, stage and reason.

    Example:
        >>> results = list(run_batch(read_inputs(["article.txt"]), load_model()))  # doctest: +SKIP
    """
    info = model_info(nlp)
    for batch in _batches(_clean(raws), batch_size):
        articles = [a for a in batch if isinstance(a, Article)]
        docs = iter(nlp.pipe([a.text for a in articles], batch_size=batch_size))
        for item in batch:
            if isinstance(item, Rejected):
                yield item
                continue
            doc = next(docs)
            try:
                yield analyze_doc(doc, item, info, lexicons=lexicons)
            except Exception as exc:  # a bug in one extractor must not stop the batch
                log.exception("extraction failed for article %s (%s)", item.id, item.source)
                yield Rejected(
                    item.source,
                    "extract",
                    ReasonCode.INTERNAL_ERROR,
                    f"{type(exc).__name__}: {exc}",
                    article_id=item.id,
                )


def extract_text(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    model: str = "auto",
) -> dict[str, Any]:
    """Run the whole pipeline on one article given as a string and return its contract object.

    Args:
        text: the article (plain text; an inline ``date YYYY-MM-DD`` header is honoured).
        title: its headline, if known.
        published: its publication date (ISO), if known.
        url: where it came from, if known (sets the article id).
        model: the spaCy model package, or ``"auto"``.

    Returns:
        The contract dict (see CONTRACT.md).

    Raises:
        ValueError: the text was rejected (empty after cleaning, ...); the message says why.
        ModelError: no usable spaCy model.

    Example:
        >>> extract_text("Israel and Egypt held talks in Cairo.", published="2024-05-07")["events"][0]["type"]
        'CONSULT'
    """
    raw = RawArticle(source=url or "<text>", body=text, title=title, published=published, url=url)
    for item in run_batch([raw], load_model(model)):
        if isinstance(item, Rejected):
            raise ValueError(f"{item.source}: {item.reason.value}: {item.detail}")
        return result_to_dict(item)
    raise ValueError("no article produced")  # pragma: no cover - run_batch yields one item per input
