"""orgmodel: how an organisation's structure changes over time.

Dated snapshots of a group's structure load into a :class:`History`; each date's structure is a
:class:`Snapshot` of :class:`Unit` records and a ``networkx.DiGraph``.

Each public name is imported from its module the first time it is used (PEP 562), so that
``import orgmodel.cli`` or a drawing does not build the event models and the diff engine it
never calls; ``from orgmodel import diff`` works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgmodel._lazy import lazy_names

if TYPE_CHECKING:
    from orgmodel.compare import DEFAULT_THRESHOLD, Diff, diff
    from orgmodel.dates import parse_date
    from orgmodel.errors import (
        DataError,
        DateError,
        OrgModelError,
        OutputError,
        Problem,
        UnknownUnitError,
    )
    from orgmodel.events import (
        KINDS,
        Added,
        Event,
        EventError,
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
        events_json_schema,
        parse_event,
    )
    from orgmodel.history import History, to_graph
    from orgmodel.model import Bibliography, Leader, Removal, SnapshotFile, Source, Unit
    from orgmodel.reading import load_history, read_bibliography, read_history, read_snapshot
    from orgmodel.report import (
        changes_report,
        diff_report,
        history_names,
        lineage_report,
        snapshot_names,
    )
    from orgmodel.snapshot import Snapshot
    from orgmodel.tables import events_table, units_table

#: The module each public name comes from.
_HOMES: dict[str, tuple[str, ...]] = {
    "compare": ("DEFAULT_THRESHOLD", "Diff", "diff"),
    "dates": ("parse_date",),
    "errors": (
        "DataError",
        "DateError",
        "OrgModelError",
        "OutputError",
        "Problem",
        "UnknownUnitError",
    ),
    "events": (
        "KINDS",
        "Added",
        "Event",
        "EventError",
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
        "events_json_schema",
        "parse_event",
    ),
    "history": ("History", "to_graph"),
    "model": ("Bibliography", "Leader", "Removal", "SnapshotFile", "Source", "Unit"),
    "reading": ("load_history", "read_bibliography", "read_history", "read_snapshot"),
    "report": (
        "changes_report",
        "diff_report",
        "history_names",
        "lineage_report",
        "snapshot_names",
    ),
    "snapshot": ("Snapshot",),
    "tables": ("events_table", "units_table"),
}
__all__ = [
    "DEFAULT_THRESHOLD",
    "KINDS",
    "Added",
    "Bibliography",
    "DataError",
    "DateError",
    "Diff",
    "Event",
    "EventError",
    "History",
    "KindChanged",
    "Leader",
    "Merged",
    "Moved",
    "OrgModelError",
    "OutputError",
    "Problem",
    "Removal",
    "Removed",
    "Renamed",
    "Returned",
    "Snapshot",
    "SnapshotFile",
    "Source",
    "Split",
    "SpunOff",
    "StatusChanged",
    "Unit",
    "UnknownUnitError",
    "Updated",
    "changes_report",
    "diff",
    "diff_report",
    "events_json_schema",
    "events_table",
    "history_names",
    "lineage_report",
    "load_history",
    "parse_date",
    "parse_event",
    "read_bibliography",
    "read_history",
    "read_snapshot",
    "snapshot_names",
    "to_graph",
    "units_table",
]
__version__ = "0.1.0"


__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())
