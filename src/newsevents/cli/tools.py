"""Tool commands: ``bench`` (speed as ratios to bare spaCy), ``info`` (versions, model, knowledge base)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from newsevents.cli import cli
from newsevents.cli._common import (
    EXPORT_FORMATS,
    db_url,
    global_options,
    report_rejection,
    resources,
    settings,
    user_errors,
)
from newsevents.model import Rejected

#: Where ``bench`` reads its corpus unless PATHS or ``--corpus`` say otherwise (relative to the working
#: directory: the development corpus beside a checkout).
DEFAULT_CORPUS = "../shared/corpus/polnear-train/text"


def _corpus_texts(paths: tuple[str, ...], limit: int) -> list[tuple[str, str]]:
    from newsevents.ingest import read_inputs

    texts = []
    for item in read_inputs(paths):
        if isinstance(item, Rejected):
            report_rejection(item)
            continue
        texts.append((item.source, item.body))
        if len(texts) >= limit:
            break
    return texts


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--corpus",
    envvar="NEWSEVENTS_CORPUS",
    default=DEFAULT_CORPUS,
    show_default=True,
    help="Corpus to time when no PATHS are given. Also NEWSEVENTS_CORPUS.",
)
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True, help="Articles to use.")
@click.option(
    "--long-inputs/--no-long-inputs",
    default=True,
    show_default=True,
    help="Also time a 50 KB and a 500 KB article with no line breaks.",
)
@click.option(
    "--link",
    "link_sizes",
    help="Instead, time linking (copies, stories, happenings) on stores of these sizes, e.g. 1000,10000: "
    "the corpus is processed once and cloned (words perturbed, dates 30 days apart) up to each size.",
)
@click.option(
    "--export",
    "export_events",
    type=click.IntRange(1),
    help="Instead, measure exports: generate a store of this many events (the corpus processed, linked and "
    "cloned) and export it in every format, each in its own process, reporting its peak memory.",
)
@click.option(
    "--export-db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --export: the generated store's path, kept afterwards; an existing file is reused as is.",
)
@click.option(
    "--formats",
    default=",".join(EXPORT_FORMATS),
    show_default=True,
    help="With --export: the formats to time, comma-separated.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@global_options(top=False)
@click.pass_context
def bench(
    ctx: click.Context,
    paths: tuple[str, ...],
    corpus: str,
    limit: int,
    long_inputs: bool,
    link_sizes: str | None,
    export_events: int | None,
    export_db: Path | None,
    formats: str,
    as_json: bool,
) -> None:
    """Time every stage on a corpus, as ratios to bare spaCy on the same texts in the same run.

    Ratios, not seconds, are what to compare across machines: 'actors 0.05' means actor coding adds 5% to
    the spaCy parse time. Also times cleaning and extraction of a 50 KB and a 500 KB article with no line
    breaks (the ratio should be near 10: every stage is linear in article length).
    """
    from newsevents.bench import run_bench

    if export_events is not None or export_db is not None:
        _bench_exports(ctx, paths or (corpus,), limit, export_events, export_db, formats, as_json)
        return
    if not paths:
        if not Path(corpus).exists():
            raise click.UsageError(f"no corpus at {corpus}; pass PATH or --corpus DIR")
        paths = (corpus,)
    texts = _corpus_texts(paths, limit)
    if not texts:
        raise click.UsageError(f"nothing readable in {', '.join(paths)}")
    if link_sizes:
        _bench_links(ctx, texts, link_sizes, as_json)
        return
    with user_errors():
        sizes = (50_000, 500_000) if long_inputs else ()
        report = run_bench(texts, settings(ctx).model, resources=resources(ctx), long_sizes=sizes)
    data = report.as_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{data['docs']} articles, {data['chars']} characters, model {data['model']}")
    click.echo(f"bare spaCy: {data['bare_spacy_seconds']} s (ratio 1.0)")
    for stage, seconds in data["stage_seconds"].items():
        click.echo(f"  {stage:<12} {seconds:8.3f} s   ratio {data['ratio_to_bare_spacy'][stage]:.4f}")
    click.echo(f"throughput: {data['docs_per_second']} articles/s; peak RSS {data['peak_rss_mb']} MB")
    gaz = data["gazetteer"]
    click.echo(
        f"gazetteer: {gaz['names']} names, built in {gaz['load_seconds']} s, "
        f"{gaz['resident_mb']} MB resident (once per process)"
    )
    for row in data["long_inputs"]:
        click.echo(
            f"long input, {row['chars']:,} characters, no line break: clean {row['clean_seconds']} s, "
            f"parse + extract {row['extract_seconds']} s"
        )
    if data["long_input_ratio"]:
        ratio = data["long_input_ratio"]
        click.echo(
            f"largest / smallest long input: clean x{ratio['clean_seconds']}, "
            f"parse + extract x{ratio['extract_seconds']} (linear = the size ratio)"
        )


def _bench_links(ctx: click.Context, texts: list[tuple[str, str]], sizes_text: str, as_json: bool) -> None:
    from newsevents.bench import run_link_bench

    try:
        sizes = [int(s) for s in sizes_text.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(f"{sizes_text!r} is not a list of sizes such as 1000,10000") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("give one or more sizes of at least 1, such as 1000,10000")
    with user_errors():
        rows = run_link_bench(texts, sorted(sizes), settings(ctx).model, resources=resources(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(
        f"linking, from {len(texts)} corpus articles cloned (seconds; peak Python memory while linking)"
    )
    for r in rows:
        click.echo(
            f"  {int(r['articles']):>7,} articles, {int(r['events']):>7,} events: {r['seconds']:7.2f} s "
            f"({r['seconds_per_1000']:.2f} s per 1,000), peak {r['peak_mb']:.0f} MB "
            f"({r['kb_per_article']:.1f} KB per article); {int(r['stories']):,} stories, "
            f"{int(r['happenings']):,} happenings"
        )
    if len(rows) > 1:
        small, big = rows[0], rows[-1]
        click.echo(
            f"largest / smallest: x{big['articles'] / small['articles']:.1f} articles, "
            f"time x{big['seconds'] / max(small['seconds'], 1e-9):.1f}, "
            f"memory x{big['peak_mb'] / max(small['peak_mb'], 1e-9):.1f}"
        )


def _bench_exports(
    ctx: click.Context,
    paths: tuple[str, ...],
    limit: int,
    events: int | None,
    db: Path | None,
    formats_text: str,
    as_json: bool,
) -> None:
    import tempfile

    from newsevents.bench import generate_store, run_export_bench
    from newsevents.store import SQLiteStore

    formats = [f.strip() for f in formats_text.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(EXPORT_FORMATS))
    if unknown or not formats:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; use some of {', '.join(EXPORT_FORMATS)}",
            param_hint="--formats",
        )
    with tempfile.TemporaryDirectory() as tmp, user_errors():
        path = db or Path(tmp) / "generated.db"
        generated = 0.0
        if not path.exists():
            if events is None:
                raise click.UsageError(f"{path} does not exist: give --export N to generate it")
            texts = _corpus_texts(paths, limit)
            if not texts:
                raise click.UsageError(f"nothing readable in {', '.join(paths)}")
            start = time.perf_counter()
            generate_store(path, texts, events, settings(ctx).model, resources=resources(ctx))
            generated = time.perf_counter() - start
        with SQLiteStore(path) as store:
            counts = store.counts()
        rows = run_export_bench(path, formats)
        size_mb = path.stat().st_size / 2**20
    report = {
        "database": str(db) if db else "(generated, removed afterwards)",
        "database_mb": round(size_mb, 1),
        "generate_seconds": round(generated, 1),
        "counts": counts,
        "exports": rows,
    }
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(
        f"store: {counts['happenings']:,} happenings, {counts['events']:,} event mentions, "
        f"{counts['articles']:,} articles, {size_mb:,.0f} MB"
        + (f" (generated in {generated:.0f} s)" if generated else "")
    )
    click.echo("export, each in its own process: rows, seconds, peak resident memory, output size")
    for r in rows:
        click.echo(
            f"  {r['format']:<15} {r['rows']:>10,} rows {r['seconds']:8.1f} s"
            f"  peak {r['peak_rss_mb']:6.0f} MB"
            + (f"  {r['output_mb']:,.0f} MB out" if "output_mb" in r else "")
        )


@cli.command()
@global_options(top=False)
@click.pass_context
def info(ctx: click.Context) -> None:
    """Show versions, the spaCy model that would be used, the extractors and the knowledge base."""
    from newsevents.extract.registry import EXTRACTORS
    from newsevents.nlp import load_model, model_info
    from newsevents.pipeline import PIPELINE_VERSION

    with user_errors():
        m = model_info(load_model(settings(ctx).model))
    res = resources(ctx)
    click.echo(f"pipeline: {PIPELINE_VERSION}")
    click.echo(f"model: {m.name} {m.version} (lang {m.lang}; pipes {', '.join(m.pipes)})")
    click.echo(
        "extractors: " + ", ".join(f"{e.name} ({'+'.join(e.requires)} -> {e.provides})" for e in EXTRACTORS)
    )
    click.echo("knowledge base: " + ", ".join(f"{n:,} {what}" for what, n in res.describe().items()))
    click.echo("lexicon files: " + ", ".join(res.sources))
    skipped = res.lexicons.problems
    click.echo(f"dictionary lines skipped: {len(skipped)}")
    for line in skipped:
        click.echo(f"  {line}")
    click.echo(f"database: {db_url(ctx)}")
