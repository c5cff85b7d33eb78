"""The README's terminal sessions are real: each ``$ orgmodel ...`` line, run again, prints what
the README shows under it.

The commands run in a folder laid out as the README describes it: ``snapshots`` is the bundled
data, ``my-group`` holds the README's own two-file organisation, and ``broken`` is that
organisation with the two typos the README's ``validate`` example reports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def sessions() -> list[tuple[str, str]]:
    """Each ``$ orgmodel`` command of a console block, with the lines shown after it."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("orgmodel "):
                found.append((command, output.rstrip("\n")))
    return found


def readme_files() -> dict[str, str]:
    """The YAML and CSV files the README writes out, by the path named in their first line."""
    files = {}
    for block in re.findall(r"```(?:yaml|csv)\n# (\S+)\n(.*?)```", README, re.DOTALL):
        files[block[0]] = block[1]
    return files


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    (work / "snapshots").symlink_to(ROOT / "snapshots")
    for name, text in readme_files().items():
        path = work / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        broken = work / name.replace("my-group", "broken")
        broken.parent.mkdir(exist_ok=True)
        broken.write_text(
            text.replace(
                "name: Online, kind: division, parent: group",
                "name: Online, kind: division, parent: grop",
            ).replace("parent: group, lineage", "parnet: group, lineage"),
            encoding="utf-8",
        )
    return work


def test_the_readme_shows_sessions_and_files():
    commands = [command.split()[1] for command, _ in sessions()]
    assert {"dates", "show", "diff", "log", "lineage", "plot", "timeline", "export"} <= set(
        commands
    )
    assert {"my-group/2022-01-01.yaml", "my-group/sources.yaml"} <= set(readme_files())


@pytest.mark.parametrize(("command", "shown"), sessions(), ids=[c for c, _ in sessions()])
def test_command_prints_what_the_readme_shows(workdir: Path, command: str, shown: str):
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "MPLBACKEND": "Agg",
        "COLUMNS": "100",
    }
    env.pop("ORGMODEL_DATA", None)
    result = subprocess.run(
        command,
        shell=True,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # The README shows standard error where a terminal shows it, among the lines of standard
    # output: both must be there, and what is left of the shown lines must be standard output.
    shown_lines = shown.splitlines()
    for line in result.stderr.splitlines():
        assert line in shown_lines, f"standard error not shown in the README: {line}"
        shown_lines.remove(line)
    assert result.stdout.splitlines() == shown_lines
