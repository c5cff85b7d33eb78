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
    with pytest.raises(OutputError, match="would write into the snapshot folder"):
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


def test_refuses_every_file_of_the_snapshot_folder(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text("keep me")
    (tmp_path / "sub").mkdir()
    for target in (readme, tmp_path / "new.graphml", tmp_path / "sub" / "x.png"):
        with pytest.raises(OutputError, match="would write into the snapshot folder"):
            write_atomic(target, "x", protected=[tmp_path])
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["README.md", "sub"]
    assert readme.read_text() == "keep me"


def test_a_fifo_is_written_in_place_not_replaced(tmp_path: Path):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    for _ in range(200):  # wait until the reader has opened its end
        try:
            write_atomic(fifo, "through the pipe")
            break
        except OutputError as exc:
            assert "nothing reads from it" in str(exc)
            threading.Event().wait(0.01)
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_fifo_nobody_reads_is_refused_without_waiting(tmp_path: Path):
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"pipe: cannot be written \(nothing reads from it\)"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def _copy_of_device(folder: Path, name: str, minor: int) -> Path:
    """A node like /dev/null (1, 3) or /dev/full (1, 7): tests never touch the real ones."""
    import os
    import stat

    node = folder / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root (as in CI)")
    return node


@pytest.mark.parametrize(("minor", "message"), [(3, None), (7, "No space left on device")])
def test_a_device_is_written_in_place_not_replaced(tmp_path: Path, minor: int, message):
    """Both as the device itself and through a symbolic link to it: the node stays a node."""
    import os
    import stat

    device = _copy_of_device(tmp_path, "device", minor)
    link = tmp_path / "out.png"
    link.symlink_to(device)
    for target in (device, link):
        if message is None:
            write_atomic(target, "x")
        else:
            with pytest.raises(OutputError, match=message):
                write_atomic(target, "x")
        assert stat.S_ISCHR(os.stat(target).st_mode)
    assert link.is_symlink() and os.readlink(link) == str(device)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device", "out.png"]


def test_a_symlink_to_a_file_keeps_its_link(tmp_path: Path):
    real = tmp_path / "real" / "chart.svg"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "chart.svg"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["chart.svg", "chart.svg", "real"]


def test_an_unwritable_folder_is_an_output_error():
    """/proc takes no new files, even from root (CI runs as root, which ignores modes)."""
    with pytest.raises(OutputError, match=r"^/proc/out.txt: cannot be written \("):
        write_atomic("/proc/out.txt", "x")


def test_a_full_disk_is_an_output_error_and_leaves_nothing(tmp_path: Path, monkeypatch):
    """The temporary file of a failed write is removed, whatever stopped it."""

    def full(handle):
        handle.write(b"part")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"out.txt: cannot be written \(No space left"):
        write_atomic(tmp_path / "out.txt", full)
    assert list(tmp_path.iterdir()) == []

    def interrupted(handle):
        handle.write(b"part")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.txt", interrupted)
    assert list(tmp_path.iterdir()) == []
