"""Writing output files safely.

A regular file is written to a temporary name in the same folder and renamed over the target
only once it is complete, so a failed or stopped run never leaves a half-written file, never
clobbers a good one, and leaves no temporary file behind. A target that is a symbolic link keeps
its link: the file it points to is the one replaced. A target that is not a file at all (a
device such as ``/dev/null``, a FIFO, a terminal, ``/dev/stdout``) is written in place, never
replaced by a file; a block device or a socket is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from orgmodel.errors import OutputError
from orgmodel.model import UNSAFE_IN_PROSE

__all__ = ["check_output_path", "terminal_safe", "write_atomic"]

Content = str | bytes | Callable[[IO[bytes]], None]


def check_output_path(path: str | Path, protected: Iterable[Path] = ()) -> Path:
    """Check that ``path`` can be written, and is not inside one of the ``protected`` folders.

    Raises :class:`OutputError` with the reason and the fix.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name, e.g. {target / 'out.png'}")
    mode = _mode(target)
    if mode is not None and (stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)):
        what = "a block device" if stat.S_ISBLK(mode) else "a socket"
        raise OutputError(f"{target}: is {what}, not a file; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        return target  # a device or FIFO, written in place: no folder of ours is involved
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    resolved = target.resolve()
    for guarded in protected:
        try:
            inside = resolved.is_relative_to(Path(guarded).resolve())
        except OSError:
            inside = False
        if inside:
            raise OutputError(
                f"{target}: would write into the snapshot folder {guarded}, whose files "
                "orgmodel never touches; write the output somewhere else"
            )
    if resolved.suffix.lower() in (".yaml", ".yml") and resolved.is_file():
        # orgmodel writes no YAML: an existing YAML file is someone's snapshot or settings.
        raise OutputError(
            f"{target}: would overwrite an existing YAML file (a snapshot file?); "
            "write the output somewhere else"
        )
    return target


def _mode(path: Path) -> int | None:
    """The file type and mode of what ``path`` leads to, or None if nothing is there."""
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def write_atomic(
    path: str | Path,
    content: Content,
    protected: Iterable[Path] = (),
) -> Path:
    """Write ``content`` (text, bytes, or a function that writes to a binary file) to ``path``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "hello").read_text()
    'hello'
    """
    target = check_output_path(path, protected)
    mode = _mode(target)
    if mode is not None and not stat.S_ISREG(mode):
        _write_in_place(target, content)
    else:
        # Through a symbolic link, the file it leads to is replaced and the link kept.
        _replace(target, Path(os.path.realpath(target)), content)
    return target


def _replace(target: Path, real: Path, content: Content) -> None:
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        with os.fdopen(fd, "wb") as handle:
            _put(handle, content)
            handle.flush()
            os.fsync(handle.fileno())
        if real.exists():
            # Keep the permissions of the file being replaced, as an editor would.
            os.chmod(tmp_name, real.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, real)
    except OSError as exc:
        _discard(tmp_name)
        raise OutputError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        # Any way of stopping (an error while drawing, Ctrl-C, a signal) leaves nothing behind.
        _discard(tmp_name)
        raise


def _write_in_place(target: Path, content: Content) -> None:
    """Write to a device or FIFO: the whole content is made first, then written in one go."""
    buffer = io.BytesIO()
    _put(buffer, content)
    try:
        # Without blocking, so that a FIFO nobody reads is refused rather than waited on.
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        reason = "nothing reads from it" if exc.errno == errno.ENXIO else (exc.strerror or str(exc))
        raise OutputError(f"{target}: cannot be written ({reason})") from None
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _put(handle: IO[bytes], content: Content) -> None:
    if isinstance(content, str):
        handle.write(content.encode("utf-8"))
    elif isinstance(content, bytes):
        handle.write(content)
    else:
        content(handle)


def _discard(name: str | None) -> None:
    if name is not None:
        with contextlib.suppress(OSError):
            os.unlink(name)


def terminal_safe(text: str) -> str:
    r"""``text`` with every character a terminal would act on shown as an escape instead: the
    characters no text field of a snapshot may hold (``UNSAFE_IN_PROSE``), should any reach
    output from elsewhere (a file name, a key in an error message).

    The escapes are those of JSON and Python (``\u001b``), so in JSON output they stand for the
    same character.

    >>> terminal_safe("a\x1b[2Jb\u202ec\n")
    'a\\u001b[2Jb\\u202ec\n'
    """
    return UNSAFE_IN_PROSE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
