"""Events as text for people and JSON or Markdown for machines and documents.

The functions here format what they are given and compute nothing about the organisation: a
:class:`~orgmodel.compare.Diff` or a list of events, the snapshot dates used, and a *names
resolver* that gives a unit's name on a date (:func:`history_names`, :func:`snapshot_names`).
Each returns a string; writing it out is the caller's business.

``text``
    An analyst's summary: the snapshot dates used, then the events grouped by kind, each group
    with a heading and a count, each line naming the units ("Name [id]") and giving old -> new.
    Step by step (:func:`changes_report`), grouped by date first.
``json``
    ``{"a": ..., "b": ..., "events": [...]}``: the events' own serialisation
    (``model_dump(mode="json")``, see :func:`orgmodel.events.events_json_schema`) with the
    dates used.
``markdown``
    The text report's content as headings and bullet lists.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.compare import diff
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> g = Unit(id="g", name="Group", kind="holding")
>>> a = Snapshot(dt.date(2023, 3, 28), [g, Unit(id="x", name="Maps", kind="unit", parent="g")])
>>> b = Snapshot(dt.date(2025, 6, 23), [g, Unit(id="x", name="Amap", kind="unit", parent="g")])
>>> print(diff_report(diff(a, b), snapshot_names(a, b)))
Snapshots used: 2023-03-28 -> 2025-06-23
1 change
<BLANKLINE>
Renamed (1)
  - Maps -> Amap [x]
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

from orgmodel.errors import OutputError
from orgmodel.events import CLASSES, KINDS, TITLES, Event, Updated, field_word
from orgmodel.markup import check_lang, escape_markdown
from orgmodel.model import Lang

if TYPE_CHECKING:
    from orgmodel.compare import Chosen, Diff
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "FORMATS",
    "KIND_TITLES",
    "QUIET_KINDS",
    "Fold",
    "Format",
    "Names",
    "changes_report",
    "check_lang",
    "chosen_report",
    "describe",
    "diff_report",
    "history_names",
    "lineage_report",
    "quiet_fold",
    "snapshot_names",
]

Format = Literal["text", "json", "markdown"]
FORMATS: Final[tuple[Format, ...]] = ("text", "json", "markdown")

#: A unit's name on a date (None when unknown): ``names("cloud", date)``.
Names = Callable[[str, dt.date], str | None]

#: The heading of each kind's group (from the event classes).
KIND_TITLES: Final[dict[str, str]] = TITLES

#: The words of a report around its events, in each language a report is written in.
_WORDS: Final[dict[Lang, dict[str, str]]] = {
    "en": {
        "used": "Snapshots used: {a} -> {b}",
        "change": "{n} change",
        "changes": "{n} changes",
        "none": "No changes.",
        "in_step": "{total} in {n} step",
        "in_steps": "{total} in {n} steps",
        "step": "{day} (since {since})",
        "heading": "Changes {a} -> {b}",
        "lineage": "Lineage of {unit}",
        "present_once": "In 1 snapshot, of {a}",
        "present": "In {n} snapshots, from {a} to {b}",
        "unit": "{n} unit",
        "units": "{n} units",
        "of": "{fields} of ",
        "folded": "{what}{units} (not listed{hint})",
        "hint": "; {hint}",
        "comma": ", ",
        "colon": ": ",
        "stop": ".",
    },
    "zh": {
        "used": "所用快照：{a} -> {b}",
        "change": "{n} 项变化",
        "changes": "{n} 项变化",
        "none": "没有变化。",
        "in_step": "{total}，共 {n} 步",
        "in_steps": "{total}，共 {n} 步",
        "step": "{day}（自 {since} 起）",
        "heading": "变化 {a} -> {b}",
        "lineage": "{unit} 的沿革",
        "present_once": "见于 1 个快照：{a}",
        "present": "见于 {n} 个快照：{a} 至 {b}",
        "unit": "{n} 个单位",
        "units": "{n} 个单位",
        "of": "{fields}：",
        "folded": "{what}{units}（未列出{hint}）",
        "hint": "；{hint}",
        "comma": "、",
        "colon": "：",
        "stop": "。",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS[check_lang(lang)]


def _titles(lang: str) -> dict[str, str]:
    """The heading of each kind's group in ``lang``."""
    if check_lang(lang) == "zh":
        return {kind: cls.title_zh for kind, cls in CLASSES.items()}
    return KIND_TITLES


def history_names(history: History, lang: str = "en") -> Names:
    """A names resolver over a history: a unit's name in the snapshot in force on the date,
    or, when the unit is not in it, in the latest earlier snapshot that has it (else the
    earliest later one). With ``lang="zh"``, the Chinese name where the unit has one.

    >>> import datetime as dt
    >>> from orgmodel.history import History
    >>> from orgmodel.model import Unit
    >>> from orgmodel.snapshot import Snapshot
    >>> def at(year, name):
    ...     return Snapshot(dt.date(year, 1, 1), [Unit(id="g", name=name, kind="holding")])
    >>> names = history_names(History([at(2020, "Old"), at(2022, "New")]))
    >>> [names(uid, dt.date(year, 6, 1)) for uid, year in [("g", 2021), ("g", 2022), ("x", 2022)]]
    ['Old', 'New', None]
    """
    return snapshot_names(*history.snapshots, lang=lang)


def snapshot_names(*snapshots: Snapshot, lang: str = "en") -> Names:
    """A names resolver over some snapshots (see :func:`history_names`). Each name is looked
    up when first asked for, and kept: a report on a big history names only the units it
    shows, and builds no other."""
    chinese = check_lang(lang) == "zh"
    ordered = sorted(snapshots, key=lambda s: s.date)
    days = [s.date for s in ordered]
    found: dict[tuple[str, int], str | None] = {}

    def name_in(snapshot: Snapshot, unit_id: str) -> str:
        unit = snapshot.units[unit_id]
        return (unit.name_zh or unit.name) if chinese else unit.name

    def name(unit_id: str, date: dt.date) -> str | None:
        at = bisect.bisect_right(days, date) - 1
        key = (unit_id, at)
        if key not in found:
            # The latest snapshot up to the date that has the unit, else the earliest after.
            places = [*range(at, -1, -1), *range(at + 1, len(ordered))]
            has = (p for p in places if unit_id in ordered[p].units)
            place = next(has, None)
            found[key] = None if place is None else name_in(ordered[place], unit_id)
        return found[key]

    return name


