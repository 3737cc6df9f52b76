"""Draw every exercise's figure on one sheet, to look at them all at once.

    .venv/bin/python docs/figures/contact_sheet.py [IDS...]

Writes docs/figures/all-poses.png (drawn as a PDF, rendered with poppler's pdftoppm). With
ids, only those, larger (docs/figures/some-poses.png, not kept in git), to look closely.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fpdf import FPDF

from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.export.figure_pdf import draw_scene
from kotcoach.export.pdf import FONT, FONTS
from kotcoach.figures.pose import scene

HERE = Path(__file__).parent


def main(ids: list[str]) -> None:
    catalogue = load_catalog(builtin_catalog_path())
    exercises = [e for e in catalogue.exercises if e.pose and (not ids or e.id in ids)]
    columns = 8 if not ids else 3
    cell_w, cell_h = (50.0, 40.0) if not ids else (90.0, 70.0)
    rows = -(-len(exercises) // columns)
    pdf = FPDF(unit="mm", format=(columns * cell_w + 10, rows * cell_h + 10))
    pdf.add_font(FONT, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_page()
    pdf.set_font(FONT, "", 7 if not ids else 10)
    for n, exercise in enumerate(exercises):
        x, y = 5 + (n % columns) * cell_w, 5 + (n // columns) * cell_h
        pdf.set_xy(x, y)
        pdf.cell(cell_w, 4, exercise.id, align="C")
        assert exercise.pose is not None
        draw_scene(pdf, scene(exercise.pose), x + 2, y + 6, cell_w - 4, cell_h - 9)
    name = "all-poses" if not ids else "some-poses"
    target = HERE / f"{name}.pdf"
    pdf.output(str(target))
    subprocess.run(["pdftoppm", "-r", "60" if not ids else "90", "-png", "-singlefile",
                    str(target), str(HERE / name)], check=True)  # fmt: skip
    target.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
