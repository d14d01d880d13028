"""Quotes: direct quotes (in quotation marks) and indirect ones (reported speech), with their speakers.

Version ``quotes.v1``. Quotation marks are paired by a scanner that never raises: curly and straight marks,
quotes that run over paragraphs (the opening mark repeated at each paragraph), quotes split around the cue
("“A,” the official said, “B”"). Unbalanced marks are skipped. The speaker is the subject of a speech verb
next to the quote, else the speaker of the quote run it continues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from newsevents.extract.actors import ActorIndex
from newsevents.extract.quotemarks import find_quote_segments, para_end
from newsevents.ids import quote_id
from newsevents.model import ActorRef, Article, Quote, Span

__all__ = ["CUE_VERBS", "EXTRACTOR", "extract_quotes"]

EXTRACTOR = "quotes.v1"

CUE_VERBS = frozenset(
    [
        "say",
        "tell",
        "state",
        "add",
        "stress",
        "explain",
        "note",
        "insist",
        "write",
        "ask",
        "warn",
        "declare",
        "tweet",
        "post",
        "argue",
        "continue",
        "conclude",
        "reply",
        "respond",
        "recall",
        "acknowledge",
        "admit",
        "claim",
        "announce",
        "emphasize",
        "emphasise",
        "remark",
        "comment",
        "observe",
        "predict",
        "suggest",
        "complain",
        "assert",
        "affirm",
        "confirm",
        "deny",
        "maintain",
        "report",
        "testify",
        "quip",
        "joke",
        "caution",
        "vow",
        "promise",
        "reiterate",
        "concede",
        "contend",
        "allege",
        "charge",
        "describe",
        "indicate",
    ]
)
_MIN_WORDS = 4
_PERSON_PRONOUNS = {"he", "she", "they", "i", "we"}


@dataclass(slots=True)
class _Segment:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int
    close_mark: int | None  # None when the quote runs on into the next paragraph
    continues: bool = False


@dataclass(slots=True)
class _Run:
    segments: list[_Segment] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    prev: _Segment | None = None
    for s, e, cont in find_quote_segments(text):
        seg = _Segment(s, e, s - 1, None if cont else e, cont)
        if prev is not None and (
            prev.continues
            or (
                "\n" not in text[prev.end : seg.start]
                and len(text[prev.end : seg.start]) < 80
                and re.search(r"[,:]\s*[“\"«]?$", text[prev.end : seg.start].rstrip())
            )
        ):
            runs[-1].segments.append(seg)
        else:
            runs.append(_Run([seg]))
        prev = seg
    return runs


def _cue_in(doc: Doc, start: int, end: int, quoted: list[tuple[int, int]] | None = None) -> Token | None:
    """The first speech verb whose token lies in text[start:end], outside every quote, and not in a relative
    clause ("a senior official, who spoke on condition of anonymity, said")."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    for tok in span:
        if tok.lemma_.lower() not in CUE_VERBS or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if quoted and any(a <= tok.idx < b for a, b in quoted):
            continue
        if tok.dep_ in {"relcl", "acl"}:
            continue
        return tok
    return None


def _colon_speaker(doc: Doc, text: str, open_mark: int, actors: ActorIndex) -> ActorRef | None:
    """ "Lavrov was blunt: “...”": the subject of the clause the colon ends."""
    before = text[:open_mark].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None or colon.start == 0:
        return None
    node = doc[colon.start - 1]
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            return actors.ref_for_token(subj)
        if node.head == node:
            break
        node = node.head
    return None


