"""The identity policy (newsevents.ids) as cleaning applies it: article ids never depend on a path."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsevents.clean
import newsevents.clean.text
from newsevents import ids
from newsevents.clean import clean_article, hash_content
from newsevents.ingest import read_inputs
from newsevents.ingest.base import STDIN_SOURCE
from newsevents.model import Article, RawArticle, Rejected

BODY = "The minister said talks would go on.\n\nA second paragraph follows."


def _article(**fields: str) -> Article:
    fields.setdefault("source", "a.txt")
    article = clean_article(RawArticle(body=fields.pop("body", BODY), **fields))  # type: ignore[arg-type]
    assert isinstance(article, Article)
    return article


def test_article_id_is_the_content_hash_prefix_without_url_or_external_id() -> None:
    article = _article()
    assert article.id == article.content_hash[:16] == hash_content(article.text)[:16]
    assert article.id == ids.article_id(content_hash=article.content_hash)


@pytest.mark.parametrize(
    "sources",
    [
        ("in/a.txt", "copy/a.txt"),
        ("/abs/a.txt", "rel/b.txt"),
        ("feed.jsonl:3", "feed.jsonl:4"),
        (STDIN_SOURCE, f"{STDIN_SOURCE}:7"),
        ("<text>", STDIN_SOURCE),
    ],
)
def test_article_id_does_not_depend_on_the_source(sources: tuple[str, str]) -> None:
    first, second = (_article(source=s) for s in sources)
    assert first.id == second.id
    assert (first.source, second.source) == sources  # the locator stays in `source`


def test_article_id_changes_with_the_text() -> None:
    assert _article().id != _article(body="Something else entirely.").id


def test_article_id_ignores_case_and_spacing_of_the_text() -> None:
    assert _article(body="Talks  went on.").id == _article(body="talks went\non.").id


def test_article_id_from_the_canonical_url_first() -> None:
    by_url = _article(url="HTTPS://Example.COM/a?b=1#frag", external_id="x1")
    assert by_url.id == _article(url="https://example.com/a?b=1", body="Other text.").id
    assert by_url.id == ids.article_id(url="https://example.com/a?b=1")
    assert by_url.id == ids.stable_hash("https://example.com/a?b=1")
    assert _article(url="https://example.com/a").id != _article(url="https://example.com/A").id


def test_article_id_from_the_external_id_before_the_content() -> None:
    assert _article(external_id="x1", source="a.txt").id == _article(external_id="x1", body="Other.").id
    assert _article(external_id="x1").id == ids.stable_hash("id:x1")
    assert _article(external_id="x1").id != _article().id


def test_a_rejected_empty_article_still_names_an_id() -> None:
    rejected = clean_article(RawArticle(source="x.txt", body="   "))
    assert isinstance(rejected, Rejected)
    assert rejected.article_id == ids.article_id(content_hash=hash_content(""))


def test_article_id_needs_something_to_hash() -> None:
    with pytest.raises(ValueError, match="URL, an external id or a content hash"):
        ids.article_id()


def test_canonical_url_is_one_function_importable_from_clean() -> None:
    assert newsevents.clean.canonical_url is ids.canonical_url
    assert newsevents.clean.text.canonical_url is ids.canonical_url
    assert ids.canonical_url("http://[::1") == "http://[::1"


def test_same_file_read_from_two_folders_is_one_article(tmp_path: Path) -> None:
    for folder in ("in", "copy"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(" date 2024-05-07 " + BODY, encoding="utf-8")
    articles = [clean_article(raw) for raw in read_inputs([str(tmp_path / "in"), str(tmp_path / "copy")])]
    assert all(isinstance(a, Article) for a in articles)
    assert len({a.id for a in articles if isinstance(a, Article)}) == 1
    assert len({a.source for a in articles if isinstance(a, Article)}) == 2
