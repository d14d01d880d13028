"""Tests for newsevents.ingest.files: formats, directory walks, stdin, and every kind of broken input."""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
import random
from pathlib import Path

import pytest

from newsevents.ingest import FileSource, Source, read_inputs
from newsevents.ingest.base import STDIN_SOURCE
from newsevents.ingest.files import UndecodableError, decode_bytes, detect_format
from newsevents.model import RawArticle, ReasonCode, Rejected

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE_000 = (
    " date 2024-05-07 Israel is committed to winning the war, an Israeli official said.\n\n"
    "Jerusalem Post Staff contributed to this report."
)
HTML = (
    "<!DOCTYPE html><html><head><title>Talks resume in Cairo</title></head><body>"
    "<article><h1>Talks resume in Cairo</h1><p>Negotiators met on Monday in Cairo to discuss a ceasefire "
    "and the release of hostages held in Gaza.</p><p>The talks are expected to last several days, officials "
    "from both delegations said.</p></article></body></html>"
)


def _write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return str(path)


def _read(*paths: str) -> list[RawArticle | Rejected]:
    return list(read_inputs(paths))


def _only(items: list[RawArticle | Rejected]) -> RawArticle | Rejected:
    assert len(items) == 1, items
    return items[0]


# -------------------- formats


def test_read_inputs_text_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "First paragraph.\n\nSecond paragraph.\n")
    assert _read(path) == [
        RawArticle(source=path, body="First paragraph.\n\nSecond paragraph.\n", format="text")
    ]


def test_read_inputs_text_with_header_on_same_line_keeps_body_verbatim(tmp_path: Path) -> None:
    path = _write(tmp_path / "000.txt", SAMPLE_000)
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.format == "text"
    assert item.body == SAMPLE_000  # the header is the cleaner's business


def test_read_inputs_file_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = _write(tmp_path / "article", "Just text.")
    assert _only(_read(path)) == RawArticle(source=path, body="Just text.", format="text")


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml", "page.txt", "page"])
def test_read_inputs_html_by_extension_or_content(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, HTML)
    assert _only(_read(path)) == RawArticle(source=path, body=HTML, format="html")


def test_read_inputs_html_extension_wins_over_content(tmp_path: Path) -> None:
    path = _write(tmp_path / "frag.html", "<p>A fragment without html or body tags.</p>")
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.format == "html"


def test_read_inputs_jsonl_with_all_fields(tmp_path: Path) -> None:
    record = {
        "text": "Body of the story.",
        "title": "A title",
        "date": "2024-05-07",
        "url": "https://example.com/a",
        "id": "abc-1",
    }
    path = _write(tmp_path / "batch.jsonl", json.dumps(record) + "\n")
    assert _only(_read(path)) == RawArticle(
        source=f"{path}:1",
        body="Body of the story.",
        format="text",
        title="A title",
        published="2024-05-07",
        url="https://example.com/a",
        external_id="abc-1",
    )


@pytest.mark.parametrize(
    ("record", "field", "expected"),
    [
        ({"text": "x", "published": "2024-01-02"}, "published", "2024-01-02"),
        ({"text": "x", "published_at": "2024-01-02T10:00:00Z"}, "published", "2024-01-02T10:00:00Z"),
        ({"text": "x", "id": 42}, "external_id", "42"),
        ({"text": "x", "title": ["not", "a", "string"]}, "title", None),
        ({"html": "<p>Hello there.</p>"}, "format", "html"),
        ({"text": "<!doctype html><html><body><p>Hi.</p></body></html>"}, "format", "html"),
        ({"text": "x"}, "format", "text"),
    ],
)
def test_read_inputs_jsonl_fields(
    tmp_path: Path, record: dict[str, object], field: str, expected: str
) -> None:
    path = _write(tmp_path / "one.ndjson", json.dumps(record))
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert getattr(item, field) == expected


