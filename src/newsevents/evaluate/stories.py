"""Score story linking, copy detection and happening co-reference against the story gold set.

Each gold part (``tests/gold/stories/*.jsonl``, format in its README) is processed on its own into a fresh
in-memory store exactly as ``newsevents process`` would (the whole pipeline, then `link_store`), and read
back through the store:

- **stories**: B-cubed precision, recall and F1 of the predicted stories against the gold ``story`` labels,
  over all articles (``values``: ``story_b3_*``);
- **copies**: pairs of articles in one copy group (gold: ``copy_of`` chains; predicted: ``duplicate_of``),
  pairwise P/R/F1;
- **happenings**: each gold happening mention (its ``trigger``'s first occurrence in the article) is matched
  to the extracted event whose trigger overlaps it (the same type first); over the matched mentions, pairs
  placed in one happening are scored pairwise against the gold happening ids. ``happening_mentions_found``
  is the share of gold mentions that were matched at all (the event extractor's recall on this set, which
  bounds what linking can do).

Parts whose file name contains ``.heldout`` are also reported on their own, and their errors are never
listed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsevents.evaluate.clusters import bcubed, pairwise
from newsevents.evaluate.core import EvalReport, Score

if TYPE_CHECKING:
    from spacy.language import Language

    from newsevents.kb import Resources

__all__ = ["eval_stories", "link_gold_part"]


def _copy_root(article: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str:
    seen = {article["id"]}
    while article.get("copy_of") and article["copy_of"] in by_id and article["copy_of"] not in seen:
        article = by_id[article["copy_of"]]
        seen.add(article["id"])
    return str(article["id"])


def link_gold_part(
    items: Sequence[dict[str, Any]], nlp: Language, resources: Resources | None = None
) -> dict[str, Any]:
    """Process and link one gold part; return what the store says about each gold article.

    Returns:
        ``{"story": {gold id: story id}, "copy": {gold id: canonical gold id}, "events": {gold id: [event
        rows with happening_id]}, "text": {gold id: stored text}}`` (at most `MAX_LIMIT` articles a part).
    """
    from newsevents.link import link_store
    from newsevents.model import RawArticle
    from newsevents.pipeline import process, run_batch
    from newsevents.store import SQLiteStore
    from newsevents.store.queries import MAX_LIMIT, ArticleFilter, EventFilter

    raws = [
        RawArticle(
            source=str(item.get("url") or item["id"]),
            body=item["text"],
            title=item.get("title"),
            published=item.get("published"),
            url=item.get("url"),
            external_id=None if item.get("url") else str(item["id"]),
        )
        for item in items
    ]
    out: dict[str, Any] = {"story": {}, "copy": {}, "events": {}, "text": {}}
    with SQLiteStore(":memory:") as store:
        process(run_batch(raws, nlp, resources=resources), store)
        link_store(store)
        rows = store.list_articles(ArticleFilter(limit=MAX_LIMIT))
        gold_of = {row["url"]: item["id"] for item in items for row in rows if row["url"] == item.get("url")}
        by_article = {row["id"]: gold_of.get(row["url"]) for row in rows}
        for row in rows:
            gid = by_article[row["id"]]
            if gid is None:
                continue
            contract = store.get_article(row["id"]) or {}
            out["story"][gid] = row["story_id"]
            out["copy"][gid] = by_article.get(row["duplicate_of"]) or gid if row["duplicate_of"] else gid
            out["text"][gid] = (contract.get("article") or {}).get("text", "")
            out["events"][gid] = [
                {
                    "id": e["id"],
                    "type": e["type"],
                    "trigger_start": e["trigger"]["start"],
                    "trigger_end": e["trigger"]["end"],
                    "happening_id": e["happening_id"],
                }
                for e in store.list_events(EventFilter(article_id=row["id"], mentions=True, limit=MAX_LIMIT))
            ]
    return out


def _score_part(items: Sequence[dict[str, Any]], linked: dict[str, Any], tag: str) -> dict[str, Any]:
    by_id = {item["id"]: item for item in items}
    gold_story = {f"{tag}:{i['id']}": i["story"] for i in items}
    pred_story = {f"{tag}:{gid}": f"{tag}:{sid}" for gid, sid in linked["story"].items()}
    gold_copy = {f"{tag}:{i['id']}": _copy_root(i, by_id) for i in items}
    pred_copy = {f"{tag}:{gid}": c for gid, c in linked["copy"].items()}
    gold_h: dict[tuple[str, str, int], str] = {}
    pred_h: dict[tuple[str, str, int], str] = {}
    total = 0
    for item in items:
        text = linked["text"].get(item["id"], "")
        used: set[str] = set()
        for n, h in enumerate(item.get("happenings") or ()):
            total += 1
            start = text.find(h["trigger"])
            if start < 0:
                continue
            end = start + len(h["trigger"])
            cands = [
                e
                for e in linked["events"].get(item["id"], ())
                if e["trigger_start"] < end and e["trigger_end"] > start and e["id"] not in used
            ]
            if not cands:
                continue
            best = min(cands, key=lambda e: (e["type"] != h["type"], e["id"]))
            used.add(best["id"])
            key = (tag, item["id"], n)
            gold_h[key] = f"{tag}:{h['id']}"
            pred_h[key] = best["happening_id"] or best["id"]
    return {
        "gold_story": gold_story,
        "pred_story": pred_story,
        "copies": pairwise(gold_copy, pred_copy),
        "gold_h": gold_h,
        "pred_h": pred_h,
        "mentions": total,
    }


def _errors(parts: list[dict[str, Any]], items: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:
        for x, y in itertools.combinations(sorted(part["gold_story"]), 2):
            same_gold = part["gold_story"][x] == part["gold_story"][y]
            same_pred = part["pred_story"].get(x) == part["pred_story"].get(y)
            if same_gold != same_pred:
                out.append(
                    {
                        "kind": "story split" if same_gold else "stories merged",
                        "a": items[x]["title"],
                        "b": items[y]["title"],
                    }
                )
        for x, y in itertools.combinations(sorted(part["gold_h"]), 2):
            if x[1] == y[1] and x[2] == y[2]:
                continue
            same_gold = part["gold_h"][x] == part["gold_h"][y]
            same_pred = part["pred_h"][x] == part["pred_h"][y]
            if same_gold != same_pred:
                hx = items[f"{x[0]}:{x[1]}"]["happenings"][x[2]]
                hy = items[f"{y[0]}:{y[1]}"]["happenings"][y[2]]
                out.append(
                    {
                        "kind": "happening split" if same_gold else "happenings merged",
                        "a": f"{x[1]} {hx['type']} '{hx['trigger']}'",
                        "b": f"{y[1]} {hy['type']} '{hy['trigger']}'",
                    }
                )
    return out


def _report(name: str, parts: list[dict[str, Any]], errors: list[dict[str, Any]]) -> EvalReport:
    gold_story = {k: v for p in parts for k, v in p["gold_story"].items()}
    pred_story = {k: v for p in parts for k, v in p["pred_story"].items()}
    precision, recall, f1 = bcubed(gold_story, pred_story)
    copies = Score()
    happenings = Score()
    for p in parts:
        copies = Score(copies.tp + p["copies"].tp, copies.fp + p["copies"].fp, copies.fn + p["copies"].fn)
        h = pairwise(p["gold_h"], p["pred_h"])
        happenings = Score(happenings.tp + h.tp, happenings.fp + h.fp, happenings.fn + h.fn)
    mentions = sum(p["mentions"] for p in parts)
    matched = sum(len(p["gold_h"]) for p in parts)
    return EvalReport(
        name=name,
        items=len(gold_story),
        scores={"copies": copies, "happenings": happenings},
        errors=errors,
        values={
            "story_b3_precision": precision,
            "story_b3_recall": recall,
            "story_b3_f1": f1,
            "gold_stories": float(len(set(gold_story.values()))),
            "predicted_stories": float(len(set(pred_story.values()))),
            "happening_mentions_found": matched / mentions if mentions else 0.0,
        },
    )


def eval_stories(
    parts: Sequence[tuple[str, bool, Sequence[dict[str, Any]]]],
    nlp: Language,
    *,
    resources: Resources | None = None,
) -> EvalReport:
    """Score linking on each gold part (processed and linked on its own), all parts together.

    Args:
        parts: ``(name, held_out, items)`` per gold file.
        nlp: the spaCy pipeline.
        resources: the knowledge base.

    Returns:
        The report over every part, with the held-out parts' report as `EvalReport.heldout`; errors are
        listed for the parts rules may be tuned on only.
    """
    scored: list[tuple[bool, dict[str, Any]]] = []
    by_key: dict[str, dict[str, Any]] = {}
    for name, held, items in parts:
        tag = name
        scored.append((held, _score_part(items, link_gold_part(items, nlp, resources), tag)))
        by_key.update({f"{tag}:{item['id']}": item for item in items})
    report = _report("stories", [p for _, p in scored], _errors([p for h, p in scored if not h], by_key))
    held_out = [p for h, p in scored if h]
    if held_out:
        report.heldout = _report("stories", held_out, [])
    return report
