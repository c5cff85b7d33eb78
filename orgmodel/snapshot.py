"""A snapshot: the organisation as it stood on one date.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> s = Snapshot(dt.date(2023, 3, 28), [
...     Unit(id="group", name="Group", kind="holding"),
...     Unit(id="cloud", name="Cloud", kind="business_group", parent="group"),
...     Unit(id="dingtalk", name="DingTalk", kind="business_unit", parent="cloud"),
... ])
>>> s.root, s.children("group"), s.depth("dingtalk")
('group', ('cloud',), 2)
>>> sorted(s.descendants("group"))
['cloud', 'dingtalk']
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from orgmodel.errors import DataError, Problem
from orgmodel.model import Removal, Unit
from orgmodel.records import (
    LazyUnits,
    Touched,
    UnitRecords,
    parents_first_tree,
    share_records,
)

__all__ = [
    "Snapshot",
    "Step",
    "StructureProblem",
    "share_unchanged",
    "step_between",
    "structure_problems",
    "walk",
    "written_parents_first",
]

_unit_id = operator.attrgetter("id")
_unit_parent = operator.attrgetter("parent")


class Snapshot:
    """The units in force on one date, keyed by id in the order they were written.

    Build one with :meth:`build` to have its structure checked (one root, parents that exist, no
    cycle); the constructor trusts what it is given, as the file reader has checked it already.
    """

    __slots__ = (
        "__dict__",
        "__weakref__",
        "_step",
        "date",
        "path",
        "removed",
        "sources",
        "summary",
        "title",
        "units",
    )

    def __init__(
        self,
        date: dt.date,
        units: Iterable[Unit],
        *,
        title: str = "",
        summary: str | None = None,
        sources: tuple[str, ...] = (),
        removed: Mapping[str, Removal] | None = None,
        path: Path | None = None,
    ) -> None:
        self.date = date
        if not isinstance(units, list | tuple):
            units = list(units)
        by_id = dict(zip(map(_unit_id, units), units, strict=True))
        self.units: Mapping[str, Unit] = MappingProxyType(by_id)
        self.title = title
        self.summary = summary
        self.sources = sources
        self.removed: Mapping[str, Removal] = MappingProxyType(dict(removed or {}))
        self.path = path
        self._step: Step | None = None

    @classmethod
    def build(cls, date: dt.date, units: Iterable[Unit], **kwargs: object) -> Snapshot:
        """Make a snapshot after checking its structure; raise :class:`DataError` if it is bad."""
        units = list(units)
        problems = [
            Problem(None, None, message, unit) for _, _, unit, message in structure_problems(units)
        ]
        if problems:
            raise DataError(problems)
        return cls(date, units, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def of_records(
        cls,
        date: dt.date,
        records: UnitRecords,
        *,
        title: str = "",
        summary: str | None = None,
        sources: tuple[str, ...] = (),
        removed: Mapping[str, Removal] | None = None,
        path: Path | None = None,
    ) -> Snapshot:
        """A snapshot of checked unit records (see :mod:`orgmodel.records`), each unit built
        when first read; it equals the snapshot of the units the records stand for."""
        snapshot = cls(
            date, (), title=title, summary=summary, sources=sources, removed=removed, path=path
        )
        snapshot.units = LazyUnits(records)
        return snapshot

    def __repr__(self) -> str:
        return f"<Snapshot {self.date.isoformat()} '{self.title}' ({len(self.units)} units)>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        # Every part of a snapshot file, so that "applying a diff rebuilds the target" means it.
        return (
            self.date == other.date
            and self.title == other.title
            and self.summary == other.summary
            and self.sources == other.sources
            and dict(self.removed) == dict(other.removed)
            and dict(self.units) == dict(other.units)
        )

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[object, ...]:
        # For pickle and copy (to hand a snapshot to another process, say): the fields, without
        # the maps made on use or the step from a history, which the copy has no part in.
        fields = (self.title, self.summary, self.sources, dict(self.removed), self.path)
        return (_rebuild, (self.date, tuple(self.units.values()), *fields))

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def _ids_and_parents(self) -> tuple[Sequence[str], Sequence[str | None]]:
        """Every unit's id and parent, in order; from the records where units are built on
        use, so that a map of the structure does not build them."""
        units = self.units
        if isinstance(units, LazyUnits):
            return units.records.ids, units.records.parents
        return list(units), list(map(_unit_parent, units.values()))

    @cached_property
    def _children(self) -> Mapping[str | None, tuple[str, ...]]:
        children: dict[str | None, list[str]] = {}
        for uid, parent in zip(*self._ids_and_parents(), strict=True):
            children.setdefault(parent, []).append(uid)
        return {parent: tuple(ids) for parent, ids in children.items()}

    @property
    def root(self) -> str:
        """The id of the unit that has no parent."""
        return self._children[None][0]

    def children(self, unit_id: str) -> tuple[str, ...]:
        """The ids of the units directly under ``unit_id``, in file order."""
        return self._children.get(unit_id, ())

    def descendants(self, unit_id: str) -> Iterator[str]:
        """Every unit below ``unit_id``, depth first, in file order."""
        stack = list(reversed(self.children(unit_id)))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self.children(current)))

    def ancestors(self, unit_id: str) -> list[str]:
        """The chain of parents above ``unit_id``, nearest first."""
        units = self.units
        if isinstance(units, LazyUnits):  # read from the records: no unit is built
            place, parents = units.records.positions, units.records.parents
            parent_of: Callable[[str], str | None] = lambda uid: parents[place[uid]]  # noqa: E731
        else:
            parent_of = lambda uid: units[uid].parent  # noqa: E731
        chain = []
        parent = parent_of(unit_id)
        while parent is not None:
            chain.append(parent)
            parent = parent_of(parent)
        return chain

    @cached_property
    def _depths(self) -> Mapping[str, int]:
        depths: dict[str, int] = {}
        for root in self._children.get(None, ()):
            depths[root] = 0
            stack = [root]
            while stack:
                current = stack.pop()
                for child in self.children(current):
                    depths[child] = depths[current] + 1
                    stack.append(child)
        return depths

    def depth(self, unit_id: str) -> int:
        """How many levels ``unit_id`` sits below the root (the root is 0)."""
        return self._depths[unit_id]

    @cached_property
    def positions(self) -> Mapping[str, int]:
        """Each unit's place in file order (0 for the first), made on first use and kept."""
        if isinstance(self.units, LazyUnits):
            return MappingProxyType(self.units.records.positions)
        return dict(zip(self.units, itertools.count()))


