"""The flows of a flow chart, checked against the snapshots: every unit counted once per column,
ribbons joining the blocks a unit is under on consecutive dates."""

from __future__ import annotations

import itertools
import random
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import orgmodel
from orgmodel.drawing.flow import MARGIN, draw_flow_chart
from orgmodel.drawing.orgchart import FONT_SIZE
from orgmodel.flows import COLUMNS, Flows, flows
from orgmodel.periods import OPENING_WEIGHT, choose_periods, moved, placement

from .randomhistory import random_history


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def head(snapshot, uid: str, level: int) -> str:
    chain = [uid, *snapshot.ancestors(uid)]
    return chain[len(chain) - 1 - level]


def head_sizes(snapshot, level: int) -> dict[str, int]:
    """How many units each head at ``level`` holds, itself included."""
    sizes: dict[str, int] = {}
    for uid in snapshot.units:
        if snapshot.depth(uid) >= level:
            sizes[head(snapshot, uid, level)] = sizes.get(head(snapshot, uid, level), 0) + 1
    return sizes


def check_against_data(history: orgmodel.History, view: Flows) -> None:
    every = [head_sizes(history.at(column.date), view.level) for column in view.columns]
    # A head is a block on every date if it holds enough units on one of them.
    named = {uid for sizes in every for uid, size in sizes.items() if size >= view.min_size}
    for column, sizes in zip(view.columns, every, strict=True):
        snapshot = history.at(column.date)
        counted = [uid for block in column.blocks for uid in block.units]
        expected = {u for u in snapshot.units if snapshot.depth(u) >= view.level}
        assert sorted(counted) == sorted(expected)  # each unit once, none left out
        for block in column.blocks:
            for uid in block.units:
                if block.unit is not None:
                    assert head(snapshot, uid, view.level) == block.unit
                else:
                    assert head(snapshot, uid, view.level) not in named
            if block.unit is not None:
                assert block.size == sizes[block.unit] and block.unit in named
        assert [b.unit for b in column.blocks].count(None) <= 1
        if column.blocks:  # the pool, if any, at the foot
            assert column.blocks[-1].unit is None or None not in [b.unit for b in column.blocks]
    for i in range(len(view.columns) - 1):
        left, right = view.columns[i], view.columns[i + 1]
        ribbons = [r for r in view.ribbons if r.column == i]
        passing = [uid for r in ribbons for uid in r.units]
        both = {u for b in left.blocks for u in b.units} & {
            u for b in right.blocks for u in b.units
        }
        assert sorted(passing) == sorted(both)
        for ribbon in ribbons:
            assert set(ribbon.units) <= set(left.blocks[ribbon.source].units)
            assert set(ribbon.units) <= set(right.blocks[ribbon.target].units)


def crossings(view: Flows) -> int:
    """How many pairs of ribbons cross, counting a pair once per unit in each."""
    found = 0
    for i in range(len(view.columns) - 1):
        ribbons = [r for r in view.ribbons if r.column == i]
        for a in ribbons:
            for b in ribbons:
                if a.source < b.source and a.target > b.target:
                    found += a.size * b.size
    return found


def first_block(history: orgmodel.History, unit: str, level: int = 1, min_size: int = 2):
    """The first snapshot date on which ``unit`` heads a block of the flow chart."""
    for snapshot in history.snapshots:
        view = flows(history, dates=[snapshot.date], level=level, min_size=min_size)
        if unit in {b.unit for b in view.columns[0].blocks}:
            return snapshot.date
    raise AssertionError(f"{unit} never heads a block")


def test_default_flows_of_the_bundled_data() -> None:
    history = orgmodel.load_history()
    view = flows(history)
    check_against_data(history, view)
    days = [c.date for c in view.columns]
    assert len(days) == COLUMNS
    assert (days[0], days[-1]) == (history.dates[0], history.dates[-1])
    # Each of the three stories has a column on the day its group was set up: the big middle
    # office, the 1+6+N split (Taobao and Tmall Group) and the one e-commerce business group.
    middle, split, together = (
        first_block(history, u) for u in ("middle-office", "ttg", "ecommerce-bg")
    )
    assert {middle, split, together} <= set(days)
    at = {c.date: {b.unit: i for i, b in enumerate(c.blocks)} for c in view.columns}
    assert "middle-office" not in at[days[days.index(middle) - 1]]
    # 1+6+N: the groups of 2023 are blocks, and China digital commerce flows into Taobao-Tmall.
    assert {"ttg", "aidc", "local-services", "cloud-intelligence", "dme"} <= set(at[split])
    column = days.index(split) - 1
    into_ttg = [r for r in view.ribbons if r.column == column and r.target == at[split]["ttg"]]
    sources = {view.columns[column].blocks[r.source].unit for r in into_ttg}
    assert "china-digital-commerce" in sources
    # One e-commerce business group takes in Taobao-Tmall and international commerce.
    column = days.index(together) - 1
    target = at[together]["ecommerce-bg"]
    sources = {
        view.columns[column].blocks[r.source].unit
        for r in view.ribbons
        if r.column == column and r.target == target
    }
    assert {"ttg", "aidc"} <= sources


