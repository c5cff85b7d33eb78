"""The collector pause around large builds: state restored, new objects moved to the oldest
generation, and a program's own frozen objects left alone."""

from __future__ import annotations

import gc

import pytest

from orgmodel._gc import PROMOTE_OVER, paused


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_runs_again_after_the_block():
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_nothing_moves():
    gc.disable()
    with paused():
        made = [[i] for i in range(PROMOTE_OVER + 100)]
    assert not gc.isenabled()
    assert gc.get_count()[0] > PROMOTE_OVER
    del made


def test_many_new_objects_go_to_the_oldest_generation():
    gc.collect()
    with paused():
        made = [[i] for i in range(PROMOTE_OVER + 100)]
    assert gc.get_count()[0] < 100
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in made[:50])


def test_a_few_new_objects_stay_young():
    gc.collect()
    with paused():
        made = [[i] for i in range(100)]
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert all(id(x) in young for x in made)


def test_objects_the_program_froze_stay_frozen():
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused():
            made = [[i] for i in range(PROMOTE_OVER + 100)]
        assert gc.get_freeze_count() == frozen
        assert len(made) > PROMOTE_OVER
    finally:
        gc.unfreeze()


def test_library_functions_leave_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import orgmodel
    from tests.conftest import EXAMPLE

    def refuse(*_: object) -> None:
        raise AssertionError("a library function changed the collector")

    for name in ("disable", "freeze", "unfreeze", "set_threshold"):
        monkeypatch.setattr(gc, name, refuse)
    history = orgmodel.load_history(EXAMPLE)
    history.changes()
    history.lineage("media")
    orgmodel.diff(history.snapshots[0], history.snapshots[-1], history=history)
    assert gc.isenabled()
