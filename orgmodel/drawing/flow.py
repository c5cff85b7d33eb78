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
from orgmodel.drawing._words import word
from orgmodel.drawing.orgchart import FONT_SIZE
from orgmodel.drawing.timeline import organisation_name
from orgmodel.flows import Block, Flows, Ribbon, flows
from orgmodel.layout import short_label

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
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
#: Title and subtitle sizes, in points.
TITLE_SIZE, SUB_SIZE = 13.0, 9.5


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
    scale: float = 1.0


class _Geometry(NamedTuple):
    """Where things go, in points at full scale, with y growing downwards from the top of the
    columns; ``width`` and ``full`` are the whole figure's."""

    unit: float
    tops: tuple[tuple[float, ...], ...]  # top of each block, per column
    lines: tuple[tuple[tuple[str, ...], ...], ...]  # each block's label lines, per column
    height: float
    header: float
    heading: tuple[str, ...]
    width: float
    full: float


def draw_flow_chart(
    history: History,
    *,
    ax: Axes | None = None,
    dates: Sequence[DateLike] | None = None,
    level: int = 1,
    min_size: int = 2,
    lang: str = "en",
    title: str | None = None,
    width: float | None = None,
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
        Every word in English, or in Chinese (unit names too, where known).
    title : str, optional
        The picture's title, instead of the history's.
    width : float, optional
        The width of a new figure, in inches; everything in it is scaled to fit.

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
    view = flows(history, dates=dates, level=level, min_size=min_size)
    every = [b.name for c in view.columns for b in c.blocks]
    families, chinese = text_families(lang, every)
    ink = _Ink(TextMeasure(families), "zh" if chinese else "en", chinese, 1.0)
    geometry = _geometry(view, ink)
    chart = _open(view, ax, geometry, width)
    ink = ink._replace(scale=chart.scale)
    colours = _colours(view)
    _draw_ribbons(chart, geometry, colours)
    _draw_blocks(chart, geometry, colours, ink)
    _draw_headers(chart, geometry, ink)
    heading = title or word("where_units_went", ink.lang, org=organisation_name(history, ink.lang))
    _draw_heading(chart, heading, ink, geometry)
    return chart


class _Ink(NamedTuple):
    """What the drawing steps share: text measure, words' language, Chinese names, scale."""

    measure: TextMeasure
    lang: str
    chinese: bool
    scale: float

    def font(self, size: float, weight: str = "normal") -> FontProperties:
        return self.measure.font(size * self.scale, weight)


def _open(view: Flows, ax: Axes | None, geometry: _Geometry, width: float | None) -> FlowChart:
    """A figure sized to the chart (scaled to ``width`` inches if given), or the axes given."""
    import matplotlib.pyplot as plt

    if ax is not None:
        figure = ax.get_figure()
        chart = FlowChart(figure=figure, ax=ax, flows=view, own_figure=False)  # type: ignore[arg-type]
    else:
        scale = width * 72 / geometry.width if width is not None else 1.0
        figure = plt.figure(figsize=(geometry.width * scale / 72, geometry.full / 72 * scale))
        tall = (geometry.height + geometry.header) / geometry.full
        box = (
            MARGIN / geometry.width,
            MARGIN / geometry.full,
            1 - 2 * MARGIN / geometry.width,
            tall,
        )
        chart = FlowChart(figure=figure, ax=figure.add_axes(box), flows=view, scale=scale)
    chart.ax.set_xlim(0, geometry.width - 2 * MARGIN)
    chart.ax.set_ylim(geometry.height, -geometry.header)
    chart.ax.set_axis_off()
    if ax is not None:
        chart.scale = _fitted_scale(ax, geometry)
    return chart


def _fitted_scale(ax: Axes, geometry: _Geometry) -> float:
    """Fit the chart into axes given, keeping its shape: the scale of its text and lines."""
    ax.set_aspect("equal", adjustable="box")
    ax.apply_aspect()
    inches = ax.get_figure().get_size_inches()  # type: ignore[union-attr]
    return float(ax.get_position().width * inches[0] * 72 / (geometry.width - 2 * MARGIN))


def _x(column: int) -> float:
    return column * (BLOCK + SPACE)


def _label(block: Block, ink: _Ink) -> str:
    if block.unit is None:
        return word("other_units" if block.size != 1 else "other_unit", ink.lang, count=block.size)
    return short_label(block.name_zh if ink.chinese and block.name_zh else block.name)


def _geometry(view: Flows, ink: _Ink) -> _Geometry:
    measure = ink.measure
    lines = tuple(
        tuple(_label_lines(_label(b, ink), b.size, measure) for b in column.blocks)
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
    width = 2 * MARGIN + len(view.columns) * BLOCK + (len(view.columns) - 1) * SPACE
    if lines and any(
        measure.width(line, LABEL_SIZE) > BLOCK - 8 for text in lines[-1] for line in text
    ):
        width += SPACE  # the last column's long names reach into room of their own
    heading = tuple(_heading_lines(view, ink, width - 2 * MARGIN))
    top_room = 2 * MARGIN + TITLE_SIZE * 1.5 + SUB_SIZE * 1.5 * (len(heading) - 1)
    full = top_room + header + height + MARGIN
    return _Geometry(unit, tuple(tops), lines, height, header, heading, width, full)


def _label_lines(text: str, size: int, measure: TextMeasure) -> tuple[str, ...]:
    """A block's name in lines that fit inside it; if they are too many for its height, in
    wider lines that reach into the space after it (drawn on a light ground there)."""
    narrow = wrap_to_width(text, BLOCK - 8, measure, LABEL_SIZE)
    if len(narrow) * LINE + 3 <= size * UNIT_MAX:
        return tuple(narrow)
    wide = BLOCK + SPACE - 12
    lines = wrap_to_width(text, wide, measure, LABEL_SIZE)
    # As many lines as the smallest unit height leaves room for: every block is named.
    room = max(1, int((size * UNIT_MIN + 1) // LINE))
    if len(lines) <= room:
        return tuple(lines)
    last = " ".join(lines[room - 1 :])
    while last and measure.width(last + "…", LABEL_SIZE) > wide:
        last = last[:-1].rstrip()
    return (*lines[: room - 1], last + "…")


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
    chart: FlowChart, geometry: _Geometry, colours: dict[str | None, str], ink: _Ink
) -> None:
    from matplotlib.patches import Rectangle

    for c, column in enumerate(chart.flows.columns):
        for b, block in enumerate(column.blocks):
            top, tall = geometry.tops[c][b], block.size * geometry.unit
            colour = colours[block.unit]
            patch = Rectangle(
                (_x(c), top),
                BLOCK,
                tall,
                facecolor=lighten(colour, 0.55),
                edgecolor=colour,
                linewidth=chart.scale,
            )
            patch.set_zorder(2)
            patch.set_clip_on(False)  # a block's edge on the chart's edge is drawn whole
            chart.ax.add_patch(patch)
            chart.blocks.append(patch)
            lines = geometry.lines[c][b]
            chart.labels.append(_block_label(chart, _x(c), top + tall / 2, lines, ink))


def _block_label(chart: FlowChart, x: float, y: float, lines: Sequence[str], ink: _Ink) -> Text:
    wide = max(ink.measure.width(line, LABEL_SIZE) for line in lines) > BLOCK - 8
    ground = {"facecolor": "white", "alpha": 0.85, "pad": 1.0 * chart.scale, "linewidth": 0}
    return chart.ax.text(
        x + 4,
        y,
        "\n".join(lines),
        va="center",
        ha="left",
        linespacing=1.1,
        fontproperties=ink.font(LABEL_SIZE),
        color=INK,
        parse_math=False,
        zorder=3,
        bbox=ground if wide else None,
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


def _draw_headers(chart: FlowChart, geometry: _Geometry, ink: _Ink) -> None:
    for c, column in enumerate(chart.flows.columns):
        title = wrap_to_width(column.title, BLOCK + SPACE - 10, ink.measure, LABEL_SIZE)
        y = -geometry.header + 4
        for text, weight, down in (
            (column.date.isoformat(), "bold", 0.0),
            ("\n".join(title), "normal", LINE),
        ):
            chart.headings.append(
                chart.ax.text(
                    _x(c),
                    y + down,
                    text,
                    va="top",
                    linespacing=1.1,
                    fontproperties=ink.font(LABEL_SIZE, weight),
                    color=INK,
                    parse_math=False,
                )
            )


def _heading_lines(view: Flows, ink: _Ink, width: float) -> list[str]:
    """The lines under the title that say what the chart shows, wrapped to ``width`` points."""
    lang = ink.lang
    under = word("directly_under" if view.level == 1 else "levels_under", lang, count=view.level)
    pooled = word(
        "flow_pooled",
        lang,
        size=view.min_size,
        a=view.columns[0].date,
        b=view.columns[-1].date,
        count=len(view.columns),
    )
    lines = [""]  # the title's place
    for text in (word("flow_blocks", lang, under=under), pooled):
        lines.extend(wrap_to_width(text, width, ink.measure, SUB_SIZE))
    return lines


def _draw_heading(chart: FlowChart, title: str, ink: _Ink, geometry: _Geometry) -> None:
    lines = [title, *geometry.heading[1:]]
    if not chart.own_figure:
        font = ink.font(SUB_SIZE)
        chart.headings.append(chart.ax.set_title("\n".join(lines), loc="left", fontproperties=font))
        return
    width, height = geometry.width, geometry.full
    y = 1 - MARGIN / height
    for index, line in enumerate(lines):
        size = TITLE_SIZE if index == 0 else SUB_SIZE
        chart.headings.append(
            chart.figure.text(
                MARGIN / width,
                y,
                line,
                va="top",
                fontproperties=ink.font(size, "bold" if index == 0 else "normal"),
                color=INK,
                parse_math=False,
            )
        )
        y -= size * 1.5 / height
