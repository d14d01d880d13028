"""A guarded HTTP(S) fetcher: the one place where newsevents talks to the network.

Guard policy, applied to the first URL and to every redirect hop:

* only ``http`` and ``https`` URLs with a host are fetched;
* the host is resolved once per hop; if any address is not globally routable (loopback, private, link-local,
  multicast, reserved, unspecified, shared 100.64/10, or an IPv6 address embedding one of those) the URL is
  refused, unless that exact address was explicitly allowed;
* the connection goes to the vetted address itself (the hostname is not resolved again), so DNS rebinding
  between the check and the connection is impossible; HTTPS certificates are verified against the hostname;
* redirects are followed by hand, at most ``max_redirects`` of them;
* every socket operation has a timeout, and a whole fetch has a deadline of three times that timeout;
* the body is capped at ``max_bytes`` after decompression (gzip bombs are refused while inflating);
* robots.txt is honoured (RFC 9309) and requests to one host are spaced by ``min_interval`` seconds.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from newsevents.errors import ConfigError, FetchError

__all__ = [
    "ROBOTS_MAX_BYTES",
    "FetchResult",
    "FetchTooLarge",
    "GuardedFetcher",
    "RobotsDisallowed",
    "address_refusal",
]

logger = logging.getLogger(__name__)

#: The size cap of a robots.txt file (RFC 9309 asks crawlers to parse at least 500 KiB).
ROBOTS_MAX_BYTES = 500_000

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_RE = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
# Characters left alone when percent-encoding a request target: reserved characters and "%" itself.
_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]
_SAFE_TARGET = "/?&=+%:@!$'()*,;~[]"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL: the caller records it as filtered, not as an error."""


class FetchTooLarge(FetchError):
    """The response body is over the size cap (declared, compressed or decompressed)."""


@dataclass(frozen=True)
class FetchResult:
    """A successful (2xx) response.

    Attributes:
        url: the final URL, after redirects.
        status: the HTTP status code.
        content_type: the media type, lower-case and without parameters (``"text/html"``); ``""`` when absent.
        charset: the ``charset`` parameter of the Content-Type header, lower-case, if any.
        body: the body, decompressed.
    """

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes


@dataclass(frozen=True)
class _Target:
    """One vetted hop: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) hostname or IP literal, without brackets
    port: int
    request_target: str
    addresses: tuple[str, ...]

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    def with_path(self, path: str) -> _Target:
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"
        return _Target(
            url=f"{self.scheme}://{netloc}{path}",
            scheme=self.scheme,
            host=self.host,
            port=self.port,
            request_target=path,
            addresses=self.addresses,
        )


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    location: str | None
    content_type: str
    charset: str | None
    body: bytes


def address_refusal(address: str) -> str | None:
    """Tell why an IP address must not be fetched from, if it must not.

    Args:
        address: an IPv4 or IPv6 address string (an IPv6 zone such as ``%eth0`` is accepted).

    Returns:
        ``None`` for a globally routable address, otherwise a short reason such as ``"loopback"``.

    Raises:
        ValueError: `address` is not an IP address.
    """
    return _refusal(ipaddress.ip_address(address))


def _refusal(addr: IPAddress) -> str | None:
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is None and addr in _NAT64:
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _refusal(embedded)
            if inner is not None:
                return f"{inner} (embedded {embedded})"
    checks: tuple[tuple[bool, str], ...] = (
        (addr.is_unspecified, "unspecified"),
        (addr.is_loopback, "loopback"),
        (addr.is_link_local, "link-local"),
        (addr.is_multicast, "multicast"),
        (isinstance(addr, ipaddress.IPv4Address) and addr in _SHARED, "shared address space"),
        (addr.is_reserved, "reserved"),
        (addr.is_private, "private"),
        (isinstance(addr, ipaddress.IPv6Address) and addr.is_site_local, "site-local"),
        (not addr.is_global, "not globally routable"),
    )
    for hit, reason in checks:
        if hit:
            return reason
    return None


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _ip_literal(host: str) -> IPAddress | None:
    """The address a numeric host stands for (including legacy forms such as ``2130706433``), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9a-fx.]+", host) and re.match(r"[0-9]", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if value is None:
        return "", None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _open_socket(addresses: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    """Connect to the first reachable vetted address (never to a hostname)."""
    last: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except TimeoutError:
            raise
        except OSError as exc:
            last = exc
    raise last or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to vetted addresses; ``Host:`` still carries the original hostname."""

    def __init__(self, host: str, port: int, *, addresses: tuple[str, ...], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        self.sock = _open_socket(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to vetted addresses, verifying the certificate against the hostname."""

    def __init__(
        self, host: str, port: int, *, addresses: tuple[str, ...], timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses
        self._tls = context

    def connect(self) -> None:
        raw = _open_socket(self._addresses, self.port, self.timeout)
        try:
            self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


class _Decoder:
    """Decompresses a body incrementally, never holding more than ``max_bytes + 1`` decoded bytes."""

    def __init__(self, encoding: str, max_bytes: int, url: str) -> None:
        self._encoding = encoding.strip().lower()
        self._max = max_bytes
        self._url = url
        self._parts: list[bytes] = []
        self._size = 0
        self._pending = b""
        self._fed = False
        self._dec: zlib._Decompress | None = None
        if self._encoding in ("gzip", "x-gzip"):
            self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._encoding not in ("", "identity", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {encoding!r} from {url}")

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            raise FetchTooLarge(f"body of {self._url} exceeds {self._max} bytes after decompression")
        self._parts.append(data)

    def feed(self, data: bytes) -> None:
        self._fed = True
        if self._encoding in ("", "identity"):
            self._add(data)
            return
        if self._dec is None:  # deflate: zlib-wrapped (RFC 9110) or raw (what some servers send)?
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            zlib_header = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._dec = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        self._inflate(data)

    def _inflate(self, data: bytes) -> None:
        assert self._dec is not None
        while data:
            if self._dec.eof:
                if self._encoding == "deflate":
                    return  # trailing bytes after a deflate stream are ignored
                if not data.strip(b"\0"):
                    return  # padding after the last gzip member
                self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS)  # another gzip member
            room = self._max - self._size + 1
            try:
                out = self._dec.decompress(data, room)
            except zlib.error as exc:
                raise FetchError(f"corrupt {self._encoding} body from {self._url}: {exc}") from exc
            self._add(out)  # out <= room, so a full buffer raises FetchTooLarge here
            data = self._dec.unused_data if self._dec.eof else self._dec.unconsumed_tail

    def finish(self) -> bytes:
        if self._encoding not in ("", "identity") and self._fed:
            if self._dec is None:
                raise FetchError(f"truncated {self._encoding} body from {self._url}")
            if not self._dec.eof:
                raise FetchError(f"truncated {self._encoding} body from {self._url}")
        return b"".join(self._parts)


class GuardedFetcher:
    """Fetches public http(s) URLs under the guard policy described in the module docstring.

    Satisfies the `newsevents.ingest.base.Fetcher` protocol. Not thread-safe.

    Args:
        timeout: socket timeout in seconds for connecting and for each read; a whole fetch (robots.txt and
            redirects included, politeness waits excluded) must finish within three times this.
        max_bytes: cap on the decompressed body size.
        min_interval: minimum number of seconds between two requests to the same host.
        max_redirects: how many redirects one fetch may follow.
        user_agent: the ``User-Agent`` header; its product token (``newsevents``) is matched in robots.txt.
        respect_robots: check robots.txt before fetching from an origin.
        resolver: ``(host, port) -> [IP address strings]``; defaults to `socket.getaddrinfo`.
        allow_addresses: exact IP addresses exempted from the non-public address refusal (for tests).
        clock: monotonic clock used for politeness.
        sleep: how to wait for politeness.

    Raises:
        ConfigError: an argument is out of range or an allowed address is not an IP address.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_bytes: int = 10_000_000,
        min_interval: float = 1.0,
        max_redirects: int = 5,
        user_agent: str = "newsevents/0.2 (news event extraction; polite)",
        respect_robots: bool = True,
        resolver: Callable[[str, int], list[str]] | None = None,
        allow_addresses: frozenset[str] = frozenset(),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if timeout <= 0 or max_bytes <= 0 or min_interval < 0 or max_redirects < 0:
            raise ConfigError(
                "GuardedFetcher needs timeout > 0, max_bytes > 0, min_interval >= 0 and max_redirects >= 0"
            )
        if not user_agent.strip() or any(c in user_agent for c in "\r\n"):
            raise ConfigError(f"invalid user agent {user_agent!r}")
        try:
            self._allowed = frozenset(str(ipaddress.ip_address(a)) for a in allow_addresses)
        except ValueError as exc:
            raise ConfigError(f"allow_addresses must hold IP addresses: {exc}") from exc
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._min_interval = min_interval
        self._max_redirects = max_redirects
        self._user_agent = user_agent
        self._agent_token = user_agent.split("/")[0].split()[0]
        self._respect_robots = respect_robots
        self._resolver = resolver or _default_resolver
        self._clock = clock
        self._sleep = sleep
        self._tls = ssl.create_default_context()
        self._robots: dict[tuple[str, str, int], RobotFileParser] = {}
        self._last_request: dict[str, float] = {}
        self._deadline = 0.0

    def fetch(self, url: str) -> bytes:
        """Fetch a URL and return its body.

        Args:
            url: an http or https URL.

        Returns:
            The decompressed body of the final (2xx) response.

        Raises:
            RobotsDisallowed: robots.txt forbids the URL or a redirect target.
            FetchTooLarge: the body is over the size cap.
            FetchError: the URL is refused by the guard policy, cannot be fetched, or answers non-2xx.
        """
        return self.fetch_result(url).body

    def fetch_result(self, url: str) -> FetchResult:
        """Fetch a URL and return the final response with its metadata.

        Args:
            url: an http or https URL.

        Returns:
            The final (2xx) response, after redirects.

        Raises:
            RobotsDisallowed: robots.txt forbids the URL or a redirect target.
            FetchTooLarge: the body is over the size cap.
            FetchError: the URL is refused by the guard policy, cannot be fetched, or answers non-2xx.
        """
        self._deadline = time.monotonic() + 3 * self._timeout
        response = self._follow(url, None, self._max_bytes, check_robots=self._respect_robots)
        if not 200 <= response.status < 300:
            raise FetchError(f"HTTP status {response.status} fetching {response.url}")
        logger.info("fetched %s: HTTP %d, %d bytes", response.url, response.status, len(response.body))
        return FetchResult(
            url=response.url,
            status=response.status,
            content_type=response.content_type,
            charset=response.charset,
            body=response.body,
        )

    # -- hops ---------------------------------------------------------------------------------------------

    def _follow(self, url: str, first: _Target | None, max_bytes: int, *, check_robots: bool) -> _Response:
        """Fetch a URL following redirects; return the final response, whatever its status."""
        target = first or self._prepare(url)
        redirects = 0
        while True:
            if check_robots and not self._robots_allow(target):
                raise RobotsDisallowed(f"robots.txt of {target.host} disallows {target.url}")
            response = self._exchange(target, max_bytes)
            if response.status not in _REDIRECTS or response.location is None:
                return response
            if redirects >= self._max_redirects:
                raise FetchError(f"too many redirects (more than {self._max_redirects}) fetching {url}")
            redirects += 1
            next_url = urljoin(target.url, response.location)
            logger.debug("redirect %d: %s -> %s", response.status, target.url, next_url)
            target = self._prepare(next_url)

    def _prepare(self, url: str) -> _Target:
        """Check the URL's scheme and host, resolve it once and vet every address."""
        if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
            raise FetchError(f"refusing {url!r}: whitespace or control characters in the URL")
        try:
            parts = urlsplit(url)
            port_number = parts.port
        except ValueError as exc:
            raise FetchError(f"refusing {url!r}: malformed URL ({exc})") from exc
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            shown = scheme or "none"
            raise FetchError(f"refusing {url!r}: unsupported scheme {shown!r} (only http and https)")
        host = parts.hostname or ""
        if not host:
            raise FetchError(f"refusing {url!r}: no host")
        port = _DEFAULT_PORTS[scheme] if port_number is None else port_number
        if not 0 < port < 65536:
            raise FetchError(f"refusing {url!r}: invalid port {port}")
        literal = _ip_literal(host)
        if literal is None:
            try:
                host = host.encode("idna").decode("ascii").lower()
            except UnicodeError as exc:
                raise FetchError(f"refusing {url!r}: invalid host name {host!r}") from exc
            if not _HOST_RE.fullmatch(host):
                raise FetchError(f"refusing {url!r}: invalid host name {host!r}")
            addresses = self._resolve(host, port, url)
        else:
            addresses = ((str(literal), literal),)
        for shown, addr in addresses:
            reason = _refusal(addr)
            if reason is not None and str(addr) not in self._allowed:
                raise FetchError(f"refusing {url!r}: host {host!r} has non-public address {shown} ({reason})")
        request_target = parts.path or "/"
        if parts.query:
            request_target += "?" + parts.query
        return _Target(
            url=url,
            scheme=scheme,
            host=host,
            port=port,
            request_target=quote(request_target, safe=_SAFE_TARGET),
            addresses=tuple(str(addr) for _, addr in addresses),
        )

    def _resolve(self, host: str, port: int, url: str) -> tuple[tuple[str, IPAddress], ...]:
        try:
            found = self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve host {host!r} of {url}: {exc}") from exc
        if not found:
            raise FetchError(f"cannot resolve host {host!r} of {url}: no address")
        try:
            return tuple((a, ipaddress.ip_address(a)) for a in found)
        except ValueError as exc:
            raise FetchError(f"resolver returned a bad address for {host!r}: {exc}") from exc

    # -- robots.txt ---------------------------------------------------------------------------------------

    def _robots_allow(self, target: _Target) -> bool:
        parser = self._robots.get(target.origin)
        if parser is None:
            parser = self._load_robots(target)
            self._robots[target.origin] = parser
        return parser.can_fetch(self._agent_token, target.url)

    def _load_robots(self, target: _Target) -> RobotFileParser:
        robots = target.with_path("/robots.txt")
        parser = RobotFileParser(robots.url)
        try:
            response = self._follow(robots.url, robots, ROBOTS_MAX_BYTES, check_robots=False)
        except FetchError as exc:  # unreachable: RFC 9309 says assume complete disallow
            logger.debug("robots.txt %s unreachable (%s): disallowing the origin", robots.url, exc)
            parser.parse(_DISALLOW_ALL)
            return parser
        if 200 <= response.status < 300:
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
        elif 400 <= response.status < 500:
            parser.parse([])
        else:
            parser.parse(_DISALLOW_ALL)
        logger.debug("robots.txt %s: HTTP %d", robots.url, response.status)
        return parser

    # -- one request --------------------------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        now = self._clock()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self._min_interval - now
            if wait > 0:
                self._sleep(wait)
                self._deadline += wait
                now = max(self._clock(), last + self._min_interval)
        self._last_request[host] = now

    def _remaining(self, url: str) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out fetching {url}: overall deadline of {3 * self._timeout:g}s exceeded")
        return min(self._timeout, remaining)

    def _exchange(self, target: _Target, max_bytes: int) -> _Response:
        self._wait_turn(target.host)
        timeout = self._remaining(target.url)
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            conn = _PinnedHTTPSConnection(
                target.host, target.port, addresses=target.addresses, timeout=timeout, context=self._tls
            )
        else:
            conn = _PinnedHTTPConnection(
                target.host, target.port, addresses=target.addresses, timeout=timeout
            )
        headers = {
            "User-Agent": self._user_agent,
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }
        try:
            conn.request("GET", target.request_target, headers=headers)
            sock = conn.sock  # kept: getresponse() may detach it from the connection
            sock.settimeout(self._remaining(target.url))
            resp = conn.getresponse()
            content_type, charset = _parse_content_type(resp.getheader("Content-Type"))
            body = b""
            if 200 <= resp.status < 300:
                body = self._read_body(resp, sock, max_bytes, target.url)
            return _Response(
                url=target.url,
                status=resp.status,
                location=resp.getheader("Location"),
                content_type=content_type,
                charset=charset,
                body=body,
            )
        except FetchError:
            raise
        except TimeoutError as exc:
            if time.monotonic() >= self._deadline - 0.01:
                self._remaining(target.url)  # raises the overall-deadline error
            raise FetchError(f"timed out fetching {target.url} (timeout {self._timeout:g}s)") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"cannot fetch {target.url}: {exc!r}") from exc
        finally:
            conn.close()

    def _read_body(
        self, resp: http.client.HTTPResponse, sock: socket.socket, max_bytes: int, url: str
    ) -> bytes:
        if resp.length is not None and resp.length > max_bytes:
            raise FetchTooLarge(f"{url} declares {resp.length} bytes, over the cap of {max_bytes}")
        decoder = _Decoder(resp.getheader("Content-Encoding") or "", max_bytes, url)
        received = 0
        while True:
            sock.settimeout(self._remaining(url))
            chunk = resp.read1(_CHUNK)
            if not chunk:
                return decoder.finish()
            received += len(chunk)
            if received > max_bytes:
                raise FetchTooLarge(f"{url} sent more than {max_bytes} bytes")
            decoder.feed(chunk)
