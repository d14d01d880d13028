"""newsevents: who did what to whom, when and where, and who said what, from raw news articles."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
