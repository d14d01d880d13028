"""Quotes and attributions: direct quotes (in quotation marks), reported speech, thoughts and intentions,
each with its speaker.

Version ``quotes.v2``. Quotation marks are paired by a scanner that never raises (curly and straight marks,
quotes running over paragraphs, quotes split around their cue). What counts as a cue, what it attributes
(``speech``, ``thought``, ``intention``, ``evidence``, ``perception``) and which dependents carry the content
come from the bundled cue lexicon (``data/quotes/cues.tsv``), not from code.

A direct quote's speaker, in order: a cue between its segments ("“A,” she said, “B”"), a cue after it in the
same sentence, the closest cue before it in the paragraph, a colon introduction ("Lavrov was blunt: “...”",
also from the paragraph before), a transcript label ("WALLACE: ...", "Q:"/"A:"), a short attribution sentence
right after it ("“...” \u2014 That is what Trump told the rally." or "“...”\\n\\nTrump said."), then the
speaker of the quote run it continues. A pronoun speaker is the actor the actor extractor resolved it to, else
the most recent earlier speaker or person whose gender and number agree ("she" is never the male senator;
"they" is a group or an organisation).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from newsevents.extract.actors import ActorIndex
from newsevents.extract.actors.index import Mention
from newsevents.extract.quotemarks import find_quote_segments, para_end
from newsevents.ids import quote_id
from newsevents.kb import fold
from newsevents.kb.speech import Cue, cue_lexicon, pronoun_gender
from newsevents.model import ActorRef, Article, Quote
from newsevents.model import Span as TextSpan

__all__ = ["CUE_VERBS", "EXTRACTOR", "extract_quotes"]

EXTRACTOR = "quotes.v2"


def _speech_verbs(lexicon: Mapping[tuple[str, str], Cue]) -> frozenset[str]:
    return frozenset(c.lemma for c in lexicon.values() if c.pos == "VERB" and c.type == "speech")


#: Lemmas of the speech verbs that may introduce a quote (from the cue lexicon).
CUE_VERBS = _speech_verbs(cue_lexicon())
_MIN_WORDS = 4
_PERSON_PRONOUNS = {"he", "she", "they", "i", "we"}
_SUBJ = {"nsubj", "nsubjpass"}
_WH = {"what", "why", "how", "who", "whom", "whose", "which", "when", "where", "whether", "if"}
_PREP_KINDS = ("of", "for", "about", "on", "against")
# "Q:" and "A:" and speaker labels ("WALLACE:", "SEN. SANDERS:", "Clinton:") opening a paragraph.
_LABEL = re.compile(
    r"(?m)^[ \t]*((?:Q|A)|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}|[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)?)"
    r":[ \t]+(?=\S)"
)
_LOOKBACK = 2500  # characters searched back for the antecedent of an unresolved pronoun speaker


@dataclass(slots=True)
class _Segment:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int
    continues: bool = False


@dataclass(slots=True)
class _Run:
    segments: list[_Segment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Speaker:
    ref: ActorRef
    gender: str | None  # m | f | p | n | None
    at: int  # character offset where it spoke


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
        seg = _Segment(s, e, s - 1, cont)
        gap = text[prev.end + 1 : seg.open_mark] if prev is not None else ""
        if prev is not None and (
            prev.continues
            or ("\n" not in gap and len(gap) < 80 and re.search(r"[,:]\s*$", gap.rstrip()) and gap.strip())
        ):
            runs[-1].segments.append(seg)
        else:
            runs.append(_Run([seg]))
        prev = seg
    return runs


class _Attributor:
    """Speaker resolution for one article: cue subjects, pronouns with agreement, earlier speakers."""

    def __init__(self, doc: Doc, article: Article, actors: ActorIndex) -> None:
        self.doc = doc
        self.text = article.text
        self.actors = actors
        self.lexicon = cue_lexicon()
        self.speech = _speech_verbs(self.lexicon)
        self.spoken: list[_Speaker] = []
        self._quoted: list[tuple[int, int]] = []
        self._quote_starts: list[int] = []
        self.starts = [t.idx for t in doc]
        self._persons = sorted(
            (m for m in actors.mentions if m.kind in {"person", "organization", "unnamed", "country"}),
            key=lambda m: m.start,
        )
        self._person_starts = [m.start for m in self._persons]
        self._by_span = {(m.start, m.end): m for m in reversed(actors.mentions)}

    @property
    def quoted(self) -> list[tuple[int, int]]:
        return self._quoted

    @quoted.setter
    def quoted(self, spans: list[tuple[int, int]]) -> None:
        self._quoted = sorted(spans)
        self._quote_starts = [a for a, _ in self._quoted]

    # -- cues and their subjects -------------------------------------------------------------------------
    def in_quote(self, char: int) -> bool:
        """Whether an offset lies inside a quote (a binary search: quotes do not nest in this list)."""
        k = bisect.bisect_right(self._quote_starts, char) - 1
        return k >= 0 and char < self._quoted[k][1]

    def cue(self, tok: Token) -> Cue | None:
        pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN" if tok.pos_ == "NOUN" else None
        return self.lexicon.get((tok.lemma_.lower(), pos)) if pos else None

    def speech_cues(self, start: int, end: int, adjacent: str = "") -> list[Token]:
        """Speech verbs in text[start:end], outside every quote and outside relative clauses ("a senior
        official, who spoke on condition of anonymity, said"). With `adjacent` (``after`` or ``before``),
        any verb touching the quote counts too: "“...,” Trump barked", "He concluded, “...”"."""
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return []
        out = [
            tok
            for tok in span
            if tok.lemma_.lower() in self.speech
            and tok.pos_ in {"VERB", "AUX"}
            and not self.in_quote(tok.idx)
            and tok.dep_ not in {"relcl", "acl", "amod"}
        ]
        words = [t for t in span if not t.is_punct and not t.is_space]
        if adjacent == "after" and words:
            near = [t for t in words[:4] if t.pos_ == "VERB" and t.dep_ not in {"relcl", "acl", "amod"}]
            out += [t for t in near[:1] if t not in out]
        elif (
            adjacent == "before"
            and words
            and not self.text[words[-1].idx + len(words[-1].text) : end].strip(" ,:\n\t—-")
        ):
            last = words[-1]
            if last.pos_ == "VERB" and last not in out:
                out.append(last)
        return out

    @staticmethod
    def subject(cue: Token) -> Token | None:
        """Who speaks through a cue: its subject; a passive's agent ("was first reported by MSNBC"; a passive
        without one has no source here); a participle or a conjoined verb takes its head's ("..., adding
        that", "and said")."""
        node = cue
        for _ in range(4):
            agents = [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agents:
                return agents[0]
            if any(c.dep_ in {"nsubjpass", "auxpass"} for c in node.children):
                return None
            subj = [c for c in node.children if c.dep_ == "nsubj"]
            if subj:
                return subj[0]
            if node.dep_ not in {"conj", "advcl", "xcomp", "ccomp"} or node.head == node:
                return None
            if node.dep_ == "ccomp" and node.head.lemma_.lower() not in {"be"}:
                return None
            node = node.head
        return None

    def nearest_actor(self, cue: Token) -> ActorRef | None:
        """A parse that lost the subject ("“...,” a senior official, who spoke on condition of anonymity,
        said"): the nearest actor before the cue in its sentence, outside quotes and prepositions."""
        for tok in self.doc[cue.i + 1 : min(cue.sent.end, cue.i + 4)]:
            # "“...,” said Skelly": an inverted cue whose speaker the parse did not make its subject
            if tok.is_punct or self.in_quote(tok.idx):
                break
            ref = self.actors.ref_for_token(tok)
            if ref is not None and tok.dep_ not in {"pobj", "dative"}:
                return ref
        for tok in reversed(self.doc[max(cue.sent.start, cue.i - 15) : cue.i]):
            if self.in_quote(tok.idx):
                break
            ref = self.actors.ref_for_token(tok)
            if ref is not None and tok.dep_ != "pobj":
                return ref
        return None

    def mention_ref(self, head: Token) -> ActorRef | None:
        """The actor a subject names: its own mention, else a name in apposition or compound with it."""
        ref = self.actors.ref_for_token(head)
        if ref is not None:
            return ref
        for child in head.children:
            if child.dep_ in {"appos", "compound", "flat", "nmod"}:
                ref = self.actors.ref_for_token(child)
                if ref is not None:
                    return ref
        return None

    def speaker_for(self, subj: Token) -> ActorRef:
        """The speaker a subject token stands for, resolved through pronouns."""
        if subj.lower_ in {"who", "which", "that"} and subj.head.dep_ in {"relcl", "acl"}:
            # "Republicans who refused": the mention is "who", the actor the noun it is about
            about = self.speaker_for(subj.head.head) if subj.head.head.i != subj.i else None
            end = subj.idx + len(subj.text)
            if about is None:
                return ActorRef(subj.text, subj.idx, end)
            return ActorRef(subj.text, subj.idx, end, about.name, about.code, about.actor_id)
        ref = self.mention_ref(subj)
        low = subj.lower_
        if ref is not None and (ref.name or ref.code or low not in _PERSON_PRONOUNS):
            return ref
        if low in _PERSON_PRONOUNS or pronoun_gender(low):
            resolved = self.antecedent(subj)
            if resolved is not None:
                return resolved
            return ActorRef(text=subj.text, start=subj.idx, end=subj.idx + len(subj.text))
        span = self.doc[subj.left_edge.i : subj.i + 1]
        if subj.right_edge.i > subj.i:  # "a spokesman for the campaign": keep the whole description
            right = max(
                (t.i for t in subj.subtree if t.dep_ != "punct" and t.dep_ != "relcl"), default=subj.i
            )
            relcl = [t for t in subj.children if t.dep_ in {"relcl", "acl"}]
            stop = min((t.left_edge.i for t in relcl), default=right + 1)
            span = self.doc[subj.left_edge.i : max(subj.i + 1, min(right + 1, stop))]
        return ActorRef(text=span.text, start=span.start_char, end=span.end_char)

    def antecedent(self, pronoun: Token) -> ActorRef | None:
        """The most recent earlier speaker, else actor, that agrees with a pronoun, outside quotes.

        "I" and "we" outside quotes are the writer's; he, she and they agree in gender and number."""
        want = pronoun_gender(pronoun.lower_)
        if want is None:
            return None
        at = pronoun.idx
        best: tuple[int, ActorRef] | None = None
        for sp in reversed(self.spoken[-50:]):  # the latest speakers only: linear in the article
            if sp.at >= at or at - sp.at > _LOOKBACK:
                continue
            if self._agrees(sp.gender, want):
                best = (sp.at, sp.ref)
                break
        for k in range(bisect.bisect_left(self._person_starts, at) - 1, -1, -1):
            m = self._persons[k]
            if at - m.start > _LOOKBACK:
                break
            if self.in_quote(m.start):
                continue
            if self._agrees(self.actors.gender(m), want, m):
                if best is None or m.start > best[0] + 200:
                    best = (m.start, self.actors.ref(m))
                break
        if best is None:
            return None
        ref = best[1]
        return ActorRef(
            text=pronoun.text,
            start=pronoun.idx,
            end=pronoun.idx + len(pronoun.text),
            name=ref.name,
            code=ref.code,
            actor_id=ref.actor_id,
        )

    @staticmethod
    def _agrees(gender: str | None, want: str, m: Mention | None = None) -> bool:
        kind = m.kind if m is not None else None
        if want == "p":  # they: a group or an organisation
            return gender == "p" or kind in {"organization", "unnamed"} or (gender is None and kind is None)
        if want == "n":
            return kind in {"organization", "country"} or gender == "n"
        if kind is not None and kind != "person" and not (kind == "unnamed" and gender not in {"p", "n"}):
            return False
        return gender in {None, want}

    def remember(self, ref: ActorRef, at: int) -> None:
        mention = self._by_span.get((ref.start, ref.end))
        gender = self.actors.gender(mention) if mention is not None else None
        if gender is None:
            gender = pronoun_gender(ref.text.lower())
        self.spoken.append(_Speaker(ref, gender, at))

    # -- speakers of direct quotes -------------------------------------------------------------------------
    def colon_speaker(self, open_mark: int) -> tuple[Token | None, ActorRef | None]:
        """ "Lavrov was blunt: “...”" (the colon may end the paragraph before): the subject of the clause the
        colon ends."""
        start = max(0, open_mark - _FRAME)
        before = self.text[start:open_mark].rstrip()
        if not before.endswith(":"):
            return None, None
        colon = self.doc.char_span(start + len(before) - 1, start + len(before), alignment_mode="expand")
        if colon is None or colon.start == 0:
            return None, None
        node = self.doc[colon.start - 1]
        named = self.actors.ref_for_token(node)
        if (
            named is not None
            and node.sent.start >= colon.start - 8
            and not any(t.pos_ in {"VERB", "AUX"} for t in self.doc[node.sent.start : colon.start])
        ):
            return None, named  # a label before the colon: "Frank Newport and Jim Harter: “We found ...”"
        for _ in range(5):
            subj = [c for c in node.children if c.dep_ in _SUBJ]
            if subj:
                return (node if node.pos_ in {"VERB", "AUX"} else None), self.speaker_for(subj[0])
            if node.head == node:
                break
            node = node.head
        return None, None

    def next_sentence_speaker(self, end: int) -> tuple[Token | None, ActorRef | None]:
        """ "“...” \\n\\n Trump said." or "“...” That is what Trump told the rally.": a short sentence after
        the quote whose speech verb has a subject and no content of its own."""
        k = bisect.bisect_right(self.starts, end) - 1
        if k < 0:
            return None, None
        sent = self.doc[k].sent
        nxt = self.doc[sent.end] if sent.end < len(self.doc) else None
        if nxt is None or self.text.count("\n\n", end, nxt.idx) > 1 or nxt.idx - end > 400:
            return None, None
        nsent = nxt.sent
        if (
            len(nsent) > 14
            or any(self.in_quote(t.idx) for t in nsent)
            or '"' in nsent.text
            or "“" in nsent.text
        ):
            return None, None
        for tok in nsent:
            if tok.lemma_.lower() in self.speech and tok.pos_ == "VERB":
                if any(c.dep_ in {"ccomp", "xcomp"} for c in tok.children):
                    return None, None
                subj = self.subject(tok)
                if subj is not None:
                    return tok, self.speaker_for(subj)
        return None, None

    def label_speaker(self, label: str, start: int) -> ActorRef:
        """A transcript label's speaker, named like the article's person with that surname when there is one.
        "Q" is the interviewer; "A" the person most often named in the article."""
        end = start + len(label)
        if label == "A":
            persons = [m for m in self.actors.mentions if m.kind == "person" and m.name]
            if persons:
                key = max({m.key for m in persons}, key=lambda k: sum(m.key == k for m in persons))
                m = next(m for m in persons if m.key == key)
                return ActorRef(label, start, end, m.name, m.code, self.actors.ref(m).actor_id)
            return ActorRef(label, start, end)
        if label == "Q":
            return ActorRef(label, start, end)
        last = fold(label.split()[-1]).strip(".")
        for m in self.actors.mentions:
            if m.kind == "person" and m.name and fold(m.name.split()[-1]) == last:
                ref = self.actors.ref(m)
                return ActorRef(label, start, end, m.name, m.code, ref.actor_id)
        return ActorRef(label, start, end, label.title() if label.isupper() else label)


_FRAME = 600  # characters: how far from a quote its cue may be (keeps the cost linear on huge paragraphs)
_SENTENCE_END = re.compile(r"[.!?](\s|$)")


def _frames(text: str, run: _Run) -> tuple[list[tuple[int, int]], tuple[int, int], tuple[int, int]]:
    """Where a run's cue may be: between its segments, after the last (to the sentence end), before the first
    (from the paragraph start); each at most `_FRAME` characters."""
    first, last = run.segments[0], run.segments[-1]
    between = [
        (a.end + 1, b.open_mark)
        for a, b in zip(run.segments, run.segments[1:], strict=False)
        if not a.continues
    ]
    after_end = min(para_end(text, last.end), last.end + 1 + _FRAME)
    m = _SENTENCE_END.search(text, last.end + 1, after_end)
    after = (last.end + 1, m.end() if m else after_end)
    para_start = max(
        text.rfind("\n", max(0, first.open_mark - _FRAME), first.open_mark) + 1, first.open_mark - _FRAME
    )
    return [(a, b) for a, b in between if b > a], after, (max(0, para_start), first.open_mark)


def _direct_quote(
    article: Article,
    s: int,
    e: int,
    cue: TextSpan | None,
    speaker: ActorRef | None,
    confidence: float,
    evidence: str,
    content_kind: str = "quote",
) -> Quote:
    """A direct quote of article.text[s:e] (speech, in marks or on a transcript line)."""
    return Quote(
        id=quote_id(article.id, s, e, "direct"),
        text=article.text[s:e],
        start=s,
        end=e,
        kind="direct",
        cue=cue,
        speaker=speaker,
        confidence=confidence,
        evidence=f"{EXTRACTOR}: {evidence}",
        cue_type="speech",
        content_kind=content_kind,
    )


def _direct(doc: Doc, article: Article, at: _Attributor) -> list[Quote]:
    text = article.text
    out: list[Quote] = []
    runs = _runs(text)
    at.quoted = [(seg.open_mark, seg.end + 1) for run in runs for seg in run.segments]
    last: _Speaker | None = None
    last_end = -1
    for run in runs:
        words = sum(len(text[s.start : s.end].split()) for s in run.segments)
        between, after, before = _frames(text, run)
        cue: Token | None = None
        speaker: ActorRef | None = None
        how = ""
        for frame, name in [
            *((f, "cue between") for f in between),
            (after, "cue after"),
            (before, "cue before"),
        ]:
            cues = at.speech_cues(*frame, adjacent=name.removeprefix("cue ") if name != "cue between" else "")
            if name == "cue before":
                cues = cues[::-1]  # the closest to the quote
            for c in cues:
                subj = at.subject(c)
                if subj is not None and not at.in_quote(subj.idx):
                    cue, speaker, how = c, at.speaker_for(subj), name
                    break
                lost = at.nearest_actor(c) if subj is None and name != "cue before" else None
                if lost is not None:
                    cue, speaker, how = c, lost, name + " (subject from the nearest actor)"
                    break
            if speaker is not None:
                break
        lead = text[max(0, run.segments[0].open_mark - 20) : run.segments[0].open_mark].rstrip()
        embedded = bool(lead) and (lead[-1].isalnum() or lead[-1] in ",;")
        lexical = cue is not None and cue.lemma_.lower() in at.speech
        if words < _MIN_WORDS and (embedded or not lexical or how not in {"cue between", "cue after"}):
            continue  # scare quotes and titles; short quotes inside reported speech are its content
        if speaker is None:
            cue, speaker = at.colon_speaker(run.segments[0].open_mark)
            how = "colon" if speaker else ""
        if speaker is None and text[run.segments[-1].end : run.segments[-1].end + 2].strip(' ”"»')[:1] in {
            "",
            "\n",
        }:
            cue, speaker = at.next_sentence_speaker(run.segments[-1].end + 1)
            how = "next sentence" if speaker else ""
        confidence = 0.85 if speaker and speaker.code else 0.75 if speaker else 0.4
        if speaker is None and last is not None:
            paras = text.count("\n\n", last_end, run.segments[0].open_mark)
            window = max(0, run.segments[0].open_mark - _FRAME)
            para_start = text.rfind("\n", window, run.segments[0].open_mark) + 1 or window
            opens_para = not text[para_start : run.segments[0].open_mark].strip()
            if paras <= (2 if opens_para else 1):
                speaker, confidence, how = last.ref, 0.55, "continues the previous quote"
        for seg in run.segments:
            s, e = _trim(text, seg.start, seg.end)
            if e <= s:
                continue
            cue_span = TextSpan(cue.idx, cue.idx + len(cue.text), cue.text) if cue is not None else None
            evidence = "quotation marks" + (f", cue '{cue.lemma_}'" if cue is not None else "")
            out.append(
                _direct_quote(
                    article, s, e, cue_span, speaker, confidence, evidence + (f", {how}" if how else "")
                )
            )
        if speaker is not None:
            at.remember(speaker, run.segments[0].open_mark)
            last = at.spoken[-1]
        last_end = run.segments[-1].end
    return out


def _transcript(doc: Doc, article: Article, at: _Attributor, direct: list[Quote]) -> list[Quote]:
    """Paragraphs opened by a speaker label ("WALLACE: ...", "Q: ..."), when the article has at least two."""
    text = article.text
    labels = list(_LABEL.finditer(text))
    if len(labels) < 2 or not any(m.group(1).isupper() for m in labels):
        return []
    out = []
    for m in labels:
        label = m.group(1)
        if not (label.isupper() or len(labels) >= 3):
            continue
        s, e = _trim(text, m.end(), para_end(text, m.end()))
        if e - s < 10 or any(q.start < e and s < q.end for q in direct):
            continue
        speaker = at.label_speaker(label, m.start(1))
        at.remember(speaker, s)
        cue_span = TextSpan(m.end(1), m.end(1) + 1, ":")
        out.append(
            _direct_quote(article, s, e, cue_span, speaker, 0.8, f"transcript label '{label}:'", "transcript")
        )
    return out


# -- indirect attributions ---------------------------------------------------------------------------------
def _content(cue_tok: Token, cue: Cue, source: Token | None) -> tuple[str, list[Token]]:
    """The dependents of a cue that carry its content, by the lexicon's content kinds, and which kind."""
    kids = [c for c in cue_tok.children if source is None or c.i != source.i]
    wants_clause = "clause" in cue.content or "whether" in cue.content
    clause = [c for c in kids if c.dep_ in {"ccomp", "parataxis"} and wants_clause]
    if cue.pos == "NOUN":
        clause += [
            c
            for c in kids
            if c.dep_ in {"acl", "ccomp"} and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark")
        ]
    if "whether" not in cue.content:  # "asked what it meant" needs a cue that takes wh-clauses
        clause = [c for c in clause if not any(m.lower_ in _WH and m.i < c.i for m in c.subtree)]
    if clause:
        return "clause", clause
    if "to" in cue.content:
        xcomp = [c for c in kids if c.dep_ == "xcomp"]
        if xcomp:
            return "to", xcomp
    objs = [c for c in kids if c.dep_ in {"dobj", "obj"}]
    if not objs and any(c.dep_ == "agent" for c in kids):  # "the move was reported by MSNBC"
        objs = [c for c in kids if c.dep_ == "nsubjpass"]
    if "object_pred" in cue.content and objs:
        preds = [
            c for c in kids if c.dep_ in {"oprd", "xcomp", "acomp"} or (c.dep_ == "prep" and c.lower_ == "as")
        ]
        if preds:
            return "object_pred", objs + preds
    preps = [
        c
        for c in kids
        if c.dep_ == "prep"
        and c.lower_ in cue.content
        and c.lower_ in _PREP_KINDS
        and c.i > cue_tok.i  # "On Monday, Cruz insisted": not content
        and not any(g.ent_type_ in {"DATE", "TIME"} for g in c.children if g.dep_ == "pobj")
    ]
    if preps:  # "accused Clinton of lying": the object and what it is accused of
        return preps[0].lower_, objs + preps
    if "object" in cue.content and objs:
        return "object", objs
    return "", []


def _noun_source(tok: Token) -> Token | None:
    """Whose claim: "her claim", "the claim by the campaign", or the subject of "made the claim"."""
    poss = [c for c in tok.children if c.dep_ == "poss"]
    if poss:
        return poss[0]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in {"by", "from"}:
            pobj = [g for g in c.children if g.dep_ == "pobj"]
            if pobj:
                return pobj[0]
    head = tok.head
    if tok.dep_ in {"dobj", "obj"} and head.pos_ == "VERB":
        subj = [c for c in head.children if c.dep_ in _SUBJ]
        if subj:
            return subj[0]
    return None


def _according_to(doc: Doc, tok: Token, at: _Attributor) -> tuple[tuple[int, int], ActorRef] | None:
    if not (tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"):
        return None
    pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
    if not pobj:
        return None
    sent = tok.sent
    phrase_end = max(t.i for t in pobj[0].subtree) + 1
    if tok.i > sent.start:
        content = (sent.start_char, doc[tok.i - 1].idx)
    elif phrase_end < sent.end:
        content = (doc[phrase_end].idx, sent.end_char)
    else:
        return None
    return content, at.speaker_for(pobj[0])


def _indirect(doc: Doc, article: Article, at: _Attributor, direct: list[Quote]) -> list[Quote]:
    text = article.text
    out: list[Quote] = []
    direct_spans = sorted((q.start, q.end) for q in direct)
    direct_starts = [a for a, _ in direct_spans]
    for tok in doc:
        if at.in_quote(tok.idx):
            continue  # the speaker's own words: attributed to the quote's speaker already
        found = _according_to(doc, tok, at)
        cue_type, content_kind = "speech", "according_to"
        if found is not None:
            (s, e), speaker = found
            cue_span = TextSpan(tok.idx, doc[tok.i + 1].idx + 2, text[tok.idx : doc[tok.i + 1].idx + 2])
            lemma = "according to"
        else:
            cue = at.cue(tok)
            if cue is None or (cue.pos == "VERB" and tok.dep_ in {"amod"}):
                continue
            source = at.subject(tok) if cue.pos == "VERB" else _noun_source(tok)
            if source is None or at.in_quote(source.idx):
                continue
            content_kind, parts = _content(tok, cue, source)
            if not parts:
                continue
            toks = [t for p in parts for t in p.subtree if t.i != tok.i]
            toks = [t for t in toks if not (t.dep_ == "mark" and t.head in parts and t.lower_ == "that")]
            if not toks:
                continue
            first, last = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
            s, e = first.idx, last.idx + len(last.text)
            speaker = at.speaker_for(source)
            cue_span = TextSpan(tok.idx, tok.idx + len(tok.text), tok.text)
            cue_type = cue.type
            lemma = cue.lemma
        s, e = _trim(text, s, e)
        while s < e and text[s] in ",;: ":
            s += 1
        if text[s : s + 5].lower() == "that ":
            s += 5
        while e > s and text[e - 1] in ".,;:":
            e -= 1
        if e <= s or len(text[s:e].split()) < (1 if cue_type != "speech" or lemma != "according to" else 2):
            continue
        near = direct_spans[
            max(0, bisect.bisect_right(direct_starts, s) - 1) : bisect.bisect_left(direct_starts, e)
        ]  # the direct quotes that may overlap [s, e)
        if any(a <= s and e <= b + 1 for a, b in near):
            continue  # the words of a direct quote, found again through its cue
        if any(s <= a and b <= e for a, b in near) and not any(
            a < s or b > e for a, b in near if a < e and s < b
        ):
            # a clause that is wholly a direct quote ("he said “...”"): the direct quote stands for it
            inner = [(a, b) for a, b in near if s <= a and b <= e]
            if sum(b - a for a, b in inner) >= 0.8 * (e - s):
                continue
        out.append(
            Quote(
                id=quote_id(article.id, s, e, "indirect"),
                text=text[s:e],
                start=s,
                end=e,
                kind="indirect",
                cue=cue_span,
                speaker=speaker,
                confidence=0.6 if speaker.code or speaker.name else 0.45,
                evidence=f"{EXTRACTOR}: {cue_type} cue '{lemma}', content: {content_kind}",
                cue_type=cue_type,
                content_kind=content_kind,
            )
        )
    return out


def _in_order(quotes: Iterable[Quote]) -> list[Quote]:
    unique = {(q.start, q.end, q.kind): q for q in reversed(list(quotes))}  # one per span: the first cue
    return sorted(unique.values(), key=lambda q: (q.start, q.kind))


def _headline_quotes(doc: Doc, article: Article, at: _Attributor, quotes: list[Quote]) -> list[Quote]:
    """Unattributed direct quotes whose words reappear attributed later ("headline" and caption copies of a
    quote): they take the later quote's speaker."""
    out = []
    attributed = [q for q in quotes if q.speaker is not None and q.kind == "direct"][:200]  # bounded
    for q in quotes:
        if q.speaker is not None or q.kind != "direct":
            out.append(q)
            continue
        words = set(re.findall(r"\w+", q.text.lower()))
        twin = next(
            (
                a
                for a in attributed
                if a is not q
                and words
                and len(words & set(re.findall(r"\w+", a.text.lower()))) >= 0.7 * len(words)
            ),
            None,
        )
        if twin is None:
            out.append(q)
            continue
        evidence = q.evidence + ", speaker of the same words quoted elsewhere"
        out.append(replace(q, speaker=twin.speaker, confidence=0.6, evidence=evidence))
    return out


def extract_quotes(doc: Doc, article: Article, actors: ActorIndex) -> list[Quote]:
    """Find the direct quotes and the reported attributions of one article, with their speakers.

    Args:
        doc: the parsed `article.text`.
        article: the article.
        actors: its actors (speakers are resolved to them).

    Returns:
        Quotes in text order; ``cue_type`` says whether each was said, thought, intended, shown or perceived.

    Example:
        >>> [q.speaker.name for q in extract_quotes(doc, article, actors)]  # doctest: +SKIP
        ['John Kirby']
    """
    at = _Attributor(doc, article, actors)
    direct = _direct(doc, article, at)
    direct += _transcript(doc, article, at, direct)
    direct = _headline_quotes(doc, article, at, sorted(direct, key=lambda q: q.start))
    indirect = _indirect(doc, article, at, direct)
    return _in_order(direct + indirect)
