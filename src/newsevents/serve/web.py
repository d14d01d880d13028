"""The web app's files: served at ``/`` by the API's process when they are packaged.

The app lives in ``newsevents/serve/static/`` (HTML, CSS, JavaScript and vendored libraries, built from npm
at build time, nothing fetched at run time). Until it is packaged, `mount_web` mounts nothing and the API
stands alone.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

__all__ = ["STATIC", "mount_web"]

#: Where the packaged web app is.
STATIC = Path(__file__).with_name("static")


def mount_web(app: FastAPI) -> bool:
    """Serve `STATIC` at ``/`` (``index.html`` for the root) if it holds the app; return whether it did."""
    if not (STATIC / "index.html").is_file():
        return False
    from fastapi.staticfiles import StaticFiles

    app.mount("/", StaticFiles(directory=STATIC, html=True), name="web")
    return True
