"""Happenings: reports of one event merged, with their factuality history; disagreement shown, not merged."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.link.happenings import (
    ActorRef,
    EventInput,
    compatible_roles,
    find_happenings,
    happening_id,
    period,
)

D = dt.date
BLINKEN = ActorRef("antony blinken", "USAGOV")
US = ActorRef("united states", "USA", country=True)
ISRAEL = ActorRef("israel", "ISR", country=True)
NETANYAHU = ActorRef("benjamin netanyahu", "ISRGOV")
PUTIN = ActorRef("vladimir putin", "RUSGOV")
OFFICIALS = ActorRef(None, "USAGOV")


def mention(
    eid: str, article: str, kind: str = "CONSULT", factuality: str = "asserted", **kw: object
) -> EventInput:
    day = kw.pop("day", D(2024, 5, 7))
    assert isinstance(day, D)
    fields: dict[str, object] = {"first": day, "last": day, "published": kw.pop("published", day)}
    fields.update(kw)
    return EventInput(eid, article, kind, factuality, **fields)  # type: ignore[arg-type]


def test_a_planned_meeting_that_happens_is_one_happening_future_then_asserted() -> None:
    plan = mention(
        "e1",
        "a1",
        factuality="future",
        day=D(2024, 4, 1),
        dating="article",
        actors=(BLINKEN,),
        recipients=(NETANYAHU,),
    )
    held = mention("e2", "a2", day=D(2024, 4, 8), actors=(OFFICIALS,), recipients=(ISRAEL,))
    (h,) = find_happenings([held, plan])
    assert h.mentions == ("e1", "e2") and h.factuality == "asserted"
    assert h.id == happening_id("e1") and h.representative == "e2"
    assert h.first == D(2024, 4, 8) and (h.n_mentions, h.n_articles) == (2, 2)


def test_a_denial_is_kept_apart_and_both_sides_show_the_disagreement() -> None:
    said = mention("e1", "a1", "ACCUSE", actors=(NETANYAHU,), recipients=(US,))
    denied = mention("e2", "a2", "ACCUSE", "negated", actors=(NETANYAHU,), recipients=(US,))
    a, b = find_happenings([said, denied])
    assert a.contradicts == (b.id,) and b.contradicts == (a.id,)
    assert {a.factuality, b.factuality} == {"asserted", "negated"}


def test_different_named_actors_types_or_days_are_different_happenings() -> None:
    base = mention("e1", "a1", actors=(BLINKEN,), recipients=(NETANYAHU,))
    other_actor = mention("e2", "a2", actors=(PUTIN,), recipients=(NETANYAHU,))
    other_type = mention("e3", "a3", "ASSAULT", actors=(BLINKEN,), recipients=(NETANYAHU,))
    other_day = mention("e4", "a4", day=D(2024, 5, 20), actors=(BLINKEN,), recipients=(NETANYAHU,))
    assert len(find_happenings([base, other_actor, other_type, other_day])) == 4


def test_arguments_in_disjoint_roles_are_no_evidence_of_one_event() -> None:
    police = ActorRef(None, "CHLCOP")
    civilians = ActorRef(None, "CHLCVL")
    a = mention("e1", "a1", "COERCE", actors=(police,))
    b = mention("e2", "a1", "COERCE", recipients=(civilians,))
    bare = mention("e3", "a2", "COERCE")
    assert len(find_happenings([a, b])) == 2
    assert len(find_happenings([a, bare])) == 1  # a report without arguments fits


def test_a_copys_mentions_are_kept_but_not_counted_twice() -> None:
    a = mention("e1", "a1", actors=(BLINKEN,), sources=frozenset({"wire/1.txt"}))
    copy = mention("e2", "a2", actors=(BLINKEN,), duplicate_of="a1", sources=frozenset({"paper/1.txt"}))
    other = mention("e3", "a3", actors=(BLINKEN,), sources=frozenset({"tv/1.txt"}))
    (h,) = find_happenings([a, copy, other])
    assert h.mentions == ("e1", "e2", "e3")
    assert (h.n_mentions, h.n_articles, h.n_sources) == (2, 2, 3)


def test_surname_and_country_compatibility() -> None:
    assert compatible_roles([ActorRef("kavalenka", None)], [ActorRef("andrei kavalenka", "BLROPP")])
    assert compatible_roles(
        [ActorRef("belarus", "BLR", country=True)], [ActorRef("belarus police", "BLRCOP")]
    )
    assert not compatible_roles([ActorRef("ana pop", None)], [ActorRef("ion pop", None)])


def test_linking_periods() -> None:
    day = D(2024, 5, 7)
    assert period(mention("e", "a", day=day)) == (D(2024, 5, 6), D(2024, 5, 8))
    assert period(mention("e", "a", day=day, dating="article")) == (D(2024, 5, 5), day)
    assert period(mention("e", "a", day=day, dating="background")) == (D(2024, 3, 8), day)
    assert period(EventInput("e", "a", "CONSULT", "asserted", dating="article")) is None


MENTIONS = [
    mention(f"e{k}", f"a{k % 4}", kind, fact, day=D(2024, 5, 1 + k % 5), actors=actors)
    for k, (kind, fact, actors) in enumerate(
        [
            ("CONSULT", "asserted", (BLINKEN,)),
            ("CONSULT", "future", (OFFICIALS,)),
            ("ACCUSE", "negated", (NETANYAHU,)),
            ("ACCUSE", "asserted", (NETANYAHU,)),
            ("CONSULT", "asserted", (PUTIN,)),
            ("COERCE", "asserted", ()),
            ("CONSULT", "asserted", (US,)),
            ("ACCUSE", "asserted", (ISRAEL,)),
        ]
        * 2
    )
]


@settings(max_examples=30, deadline=None)
@given(st.permutations(MENTIONS))
def test_happenings_do_not_depend_on_input_order(shuffled: list[EventInput]) -> None:
    assert find_happenings(shuffled) == find_happenings(MENTIONS)
