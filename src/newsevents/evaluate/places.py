"""Places: toponyms found, and resolved within 161 km (100 miles) of the gold coordinates.

Two gold formats are read:

- the team's parts (``tests/gold/places*.jsonl``): ``places`` with ``text`` (and ``occurrence``), ``lat``,
  ``lon`` and a ``precision`` (country, admin1, admin2, city, point, region);
- geoparsing corpora in the GeoWebNews/GeoVirus layout (``../shared/corpus/geo-dev``): ``toponyms`` with
  character offsets ``start``/``end``, ``lat`` and ``lon`` (no precision: any level counts).

Every gold toponym is matched to a predicted mention with the same span, else one overlapping it. Values, as
shares of the gold toponyms unless named ``_on_found``: ``found`` (overlap), ``found_exact`` (the same span),
``accuracy_161km`` (found, within 161 km), ``accuracy_161km_exact`` (same span and within 161 km: the strict
end-to-end figure), ``accuracy_161km_on_found`` (within 161 km among the found ones), ``level_accuracy``
(within 161 km and at the gold precision), ``median_error_km`` over the found ones with coordinates.

Engines, scored over the same parse in one pass: ``rules`` (`extract_places`, what the pipeline uses),
``rules-no-outlet`` (the same without the outlet's home region from the article URL), ``population`` (each
toponym our mention typing found, looked up in the same gazetteer, taking the candidate with the largest
population at any level: the plain lookup the field compares against) and ``first-match`` (the first entry in
file order). Items from ``*.heldout*`` files and the fixed fifth of a corpus `heldout_fifth` picks are also
scored on their own.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, article_for, locate, overlaps
from newsevents.kb.gazetteer import haversine_km

if TYPE_CHECKING:
    from spacy.language import Language

    from newsevents.kb import Resources

__all__ = ["PLACE_ENGINES", "eval_places", "eval_places_engines", "haversine_km", "heldout_fifth"]

PLACE_ENGINES = ("rules", "rules-no-outlet", "population", "first-match")
_LEVELS = {"country", "admin1", "admin2", "city", "point", "region"}

GoldPlace = tuple[tuple[int, int], float, float, str | None]
Pred = tuple[tuple[int, int], float | None, float | None, str]


def heldout_fifth(item_id: str) -> bool:
    """Whether a corpus article is in the fixed held-out fifth (by a hash of its id, so the split never
    depends on file order and no rule can be tuned on it by accident).

    Example:
        >>> sum(heldout_fifth(f"gwn-{n}") for n in range(1000)) in range(150, 250)
        True
    """
    return hashlib.sha1(item_id.encode("utf-8")).digest()[0] % 5 == 0


def _cuts_word(text: str, start: int, end: int) -> bool:
    """Whether a span starts or ends inside a word, or on a space."""
    if not 0 <= start < end <= len(text) or not text[start].isalnum() or not text[end - 1].isalnum():
        return True
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def _repaired(text: str, start: int, end: int) -> tuple[int, int]:
    """A gold span that cuts a word while the span one character earlier or later does not is read as
    shifted: GeoVirus' offsets as distributed are one character late ("andi," for "Pandi")."""
    if not _cuts_word(text, start, end):
        return start, end
    for shift in (-1, 1):
        if not _cuts_word(text, start + shift, end + shift):
            return start + shift, end + shift
    return start, end