def period_cost(placements, chosen) -> float:
    """The cost :func:`choose_periods` minimises, written out from its docstring."""
    total = 0.0
    for start, stop in itertools.pairwise(chosen):
        total -= OPENING_WEIGHT * (moved(placements[start - 1], placements[start]) if start else 0)
        total += sum(moved(placements[start], placements[t]) for t in range(start, stop))
    return total


@pytest.mark.parametrize("seed", range(6))
def test_chosen_periods_are_the_best_cut(seed: int) -> None:
    """Against every possible choice of columns on small random histories."""
    rng = random.Random(seed)
    heads = "abc"
    placements = [{u: rng.choice(heads) for u in "uvwxy"}]
    for _ in range(8):
        step = dict(placements[-1])
        for unit in rng.sample(sorted(step), rng.randint(0, 3)):
            step[unit] = rng.choice(heads)
        placements.append(step)
    count = len(placements)
    columns = 4
    chosen = choose_periods(placements, columns)
    assert chosen[0] == 0 and chosen[-1] == count - 1 and chosen == sorted(set(chosen))
    changed = [i for i in range(1, count - 1) if placements[i] != placements[i - 1]]
    options = [
        [0, *middle, count - 1]
        for k in range(0, columns - 1)
        for middle in itertools.combinations(changed, k)
        if len(middle) == min(columns - 2, len(changed))
    ]
    best = min(period_cost(placements, option) for option in options)
    assert period_cost(placements, chosen) == pytest.approx(best)


def test_ordering_reduces_crossings(monkeypatch: pytest.MonkeyPatch) -> None:
    history = orgmodel.load_history()
    view = flows(history)
    import orgmodel.flows as module

    monkeypatch.setattr(module, "_order", lambda columns: [list(c) for c in columns])
    unordered = flows(history)  # the same blocks, largest first
    assert crossings(view) < crossings(unordered)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_snapshot_at_each_level(level: int) -> None:
    history = orgmodel.load_history()
    view = flows(history, dates=history.dates, level=level, min_size=1)
    assert len(view.columns) == len(history.dates)
    check_against_data(history, view)


@pytest.mark.parametrize("seed", range(5))
def test_flows_of_random_histories(seed: int) -> None:
    history = random_history(40, 9, seed)
    for level, min_size in ((1, 2), (2, 1), (1, 3)):
        check_against_data(history, flows(history, level=level, min_size=min_size))


def test_a_level_below_one_is_refused() -> None:
    with pytest.raises(orgmodel.OrgModelError, match="level 0"):
        flows(orgmodel.load_history(), level=0)


def overlaps(a, b) -> bool:
    return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5


@pytest.mark.parametrize("level", [1, 2])
def test_flow_chart_is_readable(level: int) -> None:
    chart = draw_flow_chart(orgmodel.load_history(), level=level)
    renderer = chart.figure.canvas.get_renderer()
    texts = [*chart.labels, *chart.headings]
    extents = [t.get_window_extent(renderer) for t in texts]
    for i, extent in enumerate(extents):
        for j in range(i + 1, len(extents)):
            assert not overlaps(extent, extents[j]), (texts[i].get_text(), texts[j].get_text())
    assert min(t.get_fontsize() for t in chart.labels) >= FONT_SIZE
    named = [b for c in chart.flows.columns for b in c.blocks]
    assert len(chart.blocks) == len(named) and len(chart.labels) == len(named)  # all named
    width, height = chart.figure.get_size_inches() * 100
    assert width <= 1900 and height <= 1500


def test_flow_chart_of_a_random_history_names_its_blocks() -> None:
    chart = draw_flow_chart(random_history(40, 9, 3))
    named = [b for c in chart.flows.columns for b in c.blocks]
    assert len(chart.labels) == len(named)


