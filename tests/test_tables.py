"""Tables for analysis: exact rows from the example history; pandas optional."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from orgmodel import OrgModelError
from orgmodel.tables import UNIT_COLUMNS, units_frame, units_table


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
