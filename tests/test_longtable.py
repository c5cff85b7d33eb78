"""Long tables (CSV, TSV, Parquet, Excel) read into snapshots, and imported into folders."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import orgmodel
from orgmodel.cli import main
from orgmodel.errors import DataError, OutputError
from orgmodel.importing import import_table
from orgmodel.longtable import parse_cell_date, read_table

TABLES = Path(__file__).parent / "data" / "tables"
HISTORY = TABLES / "history.csv"

#: What the fixture's three dates must give, step by step: (date, kind, units involved).
HISTORY_EVENTS = sorted(
    [
        ("2022-07-01", "added", ("commerce",)),
        ("2022-07-01", "removed", ("commerce", "retail")),
        ("2022-07-01", "removed", ("commerce", "online")),
        ("2022-07-01", "renamed", ("cloud",)),
        ("2022-07-01", "moved", ("cloud", "maps", "online")),
        ("2022-07-01", "merged", ("commerce", "online", "retail")),
        ("2022-07-01", "plan_changed", ("cloud",)),
        ("2022-07-01", "updated", ("cloud",)),
        ("2022-07-01", "updated", ("maps",)),
        ("2023-03-28", "added", ("global",)),
        ("2023-03-28", "split", ("commerce", "global")),
        ("2023-03-28", "spun_off", ("cloud", "group")),
        ("2023-03-28", "kind_changed", ("cloud",)),
        ("2023-03-28", "leader_changed", ("cloud",)),
        ("2023-03-28", "plan_changed", ("cloud",)),
        ("2023-03-28", "updated", ("cloud",)),
    ]
)


def events(history: orgmodel.History) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted(
        (e.date.isoformat(), e.kind, tuple(sorted(e.units)))  # type: ignore[attr-defined]
        for e in history.changes()
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: list[str], rows: list[list[object]], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_fixture_imports_validates_and_gives_its_events(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "import", "table", str(HISTORY), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert err.splitlines() == [
        f"wrote {tmp_path / 'out'}: 3 snapshots (2021-01-01 to 2023-03-28), 14 unit records"
    ]
    code, out, _ = run(capsys, "validate", str(tmp_path / "out"))
    assert code == 0
    assert "3 snapshots from 2021-01-01 to 2023-03-28, 14 unit records (7 distinct units)" in out
    history = orgmodel.load_history(tmp_path / "out")
    assert events(history) == HISTORY_EVENTS
    cloud = history.at("2023-03-28").units["cloud"]
    assert (cloud.name, cloud.name_zh, cloud.status, cloud.kind) == (
        "Cloud Intelligence",
        "云智能",
        "standalone",
        "company",
    )
    assert [(leader.name, leader.role) for leader in cloud.leaders] == [("Bo Chen", "CEO")]
    assert cloud.sources == ("table-history", "source-3")
    assert history.at("2022-07-01").units["cloud"].plan == "spin_off_planned"
    assert cloud.plan is None
    assert history.sources["source-3"].url == "https://example.org/letter-2023"
    assert history.sources["table-history"].title == "history.csv"


def test_the_table_loads_directly_as_a_history(tmp_path: Path) -> None:
    direct = orgmodel.load_history(HISTORY)
    import_table([HISTORY], tmp_path / "out")
    written = orgmodel.load_history(tmp_path / "out")
    assert list(direct) == list(written)
    assert events(direct) == HISTORY_EVENTS


def test_parquet_tsv_and_excel_give_the_same_snapshots(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    rows = rows_of(HISTORY)
    expected = [(s.date, s.units) for s in read_table([HISTORY]).snapshots]
    columns = {key: [r[key] or None for r in rows] for key in rows[0]}
    columns["date"] = [dt.date.fromisoformat(d) for d in columns["date"]]  # typed, as pandas writes
    pq.write_table(pa.table(columns), tmp_path / "history.parquet")
    with (tmp_path / "history.tsv").open("w", encoding="utf-8") as handle:
        for line in [list(rows[0]), *[list(r.values()) for r in rows]]:
            handle.write("\t".join(line) + "\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for i, row in enumerate(rows):
        cells: list[object] = [v or None for v in row.values()]
        day = dt.date.fromisoformat(row["date"])
        # Date cells and, as older exports have them, plain serial numbers.
        cells[0] = (
            (day - dt.date(1899, 12, 30)).days if i % 2 else dt.datetime(*day.timetuple()[:3])
        )
        sheet.append(cells)
    book.save(tmp_path / "history.xlsx")
    for name in ("history.parquet", "history.tsv", "history.xlsx"):
        got = [(s.date, s.units) for s in read_table([tmp_path / name]).snapshots]
        assert got == expected, name


def test_one_file_per_date_named_by_its_date(tmp_path: Path) -> None:
    rows = rows_of(HISTORY)
    header = [k for k in rows[0] if k != "date"]
    for day in ("2021-01-01", "2022-07-01", "2023-03-28"):
        picked = [[r[k] for k in header] for r in rows if r["date"] == day]
        write_csv(tmp_path / f"{day}.csv", header, picked)
    files = sorted(tmp_path.glob("*.csv"))
    imported = import_table(files, tmp_path / "out")
    assert imported.dates == [dt.date(2021, 1, 1), dt.date(2022, 7, 1), dt.date(2023, 3, 28)]
    history = orgmodel.load_history(tmp_path / "out")
    # Each date's rows cite their own file, so every unit that stays has a new record too.
    structural = [e for e in HISTORY_EVENTS if e[1] != "updated"]
    assert [e for e in events(history) if e[1] != "updated"] == structural
    assert [e for e in events(history) if e[1] == "updated"] == [
        ("2022-07-01", "updated", (uid,)) for uid in ("cloud", "group", "maps")
    ] + [("2023-03-28", "updated", (uid,)) for uid in ("cloud", "commerce", "group", "maps")]
    assert sorted(history.sources) == [
        "source-1",
        "source-2",
        "source-3",
        "table-2021-01-01",
        "table-2022-07-01",
        "table-2023-03-28",
    ]


def test_headers_are_matched_loosely_and_mapped(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "hr.csv",
        ["Effective Date", "Unit ID", "Org Unit", "Parent-ID", "Cost Centre", " Name ZH "],
        [
            ["2024-01-01", "hq", "Head Office", "", "C1", "总部"],
            ["2024-01-01", "ops", "Operations", "hq", "C2", "运营"],
        ],
        bom=True,
    )
    table = read_table([path], {"Effective Date": "date", "Org Unit": "name"})
    assert table.ignored == ["Cost Centre"]
    (snapshot,) = table.snapshots
    assert [(u.id, u.name, u.name_zh, u.parent, u.kind) for u in snapshot.units] == [
        ("hq", "Head Office", "总部", None, "unit"),
        ("ops", "Operations", "运营", "hq", "unit"),
    ]


@pytest.mark.parametrize(
    ("column_map", "message"),
    [
        (
            {"date": "Effective Date"},
            "--map 'date=Effective Date' is the wrong way round: write --map "
            "'Effective Date=date' (the file's header, then the field)",
        ),
        (
            {"Effective Date": "dates"},
            "--map 'Effective Date=dates': 'dates' is not a field (did you mean 'date'?); the "
            "fields are date, start, end, id, name,",
        ),
        (
            {"Effective": "date"},
            "no column for date; 'Effective' is not a column here; the columns are 'Effective "
            "Date', 'Unit ID', 'Org Unit', 'Parent': map one of them, e.g. --map 'Effective "
            "Date=date'",
        ),
    ],
)
def test_a_map_that_cannot_apply_says_why(
    tmp_path: Path, column_map: dict[str, str], message: str
) -> None:
    path = write_csv(
        tmp_path / "hr.csv",
        ["Effective Date", "Unit ID", "Org Unit", "Parent"],
        [["2024-01-01", "hq", "Head Office", ""]],
    )
    with pytest.raises(DataError) as caught:
        read_table([path], {"Org Unit": "name", **column_map})
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == (path, 1)
    assert message in problem.message


def test_children_listed_before_their_parents_are_written_after_them(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        ["date", "id", "name", "parent"],
        [
            ["2024-01-01", "b", "B", "a"],
            ["2024-01-01", "a", "A", "g"],
            ["2024-01-01", "g", "G", ""],
        ],
    )
    (snapshot,) = read_table([path]).snapshots
    assert [u.id for u in snapshot.units] == ["g", "a", "b"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-03-28", dt.date(2023, 3, 28)),
        ("2023/3/28", dt.date(2023, 3, 28)),
        ("2023-03-28 00:00:00", dt.date(2023, 3, 28)),
        ("45013", dt.date(2023, 3, 28)),
        (45013, dt.date(2023, 3, 28)),
        (45013.0, dt.date(2023, 3, 28)),
        (dt.datetime(2023, 3, 28), dt.date(2023, 3, 28)),
        (dt.datetime(2023, 3, 28, 9, 30), None),
        ("2023", None),
        (2023, None),
        (45013.5, None),
        ("2023-02-30", None),
        ("28/03/2023", None),
        ("", None),
    ],
)
def test_cell_dates(cell: object, expected: dt.date | None) -> None:
    assert parse_cell_date(cell) == expected


def test_bad_rows_give_the_file_the_row_and_the_fix(tmp_path: Path, capsys) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        ["date", "id", "name", "parent"],
        [
            ["2024-01-01", "group", "Group", ""],
            ["2024-01-01", "retail", "Retail", "grop"],
            ["2024-01-01", "retail", "Retail again", "group"],
            ["next year", "x", "X", "group"],
            ["2024-01-01", "a", "A", "b"],
            ["2024-01-01", "b", "B", "a"],
            ["2024-01-01", "销售", "Sales", "group"],
        ],
    )
    code, out, err = run(capsys, "import", "table", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"orgmodel: {path}: row 3: the parent of 'retail', 'grop', is not a unit on 2024-01-01 "
        "(did you mean 'group'?); fix the parent, or add a row for 'grop' on 2024-01-01",
        f"orgmodel: {path}: row 4: 'retail' appears twice on 2024-01-01 (first at row 3); keep "
        "one row per unit per date",
        f"orgmodel: {path}: row 5: date 'next year' cannot be read; write YYYY-MM-DD (an Excel "
        "date cell or serial number also works)",
        f"orgmodel: {path}: row 6: 'a' on 2024-01-01: parents form a cycle (a -> b -> a); a unit "
        "cannot sit below itself",
        f"orgmodel: {path}: row 8: id '销售' is not a unit id; use lower-case letters, digits, "
        "'.', '_' or '-', starting with a letter or digit",
        "orgmodel: 5 problems found",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty; give a table with a header row (date, id, name, parent)"),
        ("\ufeff", "is empty; give a table with a header row (date, id, name, parent)"),
        ("date,id,name,parent\n", "has a header but no rows; add a row for each unit"),
        (
            "date,id,name\n2024-01-01,g,G\n",
            "row 1: no column for parent; the columns are 'date', 'id', 'name': add it, or map "
            "yours, with --map 'Header=parent'",
        ),
        (
            "id,name\ng,G\n",
            "row 1: no column for date, parent; the columns are 'id', 'name': add them, or map "
            "yours, with --map 'Header=date'",
        ),
        (
            "date,id,name,parent,stauts\n2024-01-01,g,G,,active\n",
            "row 1: column 'stauts' is not known (did you mean 'status'?); rename it, or map it "
            "with --map 'stauts=status'",
        ),
        (
            "date,id,name,parent,leaders\n2024-01-01,g,G,,Ann Lee\n",
            "row 2: leader 'Ann Lee' has no role; write leaders as 'Name (Role)', several "
            "separated by ';'",
        ),
        (
            "date,id,name,parent,status\n2024-01-01,g,G,,sold\n",
            "row 2: status 'sold' is not allowed; use one of ",
        ),
        (
            "date,id,name,parent,status\n2024-01-01,g,G,,ipo_planned\n",
            "row 2: status 'ipo_planned' is a plan, not a status: put it in the plan column, and "
            "write what the unit is (active, standalone, listed or affiliate) as its status",
        ),
        (
            "date,id,name,parent,lineage\n2024-01-01,g,G,,old\n",
            "row 2: lineage of 'g' names 'old', which is in no row up to this date; fix the "
            "lineage",
        ),
    ],
)
def test_edge_case_tables(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table([path])
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}: {message}")


def test_excel_dates_as_serials_in_a_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        ["date", "id", "name", "parent"],
        [["44562", "g", "集团", ""], ["45013", "g", "集团", ""]],
    )
    assert [s.date for s in read_table([path]).snapshots] == [
        dt.date(2022, 1, 1),
        dt.date(2023, 3, 28),
    ]


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("date,id,name,parent\n2024-01-01,g,Grüppe,\n".encode("latin-1"))
    with pytest.raises(DataError, match="is not UTF-8 text"):
        read_table([path])


def test_a_folder_that_is_not_empty_is_never_written_into(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="is not empty"):
        import_table([HISTORY], out)
    code, _, err = run(capsys, "import", "table", str(HISTORY), "-o", str(out))
    assert code == 2 and "is not empty, and orgmodel never writes over files" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_json_output(tmp_path: Path) -> None:
    imported = import_table([HISTORY], tmp_path / "out", fmt="json")
    assert [p.name for p in imported.files] == [
        "2021-01-01.json",
        "2022-07-01.json",
        "2023-03-28.json",
        "sources.yaml",
    ]
    assert list(orgmodel.load_history(tmp_path / "out")) == list(orgmodel.load_history(HISTORY))


HR_MAP = [
    "--map", "Org Unit ID=id", "--map", "Org Unit Name=name",
    "--map", "Reports To (Unit ID)=parent", "--map", "Effective Date=date",
    "--map", "Unit Type=kind", "--map", "Manager=leaders",
]  # fmt: skip


def test_an_hr_export_workbook_with_its_own_headers(tmp_path: Path, capsys) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Org Unit ID", "Org Unit Name", "Reports To (Unit ID)", "Effective Date",
                  "Unit Type", "Manager", "Cost Centre"])  # fmt: skip
    for row in [
        (20110, "Payments Ops ", 20100, dt.datetime(2024, 1, 1), "team", "Ana Lima (Head)", "C9"),
        (20100, "Finance", 20000, dt.datetime(2024, 1, 1), "function", None, "C1"),
        (20000, "Acme Holdings", None, dt.datetime(2024, 1, 1), "holding", "J. Smith (CEO)", None),
        (None, None, None, None, None, None, None),
        (20200, "People", 20000, dt.datetime(2024, 1, 1), "function", None, None),
        (20000, "Acme Holdings", None, dt.datetime(2024, 7, 1), "holding", None, None),
        (20100, "Finance & Treasury", 20000, dt.datetime(2024, 7, 1), "function", None, None),
        (20110, "Payments Ops", 20200, dt.datetime(2024, 7, 1), "team", "Ana Lima (Head)", None),
        (20200, "People", 20000, 45474, "function", None, None),  # a serial: 2024-07-01
    ]:
        sheet.append(list(row))
    book.save(tmp_path / "export.xlsx")
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "table", str(tmp_path / "export.xlsx"), "-o", str(out),
                       *HR_MAP)  # fmt: skip
    assert code == 0, err
    assert "ignored columns (map them with --map to keep them): Cost Centre" in err
    history = orgmodel.load_history(out)
    first = history.at("2024-01-01")
    assert list(first.units) == ["20000", "20100", "20110", "20200"]  # parents first
    assert first.units["20110"].name == "Payments Ops"
    assert [(leader.name, leader.role) for leader in first.units["20110"].leaders] == [
        ("Ana Lima", "Head")
    ]
    assert events(history) == [
        ("2024-07-01", "leader_changed", ("20000",)),
        ("2024-07-01", "moved", ("20100", "20110", "20200")),
        ("2024-07-01", "renamed", ("20100",)),
    ]


def test_bad_rows_of_a_semicolon_export_exit_2_with_the_row_and_the_fix(
    tmp_path: Path, capsys
) -> None:
    table = tmp_path / "export.csv"
    table.write_bytes(
        "\ufeffOrg Unit ID;Org Unit Name;Reports To (Unit ID);Effective Date\r\n"
        "20000;Acme;;2024-01-01\r\n"
        "20100;Finance;20000;2024-01-01\r\n"
        "20110;Payments;20999;2024-01-01\r\n"
        "20100;Finance again;20000;2024-01-01\r\n"
        "20300;Loop A;20301;2024-01-01\r\n"
        "20301;Loop B;20300;2024-01-01\r\n"
        "20400;Legal;20000;31/06/2024\r\n".encode()
    )
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "table", str(table), "-o", str(out), *HR_MAP[:8])
    assert code == 2
    assert err.splitlines() == [
        f"orgmodel: {table}: row 4: the parent of '20110', '20999', is not a unit on 2024-01-01; "
        "fix the parent, or add a row for '20999' on 2024-01-01",
        f"orgmodel: {table}: row 5: '20100' appears twice on 2024-01-01 (first at row 3); keep "
        "one row per unit per date",
        f"orgmodel: {table}: row 6: '20300' on 2024-01-01: parents form a cycle (20300 -> 20301 "
        "-> 20300); a unit cannot sit below itself",
        f"orgmodel: {table}: row 8: date '31/06/2024' cannot be read; write YYYY-MM-DD (an Excel "
        "date cell or serial number also works)",
        "orgmodel: 4 problems found",
    ]
    assert not out.exists()


def test_an_hr_export_with_its_own_spellings(tmp_path: Path, capsys) -> None:
    """A European Excel export: byte-order mark, ';', day-first dates, headers such as 'Unit
    ID', ids with capitals and spaces, kinds and statuses as people write them."""
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "table", str(TABLES / "hr-export.csv"), "-o", str(out))
    assert code == 0, err
    assert err.splitlines()[0] == (
        "ids are lower-case, with '-' for spaces and other signs: read 'ACME' as 'acme', 'LAB' "
        "as 'lab', 'Retail EU' as 'retail-eu' and 1 more"
    )
    history = orgmodel.load_history(out)
    assert history.dates == (dt.date(2023, 3, 31), dt.date(2023, 6, 30))
    first = history.at("2023-03-31")
    assert [(u.id, u.kind, u.parent, u.status) for u in first] == [
        ("acme", "holding", None, "active"),
        ("retail-eu", "business_unit", "acme", "active"),
        ("retail-us", "business_unit", "acme", "standalone"),
        ("lab", "function", "acme", "active"),
    ]
    assert events(history) == [
        ("2023-06-30", "moved", ("acme", "lab", "retail-eu")),
        ("2023-06-30", "removed", ("retail-us",)),
        ("2023-06-30", "renamed", ("retail-eu",)),
    ]
    code, _, err = run(capsys, "validate", str(out))
    assert code == 0, err


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    (snapshot,) = read_table([TABLES / "unicode-text.txt"]).snapshots
    assert [(u.id, u.name, u.parent) for u in snapshot.units] == [
        ("acme", "Acme Holdings", None),
        ("labs", "Labs – Zürich", "acme"),
    ]


