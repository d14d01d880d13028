"""Text cleaning: idempotent ``str -> str`` normalisers, scraping-debris removal, and `clean_article`.

`clean_article` turns a `RawArticle` into the `Article` whose ``text`` every later offset points into: the
text is normalised, then debris (photo captions and credits, newsletter promos, share buttons, contributor
lines, repeated paragraphs) is cut out and recorded in ``removed``, and a leading date header, title and
subtitle move into their own fields. Everything else is kept byte for byte (curly quotes included: quote
extraction needs them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from newsevents.clean.html import extract_html
from newsevents.ingest.base import STDIN_SOURCE
from newsevents.model import Article, InferredDate, RawArticle, ReasonCode, Rejected, Removal

__all__ = [
    "canonical_url",
    "clean_article",
    "collapse_blank_lines",
    "find_dates",
    "hash_content",
    "make_pipeline",
    "normalize_newlines",
    "normalize_spaces",
    "normalize_text",
    "normalize_unicode",
    "parse_date",
    "remove_control_chars",
    "remove_debris",
    "strip_line_spaces",
    "strip_text",
]

logger = logging.getLogger(__name__)

STAGE = "clean"
Cleaner = Callable[[str], str]

# ---------------------------------------------------------------------------------------------- normalisers

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_LINE_EDGE_SPACES = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def make_pipeline(*funcs: Cleaner) -> Cleaner:
    """Compose ``str -> str`` cleaners into one, applied left to right.

    Args:
        *funcs: the cleaners, in the order they run.

    Returns:
        A cleaner applying each of `funcs` in turn.

    Example:
        >>> make_pipeline(str.strip, str.lower)("  Hi ")
        'hi'
    """

    def pipeline(text: str) -> str:
        for func in funcs:
            text = func(text)
        return text

    return pipeline


def normalize_newlines(text: str) -> str:
    r"""Turn ``\r\n``, ``\r`` and the Unicode line/paragraph separators into ``\n``.

    Example:
        >>> normalize_newlines("a\r\nb\rc")
        'a\nb\nc'
    """
    return _NEWLINES.sub("\n", text)


def remove_control_chars(text: str) -> str:
    r"""Remove NUL and other C0/C1 control characters except ``\n`` and ``\t`` (also BOMs, lone surrogates).

    Example:
        >>> remove_control_chars("a\x00b\x07c\td")
        'abc\td'
    """
    return _CONTROLS.sub("", text)


def normalize_spaces(text: str) -> str:
    """Replace non-breaking and other Unicode space characters with a plain space.

    Example:
        >>> normalize_spaces("10\\u00a0km")
        '10 km'
    """
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)


def normalize_unicode(text: str) -> str:
    """Compose characters to Unicode NFC (curly quotes and apostrophes are left alone).

    Example:
        >>> normalize_unicode("Cafe\\u0301") == "Caf\\u00e9"
        True
    """
    return unicodedata.normalize("NFC", text)


def strip_line_spaces(text: str) -> str:
    """Strip spaces and tabs from the start and end of every line.

    Example:
        >>> strip_line_spaces("  a  \\n\\tb ")
        'a\\nb'
    """
    return _LINE_EDGE_SPACES.sub("", text)


def collapse_blank_lines(text: str) -> str:
    """Collapse three or more newlines into exactly one blank line.

    Example:
        >>> collapse_blank_lines("a\\n\\n\\n\\nb")
        'a\\n\\nb'
    """
    return _BLANK_RUNS.sub("\n\n", text)


def strip_text(text: str) -> str:
    """Strip leading and trailing whitespace from the whole text.

    Example:
        >>> strip_text("\\n a \\n")
        'a'
    """
    return text.strip()


#: The normalisation every text goes through (NFC after removals, which could leave composable pairs).
normalize_text: Cleaner = make_pipeline(
    normalize_newlines,
    remove_control_chars,
    normalize_spaces,
    normalize_unicode,
    strip_line_spaces,
    collapse_blank_lines,
    strip_text,
)

# ---------------------------------------------------------------------------------------------- dates

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


def _metadata_date(value: str | None, source: str) -> dt.date | None:
    if value is None:
        return None
    date = parse_date(value)
    if date is None:
        logger.warning("%s: unparseable publication date %r; leaving it null", source, value)
    return date


def _strip_header(text: str, source: str) -> tuple[str, dt.date | None]:
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


# ---------------------------------------------------------------------------------------------- debris

CAPTION = "photo caption"
DUPLICATE_CAPTION = "duplicate caption"
CREDIT = "photo credit"
PROMO = "newsletter promo"
CONTRIBUTOR = "contributor line"
SHARE = "share/read-more"
DUPLICATE = "duplicate paragraph"
_CAPTION_REASONS = frozenset({CAPTION, DUPLICATE_CAPTION, CREDIT})
_CAPTION_WINDOW = 4  # a repeated caption comes within this many lines of the first copy
_MAX_CAPTION_WORDS = 60
_MAX_SHORT_WORDS = 20
_MAX_CONTRIBUTOR_WORDS = 30

_AGENCY = (
    r"(?:getty\s+images|reuters|afp|ap|epa(?:-efe)?|efe|anadolu(?:\s+agency)?|xinhua|tass|upi|dpa|ansa"
    r"|pa\s+(?:images|media|wire)|shutterstock|alamy|istock|flash\s?90|gpo|wikimedia(?:\s+commons)?|pool"
    r"|bloomberg|sputnik|wafa)"
)
_X = r"[^()\n]"  # any character of a credit's body
_CREDIT_BODY = rf"""(?:
      (?:photo\s*)?credits?\s*[:\-–]\s*{_X}{{1,150}}
    | (?:photos?|photographs?|images?|pictures?|illustration|file\s+photo)\s*[:\-–/]\s*{_X}{{1,150}}
    | (?:photos?|images?|pictures?)\s+(?:by|courtesy(?:\s+of)?)\s+{_X}{{1,150}}
    | courtesy(?:\s+of)?\s+{_X}{{1,150}}
    | (?:{_X}{{1,100}}/\s*)?{_AGENCY}(?:\s*/\s*{_X}{{1,150}})?
    | ap\s+photo(?:\s*/\s*{_X}{{1,150}})?
    | {_X}{{1,100}}\bvia\s+getty\s+images
)"""
_CREDIT_AT_END = re.compile(rf"\(\s*{_CREDIT_BODY}\s*\)\s*$", re.IGNORECASE | re.VERBOSE)
_CREDIT_LINE = re.compile(
    rf"""^(?:
      \(\s*{_CREDIT_BODY}\s*\)
    | (?:photo\s*credit|credits?|photos?|photographs?|images?|pictures?)\s*:\s*\S.*
    | (?:photos?|images?|pictures?)\s+by\s+\S.*
    | getty\s+images | ap\s+photo(?:\s*/.*)?
    )[.]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "REUTERS/Amir Cohen", "Evelyn Hockstein/Pool": short, and no sentence ("Reuters/Ipsos polls show ...").
