"""What a fact rests on: a unit's full record with the sources it cites, and the bibliography.

:func:`unit_record` gathers everything a reader needs to judge one unit on one date: its names,
kind, status and plan, the chain of parents above it, its leaders, how sure the sources make it
(as a whole and fact by fact), its note, the periods it is present in the history, and each
source it or its leaders cite, in full. :func:`source_entries` lists the bibliography with the
units that cite each source. :func:`present_periods` turns a unit's snapshot dates into the
periods it was in force. The ``format_*`` functions write these as text, JSON or Markdown.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Source, Unit
>>> from orgmodel.snapshot import Snapshot
>>> g = Unit(id="g", name="Group", kind="holding", sources=("r1",))
>>> x = Unit(id="x", name="X", kind="company", parent="g", sources=("r1",), confidence="confirmed")
>>> h = History([Snapshot(dt.date(2020, 1, 1), [g, x]), Snapshot(dt.date(2021, 1, 1), [g]),
...              Snapshot(dt.date(2022, 1, 1), [g, x])],
...             sources={"r1": Source(title="Report", publisher="Paper", date="2019")})
>>> [(p.first.isoformat(), p.until) for p in present_periods(h, "x")]
[('2020-01-01', datetime.date(2021, 1, 1)), ('2022-01-01', None)]
>>> record = unit_record(h, "x")
>>> record.date, record.chain, [s.key for s in record.sources]
(datetime.date(2022, 1, 1), (('g', 'Group'),), ['r1'])
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError, UnknownUnitError
from orgmodel.markup import check_format, check_lang, escape_markdown
from orgmodel.model import (
    CONFIDENCE_WORDS_ZH,
    KIND_WORDS_ZH,
    PLAN_WORDS_ZH,
    STATUS_WORDS_ZH,
    Confidence,
    Leader,
    Source,
    Unit,
)

if TYPE_CHECKING:
    from orgmodel.history import History

__all__ = [
    "CitedSource",
    "Period",
    "SourceEntry",
    "UnitRecord",
    "format_sources",
    "format_unit_record",
    "present_periods",
    "source_entries",
    "unit_record",
]


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of consecutive snapshots holding a unit: from ``first`` to ``last`` (snapshot
    dates), in force until ``until`` (the next snapshot's date; None while it lasts)."""

    first: dt.date
    last: dt.date
    until: dt.date | None


@dataclass(frozen=True, slots=True)
class CitedSource:
    """A source key as cited, with its bibliography entry (None if the bibliography lacks it)."""

    key: str
    source: Source | None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit as recorded in the snapshot of ``date``, with what it rests on."""

    unit: Unit
    date: dt.date
    in_force_until: dt.date | None
    chain: tuple[tuple[str, str], ...]
    lineage: tuple[tuple[str, str], ...]
    periods: tuple[Period, ...]
    snapshots: int
    sources: tuple[CitedSource, ...]
    #: The Chinese names of the unit's parents and predecessors, where they have one.
    names_zh: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A bibliography entry and the units whose records (or leaders) cite it."""

    key: str
    source: Source
    cited_by: tuple[str, ...]


def present_periods(history: History, unit_id: str) -> tuple[Period, ...]:
    """The periods in which ``unit_id`` is in the history, in order; a gap is an absence.

    Raises :class:`~orgmodel.errors.UnknownUnitError` if no snapshot holds it.
    """
    history.check_unit(unit_id)
    periods: list[Period] = []
    start: int | None = None
    for i, snapshot in enumerate((*history.snapshots, None)):
        here = snapshot is not None and unit_id in snapshot.units
        if here and start is None:
            start = i
        elif not here and start is not None:
            until = history.dates[i] if i < len(history.dates) else None
            periods.append(Period(history.dates[start], history.dates[i - 1], until))
            start = None
    return tuple(periods)


def _nearest(history: History, unit_id: str, index: int) -> Unit | None:
    """The unit's record in snapshot ``index``, or the nearest earlier (else later) one."""
    order = [*range(index, -1, -1), *range(index + 1, len(history.snapshots))]
    for i in order:
        unit: Unit | None = history.snapshots[i].units.get(unit_id)
        if unit is not None:
            return unit
    return None


