"""Near-duplicate articles: syndicated wire copy under another headline, byline or with a trimmed paragraph.

Exact copies are one article already (an article's id is the hash of its normalised text, `newsevents.ids`).
Near-duplicates are found with MinHash LSH (datasketch) over word 5-gram shingles of the cleaned text, and
each candidate pair is verified exactly: Jaccard similarity of the shingles >= `JACCARD`, or the shorter
text's shingles contained in the longer's >= `CONTAINMENT` (a copy with a paragraph trimmed or a line added).
Only MinHash signatures are kept for every article; the candidates' shingles are computed again in a
second pass (`find_copies` streams its input twice when given a callable). Verified pairs are joined
transitively; each group's **canonical** article is the earliest published (undated last), then the
smallest id, so the result does not depend on the order the articles arrive in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsevents.link._source import replayable

__all__ = ["CONTAINMENT", "JACCARD", "CopyInput", "find_copies", "shingles"]

JACCARD = 0.7
CONTAINMENT = 0.85
_SHINGLE = 5
_PERMUTATIONS = 128
_LSH_THRESHOLD = 0.5  # candidates: verified exactly afterwards, so recall matters more than precision here
_MIN_SHINGLES = 8  # shorter texts (captions, one-liners) are never called copies
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class CopyInput:
    """What copy detection needs of an article."""

    id: str
    text: str
    published: dt.date | None = None


def shingles(text: str) -> frozenset[str]:
    """Word 5-grams of the lower-cased text (fewer words: the whole text as one shingle).

    Example:
        >>> sorted(shingles("One two three four five six"))
        ['one two three four five', 'two three four five six']
    """
    words = _WORD.findall(text.lower())
    if len(words) < _SHINGLE:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))


def _same_text(a: frozenset[str], b: frozenset[str]) -> bool:
    inter = len(a & b)
    if not inter:
        return False
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


def find_copies(articles: Iterable[CopyInput] | Callable[[], Iterable[CopyInput]]) -> dict[str, str]:
    """Map every near-duplicate article id to the id of its group's canonical article.

    Args:
        articles: the articles to compare (ids unique). A callable is called twice and must give the same
            articles each time: the first pass keeps only each article's MinHash signature, the second the
            shingles of the candidate pairs' articles, so texts are never all held in memory at once.

    Returns:
        ``{copy id: canonical id}`` for the copies only; canonical and unique articles are not keys.

    Example:
        >>> body = " ".join(f"word{n}" for n in range(60))  # sixty words of wire copy
        >>> a = CopyInput("a", "Quake kills 12\\n\\n" + body, dt.date(2019, 3, 4))
        >>> b = CopyInput("b", "Deadly quake hits city\\n\\n" + body, dt.date(2019, 3, 5))
        >>> find_copies([b, a])
        {'b': 'a'}
    """
    from datasketch import MinHash, MinHashLSH

    source = replayable(articles)
    lsh = MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=_PERMUTATIONS)
    published: dict[str, dt.date | None] = {}
    candidates: set[tuple[str, str]] = set()
    for a in source():
        published[a.id] = a.published
        sh = shingles(a.text)
        if len(sh) < _MIN_SHINGLES:
            continue
        mh = MinHash(num_perm=_PERMUTATIONS, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sh])
        candidates.update((min(a.id, other), max(a.id, other)) for other in lsh.query(mh))
        lsh.insert(a.id, mh)
    del lsh
    needed = {x for pair in candidates for x in pair}
    sets = {a.id: shingles(a.text) for a in source() if a.id in needed} if needed else {}
    parent = {x: x for x in needed}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in sorted(candidates):
        if _same_text(sets[x], sets[y]):
            rx, ry = root(x), root(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
    groups: dict[str, list[str]] = {}
    for x in sorted(needed):
        groups.setdefault(root(x), []).append(x)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        canonical = min(members, key=lambda m: (published[m] is None, published[m] or dt.date.min, m))
        out.update({m: canonical for m in members if m != canonical})
    return dict(sorted(out.items()))
