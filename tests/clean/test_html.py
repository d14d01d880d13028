"""Tests for newsevents.clean.html and the HTML path of clean_article: extraction, metadata, broken markup."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.clean import clean_article, extract_html
from newsevents.clean import html as html_module
from newsevents.clean.html import strip_tags
from newsevents.model import Article, RawArticle, ReasonCode, Rejected

PAGE = """<!DOCTYPE html>
<html><head>
<title>Ceasefire talks resume in Cairo | The Daily Planet</title>
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://Example.com/world/ceasefire-talks#comments">
<script>var tracking = "do not keep";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Ceasefire talks resume in Cairo</h1>
<p>Negotiators met on Monday in Cairo to discuss a ceasefire and the release of hostages held in Gaza,
officials from both delegations said.</p>
<p>“We are ready to talk for as long as it takes,” the envoy told reporters after the first session.</p>
<p>The talks are expected to last several days, and a second round is planned in Doha next week.</p>
</article>
<footer>Copyright 2024 The Daily Planet. All rights reserved.</footer>
</body></html>"""


def test_extract_html_text_paragraphs_and_metadata() -> None:
    text, title, date, url = extract_html(PAGE)
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Ceasefire talks resume in Cairo"
    assert any(p.startswith("“We are ready to talk") for p in paragraphs)
    assert "\n\n\n" not in text
    assert "tracking" not in text and "Home" not in text and "Copyright" not in text
    assert title == "Ceasefire talks resume in Cairo"
    assert date == "2024-03-05"
    assert url is not None and url.startswith("https://example.com/world/ceasefire-talks")


def test_clean_article_html_uses_page_metadata() -> None:
    article = clean_article(RawArticle(source="page.html", body=PAGE, format="html"))
    assert isinstance(article, Article)
    assert article.title == "Ceasefire talks resume in Cairo"
    assert article.published == dt.date(2024, 3, 5)
    assert article.text.startswith("Negotiators met on Monday in Cairo")  # the h1 went into `title`
    assert article.url is not None and article.url.startswith("https://example.com/")


def test_clean_article_html_source_metadata_wins() -> None:
    raw = RawArticle(
        source="x.jsonl:1",
        body=PAGE,
        format="html",
        title="Given title",
        published="2024-03-09",
        url="https://example.org/given",
    )
    article = clean_article(raw)
    assert isinstance(article, Article)
    assert (article.title, article.published, article.url) == (
        "Given title",
        dt.date(2024, 3, 9),
        "https://example.org/given",
    )


@pytest.mark.parametrize("cut", [200, 600, 700, PAGE.index("<p>“We") + 5, len(PAGE) - 30])
def test_extract_html_truncated_markup_does_not_crash(cut: int) -> None:
    text, _, _, _ = extract_html(PAGE[:cut])
    assert isinstance(text, str)


def test_clean_article_truncated_html_mid_tag_keeps_text() -> None:
    cut = PAGE[: PAGE.index("<p>“We") + 3]  # ends inside "<p>“": the open tag is cut off
    article = clean_article(RawArticle(source="cut.html", body=cut[:-2], format="html"))
    assert isinstance(article, Article)
    assert "Negotiators met on Monday" in article.text


def test_extract_html_short_page_falls_back_to_tag_stripper() -> None:
    text, title, date, url = extract_html("<html><head><title>Brief</title></head><body><p>Short.</p></body>")
    assert (text, title, date, url) == ("Short.", "Brief", None, None)


def test_extract_html_falls_back_when_trafilatura_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(html_module, "_load_trafilatura", lambda: broken)
    text, title, _, _ = extract_html(PAGE)
    assert "Negotiators met on Monday" in text
    assert "tracking" not in text and "Home" not in text
    assert title == "Ceasefire talks resume in Cairo | The Daily Planet"


def test_extract_html_falls_back_when_trafilatura_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "_load_trafilatura", lambda: None)
    text, _, _, _ = extract_html("<p>One.</p><p>Two.</p>")
    assert text == "One.\n\nTwo."


@pytest.mark.parametrize(
    "markup", ["", "   ", "<html><body></body></html>", "<script>x()</script>", "<div><span> </span></div>"]
)
def test_clean_article_html_without_text_is_rejected(markup: str) -> None:
    result = clean_article(RawArticle(source="blank.html", body=markup, format="html"))
    assert isinstance(result, Rejected)
    assert (result.stage, result.reason) == ("clean", ReasonCode.EMPTY)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>One &amp; two</p><p>Three", "One & two\n\nThree"),
        ("<div>A<br>B</div>", "A\n\nB"),
        ("<p>keep</p><script>drop()", "keep"),
        ("<p>keep</p><!-- a comment", "keep"),
        ("<p>text</p><di", "text"),
        ("<style>p{}</style><p>x  y</p>", "x y"),
        ("no tags at all", "no tags at all"),
    ],
)
def test_strip_tags_crude_text(markup: str, expected: str) -> None:
    assert strip_tags(markup) == expected


@settings(max_examples=60, deadline=None)
@given(markup=st.text(alphabet=st.sampled_from(list("<>/ =\"'!-abpdivhtmlody&;#\n")), max_size=120))
def test_extract_html_never_raises(markup: str) -> None:
    text, _, _, _ = extract_html(markup)
    assert isinstance(text, str)


def test_extract_html_blocks_become_paragraphs_and_inline_markup_joins() -> None:
    markup = (
        "<html><body><article><p>Hello <b>world</b> and <a href='x'>a link</a> in a longer paragraph of news "
        "text that goes on for a while.</p><p>Line one<br>line two of the same paragraph.</p>"
        "<ul><li>item one</li><li>item two</li></ul><blockquote>Quoted words here.</blockquote>"
        "</article></body></html>"
    )
    text, _, _, _ = extract_html(markup)
    assert text == (
        "Hello world and a link in a longer paragraph of news text that goes on for a while.\n\n"
        "Line one\nline two of the same paragraph.\n\n- item one\n- item two\n\nQuoted words here."
    )
