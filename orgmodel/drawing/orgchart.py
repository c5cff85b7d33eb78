"""Org charts: one snapshot as a tree of boxes, and two snapshots with what changed between them.

The positions come from :func:`orgmodel.layout.tree_layout`; this module measures the labels,
picks colours and line styles, and draws. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgmodel.drawing._legend import (
    Handle,
    draw_legend,
    line_handle,
    marker_handle,
    no_handle,
    patch_handle,
)
from orgmodel.drawing._style import (
    EVENT_STYLE,
    INK,
    QUIET,
    TextMeasure,
    _label_class,
    kind_colours,
    label_text,
    lighten,
    text_families,
    wrap_to_width,
)
from orgmodel.drawing._words import kind_word, word
from orgmodel.layout import Connector, TreeLayout, short_label, tree_layout
from orgmodel.model import Source, Unit
from orgmodel.snapshot import Snapshot

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.text import Text

__all__ = ["Chart", "Steps", "draw_change_chart", "draw_change_steps", "draw_org_chart"]

KindsArg = Mapping[str, Any] | Sequence[str] | None

#: Label font size, in points, at full scale.
FONT_SIZE = 9.0
#: Space between a label and its box's edge, in points.
PAD_X, PAD_Y = 6.0, 4.5
#: Room kept at the right of a box for a status or change marker.
MARKER_ROOM = 13.0
#: Names longer than this many characters are wrapped onto more lines.
WRAP = 22
#: A family with this many leaves stacks them: a row of them would make the chart wide.
STACK_LEAVES = 3
#: What separates two citations in a footnote (a line breaks only there).
CITATION_GAP = "   "
#: Margin around the whole picture, in points.
MARGIN = 22.0
#: The largest figure side, in inches; a bigger chart is drawn smaller.
MAX_INCHES = 250.0


@dataclass(frozen=True, slots=True)
class BoxStyle:
    """How one box is drawn."""

    face: Any
    linestyle: str = "-"
    linewidth: float = 0.9
    hatch: str | None = None
    text_colour: str = INK
    marker: str | None = None
    marker_filled: bool = True
    marker_colour: str = INK
    edge: str = "#333333"


@dataclass
class Chart:
    """What a chart function drew: the figure and axes, and the artists by role.

    ``boxes`` and ``labels`` are keyed by unit id; ``layout`` holds the positions (in points, y
    downwards) they were drawn from; ``dates`` are the snapshot dates actually used.
    """

    figure: Figure
    ax: Axes
    layout: TreeLayout
    boxes: dict[str, Patch] = field(default_factory=dict)
    labels: dict[str, Text] = field(default_factory=dict)
    markers: list[Artist] = field(default_factory=list)
    connectors: list[Artist] = field(default_factory=list)
    heading: list[Text] = field(default_factory=list)
    legend: Artist | None = None
    footnote: Text | None = None
    dates: tuple[dt.date, ...] = ()
    scale: float = 1.0
    own_figure: bool = True
    """Whether the figure was made (and sized) for this chart, rather than given as ``ax``."""
    folded: dict[str, int] = field(default_factory=dict)
    """For each unit drawn whose sub-units are folded away, how many units it hides."""
    citations: str = ""
    """The sources line; in axes given by the caller it is not drawn (put it in a caption)."""

    @property
    def artists(self) -> list[Artist]:
        """Every artist drawn, in drawing order."""
        drawn: list[Artist] = [*self.connectors, *self.boxes.values(), *self.markers]
        drawn += [*self.labels.values(), *self.heading]
        drawn += [a for a in (self.legend, self.footnote) if a is not None]
        return drawn


# How each status is drawn: a line style for the standing.
STATUS_STYLE: Mapping[str, dict[str, Any]] = {
    "active": {},
    "standalone": {"linestyle": "--"},
    "listed": {"linewidth": 2.6},
    "affiliate": {"linestyle": ":", "linewidth": 1.2, "hatch": "////"},
}
# How each plan is drawn: a marker for what has been announced and not yet done.
PLAN_STYLE: Mapping[str, dict[str, Any]] = {
    "ipo_planned": {"marker": "^"},
    "ipo_paused": {"marker": "^", "marker_filled": False},
    "ipo_cancelled": {"marker": "x"},
    "spin_off_planned": {"marker": "v"},
    "spin_off_paused": {"marker": "v", "marker_filled": False},
    "spin_off_cancelled": {"marker": "x"},
    "sale_agreed": {"marker": "d"},
    "sale_cancelled": {"marker": "x"},
}
#: The order of the standings and plans in a legend (their words are in ``_words``).
STATUS_LEGEND: tuple[str, ...] = (*STATUS_STYLE, *PLAN_STYLE)


def draw_org_chart(
    snapshot: Snapshot,
    *,
    ax: Axes | None = None,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    kinds: KindsArg = None,
    sources: Mapping[str, Source] | None = None,
    heading: str | None = None,
    title: str | None = None,
    width: float | None = None,
    leaders: bool = False,
    citations: bool = True,
) -> Chart:
    """Draw ``snapshot`` as an org chart.

    Each unit is a box sized to its name, coloured by its kind; the border shows its standing:
    solid in line, dashed for a stand-alone company, thick when listed, dotted and hatched for
    an affiliate outside the group, with a marker for a planned, paused or cancelled IPO or an
    agreed sale. Siblings are ordered by kind (the order of ``kinds``), then by name. Large
    families of leaves are stacked in columns below their parent, each box hanging from a
    spine; the units that head parts of the organisation (in a family of several kinds, those
    of its first kind) and units with sub-units stay in the tree (a tree too wide for its
    aspect lists small families, indented, in its stacks). A unit whose deeper levels are
    folded away says how many units it hides. A unit the sources do not confirm is marked
    ``(?)``; a placement they do not confirm has a dotted link. The heading gives the
    snapshot's title and date; a footnote cites the sources of the units drawn.

    Parameters
    ----------
    snapshot : Snapshot
        The structure to draw.
    ax : matplotlib Axes, optional
        Draw into these axes: the tree is scaled to their box, below its legend, with the title
        above them; if its labels would be smaller than 6 pt, the deepest levels are folded
        (unless ``depth`` is given). By default a new figure is made, sized so that text is
        drawn at 9 pt however large the tree.
    root : str, optional
        Draw only the part below this unit (default: the whole tree).
    depth : int, optional
        Draw only this many levels below ``root`` (0: the root alone).
    lang : {"en", "zh"}
        ``zh`` draws every word of the picture in Chinese, and labels units with their Chinese
        names where known (the English name otherwise), in the first CJK font matplotlib finds:
        Noto Sans CJK (Debian ``fonts-noto-cjk``), Source Han Sans, WenQuanYi Zen Hei, Droid
        Sans Fallback, AR PL. With none installed it warns and draws in English.
    kinds : mapping or sequence of kind names, optional
        The order of kinds for colours and legend, e.g. ``History.kinds``; keeps colours the same
        across charts of one history.
    sources : mapping, optional
        The bibliography, e.g. ``History.sources``: the footnote then gives each cited key's
        publisher and date.
    heading : str, optional
        A first heading line, e.g. the history's title.
    title : str, optional
        The title, instead of the snapshot's.
    width : float, optional
        The width of a new figure, in inches; everything in it is scaled to fit.
    leaders : bool
        Name each unit's leaders (up to two) in its box, with their roles.
    citations : bool
        Whether the footnote lists the sources (numbered, with publisher and date).

    Returns
    -------
    Chart
        The figure, axes and artists drawn.

    Examples
    --------
    >>> import datetime as dt
    >>> from orgmodel.model import Unit
    >>> s = Snapshot(dt.date(2024, 1, 1), [Unit(id="g", name="Group", kind="holding"),
    ...                                    Unit(id="a", name="Apps", kind="unit", parent="g")])
    >>> chart = draw_org_chart(s)
    >>> sorted(chart.boxes), [t.get_text() for t in chart.heading]
    (['a', 'g'], ['Organisation', 'Snapshot of 2024-01-01; 2 units'])
    """
    top = root or snapshot.root
    if top not in snapshot.units:
        from orgmodel.finding import unknown_unit

        raise unknown_unit(snapshot, top)
    below = _select(snapshot.children, top, None)
    families, chinese = text_families(lang, (snapshot.units[uid].name for uid in below))
    words_lang = "zh" if chinese else "en"
    chosen = _OrgChoice(
        snapshot, top, root is not None, kinds, sources, words_lang, chinese, leaders, citations
    )
    texts = [heading] if heading else []
    if ax is not None and depth is None:
        depth, chosen = _readable_depth(ax, chosen, families, texts, title)
    tree, words, folded = chosen.view(depth, texts, title)
    return _draw_tree(
        tree,
        words,
        ax=ax,
        families=families,
        dates=(snapshot.date,),
        width=width,
        folded=folded,
    )


@dataclass(frozen=True, slots=True)
class _OrgChoice:
    """What an org chart is asked to draw; :meth:`view` makes the tree and words to a depth."""

    snapshot: Snapshot
    top: str
    partial: bool
    kinds: KindsArg
    sources: Mapping[str, Source] | None
    lang: str
    chinese: bool
    leaders: bool = False
    citations: bool = True
    listed: bool = False
    """Whether any family may be listed in a stack (for axes too small for a tree)."""

    def view(
        self, depth: int | None, heading: Sequence[str], title: str | None
    ) -> tuple[_TreeView, _Words, dict[str, int]]:
        snapshot, lang = self.snapshot, self.lang
        ordered = _sibling_order(snapshot, self.kinds)
        units = _select(ordered, self.top, depth)
        drawn = set(units)  # the layout asks for children many times: look them up in a set
        hidden = _hidden_counts(ordered, units, drawn)
        colours = kind_colours(self.kinds, (snapshot.units[uid].kind for uid in units))
        records = [snapshot.units[uid] for uid in units]
        labels = {unit.id: _org_label(unit, self, hidden.get(unit.id)) for unit in records}
        styles = {unit.id: _unit_style(unit, colours) for unit in records}
        dotted = frozenset(unit.id for unit in records if _placement_unconfirmed(unit))

        def children(uid: str) -> Sequence[str]:
            return [kid for kid in ordered(uid) if kid in drawn]

        keep_out = set() if self.listed else _heads(snapshot, self.top, ordered, self.kinds)
        keep_out |= set() if self.listed else set(hidden)
        legend = _kind_legend(colours, [unit.kind for unit in records], lang)
        shown: set[str] = {unit.status for unit in records}
        shown |= {unit.plan for unit in records if unit.plan is not None}
        legend += _status_legend(shown, lang)
        legend += _confidence_legend(records, dotted, lang)
        lines = [*heading, *self._heading(title, len(units), bool(hidden))]
        cited = _cited(snapshot.sources, records) if self.citations else []
        words = _Words(lines, legend, _footnote(cited, self.sources, lang))
        tree = _TreeView(
            self.top, children, labels, styles, dotted, frozenset(keep_out), self.listed
        )
        return tree, words, hidden

    def _heading(self, title: str | None, shown: int, folded: bool) -> list[str]:
        snapshot, lang = self.snapshot, self.lang
        total = len(_select(snapshot.children, self.top, None))
        count = word("units" if total != 1 else "unit", lang, count=total)
        if folded:
            count = word("units_shown", lang, shown=shown, total=total)
        subtitle = word("snapshot_of", lang, date=snapshot.date.isoformat())
        if self.partial:
            name = _name(snapshot.units[self.top], self.chinese).replace("\n", " ")
            subtitle += word("separator", lang) + word("below", lang, unit=name)
        return [
            short_label(title or snapshot.title or word("organisation", lang), 160),
            subtitle + word("separator", lang) + count,
        ]


def _sibling_order(snapshot: Snapshot, kinds: KindsArg) -> Callable[[str], Sequence[str]]:
    """Each unit's children ordered by kind (in the order of ``kinds``, then as they come),
    then by English name, so that a family reads the same in every language."""
    rank = {kind: index for index, kind in enumerate(kinds or ())}
    found: dict[str, list[str]] = {}

    def ordered(uid: str) -> Sequence[str]:
        if uid not in found:
            kids = snapshot.children(uid)
            for kid in kids:
                rank.setdefault(snapshot.units[kid].kind, len(rank))
            found[uid] = sorted(
                kids,
                key=lambda kid: (
                    rank[snapshot.units[kid].kind],
                    snapshot.units[kid].name.casefold(),
                    kid,
                ),
            )
        return found[uid]

    return ordered


def _heads(
    snapshot: Snapshot, top: str, children: Callable[[str], Sequence[str]], kinds: KindsArg
) -> set[str]:
    """The units a stack must not take among the parts the chart's top is divided into: if
    they are of several kinds, those of the first kind (the business groups among a group's
    companies and functions), which a reader must see as heads."""
    rank = {kind: index for index, kind in enumerate(kinds or ())}
    kids = children(top)
    present = {snapshot.units[kid].kind for kid in kids}
    if len(present) < 2:
        return set()
    first = min(present, key=lambda kind: (rank.get(kind, len(rank)), kind))
    return {kid for kid in kids if snapshot.units[kid].kind == first}


def _org_label(unit: Unit, choice: _OrgChoice, hidden: int | None) -> str:
    """A unit's name (with ``(?)`` when the sources do not confirm it), its leaders if asked
    for, and how many units it hides if its sub-units are folded."""
    lines = [_name(unit, choice.chinese)]
    if unit.confidence == "unconfirmed":
        lines[-1] += " (?)"
    if choice.leaders:
        for leader in unit.leaders[:2]:
            name = leader.name_zh if choice.chinese and leader.name_zh else leader.name
            lines.append(word("leader", choice.lang, role=leader.role, name=name))
    if hidden is not None:
        lines.append(word("hidden_below", choice.lang, count=hidden))
    return "\n".join(lines)


def _placement_unconfirmed(unit: Unit) -> bool:
    return unit.parent is not None and unit.field_confidence.get("parent") == "unconfirmed"


def _confidence_legend(
    units: Sequence[Unit], dotted: frozenset[str], lang: str
) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    if any(unit.confidence == "unconfirmed" for unit in units):
        entries.append((word("unconfirmed_unit", lang), ("blank", {})))
    if dotted:
        entries.append((word("unconfirmed_place", lang), ("line", {"linestyle": (0, (1, 1.6))})))
    return entries


def _hidden_counts(
    children: Callable[[str], Sequence[str]], units: Sequence[str], drawn: set[str]
) -> dict[str, int]:
    """For each unit drawn whose children are not, how many units lie below it."""
    hidden: dict[str, int] = {}
    for uid in units:
        kids = children(uid)
        if kids and not any(kid in drawn for kid in kids):
            hidden[uid] = len(_select(children, uid, None)) - 1
    return hidden


def _readable_depth(
    ax: Axes,
    chosen: _OrgChoice,
    families: list[str] | None,
    heading: Sequence[str],
    title: str | None,
) -> tuple[int | None, _OrgChoice]:
    """The most levels that fit into ``ax`` with labels of at least :data:`MIN_AXES_FONT`, and
    the choice to draw them with: if even one level does not fit as a tree, the one that lists
    families in stacks, indented under a spine, heads and folded units too."""
    deepest = _depth_below(chosen.snapshot.children, chosen.top)
    _place_axes(ax)
    for choice in (chosen, dataclasses.replace(chosen, listed=True)):
        for depth in range(deepest, 0, -1):
            tree, words, _ = choice.view(depth, heading, title)
            measure = _measure_for(families, words)
            _, fit = _axes_layout(ax, tree, words, measure)
            if fit.scale * FONT_SIZE >= MIN_AXES_FONT:
                return (None if depth == deepest else depth), choice
    return (1 if deepest else None), dataclasses.replace(chosen, listed=True)


def _depth_below(children: Callable[[str], Sequence[str]], top: str) -> int:
    deepest = 0
    pending = [(top, 0)]
    while pending:
        uid, level = pending.pop()
        deepest = max(deepest, level)
        pending.extend((kid, level + 1) for kid in children(uid))
    return deepest


#: Kept for the timeline, which marks events with the same styles (its words are
#: ``word(kind)``, made when first asked for).
CHANGE_STYLE: Mapping[str, tuple[str, str]] = EVENT_STYLE

#: How each mark of a change chart is drawn: the event kind whose colour and marker it takes,
#: and whether its marker is hollow (the sources of a split or merger) or filled (its results).
MARK_STYLE: Mapping[str, tuple[str, bool]] = {
    "added": ("added", True),
    "removed": ("removed", True),
    "renamed": ("renamed", True),
    "moved": ("moved", True),
    "split_source": ("split", False),
    "split_result": ("split", True),
    "merged_source": ("merged", False),
    "merged_result": ("merged", True),
    "spun_off": ("spun_off", True),
    "returned": ("returned", True),
    "status_changed": ("status_changed", True),
    "plan_changed": ("plan_changed", True),
    "kind_changed": ("kind_changed", True),
    "leader_changed": ("leader_changed", True),
}


def draw_change_chart(
    a: Snapshot,
    b: Snapshot,
    diff: Any,
    *,
    ax: Axes | None = None,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    sources: Mapping[str, Source] | None = None,
    heading: str | None = None,
    title: str | None = None,
    width: float | None = None,
    citations: bool = True,
    changed_only: bool = False,
) -> Chart:
    """Draw what changed from snapshot ``a`` to snapshot ``b``.

    The boxes are those of :func:`orgmodel.changeview.change_view`: ``b``'s tree with the units
    removed since ``a`` put back at their old place. Each box is marked by what happened to it,
    with a fill colour *and* a marker (hollow for the sources of a split or merger, filled for
    its results; removed units also get a dashed, faded box), and says it in words: a renamed
    unit gives its old name, a unit that moved its old parent, a merger's sources what they
    merged into. No line is drawn across the chart. The legend counts the boxes drawn.

    Parameters
    ----------
    a, b : Snapshot
        The earlier and the later structure.
    diff : Diff or sequence of events
        ``orgmodel.diff(a, b)``, or its ``.events``.
    ax, root, depth, lang, sources, heading, title, width, citations
        As for :func:`draw_org_chart`; ``root`` and ``depth`` apply to the combined tree.
    changed_only : bool
        Draw only the changed units and the units above them; the others are counted in their
        parent's box (``+12 unchanged``).
    """
    parts = _change_parts(
        a, b, diff, root, depth, lang, sources, heading, title, citations, changed_only
    )
    return _draw_tree(
        parts.tree,
        parts.words,
        ax=ax,
        families=parts.families,
        dates=(a.date, b.date),
        width=width,
        folded=parts.folded,
    )


@dataclass(frozen=True, slots=True)
class _ChangeParts:
    """What a change chart draws, ready to lay out: the tree and its words, the font families
    of its labels, and how many unchanged or deeper units each box stands for."""

    tree: _TreeView
    words: _Words
    families: list[str] | None
    folded: dict[str, int]


def _change_parts(
    a: Snapshot,
    b: Snapshot,
    diff: Any,
    root: str | None,
    depth: int | None,
    lang: str,
    sources: Mapping[str, Source] | None,
    heading: str | None,
    title: str | None,
    citations: bool,
    changed_only: bool,
) -> _ChangeParts:
    """The boxes of :func:`orgmodel.changeview.change_view` as a tree to draw, with their
    labels and styles, the heading, the legend counting the boxes, and the footnote."""
    from orgmodel.changeview import change_view

    families, chinese = text_families(
        lang, (unit.name for s in (a, b) for unit in s.units.values())
    )
    words_lang = "zh" if chinese else "en"
    events = list(getattr(diff, "events", diff))
    view = change_view(a, b, events).part(root, depth, changed_only=changed_only)
    names = _ChangeNames(a, b, chinese, words_lang)
    labels = {
        uid: names.label(box, view.hidden.get(uid), changed_only) for uid, box in view.boxes.items()
    }
    styles = {uid: _change_style(box) for uid, box in view.boxes.items()}
    lines = [
        *([heading] if heading else []),
        title or word("changes_from", words_lang, a=a.date.isoformat(), b=b.date.isoformat()),
        short_label(
            f"{a.title or a.date.isoformat()}  \u2192  {b.title or b.date.isoformat()}", 160
        ),
    ]
    keys = [k for e in events if e.kind != "updated" for k in e.sources] if citations else []
    words = _Words(
        lines,
        _change_legend(view, words_lang),
        _footnote(list(dict.fromkeys(keys)), sources, words_lang),
    )
    tree = _TreeView(view.top, _children_of(view.boxes), labels, styles)
    return _ChangeParts(tree, words, families, dict(view.hidden))


@dataclass
class Steps:
    """What :func:`draw_change_steps` drew: the figure and the change chart of each step."""

    figure: Figure
    charts: list[Chart]
    dates: tuple[dt.date, ...]


#: A row of step panels is filled up to this width, in points (two panels of a page's width),
#: or to the width of the widest panel if that is more; then the next panel starts a row.
STEP_ROW_WIDTH = 1150.0
#: Space between step panels, in points.
STEP_GAP = 24.0


def draw_change_steps(
    snapshots: Sequence[Snapshot],
    diffs: Sequence[Any],
    *,
    lang: str = "en",
    title: str | None = None,
    width: float | None = None,
) -> Steps:
    """Draw each step between consecutive ``snapshots`` as a small change chart, so that a
    round trip a net diff hides (a unit that leaves and comes back) can be seen.

    ``diffs[i]`` is the diff (or events) from ``snapshots[i]`` to ``snapshots[i + 1]``, e.g.
    ``history.diff(...)``. Each panel draws only the units that changed and the units above
    them, with the others counted in their parent's box. A panel is as large as its chart
    needs for its labels to be as large as an org chart's, and the panels follow each other
    in rows, in the order of the steps; ``width`` is the figure's, in inches (everything is
    scaled to it).
    """
    import matplotlib.pyplot as plt

    count = len(diffs)
    if count < 1 or len(snapshots) != count + 1:
        raise ValueError("draw_change_steps needs n + 1 snapshots and the n diffs between them")
    words_lang = "zh" if lang == "zh" else "en"
    panels = [_step_panel(snapshots, diffs, index, lang) for index in range(count)]
    first, last = snapshots[0].date.isoformat(), snapshots[-1].date.isoformat()
    heading = title or word("changes_from", words_lang, a=first, b=last)
    grid = _step_grid([panel.size for panel in panels])
    scale = 1.0 if width is None else width * 72 / grid.width
    figure = plt.figure(figsize=(grid.width * scale / 72, grid.height * scale / 72))
    charts = []
    for panel, (x, y, box_width, box_height) in zip(panels, grid.boxes, strict=True):
        place = (x, grid.height - y - box_height, box_width, box_height)
        ax = figure.add_axes(_fractions(place, grid.width, grid.height))
        parts = panel.parts
        charts.append(
            _draw_tree(
                parts.tree,
                parts.words,
                ax=ax,
                families=parts.families,
                dates=panel.dates,
                folded=parts.folded,
            )
        )
    families, _ = text_families(words_lang, [heading])
    figure.text(
        MARGIN / grid.width,
        1 - MARGIN / grid.height,
        heading,
        ha="left",
        va="top",
        fontproperties=TextMeasure(families).font(TITLE_SIZE * scale, "bold"),
        color=INK,
        parse_math=False,
    )
    return Steps(figure, charts, tuple(s.date for s in snapshots))


@dataclass(frozen=True, slots=True)
class _StepPanel:
    """One step's change chart to draw, and the size of its axes in points at full scale."""

    parts: _ChangeParts
    dates: tuple[dt.date, dt.date]
    size: tuple[float, float]


