"""The benchmark runner: each benchmark measures orgmodel next to the floor it should stay near.

Times are medians of several runs. Start-up is timed as wall time of cold processes; everything
else in this process, with the collector paused where the floor is measured that way too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import synthetic

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "example"


@dataclass
class Row:
    """One measured number, with the target it is held to (if any) and whether it is met."""

    bench: str
    case: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


@dataclass
class Context:
    quick: bool
    workdir: Path
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    _folders: dict[tuple[int, int, float], Path] = field(default_factory=dict)

    def add(self, *args: Any, **kwargs: Any) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        shown = f"{row.value:.4g} {row.unit}"
        verdict = "" if row.met is None else ("  met" if row.met else "  MISSED")
        print(f"  {row.bench:8} {row.case:52} {shown:>16}  {row.target}{verdict}", flush=True)
        return row

    def folder(self, units: int, snapshots: int = 1, churn: float = 0.02) -> Path:
        """A synthetic snapshot folder, written once per run."""
        key = (units, snapshots, churn)
        if key not in self._folders:
            path = self.workdir / f"synthetic-{units}-{snapshots}-{churn}"
            group = synthetic.generate(units, snapshots, churn, seed=1)
            synthetic.write_folder(group, path)
            self._folders[key] = path
        return self._folders[key]


def median_time(fn: Callable[[], object], repeat: int, *, gc_off: bool = False) -> float:
    """The median wall time of ``fn`` in seconds, with the collector paused if ``gc_off``."""
    times = []
    for _ in range(repeat):
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def _cli_data() -> Path:
    from orgmodel.reading import bundled_path

    bundled = bundled_path()
    return bundled if any(bundled.glob("*.yaml")) else EXAMPLE


def _cli_commands() -> set[str]:
    from orgmodel.cli import app

    return {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}


def _cold_env(cache: Path | None = None) -> dict[str, str]:
    # Installed packages come with their bytecode compiled; so should orgmodel, or every start
    # would pay for compiling its sources.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is not None:
        env["ORGMODEL_CACHE"] = str(cache)
    return env


def _cold_medians(
    commands: dict[str, list[str]], runs: int, cache: Path | None = None
) -> dict[str, float]:
    """Median wall time of each command run as a fresh process; the runs are interleaved.

    The first, untimed, run of each fills the disk cache, the bytecode and orgmodel's ``cache``.
    """
    env = _cold_env(cache)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the disk cache and write bytecode
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_startup(ctx: Context) -> None:
    """`orgmodel diff` and `orgmodel dates` on the bundled data, against importing their deps."""
    from orgmodel.reading import load_history

    data = _cli_data()
    history = load_history(data)
    first, last = history.dates[0].isoformat(), history.dates[-1].isoformat()
    exe = str(Path(sys.executable).with_name("orgmodel"))
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "import yaml, pydantic, networkx, typer": [
            py,
            "-c",
            "import yaml, pydantic, networkx, typer",
        ],
        "orgmodel dates": [exe, "dates", "--data", str(data)],
    }
    available = _cli_commands()
    if "diff" in available:
        commands["orgmodel diff FIRST LAST"] = [exe, "diff", first, last, "--data", str(data)]
    for name in [n for n in commands if n.startswith("orgmodel")]:
        commands[f"{name}, cache off"] = ["env", "ORGMODEL_CACHE=off", *commands[name]]
    runs = 7 if ctx.quick else 11
    medians = _cold_medians(commands, runs, ctx.workdir / "cli-cache")
    ctx.details["startup"] = {
        "data": str(data),
        "units": sum(len(s) for s in history),
        "snapshots": len(history),
        "runs": runs,
        "medians_s": medians,
    }
    floor = medians["import yaml, pydantic, networkx, typer"]
    for name, value in medians.items():
        if name.startswith("orgmodel"):
            ratio = value / floor
            warm = "cache off" not in name
            target = "<= 1.3" if warm else ""
            met = ratio <= 1.3 if warm else None
            ctx.add("startup", f"{name} (x deps import)", ratio, "x", target, met)
        ctx.add("startup", name, value * 1000, "ms")
    if "diff" not in available:
        ctx.add("startup", "orgmodel diff: command not there yet", float("nan"), "")
    for command in ["dates", "diff"]:
        if command not in available:
            continue
        argv = [command, first, last] if command == "diff" else [command]
        heavy = _heavy_imports([*argv, "--data", str(data)])
        ctx.details["startup"][f"{command}_heavy_imports"] = heavy
        ctx.add(
            "startup",
            f"orgmodel {command}: heavy modules imported ({', '.join(heavy) or 'none'})",
            len(heavy),
            "",
            "0",
            not heavy,
        )


HEAVY = ("matplotlib", "numpy", "pandas", "PIL", "networkx")


def _heavy_imports(argv: list[str]) -> list[str]:
    script = (
        "import sys\nfrom orgmodel.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=_cold_env(), capture_output=True, text=True
    )
    return done.stderr.strip().splitlines()[-1].split() if done.stderr.strip() else []


def bench_load(ctx: Context) -> None:
    """Read + validate + graph of one snapshot file, against CSafeLoader parsing the same file."""
    import yaml

    from orgmodel.history import to_graph
    from orgmodel.model import SnapshotFile
    from orgmodel.reading import _parse, read_history, read_snapshot

    loader = yaml.CSafeLoader
    sizes = [1000, 10000] if ctx.quick else [1000, 10000, 100000]
    per_unit: dict[str, dict[int, float]] = {}
    for units in sizes:
        folder = ctx.folder(units)
        path = folder / "2000-01-01.yaml"
        repeat = max(3, min(15, 100_000 // units))

        def parse(path: Path = path) -> object:
            return yaml.load(path.read_bytes(), Loader=loader)

        def load(folder: Path = folder) -> object:
            return to_graph(read_history(folder).snapshots[0])

        for gc_off in (True, False):
            mode = "gc paused" if gc_off else "gc on"
            floor = median_time(parse, repeat, gc_off=gc_off) / units * 1e6
            ours = median_time(load, repeat, gc_off=gc_off) / units * 1e6
            per_unit.setdefault(f"parse {mode}", {})[units] = floor
            per_unit.setdefault(f"load {mode}", {})[units] = ours
            ctx.add("load", f"{units} units, CSafeLoader parse, {mode}", floor, "us/unit")
            ctx.add("load", f"{units} units, load+validate+graph, {mode}", ours, "us/unit")
            if units == sizes[-1]:
                ratio = ours / floor
                target = "<= 1.5" if gc_off else ""
                met = ratio <= 1.5 if gc_off else None
                ctx.add("load", f"{units} units, load/parse, {mode}", ratio, "x", target, met)
    big = sizes[-1]
    path = ctx.folder(big) / "2000-01-01.yaml"
    repeat = 1
    data = _parse(path)
    model = SnapshotFile.model_validate(data)
    snapshot = read_snapshot(path)
    stages = {
        "parse (orgmodel's loader)": lambda: _parse(path),
        "validate (SnapshotFile)": lambda: SnapshotFile.model_validate(data),
        "read_snapshot (parse+validate+checks)": lambda: read_snapshot(path),
        "to_graph": lambda: to_graph(snapshot),
    }
    del model
    breakdown = {}
    for name, fn in stages.items():
        breakdown[name] = median_time(fn, repeat, gc_off=True) / big * 1e6
        ctx.add("load", f"{big} units, stage: {name}, gc paused", breakdown[name], "us/unit")
    ctx.details["load"] = {"per_unit_us": per_unit, "stages_us_per_unit": breakdown}
    loads = per_unit["load gc paused"]
    growth = loads[sizes[-1]] / loads[sizes[1]]
    ctx.add(
        "load",
        f"per-unit cost {sizes[-1]} / {sizes[1]} units",
        growth,
        "x",
        "<= 1.5",
        growth <= 1.5,
    )
    # A history with churn: cross-file checks and removals as well.
    units, snaps = (2000, 5) if ctx.quick else (20000, 5)
    folder = ctx.folder(units, snaps)
    value = median_time(lambda: read_history(folder), 3) / (units * snaps) * 1e6
    ctx.add("load", f"read_history {snaps} x {units} units, churn 2%, gc on", value, "us/unit")


def bench_formats(ctx: Context) -> None:
    """Load + validate of JSON snapshot files and long tables against their parsers alone."""
    from benchmarks.formats import RATIOS, measure

    sizes = [1000, 10000] if ctx.quick else [10000, 100000, 1000000]
    per_unit: dict[str, dict[int, float]] = {}
    for units in sizes:
        rounds = max(3, min(7, 200_000 // units))
        measured = measure(units, ctx.workdir, rounds)
        for name, value in measured.items():
            per_unit.setdefault(name, {})[units] = value
            ctx.add("formats", f"{units} units, {name}", value, "us/unit")
        for label, (ours, floor) in RATIOS.items():
            ratio = measured[ours] / measured[floor]
            target = "<= 1.5" if units == 100000 else ""
            met = ratio <= 1.5 if units == 100000 else None
            ctx.add("formats", f"{units} units, {label} load / parser", ratio, "x", target, met)
    ctx.details["formats"] = {"per_unit_us": per_unit, "load_average": os.getloadavg()}


def _diff_available() -> bool:
    import orgmodel

    return callable(getattr(orgmodel, "diff", None)) and hasattr(orgmodel.History, "changes")


def bench_diff(ctx: Context) -> None:
    """diff and changes of two snapshots of 1k to 1M units, built in memory.

    A snapshot builds its parent -> children map on first use and keeps it. So that every size
    measures the same work, the first diff of each pair is timed on its own (the ``first diff``
    row, which pays for the maps) and the rows after it are medians of runs that all find the
    maps made (at least 3 runs, also at 1M units).

    The snapshots come through a History, as users get them: it records what changed at each
    step, and a diff of its snapshots looks only at the units named there. The ``outside a
    history`` row diffs copies that know nothing of the history, so every unit is walked. Two
    floors: one dict pass over each side by id (what any walk costs), and one read of the
    records of each unit a step names (what a diff of the steps cannot do without).
    """
    if not _diff_available():
        ctx.add("diff", "orgmodel.diff / History.changes not there yet", float("nan"), "")
        return
    import orgmodel
    from orgmodel.snapshot import step_between

    sizes = [1000, 10000] if ctx.quick else [1000, 10000, 100000, 1000000]
    names = ["diff", "changes", "diff, outside a history", "keyed floor", "changed-records floor"]
    targets = {"diff", "changes"}
    per_unit: dict[str, dict[int, float]] = {name: {} for name in names}
    for units in sizes:
        start = time.perf_counter()
        before, after = synthetic.snapshots(synthetic.generate(units, 2, 0.02, seed=1))
        built = time.perf_counter() - start
        history = orgmodel.History([before, after])
        before, after = history.snapshots
        first = median_time(partial(orgmodel.diff, before, after), 1) / units * 1e6
        ctx.add("diff", f"first diff, {units} units, 2% churn", first, "us/unit")
        plain_a, plain_b = (
            orgmodel.Snapshot(s.date, s.units.values(), title=s.title, removed=s.removed)
            for s in (before, after)
        )
        orgmodel.diff(plain_a, plain_b)  # its maps too
        stepped = step_between(before, after)
        assert stepped is not None
        named = [uid for _, uid, _, _ in stepped[0]] + stepped[1]
        repeat = max(3, min(15, 100_000 // units))
        cases: dict[str, Callable[[], object]] = {
            "diff": partial(orgmodel.diff, before, after),
            "changes": partial(history.changes, before.date, after.date),
            "diff, outside a history": partial(orgmodel.diff, plain_a, plain_b),
            "keyed floor": partial(_keyed_floor, before.units, after.units),
            "changed-records floor": partial(_named_floor, before.units, after.units, named),
        }
        # Interleaved, so that a slower spell of the machine or a state of the heap left by one
        # case hits all of them alike.
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(repeat):
            for name, fn in cases.items():
                times[name].append(median_time(fn, 1))
        for name in cases:
            value = statistics.median(times[name]) / units * 1e6
            per_unit[name][units] = value
            ctx.add("diff", f"{name}, {units} units, 2% churn", value, "us/unit")
        ctx.details.setdefault("diff_build_s", {})[units] = built
        ctx.details.setdefault("diff_named", {})[units] = len(named)
        del before, after, history, plain_a, plain_b, stepped
    base = 10000
    if sizes[-1] == base:  # --quick: no larger size to compare with
        ctx.details["diff"] = {"per_unit_us": per_unit}
        return
    for name, values in per_unit.items():
        growth = values[sizes[-1]] / values[base]
        target = name in targets
        ctx.add(
            "diff",
            f"{name}: per-unit cost {sizes[-1]} / {base} units",
            growth,
            "x",
            "<= 1.5" if target else "",
            (growth <= 1.5) if target else None,
        )
    ctx.details["diff"] = {"per_unit_us": per_unit}


def _keyed_floor(a: Mapping[str, object], b: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The units gone from ``a``, and those of ``b`` that are new or not the same record."""
    gone = [uid for uid in a if uid not in b]
    changed = [uid for uid, unit in b.items() if a.get(uid) is not unit]
    return gone, changed


