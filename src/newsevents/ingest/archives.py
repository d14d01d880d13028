"""Read web archives (WARC and ARC, gzip'd or not, through warcio) and RSS 2.0 / Atom feeds (feedparser).

Each WARC ``response`` record with an HTML body is one article, its source ``path@offset`` (the record's
byte offset, so the key is stable however often the file is read); every other record is a ``filtered``
unit (``not_article``: request, metadata and warcinfo records, non-HTML or non-200 responses). A corrupt
record is a ``malformed`` unit and reading goes on at the next record that can be found (the next gzip
member, or the next ``WARC/`` header line). Records are read one at a time, never the whole file.

Each feed item is one article, its source ``path#item-id`` (the item's guid, else its link, else its
position), its body the item's full content when the feed has it, else its summary; an item with neither
is ``filtered``. A feed is read whole (feeds are small; a file over the size cap is rejected first).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from newsevents.ingest.base import IngestItem, reject
from newsevents.model import RawArticle, ReasonCode

__all__ = ["is_feed", "read_feed", "read_warc"]

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = re.compile(rb"(?:^|\n)WARC/1\.[01]\r?\n")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCAN_CHUNK = 1 << 20


def read_warc(
    path: str, stream: IO[bytes], max_bytes: int, decode: Callable[[bytes], str]
) -> Iterator[IngestItem]:
    """Yield the articles of one WARC/ARC file, and a unit for every other record.

    Args:
        path: the file's path (the sources are ``path@offset``).
        stream: the file opened in binary mode; seekable, so that reading can resume after a corrupt record.
        max_bytes: the cap on one record's body.
        decode: turns a body's bytes into text (`newsevents.ingest.files.decode_bytes`).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    start = 0
    while True:
        stream.seek(start)
        records = ArchiveIterator(stream, arc2warc=True)
        done = start  # where the next record begins: the end of the last good one
        try:
            for record in records:
                # The body first: asking warcio for the offset before reading the body loses the body.
                body = record.content_stream().read(max_bytes + 1) if record.rec_type == "response" else b""
                offset = records.get_record_offset()  # absolute: warcio counts from the stream's position
                yield _record(path, offset, record, body, max_bytes, decode)
                done = offset + 1
            return
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, IndexError, zlib.error) as exc:
            bad = max(int(getattr(records, "offset", done) or done), done)
            detail = f"corrupt record at byte {bad}: {type(exc).__name__}: {str(exc)[:200]}"
            yield reject(f"{path}@{bad}", ReasonCode.MALFORMED, detail)
            resume = _next_record(stream, bad + 1)
            if resume is None:
                return
            log.warning("%s: skipped a corrupt record at byte %d, resuming at byte %d", path, bad, resume)
            start = resume


def _record(
    path: str, offset: int, record: Any, body: bytes, max_bytes: int, decode: Callable[[bytes], str]
) -> IngestItem:
    source = f"{path}@{offset}"
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    if kind != "response":
        return reject(source, ReasonCode.NOT_ARTICLE, f"a {kind} record, not a response")
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    if status is not None and status != "200":
        return reject(source, ReasonCode.NOT_ARTICLE, f"HTTP status {status} for {url}")
    ctype = (http.get_header("Content-Type") if http is not None else None) or ""
    if ctype.lower().split(";")[0].strip() not in _HTML_TYPES:
        return reject(
            source, ReasonCode.NOT_ARTICLE, f"content type {ctype or 'unknown'!r} is not HTML ({url})"
        )
    if len(body) > max_bytes:
        return reject(
            source, ReasonCode.TOO_LARGE, f"record body over the cap of {max_bytes:,} bytes ({url})"
        )
    try:
        text = decode(body)
    except ValueError as exc:
        return reject(source, ReasonCode.UNDECODABLE, f"{exc} ({url})")
    if not text.strip():
        return reject(source, ReasonCode.EMPTY, f"empty response body ({url})")
    return RawArticle(source=source, body=text, format="html", url=url)


def _next_record(stream: IO[bytes], after: int) -> int | None:
    """The offset of the next gzip member or WARC header after `after`, or None at the end of the file."""
    stream.seek(after)
    position = after
    tail = b""
    while True:
        chunk = stream.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = tail + chunk
        base = position - len(tail)
        hits = [i for i in (data.find(_GZIP_MAGIC), _warc_at(data)) if i >= 0]
        if hits:
            return base + min(hits)
        tail = data[-16:]
        position += len(chunk)


def _warc_at(data: bytes) -> int:
    match = _WARC_MAGIC.search(data)
    if match is None:
        return -1
    return match.start() + (1 if data[match.start() : match.start() + 1] == b"\n" else 0)


# -- feeds -------------------------------------------------------------------------------------------------

_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


def is_feed(head: bytes) -> bool:
    """Whether the first bytes of a file look like an RSS or Atom document.

    Example:
        >>> is_feed(b'<?xml version="1.0"?><rss version="2.0">'), is_feed(b"<html>")
        (True, False)
    """
    return _FEED_HEAD.search(head[:4096]) is not None


def read_feed(path: str, data: bytes) -> Iterator[IngestItem]:
    """Yield one article per item of an RSS 2.0 / Atom feed held in `data`.

    Args:
        path: the file's path (the sources are ``path#item-id``).
        data: the whole feed.
    """
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or ())
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f"not a readable feed: {problem}" if problem else "a feed without items"
        yield reject(path, ReasonCode.MALFORMED if problem else ReasonCode.EMPTY, detail)
        return
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        key = str(entry.get("id") or entry.get("link") or index).strip()
        if key in seen:
            key = f"{key}~{index}"
        seen.add(key)
        yield _entry(f"{path}#{key}", entry)


def _entry(source: str, entry: Any) -> IngestItem:
    body = ""
    for content in entry.get("content") or ():
        value = str(content.get("value") or "")
        if len(value) > len(body):
            body = value
    if not body:
        body = str(entry.get("summary") or entry.get("description") or "")
    link = entry.get("link")
    if not body.strip():
        return reject(source, ReasonCode.NOT_ARTICLE, f"a feed item without text ({link or 'no link'})")
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
            break
    title = entry.get("title")
    return RawArticle(
        source=source,
        body=body,
        format="html",
        title=str(title).strip() if title else None,
        published=published,
        url=str(link) if link else None,
        external_id=str(entry["id"]) if entry.get("id") else None,
    )
