"""Benchmark: time each stage on a corpus and report it as a ratio of bare spaCy on the same texts, same run.

Ratios (not seconds) are what we compare across machines: ``actors / parse = 0.04`` means actor coding
adds 4% to the spaCy parse time of the same text.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.clean import clean_article
from newsevents.extract.registry import EXTRACTORS, run_extractors
from newsevents.kb import Resources, default_resources
from newsevents.model import Article, RawArticle
from newsevents.nlp.load import load_model, resolve_model_name

__all__ = ["BenchReport", "run_bench"]


@dataclass(slots=True)
class BenchReport:
    """Seconds per stage, the bare-spaCy baseline, and peak memory."""

    docs: int
    chars: int
    model: str
    bare_spacy: float
    stages: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    long_inputs: list[dict[str, float]] = field(default_factory=list)
    gazetteer: dict[str, float] = field(default_factory=dict)  # load seconds and resident MB of one build

    def ratios(self) -> dict[str, float]:
        """Each stage's time divided by bare spaCy's time on the same texts."""
        return {k: round(v / self.bare_spacy, 4) if self.bare_spacy else 0.0 for k, v in self.stages.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "chars": self.chars,
            "model": self.model,
            "bare_spacy_seconds": round(self.bare_spacy, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stages.items()},
            "ratio_to_bare_spacy": self.ratios(),
            "docs_per_second": round(self.docs / sum(self.stages.values()), 2) if self.stages else 0.0,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "long_inputs": self.long_inputs,
            "long_input_ratio": self.long_ratio(),
            "gazetteer": self.gazetteer,
        }

    def long_ratio(self) -> dict[str, float]:
        """Time of the largest long input over the smallest, for cleaning and extraction (linear: near the
        size ratio, 10 for 500 KB over 50 KB)."""
        if len(self.long_inputs) < 2:
            return {}
        small, big = self.long_inputs[0], self.long_inputs[-1]
        return {
            k: round(big[k] / small[k], 1) if small[k] else 0.0 for k in ("clean_seconds", "extract_seconds")
        }


def _rss_mb() -> float:
    """Resident memory now (Linux ``/proc``; elsewhere the peak)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return _peak_rss_mb()
    return pages * resource.getpagesize() / (1024 * 1024)


