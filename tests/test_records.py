"""The bulk check of unit records: it takes only what validation takes, and builds the same units.

For random records -- valid, invalid and hostile -- :func:`check_rows`, :func:`check_typed` (on
the records msgspec decodes from the JSON text, keys given twice included) and
:func:`check_columns` either decline, or give exactly the units that validating the records one
by one gives, with no structure problem; and the typed check declines exactly where the check of
dicts does. A snapshot whose units are built on use equals one built up front in every
public respect, and a JSON file read through the bulk check gives what the full reading gives.
"""

from __future__ import annotations

import copy
import itertools
import json
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import orgmodel
from orgmodel import jsonfiles, reading, records
from orgmodel.errors import DataError
from orgmodel.model import Unit
from orgmodel.records import LazyUnits, UnitRecords, check_columns, check_rows, check_typed
from orgmodel.snapshot import Snapshot, share_unchanged, structure_problems

ABSENT = records.ABSENT
#: Characters the text checks treat apart, and some they let through.
CHARS = st.sampled_from(
    ["a", "Z", " ", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\x85", "\x9f", "\xa0", "\u202a",
     "\u202e", "\u202f", "\u2066", "\u2069", "\u3000", "中", "\U0001f600"]
)  # fmt: skip
TEXT = st.text(CHARS, min_size=0, max_size=5)
WRONG = st.sampled_from([None, 1, 2.5, True, [], ["a"], {"a": 1}])
IDS = st.sampled_from(["g", "a", "b", "c.d", "e_f", "x-1"])
BAD_IDS = st.sampled_from(["", "A", "-a", ".a", "a b", "a\n", " a", "a/b", "é", "a" * 121])


def _maybe(strategy: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any], calm: bool) -> Any:
    """A field's usual values or none; unless ``calm``, sometimes anything at all."""
    if calm:
        return st.one_of(strategy, strategy, st.just(ABSENT))
    return st.one_of(strategy, strategy, strategy, st.just(ABSENT), hostile, WRONG)


#: Values one field of an otherwise plain record may be given instead, and keys it may add.
ODD = st.one_of(
    TEXT, WRONG, BAD_IDS, st.sampled_from(["ipo_planned", "Active", "sure", "K", ["s\n"]])
)
ODD_KEYS = st.sampled_from(["lineage", "leaders", "field_confidence", "colour"])


