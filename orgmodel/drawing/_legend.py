"""A chart's legend, laid out by matplotlib's rules for a legend and drawn as box labels are.

matplotlib's :class:`~matplotlib.legend.Legend` packs every entry into offset boxes, and lays
out and renders each label with FreeType, every time the figure is drawn: for the thirty
entries of an org chart's legend, a tenth of a second of a cold ``orgmodel plot``. Here the
layout is worked out once, in points, from the glyph metrics of a :class:`TextMeasure`, by the
rules of matplotlib's legend with the same options (its spacings are in font sizes); labels
are :func:`~orgmodel.drawing._style.label_text` labels and handles are ordinary patches and
lines, so an SVG or PDF gets real text as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgmodel.drawing._style import TextMeasure, _label_class, _placed

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.text import Text

__all__ = [
    "Handle",
    "HandleBox",
    "LegendEntry",
    "by_columns",
    "draw_legend",
    "legend_layout",
    "line_handle",
    "marker_handle",
    "no_handle",
    "patch_handle",
]

#: matplotlib's legend options, as the org chart sets them, in font sizes: the handle's length
#: and height, the room between handle and label, between columns and between rows.
HANDLE_LENGTH = 2.0
HANDLE_HEIGHT = 1.0
HANDLE_PAD = 0.8
COLUMN_SPACING = 2.0
LABEL_SPACING = 0.5
#: How far a handle reaches below the baseline of its label (matplotlib's rule of thumb).
HANDLE_DESCENT = 0.35 * (HANDLE_HEIGHT - 0.7)


@dataclass(frozen=True, slots=True)
class HandleBox:
    """Where an entry's handle goes, in points from the legend's anchor (y up): the box a
    patch fills, and the height a line or a marker is drawn at, as matplotlib's legend
    handlers place them."""

    left: float
    bottom: float
    width: float
    height: float
    line_y: float

    @property
    def middle(self) -> float:
        """The x of a marker: the middle of the box."""
        return self.left + self.width / 2


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One entry laid out: its label's start on its baseline, and its handle's box."""

    label: str
    x: float
    baseline: float
    handle: HandleBox


#: What draws an entry's handle in its box: its artists, in points from the legend's anchor.
Handle = Callable[[HandleBox], list["Artist"]]


def patch_handle(**props: Any) -> Handle:
    """A handle filling its box, as matplotlib's legend draws a patch: a rectangle with the
    patch's ``props`` (facecolor, edgecolor, linewidth, linestyle, hatch...)."""

    def handle(box: HandleBox) -> list[Artist]:
        from matplotlib.patches import Rectangle

        return [Rectangle((box.left, box.bottom), box.width, box.height, **props)]

    return handle


def line_handle(**props: Any) -> Handle:
    """A handle drawn across its box, as matplotlib's legend draws a line."""

    def handle(box: HandleBox) -> list[Artist]:
        from matplotlib.lines import Line2D

        return [Line2D([box.left, box.left + box.width], [box.line_y, box.line_y], **props)]

    return handle


def marker_handle(**props: Any) -> Handle:
    """A handle of one marker in the middle of its box, as matplotlib's legend draws a line
    with a marker and no line style."""

    def handle(box: HandleBox) -> list[Artist]:
        from matplotlib.lines import Line2D

        return [Line2D([box.middle], [box.line_y], linestyle="none", **props)]

    return handle


def no_handle(box: HandleBox) -> list[Artist]:
    """The handle of an entry without one: nothing."""
    return []


def by_columns(
    entries: Sequence[tuple[str, Handle]], columns: int
) -> list[list[tuple[str, Handle]]]:
    """Entries read column by column into ``columns`` columns as matplotlib's legend fills
    them (the first ones a row longer when they do not divide evenly), as the rows that
    :func:`draw_legend` takes, with blank entries below the shorter columns.

    >>> [[label for label, _ in row] for row in by_columns([(c, no_handle) for c in "abcde"], 3)]
    [['a', 'c', 'e'], ['b', 'd', '']]
    """
    size, extra = divmod(len(entries), max(columns, 1))
    lengths = [n for n in (size + (c < extra) for c in range(columns)) if n]
    starts = [sum(lengths[:c]) for c in range(len(lengths))]
    return [
        [entries[s + r] if r < n else ("", no_handle) for s, n in zip(starts, lengths, strict=True)]
        for r in range(max(lengths, default=0))
    ]


