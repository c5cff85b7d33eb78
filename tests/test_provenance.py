"""A unit's record with its sources, the bibliography, and the periods a unit is present."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import orgmodel
from orgmodel.provenance import (
    Period,
    format_sources,
    format_unit_record,
    present_periods,
    source_entries,
    unit_record,
)

D = dt.date


@pytest.mark.parametrize(
    ("unit", "periods"),
    [
        ("group", [Period(D(2020, 1, 1), D(2023, 6, 30), None)]),
        ("search-co", [Period(D(2021, 1, 1), D(2022, 1, 1), D(2023, 6, 30))]),
        (
            "mall",
            [
                Period(D(2020, 1, 1), D(2020, 1, 1), D(2021, 1, 1)),
                Period(D(2023, 6, 30), D(2023, 6, 30), None),
            ],
        ),
    ],
)
def test_present_periods(example, unit, periods):
    assert list(present_periods(example, unit)) == periods


def test_unit_record_text(example):
    text = format_unit_record(unit_record(example, "search-co", "2021-06"))
    assert text.splitlines() == [
        "Search Co [search-co]",
        "Snapshot used:    2021-01-01 (in force until 2022-01-01)",
        "Kind:             company",
        "Status:           standalone",
        "Plan:             none",
        "Parents:          Example Group [group]",
        "Leaders:          none recorded",
        "Formed from:      Shared Platform [platform]",
        "Confidence:       confirmed",
        "Field confidence: as the unit",
        "Note:             none",
        "Present:          in 2 snapshots, from 2021-01-01 until 2023-06-30",
        "Sources (1):",
        "  - letter-2021: Chairman's letter on the new structure. Example Group, 2021-01.",
    ]


def test_unit_record_defaults_to_the_latest_snapshot_holding_it(example):
    record = unit_record(example, "search-co")
    assert record.date == D(2022, 1, 1)
    assert record.in_force_until == D(2023, 6, 30)


def test_unit_record_json_carries_every_source_in_full(example):
    payload = json.loads(format_unit_record(unit_record(example, "group"), "json"))
    assert payload["date"] == "2023-06-30"
    assert payload["unit"]["name_zh"] == "示例集团"
    assert payload["chain"] == []
    keys = [s["key"] for s in payload["sources"]]
    assert keys == list(example.at("2023-06-30").units["group"].sources)
    for source in payload["sources"]:
        assert {"title", "publisher", "date"} <= set(source)


def test_unit_record_on_a_date_it_is_absent_names_its_periods(example):
    with pytest.raises(orgmodel.UnknownUnitError) as caught:
        unit_record(example, "mall", "2021")
    assert str(caught.value) == (
        "unit 'mall' is not in the snapshot of 2021-01-01 (in force on 2021); it is present on "
        "2020-01-01 (until 2021-01-01), on 2023-06-30 (the latest snapshot): give a date in "
        "one of those"
    )


def test_sources_list_every_entry_and_the_units_citing_one(example):
    assert [e.key for e in source_entries(example)] == list(example.sources)
    (entry,) = source_entries(example, "letter-2021")
    assert entry.cited_by == ("commerce", "media", "platform", "search", "search-co", "streaming")
    assert format_sources([entry]).splitlines() == [
        "letter-2021: Chairman's letter on the new structure. Example Group, 2021-01.",
        "  Language: en",
        "  Cited by: commerce, media, platform, search, search-co, streaming",
    ]


def test_unknown_source_names_the_closest_key(example):
    with pytest.raises(orgmodel.OrgModelError, match=r"did you mean 'letter-2021'"):
        source_entries(example, "letter-2012")


def test_markdown_record_escapes_what_the_data_says():
    g = orgmodel.Unit(id="g", name="G_roup *1*", kind="holding", note="See <b>this</b>")
    h = orgmodel.History([orgmodel.Snapshot(D(2020, 1, 1), [g])])
    text = format_unit_record(unit_record(h, "g"), "markdown")
    assert text.startswith(r"# G\_roup \*1\* (`g`)")
    assert r"**Note:** See \<b\>this\</b\>" in text


def test_bundled_record_cites_the_leaders_sources_too():
    h = orgmodel.load_history()
    record = unit_record(h, "aicheng", "2023-06-01")
    keys = {c.key for c in record.sources}
    for leader in record.unit.leaders:
        assert set(leader.sources) <= keys
    assert all(c.source is not None for c in record.sources)
