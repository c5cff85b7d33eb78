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
:class:`~orgmodel.diff.Diff` holds everything needed to rebuild its later snapshot.

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
from collections.abc import Iterable
from typing import Annotated, Any, Final, Literal, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from orgmodel.errors import OrgModelError
from orgmodel.model import Status, Unit

__all__ = [
    "KINDS",
    "Added",
    "Event",
    "EventError",
    "EventKind",
    "KindChanged",
    "Merged",
    "Moved",
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
    "kind_changed",
    "updated",
]

#: Every event kind, in the order reports group them.
KINDS: Final[tuple[EventKind, ...]] = get_args(EventKind)
KIND_RANK: Final[dict[str, int]] = {kind: rank for rank, kind in enumerate(KINDS)}


class EventError(OrgModelError, ValueError):
    """A request about events that cannot be met: an unknown kind, a bad threshold, a diff
    applied to the wrong snapshot."""


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    units: tuple[str, ...] = Field(description="The ids of the units involved, the main first.")
    since: dt.date = Field(description="The date of the earlier snapshot.")
    date: dt.date = Field(
        description="The date of the later snapshot: the event happened in (since, date]."
    )
    sources: tuple[str, ...] = Field(
        (), description="Keys of the sources that back the event, from the later snapshot."
    )


class Added(_Event):
    """A unit that is in the later snapshot and was not in the earlier one."""

    kind: Literal["added"] = "added"
    unit: str
    name: str
    parent: str | None
    record: Unit = Field(description="The unit as the later snapshot has it.")


RemovedHow = Literal["dissolved", "divested", "absorbed", "spun_off"]


class Removed(_Event):
    """A unit of the earlier snapshot that is not in the later one."""

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


class Renamed(_Event):
    """A unit whose English or Chinese name changed."""

    kind: Literal["renamed"] = "renamed"
    unit: str
    old_name: str
    new_name: str
    old_name_zh: str | None = None
    new_name_zh: str | None = None


class Moved(_Event):
    """A unit that sits under a new parent; its sub-units move with it and are not reported."""

    kind: Literal["moved"] = "moved"
    unit: str
    old_parent: str | None
    new_parent: str | None


class Split(_Event):
    """One unit whose parts went to several units (or one new unit carved out of a unit that
    stays)."""

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
        None, description="With inferred: the heir's Jaccard overlap of descendants."
    )


class Merged(_Event):
    """Several units that went into one."""

    kind: Literal["merged"] = "merged"
    predecessors: tuple[str, ...]
    successor: str
    inferred: bool = Field(
        description="False when declared by lineage, True when inferred from overlap."
    )
    score: float | None = Field(
        None, description="With inferred: the largest Jaccard overlap of descendants."
    )


class SpunOff(_Event):
    """A unit that left its line: its standing rose (e.g. to standalone or listed), it was
    carved out of an in-line unit as a stand-alone company, or it left the group."""

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


BackTo = Literal["group", "standing", "parent"]


class Returned(_Event):
    """A unit that went back to the group, to a standing or to a parent it had before."""

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


class StatusChanged(_Event):
    """A unit whose status changed without a spin-off or return (e.g. IPO planned -> cancelled)."""

    kind: Literal["status_changed"] = "status_changed"
    unit: str
    old_status: Status
    new_status: Status


class KindChanged(_Event):
    """A unit that became another kind of unit (e.g. a company made a business group)."""

    kind: Literal["kind_changed"] = "kind_changed"
    unit: str
    old_kind: str
    new_kind: str


class Updated(_Event):
    """Changes to the fields of a unit that are no event of their own."""

    kind: Literal["updated"] = "updated"
    unit: str
    fields: tuple[str, ...] = Field(description="The names of the fields that changed.")
    old: dict[str, Any] = Field(description="Each changed field's earlier value.")
    new: dict[str, Any] = Field(description="Each changed field's later value.")


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
    | KindChanged
    | Updated,
    Field(discriminator="kind"),
]

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
    >>> schema["type"], sorted(schema["items"]["discriminator"]["mapping"])[:3]
    ('array', ['added', 'kind_changed', 'merged'])
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