def _step_panel(
    snapshots: Sequence[Snapshot], diffs: Sequence[Any], index: int, lang: str
) -> _StepPanel:
    """The chart of step ``index`` and the axes it needs: its tree at full scale below its
    legend, as :func:`_fit_axes` places them, at least as wide as its title."""
    a, b = snapshots[index], snapshots[index + 1]
    step = word(
        "step_of", "zh" if lang == "zh" else "en", index=index + 1, count=len(diffs),
        a=a.date.isoformat(), b=b.date.isoformat(),
    )  # fmt: skip
    parts = _change_parts(a, b, diffs[index], None, None, lang, None, None, step, True, True)
    words = dataclasses.replace(parts.words, title_size=SUB_SIZE, legend_size=LEGEND_SIZE)
    parts = dataclasses.replace(parts, words=words)
    measure = _measure_for(parts.families, words)
    layout = _lay_out(parts.tree, measure)
    titles = [measure.width(line, SUB_SIZE) * 1.05 for line in words.heading[-2:]]
    width = max(layout.width + 16.0, *titles) + 2.0  # a little to spare for rounding
    _, rows = _legend_shape(words.legend, width, measure, LEGEND_SIZE)
    band = rows * LEGEND_SIZE * 1.75 + 6 if words.legend else 0.0
    return _StepPanel(parts, (a.date, b.date), (width, layout.height + 20.0 + band + 2.0))