@st.composite
def unit_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few unit records, mostly one tree written parents first, with hostile values mixed in:
    either anywhere, or (a calm list) as one odd value in plain records."""
    calm = draw(st.booleans())
    size = draw(st.integers(1, 5))
    if calm:
        ids = draw(st.lists(IDS, min_size=size, max_size=size, unique=True))
    else:
        ids = draw(st.lists(st.one_of(IDS, IDS, IDS, BAD_IDS, WRONG), min_size=size, max_size=size))
    rows = []
    for index, uid in enumerate(ids):
        earlier = st.sampled_from(ids[:index]) if index else st.just(None)
        names = st.sampled_from(["Group", "A b", "中文"])
        kinds = st.sampled_from(["holding", "k_2", "k_2", "lab"])  # lab: in no list of kinds
        if calm:  # no required field left out, and each unit under one before it
            uid_s, name_s, kind_s = st.just(uid), names, kinds
            parent_s = earlier if index else _maybe(earlier, WRONG, calm)
        else:
            uid_s = st.one_of(st.just(uid), st.just(uid), st.just(ABSENT))
            name_s = _maybe(names, TEXT, calm)
            kind_s = _maybe(kinds, st.sampled_from(["K", "2k", "k\n", "", "k-k", "k" * 61]), calm)
            parent_s = _maybe(earlier, st.one_of(IDS, BAD_IDS), calm)
        fields = {
            "id": draw(uid_s),
            "name": draw(name_s),
            "kind": draw(kind_s),
            "parent": draw(parent_s),
            "status": draw(_maybe(st.sampled_from(["active", "listed"]), st.sampled_from(
                ["ipo_planned", "x", "Active"]), calm)),
            "plan": draw(st.one_of(st.just(ABSENT), st.sampled_from(
                ["ipo_planned", None] if calm else ["ipo_planned", None, "x"]))),
            "confidence": draw(_maybe(st.sampled_from(["confirmed", None]), st.just("sure"), calm)),
            "sources": draw(_maybe(st.lists(st.sampled_from(["s1", "s:2", "s1", "s3"]), max_size=2),
                st.sampled_from([["-s"], ["s\n"], ["s 1"], [1], "s1", ("s1",), ["s" * 201]]),
                calm)),
            "name_zh": draw(_maybe(st.just("乙"), TEXT, calm)),
            "note": draw(_maybe(st.sampled_from(["x\ny", "a\tb"]), TEXT, calm)),
            "extra": ABSENT if calm else draw(st.sampled_from([ABSENT] * 6 + [
                ("lineage", []), ("lineage", ["g"]), ("leaders", []), ("field_confidence", {}),
                ("colour", "red")])),
        }  # fmt: skip
        extra = fields.pop("extra")
        row = {k: v for k, v in fields.items() if v is not ABSENT}
        if extra is not ABSENT:
            row[extra[0]] = extra[1]
        rows.append(row)
    if calm and draw(st.booleans()):  # one odd value, or one odd key, in one record
        row = rows[draw(st.integers(0, size - 1))]
        key = draw(st.one_of(st.sampled_from([*records.PLAIN_FIELDS, "id", "id"]), ODD_KEYS))
        row[key] = draw(ODD)
    return rows


def _validated(rows: list[dict[str, Any]]) -> list[Unit] | None:
    """The units the model makes of the records, if it takes them all and they form one tree."""
    try:
        units = [Unit.model_validate(row) for row in rows]
    except ValidationError:
        return None
    return None if structure_problems(units) else units


def _state(unit: Unit) -> tuple[Any, ...]:
    """Everything a unit holds: its type, field values (in order), fields set, extras."""
    return type(unit), list(unit.__dict__.items()), unit.model_fields_set, unit.__pydantic_extra__


def _agrees(checked: UnitRecords | None, rows: list[dict[str, Any]]) -> bool:
    """Whether a bulk check's answer is right: declined, or exactly the validated units."""
    if checked is None:
        return True
    units = _validated(rows)
    if units is None:
        return False
    built = [checked.unit(i) for i in range(len(checked))]
    return (
        list(map(_state, built)) == list(map(_state, units))
        and checked.ids == [u.id for u in units]
        and checked.parents == [u.parent for u in units]
        and checked.kinds == {u.kind for u in units}
        and checked.cited == {key for u in units for key in u.sources}
    )


def _columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Records as a table's columns: one per key any record has, None where a record lacks it."""
    names = dict.fromkeys(key for row in rows for key in row)
    return {name: [row.get(name) for row in rows] for name in names}


def _table_rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """What a table's rows are validated as: each row's cells that are not empty."""
    size = len(next(iter(columns.values())))
    return [{k: c[i] for k, c in columns.items() if c[i] is not None} for i in range(size)]


PLAIN: list[dict[str, Any]] = [
    {"id": "g", "name": "Group", "kind": "holding", "sources": ["s1"], "confidence": "confirmed"},
    {"id": "a", "name": "A", "kind": "company", "parent": "g", "status": "listed", "plan": None},
    {"id": "b", "name": "B", "kind": "company", "parent": "a", "name_zh": "乙", "note": "x\ny"},
]

# Records each check must decline: one bad value, or one that needs stripping, in an otherwise
# plain list.
HOSTILE: list[list[dict[str, Any]]] = [
    [{**PLAIN[0], "name": "Gro\u202eup"}],
    [{**PLAIN[0], "name": " Group"}],
    [{**PLAIN[0], "name": "Group\u3000"}],
    [{**PLAIN[0], "name": "Gr\toup"}],
    [{**PLAIN[0], "note": "a\x7f"}],
    [{**PLAIN[0], "name_zh": "\u2066"}],
    [{**PLAIN[0], "id": "G"}],
    [{**PLAIN[0], "id": "g\n"}],
    [{**PLAIN[0], "kind": "holding\n"}],
    [{**PLAIN[0], "sources": ["s1\n"]}],
    [{**PLAIN[0], "sources": "s1"}],
    [{**PLAIN[0], "status": "ipo_planned"}],
    [{**PLAIN[0], "status": None}],
    [{**PLAIN[0], "confidence": "sure"}],
    [{**PLAIN[0], "colour": "red"}],
    [PLAIN[0], {**PLAIN[1], "id": "g"}],
    [PLAIN[0], {**PLAIN[1], "parent": "zz"}],
    [PLAIN[0], {**PLAIN[1], "parent": "a"}],
    [PLAIN[0], {**PLAIN[1], "parent": None}],
    [PLAIN[0], {**PLAIN[2], "parent": "a"}, {**PLAIN[1], "parent": "b"}],
]


