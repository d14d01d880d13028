"""Quotes scored on a brat-annotated attribution corpus (PolNeAR's layout), for our rules and textacy.

The corpus is a directory with ``text/<name>.txt`` and ``attributions/<name>_<annotator>.ann`` (brat standoff:
``T`` lines with Source, Cue, Content and Attribution spans, ``E`` lines tying one attribution together).
When several annotators marked one article, the first annotator's file (by name) is used.

Scores, for **direct** attributions (the content is in quotation marks or within two characters of them) and
for **all** attributions (indirect speech and reported thoughts as well):

- ``*_content``: content found. A prediction matches a gold content when their word tokens overlap by at
  least half of the shorter of the two (one to one, best overlap first). Predictions that share a cue are one
  prediction (a quote split around its cue, or running over paragraphs, is one attribution).
- ``*_speaker``: content found **and** speaker right: the predicted speaker mention overlaps a gold source
  span, or the predicted speaker's resolved name names the person of the gold source ("he" resolved to "Martin
  O'Malley" against a gold source "O'Malley"; first and last names must agree when both have them).
- ``*_no_speaker``: the share of found contents whose prediction has no speaker.

For the direct scores, predictions are direct by the same test as the gold (our direct quotes, and reported
speech whose content holds a partial quote: `called the plan "a disaster"`). A fixed fifth of the articles
(`heldout_fifth` on the file name) is held out from tuning and also reported on its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.errors import ConfigError
from newsevents.evaluate.core import EvalReport, Score, article_for
from newsevents.evaluate.places import heldout_fifth

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsevents.kb import Resources
    from newsevents.model import Article

__all__ = ["ATTRIBUTION_ENGINES", "eval_attributions", "is_brat_corpus", "read_brat_corpus"]

ATTRIBUTION_ENGINES = ("rules", "textacy")
Spans = tuple[tuple[int, int], ...]
_QUOTE_MARKS = '"“”„«»'
_PRONOUNS = {
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "hers", "their", "me", "us",
}  # fmt: skip
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "gen", "president", "senator"}


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    content: Spans
    source: Spans  # empty when the annotation names no source
    cue: Spans
    direct: bool


@dataclass(frozen=True, slots=True)
class PredAttribution:
    content: Spans
    direct: bool
    speaker: tuple[int, int] | None
    name: str | None  # the speaker's resolved name, when the engine resolves one


def is_brat_corpus(path: str | Path) -> bool:
    """Whether `path` is a directory laid out as ``text/`` and ``attributions/``."""
    p = Path(path)
    return (p / "text").is_dir() and (p / "attributions").is_dir()


def _spans(field: str, where: str) -> Spans:
    out = []
    for part in field.split(";"):
        try:
            a, b = part.split()
            out.append((int(a), int(b)))
        except ValueError as exc:
            raise ConfigError(f"{where}: bad span {part!r}") from exc
    return tuple(out)


def _is_direct(text: str, content: Spans) -> bool:
    for a, b in content:
        window = text[max(0, a - 2) : b + 2]
        if any(m in window for m in _QUOTE_MARKS):
            return True
    return False


def read_brat_ann(path: Path, text: str) -> list[GoldAttribution]:
    """The attributions of one ``.ann`` file over its text.

    Raises:
        ConfigError: a malformed line or a span outside the text. Attributions without a content span (left
            unfinished by an annotator) are skipped.
    """
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[tuple[int, dict[str, str]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):  # a span's text may run over lines: only T/E lines count
        where = f"{path}:{n}"
        if re.match(r"T\d+\t", line):
            parts = line.split("\t")
            if len(parts) < 2 or " " not in parts[1]:
                raise ConfigError(f"{where}: a T line needs 'label start end'")
            label, _, field = parts[1].partition(" ")
            got = _spans(field, where)
            if any(not 0 <= a <= b <= len(text) for a, b in got):
                raise ConfigError(f"{where}: span {field} is outside the text ({len(text)} characters)")
            spans[parts[0]] = (label, got)
        elif re.match(r"E\d+\t", line):
            parts = line.split("\t")
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a) if len(parts) > 1 else {}
            events.append((n, args))
    out = []
    for _n, args in events:
        if args.get("Content") not in spans:
            continue  # an annotator's unfinished attribution (a bare "E3\tAttribution-no-source:T11")
        content = spans[args["Content"]][1]
        source = spans[args["Source"]][1] if args.get("Source") in spans else ()
        cue = spans[args["Cue"]][1] if args.get("Cue") in spans else ()
        out.append(GoldAttribution(content, source, cue, _is_direct(text, content)))
    return out


def read_brat_corpus(directory: str | Path) -> Iterator[dict[str, Any]]:
    """Items of a brat attribution corpus, one per article: ``id``, ``text``, ``published`` (from a
    ``<publisher>_<YYYY-MM-DD>_<slug>`` name), ``attributions`` and ``_heldout``.

    Example:
        >>> items = read_brat_corpus("../shared/corpus/polnear-train")  # doctest: +SKIP
        >>> next(items)["attributions"][0].cue  # doctest: +SKIP
        ((113, 119),)
    """
    root = Path(directory)
    if not is_brat_corpus(root):
        raise ConfigError(f"{directory}: not a brat attribution corpus (needs text/ and attributions/)")
    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        stem = ann.stem.rpartition("_")[0] or ann.stem
        anns.setdefault(stem, ann)  # the first annotator by name
    for txt in sorted((root / "text").glob("*.txt")):
        found = anns.get(txt.stem)
        if found is None:
            continue
        try:
            text = txt.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {txt}: {exc}") from exc
        date = re.search(r"_(\d{4}-\d{2}-\d{2})_", txt.name)
        yield {
            "id": txt.stem,
            "text": text,
            "published": date.group(1) if date else None,
            "attributions": read_brat_ann(found, text),
            "_heldout": heldout_fifth(txt.stem),
        }


class _Tokens:
    """Word tokens of one text, to turn span sets into token sets."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in re.finditer(r"\w+", text)]

    def of(self, spans: Spans) -> frozenset[int]:
        out: set[int] = set()
        for a, b in spans:
            out.update(range(bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)))
        return frozenset(out)


