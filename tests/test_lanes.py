"""The lanes of a timeline, checked against the snapshots and events they come from."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

import orgmodel
from orgmodel import lanes as lanes_module
from orgmodel.lanes import FOLLOW_GAP, LANE_BUDGET, MARKED, MAX_TITLES, Lanes, timeline_lanes
from orgmodel.periods import period_openings

from .randomhistory import random_history


def bundled() -> orgmodel.History:
    return orgmodel.load_history()


def segment_on(lanes: Lanes, uid: str, day: dt.date):
    lane = next(lane for lane in lanes.lanes if lane.unit == uid)
    return next(s for s in lane.segments if s.start <= day < s.end or s.start == s.end == day)


def check_against_data(history: orgmodel.History, lanes: Lanes) -> None:
    """Each lane says what the snapshots say, day for day; each change is on its lane."""
    units = [lane.unit for lane in lanes.lanes]
    assert len(units) == len(set(units))  # one lane per unit
    index = {uid: i for i, uid in enumerate(units)}
    for lane in lanes.lanes:
        assert lane.index == index[lane.unit]
        assert lane.parent is None or index[lane.parent] < lane.index  # parents above
        for segment in lane.segments:
            assert lanes.start <= segment.start <= segment.end <= lanes.end
        for earlier, later in zip(lane.segments, lane.segments[1:], strict=False):
            assert earlier.end <= later.start
    for snapshot in history.snapshots:
        day = max(snapshot.date, lanes.start)
        if not (lanes.start <= snapshot.date <= lanes.end) and snapshot.date not in lanes.dates:
            continue
        if day >= lanes.end and lanes.end != lanes.start:
            continue
        for uid in set(units) & snapshot.units.keys():
            record, segment = snapshot.units[uid], segment_on(lanes, uid, day)
            assert (segment.parent, segment.name, segment.kind) == (
                record.parent,
                record.name,
                record.kind,
            )
            if uid == snapshot.root:
                assert segment.standing == "in_line"
    rows = [lane.row for lane in lanes.lanes]
    marked = {(rows[m.lane], m.date) for m in lanes.marks}
    for lane in lanes.lanes:
        for move in lane.moves:
            assert (lane.row, move.date) in marked, (lane.unit, move)
    check_rows(lanes)


def check_rows(lanes: Lanes) -> None:
    """Lanes that share a row are of units under one parent, none under them, one after the
    other in time; the rows are numbered top to bottom in the order of the lanes."""
    rows: dict[int, list] = {}
    for lane in lanes.lanes:
        rows.setdefault(lane.row, []).append(lane)
    assert sorted(rows) == list(range(lanes.rows))
    assert [lane.row for lane in lanes.lanes if lane is rows[lane.row][0]] == list(
        range(lanes.rows)
    )
    parents = {lane.parent for lane in lanes.lanes}
    for shared in rows.values():
        if len(shared) == 1:
            continue
        assert len({lane.parent for lane in shared}) == 1
        assert not parents & {lane.unit for lane in shared}
        for earlier, later in itertools.pairwise(shared):
            assert earlier.end <= later.start and earlier.end < lanes.end


def test_default_timeline_of_the_bundled_data() -> None:
    history = bundled()
    lanes = timeline_lanes(history)
    check_against_data(history, lanes)
    assert (lanes.start, lanes.end) == (history.dates[0], history.dates[-1])  # no bars past it
    assert lanes.dates == history.dates
    titles = {s.date: s.title for s in history.snapshots}
    assert 0 < len(lanes.titles) <= MAX_TITLES
    assert all(titles[t.date] == t.title for t in lanes.titles)
    # The first titles are those of the snapshots that open the lasting periods.
    openings = {history.dates[i] for i in period_openings(history, level=1, count=MAX_TITLES)}
    ranked = [t.date in openings for t in lanes.titles]
    assert ranked == sorted(ranked, reverse=True) and ranked[0]
    assert lanes.depth == 1 and lanes.rows <= LANE_BUDGET
    # Without room for names, each lane has its row; no unit of the first level is lost
    # without being named.
    everything = timeline_lanes(history, depth=1)
    assert everything.rows == len(everything.lanes)
    shown = {lane.unit for lane in lanes.lanes}
    left = [lane for lane in everything.lanes if lane.unit not in shown]
    assert sorted(n.en for n in lanes.left_out) == sorted(
        next(s.units[lane.unit].name for s in reversed(history.snapshots) if lane.unit in s.units)
        for lane in left
    )
    assert lanes.deeper == len(history.unit_ids()) - len(everything.lanes)
    assert lanes.lanes[0].unit == history.snapshots[0].root


def test_rows_are_shared_by_units_that_follow_one_another() -> None:
    history = bundled()
    lanes = timeline_lanes(history, depth=1, room=lambda lane: 0.08)
    check_against_data(history, lanes)
    assert lanes.rows < len(lanes.lanes)
    by_unit = {lane.unit: lane for lane in lanes.lanes}
    span = (lanes.end - lanes.start).days
    related = {
        (p, e.successor) for e in history.changes() if e.kind == "merged" for p in e.predecessors
    } | {(e.units[0], e.into) for e in history.changes() if e.kind == "removed" and e.into}
    related |= {
        (e.predecessor, s) for e in history.changes() if e.kind == "split" for s in e.successors
    }
    for lane in lanes.lanes:
        earlier = [o for o in lanes.lanes if o.row == lane.row and o.index < lane.index]
        if not earlier:
            assert lane.after is None and not lane.succeeds
            continue
        last = max(earlier, key=lambda o: o.end)
        # Each later lane says which unit it follows, and whether it came from it.
        assert (lane.after, lane.succeeds) == (last.unit, (last.unit, lane.unit) in related)
        gap = (lane.start - last.end).days
        assert lane.succeeds or gap >= FOLLOW_GAP * span
        first_change = lane.segments[0].end if len(lane.segments) > 1 else None
        if first_change is not None:
            assert (first_change - lane.start).days >= 0.08 * span  # room for its name
    # A unit absorbed into another shares its row with it: Alibaba Cloud and its successor.
    pairs = [(a, b) for a, b in related if a in by_unit and b in by_unit]
    assert any(by_unit[a].row == by_unit[b].row for a, b in pairs)
    assert any(lane.after and not lane.succeeds for lane in lanes.lanes)  # and unrelated ones


def test_each_unit_keeps_one_lane_through_its_moves() -> None:
    history = bundled()
    lanes = timeline_lanes(history, depth=1)
    check_against_data(history, lanes)
    taobao = next(lane for lane in lanes.lanes if lane.unit == "taobao")
    parents = [s.parent for s in taobao.segments]
    assert len(set(parents)) > 1
    assert [m.new_parent for m in taobao.moves] == [
        b for a, b in itertools.pairwise(parents) if a != b
    ]


def test_every_marked_event_is_on_its_units_lane() -> None:
    history = bundled()
    lanes = timeline_lanes(history, depth=2)
    shown = {lane.unit: lane.index for lane in lanes.lanes}
    marked = {(m.lane, m.date) for m in lanes.marks}
    for event in history.changes():
        if event.kind not in MARKED:
            continue
        uid = {
            "split": getattr(event, "predecessor", None),
            "merged": getattr(event, "successor", None),
        }.get(event.kind, event.units[0])
        if uid in shown:
            assert (shown[uid], event.date) in marked, event


@pytest.mark.parametrize(
    ("unit", "units"),
    [
        ("aicheng", {"alibaba", "middle-office", "data-technology"}),
        ("chengdun", {"alibaba", "cro-line"}),
    ],
)
def test_a_unit_story(unit: str, units: set[str]) -> None:
    history = bundled()
    lanes = timeline_lanes(history, unit=unit)
    check_against_data(history, lanes)
    own = [e.date for e in history.lineage(unit) if unit in e.units and e.kind != "updated"]
    first = history.dates[history.index(min(own)) - 1]
    last = history.dates[history.index(max(own)) + 1]
    assert (lanes.start, lanes.end) == (first, last)  # the snapshot before and after its story
    assert {lane.unit for lane in lanes.lanes} == units | {unit}
    story = next(lane for lane in lanes.lanes if lane.unit == unit)
    assert [s.standing for s in story.segments] == ["standalone", "in_line"]
    assert {m.kind for m in lanes.marks if m.unit == unit} == {"spun_off", "returned"}


def test_a_window_clips_the_bars_to_its_dates() -> None:
    history = bundled()
    lanes = timeline_lanes(history, start="2023-05-01", end="2023-05-31")
    check_against_data(history, lanes)
    assert (lanes.start, lanes.end) == (dt.date(2023, 5, 1), dt.date(2023, 5, 31))
    in_force = history.at("2023-05-01").date
    assert lanes.dates == tuple(d for d in history.dates if in_force <= d <= lanes.end)
    assert all(lane.segments[0].start >= lanes.start for lane in lanes.lanes)
    with pytest.raises(orgmodel.OrgModelError, match="before it starts"):
        timeline_lanes(history, start="2023-05-01", end="2023-04-01")


def test_what_was_announced_is_a_plan_on_the_lane() -> None:
    history = bundled()
    lanes = timeline_lanes(history, depth=1)
    cloud = next(lane for lane in lanes.lanes if lane.unit == "cloud-intelligence")
    planned = [s for s in cloud.segments if s.plan == "spin_off_planned"]
    assert planned and all(s.pending and s.standing == "in_line" for s in planned)
    dropped = [s for s in cloud.segments if s.plan == "spin_off_cancelled"]
    assert dropped and not any(s.pending for s in dropped)
    assert all(s.standing == "in_line" for s in cloud.segments)  # never spun off
    cainiao = next(lane for lane in lanes.lanes if lane.unit == "cainiao")
    assert any(s.plan == "ipo_planned" and s.pending for s in cainiao.segments)
    top = lanes.lanes[0]
    assert any(s.units[top.unit].status == "listed" for s in history.snapshots)
    assert {s.standing for s in top.segments} == {"in_line"}  # the top is never stand-alone


@pytest.mark.parametrize("seed", range(6))
def test_lanes_of_random_histories(seed: int) -> None:
    history = random_history(40, 6, seed)
    for lanes in (
        timeline_lanes(history),
        timeline_lanes(history, depth=100),
        timeline_lanes(history, room=lambda lane: 0.1),
    ):
        check_against_data(history, lanes)
    deepest = timeline_lanes(history, depth=100)
    assert {lane.unit for lane in deepest.lanes} == history.unit_ids()


def exhaustive_choice(
    history: orgmodel.History, budget: int, room
) -> tuple[int, list[tuple[str, int]], list[str]]:
    """The depth, the lanes (unit, row) and the ids left out, chosen as the rule says by laying
    out every candidate: each level, then each first-level unit in turn."""
    window = lanes_module._window(history, None, None, None)
    events = lanes_module._events(history, window)
    layout = lanes_module._Layout(
        window, room, lanes_module._related(events), lanes_module._first_seen(window), {}, {}
    )

    def laid_out(shown: set[str]) -> list[tuple[str, int]]:
        return [(lane.unit, lane.row) for lane in lanes_module._build(layout, shown)]

    def rows(shown: set[str]) -> int:
        return max((row for _, row in laid_out(shown)), default=-1) + 1

    def level(depth: int) -> set[str]:
        return {uid for s in window.snapshots for uid in s.units if s.depth(uid) <= depth}

    depth = 1
    for deeper in range(2, max(s.depth(u) for s in window.snapshots for u in s.units) + 1):
        if rows(level(deeper)) > budget:
            break
        depth = deeper
    if rows(level(depth)) <= budget:
        return depth, laid_out(level(depth)), []
    kept: list[str] = []
    left: list[str] = []
    for uid in lanes_module._ranked(events, window, level(1)):
        (kept if rows({*kept, uid}) <= budget else left).append(uid)
    return 1, laid_out(set(kept)), left


@pytest.mark.parametrize("budget", [8, 20, LANE_BUDGET, 60])
def test_the_depth_and_units_chosen_are_those_of_laying_out_every_candidate(budget: int) -> None:
    cases = [bundled(), *(random_history(size, 6, seed) for size in (40, 90) for seed in range(3))]
    for history in cases:
        for room in (None, lambda lane: len(lane.name) / 300):
            lanes = timeline_lanes(history, budget=budget, room=room)
            depth, laid_out, left = exhaustive_choice(history, budget, room)
            assert lanes.depth == depth
            assert [(lane.unit, lane.row) for lane in lanes.lanes] == laid_out
            names = {uid: s.units[uid].name for s in history.snapshots for uid in s.units}
            assert [name.en for name in lanes.left_out] == [names[uid] for uid in left]
