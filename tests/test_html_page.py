"""The page of `orgmodel html` in a real browser: Debian's Chromium, driven by Playwright.

Each test opens the page from disk, works it as a reader would (steps the date, searches,
clicks a unit) and checks what it shows against the library's own answers for those dates.
Every test also checks that the page logged no error and asked for nothing from the network.

The browser and its driver are installed by ``.ci/run``; without them these tests are skipped
on a developer's machine and fail in CI.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orgmodel
from orgmodel.drawing._words import kind_word
from orgmodel.events import CLASSES
from orgmodel.html import LABELS, render_html
from orgmodel.model import PLAN_WORDS, STATUS_WORDS, Source, Unit
from orgmodel.report import KIND_TITLES, describe, history_names
from orgmodel.snapshot import Snapshot
from tests.randomhistory import random_history
from tests.test_html import chinese_names

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "tests" / "data" / "example"
TENCENT = ROOT / "examples" / "tencent"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return "Chromium is not installed (apt-get install chromium)"
    return None


if (_why := _missing()) is not None:
    if os.environ.get("CI"):
        raise RuntimeError(f"the browser tests cannot run: {_why}")
    pytest.skip(_why, allow_module_level=True)

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as driver:
        # A persistent context is how Chromium gets a fresh profile folder of its own.
        context = driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()


class Opened:
    """A page opened from disk, with what it logged and what it asked for."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def check_quiet(self, url: str) -> None:
        assert self.problems == []
        assert [r for r in self.requests if r.split("#")[0] != url] == []


