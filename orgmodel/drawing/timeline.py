"""Timelines: one lane per unit on a date axis, drawn from :func:`orgmodel.lanes.timeline_lanes`.

Names sit in a column on the left, indented by depth; each lane's bar is tinted by the unit's
kind and outlined by its standing; what was announced and not done (an IPO planned) is a dotted
line along the top of the bar, never a change of standing. Events are marks on the lanes with
short labels where they fit; snapshot titles stand above the lanes at their dates. matplotlib is
imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from orgmodel.dates import DateLike
from orgmodel.drawing._style import INK, TextMeasure, kind_colours, lighten, text_families
from orgmodel.drawing.orgchart import CHANGE_LABELS, CHANGE_STYLE, FONT_SIZE
from orgmodel.lanes import MARKED, Lanes, timeline_lanes
from orgmodel.layout import short_label

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from orgmodel.history import History

__all__ = ["Timeline", "draw_timeline", "stack_titles"]

#: Lane and event labels: the org chart's box label size, in points.
LABEL_SIZE = FONT_SIZE
#: Height of a lane and of its bar, in points.
ROW, BAR = 15.0, 11.5
#: Width of the date axis, in points, and the widest a figure gets.
PLOT_WIDTH, MAX_WIDTH = 900.0, 1120.0
#: Indent of a name per level of depth, in points.
INDENT = 9.0
#: How each standing outlines its bar: how much the kind's colour is lightened, line style, width.
STANDING_STYLE: dict[str, tuple[float, Any, float]] = {
    "in_line": (0.62, "-", 0.8),
    "standalone": (0.86, (0, (4.0, 2.0)), 1.5),
    "outside": (1.0, (0, (1.0, 1.5)), 1.5),
}
STANDING_LEGEND = {
    "in_line": "in line",
    "standalone": "stand-alone or listed company (dashed)",
    "outside": "outside the group (dotted)",
}
PLAN_LEGEND = "announced, not done (dotted line above the bar)"
LINK_STYLE: dict[str, tuple[str, str]] = {
    "split": (CHANGE_STYLE["split"][0], "split (fork)"),
    "merged": (CHANGE_STYLE["merged"][0], "merged or absorbed (join)"),
}
#: Grey for event labels and the lines of snapshot dates.
SOFT, RULE = "#444444", "#c8c8c8"


@dataclass
class Timeline:
    """What :func:`draw_timeline` drew: figure, axes, the lanes view and artists by role."""

    figure: Figure
    ax: Axes
    lanes: Lanes
    bars: list[Artist] = field(default_factory=list)
    links: list[Artist] = field(default_factory=list)
    marks: list[Artist] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    titles: list[Text] = field(default_factory=list)
    heading: list[Text] = field(default_factory=list)
    legend: Artist | None = None
    own_figure: bool = True

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The dates of the snapshots drawn."""
        return self.lanes.dates


class _Frame(NamedTuple):
    """Sizes in points: the name column, the date axis, the title rows above the lanes."""

    gutter: float
    plot: float
    per_day: float
    titles: _Titles
    title_rows: int
    key_columns: int
    key_height: float
    heading: float
    legend: float
    legend_columns: int
    width: float
    height: float


MARGIN, AXIS_ROOM, TITLE_ROW = 20.0, 30.0, LABEL_SIZE * 1.45
#: Titles stand at their dates when they need at most this many rows; otherwise each date has a
#: number and a key below the axis gives the titles.
MAX_TITLE_ROWS = 4
#: Room right of the period's end for the labels of its last events, in points.
LABEL_ROOM = 120.0
#: Distance from a mark's centre to its label, in points (past the mark and a gap).
LABEL_OFFSET = 10.0


