"""Tables for analysis: exact rows from the example history; pandas optional."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys

import pytest

import orgmodel
from orgmodel import OrgModelError
from orgmodel.events import KINDS
from orgmodel.model import CONFIDENCES
from orgmodel.tables import UNIT_COLUMNS, events_frame, table_bytes, units_frame, units_table

from .conftest import EXAMPLE


def test_one_row_per_unit_per_snapshot(example):
    rows = units_table(example)
    assert len(rows) == sum(len(s.units) for s in example.snapshots)
    assert all(tuple(row) == UNIT_COLUMNS for row in rows)
    lab = [(r["date"].isoformat(), r["parent"], r["depth"]) for r in rows if r["id"] == "lab"]
    assert lab == [
        ("2020-01-01", "platform", 2),
        ("2021-01-01", "platform", 2),
        ("2022-01-01", "commerce", 2),
        ("2023-06-30", "commerce", 2),
    ]
    first = rows[0]
    assert first["in_force_until"] == dt.date(2021, 1, 1)
    assert first["sources"] == ["annual-2020"]


def test_date_range(example):
    rows = units_table(example, "2021", "2022-06")
    assert sorted({r["date"].isoformat() for r in rows}) == ["2021-01-01", "2022-01-01"]


def test_frame_matches_table(example):
    pd = pytest.importorskip("pandas")
    frame = units_frame(example)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(UNIT_COLUMNS)
    assert len(frame) == len(units_table(example))


def test_frame_without_pandas_says_how_to_get_it(example, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(OrgModelError, match=r'pip install "orgmodel\[pandas\]"'):
        units_frame(example)


def test_unit_rows_carry_field_confidence_lineage_leaders_and_notes(example):
    rows = {(r["date"].isoformat(), r["id"]): r for r in units_table(example)}
    streaming = rows[("2021-01-01", "streaming")]
    assert streaming["lineage"] == ["video", "music"]
    assert all(f"{f}_confidence" in streaming for f in ("name", "parent", "status", "lineage"))
    bundled = units_table(orgmodel.load_history())
    unconfirmed = [r for r in bundled if r["parent_confidence"] == "unconfirmed"]
    assert unconfirmed and all(r["parent"] for r in unconfirmed)
    assert any(r["leaders"] and ", " in r["leaders"][0] for r in bundled)
    assert any(r["note"] for r in bundled)


def test_frames_have_dates_categories_and_write_parquet(example, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    units = units_frame(example)
    assert units["date"].dt.year.tolist()[0] == 2020
    assert isinstance(units["status"].dtype, pd.CategoricalDtype)
    assert list(units["confidence"].cat.categories) == list(CONFIDENCES)
    events = events_frame(example.changes())
    assert str(events["date"].dtype).startswith("datetime64")
    assert list(events["kind"].cat.categories) == list(KINDS)
    for name, frame in (("u", units), ("e", events)):
        path = tmp_path / f"{name}.parquet"
        frame.to_parquet(path)
        back = pd.read_parquet(path)
        assert len(back) == len(frame) and list(back.columns) == list(frame.columns)
    assert events_frame([]).empty


@pytest.mark.parametrize("table", ["units", "events"])
def test_csv_cells_hold_no_python_reprs(example, table):
    text = table_bytes(example, table, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        for value in row.values():
            assert not value.startswith(("[", "(", "{'")), value
            assert "datetime.date" not in value
    if table == "units":
        streaming = next(r for r in rows if r["id"] == "streaming")
        assert streaming["lineage"] == "video;music"


def test_table_command_writes_csv_json_and_parquet(capsys, tmp_path):
    from orgmodel.cli import main

    def run(*args):
        try:
            main([*args, "--data", str(EXAMPLE)])
        except SystemExit as exc:
            return exc.code, *capsys.readouterr()
        return 0, *capsys.readouterr()

    code, out, _ = run("table", "units")
    assert code == 0 and out.startswith("date,in_force_until,id,")
    code, out, _ = run("table", "events", "2020", "2021", "--format", "json")
    assert code == 0 and {r["kind"] for r in json.loads(out)} >= {"merged"}
    code, out, err = run("table", "units", "--format", "parquet")
    assert (code, out) == (2, "") and "give a file with -o" in err
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    target = tmp_path / "units.parquet"
    code, _, err = run("table", "units", "-f", "parquet", "-o", str(target))
    assert (code, err) == (0, f"wrote {target}\n")
    assert len(pd.read_parquet(target)) == len(units_table(orgmodel.load_history(EXAMPLE)))
