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

from collections.abc import Mapping

from orgmodel.model import KIND_WORDS_ZH, PLAN_WORDS, PLAN_WORDS_ZH, PLANS

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
    "standalone": {"en": "standalone company (dashed)", "zh": "独立运营公司（虚线）"},
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
}

#: Generic words for kinds of unit (the model's); a kind not listed here is drawn as its name.
KIND_WORDS: Mapping[str, Mapping[str, str]] = {
    kind: {"en": kind.replace("_", " "), "zh": zh} for kind, zh in KIND_WORDS_ZH.items()
}


def event_words() -> dict[str, dict[str, str]]:
    """Each event kind's word in each language: its class's title (lower case in English)."""
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
    words = WORDS.get(key) or _EVENT_WORDS[key]
    text = words[lang]
    return text.format(**fields) if fields else text


def kind_word(kind: str, lang: str = "en") -> str:
    """How a kind of unit reads in ``lang``: its generic word if there is one, else its name."""
    words = KIND_WORDS.get(kind)
    return words[lang] if words is not None else kind.replace("_", " ")


_EVENT_WORDS: Mapping[str, Mapping[str, str]] = event_words()
