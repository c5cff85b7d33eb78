"""A unit's record with its sources, the bibliography, and the periods a unit is present."""

from __future__ import annotations

import datetime as dt
import json
import re

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


LATIN = re.compile(r"[A-Za-z]")


def _without_data(text: str, data: list[str]) -> str:
    for piece in sorted(data, key=len, reverse=True):
        text = text.replace(piece, "")
    return text


def _record_data(history: orgmodel.History, record) -> list[str]:
    """Everything in a record that is data, written as the data has it."""
    unit = record.unit
    data = [unit.id, unit.name, unit.kind, unit.status, unit.plan or "", unit.note or ""]
    data += [*unit.field_confidence, *unit.field_confidence.values(), unit.confidence or ""]
    data += [uid for uid, _ in (*record.chain, *record.lineage)]
    data += [name for _, name in (*record.chain, *record.lineage)]
    data += [unit.name_zh or "", *record.names_zh.values()]
    for leader in unit.leaders:
        data += [leader.name, leader.role, leader.confidence or ""]
    for cited in record.sources:
        data.append(cited.key)
        if cited.source is not None:
            data += [cited.source.title, cited.source.publisher, str(cited.source.url or "")]
    return [piece for piece in data if piece]


@pytest.mark.parametrize("unit_id", ["aicheng", "alibaba", "hema", "ant-group", "cainiao"])
def test_a_chinese_record_has_no_english_word_but_the_data(unit_id):
    history = orgmodel.load_history()
    record = unit_record(history, unit_id)
    text = format_unit_record(record, "text", "zh")
    assert LATIN.search(_without_data(text, _record_data(history, record))) is None, text
    unit = record.unit
    assert text.splitlines()[0] == f"{unit.name_zh} ({unit.name}) [{unit.id}]"
    for uid, name in record.chain:  # parents by their Chinese names, where they have one
        assert f"{record.names_zh.get(uid, name)} [{uid}]" in text


def test_a_chinese_record_keeps_the_keywords_next_to_their_words(example):
    text = format_unit_record(unit_record(example, "search-co", "2021-06"), "text", "zh")
    lines = dict(line.split("：", 1) for line in text.splitlines()[1:-2])
    assert lines["状态"].strip() == "独立运营公司 (standalone)"
    assert lines["计划"].strip() == "无"
    assert lines["存续"].strip() == "见于 2 个快照，2021-01-01 至 2023-06-30 前"
    assert lines["所用快照"].strip() == "2021-01-01（有效至 2022-01-01 前）"


def test_the_chinese_bibliography_labels_its_fields():
    history = orgmodel.load_history()
    entries = source_entries(history, "scmp-2023-05-10-aicheng")
    text = format_sources(entries, "text", "zh")
    labels = [line.split("：", 1)[0].strip() for line in text.splitlines()[1:]]
    assert labels == ["语言", "注", "引用单位"]
    assert "、".join(entries[0].cited_by) in text


def test_an_unknown_language_is_refused(example):
    with pytest.raises(orgmodel.OrgModelError, match="unknown language 'fr'"):
        format_unit_record(unit_record(example, "search-co"), "text", "fr")
