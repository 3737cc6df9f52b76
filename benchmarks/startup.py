"""Start-up benchmark: whole `kotcoach` processes against a floor process, in the same run.

The floor only imports the stack kotcoach is built on (typer, rich, PyYAML, pydantic), so the
ratio shows what kotcoach itself adds. Runs alternate between commands so that a busy machine
slows all of them alike; each figure is the median of --runs runs (default 15).

    python benchmarks/startup.py            # prints a table and exits 1 if a target is missed
    python benchmarks/startup.py --runs 30

Targets (issue 2): `kotcoach list` <= 1.3 x floor, `kotcoach --help` <= 0.8 x floor. The
cold row turns the catalogue cache off, to show what a first run after an edit costs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = [
    sys.executable,
    "-c",
    "import typer, rich.console, rich.table, yaml; from pydantic import BaseModel",
]


def kotcoach(*args: str) -> list[str]:
    script = shutil.which("kotcoach", path=os.path.dirname(sys.executable))
    return [script, *args] if script else [sys.executable, "-m", "kotcoach", *args]


COLD = {"KOTCOACH_NO_CACHE": "1"}
# name: (command, target ratio or None, extra environment)
CASES: dict[str, tuple[list[str], float | None, dict[str, str]]] = {
    "floor (import the stack)": (FLOOR, None, {}),
    "kotcoach list": (kotcoach("list"), 1.3, {}),
    "kotcoach --help": (kotcoach("--help"), 0.8, {}),
    "kotcoach list (cold: no cache)": (kotcoach("list"), None, COLD),
    "kotcoach plan --level beginner": (kotcoach("plan", "--level", "beginner"), None, {}),
}


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (at least 10)")
    runs = max(10, parser.parse_args().runs)
    # Byte-compile kotcoach as an installed wheel would be, even where PYTHONDONTWRITEBYTECODE
    # is set (an editable install would otherwise recompile its modules on every run).
    import kotcoach

    compileall.compile_dir(os.path.dirname(kotcoach.__file__), quiet=1)
    cache = tempfile.mkdtemp(prefix="kotcoach-bench-")
    base = {**os.environ, "KOTCOACH_CACHE_DIR": cache}
    base.pop("KOTCOACH_NO_CACHE", None)
    envs = {name: {**base, **extra} for name, (_, _, extra) in CASES.items()}
    for name, (command, _, _) in CASES.items():  # warm the file cache and the catalogue cache
        time_once(command, envs[name])
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(runs):
        for name, (command, _, _) in CASES.items():
            samples[name].append(time_once(command, envs[name]))
    floor = statistics.median(samples["floor (import the stack)"])
    missed = []
    print(f"{'command':<34}{'median':>10}{'ratio':>8}{'target':>8}")
    for name, (_, target, _) in CASES.items():
        median = statistics.median(samples[name])
        ratio = median / floor
        mark = ""
        if target is not None:
            mark = f"<= {target}" if ratio <= target else f"MISSED {target}"
            if ratio > target:
                missed.append(name)
        print(f"{name:<34}{median * 1000:>8.0f}ms{ratio:>8.2f}  {mark}")
    print(f"median of {runs} alternating runs each; python {sys.version.split()[0]}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
