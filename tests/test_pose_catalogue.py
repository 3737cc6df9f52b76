"""Every pose in the shipped catalogue draws a sound figure (issue 12's proof)."""

from __future__ import annotations

import math
from functools import cache

import pytest

from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.models import Pose
from kotcoach.catalogue.read import load_catalog
from kotcoach.figures.pose import FLOOR_TOLERANCE, Layout, layout

# The knees-over-toes exercises: the knee travels past the toes, and the figure shows it.
KNEES_OVER_TOES = {
    "atg-deep-squat",
    "atg-deep-squat-goblet",
    "deep-squat-hold",
    "knee-to-wall-rock",
    "poliquin-step-slant",
    "snap-down-landing",
    "landing-stick-hold",
    "split-squat-partial-supported",
    "sled-drag-heavy",
    "sled-push",
    "sled-push-heavy",
    "kot-calf-raise",
    "kot-calf-raise-single",
    "kot-calf-raise-loaded",
    "patrick-step-low",
    "patrick-step-high",
    "patrick-step-loaded",
    "atg-split-squat-raised",
    "atg-split-squat-low",
    "atg-split-squat-flat",
    "atg-split-squat-loaded",
    "kot-squat-assisted",
    "slant-board-squat",
    "slant-board-squat-loaded",
    "decline-squat",
    "decline-squat-single-leg",
    "step-down-assisted",
    "step-down",
    "step-down-loaded",
    "sissy-squat-assisted",
    "sissy-squat",
    "sissy-squat-loaded",
}
SEGMENTS = (
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "heel"),
    ("heel", "toe"),
    ("hip", "back_knee"),
    ("back_knee", "back_ankle"),
    ("hip", "spine"),
    ("spine", "shoulder"),
    ("shoulder", "head"),
    ("shoulder", "elbow"),
    ("elbow", "hand"),
)


@cache
def poses() -> dict[str, Pose]:
    catalog = load_catalog(builtin_catalog_path())
    return {e.id: e.pose for e in catalog.exercises if e.pose is not None}


@cache
def placed(exercise_id: str) -> Layout:
    return layout(poses()[exercise_id])


def test_every_exercise_has_a_pose() -> None:
    ids = [e.id for e in load_catalog(builtin_catalog_path()).exercises]
    missing = [i for i in ids if i not in poses()]
    assert not missing, f"exercises without a pose (docs/catalogue.md, 'A pose'): {missing}"


def test_knees_over_toes_exercises_are_marked() -> None:
    marked = {key for key, pose in poses().items() if pose.knee_past_toes}
    assert marked == KNEES_OVER_TOES


@pytest.mark.parametrize("exercise_id", sorted(poses()))
def test_pose_draws_a_sound_figure(exercise_id: str) -> None:
    figure = placed(exercise_id)
    first = figure.frames[0]
    for points in figure.frames:
        for a, b in SEGMENTS:
            assert math.dist(points[a], points[b]) == pytest.approx(math.dist(first[a], first[b]))
        low = {name: y for name, (_, y) in points.items() if y < -FLOOR_TOLERANCE}
        assert not low, f"below the floor: {low}"
        assert points["head"][1] - figure.seg.head_radius >= -FLOOR_TOLERANCE
    assert figure.contact_errors() == []
    if figure.knee_past_toes:
        assert any(points["knee"][0] > points["toe"][0] for points in figure.frames)
