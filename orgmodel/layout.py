"""Positions for pictures: a tidy tree for org charts and lanes for timelines.

Everything here is plain geometry: no matplotlib, no fonts. The caller measures its labels and
passes box sizes in; what comes back is where each box goes and how the lines between them run,
so the guarantees (no two boxes overlap, parents sit above their children) can be tested without
drawing anything. Coordinates are in points (1/72 inch) with ``y`` growing *downwards*: the root
is at the top, ``y`` is a box's top edge and ``y + height`` its bottom edge.

The tree layout is Walker's algorithm for n-ary trees in the linear-time form of Buchheim, Jünger
and Leipert (2002), with boxes of different widths: neighbouring boxes on a level are kept at
least a gap apart, each parent is centred over its children and every subtree is drawn the same
wherever it sits. A parent with many leaf children would make one endless row, so those leaves
are stacked in columns below the parent instead (the "compact" mode of d3-org-chart), and the
stack takes part in the layout as a single, tall box.

Examples
--------
>>> sizes = {uid: (40.0, 20.0) for uid in "abcd"}
>>> layout = tree_layout("a", {"a": ["b", "c"], "c": ["d"]}, sizes)
>>> [(uid, box.x, box.y) for uid, box in layout.boxes.items()]
[('a', 25.0, 0.0), ('b', 0.0, 48.0), ('c', 50.0, 48.0), ('d', 50.0, 96.0)]
>>> layout.width, layout.height
(90.0, 116.0)
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from orgmodel.model import UNSAFE_IN_TEXT

__all__ = [
    "Box",
    "Connector",
    "TreeLayout",
    "estimate_text_size",
    "overlapping_pairs",
    "short_label",
    "tree_layout",
]

Point = tuple[float, float]

#: The widest drawing, in points (25 inches), that :func:`tree_layout` takes with the least
#: stacking that keeps it within its aspect; a wider one stacks more while its area shrinks.
SEARCH_WIDTH = 1800.0
#: The share of its area that boxes cover in a drawing dense enough to need no more search.
DENSE = 0.25


@dataclass(frozen=True, slots=True)
class Box:
    """Where one unit's box goes: its top-left corner, its size and its place in the tree.

    >>> box = Box("a", 10.0, 0.0, 40.0, 20.0)
    >>> box.right, box.bottom, box.centre
    (50.0, 20.0, (30.0, 10.0))
    """

    id: str
    x: float
    y: float
    width: float
    height: float
    depth: int = 0
    parent: str | None = None
    stacked: bool = False
    """True for a leaf drawn in a stack of columns below its parent."""

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The y of the bottom edge (y grows downwards)."""
        return self.y + self.height

    @property
    def centre(self) -> Point:
        """The centre of the box."""
        return (self.x + self.width / 2, self.y + self.height / 2)

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """Whether the two boxes come closer than ``margin`` on both axes.

        >>> Box("a", 0, 0, 10, 10).overlaps(Box("b", 12, 0, 10, 10), margin=3)
        True
        >>> Box("a", 0, 0, 10, 10).overlaps(Box("b", 12, 0, 10, 10), margin=2)
        False
        """
        return (
            self.x < other.right + margin
            and other.x < self.right + margin
            and self.y < other.bottom + margin
            and other.y < self.bottom + margin
        )


@dataclass(frozen=True, slots=True)
class Connector:
    """The line from a parent's box to one child's box, as a polyline of points."""

    parent: str
    child: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class TreeLayout:
    """The result of :func:`tree_layout`: boxes by id (parents before children), connectors,
    and the size of the whole drawing (every box lies within ``0..width`` x ``0..height``)."""

    boxes: Mapping[str, Box]
    connectors: tuple[Connector, ...]
    width: float
    height: float
    gaps: tuple[float, float] = (0.0, 0.0)
    """The smallest horizontal and vertical gap the layout keeps between boxes."""


def estimate_text_size(text: str, fontsize: float = 9.0) -> tuple[float, float]:
    """A generous guess at the size in points of ``text`` set in a sans-serif font.

    Drawing code measures text with the real font; this estimate is for tests and for callers
    without a renderer. Lines are split on newlines; wide (CJK) characters count as a full em.

    >>> estimate_text_size("Cloud", 10)
    (31.0, 12.5)
    >>> estimate_text_size("阿里云\\nCloud", 10)
    (31.0, 25.0)
    """
    lines = text.split("\n")
    width = max(sum(1.0 if _is_wide(ch) else 0.62 for ch in line) for line in lines)
    return (round(width * fontsize, 2), round(len(lines) * 1.25 * fontsize, 2))


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