@pytest.fixture
def opener(browser: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[tuple[Opened, str]] = []

    def open_page(history: orgmodel.History, lang: str = "en", hash: str = "") -> Page:
        path = tmp_path / f"page-{len(opened)}.html"
        path.write_text(render_html(history, lang=lang), encoding="utf-8")
        url = path.as_uri()
        page = browser.new_page()
        watch = Opened(page)
        opened.append((watch, url))
        page.goto(url + hash)
        page.wait_for_selector("#canvas .box")
        return page

    yield open_page
    for watch, url in opened:
        watch.check_quiet(url)
        watch.page.close()


@pytest.fixture(scope="module")
def bundled() -> orgmodel.History:
    return orgmodel.load_history()


# ---- reading what the page shows ----


def shown_units(page: Page) -> list[str]:
    """The ids of the boxes, every branch open, sorted (the page draws them depth first)."""
    page.click("#expand-all")
    return sorted(page.eval_on_selector_all("#canvas .box", "els => els.map(e => e.dataset.id)"))


def shown_marks(page: Page) -> dict[str, str]:
    pairs = page.eval_on_selector_all(
        "#canvas .box.marked",
        "els => els.map(e => [e.dataset.id, e.querySelector('.tag').textContent])",
    )
    return dict(pairs)


def shown_changes(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#changes li.ev", "els => els.map(e => e.firstChild.textContent)"
    )


def shown_record(page: Page) -> dict[str, str]:
    pairs = page.eval_on_selector_all(
        "#record dl dt", "els => els.map(e => [e.textContent, e.nextElementSibling.textContent])"
    )
    return dict(pairs)


def step_words(history: orgmodel.History, index: int) -> list[str]:
    names = history_names(history)
    events = history.changes(history.dates[index - 1], history.dates[index])
    return [describe(e, names) for e in events]


# ---- the tests ----


def test_stepping_through_the_dates_shows_each_tree_and_its_changes(
    opener: Any, bundled: orgmodel.History
) -> None:
    page = opener(bundled, hash=f"#{bundled.dates[0].isoformat()}")
    for index, snapshot in enumerate(bundled.snapshots):
        if index:
            page.click("#next")
        assert page.text_content("#snapdate") == snapshot.date.isoformat()
        assert shown_units(page) == sorted(snapshot.units)
        if index == 0:
            assert page.eval_on_selector_all("#changes li.ev", "els => els.length") == 0
            continue
        assert shown_changes(page) == step_words(bundled, index)
        events = bundled.changes(bundled.dates[index - 1], bundled.dates[index])
        for uid, word in shown_marks(page).items():
            assert any(KIND_TITLES[e.kind] == word and uid in e.units for e in events), uid
    assert page.is_disabled("#next")


def test_the_1_6_n_step_is_highlighted(opener: Any, bundled: orgmodel.History) -> None:
    page = opener(bundled)
    index = bundled.dates.index(dt.date(2023, 3, 28))
    page.select_option("#dates", str(index))
    assert page.text_content("#snapdate") == "2023-03-28"
    marks = shown_marks(page)
    events = bundled.changes(bundled.dates[index - 1], bundled.dates[index])
    spun = {e.unit for e in events if isinstance(e, orgmodel.SpunOff) and not e.left_group}
    assert spun and {marks[uid] for uid in spun} == {KIND_TITLES["spun_off"]}
    headings = page.eval_on_selector_all("#changes h3 .tag", "els => els.map(e => e.textContent)")
    assert headings == list(dict.fromkeys(KIND_TITLES[e.kind] for e in events))
    # The keyboard steps too, and the address follows the date.
    page.click("#snapline")
    page.keyboard.press("ArrowLeft")
    assert page.text_content("#snapdate") == bundled.dates[index - 1].isoformat()
    assert page.evaluate("location.hash") == f"#{bundled.dates[index - 1].isoformat()}"


@pytest.mark.parametrize("text", ["hema", "菜鸟", "  Cloud   INTELLIGENCE", "aicheng", "Tmall"])
def test_search_finds_what_the_library_finds(
    opener: Any, bundled: orgmodel.History, text: str
) -> None:
    page = opener(bundled)
    page.fill("#search", text)
    found = page.eval_on_selector_all(
        "#results li[data-unit]", "els => els.map(e => e.dataset.unit)"
    )
    expected = [f.id for f in bundled.find(text)]
    assert found and found == expected


def test_search_for_nothing_says_so(opener: Any, bundled: orgmodel.History) -> None:
    page = opener(bundled)
    page.fill("#search", "zzqx")
    assert all(f.how == "close" for f in bundled.find("zzqx"))
    assert page.text_content("#results") == LABELS["no_match"]["en"]


def test_clicking_a_unit_opens_its_record(opener: Any, bundled: orgmodel.History) -> None:
    day = dt.date(2023, 5, 18)
    snapshot = bundled.at(day)
    page = opener(bundled, hash=f"#{day.isoformat()}")
    page.click("#expand-all")
    page.click('#canvas .box[data-id="aicheng"]')
    unit = snapshot.units["aicheng"]
    assert page.text_content("#record h2") == unit.name
    record = shown_record(page)
    labels = {key: words["en"] for key, words in LABELS.items()}
    assert record[labels["name"]] == unit.name
    assert record[labels["kind"]].startswith(kind_word(unit.kind))
    assert record[labels["status"]] == STATUS_WORDS[unit.status]
    chain = [snapshot.units[p].name for p in reversed(snapshot.ancestors("aicheng"))]
    assert record[labels["parents"]] == " › ".join(chain)
    links = page.eval_on_selector_all(
        "#record li.src",
        "els => els.map(e => [e.firstChild.textContent, e.querySelector('a')?.href ?? null])",
    )
    expected = [bundled.sources[key] for key in unit.sources]
    assert [title for title, _ in links] == [s.title for s in expected]
    assert [href for _, href in links] == [s.url for s in expected]
    lineage = page.eval_on_selector_all(
        "#record ol.lineage li",
        "els => els.map(e => [e.querySelector('.when').textContent, "
        "e.querySelector('.tag').textContent])",
    )
    expected_lineage = bundled.lineage("aicheng")
    assert lineage == [[e.date.isoformat(), KIND_TITLES[e.kind]] for e in expected_lineage]
    presence = page.eval_on_selector_all(
        ".presence span", "els => els.map(e => e.classList.contains('in'))"
    )
    assert presence == [day in bundled.presence("aicheng") for day in bundled.dates]
    assert page.evaluate("location.hash") == f"#{day.isoformat()}/aicheng"
    # The record follows the date; a date without the unit says so.
    page.select_option("#dates", "0")
    assert page.text_content("#record p").endswith(LABELS["not_in_force"]["en"])


def test_a_plan_is_marked_and_named(opener: Any, bundled: orgmodel.History) -> None:
    snapshot = bundled.at("2023-05-18")
    planned = [unit for unit in snapshot.units.values() if unit.plan is not None]
    assert planned
    page = opener(bundled, hash=f"#2023-05-18/{planned[0].id}")
    page.click("#expand-all")
    marked = page.eval_on_selector_all(
        "#canvas .box", "els => els.filter(e => e.querySelector('.mk.plan')).map(e => e.dataset.id)"
    )
    assert sorted(marked) == sorted(unit.id for unit in planned)
    assert shown_record(page)[LABELS["plan"]["en"]] == PLAN_WORDS[planned[0].plan]


def test_a_parent_in_the_record_is_a_link(opener: Any, bundled: orgmodel.History) -> None:
    page = opener(bundled, hash="#2023-05-18/aicheng")
    assert page.text_content("#record h2") == bundled.at("2023-05-18").units["aicheng"].name
    parent = bundled.at("2023-05-18").units["aicheng"].parent
    assert parent is not None
    page.click(f'#record .chain a[data-unit="{parent}"]')
    assert page.text_content("#record h2") == bundled.at("2023-05-18").units[parent].name


def test_branches_fold_and_the_chart_zooms(opener: Any, bundled: orgmodel.History) -> None:
    page = opener(bundled, hash="#2023-03-28")
    page.click("#expand-all")
    all_units = len(bundled.at("2023-03-28").units)
    assert page.eval_on_selector_all("#canvas .box", "e => e.length") == all_units
    page.click("#collapse-all")
    top = bundled.at("2023-03-28")
    visible = sorted([top.root, *top.children(top.root)])
    shown = page.eval_on_selector_all("#canvas .box", "els => els.map(e => e.dataset.id)")
    assert sorted(shown) == visible
    # A folded branch says how many changes of the step it hides.
    ttg = page.text_content('#canvas .tog[data-id="ttg"]')
    assert ttg is not None and re.search(r"\d+ changed below", ttg)
    page.click('#canvas .tog[data-id="ttg"]')
    assert set(top.children("ttg")) <= set(
        page.eval_on_selector_all("#canvas .box", "els => els.map(e => e.dataset.id)")
    )
    page.click("#zoom-in")
    assert page.text_content("#zoomlevel") == "125%"
    assert page.eval_on_selector("#canvas", "e => e.style.zoom") == "1.25"


def test_the_page_in_chinese(opener: Any, bundled: orgmodel.History) -> None:
    page = opener(bundled, lang="zh", hash="#2023-03-28/taobao")
    for key, words in LABELS.items():
        shown = page.eval_on_selector_all(f'[data-l="{key}"]', "els => els.map(e => e.textContent)")
        assert all(text == words["zh"] for text in shown)
    text = page.inner_text("body")
    leftover = [w["en"] for w in LABELS.values() if len(w["en"]) > 3 and w["en"] in text]
    assert leftover == []
    headings = page.eval_on_selector_all("#changes h3 .tag", "els => els.map(e => e.textContent)")
    step = bundled.dates.index(dt.date(2023, 3, 28))
    events = bundled.changes(bundled.dates[step - 1], "2023-03-28")
    assert headings == list(dict.fromkeys(CLASSES[e.kind].title_zh for e in events))
    names = chinese_names(bundled)
    assert shown_changes(page) == [describe(e, names, lang="zh") for e in events]
    snapshot = bundled.at("2023-03-28")
    labels = dict(
        page.eval_on_selector_all(
            "#canvas .box",
            "els => els.map(e => [e.dataset.id, e.querySelector('.nm').textContent])",
        )
    )
    for uid, label in labels.items():
        assert label == (snapshot.units[uid].name_zh or snapshot.units[uid].name)


def test_the_flow_view_shows_the_librarys_flows(opener: Any, bundled: orgmodel.History) -> None:
    from orgmodel.flows import flows

    page = opener(bundled, hash="#2023-03-28")
    page.click("#view-flow")
    assert page.is_hidden("#viewport") and page.is_visible("#flowpane svg")
    # The legend of the tree's boxes does not stand beside blocks coloured per unit.
    assert page.is_hidden("#legend")
    for level in (1, 2):
        page.select_option("#flow-level", str(level))
        expected = flows(bundled, dates=list(bundled.dates), level=level)
        shown = page.eval_on_selector_all(
            "#flowpane rect.block",
            "els => els.map(e => [+e.dataset.index, e.dataset.unit, +e.dataset.size])",
        )
        assert shown == [
            [bundled.dates.index(column.date), block.unit or "", block.size]
            for column in expected.columns
            for block in column.blocks
        ]
        assert page.eval_on_selector_all("#flowpane path.ribbon", "e => e.length") == len(
            expected.ribbons
        )
    # A block opens its unit's record on its date; a column's date selects that date.
    page.select_option("#flow-level", "1")
    first = flows(bundled, dates=list(bundled.dates), level=1)
    column = next(c for c in first.columns if any(b.unit == "cloud-intelligence" for b in c.blocks))
    index = bundled.dates.index(column.date)
    page.click(f'#flowpane rect.block[data-unit="cloud-intelligence"][data-index="{index}"]')
    assert page.text_content("#snapdate") == column.date.isoformat()
    assert (
        page.text_content("#record h2") == bundled.at(column.date).units["cloud-intelligence"].name
    )
    other = len(bundled.dates) // 3
    page.click(f'#flowpane text.colhead[data-index="{other}"]')
    assert page.text_content("#snapdate") == bundled.dates[other].isoformat()
    assert page.evaluate("location.hash").endswith("/flow")
    page.click("#view-tree")
    assert page.is_visible("#legend") and page.is_visible("#viewport")


def hostile() -> orgmodel.History:
    nasty = (
        "Evil </script><script>window.pwned=1</script> & \"q\" 's' <b>bold</b> "
        '<img src=x onerror="window.pwned=2">'
    )
    g = Unit(id="g", name="Group", kind="holding", sources=("s",))
    x = Unit(
        id="x",
        name=nasty,
        kind="company",
        parent="g",
        note="tab\tand escape",
        sources=("s", "bad"),
    )
    # Files refuse control characters; a unit built in code may still hold one, and the page
    # must show it as text all the same.
    x = x.model_copy(update={"note": "tab\tand \x1b escape"})
    sources = {
        "s": Source(title="<img src=y onerror=window.pwned=3>", publisher="P&Q", date="2020"),
        "bad": Source(
            title="Bad link", publisher="P", date="2020", url="javascript:window.pwned=4"
        ),
    }
    return orgmodel.History(
        [Snapshot(dt.date(2020, 1, 1), [g]), Snapshot(dt.date(2021, 1, 1), [g, x])],
        sources=sources,
        title="A <title> & more",
    )


def test_data_shows_as_text_and_runs_nothing(opener: Any) -> None:
    history = hostile()
    page = opener(history, hash="#2021-01-01/x")
    unit = history.at("2021").units["x"]
    assert page.text_content('#canvas .box[data-id="x"] .nm') == unit.name
    assert page.text_content("#record h2") == unit.name
    assert page.text_content("#heading") == "A <title> & more"
    page.click("#record .src:nth-child(2)")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.eval_on_selector_all("body b, body img", "e => e.length") == 0
    assert page.eval_on_selector_all('#record a[href^="javascript"]', "e => e.length") == 0
    assert shown_record(page)[LABELS["note"]["en"]] == unit.note


@pytest.mark.parametrize("folder", [EXAMPLE, TENCENT], ids=["example", "tencent"])
def test_other_histories(opener: Any, folder: Path) -> None:
    history = orgmodel.load_history(folder)
    page = opener(history, hash=f"#{history.dates[0].isoformat()}")
    for index, snapshot in enumerate(history.snapshots):
        if index:
            page.click("#next")
            assert shown_changes(page) == step_words(history, index)
        assert shown_units(page) == sorted(snapshot.units)


def shown_parents(page: Page) -> dict[str, str | None]:
    """Each box's id and the id of the box it hangs from in the drawn tree (every branch open)."""
    page.click("#expand-all")
    pairs = page.eval_on_selector_all(
        "#canvas .box",
        """els => els.map(b => {
          const up = b.closest("li").parentElement.closest("li:not(.leaves)");
          return [b.dataset.id, up ? up.querySelector(":scope > .node > .box").dataset.id : null];
        })""",
    )
    return dict(pairs)


@pytest.mark.parametrize("seed", [3, 11])
def test_a_random_history_in_any_order_of_dates(opener: Any, seed: int) -> None:
    # The tree is patched from whatever date was shown before: jumping about must still give
    # each box under its own parent, for histories of moves, renames, closures and new units.
    history = random_history(90, 12, seed)
    order = list(range(len(history.dates)))
    random.Random(seed).shuffle(order)
    page = opener(history)
    for index in order:
        page.select_option("#dates", str(index))
        snapshot = history.snapshots[index]
        assert shown_parents(page) == {uid: u.parent for uid, u in snapshot.units.items()}
        assert shown_changes(page) == (step_words(history, index) if index else [])
        page.click("#collapse-all")
