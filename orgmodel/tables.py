"""Tables for analysis: the history as one row per unit per snapshot, events as one row each.

Every table is a list of dicts with the same keys in every row, ready for ``csv.DictWriter``,
``json.dumps`` or ``pandas.DataFrame``; the ``*_frame`` functions build the DataFrame for you when
pandas is installed (``pip install "orgmodel[pandas]"``). pandas is never required.

In a table a list is a list; :func:`flat_rows` turns the rows into plain cells for CSV (lists
joined by ``;``, records as JSON text, never a Python repr). A frame has ``datetime64`` dates
(so ``.dt`` and resampling work), categorical kinds, statuses and confidences, and only plain
columns, so ``to_parquet`` and ``to_csv`` write it as it is.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> h = History([Snapshot(dt.date(2020, 1, 1), [
...     Unit(id="g", name="Group", kind="holding"),
...     Unit(id="a", name="A", kind="company", parent="g", status="listed",
...          field_confidence={"parent": "unconfirmed"})])])
>>> for row in units_table(h):
...     print(row["date"], row["id"], row["parent"], row["depth"], row["status"],
...           row["parent_confidence"])
2020-01-01 g None 0 active None
2020-01-01 a g 1 listed unconfirmed
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError, OutputError
from orgmodel.model import CONFIDENCES, PLANS, STATUSES, ConfidentField

if TYPE_CHECKING:
    from pydantic import BaseModel

    from orgmodel.history import History

__all__ = [
    "TABLES",
    "TABLE_FORMATS",
    "UNIT_COLUMNS",
    "events_frame",
    "events_table",
    "flat_rows",
    "table_bytes",
    "units_frame",
    "units_table",
]

#: The facts whose confidence a unit can state apart from its own, each a column
#: ``<fact>_confidence`` of the units table (empty where it is the unit's).
FIELD_CONFIDENCE: Final[tuple[str, ...]] = get_args(ConfidentField)

UNIT_COLUMNS: Final[tuple[str, ...]] = (
    "date",
    "in_force_until",
    "id",
    "name",
    "name_zh",
    "parent",
    "depth",
    "kind",
    "status",
    "plan",
    "standing",
    "confidence",
    *(f"{field}_confidence" for field in FIELD_CONFIDENCE),
    "lineage",
    "leaders",
    "sources",
    "note",
)
EVENT_LEAD: Final[tuple[str, ...]] = ("date", "since", "kind", "unit", "units")

Table = Literal["units", "events"]
TABLES: Final[tuple[Table, ...]] = ("units", "events")
TableFormat = Literal["csv", "parquet", "json"]
TABLE_FORMATS: Final[tuple[TableFormat, ...]] = ("csv", "parquet", "json")


def _leader(leader: Any) -> str:
    zh = f" ({leader.name_zh})" if leader.name_zh else ""
    return f"{leader.name}{zh}, {leader.role}"


def units_table(
    history: History, start: DateLike | None = None, end: DateLike | None = None
) -> list[dict[str, Any]]:
    """One row per unit per snapshot, from the snapshot in force on ``start`` to the one in
    force on ``end`` (both ends included; the whole history by default).

    Columns: :data:`UNIT_COLUMNS`. ``lineage`` and ``sources`` are lists of ids and keys,
    ``leaders`` a list of "Name (名字), Role"; ``<fact>_confidence`` is the confidence of that
    fact where it differs from the unit's (e.g. ``parent_confidence``), else None.
    """
    first, last = history.span(start, end)
    rows: list[dict[str, Any]] = []
    for i in range(first, last + 1):
        snapshot = history.snapshots[i]
        until = history.dates[i + 1] if i + 1 < len(history.dates) else None
        for unit in snapshot.units.values():
            row: dict[str, Any] = {
                "date": snapshot.date,
                "in_force_until": until,
                "id": unit.id,
                "name": unit.name,
                "name_zh": unit.name_zh,
                "parent": unit.parent,
                "depth": snapshot.depth(unit.id),
                "kind": unit.kind,
                "status": unit.status,
                "plan": unit.plan,
                "standing": unit.standing,
                "confidence": unit.confidence,
            }
            for field in FIELD_CONFIDENCE:
                row[f"{field}_confidence"] = unit.field_confidence.get(field)  # type: ignore[call-overload]
            row["lineage"] = list(unit.lineage)
            row["leaders"] = [_leader(leader) for leader in unit.leaders]
            row["sources"] = list(unit.sources)
            row["note"] = unit.note
            rows.append(row)
    return rows


def events_table(events: Iterable[BaseModel]) -> list[dict[str, Any]]:
    """One row per event: ``date``, ``since``, ``kind``, ``unit`` (the main unit), ``units``
    (all ids involved, a list) and every detail of every kind present, empty where an event
    has none, so all rows share the same columns."""
    dumped = [event.model_dump() for event in events]
    keys: list[str] = list(EVENT_LEAD)
    for row in dumped:
        for key in row:
            if key not in keys:
                keys.append(key)
    table = []
    for row in dumped:
        units = list(row.get("units") or ())
        out = {key: row.get(key) for key in keys}
        out["unit"] = row.get("unit") or (units[0] if units else None)
        out["units"] = units
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = list(value)
        table.append(out)
    return table


def _cell(value: Any) -> Any:
    """A plain value for a CSV cell or a parquet column: lists of plain values joined by
    ``;``, anything else nested as JSON text, dates as ISO text."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def flat_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with every cell plain (see :func:`_cell`), for CSV and parquet."""
    return [{key: _cell(value) for key, value in row.items()} for row in rows]


