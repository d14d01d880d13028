"""The event pattern lexicon: trigger lemmas and their patterns, each giving a PLOVER type, mode, CAMEO code.

Bundled files: ``data/event_triggers.tsv`` (the core table) and every ``data/patterns/*.tsv`` (the broad
lexicon, one file per group of CAMEO roots), all in one format::

    lemma  pos  type  mode  cameo  constraint  [example]

Several rows may share a lemma: they are its *patterns*. For one token the most specific row whose
conditions hold wins (`specificity`: the number of lexical conditions), so ``release`` codes RETREAT 084,
``release object=prisoner`` RETREAT release 0841. Conditions, ``;``-separated (see `CONDITIONS`):

- lexical: ``object=a|b`` (direct object or passive subject head, or a compound in it), ``prep=with|on``,
  ``pp=on:travel|trade`` (preposition and the head of its object), ``xcomp=attack`` (governed infinitive or
  gerund), ``governor=hold|lodge`` (nouns: the verb they hang from), ``mod=air`` (nouns: an adjective or
  compound modifier), ``passive``, ``active``;
- filters: ``light``, ``needs_recipient``, ``needs_object``, ``armed``, ``civilian``, ``destination``,
  ``no_ccomp``.

Every row is validated when the table is loaded: a bad type, mode, CAMEO code or condition raises
`ConfigError` naming the file and line (never a silent skip per article). Modes per type are
``data/plover_modes.tsv``; CAMEO codes must be in ``data/cameo.tsv`` (the exact code, or its parent code for a
four-digit code the table does not list).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from newsevents.errors import ConfigError
from newsevents.model import PLOVER_TYPES

__all__ = [
    "CONDITIONS",
    "Trigger",
    "bundled_patterns",
    "cameo_to_plover",
    "conditions",
    "index_patterns",
    "plover_modes",
    "read_pattern_file",
    "specificity",
]

_DATA = "newsevents.data"
COLUMNS = ("lemma", "pos", "type", "mode", "cameo", "constraint")
LEXICAL = frozenset({"object", "prep", "pp", "xcomp", "governor", "mod", "passive", "active"})
_VALUED = frozenset({"object", "prep", "pp", "xcomp", "governor", "mod"})
_FLAGS = frozenset(
    {
        "light",
        "needs_recipient",
        "needs_object",
        "armed",
        "civilian",
        "destination",
        "no_ccomp",
        "passive",
        "active",
    }
)
CONDITIONS = _VALUED | _FLAGS


@dataclass(frozen=True, slots=True)
class Trigger:
    """One pattern: a lemma (``call off`` for a phrasal verb), its part of speech and conditions, and the
    PLOVER type, mode and CAMEO code it gives. `source` is ``file:line``."""

    lemma: str
    pos: str
    type: str
    mode: str | None
    cameo: str
    constraint: str
    source: str = ""


def conditions(constraint: str) -> dict[str, frozenset[str]]:
    """A constraint string as a dict: ``armed;object=missile|rocket`` -> {"armed": {}, "object": {...}}.

    ``pp`` values keep their preposition: ``pp=on:travel|trade`` -> {"pp": {"on:travel", "on:trade"}}.

    Example:
        >>> sorted(conditions("pp=on:travel|trade;passive")["pp"])
        ['on:trade', 'on:travel']
    """
    out: dict[str, frozenset[str]] = {}
    for part in constraint.split(";"):
        name, _, values = part.strip().partition("=")
        if not name:
            continue
        vals = [v.strip() for v in values.split("|") if v.strip()]
        if name == "pp" and vals:
            prep = vals[0].split(":", 1)[0] if ":" in vals[0] else ""
            vals = [v if ":" in v else f"{prep}:{v}" for v in vals]
        out[name] = out.get(name, frozenset()) | frozenset(vals)
    return out


def specificity(trig: Trigger) -> int:
    """How many lexical conditions a pattern has (its rank among the patterns of one lemma).

    Example:
        >>> specificity(Trigger("impose", "VERB", "SANCTION", None, "163", "object=sanction;active"))
        2
    """
    return sum(1 for k in conditions(trig.constraint) if k in LEXICAL)


@cache
def plover_modes() -> Mapping[str, frozenset[str]]:
    """PLOVER type -> the modes allowed for it (``data/plover_modes.tsv``)."""
    out: dict[str, frozenset[str]] = {}
    for _, row in _rows(_bundled_text("plover_modes.tsv"), "plover_modes.tsv", ("type", "modes")):
        out[row["type"]] = frozenset(m for m in row["modes"].split("|") if m)
    missing = set(PLOVER_TYPES) - set(out)
    if missing:
        raise ConfigError(f"bundled plover_modes.tsv: no row for {', '.join(sorted(missing))}")
    return MappingProxyType(out)


@cache
def _cameo_plover() -> tuple[tuple[str, str, str | None], ...]:
    rows = []
    for n, row in _rows(_bundled_text("cameo_plover.tsv"), "cameo_plover.tsv", ("cameo", "type", "mode")):
        if row["type"] not in PLOVER_TYPES or not row["cameo"].isdigit():
            raise ConfigError(f"bundled cameo_plover.tsv:{n}: needs a CAMEO prefix and a PLOVER type")
        if row.get("mode") and row["mode"] not in plover_modes()[row["type"]]:
            raise ConfigError(f"bundled cameo_plover.tsv:{n}: {row['mode']!r} is not a mode of {row['type']}")
        rows.append((row["cameo"], row["type"], row.get("mode") or None))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def cameo_to_plover(code: str) -> tuple[str, str | None] | None:
    """The PLOVER type and mode of a CAMEO code (longest listed prefix, ``data/cameo_plover.tsv``); None for
    codes PLOVER does not code (most public statements, 01x).

    Example:
        >>> cameo_to_plover("0841")
        ('RETREAT', 'release')
        >>> cameo_to_plover("010") is None
        True
    """
    for prefix, type_, mode in _cameo_plover():
        if code.startswith(prefix):
            return type_, mode
    return None


def _bundled_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _rows(text: str, where: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data line of a TSV text whose first non-comment line is the header."""
    header: list[str] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.rstrip("\r").split("\t")]
        if header is None:
            header = fields
            missing = [c for c in required if c not in header]
            if missing:
                raise ConfigError(f"{where}:{n}: the header lacks {', '.join(missing)}")
            continue
        if len(fields) > len(header):
            raise ConfigError(f"{where}:{n}: {len(fields)} fields, the header has {len(header)}")
        yield n, dict(zip(header, fields + [""] * (len(header) - len(fields)), strict=True))


