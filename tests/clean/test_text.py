"""Tests for newsevents.clean.text: normalisers, debris, header, title/subtitle, dates, ids, samples."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.clean import clean_article
from newsevents.clean.text import (
    canonical_url,
    collapse_blank_lines,
    find_dates,
    hash_content,
    make_pipeline,
    normalize_newlines,
    normalize_spaces,
    normalize_text,
    normalize_unicode,
    parse_date,
    remove_control_chars,
    remove_debris,
    strip_line_spaces,
    strip_text,
)
from newsevents.ingest.base import STDIN_SOURCE
from newsevents.model import Article, InferredDate, RawArticle, ReasonCode, Rejected, Removal

_REPO = Path(__file__).resolve().parents[2]
_SHARED = _REPO.parent / "shared" / "samples"
SAMPLES = _SHARED if _SHARED.is_dir() else _REPO / "examples"

BODY = "The minister said talks would go on.\n\nA second paragraph follows."


def _sample(prefix: str) -> Article:
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    article = clean_article(RawArticle(source=str(path), body=path.read_text(encoding="utf-8")))
    assert isinstance(article, Article)
    return article


def _clean(body: str, **fields: str) -> Article:
    article = clean_article(RawArticle(source="made-up.txt", body=body, **fields))  # type: ignore[arg-type]
    assert isinstance(article, Article), article
    return article


def _reasons(article: Article) -> list[tuple[str, str]]:
    return [(r.reason, r.text) for r in article.removed]


# -------------------- samples


@pytest.fixture(scope="module")
def sample_000() -> Article:
    return _sample("000")


@pytest.fixture(scope="module")
def sample_002() -> Article:
    return _sample("002")


def test_clean_article_sample_000_header_date(sample_000: Article) -> None:
    assert sample_000.published == dt.date(2024, 5, 7)
    assert sample_000.published_inferred is None
    assert sample_000.text.startswith("Israel is committed to winning the war")
    assert "date 2024" not in sample_000.text


def test_clean_article_sample_000_caption_removed_sentence_kept(sample_000: Article) -> None:
    caption = "US President Joe Biden (left) and Prime Minister Benjamin Netanyahu (right) (credit: FLASH90)"
    assert ("photo caption", caption) in _reasons(sample_000)
    assert "FLASH90" not in sample_000.text
    assert "(left)" not in sample_000.text
    assert "ensuring the total defeat of Hamas.\n\nThe US supports" in sample_000.text


def test_clean_article_sample_000_contributor_removed(sample_000: Article) -> None:
    assert ("contributor line", "Jerusalem Post Staff contributed to this report.") in _reasons(sample_000)
    assert "contributed to this report" not in sample_000.text
    assert sample_000.text.endswith("the official stated.")


def test_clean_article_sample_000_keeps_quotes_and_title_none(sample_000: Article) -> None:
    assert sample_000.title is None
    assert "“Americans want the war to end" in sample_000.text
    assert "Conversation 'better than expected'" in sample_000.text


def test_clean_article_sample_002_title_and_subtitle(sample_002: Article) -> None:
    assert sample_002.title == "Israel agrees to take US concerns into account in Rafah operation"
    assert sample_002.subtitle is not None
    assert sample_002.subtitle.startswith("Sullivan and Blinken met")
    assert sample_002.text.startswith("Israel agreed to take Biden administration concerns")
    assert sample_002.title not in sample_002.text
    assert "Sullivan and Blinken met" not in sample_002.text


def test_clean_article_sample_002_inferred_date(sample_002: Article) -> None:
    assert sample_002.published is None
    inferred = sample_002.published_inferred
    assert inferred is not None
    assert (inferred.earliest, inferred.latest) == (dt.date(2024, 3, 31), None)
    assert "caption" in inferred.reason and "March 31, 2024" in inferred.reason


def test_clean_article_sample_002_debris_removed(sample_002: Article) -> None:
    reasons = _reasons(sample_002)
    blinken = (
        "US Secretary of State Antony Blinken talks to a senior staff on a C-17 Globemaster as he departs "
        "Jeddah for Cairo, Egypt, in Jeddah, Saudi Arabia March 21, 2024."
    )
    netanyahu = (
        "Prime Minister Netanyahu during a press conference, March 31, 2024. (credit: MARC ISRAEL SELLEM)"
    )
    assert reasons == [
        ("photo caption", blinken + " (photo credit: REUTERS/EVELYN HOCKSTEIN/POOL)"),
        ("duplicate caption", blinken),
        ("photo credit", "(photo credit: REUTERS/EVELYN HOCKSTEIN/POOL)"),
        ("photo caption", netanyahu),
        ("duplicate caption", netanyahu),
        ("newsletter promo", "Stay updated with the latest news!"),
        ("newsletter promo", "Subscribe to The Jerusalem Post Newsletter"),
    ]
    for gone in (
        "Blinken talks to a senior staff",
        "press conference",
        "credit",
        "Stay updated",
        "Subscribe",
    ):
        assert gone not in sample_002.text


def test_clean_article_sample_002_keeps_subheading_and_layout(sample_002: Article) -> None:
    assert "\n\nCancellation of the trip\n\n" in sample_002.text
    assert "\n\n\n" not in sample_002.text
    assert "\u00a0" not in sample_002.text
    assert "Rafah.\n\n“The Israeli side agreed" in sample_002.text  # the NBSP line end is now clean
    assert "administration’s failure" in sample_002.text  # curly apostrophe untouched
    assert "before.\n\nBut as the hostage talks stall" in sample_002.text


# -------------------- normalisers


@pytest.mark.parametrize(
    ("func", "text", "expected"),
    [
        (normalize_newlines, "a\r\nb\rc\nd", "a\nb\nc\nd"),
        (normalize_newlines, "a\r\r\nb\u2028c\u2029d\x85e", "a\n\nb\nc\nd\ne"),
        (remove_control_chars, "a\x00b\x01c\x1bd\x7fe\x9ff", "abcdef"),
        (remove_control_chars, "keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        (remove_control_chars, "\ufeffbom\ud800", "bom"),
        (normalize_spaces, "10\u00a0km\u202fand\u2009more\u3000x", "10 km and more x"),
        (normalize_unicode, "Cafe\u0301", "Caf\u00e9"),
        (normalize_unicode, "“curly” ‘quotes’ it’s", "“curly” ‘quotes’ it’s"),
        (strip_line_spaces, "  a  \n\t b\t\n c", "a\nb\nc"),
        (strip_line_spaces, "in  side", "in  side"),
        (collapse_blank_lines, "a\n\n\n\n\nb\n\nc\nd", "a\n\nb\n\nc\nd"),
        (strip_text, "\n\n  a b \n", "a b"),
    ],
)
def test_normalisers_transform(func: object, text: str, expected: str) -> None:
    assert callable(func)
    assert func(text) == expected


def test_normalize_text_composes_all_steps() -> None:
    raw = "\ufeff  Title\u00a0 \r\n\r\n\r\n\r\n  Body\x00 text “quoted”.  \r\n"
    assert normalize_text(raw) == "Title\n\nBody text “quoted”."


def test_normalize_text_composes_after_control_removal() -> None:
    assert normalize_text("e\x00\u0301") == "\u00e9"


def test_make_pipeline_applies_left_to_right() -> None:
    pipeline = make_pipeline(lambda s: s + "a", lambda s: s + "b", str.upper)
    assert pipeline("x") == "XAB"


def test_make_pipeline_empty_is_identity() -> None:
    assert make_pipeline()("same") == "same"


_NORMALISERS = [
    normalize_newlines,
    remove_control_chars,
    normalize_spaces,
    normalize_unicode,
    strip_line_spaces,
    collapse_blank_lines,
    strip_text,
    normalize_text,
]


@pytest.mark.parametrize("func", _NORMALISERS, ids=lambda f: f.__name__)
@given(text=st.text())
def test_normalisers_are_idempotent(func: object, text: str) -> None:
    assert callable(func)
    once = func(text)
    assert func(once) == once


@given(text=st.text(max_size=300))
def test_normalize_text_leaves_no_control_characters(text: str) -> None:
    out = normalize_text(text)
    assert "\r" not in out and "\x00" not in out and "\u00a0" not in out and "\n\n\n" not in out
    assert out == out.strip()


# -------------------- header and dates


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (" date 2024-05-07 Israel is committed to the war.", "Israel is committed to the war."),
        ("date 2024-05-07\nFirst line.\n\nSecond.", "First line.\n\nSecond."),
        ("date: 2024-05-07\n\nBody.", "Body."),
        ("Date: 2024-05-07T10:30:00Z Body.", "Body."),
        ("\ufeff date 2024-05-07\r\nBody.", "Body."),
    ],
)
def test_clean_article_date_header(body: str, text: str) -> None:
    article = _clean(body)
    assert (article.published, article.text) == (dt.date(2024, 5, 7), text)


def test_clean_article_date_word_in_prose_is_not_a_header() -> None:
    article = _clean("dated 2024-05-07 records show growth.")
    assert article.published is None
    assert article.text == "dated 2024-05-07 records show growth."


def test_clean_article_impossible_header_date_is_removed_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        article = _clean("date 2024-13-45 Body text.")
    assert (article.published, article.text) == (None, "Body text.")
    assert "2024-13-45" in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-07", dt.date(2024, 5, 7)),
        ("2024-05-07T23:10:00+03:00", dt.date(2024, 5, 7)),
        ("2024-05-07 23:10:00", dt.date(2024, 5, 7)),
        ("2024/5/7", dt.date(2024, 5, 7)),
        ("20240507", dt.date(2024, 5, 7)),
        ("May 7, 2024", dt.date(2024, 5, 7)),
        ("7 May 2024", dt.date(2024, 5, 7)),
        ("Tue, 07 May 2024 10:00:00 GMT", dt.date(2024, 5, 7)),
        ("Sept. 3rd, 2023", dt.date(2023, 9, 3)),
        ("yesterday", None),
        ("2024-02-30", None),
        ("", None),
    ],
)
def test_parse_date_formats(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_clean_article_metadata_date_wins_over_header() -> None:
    article = _clean("date 2024-05-07 Body.", published="2024-05-08T01:00:00Z")
    assert (article.published, article.text) == (dt.date(2024, 5, 8), "Body.")


def test_clean_article_unparseable_metadata_date_is_null_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        article = _clean("Body text.", published="sometime last week")
    assert article.published is None
    assert "sometime last week" in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on March 21, 2024 in Jeddah", [(dt.date(2024, 3, 21), "March 21, 2024")]),
        ("on 21 March 2024.", [(dt.date(2024, 3, 21), "21 March 2024")]),
        ("on 2024-03-21.", [(dt.date(2024, 3, 21), "2024-03-21")]),
        (
            "Mar. 5 2023 and 1st of June, 2022",
            [(dt.date(2023, 3, 5), "Mar. 5 2023"), (dt.date(2022, 6, 1), "1st of June, 2022")],
        ),
        ("in March 2024, on May 40, 2024, on Monday", []),
    ],
)
def test_find_dates_full_dates_only(text: str, expected: list[tuple[dt.date, str]]) -> None:
    assert find_dates(text) == expected


# -------------------- captions and credits


def test_clean_article_caption_after_sentence_on_same_line() -> None:
    article = _clean(
        "Troops advanced on Tuesday. Residents fled north. "
        "Soldiers at the border (AP Photo/Ariel Schalit)\n\nMore text."
    )
    assert article.text == "Troops advanced on Tuesday. Residents fled north.\n\nMore text."
    assert _reasons(article) == [("photo caption", "Soldiers at the border (AP Photo/Ariel Schalit)")]


@pytest.mark.parametrize(
    "caption",
    [
        "A man walks past rubble in Khan Younis. (Photo: Reuters)",
        "Protesters in Tel Aviv, January 3, 2024. (Image: Getty)",
        "Firefighters at the scene (Getty Images)",
        "The president at the White House (Reuters)",
        "Rescue teams search for survivors (John Smith/AFP via Getty Images)",
        "The ship in the Red Sea (Handout/Reuters)",
        "Delegates arrive (credits: U.N. Photo/Jane Doe)",
        "The summit in Brussels (Photo by Jane Doe)",
    ],
)
def test_clean_article_whole_line_caption(caption: str) -> None:
    article = _clean(f"Opening sentence of the story.\n\n{caption}\n\nClosing sentence.")
    assert article.text == "Opening sentence of the story.\n\nClosing sentence."
    assert _reasons(article) == [("photo caption", caption)]


def test_clean_article_caption_keeps_abbreviations_inside_caption() -> None:
    article = _clean(
        "Body sentence here. U.S. Sen. John Smith speaks to Dr. Who in St. Louis (credit: AP)\n\nEnd."
    )
    assert article.text == "Body sentence here.\n\nEnd."


@pytest.mark.parametrize(
    "line",
    [
        "The figures were confirmed by Agence France-Presse (AFP).",
        "He spoke to the Associated Press (AP) on Monday.",
        "The photo (credit: unknown) went viral on Monday.",
    ],
)
def test_clean_article_prose_with_credit_like_parenthesis_is_kept(line: str) -> None:
    article = _clean(f"Start.\n\n{line}\n\nEnd.")
    assert line in article.text
    assert article.removed == ()


def test_clean_article_duplicate_caption_before_and_after() -> None:
    body = (
        "Start of the story.\n\n"
        "Smoke rises over the city\n"
        "Smoke rises over the city (credit: Jane Doe)\n"
        "Smoke rises over the city\n"
        "(credit: Jane Doe)\n\n"
        "End of the story."
    )
    article = _clean(body)
    assert article.text == "Start of the story.\n\nEnd of the story."
    assert _reasons(article) == [
        ("duplicate caption", "Smoke rises over the city"),
        ("photo caption", "Smoke rises over the city (credit: Jane Doe)"),
        ("duplicate caption", "Smoke rises over the city"),
        ("photo credit", "(credit: Jane Doe)"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "(Reuters)",
        "Photo: Reuters",
        "Credit: Jane Doe/Flash90",
        "Image: Getty Images",
        "REUTERS/Amir Cohen",
        "Photograph: Ahmad Hasaballah/Getty Images",
        "(AP Photo/Ohad Zwigenberg)",
        "Getty Images",
    ],
)
def test_clean_article_credit_line(line: str) -> None:
    article = _clean(f"Start.\n\n{line}\n\nEnd.")
    assert article.text == "Start.\n\nEnd."
    assert _reasons(article) == [("photo credit", line)]


def test_clean_article_agency_poll_sentence_is_not_a_credit() -> None:
    article = _clean("Start.\n\nReuters/Ipsos polls show 40% support.\n\nEnd.")
    assert article.removed == ()


# -------------------- other debris


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Stay informed with our daily briefing!", "newsletter promo"),
        ("Sign up for our newsletter", "newsletter promo"),
        ("Subscribe now", "newsletter promo"),
        ("Subscribe to The Daily Planet Newsletter", "newsletter promo"),
        ("Get the latest headlines delivered to your inbox", "newsletter promo"),
        ("Click here to subscribe", "newsletter promo"),
        ("Don't miss our breaking news alerts", "newsletter promo"),
        ("Share this article", "share/read-more"),
        ("Share on Facebook", "share/read-more"),
        ("Read more: Ceasefire talks stall in Cairo", "share/read-more"),
        ("READ MORE:", "share/read-more"),
        ("Related: Hostage families rally in Tel Aviv", "share/read-more"),
        ("Advertisement", "share/read-more"),
        ("Follow us on Twitter", "share/read-more"),
        ("Follow The Daily Planet on Telegram", "share/read-more"),
        ("Reuters contributed to this report", "contributor line"),
        ("Jane Doe and John Smith contributed reporting.", "contributor line"),
        ("Additional reporting by Jane Doe in Gaza", "contributor line"),
        ("Reporting by Jane Doe; Editing by John Smith", "contributor line"),
        (
            "(Reporting by Jane Doe in Jerusalem; Writing by John Smith; Editing by Ann Lee)",
            "contributor line",
        ),
    ],
)
def test_clean_article_removes_debris_line(line: str, reason: str) -> None:
    article = _clean(f"First paragraph.\n\n{line}\n\nLast paragraph.")
    assert article.text == "First paragraph.\n\nLast paragraph."
    assert _reasons(article) == [(reason, line)]


@pytest.mark.parametrize(
    "line",
    [
        "The ministry said its newsletter would stop publishing next month.",
        "Subscribers to the service complained about outages on Monday.",
        "Reporting by the BBC revealed that the minister had misled parliament.",
        "She shared the article with colleagues, who read more into it.",
        "He said he contributed to this report's findings in 2019, and that they were sound.",
        "Stay calm, officials told residents on Monday.",
        "Related talks will continue next week, the envoy said.",
    ],
)
def test_clean_article_keeps_prose_resembling_debris(line: str) -> None:
    article = _clean(f"First paragraph.\n\n{line}\n\nLast paragraph.")
    assert line in article.text
    assert article.removed == ()


def test_clean_article_contributor_sentence_ending_last_paragraph() -> None:
    article = _clean(
        "First paragraph.\n\nThe talks will resume on Sunday. Reuters contributed to this report."
    )
    assert article.text == "First paragraph.\n\nThe talks will resume on Sunday."
    assert _reasons(article) == [("contributor line", "Reuters contributed to this report.")]


def test_clean_article_contributor_sentence_mid_article_is_kept() -> None:
    body = "First. Reuters contributed to this report.\n\nLast paragraph goes on."
    assert _clean(body).text == body


def test_clean_article_duplicate_paragraph() -> None:
    article = _clean("First paragraph.\n\nRepeated paragraph.\n\nRepeated paragraph.\n\nLast paragraph.")
    assert article.text == "First paragraph.\n\nRepeated paragraph.\n\nLast paragraph."
    assert _reasons(article) == [("duplicate paragraph", "Repeated paragraph.")]


def test_clean_article_non_adjacent_repeat_is_kept() -> None:
    body = "Same words.\n\nOther words.\n\nSame words."
    assert _clean(body).text == body


def test_remove_debris_renormalises_blank_lines() -> None:
    text, removed = remove_debris("A.\n\nAdvertisement\n\n\n\nShare this article\n\nB.\nAdvertisement\nC.")
    assert text == "A.\n\nB.\n\nC."
    assert [r.reason for r in removed] == ["share/read-more"] * 3


def test_remove_debris_keeps_text_without_debris_byte_for_byte() -> None:
    text = "Line one “quoted” — it’s fine.\nLine two\tend.\n\nPara two (with aside)."
    assert remove_debris(text) == (text, ())


def test_remove_debris_removal_text_is_stripped() -> None:
    _, removed = remove_debris("Body sentence. A view of Gaza (credit: IDF)")
    assert removed == (Removal(text="A view of Gaza (credit: IDF)", reason="photo caption"),)


# -------------------- title and subtitle


@pytest.mark.parametrize(
    ("body", "title", "text"),
    [
        ("Ceasefire talks resume in Cairo\n\n" + BODY, "Ceasefire talks resume in Cairo", BODY),
        ("Will the truce hold?\n\n" + BODY, "Will the truce hold?", BODY),
        ("Strike on convoy: what we know\n\n" + BODY, "Strike on convoy: what we know", BODY),
    ],
)
def test_clean_article_leading_title(body: str, title: str, text: str) -> None:
    article = _clean(body)
    assert (article.title, article.subtitle, article.text) == (title, None, text)


@pytest.mark.parametrize(
    "first",
    [
        "The minister resigned.",
        "Officials said:",
        "Note;",
        " ".join(["word"] * 26),
        "x" * 201,
        "12345",
        "Two lines\nof heading",
    ],
    ids=["period", "colon", "semicolon", "26-words", "201-chars", "no-letters", "two-lines"],
)
def test_clean_article_first_paragraph_is_not_a_title(first: str) -> None:
    article = _clean(f"{first}\n\n{BODY}")
    assert article.title is None
    assert article.text.startswith(first)


def test_clean_article_lone_paragraph_is_not_a_title() -> None:
    article = _clean("Breaking news from Cairo")
    assert (article.title, article.text) == (None, "Breaking news from Cairo")


def test_clean_article_metadata_title_equal_to_first_paragraph_is_removed() -> None:
    article = _clean("Talks   resume in Cairo\n\n" + BODY, title="Talks resume in cairo")
    assert (article.title, article.text) == ("Talks resume in cairo", BODY)


def test_clean_article_metadata_title_keeps_different_first_paragraph() -> None:
    body = "Short heading-like line\n\n" + BODY
    article = _clean(body, title="The real headline")
    assert (article.title, article.subtitle, article.text) == ("The real headline", None, body)


def test_clean_article_subtitle_followed_by_caption() -> None:
    body = (
        "Rafah crossing reopens\n\n"
        "Aid trucks entered Gaza after weeks of talks between Egypt and Israel.\n\n"
        "Trucks wait at the crossing, May 1, 2024. (credit: Reuters)\n\n" + BODY
    )
    article = _clean(body)
    assert article.title == "Rafah crossing reopens"
    assert article.subtitle == "Aid trucks entered Gaza after weeks of talks between Egypt and Israel."
    assert article.text == BODY
    assert article.published_inferred == InferredDate(
        dt.date(2024, 5, 1), None, "dated photo caption: May 1, 2024"
    )


def test_clean_article_subtitle_without_final_punctuation() -> None:
    article = _clean("Rafah crossing reopens\n\nAid trucks entered Gaza after weeks of talks\n\n" + BODY)
    assert (article.subtitle, article.text) == ("Aid trucks entered Gaza after weeks of talks", BODY)


@pytest.mark.parametrize(
    "second",
    [
        "Aid trucks entered Gaza after weeks of talks.",
        "“We are ready,” the envoy said after weeks of talks\n\nTrucks wait (credit: Reuters)",
        "Aid trucks entered Gaza. Talks went on\n\nTrucks wait (credit: Reuters)",
        " ".join(["word"] * 61) + "\n\nTrucks wait (credit: Reuters)",
    ],
    ids=["sentence-no-caption", "quotes", "two-sentences", "61-words"],
)
def test_clean_article_second_paragraph_is_not_a_subtitle(second: str) -> None:
    article = _clean(f"Rafah crossing reopens\n\n{second}\n\n{BODY}")
    assert article.title == "Rafah crossing reopens"
    assert article.subtitle is None
    assert article.text.startswith(second.split("\n")[0])


def test_clean_article_no_subtitle_without_title() -> None:
    article = _clean("The minister resigned.\n\nShort line\n\n" + BODY)
    assert (article.title, article.subtitle) == (None, None)


# -------------------- inferred date


def test_clean_article_inferred_from_text_when_no_caption() -> None:
    article = _clean("The deal signed on 3 January 2024 was extended on February 2, 2024.\n\nMore.")
    assert article.published_inferred == InferredDate(
        dt.date(2024, 2, 2), None, "latest explicit date in text: February 2, 2024"
    )


def test_clean_article_caption_dates_preferred_over_text_dates() -> None:
    article = _clean(
        "Elections are set for November 5, 2024.\n\nCrowds gather, March 3, 2024 (credit: AP)\n\nEnd."
    )
    assert article.published_inferred is not None
    assert article.published_inferred.earliest == dt.date(2024, 3, 3)


def test_clean_article_credit_line_date() -> None:
    article = _clean("Start.\n\n(Photo: Jane Doe, March 4, 2024)\n\nEnd.")
    assert article.published_inferred == InferredDate(
        dt.date(2024, 3, 4), None, "dated photo credit: March 4, 2024"
    )


def test_clean_article_no_dates_no_inference() -> None:
    assert _clean(BODY).published_inferred is None


def test_clean_article_no_inference_when_published_known() -> None:
    article = _clean("date 2024-05-07 Talks on March 3, 2024.")
    assert (article.published, article.published_inferred) == (dt.date(2024, 5, 7), None)


# -------------------- ids and hashes


def _id(**fields: str) -> str:
    fields.setdefault("source", "a.txt")
    article = clean_article(RawArticle(body=fields.pop("body", BODY), **fields))  # type: ignore[arg-type]
    assert isinstance(article, Article)
    return article.id


def test_clean_article_id_from_canonical_url() -> None:
    assert _id(url="HTTPS://Example.COM/a?b=1#frag") == _id(url="https://example.com/a?b=1", source="other")
    assert _id(url="https://example.com/a") != _id(url="https://example.com/A")
    assert len(_id(url="https://example.com/a")) == 16


@pytest.mark.issue(13)
def test_clean_article_id_from_external_id_then_content_never_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _id(external_id="x1", source="a.txt") == _id(external_id="x1", source="b.txt")
    monkeypatch.chdir(tmp_path)
    # The same text from two folders is one article; a different text at the same path is another.
    assert _id(source="a.txt") == _id(source=str(tmp_path / "other" / "a.txt"))
    assert _id(source="a.txt") != _id(source="a.txt", body="Different text.")
    assert _id(source="b.jsonl:3") == _id(source="b.jsonl:4")


def test_clean_article_id_from_stdin_content() -> None:
    assert _id(source=STDIN_SOURCE) == _id(source=f"{STDIN_SOURCE}:7")
    assert _id(source=STDIN_SOURCE) != _id(source=STDIN_SOURCE, body="Something else.")


@pytest.mark.issue(13)
def test_clean_article_id_from_content_for_in_memory_sources() -> None:
    assert _id(source="<text>") == _id(source="<text>")
    assert _id(source="<text>") != _id(source="<text>", body="Something else.")
    assert _id(source="<text>") == _id(source=STDIN_SOURCE)  # the same text, whatever it came from


def test_clean_article_content_hash_ignores_case_and_spacing() -> None:
    a = _clean("Some   Text.\nHere.")
    assert a.content_hash == hash_content("some text. here.") == hash_content(a.text)
    assert len(a.content_hash) == 64


def test_canonical_url_survives_bad_urls() -> None:
    assert canonical_url("http://[::1") == "http://[::1"


# -------------------- rejection


@pytest.mark.parametrize(
    "body", ["", "   \n\n", "Advertisement\n\nShare this article", "date 2024-05-07", "\x00\x01"]
)
def test_clean_article_nothing_left_is_rejected(body: str) -> None:
    result = clean_article(RawArticle(source="x.txt", body=body))
    assert isinstance(result, Rejected)
    assert (result.source, result.stage, result.reason, result.detail) == (
        "x.txt",
        "clean",
        ReasonCode.EMPTY,
        "no text left after cleaning",
    )


# -------------------- properties

_PIECES = [
    *"aAbZ .,;:!?“”\"'’()-\n\t\u00a0\r\x00",
    *("(credit: X)", "Advertisement", "Share this article", "date 2024-05-07 ", "March 3, 2024", "Photo: AP"),
    *("Subscribe now", "Reuters contributed to this report.", "U.S. ", "Title\n\n", "\n\n", "Hello world"),
]
_NEWSY = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_ANY_TEXT = st.text(max_size=400) | _NEWSY | st.lists(_NEWSY, max_size=8).map("\n\n".join)


def _again(article: Article) -> Article | Rejected:
    published = article.published.isoformat() if article.published else None
    return clean_article(
        RawArticle(source=article.source, body=article.text, title=article.title, published=published)
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_ANY_TEXT)
def test_clean_article_never_raises_and_is_idempotent(body: str) -> None:
    article = clean_article(RawArticle(source="prop.txt", body=body))
    if isinstance(article, Rejected):
        assert article.reason == ReasonCode.EMPTY
        return
    assert article.text and article.text == normalize_text(article.text)
    again = _again(article)
    assert isinstance(again, Article)
    assert (again.text, again.title, again.removed) == (article.text, article.title, ())


@settings(max_examples=200, deadline=None)
@given(body=_ANY_TEXT)
def test_remove_debris_is_idempotent(body: str) -> None:
    text, _ = remove_debris(normalize_text(body))
    assert remove_debris(text) == (text, ())


@settings(max_examples=100, deadline=None)
@given(
    body=_ANY_TEXT,
    title=st.none() | st.text(max_size=30),
    date=st.none() | st.text(max_size=20),
    url=st.none() | st.text(max_size=30),
)
def test_clean_article_never_raises_on_odd_metadata(
    body: str, title: str | None, date: str | None, url: str | None
) -> None:
    result = clean_article(RawArticle(source=os.sep, body=body, title=title, published=date, url=url))
    assert isinstance(result, (Article, Rejected))
