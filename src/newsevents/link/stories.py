"""Stories: articles about the same unfolding happening, grouped by text, shared names and dates.

Each canonical article (copies follow their canonical article, `newsevents.link.copies`) becomes a TF-IDF
vector over the words of its title (counted twice) and text, without stop words and numbers, sublinear term
frequency, each word also weighted by its `rarity` in general English (so that a small store still tells
"earthquake" from "Cabanaconde"), L2-normalised and cut to its `StoryParams.terms` heaviest terms (so
memory per article is bounded).
Named actors (people and organisations, not countries or governments) and specific places (below country
level) are its *entities*.

Two articles are compared only when they share one of their heaviest terms or an entity (an inverted index;
terms in more than `StoryParams.max_df` of the articles are not indexed) and their dates are at most
`StoryParams.max_days` apart (`days_apart`: an article dated only by the earliest day its text allows may be
from any later day); an undated article is compared with every candidate. Their similarity is the
cosine of the vectors plus `StoryParams.entity_weight` per shared entity (at most `StoryParams.max_entities`),
reduced for every day between them beyond `StoryParams.grace_days`.

Stories are formed by average-link agglomeration over those similarities (pairs never compared count 0):
the two groups with the highest average similarity merge while it is at least `StoryParams.threshold`, or
while their best pair is at least `StoryParams.strong` and the average at least `StoryParams.weak` (an
update that repeats one earlier report closely but the others less). Ties are broken by ids, so the stories
are a function of the set of articles alone: any order, any batches, any re-run gives the same stories.

A story's id is derived from its first article (earliest date, then smallest id): adding later articles
never changes it. Its ``linked_by`` names the signals behind the links that joined it.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from newsevents.ids import stable_hash
from newsevents.link._source import replayable

__all__ = [
    "LINKED_BY",
    "StoryInput",
    "StoryParams",
    "StoryResult",
    "days_apart",
    "find_stories",
    "rarity",
    "story_id",
]

#: The signal names a story's ``linked_by`` uses, in the order they are listed.
LINKED_BY: tuple[str, ...] = ("text similarity", "shared actors", "shared places", "close dates")

_WORD = re.compile(r"[^\W\d_]{3,}")
_MIN_POSTINGS = 50  # a small store compares every pair that shares a term


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The story linker's settings (the defaults are the ones measured in the README)."""

    terms: int = 60
    max_df: float = 0.2
    min_df_index: int = 2
    max_days: int = 21
    grace_days: int = 3
    day_penalty: float = 0.02
    entity_weight: float = 0.06
    max_entities: int = 4
    threshold: float = 0.2
    strong: float = 0.45
    weak: float = 0.1
    text_signal: float = 0.2
    #: The Zipf frequency (wordfreq's scale) at which a word counts for nothing; rarer words count more.
    common: float = 7.0


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What story linking needs of an article.

    `actors` are the keys of its named people and organisations (`newsevents.link.actor_key`), `places`
    the ids of its places below country level. `duplicate_of` is set for a near-copy: it joins its
    canonical article's story and is not compared itself.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    duplicate_of: str | None = None
    #: With no `published` date: the earliest day the article can be from (inferred from its text).
    earliest: dt.date | None = None


def days_apart(a: StoryInput, b: StoryInput) -> int | None:
    """Days between two articles' dates; None when unknown.

    An article known only to be from `StoryInput.earliest` or later may be from any later day, so it is 0 days
    from a later article and the gap to its earliest day from an earlier one.

    Example:
        >>> may, april = StoryInput("a", "", published=dt.date(2024, 5, 7)), dt.date(2024, 4, 1)
        >>> days_apart(may, StoryInput("b", "", earliest=april)), days_apart(may, StoryInput("c", ""))
        (0, None)
    """
    if a.published and b.published:
        return abs((a.published - b.published).days)
    for dated, vague in ((a, b), (b, a)):
        if dated.published and vague.published is None and vague.earliest:
            return max(0, (vague.earliest - dated.published).days)
    return None


@dataclass(frozen=True, slots=True)
class StoryResult:
    """One story: its id, its articles (first first), and which signals linked them."""

    id: str
    articles: tuple[str, ...]
    linked_by: tuple[str, ...] = ()
    first: dt.date | None = None
    last: dt.date | None = None


def story_id(first_article: str) -> str:
    """The id of the story whose first article is `first_article`.

    Example:
        >>> story_id("a1") == story_id("a1") != story_id("a2")
        True
    """
    return stable_hash("story", first_article)


@functools.lru_cache(maxsize=200_000)
def rarity(word: str, common: float = 7.0) -> float:
    """How much a word says about a story, from how rare it is in general English (0.1..1).

    The store's own document frequencies cannot tell that "earthquake" is a common word when it holds three
    articles about two earthquakes; general English can. From wordfreq's Zipf frequency (word frequency data
    from many sources, Apache-2.0 / CC BY-SA 4.0): ``(common - zipf) / 5``, clipped.

    Example:
        >>> rarity("cabanaconde") == 1.0 and rarity("earthquake") < 0.7 and rarity("the") == 0.1
        True
    """
    from wordfreq import zipf_frequency

    return min(1.0, max(0.1, (common - zipf_frequency(word, "en")) / 5.0))


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "would", "also", "percent"}


