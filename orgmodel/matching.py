"""Splits, mergers and absorptions inferred from the overlap of sub-units, where lineage is silent.

:func:`infer` takes the units that vanished between two snapshots and the units that arrived,
neither explained by declared lineage, and says which went into which. :func:`heir` picks,
among the successors of a unit, the one that carries its identity.

The rule
--------
A vanished unit ``x`` and a new unit ``y`` match when the Jaccard index of their descendants,
``|D(x) & D(y)| / |D(x) | D(y)|``, is strictly greater than ``threshold`` (default
:data:`DEFAULT_THRESHOLD` = 0.3, between Greene's 0.1 and Asur's 0.5; units without descendants
never match): the matching of the dynamic-community literature (Greene, Doyle & Cunningham,
"Tracking the evolution of communities in dynamic social networks", ASONAM 2010; tnetwork's
event graph). ``x`` matched by two or more new units: ``split``; ``y`` matched by two or more
vanished units: ``merged``; one to one: ``x`` absorbed into ``y``.

Identity passes to the successor with the largest overlap (tnetwork's rule; ties go to the
successor that comes first in ``b``): it is the split's ``heir`` and the unit the predecessor
went ``into``.

Cost
----
Linear in the sizes of the subtrees of the vanished and new units: only pairs that share a
descendant are compared, through an index descendant -> new unit.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> def unit(uid, parent):
...     return Unit(id=uid, name=uid, kind="business_unit", parent=parent)
>>> g = Unit(id="g", name="G", kind="holding")
>>> a = Snapshot(dt.date(2020, 1, 1), [g, unit("old", "g"), unit("p", "old"), unit("q", "old")])
>>> b = Snapshot(dt.date(2021, 1, 1), [g, unit("one", "g"), unit("two", "g"),
...                                    unit("p", "one"), unit("q", "two")])
>>> found = infer(a, b, gone=["old"], new=["one", "two"], threshold=0.3)
>>> found.splits
[InferredSplit(predecessor='old', successors=('one', 'two'), heir='one', score=0.5)]
>>> found.into
{'old': ('one', 0.5)}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

from orgmodel.snapshot import Snapshot

__all__ = ["DEFAULT_THRESHOLD", "Inference", "InferredMerge", "InferredSplit", "heir", "infer"]

#: Default Jaccard threshold for inferring splits and merges from the overlap of sub-units.
DEFAULT_THRESHOLD: Final = 0.3


class InferredSplit(NamedTuple):
    """A unit whose parts went to several units."""

    predecessor: str
    successors: tuple[str, ...]  # in b's order
    heir: str
    score: float  # the heir's overlap


class InferredMerge(NamedTuple):
    """Several units that went into one."""

    successor: str
    predecessors: tuple[str, ...]  # in a's order
    score: float  # the largest overlap


class Inference(NamedTuple):
    """What the overlap of sub-units says about the vanished and the new units."""

    into: dict[str, tuple[str, float]]  # vanished unit -> (the unit it went into, overlap)
    splits: list[InferredSplit]
    merges: list[InferredMerge]


_Scored = dict[str, list[tuple[str, float]]]


def infer(
    a: Snapshot, b: Snapshot, *, gone: Sequence[str], new: Sequence[str], threshold: float
) -> Inference:
    """The splits, mergers and absorptions among the units ``gone`` (in a's order) and ``new``
    (in b's order), by the rule of this module's docstring."""
    matches_gone, matches_new = _match(a, b, gone, new, threshold)
    pos_a = {uid: i for i, uid in enumerate(gone)}
    pos_b = {uid: i for i, uid in enumerate(new)}
    into = {x: found[0] for x, found in matches_gone.items()}
    splits = [
        InferredSplit(
            predecessor=x,
            successors=tuple(sorted((y for y, _ in found), key=pos_b.__getitem__)),
            heir=found[0][0],
            score=round(found[0][1], 6),
        )
        for x, found in matches_gone.items()
        if len(found) >= 2
    ]
    merges = [
        InferredMerge(
            successor=y,
            predecessors=tuple(sorted((x for x, _ in found), key=pos_a.__getitem__)),
            score=round(max(score for _, score in found), 6),
        )
        for y, found in matches_new.items()
        if len(found) >= 2
    ]
    return Inference(into=into, splits=splits, merges=merges)


def heir(a: Snapshot, b: Snapshot, predecessor: str, successors: Sequence[str]) -> str:
    """The successor (``successors`` in b's order) with the largest overlap of descendants with
    ``predecessor``; the first on ties."""
    if len(successors) == 1:
        return successors[0]
    mine = set(a.descendants(predecessor))
    best, best_score = successors[0], -1.0
    for succ in successors:
        score = _jaccard(mine, set(b.descendants(succ)))
        if score > best_score:
            best, best_score = succ, score
    return best


def _match(
    a: Snapshot, b: Snapshot, gone: Sequence[str], new: Sequence[str], threshold: float
) -> tuple[_Scored, _Scored]:
    """Pairs (vanished, new) whose descendants overlap by more than the threshold; each list
    best match first (ties: the first in b, or in a)."""
    if not gone or not new:
        return {}, {}
    index: dict[str, list[str]] = {}
    size_new: dict[str, int] = {}
    for uid in new:
        count = 0
        for d in b.descendants(uid):
            index.setdefault(d, []).append(uid)
            count += 1
        size_new[uid] = count
    matches_gone: _Scored = {}
    matches_new: _Scored = {}
    pos_b = {uid: i for i, uid in enumerate(new)}
    for x in gone:
        shared: dict[str, int] = {}
        size = 0
        for d in a.descendants(x):
            size += 1
            for y in index.get(d, ()):
                shared[y] = shared.get(y, 0) + 1
        found = []
        for y, common in shared.items():
            score = common / (size + size_new[y] - common)
            if score > threshold:
                found.append((y, score))
        if found:
            found.sort(key=lambda pair: (-pair[1], pos_b[pair[0]]))
            matches_gone[x] = found
            for y, score in found:
                matches_new.setdefault(y, []).append((x, score))
    for found in matches_new.values():
        found.sort(key=lambda pair: -pair[1])  # stable: gone is in a's order
    return matches_gone, matches_new


def _jaccard(x: set[str], y: set[str]) -> float:
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)
