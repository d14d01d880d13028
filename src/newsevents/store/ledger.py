"""The run ledger and the canonical dump: portable SQL for what each run received and what became of it.

Every run (``newsevents process``, ``newsevents retry``) is a row of ``runs``; every input unit it saw (a
file, a JSON line, a feed item, a WARC record, a URL) is a row of ``run_units`` keyed by ``(run_id,
unit)``, where ``unit`` is a deterministic key of the unit's source (`unit_key`). A unit has exactly one
outcome, so a run's counts always balance::

    received = stored + duplicate + unchanged + quarantined + filtered

``stored`` units were written (``reason`` says ``new`` or ``updated``); ``duplicate`` ones are an article
already stored from another source; ``unchanged`` ones were seen before with the same content;
``quarantined`` ones are bad data or failures (also in ``rejections`` until a later save clears them, and
``newsevents retry`` re-runs them); ``filtered`` ones are deliberately not articles (a WARC request
record, a non-HTML response, a URL robots.txt forbids). The unit row of a saved article is written in the
article's own transaction, so a run killed at any moment leaves a ledger that matches the database.

The canonical dump (`DUMP_TABLES`, `dump_page`, `dump_line`) lists the stored content without times,
counters and ledgers: two databases with equal dumps hold the same articles, items, links and quarantine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from typing import Any

from newsevents.store.queries import Fetch, Query

__all__ = [
    "DUMP_TABLES",
    "OUTCOMES",
    "VOLATILE_COLUMNS",
    "dump_line",
    "dump_page",
    "get_run",
    "list_rejections",
    "list_runs",
    "mark_interrupted",
    "run_finish",
    "run_insert",
    "run_units",
    "unit_insert",
    "unit_key",
]

#: Every outcome a unit can have, in the order the ledger reports them.
OUTCOMES = ("stored", "duplicate", "unchanged", "quarantined", "filtered")

#: `newsevents.store.base.SaveStatus` -> (outcome, reason).
_SAVE_OUTCOME = {
    "new": ("stored", "new"),
    "updated": ("stored", "updated"),
    "unchanged": ("unchanged", None),
    "duplicate": ("duplicate", None),
}

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_DUMP_PAGE = 1000

#: The tables of the canonical dump, each with the key it is ordered by.
DUMP_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("articles", ("id",)),
    ("article_sources", ("article_id", "source")),
    ("actors", ("id",)),
    ("places", ("id",)),
    ("events", ("id",)),
    ("event_actors", ("event_id", "role", "ordinal")),
    ("quotes", ("id",)),
    ("positions", ("article_id", "ordinal")),
    ("actor_mentions", ("article_id", "actor_id", "ordinal")),
    ("place_mentions", ("article_id", "place_id", "ordinal")),
    ("times", ("article_id", "ordinal")),
    ("rejections", ("source", "stage", "reason")),
    ("stories", ("id",)),
    ("happenings", ("id",)),
    ("link_changes", ("kind", "old_id", "new_id", "changed_at")),
)

#: Columns left out of the canonical dump: when something happened and how often, not what is stored.
VOLATILE_COLUMNS = frozenset({"stored_at", "first_seen", "last_seen", "seen_count", "changed_at"})


def unit_key(source: str) -> str:
    """The deterministic key of an input unit: a hash of its source with local paths made absolute.

    Args:
        source: a path, ``path:line``, ``path#item``, ``path@offset``, a URL or ``<stdin>``.

    Returns:
        20 hex characters.

    Example:
        >>> unit_key("https://example.org/a") == unit_key("https://example.org/a")
        True
    """
    canonical = source if _URL.match(source) or source.startswith("<") else os.path.abspath(source)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def run_insert(
    run_id: str,
    command: str,
    inputs: list[str],
    settings: dict[str, Any],
    now: str,
    host: str,
    pid: int,
) -> tuple[str, tuple[Any, ...]]:
    """The insert that opens a run."""
    sql = (
        "INSERT INTO runs (id, command, inputs_json, settings_json, status, started_at, host, pid)"
        " VALUES (?, ?, ?, ?, 'running', ?, ?, ?)"
    )
    return sql, (run_id, command, _json(inputs), _json(settings), now, host, pid)


def run_finish(run_id: str, status: str, now: str) -> tuple[str, tuple[Any, ...]]:
    """The update that closes a run."""
    return "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", (status, now, run_id)


def mark_interrupted(run_id: str, now: str) -> tuple[str, tuple[Any, ...]]:
    """The update that marks a run whose process died ``interrupted``."""
    return (
        "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
        (now, run_id),
    )


def unit_insert(
    run_id: str,
    source: str,
    status: str,
    now: str,
    *,
    reason: str | None = None,
    stage: str | None = None,
    detail: str | None = None,
    article_id: str | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The insert recording one unit's outcome in a run (a unit counts once per run).

    Args:
        run_id: the run.
        source: the unit's source.
        status: a save status (``new``, ``updated``, ``unchanged``, ``duplicate``) or an outcome.
        now: the time, ISO 8601.
        reason: the reason code of a quarantined or filtered unit.
        stage: where it was turned away.
        detail: the human explanation.
        article_id: the article it became, when known.

    Example:
        >>> unit_insert("r", "a.txt", "new", "t")[1][3:5]
        ('stored', 'new')
    """
    outcome, save_reason = _SAVE_OUTCOME.get(status, (status, None))
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown unit outcome {status!r}")
    sql = (
        "INSERT INTO run_units"
        " (run_id, unit, source, outcome, reason, stage, detail, article_id, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, unit) DO NOTHING"
    )
    key = unit_key(source)
    return sql, (run_id, key, source, outcome, reason or save_reason, stage, detail, article_id, now)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_RUN_COLUMNS = "id, command, inputs_json, settings_json, status, started_at, finished_at, host, pid"


