"""The guided session: `kotcoach session`, today's exercises one at a time in a terminal UI.

Textual, the store and the catalogue are imported inside the command, so that nothing here slows
`--help` or the other commands.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kotcoach.base.errors import NotFoundError, StoreError, UsageError
from kotcoach.cli._app import _print, _state, app

if TYPE_CHECKING:
    from kotcoach.coaching.session.logbook import StoreRecorder


# A write in the session waits this long for the log's lock before it is queued and retried:
# short, so the screen never freezes while another kotcoach writes.
SESSION_WRITE_WAIT = 0.3


def _finish_saving(recorder: StoreRecorder) -> None:
    """Never end with a result unsaved while the log is only busy: say so, and keep trying
    every second until it is in (Ctrl-C stops waiting; what is left is then listed)."""
    import time

    from kotcoach.coaching.session.logbook import RETRY_SECONDS
    from kotcoach.render import clean

    if not recorder.unsaved or recorder.stopped is not None:
        return
    count = recorder.unsaved
    sys.stderr.write(
        f"kotcoach: saving ... {count} result{'s' if count != 1 else ''} waiting for the "
        f"training log ({clean(recorder.problem or 'busy')}); Ctrl-C stops waiting\n"
    )
    sys.stderr.flush()
    try:
        while recorder.unsaved and recorder.stopped is None:
            time.sleep(RETRY_SECONDS)
            recorder.retry()
    except KeyboardInterrupt:
        return
    if not recorder.unsaved:
        sys.stderr.write("kotcoach: saved.\n")


def _keep_unsaved(recorder: StoreRecorder) -> None:
    """Writes that never went in (the log was deleted or replaced, or the person quit while it
    was locked): listed, then written to the log now at the path if the person says so."""
    from kotcoach.render import clean

    why = recorder.stopped or recorder.problem or "the log was busy"
    sys.stderr.write(f"kotcoach: not saved ({clean(why)}):\n")
    for item in recorder.pending:
        sys.stderr.write(f"  {clean(item.what)}\n")
    if recorder.stopped is not None and _is_terminal():
        from kotcoach.store import Store, database_path

        if typer.confirm(f"Save them in the log now at {clean(str(database_path()))}?", err=True):
            with Store.open(write=True) as store:
                recorder.save_to(store)
            if not recorder.unsaved:
                sys.stderr.write("kotcoach: saved.\n")
                return
    count = recorder.unsaved
    raise StoreError(
        f"{count} result{'s' if count != 1 else ''} of this session "
        f"{'were' if count != 1 else 'was'} not saved (listed above): log them with "
        "'kotcoach log'"
    )


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command("session")
def session_command(
    ctx: typer.Context,
    no_bell: Annotated[
        bool, typer.Option("--no-bell", help="No terminal bell when a countdown ends.")
    ] = False,
) -> None:
    """Train today's session with a guide: one exercise at a time, with timers.

    Shows each exercise of your programme's next session (see 'kotcoach today') with its key
    cues, the set you are on, a countdown for holds and rest, and what comes next. Every set is
    saved as it is done; run it again the same day to carry on where you stopped. An exercise
    that carries a load (dumbbells, a bar, a machine) first asks the load you use, kg per rep
    (per hand where it says so), with the coach's load as the default: Enter keeps it. Once
    the day's session is done (an exercise the coach paused today does not count), it says
    when the next one is instead of starting it.

    \b
    Keys:
      Enter          set done at the target; starts or stops a hold; ends rest
      a number Enter the set differed: that many reps (or seconds, or minutes)
      s              skip the rest of this exercise: press s again to
                     skip, u to undo (a pain question is skipped at once)
      u              undo the last set or skip, even a saved set (it is
                     taken out of the log); not past a pain score
      space          pause; space again carries on
      + / -          15 s more or less rest
      q              save and quit
      Ctrl-C         pause and ask whether to quit

    After each exercise it asks pain during (0-10): above 5 that exercise stops for today. At
    the end it asks pain after. Needs a terminal; without one, use 'kotcoach log'.

    \b
    Examples:
      kotcoach start --level beginner
      kotcoach session
      kotcoach session --no-bell
    """
    if not _is_terminal():
        raise UsageError("kotcoach session needs a terminal; without one, use 'kotcoach log'")
    import datetime as dt
    import time

    from kotcoach.base.vocab import Level
    from kotcoach.coaching.planner import REST_SECONDS
    from kotcoach.coaching.session import SessionMachine
    from kotcoach.coaching.session.logbook import StoreRecorder, planned_for_today
    from kotcoach.coaching.session.summary import summarise
    from kotcoach.store import Store

    state = _state(ctx)
    profile = state.profile
    index = state.index()

    def describe(exercise_id: str) -> tuple[tuple[str, ...], int]:
        found = index.by_id.get(exercise_id)
        if found is None:
            return (), REST_SECONDS[Level.BEGINNER]
        return tuple(found.cues), REST_SECONDS[found.level]

    on = dt.date.today()
    from kotcoach.coaching.today import coached_today, upcoming_session

    with Store.open() as reader:
        today, _, referral = coached_today(state, reader, on)
        upcoming = upcoming_session(reader, today, on) if today is not None else None
    if today is None or upcoming is None:
        raise NotFoundError(
            f"profile '{profile}' has no programme yet", hint="make one with 'kotcoach start'"
        )
    if upcoming.done_today:  # the day's session is done: not the next one at once
        from kotcoach.coaching.schedule import next_line

        if referral:
            sys.stdout.write(referral + "\n")
        sys.stdout.write(next_line(upcoming, on) + "\n")
        return
    # Exercises that carry a load (a load step in the catalogue): their load is asked, and
    # whether it is per hand.
    loaded = {
        e.id: bool(getattr(found, "load_per_hand", False))
        for e in today.session.exercises
        if getattr(found := index.by_id.get(e.id), "load_step", None) is not None
    }
    planned = planned_for_today(today, describe, loaded)
    if not planned:
        if referral:
            sys.stdout.write(referral + "\n")
        sys.stdout.write("Nothing left to do in today's session; 'kotcoach today' says why.\n")
        return
    from kotcoach.store.files import holding
    from kotcoach.tui.app import SessionApp

    poses = {e.id: pose for e in planned if (pose := getattr(index.by_id.get(e.id), "pose", None))}
    with (
        Store.open(write=True, timeout=SESSION_WRITE_WAIT) as store,
        holding(store.path, "session"),
    ):
        recorder = StoreRecorder(store, profile, on, today.slot, planned, today.session_id)
        machine = SessionMachine(planned, recorder, time.monotonic)
        if today.done:  # run again the same day: say where it carries on
            first = planned[0]
            machine.notice = (
                f"Welcome back: carrying on at {first.name}, "
                f"set {first.already_done + 1} of {first.sets}."
            )
        session_app = SessionApp(
            machine, bell=not no_bell, referral=referral, saver=recorder, poses=poses
        )
        session_app.run()
        _finish_saving(recorder)  # with the log still open: what waits goes in before exit
    if recorder.unsaved:
        _keep_unsaved(recorder)
    if session_app.error is not None:
        raise session_app.error
    if session_app.return_code:
        raise typer.Exit(session_app.return_code)
    from kotcoach.render.session import summary_view

    _print(summary_view(summarise(machine)))
    if referral:
        from rich.text import Text

        _print(Text(referral, style="bold"))  # the coach's referral is never dropped silently
