"""Temporal expressions: find them and normalise them against the article's anchor date (never the clock).

Version ``time.v1``: our own rules for absolute dates, weekdays, relative expressions ("last week",
"two days ago", "earlier this month"), months, seasons and years; durations are kept with a null value.
spaCy DATE entities that no rule understands are kept too, unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsevents.model import Article, TimeExpr
from newsevents.periods import MONTHS, iso_week, month_shift, period_bounds, season_span

__all__ = [
    "EXTRACTOR",
    "Resolved",
    "extract_times",
    "find_times",
    "iso_week",
    "normalize_time",
    "period_bounds",
]

EXTRACTOR = "time.v1"

_MONTHS = MONTHS
_WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "several": 3,
    "a couple of": 2,
}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501 - one regex reads better unbroken
_DAY_RE = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|a couple of)"
_UNIT_RE = r"(?:day|week|month|year|hour|minute)s?"
_WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Order matters: longer, more specific patterns first; matches may not overlap.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(rx, re.IGNORECASE))
    for name, rx in [
        ("mdy", rf"\b{_MONTH_RE}\s+{_DAY_RE},?\s+\d{{4}}\b"),
        ("dmy", rf"\b{_DAY_RE}\s+{_MONTH_RE},?\s+\d{{4}}\b"),
        ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
        ("slash", r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
        ("ago", rf"\b{_NUM_RE}\s+{_UNIT_RE}\s+ago\b"),
        ("rel_within", r"\b(?:earlier|later)\s+this\s+(?:week|month|year)\b"),
        ("rel_unit", r"\b(?:last|next|this|past|coming)\s+(?:week|month|year|weekend)\b"),
        ("rel_wd", rf"\b(?:last|next|this)\s+{_WD_RE}\b"),
        ("day_word", r"\b(?:today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening))\b"),
        ("month_year", rf"\b{_MONTH_RE}\s+(?:of\s+)?\d{{4}}\b"),
        ("month_day", rf"\b{_MONTH_RE}\s+{_DAY_RE}\b(?!\s*,?\s*\d)"),
        ("day_month", rf"\b{_DAY_RE}\s+{_MONTH_RE}\b"),
        ("weekday", rf"\b{_WD_RE}\b"),
        ("season_year", r"\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?(?:19|20)\d{2}\b"),
        ("season", r"\b(?:(?:last|next|this|early|late)\s+)?(?:spring|summer|autumn|winter)\b"),
        (
            "month",
            rf"\b(?:(?:in|since|until|by|last|next|this|early|late|from|to|through)\s+|mid-\s*){_MONTH_RE}\b",
        ),
        (
            "year",
            r"\b(?:(?:in|since|until|by|of|early|late|from|to|and|between|through|after|before)\s+|mid-\s*)(?:19|20)\d{2}\b",
        ),
        ("duration", rf"\b(?:for|over|about|nearly|almost|more than|within)?\s*{_NUM_RE}[\s-]+{_UNIT_RE}\b"),
    ]
]


_BARE_YEAR = re.compile(r"((?:19|20)\d{2})(?:'s)?")


@dataclass(frozen=True, slots=True)
class Resolved:
    value: str | None
    precision: str
    relative: bool


_month_shift = month_shift


def _month_num(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _nearest_year(month: int, day: int, anchor: dt.date, future: bool) -> int:
    """The year that puts month/day closest to the anchor on the side the tense points to."""
    year = anchor.year
    candidate = dt.date(year, month, min(day, 28))
    if not future and candidate > anchor + dt.timedelta(days=31):
        return year - 1
    if future and candidate < anchor - dt.timedelta(days=31):
        return year + 1
    return year


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _absolute(kind: str, text: str) -> Resolved | None:
    low = text.lower()
    words = re.findall(r"[a-z]+\.?|\d+", low)
    nums = [int(w) for w in words if w.isdigit()]
    month = next((m for w in words if (m := _month_num(w))), None)
    if kind in {"mdy", "dmy"} and month and len(nums) >= 2:
        day = _safe_date(nums[-1], month, nums[0])
        return Resolved(day.isoformat(), "day", False) if day else None
    if kind == "iso":
        y, m, d = (int(x) for x in text.split("-"))
        day = _safe_date(y, m, d)
        return Resolved(day.isoformat(), "day", False) if day else None
    if kind == "slash":
        a, b, y = (int(x) for x in text.split("/"))
        # Day first when it cannot be a month ("21/3/2024"); month first (US style) otherwise.
        day = _safe_date(y, b, a) if a > 12 else _safe_date(y, a, b)
        return Resolved(day.isoformat(), "day", False) if day else None
    if kind == "month_year" and month and nums:
        return Resolved(f"{nums[-1]:04d}-{month:02d}", "month", False)
    if kind == "year" and nums:
        return Resolved(f"{nums[-1]:04d}", "year", False)
    if kind == "season_year" and nums:
        return Resolved(f"{nums[-1]:04d}-{_SEASONS[words[0]]}", "season", False)
    return None


def _relative(kind: str, text: str, anchor: dt.date, future: bool) -> Resolved | None:
    low = re.sub(r"\s+", " ", text.lower())
    if kind == "day_word":
        delta = {"yesterday": -1, "tomorrow": 1}.get(low, 0)  # today, tonight, this morning
        return Resolved((anchor + dt.timedelta(days=delta)).isoformat(), "day", True)
    if kind in {"weekday", "rel_wd"}:
        wd = _WEEKDAYS[low.split()[-1]]
        if low.startswith("next") or (kind == "weekday" and future):
            shift = (wd - anchor.weekday()) % 7 or 7
            return Resolved((anchor + dt.timedelta(days=shift)).isoformat(), "day", True)
        if low.startswith("last"):
            back = (anchor.weekday() - wd) % 7 or 7
            return Resolved((anchor - dt.timedelta(days=back)).isoformat(), "day", True)
        if low.startswith("this"):
            start = anchor - dt.timedelta(days=anchor.weekday())
            return Resolved((start + dt.timedelta(days=wd)).isoformat(), "day", True)
        back = (anchor.weekday() - wd) % 7
        return Resolved((anchor - dt.timedelta(days=back)).isoformat(), "day", True)
    if kind in {"rel_unit", "rel_within"}:
        unit = low.split()[-1]
        step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(low.split()[0], 0)
        if unit in {"week", "weekend"}:
            return Resolved(iso_week(anchor + dt.timedelta(weeks=step)), "week", True)
        if unit == "month":
            y, m = _month_shift(anchor.year, anchor.month, step)
            return Resolved(f"{y:04d}-{m:02d}", "month", True)
        return Resolved(f"{anchor.year + step:04d}", "year", True)
    if kind == "ago":
        hit = re.match(rf"({_NUM_RE})\s+({_UNIT_RE})", low)
        if not hit:
            return None
        n = int(hit.group(1)) if hit.group(1).isdigit() else _NUMBERS.get(hit.group(1), 1)
        unit = hit.group(2).rstrip("s")
        if unit in {"hour", "minute"}:
            return Resolved(anchor.isoformat(), "day", True)
        if unit == "day":
            return Resolved((anchor - dt.timedelta(days=n)).isoformat(), "day", True)
        if unit == "week":
            return Resolved(iso_week(anchor - dt.timedelta(weeks=n)), "week", True)
        if unit == "month":
            y, mo = _month_shift(anchor.year, anchor.month, -n)
            return Resolved(f"{y:04d}-{mo:02d}", "month", True)
        return Resolved(f"{anchor.year - n:04d}", "year", True)
    if kind in {"month_day", "day_month"}:
        words = re.findall(r"[a-z]+\.?|\d+", low)
        month = next((mm for w in words if (mm := _month_num(w))), None)
        nums = [int(w) for w in words if w.isdigit()]
        if not month or not nums:
            return None
        day = _safe_date(_nearest_year(month, nums[0], anchor, future), month, nums[0])
        return Resolved(day.isoformat(), "day", True) if day else None
    if kind == "month":
        month = _month_num(re.split(r"[\s-]+", low)[-1])  # "in March", "mid-March"
        if not month:
            return None
        year = _nearest_year(month, 15, anchor, future or low.startswith("next"))
        if low.startswith("last") and month >= anchor.month:
            year = anchor.year - 1
        return Resolved(f"{year:04d}-{month:02d}", "month", True)
    if kind == "season":
        return Resolved(_season(low, anchor), "season", True)
    return None


_season_span = season_span


def _season(low: str, anchor: dt.date) -> str:
    """ "this summer", "last winter", "next spring", "autumn" as ``2024-SU`` against the anchor.

    Bare or "this": the season containing the anchor, else that season of the anchor's year; "last": the
    latest one ended before the anchor; "next": the first one starting after it. A winter belongs to the year
    of its December.
    """
    code = _SEASONS[low.split()[-1]]
    spans = {y: _season_span(y, code) for y in range(anchor.year - 2, anchor.year + 2)}
    if low.startswith("last"):
        year = max(y for y, (_, end) in spans.items() if end < anchor)
    elif low.startswith("next"):
        year = min(y for y, (start, _) in spans.items() if start > anchor)
    else:
        year = next((y for y, (a, b) in spans.items() if a <= anchor <= b), anchor.year)
    return f"{year:04d}-{code}"


def normalize_time(
    text: str, anchor: dt.date | None, *, kind: str | None = None, future: bool = False
) -> Resolved:
    """Normalise one temporal expression against an anchor date.

    Args:
        text: the expression, e.g. ``"on Monday"``'s ``"Monday"`` or ``"next week"``.
        anchor: the publication (or inferred) date; relative expressions stay unresolved without one.
        kind: the pattern name when known (from `find_times`); guessed from the text otherwise.
        future: whether the governing clause is in the future tense (bare weekdays look forward then).

    Returns:
        A `Resolved` with an ISO value (day, ``YYYY-Www`` week, ``YYYY-MM`` month, ``YYYY`` year) or None.

    Example:
        >>> normalize_time("Monday", dt.date(2024, 5, 7)).value
        '2024-05-06'
        >>> normalize_time("next week", dt.date(2024, 3, 31)).value
        '2024-W14'
    """
    if kind is None:
        kind = next((name for name, rx in _PATTERNS if rx.fullmatch(text.strip())), "unknown")
    if kind == "duration":
        return Resolved(None, "duration", False)
    if kind == "unknown":
        return Resolved(None, "unknown", False)
    absolute = _absolute(kind, text)
    if absolute is not None:
        return absolute
    if kind in {"mdy", "dmy", "iso", "slash", "month_year", "year", "season_year"}:
        return Resolved(None, "unknown", False)
    if anchor is None:
        return Resolved(None, "unknown", True)
    return _relative(kind, text, anchor, future) or Resolved(None, "unknown", True)


def find_times(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) matches of the temporal patterns in `text`, in order.

    Example:
        >>> find_times("They met on Monday and will meet next week.")
        [(12, 18, 'weekday'), (33, 42, 'rel_unit')]
    """
    taken: list[tuple[int, int, str]] = []
    for name, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if name in {"month", "year", "duration"}:
                s += len(m.group(0)) - len(m.group(0).lstrip())
                # Keep the preposition out of the expression text, except qualifiers like "early".
                first = text[s:e].split()[0].lower()
                if first in {
                    "in",
                    "since",
                    "until",
                    "by",
                    "of",
                    "for",
                    "over",
                    "about",
                    "within",
                    "from",
                    "to",
                    "and",
                    "between",
                    "through",
                    "after",
                    "before",
                }:
                    s += len(first) + 1
                    while s < e and text[s] == " ":
                        s += 1
            if any(w in {"may", "march"} for w in text[s:e].split()):  # lowercase: the verbs, not months
                continue
            if any(s < te and ts < e for ts, te, _ in taken):
                continue
            taken.append((s, e, name))
    return sorted(taken)


