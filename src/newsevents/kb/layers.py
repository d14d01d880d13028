"""PETRARCH/Phoenix dictionaries layered over the lexicon tables: actors become people, organisations or
country aliases; agents become role words. Read by `newsevents.kb.petrarch`; applied by `load_lexicons`."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from newsevents.kb.lexicon import Country, Organization, Person, _Tables, fold
from newsevents.kb.petrarch import (
    DatedCode,
    PetrarchActor,
    PetrarchAgent,
    read_actor_dictionary,
    read_agent_dictionary,
)

__all__ = ["apply_actors", "apply_agents"]

log = logging.getLogger(__name__)

_INTERNATIONAL = frozenset({"IGO", "NGO", "IMG"})
_KINDS = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "SPY": "intelligence",
    "JUD": "judiciary",
    "LEG": "legislature",
    "MED": "media",
    "BUS": "business",
    "PTY": "party",
    "REB": "armed_group",
    "INS": "armed_group",
    "IGO": "igo",
    "NGO": "ngo",
    "IMG": "armed_group",
}
# Words that make a PETRARCH headword an organisation rather than a person's name.
_ORG_WORDS = frozenset(
    " ".join(
        (
            "MINISTRY PARTY ARMY FORCES FORCE COUNCIL UNION ORGANIZATION ORGANISATION GROUP FRONT COMMITTEE",
            "AGENCY BANK COURT ASSEMBLY DEPARTMENT GOVERNMENT PARLIAMENT SENATE CONGRESS CABINET COMMISSION",
            "AUTHORITY OFFICE SERVICE SERVICES POLICE NAVY GUARD GUARDS CORPS BRIGADE BRIGADES BATTALION",
            "MILITIA MOVEMENT ALLIANCE COALITION LEAGUE FEDERATION ASSOCIATION INSTITUTE FOUNDATION FUND",
            "NATIONS INTERNATIONAL WATCH CROSS CRESCENT UNIVERSITY CHURCH COMPANY CORPORATION NEWS TIMES",
            "PRESS RADIO TELEVISION NETWORK OF AND FOR THE",
        )
    ).split()
)
_DEMONYM = re.compile(r"[a-z'-]*(?:an|ans|ese|ish|ians|i|is|ic|ch)")
_NOT_DEMONYM = re.compile(r".*(?:stan|land|jan)")


def _is_personal(actor: PetrarchActor, codes: list[DatedCode]) -> bool:
    """A person, not an organisation: no organisation word or digit, and dated codes or a 2+ word name."""
    words = actor.name.upper().split()
    if any(w in _ORG_WORDS or any(c.isdigit() for c in w) for w in words):
        return False
    return len(words) >= 2 or any(c.start or c.end for c in codes)


def _country_aliases(
    t: _Tables, actor: PetrarchActor, country: Country
) -> tuple[dict[str, Country], dict[str, Country]] | None:
    """New (names, adjectives) of `country` from a country-only entry: ``AFGHANISTAN_ [AFG]``, ``+AFGHAN_``.

    None unless one of the entry's names already names that country: Phoenix country files also code
    cities and regions (``HELMAND_ [AFG]``), which are places, not the country.
    """
    keys = [fold(n) for n in (actor.name, *actor.synonyms)]
    known = {k for k in keys if country in (t.countries.get(k), t.adjectives.get(k))}
    if not known:
        return None
    names: dict[str, Country] = {}
    adjectives: dict[str, Country] = {}
    for k in keys:
        if k in known or t.capitals.get(k) is country:
            continue
        is_adjective = _DEMONYM.fullmatch(k) and not _NOT_DEMONYM.fullmatch(k)
        (adjectives if is_adjective else names).setdefault(k, country)
    return names, adjectives


def _organization(t: _Tables, actor: PetrarchActor, codes: list[DatedCode], key: str) -> Organization:
    chosen = next((c for c in codes if c.start is None and c.end is None), codes[-1]).code
    prefix = chosen[:3]
    kind = _KINDS.get(prefix) if prefix in _INTERNATIONAL else _KINDS.get(chosen[3:6])
    existing = t.organizations.get(key)
    return Organization(
        name=existing.name if existing else actor.display_name,
        code=chosen,
        country=prefix if prefix in t.by_iso3 else None,
        kind=kind or "other",
    )


def _persons(t: _Tables, actor: PetrarchActor, codes: list[DatedCode], key: str) -> list[Person]:
    """One `Person` per code. Dated codes come first, so an undated one (often the headword's inline code)
    is the fallback: `holds_on` accepts it on any day, and actor lookup takes the first role held.

    A headword that already names a known person keeps that person's canonical name (the same actor id).
    """
    known = t.people.get(key)
    name = known[0].name if known else actor.display_name
    ordered = sorted(codes, key=lambda c: c.start is None and c.end is None)
    return [
        Person(name=name, country=c.code[:3], sector=c.code[3:] or None, role=None, start=c.start, end=c.end)
        for c in ordered
    ]


def apply_actors(t: _Tables, path: Path) -> None:
    people: dict[str, list[Person]] = {}
    orgs: dict[str, Organization] = {}
    for actor in read_actor_dictionary(path, t.problems):
        codes = [c for c in actor.codes if c.code[:3] in t.by_iso3 or c.code[:3] in _INTERNATIONAL]
        if len(codes) < len(actor.codes):
            log.debug("%s:%d: skipping codes without a known country/IGO/NGO/IMG block", path, actor.line)
        if not codes:
            continue
        keys = list(dict.fromkeys(fold(n) for n in (actor.name, *actor.synonyms)))
        country_only = all(c.code in t.by_iso3 for c in codes)
        aliases = _country_aliases(t, actor, t.by_iso3[codes[0].code]) if country_only else None
        if aliases is not None:
            t.countries.update(aliases[0])
            t.adjectives.update(aliases[1])
        elif _is_personal(actor, codes):
            persons = _persons(t, actor, codes, keys[0])
            for k in keys:
                people.setdefault(k, []).extend(persons)
        elif not country_only:
            org = _organization(t, actor, codes, keys[0])
            for k in keys:
                orgs.setdefault(k, org)
        else:
            log.debug("%s:%d: %s has only a country code: a place, skipped", path, actor.line, actor.name)
    t.people.update({k: tuple(v) for k, v in people.items()})
    t.organizations.update(orgs)
    log.info("lexicon %s: %d people and organisation names", path, len(people) + len(orgs))


def apply_agents(t: _Tables, path: Path) -> None:
    roles: dict[str, tuple[str, str]] = {}
    agents: list[PetrarchAgent] = read_agent_dictionary(path, t.problems)
    for agent in agents:
        if agent.prefix:
            log.debug("%s:%d: %s~ precedes the country code; used as a sector", path, agent.line, agent.code)
        for phrase in (agent.phrase, *agent.variants):
            roles.setdefault(fold(phrase), (agent.code, agent.display_role))
    t.roles.update(roles)
    log.info("lexicon %s: %d role words", path, len(roles))
