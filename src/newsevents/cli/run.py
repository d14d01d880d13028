"""The commands that run the pipeline: ``extract`` (contract JSON, no database) and ``process`` (store)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click

from newsevents.cli import cli
from newsevents.cli._common import (
    db_url,
    global_options,
    log,
    open_db,
    report_rejection,
    resources,
    settings,
    user_errors,
)
from newsevents.ingest.files import DEFAULT_MAX_BYTES
from newsevents.model import ArticleResult, Rejected
from newsevents.pipeline import DEFAULT_MAX_CHARS

_MAX_CHARS = click.option(
    "--max-chars",
    type=click.IntRange(1),
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    envvar="NEWSEVENTS_MAX_CHARS",
    help="Reject articles longer than this (characters) as too_large, before any parsing. "
    "Also NEWSEVENTS_MAX_CHARS.",
)


_MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    envvar="NEWSEVENTS_MAX_BYTES",
    help="Reject any input unit (file, JSON line, archive record, fetched page) over this many bytes, "
    "after decompression. Also NEWSEVENTS_MAX_BYTES.",
)
_FETCH = click.option(
    "--fetch",
    is_flag=True,
    help="Fetch URLs (given as PATHS or listed in .urls files): http(s) only, private and loopback "
    "addresses refused, robots.txt respected, one request per host per --fetch-interval seconds.",
)
_FETCH_INTERVAL = click.option(
    "--fetch-interval",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host.",
)


def _results(
    ctx: click.Context,
    paths: Iterable[str],
    max_chars: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch: bool = False,
    fetch_interval: float = 1.0,
    on_bytes: Any = None,
    keep: Any = None,
    skip: Sequence[str] = (),
) -> Iterator[ArticleResult | Rejected]:
    from newsevents.ingest import read_inputs
    from newsevents.nlp import load_model
    from newsevents.pipeline import run_batch

    config = settings(ctx)
    with user_errors():
        nlp = load_model(config.model)  # fails fast, before any input is read
    res = resources(ctx)
    stdin = sys.stdin.buffer if "-" in paths else None
    fetcher = None
    if fetch:
        from newsevents.ingest.fetch import GuardedFetcher

        fetcher = GuardedFetcher(min_interval=fetch_interval, max_bytes=max_bytes)
    raws: Iterable[Any] = read_inputs(
        paths, stdin=stdin, fetcher=fetcher, max_bytes=max_bytes, on_bytes=on_bytes, skip=skip
    )
    if keep is not None:
        raws = (item for item in raws if keep(item.source))
    yield from run_batch(
        raws,
        nlp,
        batch_size=config.batch_size,
        resources=res,
        max_chars=max_chars,
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--indent", type=int, default=None, help="Pretty-print each object (not JSON Lines then).")
@_MAX_CHARS
@global_options(top=False)
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], indent: int | None, max_chars: int) -> None:
    """Print one contract JSON object per article (JSON Lines); no database.

    PATHS are files, directories (walked recursively) or - for standard input. Formats: plain text (with an
    optional ' date YYYY-MM-DD' header), HTML, JSON Lines (text/title/date/url/id fields).
    """
    from newsevents.contract import result_to_dict
    from newsevents.model import ReasonCode

    ok = bad = failed = 0
    with user_errors():
        for item in _results(ctx, paths, max_chars):
            if isinstance(item, Rejected):
                bad += 1
                failed += item.reason is ReasonCode.INTERNAL_ERROR
                report_rejection(item)
                continue
            ok += 1
            click.echo(json.dumps(result_to_dict(item), ensure_ascii=False, indent=indent))
    if ok == 0:
        click.echo(f"error: nothing could be read ({bad} rejected)", err=True)
        raise SystemExit(1)
    if failed:
        raise SystemExit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_MAX_CHARS
@_MAX_BYTES
@_FETCH
@_FETCH_INTERVAL
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress (default: on a terminal, a bar; otherwise a log line every 30 s).",
)
@global_options(top=False)
@click.pass_context
def process(
    ctx: click.Context,
    paths: tuple[str, ...],
    max_chars: int,
    max_bytes: int,
    fetch: bool,
    fetch_interval: float,
    progress: bool | None,
) -> None:
    """Extract everything from PATHS and store it in the database (idempotent).

    PATHS are files, directories, URLs (with --fetch) or - for standard input: plain text, HTML, JSON Lines
    (.jsonl, also .gz/.bz2/.xz), RSS/Atom feeds, WARC/ARC archives and .urls lists. Each article is
    extracted and stored in its own transaction, with its line in the run's ledger (`newsevents runs`): a
    bug or a store error in one article is recorded in the rejections table with its stage and error, and
    the run goes on. Running it again on the same input adds nothing (ids are deterministic; unchanged
    articles are skipped); a run killed at any moment and started again ends with the same database.
    Exit status 1 when any article failed or nothing could be read.
    """
    _run(ctx, "process", paths, max_chars, max_bytes, fetch, fetch_interval, progress)


def _store_files(store: Any) -> list[str]:
    """The files of a SQLite store (the database, its journal and WAL): never read as input."""
    path = getattr(store, "path", None)
    if not isinstance(path, str) or path == ":memory:" or path.startswith("file:"):
        return []
    return [path + suffix for suffix in ("", "-wal", "-shm", "-journal")]


def _run(
    ctx: click.Context,
    command: str,
    paths: Sequence[str],
    max_chars: int,
    max_bytes: int,
    fetch: bool,
    fetch_interval: float,
    progress: bool | None,
    keep: Any = None,
) -> None:
    from newsevents import __version__
    from newsevents.cli.progress import Progress
    from newsevents.link import link_store
    from newsevents.pipeline import process as store_results

    meter = Progress(_input_bytes(paths), progress)

    def on_item(item: Any, status: str) -> None:
        meter.unit()
        if isinstance(item, Rejected):
            report_rejection(item)
        else:
            log.info("%s %s (%s)", status, item.article.id, item.article.source)

    with user_errors(), open_db(ctx, must_exist=False) as store:
        recorded = {"max_chars": max_chars, "max_bytes": max_bytes, "fetch": fetch, "version": __version__}
        run_id = store.start_run(command, list(paths), recorded)
        try:
            results = _results(
                ctx,
                paths,
                max_chars,
                max_bytes=max_bytes,
                fetch=fetch,
                fetch_interval=fetch_interval,
                on_bytes=meter.bytes,
                keep=keep,
                skip=_store_files(store),
            )
            summary = store_results(results, store, on_item=on_item, run_id=run_id)
        except BaseException:
            store.finish_run(run_id, "failed")
            raise
        finally:
            meter.close()
        # Links over everything stored; also when an earlier run stopped before linking.
        links = link_store(store) if summary.stored or store.links_stale() else None
        run = store.finish_run(run_id)
        counts = store.counts()
    c = summary.counts
    nothing = "; nothing added" if summary.read and not summary.stored else ""
    click.echo(
        f"processed {summary.received} input(s): {c['new']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['duplicate']} duplicate{nothing}; {c['rejected']} rejected; "
        f"{c['failed']} failed; {c['filtered']} filtered",
        err=True,
    )
    rc = run["counts"]
    click.echo(
        f"run {run_id}: received {run['received']} = {rc['stored']} stored + {rc['duplicate']} duplicate + "
        f"{rc['unchanged']} unchanged + {rc['quarantined']} quarantined + {rc['filtered']} filtered",
        err=True,
    )
    tables = ("articles", "events", "quotes", "actors", "places", "rejections")
    click.echo(f"{db_url(ctx)}: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in tables), err=True)
    if links is not None:
        click.echo(_link_line(links), err=True)
    if summary.failed:
        click.echo(
            f"error: {summary.failed} article(s) failed (recorded in the rejections table, see above)",
            err=True,
        )
    if summary.read == 0 or summary.failed:
        raise SystemExit(1)


def _input_bytes(paths: Sequence[str]) -> int | None:
    """The total size of the local inputs, for the progress estimate (None when unknown: stdin, URLs)."""
    import os

    total = 0
    for path in paths:
        if path == "-" or "://" in path:
            return None
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if not name.startswith("."):
                        with contextlib.suppress(OSError):
                            total += os.path.getsize(os.path.join(root, name))
        else:
            with contextlib.suppress(OSError):
                total += os.path.getsize(path)
    return total


@cli.command()
@click.option(
    "--reason", default=None, help="Only units quarantined for this reason (e.g. malformed, fetch_failed)."
)
@_MAX_CHARS
@_MAX_BYTES
@_FETCH
@_FETCH_INTERVAL
@global_options(top=False)
@click.pass_context
def retry(
    ctx: click.Context, reason: str | None, max_chars: int, max_bytes: int, fetch: bool, fetch_interval: float
) -> None:
    """Re-run the quarantined units (see `newsevents rejections`), as a new run with its own ledger.

    Each unit is read again from the file (or URL, with --fetch) it came from; only the quarantined units
    are processed. One that now succeeds leaves the quarantine; one that fails again stays.
    """
    with user_errors(), open_db(ctx) as store:
        rows = store.list_rejections(reason, limit=1_000_000)
    sources = {str(r["source"]) for r in rows}
    if not sources:
        click.echo("nothing is quarantined", err=True)
        return
    containers = sorted({_container(s) for s in sources})
    click.echo(f"retrying {len(sources)} quarantined unit(s) from {len(containers)} input(s)", err=True)
    _run(
        ctx, "retry", containers, max_chars, max_bytes, fetch, fetch_interval, None, keep=sources.__contains__
    )


def _container(source: str) -> str:
    """The file (or URL) a unit's source was read from: ``a.jsonl:3`` -> ``a.jsonl``, ``x.warc@12`` ->
    ``x.warc``, ``feed.rss#id`` -> ``feed.rss``."""
    import os
    import re

    if "://" in source.split("#")[0][:12] or os.path.exists(source):
        return source
    for cut in (r":\d+$", r"@\d+$", r"#[^/]*$"):
        head = re.sub(cut, "", source)
        if head != source and os.path.exists(head):
            return head
    if "#" in source and os.path.exists(source.split("#", 1)[0]):
        return source.split("#", 1)[0]
    return source


