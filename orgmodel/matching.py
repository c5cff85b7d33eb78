"""Splits, mergers and absorptions inferred from the units' children, where lineage is silent.

:func:`infer` takes what changed between two snapshots (the units that vanished, those that
arrived, those that moved) and says which vanished unit went into which unit, which units were
split and which merged. :func:`heir` picks, among the successors of a split, the one that
carries the predecessor's identity.

The rule
--------
The evidence is the units' *children*: a unit's children on one side are found on the other,
under the units they went to. This is the group matching of Asur, Parthasarathy & Ucar ("An
event-based framework for characterizing the evolutionary behavior of interaction graphs", ACM
TKDD 3(4), 2009), with a unit as a group and its children as its members, and with the parts
of a split (or the predecessors of a merger) scored *together*, as the union Asur et al. score,
not one by one against the whole (Greene, Doyle & Cunningham, ASONAM 2010; Palla, Barabási &
Vicsek, Nature 2007, match one pair at a time, which cannot find a split into parts that are
each small beside the whole).

Levels
    Units are matched level by level, from the bottom of the earlier snapshot up (post-order),
    so that a child that was itself reorganised is known by its successors when its parent is
    matched (a unit split while its child is split too is two splits, not a cross-talk of every
    vanished unit with every new unit below it). A child is found on the later side as itself
    when it stays, as its successors when it vanished into units inferred here or named by
    declared lineage, and not at all otherwise (dissolved, or absorbed into a unit that stays).

Parts and predecessors
    A new unit is a *part* of a unit of ``a`` when more than half of its children come from
    that unit's children; a vanished unit is a *predecessor* of a unit of ``b`` when it gives
    it more than half of its children (Asur et al.'s majority condition). Each part has one
    source and each predecessor one target, so the groups below never overlap.

Score
    A group of sources ``A`` and results ``B`` matches when ``|A & B| / max(|A|, |B|)`` (Asur's
    score, on children) is strictly greater than ``threshold`` (default
    :data:`DEFAULT_THRESHOLD` = 0.5, Asur's κ, which measures best on random histories with
    known ground truth: ``python -m benchmarks.events_quality``). ``|A & B|`` is counted on
    each side (the children of ``A`` found in ``B``, and the children of ``B`` that came from
    ``A``) and the smaller share is taken, which is Asur's score when no child was itself
    reorganised. Units without children never match.

Events
    - a vanished unit with two or more parts: ``split`` among them (``A``: its children; ``B``:
      the parts' children);
    - a unit that stays, with parts outside it: ``split``, the parts split off it, the unit its
      own heir (``A``: its children; ``B``: its children and the parts');
    - a new unit with two or more predecessors: ``merged`` (``A``: the predecessors' children;
      ``B``: the new unit's);
    - a new unit with one predecessor: the predecessor absorbed into it (it goes on under a new
      id);
    - a unit that stays, with vanished predecessors: they were absorbed into it (``A``: their
      children and its own; ``B``: its children).

Identity
    Among the parts of a split, identity passes to the one whose *descendants* overlap most
    with the predecessor's (:func:`heir`, the rule for declared lineage too; ties go to the
    first in ``b``): children decide which units match, descendants who inherits.

Cost
----
Linear in the number of changed units: every vanished or new unit's children are among the
changed units, so they are indexed from them; a unit that stays is looked at only when a part
or a predecessor points at it, and then its children are counted once. The heir's descendant
overlap walks the subtrees of the split unit and its parts.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> def unit(uid, parent):
...     return Unit(id=uid, name=uid, kind="business_unit", parent=parent)
>>> g = Unit(id="g", name="G", kind="holding")
>>> a = Snapshot(dt.date(2020, 1, 1), [g, unit("old", "g"), unit("p", "old"), unit("q", "old"),
...                                    unit("r", "old")])
>>> b = Snapshot(dt.date(2021, 1, 1), [g, unit("one", "g"), unit("two", "g"),
...                                    unit("p", "one"), unit("q", "two"), unit("r", "two")])
>>> found = infer(a, b, Changes(gone=["old"], new=["one", "two"], moved=["p", "q", "r"]))
>>> found.splits
[InferredSplit(predecessor='old', successors=('one', 'two'), heir='two', score=1.0)]
>>> found.into
{'old': ('two', 1.0)}
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Final, NamedTuple

from orgmodel.snapshot import Snapshot

__all__ = [
    "DEFAULT_THRESHOLD",
    "Changes",
    "Declared",
    "Inference",
    "InferredMerge",
    "InferredSplit",
    "heir",
    "infer",
]

#: Default threshold of the overlap score for inferring splits, mergers and absorptions.
DEFAULT_THRESHOLD: Final = 0.5


class Changes(NamedTuple):
    """What changed from ``a`` to ``b``: every unit that vanished (in a's order), arrived (in
    b's order), or stayed under another parent."""

    gone: Sequence[str]
    new: Sequence[str]
    moved: Sequence[str]


class Declared(NamedTuple):
    """What declared lineage already explains: vanished units whose fate is declared, new
    units whose origin is declared, and the units that name each vanished unit as lineage."""

    gone: Collection[str] = frozenset()
    new: Collection[str] = frozenset()
    successors: Mapping[str, Sequence[str]] = {}


class InferredSplit(NamedTuple):
    """A unit whose parts went to several units, or parts split off a unit that stays."""

    predecessor: str
    successors: tuple[str, ...]  # in b's order
    heir: str
    score: float


class InferredMerge(NamedTuple):
    """Several units that went into one new unit."""

    successor: str
    predecessors: tuple[str, ...]  # in a's order
    score: float


class Inference(NamedTuple):
    """What the children of the changed units say about them."""

    into: dict[str, tuple[str, float]]  # vanished unit -> (the unit it went into, score)
    splits: list[InferredSplit]
    merges: list[InferredMerge]


def infer(
    a: Snapshot,
    b: Snapshot,
    changes: Changes,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    declared: Declared | None = None,
) -> Inference:
    """The splits, mergers and absorptions among the changed units that ``declared`` leaves
    unexplained, by the rule of this module's docstring.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.model import Unit
    >>> def unit(uid, parent):
    ...     return Unit(id=uid, name=uid, kind="business_unit", parent=parent)
    >>> g = Unit(id="g", name="G", kind="holding")
    >>> a = Snapshot(dt.date(2020, 1, 1), [g, unit("x", "g"), unit("y", "g"),
    ...     unit("p", "x"), unit("q", "x"), unit("r", "y"), unit("s", "y")])
    >>> b = Snapshot(dt.date(2021, 1, 1), [g, unit("m", "g"),
    ...     unit("p", "m"), unit("q", "m"), unit("r", "m"), unit("s", "m")])
    >>> infer(a, b, Changes(gone=["x", "y"], new=["m"], moved=["p", "q", "r", "s"])).merges
    [InferredMerge(successor='m', predecessors=('x', 'y'), score=1.0)]
    """
    declared = declared or Declared()
    if all(u in declared.gone for u in changes.gone) and all(
        u in declared.new for u in changes.new
    ):
        return Inference({}, [], [])  # lineage explains every unit that came or went
    return _Matcher(a, b, changes, threshold, declared).run()


def heir(a: Snapshot, b: Snapshot, predecessor: str, successors: Sequence[str]) -> str:
    """The successor (``successors`` in b's order) whose descendants overlap most with those of
    ``predecessor`` (Jaccard index); the first on ties."""
    if len(successors) == 1:
        return successors[0]
    mine = set(a.descendants(predecessor))
    best, best_score = successors[0], -1.0
    for succ in successors:
        score = _jaccard(mine, set(b.descendants(succ)))
        if score > best_score:
            best, best_score = succ, score
    return best


class _Flow(NamedTuple):
    """Where the children of one unit of ``a`` went: for each unit of ``b``, the children of it
    that came from them (``reach``) and how many of them went there (``gives``)."""

    size: int
    reach: dict[str, set[str]]
    gives: dict[str, int]


class _Group(NamedTuple):
    """A candidate group: its sources' children found in the results, their count, and the
    results' children that came from the sources, their count."""

    covered_a: int
    size_a: int
    covered_b: int
    size_b: int

    @property
    def score(self) -> float:
        if not self.size_a or not self.size_b:
            return 0.0
        return min(self.covered_a / self.size_a, self.covered_b / self.size_b)


class _Matcher:
    def __init__(
        self, a: Snapshot, b: Snapshot, changes: Changes, threshold: float, declared: Declared
    ) -> None:
        self.a, self.b = a, b
        self.threshold = threshold
        self.gone_set = set(changes.gone)
        self.new_set = set(changes.new)
        self.sources = [u for u in changes.gone if u not in declared.gone]
        self.results = {u for u in changes.new if u not in declared.new}
        self.pos_a = {uid: i for i, uid in enumerate(changes.gone)}
        self.pos_b = {uid: i for i, uid in enumerate(changes.new)}
        # Every child of a vanished unit vanished or moved, and every child of a new unit is
        # new or moved: the children that changed are all one needs of them.
        self.out: dict[str, list[str]] = _by_parent(a, (*changes.gone, *changes.moved))
        self.into_b: dict[str, list[str]] = _by_parent(b, (*changes.new, *changes.moved))
        # A vanished unit's successors in b (inferred here, or declared); a new unit's
        # predecessors in a.
        self.forward: dict[str, tuple[str, ...]] = {
            x: tuple(s) for x, s in declared.successors.items()
        }
        self.back: dict[str, set[str]] = {}
        for x, successors in self.forward.items():
            for s in successors:
                self.back.setdefault(s, set()).add(x)
        self.flows: dict[str, _Flow] = {}
        self.found = Inference({}, [], [])

    def run(self) -> Inference:
        targets: dict[str, list[str]] = {}  # unit of b -> its vanished predecessors
        for x in self._bottom_up():
            flow = self._flow(x)
            self.flows[x] = flow
            if not self._split(x, flow):
                target = self._target(flow)
                if target is not None:
                    targets.setdefault(target, []).append(x)
                    if target in self.new_set:
                        self.forward[x] = (target,)
                        self.back.setdefault(target, set()).add(x)
        for y, preds in targets.items():
            self._merge(y, preds)
        self._split_off()
        return self.found

    def _bottom_up(self) -> list[str]:
        """The undeclared vanished units, each after its vanished children (post-order)."""
        below: dict[str, list[str]] = {}
        tops = []
        for x in self.sources:
            parent = self.a.units[x].parent
            if parent is not None and parent in self.gone_set:
                below.setdefault(parent, []).append(x)
            else:
                tops.append(x)
        wanted = set(self.sources)
        order: list[str] = []
        for top in tops:
            stack = [(top, False)]
            while stack:
                uid, done = stack.pop()
                if done:
                    if uid in wanted:
                        order.append(uid)
                    continue
                stack.append((uid, True))
                stack.extend((c, False) for c in reversed(below.get(uid, ())))
        # A vanished unit under a declared-gone one: reached through it above, unless the
        # declared one is not a source; so collect the rest in a's order.
        placed = set(order)
        return order + [x for x in self.sources if x not in placed]

    def _images(self, child: str) -> tuple[str, ...]:
        """Where a child of ``a`` is found in ``b``."""
        if child in self.b.units:
            return (child,)
        return self.forward.get(child, ())

    def _flow(self, x: str) -> _Flow:
        kids = self.out.get(x, [])
        reach: dict[str, set[str]] = {}
        gives: dict[str, int] = {}
        units = self.b.units
        for child in kids:
            places = set()
            for s in self._images(child):
                parent = units[s].parent
                if parent is not None:
                    reach.setdefault(parent, set()).add(s)
                    places.add(parent)
            for place in places:
                gives[place] = gives.get(place, 0) + 1
        return _Flow(len(kids), reach, gives)

    def _size_b(self, y: str) -> int:
        if y in self.new_set:
            return len(self.into_b.get(y, ()))
        return len(self.b.children(y))

    def _split(self, x: str, flow: _Flow) -> bool:
        """Report ``x`` split among its parts, if it has two or more and they match."""
        parts = [
            v
            for v, came in flow.reach.items()
            if v in self.results and 2 * len(came) > len(self.into_b.get(v, ()))
        ]
        if len(parts) < 2:
            return False
        part_set = set(parts)
        covered_a = sum(1 for c in self.out.get(x, ()) if self._parents(c) & part_set)
        group = _Group(
            covered_a,
            flow.size,
            sum(len(flow.reach[v]) for v in parts),
            sum(len(self.into_b.get(v, ())) for v in parts),
        )
        score = group.score
        if score <= self.threshold:
            return False
        ordered = tuple(sorted(parts, key=self.pos_b.__getitem__))
        first = heir(self.a, self.b, x, ordered)
        self.found.splits.append(InferredSplit(x, ordered, first, round(score, 6)))
        self.found.into[x] = (first, round(score, 6))
        self.forward[x] = ordered
        for part in ordered:
            self.back.setdefault(part, set()).add(x)
        return True

    def _parents(self, child: str) -> set[str]:
        units = self.b.units
        return {p for s in self._images(child) if (p := units[s].parent) is not None}

    def _target(self, flow: _Flow) -> str | None:
        """The unit of b that took more than half of the children, if any."""
        if not flow.gives:
            return None
        best = max(flow.gives, key=flow.gives.__getitem__)
        if 2 * flow.gives[best] <= flow.size:
            return None
        if best in self.new_set and best not in self.results:
            return None  # its origin is declared
        return best

    def _merge(self, y: str, preds: list[str]) -> None:
        """Report the predecessors of ``y`` merged into it, or absorbed, if they match."""
        flows = [self.flows[x] for x in preds]
        covered_a = sum(f.gives[y] for f in flows)
        size_a = sum(f.size for f in flows)
        came: set[str] = set()
        for f in flows:
            came |= f.reach[y]
        covered_b, size_b = len(came), self._size_b(y)
        if y not in self.new_set:
            # A unit that stays: its own children are sources too.
            stay = len(self.a.children(y)) - len(self.out.get(y, ()))
            covered_a, size_a = covered_a + stay, size_a + len(self.a.children(y))
            covered_b += stay
        score = round(_Group(covered_a, size_a, covered_b, size_b).score, 6)
        if score <= self.threshold:
            if y in self.new_set:
                for x in preds:
                    del self.forward[x]
                del self.back[y]
            return
        ordered = tuple(sorted(preds, key=self.pos_a.__getitem__))
        for x in ordered:
            self.found.into[x] = (y, score)
        if y in self.new_set and len(ordered) >= 2:
            self.found.merges.append(InferredMerge(y, ordered, score))

    def _split_off(self) -> None:
        """Report the parts split off units that stay."""
        parts: dict[str, list[str]] = {}
        explained = set(self.back)
        for v in sorted(self.results, key=self.pos_b.__getitem__):
            if v in explained:
                continue
            source = self._source(v)
            if source is not None:
                parts.setdefault(source, []).append(v)
        for x, found in parts.items():
            self._report_split_off(x, found)

    def _source(self, v: str) -> str | None:
        """The unit that stays and gave a new unit more than half of its children, when the
        new unit is not inside it."""
        kids = self.into_b.get(v, ())
        if not kids:
            return None
        counts: dict[str, int] = {}
        for s in kids:
            for parent in self._from(s):
                counts[parent] = counts.get(parent, 0) + 1
        if not counts:
            return None
        best = max(counts, key=counts.__getitem__)
        if 2 * counts[best] <= len(kids) or best not in self.b.units:
            return None
        if best in self.b.ancestors(v):
            return None  # regrouped inside it: no part left it
        return best

    def _from(self, s: str) -> set[str]:
        """The units of ``a`` whose child a unit of ``b`` was (itself, or what it came from)."""
        units = self.a.units
        origins = (s,) if s in units else self.back.get(s, ())
        return {p for c in origins if (p := units[c].parent) is not None}

    def _report_split_off(self, x: str, parts: list[str]) -> None:
        kids_a = self.a.children(x)
        moved = self.out.get(x, [])
        stay = len(kids_a) - len(moved)
        part_set = set(parts)
        covered_a = stay + sum(1 for c in moved if self._parents(c) & part_set)
        came = sum(1 for v in parts for s in self.into_b.get(v, ()) if x in self._from(s))
        size_b = len(self.b.children(x)) + sum(len(self.into_b.get(v, ())) for v in parts)
        score = round(_Group(covered_a, len(kids_a), stay + came, size_b).score, 6)
        if score <= self.threshold:
            return
        ordered = tuple(sorted(parts, key=self.pos_b.__getitem__))
        self.found.splits.append(InferredSplit(x, ordered, x, score))


def _by_parent(snapshot: Snapshot, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    units = snapshot.units
    for uid in ids:
        parent = units[uid].parent
        if parent is not None:
            found.setdefault(parent, []).append(uid)
    return found


def _jaccard(x: set[str], y: set[str]) -> float:
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)
