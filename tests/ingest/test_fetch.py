"""Tests of the guarded fetcher, against throw-away HTTP servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsevents.errors import FetchError
from newsevents.ingest import fetch as fetch_mod
from newsevents.ingest.base import Fetcher

FetchTooLarge = fetch_mod.FetchTooLarge
GuardedFetcher = fetch_mod.GuardedFetcher
RobotsDisallowed = fetch_mod.RobotsDisallowed

LOCAL = frozenset({"127.0.0.1"})
Reply = tuple[int, dict[str, str], bytes]
Route = Reply | Callable[[BaseHTTPRequestHandler, threading.Event], None]


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 answering canned routes and recording requests."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = (404, {}, b"not found")
                if callable(route):
                    route(self, server.stop)
                    return
                status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Route]], Server]]:
    servers: list[Server] = []

    def start(routes: dict[str, Route]) -> Server:
        servers.append(Server(routes))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def local(**kwargs: Any) -> Any:
    """A fetcher that may reach the test servers, fast and without robots unless asked."""
    options: dict[str, Any] = {
        "allow_addresses": LOCAL,
        "min_interval": 0.0,
        "respect_robots": False,
        "timeout": 2.0,
    }
    options.update(kwargs)
    return GuardedFetcher(**options)


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Record (and forbid) every outgoing connection."""
    calls: list[tuple[Any, ...]] = []

    def refuse(*args: Any, **kwargs: Any) -> socket.socket:
        calls.append(args)
        raise AssertionError(f"unexpected connection {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return calls


# -- plain fetches ----------------------------------------------------------------------------------------


def test_plain_fetch_with_charset(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/a": (200, {"Content-Type": 'Text/HTML; Charset="UTF-8"'}, "héllo".encode())})
    fetcher = local()
    result = fetcher.fetch_result(server.url("/a"))
    assert result == fetch_mod.FetchResult(
        url=server.url("/a"), status=200, content_type="text/html", charset="utf-8", body="héllo".encode()
    )
    _, headers = server.requests[0]
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["user-agent"].startswith("newsevents/")
    assert isinstance(fetcher, Fetcher)
    assert fetcher.fetch(server.url("/a")) == "héllo".encode()


def test_missing_content_type_is_empty(serve: Callable[[dict[str, Route]], Server]) -> None:
    def bare(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")

    server = serve({"/bare": bare})
    result = local().fetch_result(server.url("/bare"))
    assert (result.content_type, result.charset, result.body) == ("", None, b"ok")


def test_host_header_is_original_name_and_connection_goes_to_vetted_ip(
    serve: Callable[[dict[str, Route]], Server],
) -> None:
    def echo(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        body = handler.headers["Host"].encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server = serve({"/echo": echo})
    calls: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append((host, port))
        return ["127.0.0.1"]

    body = local(resolver=resolver).fetch(f"http://News.Example:{server.port}/echo")
    assert body == f"news.example:{server.port}".encode()
    assert calls == [("news.example", server.port)]  # resolved exactly once


@pytest.mark.parametrize("mode", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bodies_are_decoded(serve: Callable[[dict[str, Route]], Server], mode: str) -> None:
    text = b"news " * 5000
    if mode == "gzip":
        encoded, encoding = gzip.compress(text), "gzip"
    elif mode == "deflate-zlib":
        encoded, encoding = zlib.compress(text), "deflate"
    else:
        raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        encoded, encoding = raw.compress(text) + raw.flush(), "deflate"
    server = serve({"/z": (200, {"Content-Encoding": encoding, "Content-Type": "text/plain"}, encoded)})
    assert local().fetch(server.url("/z")) == text


def test_truncated_gzip_is_an_error(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/t": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"x" * 1000)[:-8])})
    with pytest.raises(FetchError, match="truncated"):
        local().fetch(server.url("/t"))


# -- size caps --------------------------------------------------------------------------------------------


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1_000_000)
    return b"".join(packer.compress(block) for _ in range(size // len(block))) + packer.flush()


def test_gzip_bomb_is_refused_with_bounded_memory(serve: Callable[[dict[str, Route]], Server]) -> None:
    bomb = _gzip_bomb(50_000_000)
    assert len(bomb) < 100_000

    def send_bomb(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n")  # no Content-Length
        handler.wfile.write(bomb)

    server = serve({"/bomb": send_bomb})
    fetcher = local(max_bytes=1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FetchTooLarge, match="1000000 bytes after decompression"):
            fetcher.fetch(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3_500_000, peak


def test_body_exactly_at_cap_is_accepted(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/z": (200, {"Content-Encoding": "gzip"}, gzip.compress(bytes(1000)))})
    assert local(max_bytes=1000).fetch(server.url("/z")) == bytes(1000)
    with pytest.raises(FetchTooLarge):
        local(max_bytes=999).fetch(server.url("/z"))


def test_content_length_over_cap_refused_before_reading(serve: Callable[[dict[str, Route]], Server]) -> None:
    def liar(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        # Declares 2 MB but sends 5 bytes: reading the body would raise IncompleteRead, not FetchTooLarge.
        handler.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2000000\r\n\r\nhello")

    server = serve({"/big": liar})
    with pytest.raises(FetchTooLarge, match="declares 2000000 bytes"):
        local(max_bytes=1_000_000).fetch(server.url("/big"))


def test_identity_body_over_cap_without_length(serve: Callable[[dict[str, Route]], Server]) -> None:
    def stream(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\n\r\n" + b"a" * 300_000)

    server = serve({"/s": stream})
    with pytest.raises(FetchTooLarge):
        local(max_bytes=200_000).fetch(server.url("/s"))


# -- address policy ---------------------------------------------------------------------------------------


def test_loopback_refused_by_default(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/": (200, {}, b"secret")})
    fetcher = GuardedFetcher(min_interval=0.0, timeout=2.0)
    with pytest.raises(
        FetchError, match=r"host '127\.0\.0\.1' has non-public address 127\.0\.0\.1 \(loopback\)"
    ):
        fetcher.fetch(server.url("/"))
    with pytest.raises(
        FetchError, match=r"host 'localhost' has non-public address (127\.0\.0\.1|::1) \(loopback\)"
    ):
        fetcher.fetch(f"http://localhost:{server.port}/")
    with pytest.raises(FetchError, match=r"host '::1' has non-public address ::1 \(loopback\)"):
        fetcher.fetch(f"http://[::1]:{server.port}/")
    with pytest.raises(
        FetchError, match=r"host '2130706433' has non-public address 127\.0\.0\.1 \(loopback\)"
    ):
        fetcher.fetch(f"http://2130706433:{server.port}/")
    assert server.requests == []  # not even robots.txt was asked for


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared address space"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fc00::1", "private"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_non_public_resolved_addresses_refused_without_connecting(
    no_connect: list[tuple[Any, ...]], address: str, reason: str
) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return [address]

    fetcher = GuardedFetcher(resolver=resolver, min_interval=0.0)
    with pytest.raises(FetchError) as info:
        fetcher.fetch("http://news.example/story")
    message = str(info.value)
    assert "'news.example'" in message and address in message and reason in message
    assert calls == ["news.example"]
    assert no_connect == []


def test_any_bad_address_among_several_is_refused(no_connect: list[tuple[Any, ...]]) -> None:
    fetcher = GuardedFetcher(resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"], min_interval=0.0)
    with pytest.raises(FetchError, match=r"non-public address 10\.1\.2\.3 \(private\)"):
        fetcher.fetch("https://news.example/")
    assert no_connect == []


def test_address_refusal_helper() -> None:
    assert fetch_mod.address_refusal("93.184.216.34") is None
    assert fetch_mod.address_refusal("2606:4700::1") is None
    assert fetch_mod.address_refusal("127.0.0.1") == "loopback"
    assert fetch_mod.address_refusal("2002:7f00:1::") == "loopback (embedded 127.0.0.1)"  # 6to4
    assert fetch_mod.address_refusal("64:ff9b::a00:1") == "private (embedded 10.0.0.1)"  # NAT64
    assert fetch_mod.address_refusal("ff02::1") == "multicast"


def test_unresolvable_host_is_fetch_error() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match=r"cannot resolve host 'nowhere\.example'"):
        GuardedFetcher(resolver=resolver).fetch("http://nowhere.example/")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/file",
        "gopher://news.example/",
        "data:text/plain,hello",
        "javascript:alert(1)",
        "news.example/story",
        "http:///no-host",
        "https://",
    ],
)
def test_non_http_or_hostless_urls_refused(no_connect: list[tuple[Any, ...]], url: str) -> None:
    with pytest.raises(FetchError) as info:
        GuardedFetcher(resolver=lambda host, port: ["93.184.216.34"]).fetch(url)
    assert repr(url) in str(info.value)
    assert "unsupported scheme" in str(info.value) or "no host" in str(info.value)
    assert no_connect == []


def test_malformed_urls_refused(no_connect: list[tuple[Any, ...]]) -> None:
    fetcher = GuardedFetcher(resolver=lambda host, port: ["93.184.216.34"])
    with pytest.raises(FetchError, match="malformed URL"):
        fetcher.fetch("http://news.example:99999/")
    with pytest.raises(FetchError, match="control characters"):
        fetcher.fetch("http://news.example/a\r\nX-Injected: 1")
    assert no_connect == []


# -- redirects --------------------------------------------------------------------------------------------


def test_relative_redirect_followed(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve(
        {
            "/dir/a": (302, {"Location": "b?x=1"}, b""),
            "/dir/b?x=1": (200, {"Content-Type": "text/plain"}, b"arrived"),
        }
    )
    result = local().fetch_result(server.url("/dir/a"))
    assert (result.url, result.status, result.body) == (server.url("/dir/b?x=1"), 200, b"arrived")
    assert server.paths() == ["/dir/a", "/dir/b?x=1"]


@pytest.mark.parametrize("status", [301, 303, 307, 308])
def test_every_redirect_status_followed(serve: Callable[[dict[str, Route]], Server], status: int) -> None:
    server = serve({"/old": (status, {"Location": "/new"}, b""), "/new": (200, {}, b"new")})
    assert local().fetch(server.url("/old")) == b"new"


def test_redirect_to_refused_address_refused(
    serve: Callable[[dict[str, Route]], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve({"/go": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")})
    real = socket.create_connection
    targets: list[Any] = []

    def spy(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        targets.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    with pytest.raises(
        FetchError,
        match=r"host '169\.254\.169\.254' has non-public address 169\.254\.169\.254 \(link-local\)",
    ):
        local().fetch(server.url("/go"))
    assert targets == [("127.0.0.1", server.port)]


def test_redirect_to_name_resolving_private_refused(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/go": (301, {"Location": "http://intranet.example/"}, b"")})
    fetcher = local(resolver=lambda host, port: ["192.168.1.1"])
    with pytest.raises(
        FetchError, match=r"host 'intranet\.example' has non-public address 192\.168\.1\.1 \(private\)"
    ):
        fetcher.fetch(server.url("/go"))


def test_redirect_to_other_scheme_refused(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/go": (302, {"Location": "file:///etc/passwd"}, b"")})
    with pytest.raises(FetchError, match="unsupported scheme 'file'"):
        local().fetch(server.url("/go"))


def test_too_many_redirects(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/loop": (302, {"Location": "/loop"}, b"")})
    with pytest.raises(FetchError, match="too many redirects"):
        local(max_redirects=3).fetch(server.url("/loop"))
    assert server.paths() == ["/loop"] * 4


def test_non_2xx_status_is_fetch_error(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/boom": (500, {}, b"oops")})
    with pytest.raises(FetchError, match=r"HTTP status 500 fetching http://127\.0\.0\.1:\d+/boom"):
        local().fetch(server.url("/boom"))
    with pytest.raises(FetchError, match="HTTP status 404"):
        local().fetch(server.url("/missing"))


# -- robots.txt -------------------------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private\n"


def test_robots_disallow(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve(
        {"/robots.txt": (200, {}, ROBOTS), "/public": (200, {}, b"ok"), "/private/x": (200, {}, b"no")}
    )
    fetcher = local(respect_robots=True)
    with pytest.raises(RobotsDisallowed, match=r"disallows http://127\.0\.0\.1:\d+/private/x"):
        fetcher.fetch(server.url("/private/x"))
    assert fetcher.fetch(server.url("/public")) == b"ok"
    assert server.paths() == ["/robots.txt", "/public"]  # robots.txt cached, /private never asked
    _, headers = server.requests[0]
    assert headers["user-agent"].startswith("newsevents/")


def test_robots_group_for_our_product_token(serve: Callable[[dict[str, Route]], Server]) -> None:
    robots = b"User-agent: newsevents\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server = serve({"/robots.txt": (200, {}, robots), "/a": (200, {}, b"a")})
    with pytest.raises(RobotsDisallowed):
        local(respect_robots=True).fetch(server.url("/a"))
    assert local(respect_robots=True, user_agent="otherbot/1.0").fetch(server.url("/a")) == b"a"


@pytest.mark.parametrize("status", [404, 410, 403])
def test_robots_4xx_allows_everything(serve: Callable[[dict[str, Route]], Server], status: int) -> None:
    server = serve({"/robots.txt": (status, {}, b""), "/private/x": (200, {}, b"fine")})
    assert local(respect_robots=True).fetch(server.url("/private/x")) == b"fine"


@pytest.mark.parametrize("status", [500, 503])
def test_robots_5xx_disallows_everything(serve: Callable[[dict[str, Route]], Server], status: int) -> None:
    server = serve({"/robots.txt": (status, {}, b""), "/a": (200, {}, b"a")})
    with pytest.raises(RobotsDisallowed):
        local(respect_robots=True).fetch(server.url("/a"))
    assert server.paths() == ["/robots.txt"]


def test_robots_checked_for_redirect_to_new_origin(serve: Callable[[dict[str, Route]], Server]) -> None:
    other = serve({"/robots.txt": (200, {}, b"User-agent: *\nDisallow: /\n"), "/x": (200, {}, b"x")})
    first = serve({"/robots.txt": (404, {}, b""), "/go": (302, {"Location": other.url("/x")}, b"")})
    with pytest.raises(RobotsDisallowed, match=f"disallows {other.url('/x')}"):
        local(respect_robots=True).fetch(first.url("/go"))
    assert first.paths() == ["/robots.txt", "/go"]
    assert other.paths() == ["/robots.txt"]


# -- politeness -------------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_per_host_interval_enforced(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/robots.txt": (404, {}, b""), "/a": (200, {}, b"a"), "/b": (200, {}, b"b")})
    clock = FakeClock()
    fetcher = local(respect_robots=True, min_interval=1.0, clock=clock, sleep=clock.sleep)
    assert fetcher.fetch(server.url("/a")) == b"a"
    assert clock.sleeps == [pytest.approx(1.0)]  # robots.txt at t=100, then /a has to wait
    clock.now += 0.25
    assert fetcher.fetch(server.url("/b")) == b"b"
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(0.75)]
    clock.now += 5.0
    fetcher.fetch(server.url("/a"))
    assert len(clock.sleeps) == 2  # long enough since the last request: no wait
    assert server.paths() == ["/robots.txt", "/a", "/b", "/a"]


# -- timeouts ---------------------------------------------------------------------------------------------


def test_slow_server_times_out(serve: Callable[[dict[str, Route]], Server]) -> None:
    def slow(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        stop.wait(5.0)  # longer than the timeout; released when the server shuts down

    server = serve({"/slow": slow})
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        local(timeout=0.3).fetch(server.url("/slow"))
    assert time.monotonic() - started < 1.5


def test_dripping_server_hits_overall_deadline(serve: Callable[[dict[str, Route]], Server]) -> None:
    def drip(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\n\r\n")
        handler.wfile.flush()
        while not stop.wait(0.05):  # each byte arrives well within the socket timeout
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return

    server = serve({"/drip": drip})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out.*deadline of 0\.9s"):
        local(timeout=0.3).fetch(server.url("/drip"))
    assert 0.8 < time.monotonic() - started < 2.0


def test_https_handshake_failure_is_fetch_error(serve: Callable[[dict[str, Route]], Server]) -> None:
    server = serve({"/": (200, {}, b"plain http")})
    with pytest.raises(FetchError, match="cannot fetch https://127"):
        local().fetch(f"https://127.0.0.1:{server.port}/")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_https_verifies_certificate_against_original_hostname(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    server = Server({"/s": (200, {"Content-Type": "text/plain"}, b"secure")})
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.httpd.socket = tls.wrap_socket(server.httpd.socket, server_side=True)
    try:
        resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
        untrusting = local(resolver=resolver)
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
            untrusting.fetch(f"https://news.example:{server.port}/s")
        trusting = local(resolver=resolver)
        trusting._tls.load_verify_locations(cert)  # trust the test certificate, keep hostname checking
        assert trusting.fetch(f"https://news.example:{server.port}/s") == b"secure"
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):  # name mismatch
            trusting.fetch(f"https://127.0.0.1:{server.port}/s")
    finally:
        server.close()
