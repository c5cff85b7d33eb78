"""Drawn timelines: what matplotlib renders, measured. No text covers other text, no mark or
line crosses a label, every lane is named, and the picture keeps a publishable size."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import orgmodel
from orgmodel.drawing import Timeline, draw_timeline
from orgmodel.drawing.orgchart import FONT_SIZE

from .randomhistory import random_history


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def overlaps(a, b, slack: float = 0.5) -> bool:
    return (
        a.x0 < b.x1 - slack and b.x0 < a.x1 - slack and a.y0 < b.y1 - slack and b.y0 < a.y1 - slack
    )


def assert_readable(chart: Timeline) -> None:
    """No text on the lanes or above them covers another; no mark or link crosses a text."""
    renderer = chart.figure.canvas.get_renderer()
    texts = [*chart.labels, *chart.titles]
    extents = [t.get_window_extent(renderer) for t in texts]
    for i, extent in enumerate(extents):
        for j in range(i + 1, len(extents)):
            assert not overlaps(extent, extents[j]), (texts[i].get_text(), texts[j].get_text())
    marks = [
        point
        for collection in chart.marks
        for point in chart.ax.transData.transform(collection.get_offsets())
    ]
    radius = 4.0 * chart.scale * chart.figure.dpi / 72
    lines = [
        chart.ax.transData.transform(segment)
        for collection in chart.links
        for segment in collection.get_segments()
    ]
    for text, extent in zip(texts, extents, strict=True):
        for x, y in marks:
            box = matplotlib.transforms.Bbox.from_extents(
                x - radius, y - radius, x + radius, y + radius
            )
            assert not overlaps(extent, box, slack=1.0), text.get_text()
        for (x0, y0), (_, y1) in lines:
            low, high = sorted((y0, y1))
            crosses = (
                extent.x0 + 1 < x0 < extent.x1 - 1 and low < extent.y1 - 1 and high > extent.y0 + 1
            )
            assert not crosses, text.get_text()


def lane_names(chart: Timeline) -> list[str]:
    """The names drawn for the lanes, before the rows and on the bars, in lane order."""
    return [t.get_text() for t in chart.labels if t.get_gid() in ("lane", "name")]


def test_default_timeline_of_the_bundled_data() -> None:
    history = orgmodel.load_history()
    chart = draw_timeline(history)
    assert_readable(chart)
    width, height = chart.figure.get_size_inches() * 100
    assert width <= 1920 and height <= 1080  # a 1920 x 1080 screen at 100%, at 100 dpi
    sizes = {t.get_fontsize() for t in [*chart.labels, *chart.titles]}
    assert min(sizes) >= FONT_SIZE  # no smaller than the org chart's box labels
    # Every lane is named, in full or cut short with an ellipsis.
    names = lane_names(chart)
    assert len(names) == len(chart.lanes.lanes)
    for drawn, lane in zip(names, chart.lanes.lanes, strict=True):
        assert drawn == lane.name or (drawn.endswith("\u2026") and lane.name.startswith(drawn[:-1]))
    heading = " ".join(t.get_text() for t in chart.heading)
    assert history.dates[0].isoformat() in heading and history.dates[-1].isoformat() in heading
    # The units left out are named below the chart.
    note = " ".join(t.get_text() for t in chart.titles)
    assert all(
        name.en in note.replace("\n", " ") or name.en[:20] in note for name in chart.lanes.left_out
    )
    last = matplotlib.dates.date2num(history.dates[-1])
    ends = [p.vertices[:, 0].max() for bars in chart.bars for p in bars.get_paths()]
    # (a zero-length bar is drawn 4 pt wide); the bars end at the last snapshot
    assert last - 1 <= max(ends) <= last + 6
    # No date on the axis past the data's span.
    chart.figure.canvas.draw()
    ticks = [t for t in chart.ax.get_xticks()]
    assert (
        ticks and max(ticks) <= last and min(ticks) >= matplotlib.dates.date2num(history.dates[0])
    )


def test_a_narrow_timeline_is_scaled() -> None:
    history = orgmodel.load_history()
    chart = draw_timeline(history, width=8.0)
    assert chart.figure.get_size_inches()[0] == pytest.approx(8.0)
    full = draw_timeline(history)
    assert chart.scale == pytest.approx(8.0 / full.figure.get_size_inches()[0])
    assert max(t.get_fontsize() for t in chart.labels) == pytest.approx(FONT_SIZE * chart.scale)
    assert_readable(chart)


@pytest.mark.parametrize("unit", ["aicheng", "chengdun"])
def test_a_unit_story_is_readable(unit: str) -> None:
    history = orgmodel.load_history()
    chart = draw_timeline(history, unit=unit)
    assert_readable(chart)
    events = [t.get_text() for t in chart.labels if t.get_gid() == "event"]
    assert any("spun off" in text for text in events) and "returned" in events
    titles = [t.get_text().strip() for t in chart.titles]
    # The title of the snapshot in which the unit returned stands at its date.
    back = next(e.date for e in history.lineage(unit) if e.kind == "returned" and unit in e.units)
    assert history.at(back).title in titles


def test_chinese_timeline_has_no_english_words() -> None:
    history = orgmodel.load_history()
    chart = draw_timeline(history, unit="aicheng", lang="zh")
    words = [t.get_text() for t in [*chart.labels, *chart.heading]]
    words += [t.get_text() for t in chart.legend.get_texts()]
    chart.figure.canvas.draw()
    words += [t.get_text() for t in chart.ax.get_xticklabels()]
    english = [
        w for w in words if re.search("[a-z]{3,}", w.replace("--depth", "").replace("--unit", ""))
    ]
    assert not english, english


def test_a_one_month_window_has_dates() -> None:
    chart = draw_timeline(orgmodel.load_history(), start="2023-05-01", end="2023-05-31")
    assert_readable(chart)
    chart.figure.canvas.draw()
    ticks = [t.get_text() for t in chart.ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 4
    assert chart.ax.get_xlim()[0] == matplotlib.dates.date2num(dt.date(2023, 5, 1))


@pytest.mark.parametrize("seed", range(4))
def test_random_histories_are_readable(seed: int) -> None:
    history = random_history(30, 8, seed)
    assert_readable(draw_timeline(history))
    assert_readable(draw_timeline(history, depth=3))


def test_timeline_into_given_axes(example: orgmodel.History) -> None:
    figure, ax = plt.subplots(figsize=(10, 4))
    timeline = draw_timeline(example, ax=ax)
    assert timeline.figure is figure and not timeline.own_figure
    assert len(timeline.lanes.lanes) > 3


@pytest.mark.parametrize("unit", [None, "aicheng"])
def test_a_timeline_in_a_cell_of_the_users_grid_keeps_within_it(unit: str | None) -> None:
    history = orgmodel.load_history()
    figure, axes = plt.subplots(2, 2, figsize=(16, 10))
    cell = axes[0][1]
    given = cell.get_position().transformed(figure.transFigure)  # in pixels, before drawing
    chart = draw_timeline(history, ax=cell, unit=unit)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    drawn = [*chart.labels, *chart.titles, *chart.heading, chart.legend, chart.ax]
    for artist in drawn:
        extent = (
            artist.get_tightbbox(renderer)
            if artist is chart.ax
            else artist.get_window_extent(renderer)
        )
        assert given.x0 - 1 <= extent.x0 and extent.x1 <= given.x1 + 1, artist
        assert given.y0 - 1 <= extent.y0 and extent.y1 <= given.y1 + 1, artist
    assert_readable(chart)
    # Scaled as a whole, as --width scales a picture of its own: the text keeps its proportions.
    assert 0 < chart.scale < 1
    assert all(t.get_fontsize() == pytest.approx(FONT_SIZE * chart.scale) for t in chart.labels)
    assert all(
        name.en[:20] in " ".join(t.get_text() for t in chart.titles).replace("\n", " ")
        for name in chart.lanes.left_out
    )


@pytest.mark.parametrize("command", ["timeline", "flow"])
def test_width_and_dpi_set_the_picture_size(capsys, tmp_path, command) -> None:
    from PIL import Image

    from .conftest import EXAMPLE
    from .test_cli import run

    target = tmp_path / "picture.png"
    extra = ["--width", "1200", "--dpi", "150", "--lang", "zh", "--title", "My group"]
    code, _, err = run(capsys, command, "-o", str(target), "--data", EXAMPLE, *extra)
    assert code == 0, err
    assert abs(Image.open(target).size[0] - 1200) <= 1
    code, _, err = run(capsys, command, "-o", str(target), "--data", EXAMPLE, "--width", "9ft")
    assert code == 2 and err.startswith("orgmodel: --width: '9ft' is not a width")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("company", "en", "became a company"),
        ("office", "en", "became an office"),
        ("business_group", "en", "became a business group"),
        ("company", "zh", "改为公司"),
    ],
)
def test_a_change_of_kind_says_what_the_unit_became(kind: str, lang: str, expected: str) -> None:
    from orgmodel.drawing.timeline import mark_phrase
    from orgmodel.lanes import Phrase

    assert mark_phrase(Phrase("kind", word=kind), lang) == expected


@pytest.mark.parametrize("depth", [None, 2])
def test_a_name_on_a_bar_is_cut_only_by_what_stands_on_its_row(depth: int | None) -> None:
    """A link passing a row goes behind the bar; a name is cut short only where its full
    width would reach a mark, a link ending on its row, the next unit on its row or the end."""
    chart = draw_timeline(orgmodel.load_history(), depth=depth)
    assert_readable(chart)
    view, renderer = chart.lanes, chart.figure.canvas.get_renderer()
    rows = [lane.row for lane in view.lanes]
    to_x = chart.ax.transData.transform
    blocks: dict[int, list[float]] = {}
    for mark in view.marks:
        blocks.setdefault(rows[mark.lane], []).append(matplotlib.dates.date2num(mark.date))
    for link in view.links:
        for row in (rows[link.from_lane], rows[link.to_lane]):
            blocks.setdefault(row, []).append(matplotlib.dates.date2num(link.date))
    for lane in view.lanes:
        blocks.setdefault(lane.row, []).append(matplotlib.dates.date2num(lane.start))
    cut = [t for t in chart.labels if t.get_gid() == "name" and t.get_text().endswith("\u2026")]
    for text in cut:
        row = int(text.get_position()[1])
        lane = next(
            ln for ln in view.lanes if ln.row == row and ln.name.startswith(text.get_text()[:-1])
        )
        whole = matplotlib.text.Text(
            *text.get_position(), lane.name, fontproperties=text.get_fontproperties()
        )
        whole.set_figure(chart.figure)
        whole.set_transform(text.get_transform())
        left = text.get_window_extent(renderer).x0
        right = left + whole.get_window_extent(renderer).width
        ahead = [to_x((x, 0))[0] for x in blocks[row] if to_x((x, 0))[0] > left + 1]
        ahead.append(chart.ax.get_window_extent(renderer).x1)
        assert min(ahead) < right, text.get_text()


def test_a_new_unit_on_a_shared_row_is_marked_as_not_the_earlier_ones_heir() -> None:
    from orgmodel.drawing._style import EVENT_STYLE

    chart = draw_timeline(orgmodel.load_history())
    view = chart.lanes
    later = [lane for lane in view.lanes if lane.after is not None]
    new = {(lane.start, lane.row) for lane in later if not lane.succeeds}
    assert new and len(new) < len(later)  # the bundled default has both kinds
    colour = matplotlib.colors.to_rgba(EVENT_STYLE["added"][0])
    drawn = {
        (matplotlib.dates.num2date(x).date(), int(y))
        for collection in chart.marks
        if tuple(collection.get_facecolor()[0]) == colour
        for x, y in collection.get_offsets()
    }
    assert drawn == new  # a "new unit" mark where each unrelated one starts, and only there
    index = {lane.unit: lane.index for lane in view.lanes}
    joined = {frozenset((link.from_lane, link.to_lane)) for link in view.links}
    for lane in later:
        assert lane.succeeds == (frozenset((index[lane.after], lane.index)) in joined)
    legend = [t.get_text() for t in chart.legend.get_texts()]
    assert any("new unit" in text for text in legend)
    width, height = chart.figure.get_size_inches() * 100
    assert width <= 1920 and height <= 1080