def _words(item: StoryInput, stop: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in _WORD.findall(item.text.lower()):
        if word not in stop:
            counts[word] += 1
    for word in _WORD.findall((item.title or "").lower()):
        if word not in stop:
            counts[word] += 2
    return counts


@dataclass(slots=True)
class _Doc:
    """An article as the linker keeps it: its metadata without the text, and its cut vector."""

    item: StoryInput
    vector: dict[str, float] = field(default_factory=dict)
    top: tuple[str, ...] = ()


def _key(item: StoryInput) -> tuple[bool, dt.date, str]:
    day = item.published or item.earliest
    return (day is None, day or dt.date.min, item.id)


#: A term or name in more articles than this is not indexed for candidates, however large the store.
_MAX_POSTINGS = 5_000


class _Linker:
    """Two passes over the articles (document frequencies, then vectors); texts are never kept."""

    def __init__(self, source: Callable[[], Iterable[StoryInput]], params: StoryParams) -> None:
        self.params = params
        stop = _stop_words()
        df: Counter[str] = Counter()
        n = 0
        for item in source():
            if item.duplicate_of is None:
                df.update(_words(item, stop).keys())
                n += 1
        self.docs: list[_Doc] = []
        self.copies: list[StoryInput] = []
        cap = min(max(params.max_df * n, _MIN_POSTINGS), _MAX_POSTINGS)
        for item in source():
            slim = replace(item, text="")
            if item.duplicate_of is not None:
                self.copies.append(slim)
                continue
            weights = {
                w: (1.0 + math.log(tf)) * (math.log((n + 1) / (df[w] + 1)) + 1.0) * rarity(w, params.common)
                for w, tf in _words(item, stop).items()
            }
            best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: params.terms]
            norm = math.sqrt(sum(v * v for _, v in best)) or 1.0
            indexed = tuple(w for w, _ in best[: params.terms // 3] if params.min_df_index <= df[w] <= cap)
            self.docs.append(_Doc(slim, {w: v / norm for w, v in best}, indexed))
        self.docs.sort(key=lambda d: _key(d.item))
        self.cap = cap

    def similarity(self, a: _Doc, b: _Doc) -> tuple[float, set[str]]:
        p = self.params
        small, large = (a.vector, b.vector) if len(a.vector) <= len(b.vector) else (b.vector, a.vector)
        cosine = sum(v * large.get(w, 0.0) for w, v in small.items())
        shared_actors = len(a.item.actors & b.item.actors)
        shared_places = len(a.item.places & b.item.places)
        entities = min(shared_actors + shared_places, p.max_entities)
        score = cosine + p.entity_weight * entities
        signals: set[str] = set()
        if cosine >= p.text_signal:
            signals.add("text similarity")
        if shared_actors:
            signals.add("shared actors")
        if shared_places:
            signals.add("shared places")
        days = days_apart(a.item, b.item)
        if days is not None:
            score -= p.day_penalty * max(0, days - p.grace_days)
            if a.item.published and b.item.published:
                signals.add("close dates")
        return score, signals

    def _window_pairs(self, members: list[int]) -> Iterator[tuple[int, int]]:
        """Pairs of one posting list that may be close enough in time (`StoryParams.max_days`).

        Dated members (sorted by date, as `docs` is) pair within a sliding window; a member known only by
        its earliest day pairs with every member from `max_days` before it on; an undated one with all.
        """
        limit = dt.timedelta(days=self.params.max_days)
        dated = [k for k in members if self.docs[k].item.published]
        vague = [k for k in members if not self.docs[k].item.published]
        for i, x in enumerate(dated):
            day = self.docs[x].item.published
            assert day is not None
            for y in dated[i + 1 :]:
                other = self.docs[y].item.published
                assert other is not None
                if other - day > limit:
                    break
                yield x, y
        for i, x in enumerate(vague):
            earliest = self.docs[x].item.earliest
            for y in dated:
                other = self.docs[y].item.published
                assert other is not None
                if earliest is None or other >= earliest - limit:
                    yield min(x, y), max(x, y)
            for y in vague[i + 1 :]:
                yield x, y

    def pairs(self) -> dict[tuple[int, int], tuple[float, set[str]]]:
        p = self.params
        index: dict[str, list[int]] = {}
        for k, doc in enumerate(self.docs):
            keys = [f"w:{w}" for w in doc.top]
            keys += [f"a:{a}" for a in sorted(doc.item.actors)] + [
                f"p:{pl}" for pl in sorted(doc.item.places)
            ]
            for key in keys:
                index.setdefault(key, []).append(k)
        candidates: set[tuple[int, int]] = set()
        for members in index.values():
            if len(members) > self.cap:
                continue
            candidates.update(self._window_pairs(members))
        out: dict[tuple[int, int], tuple[float, set[str]]] = {}
        for x, y in sorted(candidates):
            a, b = self.docs[x], self.docs[y]
            days = days_apart(a.item, b.item)
            if days is not None and days > p.max_days:
                continue
            score, signals = self.similarity(a, b)
            if score > 0:
                out[(x, y)] = (score, signals)
        return out


def _cluster(
    n: int, pairs: dict[tuple[int, int], tuple[float, set[str]]], params: StoryParams
) -> tuple[list[int], dict[int, set[str]]]:
    """Average-link agglomeration; returns each item's cluster root and each root's signals.

    Sums, best pair and signals are kept per pair of groups, so a merge costs the groups' neighbours, not
    the product of their sizes.
    """
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    sums: dict[int, dict[int, float]] = {k: {} for k in range(n)}
    best: dict[int, dict[int, float]] = {k: {} for k in range(n)}
    sig: dict[int, dict[int, set[str]]] = {k: {} for k in range(n)}
    for (x, y), (score, pair_signals) in pairs.items():
        sums[x][y] = sums[y][x] = score
        best[x][y] = best[y][x] = score
        kept = set(pair_signals) if score >= params.weak else set()
        sig[x][y] = kept
        sig[y][x] = kept
    signals: dict[int, set[str]] = {k: set() for k in range(n)}
    heap: list[tuple[float, int, int]] = []

    def push(x: int, y: int) -> None:
        a, b = min(x, y), max(x, y)
        avg = sums[a][b] / (len(members[a]) * len(members[b]))
        if avg >= params.threshold or (best[a][b] >= params.strong and avg >= params.weak):
            heapq.heappush(heap, (-avg, a, b))

    for x, y in pairs:
        push(x, y)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        avg = sums[a][b] / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:
            continue  # stale entry: the groups changed since it was pushed
        # Merge b into a (a < b, so the smaller index survives and the result does not depend on pop order).
        signals[a] |= signals.pop(b) | sig[a].pop(b, set())
        sig[b].pop(a, None)
        members[a].extend(members.pop(b))
        for c, total in sums.pop(b).items():
            if c == a:
                continue
            sums[a][c] = sums[a].get(c, 0.0) + total
            sums[c][a] = sums[a][c]
            del sums[c][b]
        for c, score in best.pop(b).items():
            if c == a:
                continue
            best[a][c] = max(best[a].get(c, 0.0), score)
            best[c][a] = best[a][c]
            best[c].pop(b, None)
        for c, kept in sig.pop(b).items():
            merged = sig[a].get(c, set()) | kept
            sig[a][c] = merged
            sig[c][a] = merged
            sig[c].pop(b, None)
        sums[a].pop(b, None)
        best[a].pop(b, None)
        for c in sums[a]:
            push(a, c)
    root = [0] * n
    for r, ms in members.items():
        for m in ms:
            root[m] = r
    return root, signals


def find_stories(
    articles: Iterable[StoryInput] | Callable[[], Iterable[StoryInput]], params: StoryParams | None = None
) -> list[StoryResult]:
    """Group articles into stories.

    Args:
        articles: the articles (ids unique); near-copies carry `StoryInput.duplicate_of`. A callable is
            called twice and must give the same articles each time: they are then streamed (two passes) and
            their texts never held together in memory.
        params: the linker's settings; the defaults otherwise.

    Returns:
        The stories, ordered by their first article (date, then id); every article is in exactly one.

    Example:
        >>> a = StoryInput("a", "Rebels seized the border town of Kidal after heavy fighting.", None,
        ...                dt.date(2012, 3, 30), places=frozenset({"kidal"}))
        >>> b = StoryInput("b", "The army retook Kidal from the rebels after heavy fighting.", None,
        ...                dt.date(2012, 4, 2), places=frozenset({"kidal"}))
        >>> c = StoryInput("c", "Farmers in Normandy protested against milk prices.", None,
        ...                dt.date(2012, 4, 1))
        >>> [s.articles for s in find_stories([c, b, a])]
        [('a', 'b'), ('c',)]
    """
    p = params or StoryParams()
    linker = _Linker(replayable(articles), p)
    docs = linker.docs
    root, signals = _cluster(len(docs), linker.pairs(), p)
    groups: dict[int, list[StoryInput]] = {}
    story_of: dict[str, int] = {}
    for k, doc in enumerate(docs):
        groups.setdefault(root[k], []).append(doc.item)
        story_of[doc.item.id] = root[k]
    for copy in sorted(linker.copies, key=_key):
        r = story_of.get(copy.duplicate_of or "")
        if r is None:  # its canonical article is not here: it stands alone
            r = len(docs) + len(groups)
            groups[r] = []
        groups[r].append(copy)
        story_of[copy.id] = r
    out: list[StoryResult] = []
    first_item: dict[str, StoryInput] = {}
    for r, members in groups.items():
        members.sort(key=_key)
        first_item[story_id(members[0].id)] = members[0]
        dates = [d for m in members if (d := m.published or m.earliest) is not None]
        out.append(
            StoryResult(
                id=story_id(members[0].id),
                articles=tuple(m.id for m in members),
                linked_by=tuple(x for x in LINKED_BY if x in signals.get(r, set()))
                if len(members) > 1
                else (),
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
            )
        )
    out.sort(key=lambda story: _key(first_item[story.id]))
    return out
