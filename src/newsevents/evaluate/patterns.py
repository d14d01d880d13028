"""The pattern lexicon against its own examples: does each row's example sentence code as the row says?

Every row of ``data/patterns/*.tsv`` (and of a user ``patterns.tsv`` with an example column) carries an
example sentence written with the row. `eval_patterns` runs each example through the whole pipeline and
looks for an event whose trigger contains the row's head word (the first word of the lemma):

- ``type_accuracy``: such an event has the row's PLOVER type;
- ``cameo_accuracy``: it also has the row's CAMEO code; ``cameo_root_accuracy``: the same root;
- ``row_accuracy``: its evidence names this very row (file and line), i.e. the row's conditions held and
  no more specific row took over;
- ``found``: some event was found at the head word, whatever its type.

One score per PLOVER type and per file (``file:patterns/cameo07_13.tsv``) is given as recall over the rows.
A low figure points at rows whose conditions the parser does not produce, or at rows shadowed by others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources as files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.evaluate.core import EvalReport, Score
from newsevents.kb import Resources
from newsevents.model import Article, Event

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["eval_patterns", "pattern_examples"]


def _examples(text: str, where: str) -> Iterator[dict[str, Any]]:
    header: list[str] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = [c.strip() for c in cols]
            continue
        row = dict(zip(header, (c.strip() for c in cols), strict=False))
        if row.get("example"):
            yield {
                "id": f"{where}:{n}",
                "text": row["example"],
                "lemma": row["lemma"],
                "pos": row.get("pos", "VERB"),
                "type": row["type"],
                "cameo": row["cameo"],
            }


def pattern_examples(paths: Iterable[Path] = ()) -> list[dict[str, Any]]:
    """The example of every bundled pattern row that has one (``patterns/<file>:<line>``), then those of
    the given pattern files (``<path>:<line>``)."""
    out: list[dict[str, Any]] = []
    folder = files.files("newsevents.data").joinpath("patterns")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".tsv"):
                out.extend(_examples(entry.read_text(encoding="utf-8"), f"patterns/{entry.name}"))
    for path in paths:
        out.extend(_examples(Path(path).read_text(encoding="utf-8"), str(path)))
    return out


def _at_head(events: Iterable[Event], text: str, lemma: str, pos: str) -> list[Event]:
    """The events at the row's word: its head word in the trigger, or the row's lemma in the evidence; for a
    noun row any event of the (one-clause) example, since a light verb may carry it ("sent military aid")."""
    events = list(events)
    head = lemma.split()[0].lower()
    stem = head[: max(3, len(head) - 2)]  # "seize" in "seized", "ally" in "allied"
    found = [
        e
        for e in events
        if stem in text[e.trigger.start : e.trigger.end].lower() or f"'{lemma}'" in e.evidence
    ]
    return found or (events if pos == "NOUN" else [])


def eval_patterns(
    items: Iterable[dict[str, Any]], nlp: Language, *, resources: Resources | None = None
) -> EvalReport:
    """Score pattern rows (`pattern_examples`) on their own examples; see the module docstring."""
    from newsevents.pipeline import analyze_doc

    items = list(items)
    scores: dict[str, Score] = {}
    counts: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    articles = [
        Article(id=f"pattern-{n}", source=item["id"], text=item["text"], published=dt.date(2024, 5, 7))
        for n, item in enumerate(items)
    ]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        events = _at_head(
            analyze_doc(doc, article, resources=resources).events, item["text"], item["lemma"], item["pos"]
        )
        typed = [e for e in events if e.type == item["type"]]
        right = {
            "found": bool(events),
            "type": bool(typed),
            "cameo": any(e.cameo == item["cameo"] for e in typed),
            "cameo_root": any(e.cameo[:2] == item["cameo"][:2] for e in typed),
            "row": any(re.search(re.escape(item["id"]) + r"(?!\d)", e.evidence) for e in typed),
        }
        counts.update(k for k, v in right.items() if v)
        counts["rows"] += 1
        where = "file:" + item["id"].rsplit(":", 1)[0]
        for key in (item["type"], where):
            score = scores.setdefault(key, Score())
            score.tp += right["type"]
            score.fn += not right["type"]
        if not right["cameo"]:
            errors.append(
                {
                    "row": item["id"],
                    "lemma": item["lemma"],
                    "want": f"{item['type']}/{item['cameo']}",
                    "got": ",".join(f"{e.type}/{e.cameo}" for e in events) or "-",
                    "sentence": item["text"],
                }
            )
    n = counts["rows"] or 1
    values = {f"{k}_accuracy": counts[k] / n for k in ("type", "cameo", "cameo_root", "row", "found")}
    values["rows"] = float(counts["rows"])
    ordered = dict(sorted(scores.items(), key=lambda kv: (kv[0].startswith("file:"), kv[0])))
    return EvalReport("patterns", len(items), ordered, errors, values)
