"""Idempotent ``str -> str`` normalisers, composed with `make_pipeline` (as textacy's preprocessing does)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "Cleaner",
    "collapse_blank_lines",
    "make_pipeline",
    "normalize_newlines",
    "normalize_spaces",
    "normalize_unicode",
    "remove_control_chars",
    "strip_line_spaces",
    "strip_text",
]

Cleaner = Callable[[str], str]


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
