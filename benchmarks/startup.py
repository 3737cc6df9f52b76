"""Speed benchmark: whole `kotcoach` processes against a baseline process, in the same run.

Each figure is a ratio between two commands measured side by side: kotcoach against the floor (a
process that only imports the stack kotcoach is built on: typer, rich, PyYAML, pydantic), and the
same command on a 2,000-exercise catalogue against the built-in one (96 exercises). Runs
alternate between all the commands, so that a busy machine slows all of them alike; each figure
is the median of --runs runs (default 15). Peak memory (the maximum resident set size of each
process, from the kernel) is reported the same way.

    python benchmarks/startup.py            # prints the tables; exits 1 if a target is missed
    python benchmarks/startup.py --runs 30

The 2,000-exercise catalogue is made by benchmarks/big_catalog.py from the shipped one, in a
temporary folder. Targets: issue 2 (--help), issue 22 (list and show at 0.8 times the floor) and
issue 14 (the rest).

Each ratio is paired: every run of a command is divided by the run of what it is measured against
in the same round (a few seconds apart), and the figure is the median of those per-round ratios,
printed with their interquartile range. On a machine shared with other work the load changes from
round to round; a ratio of two medians taken over all rounds let a busy round slow one command
and a quiet one its floor, and spread by more than 10 % between runs of this script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import DEVNULL

STACK = "import typer, rich.console, rich.table, yaml; from pydantic import BaseModel"
SHOWN = "tib-raise-wall"


@dataclass(frozen=True)
class Case:
    command: list[str]
    env: dict[str, str]


def kotcoach(*args: str) -> list[str]:
    script = shutil.which("kotcoach", path=os.path.dirname(sys.executable))
    return [script, *args] if script else [sys.executable, "-m", "kotcoach", *args]


def cases(big: Path) -> dict[str, Case]:
    warm: dict[str, str] = {}
    cold = {"KOTCOACH_NO_CACHE": "1"}
    on_big = ["--catalog", str(big)]
    parse_big = f"{STACK}; yaml.load(open({str(big)!r}, 'rb').read(), Loader=yaml.CSafeLoader)"
    return {
        "floor": Case([sys.executable, "-c", STACK], warm),
        "floor + libyaml parse, 2,000": Case([sys.executable, "-c", parse_big], warm),
        "list": Case(kotcoach("list"), warm),
        "--help": Case(kotcoach("--help"), warm),
        "list, cache off": Case(kotcoach("list"), cold),
        "plan --level beginner": Case(kotcoach("plan", "--level", "beginner"), warm),
        f"show {SHOWN}": Case(kotcoach("show", SHOWN), warm),
        "list --search tib": Case(kotcoach("list", "--search", "tib"), warm),
        "plan --level beginner, 2,000": Case(
            kotcoach(*on_big, "plan", "--level", "beginner"), warm
        ),
        f"show {SHOWN}, 2,000": Case(kotcoach(*on_big, "show", SHOWN), warm),
        "list --search tib, 2,000": Case(kotcoach(*on_big, "list", "--search", "tib"), warm),
        "list, 2,000": Case(kotcoach(*on_big, "list"), warm),
        "catalog validate, cache off, 2,000": Case(kotcoach("catalog", "validate", str(big)), cold),
        # What the shell runs at each Tab (bash; zsh and fish go the same way).
        "complete an exercise id": Case(kotcoach(), complete("kotcoach show tib-r", 2)),
        "complete an option": Case(kotcoach(), complete("kotcoach plan --eq", 2)),
    }


def complete(words: str, position: int) -> dict[str, str]:
    return {"_KOTCOACH_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(position)}


# (what, against what, target ratio or None): the table of issues 2, 14 and 22
TIMES = [
    ("list", "floor", 0.8),
    (f"show {SHOWN}", "floor", 0.8),
    ("--help", "floor", 0.8),
    ("list, cache off", "floor", None),
    ("plan --level beginner", "floor", 1.3),
    (f"show {SHOWN}, 2,000", f"show {SHOWN}", 1.5),
    ("plan --level beginner, 2,000", "plan --level beginner", 1.5),
    ("list --search tib, 2,000", "list --search tib", 1.5),
    ("catalog validate, cache off, 2,000", "floor + libyaml parse, 2,000", 1.3),
    ("complete an exercise id", "floor", 1.0),
    ("complete an option", "floor", 1.0),
]
MEMORY = [
    ("list, 2,000", "list", 1.5),
    ("list --search tib, 2,000", "list --search tib", 1.5),
    (f"show {SHOWN}, 2,000", f"show {SHOWN}", 1.5),
    ("plan --level beginner, 2,000", "plan --level beginner", 1.5),
]


def paired(times: list[float], against: list[float]) -> tuple[float, float, float]:
    """The median of the per-round ratios times[i] / against[i], and their quartiles."""
    ratios = [time / base for time, base in zip(times, against, strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), low, high


def run_once(case: Case, base_env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds taken, CPU seconds (user and system) and peak resident memory in bytes, of one
    whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        case.command,
        stdout=DEVNULL,
        stderr=DEVNULL,
        env={**base_env, **case.env},
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(case.command)}")
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB
    return elapsed, usage.ru_utime + usage.ru_stime, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per command (at least 5)")
    runs = max(5, parser.parse_args().runs)
    # This process stays small and imports nothing heavy: a child's peak memory as the kernel
    # reports it is at least its parent's size when it was forked. So the byte-compiling (as an
    # installed wheel would be, even where PYTHONDONTWRITEBYTECODE is set) and the catalogue
    # are done by child processes.
    compile_kotcoach = "import compileall, kotcoach, os; " + (
        "compileall.compile_dir(os.path.dirname(kotcoach.__file__), quiet=1)"
    )
    subprocess.run([sys.executable, "-c", compile_kotcoach], check=True)
    work = Path(tempfile.mkdtemp(prefix="kotcoach-bench-"))
    try:
        big = work / "big-catalogue.yaml"
        generator = Path(__file__).with_name("big_catalog.py")
        subprocess.run([sys.executable, str(generator), str(big)], check=True, stdout=DEVNULL)
        base = {**os.environ, "KOTCOACH_CACHE_DIR": str(work / "cache")}
        base.pop("KOTCOACH_NO_CACHE", None)
        base.pop("KOTCOACH_CATALOG", None)
        table = cases(big)
        for case in table.values():  # warm the file cache and the catalogue cache
            run_once(case, base)
        seconds: dict[str, list[float]] = {name: [] for name in table}
        cpu: dict[str, list[float]] = {name: [] for name in table}
        peaks: dict[str, list[int]] = {name: [] for name in table}
        for _ in range(runs):
            for name, case in table.items():
                elapsed, used, peak = run_once(case, base)
                seconds[name].append(elapsed)
                cpu[name].append(used)
                peaks[name].append(peak)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    time_of = {name: statistics.median(values) for name, values in seconds.items()}
    peak_of = {name: statistics.median(values) for name, values in peaks.items()}
    missed: list[str] = []

    def verdict(name: str, ratio: float, target: float | None) -> str:
        if target is None:
            return ""
        if ratio <= target:
            return f"≤ {target}"
        missed.append(name)
        return f"MISSED ≤ {target}"

    # The targets are on elapsed time, paired by round; the ratio of CPU time (user and system,
    # paired the same way) is shown beside it because it moves less when other work shares the
    # machine.
    print("| command | median | against | its median | ratio (IQR) | CPU ratio | target |")
    print("|---|---|---|---|---|---|---|")
    for name, against, target in TIMES:
        ratio, low, high = paired(seconds[name], seconds[against])
        cpu_ratio = paired(cpu[name], cpu[against])[0]
        print(
            f"| `{name}` | {time_of[name] * 1000:.0f} ms | {against} "
            f"| {time_of[against] * 1000:.0f} ms | {ratio:.2f} ({low:.2f}-{high:.2f}) "
            f"| {cpu_ratio:.2f} | {verdict(name, ratio, target)} |"
        )
    print()
    print("| peak memory | 2,000 exercises | built-in | ratio | target |")
    print("|---|---|---|---|---|")
    for name, against, target in MEMORY:
        ratio = peak_of[name] / peak_of[against]
        print(
            f"| `{against}` | {peak_of[name] / 2**20:.1f} MB | {peak_of[against] / 2**20:.1f} MB "
            f"| {ratio:.2f} | {verdict(name + ' (memory)', ratio, target)} |"
        )
    print()
    print(
        f"Medians of {runs} alternating runs each, ratios paired by round; "
        f"python {sys.version.split()[0]}."
    )
    if missed:
        print("Missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
