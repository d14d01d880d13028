"""The read-side commands: ``articles``, ``events``, ``quotes`` listings and the ``summary`` overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from newsevents.cli import cli
from newsevents.cli._common import (
    EXPORT_FORMATS,
    Column,
    F,
    db_url,
    emit,
    global_options,
    open_db,
    text_of,
    user_errors,
    who,
)
from newsevents.model import FACTUALITY

if TYPE_CHECKING:
    from newsevents.store.queries import EventFilter


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


def event_filter_options(func: F) -> F:
    """The happening filters `events` and `export` share (the date range comes with each command)."""
    for option in reversed(
        [
            click.option(
                "--actor", help="Actor or recipient name, text or code prefix (e.g. Biden, USA, ISRMIL)."
            ),
            click.option("--recipient", help="Recipient (target) name, text or code prefix."),
            click.option(
                "--dyad",
                help="ACTOR,RECIPIENT: one report with this actor (source) and this recipient (target), e.g. "
                "USA,IRN.",
            ),
            click.option("--type", "type_", help="PLOVER type (e.g. CONSULT)."),
            click.option("--factuality", type=click.Choice(FACTUALITY)),
            click.option("--country", help="Place country, ISO 3166 alpha-3 (e.g. UKR)."),
            click.option("--place", help="Place name substring (e.g. Kharkiv)."),
            click.option("--source", help="Article source (path or URL) substring."),
            click.option("--query", help="Substring of the event's sentence or its article's title."),
            click.option("--story", "story_id", help="Only the happenings of this story."),
            click.option(
                "--mentions", is_flag=True, help="One row per event mention instead of one per happening."
            ),
        ]
    ):
        func = option(func)
    return func


def _event_filter(
    since: str | None,
    until: str | None,
    limit: int | None = None,
    *,
    actor: str | None = None,
    recipient: str | None = None,
    dyad: str | None = None,
    type_: str | None = None,
    factuality: str | None = None,
    country: str | None = None,
    place: str | None = None,
    source: str | None = None,
    query: str | None = None,
    story_id: str | None = None,
    mentions: bool = False,
) -> EventFilter:
    """The `EventFilter` of the `event_filter_options` (an export pages on its own: no `limit` then)."""
    from newsevents.errors import ConfigError
    from newsevents.store.queries import DEFAULT_LIMIT, EventFilter, parse_dyad

    pair: tuple[str, str] | None = None
    if dyad is not None:
        try:
            pair = parse_dyad(dyad)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), param_hint="--dyad") from None
        if not any(pair):
            raise click.BadParameter(f"{dyad!r}: give ACTOR,RECIPIENT such as USA,IRN", param_hint="--dyad")
    return EventFilter(
        since=_date(since),
        until=_date(until),
        limit=DEFAULT_LIMIT if limit is None else limit,
        actor=actor,
        recipient=recipient,
        dyad=pair,
        type=type_,
        factuality=factuality,
        country=country,
        place=place,
        source=source,
        query=query,
        story_id=story_id,
        mentions=mentions,
    )


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
@click.option("--story", "story_id", help="Only the articles of this story.")
@click.pass_context
def articles(
    ctx: click.Context,
    as_json: bool,
    since: str | None,
    until: str | None,
    limit: int,
    query: str | None,
    story_id: str | None,
) -> None:
    """List stored articles (filter by publication date, text and story)."""
    from newsevents.store.queries import ArticleFilter

    columns: list[Column] = [
        ("id", lambda r: r["id"], 16),
        ("published", _published, 12),
        ("events", lambda r: r.get("event_count"), 6),
        ("quotes", lambda r: r.get("quote_count"), 6),
        ("story", lambda r: r.get("story_id"), 16),
        ("copy of", lambda r: r.get("duplicate_of"), 16),
        ("title", lambda r: r.get("title") or r.get("source"), 60),
    ]
    filters = ArticleFilter(
        since=_date(since), until=_date(until), limit=limit, query=query, story_id=story_id
    )
    _listing(ctx, "list_articles", filters, as_json, columns)


@cli.command()
@list_options
@event_filter_options
@click.pass_context
def events(
    ctx: click.Context,
    /,
    as_json: bool,
    since: str | None,
    until: str | None,
    limit: int,
    **options: Any,
) -> None:
    """List stored happenings, reports of one event merged (filters: actor, recipient, dyad, type,
    factuality, country, place, source, date, story).

    With --json each line is the happening's representative event exactly as `newsevents extract` prints it,
    plus where it was stored (article_id, article_title, ...) and the cross-article fields (happening_id,
    story_id, n_mentions, n_articles, n_sources, mentions). --mentions lists every report on its own.
    """
    columns: list[Column] = [
        ("date", lambda r: r.get("date"), 10),
        ("type", lambda r: r.get("type"), 9),
        ("mode", lambda r: r.get("mode"), 8),
        ("cameo", lambda r: r.get("cameo"), 5),
        ("factuality", lambda r: r.get("factuality"), 12),
        ("actors", lambda r: who(r.get("actors")), 34),
        ("recipients", lambda r: who(r.get("recipients")), 34),
        ("trigger", lambda r: text_of(r.get("trigger")), 16),
        ("reports", lambda r: r.get("n_mentions"), 7),
    ]
    filters = _event_filter(since, until, limit, **options)
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
@list_options
@click.option("--query", help="Only stories whose title contains this.")
@click.option("--article", "article_id", help="Only the story of this article.")
@click.pass_context
def stories(
    ctx: click.Context,
    as_json: bool,
    since: str | None,
    until: str | None,
    limit: int,
    query: str | None,
    article_id: str | None,
) -> None:
    """List stories: articles about the same unfolding happening, linked across reports.

    With --json each line is {"id", "title", "articles", "first", "last", "n_articles", "n_events",
    "n_mentions", "n_sources", "linked_by"}. `newsevents timeline STORY_ID` shows one story's happenings.
    """
    from newsevents.store.linking import StoryFilter

    columns: list[Column] = [
        ("id", lambda r: r["id"], 16),
        ("first", lambda r: r.get("first"), 10),
        ("last", lambda r: r.get("last"), 10),
        ("articles", lambda r: r.get("n_articles"), 8),
        ("events", lambda r: r.get("n_events"), 6),
        ("linked by", lambda r: ", ".join(r.get("linked_by") or []), 30),
        ("title", lambda r: r.get("title"), 60),
    ]
    filters = StoryFilter(
        since=_date(since), until=_date(until), limit=limit, query=query, article_id=article_id
    )
    _listing(ctx, "list_stories", filters, as_json, columns)


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the story and its happenings.")
@global_options(top=False)
@click.pass_context
def timeline(ctx: click.Context, story_id: str, as_json: bool) -> None:
    """Show one story's happenings in date order, with their date precision, factuality and sources.

    A story id that a later re-link replaced is followed to the story it was merged into (and the change is
    shown); one that was split lists the stories it was split into.
    """
    import json

    from newsevents.link.timeline import story_timeline

    with user_errors(), open_db(ctx) as store:
        result = story_timeline(store, story_id)
        changes = store.story_changes(story_id) if result is None else []
        if result is None and len(changes) == 1 and changes[0]["change"] == "merged_into":
            click.echo(
                f"story {story_id} was merged into {changes[0]['new_id']} ({changes[0]['changed_at']})",
                err=True,
            )
            result = story_timeline(store, changes[0]["new_id"])
    if result is None:
        if changes:
            targets = ", ".join(c["new_id"] for c in changes)
            click.echo(
                f"error: story {story_id} was split into {targets}; see `newsevents timeline ID`", err=True
            )
        else:
            click.echo(f"error: no story {story_id}; `newsevents stories` lists them", err=True)
        raise SystemExit(1)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, default=str))
        return
    story = result["story"]
    click.echo(f"{story['title']}  [{story['id']}]")
    click.echo(
        f"{story['first'] or '?'} .. {story['last'] or '?'}: {story['n_articles']} articles, "
        f"{story['n_sources']} sources, {story['n_events']} happenings; "
        f"linked by {', '.join(story['linked_by']) or '-'}"
    )
    for h in result["happenings"]:
        reported = _day_text(h["sources"][0]) if h["sources"] else "?"
        when = h.get("date") or f"~{reported}"
        precision = h.get("date_precision") if h.get("date") else "report"
        factualities: list[str] = []
        for m in h["mentions"]:
            if not factualities or factualities[-1] != m["factuality"]:
                factualities.append(m["factuality"])
        disputed = f"; contradicted by {', '.join(h['contradicts'])}" if h.get("contradicts") else ""
        click.echo(
            f"  {when:<12} {precision or '':<7} {h['type']:<9} {who(h.get('actors')) or '?'} -> "
            f"{who(h.get('recipients')) or '-'}  ('{text_of(h.get('trigger'))}'; "
            f"{' -> '.join(factualities)}; "
            f"{h['n_articles']} article(s), {h['n_sources']} source(s){disputed})"
        )
        shown: dict[str, int] = {}
        for src in h["sources"]:
            shown[src["article_id"]] = shown.get(src["article_id"], 0) + 1
        for src in {s["article_id"]: s for s in h["sources"]}.values():
            copy = f", copy of {src['duplicate_of']}" if src.get("duplicate_of") else ""
            times = f" ({shown[src['article_id']]} mentions)" if shown[src["article_id"]] > 1 else ""
            click.echo(f"      {_day_text(src):<12} {src.get('title') or src['article_id']}{copy}{times}")


def _day_text(source: dict[str, Any]) -> str:
    if source.get("published"):
        return str(source["published"])
    return f">={source['published_earliest']}" if source.get("published_earliest") else "?"


@cli.command()
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Rows per section.")
@global_options(top=False)
@click.pass_context
def summary(ctx: click.Context, limit: int) -> None:
    """A readable overview of the database: counts, articles, events by type, top actors, quotes.

    Counts, events by type and the most active actors are computed over everything stored; the article,
    event and quote sections show the first LIMIT rows.
    """
    from newsevents.store.linking import StoryFilter
    from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter

    with user_errors(), open_db(ctx) as store:
        stats = store.stats(top=limit)
        arts = store.list_articles(ArticleFilter(limit=limit))
        evs = [e for a in arts for e in store.list_events(EventFilter(limit=500, article_id=a["id"]))]
        qs = store.list_quotes(QuoteFilter(limit=limit))
        story_rows = store.list_stories(StoryFilter(limit=limit))
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
    click.echo("\nStories (newsevents timeline ID shows one)")
    for st in story_rows:
        click.echo(
            f"  {st['id']}  {st['first'] or '?'} .. {st['last'] or '?'}  {st['n_articles']} article(s), "
            f"{st['n_events']} happenings ({st['n_mentions']} reports)  {st['title']}"
        )
    click.echo("\nQuotes")
    for q in qs:
        speaker = who([q["speaker"]]) if q.get("speaker") else "(speaker unknown)"
        text = q["text"] if len(q["text"]) < 100 else q["text"][:99] + "…"
        click.echo(f"  {speaker}: {'“' + text + '”' if q['kind'] == 'direct' else text}")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: the events listing objects; plover: PLOVER-style records; "
    "csv/tsv: one flat row per happening; gdelt-events/gdelt-mentions: GDELT 2.0 tables; "
    "parquet: the flat rows, typed.",
)
@click.option(
    "--out", "-o", "out_path", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
@click.option("--raw", is_flag=True, help="CSV/TSV: do not escape cells that start with = + - @.")
@click.option("--since", help="Only on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only on or before this date (YYYY-MM-DD).")
@event_filter_options
@global_options(top=False)
@click.pass_context
def export(
    ctx: click.Context,
    /,
    fmt: str,
    out_path: str | None,
    raw: bool,
    since: str | None,
    until: str | None,
    **options: Any,
) -> None:
    """Export stored happenings with the listing's filters, streamed page by page (no row limit).

    CAMEO codes stay zero-padded strings; CSV/TSV text cells starting with = + - @ are escaped with ' unless
    --raw.
    """
    import sys

    from newsevents.export import export_events

    filters = _event_filter(since, until, **options)
    with user_errors(), open_db(ctx) as store:
        if fmt == "parquet":
            from newsevents.export import export_parquet

            n = export_parquet(store, filters, out_path if out_path is not None else sys.stdout.buffer)
        elif out_path is None:
            n = export_events(store, filters, fmt, sys.stdout, raw=raw)
        else:
            with open(out_path, "w", encoding="utf-8", newline="") as out:
                n = export_events(store, filters, fmt, out, raw=raw)
    click.echo(f"exported {n} row(s) as {fmt}" + (f" to {out_path}" if out_path else ""), err=True)