_AGENCY_LINE = re.compile(rf"^(?:{_X}{{1,60}}/\s*{_AGENCY}|{_AGENCY}\s*/\s*{_X}{{1,100}})$", re.IGNORECASE)
_MAX_AGENCY_LINE_WORDS = 6
_PROMO = re.compile(
    r"""^(?:
      (?:please\s+)?(?:subscribe|sign[\s-]*up)\b.*
    | (?:click|tap)\s+here\b.*\b(?:subscribe|sign[\s-]*up|newsletters?)\b.*
    | (?:stay|keep)\s+(?:updated|informed|up[\s-]*to[\s-]*date|in\s+the\s+know)\b.*
    | (?:get|receive|join|want|don['’]?t\s+miss|never\s+miss|be\s+the\s+first)\b.*
      \b(?:newsletters?|inbox|alerts|updates|breaking\s+news|latest\s+(?:news|stories|headlines)|mailing\s+list)\b.*
    | .*\bdelivered\s+(?:straight\s+|directly\s+|right\s+)?to\s+your\s+(?:inbox|email|phone)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SHARE = re.compile(
    r"""^(?:
      share(?:\s+(?:this(?:\s+(?:article|story|page|post))?|on\s+[\w.]+|via\s+\w+|article|story))?[.!:]?
    | (?:read|see)\s+(?:more|also)\b.*
    | also\s+read\b.*
    | related(?:\s+(?:articles?|stories|coverage|content|news|reading))?\s*:.*
    | related\s+(?:articles?|stories|coverage|content)
    | advertisement|advertising|sponsored(?:\s+content)?
    | follow\s+(?:us|[\w@.'’&-]+(?:\s+[\w@.'’&-]+){0,4})\s+on\s+
      (?:twitter|x|facebook|instagram|telegram|whatsapp|linkedin|youtube|tiktok|threads|google\s+news|bluesky)\b.*
    | click\s+here\s+(?:to|for)\s+(?:read|see|watch|more)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NAMES = r"[A-Z][\w'’.\-]*(?:[\s,]+(?:[A-Z][\w'’.\-]*|and|in|at|from|de|da|van|von|der|al|el|bin|ben))*"
_CONTRIBUTOR = re.compile(
    rf"""^\(?(?:
      .{{1,120}}?\s+(?i:contributed\s+(?:reporting|(?:reporting\s+)?to\s+this\s+(?:report|article|story)))
    | (?i:(?:additional\s+)?reporting\s+by)\s+{_NAMES}
      (?:\s*[;,]\s*(?i:(?:additional\s+reporting|reporting|writing|editing)\s+by)\s+{_NAMES})*
    )[.)]*$""",
    re.VERBOSE,
)
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "gov", "sen"),
        *("rep", "rev", "st", "jr", "sr", "no", "vs", "inc", "ltd", "co", "corp", "mt", "ft", "pres", "amb"),
        *("brig", "cmdr", "hon", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct"),
        *("nov", "dec"),
    }
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


