"""Random organisation histories whose reorganisations are known: the ground truth for scoring
how well the events say what happened.

A history starts as a random tree (a root, business groups, units, departments, teams; each unit
with a random number of children) and changes at each step by a random mix of

- splits of a unit into 2-5 new parts of uneven sizes (the unit is gone),
- parts split off a unit that continues (1-3 new parts, the rest stays),
- mergers of 2-4 units into a new one,
- absorptions of a unit into one that continues,
- and, as distractors, moves, renames, additions and removals of units.

Each reorganisation moves the children of the units it involves; a *noisy* history moves
10-30% of those children elsewhere, or drops them, on the way; a *nested* one also splits a
child of a unit being split, in the same step. Every step is recorded twice: with the lineage
a careful editor would declare (``lineage`` on new units, ``removed`` entries), and without any.
The events that should be found are listed beside, as :class:`Truth` keys (see :func:`keys`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from orgmodel.events import Added as AddedEvent
from orgmodel.events import Event, Merged, Moved, Removed, Renamed, Split
from orgmodel.model import Removal, Unit
from orgmodel.snapshot import Snapshot

__all__ = ["MODES", "Mode", "Step", "Truth", "generate", "keys"]

Mode = Literal["clean", "noisy", "nested"]
MODES: tuple[Mode, ...] = ("clean", "noisy", "nested")

#: A key names one event, by what a reader would check: its kind and the units it is about.
Key = tuple[str, ...]
#: The scored kinds: the group-level ones, then the unit-level ones.
KINDS = ("split", "merged", "absorbed", "added", "removed", "renamed", "moved")


@dataclass
class Truth:
    """The events one step should be reported as, by kind."""

    events: dict[str, set[Key]] = field(default_factory=lambda: {k: set() for k in KINDS})

    def add(self, kind: str, *key: str) -> None:
        self.events[kind].add(key)


@dataclass
class Step:
    """One step of a history: both sides, with and without declared lineage, and the truth."""

    before: Snapshot
    after: Snapshot
    before_bare: Snapshot
    after_bare: Snapshot
    truth: Truth


def _group(ids: Iterable[str]) -> str:
    return ",".join(sorted(ids))


def keys(events: Iterable[Event]) -> dict[str, set[Key]]:
    """The keys of reported events, comparable with :class:`Truth`.

    ``split``: predecessor and successors; ``merged``: successor and predecessors; ``absorbed``:
    a removal into another unit that is no part of a split or merger (one unit taken in by
    another); ``added``; ``removed`` with how it went; ``renamed``; ``moved`` with the new parent.
    """
    events = list(events)
    found: dict[str, set[Key]] = {k: set() for k in KINDS}
    grouped: set[str] = set()
    for e in events:
        if isinstance(e, Split):
            found["split"].add((e.predecessor, _group(e.successors)))
            grouped.add(e.predecessor)
        elif isinstance(e, Merged):
            found["merged"].add((e.successor, _group(e.predecessors)))
            grouped.update(e.predecessors)
    for e in events:
        if isinstance(e, Removed):
            found["removed"].add((e.unit, e.how))
            alone = e.unit not in grouped and e.along_with is None
            if e.how == "absorbed" and e.into is not None and alone:
                found["absorbed"].add((e.unit, e.into))
        elif isinstance(e, AddedEvent):
            found["added"].add((e.unit,))
        elif isinstance(e, Renamed):
            found["renamed"].add((e.unit,))
        elif isinstance(e, Moved):
            found["moved"].add((e.unit, e.new_parent or ""))
    return found


KIND_BY_DEPTH = ("holding", "business_group", "business_unit", "department", "team")


class _Org:
    """A mutable organisation: parent and name by id, in insertion order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parent: dict[str, str | None] = {}
        self.name: dict[str, str] = {}
        self.lineage: dict[str, tuple[str, ...]] = {}
        self.kind: dict[str, str] = {}
        self.count = 0

    def new_id(self, parent: str | None, kind: str | None = None) -> str:
        self.count += 1
        uid = f"u{self.count}"
        self.parent[uid] = parent
        self.name[uid] = f"Unit {self.count}"
        self.lineage[uid] = ()
        if kind is None:
            depth = 0 if parent is None else self.depth(parent) + 1
            kind = KIND_BY_DEPTH[min(depth, len(KIND_BY_DEPTH) - 1)]
        self.kind[uid] = kind
        return uid

    def kids(self) -> dict[str | None, list[str]]:
        found: dict[str | None, list[str]] = {}
        for u, p in self.parent.items():
            found.setdefault(p, []).append(u)
        return found

    def children(self, uid: str) -> list[str]:
        return [u for u, p in self.parent.items() if p == uid]

    def subtree(self, uid: str, kids: dict[str | None, list[str]] | None = None) -> set[str]:
        kids = self.kids() if kids is None else kids
        found, todo = {uid}, [uid]
        while todo:
            for child in kids.get(todo.pop(), ()):
                found.add(child)
                todo.append(child)
        return found

    def depth(self, uid: str) -> int:
        depth = 0
        parent = self.parent[uid]
        while parent is not None:
            depth += 1
            parent = self.parent[parent]
        return depth

    def snapshot(self, day: dt.date, *, lineage: bool, removed: dict[str, Removal]) -> Snapshot:
        units = [
            Unit(
                id=uid,
                name=self.name[uid],
                kind=self.kind[uid],
                parent=parent,
                lineage=self.lineage[uid] if lineage else (),
            )
            for uid, parent in self.parent.items()
        ]
        return Snapshot(day, units, removed=removed if lineage else {})


