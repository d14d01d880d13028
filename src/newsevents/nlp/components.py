"""spaCy components owned by newsevents."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["PARAGRAPH_BREAKS"]

PARAGRAPH_BREAKS = "newsevents_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS, assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: headings and captions never run into the next paragraph.

    The parser keeps sentence starts that are already set, so this runs before it.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if ("\n" in prev.text_with_ws and not tok.is_space) or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc
