"""CAMEO codes for export: names, GDELT quad classes and Goldstein-style scores.

The table is `data/cameo.tsv` (CAMEO 1.1b3 names; the CAMEO-to-Goldstein mapping GDELT 1.0 publishes). A code
not in the table takes the values of its nearest listed prefix ("0843" -> "084" -> "08").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsevents.extract.lexicon import read_tsv

__all__ = ["CameoCode", "cameo_info", "quad_class"]


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code with its name, GDELT quad class (1-4) and Goldstein score (-10..10)."""

    code: str
    name: str
    quad_class: int
    goldstein: float


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, float]]:
    return {row["code"]: (row["name"], float(row["goldstein"])) for row in read_tsv("cameo.tsv")}


def quad_class(code: str) -> int:
    """GDELT quad class from the CAMEO root: 1 verbal cooperation, 2 material cooperation, 3 verbal
    conflict, 4 material conflict.

    Raises:
        ValueError: `code` does not start with a root 01-20.

    Example:
        >>> [quad_class(c) for c in ("040", "0841", "112", "190")]
        [1, 2, 3, 4]
    """
    root = int(code[:2]) if code[:2].isdigit() else 0
    if not 1 <= root <= 20:
        raise ValueError(f"not a CAMEO code: {code!r}")
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def cameo_info(code: str) -> CameoCode:
    """Name, quad class and Goldstein score of a CAMEO code (a zero-padded string).

    Raises:
        ValueError: `code` is not a CAMEO code.

    Example:
        >>> cameo_info("042")
        CameoCode(code='042', name='Make a visit', quad_class=1, goldstein=1.9)
        >>> cameo_info("0849").name
        'Return, release'
    """
    table = _table()
    for n in range(len(code), 1, -1):
        hit = table.get(code[:n])
        if hit is not None:
            return CameoCode(code, hit[0], quad_class(code), hit[1])
    raise ValueError(f"not a CAMEO code: {code!r}")
