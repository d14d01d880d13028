"""The read-only JSON API under ``/api/``: every listing, one record, aggregates and exports of a store.

Responses carry the contract's shapes (``../shared/CONTRACT.md``), the same objects as the command line's
``--json``. Listings are pages: ``{"items": [...], "next": <cursor or null>, "limit": n}``; pass ``next``
back as ``after`` for the following page (keyset pagination: stable under inserts, no deep OFFSET).
``limit`` is capped at `newsevents.store.queries.MAX_LIMIT`. Every error, whatever raised it, has one
shape: ``{"error": {"status": 404, "code": "not_found", "message": "..."}}``.

Each worker thread opens its own connection to the store (SQLite connections belong to one thread); the
application never writes: there are only GET routes.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from newsevents import __version__
from newsevents.errors import ConfigError, StoreError
from newsevents.store import (
    ActorFilter,
    ArticleFilter,
    EventFilter,
    PlaceFilter,
    PositionFilter,
    QuoteFilter,
    Store,
    StoryFilter,
    next_cursor,
    open_store,
)
from newsevents.store.queries import DEFAULT_LIMIT, MAX_LIMIT, PageFilter, parse_dyad

__all__ = ["SECURITY_HEADERS", "create_app"]

log = logging.getLogger(__name__)

#: Sent with every response. Article text is untrusted: no inline script, nothing from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_EXPORT_TYPES = {
    "jsonl": ("application/x-ndjson", "jsonl"),
    "plover": ("application/x-ndjson", "plover.jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "gdelt-events": ("text/tab-separated-values; charset=utf-8", "gdelt-events.tsv"),
    "gdelt-mentions": ("text/tab-separated-values; charset=utf-8", "gdelt-mentions.tsv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status.")
    code: str = Field(description="A stable machine-readable code, e.g. not_found, bad_request.")
    message: str = Field(description="What went wrong, for a person.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class Page(BaseModel):
    """One page of a listing."""

    items: list[dict[str, Any]] = Field(description="The records, in the contract's shapes.")
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")
    limit: int = Field(description="The page size used.")


class Count(BaseModel):
    """How many rows match."""

    n: int


class Items(BaseModel):
    """An aggregate: every row is returned (bounded by `top` where it applies)."""

    items: list[dict[str, Any]]


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is invalid."},
    404: {"model": ErrorBody, "description": "No such record."},
    500: {"model": ErrorBody, "description": "An unexpected server error."},
    503: {"model": ErrorBody, "description": "The database cannot be read."},
}

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 503: "store_unavailable"}


def _error(status: int, message: str, code: str | None = None) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(status=status, code=code or _CODES.get(status, "error"), message=message)
    )
    return JSONResponse(body.model_dump(), status_code=status)


class _StorePool:
    """One open store per worker thread, all closed together."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Store] = []
        self._generation = 0

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "generation", -1) != self._generation:
            store = open_store(self.url)
            self._local.store, self._local.generation = store, self._generation
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        """Close every store; a later `get` (the application started again) opens new ones."""
        with self._lock:
            stores, self._all = self._all, []
            self._generation += 1
        for store in stores:
            try:
                store.close()
            except Exception:
                log.debug("left the connection to %s to the garbage collector", store.name)


class _SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


# -- parameters -----------------------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")]
After = Annotated[
    str | None,
    Query(
        max_length=2000,
        pattern=r"^[A-Za-z0-9_-]+={0,2}$",
        description="The `next` cursor of the previous page (opaque: pass it back unchanged).",
    ),
]
Since = Annotated[dt.date | None, Query(description="On or after this day (YYYY-MM-DD).")]
Until = Annotated[dt.date | None, Query(description="On or before this day (YYYY-MM-DD).")]
Text = Annotated[str | None, Query(max_length=200)]
Top = Annotated[int, Query(ge=1, le=1000, description="How many rows at most.")]


def event_filter(
    since: Since = None,
    until: Until = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="Actor or recipient name or code.")
    ] = None,
    recipient: Annotated[str | None, Query(max_length=200, description="Recipient name or code.")] = None,
    dyad: Annotated[
        str | None,
        Query(
            max_length=401,
            pattern=r"^[^,]*,[^,]*$",
            description="ACTOR,RECIPIENT: one report with both, e.g. USA,IRN.",
        ),
    ] = None,
    type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT.")] = None,
    factuality: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[
        str | None, Query(max_length=3, description="Place country, ISO 3166 alpha-3.")
    ] = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name substring.")] = None,
    source: Annotated[str | None, Query(max_length=500, description="Article source substring.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Sentence or title substring.")] = None,
    story: Annotated[str | None, Query(max_length=100, description="Only this story's happenings.")] = None,
    mentions: Annotated[bool, Query(description="One row per report instead of per happening.")] = False,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> EventFilter:
    return EventFilter(
        since=since,
        until=until,
        limit=limit,
        after=after,
        actor=actor,
        recipient=recipient,
        dyad=None if dyad is None else parse_dyad(dyad),
        type=type,
        factuality=factuality,
        country=country,
        place=place,
        source=source,
        query=q,
        story_id=story,
        mentions=mentions,
    )


