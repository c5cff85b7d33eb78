"""Comparing snapshots: the net change between two, as a list of typed events, and the
changes step by step through a history.

:func:`diff` compares two snapshots unit by unit (a unit's ``id`` is its identity) and returns a
:class:`Diff`: the events, in a fixed order, and enough detail that :meth:`Diff.apply` rebuilds
the later snapshot from the earlier one exactly.

The rules
---------
Units present on both sides
    ``renamed`` when ``name`` or ``name_zh`` changes; ``kind_changed`` when ``kind`` changes;
    ``updated`` for any change to leaders, lineage, sources, confidence, field_confidence or
    note. Then, by the unit's *standing* (``in_line`` < ``standalone`` < ``outside``, from its
    status, see :data:`orgmodel.model.STANDING`):

    - standing rises: ``spun_off`` (with the old and new parent and status);
    - standing falls back to one it had before: ``returned`` (``back_to="standing"``). "Had
      before" means: the unit had that standing in the earlier snapshot's history (the
      snapshots of ``history`` dated before ``a``), or one of the units in its ``lineage``
      had it there, in ``a`` or in ``b``. Without ``history`` only the lineage counts, so a
      unit carved out of an in-line unit that comes back in line has returned, and any other
      fall is a ``status_changed``;
    - otherwise, a new parent that the unit had in a snapshot before ``a`` (so not the
      immediately previous one): ``returned`` (``back_to="parent"``); any other new parent:
      ``moved``, reported for the root of a moved subtree only, as the units below it keep
      their parent; a new status within the same standing: ``status_changed``.

    ``spun_off`` and ``returned`` carry the parent and status on both sides, so no ``moved`` or
    ``status_changed`` is reported with them.

Units only in ``b``
    ``returned`` (``back_to="group"``) when ``history`` has the id in a snapshot before ``a``
    (an id that reappears after an absence), else ``added``. Either event carries the whole
    unit record. A new unit whose lineage names an in-line unit of ``a`` and whose own standing
    is standalone or outside is also ``spun_off`` (with ``from_unit``): carved out as a
    stand-alone company.

Units only in ``a``
    ``removed``, with ``how`` taken from ``b.removed`` when declared there (with ``history``,
    also from the ``removed`` of the snapshots between ``a`` and ``b``, where a unit that left
    in one of those steps is declared; a declared removal that leaves ``how`` out gives its
    sources and note, and its how as if undeclared). A declared removal
    with ``how: spun_off`` is a ``spun_off`` event with ``left_group=True`` instead (the unit
    left the group). Undeclared: ``absorbed`` if a unit of ``b`` names it in its lineage
    (``into`` that unit) or if it is matched by overlap (below, ``inferred=True``); otherwise
    it went with its parent when its parent went too (same ``how`` and ``into``,
    ``along_with`` naming the ancestor); otherwise ``divested`` if its plan in ``a`` was
    ``sale_agreed``; otherwise ``spun_off`` along with its parent when the parent left the group
    in that step (it stays in ``b`` outside the group, and the records stop following what is
    inside it); otherwise ``dissolved`` when some of its own sub-units are still in ``b``
    (they were handed elsewhere); otherwise ``unrecorded``: the data does not say how it went.

    ``sale_agreed`` never moves a unit's standing: an agreed sale (or one called off) is a
    ``status_changed``; the unit leaves when the sale completes.

Split and merge
    Declared lineage wins. A lineage entry counts when it names a unit of ``a`` and is new (the
    unit is new, or its lineage in ``a`` did not have the entry: lineage is kept in later
    snapshots and is not news there). A new unit naming a unit that is still in ``b`` was split
    off from it: one ``split`` per predecessor, listing every unit split off, with the
    predecessor as ``heir``. A unit that vanished and is named by two or more units is
    ``split`` among them; a unit naming two or more units that vanished is ``merged`` from
    them, and so is a new unit into which two or more vanished units are declared absorbed
    (``removed: {how: absorbed, into: ...}``). A unit whose id comes back after an absence
    brings its lineage back with it: that is no news, and no split.

    Where lineage is absent, split and merge are inferred from where the children of the
    vanished units whose removal is not declared, and of the new units without declared
    lineage, went, by the rule of :mod:`orgmodel.matching` (configurable ``threshold``,
    default :data:`DEFAULT_THRESHOLD`): it says which unit each vanished unit went ``into`` (a
    new unit or one that stays; ``inferred=True``), which units were split (parts split off a
    unit that stays included, with that unit as ``heir``) and which merged. Between declared
    successors, identity passes to the one with the largest overlap of descendants
    (:func:`orgmodel.matching.heir`).

Order
    Events are grouped by kind in the order of :data:`orgmodel.events.KINDS`; within a kind, by
    the position of the event's main unit in ``b`` (units only in ``a`` after them, by their
    position in ``a``).

The pipeline
    :func:`diff` runs named steps, each a short function: ``_scan`` (one pass over the units
    that may differ), ``_declared_lineage``, ``_inferred`` (:mod:`orgmodel.matching`),
    ``_departures``, then the events of arrivals, departures, groups (split, merged) and of each
    unit on both sides (``_unit_events``), and ``_finish`` (order, and the :class:`Diff`).

Cost
    Linear in the number of units, plus the inference's (linear in the changed units, see
    :mod:`orgmodel.matching`), plus, with ``history``, a look back through the earlier
    snapshots for the few units that may have returned.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> group = Unit(id="g", name="Group", kind="holding")
>>> a = Snapshot(dt.date(2022, 1, 1), [group,
...     Unit(id="cloud", name="Cloud", kind="business_group", parent="g"),
...     Unit(id="maps", name="Maps", kind="business_unit", parent="cloud")])
>>> b = Snapshot(dt.date(2023, 1, 1), [group,
...     Unit(id="cloud", name="Cloud Intelligence", kind="business_group", parent="g"),
...     Unit(id="maps", name="Maps", kind="business_unit", parent="g", status="standalone")])
>>> d = diff(a, b)
>>> [(e.kind, e.units) for e in d.events]
[('renamed', ('cloud',)), ('spun_off', ('maps', 'g', 'cloud'))]
>>> d.apply(a) == b, bool(diff(a, a))
(True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field

from orgmodel import matching
from orgmodel.dates import DateLike
from orgmodel.events import (
    KIND_RANK,
    KINDS,
    TITLES,
    Added,
    BackTo,
    Event,
    EventError,
    KindChanged,
    LeaderChanged,
    Merged,
    Moved,
    PlanChanged,
    Removed,
    RemovedHow,
    Renamed,
    Returned,
    Split,
    SpunOff,
    StatusChanged,
    Updated,
    check_kinds,
)
from orgmodel.matching import DEFAULT_THRESHOLD
from orgmodel.model import (
    ENDED_PLANS,
    STANDING,
    STANDING_RANK,
    Removal,
    RemovalHow,
    Standing,
    Unit,
    role_keys,
)
from orgmodel.snapshot import Snapshot, step_between, walk

__all__ = [
    "DEFAULT_THRESHOLD",
    "Chosen",
    "Chronicle",
    "Diff",
    "changes",
    "choose",
    "diff",
    "select",
]

#: Fields whose changes are reported as ``updated``.
UPDATED_FIELDS: tuple[str, ...] = (
    "leaders",
    "lineage",
    "sources",
    "confidence",
    "field_confidence",
    "note",
)

Points = Mapping[str, list[tuple[int, Unit | None]]]


class Chronicle(Protocol):
    """What the engine reads of a history: its snapshots in time order, and the record of each
    unit's changes (:meth:`orgmodel.history.History.record_changes`)."""

    @property
    def snapshots(self) -> tuple[Snapshot, ...]: ...

    def record_changes(self) -> Points: ...


