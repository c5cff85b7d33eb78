"""Reading long tables: one row per unit per date, from CSV, TSV, Parquet or Excel.

This is how most organisations arrive: a spreadsheet or an HR export with a row for each unit
and a column naming its parent. A long table holds every date in one file (a ``date`` column),
or one file per date (then the date may instead be the file's name, ``2023-01-01.csv``).

Columns are matched by header, ignoring case, spaces and punctuation and a leading ``Unit`` or
``Org`` (``Unit ID``, ``Parent Unit``; see :mod:`orgmodel.tablecells`, which also says how
dates, ids and words written in other ways are read):

=========== ======== ===================================================================
column      needed   what it holds
=========== ======== ===================================================================
date        yes      the snapshot date: YYYY-MM-DD, an Excel date cell or serial number,
                     or day/month/year in the one order the column allows
start, end  instead  a period instead of a date, as HR systems give one (``Valid From``,
            of date  ``Valid To``): from the start to the end, the last day the row holds
                     (empty, or 9999-12-31: not ended); a snapshot is made on each day
                     a period starts, and on the day after one ends
id          yes      the unit's id (lower-case letters, digits, ``.``, ``_``, ``-``; other
                     ids are made so: ``Sales Dept`` is read as ``sales-dept``)
name        yes      the unit's name in English
parent      yes      the parent's id; empty for the one root
kind        no       what sort of unit it is (default ``unit``)
status      no       ``active`` (default), ``standalone``, ``listed``, ``affiliate``
plan        no       what has been announced and not done, e.g. ``ipo_planned``
name_zh     no       the name in Chinese
leaders     no       ``Name (Role)``, several separated by ``;``
lineage     no       the ids the unit was formed from, separated by ``;``
source      no       where the row comes from (a URL or a citation), several by ``;``
confidence  no       ``confirmed``, ``single-source`` or ``unconfirmed``
note        no       a sentence on anything a reader should know
=========== ======== ===================================================================

Other headers are mapped with ``column_map`` (``{"Org Unit": "name"}``); columns that are
neither known nor mapped are ignored and listed in :attr:`Table.ignored`, except one that looks
like a misspelt known column, which is an error. The header is the first row naming two fields
or more, so a title above it is skipped; in a workbook, the table is on the one sheet that has
such a header. Rows are numbered as a spreadsheet numbers them. Every problem of every row is
collected and raised as one :class:`~orgmodel.errors.DataError`, one line each, naming the
file, the row and the fix.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "org.csv"
>>> _ = path.write_text("date,id,name,parent\\n2024-01-01,g,Group,\\n2024-01-01,a,A,g\\n")
>>> table = read_table([path])
>>> [(s.date.isoformat(), [u.id for u in s.units]) for s in table.snapshots]
[('2024-01-01', ['g', 'a'])]
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import hashlib
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from orgmodel.errors import DataError, Problem
from orgmodel.history import History
from orgmodel.model import Bibliography, SnapshotFile, Source, Unit, quick_validator
from orgmodel.progress import task, track
from orgmodel.records import check_columns
from orgmodel.snapshot import Snapshot, structure_problems, written_parents_first
from orgmodel.tablecells import (
    COLUMNS,
    as_choice,
    as_kind,
    as_unit_id,
    header_field,
    normal_header,
    parse_cell_date,
    read_dates,
)

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "TABLE_SUFFIXES",
    "Table",
    "parse_cell_date",
    "read_table",
    "read_table_history",
]

REQUIRED = ("date", "id", "name", "parent")
TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
TABLE_SUFFIXES = (*TEXT_SUFFIXES, ".parquet", ".pq", ".xlsx", ".xlsm")
DEFAULT_KIND = "unit"
_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Table:
    """What a long table holds: its snapshots, a bibliography naming the files, and the columns
    that were ignored."""

    snapshots: list[SnapshotFile]
    bibliography: Bibliography
    ignored: list[str] = field(default_factory=list)
    #: What the reader should know about how the table was read.
    notes: list[str] = field(default_factory=list)


def _renamed_note(renamed: Mapping[str, str], shown: int = 3) -> list[str]:
    """A note on the ids written otherwise than unit ids are, with a few examples; and one on
    each id that several spellings became (``HQ`` and ``hq``), which are read as one unit."""
    pairs = sorted((old, new) for old, new in renamed.items() if old != new)
    if not pairs:
        return []
    examples = ", ".join(f"'{old}' as '{new}'" for old, new in pairs[:shown])
    more = f" and {len(pairs) - shown} more" if len(pairs) > shown else ""
    notes = [f"ids are lower-case, with '-' for spaces and other signs: read {examples}{more}"]
    spellings: dict[str, list[str]] = {}
    for old, new in sorted(renamed.items()):
        spellings.setdefault(new, []).append(old)
    for new, olds in sorted(spellings.items()):
        if len(olds) > 1:
            written = " and ".join(f"'{old}'" for old in olds)
            notes.append(f"{written} are read as one id, '{new}': one unit")
    return notes


class _Raw(NamedTuple):
    """A table as read: its header, the spreadsheet number of each row that is not blank, and
    its cells column by column (``columns[i][j]`` is the cell of header ``i`` in row ``j``):
    each a list, or the column as pyarrow read it (see :func:`_cells`, :func:`_values`)."""

    header: list[str]
    numbers: list[int]
    columns: list[Any]
    #: The number of the header's row: 1, unless rows above it hold a title or notes.
    header_row: int = 1


def _by_column(
    header: list[str], rows: Sequence[tuple[int, Sequence[Any]]], header_row: int = 1
) -> _Raw:
    """Rows turned into columns, a short row's missing cells being empty."""
    numbers = [number for number, _ in rows]
    columns = [list(column) for column in itertools.zip_longest(*(v for _, v in rows))]
    columns = columns[: len(header)]
    columns += [[None] * len(rows) for _ in range(len(header) - len(columns))]
    return _Raw(header, numbers, columns, header_row)