def _rebuild(
    date: dt.date,
    units: tuple[Unit, ...],
    title: str,
    summary: str | None,
    sources: tuple[str, ...],
    removed: dict[str, Removal],
    path: Path | None,
) -> Snapshot:
    return Snapshot(
        date, units, title=title, summary=summary, sources=sources, removed=removed, path=path
    )


# What a walk finds: the units of b that are new or whose record is not a's, as (place in b, id,
# a's record or None, b's record), in b's order; the ids of a that b lacks, in a's order;
# whether b keeps a's units in a's order; and whether every record named that is on both sides
# is known to hold other values there (else only its identity differs, as far as is known).
Walked = tuple[Touched, list[str], bool, bool]


class Step:
    """How a snapshot differs from the one before it in a history, by record identity.

    A history shares every unchanged record between neighbouring snapshots (see
    :func:`share_unchanged`), so a unit not named here has the very same record on both sides,
    and a unit named here that is on both sides has other field values.
    A diff of neighbours, or of snapshots a few steps apart, then looks only at the units named
    in the steps between them, not at every unit. The earlier snapshot is held weakly: a step
    does not keep it alive.
    """

    __slots__ = ("_base", "gone", "in_order", "touched")

    def __init__(self, base: Snapshot, touched: Touched, gone: list[str], in_order: bool) -> None:
        self._base = weakref.ref(base)
        self.touched = touched
        self.gone = gone
        self.in_order = in_order

    @property
    def base(self) -> Snapshot | None:
        """The snapshot this step starts from, if it still exists."""
        return self._base()


