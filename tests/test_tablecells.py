"""Cells of spreadsheets read as people fill them in: headers, dates, ids and words."""

from __future__ import annotations

import datetime as dt

import pytest

from orgmodel.tablecells import (
    as_choice,
    as_kind,
    as_unit_id,
    header_field,
    normal_header,
    read_dates,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Unit ID", "id"),
        ("unit-id", "id"),
        ("ID", "id"),
        ("Org Unit Name", "name"),
        ("Name (EN)", "name"),
        ("Parent Unit", "parent"),
        ("Parent Unit ID", "parent"),
        ("parent_id", "parent"),
        ("Unit Type", "kind"),
        ("Name_ZH", "name_zh"),
        ("As of date", "date"),
        ("Start date", "start"),  # a period's start, not a snapshot's date
        ("Valid To", "end"),
        ("BEGDA", "start"),
        ("Parent Name", None),  # a name is not an id
        ("Cost Centre", None),
        ("上级部门", "parent"),
        ("中文名称", "name_zh"),
    ],
)
def test_headers_name_their_field(header: str, field: str | None) -> None:
    assert header_field(normal_header(header), {}) == field


def test_a_map_wins_over_the_known_names() -> None:
    assert header_field(normal_header("Type"), {"type": "note"}) == "note"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2021-03-31"], [dt.date(2021, 3, 31)]),
        (["2021-03-31T00:00:00Z", "2021-03-31 00:00:00.000"], [dt.date(2021, 3, 31)] * 2),
        (["31/03/2021", "01/04/2021"], [dt.date(2021, 3, 31), dt.date(2021, 4, 1)]),
        (["3/31/2021", "4/1/2021"], [dt.date(2021, 3, 31), dt.date(2021, 4, 1)]),
        (["01.04.2021"], [dt.date(2021, 4, 1)]),  # a dot: the day first, as in Europe
        (["2021.04.01", "2021/4/1", "2021年4月1日"], [dt.date(2021, 4, 1)] * 3),
        (["2021-04/01"], ["date '2021-04/01' cannot be read"]),
        (["05/05/2021"], [dt.date(2021, 5, 5)]),  # the same either way
        ([44286, 44286.0, "44286"], [dt.date(2021, 3, 31)] * 3),
        ([dt.datetime(2021, 3, 31)], [dt.date(2021, 3, 31)]),
        ([float("nan")], ["date 'nan' cannot be read"]),
        (["31/02/2021", "13/01/2021"], ["date '31/02/2021' cannot be read", dt.date(2021, 1, 13)]),
        (
            ["01/04/2021", "02/04/2021"],
            ["dates such as '01/04/2021' could be day first (1 April) or month first (January 4)"]
            * 2,
        ),
        (
            ["31/03/2021", "3/31/2021", "4/1/2021"],
            ["the dates have the day first ('31/03/2021') and the month first ('3/31/2021')"] * 3,
        ),
    ],
)
def test_date_columns(cells: list[object], expected: list[object]) -> None:
    found = read_dates(cells)
    for cell, want in zip(cells, expected, strict=True):
        got = found[cell]
        if isinstance(want, str):
            assert isinstance(got, str) and got.startswith(want), got
        else:
            assert got == want


@pytest.mark.parametrize(
    ("text", "unit_id"),
    [
        ("HQ", "hq"),
        ("Sales Dept.", "sales-dept"),
        ("FIN/01", "fin-01"),
        ("  Retail  EU ", "retail-eu"),
        ("a--b.", "a--b."),  # already a unit id: kept as it is
        ("20110", "20110"),
        ("销售部", "销售部"),  # nothing would be left: kept, for the check to refuse
    ],
)
def test_ids_from_other_systems(text: str, unit_id: str) -> None:
    assert as_unit_id(text) == unit_id


@pytest.mark.parametrize(
    ("function", "text", "word"),
    [
        (as_kind, "Business Unit", "business_unit"),
        (as_kind, "holding", "holding"),
        (as_choice, "Active", "active"),
        (as_choice, "Stand-alone", "standalone"),
        (as_choice, "IPO planned", "ipo_planned"),
        (as_choice, "Spin-off planned", "spin_off_planned"),
        (as_choice, "Single source", "single-source"),
        (as_choice, "sold", "sold"),  # not a word of the format: kept, for the check to refuse
    ],
)
def test_words_are_read_without_regard_to_case(function: object, text: str, word: str) -> None:
    assert function(text) == word  # type: ignore[operator]
