"""Draw what changed in Alibaba Group's structure during 2023, the year of the 1+6+N break-up.

The change chart puts the units of both snapshots in one tree (removed units at their old
place) and marks each by what happened to it with a colour and a symbol; moved units are joined
to their old parent by a dashed line. Writes ``changes-2023.png`` into the folder given as the
first argument, or ``out/``, and prints the events counted in the legend.
"""

import sys
from pathlib import Path

import orgmodel
from orgmodel.drawing import draw_change_chart, save_figure

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
a, b = history.at("2023-01-01"), history.at("2023-12-31")
# Through the history, so that a unit going back where it was before counts as returned.
diff = history.diff(a.date, b.date)
chart = draw_change_chart(a, b, diff, sources=history.sources, heading=history.title)
path = save_figure(chart.figure, out / "changes-2023.png")
print(f"{path}: from the snapshot of {a.date} to that of {b.date}")
for text in chart.legend.get_texts():
    if text.get_text():
        print(f"  {text.get_text()}")