#: How many units a notebook's view of a diff names for each kind of change.
_SHOWN = 8


class Diff(BaseModel):
    """The net change from snapshot ``a`` to snapshot ``b``.

    Besides the events it keeps what ``b`` says about itself (title, summary, sources,
    removals) and, when ``b`` lists its units in another order than the one :meth:`apply`
    would give, that order: so ``diff(a, b).apply(a)`` is ``b``, file order included.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    a: dt.date = Field(description="The date of the earlier snapshot used.")
    b: dt.date = Field(description="The date of the later snapshot used.")
    threshold: float = Field(description="The overlap threshold used to infer splits/merges.")
    events: list[Event] = Field(description="The events, grouped by kind.")
    title: str = ""
    summary: str | None = None
    sources: tuple[str, ...] = ()
    removed: dict[str, Removal] = Field(default_factory=dict)
    order: tuple[str, ...] | None = Field(
        None,
        description="b's unit ids in file order, when not the units kept from a (in a's "
        "order) followed by the units that arrived (in event order).",
    )

    def __repr__(self) -> str:
        """One line: the dates used and how many events of each kind.

        >>> from orgmodel.model import Unit
        >>> g = Unit(id="g", name="Group", kind="holding")
        >>> a = Snapshot(dt.date(2020, 1, 1), [g])
        >>> b = Snapshot(dt.date(2021, 1, 1), [g, Unit(id="x", name="X", kind="unit", parent="g")])
        >>> diff(a, b)
        <Diff 2020-01-01 -> 2021-01-01: 1 change: 1 added>
        >>> diff(a, a)
        <Diff 2020-01-01 -> 2020-01-01: no change>
        """
        return f"<Diff {self.a} -> {self.b}: {self._counted()}>"

    __str__ = __repr__

    def _by_kind(self) -> dict[str, list[Event]]:
        groups: dict[str, list[Event]] = {kind: [] for kind in KINDS}
        for event in self.events:
            groups[event.kind].append(event)
        return {kind: group for kind, group in groups.items() if group}

    def _counted(self) -> str:
        if not self.events:
            return "no change"
        total = f"{len(self.events)} change{'' if len(self.events) == 1 else 's'}"
        kinds = ", ".join(f"{len(g)} {k.replace('_', ' ')}" for k, g in self._by_kind().items())
        return f"{total}: {kinds}"

    def _repr_markdown_(self) -> str:
        """A notebook's view: the dates, then a table of the kinds of change with their units
        (ids; :func:`orgmodel.report.diff_report` says each event in words)."""
        lines = [f"**Diff {self.a} → {self.b}**: {self._counted()}"]
        if self.events:
            lines += ["", "| change | events | units |", "|:--|--:|:--|"]
        for kind, group in self._by_kind().items():
            units = list(dict.fromkeys(event.units[0] for event in group))
            shown = ", ".join(f"`{uid}`" for uid in units[:_SHOWN])
            more = f" and {len(units) - _SHOWN} more" if len(units) > _SHOWN else ""
            lines.append(f"| {TITLES[kind]} | {len(group)} | {shown}{more} |")
        return "\n".join(lines) + "\n"

    def __bool__(self) -> bool:
        return bool(self.events)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def is_empty(self) -> bool:
        """True when the two snapshots hold the same units."""
        return not self.events

    def filter(self, *, unit: str | None = None, kinds: Iterable[str] | None = None) -> list[Event]:
        """The events that involve ``unit`` (any of their ``units``) and are of one of
        ``kinds``; ``None`` keeps all."""
        return select(self.events, unit=unit, kinds=kinds)

    def apply(self, snapshot: Snapshot) -> Snapshot:
        """Rebuild the later snapshot from the earlier one.

        Raise :class:`~orgmodel.events.EventError` if ``snapshot`` is not the one the diff
        was made from (another date, or a unit an event needs is missing).
        """
        if snapshot.date != self.a:
            raise EventError(
                f"this diff goes from {self.a} to {self.b}; apply it to the snapshot of "
                f"{self.a}, not {snapshot.date}"
            )
        edit = _Rebuild(snapshot)
        for event in self.events:
            event.apply(edit)
        units, arrived = edit.finish()
        order = self.order if self.order is not None else _natural_order(snapshot, units, arrived)
        try:
            ordered = [units[unit_id] for unit_id in order]
        except KeyError as exc:
            raise EventError(f"unit {exc} is missing; the diff does not fit the snapshot") from None
        return Snapshot(
            self.b,
            ordered,
            title=self.title,
            summary=self.summary,
            sources=self.sources,
            removed=self.removed,
        )


class _Rebuild:
    """The :class:`~orgmodel.events.Edit` that :meth:`Diff.apply` hands each event."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.units: dict[str, Unit] = dict(snapshot.units)
        self.arrived: list[str] = []
        self.patches: dict[str, dict[str, Any]] = {}
        self.checked: dict[str, dict[str, Any]] = {}

    def _patch(self, unit_id: str) -> dict[str, Any]:
        if unit_id not in self.units:
            raise EventError(
                f"unit '{unit_id}' is not in the snapshot of {self.snapshot.date}; "
                "apply the diff to the snapshot it was made from"
            )
        return self.patches.setdefault(unit_id, {})

    def arrive(self, unit: Unit) -> None:
        self.units[unit.id] = unit
        self.arrived.append(unit.id)

    def leave(self, unit_id: str) -> None:
        self._patch(unit_id)
        del self.units[unit_id]

    def set(self, unit_id: str, **fields: Any) -> None:
        self._patch(unit_id).update(fields)

    def set_checked(self, unit_id: str, fields: Mapping[str, Any]) -> None:
        self._patch(unit_id)
        self.checked.setdefault(unit_id, {}).update(fields)

    def finish(self) -> tuple[dict[str, Unit], list[str]]:
        units = self.units
        for unit_id, changes in self.patches.items():
            if unit_id not in units:
                continue
            if unit_id in self.checked:
                # Values read back from JSON are plain dicts and lists: validate them.
                data = units[unit_id].model_dump()
                data.update(changes)
                data.update(self.checked[unit_id])
                units[unit_id] = Unit.model_validate(data)
            elif changes:
                units[unit_id] = units[unit_id].model_copy(update=changes)
        return units, self.arrived