def _header_at(
    rows: Sequence[tuple[int, Sequence[Any]]], column_map: Mapping[str, str]
) -> int | None:
    """Which of the first rows is the header: the first that names two fields or more (rows
    above it hold a title or notes); None when none does."""
    mapped = {normal_header(k): v for k, v in column_map.items()}
    for index, (_, values) in enumerate(rows[:20]):
        keys = {normal_header(str(v)) for v in values if v is not None}
        if sum(header_field(key, mapped) is not None for key in keys) >= 2:
            return index
    return None


def _fail(path: Path, message: str) -> DataError:
    return DataError([Problem(path, None, message)])


def _read_text(path: Path, column_map: Mapping[str, str]) -> _Raw:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror}") from None
    text = _decoded(path, data)
    # The first lines tell the delimiter and where the header is (a title may come first).
    lines = text[:65536].splitlines()[:20]
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else _delimiter(lines)
    first = list(csv.reader(lines, delimiter=delimiter))
    at = _header_at(list(enumerate(first, 1)), column_map) or 0
    if at:  # a title above the header: read as rows
        return _read_text_rows(text, delimiter, path.name, at) or _no_header(path)
    with task(f"Reading {path.name}", 1) as advance:
        quick = _read_text_columnar(text, delimiter)
        advance(1)
    return quick or _read_text_rows(text, delimiter, path.name) or _no_header(path)


def _delimiter(lines: list[str]) -> str:
    """The delimiter that the first lines use most on a line: ',', ';' (as Excel writes CSV
    where the decimal sign is a comma) or a tab."""
    return max((",", ";", "\t"), key=lambda d: max((line.count(d) for line in lines), default=0))


def _no_header(path: Path) -> _Raw:
    raise _fail(path, "is empty; give a table with a header row (date, id, name, parent)")


def _decoded(path: Path, data: bytes) -> str:
    """A text table's bytes as text: UTF-8 (the byte-order mark spreadsheets put first dropped),
    or UTF-16, as Excel saves "Unicode Text" (with its mark, or told by the zero bytes that
    every other byte of Latin text is in it)."""
    sample = data[:200]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if max(odd, even) > len(sample) // 4 and min(odd, even) == 0:
            return data.decode("utf-16-le" if odd else "utf-16-be")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(b"PK\x03\x04"):
            raise _fail(
                path, "is an Excel workbook (or another zip file), not text; name it .xlsx"
            ) from None
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(
            path,
            f"is not UTF-8 text (line {line} has byte 0x{data[exc.start]:02x}); save it as CSV "
            "UTF-8 (in Excel: Save As, 'CSV UTF-8') and try again",
        ) from None


def _read_text_rows(text: str, delimiter: str, name: str, skip: int = 0) -> _Raw | None:
    """CSV text read row by row with Python's csv module, from its header, which follows
    ``skip`` rows; None when it has no header."""
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    for _ in range(skip):
        next(reader, None)
    header = next(reader, None)
    if header is None:
        return None
    lines = track(reader, f"Reading {name}", text.count("\n"))
    rows = [(n, values) for n, values in enumerate(lines, skip + 2) if "".join(values).strip()]
    return _by_column(header, rows, skip + 1)


#: Where Python's ``str.splitlines`` (which the reader of CSV text goes by) breaks a line and
#: pyarrow's CSV reader does not (besides a lone "\r"), and the one space character of
#: Python's that is also a control.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def _other_breaks(text: str) -> bool:
    """Whether the text breaks a line where only Python does: searched character by character,
    each search a fast scan, several times faster than one regular expression."""
    return text.count("\r") != text.count("\r\n") or any(map(text.__contains__, _OTHER_BREAKS))


