"""A snapshot as a tree of text lines, for the terminal.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> s = Snapshot(dt.date(2023, 3, 28), [
...     Unit(id="g", name="Group", kind="holding", status="listed"),
...     Unit(id="c", name="Cloud", kind="business_group", parent="g", plan="spin_off_planned"),
...     Unit(id="d", name="DingTalk", kind="business_unit", parent="c"),
...     Unit(id="t", name="Taobao", kind="business_group", parent="g"),
... ])
>>> print(format_tree(s))
Group  (g) holding, listed
├── Cloud  (c) business_group, spin-off planned
│   └── DingTalk  (d) business_unit
└── Taobao  (t) business_group
>>> print(format_tree(s, depth=1, show_ids=False))
Group  holding, listed
├── Cloud  business_group, spin-off planned  [1 below]
└── Taobao  business_group
"""

from __future__ import annotations

from orgmodel.finding import unknown_unit
from orgmodel.model import KIND_WORDS_ZH, PLAN_WORDS, PLAN_WORDS_ZH, STATUS_WORDS_ZH, Unit
from orgmodel.snapshot import Snapshot

__all__ = ["format_tree", "unit_facts", "unit_label"]


def unit_facts(unit: Unit, lang: str = "en") -> str:
    """A unit's kind, and its status and plan where they say more than 'active': the codes in
    English (``business_group, standalone``), the words in Chinese (``事业群，独立运营公司``).

    >>> unit = Unit(id="x", name="X", kind="company", status="listed", plan="ipo_planned")
    >>> unit_facts(unit), unit_facts(unit, "zh")
    ('company, listed, IPO planned', '公司，上市公司，计划上市')
    """
    if lang == "zh":
        facts = [KIND_WORDS_ZH.get(unit.kind, unit.kind)]
        facts += [STATUS_WORDS_ZH[unit.status]] if unit.status != "active" else []
        return "，".join(facts + ([PLAN_WORDS_ZH[unit.plan]] if unit.plan else []))
    facts = [unit.kind] + ([unit.status] if unit.status != "active" else [])
    return ", ".join(facts + ([PLAN_WORDS[unit.plan]] if unit.plan else []))


def unit_label(unit: Unit, lang: str = "en") -> str:
    """The name to show for a unit: the Chinese name with ``lang="zh"`` where there is one."""
    if lang == "zh" and unit.name_zh:
        return unit.name_zh
    return unit.name


def format_tree(
    snapshot: Snapshot,
    *,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    show_ids: bool = True,
) -> str:
    """The snapshot (or the part below ``root``, ``depth`` levels deep) as box-drawn text."""
    start = root if root is not None else snapshot.root
    if start not in snapshot.units:
        raise unknown_unit(snapshot, start)
    lines: list[str] = []

    def describe(unit: Unit) -> str:
        ident = f"({unit.id}) " if show_ids else ""
        return f"{unit_label(unit, lang)}  {ident}{unit_facts(unit, lang)}"

    def expand(uid: str, level: int) -> tuple[str, ...]:
        kids = snapshot.children(uid)
        return kids if depth is None or level < depth else ()

    def folded(uid: str, level: int) -> str:
        if snapshot.children(uid) and not expand(uid, level):
            below = sum(1 for _ in snapshot.descendants(uid))
            return f"  [下辖 {below} 个单位]" if lang == "zh" else f"  [{below} below]"
        return ""

    lines.append(describe(snapshot.units[start]) + folded(start, 0))
    # An explicit stack keeps very deep trees from hitting the recursion limit.
    stack: list[tuple[str, str, bool, int]] = []
    children = expand(start, 0)
    for i in reversed(range(len(children))):
        stack.append((children[i], "", i == len(children) - 1, 1))
    while stack:
        uid, prefix, last, level = stack.pop()
        branch = "└── " if last else "├── "
        lines.append(prefix + branch + describe(snapshot.units[uid]) + folded(uid, level))
        kids = expand(uid, level)
        child_prefix = prefix + ("    " if last else "│   ")
        for i in reversed(range(len(kids))):
            stack.append((kids[i], child_prefix, i == len(kids) - 1, level + 1))
    return "\n".join(lines)
