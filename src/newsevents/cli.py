"""Command-line interface: thin click wrappers around library functions.

stdout carries data (JSON Lines, or a readable table); stderr carries logs, progress and errors.
Exit codes: 0 ran (rejections are reported, not failures), 1 runtime error or nothing readable, 2 usage.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from newsevents import __version__
from newsevents.errors import NewsEventsError
from newsevents.model import ArticleResult, Rejected

F = TypeVar("F", bound=Callable[..., Any])
Column = tuple[str, Callable[[dict[str, Any]], Any], int]  # header, getter, width

log = logging.getLogger("newsevents")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else logging.DEBUG
        if verbose > 1
        else logging.INFO
        if verbose
        else logging.WARNING
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("newsevents")
    root.handlers[:] = [handler]
    root.setLevel(level)


def _fail(exc: NewsEventsError) -> None:
    click.echo(f"error: {exc}", err=True)
    raise SystemExit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="newsevents")
@click.option(
    "--db",
    "db",
    envvar="NEWSEVENTS_DB",
    default="newsevents.db",
    show_default=True,
    help="Database: a SQLite path (default) or sqlite:///path. Also NEWSEVENTS_DB.",
)
@click.option(
    "--model",
    envvar="NEWSEVENTS_MODEL",
    default="auto",
    show_default=True,
    help="spaCy model package, or 'auto' for the best installed English model. Also NEWSEVENTS_MODEL.",
)
@click.option(
    "--lexicons",
    multiple=True,
    type=click.Path(exists=True),
    help="Extra lexicon directory or file (people.tsv, organizations.tsv, roles.tsv, countries.tsv, PETRARCH "
    "*.actors.txt / *.agents.txt); repeatable. Also NEWSEVENTS_LEXICONS (paths joined by ':').",
)
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def cli(
    ctx: click.Context, db: str, model: str, lexicons: tuple[str, ...], verbose: int, quiet: bool
) -> None:
    """newsevents: who did what to whom, when and where, and who said what, from raw news articles.

    \b
    Quick start:
      newsevents extract article.txt           # contract JSON per article, no database
      newsevents process articles/             # store everything in newsevents.db
      newsevents events --actor Biden          # list stored events
    """
    from newsevents.config import load_settings

    _setup_logging(verbose, quiet)
    try:
        settings = load_settings({"model": model, "lexicons": lexicons})
    except NewsEventsError as exc:
        raise click.UsageError(str(exc)) from exc
    ctx.obj = {"db": db, "model": settings.model, "settings": settings}


def _results(paths: Iterable[str], settings: Any) -> Iterator[ArticleResult | Rejected]:
    from newsevents.kb.lexicon import load_lexicons
    from newsevents.ingest import read_inputs
    from newsevents.nlp import load_model
    from newsevents.pipeline import run_batch

    nlp = load_model(settings.model)  # fails fast, before any input is read
    lexicons = load_lexicons(settings.lexicons)
    stdin = sys.stdin.buffer if "-" in paths else None
    yield from run_batch(
        read_inputs(paths, stdin=stdin), nlp, batch_size=settings.batch_size, lexicons=lexicons
    )


def _report(rej: Rejected) -> None:
    click.echo(f"rejected {rej.source} ({rej.stage}): {rej.reason.value}: {rej.detail}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--indent", type=int, default=None, help="Pretty-print each object (not JSON Lines then).")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], indent: int | None) -> None:
    """Print one contract JSON object per article (JSON Lines); no database.

    PATHS are files, directories (walked recursively) or - for standard input. Formats: plain text (with an
    optional ' date YYYY-MM-DD' header), HTML, JSON Lines (text/title/date/url/id fields).
    """
    from newsevents.contract import result_to_dict

    ok = bad = 0
    try:
        for item in _results(paths, ctx.obj["settings"]):
            if isinstance(item, Rejected):
                bad += 1
                _report(item)
                continue
            ok += 1
            click.echo(json.dumps(result_to_dict(item), ensure_ascii=False, indent=indent))
    except NewsEventsError as exc:
        _fail(exc)
    if ok == 0:
        click.echo(f"error: nothing could be read ({bad} rejected)", err=True)
        raise SystemExit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def process(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Extract everything from PATHS and store it in the database (idempotent).

    Running it again on the same input adds nothing: ids are deterministic and unchanged articles are
    skipped. Edited articles have their items replaced in one transaction.
    """
    from newsevents.store import open_store

    outcome: Counter[str] = Counter()
    try:
        with open_store(ctx.obj["db"]) as store:
            for item in _results(paths, ctx.obj["settings"]):
                if isinstance(item, Rejected):
                    outcome["rejected"] += 1
                    _report(item)
                    store.save_rejection(item)
                    continue
                status = store.save_result(item)
                outcome[status] += 1
                log.info("%s %s (%s)", status, item.article.id, item.article.source)
            counts = store.counts()
    except NewsEventsError as exc:
        _fail(exc)
    read = outcome["new"] + outcome["updated"] + outcome["unchanged"]
    nothing = "; nothing added" if read and not (outcome["new"] or outcome["updated"]) else ""
    click.echo(
        f"processed {read} article(s): {outcome['new']} new, {outcome['updated']} updated, "
        f"{outcome['unchanged']} unchanged{nothing}; {outcome['rejected']} rejected",
        err=True,
    )
    click.echo(
        f"{ctx.obj['db']}: "
        + ", ".join(
            f"{counts.get(k, 0)} {k}"
            for k in ("articles", "events", "quotes", "actors", "places", "rejections")
        ),
        err=True,
    )
    if read == 0:
        raise SystemExit(1)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def list_options(func: F) -> F:
    """Shared options of the listing commands."""
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
        ]
    ):
        func = option(func)
    return func


