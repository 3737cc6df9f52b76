"""An exercise's figure as fpdf2 vector paths, drawn into a box on a PDF page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kotcoach.figures.pose import Scene, Style, fit_scale

if TYPE_CHECKING:
    from fpdf import FPDF

# grey level or RGB, line width in millimetres, dash (on, off) in millimetres
_LOOK: dict[Style, tuple[tuple[int, int, int], float, tuple[float, float] | None]] = {
    "body": ((34, 34, 34), 0.55, None),
    "far": ((150, 150, 150), 0.45, None),
    "prop": ((120, 120, 120), 0.2, None),
    "band": ((181, 101, 29), 0.25, (0.8, 0.5)),
    "guide": ((192, 57, 43), 0.25, (0.9, 0.6)),
    "motion": ((122, 156, 198), 0.25, None),
    "floor": ((170, 170, 170), 0.2, None),
}
_FILL = (232, 232, 232)


def draw_scene(
    pdf: FPDF,
    drawing: Scene,
    x: float,
    y: float,
    width: float,
    height: float,
    align: str = "left",
    scale: float | None = None,
) -> float:
    """Draw the scene into the box at (x, y), width x height mm, standing on its bottom edge,
    at the box's left or right; at `scale` mm a metre when given, else as large as the box lets
    a standing figure be. Returns the width used, in millimetres."""
    if scale is None:
        scale = fit_scale(drawing, width, height)  # mm per metre
    base = y + height
    if align == "right":
        x += width - drawing.width * scale

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return x + point[0] * scale, base - point[1] * scale

    def look(style: Style) -> None:
        colour, line_width, dash = _LOOK[style]
        pdf.set_draw_color(*colour)
        pdf.set_line_width(line_width)
        if dash:
            pdf.set_dash_pattern(dash=dash[0], gap=dash[1])
        else:
            pdf.set_dash_pattern()

    # One graphics state for the figure (q ... Q in the page's stream): the card's text after
    # it keeps its own colours and line width, and a reader of the stream can count figures.
    with pdf.local_context():
        pdf.set_fill_color(*_FILL)
        for stroke in drawing.strokes:
            look(stroke.style)
            points = [at(p) for p in stroke.points]
            if stroke.closed:
                pdf.polygon(points, style="DF" if stroke.filled else "D")
            else:
                pdf.polyline(points)
        for circle in drawing.circles:
            look(circle.style)
            cx, cy = at(circle.centre)
            r = circle.radius * scale
            if circle.filled:
                pdf.set_fill_color(*_LOOK[circle.style][0])
            # ellipse(), not circle(): circle's arguments changed meaning in fpdf2 2.8.1
            pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r, style="DF" if circle.filled else "D")
            pdf.set_fill_color(*_FILL)
    return drawing.width * scale