class _Tree:
    """The tree being laid out, one list per field, indexed by node (parents before children).

    A node is a unit, a stack of small subtrees, or a filler below a stack. The children of a
    node are the ``count`` nodes from ``first`` on. Lists of numbers rather than an object per
    node: the search lays large trees out many times, and objects by the ten thousand make the
    garbage collector's full passes, which grow with everything alive, cost more than the walks.
    """

    __slots__ = (
        "ancestor",
        "change",
        "count",
        "depths",
        "first",
        "heights",
        "ids",
        "index",
        "mod",
        "parents",
        "prelim",
        "shift",
        "thread",
        "widths",
        "x",
    )

    def __init__(self) -> None:
        self.ids: list[str | None] = []  # None for a stack or a filler
        self.widths: list[float] = []
        self.heights: list[float] = []
        self.depths: list[int] = []
        self.parents: list[int] = []  # -1 for the root
        self.index: list[int] = []  # position among its siblings
        self.first: list[int] = []
        self.count: list[int] = []
        # The fields of the walks, made in one go by start_walks once the tree is built.
        self.prelim: list[float] = []
        self.mod: list[float] = []
        self.shift: list[float] = []
        self.change: list[float] = []
        self.thread: list[int] = []  # -1 for none
        self.ancestor: list[int] = []
        self.x: list[float] = []

    def add(
        self, uid: str | None, width: float, height: float, depth: int, parent: int, index: int
    ) -> int:
        node = len(self.ids)
        self.ids.append(uid)
        self.widths.append(width)
        self.heights.append(height)
        self.depths.append(depth)
        self.parents.append(parent)
        self.index.append(index)
        self.first.append(-1)
        self.count.append(0)
        return node

    def start_walks(self) -> None:
        size = len(self.ids)
        self.prelim = [0.0] * size
        self.mod = [0.0] * size
        self.shift = [0.0] * size
        self.change = [0.0] * size
        self.thread = [-1] * size
        self.ancestor = list(range(size))
        self.x = [0.0] * size


@dataclass(frozen=True, slots=True)
class _Stack:
    """How a stack is arranged: each row's (id, parent, column, top, level), and its size.

    Each row is as tall as its own box, so one tall label does not spread out the others."""

    rows: list[tuple[str, str, int, float, int]]
    column_width: float
    width: float
    height: float
    right_edges: tuple[tuple[int, int, float], ...] = ()
    """(column, level, width) of the widest box at each level of each column."""
    bottom_edges: tuple[tuple[float, float], ...] = ()
    """(top, height) of the boxes that no box both below it and taller than it hides."""