def _gold(item: dict[str, Any]) -> list[GoldPlace]:
    out: list[GoldPlace] = []
    text = item["text"]
    for t in item.get("toponyms", []):
        try:
            start, end, lat, lon = int(t["start"]), int(t["end"]), float(t["lat"]), float(t["lon"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"gold item {item.get('id')}: a toponym needs start, end, lat and lon") from exc
        if not 0 <= start < end <= len(text):
            raise ConfigError(f"gold item {item.get('id')}: toponym offsets {start}-{end} outside the text")
        out.append((_repaired(text, start, end), lat, lon, None))
    for p in item.get("places", []):
        if p.get("precision") not in _LEVELS:
            raise ConfigError(f"gold item {item.get('id')}: unknown precision {p.get('precision')!r}")
        try:
            span = locate(text, p["text"], int(p.get("occurrence", 1)))
            lat, lon = float(p["lat"]), float(p["lon"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"gold item {item.get('id')}: a place needs text, lat and lon") from exc
        out.append((span, lat, lon, p["precision"]))
    return out


class _Tally:
    """The counts of one engine over one subset of the items."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.total = 0
        self.items = 0
        self.distances: list[float] = []
        self.errors: list[dict[str, Any]] = []

    def add(self, item: dict[str, Any], gold: list[GoldPlace], pred: list[Pred]) -> None:
        self.items += 1
        self.total += len(gold)
        used: set[int] = set()
        text = item["text"]
        for span, lat, lon, level in gold:
            exact = next((i for i, p in enumerate(pred) if i not in used and p[0] == span), None)
            hit = exact
            if hit is None:
                hit = next((i for i, p in enumerate(pred) if i not in used and overlaps(span, p[0])), None)
            if hit is None:
                self.errors.append({"id": item.get("id"), "kind": "missed", "text": text[slice(*span)]})
                continue
            used.add(hit)
            self.hits["found"] += 1
            self.hits["found_exact"] += exact is not None
            _, plat, plon, plevel = pred[hit]
            km = haversine_km(lat, lon, plat, plon) if plat is not None and plon is not None else None
            if km is not None:
                self.distances.append(km)
            if km is not None and km <= 161:
                self.hits["within"] += 1
                self.hits["within_exact"] += exact is not None
                if level is None or level == "region" or plevel == level:
                    self.hits["level"] += 1
                else:
                    self.errors.append(
                        {
                            "id": item.get("id"),
                            "kind": "level",
                            "text": text[slice(*span)],
                            "gold": level,
                            "predicted": plevel,
                        }
                    )
            else:
                self.errors.append(
                    {
                        "id": item.get("id"),
                        "kind": "far" if km is not None else "no coordinates",
                        "text": text[slice(*span)],
                        "km": round(km) if km is not None else None,
                        "predicted": (plat, plon),
                        "gold": (lat, lon),
                    }
                )
        # Predictions matching no gold toponym are not counted: the gold marks locations only, and the
        # extractor also keeps countries named as actors, on purpose.

    def report(self, name: str) -> EvalReport:
        n = self.total
        found = self.hits["found"]
        values = {
            "found": self.hits["found"] / n if n else 0.0,
            "found_exact": self.hits["found_exact"] / n if n else 0.0,
            "accuracy_161km": self.hits["within"] / n if n else 0.0,
            "accuracy_161km_exact": self.hits["within_exact"] / n if n else 0.0,
            "accuracy_161km_on_found": self.hits["within"] / found if found else 0.0,
            "level_accuracy": self.hits["level"] / n if n else 0.0,
            "median_error_km": statistics.median(self.distances) if self.distances else 0.0,
            "toponyms": float(n),
        }
        return EvalReport(name, self.items, {}, self.errors, values)


def _is_heldout(item: dict[str, Any]) -> bool:
    return bool(item.get("_heldout")) or ("toponyms" in item and heldout_fifth(str(item.get("id", ""))))


def eval_places_engines(
    items: Iterable[dict[str, Any]],
    nlp: Language,
    *,
    engines: Iterable[str] = ("rules",),
    resources: Resources | None = None,
) -> list[EvalReport]:
    """Score toponym recognition and resolution for several engines over one parse of the gold texts.

    Args:
        items: gold items (`load_gold` on ``tests/gold/places*.jsonl`` or a geo-dev style corpus); an item
            with a true ``_heldout`` key, or a corpus article in `heldout_fifth`, is also scored on its own.
        nlp: the spaCy pipeline.
        engines: any of `PLACE_ENGINES`.

    Returns:
        One `EvalReport` per engine (``places``, ``places-population``...), each with ``heldout`` set when
        some items are held out.
    """
    from newsevents.extract.places import extract_places
    from newsevents.extract.registry import extractors_for, run_extractors
    from newsevents.kb import default_resources

    res = resources or default_resources()
    engines = list(engines)
    for engine in engines:
        if engine not in PLACE_ENGINES:
            raise ConfigError(f"unknown place engine {engine!r}; choose one of {', '.join(PLACE_ENGINES)}")
    needed = extractors_for("places")
    tallies = {e: (_Tally(), _Tally()) for e in engines}
    items = list(items)
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        gold = _gold(item)
        got = run_extractors(doc, article, res, needed)
        index = got["places"]
        heldout = _is_heldout(item)
        for engine in engines:
            pred: list[Pred] = []
            if engine == "rules-no-outlet" and article.url:  # without a URL there is no outlet to drop
                index_used = extract_places(
                    doc, replace(article, url=None), resources=res, mentions=got["mentions"]
                )
            else:
                index_used = index
            for place in index_used.places:
                for start, end in place.mentions:
                    if engine in {"rules", "rules-no-outlet"}:
                        pred.append(((start, end), place.lat, place.lon, place.precision))
                        continue
                    name = article.text[start:end]
                    if engine == "first-match":
                        cand = res.gazetteer.first_match(name)
                    else:
                        cands = res.gazetteer.candidates(name)
                        cand = max(cands, key=lambda c: c.population) if cands else None
                    pred.append(
                        ((start, end), cand.lat, cand.lon, cand.precision)
                        if cand
                        else ((start, end), None, None, "unknown")
                    )
            whole, held = tallies[engine]
            whole.add(item, gold, pred)
            if heldout:
                held.add(item, gold, pred)
    reports = []
    for engine in engines:
        name = "places" if engine == "rules" else f"places-{engine}"
        whole, held = tallies[engine]
        report = whole.report(name)
        if held.items:
            report.heldout = held.report(name)
        reports.append(report)
    return reports


def eval_places(
    items: Iterable[dict[str, Any]],
    nlp: Language,
    *,
    engine: str = "rules",
    resources: Resources | None = None,
) -> EvalReport:
    """Score toponym resolution against gold coordinates with one engine (`eval_places_engines`).

    Example:
        >>> report = eval_places(load_gold("tests/gold/places.partA.jsonl"), nlp)  # doctest: +SKIP
        >>> report.values["accuracy_161km"]  # doctest: +SKIP
        0.9
    """
    return eval_places_engines(items, nlp, engines=[engine], resources=resources)[0]
