"""The command line's error boundary: whatever happens, one line, the right status, nothing lost.

The signal tests stop a real ``orgmodel`` process at the worst moment (while an output file or
a cache entry is half-written) and compare checksums of everything the user owns before and
after: the data folder, the output folder and the cache folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from orgmodel import cache as orgcache

EXAMPLE = Path(__file__).parent / "data" / "example"

# Runs the command line, but delivers a signal to itself in the middle of a write: of the
# output file ("output") or of a cache entry ("cache").
HARNESS = """
import os, pathlib, signal, sys
import orgmodel.output as output

signum = getattr(signal, sys.argv[1])

def stop():
    os.kill(os.getpid(), signum)

if sys.argv[2] == "output":
    real_put = output._put
    def put(handle, content):
        handle.write(b"partial")
        handle.flush()
        stop()
        real_put(handle, content)
    output._put = put
else:
    real_write = pathlib.Path.write_bytes
    def write_bytes(self, data):
        real_write(self, data[:10])
        stop()
        return real_write(self, data)
    pathlib.Path.write_bytes = write_bytes

from orgmodel.cli import main
main(sys.argv[3:])
"""


def checksums(folder: Path, skip: str | None = None) -> dict[str, str]:
    """Every entry below ``folder``: its kind and content (or link target), by relative path."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if skip is not None and rel.split("/")[0] == skip:
            continue
        if path.is_symlink():
            found[rel] = "link " + os.readlink(path)
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def user_folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A data folder, an output folder and a cache folder, each holding the user's files."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    (data / "README.md").write_text("my notes\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "chart.graphml").write_text("the previous export\n")
    (out / "keep.json").write_text("{}\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    for i in range(3):
        (cache / f"{i:064x}.json").write_text(f"the user's own file {i}\n")
    return data, out, cache


def cache_env(setting: str, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ORGMODEL_CACHE", "XDG_CACHE_HOME")}
    if setting == "off":
        env["ORGMODEL_CACHE"] = "off"
    elif setting == "folder":
        env["ORGMODEL_CACHE"] = str(cache)
    else:  # the default place, moved into the test's folder
        env["XDG_CACHE_HOME"] = str(cache)
    return env


SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"]
CASES = [
    (sig, setting, where)
    for sig in SIGNALS
    for setting in ("off", "folder", "default")
    for where in ("output", "cache")
    if not (setting == "off" and where == "cache")
]


@pytest.mark.parametrize(("sig", "setting", "where"), CASES)
def test_a_stopped_command_loses_and_leaves_nothing(
    tmp_path: Path, sig: str, setting: str, where: str
):
    data, out, cache = user_folders(tmp_path)
    before = (checksums(data), checksums(out), checksums(cache))
    command = ["export", "2021", "-o", str(out / "chart.graphml"), "--data", str(data)]
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, sig, where, *command],
        capture_output=True,
        text=True,
        env=cache_env(setting, cache),
        timeout=120,
    )
    signum = getattr(signal, sig)
    assert done.returncode == (130 if sig == "SIGINT" else -signum), done.stderr
    assert "Traceback" not in done.stderr
    assert checksums(data) == before[0]
    assert checksums(out) == before[1]
    own = orgcache.CACHE_SUBFOLDER if setting == "folder" else "orgmodel"
    assert checksums(cache, skip=own) == before[2]
    # Entries written whole are the cache's; nothing else is left, half-written or not.
    leftovers = [p.name for p in cache.rglob("*") if p.is_file() and p.suffix != ".json"]
    assert [name for name in leftovers if not orgcache.ENTRY_NAME.match(name)] == []


def test_a_stopped_picture_leaves_nothing(tmp_path: Path):
    data, out, cache = user_folders(tmp_path)
    (out / "chart.png").write_bytes(b"the previous picture")
    before = checksums(out)
    command = ["plot", "2021", "-o", str(out / "chart.png"), "--data", str(data)]
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, "SIGTERM", "output", *command],
        capture_output=True,
        text=True,
        env=cache_env("folder", cache),
        timeout=120,
    )
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert checksums(out) == before


def run(capsys, *args: str) -> tuple[int, str, str]:
    from orgmodel.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["README.md", "notes/new.json", "2021-01-01.yaml", "new.graphml"])
def test_export_never_writes_into_the_data_folder(tmp_path: Path, capsys, name: str):
    data, _, _ = user_folders(tmp_path)
    (data / "notes").mkdir()
    before = checksums(data)
    code, _, err = run(capsys, "export", "2021", "--data", str(data), "-o", str(data / name))
    assert code == 2
    assert err == (
        f"orgmodel: {data / name}: would write into the snapshot folder {data}, whose files "
        "orgmodel never touches; write the output somewhere else\n"
    )
    assert checksums(data) == before


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "2022", "2020"],
        ["diff", "2022", "2020", "--steps"],
        ["log", "2022", "2020"],
        ["timeline", "--from", "2022", "--to", "2020", "-o", "{out}/t.png"],
        ["plot", "2022", "--compare", "2020", "-o", "{out}/p.png"],
    ],
)
def test_two_dates_the_wrong_way_round_are_refused_by_every_command(
    tmp_path: Path, capsys, args: list[str]
):
    """One rule for every command that takes two dates: refused, never swapped."""
    argv = [a.format(out=tmp_path) for a in args]
    code, out, err = run(capsys, *argv, "--data", str(EXAMPLE))
    assert (code, out, err) == (
        2,
        "",
        "orgmodel: 2022 is after 2020; give the earlier date first\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2021"], "--steps draws the steps from 2021 to a later date: give --compare"),
        (["2021", "-c", "2021-06"], "--steps: 2021 and 2021-06 fall in one snapshot"),
    ],
)
def test_plot_steps_needs_two_snapshots(tmp_path: Path, capsys, args: list[str], message: str):
    out = tmp_path / "p.png"
    code, _, err = run(capsys, "plot", *args, "--steps", "-o", str(out), "--data", str(EXAMPLE))
    assert code == 2 and err.startswith(f"orgmodel: {message}"), err
    assert not out.exists()