_FUTURE_LEMMAS = {
    "plan",
    "schedule",
    "expect",
    "intend",
    "due",
    "set",
    "slate",
    "poise",
    "propose",
    "suggest",
    "prepare",
    "agree",
    "promise",
    "pledge",
    "vow",
    "aim",
    "warn",
    "forecast",
    "predict",
    "postpone",
    "delay",
    "reschedule",
    "push",
    "move",
    "ahead",
}
_PAST_REPORTING = {"say", "tell", "announce", "report", "add", "state", "claim", "confirm", "note"}


def _is_future(token: Token) -> bool:
    """Whether the clause governing `token` speaks of the future: will/would/going to, "is due to", "is set
    to", plans and proposals, a scheduled present ("Ugandans vote on Thursday", "whose term ends on April 2"),
    "a rally for Saturday", "postponed Sunday's referendum"."""
    if token.dep_ == "pobj" and token.head.lower_ == "for" and token.head.head.pos_ in {"NOUN", "VERB"}:
        return True  # "called a rally for Saturday"
    before = token.doc[max(0, token.left_edge.i - 3) : token.left_edge.i].text.lower()
    if before.endswith(("as early as", "as soon as", "no earlier than", "as late as")):
        return True  # "an invasion as early as January"
    node: Token | None = token
    via = ""  # the dependency we climbed through to reach `node`
    for _ in range(6):
        if node is None:
            break
        # "agreed to meet on Friday" is future; "agreed on Friday" dates the agreeing itself.
        if (
            node.lemma_.lower() in _FUTURE_LEMMAS
            and node.pos_ in {"VERB", "ADJ", "ADV", "AUX"}
            and via in {"xcomp", "ccomp", "pcomp", "dobj", "nsubjpass", "relcl", "acl", "advcl"}
        ):
            return True
        if node.pos_ in {"VERB", "AUX"}:
            auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
            if auxes & {"will", "shall", "'ll", "would", "wo"}:
                return True
            if node.lemma_ == "go" and node.tag_ == "VBG" and auxes & {"is", "are", "'s", "'re", "am"}:
                return True  # "is going to"
            if (
                node.tag_ in {"VBZ", "VBP"}
                and node.lemma_ not in _PAST_REPORTING
                and not auxes & {"has", "have", "'s", "'ve"}
                and node.lemma_ != "be"
            ):
                return True  # the scheduled present of news: "votes on Sunday"
            if node.dep_ not in {"xcomp", "advcl", "prep", "pobj", "conj", "pcomp", "acl", "relcl"}:
                return False
        via = node.dep_
        node = node.head if node.head != node else None
    return False