def _named_floor(a: Mapping[str, Any], b: Mapping[str, Any], named: list[str]) -> int:
    """Read each named unit's fields on both sides, once."""
    fields = 0
    for uid in named:
        for side in (a, b):
            unit = side.get(uid)
            if unit is not None:
                fields += len(unit.__dict__)
    return fields


MEMORY_SCRIPT = """
import gc, json, resource, sys, tracemalloc
from orgmodel.history import to_graph
from orgmodel.reading import read_history
folder, units, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode == "tracemalloc":
    tracemalloc.start()
    history = read_history(folder)
    loaded = tracemalloc.get_traced_memory()
    graph = to_graph(history.snapshots[0])
    current, peak = tracemalloc.get_traced_memory()
    print(json.dumps({"peak": peak / units, "kept_history": loaded[0] / units,
                      "kept_with_graph": current / units}))
else:
    # VmHWM is this process's own peak; ru_maxrss would carry over the peak of the parent.
    def peak_kib():
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = peak_kib()
    history = read_history(folder)
    graph = to_graph(history.snapshots[0])
    after = peak_kib()
    print(json.dumps({"maxrss_growth": (after - before) * 1024 / units}))
"""


def bench_memory(ctx: Context) -> None:
    """Peak memory per unit of loading a snapshot and building its graph, in a fresh process."""
    units = 10000 if ctx.quick else 100000
    folder = ctx.folder(units)
    found: dict[str, float] = {}
    for mode in ("tracemalloc", "maxrss"):
        done = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, str(folder), str(units), mode],
            capture_output=True,
            text=True,
            check=True,
        )
        found.update(json.loads(done.stdout))
    ctx.details["memory_bytes_per_unit"] = found
    labels = {
        "peak": "tracemalloc peak while loading + graphing",
        "kept_history": "tracemalloc kept by the History",
        "kept_with_graph": "tracemalloc kept by History + DiGraph",
        "maxrss_growth": "peak RSS growth (VmHWM) while loading + graphing",
    }
    for key, label in labels.items():
        ctx.add("memory", f"{units} units, {label}", found[key] / 1024, "KiB/unit")