def select(
    events: Iterable[Event],
    *,
    unit: str | None = None,
    kinds: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
) -> list[Event]:
    """The events that involve ``unit``, are of one of ``kinds`` (``None`` keeps all) and of
    none of ``exclude``."""
    wanted = check_kinds(kinds)
    unwanted = check_kinds(exclude) or frozenset()
    return [
        e
        for e in events
        if (wanted is None or e.kind in wanted)
        and e.kind not in unwanted
        and (unit is None or unit in e.units)
    ]


def _natural_order(
    before: Snapshot, units: Mapping[str, Unit], arrived: Sequence[str]
) -> list[str]:
    kept = [unit_id for unit_id in before.units if unit_id in units]
    return kept + [unit_id for unit_id in arrived if unit_id not in before.units]


def diff(
    a: Snapshot,
    b: Snapshot,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    history: Chronicle | None = None,
) -> Diff:
    """The net change from snapshot ``a`` to snapshot ``b``, following the rules of this
    module's docstring.

    Parameters
    ----------
    a, b
        The earlier and the later snapshot.
    threshold
        The overlap above which units without declared lineage are matched as split or
        merged (see :mod:`orgmodel.matching`); must lie in [0, 1].
    history
        The history the snapshots belong to. With it, a unit whose id reappears, whose
        standing falls back, or whose parent goes back to one it had in a snapshot before
        ``a`` is reported as ``returned``.

    Returns
    -------
    Diff
        The events, in a fixed order; ``diff(a, b).apply(a) == b``.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> def unit(uid, parent, **more):
    ...     return Unit(id=uid, name=uid.title(), kind="business_unit", parent=parent, **more)
    >>> a = Snapshot(dt.date(2020, 1, 1), [g, unit("video", "g"), unit("music", "g")])
    >>> b = Snapshot(dt.date(2021, 1, 1), [g, unit("stream", "g", lineage=("video", "music"))])
    >>> [(e.kind, e.units) for e in diff(a, b).events]  # doctest: +NORMALIZE_WHITESPACE
    [('added', ('stream',)), ('removed', ('video', 'stream')),
     ('removed', ('music', 'stream')), ('merged', ('stream', 'video', 'music'))]
    """
    check_threshold(threshold)
    return _compare(_Pair.of(a, b, threshold, history), with_order=True)


