"""Readers for PETRARCH/PETRARCH2 and Phoenix (openeventdata) actor and agent dictionaries.

Only the file formats live here; `newsevents.kb.lexicon` maps the records into its lookup tables.

Actor dictionaries (``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``, ...)::

    # comment to the end of the line
    BARACK_OBAMA_  [USAELI 080101-090120]   # headword with an inline code
    +OBAMA_                                 # synonym
    [USAGOV 090120-170120]                  # code from..to (YYMMDD; end exclusive)
    [USAELI >170120]                        # from that day on; [X <090120] = before that day

Agent dictionaries (``Phoenix.agents.txt``)::

    !PERSON! = MAN, MEN, WOMAN, WOMEN       # substitution set, used as CONGRESS!PERSON!
    POLICE_OFFICER_ [~COP]                  # ~COP: append COP to the country code
    SOLDIER_ {SOLDIERS} [~MIL]              # explicit plurals; {} = none; else regular plurals
    RIGHTS_GROUP_ [NGO~]                    # NGO~: the code goes before the country code

Date restrictions follow PETRARCH2's ``check_date``: a range includes its first day and excludes its last,
``>D`` includes D, ``<D`` excludes it. Six-digit years pivot at 50 (00-49 -> 20xx, 50-99 -> 19xx); eight-digit
YYYYMMDD dates are accepted too. ``{...}``/``<...>`` annotations and ``; comments`` are skipped in actor
files, and a ``~~FINISH`` line ends either file. A line that cannot be parsed raises `ConfigError` with
the file and line number: dictionaries are configuration.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.errors import ConfigError

__all__ = [
    "DatedCode",
    "PetrarchActor",
    "PetrarchAgent",
    "display_name",
    "read_actor_dictionary",
    "read_agent_dictionary",
]

log = logging.getLogger(__name__)

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_ANNOTATION = re.compile(r"\{[^{}]*\}|<[^<>]*>")
_ACTOR_CODE = re.compile(r"[A-Za-z0-9-]{3,}")
_AGENT_CODE = re.compile(r"(~?)([A-Za-z0-9]{2,})(~?)")
_DATE = re.compile(r"[0-9]{6}|[0-9]{8}")
_PIVOT = 30
_MARKER = re.compile(r"!([^!\s]*)!")
_SUBSTITUTION = re.compile(r"!([^!\s]+)!\s*=(.*)")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_SMALL_WORDS = frozenset(
    {"of", "the", "and", "for", "de", "da", "do", "dos", "del", "di", "van", "von", "bin"}
)  # lower case inside a name: "Minister of Defence", "Lula da Silva"
_ROMAN = re.compile(r"[IVX]+")  # "John Paul II"; not as a first word, which is a name ("XI JINPING")


@dataclass(frozen=True, slots=True)
class DatedCode:
    """An actor code, valid from `start` (inclusive) to `end` (exclusive); None = open-ended."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PetrarchActor:
    """One actor entry: the headword, its synonyms (words joined by spaces, as written) and its codes."""

    name: str
    synonyms: tuple[str, ...]
    codes: tuple[DatedCode, ...]
    line: int

    @property
    def display_name(self) -> str:
        """The headword for display: ``"BARACK OBAMA"`` -> ``"Barack Obama"``."""
        return display_name(self.name)


@dataclass(frozen=True, slots=True)
class PetrarchAgent:
    """One agent entry: a role phrase, its plural/substituted variants and its sector code."""

    phrase: str
    variants: tuple[str, ...]
    code: str
    prefix: bool  # "NGO~": the code goes before the country code, not after it
    line: int

    @property
    def display_role(self) -> str:
        """The phrase in title case: ``"POLICE OFFICER"`` or ``"police officer"`` -> ``"Police Officer"``."""
        return display_name(self.phrase.upper())


def display_name(words: str) -> str:
    """Title-case an upper-case dictionary phrase; a phrase already in mixed case is kept.

    Dotted initials and roman numerals stay upper case, particles (of, da, bin, ...) lower case;
    ``O'NEILL`` -> ``O'Neill``, ``MCCAIN`` -> ``McCain``.

    Example:
        >>> display_name("JOHN_MCCAIN_")
        'John McCain'
        >>> display_name("U.S. SECRETARY OF STATE O'NEILL-SMITH II")
        "U.S. Secretary of State O'Neill-Smith II"
    """
    text = _words(words)
    if any(c.islower() for c in text):
        return text
    out = []
    for i, word in enumerate(text.split(" ")):
        if i and _ROMAN.fullmatch(word):
            out.append(word)
        elif i and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(_title_part(p) for p in word.split("-")))
    return " ".join(out)


def _title_part(part: str) -> str:
    if _INITIALS.fullmatch(part):
        return part
    out = part[:1].upper() + part[1:].lower()
    if re.match(r"^\w'\w\w", out):  # O'Neill, D'Alema, but not a possessive 'S
        out = out[:2] + out[2].upper() + out[3:]
    if re.match(r"^Mc\w", out):
        out = out[:2] + out[2].upper() + out[3:]
    return out


def _words(text: str) -> str:
    """Underscores to spaces, whitespace collapsed, trailing ``_`` gone: ``"AL_QAEDA_"`` -> ``"AL QAEDA"``."""
    return " ".join(text.replace("_", " ").split())