@dataclass
class _Line:
    """One line of the text while debris is being removed."""

    text: str
    removed: list[tuple[int, Removal]]  # (offset in the original line, removal)
    gone: bool = False  # the whole line was removed


@dataclass(frozen=True)
class _Para:
    """A kept paragraph, and whether caption debris was removed right after it."""

    text: str
    caption_after: bool


def _sentence_starts(text: str) -> list[int]:
    """Offsets where a new sentence starts in `text` (abbreviations and initials are not sentence ends)."""
    starts = []
    for m in _SENTENCE_BREAK.finditer(text):
        if text[m.start()] == ".":
            words = text[: m.start()].split()
            word = words[-1].lstrip("(\"“‘'") if words else ""
            if word.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word):
                continue
        starts.append(m.end())
    return starts


def _caption_key(text: str) -> str:
    m = _CREDIT_AT_END.search(text)
    core = text[: m.start()] if m else text
    return " ".join(core.split()).casefold()


def _words(text: str) -> int:
    return len(text.split())


def _classify(text: str) -> str | None:
    """The debris reason of a whole line, if it is debris that needs no context."""
    words = _words(text)
    if words <= 15 and _CREDIT_LINE.match(text):
        return CREDIT
    if words <= _MAX_AGENCY_LINE_WORDS and not text.endswith(".") and _AGENCY_LINE.match(text):
        return CREDIT
    if words <= _MAX_SHORT_WORDS and _PROMO.match(text):
        return PROMO
    if words <= _MAX_CONTRIBUTOR_WORDS and _CONTRIBUTOR.match(text) and not _sentence_starts(text):
        return CONTRIBUTOR
    if words <= _MAX_SHORT_WORDS and _SHARE.match(text):
        return SHARE
    return None


