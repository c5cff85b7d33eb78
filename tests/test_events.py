"""The one-line sentence of every event kind, in English and in Chinese.

Each row is one way an event can read (every branch of every kind's ``describe``), with the
English line and the Chinese line; the Chinese line must hold no English word but the names,
ids and data it quotes. The bundled history and random ones check the same for real events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pytest

import orgmodel
from orgmodel.compare import UPDATED_FIELDS
from orgmodel.errors import OutputError
from orgmodel.events import (
    CLASSES,
    KINDS,
    Added,
    Event,
    KindChanged,
    LeaderChanged,
    Merged,
    Moved,
    PlanChanged,
    Removed,
    Renamed,
    Returned,
    Split,
    SpunOff,
    StatusChanged,
    Updated,
)
from orgmodel.model import KIND_WORDS_ZH, Leader, Unit
from orgmodel.report import describe, history_names
from tests.randomhistory import random_history

A, B = dt.date(2022, 1, 1), dt.date(2023, 1, 1)
NAMES_EN = {"g": "Group", "cloud": "Cloud", "ai": "AI Lab", "maps": "Maps", "pay": "Pay"}
NAMES_ZH = {"g": "集团", "cloud": "云智能", "ai": "人工智能实验室", "maps": "地图", "pay": "支付"}


def at(**fields: Any) -> dict[str, Any]:
    return {"since": A, "date": B, **fields}


def unit(uid: str, **fields: Any) -> Unit:
    return Unit(id=uid, name=NAMES_EN[uid], kind="company", parent="g", **fields)


# (id, event, English line, Chinese line)
ROWS: list[tuple[str, Event, str, str]] = [
    (
        "added",
        Added(**at(units=("ai", "g"), unit="ai", name="AI Lab", parent="g", record=unit("ai"))),
        "AI Lab [ai] under Group [g]",
        "人工智能实验室 [ai]，隶属 集团 [g]",
    ),
    (
        "added-standalone-planned",
        Added(
            **at(units=("ai",), unit="ai", name="AI Lab", parent="g"),
            record=unit("ai", status="standalone", plan="ipo_planned"),
        ),
        "AI Lab [ai] under Group [g] (standalone), IPO planned",
        "人工智能实验室 [ai]，隶属 集团 [g]（独立运营公司），计划上市",
    ),
    (
        "removed-dissolved",
        Removed(**at(units=("maps",), unit="maps", name="Maps", parent="g", how="dissolved")),
        "Maps [maps] (under Group [g]): dissolved",
        "地图 [maps]（原属 集团 [g]）：撤销",
    ),
    (
        "removed-unrecorded",
        Removed(**at(units=("maps",), unit="maps", name="Maps", parent="g", how="unrecorded")),
        "Maps [maps] (under Group [g]): gone, how not recorded",
        "地图 [maps]（原属 集团 [g]）：不再列出（去向未载明）",
    ),
    (
        "removed-absorbed-inferred",
        Removed(
            **at(units=("maps", "cloud"), unit="maps", name="Maps", parent="g", how="absorbed"),
            into="cloud",
            inferred=True,
        ),
        "Maps [maps] (under Group [g]): absorbed into Cloud [cloud] (inferred from overlap "
        "of sub-units)",
        "地图 [maps]（原属 集团 [g]）：并入 云智能 [cloud]（据下级单位的重合推断）",
    ),
    (
        "removed-along-with-note",
        Removed(
            **at(units=("maps",), unit="maps", name="Maps", parent="cloud", how="divested"),
            along_with="cloud",
            note="Sold to a fund.",
        ),
        "Maps [maps] (under Cloud [cloud]): divested, along with Cloud [cloud]. Sold to a fund.",
        "地图 [maps]（原属 云智能 [cloud]）：出售，随 云智能 [cloud] 一同。Sold to a fund.",
    ),
    (
        "removed-spun-off-root",
        Removed(**at(units=("g",), unit="g", name="Group", parent=None, how="spun_off")),
        "Group [g]: spun off",
        "集团 [g]：分拆出集团",
    ),
    (
        "renamed",
        Renamed(**at(units=("maps",), unit="maps", old_name="Maps", new_name="Amap")),
        "Maps -> Amap [maps]",
        "Maps 更名为 Amap [maps]",
    ),
    (
        "renamed-chinese",
        Renamed(
            **at(units=("maps",), unit="maps", old_name="Maps", new_name="Amap"),
            old_name_zh=None,
            new_name_zh="高德",
        ),
        "Maps -> Amap [maps] (- -> 高德)",
        "Maps 更名为 Amap [maps]（中文名 无 -> 高德）",
    ),
    (
        "renamed-both-languages",
        Renamed(
            **at(units=("maps",), unit="maps", old_name="AutoNavi", new_name="Amap"),
            old_name_zh="高德软件",
            new_name_zh="高德地图",
        ),
        "AutoNavi -> Amap [maps] (高德软件 -> 高德地图)",
        "高德软件 更名为 高德地图 [maps]（英文名 AutoNavi -> Amap）",
    ),
    (
        "renamed-chinese-only",
        Renamed(
            **at(units=("maps",), unit="maps", old_name="Amap", new_name="Amap"),
            old_name_zh="高德软件",
            new_name_zh="高德地图",
        ),
        "Amap -> Amap [maps] (高德软件 -> 高德地图)",
        "高德软件 更名为 高德地图 [maps]",
    ),
    (
        "renamed-chinese-name-dropped",
        Renamed(
            **at(units=("maps",), unit="maps", old_name="Amap", new_name="Amap"),
            old_name_zh="高德",
            new_name_zh=None,
        ),
        "Amap -> Amap [maps] (高德 -> -)",
        "Amap [maps]：中文名 高德 -> 无",
    ),
    (
        "moved",
        Moved(**at(units=("ai", "cloud", "g"), unit="ai", old_parent="g", new_parent="cloud")),
        "AI Lab [ai]: Group [g] -> Cloud [cloud]",
        "人工智能实验室 [ai]：由 集团 [g] 调至 云智能 [cloud] 之下",
    ),
    (
        "moved-to-top",
        Moved(**at(units=("ai",), unit="ai", old_parent="g", new_parent=None)),
        "AI Lab [ai]: Group [g] -> (none)",
        "人工智能实验室 [ai]：由 集团 [g] 调至 （无） 之下",
    ),
    (
        "split-off",
        Split(
            **at(units=("cloud", "ai"), predecessor="cloud", successors=("ai",), heir="cloud"),
            inferred=False,
        ),
        "AI Lab [ai] split off from Cloud [cloud] (declared lineage)",
        "人工智能实验室 [ai] 从 云智能 [cloud] 拆分而出（据所载沿革）",
    ),
    (
        "split-into",
        Split(
            **at(units=("cloud", "ai", "maps"), predecessor="cloud", successors=("ai", "maps")),
            heir="ai",
            inferred=True,
            score=0.75,
        ),
        "Cloud [cloud] split into AI Lab [ai], Maps [maps]; AI Lab [ai] carries its identity "
        "(inferred from overlap of sub-units, score 0.75)",
        "云智能 [cloud] 拆分为 人工智能实验室 [ai]、地图 [maps]；人工智能实验室 [ai] 承继其身份"
        "（据下级单位的重合推断，得分 0.75）",
    ),
    (
        "merged",
        Merged(
            **at(units=("ai", "maps", "cloud"), predecessors=("ai", "maps"), successor="cloud"),
            inferred=False,
        ),
        "AI Lab [ai] + Maps [maps] -> Cloud [cloud] (declared lineage)",
        "人工智能实验室 [ai]、地图 [maps] 合并为 云智能 [cloud]（据所载沿革）",
    ),
    (
        "spun-off-left-group",
        SpunOff(
            **at(units=("pay", "g"), unit="pay", old_parent="g", new_parent=None),
            old_status="active",
            new_status=None,
            left_group=True,
            note="Now held by its founders.",
        ),
        "Pay [pay] left the group (was active under Group [g]). Now held by its founders.",
        "支付 [pay] 离开集团（原为 集团 [g] 下的体系内）。Now held by its founders.",
    ),
    (
        "spun-off-carved-out",
        SpunOff(
            **at(units=("pay", "cloud"), unit="pay", old_parent=None, new_parent="g"),
            old_status=None,
            new_status="standalone",
            from_unit="cloud",
        ),
        "Pay [pay] carved out of Cloud [cloud] as standalone, under Group [g]",
        "支付 [pay] 从 云智能 [cloud] 分拆为独立运营公司，隶属 集团 [g]",
    ),
    (
        "spun-off-status-and-parent",
        SpunOff(
            **at(units=("pay", "cloud", "g"), unit="pay", old_parent="cloud", new_parent="g"),
            old_status="active",
            new_status="listed",
        ),
        "Pay [pay]: active -> listed, Cloud [cloud] -> Group [g]",
        "支付 [pay]：体系内 -> 上市公司，云智能 [cloud] -> 集团 [g]",
    ),
    (
        "returned-group",
        Returned(
            **at(units=("pay", "g"), unit="pay", back_to="group", left_on=dt.date(2020, 5, 1)),
            from_parent=None,
            to_parent="g",
            from_status=None,
            to_status="active",
        ),
        "Pay [pay] is back in the group, under Group [g] (active; away since 2020-05-01)",
        "支付 [pay] 回归集团，隶属 集团 [g]（体系内；自 2020-05-01 起离开）",
    ),
    (
        "returned-standing",
        Returned(
            **at(units=("pay", "cloud", "g"), unit="pay", back_to="standing", left_on=None),
            from_parent="g",
            to_parent="cloud",
            from_status="standalone",
            to_status="active",
        ),
        "Pay [pay] back in line: standalone -> active, Group [g] -> Cloud [cloud]",
        "支付 [pay] 回到体系内：独立运营公司 -> 体系内，集团 [g] -> 云智能 [cloud]",
    ),
    (
        "returned-parent",
        Returned(
            **at(units=("ai", "cloud", "g"), unit="ai", back_to="parent", left_on=A),
            from_parent="g",
            to_parent="cloud",
            from_status="standalone",
            to_status="active",
        ),
        "AI Lab [ai] back under Cloud [cloud], standalone -> active (from Group [g]); away "
        "since 2022-01-01",
        "人工智能实验室 [ai] 回到 云智能 [cloud] 之下，独立运营公司 -> 体系内（原属 集团 [g]）"
        "；自 2022-01-01 起离开",
    ),
    (
        "status-changed",
        StatusChanged(
            **at(units=("pay",), unit="pay", old_status="standalone", new_status="listed")
        ),
        "Pay [pay]: standalone -> listed",
        "支付 [pay]：独立运营公司 -> 上市公司",
    ),
    (
        "plan-announced",
        PlanChanged(**at(units=("pay",), unit="pay", old_plan=None, new_plan="spin_off_planned")),
        "Pay [pay]: spin-off planned",
        "支付 [pay]：计划分拆",
    ),
    (
        "plan-carried-out",
        PlanChanged(
            **at(units=("pay",), unit="pay", old_plan="ipo_planned", new_plan=None),
            carried_out=True,
        ),
        "Pay [pay]: IPO planned -> carried out",
        "支付 [pay]：计划上市 -> 已实施",
    ),
    (
        "plan-dropped",
        PlanChanged(**at(units=("pay",), unit="pay", old_plan="sale_agreed", new_plan=None)),
        "Pay [pay]: sale agreed -> no longer planned",
        "支付 [pay]：已达成出售协议 -> 不再计划",
    ),
    (
        "plan-changed",
        PlanChanged(
            **at(units=("pay",), unit="pay", old_plan="ipo_planned", new_plan="ipo_cancelled")
        ),
        "Pay [pay]: IPO planned -> IPO cancelled",
        "支付 [pay]：计划上市 -> 上市取消",
    ),
    (
        "leader-new",
        LeaderChanged(
            **at(units=("cloud",), unit="cloud", role="CEO", old=(), new=("Wu Yongming",)),
            leaders=(Leader(name="Wu Yongming", role="CEO"),),
        ),
        "Cloud [cloud]: CEO Wu Yongming (no earlier holder recorded)",
        "云智能 [cloud]：CEO Wu Yongming（此前任职者无记录）",
    ),
    (
        "leader-gone",
        LeaderChanged(
            **at(units=("cloud",), unit="cloud", role="CEO", old=("A", "B"), new=()),
            leaders=(),
        ),
        "Cloud [cloud]: CEO A, B (no longer recorded)",
        "云智能 [cloud]：CEO A、B（不再有记录）",
    ),
    (
        "leader-changed",
        LeaderChanged(
            **at(units=("cloud",), unit="cloud", role="总裁", old=("张勇",), new=("吴泳铭",)),
            leaders=(Leader(name="Wu Yongming", role="总裁"),),
        ),
        "Cloud [cloud]: 总裁 张勇 -> 吴泳铭",
        "云智能 [cloud]：总裁 张勇 -> 吴泳铭",
    ),
    (
        "kind-changed",
        KindChanged(
            **at(units=("cloud",), unit="cloud", old_kind="company", new_kind="business_group")
        ),
        "Cloud [cloud]: company -> business group",
        "云智能 [cloud]：公司 -> 事业群",
    ),
    (
        "kind-changed-own-kind",
        KindChanged(**at(units=("cloud",), unit="cloud", old_kind="company", new_kind="taskforce")),
        "Cloud [cloud]: company -> taskforce",
        "云智能 [cloud]：公司 -> taskforce",
    ),
    (
        "updated",
        Updated(
            **at(units=("cloud",), unit="cloud", fields=("sources", "field_confidence", "note")),
            old={},
            new={},
        ),
        "Cloud [cloud]: sources, field confidence, note",
        "云智能 [cloud]：来源、单项可信度、备注",
    ),
]


def names_in(table: dict[str, str]) -> orgmodel.report.Names:
    return lambda uid, day: table.get(uid)


@pytest.mark.parametrize(("event", "en", "zh"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_every_line_in_both_languages(event: Event, en: str, zh: str) -> None:
    assert describe(event, names_in(NAMES_EN)) == en
    assert describe(event, names_in(NAMES_EN), lang="en") == en
    assert describe(event, names_in(NAMES_ZH), lang="zh") == zh
    assert english_left(zh, event, list(NAMES_ZH)) == ""


def test_the_rows_cover_every_kind() -> None:
    assert sorted({r[1].kind for r in ROWS}) == sorted(KINDS) == sorted(CLASSES)


def test_markdown_and_unknown_units_in_chinese() -> None:
    event = dict((r[0], r[1]) for r in ROWS)["merged"]
    assert describe(event, lang="zh", markdown=True) == "`ai`、`maps` 合并为 `cloud`（据所载沿革）"
    assert describe(event, lang="zh") == "ai、maps 合并为 cloud（据所载沿革）"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(OutputError, match="unknown language 'fr'; use one of en, zh"):
        describe(ROWS[0][1], lang="fr")


# What a Chinese line may hold in Latin letters: the ids and names it quotes, the data it
# repeats (notes, roles, leaders' names, a kind of the data's own). A status, plan, kind or
# field word left in English is not among them.
DATA_FIELDS = ("name", "old_name", "new_name", "old_name_zh", "new_name_zh", "note", "role")


def quoted(event: Event) -> list[str]:
    texts = [*event.units, *(getattr(event, f, None) or "" for f in DATA_FIELDS)]
    if isinstance(event, LeaderChanged):
        texts += [*event.old, *event.new]
    if isinstance(event, KindChanged):
        texts += [k for k in (event.old_kind, event.new_kind) if k not in KIND_WORDS_ZH]
    return [t for t in texts if t]


def english_left(line: str, event: Event, names: Iterable[str] = ()) -> str:
    """The Latin words of ``line`` once the quoted ids, names and data are taken out (longest
    first, so that an id inside a name does not cut it)."""
    for text in sorted([*quoted(event), *names], key=len, reverse=True):
        line = line.replace(text, "")
    return " ".join(re.findall(r"[A-Za-z]+", line))


def test_every_field_of_a_unit_reads_in_chinese() -> None:
    fields = tuple(f for f in Unit.model_fields if f != "id")
    assert set(UPDATED_FIELDS) < set(fields)
    event = Updated(**at(units=("cloud",), unit="cloud", fields=fields), old={}, new={})
    assert english_left(describe(event, names_in(NAMES_ZH), lang="zh"), event, ["cloud"]) == ""


@pytest.mark.parametrize(
    "history",
    [
        pytest.param(orgmodel.load_history(), id="bundled"),
        pytest.param(random_history(60, 12, 7), id="random"),
    ],
)
def test_real_events_read_in_chinese(history: orgmodel.History) -> None:
    en_names, zh_names = history_names(history), chinese_names(history)
    every_name = {u.name for s in history.snapshots for u in s.units.values()}
    every_name |= {u.name_zh or "" for s in history.snapshots for u in s.units.values()}
    every_name |= {u.id for s in history.snapshots for u in s.units.values()}
    seen = set()
    for event in history.changes():
        zh = describe(event, zh_names, lang="zh")
        assert describe(event, en_names) == describe(event, en_names, lang="en")
        assert english_left(zh, event, every_name) == "", (event, zh)
        seen.add(event.kind)
    assert len(seen) >= 5


def chinese_names(history: orgmodel.History) -> orgmodel.report.Names:
    latest = {u.id: u.name_zh or u.name for s in history.snapshots for u in s.units.values()}
    return lambda uid, day: latest.get(uid)