def test_read_inputs_jsonl_skips_blank_lines_and_numbers_lines(tmp_path: Path) -> None:
    lines = ['{"text": "one"}', "", "   ", '{"text": "two"}']
    path = _write(tmp_path / "b.json", "\n".join(lines) + "\n")
    items = _read(path)
    assert [(i.source, i.body) for i in items if isinstance(i, RawArticle)] == [
        (f"{path}:1", "one"),
        (f"{path}:4", "two"),
    ]


def test_read_inputs_jsonl_sniffed_from_txt(tmp_path: Path) -> None:
    path = _write(tmp_path / "records.txt", '{"text": "a"}\n{"text": "b"}\n')
    assert [i.source for i in _read(path)] == [f"{path}:1", f"{path}:2"]


def test_read_inputs_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path: Path) -> None:
    path = _write(tmp_path / "u.jsonl", '{"text": "a\u2028b"}\n')
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.body == "a\u2028b"


def test_read_inputs_directory_walk_is_sorted_recursive_and_skips_hidden_and_binary(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path / "b.txt", "B")
    _write(tmp_path / "a.txt", "A")
    _write(tmp_path / "sub" / "c.html", "<html><body><p>C</p></body></html>")
    _write(tmp_path / "sub" / "deeper" / "d.jsonl", '{"text": "D"}')
    _write(tmp_path / ".hidden.txt", "hidden")
    _write(tmp_path / ".git" / "e.txt", "in a hidden directory")
    _write(tmp_path / "photo.PNG", b"\x89PNG\r\n\x1a\n\x00\x00")
    _write(tmp_path / "scan.pdf", b"%PDF-1.4")
    with caplog.at_level(logging.DEBUG, logger="newsevents.ingest.files"):
        items = _read(str(tmp_path))
    assert [i.source for i in items] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.html"),
        f"{tmp_path / 'sub' / 'deeper' / 'd.jsonl'}:1",
    ]
    assert all(isinstance(i, RawArticle) for i in items)
    skipped = " ".join(r.getMessage() for r in caplog.records)
    assert "photo.PNG" in skipped and "scan.pdf" in skipped and ".hidden.txt" in skipped


def test_read_inputs_stdin_text() -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(b" date 2024-05-07 Body text.")))
    assert items == [RawArticle(source=STDIN_SOURCE, body=" date 2024-05-07 Body text.", format="text")]


def test_read_inputs_stdin_is_sniffed_as_jsonl() -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [(i.source, i.body) for i in items if isinstance(i, RawArticle)] == [
        (f"{STDIN_SOURCE}:1", "a"),
        (f"{STDIN_SOURCE}:2", "b"),
    ]


def test_read_inputs_stdin_is_sniffed_as_html() -> None:
    item = _only(list(read_inputs(["-"], stdin=io.BytesIO(HTML.encode()))))
    assert isinstance(item, RawArticle)
    assert item.format == "html"


def test_read_inputs_mixes_paths_and_goes_on_after_errors(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", "Good.")
    missing = str(tmp_path / "missing.txt")
    items = list(read_inputs([missing, good, "-"], stdin=io.BytesIO(b"From stdin.")))
    assert [type(i).__name__ for i in items] == ["Rejected", "RawArticle", "RawArticle"]


def test_file_source_is_a_source(tmp_path: Path) -> None:
    source = FileSource((_write(tmp_path / "a.txt", "A."),))
    assert isinstance(source, Source)
    assert [i.body for i in source.read() if isinstance(i, RawArticle)] == ["A."]


# -------------------- broken input


def test_read_inputs_missing_path_is_unreadable(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    assert _read(missing) == [
        Rejected(
            source=missing, stage="ingest", reason=ReasonCode.UNREADABLE, detail="no such file or directory"
        )
    ]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_read_inputs_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = _write(tmp_path / "secret.txt", "x")
    os.chmod(path, 0)
    item = _only(_read(path))
    assert isinstance(item, Rejected)
    assert (item.reason, item.detail) == (ReasonCode.UNREADABLE, "permission denied")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, b"\x00\x00 \n"])