#: Every character ``str.isspace`` says is a space, which ``str.strip`` removes: what pyarrow's
#: ``utf8_trim`` is told to remove, so that it strips a cell exactly as Python does.
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _read_text_columnar(text: str, delimiter: str) -> _Raw | None:
    """What the reader of CSV text reads (with Python's csv module), read by pyarrow's CSV
    reader, column by column in C++; None where the two could differ, and the Python reader
    must be used: pyarrow missing, a header the two read otherwise, a line break Python's
    reader knows and pyarrow's does not, a quoted line break, a blank row, a row of another
    length than the header."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv
    except ImportError:
        return None
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first or _other_breaks(text):
        return None
    header = next(csv.reader([first], delimiter=delimiter))
    names = [f"c{i}" for i in range(len(header))]
    try:
        # The header is read as a row, to be compared with the Python reader's.
        table = pcsv.read_csv(
            pa.py_buffer(text.encode()),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows < 2 or list(table.slice(0, 1).to_pylist()[0].values()) != header:
        return None
    columns = table.slice(1).columns
    broken = [
        pc.any(pc.or_(pc.match_substring(c, "\r"), pc.match_substring(c, "\n"))) for c in columns
    ]
    blank = functools.reduce(
        pc.and_, (pc.equal(pc.utf8_trim(c, characters=_SPACES), "") for c in columns)
    )
    if any(b.as_py() for b in broken) or pc.any(blank).as_py():
        return None
    size = table.num_rows - 1
    return _Raw(header, list(range(2, size + 2)), list(columns))


def _read_parquet(path: Path) -> _Raw:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise _fail(path, "reading Parquet needs pyarrow: pip install pyarrow") from None
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise _fail(path, f"cannot be read as Parquet ({exc})") from None
    size = table.num_rows
    return _Raw(table.column_names, list(range(2, size + 2)), table.columns)


def _read_excel(path: Path, column_map: Mapping[str, str]) -> _Raw:
    try:
        import openpyxl
    except ImportError:
        raise _fail(path, "reading Excel files needs openpyxl: pip install openpyxl") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _fail(path, f"cannot be read as an Excel workbook ({exc})") from None
    except Exception as exc:  # openpyxl's own errors (InvalidFileException) have no common root
        if type(exc).__module__.startswith("openpyxl"):
            raise _fail(path, f"cannot be read as an Excel workbook ({exc})") from None
        raise
    tables = [_sheet_rows(sheet, column_map) for sheet in book.worksheets]
    book.close()
    found = [(name, at, rows) for name, at, rows in tables if at is not None]
    if len(found) > 1:
        names = ", ".join(f"'{name}'" for name, _, _ in found)
        raise _fail(
            path,
            f"has a table on each of the sheets {names}; keep them on one sheet (with a date "
            "column), or save each sheet as a file named by its date (2024-01-01.xlsx)",
        )
    _, at, rows = found[0] if found else ("", 0, tables[0][2] if tables else [])
    if not rows:
        raise _fail(path, "has no rows on any sheet; give a table with a header row")
    at = at or 0
    header = ["" if v is None else str(v) for v in rows[at][1]]
    return _by_column(header, rows[at + 1 :], rows[at][0])


def _sheet_rows(
    sheet: Any, column_map: Mapping[str, str]
) -> tuple[str, int | None, list[tuple[int, Sequence[Any]]]]:
    """A sheet's name, which of its rows is the header (None if none names the fields), and
    its rows that are not blank, each with its number."""
    rows = [
        (number, values)
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        if any(v is not None and str(v).strip() for v in values)
    ]
    return str(sheet.title), _header_at(rows, column_map), rows


def _read_raw(path: Path, column_map: Mapping[str, str]) -> _Raw:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, column_map)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, column_map)
    raise _fail(
        path,
        f"'{path.suffix or '(no suffix)'}' is not a table format orgmodel reads; "
        "use .csv, .tsv, .parquet or .xlsx",
    )


def _columns(
    raw: _Raw, column_map: Mapping[str, str], path: Path, dated: bool
) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field; and the headers ignored."""
    header, at = raw.header, raw.header_row
    _check_map(header, column_map, path, at)
    mapped = {normal_header(k): v for k, v in column_map.items()}
    found: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, title in enumerate(header):
        key = normal_header(str(title))
        target = header_field(key, mapped)
        if target is None:
            close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.8)
            if close:
                problems.append(
                    Problem(
                        path,
                        None,
                        f"column '{title}' is not known (did you mean '{close[0]}'?); "
                        f"rename it, or map it with --map '{title}={close[0]}'",
                        row=at,
                    )
                )
            elif key:
                ignored.append(str(title))
        elif target in found:
            first = header[found[target]]
            problems.append(
                Problem(
                    path,
                    None,
                    f"columns '{first}' and '{title}' both hold '{target}'; keep one, or map "
                    f"the other with --map '{title}=FIELD'",
                    row=at,
                )
            )
        else:
            found[target] = index
    problems += _period_problems(path, header, found, at)
    dated = dated or "start" in found
    needed = [c for c in REQUIRED if c not in found and not (c == "date" and dated)]
    if needed:
        problems.append(_missing(path, raw, needed, column_map, found))
    if problems:
        raise DataError(problems)
    return found, ignored


def _period_problems(
    path: Path, header: Sequence[str], found: Mapping[str, int], at: int
) -> list[Problem]:
    """What is wrong with the columns of a table of periods (see :func:`_over_periods`)."""
    problems: list[Problem] = []
    if "date" in found and "start" in found:
        problems.append(
            Problem(
                path,
                None,
                f"columns '{header[found['date']]}' and '{header[found['start']]}' give both a "
                "date and a period; keep one",
                row=at,
            )
        )
    if "start" in found and "end" not in found and "date" not in found:
        title = header[found["start"]]
        problems.append(
            Problem(
                path,
                None,
                f"column '{title}' starts periods that nothing ends; if it is the date of each "
                f"row's snapshot, map it with --map '{title}=date', else add an end column",
                row=at,
            )
        )
    if "end" in found and "start" not in found:
        problems.append(
            Problem(
                path,
                None,
                f"column '{header[found['end']]}' ends periods that nothing starts; add a start "
                "column, or map one with --map 'Header=start'",
                row=at,
            )
        )
    return problems


#: Words in a header that suggest which needed field it may hold, for the hint.
_HINTS = {
    "date": ("date", "datum", "effective", "as_of", "day"),
    "id": ("id", "code", "number", "key"),
    "name": ("name", "title", "label"),
    "parent": ("parent", "reports", "superior", "upper", "owner"),
}


def _missing(
    path: Path,
    raw: _Raw,
    needed: list[str],
    column_map: Mapping[str, str],
    found: Mapping[str, int],
) -> Problem:
    """The problem of a table without a needed column, with the headers it has and the
    ``--map`` that would read one of them as the field, where a header suggests one."""
    header = raw.header
    columns = ", ".join(repr(str(t)) for t in header if str(t).strip()) or "none"
    maps = _suggested_maps(header, needed, set(found.values()))
    how = f"e.g. {' '.join(maps)}" if maps else f"with --map 'Header={needed[0]}'"
    unmatched = [f"'{k}'" for k, v in column_map.items() if v in needed]
    if unmatched:
        verb = "is" if len(unmatched) == 1 else "are"
        why = f"{', '.join(unmatched)} {verb} not a column here; the columns are {columns}"
        fix = f"map one of them, {how}"
    else:
        why = f"the columns are {columns}"
        fix = f"add {'it' if len(needed) == 1 else 'them'}, or map yours, {how}"
    message = f"no column for {', '.join(needed)}; {why}: {fix}"
    return Problem(path, None, message, row=raw.header_row)


def _suggested_maps(header: Sequence[str], needed: list[str], taken: set[int]) -> list[str]:
    """A ``--map`` for each needed field a header not yet read suggests (``Start date``)."""
    maps = []
    for field_name in needed:
        for index, title in enumerate(header):
            words = normal_header(str(title)).split("_")
            if index not in taken and any(w in words for w in _HINTS[field_name]):
                maps.append(f"--map '{title}={field_name}'")
                taken.add(index)
                break
    return maps


def _check_map(header: Sequence[str], column_map: Mapping[str, str], path: Path, at: int) -> None:
    """Refuse a ``--map`` entry that names a field the table has not, or that is written the
    wrong way round. (A header missing from this file may be in another file of the import.)"""
    headers = {normal_header(str(title)): str(title) for title in header}
    problems: list[str] = []
    for title, target in column_map.items():
        pair = f"--map '{title}={target}'"
        if normal_header(title) not in headers and normal_header(target) in headers:
            given = headers[normal_header(target)]
            problems.append(
                f"{pair} is the wrong way round: write --map '{given}={title}' "
                "(the file's header, then the field)"
            )
        elif target not in COLUMNS:
            close = difflib.get_close_matches(target, COLUMNS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                f"{pair}: '{target}' is not a field{hint}; the fields are {', '.join(COLUMNS)}"
            )
    if problems:
        raise DataError([Problem(path, None, message, row=at) for message in problems])


def _text(value: Any) -> str | None:
    """A cell as text: None for an empty cell, whole numbers without their '.0'."""
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


_LEADER = re.compile(r"^(.+?)\s*\((.+)\)$")


def _leaders(text: str) -> list[dict[str, str]] | str:
    """``Name (Role); Name (Role)`` as leader records, or the message for a bad entry."""
    leaders = []
    for part in _split(text):
        match = _LEADER.match(part)
        if match is None:
            return (
                f"leader '{part}' has no role; write leaders as 'Name (Role)', "
                "several separated by ';'"
            )
        leaders.append({"name": match.group(1), "role": match.group(2)})
    return leaders


class _Sources:
    """The bibliography being built: one source per file, one per distinct ``source`` cell."""

    def __init__(self) -> None:
        self.entries: dict[str, Source] = {}
        self._by_text: dict[str, str] = {}

    def for_file(self, path: Path) -> str:
        content = path.read_bytes() if path.is_file() else b""
        key = "table-" + re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.")[:80]
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
        self.entries[key] = Source.model_validate(
            {
                "title": path.name,
                "publisher": "the table's own author (imported file)",
                "date": modified.isoformat(),
                "note": f"Imported from {path} (sha256 "
                f"{hashlib.sha256(content).hexdigest()[:16]}); the date is the file's last change.",
            }
        )
        return key

    def for_cell(self, text: str, path: Path, date: dt.date) -> str:
        key = self._by_text.get(text)
        if key is None:
            key = f"source-{len(self._by_text) + 1}"
            self._by_text[text] = key
            url = text if re.match(r"https?://", text) else None
            host = re.sub(r"^https?://([^/]+).*$", r"\1", text) if url else None
            self.entries[key] = Source.model_validate(
                {
                    "title": text,
                    "publisher": host or f"cited in {path.name}",
                    "date": date.isoformat(),
                    "url": url,
                    "note": f"Named in the source column of {path.name}, which gives no "
                    "publication date: the date is that of the first row citing it.",
                }
            )
        return key


_SPECIAL = frozenset({"date", "start", "end", "leaders", "lineage", "source"})
_CHUNK = 10_000  # rows between two steps of the progress bar


def _values(column: Any) -> list[Any]:
    """A column's cells as Python values (a column pyarrow read, turned into a list)."""
    return column if isinstance(column, list) else list(column.to_pylist())


def _cells(column: Any) -> list[str | None]:
    """A column's cells as text (see :func:`_text`). A column of text pyarrow read is cleaned
    there when no cell has a space to strip: its empty cells made None, the rest kept as they
    are, as :func:`_clean` would; any other column is cleaned by :func:`_clean`."""
    if isinstance(column, list):
        return _clean(column)
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return _clean(_values(column))
    if not pc.all(pc.equal(pc.utf8_trim(column, characters=_SPACES), column)).as_py():
        return _clean(_values(column))
    empty = pc.equal(column, "")
    if pc.any(empty).as_py():
        column = pc.if_else(empty, pa.scalar(None, kind), column)
    return _values(column)


def _clean(column: list[Any]) -> list[str | None]:
    """A column's cells as text (see :func:`_text`): for a column of text with few empty cells,
    in a few passes that run in C."""
    kinds = set(map(type, column))
    if not kinds <= {str, type(None)}:
        return list(map(_text, column))
    gaps = _nones(column) if type(None) in kinds else []
    if len(gaps) > len(column) // 8:
        return [(value.strip() or None) if value else None for value in column]
    text = column.copy() if gaps else column
    for index in gaps:
        text[index] = ""
    cleaned: list[str | None] = list(map(str.strip, text))
    return [value or None for value in cleaned] if "" in cleaned else cleaned


