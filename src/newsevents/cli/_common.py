"""What every command shares: the global options (accepted before or after the sub-command), logging,
settings, the knowledge base, the store, error handling and table output."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from newsevents.errors import ConfigError, NewsEventsError
from newsevents.model import Rejected

F = TypeVar("F", bound=Callable[..., Any])
Column = tuple[str, Callable[[dict[str, Any]], Any], int]  # header, getter, width

log = logging.getLogger("newsevents")

#: Settings a sub-command may also receive: ``newsevents --db x.db events`` = ``newsevents events --db x.db``.
_GLOBAL_KEYS = ("db", "model", "lexicons", "verbs", "verbose", "quiet")

#: The formats ``export`` writes (`newsevents.export.FORMATS`; repeated here so that the command line
#: starts without importing the store).
EXPORT_FORMATS = ("jsonl", "plover", "csv", "tsv", "gdelt-events", "gdelt-mentions", "parquet")


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


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Store a global option in the shared context object; a sub-command's value overrides the group's."""
    obj = ctx.ensure_object(dict)
    name = param.name or ""
    given = value not in (None, (), 0, False)
    if ctx.parent is None or given or name not in obj:
        if name in ("lexicons", "verbs"):
            obj[name] = (*obj.get(name, ()), *value) if ctx.parent is not None else tuple(value)
        else:
            obj[name] = value
    if name in ("verbose", "quiet") and (ctx.parent is None or given):
        _setup_logging(obj.get("verbose", 0) or 0, bool(obj.get("quiet")))
    return value


def global_options(*, top: bool) -> Callable[[F], F]:
    """The global options, for the group (`top`, with environment defaults) or for one sub-command."""

    def default(value: Any) -> Any:
        return value if top else None

    options = [
        click.option(
            "--db",
            envvar="NEWSEVENTS_DB" if top else None,
            default=default("newsevents.db"),
            show_default=top,
            expose_value=False,
            callback=_remember,
            help="Database: a SQLite path (default newsevents.db), sqlite:///path or "
            "postgresql://user@host/db. Also NEWSEVENTS_DB.",
        ),
        click.option(
            "--model",
            envvar="NEWSEVENTS_MODEL" if top else None,
            default=default("auto"),
            show_default=top,
            expose_value=False,
            callback=_remember,
            help="spaCy model package, or 'auto' for the best installed English model. "
            "Also NEWSEVENTS_MODEL.",
        ),
        click.option(
            "--lexicons",
            multiple=True,
            type=click.Path(),
            expose_value=False,
            callback=_remember,
            help="Extra lexicon directory or file (people.tsv, organizations.tsv, roles.tsv, countries.tsv, "
            "patterns.tsv, PETRARCH *.actors.txt / *.agents.txt / CAMEO*.txt verb dictionaries); repeatable. "
            "Also NEWSEVENTS_LEXICONS (joined by ':').",
        ),
        click.option(
            "--verbs",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            expose_value=False,
            callback=_remember,
            help="A CAMEO-format verb dictionary (PETRARCH's CAMEO.2.0.txt) whose patterns are used beside "
            "the bundled ones; repeatable.",
        ),
        click.option(
            "-v",
            "--verbose",
            count=True,
            expose_value=False,
            callback=_remember,
            help="More logging on stderr (-vv for debug).",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Only errors on stderr.",
        ),
    ]

    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


def fail(exc: NewsEventsError | str) -> NoReturn:
    """Print ``error: ...`` on stderr and exit: 2 for configuration and usage errors, 1 for the rest."""
    click.echo(f"error: {exc}", err=True)
    raise SystemExit(2 if isinstance(exc, ConfigError) else 1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn newsevents errors into an ``error:`` line and an exit status, never a traceback."""
    try:
        yield
    except NewsEventsError as exc:
        fail(exc)


def settings(ctx: click.Context) -> Any:
    """The validated `newsevents.config.Settings` for this invocation (global options merged)."""
    from newsevents.config import load_settings

    obj = ctx.ensure_object(dict)
    if "settings" not in obj:
        with user_errors():
            verbs = tuple(f"verbs:{v}" for v in obj.get("verbs", ()))
            lexicons = (*obj.get("lexicons", ()), *verbs)
            obj["settings"] = load_settings({"model": obj.get("model"), "lexicons": lexicons})
    return obj["settings"]


def resources(ctx: click.Context) -> Any:
    """The knowledge base for this invocation's lexicons (a bad lexicon line is an ``error:``, exit 2)."""
    from newsevents.kb import load_resources

    with user_errors():
        res = load_resources(settings(ctx).lexicons)
    obj = ctx.ensure_object(dict)
    skipped = res.lexicons.problems
    if skipped and not obj.get("warned_lexicons"):
        obj["warned_lexicons"] = True
        for line in skipped[:5]:
            click.echo(f"warning: {line}", err=True)
        more = f" ({len(skipped) - 5} more: `newsevents info` lists them)" if len(skipped) > 5 else ""
        click.echo(f"warning: {len(skipped)} dictionary lines skipped{more}", err=True)
    return res


def db_url(ctx: click.Context) -> str:
    return str(ctx.ensure_object(dict).get("db") or "newsevents.db")


def open_db(ctx: click.Context, *, must_exist: bool = True) -> Any:
    """Open the store named by ``--db``; a listing on a database that does not exist is a usage error."""
    from newsevents.store import open_store

    db = db_url(ctx)
    local = not db.startswith(("postgresql:", "postgres:", "sqlite:")) and db != ":memory:"
    if must_exist and local and not os.path.exists(db):
        raise click.UsageError(f"no database at {db}; run `newsevents process PATH --db {db}` first")
    with user_errors():
        return open_store(db)


def report_rejection(rej: Rejected) -> None:
    click.echo(f"rejected {rej.source} ({rej.stage}): {rej.reason.value}: {rej.detail}", err=True)


def emit(rows: list[dict[str, Any]], as_json: bool, columns: list[Column]) -> None:
    """Print rows as JSON Lines or as a fixed-width table."""
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


def who(refs: list[dict[str, Any]] | None) -> str:
    """Actor references as ``name[CODE]; ...``."""
    return "; ".join(f"{r.get('name') or r.get('text')}[{r.get('code') or '-'}]" for r in refs or [])


def text_of(value: Any) -> Any:
    """A contract span (``{"text": ...}``) or a plain value, as text."""
    return value.get("text") if isinstance(value, dict) else value
