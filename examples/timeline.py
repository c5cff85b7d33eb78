"""Draw Alibaba Group's units as lanes through time, and the story of Aicheng Technology.

``timeline.png`` shows the units under the holding from 2014 to today, one lane each, with
spin-offs, returns, mergers, splits and moves marked on the day. ``timeline-aicheng.png``
follows one unit through its story: the middle office and data middle office it was formed
from, its carve-out as a stand-alone company in May 2023 and its return that November. Both go
into the folder given as the first argument, or ``out/``.
"""

import sys
from pathlib import Path

import orgmodel
from orgmodel.drawing import draw_timeline, save_figure

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
timeline = draw_timeline(history)
path = save_figure(timeline.figure, out / "timeline.png")
first, last = timeline.dates[0], timeline.dates[-1]
print(f"{path}: {len(timeline.lanes.lanes)} lanes, snapshots {first} to {last}")

timeline = draw_timeline(history, unit="aicheng")
path = save_figure(timeline.figure, out / "timeline-aicheng.png")
print(f"{path}: " + ", ".join(lane.unit for lane in timeline.lanes.lanes))