def _emit(rows: list[dict[str, Any]], as_json: bool, columns: list[Column]) -> None:
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("(nothing stored matches)", err=True)
        return
    click.echo("  ".join(name.ljust(width) for name, _, width in columns).rstrip())
    for row in rows:
        cells = []
        for _, get, width in columns:
            value = get(row)
            text = "" if value is None else str(value).replace("\n", " ")
            cells.append((text[: width - 1] + "…" if len(text) > width else text).ljust(width))
        click.echo("  ".join(cells).rstrip())


def _who(refs: list[dict[str, Any]] | None) -> str:
    return "; ".join(f"{r.get('name') or r.get('text')}[{r.get('code') or '-'}]" for r in refs or [])


def _open(ctx: click.Context) -> Any:
    from newsevents.store import open_store

    db = ctx.obj["db"]
    if (
        not db.startswith(("postgresql:", "postgres:", "sqlite:"))
        and db != ":memory:"
        and not os.path.exists(db)
    ):
        raise click.UsageError(f"no database at {db}; run `newsevents process PATH --db {db}` first")
    return open_store(db)


def _listing(ctx: click.Context, method: str, filters: Any, as_json: bool, columns: list[Column]) -> None:
    """Run one store query and print its rows (the shared body of the listing commands)."""
    try:
        with _open(ctx) as store:
            rows = getattr(store, method)(filters)
    except NewsEventsError as exc:
        _fail(exc)
    _emit(rows, as_json, columns)


@cli.command()
@list_options
@click.option("--query", help="Only articles whose title or text contains this.")
@click.pass_context
def articles(
    ctx: click.Context, as_json: bool, since: str | None, until: str | None, limit: int, query: str | None
) -> None:
    """List stored articles (filter by publication date)."""
    from newsevents.store.queries import ArticleFilter

    _listing(
        ctx,
        "list_articles",
        ArticleFilter(since=_date(since), until=_date(until), limit=limit, query=query),
        as_json,
        [
            ("id", lambda r: r["id"], 16),
            (
                "published",
                lambda r: (
                    r.get("published")
                    or (f">={r['published_earliest']}" if r.get("published_earliest") else None)
                ),
                12,
            ),
            ("events", lambda r: r.get("event_count"), 6),
            ("quotes", lambda r: r.get("quote_count"), 6),
            ("title", lambda r: r.get("title") or r.get("source"), 70),
        ],
    )


