"""The one identity policy: what every id in newsevents is made of.

Every id is the first 16 hex digits of a sha256 over a short, typed key (`stable_hash`). Ids never depend on
the folder a file was read from, on the time of a run, or on an extractor's version, so re-processing the same
input, in any order or batch size, or from another folder, gives the same ids.

- **article**: its canonical URL, else ``id:<external id>``, else its content hash. Global.
- **actor the knowledge base knows** (a dictionary person or organisation, a country):
  ``kb:<kind>:<canonical name or code>``. Global.
- **any other actor** (an unknown person, a description such as "an Israeli official"): the article id plus
  ``<kind>:<folded name>``. Scoped to the article until cross-article linking says otherwise, so two
  unknown people called "Mohammed Ali" in two articles are two actors.
- **place**: ``geonames:<geonameid>``, else ``country:<ISO3>``, else ``name:<folded name>``. Global.
- **event**: the article id, the trigger's offsets and the PLOVER type. Within the article.
- **quote**: the article id, the quote's offsets and its kind. Within the article.

A file's path is never part of an article id: it becomes one of the article's ``sources``, so the same text
read from two folders is one article seen in two places. An article with neither URL nor external id is
identified by what it says (``content_hash``: sha256 of the cleaned text, lowercased, whitespace collapsed),
so its id is ``content_hash[:16]`` (no second hash: a database migration can compute it in SQL).

Example:
    >>> article_id(url="https://Example.com/a#top") == article_id(url="https://example.com/a")
    True
    >>> len(event_id("0123456789abcdef", 10, 20, "CONSULT"))
    16
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "actor_id",
    "article_id",
    "canonical_url",
    "event_id",
    "place_id",
    "quote_id",
    "stable_hash",
]

_ID_CHARS = 16


def stable_hash(*parts: object) -> str:
    """The 16-hex-digit sha256 of the parts joined by ``|``.

    Example:
        >>> stable_hash("a", 1) == stable_hash("a", "1")
        True
    """
    key = "|".join(str(p) for p in parts)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:_ID_CHARS]


def canonical_url(url: str) -> str:
    """Canonicalise a URL for ids: lowercase scheme and host, fragment dropped.

    Example:
        >>> canonical_url("HTTPS://Example.COM/News/A?x=1#top")
        'https://example.com/News/A?x=1'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket: still a usable, stable key
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def article_id(*, url: str | None = None, external_id: str | None = None, content_hash: str = "") -> str:
    """An article's id: its canonical URL, else its external id, else its content hash.

    Args:
        url: where the article was published (the ``url`` of a JSON record or feed item, a fetched URL).
        external_id: the id the source gives it (a JSON record's ``id``).
        content_hash: sha256 of the normalised cleaned text (`newsevents.clean.hash_content`).

    Returns:
        16 hex digits.

    Raises:
        ValueError: none of the three is given.

    Example:
        >>> article_id(content_hash="ab" * 32)
        'abababababababab'
    """
    if url:
        return stable_hash(canonical_url(url))
    if external_id:
        return stable_hash("id:" + external_id)
    if not content_hash:
        raise ValueError("an article id needs a URL, an external id or a content hash")
    return content_hash[:_ID_CHARS]


def actor_id(*, kind: str, name: str, article: str, known: bool) -> str:
    """An actor's id: global when the knowledge base knows it, else scoped to its article.

    Args:
        kind: person, organization, country, unnamed, ...
        name: the canonical name (a dictionary headword or a country code when `known`; the folded mention
            text otherwise).
        article: the article id (ignored when `known`).
        known: whether the knowledge base knows it (a dictionary person or organisation, a country).

    Returns:
        16 hex digits.

    Example:
        >>> actor_id(kind="person", name="joe biden", article="a1", known=True) == actor_id(
        ...     kind="person", name="joe biden", article="a2", known=True)
        True
        >>> actor_id(kind="person", name="mohammed ali", article="a1", known=False) == actor_id(
        ...     kind="person", name="mohammed ali", article="a2", known=False)
        False
    """
    if known:
        return stable_hash(f"kb:{kind}:{name}")
    return stable_hash(article, f"{kind}:{name}")


def place_id(country: str | None, geonameid: int | None, name: str) -> str:
    """A place's id: its GeoNames id, else its country, else its folded name.

    Example:
        >>> place_id("PSE", 281129, "Rafah") == place_id(None, 281129, "Rafah City")
        True
    """
    from newsevents.kb.lexicon import fold

    key = f"geonames:{geonameid}" if geonameid else f"country:{country}" if country else f"name:{fold(name)}"
    return stable_hash(key)


def event_id(article: str, trigger_start: int, trigger_end: int, plover_type: str) -> str:
    """An event mention's id: its article, its trigger's offsets and its PLOVER type (no extractor version).

    Example:
        >>> event_id("a1", 0, 5, "CONSULT") != event_id("a1", 0, 5, "AGREE")
        True
    """
    return stable_hash(article, "event", trigger_start, trigger_end, plover_type)


def quote_id(article: str, start: int, end: int, kind: str) -> str:
    """A quote's id: its article, its offsets and its kind (direct or indirect).

    Example:
        >>> quote_id("a1", 3, 40, "direct") != quote_id("a1", 3, 40, "indirect")
        True
    """
    return stable_hash(article, "quote", start, end, kind)
