"""Events as text for people and JSON or Markdown for machines and documents.

The functions here format what they are given and compute nothing about the organisation: a
:class:`~orgmodel.diff.Diff` or a list of events, the snapshot dates used, and a *names
resolver* that gives a unit's name on a date (:func:`history_names`, :func:`snapshot_names`).
Each returns a string; writing it out is the caller's business.

``text``
    An analyst's summary: the snapshot dates used, then the events grouped by kind, each group
    with a heading and a count, each line naming the units ("Name [id]") and giving old -> new.
    Step by step (:func:`changes_report`), grouped by date first.
``json``
    ``{"a": ..., "b": ..., "events": [...]}``: the events' own serialisation
    (``model_dump(mode="json")``, see :func:`orgmodel.events.events_json_schema`) with the
    dates used.
``markdown``
    The text report's content as headings and bullet lists.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.diff import diff
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> g = Unit(id="g", name="Group", kind="holding")
>>> a = Snapshot(dt.date(2023, 3, 28), [g, Unit(id="x", name="Maps", kind="unit", parent="g")])
>>> b = Snapshot(dt.date(2025, 6, 23), [g, Unit(id="x", name="Amap", kind="unit", parent="g")])
>>> print(diff_report(diff(a, b), snapshot_names(a, b)))
Snapshots used: 2023-03-28 -> 2025-06-23
1 change
<BLANKLINE>
Renamed (1)
  - Maps -> Amap [x]
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any, Final, Literal

from orgmodel.errors import OutputError
from orgmodel.events import (
    KINDS,
    Added,
    Event,
    KindChanged,
    Merged,
    Moved,
    Removed,
    Renamed,
    Returned,
    Split,
    SpunOff,
    StatusChanged,
    Updated,
)
from orgmodel.model import STANDING

if TYPE_CHECKING:
    from orgmodel.diff import Diff
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "FORMATS",
    "KIND_TITLES",
    "Format",
    "Names",
    "changes_report",
    "describe",
    "diff_report",
    "history_names",
    "lineage_report",
    "snapshot_names",
]

Format = Literal["text", "json", "markdown"]
FORMATS: Final[tuple[Format, ...]] = ("text", "json", "markdown")

#: A unit's name on a date (None when unknown): ``names("cloud", date)``.
Names = Callable[[str, dt.date], str | None]

#: The heading of each kind's group.
KIND_TITLES: Final[dict[str, str]] = {
    "added": "Added",
    "removed": "Removed",
    "renamed": "Renamed",
    "moved": "Moved",
    "split": "Split",
    "merged": "Merged",
    "spun_off": "Spun off",
    "returned": "Returned",
    "status_changed": "Status changed",
    "kind_changed": "Kind changed",
    "updated": "Updated",
}


def history_names(history: History) -> Names:
    """A names resolver over a history: a unit's name in the snapshot in force on the date,
    or, when the unit is not in it, in the latest earlier snapshot that has it (else the
    earliest later one).

    >>> import datetime as dt
    >>> from orgmodel.history import History
    >>> from orgmodel.model import Unit
    >>> from orgmodel.snapshot import Snapshot
    >>> def at(year, name):
    ...     return Snapshot(dt.date(year, 1, 1), [Unit(id="g", name=name, kind="holding")])
    >>> names = history_names(History([at(2020, "Old"), at(2022, "New")]))
    >>> [names(uid, dt.date(year, 6, 1)) for uid, year in [("g", 2021), ("g", 2022), ("x", 2022)]]
    ['Old', 'New', None]
    """
    return snapshot_names(*history.snapshots)


def snapshot_names(*snapshots: Snapshot) -> Names:
    """A names resolver over some snapshots (see :func:`history_names`)."""
    timeline: dict[str, tuple[list[dt.date], list[str]]] = {}
    for snapshot in sorted(snapshots, key=lambda s: s.date):
        for unit in snapshot.units.values():
            days, names = timeline.setdefault(unit.id, ([], []))
            days.append(snapshot.date)
            names.append(unit.name)

    def name(unit_id: str, date: dt.date) -> str | None:
        found = timeline.get(unit_id)
        if found is None:
            return None
        days, names = found
        position = bisect.bisect_right(days, date) - 1
        return names[max(position, 0)]

    return name


def _check(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise OutputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    return fmt


class _Writer:
    """Names units for one output style."""

    def __init__(self, names: Names | None, markdown: bool) -> None:
        self.names = names
        self.markdown = markdown

    def unit(self, unit_id: str | None, date: dt.date) -> str:
        if unit_id is None:
            return "(none)"
        name = self.names(unit_id, date) if self.names is not None else None
        code = f"`{unit_id}`" if self.markdown else f"[{unit_id}]"
        if name is None:
            return code if self.markdown else unit_id
        return f"{name} ({code})" if self.markdown else f"{name} {code}"

    def units(self, unit_ids: Iterable[str], date: dt.date, joint: str = ", ") -> str:
        return joint.join(self.unit(u, date) for u in unit_ids)


def _words(value: str | None) -> str:
    return "(none)" if value is None else value.replace("_", " ")


def _how(event: Removed | Split | Merged) -> str:
    if event.inferred:
        score = getattr(event, "score", None)
        if score is not None:
            return f"inferred from overlap of sub-units, Jaccard {score:.2f}"
        return "inferred from overlap of sub-units"
    return "declared lineage"


def describe(event: Event, names: Names | None = None, *, markdown: bool = False) -> str:
    """One line saying what happened, naming the units.

    >>> import datetime as dt
    >>> from orgmodel.events import Moved
    >>> event = Moved(units=("lab", "commerce", "platform"), since=dt.date(2021, 1, 1),
    ...               date=dt.date(2022, 1, 1), unit="lab", old_parent="platform",
    ...               new_parent="commerce")
    >>> describe(event)
    'lab: platform -> commerce'
    """
    w = _Writer(names, markdown)
    day, before = event.date, event.since

    def unit(unit_id: str | None, when: dt.date = day) -> str:
        return w.unit(unit_id, when)

    if isinstance(event, Added):
        status = "" if event.record.status == "active" else f" ({_words(event.record.status)})"
        return f"{unit(event.unit)} under {unit(event.parent)}{status}"
    if isinstance(event, Removed):
        where = f" (under {unit(event.parent, before)})" if event.parent else ""
        text = f"{unit(event.unit, before)}{where}: {event.how.replace('_', ' ')}"
        if event.into is not None:
            text += f" into {unit(event.into)}"
        if event.along_with is not None:
            text += f", along with {unit(event.along_with, before)}"
        if event.inferred:
            text += f" ({_how(event)})"
        if event.note:
            text += f". {event.note}"
        return text
    if isinstance(event, Renamed):
        text = f"{event.old_name} -> {event.new_name} {'(`' if markdown else '['}"
        text += f"{event.unit}{'`)' if markdown else ']'}"
        if event.old_name_zh != event.new_name_zh:
            text += f" ({event.old_name_zh or '-'} -> {event.new_name_zh or '-'})"
        return text
    if isinstance(event, Moved):
        return f"{unit(event.unit)}: {unit(event.old_parent, before)} -> {unit(event.new_parent)}"
    if isinstance(event, Split):
        successors = w.units(event.successors, day)
        if event.heir == event.predecessor:
            text = f"{successors} split off from {unit(event.predecessor, before)}"
        else:
            text = f"{unit(event.predecessor, before)} split into {successors}"
            text += f"; {unit(event.heir)} carries its identity"
        return f"{text} ({_how(event)})"
    if isinstance(event, Merged):
        merged = w.units(event.predecessors, before, " + ")
        return f"{merged} -> {unit(event.successor)} ({_how(event)})"
    if isinstance(event, SpunOff):
        if event.left_group:
            return (
                f"{unit(event.unit, before)} left the group (was {_words(event.old_status)} "
                f"under {unit(event.old_parent, before)})"
            )
        if event.from_unit is not None:
            return (
                f"{unit(event.unit)} carved out of {unit(event.from_unit, before)} as "
                f"{_words(event.new_status)}, under {unit(event.new_parent)}"
            )
        text = f"{unit(event.unit)}: {_words(event.old_status)} -> {_words(event.new_status)}"
        if event.old_parent != event.new_parent:
            text += f", {unit(event.old_parent, before)} -> {unit(event.new_parent)}"
        return text
    if isinstance(event, Returned):
        left = f"; away since {event.left_on.isoformat()}" if event.left_on else ""
        if event.back_to == "group":
            return (
                f"{unit(event.unit)} is back in the group, under {unit(event.to_parent)} "
                f"({_words(event.to_status)}{left})"
            )
        if event.back_to == "standing":
            text = (
                f"{unit(event.unit)} back {_words(STANDING[event.to_status])}: "
                f"{_words(event.from_status)} -> {_words(event.to_status)}"
            )
        else:
            text = f"{unit(event.unit)} back under {unit(event.to_parent)}"
            if event.from_status != event.to_status:
                text += f", {_words(event.from_status)} -> {_words(event.to_status)}"
        if event.from_parent != event.to_parent and event.back_to == "standing":
            text += f", {unit(event.from_parent, before)} -> {unit(event.to_parent)}"
        elif event.back_to == "parent":
            text += f" (from {unit(event.from_parent, before)})"
        return f"{text}{left}"
    if isinstance(event, StatusChanged):
        return f"{unit(event.unit)}: {_words(event.old_status)} -> {_words(event.new_status)}"
    if isinstance(event, KindChanged):
        return f"{unit(event.unit)}: {_words(event.old_kind)} -> {_words(event.new_kind)}"
    assert isinstance(event, Updated)
    return f"{unit(event.unit)}: {', '.join(f.replace('_', ' ') for f in event.fields)}"


def _count(n: int) -> str:
    return f"{n} change" if n == 1 else f"{n} changes"


def _by_kind(events: Sequence[Event]) -> list[tuple[str, list[Event]]]:
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(event.kind, []).append(event)
    return [(kind, groups[kind]) for kind in KINDS if kind in groups]


def _text_groups(events: Sequence[Event], names: Names | None, indent: str) -> list[str]:
    lines: list[str] = []
    for kind, group in _by_kind(events):
        lines.append("")
        lines.append(f"{indent}{KIND_TITLES[kind]} ({len(group)})")
        lines.extend(f"{indent}  - {describe(e, names)}" for e in group)
    return lines


def _markdown_groups(events: Sequence[Event], names: Names | None, level: str) -> list[str]:
    lines: list[str] = []
    for kind, group in _by_kind(events):
        lines += ["", f"{level} {KIND_TITLES[kind]} ({len(group)})", ""]
        lines.extend(f"- {describe(e, names, markdown=True)}" for e in group)
    return lines


def _json(payload: dict[str, Any], events: Sequence[Event]) -> str:
    # The kind first: it is what a reader of the JSON looks for.
    payload["events"] = [{"kind": e.kind, **e.model_dump(mode="json")} for e in events]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _used(a: dt.date, b: dt.date) -> str:
    return f"Snapshots used: {a.isoformat()} -> {b.isoformat()}"


def diff_report(diff: Diff, names: Names | None = None, fmt: str = "text") -> str:
    """The net change of a diff, with the snapshot dates it used (see the module docstring)."""
    style = _check(fmt)
    events = diff.events
    if style == "json":
        return _json({"a": diff.a.isoformat(), "b": diff.b.isoformat()}, events)
    if style == "markdown":
        lines = [f"# Changes {diff.a.isoformat()} -> {diff.b.isoformat()}", ""]
        lines += [_used(diff.a, diff.b), "", _count(len(events))]
        lines += _markdown_groups(events, names, "##")
        return "\n".join(lines) + "\n"
    lines = [_used(diff.a, diff.b), _count(len(events)) if events else "No changes."]
    lines += _text_groups(events, names, "")
    return "\n".join(lines)


def changes_report(
    events: Sequence[Event],
    a_date: dt.date,
    b_date: dt.date,
    names: Names | None = None,
    fmt: str = "text",
) -> str:
    """Every step's events, grouped by date then by kind, under the snapshot dates used.

    >>> import datetime as dt
    >>> from orgmodel.events import StatusChanged
    >>> step = dict(since=dt.date(2021, 1, 1), date=dt.date(2022, 1, 1))
    >>> print(changes_report([StatusChanged(units=("m",), unit="m", old_status="ipo_planned",
    ...     new_status="ipo_cancelled", **step)], dt.date(2020, 1, 1), dt.date(2022, 1, 1)))
    Snapshots used: 2020-01-01 -> 2022-01-01
    1 change in 1 step
    <BLANKLINE>
    2022-01-01 (since 2021-01-01): 1 change
    <BLANKLINE>
      Status changed (1)
        - m: ipo planned -> ipo cancelled
    """
    style = _check(fmt)
    if style == "json":
        return _json({"a": a_date.isoformat(), "b": b_date.isoformat()}, events)
    steps = [(day, list(group)) for day, group in groupby(events, key=lambda e: e.date)]
    plural = "step" if len(steps) == 1 else "steps"
    total = f"{_count(len(events))} in {len(steps)} {plural}" if events else "No changes."
    if style == "markdown":
        lines = [f"# Changes {a_date.isoformat()} -> {b_date.isoformat()}", ""]
        lines += [_used(a_date, b_date), "", total]
        for day, group in steps:
            lines += ["", f"## {day.isoformat()} (since {group[0].since.isoformat()})"]
            lines += _markdown_groups(group, names, "###")
        return "\n".join(lines) + "\n"
    lines = [_used(a_date, b_date), total]
    for day, group in steps:
        heading = f"{day.isoformat()} (since {group[0].since.isoformat()}): {_count(len(group))}"
        lines += ["", heading]
        lines += _text_groups(group, names, "  ")
    return "\n".join(lines)


def lineage_report(
    unit_id: str,
    events: Sequence[Event],
    names: Names | None = None,
    fmt: str = "text",
    *,
    a_date: dt.date | None = None,
    b_date: dt.date | None = None,
    present: Sequence[dt.date] = (),
) -> str:
    """A unit's life (:func:`orgmodel.diff.lineage`) in time order, one line per event.

    ``a_date`` and ``b_date`` are the first and last snapshot dates looked at; they default to
    the dates the events span. ``present`` (:meth:`History.presence`) are the dates of the
    snapshots that hold the unit: the report says how many, and from when to when.
    """
    style = _check(fmt)
    first = a_date or (events[0].since if events else None)
    last = b_date or (events[-1].date if events else None)
    dates = {"a": first.isoformat() if first else None, "b": last.isoformat() if last else None}
    if style == "json":
        seen = {"present_in": [day.isoformat() for day in present]} if present else {}
        return _json({"unit": unit_id, **dates, **seen}, events)
    markdown = style == "markdown"
    when = last or dt.date.max
    title = _Writer(names, markdown).unit(unit_id, when)
    used = [_used(first, last)] if first and last else []
    if present:
        count = f"{len(present)} snapshot" + ("s" if len(present) != 1 else "")
        span = (
            f"of {present[0].isoformat()}"
            if len(present) == 1
            else f"from {present[0].isoformat()} to {present[-1].isoformat()}"
        )
        used += ["", f"In {count}, {span}."] if markdown else [f"In {count}, {span}"]
    lines = [f"# Lineage of {title}", "", *used] if markdown else [f"Lineage of {title}", *used]
    if not events:
        lines.append("No changes.")
    for day, group in groupby(events, key=lambda e: e.date):
        lines += ["", f"## {day.isoformat()}" if markdown else day.isoformat()]
        if markdown:
            lines.append("")
        for event in group:
            text = describe(event, names, markdown=markdown)
            label = KIND_TITLES[event.kind]
            lines.append(f"- {label}: {text}" if markdown else f"  - {label}: {text}")
    return "\n".join(lines) + ("\n" if markdown else "")
