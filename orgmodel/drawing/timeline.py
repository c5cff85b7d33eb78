"""Timelines: one lane per unit on a date axis, drawn from :func:`orgmodel.lanes.timeline_lanes`.

Names sit in a column on the left, indented by depth; units under one parent whose lives follow
one another share a row, the later ones named at the start of their bars. Each bar is tinted by
the unit's kind and outlined by its standing; what was announced and not done (an IPO planned)
is a dotted line along the top of the bar, never a change of standing. Events are marks on the
lanes with short labels where they fit; snapshot titles stand above the lanes at their dates.
Every word that is not data comes from the picture-word table, in the picture's language.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from orgmodel.dates import DateLike
from orgmodel.drawing._legend import (
    Handle,
    by_columns,
    draw_legend,
    line_handle,
    marker_handle,
    patch_handle,
)
from orgmodel.drawing._style import (
    INK,
    TextMeasure,
    kind_colours,
    label_text,
    lighten,
    text_families,
    wrap_to_width,
)
from orgmodel.drawing._words import kind_word, word
from orgmodel.drawing.orgchart import CHANGE_STYLE, FONT_SIZE
from orgmodel.lanes import MARKED, TAIL_ROOM, Lane, Lanes, Name, Phrase, timeline_lanes
from orgmodel.layout import short_label

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    from orgmodel.history import History

__all__ = ["Timeline", "draw_timeline", "organisation_name", "stack_titles"]

#: Lane and event labels: the org chart's box label size, in points.
LABEL_SIZE = FONT_SIZE
#: The length of a legend entry's handle, in font sizes: long enough for a dotted plan line.
LEGEND_HANDLE = 2.4
#: Height of a row and of its bar, in points.
ROW, BAR = 13.0, 10.5
#: Width of the date axis, in points, and the widest a figure gets (1916 pixels at 100 dpi).
PLOT_WIDTH, MAX_WIDTH = 900.0, 1380.0
#: Indent of a name per level of depth, in points.
INDENT = 9.0
#: How each standing outlines its bar: how much the kind's colour is lightened, line style, width.
STANDING_STYLE: dict[str, tuple[float, Any, float]] = {
    "in_line": (0.62, "-", 0.8),
    "standalone": (0.86, (0, (4.0, 2.0)), 1.5),
    "outside": (1.0, (0, (1.0, 1.5)), 1.5),
}
#: The legend's word for each standing, and for plans and links.
STANDING_WORDS = {"in_line": "in_line", "standalone": "standalone_bar", "outside": "outside_bar"}
LINK_STYLE: dict[str, tuple[str, str]] = {
    "split": (CHANGE_STYLE["split"][0], "split_link"),
    "merged": (CHANGE_STYLE["merged"][0], "merged_link"),
}
#: Grey for event labels and the lines of snapshot dates.
SOFT, RULE = "#444444", "#c8c8c8"
MARGIN, AXIS_ROOM, TITLE_ROW = 20.0, 30.0, LABEL_SIZE * 1.45
#: Titles stand at their dates in at most this many rows; the titles of lower rank that would
#: need more are left out (the subtitle says how many are given).
MAX_TITLE_ROWS = 4
#: Room right of the period's end for the labels of its last events, in points.
LABEL_ROOM = TAIL_ROOM * PLOT_WIDTH
#: Distance from a mark's centre to its label, in points (past the mark and a gap).
LABEL_OFFSET = 10.0
#: Title and subtitle sizes, in points.
TITLE_SIZE, SUB_SIZE = 13.0, 9.5


@dataclass
class Timeline:
    """What :func:`draw_timeline` drew: figure, axes, the lanes view and artists by role.

    ``scale`` is how much the picture was scaled to the width asked for, or to fit the axes
    given (1: labels at 9 pt); ``box`` is the part of the figure it takes, ``(left, bottom,
    width, height)`` in figure coordinates: all of a figure of its own, or the top left of the
    axes given, keeping the picture's shape (the axes keep the lanes' part of it).
    """

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
    scale: float = 1.0
    lang: str = "en"
    box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The dates of the snapshots drawn."""
        return self.lanes.dates


class _Titles(NamedTuple):
    """The titles that stand at their dates (in date order), their texts, their rows, and
    which end at their date rather than start there."""

    shown: tuple[Any, ...]
    texts: tuple[str, ...]
    rows: tuple[int, ...]
    ends: tuple[bool, ...]


class _Frame(NamedTuple):
    """Sizes in points, at full scale: the name column, the date axis, the title rows above
    the lanes, the heading and legend, and the whole figure."""

    gutter: float
    plot: float
    per_day: float
    titles: _Titles
    title_rows: int
    heading: float
    legend: float
    legend_columns: int
    note: tuple[str, ...]
    width: float
    height: float

    @property
    def note_height(self) -> float:
        return len(self.note) * TITLE_ROW + (6.0 if self.note else 0.0)


