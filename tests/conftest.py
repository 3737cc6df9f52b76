"""Shared fixtures: small catalogues written into tmp_path, and a clean environment."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner


def _keep_bytecode() -> None:
    """With PYTHONDONTWRITEBYTECODE set, every Python process of the run (each xdist worker,
    and the CLI runs that tests start as processes of their own) compiled all of kotcoach, and
    the rewritten test modules, from source: about 5 s of each worker's collection. Compiled
    code is kept under .pytest_cache/pycache instead (PYTHONPYCACHEPREFIX, for this process and
    those it starts), so the source tree stays free of __pycache__ as the setting asks."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    prefix = str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache")
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_keep_bytecode()

# How many examples the largest property tests try. The README's command runs hypothesis's
# default profile, where each tries `examples(n)` = n, and a developer's run searches afresh each
# time (the examples add up over runs). CI (the CI variable set, as CI services do) and
# `pytest --hypothesis-profile=full` try three times as many, and CI replays a fixed set.
settings.register_profile("full", max_examples=300)
if os.environ.get("CI"):
    settings.load_profile("full")


def examples(count: int) -> int:
    """`count` on the default profile (max_examples 100), three times it on `full`."""
    return count * settings.default.max_examples // 100


def stride(count: int) -> int:
    """How far apart the requests are that the largest grids of plans check: every `count`-th
    on the default profile, every one on `full` (CI). The grids' other bounds are the same on
    both, so CI checks every request a grid names and a developer's run a fixed share of them."""
    return 1 if settings.default.max_examples > 100 else count


MINI = """\
exercises:
  - id: step-one
    name: Step one
    level: beginner
    progression: step-two
    cues: [Heel stays down, Knee travels forward, Stand tall]
    dose: {sets: 2, reps: 10}
    areas: [knee]
    goals: [less-pain]
    cautions:
      - condition: sore-knee
        note: Watch the kneecap.
        modification: Use a shorter range.
    evidence:
      basis: coaching-practice
      summary: Nobody has tested it.
      references: [ref-a]
  - id: step-two
    name: Step two
    level: intermediate
    progression: step-three
    cues: [Go a little deeper]
    dose: {sets: 3, reps: 8, per_side: true}
    areas: [knee, ankle]
    equipment: [step]
  - id: step-three
    name: Step three
    level: advanced
    cues: [Go all the way]
    dose: {sets: 4, hold_seconds: 30}
    areas: [knee]
    equipment: [step, dumbbells]
  - id: lone-hinge
    name: Lone hinge
    level: beginner
    cues: [Hinge at the hips]
    dose: {sets: 2, reps: 12}
    areas: [back, hip]
conditions:
  - id: sore-knee
    name: Sore knee
    summary: A knee that hurts.
    areas: [knee]
    pain_rules: [Pain may reach 5/10 during exercise.]
    favour: [step-one]
    avoid: [step-three]
    red_flags: ["A hot, swollen knee"]
    references: [ref-a]
myths:
  - id: knees-back
    cue: Keep your knees back
    problem: It moves load to the hips.
    instead: Let the knee travel forward.
    evidence: One small lab study.
    limits: Back load was not measured.
    references: [ref-a]
references:
  - key: ref-a
    authors: Doe J
    year: 2020
    source: J Test
    volume: 1(2)
    pages: 3–4
"""


def _registrations(app: typer.Typer) -> tuple[Any, ...]:
    """What an app has registered, as identities: a command or group added later (the CLI
    registers each module's commands on import) makes a different shape."""
    return (
        id(app.registered_callback),
        tuple(id(info) for info in app.registered_commands),
        tuple(
            (id(group), _registrations(group.typer_instance))
            for group in app.registered_groups
            if group.typer_instance is not None
        ),
    )


