"""`kotcoach score`: patient-reported scores (the Patient-Specific Functional Scale), asked on a
terminal or given as options, stored in the log. The scoring is `coaching.scores` (pure)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kotcoach.base.errors import UsageError
from kotcoach.cli._app import _emit_json, _out, _print, _state, app
from kotcoach.cli._options import JsonOption, day_option

if TYPE_CHECKING:
    from kotcoach.coaching.scores import Instrument, Scoring


def _today() -> dt.date:
    return dt.date.today()


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@app.command("score")
def score_command(
    ctx: typer.Context,
    instrument: Annotated[
        str | None,
        typer.Argument(help="The score to record: psfs (see --list).", metavar="INSTRUMENT"),
    ] = None,
    activity: Annotated[
        list[str] | None,
        typer.Option(
            "--activity",
            help='An activity and its rating 0-10, "climbing stairs=4" (repeatable): one rated '
            "before by name, or a new one.",
            metavar="NAME=N",
        ),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            help="The ratings of the activities rated before, in their order: 4,6,7.",
            metavar="N,N,...",
        ),
    ] = None,
    date: Annotated[str | None, day_option("The day scored")] = None,
    list_them: Annotated[
        bool, typer.Option("--list", help="Name the scores, their sources and terms.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Score how daily life is going: the Patient-Specific Functional Scale (PSFS).

    Name up to five activities your problem makes hard and rate each 0-10 (0 = unable, 10 = as
    well as before the problem); the score is their average. Later scorings re-rate the same
    activities and may add new ones. On a terminal, with no --activity or --answers, it asks.
    A second scoring on the same day replaces the first. 'progress' and its report show the
    change against the change that matters.

    \b
    Examples:
      kotcoach score --list
      kotcoach score psfs
      kotcoach score psfs --activity "climbing stairs=4" --activity "kneeling=2"
      kotcoach score psfs --answers 6,5 --activity "running=3" --json
    """
    from kotcoach.coaching import scores

    if list_them:
        _list(as_json)
        return
    if instrument is None:
        raise UsageError("name the score to record, e.g. 'kotcoach score psfs' (see --list)")
    chosen = scores.INSTRUMENTS.get(instrument.lower())
    if chosen is None:
        known = ", ".join(scores.INSTRUMENTS)
        raise UsageError(f"unknown score '{instrument}' (known: {known}; see --list)")
    from kotcoach.store import Store, parse_date

    state = _state(ctx)
    on = _today() if date is None else parse_date(date, _today(), "--date")
    with Store.open() as store:
        history = scores.scorings(store.scores(state.profile, chosen.id)).get(chosen.id, [])
    earlier = [s for s in history if s.day != on]  # today's scoring is being replaced
    known_activities = scores.activities([s for s in earlier if s.day < on])
    named = [scores.parse_activity(text) for text in activity or []]
    ratings = scores.parse_answers(answers) if answers is not None else []
    if not named and answers is None:
        if not _stdin_is_terminal():
            raise UsageError(
                'no terminal to ask on: give --activity "ACTIVITY=RATING" or --answers '
                + (",".join("N" for _ in known_activities) or "N")
            )
        ratings, named = _ask(known_activities)
    scoring = scores.psfs_scoring(on, known_activities, ratings, named)
    with Store.open(write=True) as store:
        store.save_scoring(state.profile, on, chosen.id, scoring.items)
    before = [s for s in earlier if s.day < on]
    after = [s for s in earlier if s.day > on]
    change = scores.change([*before, scoring, *after])
    if as_json:
        _emit_json(_json(state.profile, chosen, scoring, before[-1] if before else None, change))
        return
    from kotcoach.render.progress import scoring_view

    _print(scoring_view(chosen, scoring, before[-1] if before else None, change), console=_out())


def _ask(known: list[str]) -> tuple[list[int], list[tuple[str, int]]]:
    from kotcoach.coaching import scores

    say = typer.echo
    say("Rate each activity 0-10: 0 = unable, 10 = as well as before the problem.", err=True)
    ratings = [_ask_rating(f"{name}") for name in known]
    named: list[tuple[str, int]] = []
    while len(known) + len(named) < scores.MAX_ACTIVITIES:
        first = not known and not named
        question = (
            "An activity your problem makes hard" if first else "Another activity (Enter: done)"
        )
        text = typer.prompt(
            question, default="" if not first else None, show_default=False, err=True
        ).strip()
        if not text:
            break
        try:
            name = scores.check_activity(text)
        except UsageError as error:
            say(str(error), err=True)
            continue
        named.append((name, _ask_rating(name)))
    return ratings, named


def _ask_rating(name: str) -> int:
    from kotcoach.coaching import scores

    while True:
        answer = typer.prompt(f"  {name} (0-10)", err=True)
        try:
            return scores.check_rating(answer, name)
        except UsageError:
            typer.echo("  Give a whole number from 0 to 10.", err=True)


def _list(as_json: bool) -> None:
    from kotcoach.coaching import scores

    if as_json:
        _emit_json(
            [
                {
                    "id": i.id,
                    "name": i.name,
                    "range": [i.low, i.high],
                    "asks": i.asks,
                    "source": i.source,
                    "minimal_important_change": i.mic,
                    "mic_meaning": i.mic_text,
                    "mic_source": i.mic_source,
                    "terms": i.terms,
                }
                for i in scores.INSTRUMENTS.values()
            ]
        )
        return
    from kotcoach.render.progress import instruments_view

    _print(instruments_view(list(scores.INSTRUMENTS.values())), console=_out())


def _json(
    profile: str,
    instrument: Instrument,
    scoring: Scoring,
    previous: Scoring | None,
    change: Any,
) -> dict[str, Any]:
    return {
        "profile": profile,
        "instrument": instrument.id,
        "date": scoring.day.isoformat(),
        "score": round(scoring.total, 2),
        "items": [{"activity": name, "rating": value} for name, value in scoring.items],
        "previous": None
        if previous is None
        else {"date": previous.day.isoformat(), "score": round(previous.total, 2)},
        "change": None
        if change is None
        else {
            "from": change.first.day.isoformat(),
            "to": change.last.day.isoformat(),
            "start": round(change.start, 2),
            "now": round(change.now, 2),
            "activities_compared": change.common,
            "change": round(change.delta, 2),
            "matters": change.matters,
            "sentence": change.sentence(),
        },
        "minimal_important_change": instrument.mic,
        "mic_source": instrument.mic_source,
    }
