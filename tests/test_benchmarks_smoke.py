"""The benchmarks' synthetic groups: real snapshot folders, with the churn they were asked for.

No timings here: benchmarks are measured by ``python -m benchmarks``, never by a test.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

import orgmodel
from orgmodel.cache import CACHE_SUBFOLDER

# The benchmarks live beside the package, not in it: importable from the repository's root only.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import synthetic


@pytest.fixture(scope="module")
def group() -> synthetic.Group:
    return synthetic.generate(200, snapshots=4, churn=0.1, seed=3)


@pytest.fixture(scope="module")
def history(group: synthetic.Group, tmp_path_factory: pytest.TempPathFactory) -> orgmodel.History:
    folder = synthetic.write_folder(group, tmp_path_factory.mktemp("synthetic"))
    return orgmodel.load_history(folder)


def test_folder_has_the_snapshots_and_units_asked_for(history: orgmodel.History) -> None:
    assert len(history) == 4
    assert [len(s) for s in history] == [200, 200, 200, 200]
    assert history.sources.keys() == {"s0", "s1", "s2", "s3"}


def test_in_memory_snapshots_equal_the_files(
    group: synthetic.Group, history: orgmodel.History
) -> None:
    assert synthetic.snapshots(group) == list(history.snapshots)


def test_the_churn_shows_up_in_the_history(
    group: synthetic.Group, history: orgmodel.History
) -> None:
    for record, (before, after) in zip(group.churn, itertools.pairwise(history), strict=True):
        assert record.date == after.date
        changes = record.changes
        assert all(changes[kind] for kind in ("renamed", "moved", "split", "merged", "spun_off"))
        for uid in changes["renamed"]:
            assert before.units[uid].name != after.units[uid].name
        for uid in changes["moved"]:
            assert before.units[uid].parent != after.units[uid].parent
        for uid in changes["split"]:
            (origin,) = after.units[uid].lineage
            assert origin in before and origin not in after
        for uid in changes["merged"]:
            origins = after.units[uid].lineage
            assert len(origins) == 2
            assert all(o in before and o not in after for o in origins)
            assert all(after.removed[o].into == uid for o in origins)
        for uid in changes["spun_off"]:
            assert (before.units[uid].status, after.units[uid].status) == ("active", "standalone")
        for uid in changes["returned"]:
            assert (before.units[uid].status, after.units[uid].status) == ("standalone", "active")
    assert any(record.changes["returned"] for record in group.churn)


def test_the_diff_finds_the_churn(group: synthetic.Group, history: orgmodel.History) -> None:
    for record, (before, after) in zip(group.churn, itertools.pairwise(history.dates), strict=True):
        kinds = {event.kind for event in history.changes(before, after)}
        wanted = {kind for kind, ids in record.changes.items() if ids}
        assert wanted <= kinds


def test_command_line_writes_a_folder(tmp_path: Path) -> None:
    synthetic.main([str(tmp_path), "--units", "50", "--snapshots", "2", "--seed", "2"])
    history = orgmodel.load_history(tmp_path)
    assert [len(s) for s in history] == [50, 50]


def test_a_cached_read_equals_a_fresh_one(
    group: synthetic.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = synthetic.write_folder(group, tmp_path / "group")
    monkeypatch.setenv("ORGMODEL_CACHE", "off")
    fresh = orgmodel.load_history(folder)
    monkeypatch.setenv("ORGMODEL_CACHE", str(tmp_path / "cache"))
    for _ in range(2):  # the first read fills the cache, the second reads from it
        cached = orgmodel.load_history(folder)
        assert list(cached) == list(fresh)
        assert dict(cached.sources) == dict(fresh.sources) and cached.kinds == fresh.kinds
        for before, after in zip(fresh, cached, strict=True):
            assert (after.path, after.title, dict(after.removed)) == (
                before.path,
                before.title,
                dict(before.removed),
            )
            assert [u.model_fields_set for u in after] == [u.model_fields_set for u in before]
    entries = tmp_path / "cache" / CACHE_SUBFOLDER
    files = sorted(entries.glob("*.json"))
    [folder_entry] = entries.glob("*.pickle")
    assert len(files) == len(fresh) + 1
    folder_entry.write_text("damaged", encoding="utf-8")  # so the files' own entries are read
    files[0].write_text("{damaged", encoding="utf-8")
    assert list(orgmodel.load_history(folder)) == list(fresh)


def test_the_format_benchmark_reads_the_same_group_three_ways(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from benchmarks.formats import write_json_folder, write_tables

    from_json = orgmodel.load_history(write_json_folder(60, tmp_path / "json"))
    parquet, csv = write_tables(60, tmp_path / "tables")
    (snapshot,) = from_json
    for table in (parquet, csv):
        (row_snapshot,) = orgmodel.load_history(table)
        assert [(u.id, u.name, u.parent, u.kind, u.status) for u in row_snapshot] == [
            (u.id, u.name, u.parent, u.kind, u.status) for u in snapshot
        ]
    assert len(snapshot) == 60


def test_the_format_benchmark_measures_every_case_and_stage(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("orjson")
    from benchmarks.formats import RATIOS, json_stages, measure

    measured = measure(200, tmp_path, rounds=1)
    assert {name for pair in RATIOS.values() for name in pair} <= set(measured)
    assert all(value > 0 for value in measured.values())
    stages = json_stages(200, tmp_path, rounds=1)
    assert "load_history, all of it" in stages and all(ms > 0 for ms in stages.values())