def _cited(unit: Unit) -> tuple[str, ...]:
    keys = dict.fromkeys(unit.sources)
    for leader in unit.leaders:
        keys.update(dict.fromkeys(leader.sources))
    return tuple(keys)


def unit_record(history: History, unit_id: str, date: DateLike | None = None) -> UnitRecord:
    """The record of ``unit_id`` in the snapshot in force on ``date`` (by default the latest
    snapshot that holds it), with its parents, lineage, periods and cited sources.

    Raises :class:`~orgmodel.errors.UnknownUnitError` if no snapshot holds the unit, or if the
    one in force on ``date`` does not (the message gives the periods it is present).
    """
    periods = present_periods(history, unit_id)
    index = history.index(date) if date is not None else history.index(periods[-1].last)
    snapshot = history.snapshots[index]
    unit = snapshot.units.get(unit_id)
    if unit is None:
        spans = ", ".join(_span(p) for p in periods)
        raise UnknownUnitError(
            f"unit '{unit_id}' is not in the snapshot of {snapshot.date.isoformat()} (in force "
            f"on {date}); it is present {spans}: give a date in one of those"
        )
    until = history.dates[index + 1] if index + 1 < len(history.dates) else None
    above = [snapshot.units[uid] for uid in snapshot.ancestors(unit_id)]
    before = {uid: _nearest(history, uid, index) for uid in unit.lineage}
    chain = tuple((u.id, u.name) for u in above)
    lineage = tuple((uid, u.name if u else uid) for uid, u in before.items())
    named = [*above, *(u for u in before.values() if u is not None)]
    names_zh = {u.id: u.name_zh for u in named if u.name_zh}
    sources = tuple(CitedSource(key, history.sources.get(key)) for key in _cited(unit))
    count = sum(1 for s in history.snapshots if unit_id in s.units)
    return UnitRecord(unit, snapshot.date, until, chain, lineage, periods, count, sources, names_zh)


def source_entries(history: History, key: str | None = None) -> list[SourceEntry]:
    """The bibliography in its own order (or the one entry ``key``), each entry with the ids
    of the units whose records or leaders cite it in any snapshot, in id order.

    Raises :class:`~orgmodel.errors.OrgModelError` naming the closest keys if ``key`` is not in
    the bibliography.
    """
    if key is not None and key not in history.sources:
        close = difflib.get_close_matches(key, list(history.sources), n=3)
        hint = " (did you mean " + ", ".join(f"'{c}'" for c in close) + "?)" if close else ""
        raise OrgModelError(f"source '{key}' is not in the bibliography{hint}")
    records: list[Unit] = list(history.snapshots[0].units.values())
    for points in history.record_changes().values():
        records.extend(unit for _, unit in points if unit is not None)
    citing: dict[str, set[str]] = {}
    for unit in records:
        for cited in _cited(unit):
            citing.setdefault(cited, set()).add(unit.id)
    keys = [key] if key is not None else list(history.sources)
    return [SourceEntry(k, history.sources[k], tuple(sorted(citing.get(k, ())))) for k in keys]


#: The words of a unit record and of the bibliography, by language. Values that are data (names,
#: notes, titles, roles) stay as written.
_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "Snapshot used": "Snapshot used",
        "Kind": "Kind",
        "Status": "Status",
        "Plan": "Plan",
        "Parents": "Parents",
        "Leaders": "Leaders",
        "Formed from": "Formed from",
        "Confidence": "Confidence",
        "Field confidence": "Field confidence",
        "Note": "Note",
        "Present": "Present",
        "Sources": "Sources",
        "Language": "Language",
        "Cited by": "Cited by",
        "in_force": "(in force until {until})",
        "latest": "(the latest snapshot)",
        "none": "none",
        "root": "none (the root)",
        "none_recorded": "none recorded",
        "not_stated": "not stated",
        "as_unit": "as the unit",
        "snapshots": "in {n} snapshots, ",
        "once": "on {a} (until {until})",
        "once_latest": "on {a} (the latest snapshot)",
        "span": "from {a} until {until}",
        "span_latest": "from {a} to the latest snapshot",
        "join": "; ",
        "list": ", ",
        "missing": "{key}: (not in the bibliography)",
        "no_unit": "no unit",
    },
    "zh": {
        "Snapshot used": "所用快照",
        "Kind": "类型",
        "Status": "状态",
        "Plan": "计划",
        "Parents": "上级",
        "Leaders": "负责人",
        "Formed from": "前身",
        "Confidence": "可信度",
        "Field confidence": "单项可信度",
        "Note": "注",
        "Present": "存续",
        "Sources": "来源",
        "Language": "语言",
        "Cited by": "引用单位",
        "in_force": "（有效至 {until} 前）",
        "latest": "（最新快照）",
        "none": "无",
        "root": "无（最高层）",
        "none_recorded": "未记载",
        "not_stated": "未注明",
        "as_unit": "同单位",
        "snapshots": "见于 {n} 个快照，",
        "once": "{a}（有效至 {until} 前）",
        "once_latest": "{a}（最新快照）",
        "span": "{a} 至 {until} 前",
        "span_latest": "{a} 至最新快照",
        "join": "；",
        "list": "、",
        "missing": "{key}：（不在来源目录中）",
        "no_unit": "无",
    },
}