def test_a_title_above_the_header_and_month_first_dates(tmp_path: Path, capsys) -> None:
    table = read_table([TABLES / "titled-us-dates.csv"])
    assert [(s.date.isoformat(), [u.id for u in s.units]) for s in table.snapshots] == [
        ("2023-03-31", ["acme", "labs"]),
        ("2023-06-30", ["acme", "labs", "ai"]),
    ]
    # Rows keep the numbers the spreadsheet gives them: the header is row 4.
    broken = tmp_path / "broken.csv"
    text = (TABLES / "titled-us-dates.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace("6/30/2023,ai,AI Lab,labs", "6/30/2023,ai,AI Lab,lab"))
    code, _, err = run(capsys, "import", "table", str(broken), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err == (
        f"orgmodel: {broken}: row 9: the parent of 'ai', 'lab', is not a unit on 2023-06-30 "
        "(did you mean 'labs'?); fix the parent, or add a row for 'lab' on 2023-06-30\n"
    )


def test_a_workbook_with_a_title_and_a_notes_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["Read me: the table is on the next sheet"])
    sheet = book.create_sheet("Org")
    sheet.append(["Acme organisation, 2024"])
    sheet.append([])
    sheet.append(["Effective", "Unit ID", "Unit Name", "Parent Unit"])
    sheet.append([dt.datetime(2024, 1, 1), "HQ", "Acme", None])
    sheet.append([dt.datetime(2024, 1, 1), "OPS", "Operations", "HQ"])
    book.save(tmp_path / "org.xlsx")
    (snapshot,) = read_table([tmp_path / "org.xlsx"], {"Effective": "date"}).snapshots
    assert (snapshot.date, [(u.id, u.parent) for u in snapshot.units]) == (
        dt.date(2024, 1, 1),
        [("hq", None), ("ops", "hq")],
    )


def test_a_workbook_with_a_table_on_each_sheet_is_refused(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for name in ("2024-01-01", "2024-07-01"):
        sheet = book.create_sheet(name)
        sheet.append(["id", "name", "parent"])
        sheet.append(["g", "Group", None])
    book.save(tmp_path / "org.xlsx")
    with pytest.raises(DataError) as caught:
        read_table([tmp_path / "org.xlsx"])
    assert str(caught.value) == (
        f"{tmp_path / 'org.xlsx'}: has a table on each of the sheets '2024-01-01', "
        "'2024-07-01'; keep them on one sheet (with a date column), or save each sheet as a "
        "file named by its date (2024-01-01.xlsx)"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "01/04/2024,g,G,\n01/04/2024,a,A,g\n02/04/2024,g,G,\n",
            "row 2: dates such as '01/04/2024' could be day first (1 April) or month first "
            "(January 4); write them as YYYY-MM-DD (also rows 3, 4)",
        ),
        (
            "31/03/2024,g,G,\n4/30/2024,g,G,\n",
            "row 2: the dates have the day first ('31/03/2024') and the month first "
            "('4/30/2024'); write them as YYYY-MM-DD (also row 3)",
        ),
        (
            "TBD,g,G,\nTBD,a,A,g\nTBD,b,B,g\nTBD,c,C,g\nTBD,d,D,g\nTBD,e,E,g\n",
            "row 2: date 'TBD' cannot be read; write YYYY-MM-DD (an Excel date cell or serial "
            "number also works) (also rows 3, 4, 5 and 2 more)",
        ),
    ],
)
def test_dates_that_cannot_be_told_give_one_line(
    tmp_path: Path, capsys, body: str, message: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("date,id,name,parent\n" + body)
    code, _, err = run(capsys, "import", "table", str(path), "-o", str(tmp_path / "out"))
    assert (code, err) == (2, f"orgmodel: {path}: {message}\n")
    assert not (tmp_path / "out").exists()


def test_a_file_saved_in_another_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("date,id,name,parent\n2024-01-01,g,Grüppe,\n".encode("cp1252"))
    with pytest.raises(DataError) as caught:
        read_table([path])
    assert str(caught.value) == (
        f"{path}: is not UTF-8 text (line 2 has byte 0xfc); save it as CSV UTF-8 (in Excel: "
        "Save As, 'CSV UTF-8') and try again"
    )


def test_a_missing_column_is_told_with_the_map_that_would_read_it(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        ["Unit ID", "Unit Name", "Reports To", "Effective"],
        [["g", "G", "", "2024-01-01"]],
    )
    with pytest.raises(DataError) as caught:
        read_table([path])
    assert str(caught.value) == (
        f"{path}: row 1: no column for date, parent; the columns are 'Unit ID', 'Unit Name', "
        "'Reports To', 'Effective': add them, or map yours, e.g. --map 'Effective=date' "
        "--map 'Reports To=parent'"
    )


def test_a_folder_of_tables_one_per_date(tmp_path: Path, capsys) -> None:
    tables = tmp_path / "exports"
    tables.mkdir()
    (tables / "2024-07-01.csv").write_text("id,name,parent\ng,Group,NULL\na,A2,g\n")
    (tables / "2024-01-01.csv").write_text("id,name,parent\ng,Group,#N/A\na,A,g\n")
    (tables / "readme.md").write_text("exported from the HR system")
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "table", str(tables), "-o", str(out))
    assert code == 0, err
    history = orgmodel.load_history(out)
    assert history.dates == (dt.date(2024, 1, 1), dt.date(2024, 7, 1))
    # Each file is its own source, so every record's sources change too.
    assert events(history) == [
        ("2024-07-01", "renamed", ("a",)),
        ("2024-07-01", "updated", ("a",)),
        ("2024-07-01", "updated", ("g",)),
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "import", "table", str(empty), "-o", str(out.with_name("o2")))
    assert (code, err) == (
        2,
        f"orgmodel: {empty}: is a folder with no table in it; give tables (.csv, .tsv, .tab, "
        ".txt, .parquet, .pq, .xlsx, .xlsm), or the folder that holds them\n",
    )