@settings(max_examples=250, deadline=None)
@given(rows=unit_rows())
@example(rows=PLAIN)
def test_check_rows_declines_or_builds_exactly_the_validated_units(
    rows: list[dict[str, Any]],
) -> None:
    before = copy.deepcopy(rows)
    checked = check_rows(rows)
    assert rows == before  # nothing given is changed
    assert _agrees(checked, rows)


@settings(max_examples=200, deadline=None)
@given(rows=unit_rows())
@example(rows=PLAIN)
def test_check_columns_declines_or_builds_exactly_the_validated_units(
    rows: list[dict[str, Any]],
) -> None:
    columns = _columns_of(rows)
    assert _agrees(check_columns(columns), _table_rows(columns))


def _json_object(pairs: list[tuple[str, Any]]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"


@st.composite
def unit_arrays(draw: st.DrawFn) -> str:
    """The JSON text of a list of random records (see :func:`unit_rows`), some keys given
    twice: an earlier value, of any sort, that the last one overrides."""
    objects = []
    for row in draw(unit_rows()):
        pairs = list(row.items())
        if pairs and draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(pairs) - 1))
            earlier = draw(st.one_of(WRONG, TEXT, st.sampled_from(["active", "g", "s1"])))
            pairs.insert(at, (pairs[at][0], earlier))
        objects.append(_json_object(pairs))
    return "[" + ", ".join(objects) + "]"


def _file_text(head: dict[str, Any], units: str) -> str:
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "units": ' + units + "}"


def unit_texts() -> st.SearchStrategy[str]:
    """The JSON text of a snapshot file of such records."""
    return unit_arrays().map(lambda units: _file_text({"date": "2024-01-01"}, units))


def _typed(text: str) -> UnitRecords | None:
    typed = jsonfiles.decode_typed(text.encode())
    return (
        None if typed is None else check_typed(typed.units, typed.unset, typed.sources, typed.rich)
    )


@settings(max_examples=300, deadline=None)
@given(text=unit_texts())
@example(text=json.dumps({"date": "2024-01-01", "units": PLAIN}))
@example(text='{"units": [{"id": "g", "name": "G", "kind": "k", "parent": null}]}')
@example(
    text='{"units": [{"id": "g", "name": "G", "kind": "k", "status": "x", "status": "active"}]}'
)
@example(text='{"units": [{"id": "g", "name": "G", "kind": "k", "name_zh": 1, "name_zh": "G"}]}')
@example(text='{"units": [{"id": "g", "name": "G", "kind": "k", "sources": [], "plan": null}]}')
def test_check_typed_declines_or_builds_exactly_the_validated_units(text: str) -> None:
    """On what msgspec decodes, the typed check agrees with validation of what the JSON says
    (the last value of a key given twice), and with the check of the same records as dicts,
    which leaves to validation every record that gives leaders, lineage or field_confidence:
    the typed check validates those one by one, and takes the rest in bulk."""
    rows = json.loads(text)["units"]
    checked = _typed(text)
    assert _agrees(checked, rows)
    typed = jsonfiles.decode_typed(text.encode())
    if typed is not None:
        rich = [i for i, row in enumerate(rows) if set(row) & set(records.RICH_FIELDS)]
        assert typed.rich == bool(rich)
        if not rich:
            assert (checked is None) == (check_rows(rows) is None)
        elif checked is not None:
            assert sorted(checked.validated) == rich
            plain = [{k: v for k, v in row.items() if k not in records.RICH_FIELDS} for row in rows]
            assert check_rows(plain) is not None  # the rest is what the bulk check takes


def test_the_typed_decoder_takes_exactly_the_plain_fields() -> None:
    """One list of the fields the bulk check takes: the decoder's records have those fields."""
    decoder, _, _ = jsonfiles._typed_decoder()
    unit_type = decoder.type.__annotations__["units"].__args__[0]
    assert unit_type.__struct_fields__ == records.PLAIN_FIELDS
    assert set(records.PLAIN_FIELDS) < set(Unit.model_fields)


