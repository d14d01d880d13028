"""Score the extractors against the team's gold sets (precision, recall, F1) and gate CI on pinned floors.

Gold sets are JSON Lines files in ``tests/gold/`` (formats in ``tests/gold/README.md`` and
``tests/gold/EVENTS_GUIDELINES.md``). Floors live in a baseline JSON file
(``tests/eval/baseline.json``); `check_floors` fails when a metric drops below its floor, and
`update_baseline` refuses to lower a floor unless explicitly allowed, as trafilatura's eval gate does.
"""

from newsevents.evaluate.actors import eval_actors
from newsevents.evaluate.attributions import eval_attributions, read_brat_corpus
from newsevents.evaluate.core import EvalReport, Score, check_floors, load_gold, locate, update_baseline
from newsevents.evaluate.events import eval_events
from newsevents.evaluate.places import eval_places, eval_places_engines
from newsevents.evaluate.quotes import eval_quotes
from newsevents.evaluate.stories import eval_stories
from newsevents.evaluate.time import eval_time

__all__ = [
    "EvalReport",
    "Score",
    "check_floors",
    "eval_actors",
    "eval_attributions",
    "eval_events",
    "eval_places",
    "eval_places_engines",
    "eval_quotes",
    "eval_stories",
    "eval_time",
    "load_gold",
    "locate",
    "read_brat_corpus",
    "update_baseline",
]