def test_a_parent_given_by_its_name_is_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("date,id,name,parent\n2024-01-01,g,Acme Group,\n2024-01-01,a,A,Acme Group\n")
    with pytest.raises(DataError) as caught:
        read_table([path])
    assert str(caught.value) == (
        f"{path}: row 3: the parent of 'a', 'acme-group', is not a unit on 2024-01-01, but the "
        "name of 'g' is; give parents by their id"
    )


def test_a_table_of_periods_as_hr_systems_export_them(tmp_path: Path, capsys) -> None:
    """Valid From / Valid To, day-first with dots, 31.12.9999 for 'not ended' (as SAP writes
    them): a snapshot on each day something starts, and on the day after something ends."""
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", "table", str(TABLES / "periods.csv"), "-o", str(out))
    assert code == 0, err
    assert err.splitlines()[0] == (
        "periods.csv: 'Valid To' is read as the last day each row holds, so a change is dated "
        "the day after it"
    )
    history = orgmodel.load_history(out)
    assert [(d.isoformat(), list(history.at(d).units)) for d in history.dates] == [
        ("2020-01-01", ["50000001", "50000002", "50000004"]),
        ("2021-01-01", ["50000001", "50000002", "50000004", "50000005"]),
        ("2022-07-01", ["50000001", "50000003", "50000004", "50000005"]),
    ]
    assert events(history) == [
        ("2021-01-01", "added", ("50000005",)),
        ("2022-07-01", "added", ("50000003",)),
        ("2022-07-01", "removed", ("50000002",)),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,name,parent,start,end\ng,G,,2024-01-01,2023-12-31\n",
            "row 2: the period ends (2023-12-31) before it starts (2024-01-01); fix the dates",
        ),
        (
            "id,name,parent,start,end\ng,G,,2024-01-01,soon\n",
            "row 2: end date 'soon' cannot be read; write YYYY-MM-DD",
        ),
        (
            "date,id,name,parent,valid from\n2024-01-01,g,G,,2024-01-01\n",
            "row 1: columns 'date' and 'valid from' give both a date and a period; keep one",
        ),
        (
            "id,name,parent,Start Date\ng,G,,2024-01-01\n",
            "row 1: column 'Start Date' starts periods that nothing ends; if it is the date of "
            "each row's snapshot, map it with --map 'Start Date=date', else add an end column",
        ),
        (
            "date,id,name,parent,valid to\n2024-01-01,g,G,,2024-01-01\n",
            "row 1: column 'valid to' ends periods that nothing starts; add a start column",
        ),
    ],
)
def test_periods_that_cannot_be_read(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(DataError) as caught:
        read_table([path])
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_table_whose_periods_all_end_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,name,parent,start,end\ng,G,,2024-01-01,2024-06-30\n")
    table = read_table([path])
    assert [s.date for s in table.snapshots] == [dt.date(2024, 1, 1)]
    assert table.notes[-1] == (
        "t.csv: no row holds after 2024-06-30; its last snapshot is shown as still in force"
    )


def test_ids_that_differ_only_in_how_they_are_written_are_told(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "date,id,name,parent\n2024-01-01,HQ,Group,\n2024-01-01,Sales Dept,Sales,HQ\n"
        "2024-07-01,hq,Group,\n2024-07-01,sales-dept,Sales,hq\n"
    )
    table = read_table([path])
    assert [[u.id for u in s.units] for s in table.snapshots] == [["hq", "sales-dept"]] * 2
    assert table.notes == [
        "ids are lower-case, with '-' for spaces and other signs: read 'HQ' as 'hq', 'Sales "
        "Dept' as 'sales-dept'",
        "'HQ' and 'hq' are read as one id, 'hq': one unit",
        "'Sales Dept' and 'sales-dept' are read as one id, 'sales-dept': one unit",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "t.csv",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe",
            "is an Excel workbook (or another zip file), not text; name it .xlsx",
        ),
        (
            "t.csv",
            b"date,id,name,parent\n2024-01-01,g,\x9e\x00\x00,\n",
            "is not UTF-8 text (line 2 has byte 0x9e)",
        ),
        ("t.xlsx", b"", "cannot be read as an Excel workbook (File is not a zip file)"),
    ],
)
def test_files_that_are_not_what_their_name_says(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_table([path])
    assert str(caught.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_mark_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("date\tid\tname\tparent\r\n2024-01-01\tg\tGrüppe\t\r\n".encode(encoding))
    (snapshot,) = read_table([path]).snapshots
    assert [(u.id, u.name) for u in snapshot.units] == [("g", "Grüppe")]
