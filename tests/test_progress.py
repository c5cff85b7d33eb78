"""Progress bars: drawn on a terminal once work takes long enough, never anywhere else."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import orgmodel
from orgmodel import progress

EXAMPLE = Path(__file__).parent / "data" / "example"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_for_long_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setenv(
        "ORGMODEL_CACHE", "off"
    )  # so that the files are read, not the folder's entry
    screen = Terminal()
    with progress.on_terminal(screen):
        history = orgmodel.load_history(EXAMPLE)
    assert len(history) == 4
    assert "Reading snapshot files" in screen.getvalue()


def test_short_work_draws_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    screen = Terminal()
    with progress.on_terminal(screen):
        orgmodel.load_history(EXAMPLE)
    assert screen.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_nothing_is_drawn_where_it_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    stream = io.StringIO()
    with progress.on_terminal(stream):
        assert list(progress.track(range(5), "Counting")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_progress_is_off_outside_the_block(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with progress.on_terminal(Terminal()):
        pass
    assert list(progress.track(["a"], "Counting")) == ["a"]
    assert capsys.readouterr() == ("", "")


def test_an_import_draws_its_rows_on_a_terminal(monkeypatch, tmp_path: Path) -> None:
    from orgmodel.importing import import_table

    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    table = Path(__file__).parent / "data" / "tables" / "history.csv"
    with progress.on_terminal(screen):
        import_table([table], tmp_path / "out")
    assert "Reading history.csv" in screen.getvalue()
    assert f"Writing {tmp_path / 'out'}" in screen.getvalue()