def test_read_inputs_empty_file_is_rejected(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path / "empty.txt", content)
    assert _read(path) == [
        Rejected(source=path, stage="ingest", reason=ReasonCode.EMPTY, detail="empty file")
    ]


def test_read_inputs_empty_stdin_is_rejected() -> None:
    item = _only(list(read_inputs(["-"], stdin=io.BytesIO(b""))))
    assert isinstance(item, Rejected)
    assert (item.source, item.reason) == (STDIN_SOURCE, ReasonCode.EMPTY)


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4000),
        bytes(range(32)) * 20,
        b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(500),
        b"\x00" * 100 + b"abc",
    ],
    ids=["random", "controls", "png", "nul-padding"],
)
def test_read_inputs_undecodable_bytes_are_rejected(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path / "blob.txt", data)
    item = _only(_read(path))
    assert isinstance(item, Rejected)
    assert (item.source, item.stage, item.reason) == (path, "ingest", ReasonCode.UNDECODABLE)
    assert item.detail.startswith("not text")


def test_read_inputs_explicit_binary_file_is_unsupported(tmp_path: Path) -> None:
    path = _write(tmp_path / "image.jpg", b"\xff\xd8\xff\xe0")
    item = _only(_read(path))
    assert isinstance(item, Rejected)
    assert (item.reason, item.detail) == (ReasonCode.UNSUPPORTED, "unsupported file type .jpg")


def test_read_inputs_malformed_json_line_among_good_ones(tmp_path: Path) -> None:
    lines = ['{"text": "first"}', '{"text": "second"}', "{not json", '{"text": "fourth"}']
    path = _write(tmp_path / "mixed.jsonl", "\n".join(lines))
    items = _read(path)
    assert [i.body for i in items if isinstance(i, RawArticle)] == ["first", "second", "fourth"]
    bad = [i for i in items if isinstance(i, Rejected)]
    assert len(bad) == 1
    assert (bad[0].source, bad[0].stage, bad[0].reason) == (f"{path}:3", "ingest", ReasonCode.MALFORMED)
    assert bad[0].detail.startswith("line 3: Expecting property name")


@pytest.mark.parametrize(
    ("line", "reason", "detail"),
    [
        ("[1, 2]", ReasonCode.MALFORMED, "line 1: not a JSON object"),
        ('{"title": "no body"}', ReasonCode.MALFORMED, "line 1: no 'text' or 'html' field"),
        ('{"text": 5}', ReasonCode.MALFORMED, "line 1: 'text' is not a string"),
        ('{"text": "   "}', ReasonCode.EMPTY, "line 1: empty 'text' field"),
        ("{" * 100_000, ReasonCode.MALFORMED, None),
    ],
    ids=["array", "no-text", "text-not-string", "empty-text", "deep-nesting"],
)
def test_read_inputs_bad_json_records(
    tmp_path: Path, line: str, reason: ReasonCode, detail: str | None
) -> None:
    path = _write(tmp_path / "bad.jsonl", line)
    item = _only(_read(path))
    assert isinstance(item, Rejected)
    assert (item.source, item.reason) == (f"{path}:1", reason)
    if detail is not None:
        assert item.detail == detail


