"""Progress on long runs: a bar with articles/s and an ETA on a terminal, a log line every 30 s otherwise."""

from __future__ import annotations

import logging
import sys
import time

__all__ = ["Progress"]

log = logging.getLogger("newsevents.progress")

_BAR = 30


class Progress:
    """Counts units and input bytes; the ETA comes from the share of input bytes read.

    Args:
        total_bytes: the size of the inputs, or None when unknown (stdin, URLs): then no ETA.
        show: True for a bar, False for nothing, None for a bar on a terminal and log lines otherwise.
        every: seconds between log lines (and between bar redraws, at most 4 a second).
    """

    def __init__(self, total_bytes: int | None, show: bool | None, every: float = 30.0) -> None:
        self.total = total_bytes or None
        self.tty = sys.stderr.isatty() if show is None else show
        self.quiet = show is False
        self.every = every
        self.units = 0
        self.done_bytes = 0
        self.start = time.monotonic()
        self.last = self.start
        self.drawn = False

    def bytes(self, n: int) -> None:
        """Record `n` more input bytes read."""
        self.done_bytes += n

    def unit(self) -> None:
        """Record one more unit finished; redraw or log when it is time."""
        self.units += 1
        now = time.monotonic()
        if self.quiet or now - self.last < (0.25 if self.tty else self.every):
            return
        self.last = now
        line = self.line(now)
        if self.tty:
            sys.stderr.write("\r" + line)
            sys.stderr.flush()
            self.drawn = True
        else:
            log.warning("progress: %s", line)

    def line(self, now: float | None = None) -> str:
        """The progress line: done, rate, share and ETA."""
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.units / elapsed
        text = f"{self.units:,} units, {rate:.1f}/s"
        if self.total:
            share = min(self.done_bytes / self.total, 1.0)
            filled = int(share * _BAR)
            eta = elapsed * (1 - share) / share if share > 0 else float("inf")
            eta_text = "?" if eta == float("inf") else _clock(eta)
            text = f"[{'#' * filled}{'.' * (_BAR - filled)}] {share:5.1%} {text}, ETA {eta_text}"
        return text

    def close(self) -> None:
        """End the bar's line."""
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