@dataclass(frozen=True, slots=True)
class _StepGrid:
    """Where the step panels go: the figure's size and each panel's axes (left, top, width,
    height), in points from the figure's top left corner."""

    width: float
    height: float
    boxes: list[tuple[float, float, float, float]]


def _step_grid(sizes: Sequence[tuple[float, float]]) -> _StepGrid:
    """Panels of ``sizes`` in reading order, in rows no wider than :data:`STEP_ROW_WIDTH` (or
    the widest panel), each row as high as its highest panel, below the figure's heading."""
    limit = max(STEP_ROW_WIDTH, *(width for width, _ in sizes))
    rows: list[list[tuple[float, float]]] = [[]]
    for size in sizes:
        used = sum(width for width, _ in rows[-1]) + STEP_GAP * len(rows[-1])
        if rows[-1] and used + size[0] > limit:
            rows.append([])
        rows[-1].append(size)
    boxes = []
    top = MARGIN + TITLE_SIZE * 1.5 + 6
    for row in rows:
        left = MARGIN
        for width, height in row:
            boxes.append((left, top + STEP_TITLE, width, height))
            left += width + STEP_GAP
        top += STEP_TITLE + max(height for _, height in row) + STEP_GAP
    widest = max(sum(width for width, _ in row) + STEP_GAP * (len(row) - 1) for row in rows)
    return _StepGrid(widest + 2 * MARGIN, top - STEP_GAP + MARGIN, boxes)