def bench_cache(ctx: Context) -> None:
    """read_history with the cache of validated files: off, filling it, and reading from it."""
    from orgmodel.cache import CACHE_ENV
    from orgmodel.reading import read_history

    units = 2000 if ctx.quick else 10000
    folders = {
        f"bundled data ({_cli_data().name})": _cli_data(),
        f"5 x {units} units": ctx.folder(units, 5),
    }
    saved = os.environ.get(CACHE_ENV)
    found: dict[str, dict[str, float]] = {}
    try:
        for label, folder in folders.items():
            records = sum(len(s) for s in read_history(folder))
            cache = ctx.workdir / f"cache-{folder.name}"
            os.environ[CACHE_ENV] = str(cache)

            def fill(cache: Path = cache, folder: Path = folder) -> object:
                for entry in cache.glob("*.json"):
                    entry.unlink()
                return read_history(folder)

            cases: dict[str, tuple[str, Callable[[], object]]] = {
                "cache off": ("off", partial(read_history, folder)),
                "cache filled": (str(cache), fill),
                "cache hit": (str(cache), partial(read_history, folder)),
            }
            found[label] = {}
            for name, (setting, fn) in cases.items():
                os.environ[CACHE_ENV] = setting
                value = median_time(fn, 3) / records * 1e6
                found[label][name] = value
                ctx.add("cache", f"read_history, {label}, {name}", value, "us/unit")
            ratio = found[label]["cache off"] / found[label]["cache hit"]
            ctx.add("cache", f"read_history, {label}, off / hit", ratio, "x")
    finally:
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved
    ctx.details["cache_us_per_unit"] = found


