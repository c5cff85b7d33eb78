"""Output files are written whole or not at all, and never over the user's snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmodel.errors import OutputError
from orgmodel.output import write_atomic


def test_failed_write_leaves_the_old_file(tmp_path: Path):
    target = tmp_path / "chart.txt"
    target.write_text("old")

    def explode(handle):
        handle.write(b"half")
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, explode)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.txt"]


def test_refuses_to_write_into_the_snapshot_folder(tmp_path: Path):
    snapshot = tmp_path / "2020-01-01.yaml"
    snapshot.write_text("keep me")
    with pytest.raises(OutputError, match="would overwrite a file of the snapshot folder"):
        write_atomic(snapshot, "x", protected=[tmp_path])
    assert snapshot.read_text() == "keep me"


def test_refuses_to_overwrite_any_yaml_file(tmp_path: Path):
    settings = tmp_path / "sources.yaml"
    settings.write_text("keep me")
    with pytest.raises(OutputError, match="would overwrite an existing YAML file"):
        write_atomic(settings, "{}")
    assert settings.read_text() == "keep me"
    assert write_atomic(tmp_path / "new.yaml", "{}").read_text() == "{}"


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/out.png", "the folder .* does not exist"), (".", "is a folder")],
)
def test_bad_targets_are_named(tmp_path: Path, name, message):
    with pytest.raises(OutputError, match=message):
        write_atomic(tmp_path / name, "x")