@cli.command()
@list_options
@click.option("--actor", help="Actor or recipient name, text or code prefix (e.g. Biden, USA, ISRMIL).")
@click.option("--type", "type_", help="PLOVER type (e.g. CONSULT).")
@click.option(
    "--factuality", type=click.Choice(["asserted", "negated", "future", "hypothetical", "historical"])
)
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
    """List stored events (filter by actor, PLOVER type, factuality and event date)."""
    from newsevents.store.queries import EventFilter

    _listing(
        ctx,
        "list_events",
        EventFilter(
            since=_date(since),
            until=_date(until),
            limit=limit,
            actor=actor,
            type=type_,
            factuality=factuality,
        ),
        as_json,
        [
            ("date", lambda r: r.get("date"), 10),
            ("type", lambda r: r.get("type"), 9),
            ("mode", lambda r: r.get("mode"), 8),
            ("cameo", lambda r: r.get("cameo"), 5),
            ("factuality", lambda r: r.get("factuality"), 12),
            ("actors", lambda r: _who(r.get("actors")), 34),
            ("recipients", lambda r: _who(r.get("recipients")), 34),
            ("trigger", lambda r: r.get("trigger"), 16),
        ],
    )


@cli.command()
@list_options
@click.option("--speaker", help="Speaker name, text or code prefix (e.g. Kirby, USAGOV).")
@click.pass_context
def quotes(
    ctx: click.Context, as_json: bool, since: str | None, until: str | None, limit: int, speaker: str | None
) -> None:
    """List stored quotes (filter by speaker and the article's publication date)."""
    from newsevents.store.queries import QuoteFilter

    _listing(
        ctx,
        "list_quotes",
        QuoteFilter(since=_date(since), until=_date(until), limit=limit, speaker=speaker),
        as_json,
        [
            ("kind", lambda r: r.get("kind"), 8),
            ("speaker", lambda r: _who([r["speaker"]]) if r.get("speaker") else None, 30),
            ("quote", lambda r: r.get("text"), 90),
        ],
    )


@cli.command()
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Rows per section.")
@click.pass_context
def summary(ctx: click.Context, limit: int) -> None:
    """A readable overview of the database: counts, articles, events by type, top actors, quotes."""
    from newsevents.store.queries import ArticleFilter, EventFilter, QuoteFilter

    try:
        with _open(ctx) as store:
            counts = store.counts()
            arts = store.list_articles(ArticleFilter(limit=500))
            evs = store.list_events(EventFilter(limit=500))
            qs = store.list_quotes(QuoteFilter(limit=limit))
    except NewsEventsError as exc:
        _fail(exc)
    click.echo(
        f"Database {ctx.obj['db']}: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("articles", "events", "quotes", "actors", "places"))
    )
    click.echo("\nArticles")
    for a in arts[:limit]:
        when = a.get("published") or (
            f"no date, inferred >= {a['published_earliest']}" if a.get("published_earliest") else "no date"
        )
        counts_text = f"{a.get('event_count', 0)} events, {a.get('quote_count', 0)} quotes"
        click.echo(f"  {a.get('title') or a.get('source')}  [{when}; {counts_text}]")
    click.echo("\nEvents by type (factuality)")
    by_type: Counter[tuple[str, str]] = Counter((e["type"], e["factuality"]) for e in evs)
    for (etype, fact), n in sorted(by_type.items()):
        click.echo(f"  {etype:<10} {fact:<13} {n}")
    click.echo("\nEvents (in article order)")
    order = {a["id"]: k for k, a in enumerate(arts)}
    evs.sort(key=lambda e: (order.get(e["article_id"], len(order)), e.get("trigger_start") or 0))
    for e in evs[:limit]:
        click.echo(
            f"  {e.get('date') or '?':<10} {e['type']:<9} "
            f"{_who(e.get('actors')) or '?'} -> {_who(e.get('recipients')) or '-'}"
            f"  ({e['factuality']}; '{e.get('trigger')}')"
        )
    actors: Counter[str] = Counter()
    for e in evs:
        for r in (e.get("actors") or []) + (e.get("recipients") or []):
            actors[f"{r.get('name') or r.get('text')} [{r.get('code') or '-'}]"] += 1
    click.echo("\nMost active actors")
    for name, n in actors.most_common(limit):
        click.echo(f"  {n:>3}  {name}")
    click.echo("\nQuotes")
    for q in qs:
        who = _who([q["speaker"]]) if q.get("speaker") else "(speaker unknown)"
        text = q["text"] if len(q["text"]) < 100 else q["text"][:99] + "…"
        click.echo(f"  {who}: {'“' + text + '”' if q['kind'] == 'direct' else text}")


