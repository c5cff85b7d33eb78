"""Reading snapshot folders: every problem is reported on one line naming file, line and unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import get_args

import pytest

import orgmodel
import orgmodel.cache as orgcache
from orgmodel.errors import DataError
from orgmodel.model import ConfidentField

GOOD = """\
date: 2020-01-01
title: Good
units:
  - {id: g, name: Group, kind: holding, sources: [s1]}
  - {id: a, name: A, kind: business_group, parent: g, sources: [s1]}
  - {id: b, name: B, kind: business_unit, parent: a, sources: [s1]}
"""

#: The fields that may have a confidence of their own, as pydantic lists the choices.
CONFIDENT_FIELDS = " or ".join(
    [
        ", ".join(f"'{f}'" for f in get_args(ConfidentField)[:-1]),
        f"'{get_args(ConfidentField)[-1]}'",
    ]
)

# (case id, files, expected problem lines with the folder written as {dir})
CASES = [
    (
        "duplicate-id",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: a, name: A, kind: business_group, parent: g}
              - {id: a, name: A again, kind: business_group, parent: g}
            """
        },
        [
            "{dir}/2020-01-01.yaml:6: unit 'a': duplicate id: already used by the unit at "
            "position 2; give each unit its own id"
        ],
    ),
    (
        "missing-parent",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: cto-office, name: CTO office, kind: business_group, parent: g}
              - id: aicheng
                name: Aicheng
                kind: business_unit
                parent: cto-line
            """
        },
        [
            "{dir}/2020-01-01.yaml:9: unit 'aicheng': parent 'cto-line' does not exist in this "
            "snapshot (did you mean 'cto-office'?)"
        ],
    ),
    (
        "cycle",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: a, name: A, kind: business_group, parent: b}
              - {id: b, name: B, kind: business_group, parent: a}
            """
        },
        [
            "{dir}/2020-01-01.yaml:5: unit 'a': parents form a cycle (a -> b -> a); a unit cannot "
            "sit below itself"
        ],
    ),
    (
        "two-roots",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: h, name: Other, kind: holding}
            """
        },
        [
            "{dir}/2020-01-01.yaml:5: unit 'h': more than one root ('g', 'h'): every unit but one "
            "must have a parent"
        ],
    ),
    (
        "lineage-never-existed",
        {
            "2020-01-01.yaml": GOOD,
            "2021-01-01.yaml": """\
            date: 2021-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: c, name: C, kind: business_group, parent: g, lineage: [a, bb]}
            """,
        },
        [
            "{dir}/2021-01-01.yaml:5: unit 'c': lineage names 'bb', which is in no snapshot up "
            "to this date (did you mean 'b'?)"
        ],
    ),
    (
        "missing-source",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - id: g
                name: Group
                kind: holding
                sources: [s2]
            """
        },
        [
            "{dir}/2020-01-01.yaml:7: unit 'g': source 's2' is not in {dir}/sources.yaml; add it "
            "there or fix the key"
        ],
    ),
    (
        "name-date-mismatch",
        {"2020-01-02.yaml": GOOD},
        [
            "{dir}/2020-01-02.yaml:1: the date inside (2020-01-01) differs from the file name; "
            "rename the file to 2020-01-01.yaml or fix the date"
        ],
    ),
    (
        "same-date-twice",
        {"2020-01-01.yaml": GOOD, "2020-01-01.yml": GOOD},
        ["{dir}/2020-01-01.yml:1: has the same date as 2020-01-01.yaml; keep one file per date"],
    ),
    (
        "unknown-key",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - id: g
                name: Group
                kind: holding
                parnet: x
            """
        },
        ["{dir}/2020-01-01.yaml:7: unit 'g': unknown key 'parnet' (did you mean 'parent'?)"],
    ),
    (
        "missing-name",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - id: g
                kind: holding
            """
        },
        ["{dir}/2020-01-01.yaml:4: unit 'g': missing required key 'name'"],
    ),
    (
        "bad-status",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding, status: listd}
            """
        },
        [
            "{dir}/2020-01-01.yaml:4: unit 'g': status 'listd' is not allowed; "
            "did you mean 'listed'? use one of 'active', 'standalone', 'listed' or 'affiliate'"
        ],
    ),
    (
        "undeclared-kind",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holdng}
            """
        },
        [
            "{dir}/2020-01-01.yaml:4: unit 'g': kind 'holdng' is not listed under kinds in "
            "sources.yaml (did you mean 'holding'?)"
        ],
    ),
    (
        "bad-id",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: Big Group, name: Group, kind: holding}
            """
        },
        [
            "{dir}/2020-01-01.yaml:4: unit 'Big Group': id 'Big Group' is not a unit id: use "
            "lower-case letters, digits, '.', '_' or '-'"
        ],
    ),
    (
        "yes-no-word",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: no, kind: holding}
            """
        },
        [
            "{dir}/2020-01-01.yaml:4: unit 'g': name must be text, but YAML read a yes/no word as "
            "false; put it in quotes"
        ],
    ),
    (
        "yaml-syntax",
        {"2020-01-01.yaml": "date: 2020-01-01\ntitle: [unclosed\nunits: []\n"},
        [
            "{dir}/2020-01-01.yaml:3: not valid YAML: did not find expected ',' or ']' while "
            "parsing a flow sequence; fix the syntax there"
        ],
    ),
    (
        "duplicate-key",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            title: U
            units:
              - {id: g, name: Group, kind: holding}
            """
        },
        [
            "{dir}/2020-01-01.yaml:3: not valid YAML: the key 'title' appears twice in one "
            "mapping; keep one"
        ],
    ),
    (
        "removed-not-before",
        {
            "2020-01-01.yaml": GOOD,
            "2021-01-01.yaml": """\
            date: 2021-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
            removed:
              a: {how: divested}
              zz: {how: dissolved}
            """,
        },
        [
            "{dir}/2021-01-01.yaml:7: unit 'zz': is listed under removed but is not a unit of "
            "the snapshot of 2020-01-01; remove the entry"
        ],
    ),
    (
        "empty-file",
        {"2020-01-01.yaml": ""},
        ["{dir}/2020-01-01.yaml:1: is empty; it must be a mapping of keys to values"],
    ),
    (
        "no-bibliography",
        {"2020-01-01.yaml": GOOD, "sources.yaml": None},
        [
            "{dir}/sources.yaml: does not exist, but the snapshots cite sources; add it with a "
            "title, publisher, date and url for each source key"
        ],
    ),
    (
        "stray-file",
        {"2020-01-01.yaml": GOOD, "notes.yaml": "a: 1\n"},
        [
            "{dir}/notes.yaml: is neither a snapshot nor the bibliography; name snapshot files "
            "YYYY-MM-DD.yaml and the bibliography sources.yaml"
        ],
    ),
    (
        "schema-and-structure-together",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: Group, kind: holding}
              - {id: a, name: A, kind: holding, parent: gg, notes: red}
            """
        },
        [
            "{dir}/2020-01-01.yaml:5: unit 'a': parent 'gg' does not exist in this snapshot "
            "(did you mean 'g'?)",
            "{dir}/2020-01-01.yaml:5: unit 'a': unknown key 'notes' (did you mean 'note'?)",
        ],
    ),
    (
        "source-key-named-with-did-you-mean",
        {
            "sources.yaml": """\
            sources:
              s1: {titel: A report, publisher: A paper, date: 2020}
            """,
            "2020-01-01.yaml": "date: 2020-01-01\ntitle: T\nunits: [{id: g, name: G, kind: x}]\n",
        },
        [
            "{dir}/sources.yaml:2: source 's1': missing required key 'title'",
            "{dir}/sources.yaml:2: source 's1': unknown key 'titel' (did you mean 'title'?)",
        ],
    ),
    (
        "mapping-key-not-allowed",
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: T
            units:
              - {id: g, name: G, kind: holding, field_confidence: {statu: confirmed}}
            """
        },
        [
            "{dir}/2020-01-01.yaml:4: unit 'g': 'statu' as a key of field_confidence is not "
            "allowed; did you mean 'status'? use one of " + CONFIDENT_FIELDS,
        ],
    ),
    (
        "empty-values",
        {
            "2020-01-01.yaml": """\
            date:
            title: T
            sources:
            units:
              - {id: g, name: [G], kind: holding}
            """
        },
        [
            "{dir}/2020-01-01.yaml:1: date has no value; give one, or remove the key",
            "{dir}/2020-01-01.yaml:3: sources has no value; give one, or remove the key",
            "{dir}/2020-01-01.yaml:5: unit 'g': name must be text, not a list; write it as one "
            "value",
        ],
    ),
    (
        "tab-indent",
        {"2020-01-01.yaml": "date: 2020-01-01\ntitle: T\nunits:\n\t- {id: g, name: G, kind: x}\n"},
        [
            "{dir}/2020-01-01.yaml:4: not valid YAML: found character that cannot start any "
            "token (a tab there: YAML takes spaces for indents) while scanning for the next "
            "token; fix the syntax there",
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_one_located_line(write_folder, files, expected):
    folder = write_folder(files)
    with pytest.raises(DataError) as caught:
        orgmodel.read_history(folder)
    assert [str(p) for p in caught.value.problems] == [e.format(dir=folder) for e in expected]


def test_problems_in_several_files_are_reported_together(write_folder):
    folder = write_folder({name: files[name] for _, files, _ in CASES[:3] for name in files})
    # The three cases share one file name, so only the last one's file is written; add another.
    (folder / "2021-01-01.yaml").write_text("date: 2021-01-01\ntitle: T\nunits: 5\n")
    with pytest.raises(DataError) as caught:
        orgmodel.read_history(folder)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{folder}/2020-01-01.yaml:5: unit 'a': parents form a cycle (a -> b -> a); a unit cannot "
        "sit below itself",
        f"{folder}/2021-01-01.yaml:3: units must be a list, e.g. [5]",
    ]


def test_a_file_with_a_structure_problem_still_gets_the_checks_across_files(write_folder):
    folder = write_folder(
        {
            "2020-01-01.yaml": """\
            date: 2020-01-02
            title: T
            units:
              - {id: g, name: Group, kind: holding, sources: [s1]}
              - {id: a, name: A, kind: business_group, parent: gg, lineage: [zz], sources: [s9]}
            """,
            "2020-01-02.yaml": GOOD.replace("2020-01-01", "2020-01-02"),
        }
    )
    with pytest.raises(DataError) as caught:
        orgmodel.read_history(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}/2020-01-01.yaml:1: the date inside (2020-01-02) differs from the file name; "
        "rename the file to 2020-01-02.yaml or fix the date",
        f"{folder}/2020-01-01.yaml:5: unit 'a': lineage names 'zz', which is in no snapshot up "
        "to this date",
        f"{folder}/2020-01-01.yaml:5: unit 'a': parent 'gg' does not exist in this snapshot "
        "(did you mean 'g'?)",
        f"{folder}/2020-01-01.yaml:5: unit 'a': source 's9' is not in "
        f"{folder}/sources.yaml; add it there or fix the key",
        f"{folder}/2020-01-02.yaml:1: has the same date as 2020-01-01.yaml; keep one file per date",
    ]


def test_good_folder_loads_in_date_order(write_folder):
    later = GOOD.replace("2020-01-01", "2019-06-30")
    folder = write_folder({"2020-01-01.yaml": GOOD, "2019-06-30.yaml": later})
    history = orgmodel.read_history(folder)
    assert history.dates == (dt.date(2019, 6, 30), dt.date(2020, 1, 1))
    assert list(history.at("2020").units) == ["g", "a", "b"]


def test_year_only_source_date_is_accepted(write_folder):
    folder = write_folder({"2020-01-01.yaml": GOOD})
    (folder / "sources.yaml").write_text(
        "sources:\n  s1: {title: T, publisher: P, date: 2020}\n", encoding="utf-8"
    )
    assert orgmodel.read_history(folder).sources["s1"].date == "2020"


def test_not_a_folder(tmp_path: Path):
    file = tmp_path / "2020-01-01.yaml"
    file.write_text(GOOD)
    with pytest.raises(DataError, match="is a file; give the folder"):
        orgmodel.read_history(file)


def test_read_snapshot_alone(write_folder):
    folder = write_folder({"2020-01-01.yaml": GOOD})
    snapshot = orgmodel.read_snapshot(folder / "2020-01-01.yaml")
    assert snapshot.date == dt.date(2020, 1, 1)
    assert snapshot.children("g") == ("a",)


def test_cache_is_pruned_of_its_own_entries_only(tmp_path: Path, monkeypatch):
    import os

    monkeypatch.setattr(orgcache, "CACHE_KEEP", 3)
    folder = tmp_path / "cache"
    folder.mkdir()
    names = [f"{i:064x}.json" for i in range(7)]
    for i, name in enumerate(names):
        entry = folder / name
        entry.write_text("{}")
        os.utime(entry, (1000 + i, 1000 + i))
    theirs = ["notes.json", "0" * 63 + ".json", f"{7:064x}.json.bak", "data.JSON"]
    for name in theirs:
        (folder / name).write_text("mine")
        os.utime(folder / name, (1, 1))
    orgcache.prune(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(names[4:] + theirs)


def test_the_cache_never_deletes_the_users_files(tmp_path: Path, monkeypatch, write_folder):
    """ORGMODEL_CACHE may name a folder full of the user's own JSON: none of it is touched."""
    monkeypatch.setattr(orgcache, "CACHE_KEEP", 1)
    shared = tmp_path / "shared"
    shared.mkdir()
    for i in range(5):
        (shared / f"{i:064x}.json").write_text(f"user file {i}")
    monkeypatch.setenv("ORGMODEL_CACHE", str(shared))
    for n in range(4):  # each new content makes a new entry, and a prune past 2 entries
        folder = write_folder({"2020-01-01.yaml": GOOD.replace("title: Good", f"title: Good {n}")})
        orgmodel.load_history(folder)
    assert {p.name: p.read_text() for p in shared.glob("*.json")} == {
        f"{i:064x}.json": f"user file {i}" for i in range(5)
    }
    entries = list((shared / orgcache.CACHE_SUBFOLDER).iterdir())
    assert 1 <= len(entries) <= 2 and all(orgcache.ENTRY_NAME.match(p.name) for p in entries)


HEAD = "date: 2020-01-01\ntitle: T\nunits:\n  - {id: g, name: Group, kind: holding}\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "  - {id: a, name: A, kind: holding, parent: g, note: 2023-02-30}",
            "'2023-02-30' cannot be read as timestamp (day is out of range for month)",
        ),
        (
            "  - {id: a, name: A, kind: 2023-05-18 25:00:00, parent: g}",
            "'2023-05-18 25:00:00' cannot be read as timestamp (hour must be in 0..23)",
        ),
        ("  - {id: a, name: !!int x, kind: holding, parent: g}", "'x' cannot be read as int"),
        ("  - {id: a, name: !!float x, kind: holding, parent: g}", "'x' cannot be read as float"),
        (
            "  - {id: a, name: !!bool maybe, kind: holding, parent: g}",
            "'maybe' cannot be read as bool",
        ),
        (
            "  - {id: a, name: !!timestamp soon, kind: holding, parent: g}",
            "'soon' cannot be read as timestamp",
        ),
        (
            "  - {id: a, name: " + "1" * 5000 + ", kind: holding, parent: g}",
            "the value cannot be read as int",
        ),
        (
            "  - {id: a, ? [a] : b, kind: holding, parent: g}",
            "a key must be a single word or text, not a list or mapping",
        ),
        ("  - !!map [a, b]", "expected a mapping of keys to values here"),
    ],
)
def test_values_yaml_cannot_build_are_located_errors(write_folder, line: str, message: str):
    folder = write_folder({"2020-01-01.yaml": HEAD + line + "\n"})
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(folder)
    assert str(caught.value) == (
        f"{folder}/2020-01-01.yaml:5: not valid YAML: {message}; put it in quotes to make it "
        "text, or fix it"
        if "cannot be read" in message
        else f"{folder}/2020-01-01.yaml:5: not valid YAML: {message}; fix the syntax there"
    )


