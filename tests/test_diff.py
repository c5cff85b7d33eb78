"""The diff engine: events between two snapshots, on hand-made snapshots and the example history."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

import orgmodel
from orgmodel.compare import DEFAULT_THRESHOLD, diff
from orgmodel.events import KINDS, EventError, events_json_schema, parse_event
from orgmodel.model import Leader, Removal, Unit
from orgmodel.snapshot import Snapshot

EXAMPLE = Path(__file__).parent / "data" / "example"

SKIP = {"units", "since", "date", "sources", "record", "kind"}


def brief(event: Any) -> tuple[Any, ...]:
    """An event as (kind, main unit, the details that differ from their defaults)."""
    details = {
        key: value
        for key, value in event.model_dump().items()
        if key not in SKIP
        and value not in (None, False, ())
        and not (event.kind == "updated" and key in ("old", "new"))
    }
    return (event.kind, details)


def u(uid: str, parent: str | None = "g", **more: Any) -> Unit:
    return Unit(
        id=uid,
        name=more.pop("name", uid.title()),
        kind=more.pop("kind", "unit"),
        parent=parent,
        **more,
    )


def snap(year: int, *units: Unit, removed: dict[str, Removal] | None = None) -> Snapshot:
    return Snapshot(dt.date(year, 1, 1), [u("g", None, kind="holding"), *units], removed=removed)


@pytest.fixture(scope="module")
def example() -> orgmodel.History:
    return orgmodel.load_history(EXAMPLE)


# (name, a units, b units, b removed, expected events as brief())
CASES: list[tuple[str, list[Unit], list[Unit], dict[str, Removal], list[tuple[Any, ...]]]] = [
    ("nothing", [u("x")], [u("x")], {}, []),
    ("added", [], [u("x")], {}, [("added", {"unit": "x", "name": "X", "parent": "g"})]),
    (
        "gone with nothing to say how",
        [u("x")],
        [],
        {},
        [("removed", {"unit": "x", "name": "X", "parent": "g", "how": "unrecorded"})],
    ),
    (
        "dissolved when its sub-units live on elsewhere",
        [u("x"), u("y"), u("z"), u("c", "x"), u("d", "x")],
        [u("y"), u("z"), u("c", "y"), u("d", "z")],
        {},
        [
            ("removed", {"unit": "x", "name": "X", "parent": "g", "how": "dissolved"}),
            ("moved", {"unit": "c", "old_parent": "x", "new_parent": "y"}),
            ("moved", {"unit": "d", "old_parent": "x", "new_parent": "z"}),
        ],
    ),
    (
        "a sub-unit no longer followed once its parent leaves the group goes with it",
        [u("x"), u("c", "x")],
        [u("x", status="affiliate")],
        {},
        [
            (
                "removed",
                {"unit": "c", "name": "C", "parent": "x", "how": "spun_off", "along_with": "x"},
            ),
            (
                "spun_off",
                {
                    "unit": "x",
                    "old_parent": "g",
                    "new_parent": "g",
                    "old_status": "active",
                    "new_status": "affiliate",
                },
            ),
        ],
    ),
    (
        "a sub-unit dropped from a unit that stays inside the group is not recorded",
        [u("x"), u("c", "x")],
        [u("x", status="listed")],
        {},
        [
            ("removed", {"unit": "c", "name": "C", "parent": "x", "how": "unrecorded"}),
            (
                "spun_off",
                {
                    "unit": "x",
                    "old_parent": "g",
                    "new_parent": "g",
                    "old_status": "active",
                    "new_status": "listed",
                },
            ),
        ],
    ),
    (
        "declared divestiture takes its subtree along",
        [u("x"), u("y", "x")],
        [],
        {"x": Removal(how="divested", note="Sold.")},
        [
            (
                "removed",
                {"unit": "x", "name": "X", "parent": "g", "how": "divested", "note": "Sold."},
            ),
            (
                "removed",
                {"unit": "y", "name": "Y", "parent": "x", "how": "divested", "along_with": "x"},
            ),
        ],
    ),
    (
        "declared spin-off out of the group",
        [u("x", status="listed")],
        [],
        {"x": Removal(how="spun_off")},
        [
            (
                "spun_off",
                {"unit": "x", "old_parent": "g", "old_status": "listed", "left_group": True},
            )
        ],
    ),
    (
        "renamed",
        [u("x", name="Old", name_zh="旧")],
        [u("x", name="New", name_zh="新")],
        {},
        [
            (
                "renamed",
                {
                    "unit": "x",
                    "old_name": "Old",
                    "new_name": "New",
                    "old_name_zh": "旧",
                    "new_name_zh": "新",
                },
            )
        ],
    ),
    (
        "moved subtree reported once",
        [u("x"), u("y"), u("z", "y"), u("w", "z")],
        [u("x"), u("y", "x"), u("z", "y"), u("w", "z")],
        {},
        [("moved", {"unit": "y", "old_parent": "g", "new_parent": "x"})],
    ),
    (
        "status within a standing",
        [u("x", status="standalone")],
        [u("x", status="listed")],
        {},
        [("status_changed", {"unit": "x", "old_status": "standalone", "new_status": "listed"})],
    ),
    (
        "a plan announced is no spin-off",
        [u("x")],
        [u("x", plan="spin_off_planned")],
        {},
        [("plan_changed", {"unit": "x", "new_plan": "spin_off_planned"})],
    ),
    (
        "a plan cancelled",
        [u("x", plan="spin_off_planned")],
        [u("x", plan="spin_off_cancelled")],
        {},
        [
            (
                "plan_changed",
                {"unit": "x", "old_plan": "spin_off_planned", "new_plan": "spin_off_cancelled"},
            )
        ],
    ),
    (
        "a plan carried out",
        [u("x", plan="ipo_planned")],
        [u("x", status="listed")],
        {},
        [
            (
                "spun_off",
                {
                    "unit": "x",
                    "old_parent": "g",
                    "new_parent": "g",
                    "old_status": "active",
                    "new_status": "listed",
                },
            ),
            ("plan_changed", {"unit": "x", "old_plan": "ipo_planned", "carried_out": True}),
        ],
    ),
    (
        "a plan dropped without being cancelled",
        [u("x", plan="ipo_paused")],
        [u("x")],
        {},
        [("plan_changed", {"unit": "x", "old_plan": "ipo_paused"})],
    ),
    (
        "a cancelled plan leaving the record is no news",
        [u("x", plan="ipo_cancelled")],
        [u("x")],
        {},
        [("updated", {"unit": "x", "fields": ("plan",)})],
    ),
    (
        "a new chief executive",
        [u("x", leaders=(Leader(name="Ann", role="Chairman and CEO"),))],
        [u("x", leaders=(Leader(name="Ann", role="Chairman"), Leader(name="Bo", role="CEO")))],
        {},
        [
            (
                "leader_changed",
                {
                    "unit": "x",
                    "role": "CEO",
                    "old": ("Ann",),
                    "new": ("Bo",),
                    "leaders": (
                        {
                            "name": "Ann",
                            "name_zh": None,
                            "role": "Chairman",
                            "sources": (),
                            "confidence": None,
                        },
                        {
                            "name": "Bo",
                            "name_zh": None,
                            "role": "CEO",
                            "sources": (),
                            "confidence": None,
                        },
                    ),
                },
            ),
        ],
    ),
    (
        "a role reworded is a record edit",
        [u("x", leaders=(Leader(name="Ann", role="Acting CEO"),))],
        [u("x", leaders=(Leader(name="Ann", role="Chief Executive Officer"),))],
        {},
        [("updated", {"unit": "x", "fields": ("leaders",)})],
    ),
    (
        "declared merge",
        [u("a"), u("b")],
        [u("m", lineage=("a", "b"))],
        {},
        [
            ("added", {"unit": "m", "name": "M", "parent": "g"}),
            ("removed", {"unit": "a", "name": "A", "parent": "g", "how": "absorbed", "into": "m"}),
            ("removed", {"unit": "b", "name": "B", "parent": "g", "how": "absorbed", "into": "m"}),
            ("merged", {"predecessors": ("a", "b"), "successor": "m"}),
        ],
    ),
    (
        "declared split of a vanished unit: the heir has the larger overlap",
        [u("p"), u("c1", "p"), u("c2", "p"), u("c3", "p")],
        [
            u("s1", lineage=("p",)),
            u("s2", lineage=("p",)),
            u("c1", "s1"),
            u("c2", "s2"),
            u("c3", "s2"),
        ],
        {},
        [
            ("added", {"unit": "s1", "name": "S1", "parent": "g"}),
            ("added", {"unit": "s2", "name": "S2", "parent": "g"}),
            ("removed", {"unit": "p", "name": "P", "parent": "g", "how": "absorbed", "into": "s2"}),
            ("moved", {"unit": "c1", "old_parent": "p", "new_parent": "s1"}),
            ("moved", {"unit": "c2", "old_parent": "p", "new_parent": "s2"}),
            ("moved", {"unit": "c3", "old_parent": "p", "new_parent": "s2"}),
            ("split", {"predecessor": "p", "successors": ("s1", "s2"), "heir": "s2"}),
        ],
    ),
    (
        "inferred split (the parts hold all of p's children: score 1; heir: the first in b)",
        [u("p"), u("c1", "p"), u("c2", "p"), u("c3", "p"), u("c4", "p")],
        [u("s1"), u("s2"), u("c1", "s1"), u("c2", "s1"), u("c3", "s2"), u("c4", "s2")],
        {},
        [
            ("added", {"unit": "s1", "name": "S1", "parent": "g"}),
            ("added", {"unit": "s2", "name": "S2", "parent": "g"}),
            (
                "removed",
                {
                    "unit": "p",
                    "name": "P",
                    "parent": "g",
                    "how": "absorbed",
                    "into": "s1",
                    "inferred": True,
                },
            ),
            ("moved", {"unit": "c1", "old_parent": "p", "new_parent": "s1"}),
            ("moved", {"unit": "c2", "old_parent": "p", "new_parent": "s1"}),
            ("moved", {"unit": "c3", "old_parent": "p", "new_parent": "s2"}),
            ("moved", {"unit": "c4", "old_parent": "p", "new_parent": "s2"}),
            (
                "split",
                {
                    "predecessor": "p",
                    "successors": ("s1", "s2"),
                    "heir": "s1",
                    "inferred": True,
                    "score": 1.0,
                },
            ),
        ],
    ),
    (
        "inferred merge",
        [u("a"), u("b"), u("a1", "a"), u("b1", "b")],
        [u("m"), u("a1", "m"), u("b1", "m")],
        {},
        [
            ("added", {"unit": "m", "name": "M", "parent": "g"}),
            (
                "removed",
                {
                    "unit": "a",
                    "name": "A",
                    "parent": "g",
                    "how": "absorbed",
                    "into": "m",
                    "inferred": True,
                },
            ),
            (
                "removed",
                {
                    "unit": "b",
                    "name": "B",
                    "parent": "g",
                    "how": "absorbed",
                    "into": "m",
                    "inferred": True,
                },
            ),
            ("moved", {"unit": "a1", "old_parent": "a", "new_parent": "m"}),
            ("moved", {"unit": "b1", "old_parent": "b", "new_parent": "m"}),
            (
                "merged",
                {"predecessors": ("a", "b"), "successor": "m", "inferred": True, "score": 1.0},
            ),
        ],
    ),
    (
        "one to one over the threshold: absorbed",
        [u("a"), u("a1", "a")],
        [u("m"), u("a1", "m")],
        {},
        [
            ("added", {"unit": "m", "name": "M", "parent": "g"}),
            (
                "removed",
                {
                    "unit": "a",
                    "name": "A",
                    "parent": "g",
                    "how": "absorbed",
                    "into": "m",
                    "inferred": True,
                },
            ),
            ("moved", {"unit": "a1", "old_parent": "a", "new_parent": "m"}),
        ],
    ),
]


@pytest.mark.parametrize(
    ("a_units", "b_units", "removed", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_events_of_small_diffs(
    a_units: list[Unit],
    b_units: list[Unit],
    removed: dict[str, Removal],
    expected: list[tuple[Any, ...]],
) -> None:
    a, b = snap(2020, *a_units), snap(2021, *b_units, removed=removed)
    d = diff(a, b)
    assert [brief(e) for e in d.events] == expected
    assert d.apply(a) == b
    assert list(d.apply(a).units) == list(b.units)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.49, ["split"]), (0.5, []), (DEFAULT_THRESHOLD, []), (0.0, ["split"])],
)
def test_threshold_is_strict(threshold: float, expected: list[str]) -> None:
    # p's four children: one to s1, one to s2, two to q: the parts hold 2/4 of them (score 0.5).
    a = snap(2020, u("p"), u("q"), *(u(f"c{i}", "p") for i in range(4)))
    b = snap(
        2021, u("s1"), u("s2"), u("q"), u("c0", "s1"), u("c1", "s2"), u("c2", "q"), u("c3", "q")
    )
    assert [e.kind for e in diff(a, b, threshold=threshold).filter(kinds=["split"])] == expected


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_out_of_range(threshold: float) -> None:
    with pytest.raises(EventError, match="between 0 and 1"):
        diff(snap(2020), snap(2021), threshold=threshold)


def test_leaf_units_never_match() -> None:
    d = diff(snap(2020, u("a")), snap(2021, u("b")))
    assert [brief(e)[1]["how"] for e in d.filter(kinds=["removed"])] == ["unrecorded"]


STEPS = [
    (
        "2020-01-01",
        "2021-01-01",
        [
            ("added", "search-co"),
            ("added", "streaming"),
            ("removed", "video", "absorbed", "streaming"),
            ("removed", "music", "absorbed", "streaming"),
            ("removed", "mall", "divested", None),
            ("renamed", "commerce", "Commerce Group", "Commerce & Retail Group"),
            ("moved", "search", "platform", "search-co"),
            ("split", "platform", ("search-co",), "platform", False),
            ("merged", ("video", "music"), "streaming", False),
            ("spun_off", "search-co", "platform", None, "standalone"),
            ("plan_changed", "media", None, "ipo_planned"),
            ("leader_changed", "group", "CEO", ("Ada Chen",), ()),
            ("updated", "commerce", ("sources",)),
            ("updated", "platform", ("sources",)),
            ("updated", "search", ("sources",)),
            ("updated", "media", ("sources",)),
        ],
    ),
    (
        "2021-01-01",
        "2022-01-01",
        [
            ("moved", "lab", "platform", "commerce"),
            ("returned", "search-co", "standing", "2021-01-01", "group", "active"),
            ("plan_changed", "media", "ipo_planned", "ipo_cancelled"),
            ("kind_changed", "search-co", "company", "business_group"),
            ("updated", "lab", ("sources", "confidence", "field_confidence")),
            ("updated", "search-co", ("sources",)),
            ("updated", "media", ("sources",)),
        ],
    ),
    (
        "2022-01-01",
        "2023-06-30",
        [
            ("removed", "search-co", "absorbed", "platform"),
            ("returned", "mall", "group", "2021-01-01", "commerce", "active"),
            ("returned", "search", "parent", "2021-01-01", "platform", "active"),
            ("updated", "lab", ("field_confidence",)),
            ("updated", "platform", ("lineage", "sources")),
        ],
    ),
]


def summary(event: Any) -> tuple[Any, ...]:
    """The details a reader of the example history checks, per kind."""
    e = event
    match e.kind:
        case "added":
            return (e.kind, e.unit)
        case "removed":
            return (e.kind, e.unit, e.how, e.into)
        case "renamed":
            return (e.kind, e.unit, e.old_name, e.new_name)
        case "moved":
            return (e.kind, e.unit, e.old_parent, e.new_parent)
        case "split":
            return (e.kind, e.predecessor, e.successors, e.heir, e.inferred)
        case "merged":
            return (e.kind, e.predecessors, e.successor, e.inferred)
        case "spun_off":
            return (e.kind, e.unit, e.from_unit, e.old_status, e.new_status)
        case "returned":
            left = e.left_on.isoformat() if e.left_on else None
            return (e.kind, e.unit, e.back_to, left, e.to_parent, e.to_status)
        case "status_changed":
            return (e.kind, e.unit, e.old_status, e.new_status)
        case "plan_changed":
            return (e.kind, e.unit, e.old_plan, e.new_plan)
        case "kind_changed":
            return (e.kind, e.unit, e.old_kind, e.new_kind)
        case "leader_changed":
            return (e.kind, e.unit, e.role, e.old, e.new)
        case _:
            return (e.kind, e.unit, e.fields)


@pytest.mark.parametrize(("a", "b", "expected"), STEPS, ids=[f"{a}..{b}" for a, b, _ in STEPS])
def test_example_steps(
    example: orgmodel.History, a: str, b: str, expected: list[tuple[Any, ...]]
) -> None:
    d = example.diff(a, b)
    assert (d.a.isoformat(), d.b.isoformat()) == (a, b)
    assert [summary(e) for e in d.events] == expected
    rebuilt = d.apply(example.at(a))
    assert rebuilt == example.at(b)
    assert list(rebuilt.units) == list(example.at(b).units)
    assert all(e.since == d.a and e.date == d.b for e in d.events)


def test_without_history_returns_are_plain_changes(example: orgmodel.History) -> None:
    d = diff(example.at("2022-01-01"), example.at("2023-06-30"))
    assert [summary(e) for e in d.filter(kinds=["added", "moved", "returned"])] == [
        ("added", "mall"),
        ("moved", "search", "search-co", "platform"),
    ]


def test_lineage_return_without_history_has_no_date(example: orgmodel.History) -> None:
    d = diff(example.at("2021"), example.at("2022"))
    assert [summary(e) for e in d.filter(kinds=["returned"])] == [
        ("returned", "search-co", "standing", None, "group", "active")
    ]


def test_net_diff_hides_the_round_trip(example: orgmodel.History) -> None:
    d = example.diff("2020", "2023")
    assert d.filter(unit="search-co") == []
    assert [summary(e) for e in d.filter(unit="mall", kinds=["moved", "plan_changed"])] == [
        ("moved", "mall", "group", "commerce"),
        ("plan_changed", "mall", "sale_agreed", None),
    ]
    assert d.apply(example.at("2020")) == example.at("2023")


def test_diff_of_a_snapshot_with_itself_is_empty(example: orgmodel.History) -> None:
    for snapshot in example:
        d = diff(snapshot, snapshot, history=example)
        assert not d and d.is_empty and len(d) == 0
        assert d.apply(snapshot) == snapshot


def test_diff_is_deterministic(example: orgmodel.History) -> None:
    first = example.diff("2020", "2021")
    again = orgmodel.load_history(EXAMPLE).diff("2020", "2021")
    assert first.model_dump(mode="json") == again.model_dump(mode="json")


def test_filter(example: orgmodel.History) -> None:
    d = example.diff("2020", "2021")
    assert [e.kind for e in d.filter(unit="platform")] == ["moved", "split", "spun_off", "updated"]
    assert [e.kind for e in d.filter(unit="platform", kinds=["split"])] == ["split"]
    with pytest.raises(EventError, match="unknown event kind 'splt'"):
        d.filter(kinds=["splt"])


def test_apply_to_the_wrong_snapshot(example: orgmodel.History) -> None:
    d = example.diff("2020", "2021")
    with pytest.raises(EventError, match="apply it to the snapshot of 2020-01-01"):
        d.apply(example.at("2022"))


def test_events_round_trip_through_json(example: orgmodel.History) -> None:
    for a, b, _ in STEPS:
        d = example.diff(a, b)
        back = orgmodel.Diff.model_validate_json(d.model_dump_json())
        assert back.apply(example.at(a)) == example.at(b)
        assert [parse_event(e.model_dump(mode="json")).kind for e in d.events] == [
            e.kind for e in d.events
        ]


def test_json_schema_names_every_kind() -> None:
    schema = events_json_schema()
    assert sorted(schema["items"]["discriminator"]["mapping"]) == sorted(KINDS)


def test_net_diff_finds_how_a_unit_left_in_an_intermediate_snapshot(
    example: orgmodel.History,
) -> None:
    # Mall Retail's sale is declared in the 2021 file; a net diff from 2020 to 2022 still knows.
    removed = [e for e in example.diff("2020", "2022").events if e.kind == "removed"]
    assert [(e.unit, e.how) for e in removed] == [
        ("video", "absorbed"),
        ("music", "absorbed"),
        ("mall", "divested"),
    ]


def test_undeclared_removal_after_an_agreed_sale_is_a_divestiture() -> None:
    group = Unit(id="g", name="G", kind="holding")
    shop = Unit(id="s", name="Shop", kind="company", parent="g", plan="sale_agreed")
    a = Snapshot(dt.date(2020, 1, 1), [group, shop])
    b = Snapshot(dt.date(2021, 1, 1), [group])
    [event] = orgmodel.diff(a, b).events
    assert (event.kind, event.how) == ("removed", "divested")


@pytest.mark.parametrize(
    ("status", "before", "after"),
    [
        ("active", None, "sale_agreed"),
        ("standalone", None, "sale_agreed"),
        ("listed", "sale_agreed", "sale_cancelled"),
        ("active", "ipo_planned", "ipo_paused"),
    ],
)
def test_a_plan_is_never_a_spin_off_or_a_return(
    status: str, before: str | None, after: str | None
) -> None:
    group = Unit(id="g", name="G", kind="holding")

    def at(year: int, plan: str | None) -> Snapshot:
        unit = Unit(id="s", name="Shop", kind="company", parent="g", status=status, plan=plan)
        return Snapshot(dt.date(year, 1, 1), [group, unit])

    events = orgmodel.diff(at(2020, before), at(2021, after)).events
    assert [(e.kind, e.old_plan, e.new_plan) for e in events] == [("plan_changed", before, after)]


@pytest.mark.parametrize("status", ["standalone", "listed", "affiliate"])
def test_the_root_is_never_spun_off(status: str) -> None:
    a = Snapshot(dt.date(2020, 1, 1), [Unit(id="g", name="G", kind="holding")])
    b = Snapshot(dt.date(2021, 1, 1), [Unit(id="g", name="G", kind="holding", status=status)])
    assert [e.kind for e in orgmodel.diff(a, b).events] == ["status_changed"]
    assert [e.kind for e in orgmodel.diff(b, a).events] == ["status_changed"]


def test_an_old_status_that_was_a_plan_is_refused_with_how_to_write_it() -> None:
    with pytest.raises(ValueError, match="add 'plan: ipo_planned'"):
        Unit(id="x", name="X", kind="company", status="ipo_planned")


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_a_threshold_outside_0_1_is_refused_by_diff_and_changes(threshold: float) -> None:
    g = Unit(id="g", name="G", kind="holding")
    h = orgmodel.History([Snapshot(dt.date(2020, 1, 1), [g]), Snapshot(dt.date(2021, 1, 1), [g])])
    with pytest.raises(EventError, match="threshold must lie between 0 and 1"):
        diff(*h.snapshots, threshold=threshold)
    with pytest.raises(EventError, match="threshold must lie between 0 and 1"):
        h.changes(threshold=threshold)


def test_changes_leave_the_order_out_but_diff_keeps_it() -> None:
    # b lists its units in another order than a: the diff says so, so that apply rebuilds b;
    # the events of changes are the same either way.
    g, x, y = (Unit(id=u, name=u, kind="unit", parent=None if u == "g" else "g") for u in "gxy")
    h = orgmodel.History(
        [Snapshot(dt.date(2020, 1, 1), [g, x, y]), Snapshot(dt.date(2021, 1, 1), [g, y, x])]
    )
    d = h.diff("2020", "2021")
    assert d.order == ("g", "y", "x")
    assert list(d.apply(h.snapshots[0]).units) == ["g", "y", "x"]
    assert h.changes() == d.events


def test_units_declared_absorbed_into_one_new_unit_were_merged() -> None:
    absorbed = Removal(how="absorbed", into="m")
    a = snap(2020, u("a"), u("b"))
    b = snap(2021, u("m"), removed={"a": absorbed, "b": absorbed})
    merged = [brief(e) for e in diff(a, b).filter(kinds=["merged"])]
    assert merged == [("merged", {"predecessors": ("a", "b"), "successor": "m"})]


def test_a_unit_that_comes_back_with_its_lineage_is_not_split_off_again() -> None:
    first = snap(2020, u("p"))
    carved = snap(2021, u("p"), u("x", lineage=("p",)))
    history = orgmodel.History(
        [first, carved, snap(2022, u("p")), snap(2023, u("p"), u("x", lineage=("p",)))]
    )
    kinds = [(e.date.year, e.kind) for e in history.changes() if "x" in e.units]
    assert kinds == [(2021, "added"), (2021, "split"), (2022, "removed"), (2023, "returned")]


def test_applying_a_diff_rebuilds_title_summary_sources_and_removals() -> None:
    a = snap(2020, u("x"), u("y"))
    b = Snapshot(
        dt.date(2021, 1, 1),
        [u("g", None, kind="holding"), u("x")],
        title="After",
        summary="Y was wound up.",
        sources=("letter",),
        removed={"y": Removal(how="dissolved", note="Wound up.")},
    )
    rebuilt = diff(a, b).apply(a)
    assert rebuilt == b
    assert (rebuilt.title, rebuilt.summary, rebuilt.sources) == (
        "After",
        "Y was wound up.",
        ("letter",),
    )
    for changed in ({"title": "Other"}, {"summary": None}, {"sources": ()}, {"removed": {}}):
        other = Snapshot(b.date, list(b.units.values()), **{**_parts(b), **changed})
        assert other != b, changed


def _parts(s: Snapshot) -> dict[str, Any]:
    return {"title": s.title, "summary": s.summary, "sources": s.sources, "removed": s.removed}


def _bundled_diffs() -> list[orgmodel.Diff]:
    history = orgmodel.load_history()
    first, middle, last = (
        history.dates[0],
        history.dates[len(history.dates) // 2],
        history.dates[-1],
    )
    return [history.diff(first, last), history.diff(middle, last), history.diff(last, last)]


@pytest.mark.parametrize("d", _bundled_diffs(), ids=["whole", "second-half", "none"])
def test_diff_repr_is_one_line_of_dates_and_counts(d: orgmodel.Diff) -> None:
    counts = {kind: sum(e.kind == kind for e in d.events) for kind in KINDS}
    said = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items() if n)
    total = f"{len(d.events)} change{'' if len(d.events) == 1 else 's'}: {said}"
    assert repr(d) == str(d) == f"<Diff {d.a} -> {d.b}: {total if d.events else 'no change'}>"
    assert "\n" not in repr(d) and len(repr(d)) < 300


@pytest.mark.parametrize("d", _bundled_diffs(), ids=["whole", "second-half", "none"])
def test_diff_shows_in_a_notebook_as_a_markdown_table(d: orgmodel.Diff) -> None:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(d._repr_markdown_())
    assert f"<strong>Diff {d.a} → {d.b}</strong>" in html
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in html.split("<tr>")[2:]]
    present = [kind for kind in KINDS if any(e.kind == kind for e in d.events)]
    assert [row[0] for row in rows] == [orgmodel.events.TITLES[kind] for kind in present]
    for (_, count, shown), kind in zip(rows, present, strict=True):
        group = [e for e in d.events if e.kind == kind]
        units = list(dict.fromkeys(e.units[0] for e in group))
        assert count == str(len(group))
        assert re.findall("<code>(.*?)</code>", shown) == units[:8]
        assert (f"and {len(units) - 8} more" in shown) == (len(units) > 8)


def test_every_event_has_a_short_repr_naming_kind_unit_and_date() -> None:
    history = orgmodel.load_history()
    for event in history.changes():
        text = repr(event)
        assert (
            text == f"<{type(event).__name__} {event.kind} {', '.join(event.units)} {event.date}>"
        )
        assert len(text) < 200, text


@pytest.mark.parametrize("steps", [False, True])
@pytest.mark.parametrize(
    "wanted",
    [{}, {"unit": "aicheng"}, {"kinds": ["added", "moved"]}, {"exclude": ["updated"]}],
    ids=["all", "unit", "kinds", "exclude"],
)
def test_choose_keeps_what_a_report_asks_for(steps: bool, wanted: dict[str, Any]) -> None:
    from orgmodel.compare import choose, select

    history = orgmodel.load_history()
    a, b = history.dates[len(history.dates) // 3], history.dates[-1]
    chosen = choose(history, a, b, steps=steps, **wanted)
    made = history.changes(a, b) if steps else history.diff(a, b).events
    assert chosen.events == select(made, **wanted)
    assert (chosen.a, chosen.b) == (a, b)
    assert (chosen.net is None) == steps


def test_choose_refuses_dates_out_of_order_and_unknown_units() -> None:
    from orgmodel.compare import choose

    history = orgmodel.load_history()
    with pytest.raises(orgmodel.OrgModelError, match="give the earlier date first"):
        choose(history, history.dates[-1], history.dates[0])
    with pytest.raises(orgmodel.OrgModelError, match="did you mean"):
        choose(history, unit="aichen")