def _check(row: dict[str, str], where: str, known_code: Mapping[str, object] | None) -> Trigger:
    lemma, pos, type_ = row["lemma"].lower(), row["pos"].upper(), row["type"]
    mode, cameo, constraint = row.get("mode") or None, row.get("cameo", ""), row.get("constraint", "")
    if not lemma or lemma != lemma.strip() or "  " in lemma:
        raise ConfigError(f"{where}: empty or badly spaced lemma {row['lemma']!r}")
    if pos not in {"VERB", "NOUN"}:
        raise ConfigError(f"{where}: pos {row['pos']!r} is not VERB or NOUN")
    if type_ not in PLOVER_TYPES:
        raise ConfigError(f"{where}: {type_!r} is not a PLOVER type")
    if mode is not None and mode not in plover_modes()[type_]:
        raise ConfigError(f"{where}: mode {mode!r} is not a mode of {type_} (data/plover_modes.tsv)")
    if not (cameo.isdigit() and 2 <= len(cameo) <= 4):
        raise ConfigError(f"{where}: CAMEO code {cameo!r} is not 2-4 digits")
    if known_code is not None and cameo not in known_code and cameo[:3] not in known_code:
        raise ConfigError(f"{where}: {cameo!r} is not a CAMEO code (data/cameo.tsv)")
    for name, values in conditions(constraint).items():
        if name not in CONDITIONS:
            raise ConfigError(f"{where}: unknown condition {name!r}")
        if (name in _VALUED) != bool(values):
            need = "needs values (name=a|b)" if name in _VALUED else "takes no values"
            raise ConfigError(f"{where}: condition {name!r} {need}")
        if name == "pp" and any(not part for v in values for part in v.split(":", 1)):
            raise ConfigError(f"{where}: pp needs preposition:object (pp=on:travel)")
    return Trigger(lemma, pos, type_, mode, cameo.zfill(3) if len(cameo) == 2 else cameo, constraint, where)


