"""The lanes of a timeline: what a timeline of a history shows, as plain data.

One lane per unit for the whole of its life in the period: its segments (stretches during which
its parent, status, plan, kind and name stayed the same), its moves, and marks for the events
that touched it, at their dates. Lanes are ordered as a tree, each unit under the parent it had
longest in the period, so a unit that moves keeps its one lane and the move is a mark on it.
Renderers draw this view; they work out nothing about the organisation themselves.

>>> import orgmodel
>>> history = orgmodel.load_history()
>>> lanes = timeline_lanes(history, unit="aicheng")
>>> lanes.start < history.presence("aicheng")[0] < lanes.end  # its story: the carve-out
True
>>> [lane.unit for lane in lanes.lanes]
['alibaba', 'middle-office', 'data-technology', 'aicheng']
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from orgmodel.dates import DateLike, parse_date
from orgmodel.errors import DateError
from orgmodel.model import ENDED_PLANS, standing_of
from orgmodel.periods import moved, period_openings, placement

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.model import Unit
    from orgmodel.snapshot import Snapshot

__all__ = [
    "LANE_BUDGET",
    "MARKED",
    "MAX_TITLES",
    "TAIL_ROOM",
    "Lane",
    "Lanes",
    "Link",
    "Mark",
    "Move",
    "Name",
    "Phrase",
    "Segment",
    "Title",
    "timeline_lanes",
]

#: The most rows a timeline chooses to show when no depth is asked for: few enough that the
#: picture, its text at the org chart's size, fits a 1080-pixel screen at 100% and a page.
LANE_BUDGET = 34
#: The most snapshot titles a timeline gives, in order of rank.
MAX_TITLES = 16

#: The event kinds a timeline marks, most telling first (when several fall on one lane on one
#: day, the first names the mark).
MARKED: tuple[str, ...] = (
    "spun_off",
    "returned",
    "merged",
    "split",
    "removed",
    "status_changed",
    "plan_changed",
    "moved",
    "kind_changed",
    "renamed",
)

#: The kinds of change a timeline is most there to show: a unit's standing or plan, or units
#: coming together or apart.
_TELLING = frozenset(MARKED[:4]) | {"status_changed", "plan_changed"}


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a lane, from ``start`` (inclusive) to ``end`` (exclusive), in which the
    unit's parent, status, plan, kind and name stayed the same.

    ``standing`` is what the status makes the unit (``in_line``, ``standalone``, ``outside``);
    the top of the organisation is always ``in_line``. ``plan`` is the last word on what had been
    announced about it (an IPO planned, a sale agreed, a spin-off cancelled), or None;
    ``pending`` says whether that plan is still to be carried out (not cancelled).
    """

    start: dt.date
    end: dt.date
    parent: str | None
    status: str
    plan: str | None
    standing: str
    kind: str
    name: str
    name_zh: str | None = None

    @property
    def pending(self) -> bool:
        """Whether something announced about the unit is still to be done."""
        return self.plan is not None and self.plan not in ENDED_PLANS


@dataclass(frozen=True, slots=True)
class Move:
    """A change of parent on a lane, on the date of the snapshot that shows it."""

    date: dt.date
    old_parent: str | None
    new_parent: str | None


@dataclass(frozen=True, slots=True)
class Lane:
    """One unit's row: its segments in time order and the moves between them.

    ``parent`` is the unit the lane is drawn under (the parent it had longest in the period),
    ``depth`` its depth in that tree of lanes, and ``band`` the lane's top-level group.
    ``row`` is the line it is drawn on: lanes of units under one parent whose lives do not
    overlap may follow one another on one row (see :func:`timeline_lanes`); ``after`` is then
    the unit before it on its row, and ``succeeds`` says whether it came from that unit (by a
    merger, absorption or split) or is a new one, unrelated to it.
    """

    index: int
    unit: str
    parent: str | None
    depth: int
    band: str | None
    segments: tuple[Segment, ...]
    moves: tuple[Move, ...]
    row: int = 0
    after: str | None = None
    succeeds: bool = False

    @property
    def start(self) -> dt.date:
        """The first day of the lane's first segment."""
        return self.segments[0].start

    @property
    def end(self) -> dt.date:
        """The end of the lane's last segment."""
        return self.segments[-1].end

    @property
    def name(self) -> str:
        """The unit's name at the start of its lane."""
        return self.segments[0].name

    @property
    def name_zh(self) -> str | None:
        """The unit's Chinese name at the start of its lane, where known."""
        return self.segments[0].name_zh


class Name(NamedTuple):
    """A unit's name in English and, where known, in Chinese."""

    en: str
    zh: str | None = None


class Phrase(NamedTuple):
    """What one event says on its lane, for a renderer to put in words: ``key`` names a phrase
    (an event kind, or a form such as ``moved_under``), ``names`` the units it names, ``word``
    a status, plan, kind or way of removal it names."""

    key: str
    names: tuple[Name, ...] = ()
    word: str | None = None
    #: The unit the event is about, where one mark tells of several units' events (a unit
    #: that ends on the day the next on its row begins), so that each phrase says whose it is.
    subject: Name | None = None


@dataclass(frozen=True, slots=True)
class Mark:
    """The events of one unit on one day, on its lane: the most telling kind, and what each of
    the events says (most telling first)."""

    kind: str
    date: dt.date
    lane: int
    phrases: tuple[Phrase, ...]
    unit: str


@dataclass(frozen=True, slots=True)
class Link:
    """A line between two lanes on a date: a split (fork), a merger or absorption (join)."""

    kind: str
    date: dt.date
    from_lane: int
    to_lane: int


@dataclass(frozen=True, slots=True)
class Title:
    """A snapshot's date and title, to be written at its date."""

    date: dt.date
    title: str


@dataclass(frozen=True, slots=True)
class Lanes:
    """What a timeline shows: the period from ``start`` to ``end``, the lanes top to bottom, the
    event marks and links, the snapshots used (``dates``, with their ``titles``), the depth
    shown, the units of that depth left out to keep within the row budget, and how
    many units of the period lie deeper than the depth shown (none with ``unit``)."""

    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    links: tuple[Link, ...]
    start: dt.date
    end: dt.date
    dates: tuple[dt.date, ...]
    titles: tuple[Title, ...]
    depth: int | None
    unit: str | None
    left_out: tuple[Name, ...] = ()
    deeper: int = 0

    @property
    def rows(self) -> int:
        """How many rows the lanes are drawn on."""
        return max((lane.row for lane in self.lanes), default=-1) + 1


class _Window(NamedTuple):
    start: dt.date
    end: dt.date
    snapshots: tuple[Snapshot, ...]


def timeline_lanes(
    history: History,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    unit: str | None = None,
    depth: int | None = None,
    budget: int = LANE_BUDGET,
    max_titles: int = MAX_TITLES,
    room: Callable[[Lane], float] | None = None,
) -> Lanes:
    """The lanes of a timeline of ``history``.

    Parameters
    ----------
    history : History
    start, end : date or str, optional
        The period; by default all of it, or with ``unit`` the unit's story: from the snapshot
        before its first change to the one after its last.
    unit : str, optional
        Show this unit, the units its changes involved and their parents; ``depth`` then counts
        levels below the unit (default 0).
    depth : int, optional
        Show units at most this many levels below the top. By default, the deepest level whose
        lanes fit in ``budget`` rows, or the first level's units that fit, in order of what
        they have to tell (``left_out`` names the others).
    max_titles : int
        At most this many snapshot titles, ranked: the openings of the lasting periods at the
        depth shown first (:mod:`orgmodel.periods`), then the dates with most marks.
    room : callable, optional
        The share of the period a lane's name needs (asked once per unit: its name is the one
        at the start of its lane). Given it, units under one parent whose lives follow one
        another may share a row (see :func:`_packed`); not in a unit's story.

    Examples
    --------
    >>> import orgmodel
    >>> h = orgmodel.load_history()
    >>> lanes = timeline_lanes(h, start="2023-03-28", end="2023-12-31", depth=1)
    >>> lanes.dates[0], lanes.end, lanes.lanes[0].unit
    (datetime.date(2023, 3, 28), datetime.date(2023, 12, 31), 'alibaba')
    """
    if unit is not None:
        history.check_unit(unit)
    window = _window(history, start, end, unit)
    events = _events(history, window)
    layout = _Layout(
        window, room if unit is None else None, _related(events), _first_seen(window), {}, {}
    )
    depth, lanes, left_out = _shown(history, events, layout, unit, depth, budget)
    index = {lane.unit: lane.index for lane in lanes}
    marks = _marks(events, index, [lane.row for lane in lanes], window)
    return Lanes(
        lanes=lanes,
        marks=marks,
        links=_links(events, index),
        start=window.start,
        end=window.end,
        dates=tuple(s.date for s in window.snapshots),
        titles=_titles(history, window, marks, max_titles, None if unit else depth),
        depth=depth,
        unit=unit,
        left_out=tuple(_name_of(window, uid) for uid in left_out),
        deeper=0 if unit is not None or depth is None else _deeper(window, depth),
    )


