"""The plan on screen: what drawing it imports, and the layout's promises at every width."""

from __future__ import annotations

import subprocess
import sys


def test_drawing_a_plan_imports_neither_pydantic_nor_the_models() -> None:
    # plan's start-up floor: the screen view must not pull in the validation stack.
    code = (
        "import sys, kotcoach.render.plan\n"
        "heavy = {'pydantic', 'kotcoach.models', 'kotcoach.render.views'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
