"""Snapshot files written as JSON are read like YAML ones, and their problems found as well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import orgmodel
from orgmodel.errors import DataError

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture
def json_folder(tmp_path: Path) -> Path:
    """The example history, each snapshot file rewritten as JSON."""
    folder = tmp_path / "json"
    folder.mkdir()
    for path in sorted(EXAMPLE.glob("*.yaml")):
        if path.name == "sources.yaml":
            (folder / path.name).write_bytes(path.read_bytes())
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = json.dumps(data, default=str, ensure_ascii=False, indent=2)
        (folder / f"{path.stem}.json").write_text(text, encoding="utf-8")
    return folder


def test_a_json_folder_reads_as_the_yaml_one(json_folder: Path) -> None:
    from_json = orgmodel.load_history(json_folder)
    from_yaml = orgmodel.load_history(EXAMPLE)
    assert list(from_json) == list(from_yaml)
    assert [s.title for s in from_json] == [s.title for s in from_yaml]
    assert [dict(s.removed) for s in from_json] == [dict(s.removed) for s in from_yaml]
    assert from_json.diff("2020", "2023").events == from_yaml.diff("2020", "2023").events


def test_json_and_yaml_snapshots_mix_in_one_folder(json_folder: Path) -> None:
    first = json_folder / "2020-01-01.json"
    yaml_text = (EXAMPLE / "2020-01-01.yaml").read_bytes()
    first.unlink()
    (json_folder / "2020-01-01.yaml").write_bytes(yaml_text)
    assert list(orgmodel.load_history(json_folder)) == list(orgmodel.load_history(EXAMPLE))


def test_a_problem_in_a_json_file_names_its_line(json_folder: Path) -> None:
    path = json_folder / "2021-01-01.json"
    text = path.read_text(encoding="utf-8").replace(
        '"parent": "commerce"', '"parent": "comerce"', 1
    )
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"comerce"' in t)
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(json_folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (path, line)
    assert (
        problem.message
        == "parent 'comerce' does not exist in this snapshot (did you mean 'commerce'?)"
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            b'{"date": "2024-01-01",\n "title": "T",\n "units": [}',
            3,
            "not valid JSON: Expecting value (column 12); fix the syntax there",
        ),
        (b"", 1, "not valid JSON: Expecting value (column 1); fix the syntax there"),
        (b"[]", 1, "is a list; it must be a mapping of keys to values"),
        (
            b'{"date": "2024-01-01", "title": "T",\n "units": [{"id": "g", "name": "G", '
            b'"kind": "holding", "colour": "red"}]}',
            2,
            "unit 'g': unknown key 'colour' (allowed: id, name, name_zh, kind, parent, status, ",
        ),
        (
            b'\xef\xbb\xbf{"date": "2024-01-01", "title": "T", '
            b'"units": [{"id": "g", "name": "G", "kind": "holding"}]}',
            None,
            None,
        ),
    ],
)
def test_bad_json_files(tmp_path: Path, text: bytes, line: int | None, message: str | None) -> None:
    path = tmp_path / "2024-01-01.json"
    path.write_bytes(text)
    if message is None:
        assert [u.id for u in orgmodel.read_snapshot(path)] == ["g"]
        return
    with pytest.raises(DataError) as caught:
        orgmodel.read_snapshot(path)
    (problem,) = caught.value.problems
    assert problem.line == line
    assert str(problem).startswith(f"{path}:{line}: {message}")
