"""The figure: forward kinematics against worked examples, placing, validation, and the picture."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kotcoach.base.errors import CatalogError, Problem
from kotcoach.catalogue.loading import check_catalog
from kotcoach.catalogue.models import Pose, PoseFrame
from kotcoach.cli import app
from kotcoach.figures.pose import Segments, joint_points, layout, pose_json, scene
from tests.conftest import MINI

WriteYaml = Callable[..., Path]
H = 1.75
SEG = Segments.of(H)


def frame(**angles: Any) -> PoseFrame:
    angles.setdefault("contacts", {"heel": "floor", "toe": "floor"})
    return PoseFrame.model_validate(angles)


def pose(*frames: dict[str, Any], **rest: Any) -> Pose:
    return Pose.model_validate({"frames": list(frames), **rest})


def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return math.dist(a, b) < 1e-9


# Worked examples: Winter's landmarks of a 1.75 m person standing, arms hanging.


def test_standing_figure_has_winters_landmark_heights() -> None:
    points = layout(pose({"contacts": {"heel": "floor", "toe": "floor"}})).frames[0]
    assert points["heel"][1] == pytest.approx(0.0)
    assert points["toe"][1] == pytest.approx(0.0)
    assert points["ankle"][1] == pytest.approx(0.039 * H)
    assert points["knee"][1] == pytest.approx(0.285 * H)
    assert points["hip"][1] == pytest.approx(0.530 * H)
    assert points["shoulder"][1] == pytest.approx(0.818 * H)
    assert points["elbow"][1] == pytest.approx(0.630 * H)
    assert points["head"][1] == pytest.approx((0.870 + 0.065) * H)  # halfway from chin to crown
    assert points["toe"][0] - points["heel"][0] == pytest.approx(0.152 * H)  # the foot's length
    # Standing tall, the joints stack over each other and the feet point forward (+x).
    for name in ("hip", "knee", "ankle", "shoulder", "spine", "head"):
        assert points[name][0] == pytest.approx(points["hip"][0])


def test_sitting_thigh_level_and_shin_upright() -> None:
    points = joint_points(frame(hip=90, knee=90), SEG)
    assert close(points["knee"], (0.245 * H, 0.0))  # straight ahead of the hip
    assert close(points["ankle"], (0.245 * H, -0.246 * H))  # straight below the knee


def test_trunk_leans_forward_and_back() -> None:
    lean = math.radians(30)
    points = joint_points(frame(trunk=30), SEG)
    assert close(points["shoulder"], (SEG.trunk * math.sin(lean), SEG.trunk * math.cos(lean)))
    back = joint_points(frame(trunk=-30), SEG)
    assert back["shoulder"][0] == pytest.approx(-points["shoulder"][0])


def test_signs_of_the_ankle_knee_and_shoulder() -> None:
    up = joint_points(frame(ankle=20), SEG)
    assert up["toe"][1] > up["heel"][1]  # dorsiflexion: toes up
    down = joint_points(frame(ankle=-20), SEG)
    assert down["toe"][1] < down["heel"][1]
    bent = joint_points(frame(knee=90), SEG)
    assert bent["ankle"][0] < bent["knee"][0]  # knee flexion takes the heel back
    reach = joint_points(frame(shoulder=90), SEG)
    shoulder = reach["shoulder"]
    assert close(reach["hand"], (shoulder[0] + SEG.upper_arm + SEG.forearm, shoulder[1]))


def test_segment_lengths_do_not_change_with_the_angles() -> None:
    a = joint_points(frame(trunk=40, spine=30, hip=110, knee=140, ankle=40, shoulder=150), SEG)
    for points in (a, joint_points(frame(), SEG)):
        assert math.dist(points["hip"], points["knee"]) == pytest.approx(SEG.thigh)
        assert math.dist(points["knee"], points["ankle"]) == pytest.approx(SEG.shank)
        assert math.dist(points["shoulder"], points["elbow"]) == pytest.approx(SEG.upper_arm)
        assert math.dist(points["heel"], points["toe"]) == pytest.approx(SEG.foot)


# Placing the figure on its surfaces.


def test_the_first_contact_stands_on_the_step() -> None:
    placed = layout(
        pose({"contacts": {"heel": "step", "toe": "step"}}, props=[{"kind": "step", "height": 0.2}])
    )
    points = placed.frames[0]
    assert points["heel"][1] == pytest.approx(0.2)
    step = placed.surfaces["step"]
    assert step.left <= points["heel"][0] and points["toe"][0] <= step.right
    assert placed.contact_errors() == []


def test_planted_foot_stays_put_between_frames() -> None:
    squat = {"trunk": 20, "hip": 100, "knee": 120, "ankle": 40}
    placed = layout(
        pose(
            {"contacts": {"toe": "floor", "heel": "floor"}},
            {**squat, "contacts": {"toe": "floor", "heel": "floor"}},
        )
    )
    start, end = placed.frames
    assert close(start["toe"], end["toe"])
    assert end["hip"][1] < start["hip"][1]
    assert placed.contact_errors() == []  # 20 - 100 + 120 = 40: the foot is flat


def test_a_wall_stands_behind_the_back_and_contacts_are_checked() -> None:
    sit = {"hip": 90, "knee": 90, "contacts": {"heel": "floor", "hip": "wall", "shoulder": "wall"}}
    placed = layout(pose(sit, props=[{"kind": "wall"}]))
    wall = placed.surfaces["wall"]
    assert wall.left == pytest.approx(placed.frames[0]["hip"][0] - 0.09)  # the body's depth
    assert placed.contact_errors() == []
    leaning = {**sit, "trunk": 30}  # the shoulders leave the wall
    errors = layout(pose(leaning, props=[{"kind": "wall"}])).contact_errors()
    assert [(i, name) for i, name, _, _ in errors] == [(0, "shoulder")]


def test_slant_board_tilts_the_feet() -> None:
    on_board = {"ankle": -25, "contacts": {"heel": "slant-board", "toe": "slant-board"}}
    placed = layout(pose(on_board, props=[{"kind": "slant-board", "angle": 25}]))
    points = placed.frames[0]
    assert points["heel"][1] > points["toe"][1]
    assert placed.contact_errors() == []


# Validation: ranges, unknown keys and props, with file:line:column.

POSED = MINI.replace(
    "    dose: {sets: 2, reps: 12}\n    areas: [back, hip]\n",
    "    dose: {sets: 2, reps: 12}\n    areas: [back, hip]\n"
    "    pose:\n"
    "      frames:\n"
    "        - {trunk: 10, hip: 20, contacts: {heel: floor, toe: floor}}\n"
    "        - trunk: 60\n"
    "          hip: 70\n"
    "          contacts: {heel: floor, toe: floor}\n",
)


def problems_of(path: Path) -> list[Problem]:
    try:
        catalog, problems = check_catalog(path)
    except CatalogError as error:
        return error.problems
    assert catalog is None
    return problems


def test_a_posed_catalogue_loads(write_yaml: WriteYaml) -> None:
    catalog, problems = check_catalog(write_yaml(POSED))
    assert problems == [] and catalog is not None
    hinge = catalog.exercises[-1]
    assert hinge.pose is not None and hinge.pose.frames[1].trunk == 60


def test_joint_out_of_range_points_at_its_line(write_yaml: WriteYaml) -> None:
    path = write_yaml(POSED.replace("hip: 70", "hip: 170"))
    (problem,) = problems_of(path)
    assert problem.loc == "exercises.3.pose.frames.1.hip"
    assert "less than or equal to 150" in problem.message
    lines = path.read_text().splitlines()
    assert problem.line is not None and lines[problem.line - 1].strip() == "hip: 170"
    assert problem.column == lines[problem.line - 1].index("170") + 1


def test_unknown_joint_is_refused_with_a_suggestion(write_yaml: WriteYaml) -> None:
    path = write_yaml(POSED.replace("hip: 70", "hips: 70"))
    (problem,) = problems_of(path)
    assert problem.loc == "exercises.3.pose.frames.1.hips"
    assert "did you mean 'hip'" in problem.message


def test_contact_on_a_missing_prop_is_refused(write_yaml: WriteYaml) -> None:
    path = write_yaml(POSED.replace("trunk: 60", "trunk: 60\n          contacts: {toe: step}"))
    problems = problems_of(path)
    assert any("duplicate key 'contacts'" in p.message for p in problems)
    path = write_yaml(
        POSED.replace("{trunk: 10, hip: 20, contacts: {heel: floor,", "{contacts: {heel: box,")
    )
    (problem,) = problems_of(path)
    assert problem.loc == "exercises.3.pose"
    assert "'box' is not among the props" in problem.message


def test_the_figure_must_stand_on_something(write_yaml: WriteYaml) -> None:
    text = POSED.replace("{trunk: 10, hip: 20, contacts: {heel: floor,", "{contacts: {hand: wall,")
    (problem,) = problems_of(write_yaml(text))
    assert problem.loc == "exercises.3.pose.frames.0"
    assert "the first contact stands the figure on a surface" in problem.message


def test_schema_includes_the_pose(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalog", "schema"])
    schema = json.loads(result.stdout)
    frame_schema = schema["$defs"]["PoseFrame"]["properties"]
    assert frame_schema["knee"]["maximum"] == 160
    assert schema["$defs"]["PoseFrame"]["additionalProperties"] is False
    assert "pose" in schema["$defs"]["Exercise"]["properties"]


def test_show_json_has_each_frames_points(write_yaml: WriteYaml, runner: CliRunner) -> None:
    path = write_yaml(POSED)
    result = runner.invoke(app, ["--catalog", str(path), "show", "lone-hinge", "--json"])
    assert result.exit_code == 0, result.stderr
    frames = json.loads(result.stdout)["pose"]["frames"]
    assert len(frames) == 2
    for name in (
        "head",
        "shoulder",
        "hip",
        "knee",
        "ankle",
        "heel",
        "toe",
        "back_knee",
        "back_toe",
    ):
        x, y = frames[1]["points"][name]
        assert isinstance(x, float) and isinstance(y, float)
    assert frames[0]["points"]["heel"] == [0.0, 0.0]
    assert frames[1]["points"]["shoulder"][1] < frames[0]["points"]["shoulder"][1]


# The picture.


def test_scene_has_a_panel_per_frame_a_motion_arrow_and_the_knee_line() -> None:
    squat = {"trunk": 20, "hip": 100, "knee": 120, "ankle": 40, "contacts": {"toe": "floor"}}
    drawing = scene(
        pose({"contacts": {"toe": "floor", "heel": "floor"}}, squat, knee_past_toes=True)
    )
    assert drawing.panels == 2
    heads = [c for c in drawing.circles if c.style == "body"]
    assert len(heads) == 2
    assert heads[1].centre[0] > drawing.width / 2 > heads[0].centre[0]  # side by side
    (arrow,) = [s for s in drawing.strokes if s.style == "motion"]
    assert arrow.points[1][1] < arrow.points[0][1]  # the hip goes down
    guides = [s for s in drawing.strokes if s.style == "guide"]
    assert len(guides) == 2  # the toe line, in each panel
    for stroke in drawing.strokes:
        for x, y in stroke.points:
            assert -1e-9 <= x <= drawing.width + 1e-9 and -1e-9 <= y <= drawing.height + 1e-9


def test_a_hold_has_one_panel_and_no_arrow() -> None:
    drawing = scene(pose({"hip": 90, "knee": 90, "contacts": {"heel": "floor"}}))
    assert drawing.panels == 1
    assert not [s for s in drawing.strokes if s.style == "motion"]


def test_pose_json_rounds_points_to_the_millimetre() -> None:
    data = pose_json(pose({"trunk": 33, "contacts": {"toe": "floor"}}))
    x, y = data["frames"][0]["points"]["shoulder"]
    assert round(x, 3) == x and round(y, 3) == y
    assert data["frames"][0]["trunk"] == 33


def test_the_documented_examples_draw_with_their_contacts_touching() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "catalogue.md").read_text()
    blocks = text.split("    pose:")[1:]
    assert len(blocks) == 2
    for block in blocks:
        example = yaml.safe_load("pose:" + block[: block.index("```")])["pose"]
        placed = layout(Pose.model_validate(example))
        assert placed.contact_errors() == []
        if placed.knee_past_toes:
            assert placed.frames[1]["knee"][0] > placed.frames[1]["toe"][0]


# The renderers.

SQUAT = pose(
    {"contacts": {"toe": "floor", "heel": "floor"}},
    {"trunk": 20, "hip": 100, "knee": 120, "ankle": 40, "contacts": {"toe": "floor"}},
    knee_past_toes=True,
)
BRAILLE = range(0x2800, 0x2900)


def test_terminal_figure_fits_the_width_and_rows() -> None:
    from kotcoach.render.figure import figure_rows, pose_text

    for width in (40, 60, 80):
        text = pose_text(SQUAT, width, figure_rows(width))
        lines = text.plain.split("\n")
        assert len(lines) <= figure_rows(width)
        assert max(len(line) for line in lines) <= width
        assert all(ord(c) in BRAILLE or c == " " for line in lines for c in line)
        assert any(span.style == "bold" for span in text.spans)  # the body
    assert figure_rows(40) == 10 and figure_rows(80) == 14 and figure_rows(200) == 16


def test_terminal_figure_fills_the_lines_or_the_width_it_has() -> None:
    from kotcoach.render.figure import pose_text

    kneeling = pose({"trunk": 0, "hip": 0, "knee": 90, "ankle": 0, "contacts": {"knee": "floor"}})
    for figure in (SQUAT, kneeling):
        for width, rows in ((80, 14), (40, 10), (60, 12)):
            lines = pose_text(figure, width, rows).plain.split("\n")
            # One side of the box is filled: a low figure is not kept at a standing one's scale.
            assert len(lines) == rows or max(len(line) for line in lines) >= width - 1


def test_terminal_body_lines_are_two_dots_thick_and_small_heads_solid() -> None:
    from kotcoach.figures.braille import Canvas

    thin, thick = Canvas(1, 2), Canvas(1, 2)
    thin.line((0, 0), (0, 7), "body")
    thick.line((0, 0), (0, 7), "body", thick=True)
    assert thin.plain() == "\u2847\n\u2847"  # one column of dots: ⡇
    assert thick.plain() == "\u28ff\n\u28ff"  # both columns: ⣿
    flat = Canvas(2, 1)
    flat.line((0, 2), (3, 2), "body", thick=True)
    assert flat.plain() == "\u28e4\u28e4"  # rows 2 and 3 of both columns: ⣤⣤
    head = Canvas(4, 2)
    head.disc((3.5, 3.5), 3.0, "body")
    # filled to its centre (dots 3 and 4 across and down), not a ring
    assert head.bits[0][1] & 0x80 and head.bits[1][2] & 0x01
    assert head.plain() == "\u28a0\u28f6\u28f6\u2844\n\u2818\u283f\u283f\u2803"  # ⢠⣶⣶⡄ ⠘⠿⠿⠃


def test_no_braille_where_the_output_cannot_hold_it() -> None:
    from kotcoach.render.figure import exercise_figure

    assert exercise_figure(SQUAT, 80, "ascii") is None
    assert exercise_figure(None, 80, "utf-8") is None
    figure = exercise_figure(SQUAT, 80, "utf-8")
    assert figure is not None and figure.plain.strip()


def test_svg_is_well_formed_and_fits_its_box() -> None:
    import xml.etree.ElementTree as ET

    from kotcoach.export.figure_svg import pose_svg

    svg = pose_svg(SQUAT, (300, 100), label="Squat <deep> & slow")
    root = ET.fromstring(svg)
    assert int(root.get("width", "0")) <= 300 and int(root.get("height", "0")) <= 100
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{namespace}title") is not None
    assert len(root.findall(f".//{namespace}circle")) == 2  # a head in each frame
    dashed = [e for e in root.iter() if e.get("stroke-dasharray")]
    assert len(dashed) == 2  # the knee-past-toes line in each frame


def test_pdf_figure_draws_vector_paths_inside_its_box() -> None:
    from fpdf import FPDF

    from kotcoach.export.figure_pdf import draw_scene

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_compression(False)
    pdf.add_page()
    used = draw_scene(pdf, scene(SQUAT), 10, 10, 60, 30)
    assert 0 < used <= 60
    content = bytes(pdf.output()).decode("latin-1")
    assert content.count(" l\n") + content.count(" l ") > 20  # line segments, not an image
    assert "/Subtype /Image" not in content


def posed_catalogue(write_yaml: WriteYaml) -> list[str]:
    return ["--catalog", str(write_yaml(POSED))]


def test_show_draws_the_figure_only_when_asked_or_on_a_terminal(
    write_yaml: WriteYaml, runner: CliRunner
) -> None:
    base = posed_catalogue(write_yaml)
    piped = runner.invoke(app, [*base, "show", "lone-hinge"])
    assert piped.exit_code == 0
    assert not any(ord(c) in BRAILLE for c in piped.stdout)  # into a pipe: off
    asked = runner.invoke(app, [*base, "show", "lone-hinge", "--pictures"])
    first = asked.stdout.split("Lone hinge")[0]
    assert any(ord(c) in BRAILLE for c in first)  # the figure comes first
    refused = runner.invoke(app, [*base, "show", "lone-hinge", "--no-pictures"])
    assert refused.stdout == piped.stdout
    unposed = runner.invoke(app, [*base, "show", "step-one", "--pictures"])
    assert unposed.exit_code == 0 and not any(ord(c) in BRAILLE for c in unposed.stdout)


def test_card_draws_a_figure_above_each_posed_card(
    write_yaml: WriteYaml, runner: CliRunner
) -> None:
    base = posed_catalogue(write_yaml)
    result = runner.invoke(app, [*base, "card", "lone-hinge", "step-one", "--pictures"])
    assert result.exit_code == 0
    before_hinge, after_hinge = result.stdout.split("Lone hinge", 1)
    assert any(ord(c) in BRAILLE for c in before_hinge)
    assert not any(ord(c) in BRAILLE for c in after_hinge)  # step-one has no pose


def test_a_toes_high_slant_board_and_a_frame_placed_at_x() -> None:
    stretch = {"ankle": 20, "contacts": {"heel": "slant-board", "toe": "slant-board"}}
    placed = layout(pose(stretch, props=[{"kind": "slant-board", "angle": -20}]))
    points = placed.frames[0]
    assert points["toe"][1] > points["heel"][1]
    assert placed.contact_errors() == []
    landing = {"hip": 60, "knee": 70, "ankle": 10, "x": 0.5, "contacts": {"toe": "floor"}}
    stand = {"contacts": {"toe": "box", "heel": "box"}}
    drop = layout(pose(stand, landing, props=[{"kind": "box", "height": 0.3}]))
    assert drop.frames[0]["toe"][1] == pytest.approx(0.3)
    assert drop.frames[1]["toe"] == pytest.approx((0.5, 0.0))


def test_machine_props_are_drawn_at_their_points() -> None:
    seated = {"hip": 95, "knee": 60, "contacts": {"hip": "chair"}}
    props = [
        {"kind": "chair", "height": 0.55},
        {"kind": "pad", "at": "ankle", "to": "knee"},
        {"kind": "backpack", "at": "spine"},
    ]
    drawing = scene(pose(seated, props=props))
    points = layout(pose(seated, props=props)).frames[0]
    pads = [c for c in drawing.circles if c.style == "prop" and c.filled]
    assert len(pads) == 1
    offset = pads[0].centre[0] - points["ankle"][0]  # the scene is shifted by its left margin
    levers = [s for s in drawing.strokes if s.style == "prop" and len(s.points) == 2]
    assert any(
        s.points[1] == pytest.approx((points["knee"][0] + offset, points["knee"][1]))
        for s in levers
    )