def _shown(
    history: History,
    events: Sequence[Any],
    layout: _Layout,
    unit: str | None,
    depth: int | None,
    budget: int,
) -> tuple[int | None, tuple[Lane, ...], tuple[str, ...]]:
    """The depth shown, the lanes, and the units left out."""
    window = layout.window
    if unit is not None:
        return depth, _build(layout, _focus(history, window, unit, depth or 0)), ()
    if depth is not None:
        return depth, _build(layout, _by_depth(_levels(window.snapshots), depth)), ()
    return _choose(events, layout, budget)


# The period ----------------------------------------------------------------------------------


def _window(
    history: History, start: DateLike | None, end: DateLike | None, unit: str | None
) -> _Window:
    dates = history.dates
    if unit is not None and start is None and end is None:
        first, last = _story(history, unit)
        return _Window(dates[first], dates[last], history.snapshots[first : last + 1])
    history.span(start, end)  # the one rule for two dates the wrong way round
    begin = parse_date(start) if start is not None else dates[0]
    first = history.index(begin)
    finish = min(parse_date(end), dates[-1]) if end is not None else dates[-1]
    if finish < begin:
        raise DateError(
            f"the period ends ({finish}) before it starts ({begin}); give --to after --from"
        )
    last = history.index(finish)
    return _Window(begin, finish, history.snapshots[first : last + 1])


def _story(history: History, unit: str) -> tuple[int, int]:
    """Indexes of the snapshots before the unit's first change and after its last."""
    days = [e.date for e in history.lineage(unit) if unit in e.units and e.kind in MARKED]
    days += [e.date for e in history.lineage(unit) if e.units[:1] == (unit,) and e.kind == "added"]
    present = history.presence(unit)
    if not days:
        return history.index(present[0]), history.index(present[-1])
    first = max(history.index(min(days)) - 1, 0)
    last = min(history.index(max(days)) + 1, len(history.dates) - 1)
    return first, last


def _titles(
    history: History, window: _Window, marks: Sequence[Mark], limit: int, depth: int | None
) -> tuple[Title, ...]:
    """At most ``limit`` of the snapshots' titles, in order of rank (see
    :func:`timeline_lanes`); with ``depth`` None (a unit's story), those with most marks
    first."""
    titled = [Title(s.date, s.title) for s in window.snapshots if s.title]
    count = Counter(mark.date for mark in marks)
    jump: dict[dt.date, int] = {}
    if depth is not None and len(titled) > limit:
        first = history.index(window.snapshots[0].date)
        last = first + len(window.snapshots) - 1
        level = max(depth, 1)
        for i in period_openings(history, level=level, count=limit, first=first, last=last):
            if i > first:
                before, after = history.snapshots[i - 1], history.snapshots[i]
                jump[after.date] = moved(placement(before, level), placement(after, level))

    def rank(title: Title) -> tuple[bool, int, int, dt.date]:
        return (title.date not in jump, -jump.get(title.date, 0), -count[title.date], title.date)

    return tuple(sorted(titled, key=rank)[:limit])


# Which units are shown --------------------------------------------------------------------------


def _levels(snapshots: Sequence[Snapshot]) -> dict[str, int]:
    """Each unit's depth below the top where it is nearest to it in the snapshots."""
    levels: dict[str, int] = {}
    for snapshot in snapshots:
        for uid in snapshot.units:
            depth = snapshot.depth(uid)
            if depth < levels.get(uid, depth + 1):
                levels[uid] = depth
    return levels


def _by_depth(levels: Mapping[str, int], depth: int) -> set[str]:
    """The units ever within ``depth`` levels of the top (see :func:`_levels`)."""
    return {uid for uid, level in levels.items() if level <= depth}


