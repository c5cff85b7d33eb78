"""Change events: what happened to the organisation between two snapshots, as typed records.

Every event is a frozen pydantic model tagged by ``kind``; :data:`Event` is their discriminated
union, so a list of events read back from JSON comes back as the right classes. Every event has

``kind``
    what happened: one of :data:`KINDS`.
``units``
    the ids of the units involved, the main one first.
``since``, ``date``
    the dates of the two snapshots it lies between: the event happened in ``(since, date]``.
``sources``
    the keys of the sources that back it, taken from the later snapshot's unit or removal.

Unit-level events (``added``, ``removed``, ``renamed``, ``moved``, ``status_changed``,
``kind_changed``, ``updated``) say what happened to one unit; the group-level events ``split``
and ``merged`` say how units were formed from others, on top of the ``added`` and ``removed``
events of the units concerned (the split between unit and group events of Asur et al., 2009).
``spun_off`` and ``returned`` are about a unit's standing in the group (see
:data:`orgmodel.model.STANDING`) or its place in it. ``updated`` carries the changes to fields
that are no event of their own (leaders, lineage, sources, confidence, note), so that a
:class:`~orgmodel.compare.Diff` holds everything needed to rebuild its later snapshot.

Examples
--------
>>> import datetime as dt
>>> event = Renamed(units=("cloud",), since=dt.date(2022, 1, 1), date=dt.date(2023, 1, 1),
...                 unit="cloud", old_name="Cloud", new_name="Cloud Intelligence")
>>> event.kind, event.model_dump(mode="json")["date"]
('renamed', '2023-01-01')
>>> parse_event(event.model_dump(mode="json")) == event
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, Final, Literal, Protocol, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from orgmodel.errors import OrgModelError
from orgmodel.model import PLAN_WORDS, STANDING, Leader, Plan, Status, Unit

__all__ = [
    "CLASSES",
    "KINDS",
    "TITLES",
    "Added",
    "Edit",
    "Event",
    "EventError",
    "EventKind",
    "KindChanged",
    "LeaderChanged",
    "Merged",
    "Moved",
    "Namer",
    "PlanChanged",
    "Removed",
    "Renamed",
    "Returned",
    "Split",
    "SpunOff",
    "StatusChanged",
    "Updated",
    "check_kinds",
    "event_sort_key",
    "events_json_schema",
    "parse_event",
]

EventKind = Literal[
    "added",
    "removed",
    "renamed",
    "moved",
    "split",
    "merged",
    "spun_off",
    "returned",
    "status_changed",
    "plan_changed",
    "leader_changed",
    "kind_changed",
    "updated",
]

#: Every event kind, in the order reports group them.
KINDS: Final[tuple[EventKind, ...]] = get_args(EventKind)
KIND_RANK: Final[dict[str, int]] = {kind: rank for rank, kind in enumerate(KINDS)}


class EventError(OrgModelError, ValueError):
    """A request about events that cannot be met: an unknown kind, a bad threshold, a diff
    applied to the wrong snapshot."""


class Namer(Protocol):
    """How an event's one line names its units: the report's writer gives a unit's name on a
    date with its id (``Cloud [cloud]``, or Markdown), ``(none)`` for no unit."""

    def unit(self, unit_id: str | None, date: dt.date) -> str: ...

    def units(self, unit_ids: Iterable[str], date: dt.date, joint: str = ", ") -> str: ...

    def code(self, unit_id: str) -> str: ...

    def text(self, words: str) -> str: ...


class Edit(Protocol):
    """What an event may do to the snapshot it is applied to (see :meth:`Diff.apply`)."""

    def arrive(self, unit: Unit) -> None: ...

    def leave(self, unit_id: str) -> None: ...

    def set(self, unit_id: str, **fields: Any) -> None: ...

    def set_checked(self, unit_id: str, fields: Mapping[str, Any]) -> None: ...


def _words(value: str | None) -> str:
    return "(none)" if value is None else value.replace("_", " ")


def _plan(value: Plan | None) -> str:
    return "no plan" if value is None else PLAN_WORDS[value]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The heading of the kind's group in a report.
    title: ClassVar[str]
    #: The heading in Chinese, for pictures and pages drawn with ``lang="zh"``.
    title_zh: ClassVar[str]

    units: tuple[str, ...] = Field(description="The ids of the units involved, the main first.")
    since: dt.date = Field(description="The date of the earlier snapshot.")
    date: dt.date = Field(
        description="The date of the later snapshot: the event happened in (since, date]."
    )
    sources: tuple[str, ...] = Field(
        (), description="Keys of the sources that back the event, from the later snapshot."
    )

    def __repr__(self) -> str:
        kind = getattr(self, "kind", "?")
        return f"<{type(self).__name__} {kind} {', '.join(self.units)} {self.date}>"

    def describe(self, w: Namer) -> str:
        """One line saying what happened, naming the units through ``w``."""
        raise NotImplementedError

    def apply(self, edit: Edit) -> None:
        """Make the change this event records to a snapshot being rebuilt."""
        raise NotImplementedError


class Added(_Event):
    """A unit that is in the later snapshot and was not in the earlier one."""

    title: ClassVar[str] = "Added"
    title_zh: ClassVar[str] = "新增"
    kind: Literal["added"] = "added"
    unit: str
    name: str
    parent: str | None
    record: Unit = Field(description="The unit as the later snapshot has it.")

    def describe(self, w: Namer) -> str:
        status = "" if self.record.status == "active" else f" ({_words(self.record.status)})"
        plan = f", {_plan(self.record.plan)}" if self.record.plan else ""
        return (
            f"{w.unit(self.unit, self.date)} under {w.unit(self.parent, self.date)}{status}{plan}"
        )

    def apply(self, edit: Edit) -> None:
        edit.arrive(self.record)


RemovedHow = Literal["dissolved", "divested", "absorbed", "spun_off"]


def _inference(event: Removed | Split | Merged) -> str:
    if event.inferred:
        score = getattr(event, "score", None)
        if score is not None:
            return f"inferred from overlap of sub-units, score {score:.2f}"
        return "inferred from overlap of sub-units"
    return "declared lineage"


class Removed(_Event):
    """A unit of the earlier snapshot that is not in the later one."""

    title: ClassVar[str] = "Removed"
    title_zh: ClassVar[str] = "撤销"
    kind: Literal["removed"] = "removed"
    unit: str
    name: str
    parent: str | None
    how: RemovedHow = Field(
        description="dissolved (wound up), divested (sold), absorbed (taken into `into`), or "
        "spun_off (left the group along with `along_with`)."
    )
    into: str | None = Field(None, description="With absorbed: the unit that took it in.")
    along_with: str | None = Field(
        None,
        description="When the unit went because an ancestor went: that ancestor, whose `how` "
        "and `into` it shares.",
    )
    inferred: bool = Field(
        False, description="True when `into` comes from the overlap of sub-units, not lineage."
    )
    note: str | None = Field(None, description="The note of the declared removal, if any.")

    def describe(self, w: Namer) -> str:
        before = self.since
        where = f" (under {w.unit(self.parent, before)})" if self.parent else ""
        text = f"{w.unit(self.unit, before)}{where}: {_words(self.how)}"
        if self.into is not None:
            text += f" into {w.unit(self.into, self.date)}"
        if self.along_with is not None:
            text += f", along with {w.unit(self.along_with, before)}"
        if self.inferred:
            text += f" ({_inference(self)})"
        if self.note:
            text += f". {w.text(self.note)}"
        return text

    def apply(self, edit: Edit) -> None:
        edit.leave(self.unit)


class Renamed(_Event):
    """A unit whose English or Chinese name changed."""

    title: ClassVar[str] = "Renamed"
    title_zh: ClassVar[str] = "更名"
    kind: Literal["renamed"] = "renamed"
    unit: str
    old_name: str
    new_name: str
    old_name_zh: str | None = None
    new_name_zh: str | None = None

    def describe(self, w: Namer) -> str:
        text = f"{w.text(self.old_name)} -> {w.text(self.new_name)} {w.code(self.unit)}"
        if self.old_name_zh != self.new_name_zh:
            old_zh, new_zh = self.old_name_zh or "-", self.new_name_zh or "-"
            text += f" ({w.text(old_zh)} -> {w.text(new_zh)})"
        return text

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, name=self.new_name, name_zh=self.new_name_zh)


class Moved(_Event):
    """A unit that sits under a new parent; its sub-units move with it and are not reported."""

    title: ClassVar[str] = "Moved"
    title_zh: ClassVar[str] = "调整隶属"
    kind: Literal["moved"] = "moved"
    unit: str
    old_parent: str | None
    new_parent: str | None

    def describe(self, w: Namer) -> str:
        return (
            f"{w.unit(self.unit, self.date)}: {w.unit(self.old_parent, self.since)} -> "
            f"{w.unit(self.new_parent, self.date)}"
        )

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, parent=self.new_parent)


class Split(_Event):
    """One unit whose parts went to several units (or one new unit carved out of a unit that
    stays)."""

    title: ClassVar[str] = "Split"
    title_zh: ClassVar[str] = "拆分"
    kind: Literal["split"] = "split"
    predecessor: str
    successors: tuple[str, ...]
    heir: str = Field(
        description="The unit that carries the predecessor's identity: the predecessor itself "
        "when it stays, else the successor with the largest overlap of sub-units."
    )
    inferred: bool = Field(
        description="False when declared by lineage, True when inferred from overlap."
    )
    score: float | None = Field(
        None,
        description="With inferred: the overlap score of the children of the predecessor "
        "and its successors (see orgmodel.matching).",
    )

    def describe(self, w: Namer) -> str:
        successors = w.units(self.successors, self.date)
        if self.heir == self.predecessor:
            text = f"{successors} split off from {w.unit(self.predecessor, self.since)}"
        else:
            text = f"{w.unit(self.predecessor, self.since)} split into {successors}"
            text += f"; {w.unit(self.heir, self.date)} carries its identity"
        return f"{text} ({_inference(self)})"

    def apply(self, edit: Edit) -> None:
        pass  # a reading of the added and removed events it comes with


class Merged(_Event):
    """Several units that went into one."""

    title: ClassVar[str] = "Merged"
    title_zh: ClassVar[str] = "合并"
    kind: Literal["merged"] = "merged"
    predecessors: tuple[str, ...]
    successor: str
    inferred: bool = Field(
        description="False when declared by lineage, True when inferred from overlap."
    )
    score: float | None = Field(
        None,
        description="With inferred: the overlap score of the children of the "
        "predecessors and the successor (see orgmodel.matching).",
    )

    def describe(self, w: Namer) -> str:
        merged = w.units(self.predecessors, self.since, " + ")
        return f"{merged} -> {w.unit(self.successor, self.date)} ({_inference(self)})"

    def apply(self, edit: Edit) -> None:
        pass  # a reading of the added and removed events it comes with


class SpunOff(_Event):
    """A unit that left its line: what it is changed from in line to a stand-alone or listed
    company, it was carved out of an in-line unit as one, or it left the group. An announced
    spin-off or IPO is a ``plan_changed``, not this."""

    title: ClassVar[str] = "Spun off"
    title_zh: ClassVar[str] = "分拆"
    kind: Literal["spun_off"] = "spun_off"
    unit: str
    old_parent: str | None
    new_parent: str | None
    old_status: Status | None
    new_status: Status | None
    from_unit: str | None = Field(
        None, description="For a new unit: the in-line unit it was carved out of."
    )
    left_group: bool = Field(
        False, description="True when the unit left the group (it is gone from the snapshot)."
    )
    note: str | None = Field(None, description="The note of the declared removal, if any.")

    def describe(self, w: Namer) -> str:
        day, before = self.date, self.since
        if self.left_group:
            text = (
                f"{w.unit(self.unit, before)} left the group (was {_words(self.old_status)} "
                f"under {w.unit(self.old_parent, before)})"
            )
            return f"{text}. {w.text(self.note)}" if self.note else text
        if self.from_unit is not None:
            return (
                f"{w.unit(self.unit, day)} carved out of {w.unit(self.from_unit, before)} as "
                f"{_words(self.new_status)}, under {w.unit(self.new_parent, day)}"
            )
        text = f"{w.unit(self.unit, day)}: {_words(self.old_status)} -> {_words(self.new_status)}"
        if self.old_parent != self.new_parent:
            text += f", {w.unit(self.old_parent, before)} -> {w.unit(self.new_parent, day)}"
        return text

    def apply(self, edit: Edit) -> None:
        if self.left_group:
            edit.leave(self.unit)
        elif self.from_unit is None:
            edit.set(self.unit, parent=self.new_parent, status=self.new_status)


BackTo = Literal["group", "standing", "parent"]


class Returned(_Event):
    """A unit that went back to the group, to a standing or to a parent it had before."""

    title: ClassVar[str] = "Returned"
    title_zh: ClassVar[str] = "回归"
    kind: Literal["returned"] = "returned"
    unit: str
    back_to: BackTo = Field(
        description="group (its id reappears after an absence), standing (its standing fell "
        "back to one it, or the units it came from, had before) or parent (it is back under a "
        "parent it had before)."
    )
    left_on: dt.date | None = Field(
        description="The date of the first snapshot without what it came back to; None when "
        "the diff had no history to look back in."
    )
    from_parent: str | None
    to_parent: str | None
    from_status: Status | None
    to_status: Status
    record: Unit | None = Field(
        None, description="With back_to=group: the unit as the later snapshot has it."
    )

    def describe(self, w: Namer) -> str:
        day, before = self.date, self.since
        left = f"; away since {self.left_on.isoformat()}" if self.left_on else ""
        if self.back_to == "group":
            return (
                f"{w.unit(self.unit, day)} is back in the group, under "
                f"{w.unit(self.to_parent, day)} ({_words(self.to_status)}{left})"
            )
        if self.back_to == "standing":
            text = (
                f"{w.unit(self.unit, day)} back {_words(STANDING[self.to_status])}: "
                f"{_words(self.from_status)} -> {_words(self.to_status)}"
            )
            if self.from_parent != self.to_parent:
                text += f", {w.unit(self.from_parent, before)} -> {w.unit(self.to_parent, day)}"
            return f"{text}{left}"
        text = f"{w.unit(self.unit, day)} back under {w.unit(self.to_parent, day)}"
        if self.from_status != self.to_status:
            text += f", {_words(self.from_status)} -> {_words(self.to_status)}"
        return f"{text} (from {w.unit(self.from_parent, before)}){left}"

    def apply(self, edit: Edit) -> None:
        if self.record is not None:
            edit.arrive(self.record)
        else:
            edit.set(self.unit, parent=self.to_parent, status=self.to_status)


class StatusChanged(_Event):
    """A unit whose status changed without a spin-off or return (e.g. a stand-alone company of
    the group listed, or the group itself)."""

    title: ClassVar[str] = "Status changed"
    title_zh: ClassVar[str] = "性质变更"
    kind: Literal["status_changed"] = "status_changed"
    unit: str
    old_status: Status
    new_status: Status

    def describe(self, w: Namer) -> str:
        return (
            f"{w.unit(self.unit, self.date)}: {_words(self.old_status)} -> "
            f"{_words(self.new_status)}"
        )

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, status=self.new_status)


class PlanChanged(_Event):
    """A change in what has been announced about a unit and not yet done: an IPO or spin-off
    planned, paused or cancelled, a sale agreed or called off. Nothing has happened to the unit
    itself; when the plan is carried out, that is its own event (``spun_off``, ``removed``)."""

    title: ClassVar[str] = "Plans announced or changed"
    title_zh: ClassVar[str] = "计划变动"
    kind: Literal["plan_changed"] = "plan_changed"
    unit: str
    old_plan: Plan | None
    new_plan: Plan | None
    carried_out: bool = Field(
        False,
        description="True when the plan ends because it was done: the unit's status changed "
        "in the same step.",
    )

    def describe(self, w: Namer) -> str:
        who = w.unit(self.unit, self.date)
        if self.old_plan is None:
            return f"{who}: {_plan(self.new_plan)}"
        if self.new_plan is None:
            end = "carried out" if self.carried_out else "no longer planned"
            return f"{who}: {_plan(self.old_plan)} -> {end}"
        return f"{who}: {_plan(self.old_plan)} -> {_plan(self.new_plan)}"

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, plan=self.new_plan)


class LeaderChanged(_Event):
    """A new person in one of a unit's leading roles (e.g. a new chief executive)."""

    title: ClassVar[str] = "Leaders changed"
    title_zh: ClassVar[str] = "负责人变更"
    kind: Literal["leader_changed"] = "leader_changed"
    unit: str
    role: str = Field(description="The role, as the later snapshot (or else the earlier) says.")
    old: tuple[str, ...] = Field(description="Who held the role before: names, may be empty.")
    new: tuple[str, ...] = Field(description="Who holds it now: names, may be empty.")
    leaders: tuple[Leader, ...] = Field(
        description="All of the unit's leaders after the change, as the later snapshot has them."
    )

    def describe(self, w: Namer) -> str:
        # A role missing from one side is a gap in the record, not a vacancy.
        who, role = w.unit(self.unit, self.date), w.text(self.role)
        old, new = w.text(", ".join(self.old)), w.text(", ".join(self.new))
        if not self.old:
            return f"{who}: {role} {new} (no earlier holder recorded)"
        if not self.new:
            return f"{who}: {role} {old} (no longer recorded)"
        return f"{who}: {role} {old} -> {new}"

    def apply(self, edit: Edit) -> None:
        edit.set_checked(self.unit, {"leaders": self.leaders})


