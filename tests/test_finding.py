"""Finding units by name or id, and naming the closest units when an id is unknown."""

from __future__ import annotations

import datetime as dt

import pytest

import orgmodel
from orgmodel.finding import find_in_units, format_found, unknown_unit
from orgmodel.model import Unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an exact id first, then ids containing the text, then names
        ("search", [("search", "id", True), ("search-co", "id", False), ("lab", "name", False)]),
        ("SEARCH co", [("search-co", "name", True)]),
        ("示例", [("group", "name_zh", False)]),
        # nothing contains it: the closest, best first
        ("serch", [("search", "close", False), ("search-co", "close", False)]),
        ("zzzz", []),
        ("  ", []),
    ],
)
def test_find_in_the_example_history(example, text, expected):
    found = example.find(text)
    assert [(f.id, f.how, f.exact) for f in found][: len(expected)] == expected
    if not expected:
        assert found == []


def test_find_gives_the_dates_a_unit_is_present(example):
    (found,) = example.find("search co")
    assert (found.first, found.last) == (dt.date(2021, 1, 1), dt.date(2022, 1, 1))
    assert found.name == "Search Co"


def test_find_matches_former_names_and_says_which():
    g = Unit(id="g", name="Group", kind="holding")
    old = Unit(id="x", name="Platform Governance", kind="function", parent="g")
    new = old.model_copy(update={"name": "Risk line", "name_zh": "风控"})
    h = orgmodel.History(
        [
            orgmodel.Snapshot(dt.date(2020, 1, 1), [g, old]),
            orgmodel.Snapshot(dt.date(2021, 1, 1), [g, new]),
        ]
    )
    (found,) = h.find("governance")
    assert (found.id, found.name, found.matched) == ("x", "Risk line", "Platform Governance")
    assert format_found([found], "governance").splitlines() == [
        "Units matching 'governance':",
        "  Risk line (风控) [x], in the snapshots of 2020-01-01 to 2021-01-01; "
        "name 'Platform Governance'",
    ]


def test_bundled_data_finds_chinese_and_english_names():
    h = orgmodel.load_history()
    assert [f.id for f in h.find("菜鸟")] == ["cainiao"]
    assert [f.id for f in h.find("freshippo")] == ["hema"]
    assert h.find("hema")[0].id == "hema"


def test_unknown_ids_are_answered_with_names(example):
    with pytest.raises(orgmodel.UnknownUnitError, match=r"did you mean 'search-co' \(Search Co\)"):
        example.check_unit("search co")
    message = str(unknown_unit(example.at("2021"), "Streeming"))
    assert message == (
        "unit 'Streeming' is not in the snapshot of 2021-01-01; "
        "did you mean 'streaming' (Streaming)?"
    )


def test_find_in_units_without_any_match_of_any_kind():
    assert find_in_units([Unit(id="g", name="Group", kind="holding")], "qqqqqq") == []
    assert format_found([], "qqqqqq") == "No unit matches 'qqqqqq'.\n"


def test_format_found_markdown_escapes_names():
    units = [Unit(id="b", name="**Bold** <b>x</b>", kind="holding")]
    text = format_found(find_in_units(units, "bold"), "bold", "markdown")
    assert r"\*\*Bold\*\* \<b\>x\</b\>" in text
    assert "**Bold**" not in text
