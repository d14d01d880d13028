"""The cleaning stage: `clean_article` turns a `RawArticle` into the `Article` every offset points into.

The text is normalised (`clean.normalize`), a leading date header is read (`clean.dates`), debris is cut out
and recorded in ``removed`` (`clean.debris`), and a leading title and subtitle move into their own fields.
Everything else is kept byte for byte (curly quotes included: quote extraction needs them). Content hashes are
made here; the article id follows `newsevents.ids.article_id` (URL, else external id, else content).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable

from newsevents.clean.dates import find_dates, metadata_date, parse_date, strip_header
from newsevents.clean.debris import (
    CAPTION,
    CAPTION_REASONS,
    CREDIT,
    Para,
    count_words,
    remove_debris,
    sentence_starts,
    split_debris,
)
from newsevents.clean.html import extract_html
from newsevents.clean.normalize import (
    collapse_blank_lines,
    make_pipeline,
    normalize_newlines,
    normalize_spaces,
    normalize_text,
    normalize_unicode,
    remove_control_chars,
    strip_line_spaces,
    strip_text,
)
from newsevents.ids import article_id as make_article_id
from newsevents.ids import canonical_url  # re-exported: the policy moved to newsevents.ids
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
        and count_words(text) <= _MAX_TITLE_WORDS
        and any(ch.isalpha() for ch in text)
        and _last_mark(text) not in (".", ";", ":", ",")
    )


def _is_subtitle(para: Para) -> bool:
    text = para.text
    return (
        "\n" not in text
        and count_words(text) <= _MAX_SUBTITLE_WORDS
        and any(ch.isalpha() for ch in text)
        and not _QUOTE_MARKS.intersection(text)
        and not sentence_starts(text)
        and (para.caption_after or _last_mark(text) not in (".", "!", "?", ";", ":", ","))
    )


def _split_title(paras: list[Para], title: str | None) -> tuple[list[Para], str | None, str | None]:
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
    text, header_date = strip_header(text, source)
    paras, removed = split_debris(text)
    paras, title, subtitle = _split_title(paras, title)
    return "\n\n".join(p.text for p in paras), title, subtitle, removed, header_date


def _infer_date(text: str, removed: tuple[Removal, ...]) -> InferredDate | None:
    """The earliest possible publication date: the latest date of a removed caption, else of the text."""
    captions = [
        (date, matched, r.reason)
        for r in removed
        if r.reason in CAPTION_REASONS
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


def hash_content(text: str) -> str:
    """The content hash of a cleaned text: sha256 of it lowercased with whitespace collapsed.

    Example:
        >>> hash_content("A  b\\n") == hash_content("a b")
        True
    """
    return _sha256(" ".join(text.lower().split()))


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
    published = metadata_date(date_text, raw.source) or header_date
    content_hash = hash_content(text)
    # The path stays in `source` only: an article's id never depends on where the file was read from.
    article_id = make_article_id(url=url, external_id=raw.external_id, content_hash=content_hash)
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
