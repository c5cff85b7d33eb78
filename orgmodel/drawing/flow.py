"""Flow charts: an alluvial diagram of :func:`orgmodel.flows.flows`.

A column of blocks per date, each block as tall as the units it holds, named inside; a ribbon
for the units that pass from a block to one in the next column. Ribbons of units that stay
under the same unit are pale, those of units that change block are strong, so splits, mergers
and moves stand out. matplotlib is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from orgmodel.dates import DateLike
from orgmodel.drawing._style import (
    INK,
    PALETTE,
    TextMeasure,
    lighten,
    text_families,
    wrap_to_width,
)
from orgmodel.drawing.orgchart import FONT_SIZE
from orgmodel.flows import Block, Flows, Ribbon, flows
from orgmodel.layout import short_label

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from orgmodel.history import History

__all__ = ["FlowChart", "draw_flow_chart"]

#: Block labels and column headings: the org chart's box label size, in points.
LABEL_SIZE = FONT_SIZE
LINE = LABEL_SIZE * 1.25
#: Width of a block, of the space between columns, of the gap between blocks, in points.
BLOCK, SPACE, GAP = 120.0, 46.0, 6.0
#: The height of one unit in a block is chosen between these, in points: at least a line of text.
UNIT_MIN, UNIT_MAX = 12.0, 16.0
MARGIN = 20.0
OTHERS = "#9a9a9a"


@dataclass
class FlowChart:
    """What :func:`draw_flow_chart` drew: figure, axes, the flows view and artists by role."""

    figure: Figure
    ax: Axes
    flows: Flows
    blocks: list[Artist] = field(default_factory=list)
    ribbons: list[Artist] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    headings: list[Text] = field(default_factory=list)
    own_figure: bool = True


class _Geometry(NamedTuple):
    """Where things go, in points with y growing downwards from the top of the columns."""

    unit: float
    tops: tuple[tuple[float, ...], ...]  # top of each block, per column
    lines: tuple[tuple[tuple[str, ...], ...], ...]  # each block's label lines, per column
    height: float
    header: float


def draw_flow_chart(
    history: History,
    *,
    ax: Axes | None = None,
    dates: Sequence[DateLike] | None = None,
    level: int = 1,
    min_size: int = 2,
    lang: str = "en",
    title: str | None = None,
) -> FlowChart:
    """Draw how the units of ``history`` flow between the blocks of one level over time.

    Parameters
    ----------
    history : History
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new figure sized to the chart.
    dates, level, min_size
        As for :func:`orgmodel.flows.flows`.
    lang : {"en", "zh"}
        Unit names in English, or in Chinese where known.
    title : str, optional
        The picture's title, instead of the history's.

    Returns
    -------
    FlowChart

    Examples
    --------
    >>> import orgmodel
    >>> chart = draw_flow_chart(orgmodel.load_history())
    >>> blocks = sum(len(column.blocks) for column in chart.flows.columns)
    >>> len(chart.flows.columns), len(chart.blocks) == blocks
    (8, True)
    """
    import matplotlib.pyplot as plt

    view = flows(history, dates=dates, level=level, min_size=min_size)
    every = [b.name for c in view.columns for b in c.blocks]
    families, chinese = text_families(lang, every)
    measure = TextMeasure(families)
    geometry = _geometry(view, measure, chinese)
    width = 2 * MARGIN + len(view.columns) * BLOCK + (len(view.columns) - 1) * SPACE
    top_room = 2 * MARGIN + 13.0 * 1.5 + 9.5 * 1.5 * 2
    height = top_room + geometry.header + geometry.height + MARGIN
    own = ax is None
    if ax is None:
        figure = plt.figure(figsize=(width / 72, height / 72))
        tall = (geometry.height + geometry.header) / height
        box = (MARGIN / width, MARGIN / height, 1 - 2 * MARGIN / width, tall)
        ax = figure.add_axes(box)
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    chart = FlowChart(figure=figure, ax=ax, flows=view, own_figure=own)
    ax.set_xlim(0, width - 2 * MARGIN)
    ax.set_ylim(geometry.height, 0)
    ax.set_axis_off()
    colours = _colours(view)
    _draw_ribbons(chart, geometry, colours)
    _draw_blocks(chart, geometry, colours, measure)
    _draw_headers(chart, geometry, measure)
    _draw_heading(
        chart,
        title or f"{history.title or 'Organisation'}: where the units went",
        measure,
        width,
        height,
    )
    return chart


def _x(column: int) -> float:
    return column * (BLOCK + SPACE)


def _label(block: Block, chinese: bool) -> str:
    return short_label(block.name_zh if chinese and block.name_zh else block.name)


def _geometry(view: Flows, measure: TextMeasure, chinese: bool) -> _Geometry:
    lines = tuple(
        tuple(_label_lines(_label(b, chinese), b.size, measure) for b in column.blocks)
        for column in view.columns
    )
    need = [
        (len(text) * LINE + 3) / block.size
        for column, texts in zip(view.columns, lines, strict=True)
        for block, text in zip(column.blocks, texts, strict=True)
    ]
    unit = min(max([UNIT_MIN, *need]), UNIT_MAX)
    tops: list[tuple[float, ...]] = []
    for column in view.columns:
        y, found = 0.0, []
        for block in column.blocks:
            found.append(y)
            y += block.size * unit + GAP
        tops.append(tuple(found))
    height = max(
        t[-1] + c.blocks[-1].size * unit for t, c in zip(tops, view.columns, strict=True) if t
    )
    titles = [wrap_to_width(c.title, BLOCK + SPACE - 10, measure, LABEL_SIZE) for c in view.columns]
    header = (1 + max((len(t) for t in titles), default=0)) * LINE + 8
    return _Geometry(unit, tuple(tops), lines, height, header)


def _label_lines(text: str, size: int, measure: TextMeasure) -> tuple[str, ...]:
    """A block's name in lines that fit inside it; if they are too many for its height, in
    wider lines that reach into the space after it (drawn on a light ground there)."""
    narrow = wrap_to_width(text, BLOCK - 8, measure, LABEL_SIZE)
    if len(narrow) * LINE + 3 <= size * UNIT_MAX:
        return tuple(narrow)
    return tuple(wrap_to_width(text, BLOCK + SPACE - 12, measure, LABEL_SIZE))


def _colours(view: Flows) -> dict[str | None, str]:
    # The palette without its grey, which is the pooled block's.
    hues = [colour for colour in PALETTE if colour.lower() != "#7f7f7f"]
    colours: dict[str | None, str] = {None: OTHERS}
    for column in view.columns:
        for block in column.blocks:
            if block.unit not in colours:
                colours[block.unit] = hues[(len(colours) - 1) % len(hues)]
    return colours


def _draw_blocks(
    chart: FlowChart, geometry: _Geometry, colours: dict[str | None, str], measure: TextMeasure
) -> None:
    from matplotlib.patches import Rectangle

    font = measure.font(LABEL_SIZE)
    for c, column in enumerate(chart.flows.columns):
        for b, block in enumerate(column.blocks):
            top, tall = geometry.tops[c][b], block.size * geometry.unit
            colour = colours[block.unit]
            patch = Rectangle(
                (_x(c), top), BLOCK, tall, facecolor=lighten(colour, 0.55), edgecolor=colour
            )
            patch.set_zorder(2)
            chart.ax.add_patch(patch)
            chart.blocks.append(patch)
            lines = geometry.lines[c][b]
            if len(lines) * LINE > tall + 1:
                continue  # no room: the block is too small for its name
            wide = max(measure.width(line, LABEL_SIZE) for line in lines) > BLOCK - 8
            ground = {"facecolor": "white", "alpha": 0.85, "pad": 1.0, "linewidth": 0}
            chart.labels.append(
                chart.ax.text(
                    _x(c) + 4,
                    top + tall / 2,
                    "\n".join(lines),
                    va="center",
                    ha="left",
                    linespacing=1.1,
                    fontproperties=font,
                    color=INK,
                    parse_math=False,
                    zorder=3,
                    bbox=ground if wide else None,
                )
            )


def _ends(
    ribbons: Sequence[Ribbon], geometry: _Geometry
) -> dict[tuple[int, int, int], tuple[float, float]]:
    """Where each ribbon leaves its source (key: column, source, target) and where it enters
    its target (key: column + 1, source, target, stored as a negative column), stacked so that
    ribbons leave and enter their blocks in the order of the blocks they go to or come from."""
    ends: dict[tuple[int, int, int], tuple[float, float]] = {}
    out: dict[tuple[int, int], float] = {}
    into: dict[tuple[int, int], float] = {}
    for ribbon in sorted(ribbons, key=lambda r: (r.column, r.source, r.target)):
        key = (ribbon.column, ribbon.source)
        start = out.get(key, geometry.tops[ribbon.column][ribbon.source])
        out[key] = start + ribbon.size * geometry.unit
        ends[(ribbon.column, ribbon.source, ribbon.target)] = (start, out[key])
    for ribbon in sorted(ribbons, key=lambda r: (r.column, r.target, r.source)):
        key = (ribbon.column + 1, ribbon.target)
        start = into.get(key, geometry.tops[ribbon.column + 1][ribbon.target])
        into[key] = start + ribbon.size * geometry.unit
        ends[(-ribbon.column - 1, ribbon.source, ribbon.target)] = (start, into[key])
    return ends


def _draw_ribbons(chart: FlowChart, geometry: _Geometry, colours: dict[str | None, str]) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    ends = _ends(chart.flows.ribbons, geometry)
    columns = chart.flows.columns
    for ribbon in chart.flows.ribbons:
        source = columns[ribbon.column].blocks[ribbon.source]
        target = columns[ribbon.column + 1].blocks[ribbon.target]
        a0, a1 = ends[(ribbon.column, ribbon.source, ribbon.target)]
        b0, b1 = ends[(-ribbon.column - 1, ribbon.source, ribbon.target)]
        x0, x1 = _x(ribbon.column) + BLOCK, _x(ribbon.column + 1)
        mid = (x0 + x1) / 2
        vertices = [
            (x0, a0),
            (mid, a0),
            (mid, b0),
            (x1, b0),
            (x1, b1),
            (mid, b1),
            (mid, a1),
            (x0, a1),
            (x0, a0),
        ]
        codes = [MplPath.MOVETO, *[MplPath.CURVE4] * 3, MplPath.LINETO]
        codes += [*[MplPath.CURVE4] * 3, MplPath.CLOSEPOLY]
        stays = source.unit == target.unit
        patch = PathPatch(
            MplPath(vertices, codes),
            facecolor=colours[source.unit],
            edgecolor="none",
            alpha=0.22 if stays else 0.62,
            zorder=1,
        )
        chart.ax.add_patch(patch)
        chart.ribbons.append(patch)


def _draw_headers(chart: FlowChart, geometry: _Geometry, measure: TextMeasure) -> None:
    for c, column in enumerate(chart.flows.columns):
        title = wrap_to_width(column.title, BLOCK + SPACE - 10, measure, LABEL_SIZE)
        y = -geometry.header + 4
        chart.headings.append(
            chart.ax.text(
                _x(c),
                y,
                column.date.isoformat(),
                va="top",
                fontproperties=measure.font(LABEL_SIZE, "bold"),
                color=INK,
                parse_math=False,
            )
        )
        chart.headings.append(
            chart.ax.text(
                _x(c),
                y + LINE,
                "\n".join(title),
                va="top",
                linespacing=1.1,
                fontproperties=measure.font(LABEL_SIZE),
                color=INK,
                parse_math=False,
            )
        )
    chart.ax.set_ylim(geometry.height, -geometry.header)


def _draw_heading(
    chart: FlowChart, title: str, measure: TextMeasure, width: float, height: float
) -> None:
    view = chart.flows
    under = "directly under the top" if view.level == 1 else f"{view.level} levels below the top"
    lines = [
        title,
        f"Blocks: the units {under} on each date, each as tall as the units it holds (itself "
        "included); ribbons: the units that pass from one block to the next (strong where they "
        "change block).",
        f"On each date, units holding fewer than {view.min_size} are pooled as 'other units'; "
        f"snapshots of {view.columns[0].date} to {view.columns[-1].date}, "
        f"{len(view.columns)} of them.",
    ]
    if not chart.own_figure:
        chart.headings.append(chart.ax.set_title("\n".join(lines), loc="left", fontsize=9.5))
        return
    y = 1 - MARGIN / height
    for index, line in enumerate(lines):
        size = 13.0 if index == 0 else 9.5
        chart.headings.append(
            chart.figure.text(
                MARGIN / width,
                y,
                line,
                va="top",
                fontproperties=measure.font(size, "bold" if index == 0 else "normal"),
                color=INK,
                parse_math=False,
            )
        )
        y -= size * 1.5 / height