class _Ink(NamedTuple):
    """What the drawing steps share: text measure, words' language, names by lane, scale."""

    measure: TextMeasure
    lang: str
    chinese: bool
    scale: float

    def font(self, size: float, weight: str = "normal") -> FontProperties:
        return self.measure.font(size * self.scale, weight)

    def name(self, name: Name | tuple[str, str | None]) -> str:
        en, zh = name
        return short_label(zh if self.chinese and zh else en)

    def room(self, lane: Lane) -> float:
        """The share of the date axis a lane's name needs, written at the start of its bar."""
        text = self.name((lane.name, lane.name_zh))
        return (self.measure.width(text, LABEL_SIZE, "bold") + LABEL_OFFSET + 8) / PLOT_WIDTH


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
    width: float | None = None,
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
        Every word in English, or in Chinese (unit names too, where known).
    title : str, optional
        The picture's title, instead of the history's.
    width : float, optional
        The width of a new figure, in inches; everything in it is scaled to fit.

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
    families, chinese = text_families(lang, [history.title or ""])
    ink = _Ink(TextMeasure(families), "zh" if chinese else "en", chinese, 1.0)
    view = timeline_lanes(history, start=start, end=end, unit=unit, depth=depth, room=ink.room)
    colours = kind_colours(history.kind_order, (s.kind for ln in view.lanes for s in ln.segments))
    legend = _legend_entries(view, colours, ink)
    frame = _frame(view, ink, legend)
    chart = _open(view, ax, frame, width, ink.lang)
    ink = ink._replace(scale=chart.scale)
    legend = _legend_entries(view, colours, ink)  # again, with lines at the picture's scale
    _set_axes(chart, frame, ink)
    _draw_bars(chart, colours)
    named = _names_on_bars(view, ink, frame.per_day)
    _draw_links(chart, named)
    _draw_marks(chart, ink, frame, named)
    _draw_names(chart, ink, frame, named)
    _draw_titles(chart, frame, ink)
    _draw_note(chart, frame, ink)
    first = title or _title(view, organisation_name(history, ink.lang), ink)
    _draw_heading(chart, first, ink, legend, frame)
    return chart


def organisation_name(history: History, lang: str) -> str:
    """The organisation's name for a picture's title: the history's title, or in Chinese the
    top unit's Chinese name where the data gives one."""
    if lang == "zh" and history.snapshots:
        top = history.snapshots[-1]
        name_zh = top.units[top.root].name_zh
        if name_zh:
            return name_zh
    return history.title or word("organisation", lang)


def _open(view: Lanes, ax: Axes | None, frame: _Frame, width: float | None, lang: str) -> Timeline:
    """A figure sized to the frame (scaled to ``width`` inches if given), or the axes given,
    with the frame fitted into them."""
    import matplotlib.pyplot as plt

    if ax is not None:
        figure: Any = ax.get_figure()
        box, scale = _fitted(ax, frame)
        ax.set_position(_axes_box(frame, box))
        return Timeline(figure, ax, view, own_figure=False, scale=scale, lang=lang, box=box)
    scale = width * 72 / frame.width if width is not None else 1.0
    figure = plt.figure(figsize=(frame.width * scale / 72, frame.height * scale / 72))
    ax = figure.add_axes(_axes_box(frame, (0.0, 0.0, 1.0, 1.0)))
    return Timeline(figure=figure, ax=ax, lanes=view, scale=scale, lang=lang)


def _fitted(ax: Axes, frame: _Frame) -> tuple[tuple[float, float, float, float], float]:
    """The part of the axes' box the picture takes, as large as fits keeping its shape, at
    its top left, and the scale that gives its text and lines."""
    figure: Any = ax.get_figure()
    given = ax.get_position()
    pixels = given.transformed(figure.transSubfigure)
    points = pixels.width / figure.dpi * 72, pixels.height / figure.dpi * 72
    scale = min(points[0] / frame.width, points[1] / frame.height)
    width = given.width * frame.width * scale / points[0]
    height = given.height * frame.height * scale / points[1]
    return (given.x0, given.y1 - height, width, height), scale


def _at(chart: Timeline, x: float, y: float) -> tuple[float, float]:
    """Figure coordinates of a place given as shares of the picture's width and height."""
    left, bottom, width, height = chart.box
    return left + x * width, bottom + y * height


def _num(day: dt.date) -> float:
    """matplotlib's number for ``day``: days since its epoch. Worked out here, as it is
    several hundred times a picture, without ``date2num``'s array conversion (which costs a
    twentieth of a millisecond a call)."""
    import matplotlib.dates as mdates

    epoch = _epoch(mdates.get_epoch())  # type: ignore[no-untyped-call]
    if epoch is None:
        return float(mdates.date2num(day))  # type: ignore[no-untyped-call]
    return (dt.datetime.combine(day, dt.time()) - epoch) / dt.timedelta(days=1)


@functools.cache
def _epoch(text: str) -> dt.datetime | None:
    """matplotlib's date epoch, or None where Python cannot read it (a year before 1)."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _y(lane: Lane) -> float:
    """The middle of a lane's row, in data units (rows count down from 0 at the top)."""
    return lane.row + 0.5


# Sizes ------------------------------------------------------------------------------------------


