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
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgmodel.dates import DateLike
from orgmodel.errors import OrgModelError

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "CANDIDATES",
    "COLUMNS",
    "OPENING_WEIGHT",
    "Block",
    "Column",
    "Flows",
    "Ribbon",
    "choose_periods",
    "flows",
]

#: How many dates a flow chart chooses when none are given: every snapshot if there are no more.
COLUMNS = 8
#: How much the change that opens a period counts, against the drift within it, when dates are
#: chosen (:func:`choose_periods`): enough that a column stands on the change that opens a
#: lasting structure rather than a few snapshots after it.
OPENING_WEIGHT = 3.0
#: Dates are chosen among this many snapshots with the largest changes (and the first and last).
CANDIDATES = 48


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
        are at most ``columns``; otherwise the first, the last, and those between where the most
        units change block.
    level : int
        How far below the top the blocks are (1: the units directly under it). A unit above the
        level is in no block.
    min_size : int
        On each date, the units that hold fewer than this many units (themselves included) are
        pooled into one block of "other units" at the foot of the column, so that each block
        drawn is a group worth a name (1 keeps every unit a block).

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
    placed = [_placement(s, level) for s in snapshots]
    raw = [_blocks(s, where, min_size) for s, where in zip(snapshots, placed, strict=True)]
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
    if len(history.snapshots) <= columns:
        return list(range(len(history.snapshots)))
    return choose_periods([_placement(s, level) for s in history.snapshots], columns)


def choose_periods(placements: Sequence[Mapping[str, str]], columns: int) -> list[int]:
    """The indexes of at most ``columns`` placements that open the periods of a history: the
    first, the last, and between them those that open the periods whose placements stay
    closest to their first one, each period opening on a large change.

    Cut the history into ``columns - 1`` periods, each shown by its first placement, so that
    the sum over periods of (how far each placement in it is from the first, by
    :func:`_moved`) minus :data:`OPENING_WEIGHT` times (the change into the first) is least;
    the last placement is a column of its own. A period only opens on a change, and only on
    one of the :data:`CANDIDATES` largest. So a column stands where a lasting structure
    begins (a new group set up and kept for years), not where many small changes happen to
    fall on one day, nor just before a big change.

    >>> a, b, c = {"x": "a", "y": "a"}, {"x": "a", "y": "b"}, {"x": "b", "y": "b"}
    >>> choose_periods([a, a, b, b, b, c, c], 3)
    [0, 2, 6]
    """
    count = len(placements)
    jump = [0, *(_moved(placements[i - 1], placements[i]) for i in range(1, count))]
    opening = sorted(range(1, count - 1), key=lambda i: (-jump[i], i))
    starts = [0, *sorted(i for i in opening[:CANDIDATES] if jump[i] > 0)]
    ends = [*starts[1:], count - 1]
    # drift[a][t]: how far placements a..t-1 are, in sum, from placement starts[a].
    drift = [_drift(placements, start, count) for start in starts]

    def cost(a: int, b: int) -> float:  # the period from starts[a] to just before ends[b]
        return drift[a][ends[b] - starts[a]] - OPENING_WEIGHT * jump[starts[a]]

    periods = min(columns - 1, len(starts))
    # best[p][b]: the least cost of p periods from the first placement to just before ends[b].
    best = [[cost(0, b) for b in range(len(ends))]]
    back: list[list[int]] = [[0] * len(ends)]
    for _ in range(1, periods):
        row, came = [], []
        for b in range(len(ends)):
            options = [(best[-1][a - 1] + cost(a, b), a) for a in range(1, b + 1)]
            value, a = min(options, default=(math.inf, 0))
            row.append(value)
            came.append(a)
        best.append(row)
        back.append(came)
    chosen, b = [count - 1], len(ends) - 1
    for p in range(periods - 1, 0, -1):
        b = back[p][b]
        chosen.append(starts[b])
        b -= 1
    return sorted({0, *chosen})


def _drift(placements: Sequence[Mapping[str, str]], start: int, count: int) -> list[int]:
    """The running sums of how far the placements from ``start`` on are from it."""
    sums, total = [0], 0
    for t in range(start, count):
        total += _moved(placements[start], placements[t])
        sums.append(total)
    return sums


def _moved(before: Mapping[str, str], after: Mapping[str, str]) -> int:
    """How many units changed block between two placements, came or went, plus blocks that
    came or went (counted twice: a new group is a bigger change than a new unit)."""
    changed = sum(1 for uid in before.keys() & after.keys() if before[uid] != after[uid])
    came_or_went = len(before.keys() ^ after.keys())
    blocks = len(set(before.values()) ^ set(after.values()))
    return changed + came_or_went + 2 * blocks


# Blocks -----------------------------------------------------------------------------------------


def _placement(snapshot: Snapshot, level: int) -> dict[str, str]:
    """Each unit at or below ``level``, with the unit at ``level`` it is under (or itself)."""
    where: dict[str, str] = {}
    for uid in snapshot.units:
        chain = [uid, *snapshot.ancestors(uid)]  # the unit, its parent, ..., the top
        depth = len(chain) - 1
        if depth >= level:
            where[uid] = chain[depth - level]
    return where


def _blocks(snapshot: Snapshot, where: Mapping[str, str], min_size: int) -> list[Block]:
    members: dict[str, list[str]] = {}
    for uid, head in where.items():
        members.setdefault(head, []).append(uid)
    blocks, pooled = [], []
    for head, units in members.items():
        if len(units) >= min_size:
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
