"""Who gets in: the Host header, the access token, CSRF, bounded bodies and a limit on bad tokens.

One ASGI middleware in front of the whole app, so that no route can forget a rule. The order of
the checks is the order below; each refusal is a short plain-text answer with nothing else in it.

1. The Host header must name the address served (a page from another site whose name was made to
   resolve to this machine, DNS rebinding, carries its own name there).
2. A client that sent too many wrong tokens waits (429) before it may try again.
3. `/login?token=...` (the link printed and shown as a QR code) sets the token as an HttpOnly,
   SameSite=Strict cookie and redirects to `/`, so the token leaves the address bar.
4. Every other request needs that cookie: without it, or with a wrong one, 403.
5. A POST may carry at most `max_body` bytes (413), and must prove it comes from one of our
   pages: the CSRF token in an `X-CSRF-Token` header or a `csrf` form field (403). A cross-site
   `Origin` is refused outright.

The CSRF token is derived from the access token (an HMAC), so it stays valid as long as the
access token does, across restarts of the server, and a page kept open on a phone can still post.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "kotcoach_token"
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf"
MAX_BODY = 16 * 1024  # a set, a pain score or a check-in is a few hundred bytes
COOKIE_DAYS = 30
# A client may get the token wrong this many times in a window before it must wait.
FAILURES_ALLOWED = 5
FAILURE_WINDOW = 60.0  # seconds
SAFE_METHODS = {"GET", "HEAD"}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would send "Origin: null"
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def csrf_token(access_token: str) -> str:
    """The CSRF token every page carries: an HMAC of the access token, never the token itself."""
    return hmac.new(access_token.encode(), b"kotcoach csrf", hashlib.sha256).hexdigest()


def _same(given: str | bytes, expected: str) -> bool:
    raw = given.encode("utf-8", "replace") if isinstance(given, str) else given
    return hmac.compare_digest(raw, expected.encode())


class FailureLimit:
    """Wrong tokens per client address: after `allowed` in `window` seconds, the address waits
    until the oldest of them is `window` seconds old."""

    def __init__(
        self,
        allowed: int = FAILURES_ALLOWED,
        window: float = FAILURE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allowed = allowed
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        found = self._failures.setdefault(client, deque())
        now = self.clock()
        while found and now - found[0] >= self.window:
            found.popleft()
        if not found:
            del self._failures[client]
            return deque()
        return found

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.allowed

    def fail(self, client: str) -> None:
        self._recent(client)
        self._failures.setdefault(client, deque()).append(self.clock())


async def _answer(
    send: Send, status: int, text: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    body = (text + "\n").encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *_HEADERS,
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware: wraps the app; `hosts` are the Host header values accepted
    ('127.0.0.1:8765', 'localhost:8765')."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str,
        hosts: Iterable[str],
        max_body: int = MAX_BODY,
        limit: FailureLimit | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.csrf = csrf_token(token)
        self.hosts = frozenset(h.lower() for h in hosts)
        self.max_body = max_body
        self.limit = limit or FailureLimit()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan; no websockets are served
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            await _answer(send, 403, "Forbidden: this address is not the one kotcoach serves")
            return
        client = (scope.get("client") or ("?", 0))[0]
        if self.limit.blocked(client):
            await _answer(
                send, 429, "Too many wrong tokens: wait a minute", [(b"retry-after", b"60")]
            )
            return
        cookie = _cookie(headers.get(b"cookie", b""))
        if scope["path"] == "/login":
            await self._login(scope, send, client, cookie)
            return
        if cookie is None:
            await _answer(send, 403, "Forbidden")
            return
        if not _same(cookie, self.token):
            self.limit.fail(client)
            await _answer(send, 403, "Forbidden")
            return
        method = scope["method"]
        if method in SAFE_METHODS:
            await self.app(scope, receive, _secured(send))
            return
        if method != "POST":
            await _answer(send, 405, "Method not allowed", [(b"allow", b"GET, HEAD, POST")])
            return
        origin = headers.get(b"origin")
        if origin is not None and origin.decode("latin-1").lower() != f"http://{host}":
            await _answer(send, 403, "Forbidden: a request from another site")
            return
        body = await self._body(headers, receive)
        if body is None:
            await _answer(send, 413, f"Too large: at most {self.max_body} bytes")
            return
        given = headers.get(CSRF_HEADER)
        if given is None and headers.get(b"content-type", b"").startswith(
            b"application/x-www-form-urlencoded"
        ):
            field = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD)
            given = field[0].encode() if field else None
        if given is None or not _same(given, self.csrf):
            await _answer(send, 403, "Forbidden: the page is out of date, reload it")
            return
        await self.app(scope, _replay(body, receive), _secured(send))

    async def _login(self, scope: Scope, send: Send, client: str, cookie: str | None) -> None:
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        if given and _same(given[0], self.token):
            morsel = (
                f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict; "
                f"Max-Age={COOKIE_DAYS * 86400}"
            )
            await _answer(
                send,
                303,
                "Signed in",
                [(b"location", b"/"), (b"set-cookie", morsel.encode())],
            )
            return
        if cookie is not None and _same(cookie, self.token):
            await _answer(send, 303, "Signed in", [(b"location", b"/")])
            return
        if given:
            self.limit.fail(client)
        await _answer(send, 403, "Forbidden")

    async def _body(self, headers: dict[bytes, bytes], receive: Receive) -> bytes | None:
        """The whole body, or None when it is longer than allowed (said or sent)."""
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    return None
            except ValueError:
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.lower(), value)  # the first of a repeated header counts
    return found


def _cookie(raw: bytes) -> str | None:
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else None


def _replay(body: bytes, rest: Receive) -> Receive:
    """The body read once, handed to the app as one message; then the connection's own."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await rest()

    return receive


def _secured(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *_HEADERS]
        await send(message)

    return wrapped