class KindChanged(_Event):
    """A unit that became another kind of unit (e.g. a company made a business group)."""

    title: ClassVar[str] = "Kind changed"
    title_zh: ClassVar[str] = "类型变更"
    kind: Literal["kind_changed"] = "kind_changed"
    unit: str
    old_kind: str
    new_kind: str

    def describe(self, w: Namer) -> str:
        return f"{w.unit(self.unit, self.date)}: {_words(self.old_kind)} -> {_words(self.new_kind)}"

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, kind=self.new_kind)


class Updated(_Event):
    """Changes to the record of a unit that are no event of their own: sources, notes,
    confidence, the wording of a leader's role, lineage kept."""

    title: ClassVar[str] = "Updated records"
    title_zh: ClassVar[str] = "记录更新"
    kind: Literal["updated"] = "updated"
    unit: str
    fields: tuple[str, ...] = Field(description="The names of the fields that changed.")
    old: dict[str, Any] = Field(description="Each changed field's earlier value.")
    new: dict[str, Any] = Field(description="Each changed field's later value.")

    def describe(self, w: Namer) -> str:
        return f"{w.unit(self.unit, self.date)}: {', '.join(_words(f) for f in self.fields)}"

    def apply(self, edit: Edit) -> None:
        edit.set_checked(self.unit, self.new)


