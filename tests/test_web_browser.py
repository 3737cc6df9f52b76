"""`kotcoach serve` in a real browser: Debian's chromium and chromedriver through Selenium, as a
390 × 844 phone. A whole session and a check-in tapped through and found by `history --json`; a
server killed mid-session loses no set tapped before it, and the page resends the one it could not
save; two phones on two profiles at once; no token, no page.

Each test starts the real server (`python -m kotcoach serve --port 0`) on a temporary data folder;
the phones are opened once and handed from test to test, each wiped clean in between.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app as cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = os.environ.get("KOTCOACH_SCREENSHOTS")  # a folder: save each page as a PNG


def ok(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(cli, list(args), prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


class Server:
    """`kotcoach serve` in a child process; `url` is the login link it printed."""

    def __init__(self, port: int = 0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kotcoach", "serve", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = ""
        deadline = time.monotonic() + 20
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            lines.append(line)
            found = re.search(r"(http://\S+/login\?token=\S+)", line)
            if found:
                self.url = found.group(1)
            if "ready in" in line:
                break
            if not line and self.process.poll() is not None:
                break
        assert self.url, "".join(lines)
        self.base = self.url.split("/login")[0]
        self.port = int(self.base.rsplit(":", 1)[1])

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
        assert self.process.stdout is not None
        self.process.stdout.close()


# One worker runs them all, so that the phones below are opened once for the module.
pytestmark = pytest.mark.xdist_group("browser")


class Servers:
    """Starts servers for one test (`servers()`, or `servers(port)` to restart on a port) and
    stops them after it; `origins` are where the test's phones went."""

    def __init__(self) -> None:
        self.started: list[Server] = []

    def __call__(self, port: int = 0) -> Server:
        server = Server(port)
        self.started.append(server)
        return server

    @property
    def origins(self) -> list[str]:
        return sorted({server.base for server in self.started})


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    for server in started.started:
        server.stop()


class Phones:
    """Phones (Chromium through chromedriver, as a 390 x 844 phone) opened for this module and
    handed from test to test: starting Chromium costs more than most of what a test then does
    in it. A phone handed back forgets every cookie, and everything the pages of the origins
    it was on stored (the outbox in localStorage), so the next test gets it as new."""

    def __init__(self) -> None:
        self.idle: list[Any] = []
        self.opened: list[Any] = []
        self.folders: list[str] = []

    def take(self) -> Any:
        return self.idle.pop() if self.idle else self._open()

    def give_back(self, driver: Any, origins: list[str]) -> None:
        driver.get("about:blank")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        for origin in origins:
            driver.execute_cdp_cmd(
                "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
            )
        self.idle.append(driver)

    def _open(self) -> Any:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        # In memory where there is a tmpfs: removing a profile from a disk mounted with
        # 'discard' took seconds.
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        folder = tempfile.mkdtemp(prefix="kotcoach-chromium-", dir=shm)
        self.folders.append(folder)
        for flag in [*FLAGS, f"--user-data-dir={folder}"]:
            options.add_argument(flag)
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.implicitly_wait(0)
        self.opened.append(driver)
        return driver

    def close(self) -> None:
        for driver in self.opened:
            driver.quit()
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def phones() -> Iterator[Phones]:
    opened = Phones()
    yield opened
    opened.close()


@pytest.fixture
def browsers(phones: Phones, servers: Servers) -> Iterator[Callable[[], Any]]:
    handed: list[Any] = []

    def open_browser() -> Any:
        handed.append(phones.take())
        return handed[-1]

    yield open_browser
    for driver in handed:
        phones.give_back(driver, servers.origins)


def wait_for(check: Callable[[], Any], seconds: float = 10, what: str = "") -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what or check}")
        time.sleep(0.05)


def visible(driver: Any, element_id: str) -> bool:
    return bool(
        driver.execute_script(
            "var e = document.getElementById(arguments[0]);"
            "return !!e && !e.hidden && e.getClientRects().length > 0;",
            element_id,
        )
    )


