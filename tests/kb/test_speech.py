"""The cue lexicon and the given-name genders: bundled data checked row by row."""

from __future__ import annotations

from newsevents.kb.speech import (
    CONTENT_KINDS,
    CUE_TYPES,
    cue_lexicon,
    gender_of_name,
    given_name_genders,
    pronoun_gender,
)


def test_cue_lexicon_is_broad_and_valid():
    lex = cue_lexicon()
    assert len(lex) >= 700
    assert {c.type for c in lex.values()} == CUE_TYPES
    assert all(c.content <= CONTENT_KINDS and c.content for c in lex.values())
    for lemma in ("say", "tell", "add", "warn", "insist", "tweet", "accuse", "deny"):
        assert lex[(lemma, "VERB")].type == "speech", lemma
    assert lex[("believe", "VERB")].type == "thought"
    assert lex[("want", "VERB")].type == "intention"
    assert "to" in lex[("want", "VERB")].content
    assert lex[("claim", "NOUN")].pos == "NOUN"
    assert "of" in lex[("accuse", "VERB")].content


def test_given_names_cover_the_world_and_agree_with_honorifics():
    names = given_name_genders()
    assert len(names) >= 1200
    assert names["hillary"] == "f" and names["bernie"] == "m"
    assert gender_of_name(["Hillary", "Clinton"]) == "f"
    assert gender_of_name(["Chelsea", "Clinton"]) == "f"
    assert gender_of_name(["Bill", "Clinton"]) == "m"
    assert gender_of_name(["Mrs.", "Clinton"]) == "f"
    assert gender_of_name(["Sen.", "Elizabeth", "Warren"]) == "f"
    assert gender_of_name(["Sen.", "Warren"]) is None  # a title that does not tell
    assert gender_of_name(["Clinton"]) is None  # a surname alone does not tell
    assert gender_of_name(["Spokeswoman", "Haley", "Morris"]) == "f"


def test_pronoun_gender():
    assert [pronoun_gender(w) for w in ("He", "her", "they", "its", "we")] == ["m", "f", "p", "n", None]
