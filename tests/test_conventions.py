"""The conventions every command follows: help with examples and plain metavars, -o and -o -,
--format json, formats from suffixes, -V, and shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from orgmodel.cli import app, main
from orgmodel.events import KINDS
from orgmodel.export import FORMATS

EXAMPLE = str(Path(__file__).parent / "data" / "example")


def _paths(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield " ".join((*prefix, name))
        if hasattr(command, "commands"):
            yield from _paths(command, (*prefix, name))


COMMANDS = list(_paths(typer.main.get_group(app)))


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_examples_of_the_command(capsys, name):
    code, out, _ = run(capsys, *name.split(), "--help")
    assert code == 0
    lines = out.rstrip().splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    examples = [line.strip() for line in lines[start + 1 :]]
    assert examples, f"orgmodel {name} --help shows no examples"
    assert all(line.startswith(f"orgmodel {name}") for line in examples), examples


@pytest.mark.parametrize("name", COMMANDS)
def test_help_names_values_not_python_types(capsys, name):
    _, out, _ = run(capsys, *name.split(), "--help")
    leaks = re.findall(r"<[a-z][a-z\[\] ]*>|\{[A-Za-z_]+\}", out)
    assert leaks == [], f"orgmodel {name} --help shows {leaks}"


def test_kind_choices_are_the_library_kinds(capsys):
    _, out, _ = run(capsys, "diff", "--help")
    flat = " ".join(out.split())
    assert ", ".join(KINDS) in flat
    _, out, _ = run(capsys, "export", "--help")
    assert ", ".join(FORMATS) in " ".join(out.split())


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(capsys, flag):
    code, out, _ = run(capsys, flag)
    assert (code, out.split()[0]) == (0, "orgmodel")


@pytest.mark.parametrize(
    "command",
    [
        ["diff", "2020", "2023"],
        ["log", "--kind", "merged"],
        ["lineage", "search-co"],
        ["dates"],
        ["show", "2021"],
        ["unit", "search-co"],
        ["sources"],
        ["find", "co"],
    ],
)
def test_reports_write_to_a_file_with_o_and_to_stdout_with_dash(
    capsys, tmp_path, monkeypatch, command
):
    monkeypatch.chdir(tmp_path)
    code, printed, _ = run(capsys, *command, "--data", EXAMPLE)
    assert code == 0 and printed
    code, out, err = run(capsys, *command, "--data", EXAMPLE, "-o", "report.txt")
    assert (code, out) == (0, "")
    assert err == "wrote report.txt\n"
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == printed
    code, out, _ = run(capsys, *command, "--data", EXAMPLE, "-o", "-")
    assert (code, out) == (0, printed)
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [
        ("g.gexf", "gexf", "<"),
        ("g.graphml", "graphml", "<"),
        ("g.json", "json", "{"),
        ("g.dot", "dot", "digraph"),
        ("g.gv", "dot", "digraph"),
        ("g.mmd", "mermaid", "flowchart"),
    ],
)
def test_export_takes_the_format_from_the_suffix(capsys, tmp_path, name, fmt, start):
    target = tmp_path / name
    code, _, err = run(capsys, "export", "2021", "-o", str(target), "--data", EXAMPLE)
    assert code == 0
    assert err == f"wrote {target} ({fmt}, snapshot of 2021-01-01)\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(start)
    if fmt in ("gexf", "graphml"):
        assert f"<{fmt} " in text[:300]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "g.gexf", "-f", "graphml"], "the suffix '.gexf' is for gexf, not graphml"),
        (["-o", "g.txt"], "cannot tell the format from '.txt'"),
        (["-f", "yaml"], "unknown export format 'yaml'; use one of " + ", ".join(FORMATS)),
    ],
)
def test_export_refuses_a_format_the_file_name_contradicts(
    capsys, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "2021", *args, "--data", EXAMPLE)
    assert (code, out) == (2, "")
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_export_dash_writes_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", "2021", "-o", "-", "-f", "dot", "--data", EXAMPLE)
    assert code == 0 and out.startswith("digraph")
    assert not (tmp_path / "-").exists()


def test_show_json_is_the_tree(capsys):
    code, out, _ = run(capsys, "show", "2021-06", "--depth", "1", "-f", "json", "--data", EXAMPLE)
    data = json.loads(out)
    assert code == 0
    assert (data["date"], data["in_force_until"]) == ("2021-01-01", "2022-01-01")
    tree = data["tree"]
    assert tree["id"] == "group"
    assert [c["id"] for c in tree["children"]][:2] == ["commerce", "platform"]
    commerce = tree["children"][0]
    assert (commerce["children"], commerce["below"]) == ([], 2)


def test_validate_json_says_ok_or_lists_every_problem(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", EXAMPLE, "--format", "json")
    data = json.loads(out)
    assert (code, data["ok"], data["snapshots"], data["problems"]) == (0, True, 4, [])
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in Path(EXAMPLE).iterdir():
        (broken / path.name).write_text(path.read_text().replace("parent: commerce", "parnet: x"))
    code, out, err = run(capsys, "validate", str(broken), "--format", "json")
    data = json.loads(out)
    assert (code, data["ok"], err) == (2, False, "")
    assert data["problems"] and all(p["message"] and p["file"] for p in data["problems"])
    assert {"file", "line", "unit", "message"} == set(data["problems"][0])


def complete(words: str, *extra_env: tuple[str, str]) -> list[str]:
    env = {
        **os.environ,
        "_ORGMODEL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        **dict(extra_env),
    }
    exe = Path(sys.executable).parent / "orgmodel"
    result = subprocess.run(
        [str(exe)], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("orgmodel li", ["lineage"]),
        ("orgmodel diff --exit", ["--exit-code"]),
        ("orgmodel log --kind sp", ["split", "spun_off"]),
        ("orgmodel export 2023 -f g", ["graphml", "gexf"]),
        (f"orgmodel --data {EXAMPLE} lineage search", ["search", "search-co"]),
        (
            f"orgmodel unit --data {EXAMPLE} mall 202",
            ["2020-01-01", "2021-01-01", "2022-01-01", "2023-06-30"],
        ),
    ],
)
def test_shell_completion(words, expected):
    assert complete(words) == expected
