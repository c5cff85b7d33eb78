"""The net change between two snapshots, as a list of typed events.

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
    in one of those steps is declared). A declared removal
    with ``how: spun_off`` is a ``spun_off`` event with ``left_group=True`` instead (the unit
    left the group). Undeclared: ``absorbed`` if a unit of ``b`` names it in its lineage
    (``into`` that unit) or if it is matched by overlap (below, ``inferred=True``); otherwise
    it went with its parent when its parent went too (same ``how`` and ``into``,
    ``along_with`` naming the ancestor); otherwise ``divested`` if its status in ``a`` was
    ``sale_agreed``; otherwise ``dissolved``.

    ``sale_agreed`` never moves a unit's standing: an agreed sale (or one called off) is a
    ``status_changed``; the unit leaves when the sale completes.

Split and merge
    Declared lineage wins. A lineage entry counts when it names a unit of ``a`` and is new (the
    unit is new, or its lineage in ``a`` did not have the entry: lineage is kept in later
    snapshots and is not news there). A new unit naming a unit that is still in ``b`` was split
    off from it: one ``split`` per predecessor, listing every unit split off, with the
    predecessor as ``heir``. A unit that vanished and is named by two or more units is
    ``split`` among them; a unit naming two or more units that vanished is ``merged`` from
    them.

    Where lineage is absent, split and merge are inferred from the overlap of sub-units of
    the vanished units whose removal is not declared and the new units without declared
    lineage, by the rule of :mod:`orgmodel.matching` (configurable ``threshold``, default
    :data:`DEFAULT_THRESHOLD`): it says which unit each went ``into`` (``inferred=True``) and
    which were split or merged. Between declared successors, identity passes to the one with
    the largest overlap of descendants (:func:`orgmodel.matching.heir`).

Order
    Events are grouped by kind in the order of :data:`orgmodel.events.KINDS`; within a kind, by
    the position of the event's main unit in ``b`` (units only in ``a`` after them, by their
    position in ``a``).

Cost
    Linear in the number of units, plus the sizes of the subtrees of the vanished and new units
    (the overlap only compares pairs that share a descendant, through an index descendant ->
    new unit), plus, with ``history``, a look back through the earlier snapshots for the few
    units that may have returned.

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
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, ConfigDict, Field

from orgmodel import matching
from orgmodel._gc import paused
from orgmodel.dates import DateLike
from orgmodel.events import (
    KIND_RANK,
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
from orgmodel.model import ENDED_PLANS, STANDING, STANDING_RANK, Removal, Standing, Unit, role_keys
from orgmodel.snapshot import Snapshot, step_between, walk

if TYPE_CHECKING:
    from orgmodel.history import History

__all__ = ["DEFAULT_THRESHOLD", "Diff", "changes", "diff", "lineage", "select"]

#: Fields whose changes are reported as ``updated``.
UPDATED_FIELDS: Final = (
    "leaders",
    "lineage",
    "sources",
    "confidence",
    "field_confidence",
    "note",
)


class Diff(BaseModel):
    """The net change from snapshot ``a`` to snapshot ``b``.

    Besides the events it keeps what ``b`` says about itself (title, summary, sources,
    removals) and, when ``b`` lists its units in another order than the one :meth:`apply`
    would give, that order: so ``diff(a, b).apply(a)`` is ``b``, file order included.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    a: dt.date = Field(description="The date of the earlier snapshot used.")
    b: dt.date = Field(description="The date of the later snapshot used.")
    threshold: float = Field(description="The Jaccard threshold used to infer splits/merges.")
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
    events: Iterable[Event], *, unit: str | None = None, kinds: Iterable[str] | None = None
) -> list[Event]:
    """The events that involve ``unit`` and are of one of ``kinds`` (``None`` keeps all)."""
    wanted = check_kinds(kinds)
    return [
        e
        for e in events
        if (wanted is None or e.kind in wanted) and (unit is None or unit in e.units)
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
    history: History | None = None,
) -> Diff:
    """The net change from snapshot ``a`` to snapshot ``b``, following the rules of this
    module's docstring.

    Parameters
    ----------
    a, b
        The earlier and the later snapshot.
    threshold
        Two units match when the Jaccard index of their descendants is strictly greater than
        this (default 0.3, after Greene et al. 2010); must lie in [0, 1].
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
    _check_threshold(threshold)
    with paused():
        return _Differ(a, b, threshold, history).run()


def _check_threshold(threshold: float) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise EventError(f"threshold must lie between 0 and 1, not {threshold}")


class _Past:
    """The snapshots before ``a`` (from the history), then ``a``: where returns are looked up.

    A question about a unit's past walks back over the points where its record changed. When
    ``a`` is one of the history's snapshots these come from the history's record of changes
    (:meth:`History.record_changes`), so the cost follows the unit's changes, not the length
    of the history; else every snapshot is a point.
    """

    def __init__(self, a: Snapshot, history: History | None) -> None:
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


class _Differ:
    def __init__(self, a: Snapshot, b: Snapshot, threshold: float, history: History | None) -> None:
        self.a = a
        self.b = b
        self.threshold = threshold
        self.past = _Past(a, history)
        self.history = history
        self.events: list[Event] = []
        self.arrived: list[str] = []
        # Ranks that sort like positions, for the units events name: in b (pos_b), and only
        # in a (pos_a, the vanished units). Filled by run, which touches each unit once.
        self.pos_a: dict[str, int] = {}
        self.pos_b: dict[str, int] = {}
        self.in_order = True  # b's kept units are in a's order (see _finish)
        self.new: list[str] = []  # b's arrivals, in b's order
        # How a unit left is declared in the snapshot where it left. Across several steps that
        # is a snapshot between a and b, which only the history can show; the latest
        # declaration wins, as it describes the last departure.
        self.declared: dict[str, Removal] = {}
        if history is not None:
            for snapshot in history.snapshots:
                if a.date < snapshot.date < b.date:
                    self.declared.update(snapshot.removed)
        self.declared.update(b.removed)

    def base(self, units: tuple[str, ...], sources: Iterable[str] = ()) -> dict[str, Any]:
        return {"units": units, "since": self.a.date, "date": self.b.date, "sources": sources}

    def run(self, *, with_order: bool = True) -> Diff:
        """The diff; without ``with_order``, its ``order`` is left out (None) even when b's
        order is not the natural one: for callers that keep only the events."""
        a, b = self.a.units, self.b.units

        # The units to look into: those a history's steps name between a and b (every other
        # unit has the same record on both sides), or else those a walk over b finds. An
        # unchanged unit (the same record on both sides) is passed over: its lineage is not
        # news and it has nothing to compare.
        stepped = step_between(self.a, self.b)
        touched, gone, in_order, differ = stepped if stepped is not None else walk(self.a, self.b)
        new: list[str] = []
        changed: list[tuple[Unit, Unit]] = []  # (before, after), in b's order
        links: list[tuple[str, str, bool]] = []  # (unit, predecessor, unit is new), in b's order
        pos_b = self.pos_b
        for index, uid, before, after in touched:
            pos_b[uid] = index
            if before is None:
                new.append(uid)
                for pred in after.lineage:
                    if pred in a:
                        links.append((uid, pred, True))
                continue
            if after.lineage:
                old = before.lineage
                for pred in after.lineage:
                    if pred in a and pred not in old:
                        links.append((uid, pred, False))
            # Field values only: a third of the cost of pydantic's __eq__, which also checks
            # private and extra attributes that a Unit does not have.
            if differ or before.__dict__ != after.__dict__:
                changed.append((before, after))
        self.in_order = in_order
        self.new = new
        gone_set = set(gone)
        self.pos_a = {uid: i for i, uid in enumerate(gone)}

        # Declared lineage: edges (predecessor in a) -> (unit in b) that are news in b.
        succ_of: dict[str, list[str]] = {}  # vanished predecessor -> units naming it
        preds_of: dict[str, list[str]] = {}  # unit -> vanished predecessors it names
        split_off: dict[str, list[str]] = {}  # staying predecessor -> new units naming it
        declared: set[str] = set()  # new units with lineage into a
        for uid, pred, is_new in links:
            if is_new:
                declared.add(uid)
            if pred in gone_set:
                succ_of.setdefault(pred, []).append(uid)
                preds_of.setdefault(uid, []).append(pred)
            elif is_new:
                split_off.setdefault(pred, []).append(uid)
        # A staying predecessor is the main unit of its split: it needs a place in b too.
        for pred in split_off:
            if pred not in pos_b:
                pos_b[pred] = self.b.positions[pred]

        # Overlap of sub-units, for the vanished and new units lineage leaves unexplained.
        undeclared_new = [uid for uid in new if uid not in declared]
        undeclared_gone = [uid for uid in gone if uid not in self.declared and uid not in succ_of]
        overlap = matching.infer(
            self.a, self.b, gone=undeclared_gone, new=undeclared_new, threshold=self.threshold
        )

        def first_in_b(ids: Iterable[str]) -> list[str]:
            return sorted(ids, key=pos_b.__getitem__)

        # Removals: how each vanished unit went.
        removal: dict[str, tuple[RemovedHow, str | None, str | None, bool]] = {}

        def how_gone(uid: str) -> tuple[RemovedHow, str | None, str | None, bool]:
            # (how, into, along_with, inferred)
            if uid in removal:
                return removal[uid]
            declared_removal = self.declared.get(uid)
            result: tuple[RemovedHow, str | None, str | None, bool]
            if declared_removal is not None:
                into = declared_removal.into
                if into is not None and into not in b:
                    # Absorbed into a unit that is itself gone by b: say no more than b shows.
                    into = None
                if declared_removal.how == "absorbed" and into is None and uid in succ_of:
                    into = matching.heir(self.a, self.b, uid, succ_of[uid])
                result = (declared_removal.how, into, None, False)
            elif uid in succ_of:
                result = ("absorbed", matching.heir(self.a, self.b, uid, succ_of[uid]), None, False)
            elif uid in overlap.into:
                result = ("absorbed", overlap.into[uid][0], None, True)
            elif a[uid].plan == "sale_agreed":
                # Its sale was agreed in a; gone in b, it was sold.
                result = ("divested", None, None, False)
            else:
                parent = a[uid].parent
                if parent is not None and parent in gone_set:
                    how, into, along, inferred = how_gone(parent)
                    result = (how, into, along or parent, inferred)
                else:
                    result = ("dissolved", None, None, False)
            removal[uid] = result
            return result

        for uid in gone:
            how_gone(uid)

        # Arrivals.
        for uid in new:
            unit = b[uid]
            left_on = self.past.left_group(uid) if self.past.known else None
            if left_on is not None:
                self.add(
                    Returned(
                        **self.base((uid,), unit.sources),
                        unit=uid,
                        back_to="group",
                        left_on=left_on,
                        from_parent=None,
                        to_parent=unit.parent,
                        from_status=None,
                        to_status=unit.status,
                        record=unit,
                    )
                )
            else:
                self.add(
                    Added(
                        **self.base((uid,), unit.sources),
                        unit=uid,
                        name=unit.name,
                        parent=unit.parent,
                        record=unit,
                    )
                )
                self._carved_out(unit)
            self.arrived.append(uid)

        # Departures.
        for uid in gone:
            unit = a[uid]
            how, into, along, inferred = removal[uid]
            declared_removal = self.declared.get(uid)
            sources = declared_removal.sources if declared_removal is not None else ()
            if how == "spun_off" and along is None:
                self.add(
                    SpunOff(
                        **self.base((uid,), sources),
                        unit=uid,
                        old_parent=unit.parent,
                        new_parent=None,
                        old_status=unit.status,
                        new_status=None,
                        left_group=True,
                        note=declared_removal.note if declared_removal is not None else None,
                    )
                )
                continue
            involved = tuple(x for x in (uid, into, along) if x is not None)
            self.add(
                Removed(
                    **self.base(involved, sources),
                    unit=uid,
                    name=unit.name,
                    parent=unit.parent,
                    how=how,
                    into=into,
                    along_with=along,
                    inferred=inferred,
                    note=declared_removal.note if declared_removal is not None else None,
                )
            )

        # Splits and merges, declared then inferred.
        for pred, successors in split_off.items():
            ordered = first_in_b(successors)
            self.add(
                Split(
                    **self.base((pred, *ordered), _sources(b, ordered)),
                    predecessor=pred,
                    successors=tuple(ordered),
                    heir=pred,
                    inferred=False,
                )
            )
        for pred, successors in succ_of.items():
            if len(successors) >= 2:
                ordered = first_in_b(successors)
                self.add(
                    Split(
                        **self.base((pred, *ordered), _sources(b, ordered)),
                        predecessor=pred,
                        successors=tuple(ordered),
                        heir=matching.heir(self.a, self.b, pred, ordered),
                        inferred=False,
                    )
                )
        for succ, preds in preds_of.items():
            if len(preds) >= 2:
                self.add(
                    Merged(
                        **self.base((succ, *preds), b[succ].sources),
                        successor=succ,
                        predecessors=tuple(preds),
                        inferred=False,
                    )
                )
        for split in overlap.splits:
            self.add(
                Split(
                    **self.base(
                        (split.predecessor, *split.successors), _sources(b, split.successors)
                    ),
                    predecessor=split.predecessor,
                    successors=split.successors,
                    heir=split.heir,
                    inferred=True,
                    score=split.score,
                )
            )
        for merge in overlap.merges:
            self.add(
                Merged(
                    **self.base((merge.successor, *merge.predecessors), b[merge.successor].sources),
                    successor=merge.successor,
                    predecessors=merge.predecessors,
                    inferred=True,
                    score=merge.score,
                )
            )

        # Units on both sides.
        for before, after in changed:
            self._compare(before, after)

        return self._finish(with_order)

    def add(self, event: Event) -> None:
        self.events.append(event)

    def _carved_out(self, unit: Unit) -> None:
        if unit.standing == "in_line":
            return
        for pred in unit.lineage:
            origin = self.a.units.get(pred)
            if origin is not None and origin.standing == "in_line":
                self.add(
                    SpunOff(
                        **self.base((unit.id, pred), unit.sources),
                        unit=unit.id,
                        old_parent=None,
                        new_parent=unit.parent,
                        old_status=None,
                        new_status=unit.status,
                        from_unit=pred,
                    )
                )
                return

    def _compare(self, before: Unit, after: Unit) -> None:
        uid = after.id
        sources = after.sources
        if before.name != after.name or before.name_zh != after.name_zh:
            self.add(
                Renamed(
                    **self.base((uid,), sources),
                    unit=uid,
                    old_name=before.name,
                    new_name=after.name,
                    old_name_zh=before.name_zh,
                    new_name_zh=after.name_zh,
                )
            )
        old_rank = STANDING_RANK[before.standing]
        new_rank = STANDING_RANK[after.standing]
        if after.parent is None or before.parent is None:
            # The root is the group itself: it is never spun off from, or returned to, itself.
            new_rank = old_rank
        parent_changed = before.parent != after.parent
        status_changed = before.status != after.status
        if new_rank > old_rank:
            self.add(
                SpunOff(
                    **self.base(_ids(uid, after.parent, before.parent), sources),
                    unit=uid,
                    old_parent=before.parent,
                    new_parent=after.parent,
                    old_status=before.status,
                    new_status=after.status,
                )
            )
        else:
            back_to: BackTo | None = None
            left_on: dt.date | None = None
            if new_rank < old_rank:
                had, left_on = self.past.left_standing(uid, after.standing, after.lineage, self.b)
                if had:
                    back_to = "standing"
            if back_to is None and parent_changed and after.parent is not None:
                left_on = self.past.left_parent(uid, after.parent)
                if left_on is not None:
                    back_to = "parent"
            if back_to is not None:
                self.add(
                    Returned(
                        **self.base(_ids(uid, after.parent, before.parent), sources),
                        unit=uid,
                        back_to=back_to,
                        left_on=left_on,
                        from_parent=before.parent,
                        to_parent=after.parent,
                        from_status=before.status,
                        to_status=after.status,
                    )
                )
            else:
                if parent_changed:
                    self.add(
                        Moved(
                            **self.base(_ids(uid, after.parent, before.parent), sources),
                            unit=uid,
                            old_parent=before.parent,
                            new_parent=after.parent,
                        )
                    )
                if status_changed:
                    self.add(
                        StatusChanged(
                            **self.base((uid,), sources),
                            unit=uid,
                            old_status=before.status,
                            new_status=after.status,
                        )
                    )
        fields = [f for f in UPDATED_FIELDS if getattr(before, f) != getattr(after, f)]
        if before.plan != after.plan:
            if after.plan is None and before.plan in ENDED_PLANS:
                fields.append("plan")  # a plan that had ended leaves the record: no news
            else:
                self.add(
                    PlanChanged(
                        **self.base((uid,), sources),
                        unit=uid,
                        old_plan=before.plan,
                        new_plan=after.plan,
                        carried_out=after.plan is None and status_changed,
                    )
                )
        if "leaders" in fields:
            changed_roles = _leader_changes(before, after)
            if changed_roles:
                fields.remove("leaders")
            for role, old, new in changed_roles:
                self.add(
                    LeaderChanged(
                        **self.base((uid,), sources),
                        unit=uid,
                        role=role,
                        old=old,
                        new=new,
                        leaders=after.leaders,
                    )
                )
        if before.kind != after.kind:
            self.add(
                KindChanged(
                    **self.base((uid,), sources),
                    unit=uid,
                    old_kind=before.kind,
                    new_kind=after.kind,
                )
            )
        if fields:
            self.add(
                Updated(
                    **self.base((uid,), sources),
                    unit=uid,
                    fields=tuple(fields),
                    old={f: getattr(before, f) for f in fields},
                    new={f: getattr(after, f) for f in fields},
                )
            )

    def _finish(self, with_order: bool) -> Diff:
        pos_a, pos_b = self.pos_a, self.pos_b
        after = len(self.b.units)

        def key(item: tuple[int, Event]) -> tuple[int, int, int]:
            index, event = item
            main = event.units[0]
            place = pos_b.get(main)
            if place is None:
                place = after + pos_a.get(main, 0)
            return (KIND_RANK[event.kind], place, index)

        events = [e for _, e in sorted(enumerate(self.events), key=key)]
        arrived = [
            e.unit
            for e in events
            if isinstance(e, Added) or (isinstance(e, Returned) and e.record is not None)
        ]
        # b is in the natural order (see Diff.order) when its kept units are in a's order and
        # the arrivals come last, in event order.
        units = self.b.units
        new = self.new
        natural = self.in_order and (
            not new or (pos_b[new[0]] == len(units) - len(new) and new == arrived)
        )
        order = None if natural or not with_order else tuple(units)
        # Every value is already of its field's type: validating them again (a million ids in
        # ``order`` for a large organisation) would check nothing.
        return Diff.model_construct(
            a=self.a.date,
            b=self.b.date,
            threshold=self.threshold,
            events=events,
            title=self.b.title,
            summary=self.b.summary,
            sources=self.b.sources,
            removed=dict(self.b.removed),
            order=order,
        )


def _ids(*ids: str | None) -> tuple[str, ...]:
    seen: list[str] = []
    for uid in ids:
        if uid is not None and uid not in seen:
            seen.append(uid)
    return tuple(seen)


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


def _sources(units: Mapping[str, Unit], ids: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for uid in ids:
        for key in units[uid].sources:
            seen.setdefault(key, None)
    return tuple(seen)


def changes(
    history: History,
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
    if unit is not None:
        history.check_unit(unit)
    first = 0 if a is None else history.index(a)
    last = len(history.snapshots) - 1 if b is None else history.index(b)
    found: list[Event] = []
    _check_threshold(threshold)
    with paused():
        for step in range(first, last):
            before, after = history.snapshots[step], history.snapshots[step + 1]
            # Only the events are kept: b's order (a million ids, for a large group) is not.
            made = _Differ(before, after, threshold, history).run(with_order=False)
            found.extend(made.events)
    return select(found, unit=unit, kinds=wanted)


_EVER_BEFORE: Final = dt.date.min
_EVER_AFTER: Final = dt.date.max


def _links(event: Event) -> tuple[list[tuple[str, str]], set[str]]:
    """The (from, to) lineage links an event makes, and the units it is about."""
    if isinstance(event, Split):
        about = {event.predecessor, *event.successors}
        links = [(event.predecessor, s) for s in event.successors]
        return links, about
    if isinstance(event, Merged):
        return [(p, event.successor) for p in event.predecessors], {
            *event.predecessors,
            event.successor,
        }
    if isinstance(event, Removed):
        if event.how == "absorbed" and event.into is not None and event.along_with is None:
            return [(event.unit, event.into)], {event.unit, event.into}
        return [], {event.unit}
    if isinstance(event, SpunOff) and event.from_unit is not None:
        return [(event.from_unit, event.unit)], {event.unit, event.from_unit}
    return [], {event.units[0]}


def lineage(history: History, unit_id: str, *, threshold: float = DEFAULT_THRESHOLD) -> list[Event]:
    """The events of a unit's life, in time order: every event about the unit, the events of
    the units it came from (up to when it came from them, recursively) and of the units it
    went into (from when it went into them, recursively).

    A unit came from another through a split (from the predecessor), a merger (from each
    predecessor), an absorption (from the absorbed unit) or a carve-out (``spun_off`` with
    ``from_unit``). It went into another when it vanished into it: a split it did not survive,
    a merger, an absorption. Raise :class:`~orgmodel.errors.UnknownUnitError` if no snapshot
    has the unit.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.history import History
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> def unit(uid, **more):
    ...     return Unit(id=uid, name=uid.title(), kind="company", parent="g", **more)
    >>> h = History([
    ...     Snapshot(dt.date(2020, 1, 1), [g, unit("old")]),
    ...     Snapshot(dt.date(2021, 1, 1), [g, unit("old", name_zh="旧")]),
    ...     Snapshot(dt.date(2022, 1, 1), [g, unit("new", lineage=("old",))])])
    >>> [(e.date.year, e.kind, e.units[0]) for e in lineage(h, "new")]
    [(2021, 'renamed', 'old'), (2022, 'added', 'new'), (2022, 'removed', 'old')]
    """
    history.check_unit(unit_id)
    events = changes(history, threshold=threshold)
    about: dict[str, list[int]] = {}
    came_from: dict[str, list[tuple[dt.date, str]]] = {}
    went_into: dict[str, list[tuple[dt.date, str]]] = {}
    for index, event in enumerate(events):
        links, subjects = _links(event)
        for subject in subjects:
            about.setdefault(subject, []).append(index)
        for source, target in links:
            came_from.setdefault(target, []).append((event.date, source))
            vanished = not (isinstance(event, Split) and event.heir == source)
            if vanished:
                went_into.setdefault(source, []).append((event.date, target))
    chosen: set[int] = set()
    seen: set[tuple[str, dt.date, dt.date, str]] = set()
    todo: list[tuple[str, dt.date, dt.date, str]] = [(unit_id, _EVER_BEFORE, _EVER_AFTER, "both")]
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        current, low, high, direction = item
        chosen.update(i for i in about.get(current, ()) if low <= events[i].date <= high)
        if direction != "forward":
            for when, source in came_from.get(current, ()):
                if low <= when <= high:
                    todo.append((source, _EVER_BEFORE, when, "back"))
        if direction != "back":
            for when, target in went_into.get(current, ()):
                if low <= when <= high:
                    todo.append((target, when, _EVER_AFTER, "forward"))
    return [events[i] for i in sorted(chosen)]
