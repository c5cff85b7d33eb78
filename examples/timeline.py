"""Draw Alibaba Group's units as lanes through time, and the story of Aicheng Technology.

``timeline.png`` shows the holding's business groups and their units (two levels below the
top) from 2014 to today: each unit a bar from its first to its last appearance, grouped under
its parent of the moment, with splits, mergers, moves and spin-offs marked on the day.
``timeline-aicheng.png`` follows one unit: the middle office it was carved out of, its
spin-off as a stand-alone company in May 2023 and its return later that year. Both go into the
folder given as the first argument, or ``out/``.
"""

import sys
from pathlib import Path

import orgmodel
from orgmodel.drawing import draw_timeline, save_figure

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
timeline = draw_timeline(history, depth=2)
path = save_figure(timeline.figure, out / "timeline.png")
first, last = timeline.dates[0], timeline.dates[-1]
print(f"{path}: {len(timeline.layout.lanes)} lanes, snapshots {first} to {last}")

timeline = draw_timeline(history, unit="aicheng")
path = save_figure(timeline.figure, out / "timeline-aicheng.png")
print(f"{path}: " + ", ".join(lane.unit for lane in timeline.layout.lanes))