def walk(a: Snapshot, b: Snapshot) -> Walked:
    """Compare every unit of ``b`` with ``a``'s by identity: what :class:`Step` records.

    One pass over b with a cursor on a: b mostly keeps a's units in a's order, so the unit of a
    at the cursor is usually the one sought, found without a lookup (at a million units a lookup
    is a cache miss, and costs more than the rest of the walk). Where b breaks a's order (a unit
    that vanished, a subtree moved elsewhere), the cursor jumps to the unit b has: found a few
    places on when only a few units vanished, else through a's :attr:`Snapshot.positions`. The
    runs of a the cursor went over are kept; the units of a outside all of them are the
    vanished ones.
    """
    a_ids = list(a.units)
    a_units = list(a.units.values())
    size = len(a_ids)
    a_ids.append("")  # the end of a: no unit has an empty id
    position: Mapping[str, int] | None = None
    runs: list[tuple[int, int]] = []  # [start, end) of a, one for each run of the cursor
    touched: Touched = []
    in_order = True
    start = i = 0  # the cursor: a_ids[i] is the next unit of a
    a_id = a_ids[0]
    for index, (uid, after) in enumerate(b.units.items()):
        if a_id is uid or a_id == uid:
            before = a_units[i]
        else:
            try:
                at = a_ids.index(uid, i + 1, i + 9)
            except ValueError:
                if position is None:
                    position = a.positions
                place = position.get(uid)
                if place is None:
                    touched.append((index, uid, None, after))
                    continue
                at = place
            if at < i:
                in_order = False
            runs.append((start, i))
            start = i = at
            before = a_units[i]
        i += 1
        a_id = a_ids[i]
        if before is not after:
            touched.append((index, uid, before, after))
    runs.append((start, i))
    runs.sort()
    gone: list[str] = []
    end = 0
    for first, last in runs:
        gone.extend(a_ids[end:first])
        end = max(end, last)
    gone.extend(a_ids[end:size])
    return touched, gone, in_order, False


def step_between(a: Snapshot, b: Snapshot) -> Walked | None:
    """What :func:`walk` would find, from the steps a history recorded between ``a`` and
    ``b``; None if ``b`` does not follow from ``a`` through such steps. The lists returned may
    be the step's own: do not change them.

    The cost is that of the units the steps name, not of the snapshots' size; except that
    across several steps, when one of them broke the order, the order is checked unit by unit.
    """
    steps: list[Step] = []
    current = b
    while current is not a:
        step = current._step
        if step is None or current.date <= a.date:
            return None
        base = step.base
        if base is None:
            return None
        steps.append(step)
        current = base
    if len(steps) == 1:
        (step,) = steps
        return step.touched, step.gone, step.in_order, True
    if not steps:
        return [], [], True, True
    before, after = a.units, b.units
    seen: dict[str, None] = {}
    left: set[str] = set()  # units that vanished in some step
    for step in steps:
        seen.update(dict.fromkeys(item[1] for item in step.touched))
        seen.update(dict.fromkeys(step.gone))
        left.update(step.gone)
    touched: Touched = []
    gone: list[str] = []
    places = b.positions
    for uid in seen:
        old = before.get(uid)
        new = after.get(uid)
        if new is not None:
            if new is not old:
                touched.append((places[uid], uid, old, new))
        elif old is not None:
            gone.append(uid)
    touched.sort(key=lambda item: item[0])
    gone.sort(key=a.positions.__getitem__)
    # Units never gone keep their order through steps that each kept it; a unit that left and
    # came back may stand anywhere, and a step that broke the order may have been undone.
    in_order = all(step.in_order for step in steps) and not any(
        uid in before and uid in after for uid in left
    )
    if not in_order:
        ranks = [r for r in map(a.positions.get, after) if r is not None]
        in_order = all(x < y for x, y in itertools.pairwise(ranks))
    # A unit changed in one step and changed back in another has equal values on new records.
    return touched, gone, in_order, False


def share_unchanged(previous: Snapshot, snapshot: Snapshot) -> Snapshot:
    """``snapshot`` with every unit record equal to ``previous``'s taken from ``previous``.

    Most units do not change from one snapshot to the next. Sharing their records halves the
    memory of a long history, and lets a diff tell an unchanged unit by identity (``is``)
    without looking inside it. The result equals ``snapshot``, and carries the :class:`Step`
    from ``previous``.
    """
    lazy = _share_lazily(previous, snapshot)
    if lazy is not None:
        return lazy
    # The walk names every unit whose record is not previous's own; those with equal values
    # take previous's record, and the rest are what the step records.
    touched, gone, in_order, _ = walk(previous, snapshot)
    units = list(snapshot.units.values())
    differ: Touched = []
    for item in touched:
        index, _, old, new = item
        if old is not None and old.__dict__ == new.__dict__:
            units[index] = old
        else:
            differ.append(item)
    # Always a new snapshot: the one given is the caller's, and keeps no step of ours.
    shared = Snapshot(
        snapshot.date,
        units,
        title=snapshot.title,
        summary=snapshot.summary,
        sources=snapshot.sources,
        removed=snapshot.removed,
        path=snapshot.path,
    )
    shared._step = Step(previous, differ, gone, in_order)
    return shared


