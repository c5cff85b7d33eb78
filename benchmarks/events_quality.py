"""How often the events say what happened: precision, recall and F1 per kind of event, on random
histories with known ground truth (:mod:`benchmarks.reorgs`), with and without declared lineage,
beside Asur et al.'s events on the same histories (:mod:`benchmarks.asur`).

Run ``python -m benchmarks.events_quality`` (``--histories N`` for more or fewer histories,
``--thresholds 0.1,0.3,0.5`` for the sweep). An event counts as found when its kind and the units
it is about (see :func:`benchmarks.reorgs.keys`) are those of an event of the truth; the counts
are summed over every step of every history before the ratios are taken.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks import asur, reorgs
from orgmodel.compare import diff
from orgmodel.matching import DEFAULT_THRESHOLD

__all__ = ["Counts", "Score", "evaluate", "main"]

#: The ways of finding events compared, and how the table heads them.
WAYS = {
    "lineage": "with lineage",
    "inferred": f"inferred {DEFAULT_THRESHOLD:g}",
    "asur": f"Asur {asur.DEFAULT_THRESHOLD:g}",
}
SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
GROUP_KINDS = ("split", "merged", "absorbed")
#: The combined row the targets are set on.
SPLIT_MERGED = "split+merged"


@dataclass
class Counts:
    """True positives, false positives and false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[Any], truth: set[Any]) -> None:
        self.tp += len(found & truth)
        self.fp += len(found - truth)
        self.fn += len(truth - found)

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


#: Counts by kind (and the combined split+merged row).
Score = dict[str, Counts]


def _tally(score: Score, found: dict[str, set[Any]], truth: dict[str, set[Any]]) -> None:
    for kind in found:
        score.setdefault(kind, Counts()).add(found[kind], truth[kind])
    combined = score.setdefault(SPLIT_MERGED, Counts())
    for kind in ("split", "merged"):
        combined.add(found[kind], truth[kind])


def evaluate(steps: Sequence[reorgs.Step], *, how: str, threshold: float) -> Score:
    """The counts of one way of finding events over ``steps``: ``how`` is ``lineage`` (the
    engine, lineage declared), ``inferred`` (the engine, no lineage) or ``asur``."""
    score: Score = {}
    for step in steps:
        truth = step.truth.events
        if how == "lineage":
            found = reorgs.keys(diff(step.before, step.after, threshold=threshold).events)
        elif how == "inferred":
            found = reorgs.keys(diff(step.before_bare, step.after_bare, threshold=threshold).events)
        else:
            found = asur.asur_keys(step.before_bare, step.after_bare, threshold)
        _tally(score, found, truth)
    return score


def _cells(counts: Counts | None) -> str:
    if counts is None:
        return f"{'':>5} {'':>5} {'':>5}"
    return f"{counts.precision:5.2f} {counts.recall:5.2f} {counts.f1:5.2f}"


def _table(mode: str, scores: dict[str, Score], truth_sizes: dict[str, int]) -> list[str]:
    ways = list(scores)
    head = f"{mode:<13} {'events':>6}  " + "  ".join(f"{WAYS[w]:^17}" for w in ways)
    sub = f"{'':<13} {'':>6}  " + "  ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in ways)
    lines = [head, sub]
    for kind in (*reorgs.KINDS, SPLIT_MERGED):
        row = f"{kind:<13} {truth_sizes.get(kind, 0):>6}  "
        row += "  ".join(_cells(scores[w].get(kind)) for w in ways)
        lines.append(row)
    return lines


def _truth_sizes(steps: Iterable[reorgs.Step]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for step in steps:
        for kind, found in step.truth.events.items():
            sizes[kind] = sizes.get(kind, 0) + len(found)
    sizes[SPLIT_MERGED] = sizes.get("split", 0) + sizes.get("merged", 0)
    return sizes


@dataclass
class Result:
    """The scores of one mode: at the default thresholds, and the sweep of split+merged F1."""

    mode: str
    events: int
    scores: dict[str, Score]
    sweep: dict[float, tuple[float, float]]  # threshold -> (ours, Asur)


def run(modes: Sequence[reorgs.Mode], histories: int, thresholds: Sequence[float]) -> list[Result]:
    """Score every way of finding events in each mode."""
    results = []
    for mode in modes:
        steps = list(reorgs.generate(mode, histories=histories))
        sizes = _truth_sizes(steps)
        scores = {
            "lineage": evaluate(steps, how="lineage", threshold=DEFAULT_THRESHOLD),
            "inferred": evaluate(steps, how="inferred", threshold=DEFAULT_THRESHOLD),
            "asur": evaluate(steps, how="asur", threshold=asur.DEFAULT_THRESHOLD),
        }
        sweep = {
            t: (
                evaluate(steps, how="inferred", threshold=t)[SPLIT_MERGED].f1,
                evaluate(steps, how="asur", threshold=t)[SPLIT_MERGED].f1,
            )
            for t in thresholds
        }
        results.append(Result(mode, sum(sizes.values()), scores, sweep))
        print("\n".join(_table(mode, scores, sizes)), end="\n\n", flush=True)
    return results


def _print_sweep(results: Sequence[Result], thresholds: Sequence[float]) -> None:
    print("split+merged F1 without lineage, by threshold: inferred / Asur")
    print(f"{'threshold':>9}  " + "  ".join(f"{r.mode:^13}" for r in results))
    for t in thresholds:
        cells = "  ".join(f"{r.sweep[t][0]:5.2f} / {r.sweep[t][1]:4.2f}" for r in results)
        print(f"{t:>9g}  {cells}")


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.events_quality", description=__doc__
    )
    parser.add_argument("--histories", type=int, default=12, help="Histories per mode.")
    parser.add_argument(
        "--thresholds",
        default=",".join(f"{t:g}" for t in SWEEP),
        help="Thresholds of the sweep, comma-separated.",
    )
    args = parser.parse_args(argv)
    thresholds = [float(t) for t in args.thresholds.split(",")]
    started = time.perf_counter()
    results = run(reorgs.MODES, args.histories, thresholds)
    _print_sweep(results, thresholds)
    print(
        f"\n{sum(r.events for r in results)} true events in {time.perf_counter() - started:.0f} s"
    )
    return results


#: Split+merged F1 to reach without lineage at the default threshold, by mode.
TARGETS = {"clean": 0.85, "noisy": 0.75, "nested": 0.75}


def rows(results: Sequence[Result]) -> list[tuple[str, float, str, bool | None]]:
    """The benchmark runner's rows: (case, value, target, met)."""
    found: list[tuple[str, float, str, bool | None]] = []
    for r in results:
        lineage, ours, base = (r.scores[w] for w in WAYS)
        f1 = ours[SPLIT_MERGED].f1
        target = TARGETS[r.mode]
        found.append((f"{r.mode}: split+merged F1, inferred", f1, f">= {target:g}", f1 >= target))
        found.append((f"{r.mode}: split+merged F1, Asur baseline", base[SPLIT_MERGED].f1, "", None))
        worst = min(min(c.precision, c.recall) for c in lineage.values())
        found.append((f"{r.mode}: lowest P or R of any kind, lineage", worst, "1.00", worst == 1.0))
    return found


if __name__ == "__main__":
    main()
