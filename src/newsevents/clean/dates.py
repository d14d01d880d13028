"""Dates in article text and metadata: explicit dates, the inline ``date YYYY-MM-DD`` header."""

from __future__ import annotations

import datetime as dt
import logging
import re

__all__ = [
    "find_dates",
    "metadata_date",
    "parse_date",
    "strip_header",
]

logger = logging.getLogger(__name__)


_MONTHS = {
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "may": 5,
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]|$)")
_NUMERIC_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$|^(\d{4})(\d\d)(\d\d)$")
_HEADER = re.compile(
    r"\A(?i:date)(?:[ \t]*:[ \t]*|[ \t]+)(\d{4}-\d\d-\d\d)"
    r"(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?=\s|\Z)"
)


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(_MONTHS.get(month.lower(), month)), int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[dt.date, str]]:
    """Find the full explicit dates in a text, in order of appearance.

    Args:
        text: any text.

    Returns:
        ``(date, matched text)`` pairs for ``March 21, 2024``, ``21 March 2024``, ``2024-03-21`` and their
        abbreviated forms (``Mar. 21, 2024``, ``21st of March 2024``); impossible dates are skipped.

    Example:
        >>> find_dates("On March 21, 2024 and 2024-04-01.")
        [(datetime.date(2024, 3, 21), 'March 21, 2024'), (datetime.date(2024, 4, 1), '2024-04-01')]
    """
    found: list[tuple[int, dt.date, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            date = _make_date(m["year"], m["month"], m["day"])
            if date is not None:
                found.append((m.start(), date, m.group()))
                taken.append(m.span())
    return [(date, matched) for _, date, matched in sorted(found, key=lambda f: f[0])]


def parse_date(value: str) -> dt.date | None:
    """Parse a metadata date: ISO dates and datetimes (the date part), ``2024/05/07``, ``May 7, 2024``, ...

    Args:
        value: the date as the source gave it.

    Returns:
        The date, or ``None`` when `value` is not a recognisable date.

    Example:
        >>> parse_date("2024-05-07T23:10:00+03:00")
        datetime.date(2024, 5, 7)
    """
    value = value.strip()
    m = _ISO_PREFIX.match(value) or _NUMERIC_DATE.match(value)
    if m is not None:
        year, month, day = (g for g in m.groups() if g is not None)
        return _make_date(year, month, day)
    dates = find_dates(value)
    return dates[0][0] if len(dates) == 1 else None


def metadata_date(value: str | None, source: str) -> dt.date | None:
    if value is None:
        return None
    date = parse_date(value)
    if date is None:
        logger.warning("%s: unparseable publication date %r; leaving it null", source, value)
    return date


def strip_header(text: str, source: str) -> tuple[str, dt.date | None]:
    """Remove leading ``date YYYY-MM-DD`` headers; return the rest and the first header's date."""
    published: dt.date | None = None
    seen = False
    while (m := _HEADER.match(text)) is not None:
        date = parse_date(m.group(1))
        if date is None:
            logger.warning("%s: unparseable date header %r; leaving it null", source, m.group())
        if not seen:
            published, seen = date, True
        text = text[m.end() :].lstrip()
    return text, published
