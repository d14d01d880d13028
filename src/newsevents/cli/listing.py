"""The read-side commands: ``articles``, ``events``, ``quotes`` listings and the ``summary`` overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from newsevents.cli import cli
from newsevents.cli._common import Column, F, db_url, emit, global_options, open_db, text_of, user_errors, who
from newsevents.model import FACTUALITY


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def list_options(func: F) -> F:
    """Shared options of the listing commands (and the global options, accepted here too)."""
    for option in reversed(
        [
            click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of a table."),
            click.option("--since", help="Only on or after this date (YYYY-MM-DD)."),
            click.option("--until", help="Only on or before this date (YYYY-MM-DD)."),
            click.option(
                "--limit",
                type=click.IntRange(1, 500),
                default=50,
                show_default=True,
                help="At most this many rows.",
            ),
            global_options(top=False),
        ]
    ):
        func = option(func)
    return func


def _listing(ctx: click.Context, method: str, filters: Any, as_json: bool, columns: list[Column]) -> None:
    """Run one store query and print its rows (the shared body of the listing commands)."""
    with user_errors(), open_db(ctx) as store:
        rows = getattr(store, method)(filters)
    emit(rows, as_json, columns)


def _published(row: dict[str, Any]) -> Any:
    if row.get("published"):
        return row["published"]
    return f">={row['published_earliest']}" if row.get("published_earliest") else None


@cli.command()
@list_options
@click.option("--query", help="Only articles whose title or text contains this.")
@click.pass_context
def articles(
    ctx: click.Context, as_json: bool, since: str | None, until: str | None, limit: int, query: str | None
) -> None:
    """List stored articles (filter by publication date and text)."""
    from newsevents.store.queries import ArticleFilter

    columns: list[Column] = [
        ("id", lambda r: r["id"], 16),
        ("published", _published, 12),
        ("events", lambda r: r.get("event_count"), 6),
        ("quotes", lambda r: r.get("quote_count"), 6),
        ("title", lambda r: r.get("title") or r.get("source"), 70),
    ]
    filters = ArticleFilter(since=_date(since), until=_date(until), limit=limit, query=query)
    _listing(ctx, "list_articles", filters, as_json, columns)


@cli.command()
@list_options
@click.option("--actor", help="Actor or recipient name, text or code prefix (e.g. Biden, USA, ISRMIL).")
@click.option("--type", "type_", help="PLOVER type (e.g. CONSULT).")
@click.option("--factuality", type=click.Choice(FACTUALITY))
@click.pass_context
def events(
    ctx: click.Context,
    as_json: bool,
    since: str | None,
    until: str | None,
    limit: int,
    actor: str | None,
    type_: str | None,
    factuality: str | None,
) -> None:
    """List stored events (filter by actor, PLOVER type, factuality and event date).

    With --json each line is the event exactly as `newsevents extract` prints it, plus where it was stored
    (article_id, article_title, ...) and the cross-article fields (happening_id, story_id, n_mentions...).
    """
    from newsevents.store.queries import EventFilter

    columns: list[Column] = [
        ("date", lambda r: r.get("date"), 10),
        ("type", lambda r: r.get("type"), 9),
        ("mode", lambda r: r.get("mode"), 8),
        ("cameo", lambda r: r.get("cameo"), 5),
        ("factuality", lambda r: r.get("factuality"), 12),
        ("actors", lambda r: who(r.get("actors")), 34),
        ("recipients", lambda r: who(r.get("recipients")), 34),
        ("trigger", lambda r: text_of(r.get("trigger")), 16),
    ]
    filters = EventFilter(
        since=_date(since), until=_date(until), limit=limit, actor=actor, type=type_, factuality=factuality
    )
    _listing(ctx, "list_events", filters, as_json, columns)


@cli.command()
@list_options
@click.option("--speaker", help="Speaker name, text or code prefix (e.g. Kirby, USAGOV).")
@click.pass_context
def quotes(
    ctx: click.Context, as_json: bool, since: str | None, until: str | None, limit: int, speaker: str | None
) -> None:
    """List stored quotes (filter by speaker and the article's publication date)."""
    from newsevents.store.queries import QuoteFilter

    speaker_of: Callable[[dict[str, Any]], Any] = lambda r: who([r["speaker"]]) if r.get("speaker") else None  # noqa: E731
    columns: list[Column] = [
        ("kind", lambda r: r.get("kind"), 8),
        ("speaker", speaker_of, 30),
        ("quote", lambda r: r.get("text"), 90),
    ]
    filters = QuoteFilter(since=_date(since), until=_date(until), limit=limit, speaker=speaker)
    _listing(ctx, "list_quotes", filters, as_json, columns)


@cli.command()
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Rows per section.")
@global_options(top=False)
@click.pass_context
def summary(ctx: click.Context, limit: int) -> None:
    """A readable overview of the database: counts, articles, events by type, top actors, quotes.

    Counts, events by type and the most active actors are computed over everything stored; the article,
    event and quote sections show the first LIMIT rows.
    """
    from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter

    with user_errors(), open_db(ctx) as store:
        stats = store.stats(top=limit)
        arts = store.list_articles(ArticleFilter(limit=limit))
        evs = [e for a in arts for e in store.list_events(EventFilter(limit=500, article_id=a["id"]))]
        qs = store.list_quotes(QuoteFilter(limit=limit))
    counts = stats["counts"]
    tables = ("articles", "events", "quotes", "actors", "places")
    click.echo(f"Database {db_url(ctx)}: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in tables))
    click.echo("\nArticles")
    for a in arts:
        when = a.get("published") or (
            f"no date, inferred >= {a['published_earliest']}" if a.get("published_earliest") else "no date"
        )
        counts_text = f"{a.get('event_count', 0)} events, {a.get('quote_count', 0)} quotes"
        click.echo(f"  {a.get('title') or a.get('source')}  [{when}; {counts_text}]")
    click.echo("\nEvents by type (factuality)")
    for row in stats["events_by_type"]:
        click.echo(f"  {row['type']:<10} {row['factuality']:<13} {row['n']}")
    click.echo("\nEvents (in article order)")
    order = {a["id"]: k for k, a in enumerate(arts)}
    evs.sort(key=lambda e: (order.get(e["article_id"], len(order)), (e.get("trigger") or {}).get("start", 0)))
    for e in evs[:limit]:
        click.echo(
            f"  {e.get('date') or '?':<10} {e['type']:<9} "
            f"{who(e.get('actors')) or '?'} -> {who(e.get('recipients')) or '-'}"
            f"  ({e['factuality']}; '{text_of(e.get('trigger'))}')"
        )
    click.echo("\nMost active actors")
    for row in stats["top_actors"]:
        click.echo(f"  {row['n']:>3}  {row['name']} [{row.get('code') or '-'}]")
    click.echo("\nQuotes")
    for q in qs:
        speaker = who([q["speaker"]]) if q.get("speaker") else "(speaker unknown)"
        text = q["text"] if len(q["text"]) < 100 else q["text"][:99] + "…"
        click.echo(f"  {speaker}: {'“' + text + '”' if q['kind'] == 'direct' else text}")