def _span(period: Period, lang: str = "en") -> str:
    words, a = _WORDS[lang], period.first.isoformat()
    once = "once" if period.first == period.last else "span"
    if period.until is None:
        return words[f"{once}_latest"].format(a=a)
    return words[once].format(a=a, until=period.until.isoformat())


def _citation(cited: CitedSource, markdown: bool, lang: str = "en") -> str:
    source = cited.source
    if source is None:
        return _WORDS[lang]["missing"].format(key=cited.key)
    esc = escape_markdown if markdown else str
    title = esc(source.title)
    title = f"[{title}]({source.url})" if markdown and source.url else title
    text = f"{cited.key}: {title}. {esc(source.publisher)}, {source.date}."
    if source.url and not markdown:
        text += f" {source.url}"
    return text


def _source_json(source: Source | None) -> dict[str, Any] | None:
    return source.model_dump(mode="json", exclude_none=True) if source is not None else None


def _record_json(record: UnitRecord) -> str:
    unit = record.unit.model_dump(mode="json", exclude_defaults=True)
    payload = {
        "date": record.date.isoformat(),
        "in_force_until": record.in_force_until.isoformat() if record.in_force_until else None,
        "unit": {**unit, "status": record.unit.status, "plan": record.unit.plan},
        "chain": [{"id": uid, "name": name} for uid, name in record.chain],
        "periods": [
            {
                "first": p.first.isoformat(),
                "last": p.last.isoformat(),
                "until": p.until.isoformat() if p.until else None,
            }
            for p in record.periods
        ],
        "sources": [{"key": c.key, **(_source_json(c.source) or {})} for c in record.sources],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _facts(record: UnitRecord, markdown: bool, lang: str) -> list[tuple[str, str]]:
    unit, words, chinese = record.unit, _WORDS[lang], lang == "zh"
    esc = escape_markdown if markdown else str

    def named(pairs: Iterable[tuple[str, str]]) -> str:
        code = "`{}`" if markdown else "[{}]"
        shown = [(uid, record.names_zh.get(uid, name) if chinese else name) for uid, name in pairs]
        return words["list"].join(f"{esc(name)} {code.format(uid)}" for uid, name in shown)

    until = record.in_force_until
    used = words["in_force"].format(until=until.isoformat()) if until else words["latest"]
    facts = [
        (
            "Snapshot used",
            f"{record.date.isoformat()} {used}"
            if not chinese
            else f"{record.date.isoformat()}{used}",
        ),
        ("Kind", _value(unit.kind, KIND_WORDS_ZH.get(unit.kind), chinese)),
        ("Status", _value(unit.status, STATUS_WORDS_ZH[unit.status], chinese)),
        ("Plan", _plan(unit, lang)),
        ("Parents", named(record.chain) or words["root"]),
        (
            "Leaders",
            words["join"].join(_leader(p, esc, chinese) for p in unit.leaders)
            or words["none_recorded"],
        ),
        ("Formed from", named(record.lineage) or words["none_recorded"]),
        ("Confidence", _confidence(unit.confidence, chinese) or words["not_stated"]),
        (
            "Field confidence",
            words["list"].join(
                f"{k}: {_confidence(v, chinese)}" for k, v in unit.field_confidence.items()
            )
            or words["as_unit"],
        ),
        ("Note", esc(unit.note) if unit.note else words["none"]),
        (
            "Present",
            words["snapshots"].format(n=record.snapshots)
            + words["join"].join(_span(p, lang) for p in record.periods),
        ),
    ]
    return [(words[label], value) for label, value in facts]


def _value(value: str, zh: str | None, chinese: bool) -> str:
    """A keyword of the data as written, with its Chinese word first in a Chinese record."""
    return f"{zh} ({value})" if chinese and zh else value


def _plan(unit: Unit, lang: str) -> str:
    if unit.plan is None:
        return _WORDS[lang]["none"]
    return _value(unit.plan, PLAN_WORDS_ZH[unit.plan], lang == "zh")


def _confidence(value: Confidence | None, chinese: bool) -> str | None:
    return value if value is None else _value(value, CONFIDENCE_WORDS_ZH[value], chinese)


def _leader(person: Leader, esc: Callable[[str], str], chinese: bool) -> str:
    first, second = person.name, person.name_zh
    if chinese and person.name_zh:
        first, second = person.name_zh, person.name
    text = esc(first) + (f" ({esc(second)})" if second else "") + f", {esc(person.role)}"
    if person.confidence is None:
        return text
    return text + (
        f"（{CONFIDENCE_WORDS_ZH[person.confidence]}）" if chinese else f" ({person.confidence})"
    )


def format_unit_record(record: UnitRecord, fmt: str = "text", lang: str = "en") -> str:
    """A unit record as ``text``, ``json`` or ``markdown``, its labels and keywords in ``lang``
    (``en`` or ``zh``; JSON is the same in both: it is data)."""
    style, lang = check_format(fmt), check_lang(lang)
    if style == "json":
        return _record_json(record)
    markdown = style == "markdown"
    unit, words = record.unit, _WORDS[lang]
    first, second = (
        (unit.name_zh, unit.name) if lang == "zh" and unit.name_zh else (unit.name, unit.name_zh)
    )
    names = first + (f" ({second})" if second else "")
    facts = _facts(record, markdown, lang)
    cited = f"{words['Sources']} ({len(record.sources)})"
    if markdown:
        lines = [f"# {escape_markdown(names)} (`{unit.id}`)", ""]
        lines += [f"- **{label}:** {value}" for label, value in facts]
        lines += ["", f"## {cited}", ""]
        lines += [f"- {_citation(c, True, lang)}" for c in record.sources]
        return "\n".join(lines) + "\n"
    colon = "：" if lang == "zh" else ":"
    width = max(_cells(label) for label, _ in facts) + len(colon)
    lines = [f"{names} [{unit.id}]"]
    lines += [_pad(label + colon, width) + f" {value}" for label, value in facts]
    lines += [cited + colon]
    lines += [f"  - {_citation(c, False, lang)}" for c in record.sources]
    return "\n".join(lines) + "\n"


def _cells(text: str) -> int:
    """How many terminal columns ``text`` takes: CJK characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cells(text))


def format_sources(entries: Sequence[SourceEntry], fmt: str = "text", lang: str = "en") -> str:
    """Bibliography entries as ``text`` (one line each; an entry in full when there is one),
    ``json`` or ``markdown``, the labels in ``lang`` (the entries are data, as written)."""
    style, lang = check_format(fmt), check_lang(lang)
    if style == "json":
        payload = [
            {"key": e.key, **(_source_json(e.source) or {}), "cited_by": list(e.cited_by)}
            for e in entries
        ]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    markdown, words = style == "markdown", _WORDS[lang]
    colon = "：" if lang == "zh" else ": "
    lines = []
    for entry in entries:
        line = _citation(CitedSource(entry.key, entry.source), markdown, lang)
        lines.append(f"- {line}" if markdown else line)
        if len(entries) == 1:
            extra = [("Language", entry.source.language), ("Note", entry.source.note)]
            extra.append(("Cited by", words["list"].join(entry.cited_by) or words["no_unit"]))
            esc = escape_markdown if markdown else str
            lines += [f"  {words[label]}{colon}{esc(v)}" for label, v in extra if v]
    return "\n".join(lines) + "\n"
