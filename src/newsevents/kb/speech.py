"""Knowledge for attributions: the cue lexicon (what introduces said, thought or wanted content) and the
gender of given names and honorifics (to agree "he" and "she" with named speakers). Both are bundled TSV files
written by the team (``data/quotes/cues.tsv``, ``data/names/given_names.tsv``), checked row by row when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsevents.errors import ConfigError
from newsevents.kb.lexicon import fold

__all__ = [
    "CONTENT_KINDS",
    "CUE_TYPES",
    "Cue",
    "cue_lexicon",
    "gender_of_name",
    "given_name_genders",
    "pronoun_gender",
]

CUE_TYPES = frozenset({"speech", "thought", "intention", "evidence", "perception"})
CONTENT_KINDS = frozenset(
    {"clause", "to", "object", "object_pred", "of", "for", "about", "on", "against", "whether", "quote"}
)
# Honorifics and titles that give a person's gender ("Mrs. Clinton", "Sen." gives none).
_HONORIFIC_GENDER = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m",
    "father": "m",
    "brother": "m", "uncle": "m", "monsieur": "m", "herr": "m", "senor": "m", "señor": "m", "signor": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "mme": "f", "dame": "f", "lady": "f",
    "queen": "f", "princess": "f", "sister": "f", "mother": "f", "aunt": "f", "frau": "f", "senora": "f",
    "señora": "f", "congresswoman": "f", "chairwoman": "f", "spokeswoman": "f", "businesswoman": "f",
    "congressman": "m", "chairman": "m", "spokesman": "m", "businessman": "m", "councilman": "m",
    "councilwoman": "f", "assemblyman": "m", "assemblywoman": "f", "first lady": "f", "duchess": "f",
    "duke": "m", "empress": "f", "emperor": "m", "wife": "f", "husband": "m", "widow": "f", "daughter": "f",
    "son": "m", "grandmother": "f", "grandfather": "m", "mom": "f", "dad": "m", "woman": "f", "man": "m",
}  # fmt: skip
# Titles written before names that the given-name table may also hold as names ("Sen", "Rep", "General").
_TITLES = frozenset(
    {
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "gen",
        "general",
        "president",
        "prime",
        "minister",
        "secretary",
        "dr",
        "doctor",
        "prof",
        "professor",
        "judge",
        "justice",
        "mayor",
        "chairman",
        "chairwoman",
        "chair",
        "speaker",
        "ambassador",
        "rev",
        "reverend",
        "col",
        "colonel",
        "capt",
        "captain",
        "lt",
        "sgt",
        "maj",
        "major",
        "adm",
        "admiral",
        "cmdr",
        "commander",
    }
)
_PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "they": "p", "them": "p", "their": "p", "theirs": "p", "themselves": "p",
    "it": "n", "its": "n", "itself": "n",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cue:
    """One attribution cue: a verb or noun, what it attributes, and which dependents carry the content."""

    lemma: str
    pos: str  # VERB | NOUN
    type: str  # speech | thought | intention | evidence | perception
    content: frozenset[str]  # clause | to | object | object_pred | of | for | ... | quote


def _rows(name: str, columns: list[str]) -> list[tuple[int, list[str]]]:
    path = f"data/{name}"
    raw = resources.files("newsevents").joinpath(path).read_text(encoding="utf-8")
    out: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if header[: len(columns)] != columns:
                raise ConfigError(f"{path}:{n}: the header must start with {', '.join(columns)}")
            continue
        if len(cells) < len(columns):
            raise ConfigError(f"{path}:{n}: {len(cells)} cells, the header has {len(columns)}")
        out.append((n, cells))
    return out


@lru_cache(maxsize=1)
def cue_lexicon() -> Mapping[tuple[str, str], Cue]:
    """The bundled cue lexicon keyed by (lemma, pos); a bad row raises `ConfigError` naming file and line.

    Example:
        >>> cue_lexicon()[("say", "VERB")].type
        'speech'
    """
    out: dict[tuple[str, str], Cue] = {}
    for n, (lemma, pos, typ, content, *_) in _rows("quotes/cues.tsv", ["lemma", "pos", "type", "content"]):
        where = f"data/quotes/cues.tsv:{n}"
        kinds = frozenset(k.strip() for k in content.split(",") if k.strip())
        if pos not in {"VERB", "NOUN"}:
            raise ConfigError(f"{where}: pos {pos!r} is not VERB or NOUN")
        if typ not in CUE_TYPES:
            raise ConfigError(f"{where}: type {typ!r} is not one of {', '.join(sorted(CUE_TYPES))}")
        if not kinds or not kinds <= CONTENT_KINDS:
            raise ConfigError(f"{where}: content {content!r}: use {', '.join(sorted(CONTENT_KINDS))}")
        if (lemma, pos) in out:
            raise ConfigError(f"{where}: {lemma} {pos} is listed twice")
        out[(lemma.strip().lower(), pos)] = Cue(lemma.strip().lower(), pos, typ, kinds)
    return out


@lru_cache(maxsize=1)
def given_name_genders() -> Mapping[str, str]:
    """Folded given name -> ``m``, ``f`` or ``u`` (used for both).

    Example:
        >>> given_name_genders()["hillary"]
        'f'
    """
    out: dict[str, str] = {}
    for n, (name, gender, *_) in _rows("names/given_names.tsv", ["name", "gender"]):
        if gender not in {"m", "f", "u"}:
            raise ConfigError(f"data/names/given_names.tsv:{n}: gender {gender!r} is not m, f or u")
        out[fold(name)] = gender
    return out


def gender_of_name(words: list[str]) -> str | None:
    """``m`` or ``f`` from the words of a name with its title ("Mrs. Clinton", "Hillary Clinton", "Sen.
    Elizabeth Warren"): an honorific first, else the first given name; None when they do not tell.

    Example:
        >>> gender_of_name(["Sen.", "Elizabeth", "Warren"]), gender_of_name(["Mr.", "Kim"])
        ('f', 'm')
    """
    names = given_name_genders()
    folded = [fold(w).rstrip(".") for w in words]
    for w, nxt in zip(folded, [*folded[1:], ""], strict=True):
        g = _HONORIFIC_GENDER.get(f"{w} {nxt}") or _HONORIFIC_GENDER.get(w)
        if g:
            return g
    given = [f for w, f in zip(words, folded, strict=True) if not w.endswith(".") and f not in _TITLES]
    for w in given[:-1] if len(given) > 1 else []:  # "Sen." and "President" are no given names
        g = names.get(w)
        if g in {"m", "f"}:
            return g
        if g == "u":
            return None
    return None


def pronoun_gender(word: str) -> str | None:
    """``m``, ``f``, ``p`` (plural: they) or ``n`` (it) for a third-person pronoun, else None."""
    return _PRONOUN_GENDER.get(word.lower())
