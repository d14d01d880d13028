"""The read side: an HTTP API (and, later, a web app) over a store, as one ASGI application.

`create_app` builds the FastAPI application for a database URL; ``newsevents serve`` runs it with uvicorn.
"""

from __future__ import annotations

from newsevents.serve.api import create_app

__all__ = ["create_app"]
