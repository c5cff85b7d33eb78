"""How busy each year was: Alibaba Group's structural events counted by kind and year.

Builds the table of every event of every step (``orgmodel.events_table``), counts them by year
and kind, prints the counts, and draws them as stacked bars (``events_by_year.png`` in the folder
given as the first argument, or ``out/``). Record-keeping updates (sources, notes) are left out.
"""

import sys
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import orgmodel
from orgmodel.drawing import save_figure

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
rows = [row for row in orgmodel.events_table(history.changes()) if row["kind"] != "updated"]
counts = Counter((row["date"].year, row["kind"]) for row in rows)
# Every year of the span, so a year without a snapshot shows as a gap, not as nothing.
seen = sorted({year for year, _ in counts})
years = list(range(seen[0], seen[-1] + 1))
kinds = [kind for kind in orgmodel.events.KINDS if any(k == kind for _, k in counts)]

print("year  " + "  ".join(f"{kind[:8]:>8}" for kind in kinds))
for year in years:
    print(f"{year}  " + "  ".join(f"{counts[(year, kind)]:>8}" for kind in kinds))

figure, ax = plt.subplots(figsize=(10, 5))
bottom = [0] * len(years)
colours = plt.get_cmap("tab20").colors
for i, kind in enumerate(kinds):
    heights = [counts[(year, kind)] for year in years]
    ax.bar(years, heights, bottom=bottom, label=kind.replace("_", " "), color=colours[i % 20])
    bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
ax.set_title(
    f"{history.title}: structural events per year ({history.dates[0]} to {history.dates[-1]})"
)
ax.set_ylabel("events")
ax.set_xticks(years)
ax.legend(ncols=2, fontsize=8, frameon=False)
ax.spines[["top", "right"]].set_visible(False)
path = save_figure(figure, out / "events_by_year.png")
print(f"wrote {path}")
