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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from orgmodel.dates import DateLike, parse_date
from orgmodel.errors import DateError
from orgmodel.model import ENDED_PLANS, PLAN_WORDS, STATUS_WORDS, standing_of

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.model import Unit
    from orgmodel.snapshot import Snapshot

__all__ = [
    "LANE_BUDGET",
    "MARKED",
    "MAX_TITLES",
    "Lane",
    "Lanes",
    "Link",
    "Mark",
    "Move",
    "Segment",
    "Title",
    "timeline_lanes",
]

#: The most lanes a timeline chooses to show when no depth is asked for: enough for the units
#: directly under a large group's top, few enough that the picture fits a screen and a page
#: with its text at the org chart's size.
LANE_BUDGET = 40
#: The most snapshot titles a timeline gives; beyond, those of the snapshots with most marks.
MAX_TITLES = 24

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

#: Words for what a unit is and what was announced about it.
_WORDS: dict[str, str] = {
    **{str(k): v for k, v in STATUS_WORDS.items()},
    **{str(k): v for k, v in PLAN_WORDS.items()},
}


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
    """

    index: int
    unit: str
    parent: str | None
    depth: int
    band: str | None
    segments: tuple[Segment, ...]
    moves: tuple[Move, ...]

    @property
    def name(self) -> str:
        """The unit's name at the start of its lane."""
        return self.segments[0].name

    @property
    def name_zh(self) -> str | None:
        """The unit's Chinese name at the start of its lane, where known."""
        return self.segments[0].name_zh


@dataclass(frozen=True, slots=True)
class Mark:
    """The events of one unit on one day, on its lane: the most telling kind and a label."""

    kind: str
    date: dt.date
    lane: int
    label: str
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
    shown, and how many units of that depth were left out to keep within the lane budget."""

    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    links: tuple[Link, ...]
    start: dt.date
    end: dt.date
    dates: tuple[dt.date, ...]
    titles: tuple[Title, ...]
    depth: int | None
    unit: str | None
    left_out: int = 0


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
) -> Lanes:
    """The lanes of a timeline of ``history``.

    Parameters
    ----------
    history : History
    start, end : date or str, optional
        The period; by default all of it, ending at the last snapshot. With ``unit``, the default
        is the period of the unit's story: from the snapshot before its first change to the one
        after its last.
    unit : str, optional
        Show this unit, the units its changes involved (those it came from, went into or split
        from) and their parents; ``depth`` then counts levels below the unit (default 0).
    depth : int, optional
        Show units at most this many levels below the top. By default, the deepest level that
        fits in ``budget`` lanes; if even the first level does not, its ``budget`` units with
        the most changes, sub-units and snapshots, counting the last one most (``left_out``
        says how many were not shown).
    max_titles : int
        Give the titles of at most this many snapshots: if more have one, those on whose dates
        the most marks fall.

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
    left_out = 0
    if unit is not None:
        shown = _focus(history, window, unit, depth or 0)
    else:
        chosen = depth is None
        depth = _choose_depth(window.snapshots, budget) if depth is None else depth
        shown = _by_depth(window.snapshots, depth)
        if chosen:
            shown, left_out = _within_budget(history, window, shown, budget, depth)
    segments = {uid: _segments(uid, window) for uid in _ordered_ids(window, shown)}
    segments = {uid: found for uid, found in segments.items() if found}
    lanes = _lanes(segments, window)
    index = {lane.unit: lane.index for lane in lanes}
    events = _events(history, window)
    marks = _marks(events, index, window)
    return Lanes(
        lanes=lanes,
        marks=marks,
        links=_links(events, index),
        start=window.start,
        end=window.end,
        dates=tuple(s.date for s in window.snapshots),
        titles=_titles(window, marks, max_titles),
        depth=depth,
        unit=unit,
        left_out=left_out,
    )


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


def _titles(window: _Window, marks: Sequence[Mark], limit: int) -> tuple[Title, ...]:
    titled = [Title(s.date, s.title) for s in window.snapshots if s.title]
    if len(titled) <= limit:
        return tuple(titled)
    count = Counter(mark.date for mark in marks)
    kept = sorted(titled, key=lambda t: (-count[t.date], t.date))[:limit]
    return tuple(sorted(kept, key=lambda t: t.date))


# Which units are shown --------------------------------------------------------------------------


def _by_depth(snapshots: Sequence[Snapshot], depth: int) -> set[str]:
    return {uid for s in snapshots for uid in s.units if s.depth(uid) <= depth}


def _choose_depth(snapshots: Sequence[Snapshot], budget: int) -> int:
    deepest = max(s.depth(uid) for s in snapshots for uid in s.units)
    chosen = 1
    for depth in range(1, deepest + 1):
        if len(_by_depth(snapshots, depth)) <= budget:
            chosen = depth
    return min(chosen, deepest)


def _within_budget(
    history: History, window: _Window, shown: set[str], budget: int, depth: int
) -> tuple[set[str], int]:
    """Keep the ``budget`` units with the most changes and sub-units, if there are more."""
    if len(shown) <= budget:
        return shown, 0
    touched = Counter(
        uid
        for event in _events(history, window)
        if event.kind in MARKED
        for uid in event.units
        for _ in range(3 if event.kind in _TELLING else 1)
    )
    below = Counter(
        ancestor
        for s in window.snapshots
        for uid in s.units
        for ancestor in s.ancestors(uid)
        if s.depth(uid) > depth
    )
    roots = {s.root for s in window.snapshots}

    # A snapshot of presence is worth one change; being there at the end, a few.
    years = Counter(uid for s in window.snapshots for uid in s.units)
    years.update({uid: 5 for uid in window.snapshots[-1].units})

    def weight(uid: str) -> tuple[bool, int, str]:
        return (uid in roots, touched[uid] + below[uid] + years[uid], uid)

    kept = set(sorted(shown, key=weight, reverse=True)[:budget])
    return kept, len(shown) - len(kept)


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