def _nones(column: list[Any]) -> list[int]:
    """Where a column has None, found by the list's own search."""
    found: list[int] = []
    at = -1
    for _ in range(column.count(None)):
        at = column.index(None, at + 1)
        found.append(at)
    return found


def _row_dates(
    path: Path, raw: _Raw, at: int | None, file_date: dt.date | None
) -> tuple[list[dt.date | None], list[Problem]]:
    """The date of every row, each distinct cell read once; and the rows whose date is bad."""
    if at is None:
        return [file_date] * len(raw.numbers), []
    column = raw.columns[at]
    only = None if isinstance(column, list) else _only_date(column)
    if only is not None:
        return [only] * len(raw.numbers), []
    cells = _values(column)
    parsed = read_dates(cells)
    dates = [None if isinstance(d, str) else d for d in map(parsed.__getitem__, cells)]
    rows: dict[str, list[int]] = {}
    for number, cell, date in zip(raw.numbers, cells, dates, strict=True):
        if date is None:
            rows.setdefault(parsed[cell], []).append(number)  # type: ignore[arg-type]
    return dates, [Problem(path, None, m + _more(n), row=n[0]) for m, n in rows.items()]


def _more(numbers: list[int]) -> str:
    """The other rows a problem is found on, told after the first one."""
    if len(numbers) == 1:
        return ""
    shown = ", ".join(map(str, numbers[1:4]))
    rest = f" and {len(numbers) - 4} more" if len(numbers) > 4 else ""
    return f" (also row{'s' if len(numbers) > 2 else ''} {shown}{rest})"


def _only_date(column: Any) -> dt.date | None:
    """The date of every cell of a column pyarrow read, if they all hold one good date: told
    from the column's distinct cells, without turning the column into Python values."""
    distinct = column.unique().to_pylist()
    return parse_cell_date(distinct[0]) if len(distinct) == 1 and distinct[0] else None


def _special(
    name: str, cells: list[str | None], cite: Callable[[str, int], list[str]]
) -> tuple[list[Any], dict[int, str]]:
    """A column of leaders, lineage or sources as unit fields; and the rows it cannot read."""
    values: list[Any] = [None] * len(cells)
    bad: dict[int, str] = {}
    for index, text in enumerate(cells):
        if text is None:
            continue
        if name == "leaders":
            leaders = _leaders(text)
            if isinstance(leaders, str):
                bad[index] = leaders
            else:
                values[index] = leaders
        elif name == "lineage":
            values[index] = _split(text)
        else:
            values[index] = cite(text, index)
    return values, bad


@dataclass
class _Rows:
    """Rows of one or more files, in parallel lists: each row's file, spreadsheet number, date
    and the fields of its unit."""

    paths: list[Path] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: _Rows) -> None:
        self.paths += other.paths
        self.numbers += other.numbers
        self.dates += other.dates
        self.data += other.data


def _file_rows(
    path: Path,
    column_map: Mapping[str, str],
    sources: _Sources,
    renamed: dict[str, str],
    notes: list[str],
    raw: _Raw | None = None,
) -> tuple[_Rows, list[str], list[Problem]]:
    """The rows of one file (``raw``, when it has been read already), its ignored columns, and
    the problems of rows that cannot be read; ``renamed`` gathers the ids written otherwise
    than unit ids are (see :func:`_as_written`), ``notes`` what the reader should know about
    how the rows were read."""
    stem = _FILE_DATE.match(path.stem)
    raw = raw or _read_raw(path, column_map)
    columns, ignored = _columns(raw, column_map, path, stem is not None)
    key = sources.for_file(path)
    file_date = parse_cell_date(stem.group(1)) if stem else None
    periods = "start" in columns
    dates, problems = _row_dates(path, raw, columns.get("start" if periods else "date"), file_date)
    ends, bad = _end_dates(path, raw, columns.get("end")) if periods else ({}, {})

    def cite(text: str, index: int) -> list[str]:
        date = dates[index]
        if date is None:
            return [key]  # the row is left out, its date being bad
        return [key, *(sources.for_cell(part, path, date) for part in _split(text))]

    plain = [
        (n, _as_written(n, _cells(raw.columns[i]), renamed))
        for n, i in columns.items()
        if n not in _SPECIAL
    ]
    special: list[tuple[str, list[Any]]] = []
    for name, at in columns.items():
        if name in _SPECIAL and name not in ("date", "start", "end"):
            cells = _cells(raw.columns[at])
            if name == "lineage":
                cells = [None if c is None else ";".join(map(as_unit_id, _split(c))) for c in cells]
            values, wrong = _special(name, cells, cite)
            special.append(("sources" if name == "source" else name, values))
            bad.update(wrong)
    if periods:
        bad.update(_backwards(dates, ends, raw.numbers))
    problems += [Problem(path, None, bad[i], row=raw.numbers[i]) for i in sorted(bad)]
    rows = _rows_of(path, raw.numbers, dates, plain, special, bad, [key])
    if periods:
        rows = _over_periods(rows, ends)
        notes.extend(_period_notes(path, raw, columns, rows, ends))
    if not rows.numbers and not problems:
        problems.append(Problem(path, None, "has a header but no rows; add a row for each unit"))
    return rows, ignored, problems


#: Ends that mean "not ended": the far future HR systems write (SAP 9999-12-31, Oracle
#: 4712-12-31).
_OPEN_END = dt.date(4712, 12, 31)