def _pandas() -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError:
        raise OrgModelError(
            'pandas is not installed; install it with pip install "orgmodel[pandas]", or use '
            "the list-of-dicts tables, which need nothing"
        ) from None
    return pd


_CATEGORIES: Final[dict[str, tuple[str, ...] | None]] = {
    "kind": None,
    "status": tuple(STATUSES),
    "plan": tuple(PLANS),
    "standing": ("in_line", "standalone", "outside"),
    "confidence": tuple(CONFIDENCES),
    **{f"{field}_confidence": tuple(CONFIDENCES) for field in FIELD_CONFIDENCE},
}


def _frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    pd = _pandas()
    frame = pd.DataFrame(flat_rows(rows), columns=list(columns))
    for column in frame.columns:
        if column in ("date", "since", "in_force_until"):
            frame[column] = pd.to_datetime(frame[column])
        elif column in _CATEGORIES:
            frame[column] = pd.Categorical(frame[column], categories=_CATEGORIES.get(column))
    return frame


def units_frame(
    history: History, start: DateLike | None = None, end: DateLike | None = None
) -> Any:
    """:func:`units_table` as a pandas DataFrame (needs pandas): dates as ``datetime64``,
    categorical kinds, statuses, plans and confidences, lists as ``;``-joined text."""
    return _frame(units_table(history, start, end), UNIT_COLUMNS)


def events_frame(events: Iterable[BaseModel]) -> Any:
    """:func:`events_table` as a pandas DataFrame (needs pandas): dates as ``datetime64``, the
    kind categorical with every kind as a category, details as plain text or JSON text."""
    from orgmodel.events import KINDS

    rows = events_table(events)
    columns = list(rows[0]) if rows else list(EVENT_LEAD)
    frame = _frame(rows, columns)
    frame["kind"] = _pandas().Categorical(frame["kind"], categories=list(KINDS))
    return frame


def table_bytes(
    history: History,
    table: str,
    fmt: str,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> bytes:
    """What ``orgmodel table`` writes: the ``units`` or ``events`` table of the history (from
    ``start`` to ``end``) as ``csv`` (plain cells), ``json`` (records, lists kept) or
    ``parquet`` (the frame; needs pandas and pyarrow)."""
    if table not in TABLES:
        raise OutputError(f"unknown table '{table}'; use one of {', '.join(TABLES)}")
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format '{fmt}'; use one of {', '.join(TABLE_FORMATS)}")
    if table == "units":
        rows, columns = units_table(history, start, end), list(UNIT_COLUMNS)
    else:
        rows = events_table(history.changes(start, end))
        columns = list(rows[0]) if rows else list(EVENT_LEAD)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2, default=str)
        return (text + "\n").encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat_rows(rows))
        return buffer.getvalue().encode("utf-8")
    frame = (
        units_frame(history, start, end)
        if table == "units"
        else events_frame(history.changes(start, end))
    )
    buffer_bytes = io.BytesIO()
    try:
        frame.to_parquet(buffer_bytes, index=False)
    except ImportError as exc:
        raise OrgModelError(f"parquet needs pyarrow: pip install pyarrow ({exc})") from None
    return buffer_bytes.getvalue()