def _gazetteer_cost(res: Resources) -> dict[str, float]:
    """Seconds and resident megabytes one gazetteer build takes (it is built once per process)."""
    import gc

    from newsevents.kb import Gazetteer

    gc.collect()
    before = _rss_mb()
    gaz, seconds = _timed(lambda: Gazetteer(res.lexicons))
    gc.collect()
    return {"load_seconds": round(seconds, 2), "resident_mb": round(_rss_mb() - before, 1), "names": len(gaz)}


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _long_input(texts: Sequence[tuple[str, str]], size: int) -> str:
    """A synthetic article of about `size` characters with no line break, built from the corpus texts."""
    body = " ".join(" ".join(text.split()) for _, text in texts) or "Israel and Egypt held talks in Cairo."
    return ((body + " ") * (size // (len(body) + 1) + 1))[:size]


def _time_long(nlp: Any, res: Resources, text: str) -> tuple[float, float]:
    """Seconds to clean, and to parse and run every registered extractor, on one long article."""
    raw = RawArticle(source="long-input", body=text)
    article, t_clean = _timed(lambda: clean_article(raw))
    if not isinstance(article, Article):
        return t_clean, 0.0
    nlp.max_length = max(nlp.max_length, len(article.text) + 1)
    _, t_extract = _timed(lambda: run_extractors(nlp(article.text), article, res))
    return t_clean, t_extract


class _Laps:
    """Adds the time since the previous call to the stage that was running: the registry calls `lap` with
    each extractor's name before it runs, and ``lap("")`` after the last one closes it."""

    def __init__(self, stages: dict[str, float]) -> None:
        self.stages, self.current, self.since = stages, "", time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.current:
            self.stages[self.current] += now - self.since
        self.current, self.since = name.split(".")[0], now


def run_bench(
    texts: Sequence[tuple[str, str]],
    model: str = "auto",
    *,
    batch_size: int = 16,
    resources: Resources | None = None,
    long_sizes: Sequence[int] = (50_000, 500_000),
) -> BenchReport:
    """Time bare spaCy, then cleaning, parsing and every registered extractor, on the same texts, one run.

    Args:
        texts: (source, raw text) pairs.
        model: the spaCy model package, or ``"auto"``.
        batch_size: `nlp.pipe` batch size for both runs.
        resources: the knowledge base (user lexicons included); the bundled one by default. It is loaded
            before anything is timed.
        long_sizes: sizes (characters) of synthetic single-line articles timed on their own (empty: none).

    Returns:
        A `BenchReport`; `BenchReport.ratios` gives each stage relative to bare spaCy.

    Example:
        >>> run_bench([("a", "Israel and Egypt held talks.")]).docs  # doctest: +SKIP
        1
    """
    import spacy

    res = resources or default_resources()
    gazetteer = _gazetteer_cost(res)
    package = resolve_model_name(model)
    bare = spacy.load(package)
    raws = [RawArticle(source=src, body=body) for src, body in texts]
    cleaned, t_clean = _timed(lambda: [clean_article(r) for r in raws])
    articles = [a for a in cleaned if isinstance(a, Article)]
    plain = [a.text for a in articles]
    nlp = load_model(model)
    bare(plain[0] if plain else "Warm up.")  # first calls allocate; keep that out of both timings
    nlp(plain[0] if plain else "Warm up.")
    _, t_bare = _timed(lambda: list(bare.pipe(plain, batch_size=batch_size)))
    docs, t_parse = _timed(lambda: list(nlp.pipe(plain, batch_size=batch_size)))
    stages = {"clean": t_clean, "parse": t_parse, **{e.name.split(".")[0]: 0.0 for e in EXTRACTORS}}
    for doc, art in zip(docs, articles, strict=True):
        laps = _Laps(stages)
        run_extractors(doc, art, res, on_stage=laps.lap)
        laps.lap("")  # the last extractor's time
    long_inputs = []
    for size in long_sizes:
        t_c, t_x = _time_long(nlp, res, _long_input(texts, size))
        long_inputs.append({"chars": size, "clean_seconds": round(t_c, 3), "extract_seconds": round(t_x, 3)})
    meta = nlp.meta
    return BenchReport(
        docs=len(articles),
        chars=sum(len(t) for t in plain),
        model=f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
        bare_spacy=t_bare,
        stages=stages,
        peak_rss_mb=_peak_rss_mb(),
        long_inputs=long_inputs,
        gazetteer=gazetteer,
    )


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def perturb(text: str, k: int) -> str:
    """Every third word of four letters or more rewritten (same length), differently for each `k`.

    The clones of one article then share too few word 5-grams to be near-copies, and their offsets stay
    valid.

    Example:
        >>> perturb("Rebels seized the town of Kidal", 1) == perturb("Rebels seized the town of Kidal", 1)
        True
        >>> len(perturb("Rebels seized the town", 2)) == len("Rebels seized the town")
        True
    """
    import hashlib
    import re

    counter = iter(range(1 << 30))

    def swap(match: re.Match[str]) -> str:
        n = next(counter)
        word = match.group(0)
        if (n + k) % 3 or len(word) < 4:
            return word
        digest = hashlib.blake2b(f"{k}:{word}".encode(), digest_size=16).digest()
        return "".join(_LETTERS[digest[i % 16] % 26] for i in range(len(word)))

    return re.sub(r"[^\W\d_]+", swap, text)


def _multiply(path: Path, copies: int) -> int:
    """Clone each article of the SQLite store at `path` `copies - 1` times, 30 days apart, its words
    perturbed so that clones are not copies; count the articles."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("perturb", 2, perturb, deterministic=True)
    try:
        conn.execute("BEGIN")
        _clone_rows(conn, _LINK_TABLES, copies, _LINK_OVERRIDES)
        conn.execute("COMMIT")
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def run_link_bench(
    texts: Sequence[tuple[str, str]],
    sizes: Sequence[int] = (1_000, 2_500, 5_000, 10_000),
    model: str = "auto",
    *,
    resources: Resources | None = None,
    workdir: Path | None = None,
) -> list[dict[str, float]]:
    """Time `newsevents.link.link_store` on stores of growing size, and its peak Python memory.

    The texts are processed once into a SQLite store; each size is that store with every article cloned
    (words perturbed so clones are not copies, dates 30 days apart so each month holds one corpus' worth of
    news) until it holds about that many articles. Each size is linked twice: once timed, once under
    `tracemalloc` for the peak memory linking allocates.

    Returns:
        Per size: ``articles``, ``events``, ``seconds``, ``peak_mb`` (Python allocations while linking),
        ``seconds_per_1000``, ``kb_per_article``, ``stories``, ``happenings``.
    """
    import functools
    import shutil
    import tempfile
    import tracemalloc

    from newsevents.link import link_store
    from newsevents.pipeline import process, run_batch
    from newsevents.store import SQLiteStore

    out: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        base = Path(tmp) / "base.db"
        with SQLiteStore(base) as store:
            raws = [RawArticle(source=src, body=body) for src, body in texts]
            process(run_batch(raws, load_model(model), resources=resources), store)
            per_copy = store.counts()["articles"]
        for size in sizes:
            path = Path(tmp) / f"n{size}.db"
            shutil.copy(base, path)
            articles = _multiply(path, max(1, -(-size // max(per_copy, 1))))
            with SQLiteStore(path) as store:
                events = store.counts()["events"]
                summary, seconds = _timed(functools.partial(link_store, store))
                tracemalloc.start()
                link_store(store)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            path.unlink()
            out.append(
                {
                    "articles": articles,
                    "events": events,
                    "seconds": round(seconds, 2),
                    "seconds_per_1000": round(1000 * seconds / articles, 3),
                    "peak_mb": round(peak / 2**20, 1),
                    "kb_per_article": round(peak / 1024 / articles, 1),
                    "stories": summary.stories,
                    "happenings": summary.happenings,
                }
            )
    return out


#: Columns a generated store rewrites in each clone, by kind: ids get a suffix, days move 30 days on.
_ID_COLUMNS = frozenset(
    {"id", "article_id", "event_id", "happening_id", "story_id", "duplicate_of", "source", "content_hash"}
)
_DAY_COLUMNS = frozenset(
    {"published", "published_earliest", "date_first", "date_last", "first_day", "last_day"}
)
#: JSON columns whose ids a generated store rewrites: the JSON stays consistent with the columns.
_ID_LIST = "(SELECT json_group_array(value || :sfx) FROM json_each({c}))"
_JSON_COLUMNS = {
    "event_json": "json_set(event_json, '$.id', id || :sfx)",
    "result_json": "json_set(result_json, '$.article.id', id || :sfx)",
    "articles_json": _ID_LIST.format(c="articles_json"),
    "contradicts_json": _ID_LIST.format(c="contradicts_json"),
}
#: The tables a generated store clones (places and actors are shared by every clone).
_GENERATED_TABLES = ("articles", "article_sources", "events", "event_actors", "happenings", "stories")
#: The tables the link benchmark clones (before linking), and what it writes instead of some columns: the
#: text perturbed so clones are not copies, and no URL (it is unique) or stored contract.
_LINK_TABLES = ("articles", "article_sources", "events", "event_actors", "actor_mentions", "place_mentions")
_LINK_OVERRIDES = {
    "text": "perturb(text, :k)",
    "url": "NULL",
    "published_inferred_json": "NULL",
    "removed_json": "'[]'",
    "result_json": "'{}'",
}


def _clone_rows(
    conn: Any, tables: Sequence[str], copies: int, overrides: dict[str, str] | None = None
) -> None:
    """Clone every row of `tables` in the SQLite connection `conn` (in its open transaction) until there are
    `copies` of each: clone ``k`` suffixes ids with ``-0000k`` and moves days ``30 * k`` days on. Columns
    are read from the tables, so a new column is cloned too; `overrides` gives some columns an expression
    instead (``:k`` is the clone's number). The listing columns are refreshed from the moved days."""
    from newsevents.store.migrations import REFRESH_EVENT_LISTING

    # Undated articles get a day in one month, so that the clones spread the store over time.
    conn.execute(
        "UPDATE articles SET published = date('2020-01-01', '+' || (rowid % 28) || ' days')"
        " WHERE published IS NULL"
    )
    statements = []
    for table in tables:
        conn.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
        columns = [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]
        values = [
            (overrides or {}).get(c)
            or _JSON_COLUMNS.get(c)
            or (f"{c} || :sfx" if c in _ID_COLUMNS else f"date({c}, :shift)" if c in _DAY_COLUMNS else c)
            for c in columns
        ]
        statements.append(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM base_{table}"
        )
    for k in range(1, copies):
        params = {"sfx": f"-{k:05d}", "shift": f"+{30 * k} days", "k": k}
        for sql in statements:
            conn.execute(sql, params)
    for table in tables:
        conn.execute(f"DROP TABLE base_{table}")
    conn.execute(REFRESH_EVENT_LISTING)  # the listing columns follow the moved days


def generate_store(
    path: Path,
    texts: Sequence[tuple[str, str]],
    events: int,
    model: str = "auto",
    *,
    resources: Resources | None = None,
) -> dict[str, int]:
    """Write a SQLite store at `path` holding at least `events` happenings, for load and export tests.

    The texts are processed and linked once; then every stored row of articles, sources, events, actors,
    happenings and stories is cloned, ids suffixed and days moved 30 days on per clone, until the store
    holds `events` happenings. The clones share the original's text and JSON (only the columns are
    rewritten, and the JSON's own ids: event ids, the article id, story article lists), so a generated
    store is for measuring size, speed and memory; the items inside an article's stored contract keep the
    original's ids.

    Returns:
        The store's `counts` after generation.

    Raises:
        ValueError: `path` exists, or the texts yield no events.
    """
    import sqlite3

    from newsevents.link import link_store
    from newsevents.pipeline import process, run_batch
    from newsevents.store import SQLiteStore

    if path.exists():
        raise ValueError(f"{path} exists; generate_store writes a new database")
    with SQLiteStore(path) as store:
        raws = [RawArticle(source=src, body=body) for src, body in texts]
        process(run_batch(raws, load_model(model), resources=resources), store)
        link_store(store)
        per_copy = store.counts()["happenings"]
    if per_copy == 0:
        path.unlink()
        raise ValueError("the texts yield no events to clone; give news articles")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        _clone_rows(conn, _GENERATED_TABLES, -(-events // per_copy))
        conn.execute("COMMIT")
    finally:
        conn.close()
    with SQLiteStore(path) as store:
        return store.counts()


#: Runs a command line in a fresh interpreter and, at exit, writes its peak resident set (``VmHWM``, KB) to
#: the file named by its first argument. Peak RSS read by the parent (``wait4``) would include the parent's
#: own memory at fork time.
_PEAK_RUNNER = """
import atexit, sys
def _report(path=sys.argv[1]):
    with open('/proc/self/status') as status:
        peak = next((line.split()[1] for line in status if line.startswith('VmHWM:')), '0')
    with open(path, 'w') as out:
        out.write(peak)
atexit.register(_report)
sys.argv = sys.argv[2:]
exec(sys.argv.pop(0))
"""


def _child_peak(code: str, args: Sequence[str], workdir: Path) -> tuple[int, float, float]:
    """Run Python `code` with `args` in a new interpreter; its exit status, seconds and peak RSS in MB."""
    import subprocess

    report = workdir / "peak.kb"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RUNNER, str(report), code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak_kb = int(report.read_text() or 0) if report.exists() else 0
    report.unlink(missing_ok=True)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-500:]
        raise RuntimeError(f"{' '.join(args)} exited with status {done.returncode}: {tail}")
    return done.returncode, seconds, peak_kb / 1024


def run_export_bench(
    db: Path,
    formats: Sequence[str],
    *,
    workdir: Path | None = None,
) -> list[dict[str, Any]]:
    """Export every happening of the SQLite store `db` in each format, each in its own process.

    Each export runs as ``newsevents export`` in a new interpreter that reports its own peak resident
    memory (Linux ``VmHWM``: everything the process held: interpreter, imports, SQLite's cache, pyarrow's
    buffers). The first row is the baseline: the same interpreter importing the command line and exiting.

    Returns:
        Per format: ``format``, ``rows`` (lines written, less the header), ``seconds``, ``peak_rss_mb`` and
        ``output_mb``.

    Raises:
        RuntimeError: an export exited with an error.
    """
    import tempfile

    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        _, seconds, peak = _child_peak("import newsevents.cli, newsevents.export", [], Path(tmp))
        baseline = {"format": "(imports only)", "rows": 0, "seconds": round(seconds, 2)}
        out.append(baseline | {"peak_rss_mb": round(peak, 1)})
        for fmt in formats:
            target = Path(tmp) / f"export.{fmt}"
            args = ["newsevents", "export", "--db", str(db), "--format", fmt, "--out", str(target)]
            _, seconds, peak = _child_peak("from newsevents.cli import cli; cli()", args, Path(tmp))
            out.append(
                {
                    "format": fmt,
                    "rows": _count_rows(target, fmt),
                    "seconds": round(seconds, 2),
                    "peak_rss_mb": round(peak, 1),
                    "output_mb": round(target.stat().st_size / 2**20, 1),
                }
            )
            target.unlink()
    return out


def _count_rows(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    if fmt in {"csv", "tsv"}:  # quoted cells may hold line breaks
        import csv

        with path.open(encoding="utf-8", newline="") as handle:
            return sum(1 for _ in csv.reader(handle, delimiter="," if fmt == "csv" else "\t")) - 1
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