def _default_gold(name: str) -> list[str]:
    """Every ``tests/gold/<name>*.jsonl`` part, from the working directory or the source checkout."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        parts = sorted((root / "tests" / "gold").glob(f"{name}*.jsonl"))
        if parts:
            return [str(p) for p in parts]
    raise click.UsageError(f"no gold set found for {name}; pass --gold PATH")


@cli.group("eval")
def eval_group() -> None:
    """Score an extractor against its gold set: precision, recall and F1.

    \b
    newsevents eval actors                        # the team's gold set in tests/gold/
    newsevents eval actors --errors 20            # and show disagreements
    newsevents eval actors --gate tests/eval/baseline.json   # exit 1 below the pinned floors (CI)
    newsevents eval events                        # PLOVER events, per type, with factuality
    newsevents eval time --engine all             # our time rules beside dateparser and Recognizers-Text
    newsevents eval quotes --engine all           # our quotes and speakers beside textacy
    newsevents eval places --engine all           # our geocoding beside plain first-match lookup
    """


def _eval_options(
    name: str, engines: tuple[str, ...] = (), engine_help: str = ""
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options every ``eval`` command shares, and ``--engine`` when it compares engines."""

    def apply(func: Callable[..., None]) -> Callable[..., None]:
        options = [
            click.option(
                "--gold",
                multiple=True,
                type=click.Path(dir_okay=False),
                help=f"Gold JSON Lines file, repeatable (default: every tests/gold/{name}*.jsonl).",
            ),
            click.option("--json", "as_json", is_flag=True, help="Print the report as JSON."),
            click.option("--errors", type=int, default=0, help="Also list this many disagreements."),
            click.option(
                "--gate",
                type=click.Path(dir_okay=False, exists=True),
                help="Baseline JSON: exit 1 if below a floor.",
            ),
            click.option(
                "--update-baseline",
                type=click.Path(dir_okay=False),
                help="Write the current scores as floors here.",
            ),
            click.option(
                "--allow-regression", is_flag=True, help="With --update-baseline: allow a floor to go down."
            ),
        ]
        if engines:
            options.append(
                click.option(
                    "--engine",
                    type=click.Choice([*engines, "all"]),
                    default=engines[0],
                    show_default=True,
                    help=engine_help,
                )
            )
        for option in reversed(options):
            func = option(func)
        return click.pass_context(func)

    return apply


_ENGINES = {
    "time": ("rules", "dateparser", "recognizers"),
    "quotes": ("rules", "textacy"),
    "places": ("rules", "first-match"),
}


def _run_eval(ctx: click.Context, name: str, floors: list[str], options: dict[str, Any]) -> None:
    """Score the gold set of `name` (with each requested engine), print the reports, gate the first one."""
    from newsevents import evaluate
    from newsevents.kb.lexicon import load_lexicons
    from newsevents.nlp import load_model

    engine = options.pop("engine", None)
    engines = list(_ENGINES[name]) if engine == "all" else [engine]
    try:
        items = [
            item for path in (options["gold"] or _default_gold(name)) for item in evaluate.load_gold(path)
        ]
        nlp = load_model(ctx.obj["model"])
        if name in {"actors", "events"}:
            scorer = evaluate.eval_actors if name == "actors" else evaluate.eval_events
            reports = [scorer(items, nlp, lexicons=load_lexicons(ctx.obj["settings"].lexicons))]
        else:
            compare = {
                "time": evaluate.eval_time,
                "quotes": evaluate.eval_quotes,
                "places": evaluate.eval_places,
            }
            reports = [compare[name](items, nlp, engine=e) for e in engines]
    except NewsEventsError as exc:
        _fail(exc)
    for report in reports:
        _print_report(report, options["as_json"], options["errors"])
    _gate(reports[0], options["gate"], options["update_baseline"], options["allow_regression"], floors)