def _fractions(
    box: tuple[float, float, float, float], width: float, height: float
) -> tuple[float, float, float, float]:
    """``box`` (left, bottom, width, height in points) as fractions of a figure's size."""
    return (box[0] / width, box[1] / height, box[2] / width, box[3] / height)


def _children_of(boxes: Mapping[str, Any]) -> Callable[[str], Sequence[str]]:
    kids: dict[str, list[str]] = {}
    for uid, box in boxes.items():
        if box.parent is not None and box.parent in boxes:
            kids.setdefault(box.parent, []).append(uid)

    def children(uid: str) -> Sequence[str]:
        return kids.get(uid, ())

    return children


@dataclass(frozen=True, slots=True)
class _ChangeNames:
    """How a change chart names units: from the later snapshot, else the earlier."""

    a: Snapshot
    b: Snapshot
    chinese: bool
    lang: str

    def name(self, uid: str) -> str:
        unit = self.b.units.get(uid) or self.a.units[uid]
        return _name(unit, self.chinese).replace("\n", " ")

    def names(self, uids: Sequence[str]) -> str:
        if len(uids) > 2:
            return word("n_units", self.lang, count=len(uids))
        return ", ".join(self.name(uid) for uid in uids)

    def label(self, box: Any, hidden: int | None, changed_only: bool) -> str:
        unit = self.b.units.get(box.unit) or self.a.units[box.unit]
        notes = []
        if box.old_name is not None and self.a.units.get(box.unit) is not None:
            old = _name(self.a.units[box.unit], self.chinese).replace("\n", " ")
            notes.append("(" + word("was", self.lang, name=old) + ")")
        if box.old_parent is not None:
            notes.append(word("from_parent", self.lang, name=self.name(box.old_parent)))
        partners = {
            "split_source": ("split_into", "names"),
            "split_result": ("split_from", "name"),
            "merged_source": ("merged_into", "name"),
            "merged_result": ("merged_from", "names"),
        }.get(box.change)
        if partners is not None and box.partners:
            key, field_name = partners
            notes.append(word(key, self.lang, **{field_name: self.names(box.partners)}))
        if hidden:
            key = "unchanged_below" if changed_only else "hidden_below"
            notes.append(word(key, self.lang, count=hidden))
        wrapped = [
            line for note in notes for line in textwrap.wrap(note, WRAP + 4, break_on_hyphens=False)
        ]
        return "\n".join([_name(unit, self.chinese), *wrapped])