def _charts_available() -> bool:
    try:
        from orgmodel import drawing
    except ImportError:
        return False
    return all(hasattr(drawing, n) for n in ("draw_org_chart", "draw_timeline", "save_figure"))


def bench_charts(ctx: Context) -> None:
    """Layout and rendering of org charts of 100 and 1,000 units, and of the full timeline."""
    if not _charts_available():
        ctx.add("charts", "orgmodel.drawing not there yet", float("nan"), "")
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orgmodel.reading import load_history, read_history

    drawing: Any = importlib.import_module("orgmodel.drawing")

    out = ctx.workdir / "charts"
    out.mkdir(exist_ok=True)
    layout: Any = importlib.import_module("orgmodel.layout")
    for units in (100, 1000, 10000):
        tree = read_history(ctx.folder(units)).snapshots[0]
        sizes = {uid: (80.0, 30.0) for uid in tree.units}
        place = partial(layout.tree_layout, tree.root, tree.children, sizes)
        value = median_time(place, 5) * 1000
        ctx.add("charts", f"tree_layout of {units} units (geometry only)", value, "ms")
    for units in (100, 1000):
        snapshot = read_history(ctx.folder(units)).snapshots[0]

        def draw(snapshot: Any = snapshot, units: int = units) -> None:
            fig = drawing.draw_org_chart(snapshot)
            fig = getattr(fig, "figure", fig)
            drawing.save_figure(fig, out / f"chart-{units}.png")
            plt.close("all")

        value = median_time(draw, 3)
        target = "< 3 s" if units == 1000 else ""
        ctx.add(
            "charts",
            f"org chart of {units} units to PNG, in process",
            value,
            "s",
            target,
            value < 3 if units == 1000 else None,
        )
    history = load_history(_cli_data())

    def timeline() -> None:
        fig = drawing.draw_timeline(history)
        fig = getattr(fig, "figure", fig)
        drawing.save_figure(fig, out / "timeline.png")
        plt.close("all")

    ctx.add("charts", f"timeline of {len(history)} snapshots to PNG", median_time(timeline, 3), "s")
    if "plot" in _cli_commands():
        folder = ctx.folder(1000)
        exe = str(Path(sys.executable).with_name("orgmodel"))
        argv = [exe, "plot", "2000-01-01", "-o", str(out / "cli-1000.png"), "--data", str(folder)]
        value = _cold_medians({"plot": argv}, 3, ctx.workdir / "cli-cache")["plot"]
        ctx.add(
            "charts",
            "orgmodel plot, 1000 units to PNG, cold process",
            value,
            "s",
            "< 3 s",
            value < 3,
        )