def _fail(path: Path, lineno: int, reason: str, line: str) -> ConfigError:
    return ConfigError(f"{path}:{lineno}: {reason} in {line.strip()!r}; fix or remove the line")


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read dictionary {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older TABARI/PETRARCH dictionaries are Latin-1; every byte string decodes as Latin-1.
        log.debug("%s is not UTF-8; reading it as Latin-1", path)
        text = raw.decode("latin-1")
    return text.splitlines()


def _parse_date(text: str, path: Path, lineno: int, line: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise _fail(path, lineno, f"date {text!r} is not YYMMDD", line)
    if len(text) == 6:  # YYMMDD: up to 30 is this century ("070723"), later years the last ("331108")
        yy = int(text[:2])
        year = (2000 if yy <= _PIVOT else 1900) + yy
    else:
        year = int(text[:4])
    try:
        return dt.date(year, int(text[-4:-2]), int(text[-2:]))
    except ValueError as exc:
        raise _fail(path, lineno, f"date {text!r}: {exc}", line) from exc


def _parse_code(body: str, path: Path, lineno: int, line: str) -> DatedCode:
    """One bracket body: ``USAGOV``, ``USAGOV 090120-170120``, ``USAGOV >170120`` or ``USAGOV <090120``."""
    parts = body.split()
    if len(parts) == 3 and parts[1] in {">", "<"}:  # "[EGYGOV > 140608]": a stray space
        parts = [parts[0], parts[1] + parts[2]]
    if not parts or len(parts) > 2 or not _ACTOR_CODE.fullmatch(parts[0]):
        raise _fail(path, lineno, f"[{body}] is not [CODE] or [CODE DATES]", line)
    code = parts[0].upper()
    if len(parts) == 1:
        return DatedCode(code)
    dates = parts[1]
    if dates[0] == ">":
        return DatedCode(code, start=_parse_date(dates[1:], path, lineno, line))
    if dates[0] == "<":
        return DatedCode(code, end=_parse_date(dates[1:], path, lineno, line))
    first, sep, last = dates.partition("-")
    if not sep:
        raise _fail(path, lineno, f"dates {dates!r} are not FROM-TO, >FROM or <TO", line)
    start = _parse_date(first, path, lineno, line)
    end = _parse_date(last, path, lineno, line)
    if end < start:
        raise _fail(path, lineno, f"date range {dates!r} ends before it starts", line)
    return DatedCode(code, start, end)


def _split_codes(text: str, path: Path, lineno: int, line: str) -> tuple[str, list[DatedCode]]:
    """Split ``NAME_ [A] [B 090120-170120]`` into the name part and its codes."""
    head, sep, tail = text.partition("[")
    tail = sep + tail
    codes = [_parse_code(m, path, lineno, line) for m in _BRACKETS.findall(tail)]
    rest = _BRACKETS.sub(" ", tail)
    if "[" in rest or "]" in rest or "]" in head:
        raise _fail(path, lineno, "unbalanced [ ]", line)
    if rest.strip():
        log.debug("%s:%d: ignoring %r after the codes", path, lineno, rest.strip())
    return head, codes


def _actor_text(line: str) -> str:
    """The meaningful part of an actor-file line: no comments, annotations or indentation."""
    text = line.split("#", 1)[0].split(";", 1)[0]
    return _ANNOTATION.sub(" ", text).strip()


@dataclass(slots=True)
class _Draft:
    name: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[DatedCode] = field(default_factory=list)

    def done(self) -> PetrarchActor:
        return PetrarchActor(self.name, tuple(self.synonyms), tuple(self.codes), self.line)


def read_actor_dictionary(path: str | Path, problems: list[str] | None = None) -> list[PetrarchActor]:
    """Read a PETRARCH/Phoenix actor dictionary.

    Args:
        path: the ``*.actors.txt`` file (UTF-8, or Latin-1 as older files are).
        problems: when given, a line that cannot be parsed is skipped and its ``file:line: reason`` appended
            here (real dictionaries have dirty lines); when None, it raises.

    Returns:
        The entries in file order; an entry without any code is returned with ``codes=()``.

    Raises:
        ConfigError: the file cannot be read, or (without `problems`) a line cannot be parsed (the message
            names file and line).

    Example:
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "usa.actors.txt")
        ...     _ = path.write_text("BARACK_OBAMA_ [USAELI]\\n+OBAMA_\\n  [USAGOV 090120-170120]\\n")
        ...     actor = read_actor_dictionary(path)[0]
        >>> actor.display_name, actor.synonyms, actor.codes[1].start
        ('Barack Obama', ('OBAMA',), datetime.date(2009, 1, 20))
    """
    path = Path(path)
    out: list[PetrarchActor] = []
    draft: _Draft | None = None
    for lineno, line in enumerate(_read_lines(path), start=1):
        text = _actor_text(line)
        if not text:
            continue
        if text.startswith("~~"):  # ~~FINISH ends a PETRARCH dictionary
            break
        try:
            draft = _actor_line(text, line, draft, out, path, lineno)
        except ConfigError as exc:
            _skip(exc, problems)
    if draft is not None:
        out.append(draft.done())
    return out


def _skip(exc: ConfigError, problems: list[str] | None) -> None:
    """A dirty dictionary line: raise it (strict) or record it and go on."""
    if problems is None:
        raise exc
    log.debug("%s (line skipped)", exc)
    problems.append(str(exc))


def _actor_line(
    text: str, line: str, draft: _Draft | None, out: list[PetrarchActor], path: Path, lineno: int
) -> _Draft | None:
    """Apply one actor-file line: a synonym or code line extends the current entry, a headword starts one."""
    kind = text[0]
    head, codes = _split_codes(text[1:] if kind == "+" else text, path, lineno, line)
    name = _words(head)
    if kind in "+[":
        if draft is None:
            raise _fail(path, lineno, "synonym or code before any headword", line)
        if kind == "+" and not name:
            raise _fail(path, lineno, "empty synonym", line)
        draft.synonyms.extend([name] if name else [])
        draft.codes.extend(codes)
        return draft
    if not name:
        raise _fail(path, lineno, "empty headword", line)
    if draft is not None:
        out.append(draft.done())
    return _Draft(name, lineno, codes=codes)


def _agent_text(line: str) -> str:
    text = line.split("#", 1)[0]
    return "" if text.lstrip().startswith("<") else text.strip()


def _substitutions(lines: list[str], path: Path, problems: list[str] | None) -> dict[str, list[str]]:
    """The ``!NAME! = A, B, C`` substitution sets, wherever they appear in the file."""
    sets: dict[str, list[str]] = {}
    for lineno, line in enumerate(lines, start=1):
        m = _SUBSTITUTION.fullmatch(_agent_text(line))
        if m:
            values = [_words(v) for v in m.group(2).split(",") if _words(v)]
            if not values:
                _skip(_fail(path, lineno, f"empty substitution set !{m.group(1)}!", line), problems)
                continue
            sets[m.group(1).upper()] = values
    return sets


def _plural(phrase: str) -> str:
    """Regular plural of the last word, as PETRARCH adds it: S, ES after sibilants, IES after consonant+Y."""
    upper = phrase.isupper()
    low = phrase.lower()
    if re.search(r"(s|x|z|ch|sh)$", low):
        suffix, cut = "es", 0
    elif re.search(r"[^aeiou]y$", low):
        suffix, cut = "ies", 1
    else:
        suffix, cut = "s", 0
    return phrase[: len(phrase) - cut] + (suffix.upper() if upper else suffix)


def _expand(phrase: str, sets: dict[str, list[str]]) -> tuple[list[str], bool]:
    """All spellings of a phrase with ``!MARKER!`` substituted, and whether a defined set was used."""
    pieces = _MARKER.split(phrase)  # literal, marker, literal, marker, ...
    options: list[list[str]] = []
    used = False
    for i, piece in enumerate(pieces):
        if i % 2 and piece.upper() in sets:
            options.append(sets[piece.upper()])
            used = True
        else:  # a literal, or an undefined marker: !minister! stands for the word itself
            options.append([piece])
    phrases = [_words("".join(combo)) for combo in itertools.product(*options)]
    return [p for p in dict.fromkeys(phrases) if p], used


def _agent_code(body: str, path: Path, lineno: int, line: str) -> tuple[str, bool]:
    m = _AGENT_CODE.fullmatch(body.strip())
    if not m or (m.group(1) and m.group(3)):
        raise _fail(path, lineno, f"[{body}] is not an agent code like [~GOV] or [NGO~]", line)
    if not (m.group(1) or m.group(3)):
        log.debug("%s:%d: agent code [%s] has no '~'; appending it to the country code", path, lineno, body)
    return m.group(2).upper(), bool(m.group(3))


def read_agent_dictionary(path: str | Path, problems: list[str] | None = None) -> list[PetrarchAgent]:
    """Read a PETRARCH/Phoenix agent dictionary.

    Args:
        path: the ``*.agents.txt`` file.
        problems: as for `read_actor_dictionary`: collect and skip dirty lines instead of raising.

    Returns:
        One entry per line, in file order, with plural and ``!SET!`` variants expanded.

    Raises:
        ConfigError: the file cannot be read, or a line cannot be parsed (the message names file and line).

    Example:
        >>> import tempfile
        >>> with tempfile.NamedTemporaryFile("w", suffix=".agents.txt", delete=False) as f:
        ...     _ = f.write("POLICE_OFFICER_ [~COP]\\n")
        >>> agent = read_agent_dictionary(f.name)[0]
        >>> agent.display_role, agent.variants, agent.code
        ('Police Officer', ('POLICE OFFICERS',), 'COP')
    """
    path = Path(path)
    lines = _read_lines(path)
    sets = _substitutions(lines, path, problems)
    out: list[PetrarchAgent] = []
    for lineno, line in enumerate(lines, start=1):
        text = _agent_text(line)
        if not text or _SUBSTITUTION.fullmatch(text):
            continue
        if text.startswith("~~"):
            break
        try:
            out.append(_agent_line(text, line, sets, path, lineno))
        except ConfigError as exc:
            _skip(exc, problems)
    return out


def _agent_line(text: str, line: str, sets: dict[str, list[str]], path: Path, lineno: int) -> PetrarchAgent:
    head, _, tail = text.partition("[")
    body, closed, _rest = tail.partition("]")
    if not closed or "[" in body or "]" in head:
        raise _fail(path, lineno, "no [code] (or unbalanced [ ])", line)
    code, prefix = _agent_code(body, path, lineno, line)
    plurals = re.findall(r"\{([^{}]*)\}", head)
    phrase_text = re.sub(r"\{[^{}]*\}|<[^<>]*>", " ", head)
    if "{" in phrase_text or "}" in phrase_text:
        raise _fail(path, lineno, "unbalanced { }", line)
    phrases, substituted = _expand(phrase_text, sets)
    if not phrases:
        raise _fail(path, lineno, "empty agent phrase", line)
    variants = phrases[1:]
    if plurals:
        variants += [_words(w) for p in plurals for w in re.split(r"[\s,]+", p) if _words(w)]
    elif not substituted:
        variants += [_plural(p) for p in phrases]
    variants = [v for v in dict.fromkeys(variants) if v != phrases[0]]
    return PetrarchAgent(phrases[0], tuple(variants), code, prefix, lineno)
