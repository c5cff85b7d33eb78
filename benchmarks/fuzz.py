"""Mutations of the bundled snapshot files, and what reading them and the commands must do.

Each mutation changes one file of a copy of ``snapshots/``, at the level of its bytes (a byte
replaced, a run deleted or repeated, bytes from a list of troublemakers inserted, lines swapped,
the file cut short) or of its YAML (a value replaced by one of another type, an impossible date,
a huge number, a control character; a key removed, renamed or added; a parent pointed
elsewhere). Whatever the mutation:

- loading the folder succeeds, or raises :class:`orgmodel.OrgModelError`; a :class:`DataError`
  names, for each problem, a file and a line;
- no command exits with status 70 (an internal error) or prints a traceback.

``tests/test_fuzz.py`` runs a few dozen mutations under hypothesis on every test run. This
script runs many more::

    python -m benchmarks.fuzz --mutations 2000 [--seed 1] [--commands]

and prints how many mutations ran and what they gave, with every failure found.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import orgmodel
from orgmodel.errors import DataError, OrgModelError
from orgmodel.reading import bundled_path

__all__ = ["check_commands", "check_loading", "mutate", "snapshot_files"]

#: Bytes that have broken readers before: NUL, ESC, a BOM, a lone surrogate's UTF-8, a tab in
#: flow style, YAML's own indicators, a bidi override, an overlong sequence, CRLF.
NASTY = [
    b"\x00",
    b"\x1b[2J",
    b"\xef\xbb\xbf",
    b"\xed\xb2\x80",
    b"\t",
    b": ",
    b"- ",
    b"{",
    b"]",
    b"&a ",
    b"*a",
    b"!!int ",
    b"!!map ",
    b"? ",
    b"|",
    b"'",
    b'"',
    b"\xe2\x80\xae",
    b"\xc0\xaf",
    b"\r\n",
    b"#",
    b"%YAML 1.1\n",
    b"---\n",
    b"<<: *a\n",
]


class _Plain(str):
    """A scalar written without quotes, so that YAML reads it as what it looks like."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    pass


def _represent_plain(dumper: yaml.SafeDumper, value: _Plain) -> yaml.ScalarNode:
    tag = "timestamp" if value[:1].isdigit() and "-" in value else "int"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(value))


_Dumper.add_representer(_Plain, _represent_plain)

#: Values a YAML mutation puts in place of another.
ODD_VALUES: list[Any] = [
    _Plain("1" * 5000),
    _Plain("2023-02-30"),
    _Plain("2012-07-32"),
    _Plain("2023-05-18 25:00:00"),
    None,
    True,
    0,
    -1,
    1.5e308,
    float("nan"),
    "",
    " ",
    "2023-02-30",
    "x\x1b[31m",
    "a\u202eb",
    "two\nlines",
    "\x00",
    "é" * 3,
    "a" * 10_000,
    [],
    ["a", "b"],
    {},
    {"a": 1},
    "group",
    "nonexistent-unit",
]


def snapshot_files() -> dict[str, bytes]:
    """The bundled files, by name: what every mutation starts from."""
    folder = bundled_path()
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def mutate(files: dict[str, bytes], rnd: random.Random) -> tuple[str, str, bytes]:
    """One mutation of one of ``files``: (file name, what was done, the new content)."""
    name = rnd.choice(sorted(files))
    text = files[name]
    if rnd.random() < 0.5:
        how, new = _mutate_bytes(text, rnd)
    else:
        how, new = _mutate_yaml(text, rnd)
    return name, how, new


def _mutate_bytes(text: bytes, rnd: random.Random) -> tuple[str, bytes]:
    at = rnd.randrange(len(text) + 1)
    span = rnd.randint(1, 40)
    choice = rnd.randrange(7)
    if choice == 0:
        return "replace a byte", text[:at] + bytes([rnd.randrange(256)]) + text[at + 1 :]
    if choice == 1:
        return "delete a run", text[:at] + text[at + span :]
    if choice == 2:
        return "repeat a run", text[:at] + text[at : at + span] * 2 + text[at + span :]
    if choice == 3:
        return "insert nasty bytes", text[:at] + rnd.choice(NASTY) + text[at:]
    if choice == 4:
        return "cut short", text[:at]
    lines = text.split(b"\n")
    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    if choice == 5:
        lines[i], lines[j] = lines[j], lines[i]
        return "swap lines", b"\n".join(lines)
    lines.insert(i, lines[j])
    return "duplicate a line", b"\n".join(lines)