@pytest.mark.parametrize("rows", HOSTILE)
def test_each_check_declines_a_hostile_value(rows: list[dict[str, Any]]) -> None:
    assert check_rows(PLAIN) is not None and _typed(json.dumps({"units": PLAIN})) is not None
    assert check_rows(rows) is None
    assert _typed(json.dumps({"units": rows})) is None
    if all(v is not None for row in rows for v in row.values()):  # in a table, None is empty
        assert check_columns(_columns_of(rows)) is None


@pytest.mark.parametrize(
    "rows",
    [
        [],
        {"id": "g"},
        [PLAIN[0], ["id", "name", "kind"]],
        [PLAIN[0], "idnamekind"],
        [PLAIN[0], None],
        [PLAIN[0], 1],
        [PLAIN[0], [PLAIN[1]]],
    ],
)
def test_records_that_are_not_a_list_of_dicts_are_declined(rows: Any) -> None:
    assert check_rows(rows) is None


def test_plain_records_are_taken() -> None:
    checked = check_rows(PLAIN)
    assert checked is not None and _agrees(checked, PLAIN)
    assert check_columns(_columns_of(PLAIN)) is not None


@pytest.mark.parametrize(
    ("part", "broken"),
    [
        ("_plain_text", lambda *args: True),
        ("_plain_ids", lambda *args: True),
        ("_plain_words", lambda *args: True),
        ("parents_first_tree", lambda ids, parents: True),
        ("_build", lambda given: Unit.model_construct(**given)),
    ],
)
def test_a_broken_check_is_caught(part: str, broken: Callable[..., Any]) -> None:
    """The agreement the property tests ask for fails when any part of the check is broken."""
    cases = [PLAIN, *HOSTILE]
    with mock.patch.object(records, part, broken):
        found = [rows for rows in cases if not _agrees(check_rows(rows), rows)]
        typed = [rows for rows in cases if not _agrees(_typed(json.dumps({"units": rows})), rows)]
    assert found and typed


def _written_parents_first(ids: list[str], parents: list[str | None]) -> bool:
    """The plain reading of "one tree written parents first", unit by unit."""
    seen: set[str] = set()
    roots = 0
    for uid, parent in zip(ids, parents, strict=True):
        if uid in seen or (parent is not None and parent not in seen):
            return False
        roots += parent is None
        seen.add(uid)
    return roots == 1


@st.composite
def tree_lists(draw: st.DrawFn) -> tuple[list[str], list[str | None]]:
    """Ids and parents: a tree written parents first, in any order (depth first or not),
    sometimes with one parent or id changed to any other."""
    size = draw(st.integers(0, 9))
    ids = [f"u{i}" for i in draw(st.permutations(range(size)))]
    parents: list[str | None] = [None]
    for index in range(1, size):
        parents.append(ids[draw(st.integers(0, index - 1))])
    if size and draw(st.booleans()):
        place = draw(st.integers(0, size - 1))
        value = draw(st.sampled_from([*ids, None, "zz"]))
        (parents if draw(st.booleans()) else ids)[place] = value  # type: ignore[index]
    return ids, parents[:size]


@settings(max_examples=400, deadline=None)
@given(tree=tree_lists())
@example(tree=(["g", "a", "b"], [None, "g", "a"]))  # depth first
@example(tree=(["g", "a", "b", "c"], [None, "g", "g", "a"]))  # breadth first
@example(tree=(["g", "a", "b"], [None, "b", "g"]))  # a child before its parent
@example(tree=(["a", "g"], ["g", None]))  # the root last
def test_the_tree_check_tells_exactly_a_tree_written_parents_first(
    tree: tuple[list[str], list[str | None]],
) -> None:
    ids, parents = tree
    assert records.parents_first_tree(ids, parents) == _written_parents_first(ids, parents)


@settings(max_examples=400, deadline=None)
@given(values=st.lists(st.one_of(TEXT, st.sampled_from(["Group", "x\ny", "中文"])), max_size=4))
@example(values=["Group", " A"])
@example(values=["a\tb", "中"])
def test_the_text_check_takes_exactly_what_validation_keeps_as_it_is(values: list[str]) -> None:
    """ASCII text (checked on its bytes) and other text (checked by the model's pattern) are
    taken exactly when every value is non-empty, has nothing to strip, and nothing unsafe."""
    for rule in (records._TEXT, records._PROSE):
        plain = all(v and v.strip() == v and not rule.unsafe.search(v) for v in values)
        assert records._plain_text(values, rule) == plain


