"""A group's subsidiaries from Wikidata: a SPARQL query result imported as dated snapshots.

Imports ``tests/data/wikidata/subsidiaries.json`` (a small result in the format the Wikidata
Query Service downloads, for the query in the README) into a snapshot folder inside the folder
given as the first argument (default ``out/``), then prints every change, step by step: units
added as their links start, a merger declared by "replaces" / "replaced by", a move to a new
parent, a unit that left, and a listing.
"""

import sys
from pathlib import Path

import orgmodel
from orgmodel.importing import import_wikidata
from orgmodel.report import changes_report, history_names

RESULT = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "wikidata" / "subsidiaries.json"
)
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

done = import_wikidata(RESULT, out / "wikidata-group", retrieved="2026-01-01")
print(done.summary())
history = orgmodel.load_history(done.folder)
events = history.changes()
print(changes_report(events, history.dates[0], history.dates[-1], history_names(history)))
