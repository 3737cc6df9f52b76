"""What the session did, in a few lines, for the terminal once the UI has closed."""

from __future__ import annotations

from kotcoach.pain import MAX_PAIN_DURING
from kotcoach.session.machine import Outcome, Phase, SessionMachine


def summary_lines(machine: SessionMachine) -> list[str]:
    """One line an exercise (done, skipped, stopped, not reached), then pain after and what next."""
    sets = machine.sets_recorded
    lines = [f"Saved {sets} set{'s' if sets != 1 else ''}."]
    ended = {outcome.position: outcome for outcome in machine.outcomes}
    for position, planned in enumerate(machine.exercises):
        outcome = ended.get(position)
        if outcome is None and position == machine.position and machine.phase != Phase.DONE:
            outcome = Outcome(position, planned, machine.sets_done)
            lines.append(f"  {planned.name}: {_sets(outcome)}, not finished")
        elif outcome is None:
            lines.append(f"  {planned.name}: not reached")
        else:
            lines.append(f"  {planned.name}: {_describe(outcome)}")
    lines += _after(machine)
    return lines


def _sets(outcome: Outcome) -> str:
    return f"{outcome.sets_done} of {outcome.exercise.sets} sets"


def _describe(outcome: Outcome) -> str:
    if outcome.stopped:
        return f"{_sets(outcome)}, stopped for today (pain {outcome.pain}/10)"
    text = _sets(outcome)
    if outcome.skipped:
        text += ", skipped"
    if outcome.pain is not None:
        text += f", pain during {outcome.pain}/10"
    return text


def _after(machine: SessionMachine) -> list[str]:
    if machine.phase != Phase.DONE:
        return [
            "Stopped early: every set done is saved. Run kotcoach session again today to carry on."
        ]
    pain = machine.pain_after
    lines = []
    if pain is not None and pain > MAX_PAIN_DURING:
        lines.append(
            f"Pain after {pain}/10 is above {MAX_PAIN_DURING}/10: ease off next time, and if "
            "the pain persists, see a physiotherapist or doctor."
        )
    elif pain is not None:
        lines.append(
            f"Pain after {pain}/10: it may reach 5/10 but must settle by the next morning."
        )
    if machine.sets_recorded:
        lines.append("Tomorrow morning, check in: kotcoach checkin --pain AREA=N")
    return lines
