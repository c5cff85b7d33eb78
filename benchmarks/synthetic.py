"""Synthetic groups: snapshot folders of any size, with churn, for benchmarks and tests.

A group starts as a tree of ``units`` units (a root, then levels of ``fanout`` children each,
or as many as ``depth`` levels need) and changes at every step: a share ``churn`` of its units
is renamed, moved, split, merged, spun off or returned, in equal parts. Splits and merges are
paired, so every snapshot has exactly ``units`` units. The files written are real snapshot files,
with a ``sources.yaml``, that ``orgmodel validate`` accepts.

Run ``python -m benchmarks.synthetic OUTDIR --units 10000 --snapshots 5 --churn 0.02 --seed 1``.

The YAML is written by hand rather than by ``yaml.dump``: every value is a plain id, name or
keyword that needs no quoting, and formatting strings is some fifty times faster than the
emitter, which matters for folders of a million unit records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from orgmodel.model import Removal, Unit
from orgmodel.snapshot import Snapshot

__all__ = ["Churn", "Group", "generate", "snapshots", "write_folder"]

KINDS = {
    "holding": "The group's holding company.",
    "business_group": "A business group reporting to the holding.",
    "business_unit": "A business unit inside a group.",
    "department": "A department inside a business unit.",
    "team": "A team.",
    "company": "A company formed from other units.",
}
_KIND_BY_DEPTH = ("holding", "business_group", "business_unit", "department")
CHURN_KINDS = ("renamed", "moved", "split", "merged", "spun_off", "returned")


@dataclass
class _Unit:
    id: str
    name: str
    kind: str
    parent: str | None
    status: str = "active"
    lineage: tuple[str, ...] = ()
    source: str = "s0"


@dataclass
class Churn:
    """What one step changed, by the kind of change: unit ids (new ids for splits and merges)."""

    date: dt.date
    changes: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in CHURN_KINDS})
    removed: dict[str, str] = field(default_factory=dict)  # gone id -> the unit it went into


@dataclass
class Group:
    """A synthetic group: its units on each date, in order, and the churn of each step."""

    steps: list[tuple[dt.date, list[_Unit], dict[str, str]]]
    churn: list[Churn]


def _tree(units: int, fanout: int) -> list[_Unit]:
    """A complete ``fanout``-ary tree of ``units`` units, in breadth-first order."""
    made: list[_Unit] = []
    depth_of = [0] * units
    for i in range(units):
        parent = None if i == 0 else (i - 1) // fanout
        depth = 0 if parent is None else depth_of[parent] + 1
        depth_of[i] = depth
        kind = _KIND_BY_DEPTH[depth] if depth < len(_KIND_BY_DEPTH) else "team"
        made.append(_Unit(f"u{i}", f"Unit {i}", kind, None if parent is None else f"u{parent}"))
    return made


def _date(start: dt.date, step: int) -> dt.date:
    months = start.month - 1 + step
    return dt.date(start.year + months // 12, months % 12 + 1, 1)


class _Evolver:
    """The group as it stands, changed one step at a time."""

    def __init__(self, units: list[_Unit], rng: random.Random) -> None:
        self.rng = rng
        self.state: dict[str, _Unit] = {u.id: u for u in units}
        self.children: dict[str | None, dict[str, None]] = {}
        for u in units:
            self.children.setdefault(u.parent, {})[u.id] = None
        self.next_id = len(units)
        self.spun_off: list[str] = []
        self.touched: set[str] = set()
        self.removed: dict[str, str] = {}
        self.ids: list[str] = []
        self.source = "s0"

    def pick(self) -> str | None:
        """A unit other than the root that this step has not changed yet."""
        for _ in range(50):
            uid = self.ids[self.rng.randrange(len(self.ids))]
            if uid in self.state and uid not in self.touched:
                self.touched.add(uid)
                return uid
        return None

    def reparent(self, uid: str, parent: str | None) -> None:
        unit = self.state[uid]
        self.children.get(unit.parent, {}).pop(uid, None)
        unit.parent = parent
        self.children.setdefault(parent, {})[uid] = None

    def new_unit(self, parent: str | None, kind: str, lineage: tuple[str, ...]) -> str:
        uid = f"u{self.next_id}"
        self.next_id += 1
        self.state[uid] = _Unit(uid, f"Unit {uid[1:]}", kind, parent, lineage=lineage)
        self.state[uid].source = self.source
        self.children.setdefault(parent, {})[uid] = None
        self.touched.add(uid)
        return uid

    def drop(self, uid: str, into: str) -> None:
        for child in list(self.children.pop(uid, {})):
            self.reparent(child, into)
        self.children[self.state[uid].parent].pop(uid, None)
        del self.state[uid]
        self.removed[uid] = into

    def step(self, date: dt.date, source: str, per_kind: int) -> tuple[list[_Unit], Churn]:
        record = Churn(date)
        changes = record.changes
        self.source = source
        self.touched = set()
        self.removed = {}
        self.ids = [uid for uid, u in self.state.items() if u.parent is not None]
        state = self.state
        for _ in range(per_kind):
            uid = self.pick()
            if uid is not None:
                state[uid].name = f"{state[uid].name} {date.year}-{date.month:02d}"
                state[uid].source = source
                changes["renamed"].append(uid)
        for _ in range(per_kind):
            uid, target = self.pick(), self.pick()
            if uid is None or target is None:
                continue
            walk: str | None = target
            while walk is not None and walk != uid:
                walk = state[walk].parent
            if walk == uid or state[uid].parent == target:
                continue  # the target sits below the unit, or is its parent already
            self.reparent(uid, target)
            state[uid].source = source
            changes["moved"].append(uid)
        for _ in range(per_kind):
            self.merge_and_split(record)
        # Returns first, from the units spun off at earlier steps.
        self.rng.shuffle(self.spun_off)
        returned = 0
        while self.spun_off and returned < per_kind:
            uid = self.spun_off.pop()
            if uid in state and uid not in self.touched and state[uid].status != "active":
                self.touched.add(uid)
                state[uid].status = "active"
                state[uid].source = source
                changes["returned"].append(uid)
                returned += 1
        for _ in range(per_kind):
            uid = self.pick()
            if uid is not None and state[uid].status == "active":
                state[uid].status = "standalone"
                state[uid].source = source
                self.spun_off.append(uid)
                changes["spun_off"].append(uid)
        return _ordered(state, self.children), record

    def merge_and_split(self, record: Churn) -> None:
        """A merge of two siblings (so that neither sits below the other), then a split, so that
        the number of units stays the same."""
        a = self.pick()
        if a is None:
            return
        parent = self.state[a].parent
        siblings = [s for s in self.children[parent] if s not in self.touched]
        if not siblings:
            return
        b = siblings[self.rng.randrange(len(siblings))]
        self.touched.add(b)
        merged = self.new_unit(parent, "company", (a, b))
        self.drop(a, merged)
        self.drop(b, merged)
        record.changes["merged"].append(merged)
        record.removed[a] = record.removed[b] = merged
        uid = self.pick()
        while uid is None:
            uid = self.pick()
        unit = self.state[uid]
        first = self.new_unit(unit.parent, unit.kind, (uid,))
        second = self.new_unit(unit.parent, unit.kind, (uid,))
        self.drop(uid, first)
        del self.removed[uid]  # a split needs no removal entry: the lineage says it all
        record.changes["split"] += [first, second]
        record.removed[uid] = first


def generate(
    units: int,
    snapshots: int = 1,
    churn: float = 0.02,
    seed: int = 1,
    fanout: int = 8,
    depth: int | None = None,
    start: dt.date = dt.date(2000, 1, 1),
) -> Group:
    """Make a synthetic group; ``depth``, if given, sets the fan-out that fits the units in."""
    if units < 3:
        raise ValueError("a synthetic group needs at least 3 units")
    if depth is not None:
        fanout = max(2, math.ceil(units ** (1 / depth)))
    group = _Evolver(_tree(units, fanout), random.Random(seed))
    steps: list[tuple[dt.date, list[_Unit], dict[str, str]]] = [
        (start, _ordered(group.state, group.children), {})
    ]
    history: list[Churn] = []
    per_kind = max(1, round(units * churn / len(CHURN_KINDS)))
    for step in range(1, snapshots):
        date = _date(start, step)
        ordered, record = group.step(date, f"s{step}", per_kind)
        steps.append((date, ordered, group.removed))
        history.append(record)
    return Group(steps, history)


def _ordered(state: dict[str, _Unit], children: dict[str | None, dict[str, None]]) -> list[_Unit]:
    """The units, parents before children (depth first), as copies frozen for this date."""
    out: list[_Unit] = []
    stack = list(reversed(children[None]))
    while stack:
        uid = stack.pop()
        u = state[uid]
        out.append(_Unit(u.id, u.name, u.kind, u.parent, u.status, u.lineage, u.source))
        stack.extend(reversed(children.get(uid, {})))
    return out


def _unit_yaml(u: _Unit) -> Iterator[str]:
    yield f"  - id: {u.id}\n    name: {u.name}\n    kind: {u.kind}\n"
    if u.parent is not None:
        yield f"    parent: {u.parent}\n"
    if u.status != "active":
        yield f"    status: {u.status}\n"
    if u.lineage:
        yield f"    lineage: [{', '.join(u.lineage)}]\n"
    yield f"    sources: [{u.source}]\n    confidence: confirmed\n"


def snapshot_yaml(date: dt.date, units: list[_Unit], removed: dict[str, str]) -> str:
    """One snapshot file's text."""
    parts = [
        f"date: {date.isoformat()}\ntitle: Structure of {date.isoformat()}\n",
        f"sources: [s{0}]\nunits:\n",
    ]
    for u in units:
        parts.extend(_unit_yaml(u))
    if removed:
        parts.append("removed:\n")
        parts.extend(f"  {uid}: {{how: absorbed, into: {into}}}\n" for uid, into in removed.items())
    return "".join(parts)


