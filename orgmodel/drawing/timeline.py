"""Timelines: every unit as a lane through time, with its splits, merges, moves and spin-offs.

The lanes come from :func:`orgmodel.layout.timeline_lanes`; this module measures the labels,
chooses which fit, and draws on a real date axis. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgmodel.dates import DateLike, parse_date
from orgmodel.drawing._style import INK, TextMeasure, kind_colours, text_families
from orgmodel.drawing.orgchart import CHANGE_LABELS, CHANGE_STYLE
from orgmodel.layout import TimelineLayout, place_labels, short_label, timeline_lanes

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from orgmodel.history import History

__all__ = ["Timeline", "draw_timeline"]

#: Height of a lane, in points.
ROW = 19.0
#: Lane and event labels, in points.
LABEL_SIZE = 7.5
#: Where in its row (0 top, 1 bottom) a lane's bar and its label sit.
BAR_Y, LABEL_Y = 0.74, 0.34
#: How each standing is drawn: offset of the bar in its row, line style, width.
STANDING_STYLE: dict[str, tuple[float, Any, float]] = {
    "in_line": (0.0, "-", 4.5),
    "standalone": (-0.06, (0, (3.0, 1.5)), 3.0),
    "outside": (-0.1, (0, (1.0, 1.2)), 2.6),
}
STANDING_LEGEND = {
    "in_line": "in line",
    "standalone": "standalone (dashed, raised)",
    "outside": "outside the group (dotted)",
}
LINK_STYLE: dict[str, tuple[str, Any, str]] = {
    "moved": ("#8a8a8a", (0, (2.5, 2.0)), "moved (old lane to new)"),
    "split": (CHANGE_STYLE["split"][0], "-", "split (fork)"),
    "merged": (CHANGE_STYLE["merged"][0], "-", "merged or absorbed (join)"),
}


@dataclass
class Timeline:
    """What :func:`draw_timeline` drew: figure, axes, the lane layout and artists by role."""

    figure: Figure
    ax: Axes
    layout: TimelineLayout
    bars: list[Artist] = field(default_factory=list)
    links: list[Artist] = field(default_factory=list)
    marks: list[Artist] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    heading: list[Text] = field(default_factory=list)
    legend: Artist | None = None
    dates: tuple[dt.date, ...] = ()
    own_figure: bool = True


def draw_timeline(
    history: History,
    *,
    ax: Axes | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    unit: str | None = None,
    depth: int | None = None,
    events: Iterable[Any] | None = None,
    lang: str = "en",
) -> Timeline:
    """Draw the units of ``history`` as lanes on a date axis.

    Each unit is a horizontal bar from its first to its last appearance, coloured by its kind,
    in a lane grouped under its parent of the moment (parents above their children, each
    top-level group on a shaded band). A move shifts the unit to a lane under its new parent,
    with a dashed connector; a split forks and a merger or absorption joins lanes on the day.
    While a unit is stand-alone the bar is dashed and raised, and dotted while outside the
    group, so spin-offs and returns show as the bar leaving and rejoining its line. Events are
    marked with the change chart's symbols and a short label where there is room; snapshot
    dates are minor ticks with light vertical lines.

    Parameters
    ----------
    history : History
        The snapshots to draw.
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new figure sized to the number of lanes.
    start, end : date or str, optional
        The period (default: all of it). ``start`` uses the snapshot in force on that day.
    unit : str, optional
        Focus on one unit: it, the units of its lineage (those it came from or went into) and
        their parents; ``depth`` then counts levels below the unit (default 0).
    depth : int, optional
        Show units at most this many levels below the root (default: all).
    events : iterable of events, optional
        The events to mark (default ``history.changes(start, end)``).
    lang : {"en", "zh"}
        As for :func:`orgmodel.drawing.draw_org_chart`.

    Returns
    -------
    Timeline
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator

    first, last = history.span(start, end)
    snapshots = history.snapshots[first : last + 1]
    stop = parse_date(end) + dt.timedelta(days=1) if end is not None else None
    if events is None:
        events = (
            history.changes(snapshots[0].date, snapshots[-1].date) if len(snapshots) > 1 else []
        )
    events = list(events)
    focus: set[str] = set()
    if unit is not None:
        history.check_unit(unit)
        focus.add(unit)
        related = {unit}
        for event in history.lineage(unit):
            related.update(str(uid) for uid in event.units)
        for snapshot in snapshots:
            for uid in related:
                if uid in snapshot.units:
                    focus.add(uid)
                    focus.update(snapshot.ancestors(uid))
        depth = depth or 0
    layout = timeline_lanes(snapshots, events, end=stop, depth=depth, unit=unit, focus=focus)

    names = [s.name for s in layout.segments]
    families, chinese = text_families(lang, names)
    measure = TextMeasure(families)
    colours = kind_colours(history.kinds, (s.kind for s in layout.segments))

    lanes = len(layout.lanes)
    span_days = max((layout.end - layout.start).days, 30)
    plot_width = min(max(span_days / 365.25 * 110.0, 520.0), 1500.0)
    per_day = plot_width / span_days  # points per day

    # Labels: each lane's name where it first appears, then event labels where there is room.
    candidates: list[tuple[int, float, float]] = []
    texts: list[tuple[float, float, str, str]] = []  # (x in days, row, text, role)
    origin = layout.start
    seen: set[int] = set()
    for segment in layout.segments:
        if segment.lane in seen:
            continue
        seen.add(segment.lane)
        name = short_label(segment.name_zh if chinese and segment.name_zh else segment.name)
        x = (segment.start - origin).days + 3 / per_day
        width = measure.width(name, LABEL_SIZE) / per_day
        candidates.append((segment.lane, x, width))
        texts.append((x, segment.lane, name, "lane"))
    for mark in layout.marks:
        label = mark.label
        x = (mark.date - origin).days + 6 / per_day
        candidates.append((mark.lane, x, measure.width(label, LABEL_SIZE) / per_day))
        texts.append((x, mark.lane, label, "event"))
    shown = place_labels(candidates, gap=4 / per_day)
    right_days = max(
        [span_days] + [x + width for (_, x, width), ok in zip(candidates, shown, strict=True) if ok]
    )

    legend_entries = _legend(layout, colours, Line2D)
    legend_size, title_size, sub_size = 8.0, 13.0, 9.5
    margin, axis_room = 22.0, 26.0
    text_width = max(plot_width * right_days / span_days, 560.0)
    entry_width = max(measure.width(label, legend_size) for label, _ in legend_entries)
    columns = max(1, int(text_width // (entry_width + 5 * legend_size)))
    legend_height = -(-len(legend_entries) // columns) * legend_size * 1.75 + 10
    heading_height = title_size * 1.5 + sub_size * 1.5 + 8
    plot_height = lanes * ROW
    width = text_width + 2 * margin
    height = margin + heading_height + legend_height + plot_height + axis_room + margin

    own_figure = ax is None
    if ax is None:
        figure = plt.figure(figsize=(width / 72, height / 72))
        ax = figure.add_axes(
            (
                margin / width,
                (margin + axis_room) / height,
                plot_width * right_days / span_days / width,
                plot_height / height,
            )
        )
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    chart = Timeline(figure=figure, ax=ax, layout=layout, dates=layout.dates, own_figure=own_figure)

    def date_x(day: dt.date) -> float:
        return float(mdates.date2num(day))  # type: ignore[no-untyped-call]

    x0 = date_x(origin)
    ax.set_xlim(x0, x0 + right_days)
    ax.set_ylim(lanes, 0)
    ax.xaxis_date()

    # Bands: each top-level group shaded in turn, so a lane that leaves it is seen to leave.
    band_start = 0
    shade = False
    for index in range(1, lanes + 1):
        if index == lanes or layout.lanes[index].band != layout.lanes[band_start].band:
            if shade:
                ax.axhspan(band_start, index, color="#f1f1f1", zorder=0, linewidth=0)
            shade = not shade
            band_start = index
    for day in layout.dates:
        ax.axvline(date_x(day), color="#dddddd", linewidth=0.6, zorder=0.5)

    # Bars, one collection per standing.
    for standing, (offset, style, linewidth) in STANDING_STYLE.items():
        lines, line_colours = [], []
        for segment in layout.segments:
            if segment.standing != standing:
                continue
            y = segment.lane + BAR_Y + offset
            lines.append([(date_x(segment.start), y), (date_x(segment.end) - 1.5 / per_day, y)])
            line_colours.append(colours[segment.kind])
        if lines:
            bars = LineCollection(
                lines,
                colors=line_colours,
                linewidths=linewidth,
                linestyles=style,
                capstyle="butt",
                zorder=2,
            )
            ax.add_collection(bars, autolim=False)
            chart.bars.append(bars)

    # Links: from the old lane just before the day to the new lane on the day.
    lead = 7 / per_day
    for kind, (colour, style, _) in LINK_STYLE.items():
        lines = [
            [
                (date_x(link.date) - lead, link.from_lane + BAR_Y),
                (date_x(link.date), link.to_lane + BAR_Y),
            ]
            for link in layout.links
            if link.kind == kind
        ]
        if lines:
            collection = LineCollection(
                lines, colors=colour, linewidths=1.1, linestyles=style, zorder=3, alpha=0.85
            )
            ax.add_collection(collection, autolim=False)
            chart.links.append(collection)

    for kind in CHANGE_STYLE:
        marks = [m for m in layout.marks if m.kind == kind]
        if marks:
            colour, marker = CHANGE_STYLE[kind]
            chart.marks.append(
                ax.scatter(
                    [date_x(m.date) for m in marks],
                    [m.lane + BAR_Y for m in marks],
                    marker=marker,
                    s=30,
                    c=colour,
                    edgecolors="white",
                    linewidths=0.5,
                    zorder=4,
                )
            )

    font = measure.font(LABEL_SIZE)
    for (x, row, text, role), ok in zip(texts, shown, strict=True):
        if not ok:
            continue
        chart.labels.append(
            ax.text(
                x0 + x,
                row + LABEL_Y,
                text,
                va="center",
                ha="left",
                fontproperties=font,
                color=INK if role == "lane" else "#555555",
                style="normal" if role == "lane" else "italic",
                parse_math=False,
                zorder=5,
                gid=role,
            )
        )

    ax.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    ax.xaxis.set_minor_locator(FixedLocator([date_x(d) for d in layout.dates]))
    ax.tick_params(axis="x", which="minor", length=4, color="#999999")
    ax.tick_params(axis="x", which="major", labelsize=8)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)

    focus_text = f"; lineage of {unit}" if unit else ""
    depth_text = f"; {depth} level{'s' if depth != 1 else ''} below the top" if depth else ""
    heading = [
        f"{history.title or 'Organisation'}: units over time",
        f"Snapshots {layout.dates[0].isoformat()} to {layout.dates[-1].isoformat()} "
        f"({len(layout.dates)}){focus_text}{depth_text}; {lanes} lanes",
    ]
    handles = [handle for _, handle in legend_entries]
    labels = [label for label, _ in legend_entries]
    if own_figure:
        y = 1 - margin / height
        for index, line in enumerate(heading):
            size = title_size if index == 0 else sub_size
            chart.heading.append(
                figure.text(
                    margin / width,
                    y,
                    line,
                    va="top",
                    fontproperties=measure.font(size, "bold" if index == 0 else "normal"),
                    color=INK,
                    parse_math=False,
                )
            )
            y -= size * 1.5 / height
        chart.legend = figure.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(margin / width, 1 - (margin + heading_height) / height),
            ncol=columns,
            frameon=False,
            prop=measure.font(legend_size),
            borderpad=0.0,
            borderaxespad=0.0,
            handlelength=2.4,
        )
    else:
        chart.heading.append(ax.set_title("\n".join(heading), loc="left", fontsize=sub_size))
        chart.legend = ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=legend_size,
        )
    return chart


def _legend(
    layout: TimelineLayout, colours: dict[str, str], line: Any
) -> Sequence[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    kinds = {s.kind for s in layout.segments}
    for kind, colour in colours.items():
        if kind in kinds:
            entries.append((kind.replace("_", " "), line([], [], color=colour, linewidth=4.5)))
    standings = {s.standing for s in layout.segments}
    for standing, (_, style, width) in STANDING_STYLE.items():
        if standing in standings:
            entries.append(
                (
                    STANDING_LEGEND[standing],
                    line([], [], color="#666666", linewidth=width, linestyle=style),
                )
            )
    links = {link.kind for link in layout.links}
    for kind, (colour, style, label) in LINK_STYLE.items():
        if kind in links:
            entries.append((label, line([], [], color=colour, linewidth=1.2, linestyle=style)))
    marked = {mark.kind for mark in layout.marks}
    for kind, (colour, marker) in CHANGE_STYLE.items():
        if kind in marked:
            label = CHANGE_LABELS[kind].split(" (")[0]
            entries.append(
                (
                    label,
                    line([], [], marker=marker, color=colour, linestyle="none", markersize=6),
                )
            )
    return entries
