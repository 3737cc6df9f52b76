"""Figures a person can follow (issue 24): the way a walker or a sled moves, short motion
arrows, the fixed bridge and calf raise, and --no-pictures in every export."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.cli import app
from kotcoach.figures.pose import MOTION_MAX, layout, scene


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_catalog(builtin_catalog_path()))


def _arrows(index: Index, exercise_id: str) -> list[tuple[tuple[float, float], ...]]:
    pose = index.exercise(exercise_id).pose
    assert pose is not None
    return [s.points for s in scene(pose).strokes if s.style == "motion"]


@pytest.mark.parametrize(
    ("exercise_id", "way"),
    [("backward-walk", -1), ("sled-drag-backward", -1), ("sled-push", 1)],
)
def test_walking_and_sled_work_show_which_way_the_person_moves(
    index: Index, exercise_id: str, way: int
) -> None:
    arrows = _arrows(index, exercise_id)
    assert arrows, exercise_id
    for points in arrows:  # a floor arrow in each frame, its tip (points[1]) the way of travel
        tail, tip = points[0], points[1]
        assert tail[1] == tip[1] == pytest.approx(0.1)
        assert (tip[0] - tail[0]) * way > 0.2, (exercise_id, tail, tip)


def test_motion_arrows_are_short(index: Index) -> None:
    # The assisted squat's arrow ran from far above the head down to it: a line rising from
    # the head.
    for exercise in index.catalog.exercises:
        if exercise.pose is None:
            continue
        for points in _arrows(index, exercise.id):
            assert math.dist(points[0], points[1]) <= MOTION_MAX, exercise.id


def test_the_bridge_lifts_the_hips_and_the_calf_raise_keeps_the_ball_down(index: Index) -> None:
    bridge = index.exercise("hamstring-bridge").pose
    assert bridge is not None
    start, end = layout(bridge).frames
    assert end["hip"][1] - start["hip"][1] >= 0.2  # it once rose a few centimetres
    raise_ = index.exercise("fhl-calf-raise-floor").pose
    assert raise_ is not None
    low, high = layout(raise_).frames
    lift = high["heel"][1] - low["heel"][1]
    assert 0.06 <= lift <= 0.14, lift  # a rigid foot tipped 40 degrees went through the floor


@pytest.mark.parametrize("suffix", [".html", ".md", ".pdf"])
def test_no_pictures_is_honoured_in_every_export(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    sizes = {}
    for flag in ("--pictures", "--no-pictures"):
        target = tmp_path / f"cards{flag}{suffix}"
        result = runner.invoke(app, ["card", "wall-sit", "--export", str(target), flag])
        assert result.exit_code == 0, result.output
        sizes[flag] = target.read_bytes()
        plan = tmp_path / f"plan{flag}{suffix}"
        result = runner.invoke(app, ["plan", "--export", str(plan), flag])
        assert result.exit_code == 0, result.output
        if suffix == ".html":
            assert (b"<svg" in plan.read_bytes()) is (flag == "--pictures")
            assert (b"<svg" in target.read_bytes()) is (flag == "--pictures")
    if suffix == ".pdf":
        assert len(sizes["--no-pictures"]) < len(sizes["--pictures"])