def tree_layout(
    root: str,
    children: Mapping[str, Sequence[str]] | Callable[[str], Sequence[str]],
    sizes: Mapping[str, tuple[float, float]],
    *,
    h_gap: float = 10.0,
    v_gap: float = 28.0,
    subtree_gap: float | None = None,
    stack_leaves: int | None = 5,
    stack_size: int | None = None,
    max_aspect: float = 4.0,
    stack_height: float | None = None,
    stack_columns: int | None = None,
    stack_gap: float = 6.0,
    indent: float = 12.0,
    keep_out: Collection[str] = (),
    compact: bool = True,
) -> TreeLayout:
    """Lay out the tree below ``root`` as a tidy, top-down org chart.

    Parameters
    ----------
    root : str
        The id of the top box.
    children : mapping or callable
        The ids of each unit's children, in drawing order (missing ids have none).
    sizes : mapping
        ``(width, height)`` of each box, in points; it must cover every unit of the tree.
    h_gap : float
        The smallest horizontal gap between two sibling boxes.
    v_gap : float
        The vertical gap between a level and the next; connectors run in it.
    subtree_gap : float, optional
        The smallest horizontal gap between boxes that are not siblings (default ``2 * h_gap``),
        so that families read as groups.
    stack_leaves : int or None
        A parent with at least this many leaf children gets them stacked in columns below it
        instead of in a row; ``None`` never stacks.
    stack_size : int, optional
        The largest subtree (in units) that counts as small enough to stack: 1 stacks leaves
        only; more stacks small families as indented lists (and any family made only of small
        subtrees). By default the smallest of 1, 2, 4, 8, ... that keeps the drawing no wider
        than ``max_aspect`` times its height; if that drawing is wider than
        :data:`SEARCH_WIDTH` and less than :data:`DENSE` of it is covered by boxes, the
        next sizes are tried while the area of the drawing shrinks
        (and its height stays within half of ``max_aspect`` times its width), with stacks about
        twice, then four times as tall as they are wide.
    max_aspect : float
        The widest drawing, as a multiple of its height, that the automatic ``stack_size``
        accepts.
    stack_columns : int, optional
        How many columns a stack has; by default as many as make the stack about twice (for a
        large chart, perhaps four times) as tall as it is wide.
    stack_height : float, optional
        The tallest a stack may be, in points: a taller one gets more columns (a family of
        small subtrees is never split across columns, so one long family can still exceed it).
    stack_gap : float
        The gap between rows and columns of a stack.
    indent : float
        How far stacked boxes sit to the right of the line that joins them to their parent.
    keep_out : collection of ids
        Units never put in a stack, nor is any subtree that holds one (e.g. the units that head
        a part of the organisation, which a reader must see as heads).
    compact : bool
        With the automatic ``stack_size``: whether to go on stacking larger subtrees while that
        makes a wide drawing smaller; if False, the least stacking within ``max_aspect`` is
        taken.

    Returns
    -------
    TreeLayout
        Boxes (with ``y`` growing downwards) and connectors. No two boxes come closer than
        ``min(h_gap, stack_gap)`` side by side or ``min(v_gap, stack_gap)`` one above the other;
        every parent's bottom is above its children's tops.

    Examples
    --------
    Twelve leaves under one parent, stacked in two columns of six, each hanging from a line that
    runs down the left of its column:

    >>> kids = {"p": [f"u{i}" for i in range(12)]}
    >>> sizes = {uid: (50.0, 16.0) for uid in ["p", *kids["p"]]}
    >>> layout = tree_layout("p", kids, sizes, stack_columns=2)
    >>> sorted({(box.x, box.stacked) for box in layout.boxes.values()})
    [(12.0, True), (40.0, False), (80.0, True)]
    >>> layout.boxes["u6"].x, layout.boxes["u6"].y
    (80.0, 44.0)
    >>> layout.connectors[6].points
    ((65.0, 16.0), (65.0, 30.0), (74.0, 30.0), (74.0, 52.0), (80.0, 52.0))
    """
    settings = _Settings(
        _remembered(children) if callable(children) else _getter(children),
        sizes,
        h_gap=h_gap,
        v_gap=v_gap,
        subtree_gap=2 * h_gap if subtree_gap is None else subtree_gap,
        stack_leaves=stack_leaves,
        stack_columns=stack_columns,
        stack_gap=stack_gap,
        indent=indent,
        stack_height=stack_height,
    )
    counts = _subtree_sizes(root, settings.get_children)
    # Measuring a candidate without drawing it gives the same width and height only if every
    # unit gets one box: a unit listed under two parents would have its first box replaced.
    is_tree = counts[root] == len(counts)
    if keep_out:
        counts = _blocked(root, settings.get_children, counts, keep_out)
    if stack_size is not None:
        return _draw(_place(settings, root, stack_size, counts), sizes)
    search = _Search(settings, root, counts, is_tree, max_aspect, compact)
    layout = search.best(2.0)
    if (
        not compact
        or layout.width <= SEARCH_WIDTH
        or layout.fill() >= DENSE
        or stack_columns is not None
        or not stack_leaves
    ):
        return layout.drawn()
    # A large chart: stacks twice as tall for their width may leave less room empty, since
    # the row they stand in is what makes the chart wide.
    other = search.best(4.0)
    return other.drawn() if search.fits(other) and other.area < layout.area else layout.drawn()


@dataclass(frozen=True, slots=True)
class _Settings:
    """What every layout of one chart shares: the tree, the sizes, the gaps and the stacking
    rules, and what the search has already worked out about its stacks (kept between tries)."""

    get_children: Callable[[str], Sequence[str]]
    sizes: Mapping[str, tuple[float, float]]
    h_gap: float
    v_gap: float
    subtree_gap: float
    stack_leaves: int | None
    stack_columns: int | None
    stack_gap: float
    indent: float
    stack_height: float | None
    arranged: dict[tuple[str, int, float], _Stack] = field(default_factory=dict)
    families: dict[tuple[str, str], _Family] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Search:
    """The search for the automatic ``stack_size``: see :func:`tree_layout`."""

    settings: _Settings
    root: str
    counts: Mapping[str, int]
    is_tree: bool
    max_aspect: float
    compact: bool

    def fits(self, layout: _Candidate) -> bool:
        """Whether ``layout`` is neither too wide nor (at twice the limit) too tall."""
        aspect = self.max_aspect
        return layout.width <= aspect * layout.height and 2 * layout.height <= aspect * layout.width

    def best(self, shape: float) -> _Candidate:
        """The best layout with stacks about ``shape`` times as tall as they are wide."""
        below = sorted(
            count for uid, count in self.counts.items() if uid != self.root and count < _NEVER
        )
        best: _Candidate | None = None
        size, previous = 1, 0
        while True:
            # A size that no subtree falls in since the last one tried stacks the same.
            if size == 1 or bisect.bisect_right(below, size) > bisect.bisect_right(below, previous):
                layout = self.measure(size, shape)
                previous = size
                if best is None:
                    if layout.width <= self.max_aspect * layout.height:
                        best = layout
                        if not self.compact or not _worth_compacting(layout):
                            return layout
                elif self.fits(layout) and layout.area < best.area:
                    best = layout
                else:
                    return best
            if size >= len(self.counts) or not self.settings.stack_leaves:
                return best or layout
            size *= 2

    def measure(self, size: int, shape: float) -> _Candidate:
        placed = _place(self.settings, self.root, size, self.counts, shape)
        return _Candidate(placed, self.settings.sizes, self.is_tree)


