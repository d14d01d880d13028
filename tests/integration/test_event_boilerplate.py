"""Removed boilerplate never yields events; export codes travel through the public API."""

from __future__ import annotations

import pytest

from newsevents import extract_text

ARTICLE = """Egypt and Qatar held talks with Hamas leaders in Cairo on Monday, a diplomat said.

Israeli soldiers arrest a Palestinian man in Jenin, May 5, 2024. (credit: REUTERS/Raneen Sawafta)

Subscribe to our newsletter to get the latest news on the war in Gaza.

The talks focused on a ceasefire proposal, an Egyptian official said.
"""


@pytest.mark.model
@pytest.mark.issue(4)
def test_events_never_come_from_removed_captions_or_promos(nlp):
    result = extract_text(ARTICLE, published="2024-05-07")
    reasons = {r["reason"] for r in result["article"]["removed"]}
    assert "photo caption" in reasons
    text = result["article"]["text"]
    assert "arrest" not in text
    assert not [e for e in result["events"] if e["type"] == "COERCE"]
    talks = next(e for e in result["events"] if e["trigger"]["text"] == "talks")
    assert (talks["type"], talks["cameo"], talks["quad_class"]) == ("CONSULT", "040", 1)
    assert talks["goldstein"] == 1.0 and talks["reported_by"]["text"] == "diplomat"
    for e in result["events"]:
        assert text[e["trigger"]["start"] : e["trigger"]["end"]] == e["trigger"]["text"]