@pytest.fixture(scope="session", autouse=True)
def _commands_built_once() -> Iterator[None]:
    """typer builds an app's click commands from the functions' signatures on every
    CliRunner.invoke (type hints evaluated afresh, about 0.1 s for kotcoach's 21 commands), more
    than most commands take to run. Built once per app and shape, then reused: a click command
    keeps no state between runs (each run makes its own context)."""
    built: dict[int, tuple[typer.Typer, tuple[Any, ...], Any]] = {}
    build = typer.main.get_command

    def get_command(app: typer.Typer) -> Any:
        shape = _registrations(app)
        entry = built.get(id(app))
        if entry is None or entry[0] is not app or entry[1] != shape:
            entry = (app, shape, build(app))  # the app is held, so its id is never reused
            built[id(app)] = entry
        return entry[2]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", get_command)
        yield


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` starts one worker more than the cores this process may use. Much of the suite
    waits rather than computes (subprocesses, ptys, Chromium, a server restarting, a held
    lock), and a core sits idle while its worker waits; a third worker on 2 cores fills those
    gaps (the whole run measured 109 s with two workers, 89 s with three, idle machine)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores + 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each xdist_group on one worker under pytest 9.2 as well, and start the groups first.

    `--dist loadgroup` learns a test's group from an '@group' that pytest-xdist (3.8) appends to
    the test's id as a worker collects it, by writing `item._nodeid`; pytest 9.2 keeps the id in
    `item._id` instead, so the write is lost and every group was silently spread over both
    workers (pytest-xdist issue 1386): each worker made the group's costly fixture again (the
    2,000-exercise catalogue, the plan grid, a second Chromium), and the grid's sampling tests
    made their plans afresh. The same '@group' is put where pytest 9.2 reads it; where xdist's
    own suffix took (older pytest, or a fixed xdist), this changes nothing.

    The groups (each some seconds on one worker, the browser's half a minute) are handed out
    first, in the order collected: started last, one would leave the other worker idle at the
    end while it ran. The other tests fill in around them, one at a time."""
    if not config.getoption("loadgroup", default=False):
        return
    grouped = [item for item in items if item.get_closest_marker("xdist_group") is not None]
    items[:] = grouped + [item for item in items if item.get_closest_marker("xdist_group") is None]
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # before pytest 9.2: xdist's own suffix works
        return
    for item in grouped:
        groups = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        if "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """A cache folder of the run's own from the start, so that what test modules load when
    they are imported (collection comes before any fixture) never touches the developer's."""
    folder = tempfile.mkdtemp(prefix="kotcoach-test-cache-")
    _SESSION_CACHE.append(folder)
    os.environ["KOTCOACH_CACHE_DIR"] = folder
    os.environ.pop("KOTCOACH_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _SESSION_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _warm_entry() -> Path | None:
    """The shipped catalogue's cache entry, written once for the run (each xdist worker): a
    cold cache costs a test YAML parsing and validation of the whole catalogue (about 0.15 s)
    before it starts on what it tests."""
    from kotcoach.catalogue.read import load_catalog
    from kotcoach.catalogue.source import builtin_catalog_path

    folder = Path(tempfile.mkdtemp(prefix="warm-", dir=_SESSION_CACHE[0]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOTCOACH_CACHE_DIR", str(folder))
        load_catalog(builtin_catalog_path(), cached=False)
    entries = list(folder.glob("*.kcache"))
    return entries[0] if len(entries) == 1 else None


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    _warm_entry: Path | None,
) -> None:
    """No test reads the developer's catalogue setting, cache or terminal width.

    Each test has a cache folder of its own (beside tmp_path), holding the shipped catalogue's
    entry as an earlier run of kotcoach would have left it, unless the test is marked cold_cache
    (those that count or damage entries): those see the cache as a fresh install does, empty."""
    monkeypatch.delenv("KOTCOACH_CATALOG", raising=False)
    monkeypatch.delenv("KOTCOACH_NO_CACHE", raising=False)
    cache = tmp_path.with_name(f"{tmp_path.name}-cache")  # beside tmp_path: tests list its files
    monkeypatch.setenv("KOTCOACH_CACHE_DIR", str(cache))
    if _warm_entry is not None and request.node.get_closest_marker("cold_cache") is None:
        cache.mkdir(mode=0o700)
        try:  # a link, not a copy: kotcoach replaces an entry by renaming a new file onto it
            os.link(_warm_entry, cache / _warm_entry.name)
        except OSError:
            shutil.copy2(_warm_entry, cache / _warm_entry.name)
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOTCOACH_PROFILE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(text: str, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def mini(write_yaml: Callable[[str, str], Path]) -> Path:
    return write_yaml(MINI, "mini.yaml")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
