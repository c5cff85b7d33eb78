"""Flows between dates: what an alluvial diagram of a history shows, as plain data.

A column per chosen date; in each, a block per unit at the chosen level (by default the level
just under the top), sized by the units it holds, itself included; ribbons for the units that are
under one block on one date and under another (or the same) block on the next. Every unit at or
below the level is counted once per column. Blocks of a column are ordered to reduce the
crossings of the ribbons (Rosvall and Bergstrom 2010 draw modules the same way).

>>> import orgmodel
>>> f = flows(orgmodel.load_history(), dates=["2015-12-07", "2023-03-28"])
>>> [c.date.isoformat() for c in f.columns]
['2015-12-07', '2023-03-28']
>>> sum(b.size for b in f.columns[0].blocks) == len(orgmodel.load_history().at("2015").units) - 1
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError
from orgmodel.periods import period_openings, placement

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "COLUMNS",
    "Block",
    "Column",
    "Flows",
    "Ribbon",
    "flows",
]

#: How many dates a flow chart chooses when none are given: every snapshot if there are no more.
COLUMNS = 8


@dataclass(frozen=True, slots=True)
class Block:
    """A unit at the chosen level on one date, and the units it holds (itself included).

    ``unit`` is None for the block that pools the units whose blocks would be smaller than the
    chart's ``min_size``; its ``name`` says how many there are.
    """

    unit: str | None
    name: str
    name_zh: str | None
    kind: str | None
    units: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many units the block holds."""
        return len(self.units)


@dataclass(frozen=True, slots=True)
class Column:
    """One date: the snapshot in force, its title, and its blocks top to bottom."""

    date: dt.date
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Ribbon:
    """Units under block ``source`` of column ``column`` and block ``target`` of the next."""

    column: int
    source: int
    target: int
    units: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many units pass."""
        return len(self.units)


@dataclass(frozen=True, slots=True)
class Flows:
    """The columns and ribbons of a flow chart, the level of its blocks and its pooling size."""

    columns: tuple[Column, ...]
    ribbons: tuple[Ribbon, ...]
    level: int
    min_size: int


def flows(
    history: History,
    *,
    dates: Sequence[DateLike] | None = None,
    level: int = 1,
    min_size: int = 2,
    columns: int = COLUMNS,
) -> Flows:
    """The flows of ``history`` between dates, at one level of its hierarchy.

    Parameters
    ----------
    history : History
    dates : dates or str, optional
        The columns (each uses the snapshot in force on it). By default every snapshot if there
        are at most ``columns``; otherwise the first, the last, and those between that open the
        history's lasting periods at ``level`` (:func:`orgmodel.periods.period_openings`).
    level : int
        How far below the top the blocks are (1: the units directly under it). A unit above the
        level is in no block.
    min_size : int
        The units that hold fewer than this many units (themselves included) on every date
        drawn are pooled into one block of "other units" at the foot of each column, so that
        each block drawn is a group worth a name (1 keeps every unit a block). A unit that is a
        block on one date is a block on every date it is at the level, so that it never sinks
        into the pool on one date and stands out on another.

    Examples
    --------
    >>> import orgmodel
    >>> f = flows(orgmodel.load_history(), dates=["2023-03-28", "2023-05-18"])
    >>> cloud = [r for r in f.ribbons if "cloud-intelligence" in r.units][0]
    >>> f.columns[0].blocks[cloud.source].unit, f.columns[1].blocks[cloud.target].unit
    ('cloud-intelligence', 'cloud-intelligence')
    """
    if level < 1:
        raise OrgModelError(
            f"level {level}: a flow chart's level is at least 1 (the units under the top)"
        )
    chosen = _dates(history, dates, level, columns)
    snapshots = [history.snapshots[i] for i in chosen]
    placed = [placement(s, level) for s in snapshots]
    members = [_members(where) for where in placed]
    named = _named(members, min_size)
    raw = [_blocks(s, heads, named) for s, heads in zip(snapshots, members, strict=True)]
    ordered = _order(raw)
    built = tuple(
        Column(s.date, s.title, tuple(blocks)) for s, blocks in zip(snapshots, ordered, strict=True)
    )
    return Flows(built, _ribbons(built), level, min_size)


# Dates ------------------------------------------------------------------------------------------


def _dates(
    history: History, dates: Sequence[DateLike] | None, level: int, columns: int
) -> list[int]:
    if dates is not None:
        return sorted({history.index(day) for day in dates})
    return period_openings(history, level=level, count=columns)


# Blocks -----------------------------------------------------------------------------------------


def _members(where: Mapping[str, str]) -> dict[str, list[str]]:
    """The units of each block's head, from each unit's head."""
    members: dict[str, list[str]] = {}
    for uid, head in where.items():
        members.setdefault(head, []).append(uid)
    return members


def _named(members: Sequence[Mapping[str, list[str]]], min_size: int) -> set[str]:
    """The heads that hold at least ``min_size`` units on one of the dates."""
    return {head for heads in members for head, units in heads.items() if len(units) >= min_size}


def _blocks(
    snapshot: Snapshot, members: Mapping[str, list[str]], named: Collection[str]
) -> list[Block]:
    blocks, pooled = [], []
    for head, units in members.items():
        if head in named:
            unit = snapshot.units[head]
            blocks.append(Block(head, unit.name, unit.name_zh, unit.kind, tuple(units)))
        else:
            pooled.extend(units)
    blocks.sort(key=lambda b: (-b.size, b.name))
    if pooled:
        name = f"{len(pooled)} other unit{'s' if len(pooled) != 1 else ''}"
        blocks.append(Block(None, name, None, None, tuple(pooled)))
    return blocks


# Order ------------------------------------------------------------------------------------------


def _order(columns: list[list[Block]], sweeps: int = 4) -> list[list[Block]]:
    """Order each column's blocks by the mean position of the units they share with the column
    before (then after), sweeping left and right: the barycentre heuristic for crossings. The
    pooled block stays at the foot of its column."""
    ordered = [list(blocks) for blocks in columns]
    for sweep in range(sweeps):
        steps = range(1, len(ordered)) if sweep % 2 == 0 else range(len(ordered) - 2, -1, -1)
        for i in steps:
            neighbour = ordered[i - 1] if sweep % 2 == 0 else ordered[i + 1]
            ordered[i] = _by_barycentre(ordered[i], _positions(neighbour))
    return ordered


def _positions(blocks: Sequence[Block]) -> dict[str, float]:
    """Each unit's place in a column, from 0 at the top to 1 at the foot."""
    total = max(sum(b.size for b in blocks), 1)
    places: dict[str, float] = {}
    done = 0
    for block in blocks:
        for offset, uid in enumerate(block.units):
            places[uid] = (done + offset + 0.5) / total
        done += block.size
    return places