#: What a picture command cannot do without: its own dependencies, matplotlib's pyplot and the
#: Agg canvas that writes a PNG.
PICTURE_DEPS = (
    "import yaml, pydantic, networkx, typer, matplotlib; matplotlib.use('Agg'); "
    "import matplotlib.pyplot; from matplotlib.backends import backend_agg"
)

#: The cold picture commands timed, each against :data:`PICTURE_DEPS` with its bar: the README
#: chart and the default timeline, to a PNG and to an SVG.
PICTURE_COMMANDS: tuple[tuple[str, list[str], float], ...] = (
    ("orgmodel plot 2023-05-18", ["plot", "2023-05-18"], 1.3),
    ("orgmodel timeline", ["timeline"], 1.5),
)


def _cold_costs(
    commands: dict[str, list[str]], runs: int, cache: Path | None = None
) -> dict[str, tuple[float, float]]:
    """Median wall time and median CPU time (user + system) of each command run as a fresh
    process; the runs are interleaved, after an untimed run of each that fills the disk cache,
    the bytecode and orgmodel's cache.

    On a shared machine the wall time grows with the load; the CPU time a process spends is
    steadier, so both are reported."""
    env = _cold_env(cache)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            child = subprocess.Popen(
                argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            _, _, usage = os.wait4(child.pid, 0)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(usage.ru_utime + usage.ru_stime)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands
    }


def bench_plot_startup(ctx: Context) -> None:
    """`orgmodel plot` of the bundled README chart and the default `orgmodel timeline`, as cold
    processes, against importing what they need (their dependencies with matplotlib)."""
    exe = str(Path(sys.executable).with_name("orgmodel"))
    out = ctx.workdir / "charts"
    out.mkdir(exist_ok=True)
    data = str(_cli_data())
    commands = {"deps": [sys.executable, "-c", PICTURE_DEPS]}
    for name, args, _ in PICTURE_COMMANDS:
        for fmt in ("png", "svg"):
            target = out / f"{args[0]}.{fmt}"
            commands[f"{name} to {fmt.upper()}"] = [exe, *args, "-o", str(target), "--data", data]
    runs = 5 if ctx.quick else 9
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    costs = _cold_costs(commands, runs, ctx.workdir / "cli-cache")
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    ctx.details["picture_startup"] = {
        "runs": runs,
        "load_average_before": load,
        "load_average_after": load_after,
        "wall_and_cpu_s": costs,
    }
    wall_floor, cpu_floor = costs["deps"]
    ctx.add("charts", "load average (1 min) before, after", load[0], "", f"{load_after[0]:.2f}")
    ctx.add("charts", "import of a picture's dependencies with matplotlib", wall_floor * 1000, "ms")
    ctx.add("charts", "the same, CPU time", cpu_floor * 1000, "ms")
    for name, _, bar in PICTURE_COMMANDS:
        for fmt in ("PNG", "SVG"):
            wall, cpu = costs[f"{name} to {fmt}"]
            ratio = wall / wall_floor
            ctx.add(
                "charts",
                f"{name} to {fmt}, cold (x deps import)",
                ratio,
                "x",
                f"<= {bar}",
                ratio <= bar,
            )
            ctx.add(
                "charts", f"{name} to {fmt}, cold, CPU time (x deps import)", cpu / cpu_floor, "x"
            )
            ctx.add("charts", f"{name} to {fmt}, cold", wall * 1000, "ms")


