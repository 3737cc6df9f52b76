"""Each condition's pain rules reach every handout and plan for it, and each rule is said once,
however many of the conditions share it."""

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
from kotcoach.export.content import CLIENT_PAIN_RULES, Handout, cards_handout, condition_rules
from kotcoach.export.markdown import _md, render_markdown


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


def test_every_rule_is_in_the_handout_once(shipped: Index) -> None:
    exercise = shipped.catalog.exercises[0]
    for conditions in _combinations(shipped):
        text = _handout_text(cards_handout(shipped, [exercise], conditions))
        rules = {_words(r) for c in conditions for r in shipped.conditions[c].pain_rules}
        for rule in (*rules, *map(_words, CLIENT_PAIN_RULES)):
            assert text.count(rule) == 1, (conditions, rule)


def test_no_item_is_repeated_in_a_handout(shipped: Index) -> None:
    exercise = shipped.catalog.exercises[0]
    for conditions in _combinations(shipped):
        handout = cards_handout(shipped, [exercise], conditions)
        items = [_words(i) for s in handout.sections for i in s.items]
        assert len(items) == len(set(items)), conditions


def test_a_rule_some_conditions_give_names_them(shipped: Index) -> None:
    (section,) = condition_rules(shipped, ["patellofemoral-pain", "knee-pain"])
    trek = [i for i in section.items if "TREK" in i and "2/10" in i]
    assert trek and all(i.startswith("Patellofemoral pain (kneecap pain): ") for i in trek)
    green = next(i for i in section.items if i.startswith("Green"))  # both give it: no name
    assert "Knee pain" not in green
    assert "both" in section.lead
    assert len(section.items) < sum(
        len(shipped.conditions[c].pain_rules) for c in ("patellofemoral-pain", "knee-pain")
    )


def test_one_condition_keeps_its_own_list(shipped: Index) -> None:
    (section,) = condition_rules(shipped, ["knee-pain"])
    assert section.title == "Pain rules for Knee pain (general)"
    assert section.items == tuple(shipped.conditions["knee-pain"].pain_rules)


def test_markdown_says_each_rule_once(shipped: Index) -> None:
    conditions = ("patellofemoral-pain", "knee-pain", "patellar-tendinopathy")
    exercise = shipped.catalog.exercises[0]
    text = render_markdown(cards_handout(shipped, [exercise], conditions))
    for condition in conditions:
        for rule in shipped.conditions[condition].pain_rules:
            assert text.count(_md(rule)) == 1, rule


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