Event: TypeAlias = Annotated[
    Added
    | Removed
    | Renamed
    | Moved
    | Split
    | Merged
    | SpunOff
    | Returned
    | StatusChanged
    | PlanChanged
    | LeaderChanged
    | KindChanged
    | Updated,
    Field(discriminator="kind"),
]

#: The class of each kind, in the order of :data:`KINDS`.
CLASSES: Final[dict[str, type[_Event]]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        Added,
        Removed,
        Renamed,
        Moved,
        Split,
        Merged,
        SpunOff,
        Returned,
        StatusChanged,
        PlanChanged,
        LeaderChanged,
        KindChanged,
        Updated,
    )
}
#: The heading of each kind's group, from its class.
TITLES: Final[dict[str, str]] = {kind: cls.title for kind, cls in CLASSES.items()}

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def parse_event(data: Any) -> Event:
    """Read one event from its JSON-able form (as ``model_dump(mode="json")`` writes it).

    >>> parse_event({"kind": "moved", "units": ["lab"], "since": "2021-01-01",
    ...              "date": "2022-01-01", "unit": "lab", "old_parent": "platform",
    ...              "new_parent": "commerce"}).new_parent
    'commerce'
    """
    return _ADAPTER.validate_python(data)


def events_json_schema() -> dict[str, Any]:
    """The JSON Schema of a list of events, as the JSON reports write them.

    >>> schema = events_json_schema()
    >>> schema["type"], "plan_changed" in schema["items"]["discriminator"]["mapping"]
    ('array', True)
    """
    return _LIST_ADAPTER.json_schema()


def check_kinds(kinds: Iterable[str] | None) -> frozenset[str] | None:
    """The set of event kinds asked for, or None for all; raise :class:`EventError` naming the
    known kinds when one is unknown.

    >>> sorted(check_kinds(["moved", "split"]) or ())
    ['moved', 'split']
    """
    if kinds is None:
        return None
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = frozenset(kinds)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise EventError(
            f"unknown event kind {', '.join(repr(k) for k in unknown)}; "
            f"use one of {', '.join(KINDS)}"
        )
    return wanted


def event_sort_key(event: Event) -> tuple[dt.date, int]:
    """Time order, then the order of :data:`KINDS`; sort with it stably to keep positions."""
    return (event.date, KIND_RANK[event.kind])
