"""The event word lists live in data/event_words.tsv, validated line by line at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.extract.events.vocabulary import LISTS, load_vocabulary


def test_bundled_vocabulary_has_every_declared_list():
    vocab = load_vocabulary()
    assert set(vocab) == set(LISTS)
    assert all(words and all(w == w.lower() for w in words) for words in vocab.values())


def test_bundled_vocabulary_is_read_only():
    with pytest.raises(TypeError):
        load_vocabulary()["blocking"] = frozenset()  # type: ignore[index]


def _good_lines() -> list[str]:
    return ["list\tword", *(f"{name}\tword{i}" for i, name in enumerate(sorted(LISTS)))]


@pytest.mark.issue(13)
@pytest.mark.parametrize(
    ("bad", "reason"),
    [("nosuchlist\tword", "nosuchlist"), ("blocking\t", "empty"), ("blocking\tword0", "")],
)
def test_bad_vocabulary_line_names_file_and_line(tmp_path: Path, bad: str, reason: str):
    lines = _good_lines()
    first = sorted(LISTS)[0]
    if reason == "":  # a duplicate word in one list
        bad = f"{first}\tword0"
    path = tmp_path / "event_words.tsv"
    path.write_text("\n".join([*lines, bad]) + "\n")
    with pytest.raises(ConfigError, match=rf"event_words\.tsv:{len(lines) + 1}"):
        load_vocabulary(path)


def test_good_user_vocabulary_loads(tmp_path: Path):
    path = tmp_path / "event_words.tsv"
    path.write_text("\n".join(_good_lines()) + "\n")
    assert load_vocabulary(path)[sorted(LISTS)[0]] == frozenset({"word0"})