def _choose(
    events: Sequence[Any], layout: _Layout, budget: int
) -> tuple[int, tuple[Lane, ...], tuple[str, ...]]:
    """The deepest level whose lanes fit in ``budget`` rows, its lanes, and the units left
    out: none, unless even the first level does not fit; then, taking its units in order of
    what they have to tell, each whose lane still fits (one that follows another on its row
    takes no room).

    Laying lanes out is the costly part of choosing, so it is skipped where the answer is
    sure (see :func:`_fits`), and a level is not laid out at all when more than ``budget`` of
    its units are together in a snapshot: lanes that share a row never overlap in time."""
    window = layout.window
    levels = _levels(window.snapshots)
    deepest = max(s.depth(uid) for s in window.snapshots for uid in s.units)
    depth = 1
    for level in range(2, deepest + 1):
        shown = _by_depth(levels, level)
        if _most_at_once(window, shown) > budget or not _fits(layout, shown, budget):
            break
        depth = level
    first = _by_depth(levels, 1)
    if depth > 1 or _fits(layout, first, budget):
        return depth, _build(layout, _by_depth(levels, depth)), ()
    kept: list[str] = []
    left: list[str] = []
    for uid in _ranked(events, window, first):
        (kept if _fits(layout, {*kept, uid}, budget) else left).append(uid)
    return 1, _build(layout, set(kept)), tuple(left)


def _fits(layout: _Layout, shown: set[str], budget: int) -> bool:
    """Whether the lanes of the shown units fit in ``budget`` rows: surely, without laying
    them out, if there are no more units than rows (a lane takes one row at most)."""
    return len(shown) <= budget or _rows(_build(layout, shown)) <= budget


def _most_at_once(window: _Window, shown: set[str]) -> int:
    """The most of the shown units in force together for some time in the period."""
    return max(
        (len(shown & s.units.keys()) for s, begin, stop in _spans(window) if begin < stop),
        default=0,
    )


def _name_of(window: _Window, uid: str) -> Name:
    """A unit's name in the last snapshot of the period it is in."""
    record = next(s.units[uid] for s in reversed(window.snapshots) if uid in s.units)
    return Name(record.name, record.name_zh)


def _deeper(window: _Window, depth: int) -> int:
    """How many units of the period are never within ``depth`` levels of the top."""
    every = {uid for s in window.snapshots for uid in s.units}
    return len(every - _by_depth(_levels(window.snapshots), depth))


def _rows(lanes: Sequence[Lane]) -> int:
    return max((lane.row for lane in lanes), default=-1) + 1


def _ranked(events: Sequence[Any], window: _Window, shown: set[str]) -> list[str]:
    """The units, most to tell first: the top; then by the changes that touched them (a
    spin-off, return, merger, split, change of standing or plan counting three), the most
    units they held at once, and last the snapshots they are in."""
    touched = Counter(
        uid
        for event in events
        if event.kind in MARKED
        for uid in event.units
        for _ in range(3 if event.kind in _TELLING else 1)
    )
    held: Counter[str] = Counter()
    for snapshot in window.snapshots:
        for uid in shown & snapshot.units.keys():
            held[uid] = max(held[uid], sum(1 for _ in snapshot.descendants(uid)))
    roots = {s.root for s in window.snapshots}
    present = Counter(uid for s in window.snapshots for uid in s.units)

    def weight(uid: str) -> tuple[bool, int, int, str]:
        return (uid in roots, touched[uid] + held[uid], present[uid], uid)

    return sorted(shown, key=weight, reverse=True)


def _focus(history: History, window: _Window, unit: str, depth: int) -> set[str]:
    """The unit, the units its changes in the period involved, their parents, and ``depth``
    levels of the unit's sub-units."""
    related = {unit}
    for event in history.lineage(unit):
        if window.start <= event.date <= window.end and event.kind != "updated":
            related.update(event.units)
    shown: set[str] = set()
    for snapshot in window.snapshots:
        for uid in related & snapshot.units.keys():
            shown.add(uid)
            shown.update(snapshot.ancestors(uid))
        if unit in snapshot.units:
            base = snapshot.depth(unit)
            shown.update(
                uid for uid in snapshot.descendants(unit) if snapshot.depth(uid) - base <= depth
            )
    return shown


