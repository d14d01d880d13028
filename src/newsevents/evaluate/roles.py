"""Checks of the dated role table (``people.tsv``, ``people/*.tsv``): overlapping terms, and agreement with a
PETRARCH/Phoenix actor dictionary on the people both cover.

The Phoenix dictionary is a check, not a source: nothing is copied from it. `compare_with_phoenix` looks at
each person both tables know (by folded name or alias) on 1 July of each year in a span, where both give a
dated code for that day, and counts agreement of the country block and of the sector block.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.kb import Lexicons, Person, fold
from newsevents.kb.petrarch import read_actor_dictionary

__all__ = ["RoleAgreement", "compare_with_phoenix", "overlapping_terms", "people_rows"]

#: Offices one person holds at a time in a country: two holders' terms must not overlap.
SINGLE_HOLDER = frozenset(
    {
        "president",
        "prime minister",
        "chancellor",
        "foreign minister",
        "defence minister",
        "defense minister",
        "interior minister",
        "secretary of state",
        "secretary of defense",
        "secretary of homeland security",
        "foreign secretary",
        "taoiseach",
        "supreme leader",
        "army chief",
        "chief of defence staff",
    }
)


#: Spellings of one office.
_SAME_OFFICE = {
    "defense minister": "defence minister",
    "home minister": "interior minister",
    "defense secretary": "secretary of defense",
    "homeland security secretary": "secretary of homeland security",
}


def people_rows(lex: Lexicons) -> list[Person]:
    """Every distinct person-role-term row of the lexicons."""
    return sorted({p for ps in lex.people.values() for p in ps}, key=lambda p: (p.country or "", p.name))


def overlapping_terms(rows: Iterable[Person], *, grace_days: int = 7) -> list[str]:
    """Pairs of different people holding one single-holder office in one country at once (beyond a
    handover of `grace_days`), as readable lines."""
    by_office: dict[tuple[str, str], list[Person]] = {}
    for p in rows:
        role = _SAME_OFFICE.get(fold(p.role or ""), fold(p.role or ""))
        if role in SINGLE_HOLDER and p.country and p.start:
            by_office.setdefault((p.country, role), []).append(p)
    out = []
    for (country, role), holders in sorted(by_office.items()):
        holders.sort(key=lambda p: p.start or dt.date.min)
        for a, b in itertools.pairwise(holders):
            end = a.end or dt.date.max
            if a.name != b.name and b.start and (end - b.start).days > grace_days:
                out.append(
                    f"{country} {role}: {a.name} ({a.start}..{a.end or ''}) and {b.name} from {b.start}"
                )
    return out


@dataclass(slots=True)
class RoleAgreement:
    """Person-days compared, agreements on country and on country + sector, and the disagreements."""

    compared: int = 0
    country: int = 0
    both: int = 0
    people: int = 0
    disagreements: list[str] = field(default_factory=list)

    @property
    def country_rate(self) -> float:
        return self.country / self.compared if self.compared else 0.0

    @property
    def both_rate(self) -> float:
        return self.both / self.compared if self.compared else 0.0


def compare_with_phoenix(
    lex: Lexicons, phoenix: str | Path, *, years: range = range(2000, 2014)
) -> RoleAgreement:
    """Agreement of our dated roles with a Phoenix actor dictionary on the people both cover."""
    ours: dict[str, list[Person]] = {}
    for p in people_rows(lex):
        if p.start is not None:
            ours.setdefault(fold(p.name), []).append(p)
    out = RoleAgreement()
    for actor in read_actor_dictionary(phoenix, problems=[]):
        names = {fold(actor.display_name), *(fold(s) for s in actor.synonyms)}
        mine = next((ours[n] for n in names if n in ours), None)
        dated = [c for c in actor.codes if c.start is not None and c.end is not None]
        if not mine or not dated:
            continue
        out.people += 1
        for year in years:
            day = dt.date(year, 7, 1)
            theirs = [
                c.code for c in dated if c.start is not None and c.end is not None and c.start <= day <= c.end
            ]
            held = [p for p in mine if p.holds_on(day)]
            if not theirs or not held:
                continue
            out.compared += 1
            codes = [p.code or "" for p in held]
            c_ok = any(t[:3] == c[:3] for t in theirs for c in codes)
            b_ok = any(t[:6] == c[:6] for t in theirs for c in codes)
            out.country += c_ok
            out.both += b_ok
            if not b_ok:
                out.disagreements.append(
                    f"{held[0].name} {day}: ours {'/'.join(codes)}, Phoenix {'/'.join(theirs)}"
                )
    return out
