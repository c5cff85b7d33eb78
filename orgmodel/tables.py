"""Tables for analysis: the history as one row per unit per snapshot, events as one row each.

Every table is a list of dicts with the same keys in every row, ready for ``csv.DictWriter``,
``json.dumps`` or ``pandas.DataFrame``; the ``*_frame`` functions build the DataFrame for you when
pandas is installed (``pip install "orgmodel[pandas]"``). pandas is never required.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> h = History([Snapshot(dt.date(2020, 1, 1), [
...     Unit(id="g", name="Group", kind="holding"),
...     Unit(id="a", name="A", kind="company", parent="g", status="listed")])])
>>> for row in units_table(h):
...     print(row["date"], row["id"], row["parent"], row["depth"], row["status"])
2020-01-01 g None 0 active
2020-01-01 a g 1 listed
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from orgmodel.history import History

__all__ = ["UNIT_COLUMNS", "events_frame", "events_table", "units_frame", "units_table"]

UNIT_COLUMNS = (
    "date",
    "in_force_until",
    "id",
    "name",
    "name_zh",
    "parent",
    "depth",
    "kind",
    "status",
    "standing",
    "confidence",
    "sources",
)


def units_table(
    history: History, start: DateLike | None = None, end: DateLike | None = None
) -> list[dict[str, Any]]:
    """One row per unit per snapshot, from the snapshot in force on ``start`` to the one in
    force on ``end`` (both ends included; the whole history by default).

    Columns: :data:`UNIT_COLUMNS`; ``sources`` is the list of source keys.
    """
    first = history.index(start) if start is not None else 0
    last = history.index(end) if end is not None else len(history.snapshots) - 1
    rows: list[dict[str, Any]] = []
    for i in range(first, last + 1):
        snapshot = history.snapshots[i]
        until = history.dates[i + 1] if i + 1 < len(history.dates) else None
        for unit in snapshot.units.values():
            rows.append(
                {
                    "date": snapshot.date,
                    "in_force_until": until,
                    "id": unit.id,
                    "name": unit.name,
                    "name_zh": unit.name_zh,
                    "parent": unit.parent,
                    "depth": snapshot.depth(unit.id),
                    "kind": unit.kind,
                    "status": unit.status,
                    "standing": unit.standing,
                    "confidence": unit.confidence,
                    "sources": list(unit.sources),
                }
            )
    return rows


def events_table(events: Iterable[BaseModel]) -> list[dict[str, Any]]:
    """One row per event: ``date``, ``since``, ``kind``, ``unit`` (the main unit), ``units``
    (all ids involved, joined by spaces) and every detail of every kind present, empty where an
    event has none, so all rows share the same columns."""
    dumped = [event.model_dump() for event in events]
    keys: list[str] = ["date", "since", "kind", "unit", "units"]
    for row in dumped:
        for key in row:
            if key not in keys:
                keys.append(key)
    table = []
    for row in dumped:
        units = row.get("units") or ()
        out = {key: row.get(key) for key in keys}
        out["unit"] = row.get("unit") or (units[0] if units else None)
        out["units"] = " ".join(units)
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = list(value)
        table.append(out)
    return table


def _frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError:
        raise OrgModelError(
            'pandas is not installed; install it with pip install "orgmodel[pandas]", or use '
            "the list-of-dicts tables, which need nothing"
        ) from None
    return pd.DataFrame(list(rows), columns=list(columns))


def units_frame(
    history: History, start: DateLike | None = None, end: DateLike | None = None
) -> Any:
    """:func:`units_table` as a pandas DataFrame (needs pandas)."""
    return _frame(units_table(history, start, end), UNIT_COLUMNS)


def events_frame(events: Iterable[BaseModel]) -> Any:
    """:func:`events_table` as a pandas DataFrame (needs pandas)."""
    rows = events_table(events)
    columns = list(rows[0]) if rows else ["date", "since", "kind", "unit", "units"]
    return _frame(rows, columns)
