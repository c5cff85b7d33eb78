"""The inference of splits, mergers and absorptions from the units' children, one case per kind
of reorganisation it must tell apart, with the exact events expected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from orgmodel.compare import diff
from orgmodel.events import Merged, Removed, Split
from orgmodel.history import History
from orgmodel.matching import Changes, Declared, Inference, infer
from orgmodel.model import Removal, Unit
from orgmodel.snapshot import Snapshot


def u(uid: str, parent: str | None = "g", **more: Any) -> Unit:
    return Unit(id=uid, name=uid.title(), kind="unit", parent=parent, **more)


def snap(year: int, *units: Unit, removed: dict[str, Removal] | None = None) -> Snapshot:
    return Snapshot(dt.date(year, 1, 1), [u("g", None), *units], removed=removed)


def kids(parent: str, *ids: str) -> list[Unit]:
    return [u(uid, parent) for uid in ids]


def grouped(a: Snapshot, b: Snapshot, **options: Any) -> list[tuple[Any, ...]]:
    """The split, merged and removed events of diff(a, b), by what they say."""
    found: list[tuple[Any, ...]] = []
    for e in diff(a, b, **options).events:
        if isinstance(e, Split):
            found.append(("split", e.predecessor, e.successors, e.heir, e.inferred))
        elif isinstance(e, Merged):
            found.append(("merged", e.predecessors, e.successor, e.inferred))
        elif isinstance(e, Removed):
            found.append(("removed", e.unit, e.how, e.into, e.inferred))
    return found


CHILDREN = [f"c{i}" for i in range(8)]

# (name, a, b, expected split/merged/removed events)
CASES: list[tuple[str, Snapshot, Snapshot, list[tuple[Any, ...]]]] = [
    (
        "a part split off a unit that continues",
        snap(2020, u("x"), *kids("x", *CHILDREN[:6])),
        snap(2021, u("x"), u("v"), *kids("x", *CHILDREN[:4]), *kids("v", "c4", "c5")),
        [("split", "x", ("v",), "x", True)],
    ),
    (
        "four even parts: each a quarter of the whole, together all of it",
        snap(2020, u("x"), *kids("x", *CHILDREN)),
        snap(
            2021,
            *(u(p) for p in ("p1", "p2", "p3", "p4")),
            *kids("p1", "c0", "c1"),
            *kids("p2", "c2", "c3"),
            *kids("p3", "c4", "c5"),
            *kids("p4", "c6", "c7"),
        ),
        [
            ("removed", "x", "absorbed", "p1", True),
            ("split", "x", ("p1", "p2", "p3", "p4"), "p1", True),
        ],
    ),
    (
        "an uneven split is a split, not an absorption into the biggest part",
        snap(2020, u("x"), *kids("x", *CHILDREN[:5])),
        snap(2021, u("big"), u("small"), *kids("big", *CHILDREN[:4]), *kids("small", "c4")),
        [
            ("removed", "x", "absorbed", "big", True),
            ("split", "x", ("big", "small"), "big", True),
        ],
    ),
    (
        "a unit split while its child is split: two splits, level by level",
        snap(
            2020,
            u("x"),
            *kids("x", "c", "d", "e"),
            *kids("c", "k1", "k2", "k3", "k4"),
        ),
        snap(
            2021,
            u("p1"),
            u("p2"),
            *kids("p1", "d", "q1", "q2"),
            *kids("p2", "e"),
            *kids("q1", "k1", "k2"),
            *kids("q2", "k3", "k4"),
        ),
        [
            ("removed", "x", "absorbed", "p1", True),
            ("removed", "c", "absorbed", "q1", True),
            ("split", "x", ("p1", "p2"), "p1", True),
            ("split", "c", ("q1", "q2"), "q1", True),
        ],
    ),
    (
        "three units merged into a new one",
        snap(
            2020, u("x"), u("y"), u("z"), *kids("x", "c0", "c1"), *kids("y", "c2"), *kids("z", "c3")
        ),
        snap(2021, u("m"), *kids("m", "c0", "c1", "c2", "c3")),
        [
            ("removed", "x", "absorbed", "m", True),
            ("removed", "y", "absorbed", "m", True),
            ("removed", "z", "absorbed", "m", True),
            ("merged", ("x", "y", "z"), "m", True),
        ],
    ),
    (
        "a unit absorbed into one that continues",
        snap(2020, u("x"), u("y"), *kids("x", "c0", "c1"), *kids("y", "c2", "c3")),
        snap(2021, u("y"), *kids("y", "c0", "c1", "c2", "c3")),
        [("removed", "x", "absorbed", "y", True)],
    ),
    (
        "a unit going on under a new id",
        snap(2020, u("x"), *kids("x", "c0", "c1")),
        snap(2021, u("y"), *kids("y", "c0", "c1")),
        [("removed", "x", "absorbed", "y", True)],
    ),
    (
        "children regrouped under a new unit inside the unit: no split",
        snap(2020, u("x"), *kids("x", *CHILDREN[:4])),
        snap(2021, u("x"), u("v", "x"), *kids("x", "c0", "c1"), *kids("v", "c2", "c3")),
        [],
    ),
    (
        "children scattered with no majority anywhere: dissolved",
        snap(2020, u("x"), u("y"), u("z"), *kids("x", "c0", "c1")),
        snap(2021, u("y"), u("z"), u("c0", "y"), u("c1", "z")),
        [("removed", "x", "dissolved", None, False)],
    ),
    (
        "a new unit with children from two units, half each: no part of either",
        snap(2020, u("x"), u("y"), *kids("x", "c0", "c1", "c2"), *kids("y", "c3", "c4", "c5")),
        snap(
            2021,
            u("x"),
            u("y"),
            u("v"),
            *kids("x", "c0", "c1"),
            *kids("y", "c4", "c5"),
            *kids("v", "c2", "c3"),
        ),
        [],
    ),
    (
        "identity by descendants: the part with one big child is the heir",
        snap(
            2020,
            u("x"),
            *kids("x", "big", "a1", "a2"),
            *kids("big", "b1", "b2", "b3", "b4"),
        ),
        snap(
            2021,
            u("p"),
            u("q"),
            *kids("p", "a1", "a2"),
            *kids("q", "big"),
            *kids("big", "b1", "b2", "b3", "b4"),
        ),
        [
            ("removed", "x", "absorbed", "q", True),
            ("split", "x", ("p", "q"), "q", True),
        ],
    ),
    (
        "several declared absorptions into one new unit: a merger",
        snap(2020, u("x"), u("y"), *kids("x", "c0"), *kids("y", "c1")),
        snap(
            2021,
            u("m"),
            *kids("m", "c0", "c1"),
            removed={
                "x": Removal(how="absorbed", into="m"),
                "y": Removal(how="absorbed", into="m"),
            },
        ),
        [
            ("removed", "x", "absorbed", "m", False),
            ("removed", "y", "absorbed", "m", False),
            ("merged", ("x", "y"), "m", False),
        ],
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_inferred_events(a: Snapshot, b: Snapshot, expected: list[tuple[Any, ...]]) -> None:
    assert grouped(a, b) == expected
    assert diff(a, b).apply(a) == b


@pytest.mark.parametrize(("threshold", "found"), [(0.59, True), (0.6, False)])
def test_the_parts_are_scored_together_against_the_threshold(threshold: float, found: bool) -> None:
    # x's five children: two to p, one to q, two elsewhere: the parts hold 3/5 of them.
    a = snap(2020, u("x"), u("o"), *kids("x", *CHILDREN[:5]))
    b = snap(
        2021,
        u("p"),
        u("q"),
        u("o"),
        *kids("p", "c0", "c1"),
        *kids("q", "c2"),
        *kids("o", "c3", "c4"),
    )
    splits = [e for e in diff(a, b, threshold=threshold).events if isinstance(e, Split)]
    assert [(e.predecessor, e.successors, e.score) for e in splits] == (
        [("x", ("p", "q"), 0.6)] if found else []
    )


def test_a_unit_that_comes_back_with_its_lineage_is_not_split_off_again() -> None:
    first = snap(2020, u("x"), *kids("x", "c0", "c1"))
    carved = snap(2021, u("x"), u("v", lineage=("x",)), *kids("x", "c0"), *kids("v", "c1"))
    gone = snap(2022, u("x"), *kids("x", "c0", "c1"))
    back = snap(2023, u("x"), u("v", lineage=("x",)), *kids("x", "c0"), *kids("v", "c1"))
    history = History([first, carved, gone, back])
    found = [(e.date.year, e.kind, e.units[0]) for e in history.changes()]
    assert [f for f in found if f[0] == 2023] == [
        (2023, "returned", "v"),
        (2023, "returned", "c1"),
    ]
    assert (2021, "split", "x") in found


def test_declared_successors_let_the_level_above_be_matched() -> None:
    # c's parts are declared; x's own split is inferred through them.
    a = snap(2020, u("x"), *kids("x", "c", "d"), *kids("c", "k1", "k2"))
    b = snap(2021, u("p"), u("q"), *kids("p", "c1"), *kids("q", "d"), *kids("c1", "k1", "k2"))
    changes = Changes(gone=["x", "c"], new=["p", "q", "c1"], moved=["d", "k1", "k2"])
    declared = Declared(gone={"c"}, new={"c1"}, successors={"c": ["c1"]})
    found = infer(a, b, changes, declared=declared)
    assert [(s.predecessor, s.successors) for s in found.splits] == [("x", ("p", "q"))]
    assert found.merges == []


def test_nothing_changed_nothing_inferred() -> None:
    a = snap(2020, u("x"), *kids("x", "c0"))
    assert infer(a, a, Changes((), (), ())) == Inference({}, [], [])
