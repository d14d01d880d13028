"""Quotation-mark pairing shared by the actor and quote extractors (never raises)."""

from __future__ import annotations

__all__ = ["find_quote_segments", "para_end", "quoted_regions"]

_OPEN = {"“", '"', "«"}
_CLOSE = {"”", '"', "»"}


def para_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _next_para_start(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j] in "\n \t":
        j += 1
    return j


def find_quote_segments(text: str) -> list[tuple[int, int, bool]]:
    """Pair quotation marks: (content start, content end, continues into the next paragraph).

    Never raises. An opening mark with no closing mark before the paragraph ends is kept only when the next
    paragraph opens with a quotation mark (the multi-paragraph convention); otherwise it is skipped.

    Example:
        >>> t = '“One two,” he said, “three four.”'
        >>> [t[s:e] for s, e, _ in find_quote_segments(t)]
        ['One two,', 'three four.']
    """
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n" and open_at is not None:
            nxt = _next_para_start(text, i)
            if nxt < n and text[nxt] in _OPEN:
                out.append((open_at + 1, i, True))
                open_at = nxt
                i = nxt + 1
                continue
            open_at = None  # unbalanced: drop it
        elif c in _OPEN and (open_at is None or c != '"'):
            if c == '"' and i > 0 and text[i - 1].isalnum():
                i += 1
                continue  # inch marks and the like: 5'11"
            open_at = i
        elif c in _CLOSE and open_at is not None:
            out.append((open_at + 1, i, False))
            open_at = None
        i += 1
    return out


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges inside quotation marks.

    Example:
        >>> quoted_regions('He said “go now” twice.')
        [(9, 15)]
    """
    return [(s, e) for s, e, _ in find_quote_segments(text)]