def _match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> dict[int, int]:
    """One-to-one matches gold -> pred with token overlap >= half the shorter, best overlap first."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if not g or not p:
                continue
            ratio = len(g & p) / min(len(g), len(p))
            if ratio >= 0.5:
                cands.append((-ratio, gi, pi))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in sorted(cands):
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def _name_tokens(name: str) -> list[str]:
    words = [w.strip(".,'’").lower() for w in re.findall(r"[A-Z][\w'’.-]*", name)]
    words = [w.removesuffix("'s").removesuffix("’s") for w in words]
    return [w for w in words if w and w not in _HONORIFICS]


def _same_person(name: str, gold_text: str) -> bool:
    """Whether a resolved name names the person a gold source names ("Clinton" names "Hillary Clinton";
    "Bill Clinton" does not)."""
    if gold_text.strip().lower() in _PRONOUNS:
        return False
    a, b = _name_tokens(name), _name_tokens(gold_text)
    if not a or not b:
        return False
    if len(a) >= 2 and len(b) >= 2 and a[0] != b[0] and a[0] not in b and b[0] not in a:
        return False  # different first names
    return a[-1] in b or b[-1] in a


def _speaker_right(text: str, pred: PredAttribution, gold: GoldAttribution) -> bool:
    if not gold.source:
        return pred.speaker is None
    if pred.speaker is None:
        return False
    s = pred.speaker
    if any(s[0] < b and a < s[1] for a, b in gold.source):
        return True
    gold_text = " ".join(text[a:b] for a, b in gold.source)
    names = [n for n in (pred.name, text[s[0] : s[1]]) if n]
    return any(_same_person(n, gold_text) for n in names)


def _rules(nlp: Language, resources: Resources | None) -> Callable[[Article, Doc], list[PredAttribution]]:
    from newsevents.extract.registry import extractors_for, run_extractors
    from newsevents.kb import default_resources

    res = resources or default_resources()
    needed = extractors_for("quotes")

    def run(article: Article, doc: Doc) -> list[PredAttribution]:
        groups: dict[tuple[int, int] | str, list[Any]] = {}
        for q in run_extractors(doc, article, res, needed)["quotes"]:
            key = (q.cue.start, q.cue.end) if q.cue is not None else q.id  # a quote inside its cue's clause
            # ("said the plan would “fail badly”") is one attribution with that clause
            groups.setdefault(key, []).append(q)
        out = []
        for qs in groups.values():
            sp = next((q.speaker for q in qs if q.speaker is not None), None)
            content = tuple((q.start, q.end) for q in qs)
            out.append(
                PredAttribution(
                    content,
                    any(q.kind == "direct" for q in qs) or _is_direct(article.text, content),
                    (sp.start, sp.end) if sp else None,
                    sp.name if sp else None,
                )
            )
        return out

    return run


def _textacy() -> Callable[[Article, Doc], list[PredAttribution]]:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        raise ConfigError("textacy is not installed: pip install 'newsevents[compare]'") from exc

    def run(article: Article, doc: Doc) -> list[PredAttribution]:
        out = []
        try:
            for triple in direct_quotations(doc):
                sp = triple.speaker
                speaker = (sp[0].idx, sp[-1].idx + len(sp[-1].text)) if sp else None
                content = triple.content
                out.append(PredAttribution(((content.start_char, content.end_char),), True, speaker, None))
        except Exception:  # textacy raises on unbalanced marks: the article yields nothing
            return []
        return out

    return run


_KEYS = ("direct_content", "direct_speaker", "all_content", "all_speaker")


class _Tally:
    def __init__(self) -> None:
        self.scores = {k: Score() for k in _KEYS}
        self.found = {"direct": 0, "all": 0}
        self.silent = {"direct": 0, "all": 0}
        self.items = 0

    def report(self, name: str, errors: list[dict[str, Any]]) -> EvalReport:
        values = {
            f"{k}_no_speaker": self.silent[k] / self.found[k] if self.found[k] else 0.0
            for k in ("direct", "all")
        }
        return EvalReport(name, self.items, dict(self.scores), errors, values)


def _score_item(
    item: dict[str, Any], pred: list[PredAttribution], tallies: list[_Tally], errors: list[dict[str, Any]]
) -> None:
    text = item["text"]
    tokens = _Tokens(text)
    gold: list[GoldAttribution] = item["attributions"]
    for t in tallies:
        t.items += 1
    for scope in ("direct", "all"):
        g_sel = [g for g in gold if g.direct or scope == "all"]
        p_sel = [p for p in pred if p.direct or scope == "all"]
        pairs = _match([tokens.of(g.content) for g in g_sel], [tokens.of(p.content) for p in p_sel])
        right = {gi for gi, pi in pairs.items() if _speaker_right(text, p_sel[pi], g_sel[gi])}
        silent = sum(1 for pi in pairs.values() if p_sel[pi].speaker is None)
        for t in tallies:
            for key, tp in ((f"{scope}_content", len(pairs)), (f"{scope}_speaker", len(right))):
                t.scores[key].tp += tp
                t.scores[key].fp += len(p_sel) - tp
                t.scores[key].fn += len(g_sel) - tp
            t.found[scope] += len(pairs)
            t.silent[scope] += silent
        if scope != "direct":
            continue
        matched = set(pairs.values())
        for pi, p in enumerate(p_sel):
            if pi not in matched:
                quote = " ".join(text[a:b] for a, b in p.content)[:70]
                said = text[p.speaker[0] : p.speaker[1]] if p.speaker else None
                errors.append({"id": item["id"], "kind": "spurious", "quote": quote, "predicted": said})
        for gi, g in enumerate(g_sel):
            quote = " ".join(text[a:b] for a, b in g.content)[:70]
            source = " ".join(text[a:b] for a, b in g.source) or None
            if gi not in pairs:
                errors.append({"id": item["id"], "kind": "missed", "quote": quote, "gold": source})
            elif gi not in right:
                sp = p_sel[pairs[gi]]
                said = text[sp.speaker[0] : sp.speaker[1]] if sp.speaker else None
                errors.append(
                    {"id": item["id"], "kind": "wrong speaker", "quote": quote, "gold": source}
                    | {"predicted": said, "name": sp.name}
                )


def eval_attributions(
    items: Iterable[dict[str, Any]],
    nlp: Language,
    *,
    engines: Iterable[str] = ("rules",),
    resources: Resources | None = None,
) -> list[EvalReport]:
    """Score each engine on a brat attribution corpus in one parse of the texts; each report carries the
    held-out fifth as ``heldout``.

    Example:
        >>> corpus = read_brat_corpus(path)  # doctest: +SKIP
        >>> reports = eval_attributions(corpus, nlp, engines=["rules", "textacy"])  # doctest: +SKIP
        >>> reports[0].scores["direct_speaker"].f1  # doctest: +SKIP
        0.8
    """
    engines = list(engines)
    for e in engines:
        if e not in ATTRIBUTION_ENGINES:
            raise ConfigError(f"unknown quote engine {e!r}; choose one of {', '.join(ATTRIBUTION_ENGINES)}")
    runs = [_rules(nlp, resources) if e == "rules" else _textacy() for e in engines]
    tallies = [(_Tally(), _Tally()) for _ in engines]
    errors: list[list[dict[str, Any]]] = [[] for _ in engines]
    items = list(items)
    articles = [article_for(item, n) for n, item in enumerate(items)]
    for item, article, doc in zip(items, articles, nlp.pipe(a.text for a in articles), strict=True):
        for run, (every, held), errs in zip(runs, tallies, errors, strict=True):
            held_out = bool(item.get("_heldout"))  # its errors are never listed: no rule is tuned on them
            _score_item(
                item, run(article, doc), [every, held] if held_out else [every], [] if held_out else errs
            )
    reports = []
    for e, (every, held), errs in zip(engines, tallies, errors, strict=True):
        name = "attributions" if e == "rules" else f"attributions-{e}"
        report = every.report(name, errs)
        report.heldout = held.report(name, [])
        reports.append(report)
    return reports
