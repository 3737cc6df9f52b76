"""An exercise's figure as one panel that moves between the pose's start and end frames.

The same drawing as the handouts' (`figures.pose.scene`, drawn with `figure_svg`'s look): the
scene's panels are laid over one another, and SVG's own animation (no script) moves each line
and joint from the first frame to the last and back. When the two frames are not drawn with the
same strokes (a prop held in one only, a leg hidden behind the other), the frames cross-fade
instead. A pose of one frame (a hold) stands still. Pure: a string out.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from kotcoach.export.figure_svg import _attrs
from kotcoach.figures.pose import _GAP, Circle, Scene, Stroke, fit_scale, scene, split_panels

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose

SECONDS = 3.2  # one repetition, down and up: slow enough to follow, about a rep's tempo


def _alike(a: tuple[list[Stroke], list[Circle]], b: tuple[list[Stroke], list[Circle]]) -> bool:
    strokes_a, circles_a = a
    strokes_b, circles_b = b
    return (
        len(strokes_a) == len(strokes_b)
        and len(circles_a) == len(circles_b)
        and all(
            (s.style, s.closed, s.filled, len(s.points))
            == (t.style, t.closed, t.filled, len(t.points))
            for s, t in zip(strokes_a, strokes_b, strict=True)
        )
        and all(
            (c.style, c.filled, c.radius) == (d.style, d.filled, d.radius)
            for c, d in zip(circles_a, circles_b, strict=True)
        )
    )


def _coords(stroke: Stroke) -> str:
    return " ".join(f"{x:.3f},{y:.3f}" for x, y in stroke.points)


def _animate(attribute: str, start: str, end: str) -> str:
    if start == end:
        return ""
    return (
        f'<animate attributeName="{attribute}" values="{start};{end};{end};{start};{start}" '
        f'keyTimes="0;0.4;0.5;0.9;1" dur="{SECONDS}s" repeatCount="indefinite"/>'
    )


def _frame(strokes: list[Stroke], circles: list[Circle], extra: str = "") -> str:
    parts = [f"<g{extra}>"]
    for stroke in strokes:
        tag = "polygon" if stroke.closed else "polyline"
        parts.append(f'<{tag} points="{_coords(stroke)}" {_attrs(stroke.style, stroke.filled)}/>')
    for c in circles:
        parts.append(
            f'<circle cx="{c.centre[0]:.3f}" cy="{c.centre[1]:.3f}" r="{c.radius:.3f}" '
            f"{_attrs(c.style, c.filled)}/>"
        )
    parts.append("</g>")
    return "".join(parts)


def moving_svg(pose: Pose, box: tuple[float, float] = (360, 300), label: str = "") -> str:
    """An inline <svg> of one panel, fitted to `box` (width, height) in pixels."""
    drawing = scene(pose)
    panels = split_panels(drawing, "motion")
    count = max(drawing.panels, 1)
    width = (drawing.width - (count - 1) * _GAP) / count
    one = Scene(width, drawing.height, (), (), 1)
    scale = fit_scale(one, *box)
    parts = [
        f'<svg class="pose" role="img" width="{round(width * scale)}" '
        f'height="{round(drawing.height * scale)}" viewBox="0 0 {width:.3f} {drawing.height:.3f}" '
        'stroke-linecap="round" stroke-linejoin="round">'
    ]
    if label:
        parts.append(f"<title>{escape(label)}</title>")
    parts.append(f'<g transform="matrix(1 0 0 -1 0 {drawing.height:.3f})">')
    first, last = panels[0], panels[-1]
    if len(panels) == 1:
        parts.append(_frame(*first))
    elif _alike(first, last):
        parts.append("<g>")
        for s, t in zip(first[0], last[0], strict=True):
            tag = "polygon" if s.closed else "polyline"
            start, end = _coords(s), _coords(t)
            parts.append(
                f'<{tag} points="{start}" {_attrs(s.style, s.filled)}>'
                f"{_animate('points', start, end)}</{tag}>"
            )
        for c, d in zip(first[1], last[1], strict=True):
            parts.append(
                f'<circle cx="{c.centre[0]:.3f}" cy="{c.centre[1]:.3f}" r="{c.radius:.3f}" '
                f"{_attrs(c.style, c.filled)}>"
                f"{_animate('cx', f'{c.centre[0]:.3f}', f'{d.centre[0]:.3f}')}"
                f"{_animate('cy', f'{c.centre[1]:.3f}', f'{d.centre[1]:.3f}')}</circle>"
            )
        parts.append("</g>")
    else:
        fade = (
            '<animate attributeName="opacity" values="{0}" keyTimes="0;0.4;0.5;0.9;1" '
            f'dur="{SECONDS}s" repeatCount="indefinite"/>'
        )
        parts.append(_frame(*first, ' opacity="1"')[:-4] + fade.format("1;0;0;1;1") + "</g>")
        parts.append(_frame(*last, ' opacity="0"')[:-4] + fade.format("0;1;1;0;0") + "</g>")
    parts.append("</g></svg>")
    return "".join(parts)
