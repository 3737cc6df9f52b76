"""`kotcoach serve` as a command: where it binds, one server per data folder, the token kept in
the data folder, Ctrl-C, and the web stack left out of every other command's start-up."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app as cli
from kotcoach.web import server as web_server
from tests.probes import imported


def serve(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(cli, ["serve", *args], prog_name="kotcoach")


@pytest.fixture
def bound(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Runs `serve` up to the point of serving, and records where it listened."""
    found: list[tuple[str, int]] = []

    def run(self: Any, sockets: list[socket.socket]) -> None:
        found.append(sockets[0].getsockname())

    monkeypatch.setattr(web_server._Server, "run", run)
    return found


def test_it_binds_the_loopback_only_and_prints_the_link(
    runner: CliRunner, bound: list[tuple[str, int]], tmp_path: Path
) -> None:
    result = serve(runner, "--port", "0")
    assert result.exit_code == 0, result.stderr
    ((host, port),) = bound
    assert host == "127.0.0.1" and port > 0  # --port 0: a free port, and the link names it
    link = re.search(r"http://127\.0\.0\.1:(\d+)/login\?token=(\S+)", result.stdout)
    assert link is not None and int(link.group(1)) == port
    assert "Only this computer can open it" in result.stdout
    token = tmp_path / "data" / "serve-token"
    assert token.read_text().strip() == link.group(2)
    assert token.stat().st_mode & 0o777 == 0o600
    assert "stopped serving" in result.stdout


def test_lan_binds_the_network_address_alone_and_shows_a_qr_code(
    runner: CliRunner, bound: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_server, "lan_address", lambda: "127.0.0.2")
    result = serve(runner, "--port", "0", "--lan")
    assert result.exit_code == 0, result.stderr
    assert bound[0][0] == "127.0.0.2"  # that address, not 0.0.0.0
    assert "point its camera at this code" in result.stdout
    link = re.search(r"(http://127\.0\.0\.2:\d+/login\?token=\S+)", result.stdout)
    assert link is not None
    code = web_server.qr_lines(link.group(1))
    assert code in result.stdout  # the code is of that link
    assert max(len(line) for line in code.splitlines()) <= 40  # whole in a 40-column terminal


def test_the_token_is_kept_until_a_new_one_is_asked_for(
    runner: CliRunner, bound: list[tuple[str, int]]
) -> None:
    def token(*args: str) -> str:
        found = re.search(r"token=(\S+)", serve(runner, "--port", "0", *args).stdout)
        assert found is not None
        return found.group(1)

    first = token()
    assert token() == first  # a phone signed in stays signed in across restarts
    renewed = token("--new-token")
    assert renewed != first and len(renewed) >= 32
    assert token() == renewed


def test_a_second_server_on_the_same_data_folder_says_where_the_first_is(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with web_server.claim(folder) as lock:
        lock.write('{"host": "127.0.0.1", "port": 43210, "pid": 999}')
        lock.flush()
        result = serve(runner, "--port", "0")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "kotcoach: error: kotcoach serve already runs on this data folder, at "
        "http://127.0.0.1:43210/ (process 999): use that one, or stop it first"
    )


def test_a_port_in_use_is_one_line_with_the_way_out(runner: CliRunner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve(runner, "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port 0" in result.stderr and "Traceback" not in result.stderr


def test_a_catalogue_that_cannot_be_read_stops_it_before_it_serves(
    runner: CliRunner, bound: list[tuple[str, int]], tmp_path: Path
) -> None:
    result = runner.invoke(
        cli, ["--catalog", str(tmp_path / "nowhere.yaml"), "serve"], prog_name="kotcoach"
    )
    assert result.exit_code == 1 and bound == []
    assert "nowhere.yaml" in result.stderr and "--catalog" in result.stderr


def test_without_the_serve_extra_it_says_how_to_install_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    result = serve(runner)
    assert result.exit_code == 1
    assert "pip install 'kotcoach[serve]'" in result.stderr


def test_ctrl_c_stops_it_cleanly_and_nothing_is_logged_of_the_requests(tmp_path: Path) -> None:
    import httpx

    process = subprocess.Popen(
        [sys.executable, "-m", "kotcoach", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = ""
    for line in process.stdout:
        found = re.search(r"http://\S+/login\?token=\S+", line)
        url = url or (found.group(0) if found else "")
        if "ready in" in line:
            break
    with httpx.Client(base_url=url.split("/login")[0]) as client:
        assert client.get(url).status_code == 303
        assert client.get("/").status_code == 200
        assert client.get("/history?secret=1").status_code == 303  # no profile picked yet
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out.strip().endswith("kotcoach: stopped serving") and err == ""
    assert "GET" not in out and "/history" not in out  # no access log
    token = url.split("token=")[1]
    assert (out + err).count(token) == 0  # the link was printed before, and only there
    assert (tmp_path / "data" / "serve.lock").read_text() == ""  # the claim is let go


def test_open_opens_the_link_in_a_browser_once_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import threading
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)

    class Ready:
        started = True

    out = io.StringIO()
    web_server._when_ready(Ready(), threading.Event(), "http://x/login?token=t", True, out, 0.0)
    assert opened == ["http://x/login?token=t"]
    assert out.getvalue().startswith("kotcoach: ready in ")


def test_no_other_command_loads_the_web_stack() -> None:
    commands = [["--help"], ["serve", "--help"], ["list"], ["today", "--json"]]
    web = ("starlette", "uvicorn", "jinja2", "segno", "icalendar", "kotcoach.web")
    _, loaded = imported(commands, web)
    assert loaded == []


def test_restore_is_refused_by_name_while_the_phone_server_runs(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The server holds the log as a guided session does: `data restore` names it and waits."""
    assert runner.invoke(cli, ["profile", "set", "--level", "beginner"]).exit_code == 0
    backup = tmp_path / "backup.db"
    assert runner.invoke(cli, ["data", "backup", str(backup)]).exit_code == 0
    refused: list[Any] = []

    def run(self: Any, sockets: list[socket.socket]) -> None:  # while it would serve
        refused.append(runner.invoke(cli, ["data", "restore", str(backup)]))

    monkeypatch.setattr(web_server._Server, "run", run)
    assert serve(runner, "--port", "0").exit_code == 0
    (result,) = refused
    assert result.exit_code == 1
    assert f"the phone server ('kotcoach serve'), process {os.getpid()}" in result.stderr
    after = runner.invoke(cli, ["data", "restore", str(backup)])  # stopped: it goes in
    assert after.exit_code == 0, after.stderr