def _change_style(box: Any) -> BoxStyle:
    if box.change == "unchanged":
        return BoxStyle(face="#f4f4f4", text_colour="#444444", edge="#999999")
    kind, filled = MARK_STYLE[box.change]
    colour, marker = EVENT_STYLE[kind]
    if box.side == "before":
        gone = EVENT_STYLE["removed"][0]
        return BoxStyle(
            face=lighten(gone, 0.8),
            linestyle="--",
            text_colour="#7a1f1a",
            marker=marker,
            marker_filled=filled,
            marker_colour=colour,
            edge=gone,
        )
    return BoxStyle(
        face=lighten(colour, 0.72),
        linewidth=1.3,
        marker=marker,
        marker_filled=filled,
        marker_colour=colour,
        edge=colour,
    )


def _select(children: Callable[[str], Sequence[str]], top: str, depth: int | None) -> list[str]:
    """The ids below and including ``top``, depth first, down to ``depth`` levels."""
    chosen: list[str] = []
    pending = [(top, 0)]
    while pending:
        uid, level = pending.pop()
        chosen.append(uid)
        if depth is None or level < depth:
            pending.extend((kid, level + 1) for kid in reversed(children(uid)))
    return chosen


def _name(unit: Unit, chinese: bool) -> str:
    name = short_label(unit.name_zh if chinese and unit.name_zh else unit.name)
    if len(name) <= WRAP or (chinese and unit.name_zh):
        return name if len(name) <= 14 or not (chinese and unit.name_zh) else _wrap_cjk(name)
    return "\n".join(textwrap.wrap(name, WRAP, break_on_hyphens=False))


def _wrap_cjk(name: str) -> str:
    half = (len(name) + 1) // 2
    return name[:half] + "\n" + name[half:]


def _unit_style(unit: Unit, colours: Mapping[str, str]) -> BoxStyle:
    options = {**STATUS_STYLE[unit.status], **PLAN_STYLE.get(unit.plan or "", {})}
    face = lighten(colours[unit.kind], 0.62)
    text = INK
    if unit.status == "affiliate":
        face = lighten(colours[unit.kind], 0.85)
        text = "#555555"
    return BoxStyle(face=face, text_colour=text, **options)


def _cited(first: Iterable[str], units: Iterable[Unit]) -> list[str]:
    keys = dict.fromkeys(first)
    for unit in units:
        keys.update(dict.fromkeys(unit.sources))
    return list(keys)


def _footnote(keys: Sequence[str], sources: Mapping[str, Source] | None, lang: str) -> str:
    """The sources cited, numbered, each as its publisher and date (its key when the
    bibliography does not have it); one publisher's sources of one date are listed once."""
    if not keys:
        return ""
    cited: dict[str, None] = {}
    for key in keys:
        source = (sources or {}).get(key)
        cited[f"{source.publisher}, {source.date}" if source else key] = None
    numbered = [f"[{index}] {text}" for index, text in enumerate(cited, 1)]
    return f"{word('sources', lang)}: " + CITATION_GAP.join(numbered)


def _kind_legend(
    colours: Mapping[str, str], present: Iterable[str], lang: str = "en"
) -> list[tuple[str, Any]]:
    shown = set(present)
    return [
        (kind_word(kind, lang), ("patch", {"facecolor": lighten(colour, 0.62)}))
        for kind, colour in colours.items()
        if kind in shown
    ]


def _status_legend(statuses: set[str], lang: str = "en") -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for status in STATUS_LEGEND:
        if status not in statuses or (status == "active" and statuses == {"active"}):
            continue
        if status in STATUS_STYLE:
            style = STATUS_STYLE[status]
            patch = {
                "facecolor": "white",
                "linestyle": style.get("linestyle", "-"),
                "linewidth": style.get("linewidth", 0.9),
                "hatch": style.get("hatch"),
            }
            entries.append((word(status, lang), ("patch", patch)))
        else:
            entries.append((word(status, lang), ("marker", PLAN_STYLE[status])))
    return entries


def _change_legend(view: Any, lang: str = "en") -> list[tuple[str, Any]]:
    """One entry per mark drawn, with the number of boxes that carry it."""
    entries: list[tuple[str, Any]] = []
    for change, count in view.counts().items():
        label = word("count", lang, label=word(change, lang), count=count)
        if change == "unchanged":
            entries.append((label, ("patch", {"facecolor": "#f4f4f4", "edgecolor": "#999999"})))
            continue
        kind, filled = MARK_STYLE[change]
        colour, marker = EVENT_STYLE[kind]
        style = {"edgecolor": colour, "marker": marker, "filled": filled}
        entries.append((label, ("change", style)))
    if view.moved():
        label = word("count", lang, label=word("moved_from", lang), count=view.moved())
        entries.append((label, ("blank", {})))
    return entries