def _by_barycentre(blocks: Sequence[Block], places: Mapping[str, float]) -> list[Block]:
    def centre(index: int) -> tuple[bool, float]:
        block = blocks[index]
        shared = [places[uid] for uid in block.units if uid in places]
        if block.unit is None:
            return (True, 0.0)
        # A block with nothing in common with the neighbour keeps its place.
        return (False, sum(shared) / len(shared) if shared else index / max(len(blocks), 1))

    order = sorted(range(len(blocks)), key=centre)
    return [_units_by(blocks[i], places) for i in order]


def _units_by(block: Block, places: Mapping[str, float]) -> Block:
    """The block with its units in the order of their places next door (new ones last), so that
    the ribbons leave it without crossing one another."""
    units = sorted(block.units, key=lambda uid: (uid not in places, places.get(uid, 0.0)))
    return Block(block.unit, block.name, block.name_zh, block.kind, tuple(units))


# Ribbons ----------------------------------------------------------------------------------------


def _ribbons(columns: Sequence[Column]) -> tuple[Ribbon, ...]:
    found: list[Ribbon] = []
    for i in range(len(columns) - 1):
        target = _block_of(columns[i + 1].blocks)
        passing: dict[tuple[int, int], list[str]] = {}
        for source, block in enumerate(columns[i].blocks):
            for uid in block.units:
                if uid in target:
                    passing.setdefault((source, target[uid]), []).append(uid)
        found.extend(Ribbon(i, s, t, tuple(units)) for (s, t), units in sorted(passing.items()))
    return tuple(found)


def _block_of(blocks: Iterable[Block]) -> dict[str, int]:
    return {uid: index for index, block in enumerate(blocks) for uid in block.units}
