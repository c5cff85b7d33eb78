"""Random histories for the pictures' tests: a random group that changes from year to year."""

from __future__ import annotations

import datetime as dt
import random

import orgmodel
from orgmodel.model import Unit
from orgmodel.snapshot import Snapshot

KINDS = ["holding", "business_group", "business_unit", "company", "function"]
STATUSES = ["active"] * 6 + ["standalone", "listed", "affiliate"]
PLANS = [None] * 6 + ["ipo_planned", "spin_off_planned", "ipo_cancelled", "sale_agreed"]
WORDS = ["Cloud", "Retail", "Logistics", "Media", "Health", "Maps", "Games", "Search", "Pay"]


def random_history(size: int, steps: int, seed: int) -> orgmodel.History:
    """``steps + 1`` yearly snapshots of about ``size`` units: each year some units move to
    another parent, are renamed, change status, close, or are founded."""
    rng = random.Random(seed)
    units = {"u0": Unit(id="u0", name="Random Group", kind="holding")}
    for index in range(1, size):
        units[f"u{index}"] = _new(rng, f"u{index}", rng.choice(list(units)))
    snapshots = [Snapshot(dt.date(2010, 1, 1), list(units.values()), title="Founded")]
    for step in range(1, steps + 1):
        units = _change(rng, units, size + step * size)
        day = dt.date(2010 + step, rng.randint(1, 12), rng.randint(1, 28))
        title = " ".join(rng.sample(WORDS, rng.randint(2, 5)))
        snapshots.append(Snapshot(day, list(units.values()), title=title))
    return orgmodel.History(snapshots, title="Random Group")


def _new(rng: random.Random, uid: str, parent: str) -> Unit:
    name = " ".join(rng.sample(WORDS, rng.randint(1, 3))) + f" {uid}"
    status, plan = rng.choice(STATUSES), rng.choice(PLANS)
    return Unit(
        id=uid, name=name, kind=rng.choice(KINDS[1:]), parent=parent, status=status, plan=plan
    )


def _below(units: dict[str, Unit], uid: str) -> set[str]:
    found, grew = {uid}, True
    while grew:
        more = {u.id for u in units.values() if u.parent in found} - found
        found |= more
        grew = bool(more)
    return found


def _change(rng: random.Random, units: dict[str, Unit], next_id: int) -> dict[str, Unit]:
    units = dict(units)
    for uid in rng.sample(sorted(units), max(1, len(units) // 8)):
        if uid == "u0" or uid not in units:
            continue
        unit, roll = units[uid], rng.random()
        if roll < 0.35:
            choices = sorted(set(units) - _below(units, uid))
            units[uid] = unit.model_copy(update={"parent": rng.choice(choices)})
        elif roll < 0.55:
            units[uid] = unit.model_copy(update={"name": unit.name + " New"})
        elif roll < 0.75:
            change = {"status": rng.choice(STATUSES), "plan": rng.choice(PLANS)}
            units[uid] = unit.model_copy(update=change)
        elif not any(u.parent == uid for u in units.values()):
            del units[uid]
    for offset in range(rng.randint(0, 3)):
        uid = f"u{next_id + offset}"
        units[uid] = _new(rng, uid, rng.choice(sorted(units)))
    return units
