"""Writing output files safely.

A file is written to a temporary name in the same folder and renamed over the target only once
it is complete, so a failed run never leaves a half-written file and never clobbers a good one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from orgmodel.errors import OutputError

__all__ = ["check_output_path", "write_atomic"]


def check_output_path(path: str | Path, protected: Iterable[Path] = ()) -> Path:
    """Check that ``path`` can be written, and is not one of the ``protected`` folders' files.

    Raises :class:`OutputError` with the reason and the fix.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name, e.g. {target / 'out.png'}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    resolved = target.resolve()
    for guarded in protected:
        try:
            inside = resolved.parent == Path(guarded).resolve()
        except OSError:
            inside = False
        if inside and resolved.suffix in (".yaml", ".yml"):
            raise OutputError(
                f"{target}: would overwrite a file of the snapshot folder {guarded}; "
                "write the output somewhere else"
            )
    if resolved.suffix.lower() in (".yaml", ".yml") and resolved.is_file():
        # orgmodel writes no YAML: an existing YAML file is someone's snapshot or settings.
        raise OutputError(
            f"{target}: would overwrite an existing YAML file (a snapshot file?); "
            "write the output somewhere else"
        )
    return target


def write_atomic(
    path: str | Path,
    content: str | bytes | Callable[[IO[bytes]], None],
    protected: Iterable[Path] = (),
) -> Path:
    """Write ``content`` (text, bytes, or a function that writes to a binary file) to ``path``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "hello").read_text()
    'hello'
    """
    target = check_output_path(path, protected)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, str):
                handle.write(content.encode("utf-8"))
            elif isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            # Keep the permissions of the file being replaced, as an editor would.
            os.chmod(tmp_name, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, target)
    except OSError as exc:
        _discard(tmp_name)
        raise OutputError(f"{target}: cannot be written ({exc.strerror})") from None
    except BaseException:
        _discard(tmp_name)
        raise
    return target


def _discard(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
