"""Reading the dates people type: ``2023-05-18``, ``2023-05`` and ``2023``.

A partial date means the end of its period, so that ``at("2023")`` is the structure in force on
the last day of 2023.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from orgmodel.errors import DateError

__all__ = ["DateLike", "parse_date"]

DateLike = str | dt.date

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_date(value: DateLike) -> dt.date:
    """Read a full or partial date; a partial date means the last day of its period.

    >>> parse_date("2023-02")
    datetime.date(2023, 2, 28)
    >>> parse_date("2024")
    datetime.date(2024, 12, 31)
    >>> parse_date("2023-05-18")
    datetime.date(2023, 5, 18)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _PARTIAL.fullmatch(text)
    if match is None:
        raise DateError(f"'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None
