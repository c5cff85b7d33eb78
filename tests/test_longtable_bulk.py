"""Long tables read column by column: pyarrow's CSV reader and the bulk check of plain rows give
exactly what reading row by row gives, or stand aside for it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import orgmodel
from orgmodel import longtable
from orgmodel.errors import DataError
from orgmodel.records import LazyUnits

pytest.importorskip("pyarrow")

#: Characters that CSV readers treat apart, and some text.
CSV_CHARS = st.sampled_from(
    [*'ab,;"\t \n\r', *"\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029", "中"]
)


@settings(max_examples=600, deadline=None)
@given(header=st.sampled_from(["x,y", '"x","y"', 'x,"y"', "x;y", '"x,y"', "x"]),
       body=st.lists(st.one_of(CSV_CHARS, st.just("\r\n")), max_size=24).map("".join))  # fmt: skip
@example(header="x,y", body="\n\n1,2")
@example(header="x,y", body='1,"a\nb"')
@example(header="x,y", body="1,\u2028")
def test_pyarrow_reads_csv_text_as_the_csv_module_does_or_stands_aside(
    header: str, body: str
) -> None:
    text = header + "\n" + body
    delimiter = max((",", ";", "\t"), key=header.count)
    quick = longtable._read_text_columnar(text, delimiter)
    if quick is not None:
        assert _as_lists(quick) == longtable._read_text_rows(text, delimiter, "t.csv")


def _as_lists(raw: Any) -> Any:
    """A table as read, with the columns pyarrow read turned into lists."""
    return raw._replace(columns=[longtable._values(column) for column in raw.columns])


def test_pyarrow_reads_a_plain_csv_file() -> None:
    text = '"date","id","name","parent"\r\n2024-01-01,g,"Group, the",\r\n2024-01-01,a,A,g\r\n'
    quick = longtable._read_text_columnar(text, ",")
    assert quick is not None and _as_lists(quick) == longtable._read_text_rows(text, ",", "t.csv")
    assert longtable._values(quick.columns[2]) == ["Group, the", "A"]


GOOD_IDS = st.sampled_from(["g", "a", "b", "c"])
IDS = st.one_of(GOOD_IDS, GOOD_IDS, GOOD_IDS, st.sampled_from(["A", "a b", ""]))
CELLS = st.sampled_from(["", " ", "x", " X ", "Unit\u202e", "a\tb", "中", "1", "\xa0"])


@st.composite
def tables(draw: st.DrawFn) -> dict[str, list[Any]]:
    """A table of a few rows: mostly one date and one tree, with hostile cells mixed in."""
    size = draw(st.integers(1, 5))
    ids = draw(st.permutations(["g", "a", "b", "c", "d"]))[:size]
    if draw(st.booleans()):
        ids[draw(st.integers(0, size - 1))] = draw(IDS)
    earlier = [draw(st.sampled_from(ids[:i])) if i else "" for i in range(size)]
    choice = st.sampled_from
    columns: dict[str, list[Any]] = {
        "date": draw(st.lists(choice(["2024-01-01"] * 30 + ["2024-02-01", "2024-13-01", ""]),
                              min_size=size, max_size=size)),
        "id": ids,
        "name": draw(st.lists(st.one_of(*[choice(["Group", "A"])] * 3, CELLS), min_size=size,
                              max_size=size)),
        "parent": [draw(st.one_of(*[st.just(p)] * 6, IDS)) for p in earlier],
    }  # fmt: skip
    optional = {
        "kind": st.one_of(choice(["holding", "company", ""]), choice(["K", "k k", "2"])),
        "status": choice(["active", "listed", "", "ipo_planned", "x"]),
        "plan": choice(["", "ipo_planned", "x"]),
        "name_zh": CELLS,
        "confidence": choice(["confirmed", "", "sure"]),
        "note": CELLS,
        "lineage": choice(["", "g"]),
        "colour": choice(["red"]),
        "knd": choice(["k"]),
    }
    for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=3)):
        columns[name] = draw(st.lists(optional[name], min_size=size, max_size=size))
    return columns


def _load_both(path: Path) -> tuple[Any, Any]:
    def load() -> Any:
        try:
            return orgmodel.load_history(path)
        except DataError as exc:
            return [str(p) for p in exc.problems]

    quick = load()
    # The reference: row by row, each cell cleaned in Python, each date read from its cell.
    with (
        mock.patch.object(longtable, "_quick_history", lambda *args: None),
        mock.patch.object(longtable, "_cells", lambda c: longtable._clean(longtable._values(c))),
        mock.patch.object(longtable, "_only_date", lambda column: None),
    ):
        full = load()
    return quick, full


def _same(quick: Any, full: Any) -> None:
    if isinstance(full, list):
        assert quick == full
        return
    assert isinstance(quick, orgmodel.History)
    assert (quick.dates, quick.title, dict(quick.sources)) == (
        full.dates, full.title, dict(full.sources))  # fmt: skip
    for a, b in zip(quick, full, strict=True):
        assert a == b and list(a.units) == list(b.units) and a.path == b.path
        assert [u.model_fields_set for u in a] == [u.model_fields_set for u in b]


def _write(columns: dict[str, list[Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    table = pa.table(columns)
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        pcsv.write_csv(table, path)


@settings(max_examples=100, deadline=None)
@given(columns=tables(), suffix=st.sampled_from([".csv", ".parquet"]))
@example(columns={"date": ["2024-01-01"] * 2, "id": ["g", "a"], "name": ["G", "A"],
                  "parent": ["", "g"]}, suffix=".csv")  # fmt: skip
def test_a_table_loads_the_same_with_and_without_the_bulk_check(
    columns: dict[str, list[Any]], suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"history{suffix}"
        _write(columns, path)
        _same(*_load_both(path))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_plain_table_is_read_in_bulk(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"history{suffix}"
    columns: dict[str, list[Any]] = {
        "date": ["2024-01-01"] * 3, "id": ["g", "a", "b"], "name": ["G", "A", "B"],
        "parent": [None, "g", "a"], "kind": ["holding", None, "company"]}  # fmt: skip
    _write(columns, path)
    quick, full = _load_both(path)
    assert isinstance(quick.at("2024").units, LazyUnits)
    assert quick.at("2024").units["a"].kind == longtable.DEFAULT_KIND
    _same(quick, full)


@settings(max_examples=300, deadline=None)
@given(column=st.lists(st.one_of(CELLS, st.none(), st.none(), st.sampled_from([2, 2.0, 2.5]))))
@example(column=["a ", None, "b"])
@example(column=[None, "", " x"])
def test_a_column_is_cleaned_as_each_cell_would_be(column: list[Any]) -> None:
    assert longtable._clean(list(column)) == [longtable._text(cell) for cell in column]
    text = [cell for cell in column if not isinstance(cell, int | float)]
    assert longtable._clean(list(text)) == [longtable._text(cell) for cell in text]


@settings(max_examples=400, deadline=None)
@given(column=st.lists(st.one_of(st.text(max_size=4), CELLS, st.none())))
@example(column=["a\u3000", "\u200b", "\x1c", "\x85b", "b\u180e", "", None])
def test_a_column_pyarrow_read_is_cleaned_as_each_cell_would_be(column: list[Any]) -> None:
    import pyarrow as pa

    for array in (pa.chunked_array([pa.array(column, pa.string())]), pa.array(column)):
        assert longtable._cells(array) == [longtable._text(cell) for cell in column]


@pytest.mark.parametrize(
    ("cells", "date"),
    [
        (["2024-01-01"] * 3, "2024-01-01"),
        (["2024-01-01", "2024-01-01 "], None),
        (["2024-01-01", None], None),
        (["", ""], None),
        (["2024-13-01"], None),
        ([45292, 45292], "2024-01-01"),
    ],
)
def test_one_date_is_told_from_the_distinct_cells(cells: list[Any], date: str | None) -> None:
    import datetime as dt

    import pyarrow as pa

    found = longtable._only_date(pa.chunked_array([pa.array(cells)]))
    assert found == (None if date is None else dt.date.fromisoformat(date))


def test_pyarrow_is_told_to_strip_what_python_strips() -> None:
    spaces = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert spaces == longtable._SPACES