def draw_timeline(
    history: History,
    *,
    ax: Axes | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    unit: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    title: str | None = None,
) -> Timeline:
    """Draw ``history`` as a timeline: one lane per unit, events marked at their dates.

    Parameters
    ----------
    history : History
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new figure sized to the lanes.
    start, end, unit, depth
        As for :func:`orgmodel.lanes.timeline_lanes`: the period, a unit to follow, the depth
        (by default, the deepest that fits a screen and a page).
    lang : {"en", "zh"}
        Unit names in English, or in Chinese where known.
    title : str, optional
        The picture's title, instead of the history's.

    Returns
    -------
    Timeline

    Examples
    --------
    >>> import orgmodel
    >>> chart = draw_timeline(orgmodel.load_history(), unit="aicheng")
    >>> [lane.unit for lane in chart.lanes.lanes][-1], len(chart.labels) >= 4
    ('aicheng', True)
    """
    import matplotlib.pyplot as plt

    view = timeline_lanes(history, start=start, end=end, unit=unit, depth=depth)
    families, chinese = text_families(lang, [lane.name for lane in view.lanes])
    measure = TextMeasure(families)
    names = [_name(lane.name, lane.name_zh, chinese) for lane in view.lanes]
    colours = kind_colours(history.kinds, (s.kind for ln in view.lanes for s in ln.segments))
    legend = _legend_entries(view, colours)
    frame = _frame(view, names, measure, legend)
    own = ax is None
    if ax is None:
        figure = plt.figure(figsize=(frame.width / 72, frame.height / 72))
        ax = figure.add_axes(_axes_box(frame))
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    chart = Timeline(figure=figure, ax=ax, lanes=view, own_figure=own)
    _set_axes(ax, view, frame)
    _draw_bars(chart, colours, frame.per_day)
    _draw_links(chart)
    _draw_marks(chart, measure, frame)
    _draw_names(chart, names, measure, frame)
    _draw_titles(chart, frame, measure)
    first = title or _title(view, history.title)
    _draw_heading(chart, first, measure, legend, frame)
    return chart


def _name(name: str, name_zh: str | None, chinese: bool) -> str:
    return short_label(name_zh if chinese and name_zh else name)


def _num(day: dt.date) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


# Sizes ------------------------------------------------------------------------------------------


class _Titles(NamedTuple):
    """What stands at each snapshot's date (its title, or its number in the key), in which row,
    and the key's lines (none when the titles stand at their dates)."""

    texts: tuple[str, ...]
    rows: tuple[int, ...]
    key: tuple[str, ...]


def stack_titles(xs: Sequence[float], widths: Sequence[float], gap: float) -> list[int]:
    """The row (0 just above the lanes) of texts that start at ``xs``, so that none covers
    another or the line that joins a higher one down to its ``x``.

    Each text goes one row above the highest of the later texts whose lines it would cover.

    >>> stack_titles([0, 5, 30], [10, 10, 10], gap=1)
    [1, 0, 0]
    """
    rows = [0] * len(xs)
    for t in reversed(range(len(xs))):
        right = xs[t] + widths[t] + gap
        covered = [rows[u] for u in range(t + 1, len(xs)) if xs[u] <= right]
        rows[t] = max(covered, default=-1) + 1
    return rows


def _titles(view: Lanes, measure: TextMeasure, per_day: float) -> _Titles:
    xs = [float(max((t.date - view.start).days, 0)) for t in view.titles]
    gap = 6.0 / per_day
    texts = tuple(f" {t.title}" for t in view.titles)
    widths = [measure.width(text, LABEL_SIZE) / per_day for text in texts]
    rows = stack_titles(xs, widths, gap)
    if max(rows, default=0) < MAX_TITLE_ROWS:
        return _Titles(texts, tuple(rows), ())
    numbers = tuple(f" {i}" for i in range(1, len(view.titles) + 1))
    widths = [measure.width(text, LABEL_SIZE, "bold") / per_day for text in numbers]
    key = tuple(f"{i}  {t.date}  {t.title}" for i, t in enumerate(view.titles, 1))
    return _Titles(numbers, tuple(stack_titles(xs, widths, gap)), key)