def _run_dict(row: dict[str, Any], counts: dict[str, int], reasons: dict[str, int]) -> dict[str, Any]:
    out = {k: row[k] for k in ("id", "command", "status", "started_at", "finished_at", "host", "pid")}
    out["inputs"] = json.loads(row["inputs_json"])
    out["settings"] = json.loads(row["settings_json"])
    out["counts"] = {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}
    out["received"] = sum(out["counts"].values())
    out["reasons"] = dict(sorted(reasons.items()))
    return out


def _with_counts(fetch: Fetch, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    ids = [str(r["id"]) for r in rows]
    marks = ", ".join("?" for _ in ids)
    counts: dict[str, dict[str, int]] = {i: {} for i in ids}
    reasons: dict[str, dict[str, int]] = {i: {} for i in ids}
    grouped = fetch(
        Query(
            "SELECT run_id, outcome, reason, COUNT(*) AS n FROM run_units"
            f" WHERE run_id IN ({marks}) GROUP BY run_id, outcome, reason",
            tuple(ids),
        )
    )
    for g in grouped:
        run, outcome, n = str(g["run_id"]), str(g["outcome"]), int(g["n"])
        counts[run][outcome] = counts[run].get(outcome, 0) + n
        if g["reason"] is not None:
            key = f"{outcome}:{g['reason']}"
            reasons[run][key] = reasons[run].get(key, 0) + n
    return [_run_dict(r, counts[str(r["id"])], reasons[str(r["id"])]) for r in rows]


def list_runs(fetch: Fetch, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first, with ``counts`` per outcome, ``received`` and ``reasons``.

    Example:
        >>> list_runs(lambda query: [])
        []
    """
    sql = f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC LIMIT ?"
    rows = fetch(Query(sql, (limit,)))
    return _with_counts(fetch, rows)


def get_run(fetch: Fetch, run_id: str) -> dict[str, Any] | None:
    """One run (its id or a unique prefix of it) with its counts, or None."""
    rows = fetch(Query(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)))
    if not rows:
        pattern = run_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = f"SELECT {_RUN_COLUMNS} FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2"
        rows = fetch(Query(sql, (pattern,)))
        if len(rows) != 1:
            return None
    return _with_counts(fetch, rows)[0]


def run_units(fetch: Fetch, run_id: str, outcome: str | None, limit: int) -> list[dict[str, Any]]:
    """A run's units, optionally of one outcome, in the order they were recorded."""
    sql = (
        "SELECT unit, source, outcome, reason, stage, detail, article_id, recorded_at FROM run_units"
        " WHERE run_id = ?"
    )
    params: tuple[Any, ...] = (run_id,)
    if outcome is not None:
        sql += " AND outcome = ?"
        params += (outcome,)
    return fetch(Query(sql + " ORDER BY recorded_at, unit LIMIT ?", (*params, limit)))


def list_rejections(fetch: Fetch, reason: str | None, limit: int) -> list[dict[str, Any]]:
    """The quarantine: rejections, most recent first."""
    sql = (
        "SELECT source, stage, reason, detail, article_id, seen_count, first_seen, last_seen FROM rejections"
    )
    params: tuple[Any, ...] = ()
    if reason is not None:
        sql += " WHERE reason = ?"
        params = (reason,)
    return fetch(Query(sql + " ORDER BY last_seen DESC, source, stage, reason LIMIT ?", (*params, limit)))


def dump_page(table: str, key: Sequence[str], after: tuple[Any, ...] | None) -> Query:
    """One page of a table for the canonical dump, in `key` order, after the key `after`.

    Example:
        >>> dump_page("times", ("article_id", "ordinal"), ("a", 2)).sql
        'SELECT * FROM times WHERE (article_id, ordinal) > (?, ?) ORDER BY article_id, ordinal LIMIT 1000'
    """
    columns = ", ".join(key)
    where = ""
    if after is not None:
        marks = ", ".join("?" for _ in key)
        where = f" WHERE ({columns}) > ({marks})" if len(key) > 1 else f" WHERE {columns} > ?"
    return Query(f"SELECT * FROM {table}{where} ORDER BY {columns} LIMIT {_DUMP_PAGE}", after or ())


def dump_line(table: str, row: dict[str, Any]) -> str:
    """One row of the canonical dump: sorted keys, volatile columns left out.

    Example:
        >>> dump_line("t", {"b": 1, "a": "x", "stored_at": "now"})
        '{"row":{"a":"x","b":1},"table":"t"}'
    """
    kept = {k: row[k] for k in sorted(row) if k not in VOLATILE_COLUMNS}
    line = {"row": kept, "table": table}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
