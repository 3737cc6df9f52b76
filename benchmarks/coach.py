"""Coach benchmark: `next` and `today` on five years of history, and the progress report.

Builds the five-year log with benchmarks/history.py's generator (about 45,000 set rows), then
times whole `kotcoach` processes against a floor process that only imports the stack, alternating
runs so that a busy machine slows all of them alike, and prints medians and ratios. The report is
timed in wall-clock seconds (it pays for matplotlib and fpdf2, which the floor does not import),
with its ratio to the floor too, which says what a busy machine did to the seconds.

    python benchmarks/coach.py              # prints a table; exits 1 if a target is missed
    python benchmarks/coach.py --runs 20

Targets (issue 11): `next` and `today` <= 1.3 x floor; the report for five years <= 2 s.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup  # noqa: E402
from history import generate, time_cases, time_once  # noqa: E402  (the five-year log and its timing)

FLOOR = [sys.executable, "-c", startup.STACK]
REPORT_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (at least 10)")
    runs = max(10, parser.parse_args().runs)
    import kotcoach as package

    compileall.compile_dir(os.path.dirname(package.__file__), quiet=1)
    data_dir = Path(tempfile.mkdtemp(prefix="kotcoach-coach-bench-")) / "data"
    sessions, sets = generate(data_dir)
    print(f"generated {sessions} sessions, {sets} set rows")
    cache = tempfile.mkdtemp(prefix="kotcoach-bench-cache-")
    env = {**os.environ, "KOTCOACH_CACHE_DIR": cache, "KOTCOACH_DATA_DIR": str(data_dir)}
    for name in ("KOTCOACH_NO_CACHE", "KOTCOACH_PROFILE"):
        env.pop(name, None)
    cases: dict[str, tuple[list[str], float | None]] = {
        "floor (import the stack)": (FLOOR, None),
        "kotcoach next tib-raise-wall": (startup.kotcoach("next", "tib-raise-wall"), 1.3),
        "kotcoach next ... --json": (startup.kotcoach("next", "tib-raise-wall", "--json"), 1.3),
        "kotcoach today": (startup.kotcoach("today"), 1.3),
        "kotcoach today --json": (startup.kotcoach("today", "--json"), 1.3),
    }
    missed, floor = time_cases(cases, env, runs)
    out = Path(tempfile.mkdtemp(prefix="kotcoach-report-"))
    for suffix in ("html", "pdf"):
        command = startup.kotcoach("progress", "--export", str(out / f"r.{suffix}"), "--force")
        times = [time_once(command, env) for _ in range(3)]
        median = statistics.median(times)
        mark = f"<= {REPORT_SECONDS} s" if median <= REPORT_SECONDS else f"MISSED {REPORT_SECONDS}"
        if median > REPORT_SECONDS:
            missed.append(suffix)
        ratio = median / floor
        print(f"{'progress --export r.' + suffix:<34}{median * 1000:>8.0f}ms{ratio:>8.2f}  {mark}")
    print(f"median of {runs} alternating runs each (report: 3); python {sys.version.split()[0]}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
