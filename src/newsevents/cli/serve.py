"""``serve``: the read-only HTTP API (and web app) over a store, run by uvicorn."""

from __future__ import annotations

import click

from newsevents.cli import cli
from newsevents.cli._common import db_url, global_options, open_db


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind (keep it behind a proxy)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@global_options(top=False)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the store read-only: the JSON API under /api/ (OpenAPI at /openapi.json, docs at /api/docs).

    Binds 127.0.0.1 by default. To publish it, put it behind a reverse proxy (nginx, Caddy) that terminates
    TLS and forwards to 127.0.0.1:PORT; there are no write routes and no authentication of its own.
    """
    import uvicorn

    from newsevents.serve import create_app

    open_db(ctx).close()  # fail now, clearly, on a missing or unreadable database
    app = create_app(db_url(ctx))
    click.echo(
        f"serving {db_url(ctx)} on http://{host}:{port}/ (API docs: /api/docs); Ctrl-C stops", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
