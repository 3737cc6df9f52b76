"""Draw every exercise's figure on one sheet, as the handouts draw it, to look at them all at once.

    .venv/bin/python docs/figures/contact_sheet.py [IDS...]

Writes docs/figures/all-poses.png (drawn as a PDF, rendered with poppler's pdftoppm): each figure
as a card draws it (export.figure_fit: the frames packed close, side by side or stacked where a
card is too narrow, a standing person STANDING_MM tall), in a box as wide as a card's text, with
a 35 mm scale bar at the left of each row. With ids, only those (docs/figures/some-poses.png, not
kept in git), to look closely.

    .venv/bin/python docs/figures/contact_sheet.py --cards

Writes the README's PDF card pictures instead (cards-pdf.png, cards-filled-pdf.png,
card-continued-pdf.png), from the handouts kotcoach exports.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from fpdf import FPDF

from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.export import pdf as pdf_export
from kotcoach.export.content import cards_handout
from kotcoach.export.figure_fit import STANDING_MM, best_fit
from kotcoach.export.figure_pdf import draw_scene
from kotcoach.export.pdf import FONT, FONTS
from kotcoach.figures.pose import scene

HERE = Path(__file__).parent
CARD_WIDTH = 91.0  # mm: the text width of an A4 card (export.pdf._Grid.room)
COLUMNS = 4


def main(ids: list[str]) -> None:
    catalogue = load_catalog(builtin_catalog_path())
    exercises = [e for e in catalogue.exercises if e.pose and (not ids or e.id in ids)]
    fits = []
    for exercise in exercises:
        assert exercise.pose is not None
        fits.append((exercise.id, best_fit(scene(exercise.pose), CARD_WIDTH)))
    rows = [fits[i : i + COLUMNS] for i in range(0, len(fits), COLUMNS)]
    heights = [max(f.height for _, f in row) + 12 for row in rows]
    cell = CARD_WIDTH + 6
    pdf = FPDF(unit="mm", format=(COLUMNS * cell + 16, sum(heights) + 10))
    pdf.add_font(FONT, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    y = 5.0
    for row, height in zip(rows, heights, strict=True):
        # a scale bar: a standing person is this tall on every card
        pdf.set_draw_color(192, 57, 43)
        pdf.set_line_width(0.3)
        floor = y + height - 7  # each figure stands on it, its name under it
        pdf.line(4, floor, 4, floor - STANDING_MM)
        for n, (exercise_id, fit) in enumerate(row):
            x = 10 + n * cell
            pdf.set_xy(x, floor + 1)
            label = exercise_id + (" (stacked)" if fit.stacked else "")
            pdf.cell(CARD_WIDTH, 4, label, align="C")
            left = x + (CARD_WIDTH - fit.width) / 2
            top = floor - fit.height
            draw_scene(pdf, fit.scene, left, top, fit.width, fit.height, scale=fit.scale)
        y += height
    name = "all-poses" if not ids else "some-poses"
    target = HERE / f"{name}.pdf"
    pdf.output(str(target))
    subprocess.run(["pdftoppm", "-r", "50" if not ids else "90", "-png", "-singlefile",
                    str(target), str(HERE / name)], check=True)  # fmt: skip
    target.unlink()


def cards() -> None:
    """The README's pictures of PDF cards, at 72 dpi."""
    index = Index(load_catalog(builtin_catalog_path()))
    pictures = {
        "cards-pdf": (
            ["kot-calf-raise", "tib-raise-wall", "patrick-step-low", "atg-split-squat-flat"],
            [],
            None,
        ),
        "cards-filled-pdf": (
            ["sissy-squat-assisted", "wall-sit", "backward-walk", "wall-drive-march"],
            [],
            None,
        ),
        "card-continued-pdf": (
            ["backward-walk"],
            ["patellofemoral-pain", "knee-pain", "achilles-midportion"],
            (0, 0, 596, 421),
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        for name, (ids, conditions, crop) in pictures.items():
            exercises = [index.exercise(i) for i in ids]
            handout = cards_handout(index, exercises, conditions)
            # One page of card faces, laid out and drawn as export.pdf draws them.
            pdf = pdf_export._new_pdf(handout, 210.0, 297.0)
            pdf.set_auto_page_break(False)
            pdf.c_margin = 0
            pdf.add_page()
            grid = pdf_export._Grid((105.0, 148.5))
            measure = pdf_export._Measure(pdf)
            faces = [f for c in handout.cards for f in pdf_export._faces(measure, c, grid)]
            pdf_export._pdf_cut_lines(pdf, grid)
            for slot, face in enumerate(faces[:4]):
                left, top = (slot % 2) * 105.0, (slot // 2) * 148.5
                pdf_export._pdf_card(pdf, measure, grid, face, left, top)
            path = Path(folder) / f"{name}.pdf"
            pdf.output(str(path))
            subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(path),
                            str(HERE / name)], check=True)  # fmt: skip
            if crop:
                from PIL import Image

                image = Image.open(HERE / f"{name}.png")
                image.crop(crop).save(HERE / f"{name}.png")


if __name__ == "__main__":
    if sys.argv[1:] == ["--cards"]:
        cards()
    else:
        main(sys.argv[1:])
