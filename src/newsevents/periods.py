"""Calendar periods: ISO day, week, month, season and year values, their bounds, and month names (no spaCy).

Every normalised time value in newsevents is one of ``YYYY-MM-DD`` (day), ``YYYY-Www`` (ISO week),
``YYYY-MM`` (month), ``YYYY-SP|SU|FA|WI`` (season, TIMEX style; a winter belongs to the year of its December)
or ``YYYY`` (year). The extractors make them; the store, the listings and later the API read their bounds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["MONTHS", "SEASON_START", "iso_week", "month_shift", "period_bounds", "season_span"]

#: Month names and their abbreviations (lowercase) -> month number.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: The first month of each TIMEX season code.
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|WI)")


def month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """The (year, month) `delta` months after (year, month).

    Example:
        >>> month_shift(2024, 12, 2)
        (2025, 2)
    """
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def season_span(year: int, code: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a season (``SP``, ``SU``, ``FA``, ``WI``) of `year`.

    Example:
        >>> season_span(2023, "WI")
        (datetime.date(2023, 12, 1), datetime.date(2024, 2, 29))
    """
    first = SEASON_START[code]
    last_y, last_m = month_shift(year, first, 2)
    return dt.date(year, first, 1), dt.date(last_y, last_m, calendar.monthrange(last_y, last_m)[1])


def period_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a normalised time value (day, ``YYYY-Www``, ``YYYY-MM``, season or ``YYYY``).

    Example:
        >>> period_bounds("2024-W19")
        (datetime.date(2024, 5, 6), datetime.date(2024, 5, 12))
        >>> period_bounds("soon") is None
        True
    """
    value = value.strip()
    try:
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if match := _WEEK.fullmatch(value):
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if match := _MONTH.fullmatch(value):
            year, month = int(match[1]), int(match[2])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        if _YEAR.fullmatch(value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if match := _SEASON.fullmatch(value):
            return season_span(int(match[1]), match[2])
    except ValueError:
        return None
    return None


def iso_week(day: dt.date) -> str:
    """The ISO week of a day as ``YYYY-Www``.

    Example:
        >>> iso_week(dt.date(2021, 1, 2))
        '2020-W53'
    """
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"