#: How labels were written before SVG kept its text and PDF embedded TrueType, and now.
VECTOR_TEXT: tuple[tuple[str, str, str, dict[str, object]], ...] = (
    ("svg", "text", "now", {"svg.fonttype": "none"}),
    ("svg", "outlines", "before", {"svg.fonttype": "path"}),
    ("pdf", "TrueType", "now", {"pdf.fonttype": 42}),
    ("pdf", "Type 3", "before", {"pdf.fonttype": 3}),
)


def bench_vector_text(ctx: Context) -> None:
    """Writing the README chart and a chart of 1,000 units to SVG and PDF, in process, with
    labels as text (SVG) and TrueType fonts (PDF), and as they were before: outlines and
    Type 3 fonts. The figure is drawn once; each save is timed."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orgmodel.reading import load_history, read_history

    drawing: Any = importlib.import_module("orgmodel.drawing")
    history = load_history(_cli_data())
    charts = {
        "README chart": lambda: drawing.draw_org_chart(
            history.at("2023-05-18"), kinds=history.kinds, sources=history.sources
        ),
        "1,000 units": lambda: drawing.draw_org_chart(read_history(ctx.folder(1000)).snapshots[0]),
    }
    repeat = 3
    for name, draw in charts.items():
        figure = draw().figure
        for fmt, how, when, settings in VECTOR_TEXT:

            def save(
                fmt: str = fmt, settings: dict[str, object] = settings, figure: Any = figure
            ) -> None:
                with matplotlib.rc_context(settings):
                    figure.savefig(io.BytesIO(), format=fmt, facecolor="white")

            value = median_time(save, repeat)
            ctx.add("vector", f"{name} to {fmt.upper()}, labels as {how} ({when})", value, "s")
        plt.close(figure)


def bench_events(ctx: Context) -> None:
    """Precision and recall of the events on random histories with known ground truth."""
    from benchmarks import events_quality, reorgs

    histories = 4 if ctx.quick else 12
    results = events_quality.run(reorgs.MODES, histories, events_quality.SWEEP)
    for case, value, target, met in events_quality.rows(results):
        ctx.add("events", case, value, "", target, met)


BENCHMARKS: dict[str, Callable[[Context], None]] = {
    "startup": bench_startup,
    "load": bench_load,
    "diff": bench_diff,
    "charts": bench_charts,
    "plot_startup": bench_plot_startup,
    "vector_text": bench_vector_text,
    "memory": bench_memory,
    "cache": bench_cache,
    "events": bench_events,
    "formats": bench_formats,
}


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    versions: dict[str, str | None] = {}
    for name in ("orgmodel", "pydantic", "pydantic-core", "PyYAML", "networkx", "typer"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "versions": versions,
    }


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | case | measured | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        value = "—" if r.value != r.value else f"{r.value:.3g} {r.unit}".strip()
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.bench} | {r.case} | {value} | {r.target} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Small sizes, for a smoke run.")
    parser.add_argument("--only", choices=list(BENCHMARKS), action="append", help="Run this one.")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    # Reading is timed without orgmodel's cache of validated files, except where it is the subject.
    os.environ["ORGMODEL_CACHE"] = "off"
    with tempfile.TemporaryDirectory(prefix="orgmodel-bench-") as tmp:
        ctx = Context(quick=args.quick, workdir=Path(tmp))
        for name in args.only or list(BENCHMARKS):
            print(f"{name}:", flush=True)
            BENCHMARKS[name](ctx)
    elapsed = time.perf_counter() - started
    print()
    print(table(ctx.rows))
    print(f"\n{len(ctx.rows)} rows in {elapsed:.0f} s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "elapsed_s": elapsed,
        "machine": machine(),
        "rows": [asdict(r) for r in ctx.rows],
        "details": ctx.details,
    }
    args.output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
