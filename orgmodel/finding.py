"""Finding units by what people call them: ids, English and Chinese names, near misses.

People know a unit by a name ("Freshippo", "菜鸟"), not by its id. :func:`find_units` looks up
every name a unit has had in a history, in either language; :func:`unknown_unit` builds the
error for an id that is not there, naming the units that come closest, with their names.

Matching ignores case and spacing. A result is an exact match of an id or a whole name, or a
name or id that contains the text; when nothing contains it, the closest ids and names (and
words of names) by :func:`difflib.get_close_matches` are offered instead, marked ``close``.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> h = History([Snapshot(dt.date(2020, 1, 1), [
...     Unit(id="g", name="Group", kind="holding"),
...     Unit(id="hema", name="Freshippo (Hema)", name_zh="盒马", kind="company", parent="g")])])
>>> [(f.id, f.how, f.matched) for f in find_units(h, "盒马")]
[('hema', 'name_zh', '盒马')]
>>> [(f.id, f.how) for f in find_units(h, "freshipo")]
[('hema', 'close')]
>>> print(unknown_unit(h.at("2020"), "fresh"))
unit 'fresh' is not in the snapshot of 2020-01-01; did you mean 'hema' (Freshippo (Hema))?
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from orgmodel.errors import UnknownUnitError
from orgmodel.model import Unit

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "MATCHES",
    "Found",
    "Match",
    "find_in_units",
    "find_units",
    "format_found",
    "suggestion",
    "unknown_unit",
]

Match = Literal["id", "name", "name_zh", "close"]
#: How a unit can match, best first.
MATCHES: tuple[Match, ...] = ("id", "name", "name_zh", "close")


@dataclass(frozen=True, slots=True)
class Found:
    """A unit that matches: its id, its latest names, what matched and how, when it was there."""

    id: str
    name: str
    name_zh: str | None
    how: Match
    matched: str
    exact: bool
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass(frozen=True, slots=True)
class _Names:
    id: str
    name: str
    name_zh: str | None
    english: tuple[str, ...]
    chinese: tuple[str, ...]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _collect(units: Iterable[Unit]) -> dict[str, _Names]:
    """Every name each unit id has had, in order; the latest names last."""
    english: dict[str, list[str]] = {}
    chinese: dict[str, list[str]] = {}
    latest: dict[str, Unit] = {}
    for unit in units:
        latest[unit.id] = unit
        names = english.setdefault(unit.id, [])
        if unit.name not in names:
            names.append(unit.name)
        zh = chinese.setdefault(unit.id, [])
        if unit.name_zh is not None and unit.name_zh not in zh:
            zh.append(unit.name_zh)
    return {
        uid: _Names(uid, u.name, u.name_zh, tuple(english[uid]), tuple(chinese[uid]))
        for uid, u in latest.items()
    }


def _direct(entry: _Names, text: str) -> Found | None:
    """The best way ``entry`` contains ``text``, if it does."""
    candidates: list[tuple[Match, str]] = [("id", entry.id)]
    candidates += [("name", name) for name in reversed(entry.english)]
    candidates += [("name_zh", name) for name in reversed(entry.chinese)]
    best: Found | None = None
    for how, value in candidates:
        folded = _fold(value)
        if text not in folded:
            continue
        exact = folded == text
        if best is None or (exact and not best.exact):
            best = Found(entry.id, entry.name, entry.name_zh, how, value, exact)
    return best


def _close(entries: Mapping[str, _Names], text: str, limit: int) -> list[Found]:
    """The units with an id, a name or a word of a name closest to ``text``."""
    owners: dict[str, list[tuple[str, Match, str]]] = {}
    for entry in entries.values():
        values: list[tuple[Match, str]] = [("id", entry.id)]
        values += [("name", n) for n in entry.english] + [("name_zh", n) for n in entry.chinese]
        for how, value in values:
            for key in {_fold(value), *re.findall(r"\w+", _fold(value))}:
                owners.setdefault(key, []).append((entry.id, how, value))
    found: dict[str, Found] = {}
    for key in difflib.get_close_matches(text, list(owners), n=limit * 3, cutoff=0.75):
        for uid, _, value in owners[key]:
            if uid not in found:
                entry = entries[uid]
                found[uid] = Found(uid, entry.name, entry.name_zh, "close", value, False)
    return list(found.values())[:limit]


def find_in_units(units: Iterable[Unit], text: str, *, limit: int | None = None) -> list[Found]:
    """The units among ``units`` (records of any dates) whose ids or names match ``text``.

    Exact matches of an id or a whole name come first, then the units whose id, English name
    or Chinese name (in that order) contains the text, each group in id order; if none does,
    the closest ones (``how`` is ``close``), best first. ``first`` and ``last`` are left empty.
    """
    wanted = _fold(text)
    entries = _collect(units)
    if not wanted:
        return []
    direct = [found for entry in entries.values() if (found := _direct(entry, wanted))]
    if direct:
        direct.sort(key=lambda f: (not f.exact, MATCHES.index(f.how), f.id))
        return direct[:limit] if limit is not None else direct
    return _close(entries, wanted, limit if limit is not None else 5)


def find_units(history: History, text: str, *, limit: int | None = None) -> list[Found]:
    """The units of ``history`` whose id or any English or Chinese name they have had matches
    ``text`` (see :func:`find_in_units`), each with the first and last snapshot dates that
    hold it."""
    records: list[Unit] = list(history.snapshots[0].units.values())
    for points in history.record_changes().values():
        records.extend(unit for _, unit in points if unit is not None)
    found = find_in_units(records, text, limit=limit)
    dated = []
    for match in found:
        present = history.presence(match.id)
        dated.append(
            Found(
                match.id,
                match.name,
                match.name_zh,
                match.how,
                match.matched,
                match.exact,
                present[0],
                present[-1],
            )
        )
    return dated


def suggestion(found: Iterable[Found]) -> str:
    """``did you mean 'hema' (Freshippo (Hema))?`` for the units found, or ``""``."""
    named = [f"'{f.id}' ({f.name})" for f in found]
    return f"did you mean {' or '.join(named)}?" if named else ""


def unknown_unit(snapshot: Snapshot, unit_id: str) -> UnknownUnitError:
    """The error for a unit id that ``snapshot`` does not hold, naming the closest units."""
    hint = suggestion(find_in_units(snapshot.units.values(), unit_id, limit=3))
    where = f"unit '{unit_id}' is not in the snapshot of {snapshot.date.isoformat()}"
    return UnknownUnitError(f"{where}; {hint}" if hint else where)


def _found_json(found: Found) -> dict[str, object]:
    return {
        "id": found.id,
        "name": found.name,
        "name_zh": found.name_zh,
        "how": found.how,
        "matched": found.matched,
        "exact": found.exact,
        "first": found.first.isoformat() if found.first else None,
        "last": found.last.isoformat() if found.last else None,
    }


#: The words of what find says, by language; names, ids and what matched are data.
_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "once": ", in the snapshot of {a}",
        "span": ", in the snapshots of {a} to {b}",
        "matched": "; {how} '{text}'",
        "id": "id",
        "name": "name",
        "name_zh": "Chinese name",
        "close": "close to",
        "nothing": "No unit matches '{text}'.",
        "closest": "No unit matches '{text}'; the closest:",
        "found": "Units matching '{text}':",
    },
    "zh": {
        "once": "，见于 {a} 的快照",
        "span": "，见于 {a} 至 {b} 的快照",
        "matched": "；{how}“{text}”",
        "id": "代码",
        "name": "英文名",
        "name_zh": "中文名",
        "close": "接近",
        "nothing": "没有与“{text}”相符的单位。",
        "closest": "没有与“{text}”相符的单位；最接近的：",
        "found": "与“{text}”相符的单位：",
    },
}


def _found_line(found: Found, markdown: bool, lang: str = "en") -> str:
    from orgmodel.markup import escape_markdown

    esc, words = (escape_markdown if markdown else str), _WORDS[lang]
    first, second = found.name, found.name_zh
    if lang == "zh" and found.name_zh:
        first, second = found.name_zh, found.name
    names = esc(first) + (f" ({esc(second)})" if second else "")
    code = f"`{found.id}`" if markdown else f"[{found.id}]"
    span = ""
    if found.first is not None and found.last is not None:
        a, b = found.first.isoformat(), found.last.isoformat()
        span = words["once" if found.first == found.last else "span"].format(a=a, b=b)
    shown = found.matched not in (found.id, found.name, found.name_zh)
    matched = ""
    if shown or found.how == "close":
        matched = words["matched"].format(how=words[found.how], text=esc(found.matched))
    return f"{names} {code}{span}{matched}"


def format_found(found: Sequence[Found], text: str, fmt: str = "text", lang: str = "en") -> str:
    """What :func:`find_units` found for ``text``, as ``text``, ``json`` or ``markdown``: one
    line per unit with its names, id, the dates it is present and, where it is not the unit's
    current id or name, what matched; the words in ``lang`` (JSON is data, the same in both)."""
    from orgmodel.markup import check_format, check_lang

    style, lang = check_format(fmt), check_lang(lang)
    if style == "json":
        return json.dumps([_found_json(f) for f in found], ensure_ascii=False, indent=2) + "\n"
    markdown, words = style == "markdown", _WORDS[lang]
    if not found:
        return words["nothing"].format(text=text) + "\n"
    head = words["closest" if found[0].how == "close" else "found"].format(text=text)
    bullet = "- " if markdown else "  "
    lines = [head, *(bullet + _found_line(f, markdown, lang) for f in found)]
    return "\n".join(lines) + "\n"
