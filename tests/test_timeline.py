"""Drawn timelines: what matplotlib renders, measured. No text covers other text, no mark or
line crosses a label, every lane is named, and the picture keeps a publishable size."""

from __future__ import annotations

import datetime as dt

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
    radius = 4.0 * chart.figure.dpi / 72
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


def test_default_timeline_of_the_bundled_data() -> None:
    chart = draw_timeline(orgmodel.load_history())
    assert_readable(chart)
    width, height = chart.figure.get_size_inches() * 100
    assert width <= 1900 and height <= 1500  # a screen and a page, at 100 dpi
    sizes = {t.get_fontsize() for t in [*chart.labels, *chart.titles]}
    assert min(sizes) >= FONT_SIZE  # no smaller than the org chart's box labels
    names = [t.get_text() for t in chart.labels if t.get_gid() == "lane"]
    assert names == [lane.name for lane in chart.lanes.lanes]
    heading = " ".join(t.get_text() for t in chart.heading)
    history = orgmodel.load_history()
    assert history.dates[0].isoformat() in heading and "2026-03-16" in heading
    last = matplotlib.dates.date2num(dt.date(2026, 3, 16))
    ends = [p.vertices[:, 0].max() for bars in chart.bars for p in bars.get_paths()]
    assert (
        max(ends) <= last + 6
    )  # (a zero-length bar is drawn 4 pt wide); the bars end at the last snapshot
    assert max(ends) >= last - 1


@pytest.mark.parametrize("unit", ["aicheng", "chengdun"])
def test_a_unit_story_is_readable(unit: str) -> None:
    chart = draw_timeline(orgmodel.load_history(), unit=unit)
    assert_readable(chart)
    events = [t.get_text() for t in chart.labels if t.get_gid() == "event"]
    assert any("spun off" in text for text in events) and "returned" in events
    titles = [t.get_text().strip() for t in chart.titles]
    assert "Cloud spin-off dropped; Aicheng and Chengdun back" in titles  # at its date


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