# Scrolls an element to the middle of the screen, as a thumb would have it (Selenium's own
# scrolling leaves it at the bottom edge, under the tab bar), and returns the point to tap: its
# centre, or null when something else (a bar, a dialog) covers that point.
AIM = """
var element = arguments[0];
element.scrollIntoView({block: "center"});
var box = element.getBoundingClientRect();
var x = box.left + box.width / 2, y = box.top + box.height / 2;
var top = document.elementFromPoint(x, y);
return top && (top === element || element.contains(top)) ? [x, y] : null;
"""


def press(driver: Any, point: list[float] | None, what: str) -> None:
    """A tap at `point`, as the phone's own input: the browser finds what is there, as it does
    for a finger, so a covered button is not tapped. (A Selenium click costs 150 ms in
    chromedriver; these two input events cost 10 ms, and a session is a hundred taps.)"""
    assert point is not None, f"{what} is covered where a thumb would tap it"
    for kind in ("mousePressed", "mouseReleased"):
        driver.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": point[0], "y": point[1], "button": "left", "clickCount": 1},
        )


def tap(driver: Any, element: Any) -> None:
    press(driver, driver.execute_script(AIM, element), element.text or element.tag_name)


def click(driver: Any, element_id: str) -> None:
    tap(driver, driver.find_element("id", element_id))


def snap(driver: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SCREENSHOTS) / f"{name}.png"))


def outbox(driver: Any, profile: str) -> list[Any]:
    text = driver.execute_script(
        "return localStorage.getItem(arguments[0]);", f"kotcoach-outbox:{profile}"
    )
    return json.loads(text) if text else []


def sign_in(driver: Any, server: Server, profile: str) -> None:
    driver.get(server.url)
    wait_for(lambda: "Who is training?" in driver.page_source, what="the profile picker")
    assert "token=" not in driver.current_url  # the token left the address bar
    snap(driver, "profiles")
    tap(driver, driver.find_element("css selector", f'button[value="{profile}"]'))
    wait_for(lambda: driver.current_url.endswith("/today"), what="today's page")


# What the session asks for now, found and aimed at in one round trip to the browser: the
# phase shown and the button that answers it. [null, null] once the session has ended.
ASKED = """
var shown = function (id) {
  var e = document.getElementById(id);
  return !!e && !e.hidden && e.getClientRects().length > 0;
};
if (!shown("run")) return [null, null];
if (shown("phase-ready")) return ["go", document.getElementById("go")];
if (shown("phase-timer")) return ["timer", document.getElementById("timer-end")];
if (shown("phase-pain")) {
  return ["pain", document.querySelectorAll("#pain-scale button")[arguments[0]]];
}
return ["nothing", null];
"""


def tap_one(driver: Any, pain: int = 1) -> str | None:
    """One tap of whatever the session asks for now: the set done, a timer stopped early (a
    hold, or rest), or the pain during. Returns what it was; None once the session has ended."""
    phase, answer = driver.execute_script(ASKED, pain)
    if phase is None:
        return None
    assert answer is not None, f"the session asks for {phase} and shows nothing to tap"
    tap(driver, answer)
    return str(phase)


def sets_logged(runner: CliRunner, profile: str) -> dict[str, int]:
    sessions = ok(runner, "--profile", profile, "history", "--json")["sessions"]
    return {e["id"]: len(e["sets"]) for s in sessions for e in s["exercises"]}


def planned_sets(runner: CliRunner, profile: str) -> dict[str, int]:
    today = ok(runner, "--profile", profile, "today", "--json")
    return {e["id"]: e["dose_detail"]["sets"] for e in today["exercises"] if e["dose_detail"]}


