"""Mutated copies of the bundled snapshot files: a clear, located error or a good load, always.

The mutations and the rules are in ``benchmarks/fuzz.py``, which also runs thousands of them
(``python -m benchmarks.fuzz``); here hypothesis runs a few dozen on every test run.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import fuzz

FILES = fuzz.snapshot_files()
FEW = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@FEW
@given(st.randoms(use_true_random=False))
def test_a_mutated_file_loads_or_is_a_located_error(rnd: random.Random):
    name, _, content = fuzz.mutate(FILES, rnd)
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.write_mutant(Path(tmp), FILES, name, content)
        assert fuzz.check_loading(Path(tmp)) in ("loaded", "data error", "other orgmodel error")


@FEW
@given(st.randoms(use_true_random=False), st.sampled_from(fuzz.COMMANDS))
def test_no_command_fails_on_a_mutated_file(rnd: random.Random, command: list[str]):
    name, _, content = fuzz.mutate(FILES, rnd)
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.write_mutant(Path(tmp), FILES, name, content)
        assert sum(fuzz.check_commands(Path(tmp), [command]).values()) == 1


def test_the_mutations_reach_every_kind_of_change():
    """The fuzzing is only as good as its mutations: each kind occurs, and each changes a file."""
    rnd = random.Random(0)
    seen: dict[str, int] = {}
    for _ in range(400):
        name, how, content = fuzz.mutate(FILES, rnd)
        if content != FILES[name]:
            seen[how] = seen.get(how, 0) + 1
    assert set(seen) >= {
        "replace a byte",
        "delete a run",
        "repeat a run",
        "insert nasty bytes",
        "cut short",
        "swap lines",
        "duplicate a line",
        "add a key",
        "remove a key or item",
        "rename a key",
        "replace a value",
    }
