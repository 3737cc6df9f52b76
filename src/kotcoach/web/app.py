"""The web app: the pages a phone opens, and the four kinds of result it sends.

Server-rendered HTML (Jinja, autoescaped) and one small script for the guided session, all served
from this package: nothing from a CDN, no web fonts, nothing fetched from outside. The profile a
phone trains as lives in a cookie of its own (two phones, two people), never in an address; no
address carries health data, and no access log is written.

`create_app` wraps the routes in `security.Guard`, which every request passes first.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kotcoach.base.errors import KotcoachError
from kotcoach.web.logbook import MEASURES, Catalogue, Gap, Logbook, Refused
from kotcoach.web.security import FailureLimit, Guard, csrf_token

HERE = Path(__file__).parent
PROFILE_COOKIE = "kotcoach_profile"
FIGURE_BOX = (360, 260)


class Site:
    """The routes' shared state: the log, the templates, the CSRF token, the figures drawn."""

    def __init__(self, logbook: Logbook, token: str) -> None:
        self.logbook = logbook
        self.csrf = csrf_token(token)
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._figures: dict[str, str] = {}

    def page(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        html = self.templates.get_template(template).render(
            csrf=self.csrf, here=request.url.path, **context
        )
        return HTMLResponse(html, status, headers={"cache-control": "no-store"})

    def figure(self, exercise_id: str) -> str | None:
        """The exercise's moving figure as inline SVG (drawn once per server), or None."""
        if exercise_id not in self._figures:
            from markupsafe import Markup

            from kotcoach.export.figure_motion import moving_svg

            found = self.logbook.catalogue.index().by_id.get(exercise_id)
            svg = ""
            if found is not None and found.pose is not None:
                svg = moving_svg(found.pose, FIGURE_BOX, found.name)
            self._figures[exercise_id] = Markup(svg)  # built from numbers; its title is escaped
        return self._figures[exercise_id] or None


def _profile(request: Request) -> str | None:
    raw = request.cookies.get(PROFILE_COOKIE)
    return unquote(raw) if raw else None


def _message(site: Site, request: Request, heading: str, *lines: str, **extra: Any) -> Response:
    return site.page(request, "message.html", title=heading, heading=heading, lines=lines, **extra)


# --- pages ----------------------------------------------------------------------------------------


def routes(site: Site) -> list[Route | Mount]:
    logbook = site.logbook

    async def choose(request: Request) -> Response:
        found = await run_in_threadpool(logbook.profiles)
        return site.page(
            request, "profiles.html", title="Profiles", profiles=found, profile=_profile(request)
        )

    async def pick(request: Request) -> Response:
        form = await request.form()
        name = str(form.get("profile", ""))
        if not await run_in_threadpool(logbook.known_profile, name):
            return _message(site, request, "No such profile", "Pick one from the list.")
        response = RedirectResponse("/today", status_code=303)
        response.set_cookie(
            PROFILE_COOKIE,
            quote(name, safe=""),
            max_age=30 * 86400,
            httponly=True,
            samesite="strict",
        )
        return response

    def profile_or_pick(request: Request) -> str | Response:
        name = _profile(request)
        if name is None or not logbook.known_profile(name):
            return RedirectResponse("/", status_code=303)
        return name

    def no_programme(request: Request, name: str) -> Response:
        return _message(
            site,
            request,
            "No programme yet",
            f"Profile {name} has no programme. On the computer, make one:",
            command=f"kotcoach --profile {name} start",
            profile=name,
        )

    def programme_view(
        request: Request,
        template: str,
        title: str,
        read: Callable[[str], dict[str, Any] | None],
    ) -> Response:
        """A page of the profile's programme: the profile picked (else the picker), `read(name)`
        the page's data (None without a programme). One trip to a worker thread for the whole
        page: each trip waits its turn on a busy server, and these are the pages a phone opens
        most."""
        name = profile_or_pick(request)
        if isinstance(name, Response):
            return name
        context = read(name)
        if context is None:
            return no_programme(request, name)
        return site.page(request, template, title=title, profile=name, **context)

    def today_data(name: str) -> dict[str, Any] | None:
        today, data = logbook.today(name)
        if today is None or data is None:
            return None
        return {"today": data, "left": bool(today.remaining), "started": bool(today.done)}

    async def today_page(request: Request) -> Response:
        return await run_in_threadpool(programme_view, request, "today.html", "Today", today_data)

    async def today_api(request: Request) -> Response:
        name = await run_in_threadpool(profile_or_pick, request)
        if isinstance(name, Response):
            return JSONResponse({"error": "pick a profile first"}, 409)
        _, data = await run_in_threadpool(logbook.today, name)
        if data is None:
            return JSONResponse({"error": "no programme"}, 404)
        return JSONResponse(data, headers={"cache-control": "no-store"})

    def session_data(name: str) -> dict[str, Any] | None:
        data, planned, referral = logbook.session_plan(name)
        if data is None:
            return None
        figures = [
            {"id": exercise, "svg": svg}
            for exercise in planned
            if (svg := site.figure(exercise)) is not None
        ]
        return {"plan": data, "figures": figures, "referral": referral}

    async def session_page(request: Request) -> Response:
        return await run_in_threadpool(
            programme_view, request, "session.html", "Session", session_data
        )

    async def checkin_page(request: Request) -> Response:
        name = await run_in_threadpool(profile_or_pick, request)
        if isinstance(name, Response):
            return name
        areas = await run_in_threadpool(logbook.checkin_areas, name)
        if request.method == "GET":
            return site.page(request, "checkin.html", title="Check-in", profile=name, areas=areas)
        form = await request.form()
        pain: dict[str, int] = {}
        stiffness: dict[str, int] = {}
        try:
            for area in areas:
                for kind, into in (("pain", pain), ("stiffness", stiffness)):
                    raw = str(form.get(f"{kind}-{area}", "")).strip()
                    if raw:
                        into[area] = _score(raw, f"{kind} in the {area}")
            if set(pain) != set(areas):
                raise Refused("give the pain this morning for every area")
            on, saved, notes = await run_in_threadpool(logbook.checkin, name, pain, stiffness)
        except KotcoachError as error:
            return site.page(
                request,
                "checkin.html",
                400,
                title="Check-in",
                profile=name,
                areas=areas,
                error=str(error),
            )
        return site.page(
            request,
            "checkin.html",
            title="Check-in",
            profile=name,
            on=on.isoformat(),
            saved=saved,
            notes=notes,
        )

    async def history_page(request: Request) -> Response:
        name = await run_in_threadpool(profile_or_pick, request)
        if isinstance(name, Response):
            return name
        sessions = await run_in_threadpool(logbook.history, name)
        shown = [
            {
                "date": s.date.isoformat(),
                "session": None if s.slot is None else s.slot + 1,
                "pain_after": s.pain_after,
                "note": s.note,
                "exercises": [
                    {
                        "name": log.name,
                        "status": log.status.value,
                        "done": log.describe_done(),
                        "target": log.target.describe() if log.target else None,
                        "pain_during": log.pain_during,
                        "note": log.note,
                    }
                    for log in s.exercises
                ],
            }
            for s in reversed(sessions)
        ]
        return site.page(request, "history.html", title="History", profile=name, sessions=shown)

    async def progress_page(request: Request) -> Response:
        name = await run_in_threadpool(profile_or_pick, request)
        if isinstance(name, Response):
            return name
        found = await run_in_threadpool(_progress, logbook, name)
        return site.page(request, "progress.html", title="Progress", profile=name, **found)

    async def calendar(request: Request) -> Response:
        name = await run_in_threadpool(profile_or_pick, request)
        if isinstance(name, Response):
            return name
        data = await run_in_threadpool(_calendar, logbook, name)
        if data is None:
            return no_programme(request, name)
        return Response(
            data,
            media_type="text/calendar; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="kotcoach-training.ics"',
                "cache-control": "no-store",
            },
        )

    # --- results from the guided session ----------------------------------------------------------

    def apply(kind: str, body: dict[str, Any]) -> Response:
        """Check one result and write it (in a worker thread, in one trip)."""
        try:
            name = _text(body, "profile")
            if not logbook.known_profile(name):
                raise Refused(f"no profile is called {name}")
            on = _day(body)
            slot = _int(body, "slot", 0, 100_000)
            if kind == "pain-after":
                logbook.pain_after(name, on, slot, _int(body, "pain", 0, 10))
                return JSONResponse({"saved": True})
            exercise = _text(body, "exercise")
            if kind == "set":
                measure = _text(body, "measure")
                if measure not in MEASURES:
                    raise Refused(f"measure must be one of {', '.join(MEASURES)}")
                from kotcoach.coaching.session.machine import LIMITS

                number = _int(body, "number", 1, 20)
                value = _int(body, "value", 1, LIMITS[measure])
                load = _load(body)
                new = logbook.log_set(name, on, slot, exercise, number, measure, value, load)
                return JSONResponse({"saved": True, "repeat": not new})
            if kind == "pain":
                pain = _int(body, "pain", 0, 10)
                logbook.pain_during(name, on, slot, exercise, pain)
                return JSONResponse({"saved": True, "stopped": pain > 5})
            logbook.skip(name, on, slot, exercise)
            return JSONResponse({"saved": True})
        except Gap as error:
            return _refuse(str(error), 409)
        except KotcoachError as error:
            return _refuse(str(error), 422)

    async def result(request: Request, kind: str) -> Response:
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _refuse("the body is not JSON")
        if not isinstance(body, dict):
            return _refuse("the body is not a JSON object")
        return await run_in_threadpool(apply, kind, body)

    def poster(kind: str) -> Any:
        async def endpoint(request: Request) -> Response:
            return await result(request, kind)

        return endpoint

    return [
        Route("/", choose),
        Route("/profile", pick, methods=["POST"]),
        Route("/today", today_page),
        Route("/api/today", today_api),
        Route("/session", session_page),
        Route("/checkin", checkin_page, methods=["GET", "POST"]),
        Route("/history", history_page),
        Route("/progress", progress_page),
        Route("/calendar.ics", calendar),
        *(Route(f"/api/{k}", poster(k), methods=["POST"]) for k in ("set", "pain", "skip")),
        Route("/api/pain-after", poster("pain-after"), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def _refuse(text: str, status: int = 400) -> Response:
    return Response(text, status, media_type="text/plain; charset=utf-8")


def _text(body: dict[str, Any], key: str, limit: int = 100) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise Refused(f"{key} must be text of 1 to {limit} characters")
    return value


def _int(body: dict[str, Any], key: str, low: int, high: int) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"{key} must be a whole number from {low} to {high}")
    return value


def _day(body: dict[str, Any]) -> dt.date:
    text = _text(body, "date", 10)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused("date must be YYYY-MM-DD") from None


def _load(body: dict[str, Any]) -> float | None:
    """The set's optional load, kg per rep (`load_kg`), checked as `log --load` checks it."""
    raw = body.get("load_kg")
    if raw is None:
        return None
    from kotcoach.base.errors import UsageError
    from kotcoach.store.records import check_load

    try:
        return check_load(raw, "load_kg")
    except UsageError as error:
        raise Refused(str(error)) from None


def _score(raw: str, what: str) -> int:
    if not (raw.isascii() and raw.isdigit() and int(raw) <= 10):
        raise Refused(f"{what} must be a whole number from 0 to 10")
    return int(raw)


def _progress(logbook: Logbook, profile: str) -> dict[str, Any]:
    """The report's charts (as images) and the ladders, for the progress page."""
    from kotcoach.coaching.progress import build_progress
    from kotcoach.coaching.today import person_of_store

    index = logbook.catalogue.index()
    on = logbook.clock()
    with logbook.store() as store:
        programme = store.programme(profile)
        person = person_of_store(index, store, profile, programme)
        logs = store.entry_history(profile)
        checkins = store.checkins(profile)
        assessments = store.assessments(profile)
        score_records = store.scores(profile)
    progress = build_progress(
        index, logs, checkins, assessments, programme, person, on, score_records=score_records
    )
    ladders = []
    for ladder in progress.ladders:
        now = index.exercise(ladder.steps[ladder.current - 1]).name if ladder.current else "—"
        ladders.append((ladder.name, f"{ladder.current} of {len(ladder.steps)}", now))
    charts: list[dict[str, str]] = []
    why = "Nothing logged yet: the charts start with the first session."
    if progress.first:
        from kotcoach.export.chart import svg
        from kotcoach.export.report import WIDE, figures

        said = []
        for figure in figures(progress):
            if figure.chart is None:  # nothing to draw (flat, or no scores): its sentence
                said.append(figure.sentence)
                continue
            drawn = svg(figure.chart, *WIDE, "chart")
            data = base64.b64encode(drawn.encode()).decode()
            charts.append({"title": figure.title, "data": data})
        why = " ".join(s for s in said if s) or why
    from kotcoach.coaching.progress import summary_lines

    return {
        "summary": summary_lines(progress) if progress.first else [],
        "charts": charts,
        "why_no_charts": why,
        "ladders": ladders,
        "referral": progress.referral,
    }


def _calendar(logbook: Logbook, profile: str) -> bytes | None:
    from kotcoach.export.calendar import programme_calendar

    on = logbook.clock()
    with logbook.store() as store:
        programme = store.programme(profile)
    if programme is None:
        return None
    return programme_calendar(programme.sessions, on, owner=profile)


def warm(app: Guard) -> None:
    """Read the whole catalogue in the background (once serving: the first session page would
    otherwise wait for it). A catalogue that cannot be read is said on the first page needing it."""
    logbook: Logbook = app.app.state.logbook  # type: ignore[attr-defined]

    def read() -> None:
        with contextlib.suppress(KotcoachError):
            logbook.catalogue.index()

    threading.Thread(target=read, daemon=True).start()


def create_app(
    token: str,
    hosts: list[str],
    catalog_path: Path,
    *,
    clock: Any = None,
    limit: FailureLimit | None = None,
) -> Guard:
    """The whole app behind its guard. `hosts`: the Host header values this server answers to."""
    logbook = Logbook(Catalogue(catalog_path), clock or dt.date.today)
    site = Site(logbook, token)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        logbook.close()

    async def trouble(request: Request, error: Exception) -> Response:
        # A problem with the log or the catalogue (busy, unreadable): one line, as the CLI
        # says it, not a traceback; the page can simply be loaded again.
        heading = "Something is in the way"
        return site.page(
            request, "message.html", 503, title=heading, heading=heading, lines=[str(error)]
        )

    app = Starlette(
        routes=routes(site), lifespan=lifespan, exception_handlers={KotcoachError: trouble}
    )
    app.state.logbook = logbook
    return Guard(app, token=token, hosts=hosts, limit=limit)
