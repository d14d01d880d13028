"""The commands that run the pipeline: ``extract`` (contract JSON, no database) and ``process`` (store)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
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


def _results(ctx: click.Context, paths: Iterable[str], max_chars: int) -> Iterator[ArticleResult | Rejected]:
    from newsevents.ingest import read_inputs
    from newsevents.nlp import load_model
    from newsevents.pipeline import run_batch

    config = settings(ctx)
    with user_errors():
        nlp = load_model(config.model)  # fails fast, before any input is read
    res = resources(ctx)
    stdin = sys.stdin.buffer if "-" in paths else None
    yield from run_batch(
        read_inputs(paths, stdin=stdin),
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
@global_options(top=False)
@click.pass_context
def process(ctx: click.Context, paths: tuple[str, ...], max_chars: int) -> None:
    """Extract everything from PATHS and store it in the database (idempotent).

    Each article is extracted and stored in its own transaction: a bug or a store error in one article is
    recorded in the rejections table with its stage and error, and the run goes on. Running it again on the
    same input adds nothing (ids are deterministic; unchanged articles are skipped) and retries what failed.
    Exit status 1 when any article failed or nothing could be read.
    """
    from newsevents.pipeline import process as store_results

    def progress(item: Any, status: str) -> None:
        if isinstance(item, Rejected):
            report_rejection(item)
        else:
            log.info("%s %s (%s)", status, item.article.id, item.article.source)

    from newsevents.link import link_store

    with user_errors(), open_db(ctx, must_exist=False) as store:
        summary = store_results(_results(ctx, paths, max_chars), store, on_item=progress)
        links = link_store(store) if summary.stored else None  # links over everything stored
        counts = store.counts()
    c = summary.counts
    nothing = "; nothing added" if summary.read and not summary.stored else ""
    click.echo(
        f"processed {summary.received} input(s): {c['new']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged{nothing}; {c['rejected']} rejected; {c['failed']} failed",
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