@dataclass(frozen=True, slots=True)
class _TreeView:
    """What a chart shows, ready to lay out: the tree, each box's label and style, and the
    units whose place in the tree the sources do not confirm (their link is dotted)."""

    top: str
    children: Callable[[str], Sequence[str]]
    labels: Mapping[str, str]
    styles: Mapping[str, BoxStyle]
    dotted: frozenset[str] = frozenset()
    keep_out: frozenset[str] = frozenset()
    """Units no stack may take."""
    compact: bool = False
    """Whether to stack subtrees, not only leaves, while that makes a wide chart smaller."""


#: Title, subtitle, legend and footnote sizes, in points at full scale.
TITLE_SIZE, SUB_SIZE, LEGEND_SIZE, NOTE_SIZE = 13.0, 9.5, 8.0, 7.0
#: In axes given by the caller: the smallest label size a chart folds its levels to keep, and
#: the sizes of its title and legend (which do not scale with the tree).
MIN_AXES_FONT, AXES_TITLE_SIZE, AXES_LEGEND_SIZE = 6.0, 8.5, 6.5


@dataclass(frozen=True, slots=True)
class _Words:
    """The text around the tree: heading lines (the next to last one is the title), legend
    entries, and the footnote; and, in axes given by the caller, the sizes of the title and
    legend."""

    heading: Sequence[str]
    legend: Sequence[tuple[str, Any]]
    footnote: str = ""
    title_size: float = AXES_TITLE_SIZE
    legend_size: float = AXES_LEGEND_SIZE


@dataclass(frozen=True, slots=True)
class _Page:
    """How a chart's own figure is divided, in points at full scale."""

    width: float
    height: float
    tree_width: float
    tree_height: float
    heading_height: float
    columns: int
    note_lines: list[str]
    note_height: float


@dataclass(frozen=True, slots=True)
class _AxesFit:
    """How a chart fits into axes it was given: the scale of its text, the room its legend
    takes at the top (in points) and the legend's number of columns."""

    scale: float
    band: float
    columns: int
    beside: bool = False
    """Whether the legend is at the right of the tree rather than above it."""


#: The room above a step panel's axes for its two-line title, in points.
STEP_TITLE = 2 * SUB_SIZE * 1.3 + 8.0


def _lay_out(tree: _TreeView, measure: TextMeasure, columns: int | None = None) -> TreeLayout:
    sizes: dict[str, tuple[float, float]] = {}
    for uid, label in tree.labels.items():
        width, height = measure.size(label, FONT_SIZE)
        room = MARKER_ROOM if tree.styles[uid].marker else 0.0
        sizes[uid] = (width + 2 * PAD_X + room, height + 2 * PAD_Y)
    # The least stacking that keeps the chart within its aspect: a unit with sub-units goes
    # into a stack (as an indented list) only when a chart of leaf stacks would be too wide.
    return tree_layout(
        tree.top,
        tree.children,
        sizes,
        stack_columns=columns,
        stack_leaves=STACK_LEAVES,
        keep_out=tree.keep_out,
        compact=tree.compact,
    )


#: The numbers of stack columns tried for a chart in given axes (None: the layout's choice).
AXES_COLUMNS: tuple[int | None, ...] = (None, 1, 2, 3, 4, 6)


def _place_axes(ax: Axes) -> None:
    """Let the figure's layout engine (constrained or tight layout), if it has one, place the
    axes with their title, so that the box a chart is fitted to is the box it is drawn in."""
    figure = ax.get_figure()
    engine = figure.get_layout_engine() if figure is not None else None
    if engine is not None:
        engine.execute(figure)  # type: ignore[arg-type]


def _axes_layout(
    ax: Axes, tree: _TreeView, words: _Words, measure: TextMeasure
) -> tuple[TreeLayout, _AxesFit]:
    """Of the layouts with each of :data:`AXES_COLUMNS`, the one whose text is largest in
    ``ax`` (the shape of someone else's axes is not the shape a chart of its own takes)."""
    best: tuple[TreeLayout, _AxesFit] | None = None
    for columns in AXES_COLUMNS:
        layout = _lay_out(tree, measure, columns)
        fit = _fit_axes(ax, layout, words, measure)
        if best is None or fit.scale > best[1].scale + 1e-9:
            best = (layout, fit)
    assert best is not None
    _fit_axes(ax, best[0], words, measure)  # the limits of the one kept
    return best


def _measure_for(families: list[str] | None, words: _Words) -> TextMeasure:
    if families is None:  # a Chinese title or publisher still needs its glyphs
        texts = [*words.heading, words.footnote, *(label for label, _ in words.legend)]
        families, _ = text_families("en", texts)
    return TextMeasure(families)


def _draw_tree(
    tree: _TreeView,
    words: _Words,
    *,
    ax: Axes | None,
    families: list[str] | None,
    dates: tuple[dt.date, ...],
    width: float | None = None,
    folded: Mapping[str, int] | None = None,
) -> Chart:
    measure = _measure_for(families, words)
    page = None
    if ax is None:
        layout = _lay_out(tree, measure)
        page = _plan_page(layout, words, measure)
        figure, ax, scale = _own_axes(page, width)
        columns = page.columns
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
        title = _add_axes_title(ax, words, measure)
        _place_axes(ax)
        layout, fit = _axes_layout(ax, tree, words, measure)
        scale, columns = fit.scale, fit.columns
        beside = fit.beside
    chart = Chart(
        figure=figure,
        ax=ax,
        layout=layout,
        dates=dates,
        scale=scale,
        own_figure=page is not None,
        folded=dict(folded or {}),
        citations=words.footnote,
    )
    if page is None:
        chart.heading.append(title)
    _add_connectors(chart, tree.dotted)
    _add_boxes(chart, tree, measure)
    _add_markers(chart, tree.styles)
    if page is not None:
        _add_page_text(chart, page, words, measure)
    elif words.legend:
        chart.legend = _legend(
            ax,
            words.legend,
            columns,
            measure,
            words.legend_size,
            scale=1.0,
            anchor=(1.0, 1.0) if beside else (0.0, 1.0),
            right=beside,
        )
    return chart


def _heading_width(lines: Sequence[str], measure: TextMeasure) -> float:
    """The width of the widest heading line (the next to last is the bold title), with room
    for bold glyphs, which the measure takes as regular."""
    widths = [
        measure.width(line, TITLE_SIZE if i == len(lines) - 2 else SUB_SIZE) * 1.08
        for i, line in enumerate(lines)
    ]
    return max(widths, default=0.0)