def _end_dates(
    path: Path, raw: _Raw, at: int | None
) -> tuple[dict[int, dt.date | None], dict[int, str]]:
    """The last day of each row's period, by row number (None: it has not ended), read from
    the end column; and the rows (by place) whose end cannot be read."""
    if at is None:
        return dict.fromkeys(raw.numbers), {}
    cells = _values(raw.columns[at])
    parsed = read_dates(c for c in cells if _text(c) is not None)
    ends: dict[int, dt.date | None] = {}
    bad: dict[int, str] = {}
    for index, (number, cell) in enumerate(zip(raw.numbers, cells, strict=True)):
        end = None if _text(cell) is None else parsed[cell]
        if isinstance(end, str):
            bad[index] = "end " + end
        else:
            ends[number] = None if end is not None and end >= _OPEN_END else end
    return ends, bad


def _backwards(
    starts: Sequence[dt.date | None], ends: Mapping[int, dt.date | None], numbers: Sequence[int]
) -> dict[int, str]:
    """The rows (by place) whose period ends before it starts."""
    found = {}
    for index, (start, number) in enumerate(zip(starts, numbers, strict=True)):
        end = ends.get(number)
        if start is not None and end is not None and end < start:
            found[index] = f"the period ends ({end}) before it starts ({start}); fix the dates"
    return found


def _period_notes(
    path: Path, raw: _Raw, columns: Mapping[str, int], rows: _Rows, ends: Mapping[int, Any]
) -> list[str]:
    """How a table of periods was read, and where its rows stop."""
    notes = []
    if "end" in columns:
        title = raw.header[columns["end"]]
        notes.append(
            f"{path.name}: '{title}' is read as the last day each row holds, so a change is "
            "dated the day after it"
        )
    if rows.numbers and all(end is not None for end in ends.values()):
        last = max(end for end in ends.values() if end is not None)
        notes.append(
            f"{path.name}: no row holds after {last}; its last snapshot is shown as still in force"
        )
    return notes


def _over_periods(rows: _Rows, ends: Mapping[int, dt.date | None]) -> _Rows:
    """Rows that each hold over a period (from its start, the row's date, to its last day) as
    rows of the dates on which something starts or ends: on each, the rows then in force, in
    the order of the table (a sweep over the days, so the work grows with what is written)."""
    one_day = dt.timedelta(days=1)
    last = [ends.get(number) for number in rows.numbers]
    days = sorted({*rows.dates, *(end + one_day for end in last if end is not None)})
    starting = sorted(range(len(rows.dates)), key=rows.dates.__getitem__)
    active: set[int] = set()
    at = 0
    found = _Rows()
    for day in days:
        while at < len(starting) and rows.dates[starting[at]] <= day:
            active.add(starting[at])
            at += 1
        active = {i for i in active if last[i] is None or day <= last[i]}  # type: ignore[operator]
        held = sorted(active)
        found.paths += [rows.paths[i] for i in held]
        found.numbers += [rows.numbers[i] for i in held]
        found.dates += [day] * len(held)
        found.data += [rows.data[i] for i in held]
    return found


#: How a column's cells are read as the words the format uses (the identity on those words).
_WORDS: dict[str, Callable[[str], str]] = {
    "id": as_unit_id,
    "parent": as_unit_id,
    "kind": as_kind,
    "status": as_choice,
    "plan": as_choice,
    "confidence": as_choice,
}


#: What database and spreadsheet exports write in an empty cell (``NULL``, ``#N/A``): for a
#: parent, the root's, no parent.
_EMPTY_WORDS = frozenset({"null", "none", "nan", "#n/a", "n/a"})


def _as_written(name: str, cells: list[str | None], renamed: dict[str, str]) -> list[str | None]:
    """A column's cells as the format's words (``HQ`` as the id ``hq``, ``Division`` as the
    kind ``division``), each distinct cell converted once; the ids changed go in ``renamed``."""
    convert = _WORDS.get(name)
    if convert is None:
        return cells
    distinct = set(cells)
    changed: dict[str | None, str | None] = {}
    if name == "parent":
        changed.update((c, None) for c in distinct if c is not None and c.lower() in _EMPTY_WORDS)
    changed.update(
        (c, new)
        for c in distinct
        if c is not None and c not in changed and (new := convert(c)) != c
    )
    if not changed:
        return cells
    if convert is as_unit_id:
        renamed.update((c, new) for c, new in changed.items() if c and new)
        # An id written as it is, that another spelling becomes too: kept as itself, to say so.
        renamed.update((new, new) for new in changed.values() if new and new in distinct)
    return [changed.get(c, c) if c is not None else None for c in cells]


def _rows_of(
    path: Path,
    numbers: list[int],
    dates: list[dt.date | None],
    plain: list[tuple[str, list[str | None]]],
    special: list[tuple[str, list[Any]]],
    bad: Mapping[int, str],
    file_sources: list[str],
) -> _Rows:
    """The unit fields of each good row (a row with a bad date or cell is left out)."""
    columns: list[tuple[str, list[Any]]] = [("kind", [DEFAULT_KIND] * len(numbers))]
    columns += [*plain, *special]
    if not any(name == "sources" for name, _ in special):
        columns.append(("sources", [file_sources] * len(numbers)))
    names = [name for name, _ in columns]
    # A row without a source cell cites the file alone.
    cells = [
        [file_sources if v is None else v for v in column] if name == "sources" else column
        for name, column in columns
    ]
    data: list[dict[str, Any]] = []
    with task(f"Reading the rows of {path.name}", len(numbers)) as advance:
        for start in range(0, len(numbers), _CHUNK):
            chunk = zip(*(column[start : start + _CHUNK] for column in cells), strict=True)
            data += [
                {k: v for k, v in zip(names, values, strict=True) if v is not None}
                for values in chunk
            ]
            advance(_CHUNK)
    keep = [i for i, date in enumerate(dates) if date is not None and i not in bad]
    if len(keep) == len(numbers):
        return _Rows([path] * len(numbers), numbers, dates, data)  # type: ignore[arg-type]
    return _Rows(
        [path] * len(keep),
        [numbers[i] for i in keep],
        [dates[i] for i in keep],  # type: ignore[misc]
        [data[i] for i in keep],
    )