def _identity(trig: Trigger) -> tuple[str, str, str]:
    """What makes two rows the same pattern: lemma, part of speech and conditions in any order."""
    return trig.lemma, trig.pos, ";".join(sorted(trig.constraint.split(";")))


def read_pattern_file(
    text: str, where: str, *, known_codes: Mapping[str, object] | None = None
) -> list[Trigger]:
    """Validate and read one pattern file's text; `where` names it in errors (``file:line: reason``).

    Raises:
        ConfigError: a malformed row, or a (lemma, pos, constraint) given twice.
    """
    out: list[Trigger] = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in _rows(text, where, COLUMNS[:5]):
        trig = _check(row, f"{where}:{n}", known_codes)
        key = _identity(trig)
        if key in seen:
            raise ConfigError(
                f"{where}:{n}: {trig.lemma} {trig.pos} {trig.constraint!r} repeats line {seen[key]}"
            )
        seen[key] = n
        out.append(trig)
    return out


@cache
def bundled_patterns() -> tuple[Trigger, ...]:
    """Every bundled pattern: ``event_triggers.tsv`` first, then ``patterns/*.tsv`` in name order."""
    from newsevents.kb.cameo import load_cameo

    codes = load_cameo().codes()
    out = read_pattern_file(_bundled_text("event_triggers.tsv"), "event_triggers.tsv", known_codes=codes)
    folder = resources.files(_DATA).joinpath("patterns")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".tsv"):
                text = entry.read_text(encoding="utf-8")
                out.extend(read_pattern_file(text, f"patterns/{entry.name}", known_codes=codes))
    seen: dict[tuple[str, str, str], str] = {}
    for trig in out:  # a pattern given in two bundled files would leave one of them dead
        key = _identity(trig)
        if key in seen:
            where = f"{trig.source}: {trig.lemma} {trig.pos} {trig.constraint!r}"
            raise ConfigError(f"{where} repeats {seen[key]}")
        seen[key] = trig.source
    return tuple(out)


def read_user_patterns(path: Path) -> list[Trigger]:
    """A user's pattern file in the bundled format."""
    from newsevents.kb.cameo import load_cameo

    return read_pattern_file(path.read_text(encoding="utf-8"), str(path), known_codes=load_cameo().codes())


def index_patterns(
    triggers: Iterable[Trigger],
) -> tuple[dict[str, tuple[Trigger, ...]], dict[str, tuple[Trigger, ...]]]:
    """(verb patterns, noun patterns) by lemma, most specific first; for equal (lemma, pos, conditions) the
    first given wins (the core table before the broad lexicon, bundled before user rows... as ordered)."""
    verbs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    seen: set[tuple[str, str, str]] = set()
    for trig in triggers:
        key = _identity(trig)
        if key in seen:
            continue
        seen.add(key)
        (verbs if trig.pos == "VERB" else nouns).setdefault(trig.lemma, []).append(trig)

    def ranked(table: dict[str, list[Trigger]]) -> dict[str, tuple[Trigger, ...]]:
        return {k: tuple(sorted(v, key=lambda t: -specificity(t))) for k, v in table.items()}

    return ranked(verbs), ranked(nouns)