# -- snapshots whose units are built on use ----------------------------------------------------


def _both(rows: list[dict[str, Any]]) -> tuple[Snapshot, Snapshot]:
    import datetime as dt

    checked = check_rows(rows)
    assert checked is not None
    date = dt.date(2024, 1, 1)
    lazy = Snapshot.of_records(date, checked, title="T", sources=("s1",))
    eager = Snapshot(date, [Unit.model_validate(r) for r in rows], title="T", sources=("s1",))
    return lazy, eager


def test_a_lazy_snapshot_builds_no_unit_for_its_structure() -> None:
    lazy, _ = _both(PLAIN)
    units = lazy.units
    assert isinstance(units, LazyUnits)
    assert (lazy.root, lazy.children("g"), lazy.depth("b")) == ("g", ("a",), 2)
    assert lazy.ancestors("b") == ["a", "g"]
    assert (list(lazy.descendants("g")), len(lazy)) == (["a", "b"], 3)
    assert ("a" in lazy, "zz" in lazy, list(units), dict(lazy.positions)) == (
        True, False, ["g", "a", "b"], {"g": 0, "a": 1, "b": 2})  # fmt: skip
    assert units._built == [None, None, None]
    assert units["a"] is units["a"]  # built once, then kept
    assert units._built.count(None) == 2