def _check(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise OutputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    return fmt


class _Writer:
    """Names units for one output style (the :class:`~orgmodel.events.Namer` of a report)."""

    def __init__(self, names: Names | None, markdown: bool, lang: Lang = "en") -> None:
        self.names = names
        self.markdown = markdown
        self.none = "（无）" if lang == "zh" else "(none)"

    def code(self, unit_id: str) -> str:
        return f"`{unit_id}`" if self.markdown else f"[{unit_id}]"

    def text(self, words: str) -> str:
        # Names and notes come from data files: in Markdown they are text, never markup.
        return escape_markdown(words) if self.markdown else words

    def unit(self, unit_id: str | None, date: dt.date) -> str:
        if unit_id is None:
            return self.none
        name = self.names(unit_id, date) if self.names is not None else None
        if name is None:
            return self.code(unit_id) if self.markdown else unit_id
        name = self.text(name)
        return f"{name} ({self.code(unit_id)})" if self.markdown else f"{name} {self.code(unit_id)}"

    def units(self, unit_ids: Iterable[str], date: dt.date, joint: str = ", ") -> str:
        return joint.join(self.unit(u, date) for u in unit_ids)


def describe(
    event: Event, names: Names | None = None, *, markdown: bool = False, lang: str = "en"
) -> str:
    """One line saying what happened, naming the units, in ``lang`` (``"en"`` or ``"zh"``).

    ``names`` gives the name to show for a unit on a date (pass Chinese names for a Chinese
    line); a unit it does not know is shown by its id.

    >>> import datetime as dt
    >>> from orgmodel.events import Moved
    >>> event = Moved(units=("lab", "commerce", "platform"), since=dt.date(2021, 1, 1),
    ...               date=dt.date(2022, 1, 1), unit="lab", old_parent="platform",
    ...               new_parent="commerce")
    >>> describe(event)
    'lab: platform -> commerce'
    >>> describe(event, lang="zh")
    'lab：由 platform 调至 commerce 之下'
    """
    language = check_lang(lang)
    return event.describe(_Writer(names, markdown, language), language)


def _count(n: int, lang: str = "en") -> str:
    return _words(lang)["change" if n == 1 else "changes"].format(n=n)


def _by_kind(events: Sequence[Event]) -> list[tuple[str, list[Event]]]:
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(event.kind, []).append(event)
    return [(kind, groups[kind]) for kind in KINDS if kind in groups]


class Fold(NamedTuple):
    """Kinds whose events a text or Markdown report sums up in one line instead of listing,
    and what that line says about how to list them."""

    kinds: frozenset[str] = frozenset()
    hint: str = ""


#: List every kind.
NO_FOLD: Final[Fold] = Fold()

#: The kinds a report sums up unless asked for: record-only edits, the largest group in most
#: histories and the least news.
QUIET_KINDS: Final[frozenset[str]] = frozenset({"updated"})


def quiet_fold(asked: Iterable[str] | None, *, everything: bool = False, hint: str = "") -> Fold:
    """The :class:`Fold` of a report for a reader who asked for the kinds ``asked`` (None: no
    kind in particular): the quiet kinds, unless asked for by name or ``everything``.

    >>> quiet_fold(None).kinds, quiet_fold(["updated"]).kinds, quiet_fold(None, everything=True)
    (frozenset({'updated'}), frozenset(), Fold(kinds=frozenset(), hint=''))
    """
    if everything:
        return NO_FOLD
    return Fold(QUIET_KINDS - set(asked or ()), hint)


def _folded(group: Sequence[Event], fold: Fold, lang: str = "en") -> str:
    """One line for a folded group: how many units, and which fields changed."""
    say = _words(lang)
    units = len({e.units[0] for e in group})
    fields: dict[str, None] = {}
    for event in group:
        if isinstance(event, Updated):
            fields.update(dict.fromkeys(field_word(f, check_lang(lang)) for f in event.fields))
    what = say["of"].format(fields=say["comma"].join(fields)) if fields else ""
    counted = say["unit" if units == 1 else "units"].format(n=units)
    hint = say["hint"].format(hint=fold.hint) if fold.hint else ""
    return say["folded"].format(what=what, units=counted, hint=hint)


def _text_groups(
    events: Sequence[Event],
    names: Names | None,
    indent: str,
    fold: Fold = NO_FOLD,
    lang: str = "en",
) -> list[str]:
    lines: list[str] = []
    titles, say = _titles(lang), _words(lang)
    for kind, group in _by_kind(events):
        lines.append("")
        if kind in fold.kinds:
            folded = f"{titles[kind]} ({len(group)}){say['colon']}{_folded(group, fold, lang)}"
            lines.append(indent + folded)
            continue
        lines.append(f"{indent}{titles[kind]} ({len(group)})")
        lines.extend(f"{indent}  - {describe(e, names, lang=lang)}" for e in group)
    return lines


def _markdown_groups(
    events: Sequence[Event],
    names: Names | None,
    level: str,
    fold: Fold = NO_FOLD,
    lang: str = "en",
) -> list[str]:
    lines: list[str] = []
    titles = _titles(lang)
    for kind, group in _by_kind(events):
        lines += ["", f"{level} {titles[kind]} ({len(group)})", ""]
        if kind in fold.kinds:
            lines.append(_folded(group, fold, lang))
            continue
        lines.extend(f"- {describe(e, names, markdown=True, lang=lang)}" for e in group)
    return lines


def _json(payload: dict[str, Any], events: Sequence[Event]) -> str:
    # The kind first: it is what a reader of the JSON looks for.
    payload["events"] = [{"kind": e.kind, **e.model_dump(mode="json")} for e in events]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _used(a: dt.date, b: dt.date, lang: str = "en") -> str:
    return _words(lang)["used"].format(a=a.isoformat(), b=b.isoformat())


def diff_report(
    diff: Diff,
    names: Names | None = None,
    fmt: str = "text",
    *,
    fold: Fold = NO_FOLD,
    lang: str = "en",
) -> str:
    """The net change of a diff, with the snapshot dates it used (see the module docstring),
    in ``lang`` (``en`` or ``zh``; JSON is the same in both). The kinds in ``fold`` are summed
    up in one line each (text and Markdown; JSON lists all)."""
    style, say = _check(fmt), _words(lang)
    events = diff.events
    a, b = diff.a.isoformat(), diff.b.isoformat()
    if style == "json":
        return _json({"a": a, "b": b}, events)
    if style == "markdown":
        lines = [f"# {say['heading'].format(a=a, b=b)}", ""]
        lines += [_used(diff.a, diff.b, lang), "", _count(len(events), lang)]
        lines += _markdown_groups(events, names, "##", fold, lang)
        return "\n".join(lines) + "\n"
    lines = [_used(diff.a, diff.b, lang), _count(len(events), lang) if events else say["none"]]
    lines += _text_groups(events, names, "", fold, lang)
    return "\n".join(lines)


def changes_report(
    events: Sequence[Event],
    a_date: dt.date,
    b_date: dt.date,
    names: Names | None = None,
    fmt: str = "text",
    *,
    fold: Fold = NO_FOLD,
    lang: str = "en",
) -> str:
    """Every step's events, grouped by date then by kind, under the snapshot dates used; the
    kinds in ``fold`` summed up in one line each (text and Markdown); in ``lang``.

    >>> import datetime as dt
    >>> from orgmodel.events import PlanChanged
    >>> step = dict(since=dt.date(2021, 1, 1), date=dt.date(2022, 1, 1))
    >>> print(changes_report([PlanChanged(units=("m",), unit="m", old_plan="ipo_planned",
    ...     new_plan="ipo_cancelled", **step)], dt.date(2020, 1, 1), dt.date(2022, 1, 1)))
    Snapshots used: 2020-01-01 -> 2022-01-01
    1 change in 1 step
    <BLANKLINE>
    2022-01-01 (since 2021-01-01): 1 change
    <BLANKLINE>
      Plans announced or changed (1)
        - m: IPO planned -> IPO cancelled
    """
    style, say = _check(fmt), _words(lang)
    if style == "json":
        return _json({"a": a_date.isoformat(), "b": b_date.isoformat()}, events)
    steps = [(day, list(group)) for day, group in groupby(events, key=lambda e: e.date)]
    plural = "in_step" if len(steps) == 1 else "in_steps"
    total = say[plural].format(total=_count(len(events), lang), n=len(steps))
    total = total if events else say["none"]
    if style == "markdown":
        heading = say["heading"].format(a=a_date.isoformat(), b=b_date.isoformat())
        lines = [f"# {heading}", "", _used(a_date, b_date, lang), "", total]
        for day, group in steps:
            step = say["step"].format(day=day.isoformat(), since=group[0].since.isoformat())
            lines += ["", f"## {step}", *_markdown_groups(group, names, "###", fold, lang)]
        return "\n".join(lines) + "\n"
    lines = [_used(a_date, b_date, lang), total]
    for day, group in steps:
        step = say["step"].format(day=day.isoformat(), since=group[0].since.isoformat())
        lines += ["", f"{step}: {_count(len(group), lang)}"]
        lines += _text_groups(group, names, "  ", fold, lang)
    return "\n".join(lines)


def lineage_report(
    unit_id: str,
    events: Sequence[Event],
    names: Names | None = None,
    fmt: str = "text",
    *,
    a_date: dt.date | None = None,
    b_date: dt.date | None = None,
    present: Sequence[dt.date] = (),
    lang: str = "en",
) -> str:
    """A unit's life (:func:`orgmodel.lineage.lineage`) in time order, one line per event, in
    ``lang``.

    ``a_date`` and ``b_date`` are the first and last snapshot dates looked at; they default to
    the dates the events span. ``present`` (:meth:`History.presence`) are the dates of the
    snapshots that hold the unit: the report says how many, and from when to when.
    """
    style, say = _check(fmt), _words(lang)
    first = a_date or (events[0].since if events else None)
    last = b_date or (events[-1].date if events else None)
    if style == "json":
        dates = {"a": first.isoformat() if first else None, "b": last.isoformat() if last else None}
        seen = {"present_in": [day.isoformat() for day in present]} if present else {}
        return _json({"unit": unit_id, **dates, **seen}, events)
    markdown = style == "markdown"
    named = _Writer(names, markdown, check_lang(lang)).unit(unit_id, last or dt.date.max)
    title = say["lineage"].format(unit=named)
    used = [_used(first, last, lang)] if first and last else []
    if present:
        stop = say["stop"]
        used += ["", _presence(present, lang) + stop] if markdown else [_presence(present, lang)]
    lines = [f"# {title}", "", *used] if markdown else [title, *used]
    if not events:
        lines.append(say["none"])
    lines += _lineage_lines(events, names, markdown, lang)
    return "\n".join(lines) + ("\n" if markdown else "")


def _presence(present: Sequence[dt.date], lang: str = "en") -> str:
    say = _words(lang)
    first, last = present[0].isoformat(), present[-1].isoformat()
    if len(present) == 1:
        return say["present_once"].format(a=first)
    return say["present"].format(n=len(present), a=first, b=last)


def _lineage_lines(
    events: Sequence[Event], names: Names | None, markdown: bool, lang: str = "en"
) -> list[str]:
    """Each date of a unit's life, then its events, one line each."""
    titles, colon = _titles(lang), _words(lang)["colon"]
    lines: list[str] = []
    for day, group in groupby(events, key=lambda e: e.date):
        lines += ["", f"## {day.isoformat()}" if markdown else day.isoformat()]
        if markdown:
            lines.append("")
        for event in group:
            line = describe(event, names, markdown=markdown, lang=lang)
            text = f"{titles[event.kind]}{colon}{line}"
            lines.append(f"- {text}" if markdown else f"  - {text}")
    return lines


def chosen_report(
    chosen: Chosen,
    names: Names | None = None,
    fmt: str = "text",
    *,
    fold: Fold = NO_FOLD,
    lang: str = "en",
) -> str:
    """The events :func:`orgmodel.compare.choose` picked, as :func:`diff_report` gives a net
    change and :func:`changes_report` the steps."""
    if chosen.net is not None:
        kept = chosen.net.model_copy(update={"events": chosen.events})
        return diff_report(kept, names, fmt, fold=fold, lang=lang)
    return changes_report(chosen.events, chosen.a, chosen.b, names, fmt, fold=fold, lang=lang)
