"""The wheel carries the catalogue and the fonts, so an installed kotcoach works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_catalogue_and_fonts(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",  # hatchling comes with the dev extra: no network needed
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("kotcoach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kotcoach/data/exercises.yaml" in names
    assert "kotcoach/py.typed" in names
    assert {n for n in names if n.startswith("kotcoach/export/fonts/") and n.endswith(".ttf")}
    shipped = zipfile.ZipFile(wheel).read("kotcoach/data/exercises.yaml")
    assert shipped == (ROOT / "data" / "exercises.yaml").read_bytes()
    assert not any("/parts/" in n or n.startswith("tests/") for n in names)