def test_a_whole_session_and_a_checkin_from_the_phone_land_in_the_log(
    runner: CliRunner, servers: Servers, browsers: Callable[[], Any]
) -> None:
    ok(runner, "start", "--level", "beginner", "--json")
    planned = planned_sets(runner, "default")
    server = servers()
    phone = browsers()
    for path in ["/", "/today", "/session", "/checkin", "/history", "/static/session.js"]:
        phone.get(server.base + path)  # no token yet: nothing but 403
        assert phone.find_element("tag name", "body").text == "Forbidden", path
    sign_in(phone, server, "default")
    snap(phone, "today")
    tap(phone, phone.find_element("link text", "Start the session"))
    wait_for(lambda: visible(phone, "run"), what="the session")
    snap(phone, "session")
    first = phone.find_element("id", "name").text
    click(phone, "skip")  # skipped by mistake: undone within the five seconds
    assert phone.find_element("id", "name").text != first and visible(phone, "undo")
    click(phone, "undo-button")
    assert phone.find_element("id", "name").text == first and not visible(phone, "undo")
    assert outbox(phone, "default") == []  # the skip was never sent
    taps = 0
    while tap_one(phone) is not None:
        taps += 1
        if taps == 2:
            snap(phone, "session-rest")
        assert taps < 200
    wait_for(lambda: visible(phone, "finish"), what="the end of the session")
    tap(phone, phone.find_elements("css selector", "#after-scale button")[2])
    wait_for(lambda: visible(phone, "after-done"), what="pain after saved")
    wait_for(lambda: outbox(phone, "default") == [], what="every result sent")
    assert sets_logged(runner, "default") == planned
    session = ok(runner, "history", "--json")["sessions"][-1]
    assert session["pain_after"] == 2
    assert {e["pain_during"] for e in session["exercises"]} == {1}

    phone.get(server.base + "/checkin")
    for scale in phone.find_elements("css selector", ".scale"):
        tap(phone, scale.find_elements("css selector", "label")[1])
    snap(phone, "checkin")
    tap(phone, phone.find_element("css selector", "form button[type=submit]"))
    wait_for(lambda: "Saved for" in phone.page_source, what="the check-in saved")
    from kotcoach.store import Store

    with Store.open() as store:
        assert {c.pain for c in store.checkins("default")} == {1}
    phone.get(server.base + "/history")
    snap(phone, "history")


def test_a_killed_server_loses_no_set_and_the_page_resends_after_restart(
    runner: CliRunner, servers: Servers, browsers: Callable[[], Any]
) -> None:
    ok(runner, "start", "--level", "beginner", "--json")
    server = servers()
    phone = browsers()
    sign_in(phone, server, "default")
    phone.get(server.base + "/session")
    wait_for(lambda: visible(phone, "run"), what="the session")
    while sum(sets_logged(runner, "default").values()) < 2:
        assert tap_one(phone) is not None
        wait_for(lambda: outbox(phone, "default") == [], what="the first sets sent")
    before = sum(sets_logged(runner, "default").values())
    server.kill()
    # Tap on while the server is down: the set is kept on the phone, and the page says so.
    for _ in range(10):
        assert tap_one(phone) is not None
        if any(item["kind"] == "set" for item in outbox(phone, "default")):
            break
    wait_for(lambda: "not saved yet" in phone.find_element("id", "status").text, what="the warning")
    snap(phone, "session-unsaved")
    kept = [item for item in outbox(phone, "default") if item["kind"] == "set"]
    assert len(kept) == 1
    assert sum(sets_logged(runner, "default").values()) == before  # the log kept every set
    servers(server.port)  # back, on the same port, with the same token
    wait_for(lambda: outbox(phone, "default") == [], seconds=15, what="the resend")
    assert sum(sets_logged(runner, "default").values()) == before + 1
    wait_for(lambda: phone.find_element("id", "status").text == "", what="the warning cleared")


def test_two_phones_on_two_profiles_at_once_lose_nothing(
    runner: CliRunner, servers: Servers, browsers: Callable[[], Any]
) -> None:
    for name in ("ana", "ben"):
        ok(runner, "--profile", name, "start", "--level", "beginner", "--json")
    server = servers()
    phones = {name: browsers() for name in ("ana", "ben")}
    for name, phone in phones.items():
        sign_in(phone, server, name)
        phone.get(server.base + "/session")
        wait_for(lambda phone=phone: visible(phone, "run"), what="the session")
    for _ in range(12):  # turn about, as two people on two phones
        for phone in phones.values():
            tap_one(phone)
    for name, phone in phones.items():
        wait_for(lambda phone=phone, name=name: outbox(phone, name) == [], what="all sent")
    ana, ben = sets_logged(runner, "ana"), sets_logged(runner, "ben")
    assert ana and ana == ben  # the same taps on the same programme, each in its own log