@pytest.mark.parametrize("extra", [[], ["--level", "2", "--min-size", "1"], ["--date", "2021"]])
def test_flow_command_writes_a_picture(capsys, tmp_path, extra) -> None:
    from .conftest import EXAMPLE
    from .test_cli import run

    target = tmp_path / "flow.svg"
    code, _, err = run(capsys, "flow", "-o", str(target), "--data", EXAMPLE, *extra)
    assert code == 0, err
    assert target.read_text().lstrip().startswith("<?xml")
    assert err.startswith(f"wrote {target} (")


def test_flow_command_refuses_a_level_below_one(capsys, tmp_path) -> None:
    from .test_cli import run

    code, _, err = run(capsys, "flow", "-o", str(tmp_path / "f.png"), "--level", "0")
    assert code == 2 and "--level" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "f.png").exists()


def test_chinese_flow_chart_has_no_english_words() -> None:
    history = orgmodel.load_history()
    chart = draw_flow_chart(history, lang="zh")
    # Snapshot titles and the names of units with no Chinese name are data, as the files give
    # them; dates are dates. Every other word is Chinese.
    data = {c.title for c in chart.flows.columns}
    data |= {b.name for c in chart.flows.columns for b in c.blocks if not b.name_zh}
    texts = [t.get_text().replace("\n", " ") for t in [*chart.headings, *chart.labels]]
    english = [t for t in texts if re.search("[a-z]{3,}", t) and t not in data]
    assert not english, english


def test_a_flow_chart_is_scaled_to_a_width() -> None:
    history = orgmodel.load_history()
    full = draw_flow_chart(history)
    chart = draw_flow_chart(history, width=9.0)
    assert chart.figure.get_size_inches()[0] == pytest.approx(9.0)
    assert chart.scale == pytest.approx(9.0 / full.figure.get_size_inches()[0])
    assert chart.figure.get_size_inches()[1] == pytest.approx(
        full.figure.get_size_inches()[1] * chart.scale
    )
    assert all(t.get_fontsize() == pytest.approx(FONT_SIZE * chart.scale) for t in chart.labels)


def test_a_flow_chart_drawn_into_given_axes_fits_them() -> None:
    figure, axes = plt.subplots(2, 2, figsize=(10, 7), dpi=100)
    chart = draw_flow_chart(orgmodel.load_history(), ax=axes[0][1])
    renderer = figure.canvas.get_renderer()
    frame = axes[0][1].get_window_extent(renderer)
    labels = [t.get_window_extent(renderer) for t in chart.labels]
    for extent in labels:  # inside its axes, none over another
        assert frame.x0 - 1 <= extent.x0 and extent.x1 <= frame.x1 + 1
        assert frame.y0 - 1 <= extent.y0 and extent.y1 <= frame.y1 + 1
    for i, extent in enumerate(labels):
        assert not any(overlaps(extent, other) for other in labels[i + 1 :])
    full = draw_flow_chart(orgmodel.load_history())
    width = frame.width * 72 / 100
    assert chart.scale == pytest.approx(
        width / (full.figure.get_size_inches()[0] * 72 - 2 * MARGIN)
    )


def _placement_by_chains(snapshot, level: int) -> dict[str, str]:
    """Each unit's head at ``level``, read off its chain of ancestors."""
    where = {}
    for uid in snapshot.units:
        chain = [uid, *snapshot.ancestors(uid)]
        if len(chain) - 1 >= level:
            where[uid] = chain[len(chain) - 1 - level]
    return where


@pytest.mark.parametrize("seed", range(4))
def test_placements_are_read_off_each_units_ancestors(seed: int) -> None:
    history = random_history(40, 6, seed) if seed else orgmodel.load_history()
    for snapshot in history.snapshots:
        for level in range(4):
            ours = placement(snapshot, level)
            theirs = _placement_by_chains(snapshot, level)
            assert ours == theirs and list(ours) == list(theirs)


@pytest.mark.parametrize("seed", range(6))
def test_periods_chosen_with_shared_distances_are_those_of_moved(seed: int) -> None:
    """The distances choose_periods works out once per two distinct placements are
    :func:`moved`'s, and so are the periods it chooses."""
    from orgmodel.periods import _Distances

    rng = random.Random(seed)
    placements = [{u: rng.choice("abcd") for u in rng.sample("stuvwxyz", 6)} for _ in range(5)]
    placements += [dict(p) for p in rng.choices(placements, k=12)]  # runs and repeats
    apart = _Distances(placements)
    for a, b in itertools.product(range(len(placements)), repeat=2):
        assert apart(a, b) == moved(placements[a], placements[b])