def _share_lazily(previous: Snapshot, snapshot: Snapshot) -> Snapshot | None:
    """What :func:`share_unchanged` gives, for two snapshots whose units are built on use,
    told from their records (see :func:`orgmodel.records.share_records`): so the units
    stay unbuilt. None when the records cannot be compared so."""
    before, after = previous.units, snapshot.units
    if not isinstance(before, LazyUnits) or not isinstance(after, LazyUnits):
        return None
    found = share_records(before, after)
    if found is None:
        return None
    shared = Snapshot(
        snapshot.date,
        (),
        title=snapshot.title,
        summary=snapshot.summary,
        sources=snapshot.sources,
        removed=snapshot.removed,
        path=snapshot.path,
    )
    shared.units = found.units
    shared._step = Step(previous, found.touched, found.gone, found.in_order)
    return shared


#: One structural problem: (index of the unit, field at fault, unit id, message).
StructureProblem = tuple[int, str | None, str | None, str]


def structure_problems(units: Sequence[Unit]) -> list[StructureProblem]:
    """Every structural problem of a list of units, as (index, field, unit id, message).

    Checks duplicate ids, parents that do not exist, cycles and the number of roots. The index
    and field let a file reader point at the line.

    >>> structure_problems([Unit(id="g", name="G", kind="k"), Unit(id="a", name="A", kind="k",
    ...                     parent="b")])[0][3]
    "parent 'b' does not exist in this snapshot"
    """
    ids = list(map(_unit_id, units))
    parents = list(map(_unit_parent, units))
    if parents_first_tree(ids, parents):
        return []
    first: dict[str, int] = {}
    for index, uid in enumerate(ids):
        first.setdefault(uid, index)
    parent_of = dict(zip(ids, parents, strict=True))
    return [
        *_duplicate_ids(ids, first),
        *_missing_parents(ids, parents, parent_of),
        *_root_problems(ids, parents),
        *_cycles(parent_of, first),
    ]


def written_parents_first(units: Sequence[Unit]) -> bool:
    """Whether the units are one tree with each parent listed before its children."""
    ids, parents = list(map(_unit_id, units)), list(map(_unit_parent, units))
    return parents_first_tree(ids, parents)


def _duplicate_ids(ids: list[str], first: dict[str, int]) -> Iterator[StructureProblem]:
    for index, uid in enumerate(ids):
        if first[uid] != index:
            yield (
                index,
                "id",
                uid,
                f"duplicate id: already used by the unit at position {first[uid] + 1}"
                "; give each unit its own id",
            )


def _missing_parents(
    ids: list[str], parents: list[str | None], parent_of: dict[str, str | None]
) -> Iterator[StructureProblem]:
    import difflib

    for index, (uid, parent) in enumerate(zip(ids, parents, strict=True)):
        if parent is None:
            continue
        if parent == uid:
            yield index, "parent", uid, "a unit cannot be its own parent"
        elif parent not in parent_of:
            close = difflib.get_close_matches(parent, list(parent_of), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"parent '{parent}' does not exist in this snapshot{hint}"
            yield index, "parent", uid, message


def _root_problems(ids: list[str], parents: list[str | None]) -> Iterator[StructureProblem]:
    roots = [(i, uid) for i, (uid, p) in enumerate(zip(ids, parents, strict=True)) if p is None]
    if not roots:
        yield 0, None, None, "no root: exactly one unit must have no parent"
        return
    names = ", ".join(f"'{uid}'" for _, uid in roots)
    for index, uid in roots[1:]:
        message = f"more than one root ({names}): every unit but one must have a parent"
        yield index, "parent", uid, message


def _cycles(parent_of: dict[str, str | None], first: dict[str, int]) -> Iterator[StructureProblem]:
    """Follow parents from each unit; a walk that meets itself is a cycle. Colouring (1 = on
    the current walk, 2 = known to end outside any cycle) keeps the whole check linear."""
    state: dict[str, int] = {}
    reported: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parent_of and current not in state:
            state[current] = 1
            path.append(current)
            current = parent_of[current]
        if current is not None and state.get(current) == 1:
            cycle = path[path.index(current) :]
            # A unit that is its own parent has been told so by _missing_parents.
            if len(cycle) > 1 and not reported.intersection(cycle):
                reported.update(cycle)
                members = " -> ".join([*cycle, current])
                message = f"parents form a cycle ({members}); a unit cannot sit below itself"
                yield first[current], "parent", current, message
        for uid in path:
            state[uid] = 2
