"""Load + validate of JSON snapshot files and long tables, next to their parsers alone.

A synthetic group of one snapshot is written three ways: as a JSON snapshot file (the YAML
schema in JSON), as a Parquet long table and as a CSV long table. Each is loaded with
``orgmodel.load_history``, which is everything done before the user holds a
:class:`~orgmodel.History`: read the bytes, parse, validate every unit against the format,
check each snapshot's structure (duplicate ids, missing parents, cycles, one root), check the
files against each other (sources, kinds, lineage, removals), and build the snapshots and the
history. Graphs are not built: ``History.graph(date)`` makes one when asked.

It is timed next to the parser alone reading the same file into Python values:
``orjson.loads`` for JSON, ``pyarrow`` reading the table and turning it into Python rows for
Parquet and CSV. The columnar read alone (no Python values) is shown too, as the lowest floor
there is. Every case is timed with the collector paused, as ``orgmodel``'s command line runs.
The cases of one size take turns, round after round, so that a busy spell of a shared machine
falls on all of them; the median of the rounds is kept.

``python -m benchmarks.formats --rounds 5`` prints the ratios, with the load average, and the
stages of a JSON load at 100,000 units.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import synthetic

__all__ = ["Measured", "json_stages", "measure", "write_json_folder", "write_tables"]

#: The load of each format, and the parser alone it is held against.
RATIOS = {
    "JSON": ("JSON: load_history", "JSON: orjson.loads"),
    "Parquet": ("Parquet: load_history", "Parquet: pyarrow read + to_pylist"),
    "CSV": ("CSV: load_history", "CSV: pyarrow read + to_pylist"),
}

Measured = dict[str, float]


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


def _cases(json_folder: Path, parquet: Path, csv: Path) -> dict[str, Callable[[], object]]:
    import orjson
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from orgmodel.reading import load_history

    file = next(json_folder.glob("*.json"))
    return {
        "JSON: orjson.loads": lambda: orjson.loads(file.read_bytes()),
        "JSON: load_history": lambda: load_history(json_folder),
        "Parquet: pyarrow read": lambda: pq.read_table(parquet),
        "Parquet: pyarrow read + to_pylist": lambda: pq.read_table(parquet).to_pylist(),
        "Parquet: load_history": lambda: load_history(parquet),
        "CSV: pyarrow read + to_pylist": lambda: pcsv.read_csv(csv).to_pylist(),
        "CSV: load_history": lambda: load_history(csv),
    }


def _timed(fn: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def measure(units: int, workdir: Path, rounds: int) -> Measured:
    """Median microseconds per unit of every case at one size, the cases taking turns."""
    folder = write_json_folder(units, workdir / f"json-{units}")
    parquet, csv = write_tables(units, workdir / f"table-{units}")
    cases = _cases(folder, parquet, csv)
    for fn in cases.values():
        fn()  # warm: imports, the validators built on first use, the file in the page cache
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            times[name].append(_timed(fn))
    return {name: statistics.median(t) / units * 1e6 for name, t in times.items()}


def json_stages(units: int, workdir: Path, rounds: int) -> dict[str, float]:
    """Where a JSON load's time goes: median milliseconds of each stage, run on its own.

    A plain file is read in bulk (see :mod:`orgmodel.records`): decoded by msgspec into typed
    unit records, which are checked column by column, the rest of the file validated, and a
    snapshot made whose units are built when first read. The full validation, which a file that
    is not plain goes through, is shown for comparison, as is building every unit of the
    snapshot.
    """
    from orgmodel import reading
    from orgmodel.history import History
    from orgmodel.jsonfiles import decode_typed
    from orgmodel.model import SnapshotFile, quick_validator
    from orgmodel.records import check_typed

    folder = write_json_folder(units, workdir / f"stages-{units}")
    file = next(folder.glob("*.json"))
    text = file.read_bytes()
    bibliography = reading.read_bibliography(folder / "sources.yaml")
    kinds = frozenset(bibliography.kinds or ()) or None
    known = reading._Known(kinds, frozenset(bibliography.sources))
    typed = decode_typed(text, known.kinds, known.sources)
    assert typed is not None, "the synthetic file is plain: msgspec must decode it"
    snapshot = reading._quick_json_snapshot(file, text, known)
    assert snapshot is not None, "the synthetic file is plain: it must be read in bulk"
    import orjson

    stages: dict[str, Callable[[], object]] = {
        "read the bytes": file.read_bytes,
        "orjson.loads (the floor)": lambda: orjson.loads(text),
        "decode into typed records (msgspec)": lambda: decode_typed(text, *known),
        "check the typed records in bulk": lambda: check_typed(
            typed.units, typed.unset, typed.sources
        ),
        "decode + check + rest of the file + Snapshot": lambda: reading._quick_json_snapshot(
            file, text, known
        ),
        "checks across files": lambda: reading._cross_file_findings(
            [snapshot], bibliography, folder / "sources.yaml"
        ),
        "History": lambda: History([snapshot]),
        "load_history, all of it": lambda: reading.load_history(folder),
        "(not in the load) build every unit": lambda: list(
            reading._quick_json_snapshot(file, text, known).units.values()  # type: ignore[union-attr]
        ),
        "(not in the load) full validation (pydantic-core)": lambda: quick_validator(
            SnapshotFile
        ).validate_json(text),
    }
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(rounds):
        for name, fn in stages.items():
            times[name].append(_timed(fn))
    return {name: statistics.median(t) * 1e3 for name, t in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.formats", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for units in args.sizes:
            before = os.getloadavg()[0]
            rounds = args.rounds if units < 1_000_000 else max(3, args.rounds // 2)
            per_unit = measure(units, workdir, rounds)
            after = os.getloadavg()[0]
            ratios = ", ".join(
                f"{label} {per_unit[ours] / per_unit[floor]:.2f}x"
                f" ({per_unit[ours]:.2f} vs {per_unit[floor]:.2f} us/unit)"
                for label, (ours, floor) in RATIOS.items()
            )
            print(f"{units:>9} units, load {before:.1f}-{after:.1f}: {ratios}", flush=True)
        print(f"stages of a JSON load of 100,000 units, ms (load {os.getloadavg()[0]:.1f}):")
        for name, ms in json_stages(100_000, workdir, args.rounds).items():
            print(f"  {name:50} {ms:8.1f}")


if __name__ == "__main__":
    main()