def _speaker_of(
    cue: Token, actors: ActorIndex, quoted: list[tuple[int, int]] | None = None
) -> ActorRef | None:
    subj = [c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subj:
        agents = [g for c in cue.children if c.dep_ == "agent" for g in c.children]
        subj = agents
    if not subj and quoted is not None:
        # A parse that lost the subject ("“...,” a senior official, who spoke on condition of anonymity,
        # said"): the nearest actor before the cue, outside the quote.
        for tok in reversed(cue.doc[max(0, cue.i - 15) : cue.i]):
            if any(a <= tok.idx < b for a, b in quoted):
                break
            ref = actors.ref_for_token(tok)
            if ref is not None and tok.dep_ not in {"pobj"}:
                return ref
        return None
    if not subj:
        return None
    head = subj[0]
    ref = actors.ref_for_token(head)
    if ref is not None:
        return ref
    for child in head.subtree:
        ref = actors.ref_for_token(child)
        if ref is not None:
            return ref
    if head.lower_ in _PERSON_PRONOUNS:
        return ActorRef(text=head.text, start=head.idx, end=head.idx + len(head.text))
    span = cue.doc[head.left_edge.i : head.i + 1]
    return ActorRef(text=span.text, start=span.start_char, end=span.end_char)


def _frames(text: str, run: _Run) -> list[tuple[int, int]]:
    """Text around a run where its cue may be: between segments, after the last, before the first."""
    first, last = run.segments[0], run.segments[-1]
    frames = [
        (a.end + 1, b.open_mark)
        for a, b in zip(run.segments, run.segments[1:], strict=False)
        if not a.continues
    ]
    after_end = para_end(text, last.end)
    m = re.search(r"[.!?](\s|$)", text[last.end + 1 : after_end])
    frames.append((last.end + 1, last.end + 1 + m.end() if m else after_end))
    para_start = text.rfind("\n", 0, first.open_mark) + 1
    frames.append((para_start, first.open_mark))
    return [(a, b) for a, b in frames if b > a]


def _direct(doc: Doc, article: Article, actors: ActorIndex) -> list[Quote]:
    text = article.text
    out: list[Quote] = []
    last_speaker: ActorRef | None = None
    last_end = -1
    runs = _runs(text)
    quoted = [(seg.open_mark, seg.end + 1) for run in runs for seg in run.segments]
    for run in runs:
        words = sum(len(text[s.start : s.end].split()) for s in run.segments)
        if words < _MIN_WORDS:
            continue
        found = []
        for a, b in _frames(text, run):
            c = _cue_in(doc, a, b, quoted)
            if c is not None:
                found.append((c, _speaker_of(c, actors, quoted)))
        # A named speaker beats a pronoun: "Kirby said, “...” ... “...,” he stressed."
        named = [(c, sp) for c, sp in found if sp is not None and sp.text.lower() not in _PERSON_PRONOUNS]
        cue, speaker = (named or found or [(None, None)])[0]
        if speaker is None:
            speaker = _colon_speaker(doc, text, run.segments[0].open_mark, actors)
        confidence = 0.85 if speaker and speaker.code else 0.7 if speaker else 0.4
        unresolved = speaker is not None and speaker.name is None and speaker.text.lower() in _PERSON_PRONOUNS
        if unresolved and speaker is not None and last_speaker is not None:
            # "he stressed" with no antecedent outside the quote: the previous speaker.
            speaker = ActorRef(
                speaker.text,
                speaker.start,
                speaker.end,
                last_speaker.name,
                last_speaker.code,
                last_speaker.actor_id,
            )
        if (
            speaker is None
            and last_speaker is not None
            and text.count("\n\n", last_end, run.segments[0].open_mark) <= 1
        ):
            speaker, confidence = last_speaker, 0.5  # a quote run continuing the previous speaker's words
        for seg in run.segments:
            s, e = _trim(text, seg.start, seg.end)
            if e <= s:
                continue
            out.append(
                Quote(
                    id=quote_id(article.id, s, e, "direct"),
                    text=text[s:e],
                    start=s,
                    end=e,
                    kind="direct",
                    cue=Span(cue.idx, cue.idx + len(cue.text), cue.text) if cue is not None else None,
                    speaker=speaker,
                    confidence=confidence,
                    evidence=f"{EXTRACTOR}: quotation marks"
                    + (f", cue '{cue.lemma_}'" if cue is not None else ""),
                )
            )
        if speaker is not None:
            last_speaker = speaker
        last_end = run.segments[-1].end
    return out


def _inside(start: int, end: int, quotes: list[Quote]) -> bool:
    return any(
        q.start - 1 <= start < q.end + 1
        or q.start - 1 < end <= q.end + 1
        or (start <= q.start and q.end <= end)
        for q in quotes
    )


def _indirect(doc: Doc, article: Article, actors: ActorIndex, direct: list[Quote]) -> list[Quote]:
    text = article.text
    out: list[Quote] = []
    for tok in doc:
        content: tuple[int, int] | None = None
        speaker: ActorRef | None = None
        cue = tok
        if tok.lemma_.lower() in CUE_VERBS and tok.pos_ == "VERB":
            comps = [c for c in tok.children if c.dep_ == "ccomp"]
            if not comps or not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
                continue
            comp = comps[0]
            toks = [
                t
                for t in comp.subtree
                if not (t.dep_ == "mark" and t.head == comp and t.lower_ in {"that", "whether"})
            ]
            if len(toks) < 3:
                continue
            content = (toks[0].idx, toks[-1].idx + len(toks[-1].text))
            speaker = _speaker_of(tok, actors)
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if not pobj:
                continue
            sent = tok.sent
            phrase_end = max(t.i for t in pobj[0].subtree) + 1
            if tok.i > sent.start:
                content = (sent.start_char, doc[tok.i - 1].idx)
            elif phrase_end < sent.end:
                content = (doc[phrase_end].idx, sent.end_char)
            head = pobj[0]
            speaker = actors.ref_for_token(head) or ActorRef(
                text=doc[head.left_edge.i : head.i + 1].text,
                start=doc[head.left_edge.i].idx,
                end=head.idx + len(head.text),
            )
        if content is None:
            continue
        s, e = _trim(text, *content)
        while s < e and text[s] in ",;: ":
            s += 1
        if text[s : s + 5].lower() == "that ":
            s += 5
        while e > s and text[e - 1] in ".,;:":
            e -= 1
        if e - s < 10 or _inside(s, e, direct) or _inside(tok.idx, tok.idx + len(tok.text), direct):
            continue
        out.append(
            Quote(
                id=quote_id(article.id, s, e, "indirect"),
                text=text[s:e],
                start=s,
                end=e,
                kind="indirect",
                cue=Span(cue.idx, cue.idx + len(cue.text), cue.text),
                speaker=speaker,
                confidence=0.6 if speaker and speaker.code else 0.45,
                evidence=f"{EXTRACTOR}: reported speech, cue '{cue.lemma_}'",
            )
        )
    return out


def extract_quotes(doc: Doc, article: Article, actors: ActorIndex) -> list[Quote]:
    """Find the direct and indirect quotes of one article and attribute them.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        actors: its actors (speakers are resolved to them).

    Returns:
        Quotes in text order.

    Example:
        >>> [q.speaker.name for q in extract_quotes(doc, article, actors)]  # doctest: +SKIP
        ['John Kirby']
    """
    direct = _direct(doc, article, actors)
    indirect = _indirect(doc, article, actors, direct)
    unique = {(q.start, q.end, q.kind): q for q in reversed(direct + indirect)}  # one per span: the first cue
    return sorted(unique.values(), key=lambda q: (q.start, q.kind))