#: The size of a label as a legend packs it, in points: its width, and how far its box reaches
#: above and below its baseline.
Metrics = Callable[[str], tuple[float, float, float]]


def legend_layout(
    rows: Sequence[Sequence[str]],
    metrics: Metrics,
    size: float,
    right: bool = False,
    handle_length: float = HANDLE_LENGTH,
) -> list[list[LegendEntry]]:
    """The entries of a legend whose labels are read row by row, each row as long as the
    first, in ``size`` points, with its top left corner at (0, 0) (its top right corner if
    ``right``), handles ``handle_length`` font sizes long. Rows of one column are stacked top
    down, ``LABEL_SPACING`` apart; columns are as wide as their widest entry, ``COLUMN_SPACING``
    apart, and share the first row's baseline.

    >>> width = lambda label: (len(label) * 5.0, 7.0, 2.0)
    >>> [[(e.label, e.x, e.baseline) for e in row] for row in legend_layout(
    ...     [["a", "bb"], ["ccc", ""]], width, 10.0)]
    [[('a', 28.0, -7.9), ('bb', 91.0, -7.9)], [('ccc', 28.0, -22.8), ('', 91.0, -22.8)]]
    """
    handle_up = (HANDLE_HEIGHT - 2 * HANDLE_DESCENT) * size
    handle_down = HANDLE_DESCENT * size
    sized = [[metrics(label) for label in row] for row in rows]
    # Each entry reaches as far up and down as the higher of its handle and its label.
    ups = [[max(handle_up, up) for _, up, _ in row] for row in sized]
    downs = [[max(handle_down, down) for _, _, down in row] for row in sized]
    columns = range(len(rows[0]) if rows else 0)
    widths = [
        max((handle_length + HANDLE_PAD) * size + row[c][0] for row in sized) for c in columns
    ]
    lefts = [sum(widths[:c]) + c * COLUMN_SPACING * size for c in columns]
    baselines = [
        _column_baselines([up[c] for up in ups], [down[c] for down in downs], size) for c in columns
    ]
    top = max((up[c] for up in ups[:1] for c in columns), default=0.0)
    shift = -(lefts[-1] + widths[-1]) if right and rows else 0.0
    entries = []
    for r, row in enumerate(rows):
        placed = []
        for c, label in enumerate(row):
            left, baseline = lefts[c] + shift, baselines[c][r] - top
            handle = HandleBox(
                left,
                baseline - handle_down,
                handle_length * size,
                HANDLE_HEIGHT * size - handle_down,
                baseline + (HANDLE_HEIGHT * size - 2 * handle_down) / 2,
            )
            placed.append(
                LegendEntry(label, left + (handle_length + HANDLE_PAD) * size, baseline, handle)
            )
        entries.append(placed)
    return entries


def _column_baselines(ups: Sequence[float], downs: Sequence[float], size: float) -> list[float]:
    """The baselines of a column's entries below the first one's, each entry's top
    ``LABEL_SPACING`` below the bottom of the one above."""
    baselines, top = [], ups[0] if ups else 0.0
    for up, down in zip(ups, downs, strict=True):
        baselines.append(top - up)
        top -= up + down + LABEL_SPACING * size
    return baselines