def _ordered_ids(window: _Window, shown: set[str]) -> list[str]:
    """The shown units in order of first appearance (the order lanes are built in)."""
    return list(dict.fromkeys(uid for s in window.snapshots for uid in s.units if uid in shown))


def _spans(window: _Window) -> list[tuple[Snapshot, dt.date, dt.date]]:
    """Each snapshot with the part of the period it is in force."""
    snapshots = window.snapshots
    ends = [s.date for s in snapshots[1:]] + [window.end]
    return [
        (s, max(s.date, window.start), min(stop, window.end))
        for s, stop in zip(snapshots, ends, strict=True)
    ]


def _segments(uid: str, window: _Window) -> tuple[Segment, ...]:
    found: list[Segment] = []
    for snapshot, begin, stop in _spans(window):
        record = snapshot.units.get(uid)
        if record is None:
            continue
        segment = _segment(record, begin, stop, top=uid == snapshot.root)
        previous = found[-1] if found else None
        if previous is not None and previous.end == begin and _same(previous, segment):
            found[-1] = Segment(previous.start, stop, *_state(segment))
        else:
            found.append(segment)
    return tuple(found)


def _segment(record: Unit, begin: dt.date, stop: dt.date, *, top: bool) -> Segment:
    standing = "in_line" if top else standing_of(record.status)
    return Segment(
        begin,
        stop,
        record.parent,
        record.status,
        record.plan,
        standing,
        record.kind,
        record.name,
        record.name_zh,
    )


def _state(segment: Segment) -> tuple[Any, ...]:
    return (
        segment.parent,
        segment.status,
        segment.plan,
        segment.standing,
        segment.kind,
        segment.name,
        segment.name_zh,
    )


def _same(a: Segment, b: Segment) -> bool:
    return _state(a) == _state(b)


def _moves(segments: Sequence[Segment]) -> tuple[Move, ...]:
    return tuple(
        Move(later.start, earlier.parent, later.parent)
        for earlier, later in itertools.pairwise(segments)
        if earlier.parent != later.parent and earlier.end == later.start
    )


def _main_parent(segments: Sequence[Segment], shown: Mapping[str, object]) -> str | None:
    days: Counter[str] = Counter()
    for segment in segments:
        if segment.parent is not None and segment.parent in shown:
            days[segment.parent] += max((segment.end - segment.start).days, 1)
    return days.most_common(1)[0][0] if days else None


def _lanes(segments: Mapping[str, tuple[Segment, ...]], window: _Window) -> tuple[Lane, ...]:
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
    return tuple(
        Lane(i, uid, parent[uid], depth, band, segments[uid], _moves(segments[uid]))
        for i, (uid, depth, band) in enumerate(order)
    )


# Marks and links ------------------------------------------------------------------------------


def _events(history: History, window: _Window) -> list[Any]:
    first, last = window.snapshots[0].date, window.snapshots[-1].date
    if first == last:
        return []
    return [e for e in history.changes(first, last) if window.start <= e.date <= window.end]


def _marks(events: Iterable[Any], index: Mapping[str, int], window: _Window) -> tuple[Mark, ...]:
    names = {uid: s.units[uid].name for s in window.snapshots for uid in s.units}
    found: dict[tuple[int, dt.date], Mark] = {}
    for event in events:
        if event.kind not in MARKED:
            continue
        uid = _marked_unit(event)
        if uid not in index:
            continue
        mark = Mark(event.kind, event.date, index[uid], _label(event, names), uid)
        key = (mark.lane, mark.date)
        found[key] = _combine(found[key], mark) if key in found else mark
    return tuple(sorted(found.values(), key=lambda m: (m.date, m.lane)))


def _marked_unit(event: Any) -> str:
    if event.kind == "split":
        return str(event.predecessor)
    if event.kind == "merged":
        return str(event.successor)
    return str(event.units[0])


def _combine(old: Mark, new: Mark) -> Mark:
    first, second = sorted((old, new), key=lambda m: MARKED.index(m.kind))
    labels = list(dict.fromkeys([*first.label.split("; "), *second.label.split("; ")]))
    return Mark(first.kind, old.date, old.lane, "; ".join(labels), old.unit)


def _label(event: Any, names: Mapping[str, str]) -> str:
    kind = str(event.kind)
    if kind == "renamed":
        return f"renamed {event.new_name}"
    if kind == "moved":
        return f"moved under {names.get(event.new_parent, event.new_parent)}"
    if kind == "spun_off":
        if getattr(event, "left_group", False):
            return "left the group"
        status = getattr(event, "new_status", None)
        return f"spun off ({_WORDS.get(status, status)})" if status else "spun off"
    if kind == "status_changed":
        return _WORDS.get(event.new_status, str(event.new_status))
    if kind == "plan_changed":
        plan = getattr(event, "new_plan", None)
        return _WORDS.get(plan, str(plan)) if plan else "plan dropped"
    if kind == "removed":
        how = str(getattr(event, "how", "removed"))
        into = getattr(event, "into", None)
        return f"{how} into {names.get(into, into)}" if into else how
    if kind == "kind_changed":
        return str(event.new_kind).replace("_", " ")
    if kind == "merged":
        return "merged from " + _names(event.predecessors, names)
    if kind == "split":
        return "split into " + _names(event.successors, names)
    return kind.replace("_", " ")


def _names(units: Sequence[str], names: Mapping[str, str]) -> str:
    if len(units) > 2:
        return f"{len(units)} units"
    return " and ".join(names.get(uid, uid) for uid in units)


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
