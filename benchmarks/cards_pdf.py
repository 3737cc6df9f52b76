"""Cards benchmark: the 65-card PDF, against version 0.1's.

Writes cue cards for the 65 exercises of version 0.1's catalogue to a PDF twice, alternating
whole-process runs after a warm-up each: with this kotcoach (figures and all), and with version
0.1 (its last commit, unpacked from this repository with `git archive` into a temporary folder
and run from its source with the same Python and fpdf2). Prints the medians and their ratio.

    python benchmarks/cards_pdf.py              # exits 1 if the ratio passes the target
    python benchmarks/cards_pdf.py --runs 20

Target (issue 12): the 65-card PDF within 1.5 x version 0.1's time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup  # noqa: E402
from history import time_cases  # noqa: E402  (the shared alternating timing loop)

VERSION_0_1 = "4b4a849"  # 'Usage errors name the command...': the last commit at version 0.1.0
TARGET = 1.5
REPOSITORY = Path(__file__).resolve().parents[1]


def unpack(commit: str, into: Path) -> Path:
    """The source tree at `commit`, unpacked into a folder; its src/ folder."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPOSITORY), "archive", commit], stdout=out, check=True)
    with tarfile.open(archive) as tree:
        tree.extractall(into / "tree", filter="data")
    return into / "tree" / "src"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per command (at least 5)")
    runs = max(5, parser.parse_args().runs)
    work = Path(tempfile.mkdtemp(prefix="kotcoach-cards-bench-"))
    try:
        return measure(work, runs)
    finally:
        shutil.rmtree(work)


def measure(work: Path, runs: int) -> int:
    old_src = unpack(VERSION_0_1, work)
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(work / "cache")}
    for name in ("KOTCOACH_NO_CACHE", "KOTCOACH_CATALOG", "PYTHONPATH"):
        env.pop(name, None)
    old_python = ["env", f"PYTHONPATH={old_src}", sys.executable]
    listing = subprocess.run(
        [*old_python, "-m", "kotcoach", "list", "--json"],
        capture_output=True,
        check=True,
        env=env,
        text=True,
    )
    ids = [exercise["id"] for exercise in json.loads(listing.stdout)]
    old = [*old_python, "-m", "kotcoach", "card", *ids, "--export", str(work / "old.pdf")]
    new = startup.kotcoach("card", *ids, "--export", str(work / "new.pdf"))
    cases = {
        f"version 0.1, {len(ids)} cards": ([*old, "--force"], None),
        f"this version, {len(ids)} cards": ([*new, "--force"], TARGET),
    }
    missed, _ = time_cases(cases, env, runs)
    print(f"median of {runs} alternating runs each; python {sys.version.split()[0]}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
