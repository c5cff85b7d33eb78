"""An organisation from a spreadsheet: a long table imported as dated snapshots.

Imports ``tests/data/tables/history.csv`` (one row per unit per date, with its parent, kind,
status, plan, Chinese name, leaders, lineage and a source) into a snapshot folder inside the
folder given as the first argument (default ``out/``), then loads the same table directly,
without the folder, and prints every change, step by step: a merger and a split declared by the
lineage column, a rename, a move, a spin-off and a plan.
"""

import sys
from pathlib import Path

import orgmodel
from orgmodel.importing import import_table
from orgmodel.report import changes_report, history_names

TABLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "tables" / "history.csv"
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

done = import_table([TABLE], out / "table-group")
print(done.summary())
# The folder holds ordinary snapshot files; the table itself loads just as well.
history = orgmodel.load_history(TABLE)
assert list(history) == list(orgmodel.load_history(done.folder))
print(
    changes_report(history.changes(), history.dates[0], history.dates[-1], history_names(history))
)
