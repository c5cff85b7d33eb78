"""Reports: text for people, JSON and Markdown for machines and documents; exact output."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

import orgmodel
from orgmodel.errors import OutputError
from orgmodel.events import KINDS, parse_event
from orgmodel.report import (
    FORMATS,
    KIND_TITLES,
    changes_report,
    describe,
    diff_report,
    history_names,
    lineage_report,
    snapshot_names,
)

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture(scope="module")
def example() -> orgmodel.History:
    return orgmodel.load_history(EXAMPLE)


NET_2021_2023 = """\
Snapshots used: 2021-01-01 -> 2023-06-30
8 changes

Removed (1)
  - Search Co [search-co] (under Example Group [group]): absorbed into Shared Platform [platform]

Moved (1)
  - Research Lab [lab]: Shared Platform [platform] -> Commerce & Retail Group [commerce]

Returned (2)
  - Mall Retail [mall] is back in the group, under Commerce & Retail Group [commerce] (active; \
away since 2021-01-01)
  - Search [search] back under Shared Platform [platform] (from Search Co [search-co]); away \
since 2021-01-01

Plans announced or changed (1)
  - Media Group [media]: IPO planned -> IPO cancelled

Updated records (3)
  - Research Lab [lab]: sources, confidence
  - Shared Platform [platform]: lineage, sources
  - Media Group [media]: sources"""

STEP_2022_MARKDOWN = """\
# Changes 2021-01-01 -> 2022-01-01

Snapshots used: 2021-01-01 -> 2022-01-01

7 changes in 1 step

## 2022-01-01 (since 2021-01-01)

### Moved (1)

- Research Lab (`lab`): Shared Platform (`platform`) -> Commerce & Retail Group (`commerce`)

### Returned (1)

- Search Co (`search-co`) back in line: standalone -> active; away since 2021-01-01

### Plans announced or changed (1)

- Media Group (`media`): IPO planned -> IPO cancelled

### Kind changed (1)

- Search Co (`search-co`): company -> business group

### Updated records (3)

- Research Lab (`lab`): sources, confidence, field confidence
- Search Co (`search-co`): sources
- Media Group (`media`): sources
"""

LINEAGE_STREAMING = """\
Lineage of Streaming [streaming]
Snapshots used: 2020-01-01 -> 2021-01-01

