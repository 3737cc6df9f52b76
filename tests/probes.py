"""What a command imports, seen from a fresh process: the start-up tests' one probe.

Commands pay for every module they import (benchmarks/startup.py), so several tests hold a
command to not importing some heavy module (pydantic, rich's console, the log, the web stack).
Only a new process shows that: the test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence

MARK = "kotcoach-probe imported: "

# Runs each command in turn as the console script does (a command failing fails the probe),
# then writes on stderr which of the watched modules are loaded: a name stands for the module
# and every module under it.
_PROBE = """
import json, sys
from kotcoach.cli import main
commands, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for args in commands:
    sys.argv = ["kotcoach", *args]
    try:
        main()
    except SystemExit as done:
        assert not done.code, (args, done.code)
    sys.stdout.flush()
loaded = sorted(
    m for m in sys.modules for w in watched if m == w or m.startswith(w + ".")
)
sys.stderr.write("\\n" + MARK + json.dumps(loaded) + "\\n")
""".replace("MARK", repr(MARK))


def imported(
    commands: Sequence[Sequence[str]],
    watched: Iterable[str],
    env: Mapping[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `commands` (each a kotcoach command line, without 'kotcoach') one after the other in
    one new process; return the process (its stderr without the probe's line) and which of
    `watched` it had imported by the end."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            json.dumps([list(c) for c in commands]),
            json.dumps(list(watched)),
        ],
        capture_output=True,
        text=True,
        env=dict(env if env is not None else os.environ),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    said, _, last = done.stderr.rstrip("\n").rpartition("\n")
    assert last.startswith(MARK), done.stderr
    done.stderr = said  # what the commands wrote on stderr, the probe's own line taken off
    return done, json.loads(last.removeprefix(MARK))
