"""Properties of diff over random organisations and random edit scripts.

- the diff of a snapshot with itself is empty;
- applying ``diff(a, b)`` to ``a`` rebuilds ``b`` exactly, for any two snapshots;
- every injected split, merge, move, rename (English or Chinese), spin-off, return, addition,
  removal (declared or not), status, plan, leader, kind and record change is reported as such,
  and no unit-level event is reported that no edit made. The edit scripts keep their effects
  apart (an edited unit, including a unit moved along by a split or a merger, is not edited
  again; a unit whose descendants are matched by overlap is left alone), so no edit can hide
  another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgmodel.compare import Diff, diff
from orgmodel.history import History
from orgmodel.model import PLANS, Removal, Unit
from orgmodel.snapshot import Snapshot

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Org = dict[str, dict[str, Any]]
DAY = [dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)]
KINDS_OF_UNIT = ["unit", "group", "company"]
IN_LINE_STATUSES = ["active", "active", "active", "active"]
OTHER_STATUSES = ["standalone", "listed", "affiliate"]
PEOPLE = ["Ann Li", "Bo Chen", "Cai Wu", "Dan Ma"]
ROLES = ["CEO", "Chairman", "President", "Chairman and CEO"]
CONFIDENCES = [None, "confirmed", "single-source", "unconfirmed"]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """The optional fields of a unit record, each present or not."""
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["name_zh"] = draw(st.sampled_from(["云", "淘宝", "菜鸟", "盒马"]))
    if draw(st.integers(0, 4)) == 0:
        fields["plan"] = draw(st.sampled_from(PLANS))
    if draw(st.booleans()):
        fields["leaders"] = [
            {"name": draw(st.sampled_from(PEOPLE)), "role": draw(st.sampled_from(ROLES))}
        ]
    if draw(st.booleans()):
        fields["sources"] = draw(st.lists(st.sampled_from(["s1", "s2", "s3"]), unique=True))
    fields["confidence"] = draw(st.sampled_from(CONFIDENCES))
    if draw(st.integers(0, 3)) == 0:
        fields["field_confidence"] = {"parent": "unconfirmed"}
    if draw(st.integers(0, 3)) == 0:
        fields["note"] = "A note."
    return fields


@st.composite
def orgs(draw: st.DrawFn, max_units: int = 60, prefix: str = "u") -> Org:
    """A random tree of 1..max_units units, parents before children."""
    size = draw(st.integers(1, max_units))
    org: Org = {}
    for i in range(size):
        uid = f"{prefix}{i}"
        org[uid] = {
            "id": uid,
            "name": f"Unit {i}",
            "kind": draw(st.sampled_from(KINDS_OF_UNIT)),
            "parent": None if i == 0 else f"{prefix}{draw(st.integers(0, i - 1))}",
            "status": "active"
            if i == 0
            else draw(st.sampled_from(IN_LINE_STATUSES + OTHER_STATUSES)),
            **draw(records()),
        }
    return org


def snapshot(org: Org, day: dt.date, removed: dict[str, Removal] | None = None) -> Snapshot:
    return Snapshot(day, [Unit(**fields) for fields in org.values()], removed=removed)


def children(org: Org, uid: str) -> list[str]:
    return [u for u, f in org.items() if f["parent"] == uid]


def subtree(org: Org, uid: str) -> set[str]:
    found, todo = {uid}, [uid]
    while todo:
        for child in children(org, todo.pop()):
            found.add(child)
            todo.append(child)
    return found


def root(org: Org) -> str:
    return next(u for u, f in org.items() if f["parent"] is None)


class Script:
    """Applies edits to a copy of an organisation and records what each should be reported as."""

    def __init__(self, org: Org, draw: st.DrawFn) -> None:
        self.org: Org = {u: dict(f) for u, f in org.items()}
        self.draw = draw
        self.touched: set[str] = set()  # edited units: never edited again
        self.frozen: set[str] = set()  # units whose descendants must not change
        self.placed: set[str] = set()  # moved units: their new parent must stay theirs
        self.expected: list[tuple[Any, ...]] = []
        self.removed: dict[str, Removal] = {}
        self.count = 0

    def new_id(self) -> str:
        self.count += 1
        return f"n{self.count}"

    def pick(self, candidates: list[str]) -> str | None:
        if not candidates:
            return None
        return candidates[self.draw(st.integers(0, len(candidates) - 1))]

    def free(self) -> list[str]:
        return [u for u in self.org if u not in self.touched and u not in self.frozen]

    def parents_for(self, uid: str | None) -> list[str]:
        """Units that may take a new child (not below ``uid``, not frozen)."""
        below = subtree(self.org, uid) if uid is not None else set()
        return [u for u in self.org if u not in below and u not in self.frozen]

    # Each edit returns False when nothing in the organisation fits it.

    def rename(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        self.org[x]["name"] += " (new)"
        self.touched.add(x)
        self.expected.append(("renamed", x))
        return True

    def move(self) -> bool:
        top = root(self.org)
        x = self.pick([u for u in self.free() if u != top])
        if x is None:
            return False
        p = self.pick([p for p in self.parents_for(x) if p != self.org[x]["parent"]])
        if p is None:
            return False
        self.org[x]["parent"] = p
        self.touched.add(x)
        self.placed.add(x)
        self.expected.append(("moved", x, p))
        return True

    def split(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        y = self.new_id()
        parent = self.org[x]["parent"] or x
        kids = [kid for kid in children(self.org, x) if kid not in self.placed]
        moving = kids[: self.draw(st.integers(0, len(kids)))]
        self.org[y] = {"id": y, "name": "Split", "kind": "unit", "parent": parent}
        self.org[y]["lineage"] = (x,)
        for kid in moving:
            self.org[kid]["parent"] = y
        self.touched.update({x, y, *moving})
        self.expected.append(("split", x, (y,), x, False))
        return True

    def mergeable(self, uid: str) -> bool:
        top = root(self.org)
        return uid != top and not self.placed.intersection(children(self.org, uid))

    def merge(self) -> bool:
        top = root(self.org)
        x1 = self.pick([u for u in self.free() if self.mergeable(u)])
        if x1 is None:
            return False
        x2 = self.pick(
            [
                u
                for u in self.free()
                if self.mergeable(u)
                and u not in subtree(self.org, x1)
                and x1 not in subtree(self.org, u)
            ]
        )
        if x2 is None:
            return False
        m = self.new_id()
        self.org[m] = {"id": m, "name": "Merged", "kind": "unit", "parent": top}
        self.org[m]["lineage"] = (x1, x2)
        for x in (x1, x2):
            for kid in children(self.org, x):
                self.org[kid]["parent"] = m
                self.touched.add(kid)
            del self.org[x]
        self.touched.update({x1, x2, m})
        self.expected.append(("merged", (x1, x2), m))
        return True

    def inferred_split(self) -> bool:
        """Split x's children between two new units, each taking more than 0.3 of its
        descendants, with no lineage: the split must be inferred."""
        top = root(self.org)
        for x in self.free():
            kids = children(self.org, x)
            if x == top or len(kids) < 2:
                continue
            sizes = [len(subtree(self.org, k)) for k in kids]
            total = sum(sizes)
            cut = self.draw(st.integers(1, len(kids) - 1))
            first = sum(sizes[:cut])
            if not (first / total > 0.3 and (total - first) / total > 0.3):
                continue
            y1, y2 = self.new_id(), self.new_id()
            self.frozen.update(subtree(self.org, x) | {y1, y2})
            for y in (y1, y2):
                self.org[y] = {"id": y, "name": "Part", "kind": "unit", "parent": top}
            for index, kid in enumerate(kids):
                self.org[kid]["parent"] = y1 if index < cut else y2
            del self.org[x]
            self.frozen.discard(x)
            self.touched.update({x, y1, y2})
            self.expected.append(("split", x, (y1, y2), None, True))
            return True
        return False

    def spin_off(self) -> bool:
        # The root is the group itself: its status changes, but it is never spun off.
        x = self.pick(
            [u for u in self.free() if self.org[u]["status"] == "active" and self.org[u]["parent"]]
        )
        if x is None:
            return False
        self.org[x]["status"] = self.draw(st.sampled_from(OTHER_STATUSES))
        self.touched.add(x)
        self.expected.append(("spun_off", x, None))
        return True

    def carve_out(self) -> bool:
        x = self.pick([u for u in self.free() if self.org[u]["status"] == "active"])
        if x is None:
            return False
        y = self.new_id()
        self.org[y] = {"id": y, "name": "Carved", "kind": "company", "parent": root(self.org)}
        self.org[y].update(status="standalone", lineage=(x,))
        self.touched.update({x, y})
        self.expected.append(("spun_off", y, x))
        self.expected.append(("split", x, (y,), x, False))
        return True

    def add(self) -> bool:
        p = self.pick(self.parents_for(None))
        if p is None:
            return False
        y = self.new_id()
        self.org[y] = {"id": y, "name": "Added", "kind": "unit", "parent": p}
        self.touched.add(y)
        self.expected.append(("added", y))
        return True

    def remove(self) -> bool:
        top = root(self.org)
        x = self.pick([u for u in self.free() if u != top and not children(self.org, u)])
        if x is None:
            return False
        del self.org[x]
        self.touched.add(x)
        self.expected.append(("removed", x))
        return True

    def declared_removal(self) -> bool:
        top = root(self.org)
        x = self.pick([u for u in self.free() if u != top and not children(self.org, u)])
        if x is None:
            return False
        del self.org[x]
        self.touched.add(x)
        self.removed[x] = Removal(how="divested", note="Sold.", sources=("s1",))
        self.expected.append(("removed", x))
        return True

    def rename_zh(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        self.org[x]["name_zh"] = "新名" if self.org[x].get("name_zh") != "新名" else "旧名"
        self.touched.add(x)
        self.expected.append(("renamed", x))
        return True

    def plan(self) -> bool:
        x = self.pick([u for u in self.free() if self.org[u]["parent"] is not None])
        if x is None:
            return False
        plans = [p for p in PLANS if p != self.org[x].get("plan")]
        self.org[x]["plan"] = self.draw(st.sampled_from(plans))
        self.touched.add(x)
        self.expected.append(("plan_changed", x))
        return True

    def leader(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        held = {x["name"] for x in self.org[x].get("leaders", [])}
        newcomer = self.draw(st.sampled_from([p for p in PEOPLE if p not in held]))
        self.org[x]["leaders"] = [{"name": newcomer, "role": "CEO"}]
        self.touched.add(x)
        self.expected.append(("leader_changed", x))
        return True

    def record(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        self.org[x]["note"] = f"Edited note {self.count}."
        self.count += 1
        self.org[x]["sources"] = ["s9"]
        self.touched.add(x)
        self.expected.append(("updated", x))
        return True

    def status(self) -> bool:
        x = self.pick([u for u in self.free() if self.org[u]["status"] in ("standalone", "listed")])
        if x is None:
            return False
        self.org[x]["status"] = "listed" if self.org[x]["status"] == "standalone" else "standalone"
        self.touched.add(x)
        self.expected.append(("status_changed", x))
        return True

    def kind(self) -> bool:
        x = self.pick(self.free())
        if x is None:
            return False
        kinds = [k for k in KINDS_OF_UNIT if k != self.org[x]["kind"]]
        self.org[x]["kind"] = self.draw(st.sampled_from(kinds))
        self.touched.add(x)
        self.expected.append(("kind_changed", x))
        return True


EDITS = ["rename", "move", "split", "merge", "spin_off", "carve_out", "add", "remove"]
EDITS += ["status", "kind", "declared_removal", "rename_zh", "plan", "leader", "record"]

#: Kinds that only an edit of that kind makes: reporting one no edit made is a false event.
EDIT_ONLY_KINDS = {
    "renamed",
    "status_changed",
    "plan_changed",
    "leader_changed",
    "kind_changed",
    "updated",
    "spun_off",
    "returned",
}

Case = tuple[Org, Org, list[tuple[Any, ...]], dict[str, Removal]]


@st.composite
def edited(draw: st.DrawFn) -> Case:
    """An organisation, the same after a random edit script, what the script did, and the
    removals it declared."""
    org = draw(orgs())
    script = Script(org, draw)
    if draw(st.booleans()):
        script.inferred_split()
    for name in draw(st.lists(st.sampled_from(EDITS), max_size=12)):
        getattr(script, name)()
    return org, script.org, script.expected, script.removed


def reported(d: Diff, expected: tuple[Any, ...]) -> bool:
    kind = expected[0]
    for e in d.events:
        if e.kind != kind:
            continue
        match expected:
            case ("moved", x, p):
                if e.unit == x and e.new_parent == p:
                    return True
            case ("split", x, successors, heir, inferred):
                if (
                    e.predecessor == x
                    and set(e.successors) == set(successors)
                    and e.inferred == inferred
                    and (heir is None or e.heir == heir)
                ):
                    return True
            case ("merged", preds, m):
                if e.predecessors == preds and e.successor == m and not e.inferred:
                    return True
            case ("spun_off", x, origin):
                if e.unit == x and e.from_unit == origin:
                    return True
            case (_, x):
                if e.unit == x:
                    return True
    return False


@SETTINGS
@given(orgs())
def test_diff_with_itself_is_empty(org: Org) -> None:
    s = snapshot(org, DAY[0])
    assert diff(s, s).events == []
    assert diff(s, snapshot(org, DAY[1])).events == []


@SETTINGS
@given(orgs(prefix="x"), orgs(prefix="x"), st.floats(0.0, 1.0))
def test_apply_rebuilds_any_snapshot(first: Org, second: Org, threshold: float) -> None:
    # Two unrelated organisations over the same ids: every kind of change at once.
    a, b = snapshot(first, DAY[0]), snapshot(second, DAY[1])
    d = diff(a, b, threshold=threshold)
    rebuilt = d.apply(a)
    assert rebuilt == b
    assert list(rebuilt.units) == list(b.units)
    assert Diff.model_validate_json(d.model_dump_json()).apply(a) == b


@SETTINGS
@given(edited())
def test_every_injected_edit_is_reported(case: Case) -> None:
    before, after, expected, removed = case
    a, b = snapshot(before, DAY[0]), snapshot(after, DAY[1], removed)
    d = diff(a, b)
    missing = [x for x in expected if not reported(d, x)]
    assert missing == [], [(e.kind, e.units) for e in d.events]
    made = {(x[0], x[1]) for x in expected}
    extra = [
        (e.kind, e.units)
        for e in d.events
        if e.kind in EDIT_ONLY_KINDS and (e.kind, e.units[0]) not in made
    ]
    assert extra == [], extra
    for event in d.filter(kinds=["removed"]):
        if event.unit in removed:
            assert (event.how, event.note) == ("divested", "Sold.")
    assert d.apply(a) == b
    assert list(d.apply(a).units) == list(b.units)
    assert d.events == diff(a, b).events  # deterministic


@st.composite
def round_trips(draw: st.DrawFn) -> tuple[list[Org], list[tuple[str, str]]]:
    """Three organisations: some units leave (their standing, their parent, the group) in the
    second and come back in the third."""
    org = draw(orgs())
    top = root(org)
    left = {u: dict(f) for u, f in org.items()}
    back_to: list[tuple[str, str]] = []
    held: set[str] = {top}
    for reason in draw(st.lists(st.sampled_from(["standing", "parent", "group"]), max_size=6)):
        free = [u for u in left if u not in held]
        if reason == "standing":
            options = [u for u in free if left[u]["status"] == "active"]
        elif reason == "parent":
            options = [u for u in free if left[u]["parent"] not in (None,)]
        else:
            options = [u for u in free if not children(left, u)]
        if not options:
            continue
        x = options[draw(st.integers(0, len(options) - 1))]
        if reason == "standing":
            left[x]["status"] = draw(st.sampled_from(OTHER_STATUSES))
        elif reason == "parent":
            below = subtree(left, x)
            targets = [p for p in left if p not in below and p != left[x]["parent"]]
            if not targets:
                continue
            q = targets[draw(st.integers(0, len(targets) - 1))]
            held.update({q, left[x]["parent"]})
            left[x]["parent"] = q
        else:
            held.add(left[x]["parent"])
            del left[x]
        held.add(x)
        back_to.append((x, reason))
    again = {u: dict(f) for u, f in left.items()}
    for x, reason in back_to:
        again[x] = (
            dict(org[x])
            if reason == "group"
            else {**again[x], **{"status": org[x]["status"], "parent": org[x]["parent"]}}
        )
    return [org, left, again], back_to


@SETTINGS
@given(round_trips())
def test_every_return_is_reported(case: tuple[list[Org], list[tuple[str, str]]]) -> None:
    orgs_, back_to = case
    h = History([snapshot(org, day) for org, day in zip(orgs_, DAY, strict=True)])
    returned = {
        (e.unit, e.back_to, e.left_on) for e in h.changes(kinds=["returned"]) if e.date == DAY[2]
    }
    assert {(x, reason, DAY[1]) for x, reason in back_to} <= returned
    for first, second in zip(h.snapshots, h.snapshots[1:], strict=False):
        assert diff(first, second, history=h).apply(first) == second
    assert h.diff(DAY[0], DAY[2]).apply(h.snapshots[0]) == h.snapshots[2]


@st.composite
def chains(draw: st.DrawFn) -> list[Org]:
    """Two to five organisations, each an edit of the one before; some reorder their units, and
    some bring back a unit of the first that had gone."""
    chain = [draw(orgs(max_units=30))]
    for step in range(draw(st.integers(1, 4))):
        script = Script(chain[-1], draw)
        script.count = 100 * step  # new ids of its own: reusing one would rewire a unit
        for name in draw(st.lists(st.sampled_from(EDITS), max_size=6)):
            getattr(script, name)()
        for fields in script.org.values():
            fields.setdefault("status", "active")
        ids = list(script.org)
        gone = [u for u in chain[0] if u not in script.org]
        if gone and draw(st.booleans()):
            back = gone[draw(st.integers(0, len(gone) - 1))]
            ids.insert(draw(st.integers(0, len(ids))), back)
            script.org[back] = {**chain[0][back], "parent": root(script.org)}
        match draw(st.sampled_from(["keep", "keep", "move one", "shuffle"])):
            case "move one" if len(ids) > 1:
                moving = ids.pop(draw(st.integers(0, len(ids) - 1)))
                ids.insert(draw(st.integers(0, len(ids))), moving)
            case "shuffle":
                ids = draw(st.permutations(ids))
        chain.append({u: script.org[u] for u in ids})
    return chain


def plain(s: Snapshot) -> Snapshot:
    """The same snapshot, with the same records, but knowing nothing of a history."""
    return Snapshot(s.date, s.units.values(), title=s.title, removed=s.removed)


@SETTINGS
@given(chains())
def test_a_diff_through_a_historys_steps_equals_a_full_walk(chain: list[Org]) -> None:
    # A history records what changed at each step; a diff of any two of its snapshots reads
    # those steps instead of walking every unit, and must find exactly what the walk finds.
    days = [dt.date(2020 + i, 1, 1) for i in range(len(chain))]
    h = History([snapshot(org, day) for org, day in zip(chain, days, strict=True)])
    for i, a in enumerate(h.snapshots):
        for b in h.snapshots[i:]:
            assert diff(a, b, history=h) == diff(plain(a), plain(b), history=h)
            assert diff(a, b) == diff(plain(a), plain(b))
