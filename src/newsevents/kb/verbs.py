"""Reading the CAMEO-format verb dictionaries users already have (PETRARCH's ``CAMEO.2.0.txt``, TABARI).

The format, as far as newsevents reads it:

- synonym sets: a line ``&NAME`` and then ``+WORD`` lines (``_`` joins words) up to a blank line;
- verb blocks: a header ``--- NAME [code] ---`` (``[---]``: the block has no default code), then verb lines
  ``WORD {IRREGULAR FORMS} [code]`` or ``+MULTI_WORD {forms} [code]``, then pattern lines
  ``- subject words * object words (PREP words) [code] # comment``; ``[src:tgt]`` codes take the first one.

Each verb becomes a `Trigger` with its own code (or the block's); each pattern becomes a more specific
`Trigger` of the same verb: the first word after ``*`` (a ``{multi word}`` phrase's last word, every member
of an ``&SET``) gives ``object=``, a ``(PREP words)`` group gives ``pp=prep:head`` (``(TO)`` alone:
``prep=to``). Words before ``*`` (conditions on the subject), the markers ``$ + ^ %`` and ``[---]`` patterns
(PETRARCH's "not an event") are not used. CAMEO codes become PLOVER types through
`newsevents.kb.patterns.cameo_to_plover`; codes PLOVER does not code (most of CAMEO 01) are left out.
A line that cannot be read is skipped and reported (``file:line: reason``), never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.errors import ConfigError
from newsevents.kb.patterns import Trigger, cameo_to_plover

__all__ = ["VerbDictionary", "read_verb_dictionary"]

_BLOCK = re.compile(r"---\s+(\S.*?)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([^\]]*)\]")
_PARTICLES = frozenset(
    ["off", "up", "down", "out", "over", "back", "away", "in", "on", "aside", "apart", "forward", "through"]
)
_PREPS = frozenset(
    [
        "for",
        "with",
        "to",
        "against",
        "from",
        "of",
        "at",
        "into",
        "about",
        "by",
        "upon",
        "onto",
        "toward",
        "towards",
        "under",
    ]
)


@dataclass(slots=True)
class VerbDictionary:
    """What a verb dictionary gave: patterns, the lines skipped with their reasons, and counts."""

    triggers: list[Trigger] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    verbs: int = 0
    patterns: int = 0
    unused: int = 0  # patterns and verbs with no PLOVER type, [---], or nothing newsevents can check


def _code(text: str) -> str | None:
    """``[042:043]`` -> ``042``; ``[:190]`` -> ``190``; ``[---]`` or no code -> None."""
    m = _CODE.search(text)
    if not m:
        return None
    parts = [p.strip() for p in m.group(1).split(":")]
    code = next((p for p in parts if p), "")
    if code.startswith("-"):
        return None
    if not code.isdigit() or not 2 <= len(code) <= 4:
        raise ValueError(f"code [{m.group(1)}] is not a CAMEO code")
    return code


def _word(token: str) -> str:
    return " ".join(token.replace("_", " ").lower().split())


def _forms(word: str) -> set[str]:
    """A dictionary noun and its singular, as spaCy lemmatises it: SANCTIONS -> {sanctions, sanction}."""
    w = _word(word).split(" ")[-1] if _word(word) else ""
    out = {w} if w else set()
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    elif w.endswith(("ses", "xes", "ches", "shes")):
        out.add(w[:-2])
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        out.add(w[:-1])
    return out


def _heads(tokens: list[str], sets: dict[str, list[str]]) -> set[str]:
    """The head lemmas a pattern slot accepts: a word, a ``{multi word}``'s last word, or an ``&SET``."""
    for tok in tokens:
        if tok.startswith("&"):
            members = sets.get(tok[1:].upper())
            if members is None:
                raise ValueError(f"unknown synonym set {tok}")
            return {f for m in members for f in _forms(m)}
        if tok.startswith("{"):
            words = [t for t in tok.strip("{}").split() if t]
            return _forms(words[-1]) if words else set()
        if re.fullmatch(r"[A-Za-z][A-Za-z_'-]*", tok):
            return _forms(tok)
    return set()