def test_a_lazy_snapshot_equals_the_eager_one_in_every_public_respect() -> None:
    lazy, eager = _both(PLAIN)
    assert lazy == eager and eager == lazy
    assert list(lazy.units.items()) == list(eager.units.items())
    assert list(lazy) == list(eager) and repr(lazy) == repr(eager)
    assert lazy.units == eager.units and dict(lazy.units) == dict(eager.units)
    assert lazy.units.get("zz") is None and lazy.units.get("g") == eager.units["g"]
    for uid in eager.units:
        assert (lazy.children(uid), lazy.depth(uid), lazy.ancestors(uid)) == (
            eager.children(uid), eager.depth(uid), eager.ancestors(uid))  # fmt: skip
    copied = pickle.loads(pickle.dumps(lazy))
    assert copied == eager and list(copied.units) == list(eager.units)
    assert orgmodel.diff(lazy, eager).events == []
    shared = share_unchanged(eager, lazy)
    assert shared == eager and all(shared.units[u] is eager.units[u] for u in eager.units)
    graph = orgmodel.History([lazy]).graph("2024")
    expected = orgmodel.History([eager]).graph("2024")
    assert list(graph.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(graph.edges) == list(expected.edges)


# -- JSON files through the bulk check, and the full way ---------------------------------------


def _read_both(folder: Path) -> tuple[Any, Any]:
    """load_history of a folder with the bulk check (of typed records, and of dicts where
    msgspec refuses the text), and with it turned off: each a History, or the problems of its
    DataError. The bulk check of dicts alone must give the same too."""

    def load() -> Any:
        try:
            return orgmodel.load_history(folder)
        except DataError as exc:
            return [str(p) for p in exc.problems]

    quick = load()
    with mock.patch.object(reading, "decode_typed", lambda *args: None):
        dicts = load()
    with mock.patch.object(reading, "_quick_json_snapshot", lambda *args: None):
        full = load()
    _same_history(dicts, full)
    return quick, full


def _same_history(quick: Any, full: Any) -> None:
    if isinstance(full, list):
        assert quick == full
        return
    assert isinstance(quick, orgmodel.History)
    assert quick.dates == full.dates
    for a, b in zip(quick, full, strict=True):
        assert a == b and list(a.units) == list(b.units) and a.path == b.path
        assert [_state(u) for u in a] == [_state(u) for u in b]


HEADS = st.fixed_dictionaries(
    {"date": st.sampled_from(["2024-01-01", "2024-01-01", "2024-02-01", "2024-1-1"])},
    optional={
        "title": st.one_of(st.just("T"), TEXT),
        "summary": st.one_of(TEXT, st.none()),
        "sources": st.sampled_from([["s1"], ["zz"], "s1"]),
        "removed": st.sampled_from([{"old": {"how": "dissolved"}}, {"g": {"how": "dissolved"}}]),
        "extra": st.just(1),
    },
)


@settings(max_examples=150, deadline=None)
@given(head=HEADS, units=unit_arrays())
@example(head={"date": "2024-01-01", "title": "T"}, units=json.dumps(PLAIN))
def test_a_json_file_reads_the_same_with_and_without_the_bulk_check(
    head: dict[str, Any], units: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sources.yaml").write_text(
            "kinds: {holding: H, company: C, k_2: K}\n"
            "sources:\n  s1: {title: A, publisher: P, date: 2020}\n"
            "  's:2': {title: B, publisher: P, date: 2021}\n",
            encoding="utf-8",
        )
        (folder / "2024-01-01.json").write_text(_file_text(head, units), encoding="utf-8")
        _same_history(*_read_both(folder))


def test_the_bulk_check_reads_a_plain_file_lazily(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  s1: {title: A, publisher: P, date: 2020}\n", encoding="utf-8"
    )
    data = {"date": "2024-01-01", "title": "T", "units": PLAIN}
    (tmp_path / "2024-01-01.json").write_text(json.dumps(data), encoding="utf-8")
    quick, full = _read_both(tmp_path)
    assert isinstance(quick.at("2024").units, LazyUnits)
    _same_history(quick, full)


# -- histories of such snapshots: unchanged units shared, told from the records ---------------

BASE: list[dict[str, Any]] = [
    {"id": "g", "name": "Group", "kind": "holding", "sources": ["s1"]},
    {"id": "a", "name": "A", "kind": "company", "parent": "g"},
    {"id": "b", "name": "B", "kind": "company", "parent": "g", "note": "x"},
    {"id": "c", "name": "C", "kind": "company", "parent": "a", "plan": None},
    {"id": "d", "name": "D", "kind": "company", "parent": "a"},
]
CHANGES = st.sampled_from(["rename", "move", "remove", "add", "explicit", "last", "same"])


def _changed(rows: list[dict[str, Any]], change: str, at: int) -> list[dict[str, Any]]:
    """The records of a snapshot after one change to the unit at ``at`` (never the root)."""
    rows = [dict(row) for row in rows]
    index = 1 + at % (len(rows) - 1) if len(rows) > 1 else 0
    row = rows[index]
    leaf = index and not any(r.get("parent") == row["id"] for r in rows)
    if change == "rename":
        row["name"] = row["name"] + "x"
    elif change == "move" and index:
        row["parent"] = rows[0]["id"] if row["parent"] != rows[0]["id"] else rows[1]["id"]
        if row["parent"] == row["id"] or rows.index(row) < 2:
            row["parent"] = rows[0]["id"]
    elif change == "remove" and leaf:
        del rows[index]
    elif change == "add":
        uid = f"n{len(rows)}{at}"
        while any(r["id"] == uid for r in rows):  # a unit removed before may have had it
            uid += "x"
        rows.append({"id": uid, "name": "New", "kind": "company", "parent": "g"})
    elif change == "explicit":
        row["status"] = "active"  # the same unit, given otherwise
    elif change == "last" and leaf:
        rows.append(rows.pop(index))  # the same units, in another order
    return rows


def _folder_of(steps: list[list[dict[str, Any]]], folder: Path) -> None:
    (folder / "sources.yaml").write_text(
        "sources:\n  s1: {title: A, publisher: P, date: 2020}\n", encoding="utf-8"
    )
    for month, rows in enumerate(steps, 1):
        date = f"2024-{month:02d}-01"
        data = {"date": date, "title": "T", "units": rows}
        (folder / f"{date}.json").write_text(json.dumps(data), encoding="utf-8")


def _steps_of(history: orgmodel.History) -> list[Any]:
    """Each snapshot's step from the one before, by value, and which units it shares."""
    found = []
    for before, after in zip(history, list(history)[1:], strict=False):
        step = after._step
        assert step is not None and step.base is before
        touched = [
            (i, uid, old and old.__dict__, new.__dict__) for i, uid, old, new in step.touched
        ]
        shared = [uid for uid in after.units if uid in before.units
                  and after.units[uid] is before.units[uid]]  # fmt: skip
        found.append((touched, step.gone, step.in_order, shared))
    return found


@settings(max_examples=60, deadline=None)
@given(changes=st.lists(st.lists(st.tuples(CHANGES, st.integers(0, 9)), max_size=3), max_size=3))
@example(changes=[[("same", 0)], [("explicit", 1)], [("last", 3), ("add", 0)]])
def test_a_history_of_lazy_snapshots_shares_what_an_eager_one_shares(
    changes: list[list[tuple[str, int]]],
) -> None:
    steps = [BASE]
    for step in changes:
        rows = steps[-1]
        for change, at in step:
            rows = _changed(rows, change, at)
        steps.append(rows)
    with tempfile.TemporaryDirectory() as tmp:
        _folder_of(steps, Path(tmp))
        lazy = orgmodel.load_history(tmp)
        with mock.patch.object(reading, "_quick_json_snapshot", lambda *args: None):
            eager = orgmodel.load_history(tmp)
    assert all(isinstance(s.units, LazyUnits) for s in lazy)
    assert list(lazy) == list(eager)
    assert _steps_of(lazy) == _steps_of(eager)
    for a, b in itertools.pairwise(eager.dates):
        assert lazy.changes(a, b) == eager.changes(a, b)
    assert lazy.changes(eager.dates[0], eager.dates[-1]) == eager.changes(
        eager.dates[0], eager.dates[-1]
    )


def test_a_history_builds_only_the_units_that_changed(tmp_path: Path) -> None:
    renamed = _changed(BASE, "rename", 2)  # unit c
    _folder_of([BASE, BASE, renamed, renamed], tmp_path)
    history = orgmodel.load_history(tmp_path)
    first, second, third, last = history
    # c's old and new records hold other values, so their units were built to compare them;
    # the second snapshot's c is the first's, read through it.
    built = [
        [uid for uid, unit in zip(s.units, s.units._built, strict=True) if unit] for s in history
    ]
    assert built == [["c"], ["c"], ["c"], []]
    assert second.units["c"] is first.units["c"] and third.units["c"] is last.units["c"]
    assert last.units["a"] is first.units["a"] and last.units["c"] != first.units["c"]
    assert [[i for i, _, _, _ in s._step.touched] for s in (second, third, last)] == [[], [3], []]


@pytest.mark.parametrize("rich_at", [0, 1, 2])  # no file, the first, the second
def test_units_are_shared_between_files_with_and_without_leaders(
    tmp_path: Path, rich_at: int
) -> None:
    """A file where one unit gives lineage is decoded with more fields than one where none
    does; the units of the two are still compared record by record, and only the unit with
    lineage, and the one that changed, are built to be compared."""
    later = _changed(BASE, "rename", 2)  # unit c
    steps = [[dict(row) for row in BASE], later]
    if rich_at:
        steps[rich_at - 1][4]["lineage"] = ["a"]  # unit d
    _folder_of(steps, tmp_path)
    first, second = orgmodel.load_history(tmp_path)
    built = [uid for uid, unit in zip(second.units, second.units._built, strict=True) if unit]
    assert built == (["c", "d"] if rich_at else ["c"])
    assert [i for i, _, _, _ in second._step.touched] == ([3, 4] if rich_at else [3])
    assert second.units["a"] is first.units["a"] and second.units["b"] is first.units["b"]
    assert second.units["c"] != first.units["c"]
    assert (second.units["d"] is first.units["d"]) == (not rich_at)


@pytest.mark.parametrize("listed", [1, jsonfiles._MOST_WORDS, jsonfiles._MOST_WORDS + 1])
def test_a_source_the_bibliography_lacks_is_refused_while_decoding_unless_it_lists_many(
    listed: int,
) -> None:
    sources = frozenset(f"s{i}" for i in range(listed))
    text = json.dumps({"units": [{**PLAIN[0], "sources": ["zz"]}]}).encode()
    typed = jsonfiles.decode_typed(text, frozenset({"holding"}), sources)
    assert (typed is None) == (listed <= jsonfiles._MOST_WORDS)
    assert jsonfiles.decode_typed(text.replace(b"zz", b"s0"), None, sources) is not None


@pytest.mark.parametrize("listed", [1, jsonfiles._MOST_WORDS + 1])
def test_the_keys_cited_are_gathered_when_asked_for_if_the_decoder_checked_them(
    listed: int,
) -> None:
    """Decoded as the bibliography's words, the keys need no check of their own: the records
    say they may cite only those, and gather the keys they do cite when asked."""
    sources = frozenset(f"s{i}" for i in range(listed))
    rows = [{**PLAIN[0], "sources": ["s0"]}, {**PLAIN[1], "sources": ["s0", "s0"]}, PLAIN[2]]
    typed = jsonfiles.decode_typed(json.dumps({"units": rows}).encode(), None, sources)
    assert typed is not None
    checked = check_typed(typed.units, typed.unset, typed.sources)
    assert checked is not None and _agrees(checked, rows)
    checked_words = listed <= jsonfiles._MOST_WORDS
    assert (typed.sources == sources, checked.among == sources) == (checked_words, checked_words)
    assert checked.may_cite() == (sources if checked_words else {"s0"})
    assert checked.cited == {"s0"}


# -- files where some units give leaders, lineage or field_confidence --------------------------

LEADER = {"name": "Ann Lee", "role": "CEO", "sources": ["s1"]}


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        # leaders, lineage and field confidence, all valid: read, the rest in bulk
        ({"b": {"leaders": [LEADER], "lineage": ["a"], "field_confidence": {"name": "confirmed"}}},
         None),
        ({"g": {"leaders": [{**LEADER, "name": " Ann Lee "}]}}, None),  # stripped by validation
        ({"b": {"leaders": []}}, None),  # given, though empty
        # what the checks across files find in them
        ({"b": {"lineage": ["zz"]}}, "lineage names 'zz'"),
        ({"b": {"lineage": ["b"]}}, "lineage names the unit itself"),
        ({"g": {"leaders": [{**LEADER, "sources": ["s9"]}]}}, "source 's9' is not in"),
        # what validation refuses in them
        ({"b": {"leaders": [{"name": "Ann Lee"}]}}, "role"),
        ({"b": {"field_confidence": {"colour": "confirmed"}}}, "field_confidence"),
        ({"b": {"lineage": "a"}}, "lineage"),
    ],
)  # fmt: skip
def test_a_file_whose_units_give_leaders_or_lineage_reads_as_validation_reads_it(
    tmp_path: Path, second: dict[str, dict[str, Any]], problem: str | None
) -> None:
    """Only the units that give leaders, lineage or field_confidence are validated one by one;
    the history, or the problem lines, are those of the full reading."""
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  s1: {title: A, publisher: P, date: 2020}\n", encoding="utf-8"
    )
    first = {"date": "2024-01-01", "title": "T", "units": PLAIN}
    rows = [{**row, **second.get(row["id"], {})} for row in PLAIN]
    later = {"date": "2024-02-01", "title": "T", "units": rows}
    for data in (first, later):
        (tmp_path / f"{data['date']}.json").write_text(json.dumps(data), encoding="utf-8")
    quick, full = _read_both(tmp_path)
    _same_history(quick, full)
    if problem is None:
        assert isinstance(quick, orgmodel.History)
        snapshot = quick.at("2024-02-01")
        assert isinstance(snapshot.units, LazyUnits)
        validated = snapshot.units.records.validated
        assert sorted(validated) == [i for i, row in enumerate(PLAIN) if row["id"] in second]
        assert snapshot.units.records.unit(1) == full.at("2024-02-01").units["a"]
    else:
        assert isinstance(quick, list) and any(problem in line for line in quick), quick


def test_records_read_a_chunk_at_a_time_keep_their_order() -> None:
    """More records than one chunk: every field of every record, in written order."""
    size = 2 * records._CHUNK + 7
    rows = [{"id": "u0", "name": "Unit 0", "kind": "holding"}] + [
        {"id": f"u{i}", "name": f"Unit {i}", "kind": "lab", "parent": f"u{(i - 1) // 3}",
         **({"note": f"n{i}"} if i % 1000 == 999 else {})}
        for i in range(1, size)
    ]  # fmt: skip
    text = json.dumps({"date": "2024-01-01", "units": rows})
    checked = _typed(text)
    assert checked is not None and len(checked) == size
    assert checked.ids == [row["id"] for row in rows]
    assert checked.parents == [row.get("parent") for row in rows]
    assert [checked.unit(i) for i in range(size)] == [Unit.model_validate(row) for row in rows]