def _worth_compacting(layout: _Candidate) -> bool:
    """Whether a layout is wide and empty enough that stacking more may shrink it."""
    return layout.width > SEARCH_WIDTH and layout.fill() < DENSE


class _Candidate:
    """A layout the search tries: measured at once, but drawn (boxes and connectors made) only
    if it is needed, since the search tries several layouts and returns one."""

    __slots__ = ("_layout", "area", "height", "placed", "sizes", "width")

    def __init__(
        self, placed: _Placed, sizes: Mapping[str, tuple[float, float]], is_tree: bool
    ) -> None:
        self.placed = placed
        self.sizes = sizes
        self._layout: TreeLayout | None = None
        if is_tree:
            self.width, self.height = _extent(placed, sizes)
        else:
            drawn = self.drawn()
            self.width, self.height = drawn.width, drawn.height
        self.area = self.width * self.height

    def drawn(self) -> TreeLayout:
        if self._layout is None:
            self._layout = _draw(self.placed, self.sizes)
        return self._layout

    def fill(self) -> float:
        return _fill(self.drawn(), self.sizes)


def _area(layout: TreeLayout) -> float:
    return layout.width * layout.height


def _fill(layout: TreeLayout, sizes: Mapping[str, tuple[float, float]]) -> float:
    """The share of the drawing that its boxes cover."""
    boxes = sum(sizes[uid][0] * sizes[uid][1] for uid in layout.boxes)
    return boxes / max(_area(layout), 1e-9)


def _place(
    settings: _Settings,
    root: str,
    stack_size: int,
    counts: Mapping[str, int],
    stack_shape: float = 2.0,
) -> _Placed:
    """The tree to draw, with each node's x from the walks and each level's top."""
    tree, stacks = _build(settings, root, stack_size, counts, stack_shape)
    tops = _level_tops(tree, stacks, settings.v_gap)
    # Walker / Buchheim: preliminary x bottom-up, then absolute x top-down.
    tree.start_walks()
    _first_walk(tree, settings.h_gap, settings.subtree_gap)
    _second_walk(tree)
    # The drawing starts at x = 0.
    left_edge = min(x - width / 2 for x, width in zip(tree.x, tree.widths, strict=True))
    return _Placed(
        tree,
        stacks,
        tops,
        left_edge,
        h_gap=settings.h_gap,
        v_gap=settings.v_gap,
        stack_gap=settings.stack_gap,
        indent=settings.indent,
    )


def _build(
    settings: _Settings,
    root: str,
    stack_size: int,
    sizes_below: Mapping[str, int],
    stack_shape: float,
) -> tuple[_Tree, dict[int, _Stack]]:
    """The tree to lay out. Small subtrees hanging from one parent, when there are enough of
    them, go into one stack that takes part in the layout as a single box."""
    sizes, stack_leaves = settings.sizes, settings.stack_leaves
    tree = _Tree()
    stacks: dict[int, _Stack] = {}
    tree.add(root, *sizes[root], 0, -1, 0)
    pending = [0]
    while pending:
        node = pending.pop()
        uid = tree.ids[node]
        assert uid is not None
        kids = settings.get_children(uid)
        small = [kid for kid in kids if sizes_below[kid] <= stack_size]
        stacked = stack_leaves is not None and (
            len(small) >= max(stack_leaves, 1) or (stack_size > 1 and len(small) == len(kids))
        )
        placed_stack = False
        depth = tree.depths[node] + 1
        tree.first[node] = len(tree.ids)  # the children come next, one after another
        for kid in kids:
            index = len(tree.ids) - tree.first[node]
            if not (stacked and sizes_below[kid] <= stack_size):
                pending.append(tree.add(kid, *sizes[kid], depth, node, index))
            elif not placed_stack:
                placed_stack = True
                stack = _stack_of(settings, uid, small, stack_shape)
                stacks[tree.add(None, stack.width, stack.height, depth, node, index)] = stack
        tree.count[node] = len(tree.ids) - tree.first[node]
    return tree, stacks