# Lanes ----------------------------------------------------------------------------------------


def _first_seen(window: _Window) -> tuple[str, ...]:
    """The units of the period in order of first appearance (the order lanes are built in)."""
    return tuple(dict.fromkeys(uid for s in window.snapshots for uid in s.units))


def _spans(window: _Window) -> list[tuple[Snapshot, dt.date, dt.date]]:
    """Each snapshot with the part of the period it is in force."""
    snapshots = window.snapshots
    ends = [s.date for s in snapshots[1:]] + [window.end]
    return [
        (s, max(s.date, window.start), min(stop, window.end))
        for s, stop in zip(snapshots, ends, strict=True)
    ]


def _segments(uid: str, spans: Iterable[tuple[Snapshot, dt.date, dt.date]]) -> tuple[Segment, ...]:
    """The unit's segments: runs of the snapshots in which its record's state stays the same."""
    runs: list[list[Any]] = []  # [start, end, state]
    for snapshot, begin, stop in spans:
        record = snapshot.units.get(uid)
        if record is None:
            continue
        state = _state(record, top=uid == snapshot.root)
        if runs and runs[-1][1] == begin and runs[-1][2] == state:
            runs[-1][1] = stop
        else:
            runs.append([begin, stop, state])
    return tuple(Segment(begin, stop, *state) for begin, stop, state in runs)


def _state(record: Unit, *, top: bool) -> tuple[Any, ...]:
    """What a segment holds of a record, in the order of :class:`Segment`'s fields after its
    dates: the top of the organisation is always in line."""
    standing = "in_line" if top else standing_of(record.status)
    return (
        record.parent,
        record.status,
        record.plan,
        standing,
        record.kind,
        record.name,
        record.name_zh,
    )


def _moves(segments: Sequence[Segment]) -> tuple[Move, ...]:
    return tuple(
        Move(later.start, earlier.parent, later.parent)
        for earlier, later in itertools.pairwise(segments)
        if earlier.parent != later.parent and earlier.end == later.start
    )


def _main_parent(segments: Sequence[Segment], shown: Mapping[str, object]) -> str | None:
    days: dict[str, int] = {}
    for segment in segments:
        if segment.parent is not None and segment.parent in shown:
            days[segment.parent] = days.get(segment.parent, 0) + max(
                (segment.end - segment.start).days, 1
            )
    return max(days, key=days.__getitem__) if days else None


class _Layout(NamedTuple):
    """What laying lanes out needs: the period, the room names need, the pairs of units one
    of which came from the other (predecessor, successor), the units in the order lanes are
    built in, and what was worked out so far for each unit, kept for the next layout of the
    same period: its segments, and the room its name needs."""

    window: _Window
    room: Callable[[Lane], float] | None
    related: frozenset[tuple[str, str]]
    order: tuple[str, ...]
    found: dict[str, tuple[Segment, ...]]
    rooms: dict[str, float]

    def room_of(self, lane: Lane) -> float:
        """The share of the period the lane's name needs (its unit's name: asked once)."""
        assert self.room is not None
        if lane.unit not in self.rooms:
            self.rooms[lane.unit] = self.room(lane)
        return self.rooms[lane.unit]


def _related(events: Iterable[Any]) -> frozenset[tuple[str, str]]:
    """The (predecessor, successor) pairs of the splits, mergers and absorptions."""
    pairs: set[tuple[str, str]] = set()
    for event in events:
        if event.kind == "split":
            pairs.update((event.predecessor, s) for s in event.successors)
        elif event.kind == "merged":
            pairs.update((p, event.successor) for p in event.predecessors)
        elif event.kind == "removed" and getattr(event, "into", None):
            pairs.add((event.units[0], event.into))
    return frozenset(pairs)


def _build(layout: _Layout, shown: set[str]) -> tuple[Lane, ...]:
    """The lanes of the shown units, laid out as a tree, on rows."""
    found = layout.found
    new = shown - found.keys()
    spans = _spans(layout.window) if new else []
    for uid in new:
        found[uid] = _segments(uid, spans)
    segments = {uid: found[uid] for uid in layout.order if uid in shown and found[uid]}
    return _lanes(segments, layout)


