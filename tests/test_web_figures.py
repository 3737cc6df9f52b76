"""The phone's moving figures: the handouts' drawing, one panel, moving from start to end."""

from __future__ import annotations

import re

from kotcoach.catalogue.read import load_index
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.export.figure_motion import moving_svg
from kotcoach.figures.pose import scene


def test_every_figure_of_the_catalogue_moves_or_stands_as_its_frames_say() -> None:
    index = load_index(builtin_catalog_path())
    kinds = {"morph": 0, "fade": 0, "still": 0}
    for exercise in index.by_id.values():
        if exercise.pose is None:
            continue
        svg = moving_svg(exercise.pose, (360, 260), exercise.name)
        assert svg.startswith('<svg class="pose"') and svg.endswith("</svg>")
        frames = len(exercise.pose.frames)
        if frames == 1:
            assert "<animate" not in svg, exercise.id  # a hold stands still
            kinds["still"] += 1
        elif 'attributeName="opacity"' in svg:
            kinds["fade"] += 1
        else:
            assert 'attributeName="points"' in svg, exercise.id
            kinds["morph"] += 1
        width = float(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
        assert width <= 360
    assert kinds["morph"] > 3 * (kinds["fade"] + kinds["still"])  # most move joint by joint


def test_a_moving_figure_goes_from_the_first_frame_to_the_last_and_back() -> None:
    index = load_index(builtin_catalog_path())
    pose = index.by_id["tib-raise-wall"].pose
    assert pose is not None and len(pose.frames) == 2
    svg = moving_svg(pose, (360, 260), "Tib <raise>")
    assert "<title>Tib &lt;raise&gt;</title>" in svg
    values = re.findall(r'values="([^"]+)"', svg)
    assert values
    for value in values:
        start, end, end_again, back, back_again = value.split(";")
        assert start == back == back_again and end == end_again and start != end
    # One panel: as wide as one frame of the handout's two-panel scene.
    drawing = scene(pose)
    view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert view is not None
    assert float(view.group(1)) < drawing.width / 2
    assert abs(float(view.group(2)) - drawing.height) < 0.001
