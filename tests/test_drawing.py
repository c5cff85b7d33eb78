"""Drawn pictures: the geometry of what matplotlib actually renders, and saving files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import contextlib
import itertools
import re

import matplotlib.pyplot as plt
import pytest

import orgmodel
from orgmodel.drawing import (
    Chart,
    _style,
    draw_change_chart,
    draw_change_steps,
    draw_org_chart,
    draw_timeline,
    save_figure,
)
from orgmodel.model import Unit
from orgmodel.snapshot import Snapshot

from .conftest import EXAMPLE
from .test_layout import lines_through_boxes, random_tree

KINDS = ["holding", "business_group", "business_unit", "company", "function"]
STATUSES = ["active"] * 6 + ["standalone", "listed", "affiliate"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def random_snapshot(size: int, seed: int, shape: str = "org") -> Snapshot:
    import random

    rng = random.Random(seed)
    children, labels = random_tree(size, seed, shape)
    parents = {kid: parent for parent, kids in children.items() for kid in kids}
    units = [
        Unit(
            id=uid,
            name=labels[uid],
            kind=rng.choice(KINDS),
            parent=parents.get(uid),
            status=rng.choice(STATUSES),
            sources=(f"s{rng.randint(1, 5)}",),
        )
        for uid in children
    ]
    return Snapshot(dt.date(2024, 1, 1), units, title=f"Random group of {size}")


def assert_tidy(chart: Chart) -> None:
    """Measure the rendered picture: labels inside boxes, no box overlaps another, parents
    above children, and the heading, legend and footnote clear of the tree."""
    renderer = chart.figure.canvas.get_renderer()
    boxes = {uid: patch.get_window_extent(renderer) for uid, patch in chart.boxes.items()}
    tolerance = 0.5  # pixels
    for uid, text in chart.labels.items():
        label, box = text.get_window_extent(renderer), boxes[uid]
        assert label.x0 >= box.x0 - tolerance and label.x1 <= box.x1 + tolerance, uid
        assert label.y0 >= box.y0 - tolerance and label.y1 <= box.y1 + tolerance, uid
    ordered = sorted(boxes.items(), key=lambda item: item[1].x0)
    for index, (uid, box) in enumerate(ordered):
        for other, extent in ordered[index + 1 :]:
            if extent.x0 >= box.x1:
                break
            assert not (box.y0 < extent.y1 and extent.y0 < box.y1), (uid, other)
    assert lines_through_boxes(chart.layout) == []
    for uid, box in chart.layout.boxes.items():
        if box.parent is not None and box.parent in boxes:
            assert boxes[box.parent].y0 > boxes[uid].y1, (box.parent, uid)  # display y is up
    if chart.own_figure and boxes:
        x0 = min(b.x0 for b in boxes.values())
        y0 = min(b.y0 for b in boxes.values())
        x1 = max(b.x1 for b in boxes.values())
        y1 = max(b.y1 for b in boxes.values())
        for artist in [*chart.heading, chart.legend, chart.footnote]:
            if artist is None:
                continue
            extent = artist.get_window_extent(renderer)
            assert extent.y0 >= y1 or extent.y1 <= y0 or extent.x0 >= x1 or extent.x1 <= x0
            figure = chart.figure.bbox
            assert figure.x0 - 1 <= extent.x0 and extent.x1 <= figure.x1 + 1
            assert figure.y0 - 1 <= extent.y0 and extent.y1 <= figure.y1 + 1


@pytest.mark.parametrize(("size", "seeds"), [(10, 4), (100, 2)])
def test_random_charts_are_tidy_when_drawn(size: int, seeds: int) -> None:
    for seed in range(seeds):
        chart = draw_org_chart(random_snapshot(size, seed), kinds=KINDS)
        assert_tidy(chart)
        assert len(chart.boxes) == size
        plt.close(chart.figure)


def test_a_thousand_unit_chart_is_tidy_when_drawn() -> None:
    chart = draw_org_chart(random_snapshot(1000, 1, "recursive"))
    assert_tidy(chart)
    width, height = chart.figure.get_size_inches()
    assert width <= 4.5 * height + 10  # stacked, not one endless row
    assert chart.scale == 1.0  # text drawn at full size


def test_labels_filled_from_outlines_stay_inside_matplotlibs_extent() -> None:
    chart = draw_org_chart(random_snapshot(100, 2), kinds=KINDS)
    renderer = chart.figure.canvas.get_renderer()
    for uid, text in chart.labels.items():
        ink = text.ink_path(renderer).get_extents()  # type: ignore[attr-defined]
        extent = text.get_window_extent(renderer)
        assert extent.x0 - 1 <= ink.x0 and ink.x1 <= extent.x1 + 1, uid
        assert extent.y0 - 1 <= ink.y0 and ink.y1 <= extent.y1 + 1, uid
        assert ink.width > 0.8 * extent.width, uid  # narrower, as unhinted text is, not cut


def histories() -> list[orgmodel.History]:
    found = [orgmodel.load_history(EXAMPLE)]
    with contextlib.suppress(orgmodel.OrgModelError):
        found.append(orgmodel.load_history())
    return found


def test_every_snapshot_is_tidy_when_drawn() -> None:
    for history in histories():
        for snapshot in history.snapshots:
            chart = draw_org_chart(snapshot, kinds=history.kinds, sources=history.sources)
            assert_tidy(chart)
            assert snapshot.date.isoformat() in " ".join(t.get_text() for t in chart.heading)
            plt.close(chart.figure)


def test_heading_legend_and_footnote_say_what_was_drawn(example: orgmodel.History) -> None:
    snapshot = example.at("2021-06-01")
    chart = draw_org_chart(snapshot, kinds=example.kinds, sources=example.sources)
    heading = [text.get_text() for text in chart.heading]
    assert heading == ["Platform broken up; media merged", "Snapshot of 2021-01-01; 11 units"]
    assert chart.dates == (dt.date(2021, 1, 1),)
    legend = [text.get_text() for text in chart.legend.get_texts() if text.get_text()]
    kinds = {"holding", "business group", "business unit", "company", "function"}
    assert kinds <= set(legend)
    assert "stand-alone company (dashed)" in legend and "IPO planned" in legend
    assert "listed (thick border)" in legend
    assert chart.footnote is not None
    note = chart.footnote.get_text()
    assert note.startswith("Sources: [1] Example Group, 2021-01")
    publishers = {f"{s.publisher}, {s.date}" for s in example.sources.values()}
    assert all(cited.split("] ")[1] in publishers for cited in note.split("   ") if "] " in cited)


def group_snapshot() -> Snapshot:
    """A group with two business groups among nine companies, one of them with a sub-unit,
    one unconfirmed company and one unconfirmed placement."""

    def unit(uid: str, kind: str, parent: str | None, **extra: object) -> Unit:
        return Unit(id=uid, name=uid.replace("-", " ").title(), kind=kind, parent=parent, **extra)

    units = [
        unit("group", "holding", None),
        unit("zeta-bg", "business_group", "group"),
        unit("alpha-bg", "business_group", "group"),
        *(unit(f"co-{i}", "company", "group") for i in "abcdefgh"),
        unit("co-i", "company", "group", confidence="unconfirmed"),
        unit("lab", "lab", "group", field_confidence={"parent": "unconfirmed"}),
        unit("shop", "business_unit", "zeta-bg"),
        unit(
            "sub",
            "business_unit",
            "shop",
            leaders=[{"name": "Wei Zhang", "name_zh": "张伟", "role": "CEO"}],
        ),
    ]
    return Snapshot(dt.date(2024, 1, 1), units, title="A group")


KIND_ORDER = ["holding", "business_group", "business_unit", "company", "lab"]


def test_siblings_are_ordered_by_kind_then_name_and_heads_are_never_stacked() -> None:
    chart = draw_org_chart(group_snapshot(), kinds=KIND_ORDER)
    boxes = chart.layout.boxes
    row = sorted(
        (uid for uid, box in boxes.items() if box.parent == "group"),
        key=lambda u: (boxes[u].x, boxes[u].y),
    )
    assert row[:2] == ["alpha-bg", "zeta-bg"]  # business groups first, by name
    assert not boxes["alpha-bg"].stacked and not boxes["zeta-bg"].stacked
    assert not boxes["shop"].stacked  # it has a sub-unit
    stacked = [uid for uid in row if boxes[uid].stacked]
    assert stacked == [*(f"co-{i}" for i in "abcdefghi"), "lab"]  # companies, then the lab
    assert [boxes[uid].y for uid in stacked] == sorted(boxes[uid].y for uid in stacked)
    assert_tidy(chart)


def test_unconfirmed_units_and_placements_are_marked_and_explained() -> None:
    chart = draw_org_chart(group_snapshot(), kinds=KIND_ORDER)
    assert chart.labels["co-i"].get_text() == "Co I (?)"
    assert chart.labels["co-h"].get_text() == "Co H"
    assert len(chart.connectors) == 2  # the tree, and the dotted link into the lab
    (dotted,) = chart.connectors[1].get_segments()
    lab = chart.layout.boxes["lab"]
    assert tuple(dotted[-1]) == (lab.x, lab.centre[1])
    legend = [t.get_text() for t in chart.legend.get_texts()]
    assert "(?) unit not confirmed by the sources" in legend
    assert "dotted link: placement not confirmed" in legend
    assert_tidy(chart)


def test_folded_units_say_how_many_units_they_hide() -> None:
    chart = draw_org_chart(group_snapshot(), kinds=KIND_ORDER, depth=1)
    assert chart.folded == {"zeta-bg": 2}
    assert chart.labels["zeta-bg"].get_text() == "Zeta Bg\n+2 below"
    assert not chart.layout.boxes["zeta-bg"].stacked
    assert chart.heading[-1].get_text() == "Snapshot of 2024-01-01; 13 of 15 units shown"


def test_leaders_on_request_and_sources_left_off_on_request() -> None:
    snapshot = group_snapshot()
    plain = draw_org_chart(snapshot)
    assert plain.labels["sub"].get_text() == "Sub"
    chart = draw_org_chart(snapshot, leaders=True)
    assert chart.labels["sub"].get_text() == "Sub\nCEO: Wei Zhang"
    assert_tidy(chart)
    if _style.find_cjk_font() is not None:
        assert draw_org_chart(snapshot, leaders=True, lang="zh").labels["sub"].get_text() == (
            "Sub\nCEO：张伟"
        )


def test_sources_are_numbered_citations_or_left_off(example: orgmodel.History) -> None:
    snapshot = example.at("2021-06-01")
    chart = draw_org_chart(snapshot, sources=example.sources)
    assert chart.footnote is not None
    assert chart.footnote.get_text().startswith("Sources: [1] Example Group, 2021-01   [2] ")
    assert chart.footnote.get_fontsize() >= 7
    bare = draw_org_chart(snapshot, sources=example.sources, citations=False)
    assert bare.footnote is None
    assert bare.figure.get_size_inches()[1] < chart.figure.get_size_inches()[1]


def test_standing_is_drawn_as_line_style(example: orgmodel.History) -> None:
    chart = draw_org_chart(example.at("2021-01-01"))
    assert chart.boxes["search-co"].get_linestyle() == "--"
    assert chart.boxes["commerce"].get_linestyle() == "-"
    assert chart.boxes["group"].get_linewidth() > chart.boxes["commerce"].get_linewidth() * 2
    assert len(chart.markers) == 1  # the media group's planned IPO


def test_kind_colours_follow_the_history_order(example: orgmodel.History) -> None:
    first = draw_org_chart(example.at("2020-01-01"), kinds=example.kinds)
    second = draw_org_chart(example.at("2023-06-30"), kinds=example.kinds)
    assert first.boxes["group"].get_facecolor() == second.boxes["group"].get_facecolor()
    assert first.boxes["shop"].get_facecolor() == second.boxes["shop"].get_facecolor()


def test_root_and_depth_draw_one_part(example: orgmodel.History) -> None:
    snapshot = example.at("2020-01-01")
    chart = draw_org_chart(snapshot, root="platform")
    assert set(chart.boxes) == {"platform", "search", "data", "lab"}
    assert "below Shared Platform" in chart.heading[-1].get_text()
    assert set(draw_org_chart(snapshot, depth=1).boxes) == {
        "group",
        "commerce",
        "platform",
        "media",
        "mall",
    }
    assert set(draw_org_chart(snapshot, depth=0).boxes) == {"group"}
    with pytest.raises(orgmodel.UnknownUnitError, match="nowhere"):
        draw_org_chart(snapshot, root="nowhere")


def test_chinese_names_use_a_cjk_font(example: orgmodel.History) -> None:
    if _style.find_cjk_font() is None:
        pytest.skip("no CJK font installed (e.g. the Debian package fonts-noto-cjk)")
    chart = draw_org_chart(example.at("2020-01-01"), lang="zh")
    assert chart.labels["group"].get_text() == "示例集团"
    assert chart.labels["shop"].get_text() == "Shop"  # no Chinese name: the English one
    assert chart.labels["group"].get_fontfamily()[0] == _style.find_cjk_font()
    assert_tidy(chart)


def test_without_a_cjk_font_chinese_falls_back_to_english(
    example: orgmodel.History, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_style, "find_cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="no CJK font found"):
        chart = draw_org_chart(example.at("2020-01-01"), lang="zh")
    assert chart.labels["group"].get_text() == "Example Group"


def test_unknown_language_is_refused(example: orgmodel.History) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        draw_org_chart(example.at("2020-01-01"), lang="fr")


def test_drawing_into_given_axes(example: orgmodel.History) -> None:
    figure, (_left, right) = plt.subplots(1, 2, figsize=(12, 4))
    chart = draw_org_chart(example.at("2020-01-01"), ax=right)
    assert chart.ax is right and chart.figure is figure
    assert chart.scale <= 1.0
    assert all(patch.axes is right for patch in chart.boxes.values())
    assert_tidy(chart)


def test_the_figure_grows_with_the_tree() -> None:
    small = draw_org_chart(random_snapshot(10, 1)).figure.get_size_inches()
    large = draw_org_chart(random_snapshot(300, 1)).figure.get_size_inches()
    assert large[0] > small[0] and large[1] > small[1]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_figure_writes_the_format_of_the_suffix(
    example: orgmodel.History, tmp_path: Path, suffix: str
) -> None:
    chart = draw_org_chart(example.at("2020-01-01"))
    target = save_figure(chart.figure, tmp_path / f"chart{suffix}")
    head = target.read_bytes()[:8]
    expected = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix]
    assert head.startswith(expected)
    assert os.listdir(tmp_path) == [f"chart{suffix}"]


def test_save_figure_caps_the_pixels_of_a_large_png(tmp_path: Path) -> None:
    from PIL import Image

    figure = plt.figure(figsize=(50, 30), dpi=100)
    with Image.open(save_figure(figure, tmp_path / "large.png")) as image:
        assert image.size == (4472, 2683)  # 12 megapixels at 89 dpi, not 15 at 100
    with Image.open(save_figure(figure, tmp_path / "asked.png", dpi=40)) as image:
        assert image.size == (2000, 1200)  # a dpi asked for is a dpi given
    with Image.open(save_figure(plt.figure(figsize=(5, 3)), tmp_path / "small.png")) as image:
        assert image.size == (1000, 600)  # 200 dpi unless told


def test_svg_keeps_text_as_text_and_pdf_embeds_truetype(
    example: orgmodel.History, tmp_path: Path
) -> None:
    import re

    chart = draw_org_chart(example.at("2020-01-01"), lang="zh")
    svg = save_figure(chart.figure, tmp_path / "chart.svg").read_text()
    assert "示例集团" in svg and "<text" in svg  # searchable, not outlines
    pdf = save_figure(chart.figure, tmp_path / "chart.pdf").read_bytes()
    subtypes = set(re.findall(rb"/Subtype\s*/(\w+)", pdf))
    assert b"Type3" not in subtypes
    assert b"CIDFontType2" in subtypes or b"TrueType" in subtypes
    # Set for the file only: the process keeps its own settings.
    assert matplotlib.rcParams["svg.fonttype"] == "path"
    assert matplotlib.rcParams["pdf.fonttype"] == 3


def test_width_scales_the_whole_picture(example: orgmodel.History) -> None:
    natural = draw_org_chart(example.at("2020-01-01"))
    narrow = draw_org_chart(example.at("2020-01-01"), width=4.0)
    assert narrow.figure.get_size_inches()[0] == pytest.approx(4.0)
    ratio = 4.0 / natural.figure.get_size_inches()[0]
    assert narrow.scale == pytest.approx(ratio)
    assert narrow.labels["group"].get_fontsize() == pytest.approx(9.0 * ratio)
    assert_tidy(narrow)


def test_title_replaces_the_snapshots(example: orgmodel.History) -> None:
    chart = draw_org_chart(example.at("2020-01-01"), title="Before the break-up")
    assert chart.heading[0].get_text() == "Before the break-up"
    assert chart.heading[1].get_text().startswith("Snapshot of 2020-01-01")


def test_chinese_localises_every_word(example: orgmodel.History) -> None:
    if _style.find_cjk_font() is None:
        pytest.skip("no CJK font installed (e.g. the Debian package fonts-noto-cjk)")
    a, b = example.at("2020-01-01"), example.at("2021-01-01")
    charts = [
        draw_org_chart(b, lang="zh", kinds=example.kinds, sources=example.sources),
        draw_change_chart(a, b, orgmodel.diff(a, b), lang="zh", sources=example.sources),
    ]
    for chart in charts:
        texts = [t.get_text() for t in chart.heading[1:]]
        texts += [t.get_text() for t in chart.legend.get_texts() if t.get_text()]
        texts += [chart.footnote.get_text().split(":")[0]] if chart.footnote else []
        english = [
            t
            for t in texts
            if re.search(
                r"\b(Snapshot|Changes|units?|Sources|in line|"
                r"standalone|listed|moved|removed|added|"
                r"unchanged|holding|business)\b",
                t,
            )
        ]
        assert english == [], english


def test_every_picture_word_has_every_language() -> None:
    from orgmodel.drawing import _words

    for key, words in _words.WORDS.items():
        assert set(words) == set(_words.LANGUAGES), key
        assert all(words.values()), key
    for kind, words in _words.KIND_WORDS.items():
        assert set(words) == set(_words.LANGUAGES), kind


def test_a_chart_in_a_grid_of_small_axes_is_readable_and_whole() -> None:
    history = histories()[-1]
    figure, axes = plt.subplots(2, 2, figsize=(16, 11), layout="constrained")
    for ax, snapshot in zip(axes.flat, history.snapshots[-4:], strict=True):
        chart = draw_org_chart(snapshot, ax=ax, kinds=history.kinds)
        figure.canvas.draw()
        fonts = {round(label.get_fontsize(), 2) for label in chart.labels.values()}
        assert min(fonts) >= 6.0, snapshot.date  # folded rather than microscopic
        assert_tidy(chart)
        inside = ax.get_window_extent()
        for patch in chart.boxes.values():  # nothing cut off at the axes' edges
            box = patch.get_window_extent()
            assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1
            assert inside.y0 - 1 <= box.y0 and box.y1 <= inside.y1 + 1
        if chart.folded:
            uid, hidden = next(iter(chart.folded.items()))
            assert f"+{hidden} below" in chart.labels[uid].get_text()


def test_save_figure_refuses_other_suffixes(tmp_path: Path) -> None:
    figure = plt.figure()
    with pytest.raises(orgmodel.OutputError, match=r"use one of \.png, \.svg, \.pdf"):
        save_figure(figure, tmp_path / "chart.jpg")
    assert os.listdir(tmp_path) == []


def test_save_figure_leaves_no_half_written_file(tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    target.write_bytes(b"the old picture")
    figure = plt.figure()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer crashed")

    figure.savefig = fail  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        save_figure(figure, target)
    assert target.read_bytes() == b"the old picture"
    assert os.listdir(tmp_path) == ["chart.png"]


def test_save_figure_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(orgmodel.OutputError, match="does not exist"):
        save_figure(plt.figure(), tmp_path / "nowhere" / "chart.png")


def test_change_chart_shows_both_snapshots_and_what_happened(example: orgmodel.History) -> None:
    a, b = example.at("2020-01-01"), example.at("2021-01-01")
    chart = draw_change_chart(a, b, orgmodel.diff(a, b))
    assert set(a.units) | set(b.units) == set(chart.boxes)  # removed units at their old place
    assert chart.layout.boxes["video"].parent == "media"
    assert chart.dates == (a.date, b.date)
    assert "Changes from 2020-01-01 to 2021-01-01" in [t.get_text() for t in chart.heading]
    assert chart.boxes["video"].get_linestyle() == "--"  # removed: dashed as well as coloured
    assert "(was Commerce Group)" in chart.labels["commerce"].get_text()
    legend = [t.get_text() for t in chart.legend.get_texts() if t.get_text()]
    assert any(text.startswith("removed: ") for text in legend)
    assert any(text.startswith("unchanged: ") for text in legend)
    assert_tidy(chart)


def test_change_chart_marks_a_merger_on_both_sides() -> None:
    def unit(uid: str, parent: str | None = None, lineage: tuple[str, ...] = ()) -> Unit:
        kind = "division" if parent else "holding"
        return Unit(id=uid, name=uid.title(), kind=kind, parent=parent, lineage=lineage)

    a = Snapshot(
        dt.date(2022, 1, 1), [unit("group"), unit("retail", "group"), unit("web", "group")]
    )
    b = Snapshot(dt.date(2023, 1, 1), [unit("group"), unit("shop", "group", ("retail", "web"))])
    chart = draw_change_chart(a, b, orgmodel.diff(a, b))
    # The sources (hollow) are told apart from the result (filled), and say where they went.
    merged = {
        line.get_markerfacecolor(): len(line.get_xdata())
        for line in chart.markers
        if line.get_marker() == ">"
    }
    assert merged == {"white": 2, _style.EVENT_STYLE["merged"][0]: 1}
    assert not [line for line in chart.markers if line.get_marker() in ("P", "X")]
    assert chart.labels["retail"].get_text() == "Retail\nmerged into Shop"
    assert chart.labels["shop"].get_text() == "Shop\nformed from Retail, Web"
    legend = [t.get_text() for t in chart.legend.get_texts()]
    assert "merged: a unit merged away: 2" in legend
    assert "merged: the unit they formed: 1" in legend
    # The vanished units still look removed: dashed boxes.
    assert [uid for uid, box in chart.boxes.items() if box.get_linestyle() == "--"] == [
        "retail",
        "web",
    ]
    assert_tidy(chart)


def test_change_chart_names_the_old_parent_of_a_moved_unit(example: orgmodel.History) -> None:
    a, b = example.at("2021-01-01"), example.at("2022-01-01")
    chart = draw_change_chart(a, b, orgmodel.diff(a, b))
    assert len(chart.connectors) == 1  # the tree's lines only: nothing across the chart
    assert chart.labels["lab"].get_text().endswith("from Shared Platform")
    legend = [t.get_text() for t in chart.legend.get_texts()]
    assert "moved: the box names its old parent: 1" in legend
    assert_tidy(chart)


def test_twenty_moves_stay_readable() -> None:
    units = [Unit(id="g", name="Group", kind="holding")]
    units += [Unit(id=f"p{i}", name=f"Parent {i}", kind="division", parent="g") for i in range(5)]
    before = [
        Unit(id=f"u{i}", name=f"Unit {i}", kind="team", parent=f"p{i % 5}") for i in range(20)
    ]
    after = [u.model_copy(update={"parent": f"p{(int(u.id[1:]) + 2) % 5}"}) for u in before]
    a = Snapshot(dt.date(2022, 1, 1), units + before)
    b = Snapshot(dt.date(2023, 1, 1), units + after)
    chart = draw_change_chart(a, b, orgmodel.diff(a, b))
    for i in range(20):
        assert chart.labels[f"u{i}"].get_text() == f"Unit {i}\nfrom Parent {i % 5}"
    assert len(chart.connectors) == 1
    assert_tidy(chart)


def test_change_chart_legend_counts_what_is_drawn() -> None:
    history = histories()[-1]
    a, b = history.at("2023-01-01"), history.at("2023-12-31")
    result = orgmodel.diff(a, b)
    for options in ({}, {"depth": 1}, {"root": "ttg"}):
        chart = draw_change_chart(a, b, result, **options)
        legend = [t.get_text() for t in chart.legend.get_texts() if ": " in t.get_text()]
        counted = sum(int(t.rsplit(": ", 1)[1]) for t in legend if "names its old" not in t)
        assert counted == len(chart.boxes), options
        assert_tidy(chart)


def test_change_chart_of_the_bundled_history_is_tidy() -> None:
    history = histories()[-1]
    a, b = history.at(history.dates[len(history.dates) // 2]), history.at(history.dates[-1])
    assert_tidy(draw_change_chart(a, b, orgmodel.diff(a, b)))


def test_every_event_kind_has_a_change_style_and_a_label() -> None:
    from orgmodel.drawing._words import LANGUAGES, word
    from orgmodel.drawing.orgchart import CHANGE_STYLE
    from orgmodel.events import KINDS

    assert set(CHANGE_STYLE) == set(KINDS)
    assert all(word(kind, lang) for kind in KINDS for lang in LANGUAGES)


def test_steps_draw_each_step_of_a_round_trip() -> None:
    history = histories()[-1]
    # The snapshot before Chengdun is carved out, the first with it, the first with it back
    # in line: two steps, whatever snapshots lie between.
    present = history.presence("chengdun")
    first = history.index(present[0])
    back = next(s for s in history.snapshots[first:] if s.units["chengdun"].status == "active")
    chain = [history.snapshots[first - 1], history.snapshots[first], back]
    diffs = [history.diff(a.date, b.date) for a, b in itertools.pairwise(chain)]
    steps = draw_change_steps(chain, diffs)
    assert len(steps.charts) == len(chain) - 1 == 2
    # Chengdun leaves in the first step and comes back in the second.
    marks = [chart.labels["chengdun"].get_text() for chart in steps.charts]
    assert all(mark.startswith("Chengdun") for mark in marks)
    legends = [[t.get_text() for t in chart.legend.get_texts()] for chart in steps.charts]
    assert any(text.startswith("spun off: ") for text in legends[0])
    assert any(text.startswith("returned: ") for text in legends[1])
    for chart in steps.charts:
        assert all(
            chart.layout.boxes[uid].parent in chart.boxes for uid in chart.boxes if uid != "alibaba"
        )
        assert_tidy(chart)


def test_a_name_of_a_megabyte_is_drawn_short() -> None:
    """Labels are cut to LABEL_LIMIT characters: a huge name neither hangs nor fills the file."""
    from orgmodel.layout import LABEL_LIMIT

    huge = "Enormous " * 120_000
    units = [
        Unit(id="g", name="Group", kind="holding"),
        Unit(id="a", name=huge, kind="company", parent="g"),
    ]
    history = orgmodel.History(
        [Snapshot(dt.date(2020, 1, 1), units), Snapshot(dt.date(2021, 1, 1), units[:1])]
    )
    for drawn in (draw_org_chart(history.at("2020")), draw_timeline(history)):
        texts = [t.get_text() for t in drawn.figure.findobj(matplotlib.text.Text)]
        assert any(t.startswith("Enormous Enormous") for t in texts)
        longest = max(len(line) for t in texts for line in t.split("\n") if "Enormous" in line)
        assert longest <= LABEL_LIMIT
        plt.close(drawn.figure)


def test_a_unit_built_without_validation_still_gives_well_formed_svg(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ElementTree

    root = Unit(id="g", name="Group", kind="holding")
    odd = Unit.model_construct(**{**root.model_dump(), "id": "o", "name": "Bell\x07 \u202eLabs"})
    odd = odd.model_copy(update={"parent": "g"})
    snapshot = Snapshot(dt.date(2020, 1, 1), [root, odd])
    target = save_figure(draw_org_chart(snapshot).figure, tmp_path / "odd.svg")
    texts = "".join(ElementTree.parse(target).getroot().itertext())
    assert "Bell\ufffd \ufffdLabs" in texts


def test_each_step_panel_draws_its_labels_as_large_as_an_org_chart() -> None:
    """A step with many changes gets the room it needs, not a share of the figure: every
    panel's box labels are of the org chart's size, the panels follow the steps in reading
    order, and no panel (with its title) overlaps another or leaves the figure."""
    from orgmodel.drawing.orgchart import FONT_SIZE

    history = orgmodel.load_history()
    busiest = max(
        range(1, len(history)),
        key=lambda i: len(history.diff(history.dates[i - 1], history.dates[i]).events),
    )
    chain = list(history.snapshots[max(busiest - 2, 0) : busiest + 3])
    diffs = [history.diff(a.date, b.date) for a, b in itertools.pairwise(chain)]
    steps = draw_change_steps(chain, diffs)
    assert len(steps.charts) == len(chain) - 1
    figure = steps.figure
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    whole = figure.bbox
    boxes = []
    for chart in steps.charts:
        sizes = [label.get_fontsize() for label in chart.labels.values()]
        assert sizes and all(size == pytest.approx(FONT_SIZE) for size in sizes)
        box = chart.ax.get_tightbbox(renderer)
        assert box is not None
        assert whole.x0 <= box.x0 and box.x1 <= whole.x1 + 1
        assert whole.y0 <= box.y0 and box.y1 <= whole.y1 + 1
        boxes.append(box)
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), f"panels {i + 1} and {j + 1} overlap"
        # Reading order: a later step is to the right on the same row, or on a row below.
        assert b.y1 <= a.y1 + 1 and (b.x0 >= a.x1 or b.y1 <= a.y0 + 1)


def _kind_colours(chart: Chart, snapshot: Snapshot) -> dict[str, tuple[float, ...]]:
    colours: dict[str, set[tuple[float, ...]]] = {}
    for uid, box in chart.boxes.items():
        unit = snapshot.units[uid]
        if unit.status == "active":  # units outside their line are drawn lighter
            colours.setdefault(unit.kind, set()).add(tuple(box.get_facecolor()))
    assert all(len(found) == 1 for found in colours.values()), colours
    return {kind: found.pop() for kind, found in colours.items()}


def test_a_kind_has_one_colour_in_every_chart_of_a_history() -> None:
    """A history that lists no kinds: the charts of two dates holding different kinds, as the
    command line draws them, give each kind they share the same colour."""
    from orgmodel.drawing.pictures import draw_history

    g = Unit(id="g", name="Group", kind="holding")
    first = [g, Unit(id="d", name="D", kind="division", parent="g")]
    first.append(Unit(id="t", name="T", kind="team", parent="d"))
    second = [g, Unit(id="o", name="O", kind="office", parent="g")]
    second += [Unit(id="d", name="D", kind="division", parent="g")]
    second.append(Unit(id="t", name="T", kind="team", parent="d"))
    history = orgmodel.History(
        [Snapshot(dt.date(2020, 1, 1), first), Snapshot(dt.date(2021, 1, 1), second)]
    )
    assert history.kinds is None
    assert history.kind_order == ("holding", "division", "team", "office")
    one, two = (draw_history(history, day) for day in history.dates)
    colours = _kind_colours(one, history.snapshots[0]), _kind_colours(two, history.snapshots[1])
    assert all(colours[1][kind] == colour for kind, colour in colours[0].items())
    assert len(set(colours[1].values())) == len(colours[1])


def test_charts_drawn_without_a_history_agree_on_the_usual_kinds() -> None:
    history = orgmodel.load_history()
    early, late = history.at("2015-12-07"), history.at("2023-05-18")
    one, two = draw_org_chart(early), draw_org_chart(late)
    colours = _kind_colours(one, early), _kind_colours(two, late)
    shared = colours[0].keys() & colours[1].keys()
    assert "business_group" in shared and len(shared) >= 3
    assert all(colours[0][kind] == colours[1][kind] for kind in shared)
