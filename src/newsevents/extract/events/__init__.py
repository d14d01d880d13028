"""Events: PLOVER-coded who-did-what-to-whom from the dependency parse, with factuality and provenance.

Version ``events.v2``. Triggers are verbs and event nouns: the patterns of `data/event_triggers.tsv` and
`data/patterns/*.tsv` (`newsevents.kb.patterns`); actors and recipients come from the clause structure
(subjects, objects, "with"/"against" phrases, passive agents, coordination, subjects carried into
infinitives); factuality from negation, modals, conditionals and the
verbs that govern the trigger ("wants X to strike" is a REQUEST, not a strike). The rules' word lists are
data too (`data/event_words.tsv`).

Modules, by concern: `coding` (the loop and the merging of repeats), `triggers` and `readings` (which
words are events, and of what type), `arguments` (actors, recipients, reporter), `factuality`, `grounding`
(date and place), `context` (what the rules read about one article), `vocabulary` (the word lists).
"""

from __future__ import annotations

from newsevents.extract.events.coding import EXTRACTOR, extract_events
from newsevents.extract.events.triggers import constraints as _constraints  # noqa: F401 (tests/kb use it)

__all__ = ["EXTRACTOR", "extract_events"]
