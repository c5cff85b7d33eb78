"""Who consolidates whom, from GLEIF: Level 2 relationship records imported as a dated tree.

Imports ``tests/data/gleif/relationships.xml`` (RR-CDF 2.1: direct and ultimate accounting
consolidation, with relationship periods and statuses) and ``entities.xml`` (LEI-CDF, for the
names) into a snapshot folder inside the folder given as the first argument (default ``out/``),
prints what the import assumed and every change, step by step, and draws the tree of the last
date.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import orgmodel
from orgmodel.drawing import draw_org_chart, save_figure
from orgmodel.importing import import_gleif
from orgmodel.report import changes_report, history_names

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "gleif"
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

(done,) = import_gleif(
    [DATA / "relationships.xml", DATA / "entities.xml"], out / "gleif-group", retrieved="2024-03-01"
)
for note in done.notes:
    print(f"note: {note}")
print(done.summary())
history = orgmodel.load_history(done.folder)
print(
    changes_report(history.changes(), history.dates[0], history.dates[-1], history_names(history))
)
chart = draw_org_chart(history.snapshots[-1], sources=history.sources)
print(f"wrote {save_figure(chart.figure, out / 'gleif-group.png')}")
