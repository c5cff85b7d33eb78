"""The cache of what reading has checked: entries for single files, and for whole folders.

Parsing YAML is most of the cost of reading, so each file that passes its own checks is kept,
validated, in a cache: ``$XDG_CACHE_HOME/orgmodel`` (``~/.cache/orgmodel``), in its own
subfolder (:data:`CACHE_SUBFOLDER`). Two kinds of entry are kept there:

- a **file entry** (``<digest>.json``) per file content, file name and version of the reading
  code: the file's validated form as JSON, which reading validates again when it takes it,
  and checks against the other files of its folder;
- a **folder entry** (``<digest>.pickle``) per folder of YAML files that all passed every check,
  alone and together: the :class:`~orgmodel.History` read from it, named by the folder (as
  given and as resolved), the name and content of each of its files and the version of the
  code. A folder read again unchanged is one read of its files (to name the entry) and one
  unpickling, about a tenth of the time of taking its files from their entries one by one.
  As unpickling can run code, a folder entry is only taken from a file that the user running
  orgmodel owns and that nobody else may write to; orgmodel writes them so.

Every entry carries a digest of its name and content, so that a damaged or edited entry is
passed over for the files themselves. The cache is safe to delete; set ``ORGMODEL_CACHE=off``
to do without it, or to a folder to move it. It only ever writes and deletes files of its own
subfolder named as it names them, so pointing it at a folder that holds other files is safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pydantic_core

__all__ = [
    "CACHE_ENV",
    "CACHE_KEEP",
    "CACHE_SUBFOLDER",
    "cache_folder",
    "file_entry",
    "folder_entry",
    "prune",
    "read_entry",
    "read_object",
    "seal",
    "write_entry",
    "write_object",
]

CACHE_ENV = "ORGMODEL_CACHE"
#: The subfolder of the cache folder that holds the entries; nothing outside it is touched.
CACHE_SUBFOLDER = "orgmodel-validated-files"
#: The names of entries, and of entries being written; the only files the cache deletes.
ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.(json|pickle)$")
PARTIAL_NAME = re.compile(r"^[0-9a-f]{64}\.\d+\.tmp$")
#: How many entries are kept when the cache is pruned (see :func:`prune`).
CACHE_KEEP = 1000
#: The modules whose code a checked file's form, or a history's pickle, depends on.
_CODE = (
    "model.py",
    "reading.py",
    "jsonfiles.py",
    "snapshot.py",
    "records.py",
    "history.py",
    "cache.py",
)


def cache_folder() -> Path | None:
    """The folder of the cache's entries; None when the cache is turned off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        if setting.lower() in ("", "0", "off", "no", "false"):
            return None
        return Path(setting) / CACHE_SUBFOLDER
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "orgmodel" / CACHE_SUBFOLDER


@functools.cache
def _code_fingerprint() -> bytes:
    """What an entry depends on besides the files: the code that checks and holds them."""
    digest = hashlib.sha256(pydantic_core.__version__.encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.digest()


def file_entry(path: Path, text: bytes) -> Path | None:
    """The entry of the file ``path`` whose content is ``text``; None with no cache."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(_code_fingerprint())
    digest.update(path.name.encode())  # a snapshot's date is checked against its file name
    digest.update(b"\0")
    digest.update(text)
    return folder / f"{digest.hexdigest()}.json"


def folder_entry(folder: Path, files: Sequence[Path]) -> Path | None:
    """The entry of the history of ``folder`` made of ``files``, named by their names and
    contents as they are now; None with no cache, or when a file cannot be read."""
    cache = cache_folder()
    if cache is None:
        return None
    digest = hashlib.sha256(_code_fingerprint())
    digest.update(f"{folder}\0{folder.resolve()}".encode())
    for file in files:
        text = _read_file(file)
        if text is None:
            return None
        digest.update(f"\0{file.name}\0".encode() + hashlib.sha256(text).digest())
    return cache / f"{digest.hexdigest()}.pickle"


def seal(entry: Path, data: bytes) -> bytes:
    """What proves an entry is what the cache wrote under its name: a digest of both."""
    return hashlib.sha256(entry.name.encode() + b"\0" + data).hexdigest().encode()


def read_entry(entry: Path | None, own: bool = False) -> bytes | None:
    """The content of ``entry`` if the cache wrote it (its seal holds), else None. With
    ``own``, only an entry that the user owns and nobody else may write to is read."""
    data = None if entry is None else _read_file(entry, own)
    if entry is None or data is None:
        return None
    mark, _, data = data.partition(b"\n")
    return data if hmac.compare_digest(mark, seal(entry, data)) else None


def read_object(entry: Path | None) -> Any:
    """The object a folder entry holds; None when there is none to trust."""
    data = read_entry(entry, own=True)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, AttributeError, EOFError, ImportError, TypeError, ValueError):
        return None  # written by other code: read the files themselves


def write_entry(entry: Path | None, data: bytes, private: bool = False) -> None:
    """Write ``data`` as ``entry``, sealed, in one step (never half-written); with
    ``private``, readable and writable by the user alone. A cache that cannot be written only
    costs time, so failing to write says nothing."""
    if entry is None:
        return
    partial = entry.with_name(f"{entry.stem}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(seal(entry, data) + b"\n" + data)
        if private:
            partial.chmod(0o600)
        os.replace(partial, entry)
        prune(entry.parent)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
    except BaseException:
        # Stopped while writing (Ctrl-C, a signal): leave nothing half-written behind.
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def write_object(entry: Path | None, value: Any) -> None:
    """Write ``value`` pickled as the folder entry ``entry``; nothing when it cannot be."""
    if entry is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return  # something in it is not picklable: the files are read each time
    write_entry(entry, data, private=True)


def prune(folder: Path) -> None:
    """Keep the cache from growing without end: past ``2 * CACHE_KEEP`` entries, drop all but
    the ``CACHE_KEEP`` most recently written. Entries are only written for files read for the
    first time, so this runs rarely. Only files named as the cache names its entries are
    counted or deleted."""
    with os.scandir(folder) as scan:
        entries = [
            e
            for e in scan
            if (ENTRY_NAME.match(e.name) or PARTIAL_NAME.match(e.name))
            and e.is_file(follow_symlinks=False)
        ]
    if len(entries) <= 2 * CACHE_KEEP:
        return
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for stale in entries[CACHE_KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(stale.path)


def _read_file(path: Path, own: bool = False) -> bytes | None:
    """The bytes of the regular file ``path``, or None; with ``own``, None too for a file
    that another user owns or may write to. Checked on the open file, which is opened
    without blocking (a FIFO is never waited on)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (own and not _own(info)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _own(info: os.stat_result) -> bool:
    """Whether a file is the user's own, and nobody else's to write."""
    uid = getattr(os, "getuid", None)
    others_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return (uid is None or info.st_uid == uid()) and not others_write
