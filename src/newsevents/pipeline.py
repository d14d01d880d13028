"""The pipeline: raw articles in, results or rejections out (clean -> nlp -> the extractor registry).

The extractors and their order live in `newsevents.extract.registry`; this module runs that list over each
article, and `process` stores the results. Bad data becomes `Rejected`. Only the batch loop catches
`Exception`: a bug in one article (any stage) or a store error while saving it is logged with its traceback,
recorded as a `Rejected` with the stage and ``ReasonCode.INTERNAL_ERROR``, and the batch goes on.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsevents import __version__
from newsevents.clean import clean_article
from newsevents.contract import result_to_dict
from newsevents.errors import NewsEventsError
from newsevents.extract.registry import EXTRACTORS, Extractor, extractor_names, run_extractors
from newsevents.kb import Resources, default_resources
from newsevents.model import Article, ArticleResult, ModelInfo, RawArticle, ReasonCode, Rejected
from newsevents.nlp.load import load_model, model_info

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsevents.store.base import Store

__all__ = [
    "DEFAULT_MAX_CHARS",
    "PIPELINE_VERSION",
    "RunSummary",
    "analyze_doc",
    "extract_text",
    "process",
    "run_batch",
]

log = logging.getLogger(__name__)

PIPELINE_VERSION = f"newsevents {__version__}"

#: Articles longer than this (in characters, before cleaning) are rejected as ``too_large`` before any
#: parsing: spaCy's own ``max_length`` is 1,000,000 and parsing needs about 1 GB per 100,000 words.
DEFAULT_MAX_CHARS = 1_000_000


def analyze_doc(
    doc: Doc,
    article: Article,
    model: ModelInfo | None = None,
    *,
    resources: Resources | None = None,
    extractors: tuple[Extractor, ...] = EXTRACTORS,
) -> ArticleResult:
    """Run every registered extractor on one parsed article.

    Args:
        doc: ``nlp(article.text)``.
        article: the cleaned article.
        model: provenance of the spaCy model that produced `doc`.
        resources: the knowledge base (`newsevents.kb.load_resources`); the bundled one by default.
        extractors: the extractors to run, in order; the registry by default.

    Returns:
        The `ArticleResult` (what `newsevents extract` prints and the store saves).

    Example:
        >>> result = analyze_doc(nlp(article.text), article)  # doctest: +SKIP
    """
    got = run_extractors(doc, article, resources or default_resources(), extractors)
    return _result(article, got, model, extractors)


def _result(
    article: Article, got: dict[str, Any], model: ModelInfo | None, extractors: tuple[Extractor, ...]
) -> ArticleResult:
    actor_index, place_index = got.get("actors"), got.get("places")
    return ArticleResult(
        article=article,
        events=tuple(got.get("events", ())),
        quotes=tuple(got.get("quotes", ())),
        positions=tuple(got.get("positions", ())),
        actors=tuple(actor_index.actors) if actor_index is not None else (),
        places=tuple(place_index.places) if place_index is not None else (),
        times=tuple(got.get("times", ())),
        model=model,
        pipeline_version=PIPELINE_VERSION,
        extractors=("clean.v1", *extractor_names(extractors)),
    )


def _too_large(raw: RawArticle, max_chars: int) -> Rejected:
    return Rejected(
        raw.source,
        "ingest",
        ReasonCode.TOO_LARGE,
        f"{len(raw.body):,} characters, over the cap of {max_chars:,} (--max-chars): "
        "split it or raise the cap",
    )


def _clean(raws: Iterable[RawArticle | Rejected], max_chars: int) -> Iterator[Article | Rejected]:
    for raw in raws:
        if isinstance(raw, Rejected):
            yield raw
            continue
        if len(raw.body) > max_chars:
            yield _too_large(raw, max_chars)
            continue
        try:
            yield clean_article(raw)
        except Exception as exc:  # a bug in cleaning must not stop the batch
            log.exception("cleaning failed for %s", raw.source)
            yield Rejected(raw.source, "clean", ReasonCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")


def _batches(items: Iterable[Article | Rejected], size: int) -> Iterator[list[Article | Rejected]]:
    batch: list[Article | Rejected] = []
    count = 0
    for item in items:
        batch.append(item)
        count += isinstance(item, Article)
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


def _parse(nlp: Language, articles: list[Article], batch_size: int) -> list[Doc | BaseException]:
    """Parse a batch; when the batch fails, parse its articles one by one so one bad text fails alone."""
    try:
        return list(nlp.pipe([a.text for a in articles], batch_size=batch_size))
    except Exception:  # a parse bug: find the article that causes it
        log.warning("parsing a batch of %d articles failed; parsing them one at a time", len(articles))
    docs: list[Doc | BaseException] = []
    for article in articles:
        try:
            docs.append(nlp(article.text))
        except Exception as exc:
            docs.append(exc)
    return docs


def _failure(article: Article, stage: str, exc: BaseException) -> Rejected:
    return Rejected(
        article.source,
        stage,
        ReasonCode.INTERNAL_ERROR,
        f"{type(exc).__name__}: {exc}",
        article_id=article.id,
    )


def _extract(
    doc: Doc, article: Article, res: Resources, info: ModelInfo, extractors: tuple[Extractor, ...]
) -> ArticleResult | Rejected:
    """One article's extraction; an exception becomes its `Rejected`, naming the extractor that raised."""
    stage = ["extract"]

    def entering(name: str) -> None:
        stage[0] = name

    try:
        got = run_extractors(doc, article, res, extractors, on_stage=entering)
    except Exception as exc:  # a bug in one extractor must not stop the batch
        log.exception("extractor %s failed for article %s (%s)", stage[0], article.id, article.source)
        return _failure(article, stage[0], exc)
    return _result(article, got, info, extractors)