def _entries(cache: Path, kind: str = "json") -> list[Path]:
    return sorted((cache / orgcache.CACHE_SUBFOLDER).glob(f"*.{kind}"))


def _forget_folders(cache: Path) -> None:
    """Drop the entries of whole folders, so that a folder read again takes its files' own."""
    for entry in _entries(cache, "pickle"):
        entry.unlink()


@pytest.mark.parametrize("reseal", [False, True])
def test_an_edited_cache_entry_is_never_trusted(tmp_path: Path, monkeypatch, write_folder, reseal):
    """An entry edited into a parent cycle (even with its digest made again) is passed over
    for the file itself, so every reader sees what the file says."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    folder = write_folder({"2020-01-01.yaml": GOOD})
    fresh = orgmodel.load_history(folder)
    [entry] = [e for e in _entries(cache) if b'"units"' in e.read_bytes()]
    seal, _, data = entry.read_bytes().partition(b"\n")
    data = data.replace(b'"parent":"a"', b'"parent":"b"').replace(
        b'"id":"a","name":"A","kind":"business_group","parent":"g"',
        b'"id":"a","name":"A","kind":"business_group","parent":"b"',
    )
    assert data.count(b'"parent":"b"') == 2  # a under b, b under b: a cycle and a self-parent
    if reseal:
        seal = orgcache.seal(entry, data)
    entry.write_bytes(seal + b"\n" + data)
    _forget_folders(cache)
    again = orgmodel.load_history(folder)
    assert list(again) == list(fresh)
    assert again.at("2020").units["b"].parent == "a"


def test_a_renamed_unit_in_a_cache_entry_is_not_believed(tmp_path, monkeypatch, write_folder):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    folder = write_folder({"2020-01-01.yaml": GOOD})
    orgmodel.load_history(folder)
    for entry in _entries(cache):
        entry.write_bytes(entry.read_bytes().replace(b'"name":"Group"', b'"name":"Forged"'))
    _forget_folders(cache)
    assert orgmodel.load_history(folder).at("2020").units["g"].name == "Group"


def _same_history(a: orgmodel.History, b: orgmodel.History) -> None:
    assert a.snapshots == b.snapshots and a.dates == b.dates
    assert (a.sources, a.kinds, a.title, a.path) == (b.sources, b.kinds, b.title, b.path)
    assert [s.path for s in a.snapshots] == [s.path for s in b.snapshots]
    assert a.changes(a.dates[0], a.dates[-1]) == b.changes(b.dates[0], b.dates[-1])


SECOND = GOOD.replace("2020-01-01", "2021-01-01").replace("name: B,", "name: B renamed,")


def test_a_folder_read_again_unchanged_is_taken_whole_from_the_cache(
    tmp_path, monkeypatch, write_folder
):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    folder = write_folder({"2020-01-01.yaml": GOOD, "2021-01-01.yaml": SECOND})
    fresh = orgmodel.load_history(folder)
    [entry] = _entries(cache, "pickle")
    assert entry.stat().st_mode & 0o777 == 0o600  # the user's alone
    for file_entry in _entries(cache):
        file_entry.unlink()  # the folder's entry alone answers
    again = orgmodel.load_history(folder)
    _same_history(again, fresh)
    assert not _entries(cache)  # no file was read the slow way


def test_a_folder_whose_file_changed_is_read_anew(tmp_path, monkeypatch, write_folder):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    folder = write_folder({"2020-01-01.yaml": GOOD, "2021-01-01.yaml": SECOND})
    orgmodel.load_history(folder)
    (folder / "2021-01-01.yaml").write_text(SECOND.replace("B renamed", "B again"))
    assert orgmodel.load_history(folder).at("2021").units["b"].name == "B again"
    (folder / "2021-01-01.yaml").unlink()
    assert orgmodel.load_history(folder).dates == (dt.date(2020, 1, 1),)
    moved = folder.rename(tmp_path / "elsewhere")
    assert orgmodel.load_history(moved).path == moved  # a folder's entry names its place


def test_a_folder_of_json_files_is_not_kept_whole(tmp_path, monkeypatch, write_folder):
    """Its units are built on first use; a pickle of its history would build them all."""
    import json

    import yaml

    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    data = yaml.safe_load(GOOD)
    data["date"] = str(data["date"])
    folder = write_folder({"2020-01-01.json": json.dumps(data)})
    for _ in range(2):
        assert orgmodel.load_history(folder).at("2020").units["b"].name == "B"
    assert _entries(cache, "pickle") == []


@pytest.mark.parametrize("how", ["edited", "writable by others", "resealed, writable by others"])
def test_a_folder_entry_not_as_written_is_passed_over(
    tmp_path, monkeypatch, write_folder, how: str
):
    """Unpickling can run code: an entry is taken only as the cache wrote it, and only from
    a file nobody but the user may write."""
    import pickle

    cache = tmp_path / "cache"
    monkeypatch.setenv("ORGMODEL_CACHE", str(cache))
    folder = write_folder({"2020-01-01.yaml": GOOD})
    fresh = orgmodel.load_history(folder)
    [entry] = _entries(cache, "pickle")
    seal = entry.read_bytes().partition(b"\n")[0]
    forged = pickle.dumps(
        orgmodel.History(fresh.snapshots, title="Forged"), pickle.HIGHEST_PROTOCOL
    )
    if how == "edited":
        entry.write_bytes(seal + b"\n" + forged)
    elif how == "writable by others":
        entry.chmod(0o622)
    else:
        entry.write_bytes(orgcache.seal(entry, forged) + b"\n" + forged)
        entry.chmod(0o666)
    again = orgmodel.load_history(folder)
    _same_history(again, fresh)


def test_a_fifo_named_like_a_snapshot_is_reported_not_read(write_folder):
    """Reading a FIFO would wait for a writer for ever; it is named as what it is."""
    import os
    import subprocess
    import sys

    folder = write_folder({"2020-01-01.yaml": GOOD})
    os.mkfifo(folder / "2021-01-01.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "orgmodel", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"orgmodel: {folder}/2021-01-01.yaml: is a FIFO (named pipe), not a regular file; "
        "only files are read\n"
    )


def test_a_snapshot_with_an_upper_case_suffix_is_read(write_folder):
    folder = write_folder({"2020-01-01.YAML": GOOD, "2021-01-01.Yml": GOOD.replace("2020", "2021")})
    assert [d.isoformat() for d in orgmodel.load_history(folder).dates] == [
        "2020-01-01",
        "2021-01-01",
    ]


def test_control_characters_and_bidi_overrides_are_refused_where_they_are(write_folder):
    folder = write_folder(
        {
            "2020-01-01.yaml": """\
            date: 2020-01-01
            title: "Good\\0"
            units:
              - {id: g, name: Group, kind: holding, sources: [s1]}
              - id: a
                name: "A\\e[31m"
                kind: business_group
                parent: g
                note: "fine on\\ntwo lines, but not \\u202e reversed"
            """
        }
    )
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(folder)
    file = f"{folder}/2020-01-01.yaml"
    assert str(caught.value).splitlines() == [
        f"{file}:2: title: contains the control character U+0000 at character 5; remove it",
        f"{file}:6: unit 'a': name: contains the control character U+001B at character 2; "
        "remove it",
        f"{file}:9: unit 'a': note: contains the bidirectional override U+202E at character "
        "28, which would reorder what is shown; remove it",
    ]


def test_a_line_break_is_refused_in_a_name(write_folder):
    folder = write_folder({"2020-01-01.yaml": GOOD.replace("name: A,", 'name: "A\\nremoved: b",')})
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(folder)
    assert str(caught.value) == (
        f"{folder}/2020-01-01.yaml:5: unit 'a': name: contains a line break at character 2; "
        "write it on one line"
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"\xf9", "is not UTF-8 text: byte 0xF9 is not part of a character; save it as UTF-8"),
        (b"\x00", "holds the control character U+0000, which YAML refuses; remove it"),
        (b"\x13", "holds the control character U+0013, which YAML refuses; remove it"),
    ],
)
def test_bytes_yaml_cannot_read_are_located_on_one_line(write_folder, bad: bytes, message: str):
    folder = write_folder({"2020-01-01.yaml": GOOD})
    path = folder / "2020-01-01.yaml"
    text = path.read_bytes().replace(b"name: B,", "name: 阿里 ".encode() + bad + b",")
    path.write_bytes(text)
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(folder)
    assert str(caught.value) == f"{path}:6: {message}"


def test_a_file_after_one_that_failed_is_not_judged_against_older_ones(write_folder):
    """The removal and lineage of 2021 name a unit of 2020, which failed to load: only the
    2020 problem is reported, not wrong advice about 2021."""
    folder = write_folder(
        {
            "2019-01-01.yaml": GOOD.replace("2020", "2019"),
            "2020-01-01.yaml": GOOD.replace("title: Good", "title: [Good").replace(
                "{id: b,", "{id: games, lineage: [b],"
            ),
            "2021-01-01.yaml": GOOD.replace("2020", "2021")
            .replace("{id: b,", "{id: c, lineage: [games],")
            .replace("units:", "removed: {games: {how: dissolved}}\nunits:"),
        }
    )
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(folder)
    assert [p.file.name for p in caught.value.problems if p.file] == ["2020-01-01.yaml"]


def _tables_folder(folder: Path, second_parent: str = "g") -> Path:
    folder.mkdir()
    (folder / "2024-01-01.csv").write_text(
        "date,id,name,parent\n2024-01-01,g,Group,\n2024-01-01,a,A,g\n", encoding="utf-8"
    )
    (folder / "2024-06-01.csv").write_text(
        f"date,id,name,parent\n2024-06-01,g,Group,\n2024-06-01,a,A2,{second_parent}\n",
        encoding="utf-8",
    )
    return folder


def test_a_folder_of_tables_is_read_as_one_history(tmp_path: Path) -> None:
    """A folder holding a table per date, and no snapshot file, loads as the tables do."""
    history = orgmodel.load_history(_tables_folder(tmp_path / "tables"))
    assert [d.isoformat() for d in history.dates] == ["2024-01-01", "2024-06-01"]
    renamed = [e for e in history.changes("2024-01-01", "2024-06-01") if e.kind == "renamed"]
    assert [(e.unit, e.old_name, e.new_name) for e in renamed] == [("a", "A", "A2")]


def test_a_bad_row_in_a_folder_of_tables_names_its_file_and_row(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        orgmodel.load_history(_tables_folder(tmp_path / "tables", second_parent="zz"))
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 1 and "2024-06-01.csv" in lines[0] and "row 3" in lines[0], lines


def test_a_folder_with_snapshot_files_is_read_as_snapshots_whatever_else_it_holds(
    tmp_path: Path,
) -> None:
    folder = _tables_folder(tmp_path / "mixed")
    (folder / "2024-01-01.yaml").write_text(
        "date: 2024-01-01\ntitle: T\nunits:\n- {id: g, name: G, kind: holding}\n", encoding="utf-8"
    )
    assert [len(s) for s in orgmodel.load_history(folder)] == [1]