def _pattern_constraint(body: str, sets: dict[str, list[str]]) -> str | None:
    """The conditions of one pattern line's body (the part after ``*``), or None if none can be checked."""
    _, star, after = body.partition("*")
    if not star:
        return None
    parts: list[str] = []
    groups = re.findall(r"\(([^()]*)\)", after)
    outside = re.sub(r"\([^()]*\)", " ", after)
    outside = re.sub(r"\{[^{}]*\}", lambda m: " " + m.group(0).replace(" ", "_") + " ", outside)
    toks = [t.replace("_", " ") if t.startswith("{") else t for t in outside.split()]
    toks = [t for t in toks if t not in {"$", "+", "^", "%", "/"}]
    heads = _heads(toks, sets)
    if heads:
        parts.append("object=" + "|".join(sorted(heads)))
    for group in groups:
        words = [w for w in group.split() if w not in {"$", "+", "^", "%"}]
        if not words:
            continue
        prep = words[0].lower()
        inner = _heads(words[1:], sets)
        if inner:
            parts.append("pp=" + "|".join(f"{prep}:{h}" for h in sorted(inner)))
        elif re.fullmatch(r"[a-z]+", prep):
            parts.append(f"prep={prep}")
    return ";".join(parts) or None


def _verb_lemma(token: str) -> tuple[str, str] | None:
    """(lemma, extra condition) of a verb line's word: ``CALL_OFF`` -> ("call off", ""), ``ASK_FOR`` ->
    ("ask", "prep=for"), ``TAKE_LEAVE`` -> ("take", "object=leave"); longer phrases -> None."""
    words = _word(token.lstrip("+")).split()
    if len(words) == 1:
        return words[0], ""
    if len(words) == 2:
        verb, second = words
        if second in _PARTICLES:
            return f"{verb} {second}", ""
        if second in _PREPS:
            return verb, f"prep={second}"
        return verb, "object=" + "|".join(sorted(_forms(second)))
    return None


def _trigger(lemma: str, cons: str, code: str, where: str) -> Trigger | None:
    plover = cameo_to_plover(code)
    if plover is None:
        return None
    return Trigger(lemma, "VERB", plover[0], plover[1], code.zfill(3), cons, where)


def _synonym_sets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text.startswith("&") and " " not in text:
            current = sets.setdefault(text[1:].upper(), [])
        elif current is not None and text.startswith("+"):
            current.append(text[1:].split()[0])
        else:
            current = None
    return sets


def read_verb_dictionary(path: str | Path) -> VerbDictionary:
    """Read a CAMEO-format verb dictionary into `Trigger`s (most lines of real files; the rest reported).

    Raises:
        ConfigError: the file cannot be read or has no verb block at all.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read verb dictionary {path}: {exc.strerror or exc}") from exc
    sets = _synonym_sets(lines)
    out = VerbDictionary()
    block_code: str | None = None
    verbs: list[str] = []
    in_block = False
    for n, line in enumerate(lines, start=1):
        where = f"{path}:{n}"
        text = line.split("#", 1)[0].rstrip()
        stripped = text.strip()
        if not stripped:
            continue
        try:
            m = _BLOCK.fullmatch(stripped)
            if m:
                in_block, verbs = True, []
                block_code = _code(f"[{m.group(2)}]")
                continue
            if not in_block or stripped.startswith("&"):
                continue
            if stripped.startswith("-"):
                out.patterns += 1
                code = _code(stripped)
                cons = _pattern_constraint(_CODE.sub(" ", stripped[1:]), sets)
                trigs = (
                    [] if code is None or cons is None else [_trigger(v, cons, code, where) for v in verbs]
                )
                kept = [t for t in trigs if t is not None]
                out.triggers.extend(kept)
                out.unused += 0 if kept else 1
                continue
            word = re.sub(r"\{[^{}]*\}", " ", _CODE.sub(" ", stripped)).split()
            if not word:
                raise ValueError("a verb line without a verb")
            lemma = _verb_lemma(word[0])
            if lemma is None:
                out.unused += 1
                continue
            out.verbs += 1
            verb, extra = lemma
            verbs.append(verb)
            code = _code(stripped) or block_code
            trig = _trigger(verb, extra, code, where) if code else None
            if trig is None:
                out.unused += 1
            else:
                out.triggers.append(trig)
        except ValueError as exc:
            out.problems.append(f"{where}: {exc} in {stripped!r}; line skipped")
    if not out.verbs:
        raise ConfigError(f"{path}: no verb blocks ('--- NAME [code] ---'); is this a CAMEO verb dictionary?")
    return out
