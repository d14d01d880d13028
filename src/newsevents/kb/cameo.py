"""CAMEO codes for export: names, GDELT quad classes and Goldstein-style scores.

The table is `data/cameo.tsv` (CAMEO 1.1b3 names; the CAMEO-to-Goldstein mapping GDELT 1.0 publishes). A code
not in the table takes the values of its nearest listed prefix ("0843" -> "084" -> "08").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from newsevents.errors import ConfigError
from newsevents.kb.lexicon import read_tsv

__all__ = ["CameoCode", "CameoTable", "load_cameo", "quad_class"]


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code with its name, GDELT quad class (1-4) and Goldstein score (-10..10)."""

    code: str
    name: str
    quad_class: int
    goldstein: float


class CameoTable:
    """The CAMEO code table (names and Goldstein scores), read once from ``data/cameo.tsv``; read-only."""

    __slots__ = ("_rows",)

    def __init__(self, rows: Mapping[str, tuple[str, float]]) -> None:
        self._rows: Mapping[str, tuple[str, float]] = MappingProxyType(dict(rows))

    def __len__(self) -> int:
        return len(self._rows)

    def codes(self) -> Mapping[str, tuple[str, float]]:
        """Every listed code -> (name, Goldstein score); read-only."""
        return self._rows

    def info(self, code: str) -> CameoCode:
        """Name, quad class and Goldstein score of a CAMEO code (a zero-padded string).

        Raises:
            ValueError: `code` is not a CAMEO code.

        Example:
            >>> load_cameo().info("042")
            CameoCode(code='042', name='Make a visit', quad_class=1, goldstein=1.9)
            >>> load_cameo().info("0849").name
            'Return, release'
        """
        for n in range(len(code), 1, -1):
            hit = self._rows.get(code[:n])
            if hit is not None:
                return CameoCode(code, hit[0], quad_class(code), hit[1])
        raise ValueError(f"not a CAMEO code: {code!r}")


def load_cameo() -> CameoTable:
    """Read the bundled CAMEO table (every row checked: a bad score names the line).

    Raises:
        ConfigError: a row of ``data/cameo.tsv`` is malformed.

    Example:
        >>> len(load_cameo()) > 150
        True
    """
    rows: dict[str, tuple[str, float]] = {}
    for n, row in enumerate(read_tsv("cameo.tsv"), start=2):
        code, name = row.get("code", ""), row.get("name", "")
        try:
            score = float(row.get("goldstein", ""))
        except ValueError:
            raise ConfigError(
                f"bundled cameo.tsv:{n}: goldstein {row.get('goldstein')!r} is not a number"
            ) from None
        if not code.isdigit() or not name:
            raise ConfigError(f"bundled cameo.tsv:{n}: needs a numeric code and a name")
        rows[code] = (name, score)
    return CameoTable(rows)


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
