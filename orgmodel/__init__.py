"""orgmodel: how an organisation's structure changes over time.

Dated snapshots of a group's structure load into a :class:`History`; each date's structure is a
:class:`Snapshot` of :class:`Unit` records and a ``networkx.DiGraph``.
"""

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