@eval_group.command("actors")
@_eval_options("actors")
def eval_actors_cmd(ctx: click.Context, **options: Any) -> None:
    """Actor mentions (exact and overlapping spans) and their CAMEO-style codes."""
    _run_eval(ctx, "actors", ["span_overlap_f1", "span_exact_f1", "code_f1"], options)


@eval_group.command("events")
@_eval_options("events")
def eval_events_cmd(ctx: click.Context, **options: Any) -> None:
    """PLOVER events: P/R/F1 overall and per type, arguments, and factuality accuracy.

    An event matches when its trigger overlaps the gold trigger; "overall" also needs the right type;
    "happened" counts only events reported as having happened (asserted or historical).
    """
    floors = ["overall_f1", "trigger_f1", "happened_f1", "actors_f1", "recipients_f1", "factuality_accuracy"]
    _run_eval(ctx, "events", floors, options)


@eval_group.command("time")
@_eval_options(
    "time",
    _ENGINES["time"],
    "Whose expressions to score: our rules (what the pipeline uses), plain dateparser, "
    "Recognizers-Text, or all three side by side.",
)
def eval_time_cmd(ctx: click.Context, **options: Any) -> None:
    """Temporal expressions: found (span overlap) and normalised to exactly the gold value.

    Relative expressions resolve against each gold item's publication date. The floors gate the rules engine.
    """
    _run_eval(ctx, "time", ["span_f1", "value_f1", "relative_recall"], options)


@eval_group.command("quotes")
@_eval_options(
    "quotes",
    _ENGINES["quotes"],
    "Whose quotes to score: our rules (what the pipeline uses), textacy's direct_quotations, or both.",
)
def eval_quotes_cmd(ctx: click.Context, **options: Any) -> None:
    """Quotes: found (span overlap) and attributed to the right speaker; positions by holder and stance.

    The floors gate the rules engine.
    """
    _run_eval(ctx, "quotes", ["span_f1", "speaker_f1"], options)


@eval_group.command("places")
@_eval_options(
    "places",
    _ENGINES["places"],
    "Our context-ranked resolver (what the pipeline uses), plain first-match lookup, or both.",
)
def eval_places_cmd(ctx: click.Context, **options: Any) -> None:
    """Places: toponyms resolved within 161 km of the gold coordinates, and at the right precision level."""
    _run_eval(ctx, "places", ["accuracy_161km", "level_accuracy"], options)


def _print_report(report: Any, as_json: bool, errors: int) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "name": report.name,
                    "items": report.items,
                    "scores": {k: v.as_dict() for k, v in report.scores.items()},
                    "values": {k: round(v, 4) for k, v in report.values.items()},
                    "errors": report.errors[:errors] if errors else [],
                },
                indent=2,
            )
        )
        return
    click.echo(f"{report.name}: {report.items} gold items")
    click.echo(f"  {'metric':<14} {'P':>7} {'R':>7} {'F1':>7}   tp/fp/fn")
    for key, score in report.scores.items():
        click.echo(
            f"  {key:<14} {score.precision:7.3f} {score.recall:7.3f} {score.f1:7.3f}   "
            f"{score.tp}/{score.fp}/{score.fn}"
        )
    for key, value in report.values.items():
        click.echo(f"  {key:<20} {value:.3f}" if value < 1.5 else f"  {key:<20} {value:.0f}")
    for err in report.errors[:errors]:
        click.echo("  " + "  ".join(f"{k}={v}" for k, v in err.items()))


