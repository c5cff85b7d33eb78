"""A unit's life: the events that touched it and the units it came from or went into.

:func:`lineage` reads the step-by-step events of a history (:func:`orgmodel.compare.changes`)
and follows the links that splits, mergers, absorptions and carve-outs make between units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final, NamedTuple, assert_never

from orgmodel.compare import DEFAULT_THRESHOLD, _Indexed, changes
from orgmodel.events import (
    Added,
    Event,
    KindChanged,
    LeaderChanged,
    Merged,
    Moved,
    PlanChanged,
    Removed,
    Renamed,
    Returned,
    Split,
    SpunOff,
    StatusChanged,
    Updated,
)

if TYPE_CHECKING:
    from orgmodel.history import History

__all__ = ["lineage", "lineages"]

_EVER_BEFORE: Final = dt.date.min
_EVER_AFTER: Final = dt.date.max


def _links(event: Event) -> tuple[list[tuple[str, str]], set[str]]:
    """The (from, to) lineage links an event makes, and the units it is about."""
    match event:
        case Split():
            links = [(event.predecessor, s) for s in event.successors]
            return links, {event.predecessor, *event.successors}
        case Merged():
            links = [(p, event.successor) for p in event.predecessors]
            return links, {*event.predecessors, event.successor}
        case Removed():
            if event.how == "absorbed" and event.into is not None and event.along_with is None:
                return [(event.unit, event.into)], {event.unit, event.into}
            return [], {event.unit}
        case SpunOff():
            if event.from_unit is not None:
                return [(event.from_unit, event.unit)], {event.unit, event.from_unit}
            return [], {event.unit}
        case (
            Added()
            | Renamed()
            | Moved()
            | Returned()
            | StatusChanged()
            | PlanChanged()
            | LeaderChanged()
            | KindChanged()
            | Updated()
        ):
            return [], {event.unit}
        case _:
            assert_never(event)


def lineage(
    history: _Indexed, unit_id: str, *, threshold: float = DEFAULT_THRESHOLD
) -> list[Event]:
    """The events of a unit's life, in time order: every event about the unit, the events of
    the units it came from (up to when it came from them, recursively) and of the units it
    went into (from when it went into them, recursively).

    A unit came from another through a split (from the predecessor), a merger (from each
    predecessor), an absorption (from the absorbed unit) or a carve-out (``spun_off`` with
    ``from_unit``). It went into another when it vanished into it: a split it did not survive,
    a merger, an absorption. Raise :class:`~orgmodel.errors.UnknownUnitError` if no snapshot
    has the unit.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.history import History, Snapshot
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> def unit(uid, **more):
    ...     return Unit(id=uid, name=uid.title(), kind="company", parent="g", **more)
    >>> h = History([
    ...     Snapshot(dt.date(2020, 1, 1), [g, unit("old")]),
    ...     Snapshot(dt.date(2021, 1, 1), [g, unit("old", name_zh="旧")]),
    ...     Snapshot(dt.date(2022, 1, 1), [g, unit("new", lineage=("old",))])])
    >>> [(e.date.year, e.kind, e.units[0]) for e in lineage(h, "new")]
    [(2021, 'renamed', 'old'), (2022, 'added', 'new'), (2022, 'removed', 'old')]
    """
    history.check_unit(unit_id)
    return _LineageLinks.of(changes(history, threshold=threshold)).walk(unit_id)


def lineages(
    history: History,
    unit_ids: Iterable[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, list[Event]]:
    """:func:`lineage` of each of ``unit_ids`` (default: every unit of the history), with the
    history's events and their links worked out once for all of them.

    >>> import datetime as dt
    >>> from orgmodel.history import History, Snapshot
    >>> from orgmodel.model import Unit
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> h = History([Snapshot(dt.date(2020, 1, 1), [g]), Snapshot(dt.date(2021, 1, 1),
    ...     [g, Unit(id="x", name="X", kind="company", parent="g")])])
    >>> {uid: [e.kind for e in events] for uid, events in lineages(h).items()}
    {'g': [], 'x': ['added']}
    """
    ids = sorted(history.unit_ids()) if unit_ids is None else list(unit_ids)
    for uid in ids:
        history.check_unit(uid)
    links = _LineageLinks.of(changes(history, threshold=threshold))
    return {uid: links.walk(uid) for uid in ids}


class _LineageLinks(NamedTuple):
    """A history's events, with which events are about each unit and which units each came
    from and went into, and when."""

    events: Sequence[Event]
    about: dict[str, list[int]]
    came_from: dict[str, list[tuple[dt.date, str]]]
    went_into: dict[str, list[tuple[dt.date, str]]]

    @classmethod
    def of(cls, events: Sequence[Event]) -> _LineageLinks:
        made = cls(events, {}, {}, {})
        for index, event in enumerate(events):
            links, subjects = _links(event)
            for subject in subjects:
                made.about.setdefault(subject, []).append(index)
            for source, target in links:
                made.came_from.setdefault(target, []).append((event.date, source))
                vanished = not (isinstance(event, Split) and event.heir == source)
                if vanished:
                    made.went_into.setdefault(source, []).append((event.date, target))
        return made

    def walk(self, unit_id: str) -> list[Event]:
        """The events of ``unit_id``'s life, following its links back and forward in time."""
        events = self.events
        chosen: set[int] = set()
        seen: set[tuple[str, dt.date, dt.date, str]] = set()
        todo = [(unit_id, _EVER_BEFORE, _EVER_AFTER, "both")]
        while todo:
            item = todo.pop()
            if item in seen:
                continue
            seen.add(item)
            current, low, high, direction = item
            chosen.update(i for i in self.about.get(current, ()) if low <= events[i].date <= high)
            if direction != "forward":
                for when, source in self.came_from.get(current, ()):
                    if low <= when <= high:
                        todo.append((source, _EVER_BEFORE, when, "back"))
            if direction != "back":
                for when, target in self.went_into.get(current, ()):
                    if low <= when <= high:
                        todo.append((target, when, _EVER_AFTER, "forward"))
        return [events[i] for i in sorted(chosen)]