def _frame(
    view: Lanes,
    names: Sequence[str],
    measure: TextMeasure,
    legend: Sequence[tuple[str, Any]],
) -> _Frame:
    gutter = max(
        measure.width(name, LABEL_SIZE, _name_weight(lane.depth)) + INDENT * min(lane.depth, 4)
        for name, lane in zip(names, view.lanes, strict=True)
    )
    gutter += 12.0
    plot = min(PLOT_WIDTH, MAX_WIDTH - gutter)
    per_day = plot / max((view.end - view.start).days, 1)
    titles = _titles(view, measure, per_day)
    title_rows = max(titles.rows, default=-1) + 1
    width = MARGIN * 2 + gutter + plot + _right_room(view, titles, measure, per_day)
    entry = max(measure.width(label, LABEL_SIZE) for label, _ in legend) + 4.5 * LABEL_SIZE
    columns = max(1, int((width - 2 * MARGIN) // entry))
    legend_height = -(-len(legend) // columns) * LABEL_SIZE * 1.7 + 10
    heading = 13.0 * 1.5 + 9.5 * 1.5 * 2 + 6
    lanes_height = len(view.lanes) * ROW + title_rows * TITLE_ROW + 4
    key_width = max((measure.width(line, LABEL_SIZE) for line in titles.key), default=0) + 24
    key_columns = max(1, int((width - 2 * MARGIN) // key_width))
    key_height = -(-len(titles.key) // key_columns) * TITLE_ROW + 6 if titles.key else 0.0
    height = 2 * MARGIN + heading + legend_height + lanes_height + AXIS_ROOM + key_height
    return _Frame(
        gutter,
        plot,
        per_day,
        titles,
        title_rows,
        key_columns,
        key_height,
        heading,
        legend_height,
        columns,
        width,
        height,
    )


def _right_room(view: Lanes, titles: _Titles, measure: TextMeasure, per_day: float) -> float:
    """Room past the end of the period for the titles that reach past it, and for labels."""
    ends = [
        (t.date - view.start).days * per_day + measure.width(text, LABEL_SIZE)
        for t, text in zip(view.titles, titles.texts, strict=True)
    ]
    past = max(ends, default=0.0) - (view.end - view.start).days * per_day
    return max(LABEL_ROOM, past + 8.0)


def _axes_box(frame: _Frame) -> tuple[float, float, float, float]:
    lanes_height = (
        frame.height - 2 * MARGIN - frame.heading - frame.legend - AXIS_ROOM - frame.key_height
    )
    return (
        (MARGIN + frame.gutter) / frame.width,
        (MARGIN + AXIS_ROOM + frame.key_height) / frame.height,
        (frame.width - 2 * MARGIN - frame.gutter) / frame.width,
        lanes_height / frame.height,
    )


def _set_axes(ax: Axes, view: Lanes, frame: _Frame) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator

    right_days = (frame.width - 2 * MARGIN - frame.gutter) / frame.per_day
    top = -(frame.title_rows * TITLE_ROW + 4) / ROW
    ax.set_xlim(_num(view.start), _num(view.start) + right_days)
    ax.set_ylim(len(view.lanes), top)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    ax.xaxis.set_minor_locator(FixedLocator([_num(d) for d in view.dates]))
    ax.tick_params(axis="x", which="minor", length=5, color="#888888")
    ax.tick_params(axis="x", which="major", labelsize=LABEL_SIZE, length=3)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_bounds(_num(view.start), _num(view.end))
    for day in view.dates:
        ax.vlines(_num(max(day, view.start)), 0, len(view.lanes), color=RULE, lw=0.6, zorder=0.5)


# Drawing ----------------------------------------------------------------------------------------


def _draw_bars(chart: Timeline, colours: dict[str, str], per_day: float) -> None:
    from matplotlib.collections import LineCollection, PolyCollection

    lanes = chart.lanes.lanes
    for standing, (light, style, width) in STANDING_STYLE.items():
        boxes, faces, edges = [], [], []
        for lane in lanes:
            for s in lane.segments:
                if s.standing != standing:
                    continue
                x0, x1 = _num(s.start), max(_num(s.end), _num(s.start) + 4.0 / per_day)
                y0, y1 = lane.index + (1 - BAR / ROW) / 2, lane.index + (1 + BAR / ROW) / 2
                boxes.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
                faces.append(lighten(colours[s.kind], light))
                edges.append(colours[s.kind])
        if boxes:
            bars = PolyCollection(
                boxes, facecolors=faces, edgecolors=edges, linewidths=width, linestyles=style
            )
            bars.set_zorder(2)
            chart.ax.add_collection(bars, autolim=False)
            chart.bars.append(bars)
    plans = [
        [(_num(s.start), lane.index + 0.07), (_num(s.end), lane.index + 0.07)]
        for lane in lanes
        for s in lane.segments
        if s.pending
    ]
    if plans:
        strip = LineCollection(plans, colors=INK, linewidths=1.6, linestyles=(0, (1.0, 1.6)))
        strip.set_zorder(2.5)
        chart.ax.add_collection(strip, autolim=False)
        chart.bars.append(strip)


def _draw_links(chart: Timeline) -> None:
    from matplotlib.collections import LineCollection

    for kind, (colour, _) in LINK_STYLE.items():
        lines = [
            [(_num(link.date), link.from_lane + 0.5), (_num(link.date), link.to_lane + 0.5)]
            for link in chart.lanes.links
            if link.kind == kind
        ]
        if lines:
            drawn = LineCollection(lines, colors=colour, linewidths=1.1, alpha=0.8, zorder=3)
            chart.ax.add_collection(drawn, autolim=False)
            chart.links.append(drawn)


def _draw_marks(chart: Timeline, measure: TextMeasure, frame: _Frame) -> None:
    view = chart.lanes
    for kind in MARKED:
        marks = [m for m in view.marks if m.kind == kind]
        if marks:
            colour, marker = CHANGE_STYLE.get(kind, ("#4d4d4d", "o"))
            chart.marks.append(
                chart.ax.scatter(
                    [_num(m.date) for m in marks],
                    [m.lane + 0.5 for m in marks],
                    marker=marker,
                    s=34,
                    c=colour,
                    edgecolors="white",
                    linewidths=0.6,
                    zorder=4,
                )
            )
    places = place_event_labels(view, measure, frame.per_day)
    font = measure.font(LABEL_SIZE)
    for mark, (side, text) in zip(view.marks, places, strict=True):
        if side == 0:
            continue
        x = _num(mark.date) + side * LABEL_OFFSET / frame.per_day
        chart.labels.append(
            chart.ax.text(
                x,
                mark.lane + 0.5,
                text,
                ha="left" if side > 0 else "right",
                va="center_baseline",
                fontproperties=font,
                color=SOFT,
                parse_math=False,
                zorder=5,
                gid="event",
            )
        )


def place_event_labels(view: Lanes, measure: TextMeasure, per_day: float) -> list[tuple[int, str]]:
    """For each mark, where its label goes (1 right of the mark, -1 left of it, 0 left out) and
    its text: the whole label, or where that has no room, its first part.

    A label may not cover a mark, a link through its lane, another label, or leave the axis.
    Marks are served most telling kind first.
    """
    taken = _obstacles(view, per_day)
    gap = 3.0 / per_day
    limit = float((view.end - view.start).days) + LABEL_ROOM / per_day
    places = [(0, "")] * len(view.marks)
    order = sorted(range(len(view.marks)), key=lambda i: MARKED.index(view.marks[i].kind))
    for i in order:
        mark = view.marks[i]
        x = float((mark.date - view.start).days)
        spans = taken.setdefault(mark.lane, [])
        whole = short_label(mark.label)
        for text in dict.fromkeys([whole, short_label(mark.label.split("; ")[0])]):
            near = LABEL_OFFSET / per_day
            far = near + measure.width(text, LABEL_SIZE) / per_day
            for side, left, right in ((1, x + near, x + far), (-1, x - far, x - near)):
                free = all(right + gap <= a or left >= b + gap for a, b in spans)
                if free and left >= 0 and right <= limit and places[i][0] == 0:
                    spans.append((left, right))
                    places[i] = (side, text)
    return places


def _obstacles(view: Lanes, per_day: float) -> dict[int, list[tuple[float, float]]]:
    """What labels must keep clear of on each lane, in days from the start: marks and links."""
    half, gap = 6.0 / per_day, 3.0 / per_day
    taken: dict[int, list[tuple[float, float]]] = {}
    for mark in view.marks:
        x = float((mark.date - view.start).days)
        taken.setdefault(mark.lane, []).append((x - half, x + half))
    for link in view.links:
        x = float((link.date - view.start).days)
        low, high = sorted((link.from_lane, link.to_lane))
        for lane in range(low, high + 1):
            taken.setdefault(lane, []).append((x - gap, x + gap))
    return taken


def _draw_names(chart: Timeline, names: Sequence[str], measure: TextMeasure, frame: _Frame) -> None:
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    ax = chart.ax
    base = blended_transform_factory(ax.transAxes, ax.transData)
    for lane, name in zip(chart.lanes.lanes, names, strict=True):
        shift = (-frame.gutter + INDENT * min(lane.depth, 4)) / 72
        offset = ScaledTranslation(shift, 0, chart.figure.dpi_scale_trans)
        chart.labels.append(
            ax.text(
                0,
                lane.index + 0.5,
                name,
                transform=base + offset,
                ha="left",
                va="center_baseline",
                fontproperties=measure.font(LABEL_SIZE, _name_weight(lane.depth)),
                color=INK,
                parse_math=False,
                gid="lane",
            )
        )


def _name_weight(depth: int) -> str:
    return "bold" if depth <= 1 else "normal"


def _draw_titles(chart: Timeline, frame: _Frame, measure: TextMeasure) -> None:
    view, ax, titles = chart.lanes, chart.ax, frame.titles
    font = measure.font(LABEL_SIZE, "bold" if titles.key else "normal")
    for title, text, row in zip(view.titles, titles.texts, titles.rows, strict=True):
        x = _num(max(title.date, view.start))
        y = -(row * TITLE_ROW + 4) / ROW
        ax.vlines(x, y - TITLE_ROW / ROW * 0.8, 0, color=RULE, lw=0.6, zorder=0.5)
        chart.titles.append(
            ax.text(x, y, text, va="bottom", fontproperties=font, color=INK, parse_math=False)
        )
    column = (frame.width - 2 * MARGIN) / frame.key_columns
    rows = -(-len(titles.key) // frame.key_columns)
    for index, line in enumerate(titles.key):
        left = MARGIN + column * (index // rows)
        top = MARGIN + frame.key_height - 4 - TITLE_ROW * (index % rows)
        chart.titles.append(
            chart.figure.text(
                left / frame.width,
                top / frame.height,
                line,
                va="top",
                fontproperties=measure.font(LABEL_SIZE),
                color=INK,
                parse_math=False,
            )
        )


def _title(view: Lanes, organisation: str | None) -> str:
    story = next((lane.name for lane in view.lanes if lane.unit == view.unit), None)
    what = f"the story of {story}" if story else "units over time"
    return f"{organisation or 'Organisation'}: {what}"


def _draw_heading(
    chart: Timeline,
    title: str,
    measure: TextMeasure,
    legend: Sequence[tuple[str, Any]],
    frame: _Frame,
) -> None:
    lines = [title, *_subtitle(chart.lanes)]
    handles, labels = [h for _, h in legend], [label for label, _ in legend]
    if not chart.own_figure:
        chart.heading.append(chart.ax.set_title("\n".join(lines), loc="left", fontsize=9.5))
        chart.legend = chart.ax.legend(
            handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
        )
        return
    y = 1 - MARGIN / frame.height
    for index, line in enumerate(lines):
        size = 13.0 if index == 0 else 9.5
        weight = "bold" if index == 0 else "normal"
        chart.heading.append(
            chart.figure.text(
                MARGIN / frame.width,
                y,
                line,
                va="top",
                fontproperties=measure.font(size, weight),
                color=INK,
                parse_math=False,
            )
        )
        y -= size * 1.5 / frame.height
    chart.legend = chart.figure.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(MARGIN / frame.width, 1 - (MARGIN + frame.heading) / frame.height),
        ncol=frame.legend_columns,
        frameon=False,
        prop=measure.font(LABEL_SIZE),
        borderpad=0.0,
        borderaxespad=0.0,
        handlelength=2.4,
    )


def _subtitle(view: Lanes) -> list[str]:
    count = len(view.dates)
    used = (
        f"Snapshots {view.dates[0]} to {view.dates[-1]} ({count}); bars {view.start} to {view.end}"
    )
    if view.unit is not None:
        shown = f"{view.unit}: the units its changes involved, and their parents"
    else:
        levels = f"{view.depth} level{'s' if view.depth != 1 else ''} below the top"
        shown = f"{len(view.lanes)} units, down to {levels}"
        if view.left_out:
            shown += (
                f"; {view.left_out} with the fewest changes and sub-units left out "
                f"(--depth {view.depth} shows them)"
            )
    if len(view.titles) < len(view.dates):
        shown += f"; titles of the {len(view.titles)} snapshots with most changes"
    return [used, shown]


def _legend_entries(view: Lanes, colours: dict[str, str]) -> list[tuple[str, Any]]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    segments = [s for lane in view.lanes for s in lane.segments]
    kinds = {s.kind for s in segments}
    entries: list[tuple[str, Any]] = [
        (kind.replace("_", " "), Patch(facecolor=lighten(colour, 0.62), edgecolor=colour))
        for kind, colour in colours.items()
        if kind in kinds
    ]
    standings = {s.standing for s in segments}
    for standing, (light, style, width) in STANDING_STYLE.items():
        if standing in standings:
            patch = Patch(
                facecolor=lighten("#777777", light), edgecolor="#555555", lw=width, ls=style
            )
            entries.append((STANDING_LEGEND[standing], patch))
    if any(s.pending for s in segments):
        line = Line2D([], [], color=INK, lw=1.6, ls=(0, (1.0, 1.6)))
        entries.append((PLAN_LEGEND, line))
    for kind, (colour, label) in LINK_STYLE.items():
        if any(link.kind == kind for link in view.links):
            entries.append((label, Line2D([], [], color=colour, lw=1.4)))
    for kind in MARKED:
        if any(mark.kind == kind for mark in view.marks):
            colour, marker = CHANGE_STYLE.get(kind, ("#4d4d4d", "o"))
            label = CHANGE_LABELS.get(kind, kind.replace("_", " ")).split(" (")[0]
            entries.append((label, Line2D([], [], marker=marker, color=colour, ls="none")))
    return entries
