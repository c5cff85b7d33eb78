"""Tencent's "930" reorganisation of 30 September 2018: a second organisation, same tool.

Loads the snapshots in ``examples/tencent`` (the seven business groups before the change and the
six after it), prints what changed (CSIG and PCG formed from the old groups; MIG, OMG and SNG
absorbed; CDG, IEG, TEG and WXG kept), and draws the org chart of each date and the change chart
into the folder given as the first argument (default ``out/``). Nothing in orgmodel knows about
Tencent or Alibaba: each is only a folder of snapshot files.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import orgmodel
from orgmodel.drawing import draw_change_chart, draw_org_chart, save_figure
from orgmodel.report import diff_report, history_names

FOLDER = Path(__file__).resolve().parent / "tencent"
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history(FOLDER)
before, after = history.snapshots[0], history.snapshots[-1]
change = history.diff(before.date, after.date)
structural = change.model_copy(update={"events": change.filter(kinds=orgmodel.events.KINDS[:-1])})
print(diff_report(structural, history_names(history)))

for snapshot in (before, after):
    chart = draw_org_chart(snapshot, kinds=history.kinds, sources=history.sources)
    print(f"wrote {save_figure(chart.figure, out / f'tencent-{snapshot.date}.png')}")
chart = draw_change_chart(before, after, change, sources=history.sources)
print(f"wrote {save_figure(chart.figure, out / 'tencent-change.png')}")