def _plan_page(layout: TreeLayout, words: _Words, measure: TextMeasure) -> _Page:
    tree_width = layout.width + 2 * MARGIN
    # Wide enough for the longest heading line too: a title is never cut at the edge.
    width = max(tree_width, 560.0, _heading_width(words.heading, measure) + 2 * MARGIN)
    text_width = width - 2 * MARGIN
    columns, legend_rows = _legend_shape(words.legend, text_width, measure, LEGEND_SIZE)
    legend_height = legend_rows * LEGEND_SIZE * 1.75 + 8
    note = words.footnote
    note_lines = wrap_to_width(note, text_width, measure, NOTE_SIZE, CITATION_GAP) if note else []
    note_height = len(note_lines) * NOTE_SIZE * 1.45 + 6 if note_lines else 0.0
    heading_height = TITLE_SIZE * 1.5 + (len(words.heading) - 1) * SUB_SIZE * 1.5 + 6
    tree_height = layout.height + 2 * 10.0
    height = MARGIN + heading_height + legend_height + tree_height + note_height + MARGIN
    return _Page(
        width, height, tree_width, tree_height, heading_height, columns, note_lines, note_height
    )


def _legend_shape(
    legend: Sequence[tuple[str, Any]], width: float, measure: TextMeasure, size: float
) -> tuple[int, int]:
    """The most columns the legend can have within ``width`` points, and its rows.

    Each column is as wide as its widest entry (as matplotlib lays a legend out), and entries
    are read row by row, each group starting a row of its own (see :func:`_legend`)."""
    groups = _groups(legend)
    # Each entry: its text, the handle, the pad after it, and a little for matplotlib's rounding.
    extra = (2.0 + 0.8 + 0.6) * size
    widths = [[measure.width(label, size) + extra for label, _ in group] for group in groups]
    for columns in range(max(len(legend), 1), 0, -1):
        column_widths = [0.0] * columns
        for group in widths:
            for index, entry in enumerate(group):
                column = index % columns
                column_widths[column] = max(column_widths[column], entry)
        # A twentieth to spare: matplotlib's text is a little wider than the sum of advances.
        if sum(column_widths) + 2.0 * size * (columns - 1) <= 0.95 * width or columns == 1:
            break
    return columns, sum(-(-len(group) // columns) for group in groups)


def _own_axes(page: _Page, width: float | None) -> tuple[Figure, Axes, float]:
    """A figure sized to the page (``width`` inches wide if given) and the axes of its tree."""
    import matplotlib.pyplot as plt

    if width is not None:
        scale = width * 72 / page.width
    else:
        scale = min(1.0, MAX_INCHES * 72 / max(page.width, page.height))
    figure = plt.figure(figsize=(page.width * scale / 72, page.height * scale / 72))
    tree_bottom = MARGIN + page.note_height
    ax = figure.add_axes(
        (
            (page.width - page.tree_width) / 2 / page.width,
            tree_bottom / page.height,
            page.tree_width / page.width,
            page.tree_height / page.height,
        )
    )
    layout_width = page.tree_width - 2 * MARGIN
    ax.set_xlim(-MARGIN, layout_width + MARGIN)
    ax.set_ylim(page.tree_height - 10.0, -10.0)
    ax.set_axis_off()
    return figure, ax, scale


def _add_axes_title(ax: Axes, words: _Words, measure: TextMeasure) -> Text:
    title = "\n".join(words.heading[-2:])
    font = measure.font(words.title_size)
    return ax.set_title(title, loc="left", color=INK, fontproperties=font, parse_math=False)


def _fit_axes(ax: Axes, layout: TreeLayout, words: _Words, measure: TextMeasure) -> _AxesFit:
    """Scale the tree to the axes' box beside its legend (above it, or at its right if that
    leaves the tree more room), and set the axes' limits to match."""
    figure = ax.get_figure()
    assert figure is not None
    extent = ax.get_window_extent()
    points = 72 / figure.dpi
    box_width, box_height = extent.width * points, extent.height * points
    tree_width, tree_height = layout.width + 16.0, layout.height + 20.0
    size = words.legend_size
    columns, rows = _legend_shape(words.legend, box_width, measure, size)
    band = rows * size * 1.75 + 6 if words.legend else 0.0
    scale = min(1.0, box_width / tree_width, max(box_height - band, 1.0) / tree_height)
    strip = max((measure.width(label, size) for label, _ in words.legend), default=0.0)
    strip += (2.0 + 0.8) * size + 8.0
    side_rows = _legend_shape(words.legend, 0.0, measure, size)[1]
    side = min(1.0, max(box_width - strip, 1.0) / tree_width, box_height / tree_height)
    if words.legend and side_rows * size * 1.75 <= box_height and side > scale:
        left = layout.width / 2 - (box_width - strip) / side / 2
        ax.set_xlim(left, left + box_width / side)
        ax.set_ylim(-10.0 + box_height / side, -10.0)
        ax.set_axis_off()
        return _AxesFit(side, 0.0, 1, beside=True)
    middle, half = layout.width / 2, box_width / scale / 2
    ax.set_xlim(middle - half, middle + half)
    top = -10.0 - band / scale
    ax.set_ylim(top + box_height / scale, top)
    ax.set_axis_off()
    return _AxesFit(scale, band, columns)


def _add_connectors(chart: Chart, dotted: frozenset[str]) -> None:
    from matplotlib.collections import LineCollection

    # A dotted link's own last stretch is dotted; the way to it, shared with others, is not.
    solid = [
        Connector(c.parent, c.child, c.points[:-1]) if c.child in dotted else c
        for c in chart.layout.connectors
    ]
    lines = LineCollection(
        _merged_segments(solid), colors=QUIET, linewidths=0.8 * chart.scale, zorder=1
    )
    chart.ax.add_collection(lines, autolim=False)
    chart.connectors.append(lines)
    unsure = [c for c in chart.layout.connectors if c.child in dotted]
    if unsure:
        # Only the last stretch, into the child, is the child's own; the rest it shares.
        dots = LineCollection(
            [list(c.points[-2:]) for c in unsure],
            colors=INK,
            linewidths=1.1 * chart.scale,
            linestyles=(0, (1, 1.6)),
            zorder=1.2,
        )
        chart.ax.add_collection(dots, autolim=False)
        chart.connectors.append(dots)


def _add_boxes(chart: Chart, tree: _TreeView, measure: TextMeasure) -> None:
    from matplotlib.patches import Rectangle

    scale = chart.scale
    font = measure.font(FONT_SIZE * scale)
    for uid, box in chart.layout.boxes.items():
        style = tree.styles[uid]
        patch = Rectangle(
            (box.x, box.y),
            box.width,
            box.height,
            facecolor=style.face,
            edgecolor=style.edge,
            linestyle=style.linestyle,
            linewidth=style.linewidth * scale,
            hatch=style.hatch,
            zorder=2,
        )
        if style.hatch:
            patch.set_hatch_linewidth(0.5 * scale)
            patch.set_hatchcolor("#b5b5b5")
        chart.ax.add_artist(patch)
        chart.boxes[uid] = patch
        room = MARKER_ROOM if style.marker else 0.0
        chart.labels[uid] = label_text(
            chart.ax,
            box.x + (box.width - room) / 2,
            box.centre[1],
            tree.labels[uid],
            measure,
            ha="center",
            va="center",
            color=style.text_colour,
            fontproperties=font,
            linespacing=1.2,
            parse_math=False,
            zorder=3,
        )


def _add_markers(chart: Chart, styles: Mapping[str, BoxStyle]) -> None:
    """One line of markers per symbol and colour, rather than an artist per box."""
    marks: dict[tuple[str, str, bool], list[tuple[float, float]]] = {}
    for uid, box in chart.layout.boxes.items():
        style = styles[uid]
        if style.marker:
            key = (style.marker, style.marker_colour, style.marker_filled)
            marks.setdefault(key, []).append((box.right - MARKER_ROOM / 2 - 1, box.centre[1]))
    for (marker, colour, filled), centres in marks.items():
        xs, ys = zip(*centres, strict=True)
        (mark,) = chart.ax.plot(
            xs,
            ys,
            marker=marker,
            markersize=6.5 * chart.scale,
            markeredgewidth=1.0 * chart.scale,
            color=colour,
            markerfacecolor=colour if filled else "white",
            linestyle="none",
            zorder=3,
        )
        chart.markers.append(mark)


def _legend(
    owner: Any,
    legend: Sequence[tuple[str, Any]],
    columns: int,
    measure: TextMeasure,
    size: float,
    scale: float,
    anchor: tuple[float, float] = (0.0, 1.0),
    right: bool = False,
) -> Artist:
    """The legend, read row by row, each group (kinds, standings, changes) on rows of its own,
    added to ``owner`` (a figure or axes) with its upper left corner at ``anchor`` in the
    owner's fractions (its upper right corner if ``right``)."""
    rows: list[list[tuple[str, Handle]]] = []
    for group in _groups(legend):
        for start in range(0, len(group), columns):
            row = [
                (label, _legend_handle(kind, options, scale))
                for label, (kind, options) in group[start : start + columns]
            ]
            rows.append(row + [("", no_handle)] * (columns - len(row)))
    return draw_legend(owner, rows, measure, size * scale, anchor, right)


def _add_page_text(chart: Chart, page: _Page, words: _Words, measure: TextMeasure) -> None:
    """The heading, legend and footnote of a chart's own figure."""
    figure, scale = chart.figure, chart.scale
    y = 1 - MARGIN / page.height
    for index, line in enumerate(words.heading):
        bold = index == len(words.heading) - 2
        size = TITLE_SIZE if bold else SUB_SIZE
        chart.heading.append(
            figure.text(
                MARGIN / page.width,
                y,
                line,
                va="top",
                ha="left",
                fontproperties=measure.font(size * scale, "bold" if bold else "normal"),
                color=INK,
                parse_math=False,
            )
        )
        y -= size * 1.5 / page.height
    if words.legend:
        anchor = (MARGIN / page.width, 1 - (MARGIN + page.heading_height) / page.height)
        chart.legend = _legend(
            figure, words.legend, page.columns, measure, LEGEND_SIZE, scale, anchor=anchor
        )
    if page.note_lines:
        # Drawn from the cached glyph outlines, as the box labels are: a long list of sources
        # is thousands of glyphs, which matplotlib would render one by one.
        note = _label_class()(
            MARGIN / page.width,
            MARGIN / page.height,
            "\n".join(page.note_lines),
            measure=measure,
            transform=figure.transFigure,
            va="bottom",
            ha="left",
            fontproperties=measure.font(NOTE_SIZE * scale),
            color="#555555",
            linespacing=1.3,
            parse_math=False,
        )
        figure.add_artist(note)
        chart.footnote = note


def _merged_segments(connectors: Iterable[Connector]) -> list[list[tuple[float, float]]]:
    """The lines of ``connectors`` with each stretch drawn once.

    The connectors of a family share their first stretches (down from the parent, along its
    line); drawn once per child, the edges of those stretches darken and they look bold. The
    layout's lines run across or down, so the stretches on one line merge into intervals.

    >>> from orgmodel.layout import Connector
    >>> _merged_segments([
    ...     Connector("p", "a", ((5, 0), (5, 2), (0, 2), (0, 4))),
    ...     Connector("p", "b", ((5, 0), (5, 2), (9, 2), (9, 4))),
    ... ])
    [[(0, 2), (9, 2)], [(0, 2), (0, 4)], [(5, 0), (5, 2)], [(9, 2), (9, 4)]]
    """
    across: dict[float, list[tuple[float, float]]] = {}
    down: dict[float, list[tuple[float, float]]] = {}
    slanted: list[list[tuple[float, float]]] = []
    for connector in connectors:
        for (x0, y0), (x1, y1) in itertools.pairwise(connector.points):
            if y0 == y1:
                across.setdefault(y0, []).append((min(x0, x1), max(x0, x1)))
            elif x0 == x1:
                down.setdefault(x0, []).append((min(y0, y1), max(y0, y1)))
            else:
                slanted.append([(x0, y0), (x1, y1)])
    segments: list[list[tuple[float, float]]] = []
    for lines, horizontal in ((across, True), (down, False)):
        for at, spans in sorted(lines.items()):
            spans.sort()
            start, end = spans[0]
            for low, high in [*spans[1:], (math.inf, math.inf)]:
                if low <= end:
                    end = max(end, high)
                    continue
                ends = [(start, at), (end, at)] if horizontal else [(at, start), (at, end)]
                segments.append(ends)
                start, end = low, high
    return segments + slanted


def _groups(legend: Sequence[tuple[str, Any]]) -> list[list[tuple[str, Any]]]:
    """Legend entries split where their group changes (kinds are patches filled with colour)."""
    groups: list[list[tuple[str, Any]]] = []
    previous = None
    for label, (kind, options) in legend:
        group = "kind" if kind == "patch" and options.get("facecolor") != "white" else "style"
        if group != previous:
            groups.append([])
            previous = group
        groups[-1].append((label, (kind, options)))
    return groups


def _legend_handle(kind: str, options: Mapping[str, Any], scale: float) -> Handle:
    """What draws the handle of a legend entry of ``kind`` in its box, as matplotlib's legend
    draws a patch (filling the box) or a line and its marker (across the box, the marker in
    the middle)."""
    if kind == "blank":
        return no_handle
    if kind == "patch":
        return patch_handle(
            facecolor=options.get("facecolor", "white"),
            edgecolor=options.get("edgecolor", "#333333"),
            linestyle=options.get("linestyle", "-"),
            linewidth=options.get("linewidth", 0.9) * scale,
            hatch=options.get("hatch"),
        )
    if kind == "line":
        return line_handle(color=INK, linewidth=1.1 * scale, linestyle=options["linestyle"])
    if kind == "change":
        colour, filled, size = options["edgecolor"], options.get("filled", True), 7.0
    else:
        colour, filled, size = INK, options.get("marker_filled", True), 6.5
    return marker_handle(
        marker=options["marker"],
        markersize=size * scale,
        color=colour,
        markerfacecolor=colour if filled else "white",
    )