def _field_message(error: Any) -> str:
    loc = [p for p in error["loc"] if isinstance(p, str)]
    name = loc[0] if loc else "value"
    name = "source" if name == "sources" else name
    value = error.get("input")
    kind = error["type"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{name} '{value}' is not allowed; use one of {expected}"
    if kind == "string_pattern_mismatch" and name in ("id", "parent", "lineage"):
        return (
            f"{name} '{value}' is not a unit id; use lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if kind == "string_pattern_mismatch" and name == "kind":
        return f"kind '{value}' is not a kind; use lower-case letters, digits and '_'"
    if name == "status" and "is a plan, not a status" in str(error["msg"]):
        return (
            f"status '{value}' is a plan, not a status: put it in the plan column, and write "
            "what the unit is (active, standalone, listed or affiliate) as its status"
        )
    if kind == "extra_forbidden":
        return f"column '{name}' is not part of the format this version of orgmodel reads"
    return f"{name}: {str(error['msg']).removeprefix('Value error, ')}"


def _units(rows: _Rows) -> tuple[list[Unit | None], list[Problem]]:
    """Every row as a unit (None where it breaks the format), validated in one call when all
    are good, row by row to find the bad ones when not."""
    try:
        return list(quick_validator(list[Unit]).validate_python(rows.data)), []
    except ValidationError:
        pass
    units: list[Unit | None] = []
    problems: list[Problem] = []
    for path, number, data in zip(rows.paths, rows.numbers, rows.data, strict=True):
        try:
            units.append(Unit.model_validate(data))
        except ValidationError as exc:
            units.append(None)
            for error in exc.errors():
                problems.append(Problem(path, None, _field_message(error), row=number))
    return units, problems


class _Member(NamedTuple):
    """A unit of one date, with the row it came from."""

    path: Path
    number: int
    unit: Unit


def _by_date(rows: _Rows, units: list[Unit | None]) -> dict[dt.date, list[_Member]]:
    if len(set(rows.dates)) == 1 and None not in units:
        members = list(map(_Member, rows.paths, rows.numbers, units))  # type: ignore[arg-type]
        return {rows.dates[0]: members}
    dates: dict[dt.date, list[_Member]] = {}
    for path, number, date, unit in zip(rows.paths, rows.numbers, rows.dates, units, strict=True):
        if unit is not None:
            dates.setdefault(date, []).append(_Member(path, number, unit))
    return dict(sorted(dates.items()))


def _duplicates(date: dt.date, members: list[_Member]) -> tuple[list[Problem], list[_Member]]:
    """The rows that repeat a unit of the date, and the members without them."""
    if len({m.unit.id for m in members}) == len(members):
        return [], members
    problems: list[Problem] = []
    first: dict[str, _Member] = {}
    for member in members:
        seen = first.setdefault(member.unit.id, member)
        if seen is not member:
            where = f"row {seen.number}" + ("" if seen.path == member.path else f" of {seen.path}")
            problems.append(
                Problem(
                    member.path,
                    None,
                    f"'{member.unit.id}' appears twice on {date} (first at {where}); "
                    "keep one row per unit per date",
                    row=member.number,
                )
            )
    return problems, list(first.values())


def _date_problems(date: dt.date, members: list[_Member]) -> list[Problem]:
    """Duplicate ids, missing parents, roots and cycles among the units of one date."""
    problems, kept = _duplicates(date, members)
    named: dict[str, str] | None = None
    ids: list[str] = []
    for index, _, uid, message in structure_problems([m.unit for m in kept]):
        member = kept[index]
        if "does not exist" in message:
            # A parent given by its name (as in a 'Parent Name' column) is told apart.
            if named is None:
                named = {as_unit_id(m.unit.name): m.unit.id for m in kept}
                ids = [m.unit.id for m in kept]
            message = _missing_parent(uid, member.unit.parent or "", date, named, ids)
        elif uid is not None:
            message = f"'{uid}' on {date}: {message}"
        else:
            message = f"on {date}: {message}"
        problems.append(Problem(member.path, None, message, row=member.number))
    return problems


def _missing_parent(
    uid: str | None, parent: str, date: dt.date, named: dict[str, str], ids: list[str]
) -> str:
    """What is wrong with a parent that is no unit of the date, and what would be right."""
    if parent in named and named[parent] != parent:
        return (
            f"the parent of '{uid}', '{parent}', is not a unit on {date}, but the name of "
            f"'{named[parent]}' is; give parents by their id"
        )
    close = difflib.get_close_matches(parent, ids, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"the parent of '{uid}', '{parent}', is not a unit on {date}{hint}; fix the parent, "
        f"or add a row for '{parent}' on {date}"
    )


def _parents_first(units: list[Unit]) -> list[Unit]:
    """The units in row order, but each after its parent (the order snapshot files keep)."""
    if written_parents_first(units):
        return units
    children: dict[str | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit)
    ordered: list[Unit] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.id, [])))
    return ordered