def sources_yaml(snapshots: int) -> str:
    """The folder's ``sources.yaml``: one source per step, and the kinds."""
    lines = ["title: Synthetic Group\nkinds:\n"]
    lines += [f"  {kind}: {text}\n" for kind, text in KINDS.items()]
    lines.append("sources:\n")
    lines += [
        f"  s{i}: {{title: Announcement {i}, publisher: Synthetic Group, date: {2000 + i}}}\n"
        for i in range(snapshots)
    ]
    return "".join(lines)


def write_folder(group: Group, folder: str | Path) -> Path:
    """Write a group as a snapshot folder: one ``YYYY-MM-DD.yaml`` per step and ``sources.yaml``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text(sources_yaml(len(group.steps)), encoding="utf-8")
    for date, units, removed in group.steps:
        text = snapshot_yaml(date, units, removed)
        (folder / f"{date.isoformat()}.yaml").write_text(text, encoding="utf-8")
    return folder


def snapshots(group: Group) -> list[Snapshot]:
    """A group as :class:`Snapshot` objects, built in memory without writing YAML.

    Units are validated from the same mappings a file would give, so they equal what reading the
    written folder gives; only the YAML parsing is skipped.
    """
    made = []
    for date, units, removed in group.steps:
        records = []
        for u in units:
            data: dict[str, object] = {"id": u.id, "name": u.name, "kind": u.kind}
            if u.parent is not None:
                data["parent"] = u.parent
            if u.status != "active":
                data["status"] = u.status
            if u.lineage:
                data["lineage"] = list(u.lineage)
            data["sources"] = [u.source]
            data["confidence"] = "confirmed"
            records.append(Unit.model_validate(data))
        gone = {
            uid: Removal.model_validate({"how": "absorbed", "into": into})
            for uid, into in removed.items()
        }
        title = f"Structure of {date.isoformat()}"
        made.append(Snapshot(date, records, title=title, sources=("s0",), removed=gone))
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synthetic", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="Folder to write the snapshot files into.")
    parser.add_argument("--units", type=int, default=1000, help="Units in every snapshot.")
    parser.add_argument("--snapshots", type=int, default=3, help="Number of snapshot files.")
    parser.add_argument("--churn", type=float, default=0.02, help="Share of units changed a step.")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices.")
    parser.add_argument("--fanout", type=int, default=8, help="Children per unit.")
    parser.add_argument("--depth", type=int, default=None, help="Levels (sets the fan-out).")
    args = parser.parse_args(argv)
    group = generate(
        args.units, args.snapshots, args.churn, args.seed, fanout=args.fanout, depth=args.depth
    )
    write_folder(group, args.outdir)
    made = sum(len(c.changes[k]) for c in group.churn for k in CHURN_KINDS)
    print(
        f"wrote {args.outdir}: {args.snapshots} snapshots of {args.units} units, "
        f"{made} changes in all"
    )


if __name__ == "__main__":
    main()
