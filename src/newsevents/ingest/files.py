"""Read articles from local files, directories, standard input and URLs.

Formats: plain text, HTML, JSON Lines (also ``.gz``, ``.bz2`` and ``.xz`` compressed, read line by line),
RSS 2.0 / Atom feeds, WARC/ARC archives (`newsevents.ingest.archives`), and files listing URLs (``.urls``, or
any text file whose lines are all http(s) URLs), which are fetched only when a fetcher is given
(``--fetch``; `newsevents.ingest.fetch.GuardedFetcher`). URLs may also be given directly.

Bad input is never an exception here: a missing file, undecodable bytes, an empty file or a malformed JSON
line each become a `Rejected` record and the iteration goes on with the rest. Nothing reads a whole corpus
into memory: a JSON Lines file or an archive is read a unit at a time, and no unit (a file, a line, a
record, a fetched page) may be over `DEFAULT_MAX_BYTES` (decompressed): a bigger one is rejected as
``too_large`` with its size, before it is decoded.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import logging
import lzma
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

import charset_normalizer

from newsevents.ingest.base import STDIN_SOURCE, Fetcher, IngestItem, reject
from newsevents.model import RawArticle, ReasonCode, Rejected

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileSource",
    "UndecodableError",
    "decode_bytes",
    "detect_format",
    "read_inputs",
]

#: The most bytes one input unit (a file, a JSON line, an archive record, a feed, a fetched page) may hold,
#: after decompression; ``--max-bytes`` changes it.
DEFAULT_MAX_BYTES = 50_000_000

logger = logging.getLogger(__name__)

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".json"})
ARCHIVE_EXTENSIONS = frozenset({".warc", ".arc"})
FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})
URL_LIST_EXTENSIONS = frozenset({".urls"})
COMPRESSED_EXTENSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}
_URL_LINE = re.compile(r"https?://\S+$", re.IGNORECASE)
# Files a directory walk skips: they are never article text.
BINARY_EXTENSIONS = frozenset(
    {
        *(".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".svg", ".heic"),
        *(".pdf", ".zip", ".tgz", ".zst", ".7z", ".rar", ".tar"),
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
    """A `newsevents.ingest.base.Source` over local paths (``-`` is standard input) and URLs."""

    paths: tuple[str, ...]
    stdin: BinaryIO | None = None
    fetcher: Fetcher | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def read(self) -> Iterator[IngestItem]:
        """Yield the articles of every path; see `read_inputs`."""
        return read_inputs(self.paths, stdin=self.stdin, fetcher=self.fetcher, max_bytes=self.max_bytes)


def read_inputs(
    paths: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_bytes: Callable[[int], None] | None = None,
    skip: Iterable[str] = (),
) -> Iterator[RawArticle | Rejected]:
    """Read articles from files, directories (recursively), standard input and URLs.

    Directories are walked in sorted order; hidden files and directories, and files with binary extensions
    (images, PDFs, zip archives, ...), are skipped. The format of each file comes from its extension
    (after a ``.gz``/``.bz2``/``.xz`` one), else from its content: HTML, JSON Lines, a feed, a URL list or
    plain text.

    Args:
        paths: file paths, directory paths, URLs, or ``-`` for standard input.
        stdin: the byte stream ``-`` reads; defaults to ``sys.stdin.buffer``.
        fetcher: fetches URLs (given directly or listed in a file); without one a URL is rejected.
        max_bytes: the cap on one unit's bytes, after decompression.
        on_bytes: called with the number of input bytes consumed, as reading goes (for progress).
        skip: files that are never input, such as the store's own database files when it lies inside a
            directory being read: a walk passes over them, and naming one is a ``unsupported`` rejection.

    Yields:
        A `RawArticle` per article, and a `Rejected` (stage ``"ingest"``) per unit that could not be used:
        missing or unreadable path, undecodable bytes, empty file, malformed JSON line, a unit over the cap,
        a URL that could not be fetched; and per unit that is deliberately not an article (``filtered``
        reasons: archive records that are not HTML responses, URLs robots.txt forbids).

    Example:
        >>> import io
        >>> [a.body for a in read_inputs(["-"], stdin=io.BytesIO(b"Hello."))]
        ['Hello.']
    """
    reader = _Reader(fetcher, max_bytes, on_bytes or (lambda n: None), {os.path.realpath(p) for p in skip})
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from reader.stream(stream)
        elif _URL_LINE.match(path.strip()):
            yield reader.url(path.strip())
        elif os.path.isdir(path):
            yield from reader.walk(path)
        else:
            yield from reader.file(path, explicit=True)


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


class _Reader:
    """The state one `read_inputs` call shares: the fetcher, the cap and the progress callback."""

    def __init__(
        self,
        fetcher: Fetcher | None,
        max_bytes: int,
        on_bytes: Callable[[int], None],
        skip: set[str] | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.max_bytes = max_bytes
        self.on_bytes = on_bytes
        self.skip = skip or set()

    def walk(self, directory: str) -> Iterator[IngestItem]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield reject(directory, ReasonCode.UNREADABLE, _os_reason(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):
                logger.debug("skipping hidden %s", entry.path)
            elif entry.is_dir(follow_symlinks=False):
                yield from self.walk(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in BINARY_EXTENSIONS:
                logger.debug("skipping binary file %s", entry.path)
            elif self.skip and os.path.realpath(entry.path) in self.skip:
                logger.info("skipping %s: a file of the store being written", entry.path)
            else:
                yield from self.file(entry.path, explicit=False)

    def file(self, path: str, *, explicit: bool) -> Iterator[IngestItem]:
        base, ext = os.path.splitext(path)
        ext = ext.lower()
        compression = COMPRESSED_EXTENSIONS.get(ext)
        inner = os.path.splitext(base)[1].lower() if compression else ext
        if explicit and ext in BINARY_EXTENSIONS:
            yield reject(path, ReasonCode.UNSUPPORTED, f"unsupported file type {ext}")
            return
        if explicit and self.skip and os.path.realpath(path) in self.skip:
            yield reject(path, ReasonCode.UNSUPPORTED, "a file of the store being written, not an input")
            return
        try:
            size = os.path.getsize(path)
            if inner in ARCHIVE_EXTENSIONS and compression in (None, "gzip"):
                yield from self._archive(path)
            elif inner in JSONL_EXTENSIONS:
                with _open(path, compression) as stream:
                    yield from self.jsonl(path, stream)
            else:
                with _open(path, compression) as stream:
                    data = stream.read(self.max_bytes + 1)
                if len(data) > self.max_bytes:
                    yield reject(path, ReasonCode.TOO_LARGE, self._too_large(size, compression))
                else:
                    yield from self._document(path, data, inner)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            reason = _os_reason(exc) if isinstance(exc, OSError) else str(exc) or type(exc).__name__
            yield reject(path, ReasonCode.UNREADABLE, reason)
            return
        self.on_bytes(size)

    def _too_large(self, size: int, compression: str | None) -> str:
        if compression:
            return f"over {self.max_bytes:,} bytes after decompression ({size:,} compressed; --max-bytes)"
        return f"{size:,} bytes, over the cap of {self.max_bytes:,} (--max-bytes)"

    def _archive(self, path: str) -> Iterator[IngestItem]:
        from newsevents.ingest.archives import read_warc

        with open(path, "rb") as stream:
            yield from read_warc(path, stream, self.max_bytes, decode_bytes)

    def _document(self, source: str, data: bytes, ext: str) -> Iterator[IngestItem]:
        from newsevents.ingest.archives import is_feed, read_feed

        if ext in FEED_EXTENSIONS or (ext not in HTML_EXTENSIONS and is_feed(data[:4096])):
            yield from read_feed(source, data)
            return
        fmt = "html" if ext in HTML_EXTENSIONS else None
        yield from self.decoded(source, data, fmt, empty="empty file", url_list=ext in URL_LIST_EXTENSIONS)

    def stream(self, stream: BinaryIO) -> Iterator[IngestItem]:
        try:
            data = stream.read(self.max_bytes + 1)
        except (OSError, ValueError) as exc:  # ValueError: reading a closed stream
            yield reject(STDIN_SOURCE, ReasonCode.UNREADABLE, str(exc) or type(exc).__name__)
            return
        if len(data) > self.max_bytes:
            yield reject(STDIN_SOURCE, ReasonCode.TOO_LARGE, f"over the cap of {self.max_bytes:,} bytes")
            return
        self.on_bytes(len(data))
        yield from self.decoded(STDIN_SOURCE, data, None, empty="empty input")

    def decoded(
        self, source: str, data: bytes, fmt: str | None, *, empty: str, url_list: bool = False
    ) -> Iterator[IngestItem]:
        try:
            text = decode_bytes(data)
        except UndecodableError as exc:
            yield reject(source, ReasonCode.UNDECODABLE, str(exc))
            return
        if not text.strip():
            yield reject(source, ReasonCode.EMPTY, empty)
            return
        fmt = fmt or ("urls" if url_list else detect_format(text))
        if fmt == "jsonl":
            for lineno, line in enumerate(text.split("\n"), start=1):
                if line.strip():
                    yield _parse_record(f"{source}:{lineno}", lineno, line)
        elif fmt == "urls":
            yield from self.url_list(source, text)
        else:
            yield RawArticle(source=source, body=text, format="html" if fmt == "html" else "text")

    def jsonl(self, source: str, stream: IO[bytes]) -> Iterator[IngestItem]:
        """One record per line, read line by line (split on ``\\n`` only); a line over the cap is rejected."""
        for lineno, raw, size in _lines(stream, self.max_bytes):
            where = f"{source}:{lineno}"
            if raw is None:
                yield reject(
                    where,
                    ReasonCode.TOO_LARGE,
                    f"line {lineno}: {size:,} bytes, over the cap of {self.max_bytes:,} (--max-bytes)",
                )
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    line = decode_bytes(raw)
                except UndecodableError as exc:
                    yield reject(where, ReasonCode.UNDECODABLE, f"line {lineno}: {exc}")
                    continue
            yield _parse_record(where, lineno, line.lstrip("\ufeff"))

    def url_list(self, source: str, text: str) -> Iterator[IngestItem]:
        urls = [
            line.strip() for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")
        ]
        if self.fetcher is None:
            yield reject(
                source,
                ReasonCode.UNSUPPORTED,
                f"a list of {len(urls):,} URLs; fetching is off (pass --fetch)",
            )
            return
        for url in urls:
            yield self.url(url)

    def url(self, url: str) -> IngestItem:
        if not _URL_LINE.match(url):
            return reject(url, ReasonCode.MALFORMED, "not an http(s) URL")
        if self.fetcher is None:
            return reject(url, ReasonCode.UNSUPPORTED, "a URL; fetching is off (pass --fetch)")
        from newsevents.errors import FetchError
        from newsevents.ingest.fetch import FetchTooLarge, RobotsDisallowed

        try:
            fetch_result = getattr(self.fetcher, "fetch_result", None)
            if fetch_result is not None:
                got = fetch_result(url)
                body, ctype, final = got.body, got.content_type, got.url
            else:
                body, ctype, final = self.fetcher.fetch(url), "", url
        except RobotsDisallowed as exc:
            return reject(url, ReasonCode.ROBOTS_DISALLOWED, str(exc))
        except FetchTooLarge as exc:
            return reject(url, ReasonCode.TOO_LARGE, str(exc))
        except FetchError as exc:
            return reject(url, ReasonCode.FETCH_FAILED, str(exc))
        self.on_bytes(len(body))
        if ctype and ctype not in ("text/html", "application/xhtml+xml", "text/plain"):
            return reject(url, ReasonCode.NOT_ARTICLE, f"content type {ctype!r} is not an article")
        if len(body) > self.max_bytes:
            return reject(
                url, ReasonCode.TOO_LARGE, f"{len(body):,} bytes, over the cap of {self.max_bytes:,}"
            )
        try:
            text = decode_bytes(body)
        except UndecodableError as exc:
            return reject(url, ReasonCode.UNDECODABLE, str(exc))
        if not text.strip():
            return reject(url, ReasonCode.EMPTY, "empty page")
        fmt = "text" if ctype == "text/plain" else "html"
        return RawArticle(source=url, body=text, format=fmt, url=final)


def _open(path: str, compression: str | None) -> IO[bytes]:
    if compression == "gzip":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if compression == "bz2":
        return bz2.open(path, "rb")
    if compression == "lzma":
        return lzma.open(path, "rb")
    return open(path, "rb")


def _lines(stream: IO[bytes], cap: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes without the newline or None when over cap, size)`` per ``\\n``-ended line."""
    lineno = 0
    while True:
        raw = stream.readline(cap + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > cap and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a chunk at a time
                raw = stream.readline(1 << 20)
                size += len(raw)
            yield lineno, None, size
            continue
        yield lineno, raw.rstrip(b"\n").rstrip(b"\r"), len(raw)


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