def extract_times(doc: Doc, article: Article) -> list[TimeExpr]:
    """Every temporal expression in the article, normalised against `article.anchor`.

    Args:
        doc: the parsed `article.text` (used for tense and for DATE entities no rule understands).
        article: the article whose publication (or inferred) date anchors relative expressions.

    Returns:
        `TimeExpr` records in text order; offsets point into `article.text`.

    Example:
        >>> [t.value for t in extract_times(nlp("They met on Monday."), article)]  # doctest: +SKIP
        ['2024-05-06']
    """
    anchor = article.anchor
    out: list[TimeExpr] = []
    spans = find_times(article.text)
    for s, e, kind in spans:
        text = article.text[s:e]
        tok = doc.char_span(s, e, alignment_mode="expand")
        future = _is_future(tok.root) if tok is not None and len(tok) else False
        r = normalize_time(text, anchor, kind=kind, future=future)
        out.append(
            TimeExpr(
                text=text,
                start=s,
                end=e,
                value=r.value,
                precision=r.precision,
                anchor=anchor,
                relative=r.relative,
            )
        )
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(s < ent.end_char and ent.start_char < e for s, e, _ in spans):
            continue
        if _month_num(ent.text.strip()) and ent.text.strip()[0].isupper():  # "February" alone
            r = normalize_time(ent.text.strip(), anchor, kind="month", future=_is_future(ent.root))
            out.append(
                TimeExpr(ent.text, ent.start_char, ent.end_char, r.value, r.precision, anchor, r.relative)
            )
            continue
        year = _BARE_YEAR.fullmatch(ent.text.strip())
        if year is not None:  # "the 2023 accord", "2014's war"
            out.append(
                TimeExpr(
                    ent.text, ent.start_char, ent.end_char, year.group(1), "year", anchor, relative=False
                )
            )
            continue
        out.append(
            TimeExpr(
                text=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                value=None,
                precision="unknown",
                anchor=anchor,
                relative=False,
            )
        )
    return sorted(out, key=lambda t: t.start)
