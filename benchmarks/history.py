"""Training-log benchmark: `today` and `history` over five years of logged training.

Generates a log in a temporary folder: a programme saved with `start`-like options, then five
years of sessions five days a week, every exercise at its target (about 45,000 set rows), with
check-ins, written through the store's import path in one transaction. Then times whole
`kotcoach` processes against the same floor process as benchmarks/startup.py (importing the
stack), alternating runs, and prints medians and ratios.

    python benchmarks/history.py            # prints a table and exits 1 if a target is missed
    python benchmarks/history.py --runs 30

Targets (issue 10): `kotcoach today` <= 1.3 x floor, `kotcoach history` <= 1.5 x floor;
`kotcoach list` and `--help` keep theirs from startup.py (1.3 and 0.8).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import STACK, kotcoach, paired  # noqa: E402  (one floor for both benchmarks)

FLOOR = [sys.executable, "-c", STACK]

YEARS = 5
TRAINING_DAYS = {0, 1, 2, 3, 4, 5}  # Monday to Saturday: about 45,000 sets in five years


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - started


def time_with_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and the CPU seconds (user and system) the process used: on a busy
    machine the wall clock waits for the other processes, the CPU time much less."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time_once(command, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


Samples = dict[str, list[float]]


def rounds(
    cases: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> tuple[Samples, Samples]:
    """Each case's wall-clock and CPU seconds over `runs` rounds, every case once a round (so a
    busy moment slows all of them alike), after one warm-up run each (the file cache and the
    catalogue cache)."""
    for command, env in cases.values():
        time_once(command, env)
    walls: Samples = {name: [] for name in cases}
    cpus: Samples = {name: [] for name in cases}
    for _ in range(runs):
        for name, (command, env) in cases.items():
            wall, cpu = time_with_cpu(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return walls, cpus


def _programme() -> dict[str, Any]:
    """The programme both logs follow: an advanced 4-week plan, 60 minutes, step, box and
    dumbbells, on the TRAINING_DAYS."""
    from kotcoach.base.vocab import Equipment, Level
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.read import load_catalog
    from kotcoach.catalogue.source import builtin_catalog_path
    from kotcoach.coaching.planner import PlanRequest, make_plan
    from kotcoach.coaching.serialise import plan_json

    index = Index(load_catalog(builtin_catalog_path()))
    request = PlanRequest(
        level=Level.ADVANCED,
        days=len(TRAINING_DAYS),
        minutes=60,
        equipment=frozenset({Equipment.STEP, Equipment.BOX, Equipment.DUMBBELLS}),
        weeks=4,
    )
    return plan_json(make_plan(index, request))


def generate(data_dir: Path) -> tuple[int, int]:
    """Five years of a programme done at target; returns (sessions, set rows)."""
    from kotcoach.store import Status, Store, exchange

    plan = _programme()
    today = dt.date.today()
    rows: list[exchange.Row] = []
    sessions = 0
    data_dir.mkdir(parents=True)
    with Store.open(data_dir / "kotcoach.db", write=True) as store:
        programme = store.save_programme("default", {"level": "advanced"}, plan)
        day = today - dt.timedelta(days=365 * YEARS)
        # Saved five years ago, as if: an import keeps only slots that fit the programme's time.
        with store._write() as db:
            db.execute("UPDATE programmes SET created = ?", (f"{day.isoformat()}T06:00:00+00:00",))
        while day < today:
            if day.weekday() in TRAINING_DAYS:
                planned = programme.session(sessions)
                stamp = f"{day.isoformat()}T07:00:00+00:00"
                for exercise in planned.exercises:
                    target = exercise.target
                    for number in range(1, target.sets + 1):
                        rows.append(
                            exchange.Row(
                                line=len(rows) + 2,
                                profile="default",
                                date=day,
                                slot=sessions,
                                exercise=exercise.id,
                                name=exercise.name,
                                number=number,
                                amount=target.amount,
                                target=target,
                                pain_during=(sessions + number) % 4,
                                pain_after=sessions % 3,
                                status=Status.DONE,
                                note=None,
                                session_note=None,
                                logged_at=stamp,
                            )
                        )
                sessions += 1
            day += dt.timedelta(days=1)
        store.import_rows(rows)
        day = today - dt.timedelta(days=365 * YEARS)
        while day < today:
            store.checkin("default", day, {"knee": day.day % 3, "ankle": 1}, {"knee": 2})
            day += dt.timedelta(days=7)
    return sessions, len(rows)


def generate_varied(data_dir: Path, seed: int = 7) -> tuple[int, int]:
    """Five years of the same programme as `generate`, lived: sessions missed and weeks off,
    sets cut short, bad days above 5/10 (stopped), skipped exercises, and daily check-ins of the
    knee and ankle that drift up for some weeks and come back. Steps back and stops come in
    runs, as they do for a person; the report must stay short on it. Returns (sessions, sets)."""
    import random

    from kotcoach.store import Amount, Status, Store, exchange

    rng = random.Random(seed)
    plan = _programme()
    today = dt.date.today()
    rows: list[exchange.Row] = []
    sessions = 0
    data_dir.mkdir(parents=True)
    with Store.open(data_dir / "kotcoach.db", write=True) as store:
        programme = store.save_programme("default", {"level": "advanced"}, plan)
        day = today - dt.timedelta(days=365 * YEARS)
        level = 1  # the knee's usual morning pain this week
        off_until = day
        checkins: list[tuple[dt.date, dict[str, int]]] = []
        while day < today:
            if day.weekday() == 0:
                if rng.random() < 0.1:
                    level = rng.choice([0, 0, 1, 1, 2, 3, 4, 5])
                if rng.random() < 0.02:
                    off_until = day + dt.timedelta(days=rng.choice([10, 17, 30]))
            spike = rng.choice([0] * 14 + [2, 3, 6])
            checkins.append((day, {"knee": min(10, level + spike), "ankle": rng.choice([0, 1])}))
            if day.weekday() in TRAINING_DAYS and day >= off_until and rng.random() < 0.85:
                planned = programme.session(sessions)
                stamp = f"{day.isoformat()}T07:00:00+00:00"
                for exercise in planned.exercises:
                    target = exercise.target
                    if rng.random() < 0.04:
                        status, done = Status.SKIPPED, 0
                    else:
                        status, done = Status.DONE, target.sets
                    during = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 7]) + (level > 3)
                    during = min(10, during)
                    if during > 5:
                        status, done = Status.STOPPED, 1
                    short = rng.random() < 0.1
                    for number in range(1, done + 1) or [None]:  # type: ignore[list-item]
                        amount = target.amount
                        if short and amount.reps is not None and amount.reps > 4:
                            amount = Amount(reps=amount.reps - 3)
                        rows.append(
                            exchange.Row(
                                line=len(rows) + 2,
                                profile="default",
                                date=day,
                                slot=sessions,
                                exercise=exercise.id,
                                name=exercise.name,
                                number=number,
                                amount=amount if number is not None else None,
                                target=target,
                                pain_during=during,
                                pain_after=min(10, during + rng.choice([0, 0, 1])),
                                status=status,
                                note=None,
                                session_note=None,
                                logged_at=stamp,
                            )
                        )
                sessions += 1
            day += dt.timedelta(days=1)
        store.import_rows(rows)
        for when, pain in checkins:
            store.checkin("default", when, pain)
    return sessions, sum(1 for row in rows if row.number is not None)


Cases = dict[str, tuple[list[str], "float | None"]]


def time_cases(cases: Cases, env: dict[str, str], runs: int) -> tuple[list[str], float]:
    """Time every case in alternating whole-process runs after one warm-up each, print each
    median, its ratio to the first case (the floor) paired by round (the median of each run's
    ratio to the floor's run in the same round, with their interquartile range) and the same
    ratio of CPU time (user and system), which other work on the machine moves less; the
    cases that missed, and the floor's median."""
    samples, cpus = rounds({name: (command, env) for name, (command, _) in cases.items()}, runs)
    floor_name = next(iter(cases))
    missed = []
    print(f"{'command':<34}{'median':>10}{'ratio':>8}  {'(IQR)':<13}{'CPU':>6}  target")
    for name, (_, target) in cases.items():
        median = statistics.median(samples[name])
        ratio, low, high = paired(samples[name], samples[floor_name])
        cpu_ratio = paired(cpus[name], cpus[floor_name])[0]
        mark = ""
        if target is not None:
            mark = f"<= {target}" if ratio <= target else f"MISSED {target}"
            if ratio > target:
                missed.append(name)
        print(
            f"{name:<34}{median * 1000:>8.0f}ms{ratio:>8.2f}  ({low:.2f}-{high:.2f})"
            f"{cpu_ratio:>7.2f}  {mark}"
        )
    return missed, statistics.median(samples[floor_name])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (at least 10)")
    runs = max(10, parser.parse_args().runs)
    import kotcoach as package

    compileall.compile_dir(os.path.dirname(package.__file__), quiet=1)
    home = Path(tempfile.mkdtemp(prefix="kotcoach-log-bench-"))
    try:
        return measure(home, runs)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(home: Path, runs: int) -> int:
    # The log goes where platformdirs puts it ($XDG_DATA_HOME/kotcoach), so that the timed
    # commands pay for finding it as they would at home.
    data_dir = home / "data" / "kotcoach"
    started = time.perf_counter()
    sessions, sets = generate(data_dir)
    size = (data_dir / "kotcoach.db").stat().st_size
    print(
        f"generated {sessions} sessions, {sets} set rows, {size / 2**20:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )
    base = {
        **os.environ,
        "KOTCOACH_CACHE_DIR": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    for name in ("KOTCOACH_NO_CACHE", "KOTCOACH_PROFILE", "KOTCOACH_DATA_DIR"):
        base.pop(name, None)
    cases: dict[str, tuple[list[str], float | None]] = {
        "floor (import the stack)": (FLOOR, None),
        "kotcoach today": (kotcoach("today"), 1.3),
        "kotcoach history": (kotcoach("history"), 1.5),
        "kotcoach today --json": (kotcoach("today", "--json"), None),
        "kotcoach history --json": (kotcoach("history", "--json"), None),
        "kotcoach list": (kotcoach("list"), 1.3),
        "kotcoach --help": (kotcoach("--help"), 0.8),
    }
    missed, _ = time_cases(cases, base, runs)
    print(
        f"median of {runs} alternating runs each, ratios paired by round; "
        f"python {sys.version.split()[0]}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
