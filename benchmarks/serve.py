"""Serve benchmark: `kotcoach serve` answering four phones at once.

Starts `kotcoach serve --port 0` on a fresh data folder with four profiles, each with a saved
beginner's programme, and times how long the server takes to answer its first request after the
process starts. Then four clients (httpx, a process each, one profile each, as four phones)
send 200 requests each, alternating the guided session's page (GET /session) and a set's POST
(/api/set: the next set of the session the page shows, written to the log in its own
transaction, as a phone sends it; a finished session moves the page on to the next),
and prints the median and 95th percentile of each, and the size of every page.

    python benchmarks/serve.py              # prints the figures; exits 1 if a target is missed
    python benchmarks/serve.py --requests 400

Targets (issue 26): p95 under 50 ms for the session page and for a set's POST, with 4
concurrent clients of 200 requests each; every page under 150 KB; ready in under 1 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

P95_MS = 50.0
PAGE_BYTES = 150_000
READY_SECONDS = 1.0
CLIENTS = int(os.environ.get("KOTCOACH_BENCH_CLIENTS", "4"))
PAGES = [
    "/",
    "/today",
    "/session",
    "/checkin",
    "/history",
    "/progress",
    "/static/session.js",
    "/static/app.css",
]


def kotcoach(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "kotcoach", *args], env=env, check=True, capture_output=True
    )


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """The server process, its login link, and the seconds from starting the process to the
    first answered request."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kotcoach", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    url = ""
    while not url:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("kotcoach serve stopped: " + process.stdout.read())
        found = re.search(r"(http://\S+/login\?token=\S+)", line)
        url = found.group(1) if found else ""
    base = url.split("/login")[0]
    while True:
        try:
            httpx.get(base + "/", timeout=1)  # 403 without the token: but it answered
            break
        except httpx.TransportError:
            time.sleep(0.005)
    return process, url, time.perf_counter() - began


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used so far (Linux); 0 where unknown. A busy
    machine stretches the wall clock of a start-up, much less its CPU time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def signed_in(url: str, profile: str) -> tuple[httpx.Client, str]:
    base = url.split("/login")[0]
    client = httpx.Client(base_url=base, timeout=10)
    assert client.get(url).status_code == 303
    page = client.get("/")
    csrf = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page.text)
    assert csrf is not None
    assert (
        client.post("/profile", data={"profile": profile, "csrf": csrf.group(1)}).status_code == 303
    )
    return client, csrf.group(1)


def plan_in(text: str) -> dict[str, Any]:
    import json

    found = re.search(r'id="plan-data">(.*?)</script>', text)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def phone(url: str, profile: str, requests: int) -> dict[str, list[float]]:
    """One phone: the session page, then the next set of the session it shows, as tapped.
    Run in a process of its own, as four phones share no interpreter."""
    times: dict[str, list[float]] = {"session page": [], "set POST": []}
    client, csrf = signed_in(url, profile)
    headers = {"x-csrf-token": csrf}
    plan: dict[str, Any] = {}
    for n in range(requests):
        if n % 2 == 0:
            began = time.perf_counter()
            response = client.get("/session")
            elapsed = (time.perf_counter() - began) * 1000
            kind = "session page"
        else:
            e = plan["exercises"][0]
            body = {
                "profile": profile,
                "date": plan["date"],
                "slot": plan["slot"],
                "exercise": e["id"],
                "number": e["already_done"] + 1,
                "measure": e["measure"],
                "value": e["target"],
            }
            began = time.perf_counter()
            response = client.post("/api/set", json=body, headers=headers)
            elapsed = (time.perf_counter() - began) * 1000
            kind = "set POST"
            assert response.json() == {"saved": True, "repeat": False}, response.text
        assert response.status_code == 200, response.text
        times[kind].append(elapsed)
        if kind == "session page":
            plan = plan_in(response.text)
    client.close()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(
            os.environ,
            KOTCOACH_DATA_DIR=str(Path(folder) / "data"),
            KOTCOACH_CACHE_DIR=str(Path(folder) / "cache"),
        )
        profiles = [f"phone{n}" for n in range(1, CLIENTS + 1)]
        for profile in profiles:
            kotcoach(env, "--profile", profile, "start", "--level", "beginner", "--weeks", "4")
        process, url, ready = start_server(env)
        ready_cpu = cpu_seconds(process.pid)
        try:
            client, _ = signed_in(url, profiles[0])
            sizes = {page: len(client.get(page).content) for page in PAGES}
            client.close()
            times: dict[str, list[float]] = {"session page": [], "set POST": []}
            with multiprocessing.Pool(CLIENTS) as pool:
                began, cpu_before = time.perf_counter(), cpu_seconds(process.pid)
                results = pool.starmap(phone, [(url, p, args.requests) for p in profiles])
                wall = time.perf_counter() - began
                server_cpu = cpu_seconds(process.pid) - cpu_before
            for found in results:
                for kind, values in found.items():
                    times[kind] += values
        finally:
            process.terminate()
            process.wait(10)
    missed = []
    load = os.getloadavg()[0]
    print(
        f"kotcoach serve: {CLIENTS} clients x {args.requests} requests in {wall:.1f} s "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  ready (process start to first answer): {ready * 1000:.0f} ms, "
        f"{ready_cpu * 1000:.0f} ms of CPU (target < {READY_SECONDS * 1000:.0f} ms)"
    )
    per_request = server_cpu / (CLIENTS * args.requests) * 1000
    print(f"  the server's CPU time per request: {per_request:.1f} ms (all four phones' requests)")
    if ready >= READY_SECONDS:
        missed.append("ready")
    for kind, values in times.items():
        print(
            f"  {kind:<13} median {statistics.median(values):5.1f} ms   p95 {p95(values):5.1f} ms"
            f"   (target p95 < {P95_MS:.0f} ms, {len(values)} requests)"
        )
        if p95(values) >= P95_MS:
            missed.append(kind)
    for page, size in sizes.items():
        print(f"  {page:<19} {size / 1000:6.1f} KB")
        if size >= PAGE_BYTES:
            missed.append(page)
    if missed:
        print("missed: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