def run_batch(
    raws: Iterable[RawArticle | Rejected],
    nlp: Language,
    *,
    batch_size: int = 16,
    resources: Resources | None = None,
    extractors: tuple[Extractor, ...] = EXTRACTORS,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[ArticleResult | Rejected]:
    """Clean, parse and extract a stream of raw articles, in input order, one article at a time.

    Args:
        raws: raw articles (and ingest rejections, passed through) from `newsevents.ingest.read_inputs`.
        nlp: a loaded spaCy pipeline (`newsevents.nlp.load_model`).
        batch_size: articles per `nlp.pipe` batch.
        resources: the knowledge base (`load_resources(settings.lexicons)`); the bundled one by default.
        extractors: the extractors to run, in order; the registry by default.
        max_chars: articles longer than this are rejected as ``too_large`` before cleaning or parsing.

    Yields:
        One `ArticleResult` per article, or a `Rejected` naming the source, stage and reason; an exception in
        one article's cleaning, parsing or extraction becomes its `Rejected` (``internal_error``, with the
        stage: ``clean``, ``nlp`` or the extractor's name) and the batch goes on.

    Example:
        >>> results = list(run_batch(read_inputs(["article.txt"]), load_model()))  # doctest: +SKIP
    """
    res = resources or default_resources()
    info = model_info(nlp)
    limit = min(max_chars, int(getattr(nlp, "max_length", max_chars)))
    for batch in _batches(_clean(raws, limit), batch_size):
        articles = [a for a in batch if isinstance(a, Article)]
        docs = iter(_parse(nlp, articles, batch_size))
        for item in batch:
            if isinstance(item, Rejected):
                yield item
                continue
            doc = next(docs)
            if isinstance(doc, BaseException):
                log.error("parsing failed for article %s (%s): %s", item.id, item.source, doc)
                yield _failure(item, "nlp", doc)
                continue
            yield _extract(doc, item, res, info, extractors)


@dataclass(slots=True)
class RunSummary:
    """What one `process` run did: per-status counts, and the rejections and failures it recorded.

    ``received = new + updated + unchanged + duplicate + rejected + failed + filtered``: the run ledger's
    ``stored`` is new + updated and its ``quarantined`` is rejected + failed. `failed` counts articles that
    hit a bug or a store error (``internal_error``), `rejected` inputs that are bad data (unreadable, empty,
    too large...), `filtered` units that are deliberately not articles (`ReasonCode.filtered`).
    """

    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejected] = field(default_factory=list)
    run_id: str | None = None

    @property
    def stored(self) -> int:
        """Articles written by this run (new or updated)."""
        return self.counts["new"] + self.counts["updated"]

    @property
    def read(self) -> int:
        """Articles that reached the store, changed or not."""
        return self.stored + self.counts["unchanged"] + self.counts["duplicate"]

    @property
    def failed(self) -> int:
        """Articles lost to a bug or a store error (see `rejections`)."""
        return self.counts["failed"]

    @property
    def quarantined(self) -> int:
        """Units turned away as bad data or failures: what `newsevents retry` re-runs."""
        return self.counts["rejected"] + self.failed

    @property
    def received(self) -> int:
        """Every input unit this run saw."""
        return self.read + self.quarantined + self.counts["filtered"]


def process(
    items: Iterable[ArticleResult | Rejected],
    store: Store,
    *,
    on_item: Any = None,
    run_id: str | None = None,
) -> RunSummary:
    """Store a stream of results, each article in its own transaction; a failure is recorded, never raised.

    Args:
        items: what `run_batch` yields.
        store: an open `newsevents.store.Store`.
        on_item: called with ``(item, status)`` after each item (the CLI reports progress with it).
        run_id: a run opened with `Store.start_run`: every unit is written to its ledger in the same
            transaction as its result.

    Returns:
        The `RunSummary`.

    Raises:
        StoreError: only when a rejection itself cannot be recorded (the database is unusable).

    Example:
        >>> summary = process(run_batch(read_inputs(["a.txt"]), nlp), store)  # doctest: +SKIP
    """
    summary = RunSummary(run_id=run_id)
    for item in items:
        if isinstance(item, ArticleResult):
            try:
                status = store.save_result(item, run_id=run_id)
            except Exception as exc:  # a store error or a bug while saving one article: that article fails
                # The article's transaction was rolled back; record it and go on with the rest.
                if isinstance(exc, NewsEventsError):
                    log.error(
                        "could not store article %s (%s): %s", item.article.id, item.article.source, exc
                    )
                else:
                    log.exception("saving article %s (%s) failed", item.article.id, item.article.source)
                detail = str(exc) if isinstance(exc, NewsEventsError) else f"{type(exc).__name__}: {exc}"
                item = Rejected(
                    item.article.source,
                    "store",
                    ReasonCode.INTERNAL_ERROR,
                    detail,
                    article_id=item.article.id,
                )
            else:
                summary.counts[status] += 1
                if on_item is not None:
                    on_item(item, status)
                continue
        if item.reason.filtered:
            outcome = "filtered"
        else:
            outcome = "failed" if item.reason is ReasonCode.INTERNAL_ERROR else "rejected"
            summary.rejections.append(item)
        summary.counts[outcome] += 1
        store.save_rejection(item, run_id=run_id)
        if on_item is not None:
            on_item(item, outcome)
    return summary


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