def test_read_inputs_truncated_html_is_read(tmp_path: Path) -> None:
    truncated = HTML[: HTML.index("</p>") + 10]  # cut in the middle of the next tag
    path = _write(tmp_path / "cut.html", truncated)
    assert _only(_read(path)) == RawArticle(source=path, body=truncated, format="html")


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_read_inputs_bom_is_honoured_and_stripped(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "“Café” – naïve résumé, Zürich. שלום"
    path = _write(tmp_path / "bom.txt", bom + text.encode(encoding))
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.body == text


def test_read_inputs_cp1252_text(tmp_path: Path) -> None:
    text = "The minister said “we will not retreat” — a café owner’s naïve résumé, €5."
    path = _write(tmp_path / "win.txt", text.encode("cp1252"))
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.body == text


def test_read_inputs_nul_bytes_are_removed(tmp_path: Path) -> None:
    path = _write(tmp_path / "nul.txt", b"Hello\x00 world.\x00\nSecond\x00 line.")
    item = _only(_read(path))
    assert isinstance(item, RawArticle)
    assert item.body == "Hello world.\nSecond line."


# -------------------- decode_bytes


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain ascii", "plain ascii"),
        ("héllo “world”".encode(), "héllo “world”"),
        (codecs.BOM_UTF8 + b"bom", "bom"),
        (codecs.BOM_UTF16_LE + "hi ☃".encode("utf-16-le"), "hi ☃"),
        (codecs.BOM_UTF32_LE + "hi ☃".encode("utf-32-le"), "hi ☃"),
        ("Señor Muñoz visited Zürich and Köln.".encode("latin-1"), "Señor Muñoz visited Zürich and Köln."),
        ("Caf\u00e9 owner’s".encode("cp1252"), "Café owner’s"),
        ("It’s a “quote” — and … more.".encode("cp1252"), "It’s a “quote” — and … more."),
        ("Hello world, BOM-less UTF-16 text".encode("utf-16-le"), "Hello world, BOM-less UTF-16 text"),
        ("Hello world, BOM-less UTF-16 text".encode("utf-16-be"), "Hello world, BOM-less UTF-16 text"),
        (b"a\x00b", "ab"),
        (b"", ""),
    ],
)
def test_decode_bytes_decodes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_decode_bytes_cyrillic_cp1251_is_not_read_as_cp1252() -> None:
    text = "Президент России заявил в понедельник, что переговоры продолжатся в среду."
    assert decode_bytes(text.encode("cp1251")) == text


@pytest.mark.parametrize("data", [bytes(range(32)) * 10, b"\x00" * 50, b"\x01\x02\x03\x04abc\x05\x06"])
def test_decode_bytes_raises_on_binary(data: bytes) -> None:
    with pytest.raises(UndecodableError):
        decode_bytes(data)


def test_decode_bytes_error_is_a_value_error() -> None:
    assert issubclass(UndecodableError, ValueError)


# -------------------- detect_format


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html></html>", "html"),
        ("  \n<html lang='en'>", "html"),
        ("<div>menu</div><body><p>x</p>", "html"),
        ('{"text": "a"}\n\n{"text": "b"}\n', "jsonl"),
        ('{"text": "a"}\nnot json\n', "text"),
        ("Plain <b>text</b> that mentions tags.", "text"),
        ("", "text"),
    ],
)
def test_detect_format_sniffs_content(text: str, expected: str) -> None:
    assert detect_format(text) == expected


def test_read_inputs_reads_committed_fixtures() -> None:
    # The formats/ folder holds the feed, archive and compressed fixtures, tested on their own.
    paths = sorted(str(p) for p in (DATA / "ingest").iterdir() if p.name != "formats")
    items = list(read_inputs(paths))
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "Rejected", "RawArticle"]


def test_read_inputs_passes_over_the_files_it_is_told_to_skip(tmp_path: Path) -> None:
    from newsevents.ingest import read_inputs

    _write(tmp_path / "a.txt", "A")
    _write(tmp_path / "store.data", "SQLite format 3\x00 pretend")
    _write(tmp_path / "store.data-wal", "write-ahead log")
    skip = [str(tmp_path / "store.data"), str(tmp_path / "store.data-wal")]
    walked = list(read_inputs([str(tmp_path)], skip=skip))
    assert [i.source for i in walked] == [str(tmp_path / "a.txt")]
    # Named on purpose (here through a path that differs in spelling), it is refused with a reason.
    named = list(read_inputs([str(tmp_path / "." / "store.data")], skip=skip))
    assert isinstance(named[0], Rejected) and named[0].reason == ReasonCode.UNSUPPORTED
    assert "store" in named[0].detail