def _link_line(links: Any) -> str:
    return (
        f"linked: {links.copies} near-copies, {links.stories} stories ({links.linked_stories} of several "
        f"articles), {links.happenings} happenings ({links.merged_happenings} reported more than once)"
        + (f", {links.changes} id change(s) recorded" if links.changes else "")
    )


@cli.command()
@global_options(top=False)
@click.pass_context
def link(ctx: click.Context) -> None:
    """Rebuild every link between stored articles: copies, stories and happenings.

    `process` links as it stores; run this after changing the linking rules or to check a database. The
    links depend only on what is stored, so running it twice changes nothing.
    """
    from newsevents.link import link_store

    with user_errors(), open_db(ctx) as store:
        links = link_store(store)
    click.echo(_link_line(links), err=True)


@cli.command()
@click.argument("run_id", required=False)
@click.option(
    "--units", "outcome", default=None, help="With RUN_ID: list its units of this outcome (or 'all')."
)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of a table.")
@global_options(top=False)
@click.pass_context
def runs(ctx: click.Context, run_id: str | None, outcome: str | None, limit: int, as_json: bool) -> None:
    """Show the run ledgers: what each run received and what became of every unit.

    received = stored + duplicate + unchanged + quarantined + filtered. With RUN_ID (or a unique prefix),
    one run with its reasons; with --units, its units.
    """
    from newsevents.cli._common import emit

    with user_errors(), open_db(ctx) as store:
        if run_id is None:
            rows = store.list_runs(limit)
        else:
            run = store.get_run(run_id)
            if run is None:
                raise click.UsageError(f"no run {run_id!r}; `newsevents runs` lists them")
            if outcome is not None:
                units = store.run_units(run["id"], None if outcome == "all" else outcome, limit=limit)
                columns = [
                    ("outcome", lambda r: r["outcome"], 12),
                    ("reason", lambda r: r["reason"], 18),
                    ("article", lambda r: r["article_id"], 17),
                    ("source", lambda r: r["source"], 60),
                ]
                emit(units, as_json, columns)
                return
            rows = [run]
    columns = [
        ("run", lambda r: r["id"], 22),
        ("command", lambda r: r["command"], 8),
        ("status", lambda r: r["status"], 11),
        ("received", lambda r: r["received"], 8),
        *[(k, (lambda r, k=k: r["counts"][k]), len(k)) for k in ("stored", "duplicate", "unchanged")],
        ("quarantined", lambda r: r["counts"]["quarantined"], 11),
        ("filtered", lambda r: r["counts"]["filtered"], 8),
        ("started", lambda r: str(r["started_at"])[:19], 19),
    ]
    emit(rows, as_json, columns)
    if run_id is not None and not as_json:
        for key, n in rows[0]["reasons"].items():
            click.echo(f"  {key}: {n}")


