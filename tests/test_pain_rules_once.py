"""Each rule is said once, however many of the conditions share it: a handout carries one "how
much pain is OK" box of four plain lines, the strictest of its conditions winning, and
`plan --details` every condition's rule once."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import pytest

from kotcoach.base.vocab import Level
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.coaching.pain import merged_rules, rule_owner
from kotcoach.coaching.planner import PlanRequest, make_plan
from kotcoach.export.content import PAIN_BOX, Handout, cards_handout
from kotcoach.export.markdown import render_markdown


@pytest.fixture(scope="module")
def shipped() -> Iterator[Index]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOTCOACH_NO_CACHE", "1")
        yield Index(load_catalog(builtin_catalog_path()))


def _words(text: str) -> str:
    return " ".join(text.split())


def _handout_text(handout: Handout) -> str:
    lines = [handout.summary]
    for section in handout.sections:
        lines += [section.title, section.lead, *section.items]
    return "\n".join(_words(line) for line in lines)


def _combinations(index: Index) -> list[tuple[str, ...]]:
    ids = sorted(index.conditions)
    return [c for size in (1, 2, 3) for c in itertools.combinations(ids, size)]


def test_the_shipped_conditions_do_share_rules(shipped: Index) -> None:
    """The fault this guards against is real: without merging, two knee conditions repeat."""
    knee, kneecap = shipped.conditions["knee-pain"], shipped.conditions["patellofemoral-pain"]
    assert len(set(knee.pain_rules) & set(kneecap.pain_rules)) >= 3


CLINICIANS = ("Some clinic guides", "38 people", "TREK")


def test_a_handout_has_one_pain_box_of_four_plain_lines(shipped: Index) -> None:
    exercise = shipped.catalog.exercises[0]
    for conditions in _combinations(shipped):
        handout = cards_handout(shipped, [exercise], conditions)
        boxes = [s for s in handout.sections if s.title == PAIN_BOX]
        assert len(boxes) == 1 and len(boxes[0].items) == 4, conditions
        assert not any(s.title.startswith("Pain rules") for s in handout.sections)
        text = _handout_text(handout)
        for words in CLINICIANS:  # clinicians' notes stay on screen and in the physio report
            assert words not in text, (conditions, words)
        strict = "patellofemoral-pain" in conditions
        assert ("aim below 2/10 (kneecap pain)" in text) is strict, conditions


def test_no_item_is_repeated_in_a_handout(shipped: Index) -> None:
    exercise = shipped.catalog.exercises[0]
    for conditions in _combinations(shipped):
        handout = cards_handout(shipped, [exercise], conditions)
        items = [_words(i) for s in handout.sections for i in s.items]
        assert len(items) == len(set(items)), conditions


def test_markdown_has_the_box_once(shipped: Index) -> None:
    conditions = ("patellofemoral-pain", "knee-pain", "low-back-pain")
    exercise = shipped.catalog.exercises[0]
    text = render_markdown(cards_handout(shipped, [exercise], conditions))
    assert text.count(f"## {PAIN_BOX}") == 1
    assert text.count("Week to week: pain and stiffness must not rise") == 1
    assert "spreading down the leg" in text  # the back's reason to stop, merged in


def test_the_terminal_plan_says_each_rule_once(shipped: Index) -> None:
    conditions = ("knee-pain", "patellofemoral-pain")
    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER, conditions=conditions))
    text = "\n".join(plan.pain_rules)
    for condition in conditions:
        for rule in shipped.conditions[condition].pain_rules:
            assert text.count(rule) == 1, rule
    shared = "Green, 0-2/10: carry on. Some clinic guides put the edge of green at 3, not 2."
    both = "Knee pain (general) and Patellofemoral pain (kneecap pain)"
    assert f"{both}: {shared}" in plan.pain_rules


def test_merged_rules_reads_the_lists_side_by_side() -> None:
    merged = merged_rules([("A", ["a1", "same", "a3"]), ("B", ["b1", "Same ", "b3", "b4"])])
    assert merged == (
        (("A",), "a1"),
        (("B",), "b1"),
        (("A", "B"), "same"),
        (("A",), "a3"),
        (("B",), "b3"),
        (("B",), "b4"),
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [(("A",), "A"), (("A", "B"), "A and B"), (("A", "B", "C"), ""), (("A", "C"), "A and C")],
)
def test_rule_owner(names: Sequence[str], expected: str) -> None:
    assert rule_owner(names, 3) == expected
