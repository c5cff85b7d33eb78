"""Dated trees from dated parent links: what the Wikidata and GLEIF importers share.

Both sources say, for each unit, which parent it had over which period. A snapshot is made at
every date a period starts or ends; on each, a unit sits under the link in force that day (of
several, the preferred kind of link, then the one that started last, with a note), and the
snapshot holds the units reachable from the root. A date on which nothing changes gives no
snapshot.

Examples
--------
>>> import datetime as dt
>>> links = [Link("b", "a", Period(dt.date(2020, 1, 1), None)),
...          Link("c", "b", Period(None, dt.date(2021, 1, 1)))]
>>> link_dates(links)
[datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)]
>>> {child: link.parent for child, link in parents_on(dt.date(2020, 6, 1), links, {}).items()}
{'b': 'a', 'c': 'b'}
>>> members("a", parents_on(dt.date(2021, 6, 1), links, {}), order=str)
['a', 'b']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from orgmodel.model import Removal, SnapshotFile, Unit

__all__ = ["Link", "Period", "dated_snapshots", "link_dates", "members", "parents_on"]


class Period(NamedTuple):
    """In force from ``start`` (inclusive; None: from the first date) to ``end`` (exclusive)."""

    start: dt.date | None
    end: dt.date | None

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """A key that orders periods with an open start or end (None) among dated ones."""
        return (self.start or dt.date.min, self.end or dt.date.max)

    def holds(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class Link(NamedTuple):
    """``child`` sits under ``parent`` over ``period``; a lower ``rank`` is preferred."""

    child: str
    parent: str
    period: Period
    rank: int = 0


def link_dates(links: Iterable[Link], extra: Iterable[dt.date | None] = ()) -> list[dt.date]:
    """Every date on which a link (or one of ``extra``) starts or ends, in order."""
    days: set[dt.date | None] = set(extra)
    for link in links:
        days.update(link.period)
    return sorted(d for d in days if d is not None)


def parents_on(
    day: dt.date, links: Iterable[Link], notes: dict[str, str], root: str | None = None
) -> dict[str, Link]:
    """Each child's link on ``day``: of several, the preferred kind (the lower rank), then the
    one that started last, with a note in ``notes`` under the child (the first day it holds).

    Given the ``root``, a unit that its preferred link would cut off from the root (its parent
    sits below it, or is not in the group that day) is put under another link in force that
    keeps it in the group, where there is one: two parents at once must not make a unit vanish.
    """
    held: dict[str, list[Link]] = {}
    for link in links:
        if link.period.holds(day):
            held.setdefault(link.child, []).append(link)
    options = {
        child: sorted(found, key=lambda k: (k.rank, -_later(k).toordinal(), k.parent))
        for child, found in held.items()
    }
    chosen = {child: found[0] for child, found in options.items()}
    if root is not None:
        _keep_in_group(root, options, chosen)
    for child in sorted(options):
        best = [k for k in options[child] if k.rank == options[child][0].rank]
        parents = sorted({k.parent for k in best})
        if len(parents) > 1 and child not in notes:
            why = _why(chosen[child], best)
            notes[child] = (
                f"{child} has two parents at once ({', '.join(parents)}) on {day}; it is put "
                f"under {why}"
            )
    return chosen


def _why(pick: Link, best: list[Link]) -> str:
    """Why a unit with several parents at once is put under the one chosen."""
    if pick is not best[0]:
        return (
            f"{pick.parent}, as {best[0].parent}, whose link started later, would cut it off "
            "from the group"
        )
    if len(best) > 1 and _later(best[1]) == _later(pick) and best[1].parent != pick.parent:
        start = pick.period.start
        when = f"both links start on {start}" if start else "no link says when it started"
        return f"{pick.parent}, the first by id, as {when}"
    return "the one whose link started last"


def _keep_in_group(root: str, options: Mapping[str, list[Link]], chosen: dict[str, Link]) -> None:
    """Move each unit that ``chosen`` leaves cut off from ``root`` to its most preferred other
    link whose parent is in the group, until none can be moved (each move brings the unit, and
    what hangs below it, into the group, so it ends)."""
    below: dict[str, set[str]] = {}
    for child, link in chosen.items():
        below.setdefault(link.parent, set()).add(child)
    attached: set[str] = set()
    _attach(root, below, attached)
    moved = True
    while moved:
        moved = False
        for child in sorted(set(options) - attached - {root}):
            other = next((k for k in options[child] if k.parent in attached), None)
            if other is not None and child not in attached:
                below[chosen[child].parent].discard(child)
                below.setdefault(other.parent, set()).add(child)
                chosen[child] = other
                _attach(child, below, attached)
                moved = True


def _attach(top: str, below: Mapping[str, set[str]], attached: set[str]) -> None:
    """Add ``top`` and every unit below it to ``attached``."""
    stack = [top]
    while stack:
        current = stack.pop()
        if current not in attached:
            attached.add(current)
            stack.extend(below.get(current, ()))


def _later(link: Link) -> dt.date:
    return link.period.start or dt.date.min


def members(root: str, parents: Mapping[str, Link], order: Callable[[str], Any]) -> list[str]:
    """The units reachable from ``root`` (parents first, siblings sorted by ``order``).

    Each unit has one parent, so what hangs below the root is a tree, whatever cycles the
    links make elsewhere; the root's own link, if any, is not followed.
    """
    children: dict[str, list[str]] = {}
    for child, link in parents.items():
        if child != root:
            children.setdefault(link.parent, []).append(child)
    found: list[str] = []
    stack = [root]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(sorted(children.get(current, ()), key=order, reverse=True))
    return found


#: Makes a unit from its id, its link (None for the root), the day, and the ids that were in an
#: earlier snapshot and are gone from this one (what its lineage may name).
UnitMaker = Callable[[str, "Link | None", dt.date, set[str]], Unit]
RemovalMaker = Callable[[str, dt.date, set[str]], Removal]


class _Built(NamedTuple):
    snapshots: list[SnapshotFile]
    cited: set[str]


def dated_snapshots(
    root: str,
    links: list[Link],
    days: list[dt.date],
    make_unit: UnitMaker,
    make_removal: RemovalMaker,
    title: Callable[[dt.date], str],
    notes: dict[str, str],
    order: Callable[[str], Any] = str,
) -> _Built:
    """A snapshot on each of ``days`` where something changed; ``notes`` gathers what the
    reader should know (units left out because their parent is outside the tree that day)."""
    seen: set[str] = set()
    snapshots: list[SnapshotFile] = []
    cited: set[str] = set()
    before: list[str] = []
    for day in days:
        parents = parents_on(day, links, notes, root)
        found = members(root, parents, order)
        present = set(found)
        for child in sorted(set(parents) - present - {root}):
            notes.setdefault(
                child, f"{child} is left out where its parent is not in the group (first on {day})"
            )
        # Lineage may name only units that were there before and are gone now.
        gone = seen - present
        seen.update(found)
        units = [make_unit(u, None if u == root else parents[u], day, gone) for u in found]
        if snapshots and tuple(units) == snapshots[-1].units:
            continue
        removed = {u.lower(): make_removal(u, day, present) for u in before if u not in present}
        snapshots.append(
            SnapshotFile.model_validate(
                {"date": day, "title": title(day), "units": units, "removed": removed}
            )
        )
        cited.update(found)
        before = found
    return _Built(snapshots, cited)