def _caption_start(text: str) -> int | None:
    """Where a caption ending in a credit parenthetical starts in a line, or None."""
    m = _CREDIT_AT_END.search(text)
    if m is None:
        return None
    starts = _sentence_starts(text[: m.start()].rstrip())
    start = starts[-1] if starts else 0
    if _words(text[start : m.start()]) > _MAX_CAPTION_WORDS:
        return None
    return start


def _remove(line: _Line, start: int, reason: str) -> None:
    line.removed.append((start, Removal(text=line.text[start:].strip(), reason=reason)))
    line.text = line.text[:start].rstrip()
    line.gone = line.gone or not line.text


def _remove_line_debris(lines: list[_Line]) -> None:
    captions: list[tuple[int, str]] = []  # (line index, key) of recent captions
    for i, line in enumerate(lines):
        while line.text:  # what is left of a line after a caption went is checked again
            key = _caption_key(line.text)
            reason = _classify(line.text)
            if reason is None and key and any(k == key and i - j <= _CAPTION_WINDOW for j, k in captions):
                reason = DUPLICATE_CAPTION
                captions.append((i, key))
            if reason is not None:
                _remove(line, 0, reason)
                break
            start = _caption_start(line.text)
            if start is None:
                break
            key = _caption_key(line.text[start:])
            _remove(line, start, CAPTION)
            captions.append((i, key))
            for j in range(max(0, i - _CAPTION_WINDOW), i):  # a copy without its credit, printed first
                if lines[j].text and _caption_key(lines[j].text) == key:
                    _remove(lines[j], 0, DUPLICATE_CAPTION)


def _paragraphs(lines: list[_Line]) -> list[list[int]]:
    """Indices of the kept lines, grouped into paragraphs (a removed line separates paragraphs)."""
    paras: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if line.text and not line.gone:
            paras[-1].append(i)
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


def _remove_repeats_and_tail(lines: list[_Line]) -> None:
    """Drop paragraphs equal to the previous one, and contributor sentences ending the last paragraph."""
    changed = True
    while changed:
        changed = False
        paras = _paragraphs(lines)
        for prev, para in itertools.pairwise(paras):
            if [lines[i].text for i in prev] == [lines[i].text for i in para]:
                text = "\n".join(lines[i].text for i in para)
                lines[para[0]].removed.append((0, Removal(text=text, reason=DUPLICATE)))
                for i in para:
                    lines[i].text, lines[i].gone = "", True
                changed = True
                break
        if changed or not paras:
            continue
        last = lines[paras[-1][-1]]
        start = ([0, *_sentence_starts(last.text)])[-1]
        caption = _caption_start(last.text)
        # What is left of the last line once its tail went is checked again, as a second cleaning would.
        if (reason := _classify(last.text)) is not None:
            _remove(last, 0, reason)
        elif caption is not None:
            _remove(last, caption, CAPTION)
        elif _words(last.text[start:]) <= _MAX_CONTRIBUTOR_WORDS and _CONTRIBUTOR.match(last.text[start:]):
            _remove(last, start, CONTRIBUTOR)
        else:
            continue
        changed = True


def _split_debris(text: str) -> tuple[list[_Para], tuple[Removal, ...]]:
    lines = [_Line(text=t, removed=[]) for t in text.split("\n")]
    _remove_line_debris(lines)
    _remove_repeats_and_tail(lines)
    paras = []
    for group in _paragraphs(lines):
        after = lines[group[-1]]
        nxt = next((ln for ln in lines[group[-1] + 1 :] if ln.removed or ln.text), None)
        caption_after = any(r.reason in _CAPTION_REASONS for _, r in after.removed) or (
            nxt is not None and nxt.gone and any(r.reason in _CAPTION_REASONS for _, r in nxt.removed)
        )
        paras.append(_Para("\n".join(lines[i].text for i in group), caption_after))
    removed = tuple(r for line in lines for _, r in sorted(line.removed, key=lambda x: x[0]))
    return paras, removed


def remove_debris(text: str) -> tuple[str, tuple[Removal, ...]]:
    """Remove scraping debris from normalised text, keeping everything else byte for byte.

    Removed, each recorded with its reason: photo captions ending in a credit (from the start of the line, or
    from the end of the previous sentence on that line), repeated captions, credit lines, newsletter promos,
    contributor lines, share/read-more lines and paragraphs repeating the one before.

    Args:
        text: text already passed through `normalize_text`.

    Returns:
        The remaining text (paragraphs separated by one blank line) and the removals in order of appearance.

    Example:
        >>> remove_debris("Body text.\\n\\nShare this article\\n\\nMore body.")
        ('Body text.\\n\\nMore body.', (Removal(text='Share this article', reason='share/read-more'),))
    """
    paras, removed = _split_debris(text)
    return "\n\n".join(p.text for p in paras), removed


# ---------------------------------------------------------------------------------------- title, dates, ids

_QUOTE_MARKS = frozenset('"“”„«»')
_CLOSERS = "\"”’')]»"
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 25
_MAX_SUBTITLE_WORDS = 60


def _last_mark(text: str) -> str:
    return text.rstrip(_CLOSERS)[-1:]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _one_line(text: str) -> str:
    return " ".join(normalize_text(text).split())


def _is_title(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= _MAX_TITLE_CHARS
        and _words(text) <= _MAX_TITLE_WORDS
        and any(ch.isalpha() for ch in text)
        and _last_mark(text) not in (".", ";", ":", ",")
    )


def _is_subtitle(para: _Para) -> bool:
    text = para.text
    return (
        "\n" not in text
        and _words(text) <= _MAX_SUBTITLE_WORDS
        and any(ch.isalpha() for ch in text)
        and not _QUOTE_MARKS.intersection(text)
        and not _sentence_starts(text)
        and (para.caption_after or _last_mark(text) not in (".", "!", "?", ";", ":", ","))
    )


def _split_title(paras: list[_Para], title: str | None) -> tuple[list[_Para], str | None, str | None]:
    """Take the leading title (and subtitle) out of the paragraphs; see the rules in `clean_article`."""
    if len(paras) < 2 or not (_same(paras[0].text, title) if title is not None else _is_title(paras[0].text)):
        return paras, title, None
    title, paras = title or _one_line(paras[0].text), paras[1:]
    if len(paras) > 1 and _is_subtitle(paras[0]):
        return paras[1:], title, paras[0].text
    return paras, title, None


def _clean_text(
    text: str, title: str | None, source: str
) -> tuple[str, str | None, str | None, tuple[Removal, ...], dt.date | None]:
    """One cleaning pass over normalised text: header, debris, title and subtitle."""
    text, header_date = _strip_header(text, source)
    paras, removed = _split_debris(text)
    paras, title, subtitle = _split_title(paras, title)
    return "\n\n".join(p.text for p in paras), title, subtitle, removed, header_date


