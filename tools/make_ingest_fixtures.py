"""Write the real-format ingest fixtures in tests/data/ingest/formats (run once; the outputs are committed).

The texts are written for these tests. The WARC file holds a warcinfo record, a request, three HTML
responses, a PDF response, a 404 and, between the second and third HTML responses, one corrupt record.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "ingest" / "formats"

STORIES = [
    (
        "Port workers strike in Rotterdam",
        "Dock workers in Rotterdam walked out on Tuesday over pay, halting container traffic.",
    ),
    (
        "Kenya and Uganda sign rail accord",
        "Kenya and Uganda signed an agreement in Nairobi on Friday to extend the railway.",
    ),
    (
        "Chile recalls ambassador",
        "Chile recalled its ambassador to Venezuela on Monday after a dispute over elections.",
    ),
]


def html(title: str, text: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p><p>Officials said talks would continue next week.</p></article></body></html>"
    ).encode()


def warc() -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    w.write_record(w.create_warcinfo_record("news.warc.gz", {"software": "newsevents tests"}))
    req = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    w.write_record(w.create_warc_record("https://news.example/a", "request", http_headers=req))
    corrupt_at = None
    for i, (title, text) in enumerate(STORIES):
        if i == 2:
            corrupt_at = buf.tell()
            w.write_record(
                w.create_warc_record(
                    "https://news.example/broken",
                    "response",
                    payload=io.BytesIO(html("Broken", "This record is damaged.")),
                    http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                    ),
                )
            )
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        w.write_record(
            w.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(html(title, text)),
                http_headers=headers,
            )
        )
    pdf = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
    w.write_record(
        w.create_warc_record(
            "https://news.example/report.pdf",
            "response",
            payload=io.BytesIO(b"%PDF-1.4 not an article"),
            http_headers=pdf,
        )
    )
    missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    w.write_record(
        w.create_warc_record(
            "https://news.example/gone",
            "response",
            payload=io.BytesIO(b"<html>gone</html>"),
            http_headers=missing,
        )
    )
    data = bytearray(buf.getvalue())
    assert corrupt_at is not None
    data[corrupt_at + 20 : corrupt_at + 60] = b"\x00" * 40  # damage the gzip member of the broken record
    return bytes(data)


def rss() -> str:
    items = "".join(
        f"<item><title>{t}</title><link>https://news.example/rss/{i}</link><guid>rss-{i}</guid>"
        f"<pubDate>Tue, 0{i + 2} Apr 2019 10:00:00 GMT</pubDate><description>{x}</description></item>"
        for i, (t, x) in enumerate(STORIES)
    )
    empty = "<item><title>Photo gallery</title><link>https://news.example/rss/gallery</link><guid>rss-g</guid></item>"
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}{empty}</channel></rss>'
    )


def atom() -> str:
    entries = "".join(
        f'<entry><id>urn:news:{i}</id><title>{t}</title><link href="https://news.example/atom/{i}"/>'
        f"<updated>1998-0{i + 1}-15T08:00:00Z</updated>"
        f'<content type="html">&lt;p&gt;{x}&lt;/p&gt;</content></entry>'
        for i, (t, x) in enumerate(STORIES)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>{entries}</feed>'


def jsonl_gz() -> bytes:
    lines = [
        json.dumps({"id": f"j{i}", "title": t, "text": x, "date": f"2011-0{i + 1}-0{i + 1}"})
        for i, (t, x) in enumerate(STORIES)
    ]
    lines.insert(1, '{"id": "broken", "text": ')  # a malformed line
    lines.append(json.dumps({"id": "notext", "title": "no text"}))
    return gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "news.warc.gz").write_bytes(warc())
    (OUT / "news.rss").write_text(rss())
    (OUT / "news.atom").write_text(atom())
    (OUT / "news.jsonl.gz").write_bytes(jsonl_gz())
    (OUT / "news.jsonl.xz").write_bytes(__import__("lzma").compress(gzip.decompress(jsonl_gz())))
    (OUT / "news.jsonl.bz2").write_bytes(__import__("bz2").compress(gzip.decompress(jsonl_gz())))
    (OUT / "news.urls").write_text("# a URL list\nhttps://news.example/one\nhttps://news.example/two\n")


if __name__ == "__main__":
    main()