def _lineage_problems(dates: Mapping[dt.date, list[_Member]]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for members in dates.values():
        seen.update(m.unit.id for m in members)
        for path, number, unit in (m for m in members if m.unit.lineage):
            for pred in unit.lineage:
                if pred == unit.id or pred not in seen:
                    why = "the unit itself" if pred == unit.id else "in no row up to this date"
                    problems.append(
                        Problem(
                            path,
                            None,
                            f"lineage of '{unit.id}' names '{pred}', which is {why}; "
                            "fix the lineage",
                            row=number,
                        )
                    )
    return problems


def read_table(
    paths: Sequence[str | Path],
    column_map: Mapping[str, str] | None = None,
    *,
    title: str | None = None,
) -> Table:
    """Read one long table, or one table per date, into validated snapshots. A folder stands
    for the tables in it (its files with a table suffix, in the order of their names).

    Raises :class:`~orgmodel.errors.DataError` with every problem found, one per line.
    """
    return _read_table(_table_files(paths), column_map, title)


def _table_files(paths: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        inside = sorted(p for p in path.iterdir() if p.suffix.lower() in TABLE_SUFFIXES)
        if not inside:
            raise _fail(
                path,
                f"is a folder with no table in it; give tables ({', '.join(TABLE_SUFFIXES)}), "
                "or the folder that holds them",
            )
        files.extend(inside)
    return files


def _read_table(
    files: list[Path],
    column_map: Mapping[str, str] | None,
    title: str | None,
    read: Mapping[Path, _Raw] | None = None,
) -> Table:
    sources = _Sources()
    rows = _Rows()
    ignored: list[str] = []
    renamed: dict[str, str] = {}
    notes: list[str] = []
    problems: list[Problem] = []
    for path in files:
        try:
            given = (read or {}).get(path)
            found, skipped, bad = _file_rows(path, column_map or {}, sources, renamed, notes, given)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        rows.extend(found)
        ignored.extend(c for c in skipped if c not in ignored)
        problems.extend(bad)
    units, bad_units = _units(rows)
    problems.extend(bad_units)
    dates = _by_date(rows, units)
    for date, members in dates.items():
        problems.extend(_date_problems(date, members))
    if not problems:
        problems.extend(_lineage_problems(dates))
    if problems:
        raise DataError(problems)
    name = title or ", ".join(p.name for p in files)
    # Every part is validated already: the units one by one, the dates as they were read.
    snapshots = [
        SnapshotFile.model_construct(
            date=date,
            title=f"{name} on {date.isoformat()}",
            units=tuple(_parents_first([m.unit for m in members])),
        )
        for date, members in dates.items()
    ]
    bibliography = Bibliography.model_validate({"title": title or name, "sources": sources.entries})
    return Table(snapshots, bibliography, ignored, [*_renamed_note(renamed), *notes])


def read_table_history(path: str | Path, column_map: Mapping[str, str] | None = None) -> History:
    """A long table loaded directly as a :class:`~orgmodel.history.History`, without files; or
    the tables of a folder (one per date, say), in the order of their names.

    A table of one date whose rows are plainly valid (see :mod:`orgmodel.records`) is checked
    column by column, and its units are built when first read; any other is read row by row.
    """
    file = Path(path)
    if file.is_dir():
        return _history_of(_read_table(_table_files([file]), column_map, None), file)
    try:
        raw: _Raw | None = _read_raw(file, column_map or {})
    except DataError:
        raw = None  # read again below, to say why with the rest
    if raw is not None:
        quick = _quick_history(file, raw, column_map or {})
        if quick is not None:
            return quick
    table = _read_table([file], column_map, None, {file: raw} if raw is not None else None)
    return _history_of(table, file)


def _history_of(table: Table, path: Path) -> History:
    """The history of a table read from ``path`` (a file, or a folder of them)."""
    snapshots = [
        Snapshot(s.date, s.units, title=s.title, sources=s.sources, path=path)
        for s in table.snapshots
    ]
    bib = table.bibliography
    return History(snapshots, sources=bib.sources, kinds=bib.kinds, title=bib.title, path=path)


_NOT_PLAIN_COLUMNS = frozenset({"leaders", "lineage", "source", "start", "end"})


def _quick_history(path: Path, raw: _Raw, column_map: Mapping[str, str]) -> History | None:
    """The history of a table of one date with plainly valid rows, checked in bulk; None
    when it must be read row by row, which says what is wrong with it, if anything is."""
    stem = _FILE_DATE.match(path.stem)
    try:
        columns, _ = _columns(raw, column_map, path, stem is not None)
    except DataError:
        return None
    if _NOT_PLAIN_COLUMNS.intersection(columns) or not raw.numbers:
        return None
    file_date = parse_cell_date(stem.group(1)) if stem else None
    dates, problems = _row_dates(path, raw, columns.get("date"), file_date)
    if problems or len(set(dates)) != 1:
        return None
    cells: dict[str, list[Any]] = {
        name: _cells(raw.columns[at]) for name, at in columns.items() if name != "date"
    }
    kinds = cells.get("kind") or [None] * len(raw.numbers)
    if None in kinds:
        cells["kind"] = [DEFAULT_KIND if kind is None else kind for kind in kinds]
    sources = _Sources()
    key = sources.for_file(path)
    cells["sources"] = [[key]] * len(raw.numbers)  # as a row without a source cell cites
    records = check_columns(cells)
    date = dates[0]
    if records is None or date is None:
        return None
    name = path.name
    snapshot = Snapshot.of_records(date, records, title=f"{name} on {date.isoformat()}", path=path)
    bib = Bibliography.model_validate({"title": name, "sources": sources.entries})
    return History([snapshot], sources=bib.sources, kinds=bib.kinds, title=bib.title, path=path)
