"""Read articles from local files, directories and standard input (plain text, HTML and JSON Lines).

Bad input is never an exception here: a missing file, undecodable bytes, an empty file or a malformed JSON
line each become a `Rejected` record and the iteration goes on with the rest.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import charset_normalizer

from newsevents.ingest.base import STDIN_SOURCE, IngestItem, reject
from newsevents.model import RawArticle, ReasonCode, Rejected

__all__ = ["FileSource", "UndecodableError", "decode_bytes", "detect_format", "read_inputs"]

logger = logging.getLogger(__name__)

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".json"})
# Files a directory walk skips: they are never article text.
BINARY_EXTENSIONS = frozenset(
    {
        *(".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".svg", ".heic"),
        *(".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar"),
        *(".mp3", ".mp4", ".wav", ".ogg", ".avi", ".mov", ".mkv", ".webm"),
        *(".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt"),
        *(".exe", ".dll", ".so", ".bin", ".pyc", ".woff", ".woff2", ".ttf", ".otf", ".db", ".sqlite"),
    }
)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DATE_KEYS = ("date", "published", "published_at")
_SNIFF_CHARS = 2048
# Non-ASCII characters a cp1252 English/Western text plausibly contains besides Latin letters.
_CP1252_PUNCT = frozenset("‘’‚“”„–—…•€£¥¢©®™°±·«»‹›§¶×÷†‡‰´¨¸ªº¼½¾\xa0")


class UndecodableError(ValueError):
    """Bytes that do not decode to text (binary data, or no encoding fits)."""


@dataclass(frozen=True)
class FileSource:
    """A `newsevents.ingest.base.Source` over local paths (``-`` is standard input)."""

    paths: tuple[str, ...]
    stdin: BinaryIO | None = None

    def read(self) -> Iterator[IngestItem]:
        """Yield the articles of every path; see `read_inputs`."""
        return read_inputs(self.paths, stdin=self.stdin)


def read_inputs(paths: Iterable[str], *, stdin: BinaryIO | None = None) -> Iterator[RawArticle | Rejected]:
    """Read articles from files, directories (recursively) and standard input.

    Directories are walked in sorted order; hidden files and directories, and files with binary extensions
    (images, PDFs, archives, ...), are skipped. The format of each file comes from its extension, else from
    its content: HTML, JSON Lines (one record per line) or plain text.

    Args:
        paths: file paths, directory paths, or ``-`` for standard input.
        stdin: the byte stream ``-`` reads; defaults to ``sys.stdin.buffer``.

    Yields:
        A `RawArticle` per article, and a `Rejected` (stage ``"ingest"``) per input that could not be used:
        missing or unreadable path, undecodable bytes, empty file, malformed JSON line.

    Example:
        >>> import io
        >>> [a.body for a in read_inputs(["-"], stdin=io.BytesIO(b"Hello."))]
        ['Hello.']
    """
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream)
        elif os.path.isdir(path):
            yield from _walk(path)
        else:
            yield from _read_file(path, explicit=True)


def decode_bytes(data: bytes) -> str:
    """Decode the bytes of a text file, guessing the encoding when it is not UTF-8.

    A byte-order mark (UTF-8, UTF-16 or UTF-32) is honoured and stripped. Otherwise strict UTF-8 is tried
    first, then UTF-16 without a BOM, then cp1252 when it reads as plausible Western text, then
    charset_normalizer's best guess. NUL bytes are removed.

    Args:
        data: the raw bytes.

    Returns:
        The decoded text, without BOM or NUL characters.

    Raises:
        UndecodableError: the bytes are not text (mostly control or binary bytes, or no encoding fits).

    Example:
        >>> decode_bytes("café".encode("cp1252"))
        'café'
    """
    text = _decode(data)
    nuls = text.count("\x00")
    if text and nuls > len(text) / 2:
        raise UndecodableError(f"not text: {nuls} of {len(text)} characters are NUL bytes")
    text = text.replace("\x00", "")
    junk = sum(1 for ch in text if _is_junk(ch))
    if text and junk > 0.1 * len(text):
        raise UndecodableError(f"not text: {junk} of {len(text)} characters are control or binary bytes")
    return text


def detect_format(text: str) -> str:
    """Guess the format of decoded file content.

    Args:
        text: the decoded content.

    Returns:
        ``"html"`` when it starts like an HTML document or has a ``<body`` near its start, ``"jsonl"`` when
        every non-blank line starts with ``{``, else ``"text"``.

    Example:
        >>> detect_format('{"text": "a"}\\n{"text": "b"}')
        'jsonl'
    """
    head = text[:_SNIFF_CHARS].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    return "text"


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # The BOM is a strong signal: keep going past a stray bad byte rather than lose the file.
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _guess_bomless_utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    cp1252 = _plausible_cp1252(data)
    if cp1252 is not None:
        return cp1252
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise UndecodableError("not text: no character encoding fits these bytes")
    for match in matches:
        # charset_normalizer often ranks cp1250 first on Western text with equal scores: cp1252 wins ties.
        tied = abs(match.chaos - best.chaos) < 0.01 and abs(match.coherence - best.coherence) < 0.01
        if match.encoding == "cp1252" and tied:
            return str(match)
    logger.debug("decoded as %s (charset_normalizer guess)", best.encoding)
    return str(best)


def _guess_bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for b in sample[0::2] if b == 0) / pairs
    odd = sum(1 for b in sample[1::2] if b == 0) / pairs
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _plausible_cp1252(data: bytes) -> str | None:
    """The cp1252 reading of `data` when it looks like Western text: mostly ASCII, accented Latin letters."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = sum(1 for ch in text if ch.isalpha())
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not letters or len(non_ascii) > 0.3 * letters:
        return None
    for ch in non_ascii:
        if ch not in _CP1252_PUNCT and not (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")):
            return None
    return text


def _is_junk(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    return ch == "\ufffd" or unicodedata.category(ch) == "Cc"


def _walk(directory: str) -> Iterator[IngestItem]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield reject(directory, ReasonCode.UNREADABLE, _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            logger.debug("skipping hidden %s", entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif os.path.splitext(entry.name)[1].lower() in BINARY_EXTENSIONS:
            logger.debug("skipping binary file %s", entry.path)
        else:
            yield from _read_file(entry.path, explicit=False)


def _read_file(path: str, *, explicit: bool) -> Iterator[IngestItem]:
    ext = os.path.splitext(path)[1].lower()
    if explicit and ext in BINARY_EXTENSIONS:
        yield reject(path, ReasonCode.UNSUPPORTED, f"unsupported file type {ext}")
        return
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        yield reject(path, ReasonCode.UNREADABLE, _os_reason(exc))
        return
    if ext in HTML_EXTENSIONS:
        fmt: str | None = "html"
    elif ext in JSONL_EXTENSIONS:
        fmt = "jsonl"
    else:
        fmt = None
    yield from _read_bytes(path, data, fmt, empty="empty file")


def _read_stream(stream: BinaryIO) -> Iterator[IngestItem]:
    try:
        data = stream.read()
    except (OSError, ValueError) as exc:  # ValueError: reading a closed stream
        yield reject(STDIN_SOURCE, ReasonCode.UNREADABLE, str(exc) or type(exc).__name__)
        return
    yield from _read_bytes(STDIN_SOURCE, data, None, empty="empty input")


def _read_bytes(source: str, data: bytes, fmt: str | None, *, empty: str) -> Iterator[IngestItem]:
    try:
        text = decode_bytes(data)
    except UndecodableError as exc:
        yield reject(source, ReasonCode.UNDECODABLE, str(exc))
        return
    if not text.strip():
        yield reject(source, ReasonCode.EMPTY, empty)
        return
    fmt = fmt or detect_format(text)
    if fmt == "jsonl":
        yield from _read_jsonl(source, text)
    else:
        yield RawArticle(source=source, body=text, format="html" if fmt == "html" else "text")


def _read_jsonl(source: str, text: str) -> Iterator[IngestItem]:
    # Split on "\n" only: str.splitlines() would also split on U+2028, which JSON strings may hold raw.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _parse_record(f"{source}:{lineno}", lineno, line)


def _parse_record(source: str, lineno: int, line: str) -> IngestItem:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; deep nesting recurses
        return reject(source, ReasonCode.MALFORMED, f"line {lineno}: {exc or type(exc).__name__}")
    if not isinstance(record, dict):
        return reject(source, ReasonCode.MALFORMED, f"line {lineno}: not a JSON object")
    body, fmt = record.get("text"), "text"
    if body is None:
        body, fmt = record.get("html"), "html"
    if not isinstance(body, str):
        if body is None:
            return reject(source, ReasonCode.MALFORMED, f"line {lineno}: no 'text' or 'html' field")
        return reject(source, ReasonCode.MALFORMED, f"line {lineno}: '{fmt}' is not a string")
    if not body.strip():
        return reject(source, ReasonCode.EMPTY, f"line {lineno}: empty '{fmt}' field")
    if fmt == "text" and detect_format(body) == "html":
        fmt = "html"
    published = next((v for k in _DATE_KEYS if (v := _field(record, k)) is not None), None)
    return RawArticle(
        source=source,
        body=body,
        format=fmt,
        title=_field(record, "title"),
        published=published,
        url=_field(record, "url"),
        external_id=_field(record, "id"),
    )


def _field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and key == "id":
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value != "":
        logger.debug("ignoring JSON field %r of unexpected type %s", key, type(value).__name__)
    return None


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]
