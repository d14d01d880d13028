"""Scraping debris: photo captions and credits, promos, share and contributor lines, repeated paragraphs."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from newsevents.model import Removal

__all__ = [
    "CAPTION",
    "CAPTION_REASONS",
    "CONTRIBUTOR",
    "CREDIT",
    "DUPLICATE",
    "DUPLICATE_CAPTION",
    "PROMO",
    "SHARE",
    "Para",
    "count_words",
    "remove_debris",
    "sentence_starts",
    "split_debris",
]

CAPTION = "photo caption"
DUPLICATE_CAPTION = "duplicate caption"
CREDIT = "photo credit"
PROMO = "newsletter promo"
CONTRIBUTOR = "contributor line"
SHARE = "share/read-more"
DUPLICATE = "duplicate paragraph"
CAPTION_REASONS = frozenset({CAPTION, DUPLICATE_CAPTION, CREDIT})
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
class Para:
    """A kept paragraph, and whether caption debris was removed right after it."""

    text: str
    caption_after: bool


def _word_before(text: str, end: int) -> str:
    """The last whitespace-separated word of ``text[:end]`` (``text[:end].split()[-1]``), found by walking
    back from `end`, so that finding every sentence start stays linear in the length of the text."""
    k = end
    while k > 0 and text[k - 1].isspace():
        k -= 1
    j = k
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return text[j:k]


def sentence_starts(text: str) -> list[int]:
    """Offsets where a new sentence starts in `text` (abbreviations and initials are not sentence ends)."""
    starts = []
    for m in _SENTENCE_BREAK.finditer(text):
        if text[m.start()] == ".":
            word = _word_before(text, m.start()).lstrip("(\"“‘'")
            if word.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word):
                continue
        starts.append(m.end())
    return starts


def _caption_key(text: str) -> str:
    m = _CREDIT_AT_END.search(text)
    core = text[: m.start()] if m else text
    return " ".join(core.split()).casefold()


def count_words(text: str) -> int:
    return len(text.split())


def _classify(text: str) -> str | None:
    """The debris reason of a whole line, if it is debris that needs no context."""
    words = count_words(text)
    if words <= 15 and _CREDIT_LINE.match(text):
        return CREDIT
    if words <= _MAX_AGENCY_LINE_WORDS and not text.endswith(".") and _AGENCY_LINE.match(text):
        return CREDIT
    if words <= _MAX_SHORT_WORDS and _PROMO.match(text):
        return PROMO
    if words <= _MAX_CONTRIBUTOR_WORDS and _CONTRIBUTOR.match(text) and not sentence_starts(text):
        return CONTRIBUTOR
    if words <= _MAX_SHORT_WORDS and _SHARE.match(text):
        return SHARE
    return None


def _caption_start(text: str) -> int | None:
    """Where a caption ending in a credit parenthetical starts in a line, or None."""
    m = _CREDIT_AT_END.search(text)
    if m is None:
        return None
    starts = sentence_starts(text[: m.start()].rstrip())
    start = starts[-1] if starts else 0
    if count_words(text[start : m.start()]) > _MAX_CAPTION_WORDS:
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
        start = ([0, *sentence_starts(last.text)])[-1]
        caption = _caption_start(last.text)
        # What is left of the last line once its tail went is checked again, as a second cleaning would.
        if (reason := _classify(last.text)) is not None:
            _remove(last, 0, reason)
        elif caption is not None:
            _remove(last, caption, CAPTION)
        elif count_words(tail := last.text[start:]) <= _MAX_CONTRIBUTOR_WORDS and _CONTRIBUTOR.match(tail):
            _remove(last, start, CONTRIBUTOR)
        else:
            continue
        changed = True


def split_debris(text: str) -> tuple[list[Para], tuple[Removal, ...]]:
    lines = [_Line(text=t, removed=[]) for t in text.split("\n")]
    _remove_line_debris(lines)
    _remove_repeats_and_tail(lines)
    paras = []
    for group in _paragraphs(lines):
        after = lines[group[-1]]
        nxt = next((ln for ln in lines[group[-1] + 1 :] if ln.removed or ln.text), None)
        caption_after = any(r.reason in CAPTION_REASONS for _, r in after.removed) or (
            nxt is not None and nxt.gone and any(r.reason in CAPTION_REASONS for _, r in nxt.removed)
        )
        paras.append(Para("\n".join(lines[i].text for i in group), caption_after))
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
    paras, removed = split_debris(text)
    return "\n\n".join(p.text for p in paras), removed