def orgmodel_process(*args: str, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgmodel", *args],
        capture_output=options.pop("stdout", None) is None,
        text=True,
        timeout=120,
        **options,
    )


def test_a_console_that_cannot_show_a_name_gets_escapes():
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = orgmodel_process("show", "2023-06-01", "--lang", "zh", env=env, encoding="cp1252")
    assert (done.returncode, done.stderr) == (0, "")
    assert "\\u963f\\u91cc\\u5df4\\u5df4" in done.stdout  # 阿里巴巴, as the console can show it


def test_a_full_standard_output_is_one_line_and_status_2():
    with open("/dev/full", "w") as full:  # written to, never replaced
        done = subprocess.run(
            [sys.executable, "-m", "orgmodel", "log"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert (done.returncode, done.stderr) == (
        2,
        "orgmodel: standard output: cannot be written (No space left on device)\n",
    )


@pytest.mark.parametrize("args", [["dates"], ["log"]])
def test_a_reader_that_leaves_early_is_not_an_error(args: list[str]):
    """`orgmodel log | head -1` and `orgmodel dates | true`: status 0, nothing on stderr,
    for a short output (written at exit) and a long one (written as it goes)."""
    for keep in (0, 1):
        process = subprocess.Popen(
            [sys.executable, "-m", "orgmodel", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        if keep:
            process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
        assert (process.wait(timeout=120), err) == (0, b"")


def test_an_output_folder_that_takes_no_files_is_status_2(capsys):
    """/proc takes no new files, even from root."""
    code, out, err = run(capsys, "export", "2021", "--data", str(EXAMPLE), "-o", "/proc/x.json")
    assert (code, out) == (2, "")
    assert err.startswith("orgmodel: /proc/x.json: cannot be written (")


def test_escape_sequences_in_a_message_reach_the_terminal_as_text(tmp_path: Path, capsys):
    data, _, _ = user_folders(tmp_path)
    first = data / "2020-01-01.yaml"
    first.write_text(first.read_text().replace("title:", '"\\e[2J\\u202eevil": 1\ntitle:', 1))
    code, out, err = run(capsys, "validate", str(data))
    assert code == 2 and out == ""
    assert "\x1b" not in err and "\u202e" not in err
    line = first.read_text().splitlines().index('"\\e[2J\\u202eevil": 1') + 1
    assert f"{first}:{line}: unknown key '\\u001b[2J\\u202eevil'" in err


def test_a_picture_written_to_a_folder_is_told_so(tmp_path: Path, capsys):
    code, out, err = run(capsys, "plot", "2021", "--data", str(EXAMPLE), "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"orgmodel: {tmp_path}: is a folder; give a file name, e.g. {tmp_path}/out.png\n"


def test_a_warning_is_one_line():
    code = "import warnings; from orgmodel.cli import _prepare_process; _prepare_process(); "
    code += "warnings.warn('no CJK font found;\\n  drawing English names instead', UserWarning)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr == "orgmodel: warning: no CJK font found; drawing English names instead\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show"], "Missing argument 'DATE'; see 'orgmodel show --help'"),
        (["nope"], "No such command 'nope'; see 'orgmodel --help'"),
        (
            ["diff", "2020", "2021", "--bogus"],
            "No such option: --bogus; see 'orgmodel diff --help'",
        ),
    ],
)
def test_a_usage_error_is_one_line_with_the_fix(capsys, args: list[str], message: str):
    code, out, err = run(capsys, *args)
    assert (code, out, err) == (2, "", f"orgmodel: {message}\n")


def test_a_bad_option_value_is_one_line_in_plain_words(capsys):
    code, out, err = run(capsys, "show", "2021", "--depth", "-1", "--data", str(EXAMPLE))
    assert (code, out) == (2, "")
    assert err.startswith("orgmodel: Invalid value for '--depth': ") and err.count("\n") == 1
    assert "Input should" not in err and "Value error" not in err


def test_output_through_a_link_to_standard_output_goes_to_standard_output(tmp_path: Path):
    """-o LINK, LINK -> /proc/self/fd/1: written to the pipe, the link left as it was."""
    link = tmp_path / "out.json"
    link.symlink_to("/proc/self/fd/1")
    done = orgmodel_process("export", "2021", "--data", str(EXAMPLE), "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert '"2021-01-01"' in done.stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


STOP_WHILE_IMPORTING = """
import sys

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "orgmodel.cli":
            raise KeyboardInterrupt  # as Ctrl-C would, half-way through loading the package

sys.meta_path.insert(0, Interrupting())
"""


@pytest.mark.parametrize(
    "start",
    [
        "import _orgmodel_start\n_orgmodel_start.main()",
        "import runpy\nrunpy.run_module('orgmodel', run_name='__main__', alter_sys=True)",
    ],
    ids=["orgmodel", "python -m orgmodel"],
)
def test_ctrl_c_while_the_package_loads_is_quiet(start: str):
    done = subprocess.run(
        [sys.executable, "-c", STOP_WHILE_IMPORTING + start],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
