"""An exercise's figure as inline SVG, for HTML handouts. Pure: a string out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose
    from kotcoach.figures.pose import Scene, Style

from kotcoach.figures.pose import fit_scale

# stroke colour, stroke width (in metres of the figure), dash pattern
_LOOK: dict[str, tuple[str, float, str]] = {
    "body": ("#222", 0.035, ""),
    "far": ("#999", 0.03, ""),
    "prop": ("#777", 0.012, ""),
    "band": ("#b5651d", 0.014, "0.04 0.025"),
    "guide": ("#c0392b", 0.012, "0.05 0.035"),
    "motion": ("#7a9cc6", 0.014, ""),
    "floor": ("#aaa", 0.01, ""),
}
_FILL = "#e8e8e8"


def _attrs(style: Style, filled: bool) -> str:
    colour, width, dash = _LOOK[style]
    fill = _FILL if filled and style == "prop" else (colour if filled else "none")
    text = f'stroke="{colour}" stroke-width="{width}" fill="{fill}"'
    return text + (f' stroke-dasharray="{dash}"' if dash else "")


def scene_svg(
    drawing: Scene,
    box: tuple[float, float] = (320, 110),
    label: str = "",
    unit: str = "",
    standalone: bool = False,
    scale: float | None = None,
) -> str:
    """The scene as one <svg> element fitted to a box (width, height), in pixels or `unit`.

    Inline in HTML it needs no namespace (and a handout names no web address); a standalone
    .svg file does. `scale` (units a metre), when given, sets the size instead of the box."""
    if scale is None:
        scale = fit_scale(drawing, *box)
    width, height = drawing.width * scale, drawing.height * scale
    size = f'width="{width:.1f}{unit}" height="{height:.1f}{unit}"'
    if not unit:
        size = f'width="{round(width)}" height="{round(height)}"'
    parts = [
        "<svg"
        + (' xmlns="http://www.w3.org/2000/svg"' if standalone else "")
        + f' class="pose" role="img" {size} '
        f'viewBox="0 0 {drawing.width:.3f} {drawing.height:.3f}" '
        f'stroke-linecap="round" stroke-linejoin="round">',
    ]
    if label:
        from html import escape

        parts.append(f"<title>{escape(label)}</title>")
    # y is up in the scene and down in SVG: flip once for the whole group.
    parts.append(f'<g transform="matrix(1 0 0 -1 0 {drawing.height:.3f})">')
    for stroke in drawing.strokes:
        coords = " ".join(f"{x:.3f},{y:.3f}" for x, y in stroke.points)
        tag = "polygon" if stroke.closed else "polyline"
        parts.append(f'<{tag} points="{coords}" {_attrs(stroke.style, stroke.filled)}/>')
    for circle in drawing.circles:
        (x, y), r = circle.centre, circle.radius
        parts.append(
            f'<circle cx="{x:.3f}" cy="{y:.3f}" r="{r:.3f}" {_attrs(circle.style, circle.filled)}/>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def pose_svg(pose: Pose, box: tuple[int, int] = (320, 110), label: str = "") -> str:
    """A standalone SVG of an exercise's figure."""
    from kotcoach.figures.pose import scene

    return scene_svg(scene(pose), box, label, standalone=True)