def _lanes(segments: Mapping[str, tuple[Segment, ...]], layout: _Layout) -> tuple[Lane, ...]:
    """Lay the lanes out as a tree, depth first, children in order of first appearance."""
    parent = {uid: _main_parent(found, segments) for uid, found in segments.items()}
    children: dict[str | None, list[str]] = {}
    for uid in segments:
        children.setdefault(parent[uid], []).append(uid)
    order: list[tuple[str, int, str | None]] = []
    placed: set[str] = set()

    def visit(uid: str, depth: int, band: str | None) -> None:
        placed.add(uid)
        order.append((uid, depth, band))
        for child in children.get(uid, []):
            if child not in placed:
                visit(child, depth + 1, band if depth > 0 else child)

    for uid in [*children.get(None, []), *segments]:
        if uid not in placed:
            visit(uid, 0, None)
    lanes = [
        Lane(i, uid, parent[uid], depth, band, segments[uid], _moves(segments[uid]), i)
        for i, (uid, depth, band) in enumerate(order)
    ]
    if layout.room is None:
        return tuple(lanes)
    return _packed(lanes, set(children), layout)


#: An unrelated unit follows another on its row only after a gap of this share of the period,
#: so that it does not read as the earlier one's successor.
FOLLOW_GAP = 0.02
#: The share of the period's length that a renderer keeps past its end for labels: a name
#: written on a bar that runs to the end may reach into it.
TAIL_ROOM = 0.13


def _packed(lanes: Sequence[Lane], heads: set[str | None], layout: _Layout) -> tuple[Lane, ...]:
    """The lanes on rows: a lane with no lanes under it follows, on one row, a lane under the
    same parent that ended by the day it starts (its predecessor's row first, if it has one;
    an unrelated one only after :data:`FOLLOW_GAP`), if its name has room before its first
    change and the earlier one's name (if written at the start of its bar, not before the
    row) has had its room; otherwise it has a row of its own. A unit still there at the end
    of the period keeps its row to itself."""
    rows: dict[str | None, list[list[Lane]]] = {}  # by parent, those still open to a lane
    placed: list[Lane] = []
    count = 0
    for lane in lanes:
        free: list[Lane] | None = None
        siblings = rows.setdefault(lane.parent, [])
        if lane.unit not in heads:
            related = (row for row in siblings if (row[-1].unit, lane.unit) in layout.related)
            free = next((row for row in related if _follows(row, lane, layout)), None)
            if free is None:
                free = next((row for row in siblings if _follows(row, lane, layout)), None)
        if free is None:
            free = [_on_row(lane, count)]
            count += 1
            if lane.unit not in heads:
                siblings.append(free)
        else:
            after = free[-1].unit
            free.append(_on_row(lane, free[0].row, after, (after, lane.unit) in layout.related))
        placed.append(free[-1])
        if lane.end >= layout.window.end:  # it lasts to the end: no lane can follow it
            rows[lane.parent] = [row for row in siblings if row is not free]
    return tuple(placed)


def _on_row(lane: Lane, row: int, after: str | None = None, succeeds: bool = False) -> Lane:
    """``lane`` on ``row``, after the unit ``after`` on it (which it ``succeeds``, or not)."""
    return Lane(
        lane.index,
        lane.unit,
        lane.parent,
        lane.depth,
        lane.band,
        lane.segments,
        lane.moves,
        row,
        after,
        succeeds,
    )


def _follows(row: Sequence[Lane], lane: Lane, layout: _Layout) -> bool:
    """Whether ``lane`` may follow the last lane of ``row``."""
    window, last = layout.window, row[-1]
    span = max((window.end - window.start).days, 1)
    if last.end >= window.end or last.end > lane.start:
        return False
    if len(row) > 1 and (lane.start - last.start).days < layout.room_of(last) * span:
        return False  # the earlier one's name, written on its bar, needs the room
    first = lane.segments[0].end if len(lane.segments) > 1 else lane.end
    if first >= window.end:
        first += dt.timedelta(days=TAIL_ROOM * span)
    if (first - lane.start).days < layout.room_of(lane) * span:
        return False  # its own name needs the room before its first change
    related = (last.unit, lane.unit) in layout.related
    return related or (lane.start - last.end).days >= FOLLOW_GAP * span


