"""Change events: what happened to the organisation between two snapshots, as typed records.

Every event is a frozen pydantic model tagged by ``kind``; :data:`Event` is their discriminated
union, so a list of events read back from JSON comes back as the right classes. Every event has

``kind``
    what happened: one of :data:`KINDS`.
``units``
    the ids of the units involved, the main one first.
``since``, ``date``
    the dates of the two snapshots it lies between: the event happened in ``(since, date]``.
``sources``
    the keys of the sources that back it, taken from the later snapshot's unit or removal.

Unit-level events (``added``, ``removed``, ``renamed``, ``moved``, ``status_changed``,
``kind_changed``, ``updated``) say what happened to one unit; the group-level events ``split``
and ``merged`` say how units were formed from others, on top of the ``added`` and ``removed``
events of the units concerned (the split between unit and group events of Asur et al., 2009).
``spun_off`` and ``returned`` are about a unit's standing in the group (see
:data:`orgmodel.model.STANDING`) or its place in it. ``updated`` carries the changes to fields
that are no event of their own (leaders, lineage, sources, confidence, note), so that a
:class:`~orgmodel.compare.Diff` holds everything needed to rebuild its later snapshot.

Examples
--------
>>> import datetime as dt
>>> event = Renamed(units=("cloud",), since=dt.date(2022, 1, 1), date=dt.date(2023, 1, 1),
...                 unit="cloud", old_name="Cloud", new_name="Cloud Intelligence")
>>> event.kind, event.model_dump(mode="json")["date"]
('renamed', '2023-01-01')
>>> parse_event(event.model_dump(mode="json")) == event
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, Final, Literal, Protocol, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from orgmodel.errors import OrgModelError
from orgmodel.model import (
    KIND_WORDS_ZH,
    PLAN_WORDS,
    PLAN_WORDS_ZH,
    STANDING,
    STATUS_WORDS_ZH,
    Lang,
    Leader,
    Plan,
    Status,
    Unit,
)

__all__ = [
    "CLASSES",
    "KINDS",
    "TITLES",
    "Added",
    "Edit",
    "Event",
    "EventError",
    "EventKind",
    "KindChanged",
    "LeaderChanged",
    "Merged",
    "Moved",
    "Namer",
    "PlanChanged",
    "Removed",
    "Renamed",
    "Returned",
    "Split",
    "SpunOff",
    "StatusChanged",
    "Updated",
    "check_kinds",
    "event_sort_key",
    "events_json_schema",
    "field_word",
    "parse_event",
]

EventKind = Literal[
    "added",
    "removed",
    "renamed",
    "moved",
    "split",
    "merged",
    "spun_off",
    "returned",
    "status_changed",
    "plan_changed",
    "leader_changed",
    "kind_changed",
    "updated",
]

#: Every event kind, in the order reports group them.
KINDS: Final[tuple[EventKind, ...]] = get_args(EventKind)
KIND_RANK: Final[dict[str, int]] = {kind: rank for rank, kind in enumerate(KINDS)}


class EventError(OrgModelError, ValueError):
    """A request about events that cannot be met: an unknown kind, a bad threshold, a diff
    applied to the wrong snapshot."""


class Namer(Protocol):
    """How an event's one line names its units: the report's writer gives a unit's name on a
    date with its id (``Cloud [cloud]``, or Markdown), ``(none)`` for no unit (in the language
    of the line: ``（无）`` in Chinese)."""

    def unit(self, unit_id: str | None, date: dt.date) -> str: ...

    def units(self, unit_ids: Iterable[str], date: dt.date, joint: str = ", ") -> str: ...

    def code(self, unit_id: str) -> str: ...

    def text(self, words: str) -> str: ...


class Edit(Protocol):
    """What an event may do to the snapshot it is applied to (see :meth:`Diff.apply`)."""

    def arrive(self, unit: Unit) -> None: ...

    def leave(self, unit_id: str) -> None: ...

    def set(self, unit_id: str, **fields: Any) -> None: ...

    def set_checked(self, unit_id: str, fields: Mapping[str, Any]) -> None: ...


def _words(value: str | None) -> str:
    return "(none)" if value is None else value.replace("_", " ")


def _plan(value: Plan | None) -> str:
    return "no plan" if value is None else PLAN_WORDS[value]


# The Chinese line of each event says what the English one says, in the same order; its words
# for statuses, plans and kinds are the model's, those below are the events' own.
_HOW_ZH: Final[dict[str, str]] = {
    "dissolved": "撤销",
    "divested": "出售",
    "absorbed": "并入",
    "spun_off": "分拆出集团",
    "unrecorded": "不再列出（去向未载明）",
}
#: The English words for a removal, where they are not the value itself.
_HOW_EN: Final[dict[str, str]] = {"spun_off": "spun off", "unrecorded": "gone, how not recorded"}
_STANDING_ZH: Final[dict[str, str]] = {
    "in_line": "体系内",
    "standalone": "独立运营",
    "outside": "集团外",
}
#: A unit's fields, as an ``updated`` event names them.
_FIELD_ZH: Final[dict[str, str]] = {
    "name": "名称",
    "name_zh": "中文名称",
    "kind": "类型",
    "parent": "上级",
    "status": "状态",
    "plan": "计划",
    "leaders": "负责人",
    "lineage": "沿革",
    "sources": "来源",
    "confidence": "可信度",
    "field_confidence": "单项可信度",
    "note": "备注",
}
_LIST_ZH: Final = "、"


def field_word(field: str, lang: Lang = "en") -> str:
    """A unit's field as an ``updated`` event names it, in ``lang``.

    >>> field_word("field_confidence"), field_word("field_confidence", "zh")
    ('field confidence', '单项可信度')
    """
    return _FIELD_ZH.get(field, _words(field)) if lang == "zh" else _words(field)


def _say(lang: Lang, en: str, zh: str) -> str:
    """The line in ``lang``: each event writes its two sentences side by side."""
    return zh if lang == "zh" else en


def _status_zh(value: Status | None) -> str:
    return "无" if value is None else STATUS_WORDS_ZH[value]


def _plan_zh(value: Plan | None) -> str:
    return "无计划" if value is None else PLAN_WORDS_ZH[value]


def _kind_zh(value: str) -> str:
    return KIND_WORDS_ZH.get(value, value)


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The heading of the kind's group in a report.
    title: ClassVar[str]
    #: The heading in Chinese, for pictures and pages drawn with ``lang="zh"``.
    title_zh: ClassVar[str]

    units: tuple[str, ...] = Field(description="The ids of the units involved, the main first.")
    since: dt.date = Field(description="The date of the earlier snapshot.")
    date: dt.date = Field(
        description="The date of the later snapshot: the event happened in (since, date]."
    )
    sources: tuple[str, ...] = Field(
        (), description="Keys of the sources that back the event, from the later snapshot."
    )

    def __repr__(self) -> str:
        kind = getattr(self, "kind", "?")
        return f"<{type(self).__name__} {kind} {', '.join(self.units)} {self.date}>"

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        """One line saying what happened, in ``lang`` (``"en"`` or ``"zh"``), naming the units
        through ``w`` (which names them in the same language)."""
        raise NotImplementedError

    def apply(self, edit: Edit) -> None:
        """Make the change this event records to a snapshot being rebuilt."""
        raise NotImplementedError


class Added(_Event):
    """A unit that is in the later snapshot and was not in the earlier one."""

    title: ClassVar[str] = "Added"
    title_zh: ClassVar[str] = "新增"
    kind: Literal["added"] = "added"
    unit: str
    name: str
    parent: str | None
    record: Unit = Field(description="The unit as the later snapshot has it.")

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit, parent = w.unit(self.unit, self.date), w.unit(self.parent, self.date)
        status, plan, status_zh, plan_zh = "", "", "", ""
        if self.record.status != "active":
            status = f" ({_words(self.record.status)})"
            status_zh = f"（{_status_zh(self.record.status)}）"
        if self.record.plan:
            plan, plan_zh = f", {_plan(self.record.plan)}", f"，{_plan_zh(self.record.plan)}"
        return _say(
            lang,
            f"{unit} under {parent}{status}{plan}",
            f"{unit}，隶属 {parent}{status_zh}{plan_zh}",
        )

    def apply(self, edit: Edit) -> None:
        edit.arrive(self.record)


RemovedHow = Literal["dissolved", "divested", "absorbed", "spun_off", "unrecorded"]


def _inference(event: Removed | Split | Merged, lang: Lang) -> str:
    if event.inferred:
        score = getattr(event, "score", None)
        if score is not None:
            return _say(
                lang,
                f"inferred from overlap of sub-units, score {score:.2f}",
                f"据下级单位的重合推断，得分 {score:.2f}",
            )
        return _say(lang, "inferred from overlap of sub-units", "据下级单位的重合推断")
    return _say(lang, "declared lineage", "据所载沿革")


class Removed(_Event):
    """A unit of the earlier snapshot that is not in the later one."""

    title: ClassVar[str] = "Removed"
    title_zh: ClassVar[str] = "移除"
    kind: Literal["removed"] = "removed"
    unit: str
    name: str
    parent: str | None
    how: RemovedHow = Field(
        description="dissolved (wound up), divested (sold), absorbed (taken into `into`), "
        "spun_off (left the group along with `along_with`), or unrecorded (gone, and neither "
        "the data nor the structure says how)."
    )
    into: str | None = Field(None, description="With absorbed: the unit that took it in.")
    along_with: str | None = Field(
        None,
        description="When the unit went because an ancestor went: that ancestor, whose `how` "
        "and `into` it shares.",
    )
    inferred: bool = Field(
        False, description="True when `into` comes from the overlap of sub-units, not lineage."
    )
    note: str | None = Field(None, description="The note of the declared removal, if any.")

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        before, unit = self.since, w.unit(self.unit, self.since)
        where, where_zh = "", ""
        if self.parent:
            parent = w.unit(self.parent, before)
            where, where_zh = f" (under {parent})", f"（原属 {parent}）"
        how, how_zh = _HOW_EN.get(self.how, self.how), _HOW_ZH[self.how]
        text = _say(lang, f"{unit}{where}: {how}", f"{unit}{where_zh}：{how_zh}")
        if self.into is not None:
            into = w.unit(self.into, self.date)
            text += _say(lang, f" into {into}", f" {into}")
        if self.along_with is not None:
            along = w.unit(self.along_with, before)
            text += _say(lang, f", along with {along}", f"，随 {along} 一同")
        if self.inferred:
            text += _say(lang, f" ({_inference(self, lang)})", f"（{_inference(self, lang)}）")
        if self.note:
            text += _say(lang, f". {w.text(self.note)}", f"。{w.text(self.note)}")
        return text

    def apply(self, edit: Edit) -> None:
        edit.leave(self.unit)


class Renamed(_Event):
    """A unit whose English or Chinese name changed."""

    title: ClassVar[str] = "Renamed"
    title_zh: ClassVar[str] = "更名"
    kind: Literal["renamed"] = "renamed"
    unit: str
    old_name: str
    new_name: str
    old_name_zh: str | None = None
    new_name_zh: str | None = None

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        old, new, code = w.text(self.old_name), w.text(self.new_name), w.code(self.unit)
        if self.old_name_zh == self.new_name_zh:
            return _say(lang, f"{old} -> {new} {code}", f"{old} 更名为 {new} {code}")
        old_zh = w.text(self.old_name_zh) if self.old_name_zh else ""
        new_zh = w.text(self.new_name_zh) if self.new_name_zh else ""
        en = f"{old} -> {new} {code} ({old_zh or '-'} -> {new_zh or '-'})"
        # In Chinese the Chinese names lead; the English ones follow when they changed too.
        if old_zh and new_zh:
            english = "" if old == new else f"（英文名 {old} -> {new}）"
            return _say(lang, en, f"{old_zh} 更名为 {new_zh} {code}{english}")
        chinese = f"中文名 {old_zh or '无'} -> {new_zh or '无'}"
        if old == new:
            return _say(lang, en, f"{old} {code}：{chinese}")
        return _say(lang, en, f"{old} 更名为 {new} {code}（{chinese}）")

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, name=self.new_name, name_zh=self.new_name_zh)


class Moved(_Event):
    """A unit that sits under a new parent; its sub-units move with it and are not reported."""

    title: ClassVar[str] = "Moved"
    title_zh: ClassVar[str] = "调整隶属"
    kind: Literal["moved"] = "moved"
    unit: str
    old_parent: str | None
    new_parent: str | None

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit, old = w.unit(self.unit, self.date), w.unit(self.old_parent, self.since)
        new = w.unit(self.new_parent, self.date)
        return _say(lang, f"{unit}: {old} -> {new}", f"{unit}：由 {old} 调至 {new} 之下")

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, parent=self.new_parent)


class Split(_Event):
    """One unit whose parts went to several units (or one new unit carved out of a unit that
    stays)."""

    title: ClassVar[str] = "Split"
    title_zh: ClassVar[str] = "拆分"
    kind: Literal["split"] = "split"
    predecessor: str
    successors: tuple[str, ...]
    heir: str = Field(
        description="The unit that carries the predecessor's identity: the predecessor itself "
        "when it stays, else the successor with the largest overlap of sub-units."
    )
    inferred: bool = Field(
        description="False when declared by lineage, True when inferred from overlap."
    )
    score: float | None = Field(
        None,
        description="With inferred: the overlap score of the children of the predecessor "
        "and its successors (see orgmodel.matching).",
    )

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        successors = w.units(self.successors, self.date, _say(lang, ", ", _LIST_ZH))
        predecessor, how = w.unit(self.predecessor, self.since), _inference(self, lang)
        if self.heir == self.predecessor:
            return _say(
                lang,
                f"{successors} split off from {predecessor} ({how})",
                f"{successors} 从 {predecessor} 拆分而出（{how}）",
            )
        heir = w.unit(self.heir, self.date)
        return _say(
            lang,
            f"{predecessor} split into {successors}; {heir} carries its identity ({how})",
            f"{predecessor} 拆分为 {successors}；{heir} 承继其身份（{how}）",
        )

    def apply(self, edit: Edit) -> None:
        pass  # a reading of the added and removed events it comes with


class Merged(_Event):
    """Several units that went into one."""

    title: ClassVar[str] = "Merged"
    title_zh: ClassVar[str] = "合并"
    kind: Literal["merged"] = "merged"
    predecessors: tuple[str, ...]
    successor: str
    inferred: bool = Field(
        description="False when declared by lineage, True when inferred from overlap."
    )
    score: float | None = Field(
        None,
        description="With inferred: the overlap score of the children of the "
        "predecessors and the successor (see orgmodel.matching).",
    )

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        merged = w.units(self.predecessors, self.since, _say(lang, " + ", _LIST_ZH))
        successor, how = w.unit(self.successor, self.date), _inference(self, lang)
        return _say(
            lang, f"{merged} -> {successor} ({how})", f"{merged} 合并为 {successor}（{how}）"
        )

    def apply(self, edit: Edit) -> None:
        pass  # a reading of the added and removed events it comes with


class SpunOff(_Event):
    """A unit that left its line: what it is changed from in line to a stand-alone or listed
    company, it was carved out of an in-line unit as one, or it left the group. An announced
    spin-off or IPO is a ``plan_changed``, not this."""

    title: ClassVar[str] = "Spun off"
    title_zh: ClassVar[str] = "分拆"
    kind: Literal["spun_off"] = "spun_off"
    unit: str
    old_parent: str | None
    new_parent: str | None
    old_status: Status | None
    new_status: Status | None
    from_unit: str | None = Field(
        None, description="For a new unit: the in-line unit it was carved out of."
    )
    left_group: bool = Field(
        False, description="True when the unit left the group (it is gone from the snapshot)."
    )
    note: str | None = Field(None, description="The note of the declared removal, if any.")

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        day, before = self.date, self.since
        old, new = _words(self.old_status), _words(self.new_status)
        old_zh, new_zh = _status_zh(self.old_status), _status_zh(self.new_status)
        if self.left_group:
            unit, parent = w.unit(self.unit, before), w.unit(self.old_parent, before)
            text = _say(
                lang,
                f"{unit} left the group (was {old} under {parent})",
                f"{unit} 离开集团（原为 {parent} 下的{old_zh}）",
            )
            if self.note:
                text += _say(lang, f". {w.text(self.note)}", f"。{w.text(self.note)}")
            return text
        unit, parent = w.unit(self.unit, day), w.unit(self.new_parent, day)
        if self.from_unit is not None:
            source = w.unit(self.from_unit, before)
            return _say(
                lang,
                f"{unit} carved out of {source} as {new}, under {parent}",
                f"{unit} 从 {source} 分拆为{new_zh}，隶属 {parent}",
            )
        text = _say(lang, f"{unit}: {old} -> {new}", f"{unit}：{old_zh} -> {new_zh}")
        if self.old_parent != self.new_parent:
            moved = f"{w.unit(self.old_parent, before)} -> {parent}"
            text += _say(lang, f", {moved}", f"，{moved}")
        return text

    def apply(self, edit: Edit) -> None:
        if self.left_group:
            edit.leave(self.unit)
        elif self.from_unit is None:
            edit.set(self.unit, parent=self.new_parent, status=self.new_status)


BackTo = Literal["group", "standing", "parent"]


class Returned(_Event):
    """A unit that went back to the group, to a standing or to a parent it had before."""

    title: ClassVar[str] = "Returned"
    title_zh: ClassVar[str] = "回归"
    kind: Literal["returned"] = "returned"
    unit: str
    back_to: BackTo = Field(
        description="group (its id reappears after an absence), standing (its standing fell "
        "back to one it, or the units it came from, had before) or parent (it is back under a "
        "parent it had before)."
    )
    left_on: dt.date | None = Field(
        description="The date of the first snapshot without what it came back to; None when "
        "the diff had no history to look back in."
    )
    from_parent: str | None
    to_parent: str | None
    from_status: Status | None
    to_status: Status
    record: Unit | None = Field(
        None, description="With back_to=group: the unit as the later snapshot has it."
    )

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit, parent = w.unit(self.unit, self.date), w.unit(self.to_parent, self.date)
        away = self.left_on.isoformat() if self.left_on else ""
        left = _say(lang, f"; away since {away}", f"；自 {away} 起离开") if away else ""
        status = _say(
            lang,
            f"{_words(self.from_status)} -> {_words(self.to_status)}",
            f"{_status_zh(self.from_status)} -> {_status_zh(self.to_status)}",
        )
        if self.back_to == "group":
            to = _say(lang, _words(self.to_status), _status_zh(self.to_status))
            return _say(
                lang,
                f"{unit} is back in the group, under {parent} ({to}{left})",
                f"{unit} 回归集团，隶属 {parent}（{to}{left}）",
            )
        earlier = w.unit(self.from_parent, self.since)
        if self.back_to == "standing":
            standing = STANDING[self.to_status]
            text = _say(
                lang,
                f"{unit} back {_words(standing)}: {status}",
                f"{unit} 回到{_STANDING_ZH[standing]}：{status}",
            )
            if self.from_parent != self.to_parent:
                text += _say(lang, f", {earlier} -> {parent}", f"，{earlier} -> {parent}")
            return f"{text}{left}"
        text = _say(lang, f"{unit} back under {parent}", f"{unit} 回到 {parent} 之下")
        if self.from_status != self.to_status:
            text += _say(lang, f", {status}", f"，{status}")
        return text + _say(lang, f" (from {earlier}){left}", f"（原属 {earlier}）{left}")

    def apply(self, edit: Edit) -> None:
        if self.record is not None:
            edit.arrive(self.record)
        else:
            edit.set(self.unit, parent=self.to_parent, status=self.to_status)


class StatusChanged(_Event):
    """A unit whose status changed without a spin-off or return (e.g. a stand-alone company of
    the group listed, or the group itself)."""

    title: ClassVar[str] = "Status changed"
    title_zh: ClassVar[str] = "性质变更"
    kind: Literal["status_changed"] = "status_changed"
    unit: str
    old_status: Status
    new_status: Status

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit = w.unit(self.unit, self.date)
        return _say(
            lang,
            f"{unit}: {_words(self.old_status)} -> {_words(self.new_status)}",
            f"{unit}：{_status_zh(self.old_status)} -> {_status_zh(self.new_status)}",
        )

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, status=self.new_status)


class PlanChanged(_Event):
    """A change in what has been announced about a unit and not yet done: an IPO or spin-off
    planned, paused or cancelled, a sale agreed or called off. Nothing has happened to the unit
    itself; when the plan is carried out, that is its own event (``spun_off``, ``removed``)."""

    title: ClassVar[str] = "Plans announced or changed"
    title_zh: ClassVar[str] = "计划变动"
    kind: Literal["plan_changed"] = "plan_changed"
    unit: str
    old_plan: Plan | None
    new_plan: Plan | None
    carried_out: bool = Field(
        False,
        description="True when the plan ends because it was done: the unit's status changed "
        "in the same step.",
    )

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        who = w.unit(self.unit, self.date)
        old, old_zh = _plan(self.old_plan), _plan_zh(self.old_plan)
        if self.old_plan is None:
            return _say(lang, f"{who}: {_plan(self.new_plan)}", f"{who}：{_plan_zh(self.new_plan)}")
        if self.new_plan is None:
            end = "carried out" if self.carried_out else "no longer planned"
            end_zh = "已实施" if self.carried_out else "不再计划"
            return _say(lang, f"{who}: {old} -> {end}", f"{who}：{old_zh} -> {end_zh}")
        return _say(
            lang,
            f"{who}: {old} -> {_plan(self.new_plan)}",
            f"{who}：{old_zh} -> {_plan_zh(self.new_plan)}",
        )

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, plan=self.new_plan)


class LeaderChanged(_Event):
    """A new person in one of a unit's leading roles (e.g. a new chief executive)."""

    title: ClassVar[str] = "Leaders changed"
    title_zh: ClassVar[str] = "负责人变更"
    kind: Literal["leader_changed"] = "leader_changed"
    unit: str
    role: str = Field(description="The role, as the later snapshot (or else the earlier) says.")
    old: tuple[str, ...] = Field(description="Who held the role before: names, may be empty.")
    new: tuple[str, ...] = Field(description="Who holds it now: names, may be empty.")
    leaders: tuple[Leader, ...] = Field(
        description="All of the unit's leaders after the change, as the later snapshot has them."
    )

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        # A role missing from one side is a gap in the record, not a vacancy.
        who, role, joint = (
            w.unit(self.unit, self.date),
            w.text(self.role),
            _say(lang, ", ", _LIST_ZH),
        )
        old, new = w.text(joint.join(self.old)), w.text(joint.join(self.new))
        if not self.old:
            return _say(
                lang,
                f"{who}: {role} {new} (no earlier holder recorded)",
                f"{who}：{role} {new}（此前任职者无记录）",
            )
        if not self.new:
            return _say(
                lang,
                f"{who}: {role} {old} (no longer recorded)",
                f"{who}：{role} {old}（不再有记录）",
            )
        return _say(lang, f"{who}: {role} {old} -> {new}", f"{who}：{role} {old} -> {new}")

    def apply(self, edit: Edit) -> None:
        edit.set_checked(self.unit, {"leaders": self.leaders})