def _infer_date(text: str, removed: tuple[Removal, ...]) -> InferredDate | None:
    """The earliest possible publication date: the latest date of a removed caption, else of the text."""
    captions = [
        (date, matched, r.reason)
        for r in removed
        if r.reason in _CAPTION_REASONS
        for date, matched in find_dates(r.text)
    ]
    if captions:
        date, matched, reason = max(captions, key=lambda c: c[0])
        kind = CREDIT if reason == CREDIT else CAPTION
        return InferredDate(earliest=date, latest=None, reason=f"dated {kind}: {matched}")
    dates = find_dates(text)
    if dates:
        date, matched = max(dates, key=lambda d: d[0])
        return InferredDate(earliest=date, latest=None, reason=f"latest explicit date in text: {matched}")
    return None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_url(url: str) -> str:
    """Canonicalise a URL for ids: lowercase scheme and host, fragment dropped.

    Example:
        >>> canonical_url("HTTPS://Example.COM/News/A?x=1#top")
        'https://example.com/News/A?x=1'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket: still a usable, stable key
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def hash_content(text: str) -> str:
    """The content hash of a cleaned text: sha256 of it lowercased with whitespace collapsed.

    Example:
        >>> hash_content("A  b\\n") == hash_content("a b")
        True
    """
    return _sha256(" ".join(text.lower().split()))


def _article_id(source: str, url: str | None, external_id: str | None, content_hash: str) -> str:
    if url:
        key = canonical_url(url)
    elif external_id:
        key = "id:" + external_id
    elif source == STDIN_SOURCE or source.startswith(STDIN_SOURCE + ":"):
        key = "stdin:" + content_hash
    elif "://" in source:
        key = canonical_url(source)
    else:
        m = re.fullmatch(r"(.*):(\d+)", source, re.DOTALL)  # JSON Lines: path:lineno
        key = f"file:{os.path.abspath(m[1])}:{m[2]}" if m else "file:" + os.path.abspath(source)
    return _sha256(key)[:16]


# ---------------------------------------------------------------------------------------------- the stage


def clean_article(raw: RawArticle) -> Article | Rejected:
    """Clean one raw article into the `Article` every later stage reads.

    Steps: HTML is reduced to its article text (`extract_html`); the text is normalised (`normalize_text`);
    a leading ``date YYYY-MM-DD`` header becomes ``published`` (metadata dates win); debris is removed
    (`remove_debris`); a leading short paragraph without a final ``.;:,`` becomes the title (or, when the
    source gave a title, a first paragraph equal to it is dropped), and after a title, a following
    one-sentence paragraph without quotation marks becomes the subtitle when caption debris followed it or it
    lacks final punctuation. When ``published`` is unknown, ``published_inferred`` comes from the latest
    explicit date in removed captions, else in the text.

    Args:
        raw: the article as read.

    Returns:
        The `Article`, or a `Rejected` (stage ``"clean"``, reason ``EMPTY``) when no text is left.

    Example:
        >>> a = clean_article(RawArticle(source="a.txt", body=" date 2024-05-07 Hello  \\r\\nworld."))
        >>> a.published, a.text
        (datetime.date(2024, 5, 7), 'Hello\\nworld.')
    """
    body, title, date_text, url = raw.body, raw.title, raw.published, raw.url
    if raw.format == "html":
        body, page_title, page_date, page_url = extract_html(raw.body)
        title, date_text, url = title or page_title, date_text or page_date, url or page_url
        if not normalize_text(body):
            return Rejected(raw.source, STAGE, ReasonCode.EMPTY, "no text found in the HTML")
    title = _one_line(title) if title else None
    text, title, subtitle, removed, header_date = _clean_text(normalize_text(body), title, raw.source)
    while text:
        # Clean what is left until nothing changes (a header or debris may lead the text once the title went):
        # cleaning an article's own text must give it back unchanged.
        again, title, more_subtitle, more, more_date = _clean_text(text, title, raw.source)
        if again == text:
            break
        text, subtitle, removed, header_date = (
            again,
            subtitle or more_subtitle,
            removed + more,
            header_date or more_date,
        )
    published = _metadata_date(date_text, raw.source) or header_date
    content_hash = hash_content(text)
    article_id = _article_id(raw.source, url, raw.external_id, content_hash)
    if not text:
        return Rejected(raw.source, STAGE, ReasonCode.EMPTY, "no text left after cleaning", article_id)
    return Article(
        id=article_id,
        source=raw.source,
        text=text,
        title=title or None,
        subtitle=subtitle,
        url=url,
        published=published,
        published_inferred=None if published else _infer_date(text, removed),
        removed=removed,
        content_hash=content_hash,
    )
