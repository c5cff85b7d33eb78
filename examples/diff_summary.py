"""What changed in Alibaba Group between two dates, as a short analyst's summary.

Loads the bundled history, takes the net change between the structures in force on 2023-01-01
and 2025-12-31, and prints a count per kind of event followed by the spin-offs, returns, splits
and mergers, step by step, because a net diff hides round trips (a unit that left and came back
shows no net change). Pass two dates to compare others: ``python diff_summary.py OUT 2019 2021``.
"""

import sys
from collections import Counter

import orgmodel
from orgmodel.report import changes_report, history_names

start, end = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else ("2023-01-01", "2025-12-31")

history = orgmodel.load_history()
net = history.diff(start, end)
print(f"Net change between the snapshots of {net.a} and {net.b}: {len(net.events)} events")
for kind, count in Counter(event.kind for event in net.events).most_common():
    print(f"  {count:>3} {kind}")

print()
steps = history.changes(start, end, kinds=["spun_off", "returned", "split", "merged"])
print(changes_report(steps, net.a, net.b, history_names(history)))
