"""`kotcoach serve`'s pages and results, in process: today as `today --json` says it, every set
written at once and once only, skip, pain, the check-in, history, progress, the calendar, and
text from the log and the catalogue escaped everywhere."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from kotcoach.cli import app as cli
from kotcoach.web.app import create_app
from kotcoach.web.security import COOKIE, csrf_token

TOKEN = "k" * 43
CSRF = {"x-csrf-token": csrf_token(TOKEN)}
TODAY = dt.date.today()


def ok(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(cli, list(args), prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


@pytest.fixture
def web() -> Iterator[Callable[..., TestClient]]:
    from kotcoach.catalogue.source import resolve_catalog_path

    clients: list[TestClient] = []

    def make(profile: str | None = "default", catalog: Path | None = None) -> TestClient:
        app = create_app(TOKEN, ["testserver"], resolve_catalog_path(catalog))
        client = TestClient(app, follow_redirects=False)
        client.cookies.set(COOKIE, TOKEN)
        if profile is not None:
            picked = client.post(
                "/profile", data={"profile": profile, "csrf": CSRF["x-csrf-token"]}
            )
            assert picked.status_code == 303, picked.text
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)  # the app's shutdown: it closes its connections


@pytest.fixture
def started(runner: CliRunner) -> dict[str, Any]:
    ok(runner, "start", "--level", "beginner", "--json")
    today: dict[str, Any] = ok(runner, "today", "--json")
    return today


def plan_of(client: TestClient) -> dict[str, Any]:
    page = client.get("/session")
    assert page.status_code == 200, page.text
    found = re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', page.text)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def post(client: TestClient, kind: str, plan: dict[str, Any], **body: Any) -> Any:
    base = {"profile": plan["profile"], "date": plan["date"], "slot": plan["slot"]}
    return client.post(f"/api/{kind}", json=base | body, headers=CSRF)


# --- today -----------------------------------------------------------------------------------


def test_today_is_exactly_what_today_json_says(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    assert client.get("/api/today").json() == started
    page = client.get("/today").text
    for exercise in started["exercises"]:
        assert exercise["name"] in page
        if exercise["dose"]:
            assert exercise["dose"] in page
        assert exercise["reason"] in page
    # After a set is logged from the phone, both still agree (the decisions stand, `logged` moves).
    plan = plan_of(client)
    first = plan["exercises"][0]
    assert (
        post(
            client,
            "set",
            plan,
            exercise=first["id"],
            number=1,
            measure=first["measure"],
            value=first["target"],
        ).status_code
        == 200
    )
    again = ok(runner, "today", "--json")
    assert client.get("/api/today").json() == again
    logged = next(e for e in again["exercises"] if e["id"] == first["id"])["logged"]
    assert logged["sets_done"] == 1


def test_a_profile_without_a_programme_is_told_how_to_make_one(
    runner: CliRunner, web: Callable[..., TestClient]
) -> None:
    ok(runner, "--profile", "sam", "profile", "set", "--level", "beginner")
    page = web("sam").get("/today")
    assert page.status_code == 200
    assert "kotcoach --profile sam start" in page.text


def test_before_any_log_the_picker_says_how_to_begin_and_makes_nothing(
    web: Callable[..., TestClient], tmp_path: Path
) -> None:
    client = web(profile=None)
    page = client.get("/")
    assert page.status_code == 200 and "kotcoach start --level beginner" in page.text
    assert client.get("/today").headers["location"] == "/"
    assert not (tmp_path / "data").exists()  # reading never creates the log


def test_a_catalogue_that_cannot_be_read_is_one_line_on_the_page(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("exercises: [", encoding="utf-8")
    page = web(catalog=broken).get("/session")
    assert page.status_code == 503
    assert "broken.yaml" in page.text and "Traceback" not in page.text


def test_no_profile_chosen_goes_to_the_picker(
    started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web(profile=None)
    response = client.get("/today")
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert ">default" in client.get("/").text
    # A made-up profile is refused, not created.
    refused = client.post("/profile", data={"profile": "nobody", "csrf": CSRF["x-csrf-token"]})
    assert "No such profile" in refused.text and "set-cookie" not in refused.headers


# --- the guided session's results ------------------------------------------------------------


def test_every_set_is_written_at_once_and_a_resend_is_not_counted_twice(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    plan = plan_of(client)
    first = plan["exercises"][0]
    body = {"exercise": first["id"], "measure": first["measure"]}
    assert post(client, "set", plan, number=1, value=first["target"], **body).json() == {
        "saved": True,
        "repeat": False,
    }
    history = ok(runner, "history", "--json")["sessions"]
    assert len(history) == 1 and history[0]["session"] == plan["slot"] + 1
    assert history[0]["exercises"][0]["sets"][0][first["measure"]] == first["target"]
    # The phone did not hear back and sends set 1 again: still one set.
    assert post(client, "set", plan, number=1, value=first["target"], **body).json()["repeat"]
    # Set 3 before set 2 is refused (the phone sends in order, so this means a lost set).
    gap = post(client, "set", plan, number=3, value=1, **body)
    assert gap.status_code == 409
    assert post(client, "set", plan, number=2, value=7, **body).json()["repeat"] is False
    sets = ok(runner, "history", "--json")["sessions"][0]["exercises"][0]["sets"]
    assert [s["set"] for s in sets] == [1, 2]
    assert sets[1][first["measure"]] == 7  # the amount as edited on the phone


def test_a_set_may_carry_its_load_checked_as_log_load_is(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    plan = plan_of(client)
    first = plan["exercises"][0]
    body = {"exercise": first["id"], "measure": first["measure"], "value": first["target"]}
    for bad in (-1, 501, "ten", True):
        refused = post(client, "set", plan, number=1, load_kg=bad, **body)
        assert refused.status_code == 422 and "load_kg must be" in refused.text
    assert ok(runner, "history", "--json")["sessions"] == []  # nothing refused was written
    assert post(client, "set", plan, number=1, load_kg=12.5, **body).json()["saved"]
    assert post(client, "set", plan, number=2, **body).json()["saved"]  # no load: none stored
    sets = ok(runner, "history", "--json")["sessions"][0]["exercises"][0]["sets"]
    assert [s["load_kg"] for s in sets] == [12.5, None]


def test_pain_above_five_stops_the_exercise_as_the_cli_does(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    plan = plan_of(client)
    first = plan["exercises"][0]
    post(client, "set", plan, exercise=first["id"], number=1, measure=first["measure"], value=1)
    response = post(client, "pain", plan, exercise=first["id"], pain=7)
    assert response.json() == {"saved": True, "stopped": True}
    logged = ok(runner, "history", "--json")["sessions"][0]["exercises"][0]
    assert logged["status"] == "stopped" and logged["pain_during"] == 7
    # A lower report later does not lower it: the highest stays.
    post(client, "pain", plan, exercise=first["id"], pain=1)
    assert ok(runner, "history", "--json")["sessions"][0]["exercises"][0]["pain_during"] == 7


def test_skip_and_pain_after_are_logged(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    plan = plan_of(client)
    skipped = plan["exercises"][1]["id"]
    assert post(client, "skip", plan, exercise=skipped).status_code == 200
    assert post(client, "pain-after", plan, pain=3).status_code == 200
    session = ok(runner, "history", "--json")["sessions"][0]
    assert session["pain_after"] == 3
    assert [(e["id"], e["status"]) for e in session["exercises"]] == [(skipped, "skipped")]
    # today no longer lists it as to do, on the phone as in the CLI
    assert skipped not in [e["id"] for e in plan_of(client)["exercises"]]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"number": 0}, "number"),
        ({"number": 21}, "number"),
        ({"value": 0}, "value"),
        ({"value": 501}, "value"),
        ({"value": "12"}, "value"),
        ({"value": True}, "value"),
        ({"measure": "kg"}, "measure"),
        ({"date": "2020-01-01"}, "too late"),
        ({"date": (TODAY + dt.timedelta(days=1)).isoformat()}, "future"),
        ({"date": "yesterday"}, "date"),
        ({"profile": "nobody"}, "no profile"),
        ({"exercise": "x" * 101}, "exercise"),
        ({"exercise": "not-in-the-session"}, "not in that day's session"),
    ],
)
def test_a_bad_result_is_refused_saying_what(
    runner: CliRunner,
    started: dict[str, Any],
    web: Callable[..., TestClient],
    change: dict[str, Any],
    named: str,
) -> None:
    client = web()
    plan = plan_of(client)
    first = plan["exercises"][0]
    body = {
        "profile": "default",
        "date": plan["date"],
        "slot": plan["slot"],
        "exercise": first["id"],
        "number": 1,
        "measure": "reps",
        "value": 10,
    } | change
    response = client.post("/api/set", json=body, headers=CSRF)
    assert response.status_code == 422, response.text
    assert named in response.text
    assert ok(runner, "history", "--json")["sessions"] == []
    assert client.post("/api/set", content=b"{not json", headers=CSRF).status_code == 400


# --- check-in, history, progress, calendar ---------------------------------------------------


def test_the_checkin_asks_every_area_the_programme_loads_and_saves_as_the_cli(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    from kotcoach.catalogue.read import load_index
    from kotcoach.catalogue.source import builtin_catalog_path

    index = load_index(builtin_catalog_path())
    programme = ok(runner, "today", "--json")
    loaded = {str(a) for e in programme["exercises"] for a in index.by_id[e["id"]].areas}
    client = web()
    page = client.get("/checkin").text
    asked = set(re.findall(r'name="pain-([a-z]+)"', page))
    assert loaded <= asked  # every area of today's exercises (the programme may load more)
    form = {f"pain-{a}": "2" for a in asked} | {f"stiffness-{a}": "1" for a in asked}
    saved = client.post("/checkin", data=form | {"csrf": CSRF["x-csrf-token"]})
    assert saved.status_code == 200 and "Saved for" in saved.text
    from kotcoach.store import Store

    with Store.open() as store:
        checkins = store.checkins("default")
    assert {(c.area, c.pain, c.stiffness) for c in checkins} == {(a, 2, 1) for a in asked}
    # A score out of range, or an area left out, is refused and nothing changes.
    bad = client.post(
        "/checkin", data=form | {f"pain-{min(asked)}": "11", "csrf": CSRF["x-csrf-token"]}
    )
    assert bad.status_code == 400 and "0 to 10" in bad.text
    missing = dict(form)
    del missing[f"pain-{min(asked)}"]
    assert client.post("/checkin", data=missing | {"csrf": CSRF["x-csrf-token"]}).status_code == 400


def test_history_progress_and_calendar_pages(
    runner: CliRunner, started: dict[str, Any], web: Callable[..., TestClient]
) -> None:
    client = web()
    plan = plan_of(client)
    first = plan["exercises"][0]
    post(client, "set", plan, exercise=first["id"], number=1, measure=first["measure"], value=5)
    history = client.get("/history").text
    assert first["name"] in history and TODAY.isoformat() in history
    earlier = (TODAY - dt.timedelta(days=21)).isoformat()
    progress = client.get("/progress")
    assert progress.status_code == 200
    # The report's figures: one day in one week is a flat chart, so its sentence stands instead.
    assert "1 day trained in every week" in progress.text
    assert "data:image/svg+xml;base64," not in progress.text
    # The outcome scores where they exist: the report's summary lines open the page.
    ok(runner, "score", "psfs", "--activity", "climbing stairs=3", "--date", earlier)
    ok(runner, "score", "psfs", "--answers", "7")
    scored = client.get("/progress").text
    assert "PSFS" in scored and "3 → 7" in scored, scored
    calendar = client.get("/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    text = calendar.text
    assert text.count("BEGIN:VEVENT") >= 4 * 3 and text.count("BEGIN:VALARM") == text.count(
        "BEGIN:VEVENT"
    )
    assert "TRIGGER:-PT30M" in text
    assert first["name"] not in text  # no exercise, condition or pain goes into a calendar


def test_pages_stay_small(started: dict[str, Any], web: Callable[..., TestClient]) -> None:
    client = web()
    for path in [
        "/",
        "/today",
        "/session",
        "/checkin",
        "/history",
        "/static/session.js",
        "/static/app.css",
    ]:
        assert len(client.get(path).content) < 150_000, path


# --- escaping --------------------------------------------------------------------------------

NASTY = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">']


def test_text_from_the_catalogue_and_the_log_is_escaped_everywhere(
    runner: CliRunner, tmp_path: Path, web: Callable[..., TestClient]
) -> None:
    from tests.conftest import MINI

    catalogue = MINI
    for old, new in [
        ("name: Step one", f"name: 'Step one {NASTY[0]}'"),
        (
            "cues: [Heel stays down, Knee travels forward, Stand tall]",
            f"cues: ['Heel {NASTY[1]}', 'Knee {NASTY[0]}']",
        ),
        ("name: Lone hinge", f"name: 'Lone {NASTY[1]}'"),
    ]:
        assert old in catalogue
        catalogue = catalogue.replace(old, new)
    path = tmp_path / "nasty.yaml"
    path.write_text(catalogue, encoding="utf-8")
    ok(runner, "--catalog", str(path), "start", "--level", "beginner", "--json")
    today = ok(runner, "--catalog", str(path), "today", "--json")
    first = today["exercises"][0]
    ok(
        runner,
        "--catalog",
        str(path),
        "log",
        first["id"],
        "--sets",
        "1",
        "--reps",
        "3",
        "--pain-during",
        "1",
        "--note",
        NASTY[0] + NASTY[1],
    )
    client = web(catalog=path)
    pages = {p: client.get(p).text for p in ["/", "/today", "/session", "/history", "/checkin"]}
    assert any("Step one" in text for text in pages.values())
    for where, text in pages.items():
        assert "<script>alert" not in text, where
        assert "<img src=x" not in text, where
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["/history"]  # the note, as text
    assert "\\u003cscript\\u003e" in pages["/session"] or "&lt;script" in pages["/session"]
    # A profile name that is not one is never echoed back.
    stranger = web(profile=None, catalog=path)
    stranger.cookies.set("kotcoach_profile", "%3Cscript%3E")
    assert stranger.get("/today").headers["location"] == "/"
    refused = stranger.post("/profile", data={"profile": NASTY[0], "csrf": CSRF["x-csrf-token"]})
    assert "<script>" not in refused.text


# --- the kept session plan -------------------------------------------------------------------


def test_the_kept_session_plan_is_what_working_it_out_again_gives(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    from kotcoach.catalogue.source import builtin_catalog_path
    from kotcoach.web.logbook import Catalogue, Logbook

    catalogue = Catalogue(builtin_catalog_path())
    kept = Logbook(catalogue)

    def fresh() -> Any:
        return Logbook(catalogue).session_plan("default")[0]

    plan = kept.session_plan("default")[0]
    assert plan is not None
    slot, steps = plan["slot"], 0
    while plan is not None and plan["slot"] == slot and steps < 40:
        first = plan["exercises"][0]
        if steps == 3:
            kept.pain_during("default", TODAY, slot, first["id"], 7)  # stops it for today
        elif steps == 5:
            kept.skip("default", TODAY, slot, first["id"])
        else:
            number = first["already_done"] + 1
            kept.log_set("default", TODAY, slot, first["id"], number, first["measure"], 3)
        plan = kept.session_plan("default")[0]
        assert plan == fresh(), f"after step {steps}"
        steps += 1
    assert plan is not None and plan["slot"] == slot + 1  # done: the next session
    # A set logged by another program is seen at once.
    other = plan["exercises"][0]
    ok(runner, "log", other["id"], "--sets", "1", "--reps", "5", "--pain-during", "1")
    assert kept.session_plan("default")[0] == fresh()
    kept.close()