2021-01-01
  - Added: Streaming [streaming] under Media Group [media]
  - Removed: Video [video] (under Media Group [media]): absorbed into Streaming [streaming]
  - Removed: Music [music] (under Media Group [media]): absorbed into Streaming [streaming]
  - Merged: Video [video] + Music [music] -> Streaming [streaming] (declared lineage)"""


def test_diff_report_text(example: orgmodel.History) -> None:
    assert diff_report(example.diff("2021", "2023"), history_names(example)) == NET_2021_2023


def test_changes_report_markdown(example: orgmodel.History) -> None:
    events = example.changes("2021", "2022")
    report = changes_report(
        events,
        example.at("2021").date,
        example.at("2022").date,
        history_names(example),
        "markdown",
    )
    assert report == STEP_2022_MARKDOWN


def test_lineage_report_text(example: orgmodel.History) -> None:
    events = example.lineage("streaming")
    assert lineage_report("streaming", events, history_names(example)) == LINEAGE_STREAMING


@pytest.mark.parametrize(
    ("unit", "fmt", "line"),
    [
        ("streaming", "text", "In 3 snapshots, from 2021-01-01 to 2023-06-30"),
        ("streaming", "markdown", "In 3 snapshots, from 2021-01-01 to 2023-06-30."),
        ("group", "text", "In 4 snapshots, from 2020-01-01 to 2023-06-30"),
    ],
)
def test_lineage_report_says_where_the_unit_is(
    example: orgmodel.History, unit: str, fmt: str, line: str
) -> None:
    report = lineage_report(
        unit, example.lineage(unit), history_names(example), fmt, present=example.presence(unit)
    )
    assert line in report.splitlines()


def test_lineage_json_lists_the_snapshots_that_hold_the_unit(example: orgmodel.History) -> None:
    present = example.presence("streaming")
    life = json.loads(lineage_report("streaming", [], None, "json", present=present))
    assert life["present_in"] == [day.isoformat() for day in present]


# One line per kind, as the text report writes it (first step of the example unless noted).
LINES = [
    ("2020", "2021", "added", "Search Co [search-co] under Example Group [group] (standalone)"),
    (
        "2020",
        "2021",
        "removed",
        "Video [video] (under Media Group [media]): absorbed into Streaming [streaming]",
    ),
    ("2020", "2021", "renamed", "Commerce Group -> Commerce & Retail Group [commerce]"),
    (
        "2020",
        "2021",
        "moved",
        "Search [search]: Shared Platform [platform] -> Search Co [search-co]",
    ),
    (
        "2020",
        "2021",
        "split",
        "Search Co [search-co] split off from Shared Platform [platform] (declared lineage)",
    ),
    (
        "2020",
        "2021",
        "spun_off",
        "Search Co [search-co] carved out of Shared Platform [platform] as standalone, under "
        "Example Group [group]",
    ),
    ("2021", "2022", "kind_changed", "Search Co [search-co]: company -> business group"),
    ("2020", "2021", "updated", "Commerce & Retail Group [commerce]: sources"),
    ("2020", "2021", "leader_changed", "Example Group [group]: CEO Ada Chen (no longer recorded)"),
]


@pytest.mark.parametrize(("a", "b", "kind", "line"), LINES, ids=[x[2] for x in LINES])
def test_describe(example: orgmodel.History, a: str, b: str, kind: str, line: str) -> None:
    first = example.diff(a, b).filter(kinds=[kind])[0]
    assert describe(first, history_names(example)) == line


def test_describe_without_names_uses_ids(example: orgmodel.History) -> None:
    event = example.diff("2020", "2021").filter(kinds=["merged"])[0]
    assert describe(event) == "video + music -> streaming (declared lineage)"
    assert describe(event, markdown=True) == "`video` + `music` -> `streaming` (declared lineage)"


def test_inferred_split_is_described_with_its_score() -> None:
    def u(uid: str, parent: str | None = "g") -> orgmodel.Unit:
        return orgmodel.Unit(id=uid, name=uid.upper(), kind="unit", parent=parent)

    a = orgmodel.Snapshot(
        dt.date(2020, 1, 1), [u("g", None), u("p"), *(u(f"c{i}", "p") for i in range(4))]
    )
    b = orgmodel.Snapshot(
        dt.date(2021, 1, 1),
        [
            u("g", None),
            u("s1"),
            u("s2"),
            u("c0", "s1"),
            u("c1", "s1"),
            u("c2", "s2"),
            u("c3", "s2"),
        ],
    )
    d = orgmodel.diff(a, b)
    names = snapshot_names(a, b)
    assert [describe(e, names) for e in d.filter(kinds=["split", "removed"])] == [
        "P [p] (under G [g]): absorbed into S1 [s1] (inferred from overlap of sub-units)",
        "P [p] split into S1 [s1], S2 [s2]; S1 [s1] carries its identity (inferred from "
        "overlap of sub-units, score 1.00)",
    ]


def test_json_reports_are_the_events_with_the_dates(example: orgmodel.History) -> None:
    d = example.diff("2020", "2021")
    data = json.loads(diff_report(d, history_names(example), "json"))
    assert (data["a"], data["b"]) == ("2020-01-01", "2021-01-01")
    assert [parse_event(e) for e in data["events"]] == [
        parse_event(e.model_dump(mode="json")) for e in d.events
    ]
    assert all(next(iter(e)) == "kind" for e in data["events"])
    steps = json.loads(
        changes_report(example.changes(), example.dates[0], example.dates[-1], None, "json")
    )
    assert (steps["a"], steps["b"], len(steps["events"])) == ("2020-01-01", "2023-06-30", 28)
    life = json.loads(lineage_report("mall", example.lineage("mall"), None, "json"))
    assert (life["unit"], life["a"], life["b"]) == ("mall", "2020-01-01", "2023-06-30")
    assert [e["kind"] for e in life["events"]] == ["removed", "returned"]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "Snapshots used: 2022-01-01 -> 2022-01-01\nNo changes."),
        (
            "markdown",
            "# Changes 2022-01-01 -> 2022-01-01\n\nSnapshots used: 2022-01-01 -> "
            "2022-01-01\n\n0 changes\n",
        ),
        ("json", '{\n  "a": "2022-01-01",\n  "b": "2022-01-01",\n  "events": []\n}\n'),
    ],
)
def test_empty_diff(example: orgmodel.History, fmt: str, expected: str) -> None:
    assert diff_report(example.diff("2022", "2022"), None, fmt) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda d: diff_report(d, None, "yaml"),
        lambda d: changes_report(d.events, d.a, d.b, None, "html"),
        lambda d: lineage_report("x", d.events, None, "csv"),
    ],
)
def test_unknown_format(example: orgmodel.History, call: Any) -> None:
    with pytest.raises(OutputError, match="use one of text, json, markdown"):
        call(example.diff("2020", "2021"))


def test_every_kind_has_a_title() -> None:
    assert set(KIND_TITLES) == set(KINDS)
    assert FORMATS == ("text", "json", "markdown")


def test_names_resolve_at_the_event_date(example: orgmodel.History) -> None:
    names = history_names(example)
    day = dt.date
    assert names("commerce", day(2020, 6, 1)) == "Commerce Group"
    assert names("commerce", day(2021, 1, 1)) == "Commerce & Retail Group"
    assert names("video", day(2023, 1, 1)) == "Video"  # gone: its last name
    assert names("mall", day(2022, 1, 1)) == "Mall Retail"
    assert names("nowhere", day(2022, 1, 1)) is None


def test_markdown_reports_escape_names():
    import datetime as dt

    import orgmodel
    from orgmodel.report import diff_report, snapshot_names

    g = orgmodel.Unit(id="g", name="G", kind="holding")
    odd = orgmodel.Unit(id="x", name="**Bold** <b>x</b> _a_ `c`", kind="unit", parent="g")
    a = orgmodel.Snapshot(dt.date(2020, 1, 1), [g])
    b = orgmodel.Snapshot(dt.date(2021, 1, 1), [g, odd])
    text = diff_report(orgmodel.diff(a, b), snapshot_names(a, b), "markdown")
    assert r"- \*\*Bold\*\* \<b\>x\</b\> \_a\_ \`c\` (`x`) under G (`g`)" in text


NET_2021_2023_ZH = """\
所用快照：2021-01-01 -> 2023-06-30
8 项变化

