"""How fast the page of ``orgmodel html`` changes date in a real browser, and how big it is.

A synthetic history of ``--units`` units over ``--snapshots`` snapshots is written as a page,
opened from disk in Debian's Chromium (driven by Playwright) and stepped through every date. A
change of date is timed from the call that selects the date to the end of the next frame after
it, so the time includes drawing the tree and the changes, style, layout and paint; beside the
wall time, the processor time the browser's processes spent, which a busy machine inflates
less. It is timed twice: with the page as it opens (a big tree shows its top two levels) and
with every branch open. The bar: under 300 ms per change of date for 1,000 units over 20
snapshots, and a file of a few MB.

Run ``python -m benchmarks.html_page [--units 1000] [--snapshots 20] [--screenshots DIR]``.
``--screenshots`` also writes pictures of three states of the bundled history's page (the March
2023 changes highlighted, a unit's record open, the flow view) and of its Chinese page, for a
person to look at.

Numbers are wall times on a shared machine: read the median, and the spread beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from orgmodel.history import History
from orgmodel.html import render_html
from orgmodel.reading import load_history

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHROMIUM = "/usr/bin/chromium"

# Select a date and wait for the frame after the one it is drawn in.
STEP = """async (index) => {
  const start = performance.now();
  window.orgmodelPage.go(index);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - start;
}"""


def time_steps(page: Any, dates: int, profile: Path) -> tuple[list[float], float]:
    """The wall time of each change of date, stepping forward from the first date to the
    last, and the processor time the browser spent on them, per change."""
    page.evaluate("window.orgmodelPage.go(0)")
    before = browser_cpu(profile)
    times = [page.evaluate(STEP, index) for index in range(1, dates)]
    return times, (browser_cpu(profile) - before) / len(times)


def browser_cpu(profile: Path) -> float:
    """Milliseconds of processor time used so far by the browser's processes (those started
    with this profile folder): on a busy machine this moves less than wall time does."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if str(profile).encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000 / tick


def summary(measured: tuple[list[float], float]) -> str:
    times, cpu = measured
    return (
        f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms, "
        f"min {min(times):.0f} ms over {len(times)} changes; browser processor time "
        f"{cpu:.0f} ms a change"
    )


def run(units: int, snapshots: int, screenshots: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    group = synthetic.generate(units, snapshots=snapshots, churn=0.02, seed=1)
    history = History(synthetic.snapshots(group), title=f"Synthetic group of {units} units")
    started = time.perf_counter()
    page_text = render_html(history)
    made = time.perf_counter() - started
    size = len(page_text.encode("utf-8"))
    most = max(len(s.units) for s in history.snapshots)
    print(f"history: {len(history.dates)} snapshots, up to {most} units in one")
    print(f"page: {size / 1e6:.2f} MB, written in {made:.1f} s")
    with tempfile.TemporaryDirectory() as work, sync_playwright() as driver:
        path = Path(work) / "page.html"
        path.write_text(page_text, encoding="utf-8")
        context = driver.chromium.launch_persistent_context(
            str(Path(work) / "profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("#canvas .box")
        print(f"opened and drawn in {time.perf_counter() - started:.2f} s")
        profile = Path(work) / "profile"
        as_opened = time_steps(page, len(history.dates), profile)
        print(f"change of date, as opened: {summary(as_opened)}")
        page.click("#expand-all")
        boxes = page.eval_on_selector_all("#canvas .box", "e => e.length")
        every = time_steps(page, len(history.dates), profile)
        print(f"change of date, every branch open ({boxes} boxes at first): {summary(every)}")
        if screenshots is not None:
            shoot(context, screenshots, Path(work))
        context.close()


def shoot(context: Any, folder: Path, work: Path) -> None:
    """Pictures of three states of the bundled history's page, and of its Chinese page."""
    folder.mkdir(parents=True, exist_ok=True)
    history = load_history()
    pages = {}
    for lang in ("en", "zh"):
        pages[lang] = work / f"alibaba-{lang}.html"
        pages[lang].write_text(render_html(history, lang=lang), encoding="utf-8")
    page = context.new_page()
    page.set_viewport_size({"width": 1600, "height": 1000})
    for name, lang, where, view in [
        ("html-2023-03-28.png", "en", "#2023-03-28", None),
        ("html-record.png", "en", "#2023-05-18/aicheng", None),
        ("html-flow.png", "en", "#2023-03-28//flow", "flow"),
        ("html-zh.png", "zh", "#2023-03-28/taobao", None),
    ]:
        page.goto(pages[lang].as_uri() + where)
        if view == "flow" and page.is_hidden("#view-flow"):
            print("no flow view in this page: no picture of it")
            continue
        page.wait_for_selector("#canvas .box" if view is None else "#flowpane > *")
        if where == "#2023-03-28":
            page.click("#zoom-fit")
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / name))
        print(f"wrote {folder / name}")
    page.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--snapshots", type=int, default=20)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args(argv)
    run(args.units, args.snapshots, args.screenshots)


if __name__ == "__main__":
    sys.exit(main())
