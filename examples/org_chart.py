"""Draw the org chart of Alibaba Group on three dates, and one business group in Chinese.

Each chart colours units by kind and draws their standing as the border (dashed: stand-alone
company; thick: listed; dotted and hatched: affiliate), with the snapshot's date and title in
the heading and the sources in a footnote. Writes ``org-<date>.png`` for 2015-12-31, 2023-04-01
and 2025-12-31, and ``org-2023-04-01-zh.png`` with Chinese names (if a CJK font is installed),
into the folder given as the first argument, or ``out/``.
"""

import sys
import warnings
from pathlib import Path

import orgmodel
from orgmodel.drawing import draw_org_chart, save_figure

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
for day in ["2015-12-31", "2023-04-01", "2025-12-31"]:
    snapshot = history.at(day)
    chart = draw_org_chart(
        snapshot, kinds=history.kinds, sources=history.sources, heading=history.title
    )
    path = save_figure(chart.figure, out / f"org-{day}.png")
    print(f"{path}: snapshot of {snapshot.date} ({snapshot.title}), {len(chart.boxes)} units")

with warnings.catch_warnings(record=True) as caught:  # no CJK font: English names, one warning
    warnings.simplefilter("always")
    chart = draw_org_chart(history.at("2023-04-01"), kinds=history.kinds, lang="zh")
path = save_figure(chart.figure, out / "org-2023-04-01-zh.png")
print(f"{path}: Chinese names" + (f" ({caught[0].message})" if caught else ""))
