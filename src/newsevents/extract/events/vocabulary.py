"""The event rules' word lists: `data/event_words.tsv` read, validated and returned as frozensets per list.

The code declares the list names (`LISTS`); the data file supplies their words. Every line is checked: an
unknown list name, an empty or non-lowercase word, a duplicate word in a list, a missing list or a
malformed line raises `ConfigError` naming the file and the line.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from newsevents.errors import ConfigError

__all__ = ["LISTS", "load_vocabulary"]

_BUNDLED = "event_words.tsv"
_HEADER = ["list", "word"]

# The lists the event rules read; what each holds is written next to its words in the data file.
LISTS = frozenset(
    {
        "agreements",
        "blocking",
        "campaign",
        "carriers",
        "casualties",
        "consequences",
        "content",
        "cooperation",
        "crowds",
        "cue",
        "declaring",
        "demands",
        "denouncing",
        "desire",
        "disparaging",
        "drill_military",
        "drills",
        "forces",
        "funds",
        "future_mods",
        "future_time",
        "hypothetical_mods",
        "infinitive_object",
        "intent",
        "labour",
        "light",
        "materiel",
        "missions",
        "negating",
        "of_referents",
        "people",
        "phases",
        "phone",
        "place_nouns",
        "policies",
        "promising",
        "prospects",
        "publications",
        "quantities",
        "releasing",
        "relief",
        "report_cue",
        "retaliation",
        "revenge",
        "riot",
        "signing",
        "sports",
        "strike_governors",
        "strike_military",
        "suspending",
        "targets",
        "transfer",
        "truces",
        "unrest",
        "verbal_attacks",
        "withdrawing",
        "years",
    }
)


@functools.cache
def load_vocabulary(path: Path | None = None) -> Mapping[str, frozenset[str]]:
    """The word lists of the event rules, keyed by list name.

    Bundled data is immutable, so each file is read once per process.

    Args:
        path: a TSV file with the columns ``list`` and ``word``; the bundled ``data/event_words.tsv`` by
            default (another path is for tests).

    Returns:
        A read-only mapping from every name in `LISTS` to its words.

    Raises:
        ConfigError: the file cannot be read, or a line is malformed (the message names file and line).

    Example:
        >>> "hold" in load_vocabulary()["light"]
        True
    """
    if path is None:
        where = f"bundled {_BUNDLED}"
        text = resources.files("newsevents.data").joinpath(_BUNDLED).read_text(encoding="utf-8")
    else:
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read event word list {where}: {exc}") from exc
    return MappingProxyType(_parse(text, where))


def _parse(text: str, where: str) -> dict[str, frozenset[str]]:
    """Validate every line of a word-list file and group its words by list."""
    words: dict[str, dict[str, int]] = {}  # list -> word -> the line it is on
    header = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        at = f"{where}:{lineno}"
        if not header:
            if cells != _HEADER:
                raise ConfigError(f"{at}: the first line must be the header 'list<TAB>word'")
            header = True
            continue
        if len(cells) != 2:
            raise ConfigError(f"{at}: {len(cells)} fields, expected 2 (list<TAB>word)")
        name, word = cells
        if name not in LISTS:
            raise ConfigError(f"{at}: unknown list {name!r}; the event rules read {', '.join(sorted(LISTS))}")
        if not word:
            raise ConfigError(f"{at}: empty word in list {name!r}")
        if word != word.lower():
            raise ConfigError(
                f"{at}: {word!r} in list {name!r} must be lowercase (words are matched lowercased)"
            )
        seen = words.setdefault(name, {})
        if word in seen:
            raise ConfigError(f"{at}: duplicate word {word!r} in list {name!r} (first on line {seen[word]})")
        seen[word] = lineno
    if not header:
        raise ConfigError(f"{where}: no header line 'list<TAB>word'")
    missing = sorted(LISTS - words.keys())
    if missing:
        raise ConfigError(f"{where}: no words for the lists {', '.join(missing)}")
    return {name: frozenset(ws) for name, ws in words.items()}