Events = Annotated[EventFilter, Depends(event_filter)]


class _ThreadStore:
    """Stands for the store of whichever thread calls it.

    FastAPI resolves a request's dependencies and runs its endpoint as separate calls on the worker thread
    pool, often on different threads, so a dependency must not hand out one thread's store. Each method
    call made through this object goes to the calling thread's own store instead.
    """

    def __init__(self, pool: _StorePool) -> None:
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool.get(), name)


def _store(request: Request) -> Store:
    """The store, as the thread that runs the endpoint will see it."""
    pool: _StorePool = request.app.state.pool
    return cast(Store, _ThreadStore(pool))


Db = Annotated[Store, Depends(_store)]


def _page(rows: list[dict[str, Any]], filters: PageFilter) -> Page:
    return Page(items=rows, next=next_cursor(rows, filters), limit=filters.page_size)


# -- the application ------------------------------------------------------------------------------------


def create_app(db: str, *, web: bool = True) -> FastAPI:
    """The ASGI application over the store at `db` (a SQLite path or a ``postgresql://`` URL).

    Args:
        db: the database; it is opened once per worker thread on first use.
        web: also serve the web app at ``/`` (when its files are packaged).

    Returns:
        A FastAPI application; run it with uvicorn (``newsevents serve`` does).
    """
    pool = _StorePool(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="newsevents",
        version=__version__,
        summary="Who did what to whom, when and where, and who said what: read-only API over a store.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        responses=_ERRORS,
    )
    app.add_middleware(_SecurityHeaders)
    _handlers(app)
    app.state.pool = pool

    @app.get("/api/stats", tags=["store"])
    def stats(db: Db, top: Top = 10) -> dict[str, Any]:
        """Counts, events by type and factuality, the most active actors, date range, sources per article."""
        return db.stats(top=top)

    @app.get("/api/articles", response_model=Page, tags=["articles"])
    def articles(
        db: Db,
        since: Since = None,
        until: Until = None,
        q: Text = None,
        story: Text = None,
        limit: Limit = DEFAULT_LIMIT,
        after: After = None,
    ) -> Page:
        """Articles by publication date: id, source, title, dates, event and quote counts, sources, story."""
        f = ArticleFilter(since=since, until=until, query=q, story_id=story, limit=limit, after=after)
        return _page(db.list_articles(f), f)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(db: Db, article_id: str) -> dict[str, Any]:
        """One article's contract object: cleaned text, what cleaning removed, and every span."""
        found = db.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return found

    @app.get("/api/events", response_model=Page, tags=["events"])
    def events(db: Db, f: Events) -> Page:
        """Happenings (reports of one event merged), or every report with `mentions=true`."""
        return _page(db.list_events(f), f)

    @app.get("/api/happenings/{happening_id}", tags=["events"])
    def happening(db: Db, happening_id: str) -> dict[str, Any]:
        """One happening with all its mentions."""
        rows = db.list_events(EventFilter(happening_id=happening_id, limit=1))
        if not rows:
            raise HTTPException(404, f"no happening {happening_id!r}")
        return rows[0]

    @app.get("/api/aggregates/count", response_model=Count, tags=["aggregates"])
    def count(db: Db, f: Events) -> Count:
        """How many happenings (or reports, with `mentions=true`) match the filters: every page of
        `/api/events` together (`limit` and `after` are ignored)."""
        return Count(n=db.event_count(f))

    @app.get("/api/aggregates/histogram", response_model=Items, tags=["aggregates"])
    def histogram(
        db: Db, f: Events, interval: Literal["day", "week", "month", "year", "auto"] = "day"
    ) -> Items:
        """Matching events per period and type (for a timeline), counted in the database. Each row names the
        interval it was counted by: `auto` takes the finest that spans the matching days in at most 400
        periods."""
        return Items(items=db.event_histogram(f, interval))

    @app.get("/api/aggregates/places", response_model=Items, tags=["aggregates"])
    def event_places(db: Db, f: Events, top: Top = 500) -> Items:
        """The places with the most matching events, with coordinates (for a map)."""
        return Items(items=db.event_places(f, top))

    @app.get("/api/aggregates/dyads", response_model=Items, tags=["aggregates"])
    def dyads(db: Db, f: Events, top: Top = 200) -> Items:
        """Actor-recipient pairs by matching events (for a network)."""
        return Items(items=db.event_dyads(f, top))

    @app.get(
        "/api/export",
        tags=["events"],
        response_class=Response,
        responses={200: {"content": {t: {} for t, _ in _EXPORT_TYPES.values()}, "description": "The file."}},
    )
    def export(
        db: Db,
        f: Events,
        format: Literal["jsonl", "plover", "csv", "tsv", "gdelt-events", "gdelt-mentions", "parquet"] = "csv",
        raw: bool = False,
    ) -> Response:
        """Every event matching the filters (no page limit) as a file: the exports of `newsevents export`."""
        return _export_file(db, f, format, raw)

    @app.get("/api/quotes", response_model=Page, tags=["quotes"])
    def quotes(
        db: Db,
        speaker: Text = None,
        article: Text = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = DEFAULT_LIMIT,
        after: After = None,
    ) -> Page:
        """Quotes with their speakers, by the article's date."""
        f = QuoteFilter(
            since=since, until=until, speaker=speaker, article_id=article, limit=limit, after=after
        )
        return _page(db.list_quotes(f), f)

    @app.get("/api/positions", response_model=Page, tags=["quotes"])
    def positions(
        db: Db,
        holder: Text = None,
        stance: Text = None,
        article: Text = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = DEFAULT_LIMIT,
        after: After = None,
    ) -> Page:
        """Positions: who supports or opposes what, with the evidence sentence."""
        f = PositionFilter(
            since=since,
            until=until,
            holder=holder,
            stance=stance,
            article_id=article,
            limit=limit,
            after=after,
        )
        return _page(db.list_positions(f), f)

    @app.get("/api/actors", response_model=Page, tags=["actors and places"])
    def actors(
        db: Db, q: Text = None, kind: Text = None, limit: Limit = DEFAULT_LIMIT, after: After = None
    ) -> Page:
        """Actor identities by name, with their event and quote counts."""
        f = ActorFilter(query=q, kind=kind, limit=limit, after=after)
        return _page(db.list_actors(f), f)

    @app.get("/api/places", response_model=Page, tags=["actors and places"])
    def places(
        db: Db,
        q: Text = None,
        country: Annotated[str | None, Query(max_length=3)] = None,
        limit: Limit = DEFAULT_LIMIT,
        after: After = None,
    ) -> Page:
        """Places by name, with coordinates and event counts."""
        f = PlaceFilter(query=q, country=country, limit=limit, after=after)
        return _page(db.list_places(f), f)

    @app.get("/api/stories", response_model=Page, tags=["stories"])
    def stories(
        db: Db,
        since: Since = None,
        until: Until = None,
        q: Text = None,
        article: Text = None,
        limit: Limit = DEFAULT_LIMIT,
        after: After = None,
    ) -> Page:
        """Stories (articles about one happening or thread), first day first."""
        f = StoryFilter(since=since, until=until, query=q, article_id=article, limit=limit, after=after)
        return _page(db.list_stories(f), f)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def story(db: Db, story_id: str) -> dict[str, Any]:
        """One story."""
        found = db.get_story(story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return found

    @app.get("/api/stories/{story_id}/timeline", tags=["stories"])
    def timeline(db: Db, story_id: str) -> dict[str, Any]:
        """A story's happenings in date order, each with the reports behind it."""
        from newsevents.link.timeline import story_timeline

        found = story_timeline(db, story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return found

    if web:
        from newsevents.serve.web import mount_web

        mount_web(app)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in {'query', 'path'})}: {e.get('msg')}"
            for e in exc.errors()
        )
        return _error(400, problems or "invalid request")

    @app.exception_handler(ConfigError)
    async def bad_value(_: Request, exc: ConfigError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_down(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return _error(503, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "unexpected server error; see the server log", "internal_error")


def _export_file(db: Store, f: EventFilter, fmt: str, raw: bool) -> Response:
    """Write the export to a temporary file (flat memory), send it, and remove it afterwards."""
    from newsevents.export import export_events, export_parquet

    media, suffix = _EXPORT_TYPES[fmt]
    with tempfile.NamedTemporaryFile(
        prefix="newsevents-export-", suffix="." + suffix, delete=False
    ) as handle:
        path = Path(handle.name)
    try:
        if fmt == "parquet":
            export_parquet(db, f, str(path))
        else:
            with path.open("w", encoding="utf-8", newline="") as out:
                export_events(db, f, fmt, out, raw=raw)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type=media,
        filename=f"newsevents-events.{suffix}",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
