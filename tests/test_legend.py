"""The legend of a chart: laid out where matplotlib's Legend with the same options would put
it, its labels drawn from outlines."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from orgmodel.drawing._style import TextMeasure
from orgmodel.drawing.orgchart import _legend

#: Entries of every handle kind, with labels of tall, deep, wide and narrow glyphs.
ENTRIES: list[tuple[str, Any]] = [
    ("holding", ("patch", {"facecolor": "#9ecae1"})),
    ("business group", ("patch", {"facecolor": "#a1d99b"})),
    ("Lab (R&D)", ("patch", {"facecolor": "#fee391"})),
    ("in line", ("patch", {})),
    ("stand-alone company (dashed)", ("patch", {"linestyle": "--"})),
    ("listed", ("patch", {"linewidth": 2.6})),
    ("affiliate (hatched)", ("patch", {"linestyle": ":", "hatch": "////"})),
    ("IPO planned", ("marker", {"marker": "^"})),
    ("spin-off paused", ("marker", {"marker": "v", "marker_filled": False})),
    ("dotted link: placement not confirmed", ("line", {"linestyle": (0, (1, 1.6))})),
    ("(?) not confirmed", ("blank", {})),
    ("moved: 3", ("change", {"marker": "o", "edgecolor": "#555555"})),
]
SIZE = 8.0


def matplotlib_legend(figure: Any, columns: int, measure: TextMeasure) -> Any:
    """The legend as matplotlib lays it out, the entries read row by row in each group."""
    from orgmodel.drawing.orgchart import _groups

    rows = []
    for group in _groups(ENTRIES):
        for start in range(0, len(group), columns):
            row = group[start : start + columns]
            rows.append(row + [("", ("blank", {}))] * (columns - len(row)))
    ordered = [row[column] for column in range(columns) for row in rows]
    handles = [
        Rectangle((0, 0), 1, 1, visible=False)
        if kind == "blank"
        else Rectangle((0, 0), 1, 1, **{k: v for k, v in options.items() if k != "marker"})
        if kind == "patch"
        else Line2D([0, 1], [0.5, 0.5], linestyle=options["linestyle"])
        if kind == "line"
        else Line2D([], [], marker=options["marker"], linestyle="none")
        for _, (kind, options) in ordered
    ]
    return figure.legend(
        handles,
        [label for label, _ in ordered],
        ncol=columns,
        frameon=False,
        prop=measure.font(SIZE),
        handlelength=2.0,
        handleheight=1.0,
        handletextpad=0.8,
        columnspacing=2.0,
        borderpad=0.0,
        borderaxespad=0.0,
        loc="upper left",
        bbox_to_anchor=(0.05, 0.9),
    )


@pytest.mark.parametrize(("dpi", "columns"), [(200, 3), (200, 1), (100, 4)])
def test_labels_stand_where_matplotlibs_legend_puts_them(dpi: int, columns: int) -> None:
    measure = TextMeasure()
    figure = plt.figure(figsize=(9, 3), dpi=dpi)
    ours = _legend(figure, ENTRIES, columns, measure, SIZE, 1.0, anchor=(0.05, 0.9))
    theirs = matplotlib_legend(figure, columns, measure)
    figure.canvas.draw()  # matplotlib places its legend when it draws it
    renderer = figure.canvas.get_renderer()
    em = SIZE * dpi / 72
    drawn = {t.get_text(): t.get_window_extent(renderer) for t in ours.get_texts()}
    expected = {t.get_text(): t.get_window_extent(renderer) for t in theirs.get_texts()}
    assert set(drawn) == set(expected)
    starts = sorted({round(extent.x0) for extent in expected.values()})
    for label, extent in expected.items():
        column = starts.index(round(extent.x0))
        # Rows to a pixel and a half; columns are as far apart as their widest labels, which
        # unhinted outlines make a little narrower or wider: a quarter of an em per column.
        assert abs(drawn[label].y0 - extent.y0) <= 1.5, label
        assert abs(drawn[label].x0 - extent.x0) <= 1.0 + column * em / 4, label
    plt.close(figure)


def test_labels_are_drawn_from_outlines_on_their_baseline() -> None:
    measure = TextMeasure()
    figure = plt.figure(figsize=(9, 3), dpi=200)
    ours = _legend(figure, ENTRIES, 3, measure, SIZE, 1.0)
    renderer = figure.canvas.get_renderer()
    for text in ours.get_texts():
        if not text.get_text():
            continue
        ink = text.ink_path(renderer).get_extents()  # type: ignore[attr-defined]
        extent = text.get_window_extent(renderer)
        # Within matplotlib's extent of the text (to the few per cent by which unhinted
        # glyphs are wider than hinted ones), and not cut short.
        assert extent.y0 - 1 <= ink.y0 and ink.y1 <= extent.y1 + 1, text.get_text()
        assert extent.x0 - 1 <= ink.x0 and ink.x1 <= extent.x1 + 0.03 * extent.width + 1
        assert ink.width > 0.85 * extent.width, text.get_text()
    plt.close(figure)


def test_entries_do_not_overlap_and_read_row_by_row() -> None:
    measure = TextMeasure()
    figure = plt.figure(figsize=(9, 3), dpi=100)
    columns = 3
    ours = _legend(figure, ENTRIES, columns, measure, SIZE, 1.0)
    renderer = figure.canvas.get_renderer()
    texts = [t for t in ours.get_texts() if t.get_text()]
    assert [t.get_text() for t in texts] == [label for label, _ in ENTRIES]
    extents = [t.get_window_extent(renderer) for t in texts]
    for index, extent in enumerate(extents):
        for other in extents[index + 1 :]:
            assert not extent.overlaps(other)
    handles = [c for c in ours.get_children() if c not in ours.get_texts()]
    assert len(handles) == sum(kind != "blank" for _, (kind, _) in ENTRIES)
    plt.close(figure)


def test_a_legend_at_the_right_ends_at_its_anchor() -> None:
    measure = TextMeasure()
    figure = plt.figure(figsize=(9, 3), dpi=100)
    ax = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    ours = _legend(ax, ENTRIES, 2, measure, SIZE, 1.0, anchor=(1.0, 1.0), right=True)
    renderer = figure.canvas.get_renderer()
    right = max(t.get_window_extent(renderer).x1 for t in ours.get_texts() if t.get_text())
    top = max(c.get_window_extent(renderer).y1 for c in ours.get_children())
    assert ax.bbox.x1 - 3 <= right <= ax.bbox.x1 + 3
    assert top <= ax.bbox.y1 + 1
    plt.close(figure)


@pytest.mark.parametrize(("count", "columns"), [(13, 4), (9, 3), (5, 1), (3, 5)])
def test_entries_filled_column_by_column_stand_as_matplotlib_puts_them(
    count: int, columns: int
) -> None:
    """The timeline's legend: matplotlib's column-by-column fill, its handles 2.4 sizes long."""
    from orgmodel.drawing._legend import by_columns, draw_legend, patch_handle

    measure = TextMeasure()
    figure = plt.figure(figsize=(12, 3), dpi=150)
    labels = [f"{label} {index}" for index, (label, _) in enumerate((ENTRIES * 2)[:count])]
    entries = [(label, patch_handle(facecolor="#9ecae1")) for label in labels]
    ours = draw_legend(
        figure, by_columns(entries, columns), measure, SIZE, (0.05, 0.9), handle_length=2.4
    )
    theirs = figure.legend(
        [Rectangle((0, 0), 1, 1, facecolor="#9ecae1") for _ in labels],
        labels,
        ncol=columns,
        frameon=False,
        prop=measure.font(SIZE),
        handlelength=2.4,
        borderpad=0.0,
        borderaxespad=0.0,
        loc="upper left",
        bbox_to_anchor=(0.05, 0.9),
    )
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    drawn = {t.get_text(): t.get_window_extent(renderer) for t in ours.get_texts() if t.get_text()}
    expected = {t.get_text(): t.get_window_extent(renderer) for t in theirs.get_texts()}
    assert set(drawn) == set(expected)
    starts = sorted({round(extent.x0) for extent in expected.values()})
    widest = [max(e.width for e in expected.values() if round(e.x0) == start) for start in starts]
    for label, extent in expected.items():
        column = starts.index(round(extent.x0))
        assert abs(drawn[label].y0 - extent.y0) <= 1.5, label
        # A column is as wide as its widest label's outlines, which are a few per cent
        # narrower than matplotlib's hinted text: that much per column to the left.
        assert abs(drawn[label].x0 - extent.x0) <= 1.0 + 0.04 * sum(widest[:column]), label
    plt.close(figure)
