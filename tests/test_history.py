"""History: the in-force rule, partial dates, graphs."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

import orgmodel
from orgmodel import DateError, History, Snapshot, Unit, UnknownUnitError, parse_date


@pytest.mark.parametrize(
    ("query", "used"),
    [
        ("2020-01-01", "2020-01-01"),  # on a snapshot's date: that snapshot
        ("2020-12-31", "2020-01-01"),  # the day before the next: still the earlier one
        ("2021-01-01", "2021-01-01"),
        ("2021", "2021-01-01"),  # a year means its last day
        ("2023-06", "2023-06-30"),  # a month means its last day
        ("2023-05", "2022-01-01"),
        ("2030-01-01", "2023-06-30"),  # after the last: the last stays in force
        (dt.date(2022, 6, 1), "2022-01-01"),
    ],
)
def test_at_returns_the_snapshot_in_force(example, query, used):
    assert example.at(query).date.isoformat() == used


def test_before_the_first_snapshot_names_it(example):
    with pytest.raises(DateError, match=r"2019-12-31 is before the first snapshot \(2020-01-01\)"):
        example.at("2019-12-31")


@pytest.mark.parametrize("bad", ["2023-13", "2023-02-30", "yesterday", "23-01-01", ""])
def test_bad_dates_are_refused(bad):
    with pytest.raises(DateError):
        parse_date(bad)


def test_dates_ascending(example):
    assert example.dates == tuple(sorted(example.dates))
    assert len(example.dates) == 4


def test_graph_has_every_unit_field_and_the_date(example):
    graph = example.graph("2021-06-01")
    assert isinstance(graph, nx.DiGraph)
    assert graph.graph["date"] == dt.date(2021, 1, 1)
    snapshot = example.at("2021-06-01")
    assert set(graph.nodes) == set(snapshot.units)
    assert set(graph.edges) == {(u.parent, u.id) for u in snapshot.units.values() if u.parent}
    node = graph.nodes["search-co"]
    assert node["name"] == "Search Co"
    assert node["status"] == "standalone"
    assert node["lineage"] == ("platform",)
    assert node["parent"] == "group"
    assert node["depth"] == 1
    assert set(Unit.model_fields) - {"id"} <= set(node)
    assert nx.is_tree(graph)


def test_graph_attributes_are_the_unit_fields_as_plain_values():
    history = orgmodel.load_history()
    for date in history.dates:
        snapshot, graph = history.at(date), history.graph(date)
        for uid, unit in snapshot.units.items():
            expected = {**unit.model_dump(exclude={"id"}), "depth": snapshot.depth(uid)}
            assert graph.nodes[uid] == expected, (date, uid)
    # A node's attributes are its own: changing them leaves the unit as it was.
    graph.nodes[uid]["field_confidence"]["scratch"] = "unconfirmed"
    assert "scratch" not in snapshot.units[uid].field_confidence


def test_presence_lists_the_snapshots_that_hold_a_unit(example):
    assert example.presence("group") == example.dates
    # Formed in 2021 from video and music, which it replaced.
    assert example.presence("streaming") == (
        dt.date(2021, 1, 1),
        dt.date(2022, 1, 1),
        dt.date(2023, 6, 30),
    )
    assert example.presence("video") == (dt.date(2020, 1, 1),)
    with pytest.raises(UnknownUnitError):
        example.presence("nowhere")


def test_unknown_unit_suggests_close_ids(example):
    with pytest.raises(UnknownUnitError, match=r"unit 'serch' is in no snapshot; did you mean"):
        example.check_unit("serch")


def test_snapshot_build_checks_structure():
    units = [Unit(id="g", name="G", kind="holding"), Unit(id="a", name="A", kind="x", parent="q")]
    with pytest.raises(Exception, match="parent 'q' does not exist"):
        Snapshot.build(dt.date(2020, 1, 1), units)


def test_history_refuses_two_snapshots_of_one_date():
    one = Snapshot(dt.date(2020, 1, 1), [Unit(id="g", name="G", kind="holding")])
    with pytest.raises(Exception, match="two snapshots are dated 2020-01-01"):
        History([one, one])


def test_snapshot_tree_queries(example):
    s = example.at("2020")
    assert s.root == "group"
    assert s.children("platform") == ("search", "data", "lab")
    assert list(s.descendants("media")) == ["video", "music"]
    assert s.ancestors("search") == ["platform", "group"]
    assert s.depth("video") == 2


@pytest.mark.parametrize("call", ["diff", "changes"])
def test_dates_in_the_wrong_order_are_refused(example, call):
    with pytest.raises(DateError, match="2022 is after 2021; give the earlier date first"):
        getattr(example, call)("2022", "2021")


def test_unchanged_units_share_one_record_across_snapshots(example):
    first, second = example.snapshots[0], example.snapshots[1]
    # Shop did not change from 2020 to 2021: one record serves both snapshots.
    assert second.units["shop"] is first.units["shop"]
    # The commerce group was renamed: two records.
    assert second.units["commerce"] is not first.units["commerce"]
    assert second.units["commerce"].name == "Commerce & Retail Group"


def test_sharing_keeps_snapshots_equal():
    from orgmodel.snapshot import share_unchanged

    g = Unit(id="g", name="G", kind="holding")
    a = Snapshot(dt.date(2020, 1, 1), [g, Unit(id="x", name="X", kind="unit", parent="g")])
    b = Snapshot(
        dt.date(2021, 1, 1),
        [Unit(id="g", name="G", kind="holding"), Unit(id="x", name="Y", kind="unit", parent="g")],
    )
    shared = share_unchanged(a, b)
    assert shared == b
    assert shared.units["g"] is g
    assert shared.units["x"] is b.units["x"]


def _units(*ids: str) -> list[Unit]:
    top = Unit(id="g", name="G", kind="holding")
    return [top, *(Unit(id=uid, name=uid.upper(), kind="unit", parent="g") for uid in ids)]


def _plain(s: Snapshot) -> Snapshot:
    return Snapshot(s.date, s.units.values(), title=s.title, removed=s.removed)


def test_a_history_records_each_step_by_identity():
    from orgmodel.snapshot import step_between

    days = [dt.date(2020 + i, 1, 1) for i in range(3)]
    h = History(
        [
            Snapshot(days[0], _units("x", "y", "z")),
            Snapshot(
                days[1], [*_units("y", "z")[:2], Unit(id="z", name="Zed", kind="unit", parent="g")]
            ),
            Snapshot(days[2], _units("y")),
        ]
    )
    first, second, third = h.snapshots
    touched, gone, in_order, differ = step_between(first, second)
    assert [
        (i, uid, old is first.units["z"], new is second.units["z"]) for i, uid, old, new in touched
    ] == [(2, "z", True, True)]
    assert (gone, in_order, differ) == (["x"], True, True)
    # Across two steps: z was renamed, then left; y never changed.
    touched, gone, in_order, differ = step_between(first, third)
    assert (touched, gone, in_order, differ) == ([], ["x", "z"], True, False)
    # A snapshot the steps do not lead from.
    assert step_between(third, first) is None
    assert step_between(_plain(first), second) is None


def test_a_unit_that_left_and_came_back_elsewhere_breaks_the_order():
    # x leaves, then comes back first in line: over both steps, b's order is not a's, though
    # each step kept the order of the units it kept.
    days = [dt.date(2020 + i, 1, 1) for i in range(3)]
    units = _units("x", "y")
    h = History(
        [
            Snapshot(days[0], units),
            Snapshot(days[1], [units[0], units[2]]),
            Snapshot(days[2], [units[1], units[0], units[2]]),
        ]
    )
    first, _, third = h.snapshots
    d = orgmodel.diff(first, third)
    assert d.events == [] and d.order == ("x", "g", "y")
    assert d == orgmodel.diff(_plain(first), _plain(third))
    assert list(d.apply(first).units) == ["x", "g", "y"]


def test_an_order_broken_and_mended_again_is_the_natural_order():
    days = [dt.date(2020 + i, 1, 1) for i in range(3)]
    g, x, y = _units("x", "y")
    h = History(
        [Snapshot(days[0], [g, x, y]), Snapshot(days[1], [g, y, x]), Snapshot(days[2], [g, x, y])]
    )
    first, second, third = h.snapshots
    assert orgmodel.diff(first, second).order == ("g", "y", "x")
    d = orgmodel.diff(first, third)
    assert d.order is None
    assert d == orgmodel.diff(_plain(first), _plain(third))


def test_a_step_does_not_keep_the_earlier_snapshot_alive():
    import gc
    import weakref

    days = [dt.date(2020, 1, 1), dt.date(2021, 1, 1)]
    h = History([Snapshot(days[0], _units("x")), Snapshot(days[1], _units("y"))])
    first, second = h.snapshots
    gone = weakref.ref(first)
    del h, first
    gc.collect()
    assert gone() is None
    # Without its base the step is not used; a diff still walks every unit.
    other = Snapshot(days[0], _units("x"))
    assert [e.kind for e in orgmodel.diff(other, second).events] == ["added", "removed"]


def test_snapshots_and_histories_survive_pickle_and_copy(example):
    import copy
    import pickle

    h = pickle.loads(pickle.dumps(example))
    assert h.dates == example.dates and h.title == example.title
    assert all(x == y for x, y in zip(h.snapshots, example.snapshots, strict=True))
    assert [s.removed for s in h.snapshots] == [s.removed for s in example.snapshots]
    assert dict(h.sources) == dict(example.sources) and h.kinds == example.kinds
    # The copy is a history in its own right: shared records, steps, the same diffs.
    first, second = h.snapshots[:2]
    assert second.units["shop"] is first.units["shop"]
    assert h.diff(h.dates[0], h.dates[-1]) == example.diff(example.dates[0], example.dates[-1])
    s = copy.deepcopy(example.snapshots[1])
    assert s == example.snapshots[1] and s.path == example.snapshots[1].path
    assert copy.copy(s).title == s.title


def test_returns_are_dated_from_the_last_snapshot_before_the_unit_left():
    # x sits under p for three snapshots, under q for one, then back under p; y is listed for
    # two, then in line, then listed again; z is there for two, gone for one, then back.
    def unit(uid, parent="g", status="active"):
        return Unit(id=uid, name=uid.upper(), kind="unit", parent=parent, status=status)

    g = Unit(id="g", name="G", kind="holding")
    rows = [
        ("p", "active", True),
        ("p", "active", True),
        ("p", "listed", True),
        ("q", "listed", False),
        ("p", "active", True),
    ]
    snapshots = []
    for i, (x_parent, y_status, z_there) in enumerate(rows):
        units = [g, unit("p"), unit("q"), unit("x", x_parent), unit("y", status=y_status)]
        snapshots.append(
            Snapshot(dt.date(2020 + i, 1, 1), units + ([unit("z")] if z_there else []))
        )
    h = History(snapshots)
    returned = {
        e.unit: (e.date.year, e.back_to, e.left_on.year) for e in h.changes(kinds=["returned"])
    }
    # y was listed in 2022, after two years in line: its return is dated from then.
    assert returned == {
        "x": (2024, "parent", 2023),
        "z": (2024, "group", 2023),
        "y": (2024, "standing", 2022),
    }
    spun = [(e.date.year, e.unit) for e in h.changes(kinds=["spun_off"])]
    assert spun == [(2022, "y")]
    # The same answers when the snapshots are searched one by one.
    plain = [Snapshot(s.date, s.units.values()) for s in h.snapshots]
    for a, b in zip(h.snapshots, h.snapshots[1:], strict=False):
        i = h.snapshots.index(a)
        assert orgmodel.diff(a, b, history=h) == orgmodel.diff(plain[i], plain[i + 1], history=h)


def test_a_history_leaves_the_snapshots_it_is_given_as_they_were() -> None:
    import datetime as dt

    from orgmodel.model import Unit

    group = Unit(id="g", name="G", kind="holding")
    given = [
        orgmodel.Snapshot(dt.date(2020, 1, 1), [group]),
        orgmodel.Snapshot(
            dt.date(2021, 1, 1), [group, Unit(id="x", name="X", kind="unit", parent="g")]
        ),
    ]
    records = [dict(s.units) for s in given]
    history = orgmodel.History(given)
    assert [dict(s.units) for s in given] == records
    assert all(s._step is None for s in given)  # the step between them is the history's own
    assert [e.kind for e in history.changes()] == ["added"]
