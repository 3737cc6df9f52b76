"""What the session did, for the terminal once the UI has closed: pure data, rendered in
`kotcoach.render.session`."""

from __future__ import annotations

from dataclasses import dataclass

from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.coaching.session.machine import Outcome, Phase, SessionMachine


@dataclass(frozen=True)
class Summary:
    saved: str  # 'Saved 3 sets.'
    rows: tuple[tuple[str, str], ...]  # each exercise reached: its name, what happened
    not_reached: tuple[str, ...]  # names of the exercises the session did not get to
    advice: tuple[str, ...]  # the rule for pain after, what to do next

    def lines(self) -> list[str]:
        """The summary as plain lines."""
        lines = [self.saved, *(f"  {name}: {what}" for name, what in self.rows)]
        if self.not_reached:
            lines.append("  Not reached: " + ", ".join(self.not_reached))
        return lines + list(self.advice)


def summarise(machine: SessionMachine) -> Summary:
    """One row an exercise reached (done, skipped, stopped, unfinished), then pain after."""
    sets = machine.sets_recorded
    ended = {outcome.position: outcome for outcome in machine.outcomes}
    rows, not_reached = [], []
    for position, planned in enumerate(machine.exercises):
        outcome = ended.get(position)
        if outcome is not None:
            rows.append((planned.name, _describe(outcome)))
        elif position == machine.position and machine.phase != Phase.DONE:
            rows.append(
                (
                    planned.name,
                    f"{_sets(Outcome(position, planned, machine.sets_done))}, not finished",
                )
            )
        else:
            not_reached.append(planned.name)
    return Summary(
        f"Saved {sets} set{'s' if sets != 1 else ''}.",
        tuple(rows),
        tuple(not_reached),
        tuple(_after(machine)),
    )


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
