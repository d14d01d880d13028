"""Command-line interface: thin click wrappers around library functions.

stdout carries data (JSON Lines, or a readable table); stderr carries logs, progress and errors. Exit codes:
0 ran (rejected inputs are reported, not failures), 1 an article failed, nothing was readable or a runtime
error occurred, 2 usage or configuration errors. The global options (``--db``, ``--model``, ``--lexicons``,
``-v``, ``-q``) are accepted before or after the sub-command.
"""

from __future__ import annotations

import click

from newsevents import __version__
from newsevents.cli._common import global_options

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="newsevents")
@global_options(top=True)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """newsevents: who did what to whom, when and where, and who said what, from raw news articles.

    \b
    Quick start:
      newsevents extract article.txt           # contract JSON per article, no database
      newsevents process articles/             # store everything in newsevents.db
      newsevents events --actor Biden          # list stored events
    """
    ctx.ensure_object(dict)


def main() -> None:  # pragma: no cover - console entry point alias
    cli()


# The commands register themselves on `cli` when their modules are imported.
from newsevents.cli import evaluate, listing, run, serve, tools  # noqa: E402

__all__ += ["evaluate", "listing", "run", "serve", "tools"]