def _grow(org: _Org, units: int) -> None:
    """A random tree of about ``units`` units, every unit above the teams with 2-10 children."""
    root = org.new_id(None)
    frontier = [root]
    while len(org.parent) < units and frontier:
        parent = frontier.pop(0)
        for _ in range(org.rng.randint(2, 10)):
            child = org.new_id(parent)
            if org.depth(child) < len(KIND_BY_DEPTH) - 1:
                frontier.append(child)
        org.rng.shuffle(frontier)


class _Editor:
    """Applies one step of reorganisations to an organisation and records the truth."""

    def __init__(self, org: _Org, mode: Mode) -> None:
        self.org = org
        self.rng = org.rng
        self.mode = mode
        self.truth = Truth()
        self.removed: dict[str, Removal] = {}
        self.locked: set[str] = set()
        self.root = next(u for u, p in org.parent.items() if p is None)

    # Helpers.

    def free(self, *, min_children: int = 0) -> list[str]:
        """Units no edit of this step has touched, with at least ``min_children`` children."""
        kids = self.org.kids()
        return [
            u
            for u in self.org.parent
            if u not in self.locked
            and u != self.root
            and len(kids.get(u, ())) >= min_children
            and not any(c in self.locked for c in kids.get(u, ()))
        ]

    def pick(self, candidates: list[str]) -> str | None:
        return self.rng.choice(candidates) if candidates else None

    def lock(self, *ids: str) -> None:
        self.locked.update(ids)

    def move(self, child: str, parent: str) -> None:
        self.org.parent[child] = parent
        self.truth.add("moved", child, parent)

    def remove(self, uid: str, into: str | None = None) -> None:
        """Remove ``uid``, absorbed into others (its children have gone); declare it when
        lineage does not say where it went."""
        del self.org.parent[uid]
        self.truth.add("removed", uid, "absorbed")
        if into is not None:
            self.removed[uid] = Removal(how="absorbed", into=into)

    def droppable(self, uid: str) -> bool:
        """Whether no other edit of this step touched a unit below ``uid``."""
        return not any(d in self.locked for d in self.org.subtree(uid) - {uid})

    def drop(self, uid: str) -> None:
        """Dissolve ``uid`` with everything below it."""
        below = self.org.subtree(uid)
        for d in below:
            self.truth.add("removed", d, "dissolved")
        for d in below:
            del self.org.parent[d]
        self.removed[uid] = Removal(how="dissolved")
        self.lock(*below)

    def scatter(self, children: list[str], keep: int) -> list[str]:
        """In a noisy history, move 10-30% of ``children`` elsewhere or drop them, keeping at
        least ``keep``; the children that stay."""
        if self.mode != "noisy":
            return children
        # Rounded at random, so that small units lose 10-30% of their children on average too.
        share = self.rng.uniform(0.1, 0.3)
        count = min(int(share * len(children) + self.rng.random()), len(children) - keep)
        if count <= 0:
            return children
        strays = self.rng.sample(children, count)
        parents = {self.org.parent[c] for c in children}
        for child in strays:
            below = self.org.subtree(child)
            targets = [u for u in self.free() if u not in below]
            target = self.pick(targets)
            if target is not None and (self.rng.random() < 0.5 or not self.droppable(child)):
                self.move(child, target)
                self.lock(target)
            elif self.droppable(child):
                self.drop(child)
            else:
                continue
        return [c for c in children if c in self.org.parent and self.org.parent[c] in parents]

    def new_unit(self, parent: str | None, lineage: tuple[str, ...], like: str | None) -> str:
        uid = self.org.new_id(parent, None if like is None else self.org.kind[like])
        self.org.lineage[uid] = lineage
        self.truth.add("added", uid)
        self.lock(uid)
        return uid

    def partition(self, items: list[str], parts: int) -> list[list[str]]:
        """``items`` cut into ``parts`` non-empty runs of uneven, random sizes."""
        shuffled = list(items)
        self.rng.shuffle(shuffled)
        cuts = sorted(self.rng.sample(range(1, len(shuffled)), parts - 1))
        bounds = [0, *cuts, len(shuffled)]
        return [shuffled[i:j] for i, j in itertools.pairwise(bounds)]

    # Reorganisations.

    def split(self) -> bool:
        """``x`` split into 2-5 new parts under its parent; ``x`` goes."""
        x = self.pick(self.free(min_children=2))
        if x is None:
            return False
        org = self.org
        self.lock(x, *org.children(x))
        kids = self.scatter(org.children(x), keep=2)
        count = self.rng.randint(2, min(5, len(kids)))
        home = org.parent[x]
        parts = []
        for group in self.partition(kids, count):
            part = self.new_unit(home, (x,), x)
            parts.append(part)
            for child in group:
                self.move(child, part)
        self.truth.add("split", x, _group(parts))
        self.remove(x)
        return True

    def split_off(self) -> bool:
        """1-3 new parts split off ``x``, which continues with the rest of its children."""
        x = self.pick(self.free(min_children=3))
        if x is None:
            return False
        org = self.org
        self.lock(x, *org.children(x))
        kids = self.scatter(org.children(x), keep=2)
        count = self.rng.randint(1, min(3, len(kids) - 1))
        groups = self.partition(kids, count + 1)[1:]  # the first run stays
        home = org.parent[x]
        assert home is not None
        parts = []
        for group in groups:
            part = self.new_unit(home, (x,), x)
            parts.append(part)
            for child in group:
                self.move(child, part)
        self.truth.add("split", x, _group(parts))
        return True

    def merge(self) -> bool:
        """2-4 units, none inside another, merged into a new unit under the first one's parent."""
        count = self.rng.randint(2, 4)
        candidates = self.free(min_children=1)
        self.rng.shuffle(candidates)
        chosen: list[str] = []
        for x in candidates:
            below = self.org.subtree(x)
            if any(c in below or x in self.org.subtree(c) for c in chosen):
                continue
            chosen.append(x)
            if len(chosen) == count:
                break
        if len(chosen) < 2:
            return False
        org = self.org
        for x in chosen:
            self.lock(x, *org.children(x))
        home = org.parent[chosen[0]]
        # Declared either way: lineage on the new unit, or a removal into it on each one.
        by_removal = self.rng.random() < 0.5
        m = self.new_unit(home, () if by_removal else tuple(chosen), chosen[0])
        for x in chosen:
            for child in self.scatter(org.children(x), keep=1):
                self.move(child, m)
            self.remove(x, m if by_removal else None)
        self.truth.add("merged", m, _group(chosen))
        return True

    def absorb(self) -> bool:
        """``x`` taken into ``y``, which continues: x's children move to y."""
        x = self.pick(self.free(min_children=1))
        if x is None:
            return False
        org = self.org
        below = org.subtree(x)
        y = self.pick([u for u in self.free() if u not in below])
        if y is None:
            return False
        self.lock(x, y, *org.children(x))
        for child in self.scatter(org.children(x), keep=1):
            self.move(child, y)
        self.remove(x, y)
        self.truth.add("absorbed", x, y)
        return True

    def nested(self) -> bool:
        """``x`` split while one of its children is split too, its parts under x's parts."""
        org = self.org

        def splittable(c: str) -> bool:
            kids = org.children(c)
            return len(kids) >= 2 and not any(k in self.locked for k in kids)

        candidates = [
            x for x in self.free(min_children=3) if any(splittable(c) for c in org.children(x))
        ]
        x = self.pick(candidates)
        if x is None:
            return False
        inner = self.rng.choice([c for c in org.children(x) if splittable(c)])
        self.lock(x, *org.children(x), *org.children(inner))
        kids = [c for c in org.children(x) if c != inner]
        count = self.rng.randint(2, min(5, len(kids)))
        home = org.parent[x]
        parts = []
        for group in self.partition(kids, count):
            part = self.new_unit(home, (x,), x)
            parts.append(part)
            for child in group:
                self.move(child, part)
        self.truth.add("split", x, _group(parts))
        grandchildren = org.children(inner)
        pieces = []
        for group in self.partition(grandchildren, self.rng.randint(2, min(4, len(grandchildren)))):
            piece = self.new_unit(self.rng.choice(parts), (inner,), inner)
            pieces.append(piece)
            for child in group:
                self.move(child, piece)
        self.truth.add("split", inner, _group(pieces))
        self.remove(inner)
        self.remove(x)
        return True

    # Distractors.

    def distract_move(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        below = self.org.subtree(x)
        old = self.org.parent[x]
        target = self.pick([u for u in self.free() if u not in below and u != old])
        if target is None:
            return False
        self.lock(x, target)
        self.move(x, target)
        return True

    def rename(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        self.lock(x)
        self.org.name[x] += " (renamed)"
        self.truth.add("renamed", x)
        return True

    def addition(self) -> bool:
        """A new unit, sometimes with new teams of its own."""
        parent = self.pick(self.free())
        if parent is None:
            return False
        self.lock(parent)
        unit = self.new_unit(parent, (), None)
        for _ in range(self.rng.choice([0, 0, 2, 3])):
            self.new_unit(unit, (), None)
        return True

    def removal(self) -> bool:
        kids = self.org.kids()
        x = self.pick(
            [
                u
                for u in self.free()
                if len(below := self.org.subtree(u, kids)) <= 8 and not below & self.locked
            ]
        )
        if x is None:
            return False
        self.drop(x)
        return True


#: How many of each edit one step makes.
RECIPE = {
    "split": 3,
    "split_off": 3,
    "merge": 2,
    "absorb": 1,
    "distract_move": 3,
    "rename": 3,
    "addition": 2,
    "removal": 2,
}


def generate(
    mode: Mode, *, histories: int = 12, steps: int = 6, units: int = 250, seed: int = 1
) -> Iterator[Step]:
    """The steps of ``histories`` random histories of ``steps`` steps each, in ``mode``."""
    for h in range(histories):
        rng = random.Random(f"{seed}-{mode}-{h}")
        org = _Org(rng)
        _grow(org, units)
        day = dt.date(2000, 1, 1)
        before = org.snapshot(day, lineage=True, removed={})
        before_bare = org.snapshot(day, lineage=False, removed={})
        for s in range(steps):
            editor = _Editor(org, mode)
            plan = [name for name, count in RECIPE.items() for _ in range(count)]
            if mode == "nested":
                plan += ["nested"] * 2
            rng.shuffle(plan)
            for name in plan:
                getattr(editor, name)()
            day = dt.date(2001 + s, 1, 1)
            after = org.snapshot(day, lineage=True, removed=editor.removed)
            after_bare = org.snapshot(day, lineage=False, removed={})
            yield Step(before, after, before_bare, after_bare, editor.truth)
            before, before_bare = after, after_bare
