"""Actor identities: the best name and code per key, ids by `newsevents.ids.actor_id`, one Actor per id.

The id policy (the table in `newsevents.ids`): an actor the knowledge base knows (a dictionary person or
organisation, a country, a capital standing for its government) gets a global id from its canonical name or
code; any other actor (an unknown person, an organisation NER found, a description) is scoped to the article.
Two mention keys can denote one identity ("Xi Jinping" is keyed by its last word, "Xi" by itself, and both
resolve to the dictionary's Xi Jinping): they get one id, and then one `Actor` with the mentions of both,
never two records with the same id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from newsevents.extract.actors.index import Mention
from newsevents.ids import actor_id
from newsevents.kb import Lexicons, fold
from newsevents.model import Actor

__all__ = ["identify", "mention_id"]


def _score(m: Mention) -> tuple[bool, int, int]:
    """How informative a mention is as the head of its identity: a code, a longer code, a longer name."""
    return (m.code is not None, len(m.code or ""), len(m.name or ""))


def _merge(mentions: list[Mention]) -> tuple[list[Mention], dict[str, Mention]]:
    """Give every mention of one key the best name, code and role found for that key; the best per key."""
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.kind == "pronoun":
            continue
        cur = best.get(m.key)
        if cur is None or _score(m) > _score(cur):
            best[m.key] = m
    out = []
    for m in mentions:
        b = best.get(m.key)
        if b is not None and m.kind != "unnamed":
            m = replace(
                m, name=b.name, code=b.code or m.code, role=b.role or m.role, country=b.country or m.country
            )
        elif b is not None:
            m = replace(m, code=m.code or b.code)
        out.append(m)
    return out, best


def mention_id(head: Mention, article_id: str, lex: Lexicons) -> str:
    """The id of the identity a key's best mention names (`newsevents.ids.actor_id`).

    Args:
        head: the best mention of one key (`_merge`).
        article_id: the article's id (scopes what the knowledge base does not know).
        lex: the lexicons (is this person or organisation in the dictionary?).

    Returns:
        16 hex digits.

    Example:
        >>> from newsevents.kb import default_resources
        >>> lex = default_resources().lexicons
        >>> m = Mention(0, 9, "Joe Biden", 0, 2, "person", "person:biden", name="Joe Biden")
        >>> mention_id(m, "a1", lex) == mention_id(m, "a2", lex)
        True
        >>> unknown = replace(m, text="Mohammed Ali", name="Mohammed Ali", key="person:ali")
        >>> mention_id(unknown, "a1", lex) == mention_id(unknown, "a2", lex)
        False
    """
    name = fold(head.name or head.text)
    prefix, _, rest = head.key.partition(":")
    if head.kind == "person":
        # Known when the dictionary resolved the name to one of its people (a bare surname with no role that
        # day keeps its own spelling, so it stays unknown).
        known = any(fold(p.name) == name for p in lex.people.get(name, ()))
        return actor_id(kind="person", name=name, article=article_id, known=known)
    if prefix == "country":
        return actor_id(kind="country", name=rest, article=article_id, known=True)
    if prefix == "gov":  # a capital standing for its country's government ("Washington said")
        return actor_id(kind="government", name=rest, article=article_id, known=True)
    if head.kind == "organization":
        org = lex.organizations.get(name)
        known = org is not None and fold(org.name) == name
        return actor_id(kind="organization", name=name, article=article_id, known=known)
    # Descriptions ("an Israeli official"): the key is the country and the role noun.
    return actor_id(kind=head.kind, name=head.key, article=article_id, known=False)


def identify(
    mentions: Iterable[Mention], article_id: str, lex: Lexicons
) -> tuple[list[Mention], list[Actor], dict[str, str]]:
    """Group mentions into identities with unique ids.

    Args:
        mentions: every actor mention of one article.
        article_id: the article's id.
        lex: the lexicons.

    Returns:
        The mentions in text order, each carrying the name and code of its identity and the key shared by
        every mention of it; one `Actor` per id, in order of first mention; and the id of every key.

    Example:
        >>> from newsevents.kb import default_resources
        >>> xi = Mention(0, 11, "Xi Jinping", 0, 2, "person", "person:jinping", name="Xi Jinping")
        >>> again = Mention(20, 22, "Xi", 5, 6, "person", "person:xi", name="Xi Jinping")
        >>> ms, actors, ids = identify([xi, again], "a1", default_resources().lexicons)
        >>> [(a.name, a.mentions) for a in actors], {m.key for m in ms}
        ([('Xi Jinping', ((0, 11), (20, 22)))], {'person:jinping'})
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    _, per_key = _merge(ordered)
    # Keys whose best mentions have one id are one identity: re-key them to the first one's key.
    first_key: dict[str, str] = {}
    canonical: dict[str, str] = {}
    heads: dict[str, list[Mention]] = {}
    for key, head in sorted(per_key.items(), key=lambda kv: kv[1].start):
        canonical[key] = first_key.setdefault(mention_id(head, article_id, lex), key)
        heads.setdefault(canonical[key], []).append(head)
    merged, best = _merge([replace(m, key=canonical.get(m.key, m.key)) for m in ordered])
    by_key: dict[str, list[Mention]] = {}
    for m in merged:
        by_key.setdefault(m.key, []).append(m)
    ids = {key: mention_id(head, article_id, lex) for key, head in best.items()}
    actors = []
    for key, head in sorted(best.items(), key=lambda kv: kv[1].start):
        ms = by_key[key]
        actors.append(
            Actor(
                id=ids[key],
                name=head.name or head.text,
                code=head.code,
                kind=head.kind,
                role=head.role or next((h.role for h in heads[key] if h.role), None),
                country=head.country,
                aliases=tuple(sorted({m.text for m in ms if m.kind != "pronoun"})),
                mentions=tuple(sorted({(m.start, m.end) for m in ms})),
            )
        )
    return merged, actors, ids
