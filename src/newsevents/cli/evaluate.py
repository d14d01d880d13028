"""``newsevents eval``: score each extractor against its gold set (P/R/F1), gate CI on pinned floors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from newsevents.cli import cli
from newsevents.cli._common import global_options, resources, settings, user_errors
from newsevents.errors import NewsEventsError

#: Where ``eval`` looks for gold sets unless ``--gold`` or ``--gold-dir`` says otherwise.
DEFAULT_GOLD_DIR = "tests/gold"


def _gold_paths(given: tuple[str, ...]) -> list[str]:
    """The files behind ``--gold``: a file as given, a directory as its ``*.jsonl`` files. A directory that
    is absent (a corpus not on this machine) is skipped with a message; nothing left is a usage error."""
    from newsevents.evaluate.attributions import is_brat_corpus

    out: list[str] = []
    for g in given:
        path = Path(g)
        if is_brat_corpus(path):  # an attribution corpus in brat standoff (quotes)
            out.append(g)
        elif path.is_dir():
            parts = sorted(path.glob("*.jsonl"))
            if not parts:
                raise click.UsageError(f"no *.jsonl gold files in {g}")
            out.extend(str(p) for p in parts)
        elif path.exists() or path.suffix:
            out.append(g)
        else:
            click.echo(f"skipping {g}: no such gold set on this machine", err=True)
    if not out:
        click.echo("no gold set to score", err=True)
        raise SystemExit(0)
    return out


def _default_gold(name: str, gold_dir: str) -> list[str]:
    """Every ``<gold_dir>/<name>*.jsonl`` part, or every ``*.jsonl`` in ``<gold_dir>/<name>/``."""
    parts = sorted(Path(gold_dir).glob(f"{name}*.jsonl")) or sorted((Path(gold_dir) / name).glob("*.jsonl"))
    if not parts:
        raise click.UsageError(
            f"no gold set {name}*.jsonl in {gold_dir}; pass --gold FILE or --gold-dir DIR "
            "(or set NEWSEVENTS_GOLD_DIR)"
        )
    return [str(p) for p in parts]


@cli.group("eval")
@global_options(top=False)
def eval_group() -> None:
    """Score an extractor against its gold set: precision, recall and F1.

    \b
    newsevents eval actors                        # the team's gold set in tests/gold/
    newsevents eval actors --errors 20            # and show disagreements
    newsevents eval actors --gate tests/eval/baseline.json   # exit 1 below the pinned floors (CI)
    newsevents eval events                        # PLOVER events, per type, with factuality
    newsevents eval time --engine all             # our time rules beside dateparser and Recognizers-Text
    newsevents eval quotes --engine all           # our quotes and speakers beside textacy
    newsevents eval quotes --gold ../shared/corpus/polnear-train --engine all   # brat attribution corpus
    newsevents eval places --engine all           # our geocoding beside plain population, first-match lookup
    newsevents eval places --gold ../shared/corpus/geo-dev --engine all   # a public geoparsing corpus
    newsevents eval patterns --errors 20          # each pattern row's example codes as the row says
    newsevents eval stories                       # story linking, near-copies, happenings
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
                type=click.Path(),
                help=f"Gold JSON Lines file or a directory of them, repeatable (default: every {name}*.jsonl "
                "in --gold-dir). A directory that does not exist is skipped with a message.",
            ),
            click.option(
                "--gold-dir",
                envvar="NEWSEVENTS_GOLD_DIR",
                default=DEFAULT_GOLD_DIR,
                show_default=True,
                type=click.Path(file_okay=False),
                help="Directory of the gold sets (relative to the working directory). "
                "Also NEWSEVENTS_GOLD_DIR.",
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
        options.append(global_options(top=False))
        for option in reversed(options):
            func = option(func)
        return click.pass_context(func)

    return apply


_ENGINES = {
    "time": ("rules", "dateparser", "recognizers"),
    "quotes": ("rules", "textacy"),
    "places": ("rules", "rules-no-outlet", "population", "first-match"),
}


def _run_eval(ctx: click.Context, name: str, floors: list[str], options: dict[str, Any]) -> None:
    """Score the gold set of `name` (with each requested engine), print the reports, gate the first one."""
    from newsevents import evaluate
    from newsevents.evaluate.attributions import is_brat_corpus, read_brat_corpus
    from newsevents.nlp import load_model

    engine = options.pop("engine", None)
    engines = list(_ENGINES[name]) if engine == "all" else [engine]
    paths = _gold_paths(options["gold"]) if options["gold"] else _default_gold(name, options["gold_dir"])
    res = resources(ctx)
    with user_errors():
        brat = [path for path in paths if is_brat_corpus(path)]
        if brat and name != "quotes":
            raise click.UsageError(
                f"{brat[0]} is an attribution corpus: score it with 'newsevents eval quotes'"
            )
        paths = [path for path in paths if path not in brat]
        parts = [(".heldout" in Path(path).name, evaluate.load_gold(path)) for path in paths]
        items = [item for _, part in parts for item in part]
        heldout = [item for held, part in parts if held for item in part]
        nlp = load_model(settings(ctx).model)
        reports = []
        if brat:  # every engine in one parse; the held-out fifth reported on its own
            corpus = [item for path in brat for item in read_brat_corpus(path)]
            reports += evaluate.eval_attributions(corpus, nlp, engines=engines, resources=res)
        if not items and brat:
            pass  # the attribution corpus alone
        elif name == "places":  # one pass scores every engine; held-out items are flagged
            items = [item | {"_heldout": held} for held, part in parts for item in part]
            reports += evaluate.eval_places_engines(items, nlp, engines=engines, resources=res)
        elif name == "stories":  # each part processed and linked on its own
            named = [(Path(path).stem, held, part) for path, (held, part) in zip(paths, parts, strict=True)]
            reports += [evaluate.eval_stories(named, nlp, resources=res)]
        elif name in {"actors", "events"}:
            scorer = evaluate.eval_actors if name == "actors" else evaluate.eval_events
            reports += [scorer(items, nlp, resources=res)]
            if heldout:  # the parts no rule was tuned on, reported on their own
                reports[-1].heldout = scorer(heldout, nlp, resources=res)
        else:
            compare: dict[str, Callable[..., Any]] = {
                "time": evaluate.eval_time,
                "quotes": evaluate.eval_quotes,
                "places": evaluate.eval_places,
            }
            reports += [compare[name](items, nlp, engine=e, resources=res) for e in engines]
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
    floors += ["sentence_type_accuracy", "triple_f1", "triple_root_f1", "actor_country_accuracy"]
    _run_eval(ctx, "events", floors, options)


@eval_group.command("stories")
@_eval_options("stories")
def eval_stories_cmd(ctx: click.Context, **options: Any) -> None:
    """Story linking (B-cubed), near-copies and happening co-reference (pairwise), each part linked alone.

    Every article goes through the whole pipeline into a fresh in-memory store, then `newsevents link`;
    the held-out parts are reported on their own.
    """
    floors = ["story_b3_f1", "story_b3_precision", "copies_f1", "happenings_f1", "happenings_precision"]
    _run_eval(ctx, "stories", floors, options)


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
    floors = ["span_f1", "speaker_f1", "direct_content_f1", "direct_speaker_f1", "all_content_f1"]
    _run_eval(ctx, "quotes", [*floors, "all_speaker_f1"], options)


@eval_group.command("places")
@_eval_options(
    "places",
    _ENGINES["places"],
    "Our context-ranked resolver (what the pipeline uses), plain first-match lookup, or both.",
)
def eval_places_cmd(ctx: click.Context, **options: Any) -> None:
    """Places: toponyms resolved within 161 km of the gold coordinates, and at the right precision level."""
    floors = ["found", "accuracy_161km", "accuracy_161km_on_found", "level_accuracy"]
    _run_eval(ctx, "places", floors, options)


@eval_group.command("patterns")
@click.option(
    "--patterns",
    "pattern_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Also score this pattern file's examples (the bundled format with an example column); repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--errors", type=int, default=0, help="Also list this many rows whose example codes otherwise.")
@click.option("--gate", type=click.Path(dir_okay=False, exists=True), help="Baseline JSON: exit 1 if below.")
@click.option("--update-baseline", type=click.Path(dir_okay=False), help="Write the scores as floors here.")
@click.option("--allow-regression", is_flag=True, help="With --update-baseline: allow a floor to go down.")
@global_options(top=False)
@click.pass_context
def eval_patterns_cmd(ctx: click.Context, /, pattern_files: tuple[str, ...], **options: Any) -> None:
    """The pattern lexicon on its own examples: each row's example sentence, run through the pipeline,
    should give an event of the row's PLOVER type (and CAMEO code) at the row's word."""
    from newsevents.evaluate.patterns import eval_patterns, pattern_examples
    from newsevents.nlp import load_model

    res = resources(ctx)
    with user_errors():
        items = pattern_examples([Path(p) for p in pattern_files])
        report = eval_patterns(items, load_model(settings(ctx).model), resources=res)
    _print_report(report, options["as_json"], options["errors"])
    floors = ["type_accuracy", "cameo_root_accuracy", "cameo_accuracy"]
    _gate(report, options["gate"], options["update_baseline"], options["allow_regression"], floors)


def _report_dict(report: Any, errors: int) -> dict[str, Any]:
    out = {
        "name": report.name,
        "items": report.items,
        "scores": {k: v.as_dict() for k, v in report.scores.items()},
        "values": {k: round(v, 4) for k, v in report.values.items()},
        "errors": report.errors[:errors] if errors else [],
    }
    if report.heldout is not None:
        out["heldout"] = _report_dict(report.heldout, 0)
    return out


def _print_report(report: Any, as_json: bool, errors: int, title: str = "") -> None:
    if as_json:
        click.echo(json.dumps(_report_dict(report, errors), indent=2))
        return
    click.echo(f"{report.name}{title}: {report.items} gold items")
    click.echo(f"  {'metric':<14} {'P':>7} {'R':>7} {'F1':>7}   tp/fp/fn")
    for key, score in report.scores.items():
        click.echo(
            f"  {key:<14} {score.precision:7.3f} {score.recall:7.3f} {score.f1:7.3f}   "
            f"{score.tp}/{score.fp}/{score.fn}"
        )
    for key, value in report.values.items():
        count = key.startswith("gold_") or (value >= 1.5 and not key.endswith("_km"))
        if key.endswith("_km"):
            click.echo(f"  {key:<24} {value:.1f}")
        else:
            click.echo(f"  {key:<24} {value:.0f}" if count else f"  {key:<24} {value:.3f}")
    for err in report.errors[:errors]:
        click.echo("  " + "  ".join(f"{k}={v}" for k, v in err.items()))
    if report.heldout is not None:
        click.echo("")
        _print_report(report.heldout, False, 0, " (held-out parts only: no rule is tuned on them)")


def _gate(
    report: Any, gate: str | None, update: str | None, allow_regression: bool, metrics: list[str]
) -> None:
    from newsevents import evaluate

    present = report.metrics()
    metrics = [m for m in metrics if m in present]  # coded-gold metrics exist only with coded parts
    if update:
        path = Path(update)
        baseline = json.loads(path.read_text()) if path.exists() else {}
        try:
            new = evaluate.update_baseline(report, baseline, metrics, allow_regression=allow_regression)
        except NewsEventsError as exc:
            click.echo(f"error: {exc}", err=True)  # a floor would go down: a regression, like --gate
            raise SystemExit(1) from None
        path.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n")
        click.echo(f"floors for {report.name} written to {path}", err=True)
    if gate:
        failures = evaluate.check_floors(report, json.loads(Path(gate).read_text()))
        for line in failures:
            click.echo(f"REGRESSION: {line}", err=True)
        if failures:
            raise SystemExit(1)
        click.echo(f"{report.name}: all floors in {gate} met", err=True)
