"""Boilerplate removal: turn an HTML page into article text plus its title, date and URL metadata.

trafilatura does the work. It is a third-party extractor that may fail on odd markup (or not import at all),
so every call is wrapped and falls back to a crude tag stripper: `extract_html` never raises.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from typing import Any

__all__ = ["extract_html", "strip_tags"]

logger = logging.getLogger(__name__)

# Elements whose content is never article text; an unclosed one (truncated page) runs to the end.
_DROP = re.compile(
    r"<(script|style|noscript|template|head|nav|header|footer|aside|form|select|svg|iframe)\b.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![^>]*>|<\?[^>]*>", re.DOTALL)
_BLOCK = re.compile(
    r"</?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|article|section|main|blockquote|pre|figure|figcaption)\b"
    r"[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[A-Za-z][^>]*(?:>|\Z)|<\Z")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n\s*")
_BREAK = "\x00"  # marks a <lb/> while whitespace is collapsed (NUL never survives decoding)


def extract_html(markup: str) -> tuple[str, str | None, str | None, str | None]:
    """Extract the article text and metadata of an HTML page.

    trafilatura removes navigation, comments and other boilerplate; each block it keeps (paragraph, heading,
    quote, list, table) becomes a paragraph, and paragraphs are separated by one blank line. When trafilatura
    fails or finds nothing, a crude tag stripper takes over. Broken or truncated markup never raises.

    Args:
        markup: the HTML source.

    Returns:
        ``(text, title, date, url)``: the text (``""`` when the page has none), and the page's title,
        publication date (as the page states it, usually ISO) and canonical URL, each ``None`` when unknown.

    Example:
        >>> page = "<p>Talks resumed in <b>Cairo</b> on Monday after a pause of two weeks.</p>"
        >>> extract_html(page)[0]
        'Talks resumed in Cairo on Monday after a pause of two weeks.'
    """
    result = _trafilatura(markup) if "<" in markup else None
    if result is not None and result[0]:
        return result
    text = strip_tags(markup)
    title = result[1] if result is not None else None
    if title is None:
        match = _TITLE.search(markup) or _H1.search(markup)
        title = _one_line(strip_tags(match.group(1))) if match else None
    date, url = (result[2], result[3]) if result is not None else (None, None)
    return text, title or None, date, url


def strip_tags(markup: str) -> str:
    """Crudely turn markup into text: drop scripts, styles, navigation and tags, unescape entities.

    Args:
        markup: HTML, possibly broken or truncated.

    Returns:
        The text, with block elements as paragraphs separated by one blank line.

    Example:
        >>> strip_tags("<p>One &amp; two</p><p>Three")
        'One & two\\n\\nThree'
    """
    text = _COMMENT.sub(" ", markup)
    text = _DROP.sub(" ", text)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def _trafilatura(markup: str) -> tuple[str, str | None, str | None, str | None] | None:
    extract = _load_trafilatura()
    if extract is None:
        return None
    try:
        doc = extract(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # No guessing from dates that merely appear in the text: those feed `published_inferred` instead.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a third-party extractor on untrusted markup: any failure means "use the fallback"
        logger.warning("trafilatura failed on this page; falling back to a crude tag stripper", exc_info=True)
        return None
    if doc is None:
        return None
    body = doc.get("body") if isinstance(doc, dict) else getattr(doc, "body", None)
    if body is not None:
        paragraphs = [p for p in (_block_text(el) for el in body if isinstance(el.tag, str)) if p]
    else:  # older trafilatura: only the flat text, one block per line
        paragraphs = [line.strip() for line in (_attr(doc, "text") or "").split("\n") if line.strip()]
    return "\n\n".join(paragraphs), _attr(doc, "title"), _attr(doc, "date"), _attr(doc, "url")


def _block_text(element: Any) -> str:
    """The text of one block of trafilatura's output tree: a paragraph, heading, quote, list or table."""
    if element.tag == "list":
        items = (_inline_text(item) for item in element if item.tag == "item")
        return "\n".join(f"- {item}" for item in items if item)
    if element.tag == "table":
        rows = (" | ".join(_inline_text(cell) for cell in row) for row in element.iter("row"))
        return "\n".join(row for row in rows if row.strip(" |"))
    return _inline_text(element)


def _inline_text(element: Any) -> str:
    """An element's text with whitespace collapsed as a browser would, keeping explicit line breaks."""
    parts: list[str] = []
    _flatten(element, parts)
    lines = " ".join("".join(parts).split()).split(_BREAK)
    return "\n".join(line.strip() for line in lines if line.strip())


def _flatten(element: Any, parts: list[str]) -> None:
    if element.tag == "lb":
        parts.append(_BREAK)
    elif isinstance(element.text, str):
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _flatten(child, parts)
        if isinstance(child.tail, str):
            parts.append(child.tail)


@functools.cache
def _load_trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError:
        # e.g. lxml >= 5.2 without lxml_html_clean: trafilatura's import of justext fails.
        logger.warning("trafilatura cannot be imported; using a crude tag stripper for HTML", exc_info=True)
        return None
    return trafilatura.bare_extraction


def _attr(doc: Any, name: str) -> str | None:
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