def _stack_of(settings: _Settings, parent: str, small: Sequence[str], shape: float) -> _Stack:
    """The stack of ``small`` below ``parent``; the same family stacks the same in every run
    of the search, so it is kept."""
    key = (parent, len(small), shape)
    stack = settings.arranged.get(key)
    if stack is None:
        stack = settings.arranged[key] = _arrange_stack(
            parent,
            small,
            settings.get_children,
            settings.sizes,
            settings.stack_columns,
            settings.stack_gap,
            settings.indent,
            settings.stack_height,
            shape,
            settings.families,
        )
    return stack


def _level_tops(tree: _Tree, stacks: Mapping[int, _Stack], v_gap: float) -> dict[int, float]:
    """The top of each level. Level heights come from the ordinary boxes; a stack spans as
    many levels as it needs, and a chain of fillers below it keeps other subtrees out of the
    space it takes."""
    levels: dict[int, float] = {}
    for uid, depth, height in zip(tree.ids, tree.depths, tree.heights, strict=True):
        if uid is not None:
            levels[depth] = max(levels.get(depth, 0.0), height)
    default_level = max(levels.values())
    for node in list(stacks):
        node_depth, width, height = tree.depths[node], tree.widths[node], tree.heights[node]
        depth, reach = node_depth, levels.get(node_depth, default_level)
        below = node
        while reach < height:
            depth += 1
            reach += v_gap + levels.setdefault(depth, default_level)
            filler = tree.add(None, width, 0.0, depth, below, 0)
            tree.first[below], tree.count[below] = filler, 1
            below = filler
        levels.setdefault(node_depth, default_level)
    tops: dict[int, float] = {}
    y = 0.0
    for depth in range(max(levels) + 1):
        tops[depth] = y
        y += levels.setdefault(depth, default_level) + v_gap
    return tops


@dataclass(frozen=True, slots=True)
class _Placed:
    """A tree after the walks: its nodes, the arrangement of each stack (by node), the top of
    each level and the leftmost x of any box."""

    tree: _Tree
    stacks: dict[int, _Stack]
    tops: dict[int, float]
    left_edge: float
    h_gap: float
    v_gap: float
    stack_gap: float
    indent: float


