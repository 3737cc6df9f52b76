"""The training log: one SQLite file per person's data folder, holding every profile's
programmes, sessions, sets, pain scores and check-ins.

Public API (import from `kotcoach.store`; everything else here is internal):

- `Store.open(path=None, *, write=False)`: the log at `database_path()` (`$KOTCOACH_DATA_DIR`, else
  platformdirs' user data folder). Read-only opens never create anything. Use it as a context
  manager. Any database problem raises `kotcoach.base.errors.StoreError` naming the file.
- Writing a session as it happens (the guided session)::

      today = store.today(profile, date.today())          # None without a programme
      # (paused=...: the coach's pauses, which do not keep a session open; coaching.today)
      session_id = store.begin_session(profile, today.date, today.slot)
      number = store.log_set(session_id, ex.id, Amount(reps=12), name=ex.name, target=ex.target)
      store.remove_set(session_id, ex.id, number)  # 'u': the last set taken back (undo_skip too)
      store.set_pain_during(session_id, ex.id, 3)
      store.set_status(session_id, ex.id, Status.STOPPED)  # pain above 5/10, or SKIPPED
      store.set_pain_after(session_id, 2)

  Each call is its own committed transaction: a killed process keeps every call that returned.
- Writing from options: `log_exercise` (N sets and the pain during, at once), `checkin`,
  `save_profile`, `save_programme`, `add_assessment`.
- Reading for decisions (the coach): `exercise_history(profile, exercise=None, since=None)` ->
  `ExerciseLog`s (date, target, sets done, pain during, status), oldest first;
  `checkins(profile, since=None, area=None)` -> `Checkin`s; `sessions(...)` -> `SessionLog`s
  with pain after; `assessments(profile, test=None)`; `scores(profile)` (patient-reported
  scores, written by `save_scoring`); `entry_history(profile)` -> `EntryLog`s,
  what `exercise_history` gives with each set as its amount (years of log, for `progress`).
- `records` holds the dataclasses and the value checks (`check_pain`, `parse_date`, limits);
  the package names only the records its callers use (the rest: `kotcoach.store.records`).
- The whole log: `export_rows`, `import_rows` (batched), `backup` (`transfer`); restore and the
  lock file a long-running holder keeps beside the log, `files.restore` and
  `files.holding(path, "session" | "serve")`.

Modules: `db` (the Store: opening, transactions, writes), `reading` (its reads), `entries` (a
session's entry for an exercise, found or made: what logging and import both write through),
`connection` (how the file is opened; each SQLite failure as one StoreError), `files` (private
modes, lock files, restore), `transfer` (export, import, backup), `exchange` (CSV rows, pure),
`rows` (rows to records), `schema` (migrations), `paths`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kotcoach.store.db import Store
    from kotcoach.store.paths import data_dir, database_path
    from kotcoach.store.records import (
        Amount,
        Checkin,
        ExerciseLog,
        PlannedExercise,
        PlannedSession,
        Profile,
        Programme,
        SessionLog,
        SetLog,
        Status,
        Target,
        Today,
        parse_date,
    )
    from kotcoach.store.rows import planned_sessions

# Imported on first use, so that asking where the log lives (`database_path`) costs neither
# sqlite3 nor the records' dataclasses: `plan` asks on every run, and most people have no log.
_HOME = {
    "Store": "db",
    "planned_sessions": "rows",
    "data_dir": "paths",
    "database_path": "paths",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'kotcoach.store' has no attribute {name!r}")
    module = importlib.import_module(f"kotcoach.store.{_HOME.get(name, 'records')}")
    value = getattr(module, name)
    globals()[name] = value
    return value


__all__ = [
    "Amount",
    "Checkin",
    "ExerciseLog",
    "PlannedExercise",
    "PlannedSession",
    "Profile",
    "Programme",
    "SessionLog",
    "SetLog",
    "Status",
    "Store",
    "Target",
    "Today",
    "data_dir",
    "database_path",
    "parse_date",
    "planned_sessions",
]
