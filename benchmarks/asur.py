"""The baseline: Asur, Parthasarathy & Ucar's events, computed on the units' children sets.

Asur et al. ("An event-based framework for characterizing the evolutionary behavior of
interaction graphs", ACM TKDD 3(4), 2009) call a pair of groups of step t+1 a *split* of a group
``C`` of step t when ``|(C1 | C2) & C| / max(|C1 | C2|, |C|) > κ``, and symmetrically a pair of
step t a *merge* into a group of step t+1; a group with the same members on both sides
*continues*. This is how cdlib implements them (``cdlib.lifecycles.algorithms.classic_match``:
every pair of groups that share a member with ``C``, default κ = 0.5), written again here so the
benchmark does not need cdlib. A group is a unit with children, its members are its children.

The pairs are read in orgmodel's words so they can be scored alike: the groups of every pair
over the threshold are the successors of a split (less the unit itself, if it continues: a part
split off) or the predecessors of a merger; a merger into a unit that continues is an absorption
of the others into it, and so is a continuation under a new id.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from orgmodel.snapshot import Snapshot

__all__ = ["DEFAULT_THRESHOLD", "asur_keys", "groups"]

#: Asur et al.'s and cdlib's default κ.
DEFAULT_THRESHOLD = 0.5

Groups = dict[str, frozenset[str]]


def groups(snapshot: Snapshot) -> Groups:
    """Each unit with children, with the set of its children."""
    found: dict[str, set[str]] = {}
    for unit in snapshot.units.values():
        if unit.parent is not None:
            found.setdefault(unit.parent, set()).add(unit.id)
    return {uid: frozenset(kids) for uid, kids in found.items()}


def _score(target: frozenset[str], refs: tuple[frozenset[str], frozenset[str]]) -> float:
    union = refs[0] | refs[1]
    return len(union & target) / max(len(union), len(target))


def _flows(source: Groups, target: Groups) -> dict[str, list[str]]:
    """For each group of ``source``, the groups of ``target`` sharing a member with it."""
    owner = {member: uid for uid, members in target.items() for member in members}
    found: dict[str, list[str]] = {}
    for uid, members in source.items():
        seen = dict.fromkeys(owner[m] for m in members if m in owner)
        found[uid] = list(seen)
    return found


def _pairs(source: Groups, target: Groups, threshold: float) -> dict[str, set[str]]:
    """For each group of ``source``, the groups of ``target`` in a pair over the threshold."""
    found: dict[str, set[str]] = {}
    for uid, partners in _flows(source, target).items():
        for r1, r2 in combinations(partners, 2):
            if _score(source[uid], (target[r1], target[r2])) > threshold:
                found.setdefault(uid, set()).update((r1, r2))
    return found


def asur_keys(a: Snapshot, b: Snapshot, threshold: float) -> dict[str, set[tuple[str, ...]]]:
    """The split, merged and absorbed keys (see :func:`benchmarks.reorgs.keys`) of the Asur
    events from ``a`` to ``b``."""
    before, after = groups(a), groups(b)
    found: dict[str, set[tuple[str, ...]]] = {"split": set(), "merged": set(), "absorbed": set()}
    grouped: set[str] = set()
    for x, partners in _pairs(before, after, threshold).items():
        successors = partners - {x} if x in b.units else partners
        if successors:
            found["split"].add((x, ",".join(sorted(successors))))
            grouped.add(x)
    absorbed: set[tuple[str, str]] = set()
    for y, partners in _pairs(after, before, threshold).items():
        if y in a.units:
            absorbed.update((x, y) for x in partners - {y} if x not in b.units)
        else:
            found["merged"].add((y, ",".join(sorted(partners))))
            grouped.update(partners)
    absorbed.update(_continued(before, after, a.units, b.units))
    found["absorbed"] = {(x, y) for x, y in absorbed if x not in grouped}
    return found


def _continued(
    before: Groups, after: Groups, a: Mapping[str, object], b: Mapping[str, object]
) -> set[tuple[str, str]]:
    """A group that continues with the same members under a new id."""
    by_members = {members: uid for uid, members in after.items() if uid not in a}
    return {
        (x, by_members[members])
        for x, members in before.items()
        if x not in b and members in by_members
    }
