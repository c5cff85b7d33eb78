"""What a history holds, at a glance: its snapshots with the periods they are in force, the
summary of a checked folder, and the structure on one date as a tree of data.

Each ``*_rows``/``*_summary`` function computes; each ``format_*`` function writes the result
as ``text``, ``json`` or ``markdown`` (see :mod:`orgmodel.markup`).

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> g = Unit(id="g", name="Group", kind="holding")
>>> h = History([Snapshot(dt.date(2020, 1, 1), [g], title="One"),
...              Snapshot(dt.date(2021, 1, 1), [g], title="Two")])
>>> [(r.date.isoformat(), r.in_force_until) for r in snapshot_rows(h)]
[('2020-01-01', datetime.date(2021, 1, 1)), ('2021-01-01', None)]
>>> print(format_dates(h), end="")
2020-01-01      1 units  One
2021-01-01      1 units  Two
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgmodel.dates import DateLike
from orgmodel.errors import DataError, Problem
from orgmodel.finding import unknown_unit
from orgmodel.markup import check_format, escape_markdown

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.model import Unit
    from orgmodel.snapshot import Snapshot

__all__ = [
    "FolderCheck",
    "FolderSummary",
    "SnapshotRow",
    "check_folder",
    "folder_summary",
    "format_check",
    "format_dates",
    "format_structure",
    "format_summary",
    "in_force_until",
    "snapshot_rows",
    "structure",
]


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One snapshot: its date, the date it stays in force until (None for the latest), its
    number of units and its title."""

    date: dt.date
    in_force_until: dt.date | None
    units: int
    title: str


def in_force_until(history: History, index: int) -> dt.date | None:
    """The date until which snapshot ``index`` is in force (exclusive); None for the latest."""
    return history.dates[index + 1] if index + 1 < len(history.dates) else None