class KindChanged(_Event):
    """A unit that became another kind of unit (e.g. a company made a business group)."""

    title: ClassVar[str] = "Kind changed"
    title_zh: ClassVar[str] = "类型变更"
    kind: Literal["kind_changed"] = "kind_changed"
    unit: str
    old_kind: str
    new_kind: str

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit = w.unit(self.unit, self.date)
        return _say(
            lang,
            f"{unit}: {_words(self.old_kind)} -> {_words(self.new_kind)}",
            f"{unit}：{_kind_zh(self.old_kind)} -> {_kind_zh(self.new_kind)}",
        )

    def apply(self, edit: Edit) -> None:
        edit.set(self.unit, kind=self.new_kind)


class Updated(_Event):
    """Changes to the record of a unit that are no event of their own: sources, notes,
    confidence, the wording of a leader's role, lineage kept."""

    title: ClassVar[str] = "Updated records"
    title_zh: ClassVar[str] = "记录更新"
    kind: Literal["updated"] = "updated"
    unit: str
    fields: tuple[str, ...] = Field(description="The names of the fields that changed.")
    old: dict[str, Any] = Field(description="Each changed field's earlier value.")
    new: dict[str, Any] = Field(description="Each changed field's later value.")

    def describe(self, w: Namer, lang: Lang = "en") -> str:
        unit = w.unit(self.unit, self.date)
        return _say(
            lang,
            f"{unit}: {', '.join(field_word(f) for f in self.fields)}",
            f"{unit}：{_LIST_ZH.join(field_word(f, 'zh') for f in self.fields)}",
        )

    def apply(self, edit: Edit) -> None:
        edit.set_checked(self.unit, self.new)