def label_metrics(measure: TextMeasure, size: float) -> Metrics:
    """How matplotlib's legend sizes a one-line label in ``size`` points, from ``measure``'s
    glyphs: as wide as its ink, reaching as far up and down as its ink and at least as far
    as a line of the font does (and as the ink of "lp")."""
    ascent, descent, _ = measure.font_metrics()
    up_least, down_least = ascent * size, descent * size
    l_glyph = measure.outline("l")
    up_least = max(up_least, l_glyph.top * size if l_glyph is not None else 0.0)

    def metrics(label: str) -> tuple[float, float, float]:
        ink = measure.line_ink(label) if label else None
        if ink is None or not len(ink.codes):
            # No ink, or a glyph no font has (matplotlib draws a box): the font's line.
            return (measure.width(label, size) if label else 0.0), up_least, down_least
        placed = _placed(ink, size, 0.0, 0.0)
        width = float(placed[:, 0].max() - placed[:, 0].min())
        return width, max(up_least, ink.top * size), max(down_least, ink.bottom * size)

    return metrics


def draw_legend(
    owner: Any,
    rows: Sequence[Sequence[tuple[str, Handle]]],
    measure: TextMeasure,
    size: float,
    anchor: tuple[float, float],
    right: bool = False,
    handle_length: float = HANDLE_LENGTH,
) -> Artist:
    """Add a legend to ``owner`` (a figure or axes), its top left corner at ``anchor`` in the
    owner's fractions (its top right corner if ``right``), and return it.

    ``rows`` holds each row's entries: a label, and the function that makes its handle's
    artists in a :class:`HandleBox` (in points from the anchor), ``handle_length`` font sizes
    long. The legend is one artist;
    like matplotlib's, ``get_texts()`` gives its labels.
    """
    from matplotlib.transforms import Affine2D, ScaledTranslation

    figure = owner.get_figure() if hasattr(owner, "transAxes") else owner
    fraction = owner.transAxes if hasattr(owner, "transAxes") else owner.transFigure
    points = (
        Affine2D().scale(1 / 72)
        + figure.dpi_scale_trans
        + ScaledTranslation(anchor[0], anchor[1], fraction)
    )
    layout = legend_layout(
        [[label for label, _ in row] for row in rows],
        label_metrics(measure, size),
        size,
        right,
        handle_length,
    )
    font = measure.font(size)
    handles: list[Artist] = []
    labels: list[Text] = []
    for row, placed in zip(rows, layout, strict=True):
        for (label, handle), entry in zip(row, placed, strict=True):
            handles.extend(handle(entry.handle))
            labels.append(
                _label_class()(
                    entry.x,
                    entry.baseline,
                    label,
                    measure=measure,
                    va="baseline",
                    ha="left",
                    fontproperties=font,
                    parse_math=False,
                )
            )
    legend: Artist = _legend_class()(handles, labels)  # type: ignore[call-arg]
    for child in legend.get_children():
        child.set_figure(figure)
        child.set_transform(points)
    owner.add_artist(legend)
    return legend


@functools.cache
def _legend_class() -> type[Artist]:
    """The class of :func:`draw_legend`'s legends, made once matplotlib is imported."""
    from matplotlib.artist import Artist
    from matplotlib.transforms import Bbox

    class Legend(Artist):
        """Handles and labels drawn as one artist, above the chart (as matplotlib's are)."""

        zorder = 5

        def __init__(self, handles: list[Artist], labels: list[Text]) -> None:
            super().__init__()
            self._handles = handles
            self.texts = labels

        def set(self, **kwargs: Any) -> list[Any]:
            # As the labels' class does: spares matplotlib writing a set() for the subclass.
            return Artist.set(self, **kwargs)

        def get_children(self) -> list[Artist]:
            return [*self._handles, *self.texts]

        def get_texts(self) -> list[Text]:
            """The labels, as matplotlib's legend gives them."""
            return list(self.texts)

        def get_window_extent(self, renderer: Any = None) -> Bbox:
            extents = [child.get_window_extent(renderer) for child in self.get_children()]
            return Bbox.union([e for e in extents if e.width or e.height] or extents)

        def draw(self, renderer: Any) -> None:
            if not self.get_visible():
                return
            renderer.open_group("legend", gid=self.get_gid())
            for child in self.get_children():
                child.draw(renderer)
            renderer.close_group("legend")
            self.stale = False

    return Legend