def snapshot_rows(history: History) -> list[SnapshotRow]:
    """One row per snapshot, in time order."""
    return [
        SnapshotRow(s.date, in_force_until(history, i), len(s.units), s.title)
        for i, s in enumerate(history.snapshots)
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def format_dates(history: History, fmt: str = "text") -> str:
    """The snapshot rows as a text list (headed by the history's title), JSON or Markdown."""
    style = check_format(fmt)
    rows = snapshot_rows(history)
    if style == "json":
        data = [
            {
                "date": r.date.isoformat(),
                "in_force_until": _iso(r.in_force_until),
                "units": r.units,
                "title": r.title,
            }
            for r in rows
        ]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if style == "markdown":
        lines = ["| date | in force until | units | title |", "|---|---|---:|---|"]
        lines += [
            f"| {r.date} | {r.in_force_until or ''} | {r.units} | {escape_markdown(r.title)} |"
            for r in rows
        ]
        return "\n".join(lines) + "\n"
    lines = [f"{history.title}: {len(rows)} snapshots"] if history.title else []
    lines += [f"{r.date.isoformat()}  {r.units:>5} units  {r.title}" for r in rows]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class FolderSummary:
    """What a valid folder of snapshot files holds."""

    folder: Path
    snapshots: int
    first: dt.date
    last: dt.date
    unit_records: int
    units: int
    sources: int


def folder_summary(folder: Path, history: History) -> FolderSummary:
    """The summary of ``history``, read from ``folder``."""
    return FolderSummary(
        folder,
        len(history.dates),
        history.dates[0],
        history.dates[-1],
        sum(len(s.units) for s in history.snapshots),
        len(history.unit_ids()),
        len(history.sources),
    )


def format_summary(summary: FolderSummary, fmt: str = "text") -> str:
    """``folder: OK: ...`` in one line, or the same as a JSON object (with ``"ok": true``)."""
    style = check_format(fmt)
    if style == "json":
        data = {
            "folder": str(summary.folder),
            "ok": True,
            "snapshots": summary.snapshots,
            "first": summary.first.isoformat(),
            "last": summary.last.isoformat(),
            "unit_records": summary.unit_records,
            "units": summary.units,
            "sources": summary.sources,
            "problems": [],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return (
        f"{summary.folder}: OK: {summary.snapshots} snapshots from {summary.first} to "
        f"{summary.last}, {summary.unit_records} unit records ({summary.units} distinct units), "
        f"{summary.sources} sources\n"
    )


def _node(unit: Unit, lang: str) -> dict[str, Any]:
    shown = unit.name_zh if lang == "zh" and unit.name_zh else unit.name
    node: dict[str, Any] = {"id": unit.id, "name": shown, "kind": unit.kind}
    node["status"] = unit.status
    node["plan"] = unit.plan
    return node


def structure(
    snapshot: Snapshot, *, root: str | None = None, depth: int | None = None, lang: str = "en"
) -> dict[str, Any]:
    """The tree below ``root`` (the snapshot's root by default), ``depth`` levels deep, as
    nested dicts: ``id``, ``name``, ``kind``, ``status``, ``plan``, ``children``; a unit whose
    children are cut off by ``depth`` says how many units lie below it in ``below``."""
    start = root if root is not None else snapshot.root
    if start not in snapshot.units:
        raise unknown_unit(snapshot, start)
    top = _node(snapshot.units[start], lang)
    stack: list[tuple[dict[str, Any], int]] = [(top, 0)]
    while stack:
        node, level = stack.pop()
        kids = snapshot.children(node["id"])
        if depth is not None and level >= depth:
            node["children"] = []
            if kids:
                node["below"] = sum(1 for _ in snapshot.descendants(node["id"]))
            continue
        node["children"] = [_node(snapshot.units[k], lang) for k in kids]
        stack.extend((child, level + 1) for child in node["children"])
    return top


def format_structure(
    history: History,
    date: DateLike,
    *,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    show_ids: bool = True,
    fmt: str = "text",
) -> str:
    """The structure in force on ``date``: a heading saying which snapshot it is and until when
    it is in force, then the tree (text), or ``{date, in_force_until, title, tree}`` (JSON)."""
    from orgmodel.textree import format_tree

    style = check_format(fmt)
    index = history.index(date)
    snapshot = history.snapshots[index]
    until = in_force_until(history, index)
    if style == "json":
        data = {
            "date": snapshot.date.isoformat(),
            "in_force_until": _iso(until),
            "title": snapshot.title,
            "tree": structure(snapshot, root=root, depth=depth, lang=lang),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    tree = format_tree(snapshot, root=root, depth=depth, lang=lang, show_ids=show_ids)
    heading = f"{history.title} — " if history.title else ""
    day = snapshot.date.isoformat()
    if lang == "zh":
        span = f"有效至 {until.isoformat()} 之前" if until else "最新快照"
        head = f"{heading}{day} 的快照（{span}）"
    else:
        span = f"in force until {until.isoformat()}" if until else "the latest snapshot"
        head = f"{heading}snapshot of {day} ({span})"
    if style == "markdown":
        return (
            f"# {escape_markdown(head)}\n\n{escape_markdown(snapshot.title)}\n\n```\n{tree}\n```\n"
        )
    return f"{head}\n{snapshot.title}\n\n{tree}\n"


@dataclass(frozen=True, slots=True)
class FolderCheck:
    """The result of checking a folder: its summary if it is valid, else every problem."""

    folder: Path
    summary: FolderSummary | None
    problems: tuple[Problem, ...]


def check_folder(folder: Path) -> FolderCheck:
    """Read and validate every file of ``folder``, collecting the problems instead of raising."""
    from orgmodel.reading import read_history

    try:
        history = read_history(folder)
    except DataError as exc:
        return FolderCheck(folder, None, tuple(exc.problems))
    return FolderCheck(folder, folder_summary(folder, history), ())


def format_check(check: FolderCheck, fmt: str = "text") -> str:
    """A check as text (the summary line, or one line per problem and their count) or JSON
    (``{"folder", "ok", ..., "problems": [{"file", "line", "unit", "message"}]}``)."""
    style = check_format(fmt)
    if check.summary is not None:
        return format_summary(check.summary, "json" if style == "json" else "text")
    if style == "json":
        problems = [
            {
                "file": str(p.file) if p.file else None,
                "line": p.line,
                "unit": p.unit,
                "message": p.message,
            }
            for p in check.problems
        ]
        data = {"folder": str(check.folder), "ok": False, "problems": problems}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [str(p) for p in check.problems]
    if len(lines) > 1:
        lines.append(f"{len(lines)} problems found")
    return "\n".join(lines) + "\n"