def _gate(
    report: Any, gate: str | None, update: str | None, allow_regression: bool, metrics: list[str]
) -> None:
    from newsevents import evaluate

    if update:
        path = Path(update)
        baseline = json.loads(path.read_text()) if path.exists() else {}
        try:
            new = evaluate.update_baseline(report, baseline, metrics, allow_regression=allow_regression)
        except NewsEventsError as exc:
            _fail(exc)
        path.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n")
        click.echo(f"floors for {report.name} written to {path}", err=True)
    if gate:
        failures = evaluate.check_floors(report, json.loads(Path(gate).read_text()))
        for line in failures:
            click.echo(f"REGRESSION: {line}", err=True)
        if failures:
            raise SystemExit(1)
        click.echo(f"{report.name}: all floors in {gate} met", err=True)


def _corpus_texts(paths: tuple[str, ...], limit: int) -> list[tuple[str, str]]:
    from newsevents.ingest import read_inputs

    if not paths:
        root = Path(__file__).resolve().parents[2]
        corpus = [
            p
            for p in (root.parent / "shared" / "corpus" / "polnear-train" / "text", root / "examples")
            if p.is_dir()
        ]
        paths = (str(corpus[0]),) if corpus else ()
    if not paths:
        raise click.UsageError("no corpus found; pass PATH")
    texts = []
    for item in read_inputs(paths):
        if isinstance(item, Rejected):
            _report(item)
            continue
        texts.append((item.source, item.body))
        if len(texts) >= limit:
            break
    return texts


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True, help="Articles to use.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def bench(ctx: click.Context, paths: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Time every stage on a corpus, as ratios to bare spaCy on the same texts in the same run.

    PATHS default to ../shared/corpus/polnear-train/text (else examples/). Ratios, not seconds, are what to
    compare across machines: 'actors 0.05' means actor coding adds 5% to the spaCy parse time.
    """
    from newsevents.bench import run_bench

    try:
        report = run_bench(_corpus_texts(paths, limit), ctx.obj["model"])
    except NewsEventsError as exc:
        _fail(exc)
    data = report.as_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{data['docs']} articles, {data['chars']} characters, model {data['model']}")
    click.echo(f"bare spaCy: {data['bare_spacy_seconds']} s (ratio 1.0)")
    for stage, seconds in data["stage_seconds"].items():
        click.echo(f"  {stage:<8} {seconds:8.3f} s   ratio {data['ratio_to_bare_spacy'][stage]:.4f}")
    click.echo(f"throughput: {data['docs_per_second']} articles/s; peak RSS {data['peak_rss_mb']} MB")


@cli.command()
@click.pass_context
def info(ctx: click.Context) -> None:
    """Show versions, the spaCy model that would be used, and lexicon sizes."""
    from newsevents.kb.lexicon import load_lexicons
    from newsevents.nlp import load_model, model_info
    from newsevents.pipeline import PIPELINE_VERSION, STAGES

    try:
        m = model_info(load_model(ctx.obj["model"]))
    except NewsEventsError as exc:
        _fail(exc)
    lex = load_lexicons(ctx.obj["settings"].lexicons)
    click.echo(f"pipeline: {PIPELINE_VERSION}")
    click.echo(f"model: {m.name} {m.version} (lang {m.lang}; pipes {', '.join(m.pipes)})")
    click.echo(f"stages: {', '.join(s.name for s in STAGES)}")
    click.echo(
        f"lexicons: {len(lex.by_iso3)} countries, {len(lex.roles)} role words, "
        f"{len({o.name for o in lex.organizations.values()})} organisations, "
        f"{len({p.name for ps in lex.people.values() for p in ps})} people, "
        f"{len(lex.verb_triggers) + len(lex.noun_triggers)} event triggers"
    )
    click.echo("lexicon files: " + ", ".join(lex.sources))
    click.echo(f"database: {ctx.obj['db']}")


def main() -> None:  # pragma: no cover - console entry point alias
    cli()
