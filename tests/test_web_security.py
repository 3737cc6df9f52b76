"""`kotcoach serve`'s rules on who gets in, each tested at the HTTP level: the Host header, the
token (missing, wrong, rate-limited), the login link's cookie, CSRF, bounded bodies, escaping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kotcoach.web.app import create_app
from kotcoach.web.security import COOKIE, FailureLimit, csrf_token

TOKEN = "t" * 43
PAGES = [
    "/",
    "/today",
    "/session",
    "/checkin",
    "/history",
    "/progress",
    "/calendar.ics",
    "/api/today",
    "/static/app.css",
    "/static/session.js",
    "/nothing-here",
]
POSTS = ["/profile", "/checkin", "/api/set", "/api/pain", "/api/skip", "/api/pain-after"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make(clock: Clock) -> Iterator[Callable[..., TestClient]]:
    from kotcoach.catalogue.source import builtin_catalog_path

    clients: list[TestClient] = []

    def make_client(signed_in: bool = True, **options: Any) -> TestClient:
        app = create_app(
            TOKEN, ["testserver"], builtin_catalog_path(), limit=FailureLimit(clock=clock)
        )
        client = TestClient(app, follow_redirects=False, **options)
        if signed_in:
            client.cookies.set(COOKIE, TOKEN)
        client.__enter__()
        clients.append(client)
        return client

    yield make_client
    for client in clients:
        client.__exit__(None, None, None)  # the app's shutdown: it closes its connections


def test_every_page_without_the_token_is_403_and_nothing_else(
    make: Callable[..., TestClient],
) -> None:
    client = make(signed_in=False)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.text == "Forbidden\n", path  # not a page, not a hint of one
        assert "set-cookie" not in response.headers
    for path in POSTS:
        assert client.post(path, json={}).status_code == 403, path


def test_a_wrong_token_is_403_and_repeated_ones_are_rate_limited(
    make: Callable[..., TestClient], clock: Clock
) -> None:
    client = make(signed_in=False)
    for _ in range(5):
        assert client.get("/login", params={"token": "guess"}).status_code == 403
    # The sixth try waits, even with the right token: guessing is slowed to 5 a minute.
    blocked = client.get("/login", params={"token": TOKEN})
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "60"
    clock.now += 61
    assert client.get("/login", params={"token": TOKEN}).status_code == 303


def test_a_wrong_cookie_counts_as_a_failed_token(make: Callable[..., TestClient]) -> None:
    client = make(signed_in=False)
    client.cookies.set(COOKIE, "x" * 43)
    for _ in range(5):
        assert client.get("/today").status_code == 403
    assert client.get("/today").status_code == 429


def test_the_login_link_sets_a_strict_http_only_cookie_and_leaves_the_address(
    make: Callable[..., TestClient],
) -> None:
    client = make(signed_in=False)
    response = client.get("/login", params={"token": TOKEN})
    assert response.status_code == 303
    assert response.headers["location"] == "/"  # the token leaves the address bar
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "same-origin"  # nothing to other sites
    assert client.get("/").status_code == 200  # the cookie is now enough


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1:9999", "testserver.evil", ""]
)
def test_a_request_for_another_host_is_refused_even_with_the_token(
    make: Callable[..., TestClient], host: str
) -> None:
    client = make()
    response = client.get("/", headers={"host": host})
    assert response.status_code == 403
    assert "not the one kotcoach serves" in response.text
    assert client.get("/login", params={"token": TOKEN}, headers={"host": host}).status_code == 403


def test_every_post_needs_the_csrf_token(make: Callable[..., TestClient]) -> None:
    client = make()
    for path in POSTS:
        assert client.post(path, json={"profile": "default"}).status_code == 403, path
        wrong = client.post(path, json={}, headers={"x-csrf-token": "0" * 64})
        assert wrong.status_code == 403, path
        form = client.post(path, data={"csrf": "nope", "profile": "default"})
        assert form.status_code == 403, path
    good = client.post("/api/set", json={}, headers={"x-csrf-token": csrf_token(TOKEN)})
    assert good.status_code == 422  # past the guard: the body itself is refused
    page = client.get("/")
    assert f'<meta name="csrf-token" content="{csrf_token(TOKEN)}">' in page.text
    assert TOKEN not in page.text  # the page carries the CSRF token, never the access token


def test_a_post_from_another_site_is_refused(make: Callable[..., TestClient]) -> None:
    client = make()
    response = client.post(
        "/api/set",
        json={},
        headers={"x-csrf-token": csrf_token(TOKEN), "origin": "http://evil.example"},
    )
    assert response.status_code == 403


def test_bodies_are_bounded(make: Callable[..., TestClient]) -> None:
    client = make()
    headers = {"x-csrf-token": csrf_token(TOKEN), "content-type": "application/json"}
    big = b'{"note": "' + b"x" * 20_000 + b'"}'
    assert client.post("/api/set", content=big, headers=headers).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(40):
            yield b"x" * 1000

    assert client.post("/api/set", content=chunks(), headers=headers).status_code == 413


def test_only_get_head_and_post(make: Callable[..., TestClient]) -> None:
    client = make()
    assert client.put("/api/set", json={}).status_code == 405
    assert client.delete("/").status_code == 405


def test_pages_carry_the_security_headers(make: Callable[..., TestClient]) -> None:
    response = make().get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_pages_fetch_nothing_from_outside(make: Callable[..., TestClient]) -> None:
    client = make()
    for path in ["/", "/static/session.js", "/static/app.css"]:
        text = client.get(path).text
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path
    root = Path(__file__).parents[1] / "src" / "kotcoach" / "web" / "templates"
    for template in root.glob("*.html"):
        assert "http" not in template.read_text(encoding="utf-8"), template.name
