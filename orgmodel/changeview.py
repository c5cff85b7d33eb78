"""The change view: what a change chart of two snapshots shows, worked out from the events.

A change chart draws one tree holding the units of both snapshots: the later snapshot's tree,
with the units removed since the earlier one put back at their old place. Each box is marked by
what happened to it, taken from the events of the diff (never worked out again from the
snapshots), so that the picture cannot disagree with ``orgmodel diff``:

- the sources of a merger are told apart from its result, and the unit that split from the units
  it split into;
- a unit that moved names its old parent in its box (no line is drawn across the chart);
- a unit touched by several events shows the strongest (:data:`PRECEDENCE`), and still names
  its old parent if it also moved.

:meth:`ChangeView.part` keeps the part below a unit, to a depth, or only what changed (with the
units that lead to it); :meth:`ChangeView.counts` counts the boxes of the part, so that a legend
counts what is drawn.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> from orgmodel.compare import diff
>>> g = Unit(id="g", name="Group", kind="holding")
>>> a = Snapshot(dt.date(2020, 1, 1), [g, Unit(id="x", name="X", kind="unit", parent="g")])
>>> b = Snapshot(dt.date(2021, 1, 1), [g, Unit(id="y", name="Y", kind="unit", parent="g")])
>>> view = change_view(a, b, diff(a, b).events)
>>> [(box.unit, box.change, box.side) for box in view.boxes.values()]
[('g', 'unchanged', 'both'), ('y', 'added', 'after'), ('x', 'removed', 'before')]
>>> view.counts()
{'added': 1, 'removed': 1, 'unchanged': 1}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, assert_never

from orgmodel.events import (
    Added,
    Event,
    KindChanged,
    LeaderChanged,
    Merged,
    Moved,
    PlanChanged,
    Removed,
    Renamed,
    Returned,
    Split,
    SpunOff,
    StatusChanged,
    Updated,
)
from orgmodel.snapshot import Snapshot

__all__ = ["CHANGES", "PRECEDENCE", "ChangeBox", "ChangeView", "change_view"]

#: What a box can be marked as: an event kind, or one side of a split or merger.
Change = Literal[
    "unchanged",
    "added",
    "removed",
    "renamed",
    "moved",
    "split_source",
    "split_result",
    "merged_source",
    "merged_result",
    "spun_off",
    "returned",
    "status_changed",
    "plan_changed",
    "kind_changed",
    "leader_changed",
]
#: Every mark, in the order a legend lists them.
CHANGES: tuple[Change, ...] = (
    "added",
    "removed",
    "split_source",
    "split_result",
    "merged_source",
    "merged_result",
    "spun_off",
    "returned",
    "moved",
    "renamed",
    "status_changed",
    "plan_changed",
    "kind_changed",
    "leader_changed",
    "unchanged",
)
#: Which mark a box shows when several events touch its unit, strongest first: a unit that took
#: part in a split or merger shows that rather than the plain 'added' or 'removed' the same step
#: also makes of it.
PRECEDENCE: tuple[Change, ...] = (
    "split_source",
    "split_result",
    "merged_source",
    "merged_result",
    "spun_off",
    "returned",
    "added",
    "removed",
    "moved",
    "renamed",
    "status_changed",
    "plan_changed",
    "kind_changed",
    "leader_changed",
    "unchanged",
)
_RANK = {change: index for index, change in enumerate(PRECEDENCE)}


@dataclass(frozen=True, slots=True)
class ChangeBox:
    """One box of a change chart.

    ``side`` says which snapshots hold the unit: ``both``, ``before`` only (removed) or
    ``after`` only (added). ``old_name`` is set for a renamed unit, ``old_parent`` for one whose
    parent changed (a move, or a spin-off or return that changed its place), ``partners`` for
    the other side of a split or merger (the units it formed, or was formed from).
    """

    unit: str
    change: Change
    side: Literal["both", "before", "after"]
    parent: str | None
    old_name: str | None = None
    old_parent: str | None = None
    partners: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeView:
    """The combined tree of a change chart: boxes by unit id, parents before children."""

    before: dt.date
    after: dt.date
    top: str
    boxes: Mapping[str, ChangeBox]
    hidden: Mapping[str, int] = field(default_factory=dict)
    """For a box whose sub-units are left out of the part, how many units it hides."""

    def children(self, unit: str) -> list[str]:
        """The ids of the boxes below ``unit``, in the order of the boxes."""
        return [uid for uid, box in self.boxes.items() if box.parent == unit]

    def counts(self) -> dict[str, int]:
        """How many boxes carry each mark, in the order of :data:`CHANGES`."""
        found: dict[str, int] = {}
        for box in self.boxes.values():
            found[box.change] = found.get(box.change, 0) + 1
        return {change: found[change] for change in CHANGES if change in found}

    def moved(self) -> int:
        """How many boxes name an old parent."""
        return sum(1 for box in self.boxes.values() if box.old_parent is not None)

    def part(
        self, root: str | None = None, depth: int | None = None, *, changed_only: bool = False
    ) -> ChangeView:
        """The boxes below ``root`` (default the top) down to ``depth`` levels; with
        ``changed_only``, only the changed boxes and the boxes that lead to them."""
        top = root or self.top
        if top not in self.boxes:
            from orgmodel.errors import UnknownUnitError

            raise UnknownUnitError(
                f"unit '{top}' is in neither snapshot ({self.before}, {self.after})"
            )
        below = _walk(self, top, None)
        keep = _walk(self, top, depth)
        if changed_only:
            changed = {uid for uid in keep if self.boxes[uid].change != "unchanged"}
            keep = [uid for uid in keep if uid == top or _leads_to(self, uid, changed)]
        kept = set(keep)
        hidden = {
            uid: count
            for uid in keep
            if (count := sum(1 for other in _walk(self, uid, None)[1:] if other not in kept))
        }
        boxes = {uid: self.boxes[uid] for uid in below if uid in kept}
        return replace(self, top=top, boxes=boxes, hidden=hidden)


def _walk(view: ChangeView, top: str, depth: int | None) -> list[str]:
    kids: dict[str, list[str]] = {}
    for uid, box in view.boxes.items():
        if box.parent is not None:
            kids.setdefault(box.parent, []).append(uid)
    found: list[str] = []
    pending = [(top, 0)]
    while pending:
        uid, level = pending.pop()
        found.append(uid)
        if depth is None or level < depth:
            pending.extend((kid, level + 1) for kid in reversed(kids.get(uid, [])))
    return found


def _leads_to(view: ChangeView, unit: str, changed: set[str]) -> bool:
    return any(uid in changed for uid in _walk(view, unit, None))


def change_view(a: Snapshot, b: Snapshot, events: Iterable[Event]) -> ChangeView:
    """The change view of snapshots ``a`` (earlier) and ``b`` (later) and the events between
    them (e.g. ``orgmodel.diff(a, b).events``)."""
    parents = _combined_parents(a, b)
    marks: dict[str, ChangeBox] = {}
    for event in events:
        for box in _marks(event, a, b):
            if box.unit not in parents:
                continue
            old = marks.get(box.unit)
            marks[box.unit] = box if old is None else _stronger(old, box)
    boxes: dict[str, ChangeBox] = {}
    for uid, parent in parents.items():
        side: Literal["both", "before", "after"] = (
            "both" if uid in a.units and uid in b.units else "after" if uid in b.units else "before"
        )
        mark = marks.get(uid)
        if mark is None:
            change: Change = "removed" if side == "before" else "unchanged"
            mark = ChangeBox(uid, change, side, parent)
        boxes[uid] = replace(mark, side=side, parent=parent)
    return ChangeView(a.date, b.date, b.root, boxes)


def _combined_parents(a: Snapshot, b: Snapshot) -> dict[str, str | None]:
    """The later tree, with each removed unit under its old parent, or the nearest ancestor
    still there; parents before children."""
    parents: dict[str, str | None] = {uid: unit.parent for uid, unit in b.units.items()}
    removed = [uid for uid in a.units if uid not in b.units]
    gone = set(removed)
    for uid in removed:
        parent = a.units[uid].parent
        while parent is not None and parent not in b.units and parent not in gone:
            parent = a.units[parent].parent
        parents[uid] = parent if parent is not None else b.root
    ordered: dict[str, str | None] = {}
    pending = [b.root]
    kids: dict[str | None, list[str]] = {}
    for uid, parent in parents.items():
        kids.setdefault(parent, []).append(uid)
    while pending:
        uid = pending.pop()
        ordered[uid] = parents[uid]
        pending.extend(reversed(kids.get(uid, [])))
    return ordered


def _stronger(old: ChangeBox, new: ChangeBox) -> ChangeBox:
    """The stronger of two marks of one unit, keeping what each says about names and parents."""
    first, second = (old, new) if _RANK[old.change] <= _RANK[new.change] else (new, old)
    return replace(
        first,
        old_name=first.old_name or second.old_name,
        old_parent=first.old_parent or second.old_parent,
        partners=first.partners or second.partners,
    )


def _moved_from(old: str | None, new: str | None) -> str | None:
    return old if old is not None and old != new else None


def _marks(event: Event, a: Snapshot, b: Snapshot) -> Sequence[ChangeBox]:
    """The marks one event puts on the units it involves."""
    match event:
        case Added():
            return [ChangeBox(event.unit, "added", "after", event.parent)]
        case Removed():
            return [ChangeBox(event.unit, "removed", "before", event.parent)]
        case Renamed():
            return [ChangeBox(event.unit, "renamed", "both", None, old_name=event.old_name)]
        case Moved():
            old = _moved_from(event.old_parent, event.new_parent)
            return [ChangeBox(event.unit, "moved", "both", None, old_parent=old)]
        case Split():
            results = tuple(uid for uid in event.successors if uid != event.predecessor)
            return [
                ChangeBox(event.predecessor, "split_source", "both", None, partners=results),
                *(
                    ChangeBox(uid, "split_result", "after", None, partners=(event.predecessor,))
                    for uid in results
                ),
            ]
        case Merged():
            sources = tuple(uid for uid in event.predecessors if uid != event.successor)
            return [
                *(
                    ChangeBox(uid, "merged_source", "before", None, partners=(event.successor,))
                    for uid in sources
                ),
                ChangeBox(event.successor, "merged_result", "after", None, partners=sources),
            ]
        case SpunOff():
            old = _moved_from(event.old_parent, event.new_parent)
            return [ChangeBox(event.unit, "spun_off", "both", None, old_parent=old)]
        case Returned():
            old = _moved_from(event.from_parent, event.to_parent)
            return [ChangeBox(event.unit, "returned", "both", None, old_parent=old)]
        case StatusChanged():
            return [ChangeBox(event.unit, "status_changed", "both", None)]
        case PlanChanged():
            return [ChangeBox(event.unit, "plan_changed", "both", None)]
        case KindChanged():
            return [ChangeBox(event.unit, "kind_changed", "both", None)]
        case LeaderChanged():
            return [ChangeBox(event.unit, "leader_changed", "both", None)]
        case Updated():
            return []  # sources, notes, confidence: the record changed, not the structure
        case _:
            assert_never(event)