# Marks and links ------------------------------------------------------------------------------


def _events(history: History, window: _Window) -> list[Any]:
    first, last = window.snapshots[0].date, window.snapshots[-1].date
    if first == last:
        return []
    return [e for e in history.changes(first, last) if window.start <= e.date <= window.end]


def _marks(
    events: Iterable[Any], index: Mapping[str, int], rows: Sequence[int], window: _Window
) -> tuple[Mark, ...]:
    """The marks of the events, one per row and day: where a unit ends on the day the next
    on its row begins, their events make one mark (on the lane of the most telling)."""
    names = {
        uid: Name(s.units[uid].name, s.units[uid].name_zh)
        for s in window.snapshots
        for uid in s.units
    }
    found: dict[tuple[int, dt.date], Mark] = {}
    for event in events:
        if event.kind not in MARKED:
            continue
        uid = _marked_unit(event)
        if uid not in index:
            continue
        mark = Mark(event.kind, event.date, index[uid], (_phrase(event, names),), uid)
        key = (rows[mark.lane], mark.date)
        if key in found and found[key].unit != uid:  # two units' events: say whose each is
            found[key] = _about(found[key], names)
            mark = _about(mark, names)
        found[key] = _combine(found[key], mark) if key in found else mark
    return tuple(sorted(found.values(), key=lambda m: (m.date, m.lane)))


def _marked_unit(event: Any) -> str:
    if event.kind == "split":
        return str(event.predecessor)
    if event.kind == "merged":
        return str(event.successor)
    return str(event.units[0])


def _about(mark: Mark, names: Mapping[str, Name]) -> Mark:
    subject = names.get(mark.unit, Name(mark.unit))
    phrases = tuple(p._replace(subject=p.subject or subject) for p in mark.phrases)
    return replace(mark, phrases=phrases)


def _combine(old: Mark, new: Mark) -> Mark:
    first, second = sorted((old, new), key=lambda m: MARKED.index(m.kind))
    phrases = tuple(dict.fromkeys([*first.phrases, *second.phrases]))
    return Mark(first.kind, old.date, first.lane, phrases, first.unit)


def _phrase(event: Any, names: Mapping[str, Name]) -> Phrase:
    """What an event says on its lane (see :class:`Phrase`)."""

    def named(*units: str | None) -> tuple[Name, ...]:
        return tuple(names.get(u, Name(str(u))) for u in units if u is not None)

    kind = str(event.kind)
    if kind == "renamed":
        return Phrase("renamed_to", (Name(event.new_name, event.new_name_zh),))
    if kind == "moved":
        return Phrase("moved_under", named(event.new_parent))
    if kind == "spun_off":
        if getattr(event, "left_group", False):
            return Phrase("left_group")
        status = getattr(event, "new_status", None)
        return Phrase("spun_off_as", word=status) if status else Phrase(kind)
    if kind == "status_changed":
        return Phrase("status", word=str(event.new_status))
    if kind == "plan_changed":
        plan = getattr(event, "new_plan", None)
        return Phrase("plan", word=plan) if plan else Phrase("plan_dropped")
    if kind == "removed":
        into = getattr(event, "into", None)
        how = str(getattr(event, "how", "removed"))
        return Phrase("removed_into", named(into), how) if into else Phrase("removed_how", word=how)
    if kind == "kind_changed":
        return Phrase("kind", word=str(event.new_kind))
    if kind == "merged":
        return Phrase("merged_from", named(*event.predecessors))
    if kind == "split":
        return Phrase("split_into", named(*event.successors))
    return Phrase(kind)


def _links(events: Iterable[Any], index: Mapping[str, int]) -> tuple[Link, ...]:
    found: list[Link] = []
    for event in events:
        pairs: list[tuple[str, str]] = []
        if event.kind == "split":
            pairs = [(event.predecessor, s) for s in event.successors]
        elif event.kind == "merged":
            pairs = [(p, event.successor) for p in event.predecessors]
        elif event.kind == "removed" and getattr(event, "into", None):
            pairs = [(event.units[0], event.into)]
        kind = "split" if event.kind == "split" else "merged"
        found.extend(
            Link(kind, event.date, index[a], index[b])
            for a, b in pairs
            if a in index and b in index and a != b
        )
    return tuple(dict.fromkeys(found))