Event: TypeAlias = Annotated[
    Added
    | Removed
    | Renamed
    | Moved
    | Split
    | Merged
    | SpunOff
    | Returned
    | StatusChanged
    | PlanChanged
    | LeaderChanged
    | KindChanged
    | Updated,
    Field(discriminator="kind"),
]

#: The class of each kind, in the order of :data:`KINDS`.
CLASSES: Final[dict[str, type[_Event]]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        Added,
        Removed,
        Renamed,
        Moved,
        Split,
        Merged,
        SpunOff,
        Returned,
        StatusChanged,
        PlanChanged,
        LeaderChanged,
        KindChanged,
        Updated,
    )
}
#: The heading of each kind's group, from its class.
TITLES: Final[dict[str, str]] = {kind: cls.title for kind, cls in CLASSES.items()}

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def parse_event(data: Any) -> Event:
    """Read one event from its JSON-able form (as ``model_dump(mode="json")`` writes it).

    >>> parse_event({"kind": "moved", "units": ["lab"], "since": "2021-01-01",
    ...              "date": "2022-01-01", "unit": "lab", "old_parent": "platform",
    ...              "new_parent": "commerce"}).new_parent
    'commerce'
    """
    return _ADAPTER.validate_python(data)


def events_json_schema() -> dict[str, Any]:
    """The JSON Schema of a list of events, as the JSON reports write them.

    >>> schema = events_json_schema()
    >>> schema["type"], "plan_changed" in schema["items"]["discriminator"]["mapping"]
    ('array', True)
    """
    return _LIST_ADAPTER.json_schema()


def check_kinds(kinds: Iterable[str] | None) -> frozenset[str] | None:
    """The set of event kinds asked for, or None for all; raise :class:`EventError` naming the
    known kinds when one is unknown.

    >>> sorted(check_kinds(["moved", "split"]) or ())
    ['moved', 'split']
    """
    if kinds is None:
        return None
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = frozenset(kinds)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise EventError(
            f"unknown event kind {', '.join(repr(k) for k in unknown)}; "
            f"use one of {', '.join(KINDS)}"
        )
    return wanted


def event_sort_key(event: Event) -> tuple[dt.date, int]:
    """Time order, then the order of :data:`KINDS`; sort with it stably to keep positions."""
    return (event.date, KIND_RANK[event.kind])
