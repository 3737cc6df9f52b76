"""Two versions of kotcoach side by side: each command of both against the floor, same rounds.

For a before-and-after figure on a shared machine: running benchmarks/startup.py on one version
and then on the other lets the load change between the two runs. Here each round runs the floor
(the stack's imports, as in startup.py), then each command with the other version's source
first on the path, then with this checkout's; each run is divided by the floor's run in the same
round, and the figures are the medians of those ratios (interquartile range beside them) and of
the CPU-time ratios. The log is the five-year one of benchmarks/history.py.

    git worktree add /tmp/before main   # or any folder holding the version's src/ and data/
    nice -n -15 python benchmarks/compare.py /tmp/before --runs 21
    python benchmarks/compare.py /tmp/before today next list

Prints a table; exits 0 (it compares, it holds nothing to a target).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from history import generate, rounds  # noqa: E402
from startup import STACK, paired  # noqa: E402

HERE = Path(__file__).resolve().parents[1]
COMMANDS = {
    "list": ["list"],
    "show": ["show", "tib-raise-wall"],
    "plan": ["plan", "--level", "beginner"],
    "--help": ["--help"],
    "today": ["today"],
    "today --json": ["today", "--json"],
    "next": ["next", "tib-raise-wall"],
    "next --json": ["next", "tib-raise-wall", "--json"],
    "history": ["history"],
}


def version(source: Path, args: list[str]) -> list[str]:
    """kotcoach from the `src` folder of a checkout, run as the console script runs it."""
    run = f"import sys; sys.path.insert(0, {str(source)!r}); from kotcoach.cli import main; main()"
    return [sys.executable, "-c", run, *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the other checkout (its src/ and data/)")
    parser.add_argument("commands", nargs="*", help=f"of: {', '.join(COMMANDS)} (default: all)")
    parser.add_argument("--runs", type=int, default=21, help="rounds (at least 5)")
    options = parser.parse_args()
    runs = max(5, options.runs)
    names = options.commands or list(COMMANDS)
    unknown = [name for name in names if name not in COMMANDS]
    if unknown:
        parser.error(f"unknown command {unknown[0]!r} (valid: {', '.join(COMMANDS)})")
    versions = {"before": options.before.resolve() / "src", "after": HERE / "src"}
    for source in versions.values():  # byte-compiled, as an installed wheel would be
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)
    work = Path(tempfile.mkdtemp(prefix="kotcoach-compare-"))
    try:
        return compare(work, versions, names, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(work: Path, versions: dict[str, Path], names: list[str], runs: int) -> int:
    os.environ["KOTCOACH_CACHE_DIR"] = str(work / "cache-log")  # the generator's, not yours
    generate(work / "data")
    env = {**os.environ, "KOTCOACH_DATA_DIR": str(work / "data")}
    for name in ("KOTCOACH_NO_CACHE", "KOTCOACH_PROFILE", "KOTCOACH_CATALOG"):
        env.pop(name, None)
    cases = {"floor": ([sys.executable, "-c", STACK], env)}
    for label, source in versions.items():
        cache = {**env, "KOTCOACH_CACHE_DIR": str(work / f"cache-{label}")}
        for name in names:
            cases[f"{name} ({label})"] = (version(source, COMMANDS[name]), cache)
    walls, cpus = rounds(cases, runs)
    print(f"| command | before: ratio (IQR), CPU | after: ratio (IQR), CPU |  ({runs} rounds)")
    print("|---|---|---|")
    for name in names:
        cells = []
        for label in versions:
            key = f"{name} ({label})"
            ratio, low, high = paired(walls[key], walls["floor"])
            cpu = paired(cpus[key], cpus["floor"])[0]
            cells.append(f"{ratio:.2f} ({low:.2f}-{high:.2f}), {cpu:.2f}")
        print(f"| `{name}` | {cells[0]} | {cells[1]} |")
    floor = statistics.median(walls["floor"])
    print(f"floor: {floor * 1000:.0f} ms; python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
