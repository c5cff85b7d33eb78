"""Tencent's "930" reorganisation of 30 September 2018, read with orgmodel.

Loads the snapshots in ``examples/tencent`` (the seven business groups before the change and the
six after it), prints each date's units as an indented outline with their confidence, and then
the difference between the two dates: which groups were dissolved, which were formed from them,
and which products changed group. Run it from anywhere, e.g. ``python examples/tencent_reorg.py``.
"""

from pathlib import Path

import orgmodel

FOLDER = Path(__file__).resolve().parent / "tencent"


def main() -> None:
    history = orgmodel.load_history(FOLDER)
    print(f"{history.title}: {', '.join(d.isoformat() for d in history.dates)}")
    for snapshot in history:
        print(f"\n{snapshot.date}  {snapshot.title}")
        depth: dict[str, int] = {}
        for unit in snapshot.units.values():
            depth[unit.id] = depth[unit.parent] + 1 if unit.parent else 0
            label = f"{unit.name} ({unit.name_zh})" if unit.name_zh else unit.name
            print(f"  {'  ' * depth[unit.id]}{unit.id}: {label} [{unit.confidence}]")

    first, last = history.dates[0], history.dates[-1]
    print(f"\nChanges from {first} to {last}:")
    if hasattr(history, "diff"):
        print(history.diff(first, last))
    else:
        print("  (this version of orgmodel has no History.diff; skipping the diff)")


if __name__ == "__main__":
    main()