def stack_titles(
    xs: Sequence[float],
    widths: Sequence[float],
    gap: float,
    ends: Sequence[bool] | None = None,
) -> list[int]:
    """The row (0 just above the lanes) of texts whose lines stand at ``xs`` (in order), each
    starting at its line, or ending at it where ``ends`` says so, so that none covers another
    or the line that joins a higher one down to its ``x``.

    Each text goes one row above the highest of the later texts it would reach. (A text that
    ends at its line must not reach back over an earlier line: see :func:`_titles`.)

    >>> stack_titles([0, 5, 30], [10, 10, 10], gap=1)
    [1, 0, 0]
    >>> stack_titles([0, 30], [10, 15], gap=1, ends=[False, True])
    [0, 0]
    """
    lefts = [
        x - (w if ends and ends[i] else 0.0)
        for i, (x, w) in enumerate(zip(xs, widths, strict=True))
    ]
    rows = [0] * len(xs)
    for t in reversed(range(len(xs))):
        right = lefts[t] + widths[t] + gap
        covered = [rows[u] for u in range(t + 1, len(xs)) if lefts[u] <= right]
        rows[t] = max(covered, default=-1) + 1
    return rows


class _Placed(NamedTuple):
    """A title that stands at its date: its line's place in days, its width, and whether it
    ends at its line (when there is no room for it to the right)."""

    title: Any
    x: float
    width: float
    ends: bool


def _titles(view: Lanes, measure: TextMeasure, per_day: float, room: float) -> _Titles:
    """The titles, taken in their order of rank, that stand at their dates in at most
    :data:`MAX_TITLE_ROWS` rows: each starting at its date, or, if it would run more than
    ``room`` points past the period, ending there, where that reaches back over no other
    title's line."""
    kept: list[_Placed] = []
    rows: list[int] = []
    limit = (view.end - view.start).days + room / per_day
    for candidate in view.titles:
        x = float(max((candidate.date - view.start).days, 0))
        width = measure.width(f" {candidate.title} ", LABEL_SIZE) / per_day
        placed = _Placed(candidate, x, width, x + width > limit)
        trial = sorted([*kept, placed], key=lambda p: p.x)
        if any(p.ends and any(p.x - p.width <= q.x < p.x for q in trial) for p in trial):
            continue  # a title ending at its line would cover another's line
        if any(p.ends and p.x - p.width < 0 for p in trial):
            continue
        xs, widths = [p.x for p in trial], [p.width for p in trial]
        stacked = stack_titles(xs, widths, 6.0 / per_day, [p.ends for p in trial])
        if max(stacked) < MAX_TITLE_ROWS:
            kept, rows = trial, stacked
    texts = tuple(f" {p.title.title} " if p.ends else f" {p.title.title}" for p in kept)
    return _Titles(tuple(p.title for p in kept), texts, tuple(rows), tuple(p.ends for p in kept))


def _frame(view: Lanes, ink: _Ink, legend: Sequence[tuple[str, Handle]]) -> _Frame:
    measure = ink.measure
    firsts = _row_heads(view)
    gutter = 12.0 + max(
        measure.width(_gutter_name(lane, ink), LABEL_SIZE, _name_weight(lane.depth))
        + INDENT * min(lane.depth, 4)
        for lane in firsts
    )
    per_day = PLOT_WIDTH / max((view.end - view.start).days, 1)
    titles = _titles(view, measure, per_day, MAX_WIDTH - 2 * MARGIN - gutter - PLOT_WIDTH)
    title_rows = max(titles.rows, default=-1) + 1
    width = MARGIN * 2 + gutter + PLOT_WIDTH + _right_room(view, titles, measure, per_day)
    lines = _subtitle(view, ink, len(titles.shown))
    heading = TITLE_SIZE * 1.5 + SUB_SIZE * 1.5 * len(lines) + 6
    width = max(width, 2 * MARGIN + max(measure.width(line, SUB_SIZE) for line in lines) + 8)
    columns = _legend_columns([label for label, _ in legend], width - 2 * MARGIN, measure)
    legend_height = -(-len(legend) // columns) * LABEL_SIZE * 1.7 + 10
    lanes_height = view.rows * ROW + title_rows * TITLE_ROW + 4
    note = _note(view, ink, width - 2 * MARGIN)
    height = 2 * MARGIN + heading + legend_height + lanes_height + AXIS_ROOM
    height += len(note) * TITLE_ROW + (6.0 if note else 0.0)
    return _Frame(
        gutter,
        PLOT_WIDTH,
        per_day,
        titles,
        title_rows,
        heading,
        legend_height,
        columns,
        note,
        width,
        height,
    )


def _note(view: Lanes, ink: _Ink, width: float) -> tuple[str, ...]:
    """The footnote naming the units left out, in lines that fit ``width`` points."""
    if not view.left_out:
        return ()
    names = word("list_separator", ink.lang).join(ink.name(n) for n in view.left_out)
    text = word("not_shown", ink.lang, names=names)
    return tuple(wrap_to_width(text, width, ink.measure, LABEL_SIZE))


def _legend_columns(labels: Sequence[str], width: float, measure: TextMeasure) -> int:
    """The most columns the legend fits in ``width`` points, filled column by column as
    matplotlib fills them, each as wide as its widest entry."""
    widths = [measure.width(label, LABEL_SIZE) + 4.6 * LABEL_SIZE for label in labels]
    for rows in range(1, len(labels) + 1):
        columns = [widths[i : i + rows] for i in range(0, len(widths), rows)]
        if sum(max(column) for column in columns) <= width * 0.95:
            return len(columns)
    return 1


def _row_heads(view: Lanes) -> list[Lane]:
    """The first lane of each row: the one named before the row."""
    heads: dict[int, Lane] = {}
    for lane in view.lanes:
        heads.setdefault(lane.row, lane)
    return list(heads.values())


def _right_room(view: Lanes, titles: _Titles, measure: TextMeasure, per_day: float) -> float:
    """Room past the end of the period for the titles that reach past it, and for labels."""
    ends = [
        (t.date - view.start).days * per_day + (0 if left else measure.width(text, LABEL_SIZE))
        for t, text, left in zip(titles.shown, titles.texts, titles.ends, strict=True)
    ]
    past = max(ends, default=0.0) - (view.end - view.start).days * per_day
    return max(LABEL_ROOM, past + 8.0)


def _axes_box(
    frame: _Frame, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Where the lanes' axes go, in figure coordinates, for the picture in ``box``."""
    lanes_height = (
        frame.height - 2 * MARGIN - frame.heading - frame.legend - AXIS_ROOM - frame.note_height
    )
    left, bottom, width, height = box
    return (
        left + width * (MARGIN + frame.gutter) / frame.width,
        bottom + height * (MARGIN + AXIS_ROOM + frame.note_height) / frame.height,
        width * (frame.width - 2 * MARGIN - frame.gutter) / frame.width,
        height * lanes_height / frame.height,
    )


def _set_axes(chart: Timeline, frame: _Frame, ink: _Ink) -> None:
    ax, view = chart.ax, chart.lanes
    right_days = (frame.width - 2 * MARGIN - frame.gutter) / frame.per_day
    top = -(frame.title_rows * TITLE_ROW + 4) / ROW
    ax.set_xlim(_num(view.start), _num(view.start) + right_days)
    ax.set_ylim(view.rows, top)
    _date_ticks(ax, view, ink.lang)
    _snapshot_ticks(ax, view, ink.scale)
    ax.tick_params(axis="x", which="major", labelsize=LABEL_SIZE * ink.scale, length=3 * ink.scale)
    if ink.measure.families:
        ax.tick_params(axis="x", which="major", labelfontfamily=ink.measure.families)
    offset = ax.xaxis.get_offset_text()  # the year of a short period: at the axis's end
    offset.set_fontproperties(ink.font(LABEL_SIZE))
    offset.set_x((_num(view.end) - _num(view.start)) / right_days)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_bounds(_num(view.start), _num(view.end))
    ax.spines["bottom"].set_linewidth(0.8 * ink.scale)
    days = [_num(max(day, view.start)) for day in view.dates]
    ax.vlines(days, 0, view.rows, color=RULE, lw=0.6 * ink.scale, zorder=0.5)


def _snapshot_ticks(ax: Axes, view: Lanes, scale: float) -> None:
    """A tick under the axis at each snapshot's date in the period, but where a date tick
    is: drawn as one line of tick marks, as matplotlib draws a tick, rather than as minor
    ticks (several artists each, slow to make and to draw for a hundred dates)."""
    from matplotlib.lines import Line2D

    dated = set(ax.xaxis.get_majorticklocs())
    days = [_num(day) for day in view.dates if day >= view.start]
    xs = [x for x in days if x not in dated]
    marks = Line2D(
        xs,
        [0.0] * len(xs),
        transform=ax.get_xaxis_transform(which="tick1"),
        linestyle="none",
        marker=3,  # matplotlib.markers.TICKDOWN: the marker of a tick under an axis
        markersize=5 * scale,
        markeredgewidth=0.6,
        color="#888888",
        clip_on=False,
        zorder=1.5,
    )
    ax.add_artist(marks)


#: Concise date labels in Chinese: years, months and days with their characters.
ZH_DATE_FORMATS = ["%Y年", "%-m月", "%-d日", "%H:%M", "%H:%M", "%S.%f"]
ZH_OFFSET_FORMATS = ["", "%Y年", "%Y年%-m月", "%Y年%-m月%-d日", "%Y年%-m月%-d日", "%Y年%-m月%-d日"]


def _date_ticks(ax: Axes, view: Lanes, lang: str) -> None:
    """Date ticks within the period only: the axis runs on past its end to leave room for
    labels, but no date past the data is written on it."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator

    auto = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    first, last = _num(view.start), _num(view.end)
    span = (dt.datetime.combine(view.start, dt.time()), dt.datetime.combine(view.end, dt.time()))
    found = auto.tick_values(*span)  # type: ignore[no-untyped-call]
    ticks = [float(t) for t in found if first - 1e-9 <= t <= last + 1e-9]
    locator = FixedLocator(ticks)
    ax.xaxis.set_major_locator(locator)
    zh = lang == "zh"
    formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        auto,
        formats=ZH_DATE_FORMATS if zh else None,
        zero_formats=ZH_DATE_FORMATS if zh else None,
        offset_formats=ZH_OFFSET_FORMATS if zh else None,
    )
    ax.xaxis.set_major_formatter(formatter)


# Drawing ----------------------------------------------------------------------------------------


def _bar_boxes(
    lanes: Sequence[Lane], standing: str, colours: dict[str, str], per_day: float
) -> tuple[list[Any], list[Any], list[str]]:
    boxes, faces, edges = [], [], []
    light = STANDING_STYLE[standing][0]
    for lane in lanes:
        for s in lane.segments:
            if s.standing != standing:
                continue
            x0 = _num(s.start)
            x1 = max(_num(s.end), x0 + 4.0 / per_day)
            y0, y1 = lane.row + (1 - BAR / ROW) / 2, lane.row + (1 + BAR / ROW) / 2
            boxes.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            faces.append(lighten(colours[s.kind], light))
            edges.append(colours[s.kind])
    return boxes, faces, edges


def _draw_bars(chart: Timeline, colours: dict[str, str]) -> None:
    from matplotlib.collections import LineCollection, PolyCollection

    lanes, scale = chart.lanes.lanes, chart.scale
    per_day = _per_day(chart)
    for standing, (_, style, width) in STANDING_STYLE.items():
        boxes, faces, edges = _bar_boxes(lanes, standing, colours, per_day)
        if boxes:
            bars = PolyCollection(
                boxes,
                facecolors=faces,
                edgecolors=edges,
                linewidths=width * scale,
                linestyles=style,
            )
            bars.set_zorder(2)
            chart.ax.add_collection(bars, autolim=False)
            chart.bars.append(bars)
    plans = [
        [(_num(s.start), lane.row + 0.07), (_num(s.end), lane.row + 0.07)]
        for lane in lanes
        for s in lane.segments
        if s.pending
    ]
    if plans:
        strip = LineCollection(
            plans, colors=INK, linewidths=1.6 * scale, linestyles=(0, (1.0, 1.6))
        )
        strip.set_zorder(2.5)
        chart.ax.add_collection(strip, autolim=False)
        chart.bars.append(strip)


def _per_day(chart: Timeline) -> float:
    """Points per day on the date axis, at full scale."""
    view = chart.lanes
    return PLOT_WIDTH / max((view.end - view.start).days, 1)


def _draw_links(chart: Timeline, named: dict[int, _OnBar]) -> None:
    """The links, each a line from one lane to the other, broken off where it passes a bar
    with a name written on it there (it goes behind the bar, not through the name)."""
    from matplotlib.collections import LineCollection

    view = chart.lanes
    rows = [lane.row for lane in view.lanes]
    gap = 3.0 / _per_day(chart)
    behind: dict[int, list[tuple[float, float]]] = {}
    for index, name in named.items():
        behind.setdefault(rows[index], []).append((name.left - gap, name.right + gap))
    for kind, (colour, _) in LINK_STYLE.items():
        lines = [
            piece
            for link in view.links
            if link.kind == kind
            for piece in _link_pieces(link, rows, behind, float((link.date - view.start).days))
        ]
        if lines:
            drawn = LineCollection(
                lines, colors=colour, linewidths=1.1 * chart.scale, alpha=0.8, zorder=3
            )
            chart.ax.add_collection(drawn, autolim=False)
            chart.links.append(drawn)


def _link_pieces(
    link: Any, rows: Sequence[int], behind: dict[int, list[tuple[float, float]]], day: float
) -> list[list[tuple[float, float]]]:
    """The pieces of a link's line: from the middle of one lane's row to the other's, but
    for the height of each bar between them whose name spans ``day``."""
    low, high = sorted((rows[link.from_lane], rows[link.to_lane]))
    x, top = _num(link.date), low + 0.5
    pieces = []
    for row in range(low + 1, high):
        if any(left <= day <= right for left, right in behind.get(row, [])):
            pieces.append([(x, top), (x, row + (1 - BAR / ROW) / 2)])
            top = row + (1 + BAR / ROW) / 2
    return [*pieces, [(x, top), (x, high + 0.5)]]


def _new_on_row(view: Lanes) -> list[Lane]:
    """The lanes that follow, on their row, a unit they did not come from."""
    return [lane for lane in view.lanes if lane.after is not None and not lane.succeeds]


def _draw_marks(chart: Timeline, ink: _Ink, frame: _Frame, named: dict[int, _OnBar]) -> None:
    view = chart.lanes
    rows = [lane.row for lane in view.lanes]
    new = _new_on_row(view)
    if new:  # marked as new where it starts, so that it does not read as the earlier one's heir
        _scatter_marks(chart, "added", [_num(ln.start) for ln in new], [ln.row + 0.5 for ln in new])
    for kind in MARKED:
        marks = [m for m in view.marks if m.kind == kind]
        if marks:
            xs, ys = [_num(m.date) for m in marks], [rows[m.lane] + 0.5 for m in marks]
            _scatter_marks(chart, kind, xs, ys)
    texts = [[mark_phrase(p, ink.lang, ink.chinese) for p in m.phrases] for m in view.marks]
    taken = {index: [(name.left, name.right)] for index, name in named.items()}
    places = place_event_labels(view, texts, ink.measure, frame.per_day, taken)
    for mark, (side, text) in zip(view.marks, places, strict=True):
        if side != 0:
            x = _num(mark.date) + side * LABEL_OFFSET / frame.per_day
            chart.labels.append(_lane_text(chart, x, rows[mark.lane], text, ink, side))


def _scatter_marks(chart: Timeline, kind: str, xs: list[float], ys: list[float]) -> None:
    """Mark events of ``kind`` at ``xs``, ``ys`` in the kind's colour and marker, ringed white."""
    colour, marker = CHANGE_STYLE.get(kind, ("#4d4d4d", "o"))
    chart.marks.append(
        chart.ax.scatter(
            xs,
            ys,
            marker=marker,
            s=34 * chart.scale**2,
            c=colour,
            edgecolors="white",
            linewidths=0.6 * chart.scale,
            zorder=4,
        )
    )


def _lane_text(chart: Timeline, x: float, row: int, text: str, ink: _Ink, side: int) -> Text:
    return label_text(
        chart.ax,
        x,
        row + 0.5,
        text,
        ink.measure,
        ha="left" if side > 0 else "right",
        va="center_baseline",
        fontproperties=ink.font(LABEL_SIZE),
        color=SOFT,
        parse_math=False,
        clip_on=False,
        zorder=5,
        gid="event",
    )


def mark_phrase(phrase: Phrase, lang: str = "en", chinese: bool = False) -> str:
    """How one event's phrase on a lane reads in ``lang`` (unit names in Chinese if
    ``chinese``, where known), led by the unit it is about if the phrase names one.

    >>> from orgmodel.lanes import Name
    >>> mark_phrase(Phrase("moved_under", (Name("Taobao", "淘宝"),)), "zh", True)
    '调入淘宝'
    >>> mark_phrase(Phrase("left_group", subject=Name("Sun Art")))
    'Sun Art: left the group'
    """
    text = _phrase_text(phrase, lang, chinese)
    if phrase.subject is None:
        return text
    subject = phrase.subject
    name = short_label(subject.zh if chinese and subject.zh else subject.en)
    return word("of_unit", lang, name=name, text=text)


def _phrase_text(phrase: Phrase, lang: str, chinese: bool) -> str:

    def names(units: Sequence[Name]) -> str:
        if len(units) > 2:
            return word("n_units", lang, count=len(units))
        return word("and", lang).join(
            short_label(n.zh if chinese and n.zh else n.en) for n in units
        )

    what = phrase.word
    if phrase.key in ("status", "spun_off_as"):
        status = word(f"{what}_status", lang)
        return status if phrase.key == "status" else word("spun_off_as", lang, what=status)
    if phrase.key == "plan":
        return word(str(what), lang)
    if phrase.key == "kind":
        kind = kind_word(str(what), lang)
        article = "an" if kind[:1].lower() in "aeiou" else "a"
        return word("became_kind", lang, article=article, kind=kind)
    if phrase.key in ("removed_how", "removed_into"):
        if what == "absorbed" and phrase.key == "removed_into":
            return word("absorbed_into", lang, name=names(phrase.names))
        how = word("spun_off_how" if what == "spun_off" else str(what), lang)
        return (
            how
            if phrase.key == "removed_how"
            else word("removed_into", lang, how=how, name=names(phrase.names))
        )
    if phrase.key in ("renamed_to", "moved_under"):
        return word(phrase.key, lang, name=names(phrase.names))
    if phrase.key in ("merged_from", "split_into"):
        return word(phrase.key, lang, names=names(phrase.names))
    return word(phrase.key, lang)


class _OnBar(NamedTuple):
    """A name written on its bar: where it starts, in days from the period's start, its text
    (cut if a mark or the next unit on the row comes first) and where it ends."""

    left: float
    text: str
    right: float


def _names_on_bars(view: Lanes, ink: _Ink, per_day: float) -> dict[int, _OnBar]:
    """The names written at the start of their bars (all but the first on each row), by lane
    index: each runs up to the first mark, link or next unit on its row at most."""
    heads = {lane.index for lane in _row_heads(view)}
    blocked = _obstacles(view, per_day, through=False)
    for lane in view.lanes:
        if lane.index not in heads:
            blocked.setdefault(lane.row, []).append((float((lane.start - view.start).days),) * 2)
    placed: dict[int, _OnBar] = {}
    for lane in view.lanes:
        if lane.index in heads:
            continue
        left = (lane.start - view.start).days + _name_offset(view, lane) / per_day
        ahead = [a for a, _ in blocked.get(lane.row, []) if a > left]
        right = min(ahead, default=float((view.end - view.start).days) + LABEL_ROOM / per_day)
        room = (right - left) * per_day - 3.0
        text = _cut(ink.name((lane.name, lane.name_zh)), room, ink.measure, "bold")
        width = ink.measure.width(text, LABEL_SIZE, "bold") / per_day
        placed[lane.index] = _OnBar(left, text, left + width)
    return placed


def _name_offset(view: Lanes, lane: Lane) -> float:
    """How far past its bar's start a name written on the bar begins, in points: past a mark
    or a link there."""
    rows = [ln.row for ln in view.lanes]
    marked = lane.after is not None and not lane.succeeds
    marked |= any(rows[m.lane] == lane.row and m.date == lane.start for m in view.marks)
    linked = any(
        link.date == lane.start and lane.row in (rows[link.from_lane], rows[link.to_lane])
        for link in view.links
    )
    return LABEL_OFFSET if marked or linked else 3.0


def _cut(text: str, width: float, measure: TextMeasure, weight: str = "normal") -> str:
    """``text``, or as much of it as fits in ``width`` points followed by an ellipsis (at least
    its first few characters)."""
    if measure.width(text, LABEL_SIZE, weight) <= width:
        return text
    keep = len(text)
    while keep > 4 and measure.width(text[:keep].rstrip() + "\u2026", LABEL_SIZE, weight) > width:
        keep -= 1
    return text[:keep].rstrip() + "\u2026"


def place_event_labels(
    view: Lanes,
    texts: Sequence[Sequence[str]],
    measure: TextMeasure,
    per_day: float,
    taken: dict[int, list[tuple[float, float]]] | None = None,
) -> list[tuple[int, str]]:
    """For each mark, where its label goes (1 right of the mark, -1 left of it, 0 left out) and
    its text: its phrases (``texts``) joined, or where that has no room, its first phrase.

    A label may not cover a mark, a link through its row, a name, another label, or leave the
    axis. Marks are served most telling kind first.
    """
    rows = [lane.row for lane in view.lanes]
    spans_by_row = _obstacles(view, per_day)
    for lane, found in (taken or {}).items():
        spans_by_row.setdefault(rows[lane], []).extend(found)
    gap = 3.0 / per_day
    limit = float((view.end - view.start).days) + LABEL_ROOM / per_day
    places = [(0, "")] * len(view.marks)
    order = sorted(range(len(view.marks)), key=lambda i: MARKED.index(view.marks[i].kind))
    for i in order:
        mark = view.marks[i]
        x = float((mark.date - view.start).days)
        spans = spans_by_row.setdefault(rows[mark.lane], [])
        whole = short_label("; ".join(dict.fromkeys(texts[i])))
        for text in dict.fromkeys([whole, short_label(texts[i][0])]):
            near = LABEL_OFFSET / per_day
            far = near + measure.width(text, LABEL_SIZE) / per_day
            for side, left, right in ((1, x + near, x + far), (-1, x - far, x - near)):
                free = all(right + gap <= a or left >= b + gap for a, b in spans)
                if free and left >= 0 and right <= limit and places[i][0] == 0:
                    spans.append((left, right))
                    places[i] = (side, text)
    return places


def _obstacles(
    view: Lanes, per_day: float, through: bool = True
) -> dict[int, list[tuple[float, float]]]:
    """What labels must keep clear of on each row, in days from the start: marks and links
    (on the rows they join, and with ``through`` the rows they pass)."""
    half, gap = 6.0 / per_day, 3.0 / per_day
    rows = [lane.row for lane in view.lanes]
    taken: dict[int, list[tuple[float, float]]] = {}
    for mark in view.marks:
        x = float((mark.date - view.start).days)
        taken.setdefault(rows[mark.lane], []).append((x - half, x + half))
    for lane in _new_on_row(view):
        x = float((lane.start - view.start).days)
        taken.setdefault(lane.row, []).append((x - half, x + half))
    for link in view.links:
        x = float((link.date - view.start).days)
        low, high = sorted((rows[link.from_lane], rows[link.to_lane]))
        for row in range(low, high + 1) if through else (low, high):
            taken.setdefault(row, []).append((x - gap, x + gap))
    return taken


def _draw_names(chart: Timeline, ink: _Ink, frame: _Frame, on_bars: dict[int, _OnBar]) -> None:
    """Each row's first name in the column on the left; the later ones at their bars' start."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    ax, view = chart.ax, chart.lanes
    base = blended_transform_factory(ax.transAxes, ax.transData)
    for lane in view.lanes:
        font = ink.font(LABEL_SIZE, "bold")
        if lane.index not in on_bars:
            name = _gutter_name(lane, ink)
            shift = (-frame.gutter + INDENT * min(lane.depth, 4)) * ink.scale / 72
            offset = ScaledTranslation(shift, 0, chart.figure.dpi_scale_trans)
            where: dict[str, Any] = {"transform": base + offset}
            x, gid = 0.0, "lane"
            font = ink.font(LABEL_SIZE, _name_weight(lane.depth))
        else:
            name = on_bars[lane.index].text
            x = _num(view.start) + on_bars[lane.index].left
            where, gid = {}, "name"
        chart.labels.append(
            label_text(
                ax,
                x,
                _y(lane),
                name,
                ink.measure,
                ha="left",
                va="center_baseline",
                fontproperties=font,
                color=INK,
                parse_math=False,
                clip_on=False,
                zorder=5,
                gid=gid,
                **where,
            )
        )


#: The widest a name before its row gets, in points; a longer one is cut (its renames are
#: marked on the row).
GUTTER_NAME = 230.0


def _gutter_name(lane: Lane, ink: _Ink) -> str:
    width = GUTTER_NAME - INDENT * min(lane.depth, 4)
    return _cut(ink.name((lane.name, lane.name_zh)), width, ink.measure, _name_weight(lane.depth))


def _name_weight(depth: int) -> str:
    return "bold" if depth <= 1 else "normal"


def _draw_titles(chart: Timeline, frame: _Frame, ink: _Ink) -> None:
    view, ax, titles = chart.lanes, chart.ax, frame.titles
    placed = zip(titles.shown, titles.texts, titles.rows, titles.ends, strict=True)
    lines: list[tuple[float, float]] = []
    for title, text, row, ends in placed:
        x = _num(max(title.date, view.start))
        y = -(row * TITLE_ROW + 4) / ROW
        lines.append((x, y - TITLE_ROW / ROW * 0.8))
        chart.titles.append(
            label_text(
                ax,
                x,
                y,
                text,
                ink.measure,
                va="bottom",
                ha="right" if ends else "left",
                fontproperties=ink.font(LABEL_SIZE),
                color=INK,
                parse_math=False,
                clip_on=False,
            )
        )
    if lines:
        xs, lows = zip(*lines, strict=True)
        ax.vlines(xs, lows, 0, color=RULE, lw=0.6 * ink.scale, zorder=0.5)


def _draw_note(chart: Timeline, frame: _Frame, ink: _Ink) -> None:
    for index, line in enumerate(frame.note):
        top = MARGIN + frame.note_height - TITLE_ROW * index
        chart.titles.append(
            label_text(
                chart.figure,
                *_at(chart, MARGIN / frame.width, top / frame.height),
                line,
                ink.measure,
                va="top",
                fontproperties=ink.font(LABEL_SIZE),
                color=SOFT,
                parse_math=False,
            )
        )


def _title(view: Lanes, organisation: str, ink: _Ink) -> str:
    story = next((lane for lane in view.lanes if lane.unit == view.unit), None)
    if story is not None:
        return word(
            "story_of", ink.lang, org=organisation, name=ink.name((story.name, story.name_zh))
        )
    return word("units_over_time", ink.lang, org=organisation)


def _draw_heading(
    chart: Timeline,
    title: str,
    ink: _Ink,
    legend: Sequence[tuple[str, Handle]],
    frame: _Frame,
) -> None:
    lines = [title, *_subtitle(chart.lanes, ink, len(frame.titles.shown))]
    y = 1 - MARGIN / frame.height
    for index, line in enumerate(lines):
        size = TITLE_SIZE if index == 0 else SUB_SIZE
        chart.heading.append(
            label_text(
                chart.figure,
                *_at(chart, MARGIN / frame.width, y),
                line,
                ink.measure,
                va="top",
                fontproperties=ink.font(size, "bold" if index == 0 else "normal"),
                color=INK,
                parse_math=False,
            )
        )
        y -= size * 1.5 / frame.height
    chart.legend = draw_legend(
        chart.figure,
        by_columns(legend, frame.legend_columns),
        ink.measure,
        LABEL_SIZE * ink.scale,
        _at(chart, MARGIN / frame.width, 1 - (MARGIN + frame.heading) / frame.height),
        handle_length=LEGEND_HANDLE,
    )


def _subtitle(view: Lanes, ink: _Ink, titles: int) -> list[str]:
    lang, sep = ink.lang, word("separator", ink.lang)
    used = word(
        "snapshots_bars",
        lang,
        a=view.dates[0],
        b=view.dates[-1],
        count=len(view.dates),
        start=view.start,
        end=view.end,
    )
    if titles < len(view.dates):
        used += sep + word("titles_of", lang, count=titles, total=len(view.dates))
    if view.unit is not None:
        story = next(lane for lane in view.lanes if lane.unit == view.unit)
        return [used, word("story_units", lang, unit=ink.name((story.name, story.name_zh)))]
    depth = view.depth or 0
    levels = word("levels" if depth != 1 else "level", lang, count=depth)
    shown = word("units_down_to", lang, count=len(view.lanes), levels=levels)
    if view.left_out:
        shown += sep + word("left_out", lang, count=len(view.left_out), depth=depth)
    elif view.deeper:
        shown += sep + word("deeper_units", lang, count=view.deeper, depth=depth + 1)
    lines = [used, shown]
    if view.rows < len(view.lanes):
        lines.append(word("on_rows", lang))
    return lines


def _legend_entries(view: Lanes, colours: dict[str, str], ink: _Ink) -> list[tuple[str, Handle]]:
    lang, scale = ink.lang, ink.scale
    segments = [s for lane in view.lanes for s in lane.segments]
    kinds = {s.kind for s in segments}
    entries: list[tuple[str, Handle]] = [
        (
            kind_word(kind, lang),
            patch_handle(facecolor=lighten(colour, 0.62), edgecolor=colour, lw=scale),
        )
        for kind, colour in colours.items()
        if kind in kinds
    ]
    standings = {s.standing for s in segments}
    for standing, (light, style, width) in STANDING_STYLE.items():
        if standing in standings:
            patch = patch_handle(
                facecolor=lighten("#777777", light), edgecolor="#555555", lw=width * scale, ls=style
            )
            entries.append((word(STANDING_WORDS[standing], lang), patch))
    if any(s.pending for s in segments):
        line = line_handle(color=INK, lw=1.6 * scale, ls=(0, (1.0, 1.6)))
        entries.append((word("plan_bar", lang), line))
    for kind, (colour, key) in LINK_STYLE.items():
        if any(link.kind == kind for link in view.links):
            entries.append((word(key, lang), line_handle(color=colour, lw=1.4 * scale)))
    if _new_on_row(view):
        entries.append((word("new_on_row", lang), _marker_entry("added", scale)))
    for kind in MARKED:
        if any(mark.kind == kind for mark in view.marks):
            label = word(kind, lang).split(" (")[0]
            entries.append((label, _marker_entry(kind, scale)))
    return entries


def _marker_entry(kind: str, scale: float) -> Handle:
    """A legend entry's mark for an event kind: matplotlib's default marker, scaled."""
    colour, marker = CHANGE_STYLE.get(kind, ("#4d4d4d", "o"))
    size, edge = 6.0 * scale, 1.0 * scale  # matplotlib's default size and edge width
    return marker_handle(marker=marker, color=colour, ms=size, mew=edge)