def _mutate_yaml(text: bytes, rnd: random.Random) -> tuple[str, bytes]:
    data = yaml.safe_load(text)
    containers = list(_containers(data))
    if not containers:
        return "no change", text
    container = rnd.choice(containers)
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    choice = rnd.randrange(4)
    if not keys or choice == 0:
        if isinstance(container, dict):
            container[rnd.choice(["titel", "statu", "parent", "id", "units", "x"])] = rnd.choice(
                ODD_VALUES
            )
            return "add a key", _dump(data)
        container.append(rnd.choice(ODD_VALUES))
        return "add an item", _dump(data)
    key = rnd.choice(keys)
    if choice == 1:
        del container[key]
        return "remove a key or item", _dump(data)
    if choice == 2 and isinstance(container, dict):
        container[f"{key}x"] = container.pop(key)
        return "rename a key", _dump(data)
    container[key] = rnd.choice(ODD_VALUES)
    return "replace a value", _dump(data)


def _containers(data: Any) -> Any:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _containers(value)
    elif isinstance(data, list):
        yield data
        for value in data:
            yield from _containers(value)


def _dump(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8")


def write_mutant(folder: Path, files: dict[str, bytes], name: str, content: bytes) -> None:
    for other, text in files.items():
        (folder / other).write_bytes(content if other == name else text)


def check_loading(folder: Path) -> str:
    """Load ``folder``; return what happened, or raise AssertionError if it broke the rules."""
    try:
        orgmodel.load_history(folder)
    except DataError as exc:
        for problem in exc.problems:
            assert problem.file is not None and problem.line is not None, (
                f"a problem without a file and a line: {problem}"
            )
        return "data error"
    except OrgModelError:
        return "other orgmodel error"
    return "loaded"


COMMANDS: list[list[str]] = [
    ["validate", "{dir}"],
    ["dates", "--data", "{dir}"],
    ["show", "2023-06-01", "--data", "{dir}"],
    ["diff", "2019", "2024", "--data", "{dir}"],
    ["log", "--data", "{dir}", "--format", "json"],
    ["lineage", "aicheng", "--data", "{dir}"],
    ["export", "2021-12-31", "--format", "gexf", "--data", "{dir}"],
]


def check_commands(folder: Path, commands: list[list[str]]) -> Counter[int]:
    """Run each command in this process on ``folder``; assert none exits 70 or prints a
    traceback. Returns the exit statuses seen."""
    from orgmodel.cli import main

    statuses: Counter[int] = Counter()
    for command in commands:
        argv = [part.format(dir=folder) for part in command]
        out, err = io.StringIO(), io.StringIO()
        saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(argv)
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
        message = err.getvalue()
        assert status != 70 and "Traceback" not in message, f"{argv}: {status}: {message}"
        statuses[status] += 1
    return statuses


def run(mutations: int, seed: int, commands: bool, report: Callable[[str], None]) -> int:
    files = snapshot_files()
    rnd = random.Random(seed)
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "snapshots"
        for i in range(mutations):
            name, how, content = mutate(files, rnd)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            write_mutant(folder, files, name, content)
            kinds[how] += 1
            try:
                outcomes[check_loading(folder)] += 1
                if commands:
                    statuses.update(check_commands(folder, COMMANDS))
            except Exception as exc:  # a finding: recorded, and the run goes on
                outcomes["FAILED"] += 1
                failures.append(f"#{i} {name} ({how}): {type(exc).__name__}: {exc}"[:400])
    seconds = time.perf_counter() - start
    report(f"{mutations} mutations (seed {seed}) in {seconds:.0f} s")
    report("mutations: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    report("loading: " + ", ".join(f"{k} {n}" for k, n in outcomes.most_common()))
    if commands:
        report("command statuses: " + ", ".join(f"{k}: {n}" for k, n in sorted(statuses.items())))
    for failure in failures:
        report("FAILURE " + failure)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commands", action="store_true", help="also run every command")
    args = parser.parse_args()
    sys.exit(run(args.mutations, args.seed, args.commands, print))


if __name__ == "__main__":
    main()
