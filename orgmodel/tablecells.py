"""Reading the cells of a spreadsheet as people fill them in: headers, dates, ids and words.

A table exported from Excel, an HR system or a database rarely uses orgmodel's own spellings.
What is read here means one thing whatever way it is written, so it is read as that thing:

- a header is matched ignoring case, spaces and punctuation, and a leading ``Unit``/``Org``
  (``Unit ID``, ``Org Unit Name``, ``Parent Unit ID``, ``Name (EN)``), and in the words HR
  systems and Chinese spreadsheets use (``Valid From``, ``BEGDA``, ``上级部门``);
- a date may be ISO text (with a midnight time, as databases write it), an Excel date cell or
  serial number, or day/month/year as a European or American spreadsheet writes it, the order
  being told from the column itself (a day above 12 says which it is);
- an id keeps its letters and digits, made lower-case, with ``-`` for spaces and other signs
  (``Sales Dept`` is ``sales-dept``), so that ids from any system fit the snapshot format;
- a kind, status, plan or confidence is read without regard to case (``Division``).

What could mean two things is not guessed: a date column whose days are all 12 or less is an
error that asks for YYYY-MM-DD, and two ids that become one are an error.

Examples
--------
>>> normal_header(" Parent Unit (ID) ")
'parent_unit_id'
>>> header_field("parent_unit_id", {}), header_field("unit_name", {})
('parent', 'name')
>>> as_unit_id("Sales Dept."), as_unit_id("hq")
('sales-dept', 'hq')
>>> read_dates(["31/03/2021", "30/06/2021"])["30/06/2021"]
datetime.date(2021, 6, 30)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from orgmodel.model import CONFIDENCES, ID_PATTERN, KIND_PATTERN, PLANS, STATUSES

__all__ = [
    "ALIASES",
    "COLUMNS",
    "as_choice",
    "as_kind",
    "as_unit_id",
    "header_field",
    "normal_header",
    "parse_cell_date",
    "read_dates",
]

#: The columns a long table may have (see :mod:`orgmodel.longtable`).
COLUMNS: Final = (
    "date",
    "start",
    "end",
    "id",
    "name",
    "parent",
    "kind",
    "status",
    "plan",
    "name_zh",
    "leaders",
    "lineage",
    "source",
    "confidence",
    "note",
)
#: Other headers that mean a known column (after :func:`normal_header`).
ALIASES: Final = {
    "unit_id": "id",
    "parent_id": "parent",
    "parent_unit": "parent",
    "parent_unit_id": "parent",
    "name_en": "name",
    "english_name": "name",
    "chinese_name": "name_zh",
    "name_cn": "name_zh",
    "name_chinese": "name_zh",
    "sources": "source",
    "leader": "leaders",
    "notes": "note",
    "type": "kind",
    "snapshot_date": "date",
    "as_of": "date",
    "as_of_date": "date",
    # A period, as HR systems give one (SAP's BEGDA and ENDDA, Oracle's effective dates).
    "start_date": "start",
    "valid_from": "start",
    "begda": "start",
    "effective_start_date": "start",
    "effective_from": "start",
    "end_date": "end",
    "valid_to": "end",
    "valid_until": "end",
    "endda": "end",
    "effective_end_date": "end",
    "effective_to": "end",
    # Headers as Chinese spreadsheets write them.
    "日期": "date",
    "编号": "id",
    "代码": "id",
    "名称": "name",
    "英文名": "name",
    "中文名": "name_zh",
    "中文名称": "name_zh",
    "上级": "parent",
    "上级编号": "parent",
    "上级部门": "parent",
    "类型": "kind",
    "状态": "status",
    "来源": "source",
    "备注": "note",
}
#: Words a header may start with that say only that it is about the unit: ``Unit Name``.
_PREFIXES: Final = ("organisation_unit_", "organization_unit_", "org_unit_", "unit_", "org_")
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Lotus's 29 Feb
_ISO: Final = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?"
    r"|(\d{4})年(\d{1,2})月(\d{1,2})日"  # as Chinese and Japanese spreadsheets write them
)
_NUMERIC: Final = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?: 0?0:00(?::00)?)?")
_UNIT_ID: Final = re.compile(ID_PATTERN)
_KIND: Final = re.compile(KIND_PATTERN)
_CHOICES: Final = frozenset((*STATUSES, *PLANS, *CONFIDENCES))


def normal_header(header: str) -> str:
    """A header as a key: lower-case, each run of spaces and punctuation one ``_``."""
    return re.sub(r"[\W_]+", "_", header.lower()).strip("_")


def header_field(key: str, mapped: Mapping[str, str]) -> str | None:
    """The field a header's key (see :func:`normal_header`) names, if any: a ``--map`` entry,
    a known column or alias, or one of those after a leading ``unit_``/``org_``."""
    for candidate in (key, *(key.removeprefix(p) for p in _PREFIXES if key.startswith(p))):
        found = mapped.get(candidate) or ALIASES.get(candidate)
        if found or candidate in COLUMNS:
            return found or candidate
    return None


def parse_cell_date(value: Any) -> dt.date | None:
    """A table cell as a date: ISO text, a date or datetime at midnight, or an Excel serial.

    >>> parse_cell_date("2023-03-28"), parse_cell_date(45013), parse_cell_date("2023")
    (datetime.date(2023, 3, 28), datetime.date(2023, 3, 28), None)
    """
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text))
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    parts = [g for g in match.groups() if g is not None and g.isdigit()]
    return _day(*map(int, parts))


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _serial(value: float) -> dt.date | None:
    # Excel counts days from 1899-12-30; only whole days between 1927 and 2173 are taken as
    # serials, so that a year such as 2023 is never read as a day of 1905.
    if not math.isfinite(value) or value != int(value) or not 10_000 <= value <= 99_999:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def read_dates(cells: Iterable[Any]) -> dict[Any, dt.date | str]:
    """Each distinct cell of a date column as a date, or as the message saying why it is not.

    Day/month/year cells (``31/03/2021``, ``3/31/2021``, ``31.03.2021``) are read in the one
    order the column's cells allow: a dot is European (day first); with slashes, a first number
    above 12 says the day comes first, a second one above 12 that the month does. Where the
    column cannot tell, every cell it cannot read has the same message, about the column.

    >>> read_dates(["3/31/2021", "4/1/2021"])["4/1/2021"]
    datetime.date(2021, 4, 1)
    >>> dates = read_dates(["01/04/2021", "02/04/2021"])
    >>> print(dates["02/04/2021"])  # doctest: +NORMALIZE_WHITESPACE
    dates such as '01/04/2021' could be day first (1 April) or month first (January 4);
    write them as YYYY-MM-DD
    """
    distinct = set(cells)
    numeric = {
        cell: match.groups()
        for cell in distinct
        if isinstance(cell, str) and (match := _NUMERIC.fullmatch(cell.strip()))
    }
    slashed = {c: (int(p[0]), int(p[2])) for c, p in numeric.items() if p[1] == "/"}
    orders = (any(a > 12 for a, _ in slashed.values()), any(b > 12 for _, b in slashed.values()))
    found: dict[Any, dt.date | str] = {}
    for cell in distinct:
        parts = numeric.get(cell)
        date = parse_cell_date("" if cell is None else cell) if parts is None else None
        if parts is not None:
            date = _numeric_date(parts, *orders)
        found[cell] = date if date is not None else _date_message(cell)
    unread = sorted(c for c in slashed if not isinstance(found[c], dt.date))
    if unread and orders[0] == orders[1]:
        column = _order_message(slashed, unread, orders[0])
        found.update((c, column) for c in unread if orders[0] or _both_orders(numeric[c]))
    return found


def _numeric_date(parts: tuple[str, ...], day_first: bool, month_first: bool) -> dt.date | None:
    a, sep, b, year = parts
    if sep == "." or int(a) == int(b):
        return _day(int(year), int(b), int(a))
    if day_first == month_first:
        return None  # both orders, or neither, are in the column: it cannot tell
    day, month = (a, b) if day_first else (b, a)
    return _day(int(year), int(month), int(day))


def _both_orders(parts: tuple[str, ...]) -> bool:
    a, b, year = int(parts[0]), int(parts[2]), int(parts[3])
    return bool(_day(year, b, a) and _day(year, a, b))


_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _order_message(slashed: Mapping[str, tuple[int, int]], unread: list[str], both: bool) -> str:
    """What is wrong with a column of day/month/year dates in no one order."""
    if both:
        first = next(c for c in sorted(slashed) if slashed[c][0] > 12)
        second = next(c for c in sorted(slashed) if slashed[c][1] > 12)
        return (
            f"the dates have the day first ('{first.strip()}') and the month first "
            f"('{second.strip()}'); write them as YYYY-MM-DD"
        )
    cell = unread[0]
    a, b = slashed[cell]
    return (
        f"dates such as '{cell.strip()}' could be day first ({a} {_MONTHS[b - 1]}) or month "
        f"first ({_MONTHS[a - 1]} {b}); write them as YYYY-MM-DD"
    )


def _date_message(cell: Any) -> str:
    text = "" if cell is None else str(cell).strip()
    return (
        f"date '{text}' cannot be read; write YYYY-MM-DD (an Excel date cell or serial number "
        "also works)"
    )


def as_unit_id(text: str) -> str:
    """An id from another system as a unit id: lower-case, each run of other signs ``-``. A
    unit id is kept as it is, and so is text of which nothing would be left (the check then
    says what is wrong with it)."""
    if _UNIT_ID.fullmatch(text):
        return text
    slug = re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-._")
    return slug or text


def as_kind(text: str) -> str:
    """A kind as written (``Business Unit``) as a kind name (``business_unit``)."""
    if _KIND.fullmatch(text):
        return text
    word = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return word or text


def as_choice(text: str) -> str:
    """A status, plan or confidence as written (``Active``, ``IPO planned``) as its word; the
    text as it is when it is none of them (the check then lists them)."""
    lowered = text.strip().lower()
    spelt = (r"[\s-]+", "_"), (r"\s+", "-"), (r"[\s_-]+", "")  # IPO planned, single source
    for word in (lowered, *(re.sub(pattern, sign, lowered) for pattern, sign in spelt)):
        if word in _CHOICES:
            return word
    return text