def check_threshold(threshold: float) -> None:
    """Raise :class:`~orgmodel.events.EventError` unless ``threshold`` lies in [0, 1]."""
    if not 0.0 <= threshold <= 1.0:
        raise EventError(f"threshold must lie between 0 and 1, not {threshold}")


class _Indexed(Chronicle, Protocol):
    def index(self, date: DateLike) -> int: ...

    def span(self, a: DateLike | None = None, b: DateLike | None = None) -> tuple[int, int]: ...

    def check_unit(self, unit_id: str) -> None: ...


def changes(
    history: _Indexed,
    a: DateLike | None = None,
    b: DateLike | None = None,
    *,
    unit: str | None = None,
    kinds: Iterable[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Event]:
    """Every event of every step between consecutive snapshots from the one in force on ``a``
    (default: the first) to the one in force on ``b`` (default: the last), in time order; each
    event's ``date`` is the snapshot it first shows in. With ``unit``, only the events that
    involve it; with ``kinds``, only those kinds.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.history import History
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> def at(year, status):
    ...     unit = Unit(id="x", name="X", kind="company", parent="g", status=status)
    ...     return Snapshot(dt.date(year, 1, 1), [g, unit])
    >>> h = History([at(2020, "active"), at(2021, "standalone"), at(2022, "active")])
    >>> [(e.date.year, e.kind) for e in changes(h)]
    [(2021, 'spun_off'), (2022, 'returned')]
    """
    wanted = check_kinds(kinds)
    check_threshold(threshold)
    if unit is not None:
        history.check_unit(unit)
    snapshots = history.snapshots
    first = 0 if a is None else history.index(a)
    last = len(snapshots) - 1 if b is None else history.index(b)
    found: list[Event] = []
    for step in range(first, last):
        pair = _Pair.of(snapshots[step], snapshots[step + 1], threshold, history)
        # Only the events are kept: b's order (a million ids, for a large group) is not.
        found.extend(_compare(pair, with_order=False).events)
    return select(found, unit=unit, kinds=wanted)


class Chosen(NamedTuple):
    """The events a report of a history shows, and the dates of the snapshots they lie
    between; ``net`` is the net diff they were kept from (None when step by step)."""

    a: dt.date
    b: dt.date
    events: list[Event]
    net: Diff | None


def choose(
    history: _Indexed,
    a: DateLike | None = None,
    b: DateLike | None = None,
    *,
    steps: bool = False,
    unit: str | None = None,
    kinds: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Chosen:
    """The net change from the snapshot in force on ``a`` (default: the first) to the one in
    force on ``b`` (default: the last), or with ``steps`` every step between them
    (:func:`changes`): only the events that involve ``unit``, are of one of ``kinds`` and of
    none of ``exclude`` (see :func:`select`). What ``orgmodel diff`` and ``orgmodel log`` show.

    >>> import datetime as dt
    >>> from orgmodel.history import History
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> def at(year, status):
    ...     unit = Unit(id="x", name="X", kind="company", parent="g", status=status)
    ...     return Snapshot(dt.date(year, 1, 1), [g, unit])
    >>> h = History([at(2020, "active"), at(2021, "standalone"), at(2022, "active")])
    >>> choose(h).events, [e.kind for e in choose(h, steps=True, exclude=["returned"]).events]
    ([], ['spun_off'])
    """
    wanted, unwanted = check_kinds(kinds), check_kinds(exclude)
    first, last = history.span(a, b)
    dates = history.snapshots[first].date, history.snapshots[last].date
    if steps:
        found = changes(history, a, b, unit=unit, kinds=wanted, threshold=threshold)
        return Chosen(*dates, select(found, exclude=unwanted), None)
    if unit is not None:
        history.check_unit(unit)
    net = diff(
        history.snapshots[first], history.snapshots[last], threshold=threshold, history=history
    )
    return Chosen(*dates, select(net.events, unit=unit, kinds=wanted, exclude=unwanted), net)


class _Past:
    """The snapshots before ``a`` (from the history), then ``a``: where returns are looked up.

    A question about a unit's past walks back over the points where its record changed. When
    ``a`` is one of the history's snapshots these come from the history's record of changes
    (:meth:`Chronicle.record_changes`), so the cost follows the unit's changes, not the length
    of the history; else every snapshot is a point.
    """

    def __init__(self, a: Snapshot, history: Chronicle | None) -> None:
        self.known = history is not None
        earlier: list[Snapshot] = []
        self.changes: Mapping[str, list[tuple[int, Unit | None]]] | None = None
        self.first: Mapping[str, Unit] = a.units
        if history is not None:
            earlier = [s for s in history.snapshots if s.date < a.date]
            if len(earlier) < len(history.snapshots) and history.snapshots[len(earlier)] is a:
                self.changes = history.record_changes()
                self.first = history.snapshots[0].units
        self.seq: list[Snapshot] = [*earlier, a]

    def _after(self, index: int) -> dt.date:
        return self.seq[index + 1].date

    def _points(self, unit_id: str) -> list[tuple[int, Unit | None]]:
        """(index in seq, the unit's record from there on, None where absent), in order."""
        if self.changes is None:
            return [(i, s.units.get(unit_id)) for i, s in enumerate(self.seq)]
        points = self.changes.get(unit_id)
        if points is None:  # the same record throughout, or never there
            start = self.first.get(unit_id)
            points = [(0, start)] if start is not None else []
        return points

    def _last(self, unit_id: str, limit: int, test: Callable[[Unit | None], bool]) -> int | None:
        """The latest snapshot index up to ``limit`` where the unit's record (None: absent)
        passes ``test``; None if there is none."""
        top = limit
        for index, record in reversed(self._points(unit_id)):
            if index > limit:
                continue
            if test(record):
                return top
            top = index - 1
        # Before its first point the unit was not there.
        return top if top >= 0 and test(None) else None

    def left_group(self, unit_id: str) -> dt.date | None:
        """When an id absent from ``a`` was last left out: None if it was never there."""
        found = self._last(unit_id, len(self.seq) - 2, lambda r: r is not None)
        return None if found is None else self._after(found)

    def left_parent(self, unit_id: str, parent: str) -> dt.date | None:
        """When the unit last stopped being under ``parent`` before ``a``: None if never."""
        found = self._last(
            unit_id, len(self.seq) - 2, lambda r: r is not None and r.parent == parent
        )
        return None if found is None else self._after(found)

    def _had_standing(self, unit_id: str, standing: Standing, limit: int) -> int | None:
        return self._last(
            unit_id, limit, lambda r: r is not None and STANDING[r.status] == standing
        )

    def left_standing(
        self, unit_id: str, standing: Standing, lineage: Sequence[str], b: Snapshot
    ) -> tuple[bool, dt.date | None]:
        """Whether the unit (or a unit of its lineage) had ``standing`` before, and when it
        left it (None when unknown)."""
        last = len(self.seq) - 1
        index = self._had_standing(unit_id, standing, last)
        if index is not None:
            return True, self._after(index) if index < last else None
        had = any(
            self._had_standing(pred, standing, last) is not None
            or ((p := b.units.get(pred)) is not None and STANDING[p.status] == standing)
            for pred in lineage
        )
        if not had:
            return False, None
        if not self.known:
            return True, None
        # It never had the standing itself: it left with the run of snapshots it is in.
        absent = self._last(unit_id, last - 1, lambda r: r is None)
        return True, self.seq[0 if absent is None else absent + 1].date


# --- the pipeline -----------------------------------------------------------------------------


@dataclass
class _Pair:
    """The two snapshots compared, what the engine knows of their past, and the ranks (places
    in b, or in a for the units only there) that order the events."""

    a: Snapshot
    b: Snapshot
    threshold: float
    past: _Past
    declared: dict[str, Removal]
    pos_b: dict[str, int] = field(default_factory=dict)
    pos_a: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, a: Snapshot, b: Snapshot, threshold: float, history: Chronicle | None) -> _Pair:
        # How a unit left is declared in the snapshot where it left. Across several steps that
        # is a snapshot between a and b, which only the history can show; the latest
        # declaration wins, as it describes the last departure.
        declared: dict[str, Removal] = {}
        if history is not None:
            for snapshot in history.snapshots:
                if a.date < snapshot.date < b.date:
                    declared.update(snapshot.removed)
        declared.update(b.removed)
        return cls(a, b, threshold, _Past(a, history), declared)

    def base(self, units: tuple[str, ...], sources: Iterable[str] = ()) -> dict[str, Any]:
        return {"units": units, "since": self.a.date, "date": self.b.date, "sources": sources}

    def first_in_b(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=self.pos_b.__getitem__)


class _Scan(NamedTuple):
    """What one pass over the units that may differ finds."""

    new: list[str]  # b's arrivals, in b's order
    back: dict[str, dt.date]  # arrivals whose id was there before a: when they left
    changed: list[tuple[Unit, Unit]]  # (before, after), in b's order
    links: list[tuple[str, str, bool]]  # (unit, predecessor in a, unit is new): news in b
    gone: list[str]  # in a's order
    in_order: bool  # b's kept units are in a's order


class _Lineage(NamedTuple):
    """Declared lineage that is news in b, and declared absorptions."""

    succ_of: dict[str, list[str]]  # vanished predecessor -> units naming it
    preds_of: dict[str, list[str]]  # unit -> vanished predecessors it names (or absorbed)
    split_off: dict[str, list[str]]  # staying predecessor -> new units naming it
    explained: set[str]  # new units whose origin lineage declares


class _Departure(NamedTuple):
    how: RemovedHow
    into: str | None
    along: str | None  # the vanished ancestor it went with
    inferred: bool


def _compare(pair: _Pair, *, with_order: bool) -> Diff:
    scan = _scan(pair)
    lineage = _declared_lineage(pair, scan)
    overlap = _inferred(pair, scan, lineage)
    departures = _departures(pair, scan, lineage, overlap)
    events = [
        *_arrival_events(pair, scan),
        *_departure_events(pair, scan, departures),
        *_group_events(pair, lineage, overlap),
    ]
    for before, after in scan.changed:
        events += _unit_events(pair, before, after)
    return _finish(pair, scan, events, with_order)


def _scan(pair: _Pair) -> _Scan:
    """The units to look into: those a history's steps name between a and b (every other unit
    has the same record on both sides), or else those a walk over b finds. An unchanged unit
    is passed over: its lineage is not news and it has nothing to compare."""
    a = pair.a.units
    stepped = step_between(pair.a, pair.b)
    touched, gone, in_order, differ = stepped if stepped is not None else walk(pair.a, pair.b)
    new: list[str] = []
    back: dict[str, dt.date] = {}
    changed: list[tuple[Unit, Unit]] = []
    links: list[tuple[str, str, bool]] = []
    pos_b = pair.pos_b
    for index, uid, before, after in touched:
        pos_b[uid] = index
        if before is None:
            new.append(uid)
            left_on = pair.past.left_group(uid) if pair.past.known else None
            if left_on is not None:
                back[uid] = left_on  # its lineage is what it had before: no news
                continue
            links.extend((uid, pred, True) for pred in after.lineage if pred in a)
            continue
        if after.lineage:
            old = before.lineage
            links.extend((uid, p, False) for p in after.lineage if p in a and p not in old)
        # Field values only: a third of the cost of pydantic's __eq__, which also checks
        # private and extra attributes that a Unit does not have.
        if differ or before.__dict__ != after.__dict__:
            changed.append((before, after))
    pair.pos_a = {uid: i for i, uid in enumerate(gone)}
    return _Scan(new, back, changed, links, gone, in_order)


def _declared_lineage(pair: _Pair, scan: _Scan) -> _Lineage:
    gone = set(scan.gone)
    lineage = _Lineage({}, {}, {}, set())
    for uid, pred, is_new in scan.links:
        if is_new:
            lineage.explained.add(uid)
        if pred in gone:
            lineage.succ_of.setdefault(pred, []).append(uid)
            lineage.preds_of.setdefault(uid, []).append(pred)
        elif is_new:
            lineage.split_off.setdefault(pred, []).append(uid)
    # Several units declared absorbed into one new unit were merged into it; a unit absorbed
    # along with its parent is part of its parent's share, not a party of its own.
    new = set(scan.new)
    absorbed: dict[str, str] = {}
    for uid in scan.gone:
        removal = pair.declared.get(uid)
        if removal is not None and removal.how == "absorbed" and removal.into in new:
            absorbed[uid] = removal.into
    for uid, into in absorbed.items():
        preds = lineage.preds_of.setdefault(into, [])
        above = pair.a.ancestors(uid)
        if uid not in preds and not any(absorbed.get(x) == into or x in preds for x in above):
            preds.append(uid)
    # A staying predecessor is the main unit of its split: it needs a place in b too.
    for pred in lineage.split_off:
        pair.pos_b.setdefault(pred, pair.b.positions[pred])
    return lineage


def _inferred(pair: _Pair, scan: _Scan, lineage: _Lineage) -> matching.Inference:
    """Where the children went, for the vanished and new units lineage leaves unexplained."""
    moved = [after.id for before, after in scan.changed if before.parent != after.parent]
    successors = dict(lineage.succ_of)
    for succ, preds in lineage.preds_of.items():  # declared absorptions into a new unit too
        for pred in preds:
            successors.setdefault(pred, [succ])
    explained = lineage.explained | scan.back.keys() | lineage.preds_of.keys()
    declared = matching.Declared(pair.declared.keys() | successors.keys(), explained, successors)
    found = matching.infer(
        pair.a,
        pair.b,
        matching.Changes(scan.gone, scan.new, moved),
        threshold=pair.threshold,
        declared=declared,
    )
    for split in found.splits:  # a staying predecessor needs a place in b too
        if split.predecessor in pair.b.units:
            pair.pos_b.setdefault(split.predecessor, pair.b.positions[split.predecessor])
    return found


def _departures(
    pair: _Pair, scan: _Scan, lineage: _Lineage, overlap: matching.Inference
) -> dict[str, _Departure]:
    """How each vanished unit went: as declared, into the unit that names it, into the unit
    its sub-units went to, sold after an agreed sale, with its parent, or dissolved."""
    gone = set(scan.gone)
    found: dict[str, _Departure] = {}

    def how_gone(uid: str) -> _Departure:
        if uid in found:
            return found[uid]
        declared = pair.declared.get(uid)
        result: _Departure
        if declared is not None and declared.how is not None:
            result = _as_declared(pair, uid, declared.how, declared.into, lineage)
        elif uid in lineage.succ_of:
            into = matching.heir(pair.a, pair.b, uid, lineage.succ_of[uid])
            result = _Departure("absorbed", into, None, False)
        elif uid in overlap.into:
            result = _Departure("absorbed", overlap.into[uid][0], None, True)
        elif pair.a.units[uid].plan == "sale_agreed":
            result = _Departure("divested", None, None, False)  # the agreed sale completed
        else:
            parent = pair.a.units[uid].parent
            if parent is not None and parent in gone:
                went = how_gone(parent)
                result = went._replace(along=went.along or parent)
            else:
                result = _undeclared(pair, uid, parent)
        found[uid] = result
        return result

    for uid in scan.gone:
        how_gone(uid)
    return found


def _undeclared(pair: _Pair, uid: str, parent: str | None) -> _Departure:
    """How a unit went that nothing declares or matches: with its parent when the parent left
    the group in this step (the records stop following what is inside it), dissolved when its
    own sub-units live on elsewhere, and otherwise not recorded: the data does not say."""
    if parent is not None and _left_group(pair, parent):
        return _Departure("spun_off", None, parent, False)
    if any(child in pair.b.units for child in pair.a.children(uid)):
        return _Departure("dissolved", None, None, False)
    return _Departure("unrecorded", None, None, False)


def _left_group(pair: _Pair, uid: str) -> bool:
    after = pair.b.units.get(uid)
    return (
        after is not None
        and STANDING[after.status] == "outside"
        and STANDING[pair.a.units[uid].status] != "outside"
    )


def _as_declared(
    pair: _Pair, uid: str, how: RemovalHow, into: str | None, lineage: _Lineage
) -> _Departure:
    if into is not None and into not in pair.b.units:
        into = None  # absorbed into a unit that is itself gone by b: say no more than b shows
    if how == "absorbed" and into is None and uid in lineage.succ_of:
        into = matching.heir(pair.a, pair.b, uid, lineage.succ_of[uid])
    return _Departure(how, into, None, False)


def _arrival_events(pair: _Pair, scan: _Scan) -> list[Event]:
    events: list[Event] = []
    for uid in scan.new:
        unit = pair.b.units[uid]
        base = pair.base((uid,), unit.sources)
        if uid in scan.back:
            events.append(
                Returned(
                    **base,
                    unit=uid,
                    back_to="group",
                    left_on=scan.back[uid],
                    from_parent=None,
                    to_parent=unit.parent,
                    from_status=None,
                    to_status=unit.status,
                    record=unit,
                )
            )
            continue
        events.append(Added(**base, unit=uid, name=unit.name, parent=unit.parent, record=unit))
        events += _carved_out(pair, unit)
    return events


def _carved_out(pair: _Pair, unit: Unit) -> list[Event]:
    """A new stand-alone unit made from an in-line one was spun off from it."""
    if unit.standing == "in_line":
        return []
    for pred in unit.lineage:
        origin = pair.a.units.get(pred)
        if origin is not None and origin.standing == "in_line":
            return [
                SpunOff(
                    **pair.base((unit.id, pred), unit.sources),
                    unit=unit.id,
                    old_parent=None,
                    new_parent=unit.parent,
                    old_status=None,
                    new_status=unit.status,
                    from_unit=pred,
                )
            ]
    return []


def _departure_events(
    pair: _Pair, scan: _Scan, departures: Mapping[str, _Departure]
) -> list[Event]:
    events: list[Event] = []
    for uid in scan.gone:
        unit = pair.a.units[uid]
        how, into, along, inferred = departures[uid]
        declared = pair.declared.get(uid)
        sources = declared.sources if declared is not None else ()
        note = declared.note if declared is not None else None
        if how == "spun_off" and along is None:
            events.append(
                SpunOff(
                    **pair.base((uid,), sources),
                    unit=uid,
                    old_parent=unit.parent,
                    new_parent=None,
                    old_status=unit.status,
                    new_status=None,
                    left_group=True,
                    note=note,
                )
            )
            continue
        events.append(
            Removed(
                **pair.base(tuple(x for x in (uid, into, along) if x is not None), sources),
                unit=uid,
                name=unit.name,
                parent=unit.parent,
                how=how,
                into=into,
                along_with=along,
                inferred=inferred,
                note=note,
            )
        )
    return events


def _group_events(pair: _Pair, lineage: _Lineage, overlap: matching.Inference) -> list[Event]:
    """Splits and mergers: declared, then inferred."""
    b = pair.b.units
    events: list[Event] = []

    def split(pred: str, successors: Sequence[str], heir: str, **more: Any) -> Split:
        base = pair.base((pred, *successors), _sources(b, successors))
        return Split(**base, predecessor=pred, successors=tuple(successors), heir=heir, **more)

    def merged(succ: str, preds: Sequence[str], **more: Any) -> Merged:
        base = pair.base((succ, *preds), b[succ].sources)
        return Merged(**base, successor=succ, predecessors=tuple(preds), **more)

    for pred, successors in lineage.split_off.items():
        events.append(split(pred, pair.first_in_b(successors), pred, inferred=False))
    for pred, successors in lineage.succ_of.items():
        if len(successors) >= 2:
            ordered = pair.first_in_b(successors)
            heir = matching.heir(pair.a, pair.b, pred, ordered)
            events.append(split(pred, ordered, heir, inferred=False))
    for succ, preds in lineage.preds_of.items():
        if len(preds) >= 2:
            events.append(merged(succ, preds, inferred=False))
    for found in overlap.splits:
        events.append(
            split(found.predecessor, found.successors, found.heir, inferred=True, score=found.score)
        )
    for made in overlap.merges:
        events.append(merged(made.successor, made.predecessors, inferred=True, score=made.score))
    return events


# --- a unit on both sides ---------------------------------------------------------------------


def _unit_events(pair: _Pair, before: Unit, after: Unit) -> list[Event]:
    """The events of a unit in both snapshots whose record changed, in the order of KINDS."""
    fields = [f for f in UPDATED_FIELDS if getattr(before, f) != getattr(after, f)]
    events = _renamed(pair, before, after) + _standing(pair, before, after)
    events += _plan(pair, before, after, fields)
    if "leaders" in fields:
        leaders = _leaders(pair, before, after)
        if leaders:
            fields.remove("leaders")
        events += leaders
    if before.kind != after.kind:
        events.append(
            KindChanged(
                **pair.base((after.id,), after.sources),
                unit=after.id,
                old_kind=before.kind,
                new_kind=after.kind,
            )
        )
    if fields:
        events.append(
            Updated(
                **pair.base((after.id,), after.sources),
                unit=after.id,
                fields=tuple(fields),
                old={f: getattr(before, f) for f in fields},
                new={f: getattr(after, f) for f in fields},
            )
        )
    return events


def _renamed(pair: _Pair, before: Unit, after: Unit) -> list[Event]:
    if before.name == after.name and before.name_zh == after.name_zh:
        return []
    return [
        Renamed(
            **pair.base((after.id,), after.sources),
            unit=after.id,
            old_name=before.name,
            new_name=after.name,
            old_name_zh=before.name_zh,
            new_name_zh=after.name_zh,
        )
    ]


def _standing(pair: _Pair, before: Unit, after: Unit) -> list[Event]:
    """Spun off, returned, moved, status changed: what the unit is and where it sits."""
    uid = after.id
    base = pair.base(_ids(uid, after.parent, before.parent), after.sources)
    old_rank = STANDING_RANK[before.standing]
    new_rank = STANDING_RANK[after.standing]
    if after.parent is None or before.parent is None:
        new_rank = old_rank  # the root is the group itself: never spun off from itself
    old_parent, new_parent = before.parent, after.parent
    if new_rank > old_rank:
        return [
            SpunOff(
                **base,
                unit=uid,
                old_parent=old_parent,
                new_parent=new_parent,
                old_status=before.status,
                new_status=after.status,
            )
        ]
    back_to, left_on = _went_back(pair, before, after, new_rank < old_rank)
    if back_to is not None:
        return [
            Returned(
                **base,
                unit=uid,
                back_to=back_to,
                left_on=left_on,
                from_parent=before.parent,
                to_parent=after.parent,
                from_status=before.status,
                to_status=after.status,
            )
        ]
    events: list[Event] = []
    if before.parent != after.parent:
        events.append(Moved(**base, unit=uid, old_parent=old_parent, new_parent=new_parent))
    if before.status != after.status:
        events.append(
            StatusChanged(
                **pair.base((uid,), after.sources),
                unit=uid,
                old_status=before.status,
                new_status=after.status,
            )
        )
    return events


def _went_back(
    pair: _Pair, before: Unit, after: Unit, fell: bool
) -> tuple[BackTo | None, dt.date | None]:
    """Whether the unit went back to a standing (when it ``fell``) or a parent it had."""
    if fell:
        had, left_on = pair.past.left_standing(after.id, after.standing, after.lineage, pair.b)
        if had:
            return "standing", left_on
    if before.parent != after.parent and after.parent is not None:
        left_on = pair.past.left_parent(after.id, after.parent)
        if left_on is not None:
            return "parent", left_on
    return None, None


def _plan(pair: _Pair, before: Unit, after: Unit, fields: list[str]) -> list[Event]:
    if before.plan == after.plan:
        return []
    if after.plan is None and before.plan in ENDED_PLANS:
        fields.append("plan")  # a plan that had ended leaves the record: no news
        return []
    return [
        PlanChanged(
            **pair.base((after.id,), after.sources),
            unit=after.id,
            old_plan=before.plan,
            new_plan=after.plan,
            carried_out=after.plan is None and before.status != after.status,
        )
    ]


def _leaders(pair: _Pair, before: Unit, after: Unit) -> list[Event]:
    return [
        LeaderChanged(
            **pair.base((after.id,), after.sources),
            unit=after.id,
            role=role,
            old=old,
            new=new,
            leaders=after.leaders,
        )
        for role, old, new in _leader_changes(before, after)
    ]


def _leader_changes(
    before: Unit, after: Unit
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(role, who held it, who holds it) for each role whose holders changed; roles compared by
    :func:`~orgmodel.model.role_keys`, so "Acting CEO" and "CEO" held by one person is no
    change, and neither is a change among people who lead the unit before and after."""
    held: dict[str, list[list[str]]] = {}
    titles: dict[str, str] = {}
    for side, unit in enumerate((before, after)):
        for leader in unit.leaders:
            for key, title in role_keys(leader.role):
                names = held.setdefault(key, [[], []])[side]
                if leader.name not in names:
                    names.append(leader.name)
                if side == 1 or key not in titles:
                    titles[key] = title
    # A title reworded or reshuffled among the same people is a record edit, not news.
    stayed = {x.name for x in before.leaders} & {x.name for x in after.leaders}
    return [
        (titles[key], tuple(old), tuple(new))
        for key, (old, new) in held.items()
        if set(old) != set(new) and not set(old) ^ set(new) <= stayed
    ]


# --- order and the result ---------------------------------------------------------------------


def _finish(pair: _Pair, scan: _Scan, found: list[Event], with_order: bool) -> Diff:
    pos_a, pos_b = pair.pos_a, pair.pos_b
    after = len(pair.b.units)

    def key(item: tuple[int, Event]) -> tuple[int, int, int]:
        index, event = item
        main = event.units[0]
        place = pos_b.get(main)
        if place is None:
            place = after + pos_a.get(main, 0)
        return (KIND_RANK[event.kind], place, index)

    events = [e for _, e in sorted(enumerate(found), key=key)]
    arrived = [
        e.unit
        for e in events
        if isinstance(e, Added) or (isinstance(e, Returned) and e.record is not None)
    ]
    # b is in the natural order (see Diff.order) when its kept units are in a's order and the
    # arrivals come last, in event order.
    units, new = pair.b.units, scan.new
    natural = scan.in_order and (
        not new or (pos_b[new[0]] == len(units) - len(new) and new == arrived)
    )
    order = None if natural or not with_order else tuple(units)
    # Every value is already of its field's type: validating them again (a million ids in
    # ``order`` for a large organisation) would check nothing.
    return Diff.model_construct(
        a=pair.a.date,
        b=pair.b.date,
        threshold=pair.threshold,
        events=events,
        title=pair.b.title,
        summary=pair.b.summary,
        sources=pair.b.sources,
        removed=dict(pair.b.removed),
        order=order,
    )


def _ids(*ids: str | None) -> tuple[str, ...]:
    seen: list[str] = []
    for uid in ids:
        if uid is not None and uid not in seen:
            seen.append(uid)
    return tuple(seen)


def _sources(units: Mapping[str, Unit], ids: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for uid in ids:
        for key in units[uid].sources:
            seen.setdefault(key, None)
    return tuple(seen)
