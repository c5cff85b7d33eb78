"""Org charts: one snapshot as a tree of boxes, and two snapshots with what changed between them.

The positions come from :func:`orgmodel.layout.tree_layout`; this module measures the labels,
picks colours and line styles, and draws. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgmodel.drawing._style import (
    INK,
    QUIET,
    TextMeasure,
    kind_colours,
    label_text,
    lighten,
    text_families,
    wrap_to_width,
)
from orgmodel.layout import Connector, TreeLayout, tree_layout
from orgmodel.model import Source, Unit
from orgmodel.snapshot import Snapshot

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.text import Text

__all__ = ["Chart", "draw_change_chart", "draw_org_chart"]

KindsArg = Mapping[str, Any] | Sequence[str] | None

#: Label font size, in points, at full scale.
FONT_SIZE = 9.0
#: Space between a label and its box's edge, in points.
PAD_X, PAD_Y = 6.0, 4.5
#: Room kept at the right of a box for a status or change marker.
MARKER_ROOM = 13.0
#: Names longer than this many characters are wrapped onto more lines.
WRAP = 22
#: Margin around the whole picture, in points.
MARGIN = 22.0
#: Up to this many sources, the footnote gives each one's publisher and date; beyond, keys only.
FULL_CITATIONS = 12
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

    @property
    def artists(self) -> list[Artist]:
        """Every artist drawn, in drawing order."""
        drawn: list[Artist] = [*self.connectors, *self.boxes.values(), *self.markers]
        drawn += [*self.labels.values(), *self.heading]
        drawn += [a for a in (self.legend, self.footnote) if a is not None]
        return drawn


# How each status is drawn: a line style for the standing, a marker for what is pending.
STATUS_STYLE: Mapping[str, dict[str, Any]] = {
    "active": {},
    "standalone": {"linestyle": "--"},
    "ipo_planned": {"linestyle": "--", "marker": "^"},
    "ipo_paused": {"linestyle": "--", "marker": "^", "marker_filled": False},
    "ipo_cancelled": {"linestyle": "--", "marker": "x"},
    "listed": {"linewidth": 2.6},
    "sale_agreed": {"linestyle": "--", "marker": "d"},
    "affiliate": {"linestyle": ":", "linewidth": 1.2, "hatch": "////"},
}
STATUS_LEGEND: Mapping[str, str] = {
    "active": "in line",
    "standalone": "standalone company (dashed)",
    "listed": "listed (thick border)",
    "affiliate": "affiliate, outside the group (dotted, hatched)",
    "ipo_planned": "IPO planned",
    "ipo_paused": "IPO paused",
    "ipo_cancelled": "IPO cancelled",
    "sale_agreed": "sale agreed",
}


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
) -> Chart:
    """Draw ``snapshot`` as an org chart.

    Each unit is a box sized to its name, coloured by its kind; the border shows its standing:
    solid in line, dashed for a stand-alone company, thick when listed, dotted and hatched for
    an affiliate outside the group, with a marker for a planned, paused or cancelled IPO or an
    agreed sale. Large families of small units are stacked in columns below their parent. The
    heading gives the snapshot's title and date; a footnote cites the source keys of the units
    drawn.

    Parameters
    ----------
    snapshot : Snapshot
        The structure to draw.
    ax : matplotlib Axes, optional
        Draw into these axes (scaling the text to fit them). By default a new figure is made,
        sized so that text is drawn at 9 pt however large the tree.
    root : str, optional
        Draw only the part below this unit (default: the whole tree).
    depth : int, optional
        Draw only this many levels below ``root`` (0: the root alone).
    lang : {"en", "zh"}
        ``zh`` labels units with their Chinese names where known (the English name otherwise),
        in the first CJK font matplotlib finds: Noto Sans CJK (Debian ``fonts-noto-cjk``),
        Source Han Sans, WenQuanYi Zen Hei, Droid Sans Fallback, AR PL. With none installed it
        warns and uses English names.
    kinds : mapping or sequence of kind names, optional
        The order of kinds for colours and legend, e.g. ``History.kinds``; keeps colours the same
        across charts of one history.
    sources : mapping, optional
        The bibliography, e.g. ``History.sources``: the footnote then gives each cited key's
        publisher and date.
    heading : str, optional
        A first heading line, e.g. the history's title.

    Returns
    -------
    Chart
        The figure, axes and artists drawn.
    """
    top = root or snapshot.root
    if top not in snapshot.units:
        from orgmodel.finding import unknown_unit

        raise unknown_unit(snapshot, top)
    units = _select(snapshot.children, top, depth)
    drawn = set(units)  # the layout asks for children many times: look them up in a set
    families, chinese = text_families(lang, (snapshot.units[uid].name for uid in units))
    colours = kind_colours(kinds, (snapshot.units[uid].kind for uid in units))
    labels = {uid: _name(snapshot.units[uid], chinese) for uid in units}
    styles = {uid: _unit_style(snapshot.units[uid], colours) for uid in units}

    def children(uid: str) -> Sequence[str]:
        return [kid for kid in snapshot.children(uid) if kid in drawn]

    legend = _kind_legend(colours, [snapshot.units[uid].kind for uid in units])
    statuses: set[str] = {snapshot.units[uid].status for uid in units}
    legend += _status_legend(statuses)
    count = f"{len(units)} unit{'s' if len(units) != 1 else ''}"
    part = f"below {labels[top].replace(chr(10), ' ')}, " if root else ""
    lines = [
        *([heading] if heading else []),
        snapshot.title or "Organisation",
        f"Snapshot of {snapshot.date.isoformat()}; {part}{count}",
    ]
    cited = _cited(snapshot.sources, (snapshot.units[uid] for uid in units))
    return _draw_tree(
        top,
        children,
        labels,
        styles,
        ax=ax,
        families=families,
        heading=lines,
        legend=legend,
        footnote=_footnote(cited, sources),
        dates=(snapshot.date,),
    )


# What a change chart shows for each kind of event, strongest first: a unit touched by several
# events is drawn as the first of them.
CHANGE_STYLE: Mapping[str, tuple[str, str]] = {
    "added": ("#1a9850", "P"),
    "removed": ("#d73027", "X"),
    "split": ("#e08214", "<"),
    "merged": ("#8073ac", ">"),
    "spun_off": ("#c51b7d", "^"),
    "returned": ("#01665e", "v"),
    "moved": ("#2166ac", "D"),
    "renamed": ("#b8860b", "s"),
    "status_changed": ("#762a83", "h"),
    "kind_changed": ("#4d4d4d", "p"),
}
#: Which change a unit shows when it has several, first first.
MARK_FIRST: tuple[str, ...] = (
    "split",
    "merged",
    "spun_off",
    "returned",
    *(kind for kind in CHANGE_STYLE if kind not in ("split", "merged", "spun_off", "returned")),
)
CHANGE_LABELS: Mapping[str, str] = {
    "added": "added",
    "removed": "removed",
    "split": "split",
    "merged": "merged",
    "spun_off": "spun off",
    "returned": "returned",
    "moved": "moved (dashed line: from old parent)",
    "renamed": "renamed",
    "status_changed": "status changed",
    "kind_changed": "kind changed",
    "unchanged": "unchanged",
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
) -> Chart:
    """Draw what changed from snapshot ``a`` to snapshot ``b``.

    The tree is ``b``'s, with the units removed since ``a`` put back at their old place, so both
    snapshots' units appear. Each unit is marked by what happened to it: a fill colour *and* a
    marker per kind of change (removed units also get a dashed, faded box), renamed units show
    their old name, and a moved unit is joined to its old parent by a dashed line. The legend
    counts the events of each kind.

    Parameters
    ----------
    a, b : Snapshot
        The earlier and the later structure.
    diff : Diff
        ``orgmodel.diff(a, b)``: anything with ``.events``, each with ``.kind`` and ``.units``.
    ax, root, depth, lang, sources, heading
        As for :func:`draw_org_chart`; ``root`` and ``depth`` apply to the combined tree.
    """
    families, chinese = text_families(
        lang, (unit.name for s in (a, b) for unit in s.units.values())
    )
    events = list(getattr(diff, "events", diff))
    union_parent: dict[str, str | None] = {uid: unit.parent for uid, unit in b.units.items()}
    removed = [uid for uid in a.units if uid not in b.units]
    # A removed unit goes back under its old parent, or the nearest ancestor still drawn.
    gone = set(removed)
    for uid in removed:
        parent = a.units[uid].parent
        while parent is not None and parent not in b.units and parent not in gone:
            parent = a.units[parent].parent
        union_parent[uid] = parent if parent is not None else b.root
    order = list(b.units) + removed
    kids: dict[str, list[str]] = {}
    for uid in order:
        parent = union_parent[uid]
        if parent is not None:
            kids.setdefault(parent, []).append(uid)

    def all_children(uid: str) -> Sequence[str]:
        return kids.get(uid, ())

    top = root or b.root
    units = _select(all_children, top, depth)
    drawn = set(units)

    def children(uid: str) -> Sequence[str]:
        return [kid for kid in kids.get(uid, ()) if kid in drawn]

    # A unit that took part in a split, merger, spin-off or return shows that, rather than the
    # plain 'added' or 'removed' which the same step also makes of it.
    rank = {kind: index for index, kind in enumerate(MARK_FIRST)}
    change: dict[str, str] = {}
    counts: dict[str, int] = {}
    for event in events:
        kind = str(event.kind)
        if kind == "updated":  # sources, leaders, notes: not a change of structure
            continue
        counts[kind] = counts.get(kind, 0) + 1
        for uid in _event_units(event):
            if uid in union_parent and (
                uid not in change or rank.get(kind, 99) < rank.get(change[uid], 99)
            ):
                change[uid] = kind
    for uid in removed:
        change.setdefault(uid, "removed")
    labels: dict[str, str] = {}
    styles: dict[str, BoxStyle] = {}
    for uid in units:
        unit = b.units.get(uid) or a.units[uid]
        label = _name(unit, chinese)
        old = a.units.get(uid)
        if old is not None and uid in b.units and _name(old, chinese) != label:
            was = "(was " + _name(old, chinese).replace("\n", " ") + ")"
            label += "\n" + "\n".join(textwrap.wrap(was, WRAP + 4, break_on_hyphens=False))
        labels[uid] = label
        kind = change.get(uid, "unchanged")
        colour, marker = CHANGE_STYLE.get(kind, ("#bbbbbb", "o"))
        if kind == "unchanged":
            styles[uid] = BoxStyle(face="#f4f4f4", text_colour="#444444", edge="#999999")
        elif uid not in b.units:
            gone_colour = CHANGE_STYLE["removed"][0]
            styles[uid] = BoxStyle(
                face=lighten(gone_colour, 0.8),
                linestyle="--",
                text_colour="#7a1f1a",
                marker=marker,
                marker_colour=colour,
                edge=gone_colour,
            )
        else:
            styles[uid] = BoxStyle(
                face=lighten(colour, 0.72),
                linewidth=1.3,
                marker=marker,
                marker_colour=colour,
                edge=colour,
            )
    links = [
        (a.units[uid].parent, uid)
        for uid in units
        if uid in a.units
        and uid in b.units
        and a.units[uid].parent != b.units[uid].parent
        and a.units[uid].parent in units
    ]
    legend = _change_legend(counts, sum(1 for uid in units if uid not in change))
    lines = [
        *([heading] if heading else []),
        f"Changes from {a.date.isoformat()} to {b.date.isoformat()}",
        f"{a.title or a.date.isoformat()}  \u2192  {b.title or b.date.isoformat()}",
    ]
    # The sources of the changes drawn, not of every unit in both snapshots.
    cited = list(
        dict.fromkeys(
            key
            for event in events
            if str(event.kind) != "updated"
            for key in getattr(event, "sources", ())
        )
    )
    chart = _draw_tree(
        top,
        children,
        labels,
        styles,
        ax=ax,
        families=families,
        heading=lines,
        legend=legend,
        footnote=_footnote(cited, sources),
        dates=(a.date, b.date),
        links=[(str(old), new) for old, new in links],
    )
    return chart


def _arc(
    start: tuple[float, float], end: tuple[float, float], points: int = 24
) -> list[tuple[float, float]]:
    """A curve from ``start`` to ``end`` that bows up (towards the root), so that a long link
    does not run along a row of boxes and read as part of the tree."""
    (x0, y0), (x1, y1) = start, end
    rise = min(0.2 * abs(x1 - x0), 60.0)
    # No higher than the top of the tree, where the drawing ends.
    cx, cy = (x0 + x1) / 2, max(min(y0, y1) - rise, 0.0)
    return [
        (
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1,
        )
        for t in (k / (points - 1) for k in range(points))
    ]


def _event_units(event: Any) -> list[str]:
    """The units an event marks: both sides of a split or merger, else its main unit."""
    kind = str(event.kind)
    if kind == "split":
        return [str(event.predecessor), *map(str, event.successors)]
    if kind == "merged":
        return [*map(str, event.predecessors), str(event.successor)]
    main = getattr(event, "unit", None)
    return [str(main)] if main else [str(uid) for uid in list(getattr(event, "units", ()))[:1]]


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
    name = unit.name_zh if chinese and unit.name_zh else unit.name
    if len(name) <= WRAP or (chinese and unit.name_zh):
        return name if len(name) <= 14 or not (chinese and unit.name_zh) else _wrap_cjk(name)
    return "\n".join(textwrap.wrap(name, WRAP, break_on_hyphens=False))


def _wrap_cjk(name: str) -> str:
    half = (len(name) + 1) // 2
    return name[:half] + "\n" + name[half:]


def _unit_style(unit: Unit, colours: Mapping[str, str]) -> BoxStyle:
    options = dict(STATUS_STYLE.get(unit.status, {}))
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


def _footnote(keys: Sequence[str], sources: Mapping[str, Source] | None) -> str:
    if not keys:
        return ""
    if len(keys) > FULL_CITATIONS:  # keys alone keep a long list to a few lines
        return "Sources: " + ", ".join(keys) + "."
    parts = []
    for key in keys:
        source = (sources or {}).get(key)
        parts.append(f"{key} ({source.publisher}, {source.date})" if source else key)
    return "Sources: " + "; ".join(parts) + "."


def _kind_legend(colours: Mapping[str, str], present: Iterable[str]) -> list[tuple[str, Any]]:
    shown = set(present)
    return [
        (kind.replace("_", " "), ("patch", {"facecolor": lighten(colour, 0.62)}))
        for kind, colour in colours.items()
        if kind in shown
    ]


def _status_legend(statuses: set[str]) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for status, label in STATUS_LEGEND.items():
        if status not in statuses or (status == "active" and statuses == {"active"}):
            continue
        style = STATUS_STYLE[status]
        if status in ("active", "standalone", "listed", "affiliate"):
            entries.append(
                (
                    label,
                    (
                        "patch",
                        {
                            "facecolor": "white",
                            "linestyle": style.get("linestyle", "-"),
                            "linewidth": style.get("linewidth", 0.9),
                            "hatch": style.get("hatch"),
                        },
                    ),
                )
            )
        else:
            entries.append((label, ("marker", style)))
    # Any status drawn dashed needs the dashed entry, even if no unit is plainly standalone.
    if any(STATUS_STYLE[s].get("linestyle") == "--" for s in statuses) and (
        "standalone" not in statuses
    ):
        entries.insert(
            1 if "active" in statuses else 0,
            ("standalone company (dashed)", ("patch", {"facecolor": "white", "linestyle": "--"})),
        )
    return entries


def _change_legend(counts: Mapping[str, int], unchanged: int) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for kind, (colour, marker) in CHANGE_STYLE.items():
        if counts.get(kind):
            label = f"{CHANGE_LABELS[kind]}: {counts[kind]}"
            entries.append(
                (
                    label,
                    (
                        "change",
                        {"facecolor": lighten(colour, 0.72), "edgecolor": colour, "marker": marker},
                    ),
                )
            )
    for kind, count in counts.items():
        if kind not in CHANGE_STYLE and count:
            entries.append((f"{kind.replace('_', ' ')}: {count}", ("patch", {"facecolor": "#ddd"})))
    entries.append(
        (
            f"unchanged: {unchanged} unit{'s' if unchanged != 1 else ''}",
            ("patch", {"facecolor": "#f4f4f4", "edgecolor": "#999999"}),
        )
    )
    return entries


def _draw_tree(
    top: str,
    children: Callable[[str], Sequence[str]],
    labels: Mapping[str, str],
    styles: Mapping[str, BoxStyle],
    *,
    ax: Axes | None,
    families: list[str] | None,
    heading: Sequence[str],
    legend: Sequence[tuple[str, Any]],
    footnote: str,
    dates: tuple[dt.date, ...],
    links: Sequence[tuple[str, str]] = (),
) -> Chart:
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if families is None:  # a Chinese title or publisher still needs its glyphs
        families, _ = text_families("en", [*heading, footnote, *(label for label, _ in legend)])
    measure = TextMeasure(families)
    sizes: dict[str, tuple[float, float]] = {}
    for uid, label in labels.items():
        width, height = measure.size(label, FONT_SIZE)
        room = MARKER_ROOM if styles[uid].marker else 0.0
        sizes[uid] = (width + 2 * PAD_X + room, height + 2 * PAD_Y)
    layout = tree_layout(top, children, sizes)

    title_size, sub_size, legend_size, note_size = 13.0, 9.5, 8.0, 6.5
    tree_width = layout.width + 2 * MARGIN
    width = max(tree_width, 560.0)
    text_width = width - 2 * MARGIN
    entry_widths = [
        measure.width(label, legend_size) + (2.0 + 0.8 + 2.0) * legend_size for label, _ in legend
    ]
    columns = max(1, min(len(legend), int(text_width // max(entry_widths, default=1.0))))
    legend_rows = sum(-(-len(group) // columns) for group in _groups(legend))
    legend_height = legend_rows * legend_size * 1.75 + 8
    note_lines = wrap_to_width(footnote, text_width, measure, note_size) if footnote else []
    note_height = len(note_lines) * note_size * 1.45 + 6 if note_lines else 0.0
    heading_height = title_size * 1.5 + (len(heading) - 1) * sub_size * 1.5 + 6
    tree_height = layout.height + 2 * 10.0
    height = MARGIN + heading_height + legend_height + tree_height + note_height + MARGIN

    own_figure = ax is None
    if ax is None:
        scale = min(1.0, MAX_INCHES * 72 / max(width, height))
        figure = plt.figure(figsize=(width * scale / 72, height * scale / 72))
        tree_bottom = MARGIN + note_height
        ax = figure.add_axes(
            (
                (width - tree_width) / 2 / width,
                tree_bottom / height,
                tree_width / width,
                tree_height / height,
            )
        )
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
        extent = ax.get_window_extent()
        points = 72 / figure.dpi
        scale = min(
            1.0,
            extent.width * points / tree_width,
            extent.height * points / tree_height,
        )
    ax.set_xlim(-MARGIN, layout.width + MARGIN)
    ax.set_ylim(layout.height + 10.0, -10.0)
    if not own_figure:
        # A figure of our own is sized so that a point of layout is a point of paper; someone
        # else's axes keep their box and widen their limits instead.
        ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    chart = Chart(
        figure=figure, ax=ax, layout=layout, dates=dates, scale=scale, own_figure=own_figure
    )

    lines = LineCollection(
        _merged_segments(layout.connectors), colors=QUIET, linewidths=0.8 * scale, zorder=1
    )
    ax.add_collection(lines, autolim=False)
    chart.connectors.append(lines)
    if links:
        moves = []
        for old, new in links:
            source, target = layout.boxes[old], layout.boxes[new]
            origin = (
                (source.right, source.centre[1])
                if source.right < target.x
                else (source.x, source.centre[1])
            )
            moves.append(_arc(origin, (target.centre[0], target.y)))
        link_lines = LineCollection(
            moves,
            colors=CHANGE_STYLE["moved"][0],
            linewidths=1.2 * scale,
            linestyles=(0, (4, 3)),
            zorder=1.5,  # behind the boxes, so that it never crosses a label
            alpha=0.7,
        )
        ax.add_collection(link_lines, autolim=False)
        chart.connectors.append(link_lines)

    font = measure.font(FONT_SIZE * scale)
    marks: dict[tuple[str, str, bool], list[tuple[float, float]]] = {}
    for uid, box in layout.boxes.items():
        style = styles[uid]
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
        ax.add_artist(patch)
        chart.boxes[uid] = patch
        room = MARKER_ROOM if style.marker else 0.0
        chart.labels[uid] = label_text(
            ax,
            box.x + (box.width - room) / 2,
            box.centre[1],
            labels[uid],
            measure,
            ha="center",
            va="center",
            color=style.text_colour,
            fontproperties=font,
            linespacing=1.2,
            parse_math=False,
            zorder=3,
        )
        if style.marker:
            key = (style.marker, style.marker_colour, style.marker_filled)
            marks.setdefault(key, []).append((box.right - MARKER_ROOM / 2 - 1, box.centre[1]))
    # One line of markers per symbol and colour, rather than an artist per box.
    for (marker, colour, filled), centres in marks.items():
        xs, ys = zip(*centres, strict=True)
        (mark,) = ax.plot(
            xs,
            ys,
            marker=marker,
            markersize=6.5 * scale,
            markeredgewidth=1.0 * scale,
            color=colour,
            markerfacecolor=colour if filled else "white",
            linestyle="none",
            zorder=3,
        )
        chart.markers.append(mark)

    # matplotlib fills a legend column by column; order the entries so that they read row by
    # row, each group (kinds, standings, changes) starting on a row of its own.
    rows: list[list[tuple[str, Any]]] = []
    for group in _groups(legend):
        for start in range(0, len(group), columns):
            row = group[start : start + columns]
            rows.append(row + [("", ("blank", {}))] * (columns - len(row)))
    ordered = [row[column] for column in range(columns) for row in rows]
    handles = [
        _legend_handle(kind, options, scale, Rectangle, Line2D) for _, (kind, options) in ordered
    ]
    names = [label for label, _ in ordered]
    heading_font = measure.font(title_size * scale, "bold")
    if own_figure:
        y = 1 - MARGIN / height
        for index, line in enumerate(heading):
            bold = index == len(heading) - 2
            size = title_size if bold else sub_size
            chart.heading.append(
                figure.text(
                    MARGIN / width,
                    y,
                    line,
                    va="top",
                    ha="left",
                    fontproperties=heading_font if bold else measure.font(sub_size * scale),
                    color=INK,
                    parse_math=False,
                )
            )
            y -= size * 1.5 / height
        if legend:
            chart.legend = figure.legend(
                handles,
                names,
                loc="upper left",
                bbox_to_anchor=(MARGIN / width, 1 - (MARGIN + heading_height) / height),
                ncol=columns,
                frameon=False,
                prop=measure.font(legend_size * scale),
                handlelength=2.0,
                handleheight=1.0,
                handletextpad=0.8,
                columnspacing=2.0,
                borderpad=0.0,
                borderaxespad=0.0,
            )
        if note_lines:
            chart.footnote = figure.text(
                MARGIN / width,
                MARGIN / height,
                "\n".join(note_lines),
                va="bottom",
                ha="left",
                fontproperties=measure.font(note_size * scale),
                color="#555555",
                linespacing=1.3,
                parse_math=False,
            )
    else:
        chart.heading.append(
            ax.set_title("\n".join(heading), fontsize=sub_size * scale, loc="left", color=INK)
        )
        if legend:
            # Below the axes, clear of the tree; the figure's owner leaves room for it.
            chart.legend = ax.legend(
                handles,
                names,
                loc="upper left",
                bbox_to_anchor=(0.0, 0.0),
                ncol=columns,
                fontsize=legend_size * scale,
                frameon=False,
            )
        if note_lines:
            # Below the axes on the right, beside the legend, wrapped to half their width.
            half = ax.get_window_extent().width * 72 / figure.dpi / 2
            note_lines = wrap_to_width(footnote, half, measure, note_size * scale)
            chart.footnote = ax.text(
                1,
                0,
                "\n".join(note_lines),
                transform=ax.transAxes,
                va="top",
                ha="right",
                fontsize=note_size * scale,
                color="#555555",
                parse_math=False,
            )
    return chart


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


def _legend_handle(
    kind: str, options: Mapping[str, Any], scale: float, rectangle: Any, line: Any
) -> Any:
    if kind == "blank":
        return rectangle((0, 0), 1, 1, fill=False, edgecolor="none", visible=False)
    if kind == "patch":
        return rectangle(
            (0, 0),
            1,
            1,
            facecolor=options.get("facecolor", "white"),
            edgecolor=options.get("edgecolor", "#333333"),
            linestyle=options.get("linestyle", "-"),
            linewidth=options.get("linewidth", 0.9) * scale,
            hatch=options.get("hatch"),
        )
    if kind == "change":
        return line(
            [],
            [],
            marker=options["marker"],
            markersize=7 * scale,
            color=options["edgecolor"],
            markerfacecolor=options["edgecolor"],
            linestyle="none",
        )
    filled = options.get("marker_filled", True)
    return line(
        [],
        [],
        marker=options["marker"],
        markersize=6.5 * scale,
        color=INK,
        markerfacecolor=INK if filled else "white",
        linestyle="none",
    )
