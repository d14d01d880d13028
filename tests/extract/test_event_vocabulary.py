"""The event word lists live in data/event_words.tsv, validated line by line at load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.extract.events.vocabulary import LISTS, load_vocabulary

FIRST = sorted(LISTS)[0]


def test_bundled_vocabulary_has_every_declared_list():
    vocab = load_vocabulary()
    assert set(vocab) == set(LISTS)
    assert all(words and all(w == w.lower() for w in words) for words in vocab.values())
    assert {"hold", "express"} <= vocab["light"] and "shut down" in vocab["unrest"]


def test_bundled_vocabulary_is_read_only_and_loaded_once():
    assert load_vocabulary() is load_vocabulary()
    with pytest.raises(TypeError):
        load_vocabulary()["blocking"] = frozenset()  # type: ignore[index]


def _good_lines() -> list[str]:
    return ["# a comment", "list\tword", "", *(f"{name}\tword{i}" for i, name in enumerate(sorted(LISTS)))]


def test_good_vocabulary_file_loads(tmp_path: Path):
    path = tmp_path / "event_words.tsv"
    path.write_text("\n".join(_good_lines()) + "\n")
    vocab = load_vocabulary(path)
    assert vocab[FIRST] == frozenset({"word0"}) and set(vocab) == set(LISTS)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("nosuchlist\tword", "unknown list 'nosuchlist'"),
        ("blocking\t", "empty word in list 'blocking'"),
        (f"{FIRST}\tword0", f"duplicate word 'word0' in list '{FIRST}' (first on line 4)"),
        ("blocking\tWant", "'Want' in list 'blocking' must be lowercase"),
        ("blocking\twant\textra", "3 fields, expected 2"),
        ("blocking", "1 fields, expected 2"),
    ],
)
def test_bad_vocabulary_line_names_file_and_line(tmp_path: Path, bad: str, message: str):
    lines = _good_lines()
    path = tmp_path / "event_words.tsv"
    path.write_text("\n".join([*lines, bad]) + "\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:{len(lines) + 1}: {message}")):
        load_vocabulary(path)


def test_vocabulary_without_header_or_with_a_missing_list_is_config_error(tmp_path: Path):
    path = tmp_path / "event_words.tsv"
    path.write_text("blocking\twant\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:1: the first line must be the header")):
        load_vocabulary(path)
    path.write_text("list\tword\nblocking\twant\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: no words for the lists")):
        load_vocabulary(path)


def test_unreadable_vocabulary_is_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="cannot read event word list"):
        load_vocabulary(tmp_path / "missing.tsv")
