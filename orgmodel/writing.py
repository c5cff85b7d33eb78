"""Writing a snapshot folder: what the importers make, as files that ``orgmodel validate`` reads.

A folder is written only when it does not exist yet or is empty, so nothing a user keeps there is
replaced or mixed with the new files; each file is written atomically, and a run that fails part
way removes the files it wrote (and the folder, if it made it), leaving things as they were.

Examples
--------
>>> import datetime as dt, tempfile, pathlib
>>> from orgmodel.model import Bibliography, SnapshotFile, Unit
>>> snap = SnapshotFile(date=dt.date(2024, 1, 1), title="One unit",
...                     units=[Unit(id="g", name="Group", kind="holding")])
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> [p.name for p in write_folder(folder, [snap], Bibliography(title="Group"))]
['2024-01-01.yaml', 'sources.yaml']
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml

from orgmodel.errors import OutputError
from orgmodel.model import Bibliography, SnapshotFile
from orgmodel.output import write_atomic
from orgmodel.progress import track

__all__ = ["FileFormat", "check_new_folder", "snapshot_text", "write_folder"]

FileFormat = Literal["yaml", "json"]

_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def check_new_folder(folder: str | Path) -> Path:
    """Check that ``folder`` can take a new snapshot folder: absent, or an empty folder.

    >>> import tempfile, pathlib
    >>> check_new_folder(pathlib.Path(tempfile.mkdtemp())).is_dir()
    True
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file; give a new folder to write the snapshots into")
    if path.is_dir() and any(path.iterdir()):
        raise OutputError(
            f"{path}: is not empty, and orgmodel never writes over files it did not make; "
            "give a new folder, or empty this one first"
        )
    return path


def snapshot_text(snapshot: SnapshotFile, fmt: FileFormat = "yaml") -> str:
    """A snapshot as the text of its file: only the fields that differ from their defaults."""
    data = snapshot.model_dump(mode="json", exclude_defaults=True)
    data.pop("date")
    # YAML writes a date unquoted, as people write it; JSON has no dates, only text.
    date = snapshot.date.isoformat() if fmt == "json" else snapshot.date
    return _dump({"date": date, "title": data.pop("title"), **data}, fmt)


def _dump(data: dict[str, Any], fmt: FileFormat) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=None,
    )
    return text


def write_folder(
    folder: str | Path,
    snapshots: Sequence[SnapshotFile],
    bibliography: Bibliography,
    fmt: FileFormat = "yaml",
) -> list[Path]:
    """Write ``snapshots`` (one file per date, named by it) and ``sources.yaml`` into ``folder``.

    ``folder`` must be new or empty (:func:`check_new_folder`). Returns the files written, in
    order.
    """
    path = check_new_folder(folder)
    made = not path.exists()
    written: list[Path] = []
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be made ({exc.strerror or exc})") from None
    try:
        for snapshot in track(snapshots, f"Writing {path}"):
            name = f"{snapshot.date.isoformat()}.{fmt}"
            written.append(write_atomic(path / name, snapshot_text(snapshot, fmt)))
        bib = bibliography.model_dump(mode="json", exclude_defaults=True)
        text = yaml.dump(bib, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        written.append(write_atomic(path / "sources.yaml", text))
    except BaseException:
        for file in written:
            with contextlib.suppress(OSError):
                file.unlink()
        if made:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    return written