移除 (1)
  - Search Co [search-co]（原属 示例集团 [group]）：并入 Shared Platform [platform]

调整隶属 (1)
  - Research Lab [lab]：由 Shared Platform [platform] 调至 Commerce & Retail Group [commerce] 之下

回归 (2)
  - Mall Retail [mall] 回归集团，隶属 Commerce & Retail Group [commerce]（体系内；\
自 2021-01-01 起离开）
  - Search [search] 回到 Shared Platform [platform] 之下（原属 Search Co [search-co]）；\
自 2021-01-01 起离开

计划变动 (1)
  - Media Group [media]：计划上市 -> 上市取消

记录更新 (3)：来源、可信度、沿革：3 个单位（未列出；--all 可列出）"""

LINEAGE_STREAMING_ZH_MARKDOWN = """\
# Streaming (`streaming`) 的沿革

所用快照：2020-01-01 -> 2021-01-01

见于 3 个快照：2021-01-01 至 2023-06-30。

## 2021-01-01

- 新增：Streaming (`streaming`)，隶属 Media Group (`media`)
- 移除：Video (`video`)（原属 Media Group (`media`)）：并入 Streaming (`streaming`)
- 移除：Music (`music`)（原属 Media Group (`media`)）：并入 Streaming (`streaming`)
- 合并：Video (`video`)、Music (`music`) 合并为 Streaming (`streaming`)（据所载沿革）
"""


def test_diff_report_in_chinese(example: orgmodel.History) -> None:
    from orgmodel.report import quiet_fold

    names = history_names(example, "zh")
    fold = quiet_fold(None, hint="--all 可列出")
    assert (
        diff_report(example.diff("2021", "2023"), names, lang="zh", fold=fold) == NET_2021_2023_ZH
    )


def test_lineage_report_in_chinese(example: orgmodel.History) -> None:
    events, names = example.lineage("streaming"), history_names(example, "zh")
    report = lineage_report(
        "streaming", events, names, "markdown", present=example.presence("streaming"), lang="zh"
    )
    assert report == LINEAGE_STREAMING_ZH_MARKDOWN


def test_chinese_names_where_known(example: orgmodel.History) -> None:
    day = example.dates[-1]
    assert history_names(example, "zh")("group", day) == example.at(day).units["group"].name_zh
    assert history_names(example, "zh")("lab", day) == example.at(day).units["lab"].name


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_chinese_reports_say_only_the_data_in_english(fmt: str) -> None:
    """Every line of a Chinese report of the whole bundled history but the events' own lines
    (names, ids and notes are data) is Chinese; the events are the English report's, each
    said as the event says itself in Chinese."""
    history = orgmodel.load_history()
    events = history.changes()
    names = history_names(history, "zh")
    args = (events, history.dates[0], history.dates[-1], names, fmt)
    report = changes_report(*args, lang="zh")
    bullet = "- " if fmt == "markdown" else "    - "
    said = [line[len(bullet) :] for line in report.splitlines() if line.startswith(bullet)]
    assert said == [describe(e, names, markdown=fmt == "markdown", lang="zh") for e in events]
    for line in report.splitlines():
        if not line.startswith(bullet):
            assert not re.search("[A-Za-z]", line), line
    english = changes_report(*args)
    assert len(english.splitlines()) == len(report.splitlines())


def test_unknown_language_is_refused(example: orgmodel.History) -> None:
    with pytest.raises(OutputError, match="unknown language 'fr'; use one of en, zh"):
        diff_report(example.diff("2021", "2023"), lang="fr")


def _names_by_hand(snapshots: list[Any], unit_id: str, date: dt.date, chinese: bool) -> Any:
    """A unit's name on a date, by the rule: the latest snapshot up to the date that has it,
    else the earliest after it."""
    from orgmodel.model import Unit

    having = [s for s in sorted(snapshots, key=lambda s: s.date) if unit_id in s.units]
    before = [s for s in having if s.date <= date]
    chosen = before[-1] if before else (having[0] if having else None)
    if chosen is None:
        return None
    unit: Unit = chosen.units[unit_id]
    return (unit.name_zh or unit.name) if chinese else unit.name


def test_names_are_those_of_the_latest_snapshot_up_to_the_date_that_has_the_unit() -> None:
    """Looked up when asked for, the names follow the rule on every unit and date, in both
    languages, whatever order the snapshots are given in."""
    import random

    from orgmodel.model import Unit
    from orgmodel.report import snapshot_names
    from orgmodel.snapshot import Snapshot

    rng = random.Random(7)
    for _ in range(40):
        snapshots = []
        for year in rng.sample(range(2000, 2010), rng.randint(1, 5)):
            present = [uid for uid in "abcd" if rng.random() < 0.6]
            units = [Unit(id="g", name=f"G{year}", kind="holding")] + [
                Unit(id=uid, name=f"{uid}{year}", kind="lab", parent="g",
                     name_zh=f"中{uid}{year}" if rng.random() < 0.5 else None)
                for uid in present
            ]  # fmt: skip
            snapshots.append(Snapshot(dt.date(year, 1, 1), units))
        for chinese in (False, True):
            names = snapshot_names(*snapshots, lang="zh" if chinese else "en")
            for uid in "gabcdz":
                for year in range(1999, 2012):
                    date = dt.date(year, 6, 1)
                    assert names(uid, date) == _names_by_hand(snapshots, uid, date, chinese)
                    assert names(uid, date) == _names_by_hand(snapshots, uid, date, chinese)
