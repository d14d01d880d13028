"""Places: toponyms resolved within 161 km (100 miles) of the gold coordinates, and at the right precision.

Every gold toponym is looked up among the predicted places by span overlap. Values, as shares of the gold
toponyms: ``found`` (a predicted place covers it), ``accuracy_161km`` (found, with coordinates within 161 km
of the gold ones) and ``level_accuracy`` (within 161 km and at the gold precision: country, admin1, city,
point; ``region`` toponyms accept any level); ``median_error_km`` over the resolved ones.

Engines: ``rules`` (newsevents' `extract_places`, what the pipeline uses) and ``first-match`` (the same NER
spans, each looked up by plain name in the same gazetteer, taking its first entry in file order with no
ranking or context: the naive baseline the field compares against).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, article_for, locate, overlaps

if TYPE_CHECKING:
    from spacy.language import Language

    from newsevents.kb import Resources

__all__ = ["PLACE_ENGINES", "eval_places", "haversine_km"]

PLACE_ENGINES = ("rules", "first-match")
_LEVELS = {"country", "admin1", "city", "point", "region"}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    Example:
        >>> round(haversine_km(31.29, 34.25, 31.5, 34.47))
        31
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _gold(item: dict[str, Any]) -> list[tuple[tuple[int, int], float, float, str]]:
    out = []
    for p in item.get("places", []):
        if p.get("precision") not in _LEVELS:
            raise ConfigError(f"gold item {item.get('id')}: unknown precision {p.get('precision')!r}")
        try:
            span = locate(item["text"], p["text"], int(p.get("occurrence", 1)))
            lat, lon = float(p["lat"]), float(p["lon"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"gold item {item.get('id')}: a place needs text, lat and lon") from exc
        out.append((span, lat, lon, p["precision"]))
    return out


def eval_places(
    items: Iterable[dict[str, Any]],
    nlp: Language,
    *,
    engine: str = "rules",
    resources: Resources | None = None,
) -> EvalReport:
    """Score toponym resolution against gold coordinates.

    Args:
        items: gold items (`load_gold` on ``tests/gold/places*.jsonl``).
        nlp: the spaCy pipeline.
        engine: ``rules`` or ``first-match``.

    Returns:
        An `EvalReport` named ``places`` (``places-first-match`` for the baseline).

    Example:
        >>> report = eval_places(load_gold("tests/gold/places.partA.jsonl"), nlp)  # doctest: +SKIP
        >>> report.values["accuracy_161km"]  # doctest: +SKIP
        0.9
    """
    from newsevents.extract.registry import extractors_for, run_extractors
    from newsevents.kb import default_resources

    res = resources or default_resources()
    needed = extractors_for("places")

    if engine not in PLACE_ENGINES:
        raise ConfigError(f"unknown place engine {engine!r}; choose one of {', '.join(PLACE_ENGINES)}")
    hits: Counter[str] = Counter()  # found, within_161km, precision_level
    errors: list[dict[str, Any]] = []
    distances: list[float] = []
    total = 0
    items = list(items)
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = _gold(item)
        total += len(gold)
        index = run_extractors(doc, article, res, needed)["places"]
        pred: list[tuple[tuple[int, int], float | None, float | None, str]] = []
        for place in index.places:
            for start, end in place.mentions:
                if engine == "rules":
                    pred.append(((start, end), place.lat, place.lon, place.precision))
                else:
                    first = res.gazetteer.first_match(article.text[start:end])
                    pred.append(
                        ((start, end), first.lat, first.lon, first.precision)
                        if first
                        else ((start, end), None, None, "unknown")
                    )
        used: set[int] = set()
        text = item["text"]
        for span, lat, lon, level in gold:
            hit = next((i for i, p in enumerate(pred) if i not in used and overlaps(span, p[0])), None)
            if hit is None:
                errors.append({"id": item.get("id"), "kind": "missed", "text": text[slice(*span)]})
                continue
            used.add(hit)
            hits["found"] += 1
            _, plat, plon, plevel = pred[hit]
            km = haversine_km(lat, lon, plat, plon) if plat is not None and plon is not None else None
            if km is not None:
                distances.append(km)
            if km is not None and km <= 161:
                hits["within_161km"] += 1
                if level == "region" or plevel == level:
                    hits["precision_level"] += 1
                else:
                    errors.append(
                        {
                            "id": item.get("id"),
                            "kind": "level",
                            "text": text[slice(*span)],
                            "gold": level,
                            "predicted": plevel,
                        }
                    )
            else:
                errors.append(
                    {
                        "id": item.get("id"),
                        "kind": "far" if km is not None else "no coordinates",
                        "text": text[slice(*span)],
                        "km": round(km) if km is not None else None,
                        "predicted": (plat, plon),
                    }
                )
        # Predictions matching no gold toponym are not counted: the gold marks locations only, and the
        # extractor also keeps countries named as actors, on purpose.
    share = {k: (hits[k] / total if total else 0.0) for k in ("found", "within_161km", "precision_level")}
    values = {
        "found": share["found"],
        "accuracy_161km": share["within_161km"],
        "level_accuracy": share["precision_level"],
        "median_error_km": statistics.median(distances) if distances else 0.0,
        "toponyms": float(total),
    }
    name = "places" if engine == "rules" else f"places-{engine}"
    return EvalReport(name, len(items), {}, errors, values)