@cli.command()
@click.option(
    "--reason", default=None, help="Only this reason code (e.g. malformed, too_large, fetch_failed)."
)
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of a table.")
@global_options(top=False)
@click.pass_context
def rejections(ctx: click.Context, reason: str | None, limit: int, as_json: bool) -> None:
    """List the quarantined units (bad data and failures, until a later save clears them); `retry` re-runs
    them."""
    from newsevents.cli._common import emit

    with user_errors(), open_db(ctx) as store:
        rows = store.list_rejections(reason, limit)
    columns = [
        ("reason", lambda r: r["reason"], 15),
        ("stage", lambda r: r["stage"], 8),
        ("seen", lambda r: r["seen_count"], 4),
        ("source", lambda r: r["source"], 45),
        ("detail", lambda r: r["detail"], 60),
    ]
    emit(rows, as_json, columns)


@cli.command()
@global_options(top=False)
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check the database: its own integrity check, and the canonical dump hash of what it stores.

    Two databases with the same hash hold the same articles, items, links and quarantine (times, counters
    and run ledgers left out), whatever the backend or the history of runs. Exit status 1 on a problem.
    """
    with user_errors(), open_db(ctx) as store:
        problems = store.integrity_problems()
        digest = store.dump_hash()
        counts = store.counts()
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo(f"integrity: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    click.echo(f"dump sha256: {digest}")
    click.echo("rows: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    if problems:
        raise SystemExit(1)
