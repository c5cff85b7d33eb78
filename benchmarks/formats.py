"""Load + validate of JSON snapshot files and long tables, next to their parsers alone.

A synthetic group of one snapshot is written three ways: as a JSON snapshot file (the YAML
schema in JSON), as a Parquet long table and as a CSV long table. Each is loaded with
``orgmodel.load_history`` (parse, validate every unit, check the structure, build the history)
and timed next to the parser alone reading the same file into Python values: ``orjson.loads``
for JSON, ``pyarrow`` reading the table and turning it into Python rows for Parquet and CSV.
The columnar read alone (no Python values) is shown too, as the lowest floor there is. Every
case is timed with the collector paused (orgmodel's readers pause it themselves; the parsers
alone would otherwise pay for collections that the readers skip).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import synthetic

__all__ = ["write_json_folder", "write_tables"]


def _units(units: int) -> tuple[Any, list[Any]]:
    group = synthetic.generate(units, 1, 0.02, seed=1)
    date, members, _ = group.steps[0]
    return date, members


def write_json_folder(units: int, folder: Path) -> Path:
    """A folder with one JSON snapshot file of ``units`` units and its ``sources.yaml``."""
    date, members = _units(units)
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for u in members:
        record: dict[str, Any] = {"id": u.id, "name": u.name, "kind": u.kind}
        if u.parent is not None:
            record["parent"] = u.parent
        if u.status != "active":
            record["status"] = u.status
        record["sources"] = [u.source]
        record["confidence"] = "confirmed"
        records.append(record)
    data = {"date": date.isoformat(), "title": "Synthetic", "units": records}
    (folder / f"{date.isoformat()}.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "sources.yaml").write_text(synthetic.sources_yaml(1), encoding="utf-8")
    return folder


def write_tables(units: int, folder: Path) -> tuple[Path, Path]:
    """The same units as a Parquet and a CSV long table: date, id, name, parent, kind, status."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    date, members = _units(units)
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "date": [date.isoformat()] * len(members),
            "id": [u.id for u in members],
            "name": [u.name for u in members],
            "parent": [u.parent for u in members],
            "kind": [u.kind for u in members],
            "status": [u.status for u in members],
        }
    )
    parquet, csv = folder / "history.parquet", folder / "history.csv"
    pq.write_table(table, parquet)
    pcsv.write_csv(table, csv)
    return parquet, csv
