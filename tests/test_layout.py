"""The tidy tree layout: pure geometry, checked on random trees and on real snapshots."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from collections.abc import Mapping, Sequence

import pytest

import orgmodel
from orgmodel.layout import (
    Box,
    Connector,
    Point,
    TreeLayout,
    estimate_text_size,
    overlapping_pairs,
    tree_layout,
)

from .conftest import EXAMPLE

PAD = 4.0


def random_tree(size: int, seed: int, shape: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """A random tree of ``size`` units and a label for each.

    ``recursive`` hangs each new unit under any earlier one (deep, many small families);
    ``org`` prefers early units, like a group whose top units have many reports.
    """
    rng = random.Random(seed)
    children: dict[str, list[str]] = {"u0": []}
    ids = ["u0"]
    for index in range(1, size):
        if shape == "recursive":
            parent = rng.choice(ids)
        else:
            parent = ids[min(int(rng.expovariate(8 / len(ids))), len(ids) - 1)]
        uid = f"u{index}"
        children[parent].append(uid)
        children[uid] = []
        ids.append(uid)
    words = ["Cloud", "Commerce", "Logistics", "Media", "Data", "International", "Local", "Lab"]
    labels = {
        uid: " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) + f" {uid}"
        for uid in ids
    }
    return children, labels


def sizes_for(labels: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    sizes = {}
    for uid, label in labels.items():
        width, height = estimate_text_size(label)
        sizes[uid] = (width + 2 * PAD, height + 2 * PAD)
    return sizes


def check(layout: TreeLayout, children: Mapping[str, Sequence[str]], labels: Mapping[str, str]):
    boxes = layout.boxes
    assert set(boxes) == set(labels)
    margin = min(layout.gaps) - 1e-6
    assert overlapping_pairs(boxes.values(), margin) == []
    for uid, box in boxes.items():
        width, height = estimate_text_size(labels[uid])
        assert box.width >= width + 2 * PAD - 1e-9 and box.height >= height + 2 * PAD - 1e-9
        assert box.x >= 0 and box.right <= layout.width + 1e-9
        assert box.y >= 0 and box.bottom <= layout.height + 1e-9
        for kid in children.get(uid, ()):
            assert boxes[kid].parent == uid
            assert box.bottom < boxes[kid].y, f"{uid} is not above its child {kid}"
    connected = {(c.parent, c.child) for c in layout.connectors}
    assert connected == {(p, k) for p, kids in children.items() for k in kids if p in boxes}
    assert lines_through_boxes(layout) == []


def lines_through_boxes(layout: TreeLayout, extra: Sequence[Sequence[Point]] = ()) -> list[str]:
    """The boxes some line crosses: a stretch of a connector (or of ``extra``) that enters a
    box's inside, where its label is. Lines may end on a box's edge; none may pass through."""
    crossed = []
    lines = [c.points for c in layout.connectors] + [tuple(points) for points in extra]
    stretches = [pair for points in lines for pair in itertools.pairwise(points)]
    for box in layout.boxes.values():
        inner = (box.x + 0.5, box.y + 0.5, box.right - 0.5, box.bottom - 0.5)
        if any(_crosses(start, end, inner) for start, end in stretches):
            crossed.append(box.id)
    return crossed


def _crosses(start: Point, end: Point, rect: tuple[float, float, float, float]) -> bool:
    """Whether the segment from ``start`` to ``end`` meets the rectangle (Liang-Barsky)."""
    (x0, y0), (x1, y1) = start, end
    left, top, right, bottom = rect
    low, high = 0.0, 1.0
    for p, q in (
        (x0 - x1, x0 - left),
        (x1 - x0, right - x0),
        (y0 - y1, y0 - top),
        (y1 - y0, bottom - y0),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def test_a_line_through_a_box_is_found() -> None:
    boxes = {"a": Box("a", 0, 0, 10, 10), "b": Box("b", 20, 0, 10, 10)}
    through = Connector("a", "b", ((5, 10), (5, 20), (25, 20), (25, 10)))
    layout = TreeLayout(boxes, (through,), 30, 30)
    assert lines_through_boxes(layout) == []
    assert lines_through_boxes(layout, [((-5, 5), (40, 5))]) == ["a", "b"]


@pytest.mark.parametrize(("size", "seeds"), [(100, 4), (1000, 2)])
def test_units_kept_out_of_stacks_stay_in_the_tree(size: int, seeds: int) -> None:
    for seed in range(seeds):
        children, labels = random_tree(size, seed, "org")
        rng = random.Random(seed)
        keep_out = set(rng.sample(sorted(labels), size // 10))
        layout = tree_layout("u0", children, sizes_for(labels), keep_out=keep_out)
        check(layout, children, labels)
        parents = {kid: parent for parent, kids in children.items() for kid in kids}
        for uid in keep_out:
            while uid in parents:  # nor any unit above it
                assert not layout.boxes[uid].stacked, uid
                uid = parents[uid]


def test_without_compacting_the_least_stacking_that_fits_is_taken() -> None:
    cases = {True: 0, False: 0}
    for size, seed in [(25, 1), (25, 2), (40, 3), (100, 1), (100, 3)]:
        children, labels = random_tree(size, seed, "org")
        leaves_only = tree_layout("u0", children, sizes_for(labels), stack_size=1)
        plain = tree_layout("u0", children, sizes_for(labels), compact=False)
        check(plain, children, labels)
        fits = leaves_only.width <= 4 * leaves_only.height
        cases[fits] += 1
        if fits:  # then no unit with sub-units is put in a stack
            assert plain.boxes == leaves_only.boxes
        else:
            assert plain.width <= 4 * plain.height
    assert all(cases.values()), cases  # both cases were tried


@pytest.mark.parametrize("shape", ["recursive", "org"])
@pytest.mark.parametrize(("size", "seeds"), [(10, 20), (100, 10), (1000, 2)])
def test_random_trees_are_tidy(size: int, seeds: int, shape: str) -> None:
    for seed in range(seeds):
        children, labels = random_tree(size, seed, shape)
        check(tree_layout("u0", children, sizes_for(labels)), children, labels)


@pytest.mark.parametrize("stack_size", [1, 3, 50])
@pytest.mark.parametrize("stack_columns", [None, 1, 3])
def test_stacking_options_keep_the_guarantees(stack_size: int, stack_columns: int | None) -> None:
    children, labels = random_tree(300, 7, "org")
    layout = tree_layout(
        "u0", children, sizes_for(labels), stack_size=stack_size, stack_columns=stack_columns
    )
    check(layout, children, labels)


def test_no_stacking_gives_one_row_per_level() -> None:
    children, labels = random_tree(60, 3, "org")
    layout = tree_layout("u0", children, sizes_for(labels), stack_leaves=None)
    check(layout, children, labels)
    assert not any(box.stacked for box in layout.boxes.values())
    tops: dict[int, set[float]] = {}
    for box in layout.boxes.values():
        tops.setdefault(box.depth, set()).add(box.y)
    assert all(len(ys) == 1 for ys in tops.values())


def test_parent_is_centred_over_its_children() -> None:
    sizes = {uid: (30.0, 10.0) for uid in "pabc"}
    layout = tree_layout("p", {"p": ["a", "b", "c"]}, sizes, stack_leaves=None)
    boxes = layout.boxes
    middle = (boxes["a"].centre[0] + boxes["c"].centre[0]) / 2
    assert boxes["p"].centre[0] == pytest.approx(middle)
    assert [boxes[uid].x for uid in "abc"] == [0.0, 40.0, 80.0]


def test_subtrees_are_drawn_the_same_wherever_they_are() -> None:
    children = {"r": ["a", "b"], "a": ["a1", "a2"], "b": ["b1", "b2"]}
    sizes = {uid: (30.0, 10.0) for uid in ["r", "a", "b", "a1", "a2", "b1", "b2"]}
    boxes = tree_layout("r", children, sizes).boxes
    assert boxes["a2"].x - boxes["a1"].x == boxes["b2"].x - boxes["b1"].x
    assert boxes["a"].x - boxes["a1"].x == boxes["b"].x - boxes["b1"].x


def test_a_deep_chain_does_not_hit_the_recursion_limit() -> None:
    children = {f"u{i}": [f"u{i + 1}"] for i in range(3000)}
    sizes = {f"u{i}": (20.0, 10.0) for i in range(3001)}
    layout = tree_layout("u0", children, sizes)
    assert len(layout.boxes) == 3001
    assert {box.x for box in layout.boxes.values()} == {0.0}


def test_a_thousand_units_are_not_one_endless_row() -> None:
    children, labels = random_tree(1000, 1, "recursive")
    layout = tree_layout("u0", children, sizes_for(labels))
    assert layout.width <= 4 * layout.height


def test_the_leaves_of_a_wide_family_are_stacked() -> None:
    children = {"p": [f"c{i}" for i in range(40)]}
    sizes = {uid: (60.0, 14.0) for uid in ["p", *children["p"]]}
    layout = tree_layout("p", children, sizes)
    assert all(layout.boxes[uid].stacked for uid in children["p"])
    assert layout.width < 40 * 60 / 3


def history_trees(folder: object) -> list[object]:
    try:
        history = orgmodel.load_history(folder)  # type: ignore[arg-type]
    except orgmodel.OrgModelError:
        return []
    return list(history.snapshots)


@pytest.mark.parametrize("folder", [EXAMPLE, None], ids=["example", "bundled"])
def test_every_snapshot_is_laid_out_tidily(folder: object) -> None:
    snapshots = history_trees(folder)
    if not snapshots:
        pytest.skip("no bundled snapshots yet")
    for snapshot in snapshots:
        labels = {uid: unit.name for uid, unit in snapshot.units.items()}  # type: ignore[attr-defined]
        children = {uid: list(snapshot.children(uid)) for uid in labels}  # type: ignore[attr-defined]
        layout = tree_layout(snapshot.root, children, sizes_for(labels))  # type: ignore[attr-defined]
        check(layout, children, labels)


def test_box_overlap_counts_the_margin() -> None:
    a, b = Box("a", 0, 0, 10, 10), Box("b", 10, 0, 10, 10)
    assert not a.overlaps(b)
    assert a.overlaps(b, margin=0.5)


def test_importing_layout_and_drawing_does_not_import_matplotlib() -> None:
    code = (
        "import sys, orgmodel, orgmodel.layout, orgmodel.drawing.orgchart, "
        "orgmodel.drawing.timeline, orgmodel.drawing.flow; "
        "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
