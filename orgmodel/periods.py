"""The periods of a history: where its structure, at one level, changes in a way that lasts.

A flow chart's columns and a timeline's snapshot titles stand where a period opens: a group set
up and kept for years gets its column and its title, while many small changes that fall on one
day, or the snapshot just before a big change, do not.

>>> import orgmodel
>>> history = orgmodel.load_history()
>>> openings = period_openings(history, level=1, count=8)
>>> openings[0] == 0 and openings[-1] == len(history.dates) - 1
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgmodel.history import History
    from orgmodel.snapshot import Snapshot

__all__ = [
    "CANDIDATES",
    "OPENING_WEIGHT",
    "choose_periods",
    "moved",
    "period_openings",
    "placement",
]

#: How much the change that opens a period counts, against the drift within it, when periods are
#: chosen (:func:`choose_periods`): enough that a period opens on the change that starts a
#: lasting structure rather than a few snapshots after it.
OPENING_WEIGHT = 3.0
#: Periods open on one of this many snapshots with the largest changes (or the first).
CANDIDATES = 48


def period_openings(
    history: History, *, level: int = 1, count: int = 8, first: int = 0, last: int | None = None
) -> list[int]:
    """The indexes of the snapshots (from ``first`` to ``last``, by default all) that open
    the ``count - 1`` periods of the history whose structure ``level`` levels below the top
    stays closest to their first snapshot, and the last snapshot (see :func:`choose_periods`).
    """
    stop = len(history.snapshots) - 1 if last is None else last
    snapshots = history.snapshots[first : stop + 1]
    if len(snapshots) <= count:
        return list(range(first, stop + 1))
    chosen = choose_periods([placement(s, level) for s in snapshots], count)
    return [first + i for i in chosen]


def placement(snapshot: Snapshot, level: int) -> dict[str, str]:
    """Each unit at or below ``level``, with the unit at ``level`` it is under (or itself),
    in file order.

    >>> import orgmodel
    >>> snapshot = orgmodel.load_history().at("2023-05-18")
    >>> heads = placement(snapshot, 1)
    >>> all(heads[u] in [u, *snapshot.ancestors(u)] for u in heads), snapshot.root in heads
    (True, False)
    """
    heads: dict[str, str] = {}
    root = snapshot.root
    for uid in (root, *snapshot.descendants(root)):  # each parent before its children
        depth = snapshot.depth(uid)
        if depth >= level:
            head = heads[uid] = uid if depth == level else heads[uid]
            for child in snapshot.children(uid):
                heads[child] = head
    return {uid: heads[uid] for uid in snapshot.units if uid in heads}


def choose_periods(placements: Sequence[Mapping[str, str]], columns: int) -> list[int]:
    """The indexes of at most ``columns`` placements that open the periods of a history: the
    first, the last, and between them those that open the periods whose placements stay
    closest to their first one, each period opening on a large change.

    Cut the history into ``columns - 1`` periods, each shown by its first placement, so that
    the sum over periods of (how far each placement in it is from the first, by
    :func:`moved`) minus :data:`OPENING_WEIGHT` times (the change into the first) is least;
    the last placement is a column of its own. A period only opens on a change, and only on
    one of the :data:`CANDIDATES` largest. So a column stands where a lasting structure
    begins (a new group set up and kept for years), not where many small changes happen to
    fall on one day, nor just before a big change.

    >>> a, b, c = {"x": "a", "y": "a"}, {"x": "a", "y": "b"}, {"x": "b", "y": "b"}
    >>> choose_periods([a, a, b, b, b, c, c], 3)
    [0, 2, 6]
    """
    count = len(placements)
    apart = _Distances(placements)
    jump = [0, *(apart(i - 1, i) for i in range(1, count))]
    opening = sorted(range(1, count - 1), key=lambda i: (-jump[i], i))
    starts = [0, *sorted(i for i in opening[:CANDIDATES] if jump[i] > 0)]
    ends = [*starts[1:], count - 1]
    # drift[a][t]: how far placements a..t-1 are, in sum, from placement starts[a].
    drift = [_drift(apart, start, count) for start in starts]

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


def _drift(apart: _Distances, start: int, count: int) -> list[int]:
    """The running sums of how far the placements from ``start`` on are from it."""
    sums, total = [0], 0
    for t in range(start, count):
        total += apart(start, t)
        sums.append(total)
    return sums


class _Distances:
    """:func:`moved` between placements given by their indexes, worked out once for each two
    distinct placements (a history's placements at one level repeat for long runs), with set
    operations in C: of item pairs, keys and heads."""

    def __init__(self, placements: Sequence[Mapping[str, str]]) -> None:
        shapes: dict[frozenset[tuple[str, str]], int] = {}
        self._shape = [shapes.setdefault(frozenset(p.items()), len(shapes)) for p in placements]
        self._sets = [
            (items, frozenset(key for key, _ in items), frozenset(head for _, head in items))
            for items in shapes
        ]
        self._known: dict[tuple[int, int], int] = {}

    def __call__(self, a: int, b: int) -> int:
        key = (self._shape[a], self._shape[b])
        if key not in self._known:
            (items_a, keys_a, heads_a), (items_b, keys_b, heads_b) = map(
                self._sets.__getitem__, key
            )
            came_or_went = len(keys_a ^ keys_b)
            # A unit under another head is two pairs apart, one that came or went is one.
            changed = (len(items_a ^ items_b) - came_or_went) // 2
            self._known[key] = changed + came_or_went + 2 * len(heads_a ^ heads_b)
        return self._known[key]


def moved(before: Mapping[str, str], after: Mapping[str, str]) -> int:
    """How far apart two placements are: the units that changed the unit they are under, came
    or went, and the units they are under that came or went (counted twice: a new group is a
    bigger change than a new unit).

    >>> moved({"x": "a", "y": "a"}, {"x": "a", "y": "b", "z": "b"})
    4
    """
    changed = sum(1 for uid in before.keys() & after.keys() if before[uid] != after[uid])
    came_or_went = len(before.keys() ^ after.keys())
    blocks = len(set(before.values()) ^ set(after.values()))
    return changed + came_or_went + 2 * blocks
