"""The change view: which box of a change chart is which change, checked against the events."""

from __future__ import annotations

import datetime as dt

import pytest

import orgmodel
from orgmodel.changeview import CHANGES, PRECEDENCE, change_view
from orgmodel.events import KINDS
from orgmodel.model import Unit
from orgmodel.snapshot import Snapshot

from .conftest import EXAMPLE


def unit(uid: str, parent: str | None = None, **extra: object) -> Unit:
    return Unit(
        id=uid, name=uid.title(), kind="division" if parent else "holding", parent=parent, **extra
    )


def snapshots(before: list[Unit], after: list[Unit]) -> tuple[Snapshot, Snapshot]:
    return Snapshot(dt.date(2022, 1, 1), before), Snapshot(dt.date(2023, 1, 1), after)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (  # a merger: the sources and the result told apart, each naming the other side
            [unit("g"), unit("a", "g"), unit("b", "g")],
            [unit("g"), unit("c", "g", lineage=("a", "b"))],
            {
                "a": ("merged_source", "before", ("c",)),
                "b": ("merged_source", "before", ("c",)),
                "c": ("merged_result", "after", ("a", "b")),
            },
        ),
        (  # a split: the unit that split and the units it split into
            [unit("g"), unit("a", "g")],
            [unit("g"), unit("x", "g", lineage=("a",)), unit("y", "g", lineage=("a",))],
            {
                "a": ("split_source", "before", ("x", "y")),
                "x": ("split_result", "after", ("a",)),
                "y": ("split_result", "after", ("a",)),
            },
        ),
        (  # a spin-off that also changed parent keeps its old parent
            [unit("g"), unit("p", "g"), unit("s", "p")],
            [unit("g"), unit("p", "g"), unit("s", "g", status="standalone")],
            {"s": ("spun_off", "both", ())},
        ),
    ],
)
def test_marks_follow_the_events(before, after, expected) -> None:  # type: ignore[no-untyped-def]
    a, b = snapshots(before, after)
    view = change_view(a, b, orgmodel.diff(a, b).events)
    found = {
        uid: (box.change, box.side, box.partners)
        for uid, box in view.boxes.items()
        if uid in expected
    }
    assert found == expected
    assert view.boxes["g"].change == "unchanged"


def test_a_moved_unit_names_its_old_parent_whatever_else_happened() -> None:
    a, b = snapshots(
        [unit("g"), unit("p", "g"), unit("q", "g"), unit("s", "p")],
        [
            unit("g"),
            unit("p", "g"),
            unit("q", "g"),
            unit("s", "q").model_copy(update={"name": "Z"}),
        ],
    )
    box = change_view(a, b, orgmodel.diff(a, b).events).boxes["s"]
    assert (box.change, box.old_parent, box.old_name) == ("moved", "p", "S")


def histories() -> list[orgmodel.History]:
    return [orgmodel.load_history(EXAMPLE), orgmodel.load_history()]


@pytest.mark.parametrize("history", histories(), ids=["example", "bundled"])
def test_every_structural_event_marks_its_units(history: orgmodel.History) -> None:
    for a, b in zip(history.snapshots, history.snapshots[1:], strict=False):
        events = history.diff(a.date, b.date).events
        view = change_view(a, b, events)
        assert set(view.boxes) == set(a.units) | set(b.units)
        for event in events:
            if event.kind in ("updated",):
                continue
            for uid in event.units[:1]:
                assert view.boxes[uid].change != "unchanged", (b.date, event.kind, uid)
        for uid, box in view.boxes.items():
            assert box.side == (
                "both"
                if uid in a.units and uid in b.units
                else "after"
                if uid in b.units
                else "before"
            )
            assert box.parent is None or box.parent in view.boxes


def test_the_1_6_n_year_in_the_bundled_data() -> None:
    history = orgmodel.load_history()
    a, b = history.at("2021-12-06"), history.at("2023-11-16")
    view = change_view(a, b, history.diff(a.date, b.date).events)
    assert view.boxes["aicheng"].change == "merged_result"
    assert "middle-office" in view.boxes["aicheng"].partners
    assert view.boxes["middle-office"].change == "merged_source"


def test_a_part_counts_only_its_boxes() -> None:
    history = orgmodel.load_history()
    a, b = history.at("2023-01-01"), history.at("2023-12-31")
    view = change_view(a, b, history.diff(a.date, b.date).events)
    for part in (view, view.part(depth=1), view.part("ttg"), view.part(changed_only=True)):
        assert sum(part.counts().values()) == len(part.boxes)
        assert all(box.parent in part.boxes for uid, box in part.boxes.items() if uid != part.top)
    changed = view.part(changed_only=True)
    parents = {box.parent for box in changed.boxes.values()}
    leaves = [uid for uid in changed.boxes if uid not in parents]
    assert leaves and all(changed.boxes[uid].change != "unchanged" for uid in leaves)
    assert changed.counts()["unchanged"] < view.counts()["unchanged"]
    # What is left out is counted in the boxes above it.
    assert sum(changed.hidden.values()) >= len(view.boxes) - len(changed.boxes)
    folded = view.part(depth=1)
    assert all(box.parent == view.top for uid, box in folded.boxes.items() if uid != view.top)


def test_every_event_kind_has_a_mark_and_a_style() -> None:
    from orgmodel.drawing._style import EVENT_STYLE
    from orgmodel.drawing.orgchart import MARK_STYLE

    assert set(EVENT_STYLE) == set(KINDS)
    assert set(MARK_STYLE) | {"unchanged"} == set(CHANGES) == set(PRECEDENCE)
    assert all(kind in EVENT_STYLE for kind, _ in MARK_STYLE.values())
