"""Write a large, valid catalogue made from the shipped one, for the speed benchmarks.

The shipped exercises are copied over and over: copy k renames every id to `ID-vK` and every
name to `NAME (vK)`, and keeps each copy's ladders, substitutes and cautions pointing inside the
copy. Conditions, myths and references stay as shipped (they name the originals), so the result
has the shape of a clinic's library: many more exercises and ladders, the same conditions.

    python benchmarks/big_catalog.py OUT.yaml            # 2,000 exercises, the format's cap
    python benchmarks/big_catalog.py OUT.yaml --count 800
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "exercises.yaml"


def big_catalog(source: dict[str, Any], count: int) -> dict[str, Any]:
    """`count` exercises: the shipped ones, then renamed copies of them, in ladder-safe order."""
    originals: list[dict[str, Any]] = source["exercises"]
    exercises = copy.deepcopy(originals[:count])
    number = 0
    while len(exercises) < count:
        number += 1
        wanted = originals[: count - len(exercises)]
        kept = {exercise["id"] for exercise in wanted}
        for exercise in wanted:
            # deep copies: shared objects would be written as YAML aliases, which are refused
            exercises.append(_renamed(copy.deepcopy(exercise), number, kept))
    return {**source, "exercises": exercises}


def _renamed(exercise: dict[str, Any], copy: int, kept: set[str]) -> dict[str, Any]:
    def rename(exercise_id: str) -> str:
        return f"{exercise_id}-v{copy}"

    new = dict(exercise, id=rename(exercise["id"]), name=f"{exercise['name']} (v{copy})")
    # A copy cites nothing of its own: without the evidence paragraph, 2,000 exercises stay under
    # the 5 MB cap now that the Achilles cautions come in three (issue 21).
    new.pop("evidence", None)
    if exercise.get("progression") in kept:
        new["progression"] = rename(exercise["progression"])
    else:  # the last copy may stop part-way up a ladder
        new.pop("progression", None)
    cautions = []
    for caution in exercise.get("cautions", []):
        substitute = caution.get("substitute")
        if substitute in kept:
            caution = dict(caution, substitute=rename(substitute))
        cautions.append(caution)
    if cautions:
        new["cautions"] = cautions
    return new


def write(out: Path, count: int) -> None:
    source = yaml.load(SHIPPED.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    text = yaml.dump(
        big_catalog(source, count),
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=None,  # leaf lists and maps inline: 2,000 posed exercises stay < 5 MB
    )
    out.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000, help="exercises (default 2000)")
    args = parser.parse_args()
    write(args.out, args.count)
    print(f"wrote {args.count} exercises to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
