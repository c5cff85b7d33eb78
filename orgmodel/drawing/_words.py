"""Every word a picture prints that is not data, in each language pictures are drawn in.

One table, so that ``lang="zh"`` localises a whole picture (headings, legends, footnotes, event
words) and a new word cannot be added in one language only (a test checks that every entry has
every language). Unit names, snapshot titles and source publishers are data: they are drawn as
the snapshot files give them (a unit's ``name_zh`` in Chinese where known).

>>> word("units", "zh", count=3)
'3 个单位'
>>> kind_word("business_group", "zh"), kind_word("my_kind", "zh")
('事业群', 'my kind')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from orgmodel.model import (
    KIND_WORDS_ZH,
    PLAN_WORDS,
    PLAN_WORDS_ZH,
    PLANS,
    STATUS_WORDS,
    STATUS_WORDS_ZH,
)

__all__ = ["LANGUAGES", "WORDS", "kind_word", "word"]

#: The languages pictures are drawn in.
LANGUAGES: tuple[str, ...] = ("en", "zh")

#: Each word, by key, in each language; ``{name}`` fields are filled in by :func:`word`.
WORDS: Mapping[str, Mapping[str, str]] = {
    # Headings and footnotes
    "organisation": {"en": "Organisation", "zh": "组织架构"},
    "snapshot_of": {"en": "Snapshot of {date}", "zh": "{date} 的架构"},
    "below": {"en": "below {unit}", "zh": "{unit} 以下"},
    "units": {"en": "{count} units", "zh": "{count} 个单位"},
    "units_shown": {
        "en": "{shown} of {total} units shown",
        "zh": "显示 {total} 个单位中的 {shown} 个",
    },
    "separator": {"en": "; ", "zh": "；"},
    "unit": {"en": "{count} unit", "zh": "{count} 个单位"},
    "levels_shown": {"en": "{levels} levels shown", "zh": "显示 {levels} 层"},
    "changes_from": {"en": "Changes from {a} to {b}", "zh": "{a} 至 {b} 的变化"},
    "step_of": {
        "en": "Step {index} of {count}: {a} to {b}",
        "zh": "第 {index}/{count} 步：{a} 至 {b}",
    },
    "sources": {"en": "Sources", "zh": "资料来源"},
    "hidden_below": {"en": "+{count} below", "zh": "下设 {count} 个"},
    "was": {"en": "was {name}", "zh": "原为 {name}"},
    "leader": {"en": "{role}: {name}", "zh": "{role}：{name}"},
    # Standing and plans (org chart legend)
    "active": {"en": "in line", "zh": "内部单位"},
    "standalone": {"en": "stand-alone company (dashed)", "zh": "独立运营公司（虚线）"},
    "listed": {"en": "listed (thick border)", "zh": "已上市（粗边框）"},
    "affiliate": {
        "en": "affiliate, outside the group (dotted, hatched)",
        "zh": "集团外关联公司（点线、斜纹）",
    },
    # Plans read as the model words them.
    **{plan: {"en": PLAN_WORDS[plan], "zh": PLAN_WORDS_ZH[plan]} for plan in PLANS},
    "unconfirmed_unit": {
        "en": "(?) unit not confirmed by the sources",
        "zh": "（?）单位未经资料证实",
    },
    "unconfirmed_place": {
        "en": "dotted link: placement not confirmed",
        "zh": "点线连接：隶属关系未经证实",
    },
    # Event words are the event classes' own titles: see event_words below.
    "unchanged": {"en": "unchanged", "zh": "未变"},
    "split_source": {"en": "split: the unit split up", "zh": "拆分：被拆分的单位"},
    "split_result": {"en": "split: a unit it split into", "zh": "拆分：拆出的单位"},
    "merged_source": {"en": "merged: a unit merged away", "zh": "合并：被合并的单位"},
    "merged_result": {"en": "merged: the unit they formed", "zh": "合并：合并后的单位"},
    "moved_from": {"en": "moved: the box names its old parent", "zh": "调整隶属：框内注明原上级"},
    "from_parent": {"en": "from {name}", "zh": "原属 {name}"},
    "split_into": {"en": "split into {names}", "zh": "拆分为 {names}"},
    "split_from": {"en": "split from {name}", "zh": "拆分自 {name}"},
    "merged_into": {"en": "merged into {name}", "zh": "并入 {name}"},
    "merged_from": {"en": "formed from {names}", "zh": "由 {names} 合并"},
    "n_units": {"en": "{count} units", "zh": "{count} 个单位"},
    "unchanged_below": {"en": "+{count} unchanged", "zh": "另有 {count} 个未变"},
    "count": {"en": "{label}: {count}", "zh": "{label}：{count}"},
    # Timelines: headings, legend and what the marks on a lane say
    "units_over_time": {"en": "{org}: units over time", "zh": "{org}：各单位的变迁"},
    "story_of": {"en": "{org}: the story of {name}", "zh": "{org}：{name}的变迁"},
    "snapshots_bars": {
        "en": "Snapshots {a} to {b} ({count}); bars {start} to {end}",
        "zh": "架构快照 {a} 至 {b}（{count} 个）；横条 {start} 至 {end}",
    },
    "story_units": {
        "en": "{unit}: the units its changes involved, and their parents",
        "zh": "{unit}：其变动涉及的单位及其上级",
    },
    "units_down_to": {
        "en": "{count} units, down to {levels} below the top",
        "zh": "{count} 个单位，下至顶层以下 {levels}",
    },
    "levels": {"en": "{count} levels", "zh": "{count} 层"},
    "level": {"en": "{count} level", "zh": "{count} 层"},
    "on_rows": {
        "en": "Some rows hold one unit after another, each later one named at the start of its "
        "bar: joined to the one it came from, or marked as new.",
        "zh": "部分行先后容纳多个单位，后者名称标在其横条起点：与其来源相连，或标为新单位。",
    },
    "new_on_row": {
        "en": "new unit, not from the one before it on its row",
        "zh": "新单位（并非来自同一行的前一单位）",
    },
    "deeper_units": {
        "en": "{count} units further down: --depth {depth} or --unit ID shows them",
        "zh": "更下层还有 {count} 个单位：用 --depth {depth} 或 --unit ID 显示",
    },
    "left_out": {
        "en": "{count} with the fewest changes left out, named below (--depth {depth} or "
        "--unit ID shows them)",
        "zh": "略去变动最少的 {count} 个，名称见下（用 --depth {depth} 或 --unit ID 显示）",
    },
    "not_shown": {"en": "Not shown: {names}", "zh": "未显示：{names}"},
    "list_separator": {"en": ", ", "zh": "、"},
    "titles_of": {
        "en": "titles of {count} of the {total} snapshots",
        "zh": "标出 {total} 个快照中 {count} 个的标题",
    },
    "in_line": {"en": "in line", "zh": "集团内部"},
    "standalone_bar": {
        "en": "stand-alone or listed (dashed)",
        "zh": "独立运营或上市公司（虚线）",
    },
    "outside_bar": {"en": "outside the group (dotted)", "zh": "集团以外（点线）"},
    "plan_bar": {
        "en": "announced, not done (dotted, on top)",
        "zh": "已宣布、未实施（横条上沿点线）",
    },
    "split_link": {"en": "split (fork)", "zh": "拆分（分叉线）"},
    "merged_link": {"en": "merged or absorbed (join)", "zh": "合并或并入（汇合线）"},
    "renamed_to": {"en": "renamed {name}", "zh": "更名为{name}"},
    "moved_under": {"en": "moved under {name}", "zh": "调入{name}"},
    "left_group": {"en": "left the group", "zh": "离开集团"},
    "spun_off_as": {"en": "spun off ({what})", "zh": "分拆（{what}）"},
    "plan_dropped": {"en": "plan dropped", "zh": "计划撤回"},
    "removed_into": {"en": "{how} into {name}", "zh": "{how}，归入{name}"},
    "absorbed_into": {"en": "absorbed into {name}", "zh": "并入{name}"},
    "and": {"en": " and ", "zh": "、"},
    "of_unit": {"en": "{name}: {text}", "zh": "{name}：{text}"},
    # What a unit became, as the model words its statuses.
    **{
        f"{status}_status": {"en": STATUS_WORDS[status], "zh": STATUS_WORDS_ZH[status]}
        for status in STATUS_WORDS
    },
    "dissolved": {"en": "dissolved", "zh": "撤销"},
    "unrecorded": {"en": "gone (how not recorded)", "zh": "不再列出（去向未载明）"},
    "divested": {"en": "divested", "zh": "出售"},
    "absorbed": {"en": "absorbed", "zh": "并入"},
    "spun_off_how": {"en": "spun off", "zh": "分拆"},
    "became_kind": {"en": "became {article} {kind}", "zh": "改为{kind}"},
    # Flow charts
    "where_units_went": {"en": "{org}: where the units went", "zh": "{org}：各单位的去向"},
    "flow_blocks": {
        "en": "Blocks: the units {under} on each date, each as tall as the units it holds (itself "
        "included); ribbons: the units that pass from one block to the next (strong where they "
        "change block).",
        "zh": "色块：各日期{under}的单位，高度按其所含单位数（含自身）；"
        "色带：从一个色块流向下一个色块的单位（换到别的色块时颜色较深）。",
    },
    "directly_under": {"en": "directly under the top", "zh": "顶层直属"},
    "levels_under": {"en": "{count} levels below the top", "zh": "顶层以下第 {count} 层"},
    "flow_pooled": {
        "en": "Units holding fewer than {size} on every date shown are pooled as 'other units'; "
        "snapshots of {a} to {b}, {count} of them.",
        "zh": "在所示各日期所含单位均少于 {size} 个的单位合为“其他单位”；"
        "快照 {a} 至 {b}，共 {count} 个。",
    },
    "other_units": {"en": "{count} other units", "zh": "其他 {count} 个单位"},
    "other_unit": {"en": "{count} other unit", "zh": "其他 {count} 个单位"},
}

#: Generic words for kinds of unit (the model's); a kind not listed here is drawn as its name.
KIND_WORDS: Mapping[str, Mapping[str, str]] = {
    kind: {"en": kind.replace("_", " "), "zh": zh} for kind, zh in KIND_WORDS_ZH.items()
}


@functools.cache
def event_words() -> dict[str, dict[str, str]]:
    """Each event kind's word in each language: its class's title (lower case in English).

    Made on first use: an org chart has no event words, and need not build the event classes.
    """
    from orgmodel.events import CLASSES

    return {
        kind: {"en": cls.title[0].lower() + cls.title[1:], "zh": cls.title_zh}
        for kind, cls in CLASSES.items()
    }


def word(key: str, lang: str = "en", **fields: object) -> str:
    """The word ``key`` in ``lang``, with its ``{fields}`` filled in.

    Raises ``KeyError`` for a key that is not in :data:`WORDS` and ``ValueError`` for a
    language that is not in :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}': use 'en' or 'zh'")
    words = WORDS.get(key) or event_words()[key]
    text = words[lang]
    return text.format(**fields) if fields else text


def kind_word(kind: str, lang: str = "en") -> str:
    """How a kind of unit reads in ``lang``: its generic word if there is one, else its name."""
    words = KIND_WORDS.get(kind)
    return words[lang] if words is not None else kind.replace("_", " ")
