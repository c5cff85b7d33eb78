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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError, UnknownUnitError
from orgmodel.markup import check_format, escape_markdown
from orgmodel.model import Source, Unit

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


def _name(history: History, unit_id: str, index: int) -> str:
    """The unit's name in snapshot ``index``, or the nearest earlier (else later) one."""
    order = [*range(index, -1, -1), *range(index + 1, len(history.snapshots))]
    for i in order:
        unit: Unit | None = history.snapshots[i].units.get(unit_id)
        if unit is not None:
            return unit.name
    return unit_id


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
    chain = tuple((uid, snapshot.units[uid].name) for uid in snapshot.ancestors(unit_id))
    lineage = tuple((uid, _name(history, uid, index)) for uid in unit.lineage)
    sources = tuple(CitedSource(key, history.sources.get(key)) for key in _cited(unit))
    count = sum(1 for s in history.snapshots if unit_id in s.units)
    return UnitRecord(unit, snapshot.date, until, chain, lineage, periods, count, sources)


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


def _span(period: Period) -> str:
    if period.first == period.last:
        return f"on {period.first.isoformat()}" + (
            f" (until {period.until.isoformat()})" if period.until else " (the latest snapshot)"
        )
    end = f"until {period.until.isoformat()}" if period.until else "to the latest snapshot"
    return f"from {period.first.isoformat()} {end}"


def _citation(cited: CitedSource, markdown: bool) -> str:
    source = cited.source
    if source is None:
        return f"{cited.key}: (not in the bibliography)"
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


def _facts(record: UnitRecord, markdown: bool) -> list[tuple[str, str]]:
    unit = record.unit
    esc = escape_markdown if markdown else str

    def named(pairs: Iterable[tuple[str, str]]) -> str:
        code = "`{}`" if markdown else "[{}]"
        return ", ".join(f"{esc(name)} {code.format(uid)}" for uid, name in pairs)

    until = record.in_force_until
    facts = [
        (
            "Snapshot used",
            f"{record.date.isoformat()} "
            + (f"(in force until {until.isoformat()})" if until else "(the latest snapshot)"),
        ),
        ("Kind", unit.kind),
        ("Status", unit.status),
        ("Plan", unit.plan or "none"),
        ("Parents", named(record.chain) or "none (the root)"),
    ]
    leaders = [
        f"{esc(p.name)}{f' ({esc(p.name_zh)})' if p.name_zh else ''}, {esc(p.role)}"
        + (f" ({p.confidence})" if p.confidence else "")
        for p in unit.leaders
    ]
    facts += [
        ("Leaders", "; ".join(leaders) or "none recorded"),
        ("Formed from", named(record.lineage) or "none recorded"),
        ("Confidence", unit.confidence or "not stated"),
        (
            "Field confidence",
            ", ".join(f"{k}: {v}" for k, v in unit.field_confidence.items()) or "as the unit",
        ),
        ("Note", esc(unit.note) if unit.note else "none"),
        (
            "Present",
            f"in {record.snapshots} snapshots, " + "; ".join(_span(p) for p in record.periods),
        ),
    ]
    return facts


def format_unit_record(record: UnitRecord, fmt: str = "text") -> str:
    """A unit record as ``text``, ``json`` or ``markdown``."""
    style = check_format(fmt)
    if style == "json":
        return _record_json(record)
    markdown = style == "markdown"
    unit = record.unit
    zh = f" ({unit.name_zh})" if unit.name_zh else ""
    if markdown:
        lines = [f"# {escape_markdown(unit.name + zh)} (`{unit.id}`)", ""]
        lines += [f"- **{label}:** {value}" for label, value in _facts(record, True)]
        lines += ["", f"## Sources ({len(record.sources)})", ""]
        lines += [f"- {_citation(c, True)}" for c in record.sources]
        return "\n".join(lines) + "\n"
    width = max(len(label) for label, _ in _facts(record, False)) + 1
    lines = [f"{unit.name}{zh} [{unit.id}]"]
    lines += [f"{label + ':':<{width}} {value}" for label, value in _facts(record, False)]
    lines += [f"Sources ({len(record.sources)}):"]
    lines += [f"  - {_citation(c, False)}" for c in record.sources]
    return "\n".join(lines) + "\n"


def format_sources(entries: Sequence[SourceEntry], fmt: str = "text") -> str:
    """Bibliography entries as ``text`` (one line each; an entry in full when there is one),
    ``json`` or ``markdown``."""
    style = check_format(fmt)
    if style == "json":
        payload = [
            {"key": e.key, **(_source_json(e.source) or {}), "cited_by": list(e.cited_by)}
            for e in entries
        ]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    markdown = style == "markdown"
    lines = []
    for entry in entries:
        line = _citation(CitedSource(entry.key, entry.source), markdown)
        lines.append(f"- {line}" if markdown else line)
        if len(entries) == 1:
            extra = [("Language", entry.source.language), ("Note", entry.source.note)]
            extra.append(("Cited by", ", ".join(entry.cited_by) or "no unit"))
            esc = escape_markdown if markdown else str
            lines += [f"  {label}: {esc(v)}" for label, v in extra if v]
    return "\n".join(lines) + "\n"