def _extent(placed: _Placed, sizes: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """The width and height of the drawing of ``placed``, without making its boxes.

    Each edge is computed with the same operations as in :func:`_draw`, so the numbers are equal
    to the last bit; of the boxes in a stack only those that may stick out furthest are looked
    at (rounding never makes a sum smaller when one of its terms grows)."""
    tree, stacks = placed.tree, placed.stacks
    left_edge, tops, gap, indent = placed.left_edge, placed.tops, placed.stack_gap, placed.indent
    width = height = -math.inf
    for node, uid in enumerate(tree.ids):
        stack = stacks.get(node) if uid is None else None
        if uid is None and stack is None:
            continue  # a filler
        node_width = tree.widths[node]
        left = tree.x[node] - node_width / 2 - left_edge
        top_y = tops[tree.depths[node]]
        if stack is None:
            width = max(width, left + node_width)
            height = max(height, top_y + tree.heights[node])
            continue
        for column, level, box_width in stack.right_edges:
            column_left = left + column * (stack.column_width + gap)
            width = max(width, column_left + (level + 1) * indent + box_width)
        for offset, box_height in stack.bottom_edges:
            height = max(height, top_y + offset + box_height)
    return width, height


def _draw(placed: _Placed, sizes: Mapping[str, tuple[float, float]]) -> TreeLayout:
    """The boxes and connectors of ``placed``."""
    tree, stacks, tops, left_edge = placed.tree, placed.stacks, placed.tops, placed.left_edge
    v_gap, stack_gap, indent = placed.v_gap, placed.stack_gap, placed.indent
    ids, xs, widths, heights, depths = tree.ids, tree.x, tree.widths, tree.heights, tree.depths
    boxes: dict[str, Box] = {}
    connectors: list[Connector] = []
    for node, uid in enumerate(ids):
        if uid is None and node not in stacks:
            continue  # a filler
        parent = tree.parents[node]
        parent_id = ids[parent] if parent >= 0 else None
        depth = depths[node]
        left = xs[node] - widths[node] / 2 - left_edge
        if uid is not None:
            boxes[uid] = Box(uid, left, tops[depth], widths[node], heights[node], depth, parent_id)
        assert parent >= 0 or uid is not None
        if parent < 0:
            continue
        assert parent_id is not None
        start = (xs[parent] - left_edge, tops[depths[parent]] + heights[parent])
        bus = tops[depth] - v_gap / 2
        if uid is not None:
            centre = left + widths[node] / 2
            line = (start, (start[0], bus), (centre, bus), (centre, tops[depth]))
            connectors.append(Connector(parent_id, uid, _clean(line)))
            continue
        stack = stacks[node]
        top_y = tops[depth]
        for leaf, parent_uid, column, offset, level in stack.rows:
            column_left = left + column * (stack.column_width + stack_gap)
            box_x = column_left + (level + 1) * indent
            box_y = top_y + offset
            width, height = sizes[leaf]
            boxes[leaf] = Box(leaf, box_x, box_y, width, height, depth + level, parent_uid, True)
            middle = box_y + height / 2
            points: tuple[Point, ...]
            if level == 0:
                spine = column_left + indent / 2
                points = (start, (start[0], bus), (spine, bus), (spine, middle), (box_x, middle))
            else:
                above = boxes[parent_uid]
                spine = above.x + indent / 2
                points = ((spine, above.bottom), (spine, middle), (box_x, middle))
            connectors.append(Connector(parent_uid, leaf, _clean(points)))
    width = max(box.right for box in boxes.values())
    height = max(box.bottom for box in boxes.values())
    gaps = (min(placed.h_gap, stack_gap), min(v_gap, stack_gap))
    return TreeLayout(boxes, tuple(connectors), width, height, gaps)


def _getter(children: Mapping[str, Sequence[str]]) -> Callable[[str], Sequence[str]]:
    def get(uid: str) -> Sequence[str]:
        return children.get(uid, ())

    return get


def _remembered(children: Callable[[str], Sequence[str]]) -> Callable[[str], Sequence[str]]:
    """``children``, asked once per unit: the search lays the tree out several times."""
    found: dict[str, Sequence[str]] = {}

    def get(uid: str) -> Sequence[str]:
        kids = found.get(uid)
        if kids is None:
            kids = found[uid] = children(uid)
        return kids

    return get


def _clean(points: Iterable[Point]) -> tuple[Point, ...]:
    """Drop repeated points so that a connector has no zero-length segments."""
    kept: list[Point] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return tuple(kept)


#: The size :func:`_blocked` gives a subtree that no stack may take.
_NEVER = 2**62


def _blocked(
    root: str,
    get_children: Callable[[str], Sequence[str]],
    counts: Mapping[str, int],
    keep_out: Collection[str],
) -> dict[str, int]:
    """``counts``, with a size too large to stack for each unit of ``keep_out`` and each unit
    above one, so that no stack takes them."""
    blocked = dict(counts)
    order = [root]
    for uid in order:  # breadth first, so that a unit's children come after it
        order.extend(get_children(uid))
    barred: set[str] = set()
    for uid in reversed(order):
        if uid in keep_out or any(kid in barred for kid in get_children(uid)):
            barred.add(uid)
            blocked[uid] = _NEVER
    return blocked


def _subtree_sizes(root: str, get_children: Callable[[str], Sequence[str]]) -> dict[str, int]:
    """How many units each subtree holds (the unit itself included)."""
    order = [root]
    for uid in order:  # grows while it is walked: breadth first
        order.extend(get_children(uid))
    counts: dict[str, int] = {}
    for uid in reversed(order):
        counts[uid] = 1 + sum(counts[kid] for kid in get_children(uid))
    return counts


@dataclass(frozen=True, slots=True)
class _Family:
    """A small subtree as a stack lists it: its (id, parent, level) in pre-order, the width of
    its widest line (indent included) and the height of its tallest box."""

    lines: list[tuple[str, str, int]]
    width: float
    height: float


def _family(
    item: str,
    parent: str,
    get_children: Callable[[str], Sequence[str]],
    sizes: Mapping[str, tuple[float, float]],
    indent: float,
) -> _Family:
    lines: list[tuple[str, str, int]] = []
    walk = [(item, parent, 0)]
    while walk:
        uid, above, level = walk.pop()
        lines.append((uid, above, level))
        walk.extend((kid, uid, level + 1) for kid in reversed(get_children(uid)))
    width = max((level + 1) * indent + sizes[uid][0] for uid, _, level in lines)
    height = max(sizes[uid][1] for uid, _, _ in lines)
    return _Family(lines, width, height)


def _arrange_stack(
    parent: str,
    items: Sequence[str],
    get_children: Callable[[str], Sequence[str]],
    sizes: Mapping[str, tuple[float, float]],
    columns: int | None,
    gap: float,
    indent: float,
    tallest: float | None = None,
    shape: float = 2.0,
    families: dict[tuple[str, str], _Family] | None = None,
) -> _Stack:
    """Lay small subtrees out as indented lists in columns; a subtree never breaks a column.

    ``families`` keeps each subtree's list, by parent and id, for the next stack it is in: the
    search stacks the same subtrees again and again, in stacks of different sizes."""
    if families is None:
        families = {}
    listed: list[_Family] = []
    for item in items:
        family = families.get((parent, item))
        if family is None:
            family = families[parent, item] = _family(item, parent, get_children, sizes, indent)
        listed.append(family)
    count = sum(len(family.lines) for family in listed)
    column_width = max(family.width for family in listed)
    if columns is None:
        row_height = max(family.height for family in listed)
        columns = _column_count(count, row_height, column_width, gap, tallest, shape)
    columns = min(max(columns, 1), len(items))
    return _fill_columns(listed, sizes, math.ceil(count / columns), column_width, gap)


def _column_count(
    count: int,
    row_height: float,
    column_width: float,
    gap: float,
    tallest: float | None,
    shape: float,
) -> int:
    """As many columns as make a stack of ``count`` rows about ``shape`` times as tall as it
    is wide, and no taller than ``tallest``: the width of the whole chart is what grows
    fastest, so a stack spends height rather than width."""
    columns = round(math.sqrt(count * (row_height + gap) / (shape * (column_width + gap))))
    if tallest is not None:
        columns = max(columns, math.ceil(count * (row_height + gap) / tallest))
    return columns


def _fill_columns(
    listed: Sequence[_Family],
    sizes: Mapping[str, tuple[float, float]],
    per_column: int,
    column_width: float,
    gap: float,
) -> _Stack:
    """The stack of ``listed``, about ``per_column`` rows to a column, a family never split."""
    rows: list[tuple[str, str, int, float, int]] = []
    widest: dict[tuple[int, int], float] = {}
    edges: list[tuple[float, float]] = []
    column = row = 0
    top = bottom = 0.0
    for family in listed:
        if row and row + len(family.lines) > per_column:
            column, row, top = column + 1, 0, 0.0
        for uid, above, level in family.lines:
            rows.append((uid, above, column, top, level))
            width, height = sizes[uid]
            bottom = max(bottom, top + height)
            widest[column, level] = max(widest.get((column, level), -math.inf), width)
            edges.append((top, height))
            top += height + gap
            row += 1
    used_columns = column + 1
    lowest: list[tuple[float, float]] = []
    for top, height in sorted(edges, reverse=True):
        if not lowest or height > lowest[-1][1]:
            lowest.append((top, height))
    return _Stack(
        rows,
        column_width,
        used_columns * column_width + (used_columns - 1) * gap,
        bottom,
        tuple((column, level, box_width) for (column, level), box_width in widest.items()),
        tuple(lowest),
    )


# The Buchheim-Jünger-Leipert walks. Both are written without recursion so that a deep tree (a
# chain of a thousand units) does not hit Python's recursion limit.


def _first_walk(tree: _Tree, h_gap: float, subtree_gap: float) -> None:
    prelim, mod, first, count = tree.prelim, tree.mod, tree.first, tree.count
    widths, parents = tree.widths, tree.parents
    for node in reversed(range(len(tree.ids))):  # children before parents
        if not count[node]:
            continue
        start = first[node]
        end = start + count[node]
        default_ancestor = start
        for child in range(start + 1, end):
            # prelim is a subtree's own midpoint (0 for a leaf); place the child after its left
            # sibling and remember the offset for its subtree in mod.
            previous = child - 1
            gap = h_gap if parents[previous] == parents[child] else subtree_gap
            placed = prelim[previous] + ((widths[previous] + widths[child]) / 2 + gap)
            if count[child]:
                mod[child] = placed - prelim[child]
            prelim[child] = placed
            default_ancestor = _apportion(tree, child, default_ancestor, h_gap, subtree_gap)
        _execute_shifts(tree, start, end)
        prelim[node] = (prelim[start] + prelim[end - 1]) / 2


def _apportion(
    tree: _Tree, node: int, default_ancestor: int, h_gap: float, subtree_gap: float
) -> int:
    """Push ``node``'s subtree right of its left siblings' subtrees, level by level along the
    contours (the threads skip from a contour's end to the next deeper level)."""
    prelim, mod, first, count = tree.prelim, tree.mod, tree.first, tree.count
    widths, parents, thread, ancestor = tree.widths, tree.parents, tree.thread, tree.ancestor
    parent = parents[node]
    inner_right = outer_right = node
    inner_left = node - 1  # the left sibling
    outer_left = first[parent]
    s_inner_right = s_outer_right = mod[node]
    s_inner_left = mod[inner_left]
    s_outer_left = mod[outer_left]
    # The next node down the right contour of the left subtree, and the left contour of the right.
    next_inner_left = (
        first[inner_left] + count[inner_left] - 1 if count[inner_left] else thread[inner_left]
    )
    next_inner_right = first[inner_right] if count[inner_right] else thread[inner_right]
    while next_inner_left >= 0 and next_inner_right >= 0:
        inner_left = next_inner_left
        inner_right = next_inner_right
        outer_left = first[outer_left] if count[outer_left] else thread[outer_left]
        outer_right = (
            first[outer_right] + count[outer_right] - 1
            if count[outer_right]
            else thread[outer_right]
        )
        ancestor[outer_right] = node
        gap = h_gap if parents[inner_left] == parents[inner_right] else subtree_gap
        shift = (
            (prelim[inner_left] + s_inner_left)
            - (prelim[inner_right] + s_inner_right)
            + ((widths[inner_left] + widths[inner_right]) / 2 + gap)
        )
        if shift > 0:
            left = ancestor[inner_left]
            _move_subtree(tree, left if parents[left] == parent else default_ancestor, node, shift)
            s_inner_right += shift
            s_outer_right += shift
        s_inner_left += mod[inner_left]
        s_inner_right += mod[inner_right]
        s_outer_left += mod[outer_left]
        s_outer_right += mod[outer_right]
        next_inner_left = (
            first[inner_left] + count[inner_left] - 1 if count[inner_left] else thread[inner_left]
        )
        next_inner_right = first[inner_right] if count[inner_right] else thread[inner_right]
    if next_inner_left >= 0 and not count[outer_right] and thread[outer_right] < 0:
        thread[outer_right] = next_inner_left
        mod[outer_right] += s_inner_left - s_outer_right
    if next_inner_right >= 0 and not count[outer_left] and thread[outer_left] < 0:
        thread[outer_left] = next_inner_right
        mod[outer_left] += s_inner_right - s_outer_left
        default_ancestor = node
    return default_ancestor


def _move_subtree(tree: _Tree, left: int, right: int, shift: float) -> None:
    subtrees = tree.index[right] - tree.index[left]
    tree.change[right] -= shift / subtrees
    tree.shift[right] += shift
    tree.change[left] += shift / subtrees
    tree.prelim[right] += shift
    tree.mod[right] += shift


def _execute_shifts(tree: _Tree, start: int, end: int) -> None:
    """Spread the shifts of a node's children (``start`` to ``end``) over the ones between."""
    prelim, mod, shifts, changes = tree.prelim, tree.mod, tree.shift, tree.change
    shift = change = 0.0
    for child in reversed(range(start, end)):
        prelim[child] += shift
        mod[child] += shift
        change += changes[child]
        shift += shifts[child] + change


def _second_walk(tree: _Tree) -> None:
    prelim, mod, first, count, xs = tree.prelim, tree.mod, tree.first, tree.count, tree.x
    pending = [(0, -prelim[0])]
    while pending:
        node, offset = pending.pop()
        xs[node] = prelim[node] + offset
        below = offset + mod[node]
        pending.extend((child, below) for child in range(first[node], first[node] + count[node]))


def overlapping_pairs(boxes: Iterable[Box], margin: float = 0.0) -> list[tuple[str, str]]:
    """Every pair of boxes that come closer than ``margin``, found with a sweep over x.

    >>> overlapping_pairs([Box("a", 0, 0, 10, 10), Box("b", 5, 5, 10, 10), Box("c", 30, 0, 5, 5)])
    [('a', 'b')]
    """
    ordered = sorted(boxes, key=lambda box: box.x)
    found: list[tuple[str, str]] = []
    active: list[Box] = []
    for box in ordered:
        active = [other for other in active if other.right + margin > box.x]
        found.extend((other.id, box.id) for other in active if other.overlaps(box, margin))
        active.append(box)
    return found


#: The most characters of a name a picture shows; a longer one is cut, ending in an ellipsis.
LABEL_LIMIT = 80


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` as a picture's label: whole if short, else cut to ``limit`` characters.

    A name of a megabyte would otherwise be measured, wrapped and drawn in full (a minute and
    an 81 MB SVG); the data keeps the whole name.

    >>> short_label("Cloud Intelligence Group")
    'Cloud Intelligence Group'
    >>> short_label("x" * 100, limit=10)
    'xxxxxxxxx…'

    A control character or a bidirectional override, which validation refuses but a unit built
    without it may hold, is drawn as U+FFFD: an SVG could not hold it, and a reader should see
    that something is there.

    >>> short_label("Tmall\x07 Group")
    'Tmall\ufffd Group'
    """
    text = UNSAFE_IN_TEXT.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
