"""A history: the dated snapshots of one organisation, in time order.

A snapshot dated D is in force from D (inclusive) until the next snapshot's date (exclusive).
``at(x)`` returns the latest snapshot dated on or before x; a partial date (``2023`` or
``2023-05``) means the last day of its period; a date before the first snapshot is an error.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> def org(day, *units):
...     return Snapshot(dt.date(2023, 1, day), [Unit(id="g", name="Group", kind="holding"), *units])
>>> h = History([org(1), org(20, Unit(id="x", name="X", kind="company", parent="g"))])
>>> h.at("2023-01-19").date, h.at("2023-01").date
(datetime.date(2023, 1, 1), datetime.date(2023, 1, 20))
>>> sorted(h.graph("2023-01-31").edges)
[('g', 'x')]
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from orgmodel.dates import DateLike, parse_date
from orgmodel.errors import DataError, DateError, Problem, UnknownUnitError
from orgmodel.model import Source, Unit
from orgmodel.snapshot import Snapshot, share_unchanged, step_between, walk

if TYPE_CHECKING:
    import networkx as nx

    from orgmodel.compare import Diff
    from orgmodel.events import Event
    from orgmodel.finding import Found

__all__ = ["History", "Snapshot", "to_graph"]


class History:
    """Snapshots of one organisation, sorted by date, with the sources they cite."""

    def __init__(
        self,
        snapshots: Iterable[Snapshot],
        *,
        sources: Mapping[str, Source] | None = None,
        kinds: Mapping[str, str] | None = None,
        title: str | None = None,
        path: Path | None = None,
    ) -> None:
        ordered = sorted(snapshots, key=lambda s: s.date)
        if not ordered:
            raise DataError([Problem(path, None, "a history needs at least one snapshot")])
        for earlier, later in itertools.pairwise(ordered):
            if earlier.date == later.date:
                raise DataError(
                    [Problem(later.path, None, f"two snapshots are dated {later.date}")]
                )
        for i in range(1, len(ordered)):
            ordered[i] = share_unchanged(ordered[i - 1], ordered[i])
        self.snapshots: tuple[Snapshot, ...] = tuple(ordered)
        self.dates: tuple[dt.date, ...] = tuple(s.date for s in ordered)
        self.sources: Mapping[str, Source] = MappingProxyType(dict(sources or {}))
        self.kinds: Mapping[str, str] | None = (
            MappingProxyType(dict(kinds)) if kinds is not None else None
        )
        self.title = title
        self.path = path
        self._points: dict[str, list[tuple[int, Unit | None]]] | None = None

    def __reduce__(self) -> tuple[object, ...]:
        # For pickle and copy: rebuilt from its parts, so the copy shares its own records.
        kinds = dict(self.kinds) if self.kinds is not None else None
        return (
            _rebuild,
            (self.snapshots, dict(self.sources), kinds, self.title, self.path),
        )

    def __repr__(self) -> str:
        span = f"{self.dates[0]} .. {self.dates[-1]}"
        return f"<History {self.title or ''} {len(self.dates)} snapshots {span}>".replace("  ", " ")

    def __len__(self) -> int:
        return len(self.snapshots)

    @cached_property
    def kind_order(self) -> tuple[str, ...]:
        """Every kind of unit of the history, each once: those :attr:`kinds` lists, in its
        order, then the others as they first appear. The pictures of a history give kinds their
        colours in this order, so that a kind has one colour in all of them."""
        order = dict.fromkeys(self.kinds or ())
        for snapshot in self.snapshots:
            order.update(dict.fromkeys(unit.kind for unit in snapshot.units.values()))
        return tuple(order)

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def index(self, date: DateLike) -> int:
        """The position in :attr:`snapshots` of the snapshot in force on ``date``."""
        day = parse_date(date)
        position = bisect.bisect_right(self.dates, day) - 1
        if position < 0:
            raise DateError(
                f"{date} is before the first snapshot ({self.dates[0].isoformat()}); "
                f"use a date on or after {self.dates[0].isoformat()}"
            )
        return position

    def at(self, date: DateLike) -> Snapshot:
        """The snapshot in force on ``date``: the latest one dated on or before it."""
        return self.snapshots[self.index(date)]

    def graph(self, date: DateLike) -> nx.DiGraph:
        """The structure in force on ``date`` as a directed graph, edges parent -> child."""
        return to_graph(self.at(date))

    def span(self, a: DateLike | None = None, b: DateLike | None = None) -> tuple[int, int]:
        """The positions in :attr:`snapshots` of the snapshots in force on ``a`` (default: the
        first) and on ``b`` (default: the last).

        The one rule for everything that takes two dates: ``a`` after ``b`` is a
        :class:`DateError`, never silently swapped.
        """
        first = self.index(a) if a is not None else 0
        last = self.index(b) if b is not None else len(self.snapshots) - 1
        # Compare the snapshots the dates select, so that "2021" and "2021-06" (both in one
        # snapshot's span) are in order whichever way round they are given.
        if first > last:
            raise DateError(f"{a} is after {b}; give the earlier date first")
        return first, last

    def _check_order(self, a: DateLike, b: DateLike) -> None:
        self.span(a, b)

    def unit_ids(self) -> set[str]:
        """Every unit id that appears in any snapshot."""
        ids: set[str] = set()
        for snapshot in self.snapshots:
            ids.update(snapshot.units)
        return ids

    def record_changes(self) -> Mapping[str, list[tuple[int, Unit | None]]]:
        """For each unit id that came, went or changed after the first snapshot, the snapshots
        where its record changed, in time order: (index in :attr:`snapshots`, the record from
        there on, or None where the unit is gone), starting with its record in the first
        snapshot if it was there. A unit not listed keeps its first snapshot's record
        throughout (or was never there). Made from the steps between snapshots on first use,
        and kept; its size follows the changes, not the units.
        """
        if self._points is None:
            first = self.snapshots[0].units
            points: dict[str, list[tuple[int, Unit | None]]] = {}

            def of(uid: str) -> list[tuple[int, Unit | None]]:
                found = points.get(uid)
                if found is None:
                    start = first.get(uid)
                    found = points[uid] = [(0, start)] if start is not None else []
                return found

            for index in range(1, len(self.snapshots)):
                before, after = self.snapshots[index - 1], self.snapshots[index]
                touched, gone, _, _ = step_between(before, after) or walk(before, after)
                for _, uid, _, record in touched:
                    of(uid).append((index, record))
                for uid in gone:
                    of(uid).append((index, None))
            self._points = points
        return self._points

    def presence(self, unit_id: str) -> tuple[dt.date, ...]:
        """The dates of the snapshots that hold ``unit_id``, in order; a gap is an absence.

        Raises :class:`UnknownUnitError` if no snapshot has it.
        """
        self.check_unit(unit_id)
        return tuple(s.date for s in self.snapshots if unit_id in s.units)

    def check_unit(self, unit_id: str) -> None:
        """Raise :class:`UnknownUnitError` naming the closest ids if no snapshot has ``unit_id``."""
        for snapshot in self.snapshots:
            if unit_id in snapshot.units:
                return
        from orgmodel.finding import find_units, suggestion

        hint = suggestion(find_units(self, unit_id, limit=3))
        where = f"unit '{unit_id}' is in no snapshot"
        raise UnknownUnitError(f"{where}; {hint}" if hint else where)

    def find(self, text: str, *, limit: int | None = None) -> list[Found]:
        """The units whose id, or any English or Chinese name they have had, matches ``text``;
        the closest ones if none contains it. See :func:`orgmodel.finding.find_units`."""
        from orgmodel.finding import find_units

        return find_units(self, text, limit=limit)

    def diff(self, a: DateLike, b: DateLike, *, threshold: float | None = None) -> Diff:
        """The net change between the snapshots in force on ``a`` and on ``b``, looking back
        through this history for returns; see :func:`orgmodel.compare.diff`."""
        from orgmodel.compare import DEFAULT_THRESHOLD, diff

        self._check_order(a, b)
        return diff(
            self.at(a),
            self.at(b),
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            history=self,
        )

    def changes(
        self,
        a: DateLike | None = None,
        b: DateLike | None = None,
        *,
        unit: str | None = None,
        kinds: Iterable[str] | None = None,
        threshold: float | None = None,
    ) -> list[Event]:
        """Every event of every step from the snapshot in force on ``a`` (default: the first)
        to the one in force on ``b`` (default: the last); see :func:`orgmodel.compare.changes`."""
        from orgmodel.compare import DEFAULT_THRESHOLD, changes

        if a is not None and b is not None:
            self._check_order(a, b)
        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        return changes(self, a, b, unit=unit, kinds=kinds, threshold=limit)

    def lineage(self, unit_id: str, *, threshold: float | None = None) -> list[Event]:
        """The events of a unit's life and of the units it came from or went into, in time
        order; see :func:`orgmodel.lineage.lineage`."""
        from orgmodel.compare import DEFAULT_THRESHOLD
        from orgmodel.lineage import lineage

        limit = DEFAULT_THRESHOLD if threshold is None else threshold
        return lineage(self, unit_id, threshold=limit)


def _rebuild(
    snapshots: tuple[Snapshot, ...],
    sources: dict[str, Source],
    kinds: dict[str, str] | None,
    title: str | None,
    path: Path | None,
) -> History:
    return History(snapshots, sources=sources, kinds=kinds, title=title, path=path)


def to_graph(snapshot: Snapshot) -> nx.DiGraph:
    """A snapshot as a ``networkx.DiGraph``: one node per unit with every unit field as an
    attribute (plus ``depth``), one edge per parent -> child; the date and title in ``G.graph``.

    >>> import datetime as dt
    >>> from orgmodel.model import Unit
    >>> g = to_graph(Snapshot(dt.date(2020, 1, 1), [Unit(id="g", name="G", kind="holding")]))
    >>> g.nodes["g"]["name"], g.graph["date"]
    ('G', datetime.date(2020, 1, 1))
    """
    # networkx takes a third of the start-up time of a command that never builds a graph.
    import networkx as nx

    graph = nx.DiGraph(date=snapshot.date, title=snapshot.title, sources=list(snapshot.sources))
    nodes: list[tuple[str, dict[str, Any]]] = []
    edges: list[tuple[str, str]] = []
    for unit in snapshot.units.values():
        # The fields as model_dump gives them, without its cost per unit (most of this
        # function's time): only leaders are models, and only the dict is mutable.
        attrs = dict(unit.__dict__)
        del attrs["id"]
        if unit.leaders:
            attrs["leaders"] = tuple(leader.model_dump() for leader in unit.leaders)
        attrs["field_confidence"] = dict(unit.field_confidence)
        attrs["depth"] = snapshot.depth(unit.id)
        nodes.append((unit.id, attrs))
        if unit.parent is not None:
            edges.append((unit.parent, unit.id))
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph
