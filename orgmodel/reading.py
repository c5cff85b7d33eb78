"""Reading snapshot folders: parse, validate, and check files against each other.

Everything is validated here, once; what comes out is trusted by the rest of orgmodel. Every
problem found in a folder is collected and raised together as one :class:`DataError`, one line
per problem, each naming the file and line.

Line numbers cost a second parse, so they are only looked up for files that have a problem: the
happy path parses each file once with libyaml (when PyYAML has it) and no position tracking.

Parsing YAML is most of the cost of reading, so what passes its checks is kept in a cache (see
:mod:`orgmodel.cache`): each file, validated, and the history of each folder whose files all
passed. A file entry read back passes the same checks as the file it stands for, and the checks
across files are made again; a folder entry is taken only while every file of the folder is as
it was.

Only regular files are read: a FIFO or a device named like a snapshot is reported, not read
(reading one would wait for ever).
"""

from __future__ import annotations

import difflib
import itertools
import operator
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from orgmodel.cache import (
    file_entry,
    folder_entry,
    read_entry,
    read_object,
    write_entry,
    write_object,
)
from orgmodel.errors import DataError, Problem
from orgmodel.history import History
from orgmodel.jsonfiles import (
    JSON_SUFFIX,
    decode_typed,
    parse_json,
    quick_parse,
    validated_snapshot,
)
from orgmodel.longtable import TABLE_SUFFIXES, read_table_history
from orgmodel.model import Bibliography, SnapshotFile, Unit, quick_validator
from orgmodel.progress import track
from orgmodel.records import LazyUnits, UnitRecords, check_rows, check_typed
from orgmodel.snapshot import Snapshot, structure_problems

__all__ = [
    "BIBLIOGRAPHY_NAME",
    "bundled_path",
    "load_history",
    "read_bibliography",
    "read_history",
    "read_snapshot",
]

BIBLIOGRAPHY_NAME = "sources.yaml"
SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(ya?ml|json)$", re.IGNORECASE)

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml's safe loader (pure Python when libyaml is missing), refusing duplicate keys.

    Every value that cannot be built (an impossible date such as ``2023-02-30``, an integer too
    long to convert, ``!!bool maybe``, ``!!map`` on a list) is a YAML error at that value's line,
    like any other syntax error, never an exception of another kind.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            value = node.value if isinstance(node, yaml.ScalarNode) else None
            what = f"'{value}'" if isinstance(value, str) and len(value) <= 60 else "the value"
            tag = node.tag.rsplit(":", 1)[-1]
            # Python's reason is worth showing for a date ("day is out of range for month").
            usable = isinstance(exc, ValueError) and tag == "timestamp" and len(str(exc)) <= 80
            reason = f" ({exc})" if usable else ""
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{what} cannot be read as {tag}{reason}; put it in quotes to make it text, "
                "or fix it",
                node.start_mark,
            ) from None

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "expected a mapping of keys to values here", node.start_mark
            )
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a key must be a single word or text, not a list or mapping",
                    key_node.start_mark,
                )
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key '{key}' appears twice in one mapping; keep one",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


@dataclass(frozen=True, slots=True)
class _Finding:
    """A problem located by its path inside the file's data, before lines are looked up."""

    loc: tuple[str | int, ...]
    message: str
    unit: str | None = None


class _Anything:
    """A container that holds every key."""

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())


_Model = TypeVar("_Model", bound=BaseModel)


def _from_cache(model: type[_Model], entry: Path | None) -> _Model | None:
    data = read_entry(entry)
    if data is None:
        return None  # none, or not what the cache wrote: read the file itself
    try:
        cached: _Model = quick_validator(model).validate_json(data)
        return cached
    except ValueError:
        return None  # a damaged entry: read the file itself


def _to_cache(entry: Path | None, value: BaseModel) -> None:
    write_entry(entry, value.model_dump_json(exclude_unset=True).encode())


class _NotRegularError(Exception):
    """A path that is a FIFO, a device, a socket or a folder, not a file."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _file_type(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a regular file"


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file; a FIFO or device is never read from.

    Opened without blocking, so that opening a FIFO does not wait for a writer, and checked on
    the open file, so that what is read is what was checked.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegularError(_file_type(mode))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def _read_bytes(path: Path) -> bytes:
    try:
        return _read_regular(path)
    except _NotRegularError as exc:
        raise DataError(
            [Problem(path, None, f"is {exc.what}, not a regular file; only files are read")]
        ) from None
    except OSError as exc:
        raise DataError([Problem(path, None, f"cannot be read: {exc.strerror}")]) from None


def _parse(path: Path, text: bytes | None = None) -> Any:
    if text is None:
        text = _read_bytes(path)
    if path.suffix.lower() == JSON_SUFFIX:
        return parse_json(path, text)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "cannot be parsed"
        lines = text.split(b"\n")
        if mark is not None and mark.line < len(lines) and b"\t" in lines[mark.line]:
            what += " (a tab there: YAML takes spaces for indents)"
        context = f" {exc.context}" if exc.context else ""
        fix = "" if "; " in what else "; fix the syntax there"  # the loader's own say the fix
        raise DataError([Problem(path, line, f"not valid YAML: {what}{context}{fix}")]) from None
    except yaml.reader.ReaderError as exc:
        raise DataError([_unreadable_character(path, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(path, None, f"not valid YAML: {exc}")]) from None


def _unreadable_character(path: Path, text: bytes, exc: yaml.reader.ReaderError) -> Problem:
    """A byte that is not UTF-8, or a character YAML refuses (NUL, a control), at its line."""
    position = min(max(exc.position, 0), len(text))
    line = text[:position].count(b"\n") + 1
    if "UTF-8" in str(exc.reason) or "utf" in str(exc.reason).lower():
        found = f"byte 0x{text[position]:02X}" if position < len(text) else "the end"
        return Problem(
            path, line, f"is not UTF-8 text: {found} is not part of a character; save it as UTF-8"
        )
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return Problem(
        path, line, f"holds the control character U+{code:04X}, which YAML refuses; remove it"
    )


def _lines(
    path: Path, locs: Sequence[tuple[str | int, ...]], text: bytes | None = None
) -> list[int | None]:
    """The line of each data path in a YAML file (1-based), found by composing it with marks."""
    try:
        root = yaml.compose(_read_regular(path) if text is None else text, Loader=_BaseLoader)
    except (OSError, _NotRegularError, yaml.YAMLError):
        return [None] * len(locs)
    found: list[int | None] = []
    for loc in locs:
        node = root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == str(part):
                        # Point at the key: that is where the reader looks for the field.
                        line = key.start_mark.line + 1
                        node = value
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    line = node.start_mark.line + 1
                else:
                    break
            else:
                break
        found.append(line)
    return found


def _locate(path: Path, findings: list[_Finding], text: bytes | None = None) -> list[Problem]:
    lines = _lines(path, [f.loc for f in findings], text)
    return [Problem(path, line, f.message, f.unit) for f, line in zip(findings, lines, strict=True)]


def _unit_id_at(data: Any, loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "units" and isinstance(loc[1], int):
        try:
            unit = data["units"][loc[1]]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(unit, dict) and isinstance(unit.get("id"), str):
            return str(unit["id"])
    return None


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed where ``loc`` points, to suggest the right one for an unknown key."""
    current: Any = model
    keyed = False  # the part after a mapping's name is one of its keys, not a field
    for part in loc[:-1]:
        if isinstance(part, int) or current is None or keyed:
            keyed = False
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            current = None
            break
        annotation = field.annotation
        keyed = getattr(annotation, "__origin__", None) is dict
        current = None
        for arg in [annotation, *getattr(annotation, "__args__", ())]:
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                current = arg
                break
    return list(current.model_fields) if current is not None else []


def _describe(model: type[BaseModel], error: Any) -> str:
    """A pydantic error as a sentence that says what is wrong and what would be right."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    message = _explain(model, error, loc)
    if model is Bibliography and len(loc) >= 3 and loc[0] == "sources":
        return f"source '{loc[1]}': {message}"  # as a unit's problems name the unit
    return message


def _explain(model: type[BaseModel], error: Any, loc: tuple[str | int, ...]) -> str:
    kind = error["type"]
    # The field: the last name in the path that is not pydantic's "[key]" for a mapping's key.
    name = next((str(p) for p in reversed(loc) if isinstance(p, str) and p != "[key]"), "value")
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        return f"unknown key '{loc[-1]}' ({hint})"
    if kind == "missing":
        return f"missing required key '{name}'"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(value), re.findall(r"'([^']*)'", expected), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        if loc[-1] == "[key]" and len(loc) >= 3:  # (..., field, the key, "[key]")
            what = f"'{value}' as a key of {loc[-3]}"
        else:
            what = f"{name} '{value}'"
        return f"{what} is not allowed; {hint}use one of {expected}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(name, loc, value)
    if value is None:
        return f"{name} has no value; give one, or remove the key"
    if kind == "too_short" and name == "units":
        return "a snapshot must list at least one unit"
    return _type_message(kind, name, value) or (
        f"{name}: {str(error['msg']).removeprefix('Value error, ')}"
    )


def _pattern_message(name: str, loc: tuple[str | int, ...], value: Any) -> str:
    if name in ("id", "parent", "lineage") or (loc and loc[0] == "removed"):
        what = "a unit id"
        rule = "lower-case letters, digits, '.', '_' or '-'"
    elif name == "kind" or (len(loc) >= 2 and loc[0] == "kinds"):
        what, rule = "a kind", "lower-case letters, digits and '_', starting with a letter"
    elif name == "date":
        what, rule = "a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    else:
        what, rule = "a key", "letters, digits, '.', '_', ':' or '-'"
    return f"{name} {value!r} is not {what}: use {rule}"


def _type_message(kind: str, name: str, value: Any) -> str | None:
    """A value of the wrong type, said in the words of the file, with the fix."""
    if kind == "string_type" and isinstance(value, bool):
        return (
            f"{name} must be text, but YAML read a yes/no word as {str(value).lower()}; "
            "put it in quotes"
        )
    if kind == "string_type" and isinstance(value, int | float):
        return f"{name} must be text, not {value!r}; put it in quotes"
    if kind == "string_type":
        what = (
            "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else ""
        )
        return f"{name} must be text, not {what or type(value).__name__}; write it as one value"
    if kind in ("tuple_type", "list_type"):
        return f"{name} must be a list, e.g. [{value}]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{name} must be a mapping of keys to values, not {value!r}"
    if kind == "date_from_datetime_inexact":
        return f"{name} must be a date without a time, YYYY-MM-DD"
    if kind.startswith("date"):
        return f"{name} {value!r} is not a date: use YYYY-MM-DD"
    return None


def _validate(
    model: type[BaseModel], data: Any, path: Path, text: bytes | None = None
) -> tuple[BaseModel | None, list[Problem]]:
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        return None, [Problem(path, 1, f"is {what}; it must be a mapping of keys to values")]
    try:
        # The quick validator accepts what the model does; only the model says why it refuses.
        return quick_validator(model).validate_python(data), []
    except ValidationError:
        pass
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        findings = [
            _Finding(tuple(e["loc"]), _describe(model, e), _unit_id_at(data, tuple(e["loc"])))
            for e in exc.errors()
            # pydantic counts only the items that validated; a list of bad items is not short.
            if not (e["type"] == "too_short" and e.get("input"))
        ]
        return None, _locate(path, findings, text)


def read_snapshot(path: str | Path) -> Snapshot:
    """Read and check one snapshot file on its own (its file name must be its date).

    Checks that need the other files (lineage, sources, kinds) are made by :func:`read_history`.
    """
    path = Path(path)
    snapshot, problems = _read_snapshot(path)
    if problems or snapshot is None:
        raise DataError(problems)
    return snapshot


class _Known(NamedTuple):
    """The kinds and source keys a folder's bibliography lists (None: any kind, or no
    bibliography): JSON units of others are read the slower way, and reported."""

    kinds: frozenset[str] | None
    sources: frozenset[str] | None


def _read_snapshot(
    path: Path, known: _Known | None = None
) -> tuple[Snapshot | None, list[Problem]]:
    try:
        text = _read_bytes(path)
    except DataError as exc:
        return None, exc.problems
    # JSON is read about as fast as the cache would be, so it is neither taken from nor kept in it.
    is_json = path.suffix.lower() == JSON_SUFFIX
    quick = _quick_json_snapshot(path, text, known) if is_json else None
    if quick is not None:
        return quick, []
    entry = None if is_json else file_entry(path, text)
    cached = _from_cache(SnapshotFile, entry)
    if cached is not None and not _file_findings(cached, path):
        # An entry is only written for a file that passed; one that fails now was changed
        # after it was written, and is passed over for the file itself.
        return _snapshot(cached, path), []
    model: BaseModel | None = validated_snapshot(text) if is_json else None
    if model is None:
        try:
            data = _parse(path, text)
        except DataError as exc:
            return None, exc.problems
        model, problems = _validate(SnapshotFile, data, path, text)
        if model is None:
            # The structure's problems too, as far as ids and parents can be read: every
            # problem of the file at once, not only the schema's.
            return None, problems + _locate(path, _raw_structure_findings(data, problems), text)
    assert isinstance(model, SnapshotFile)
    findings = _file_findings(model, path)
    if findings:
        # Still hand the snapshot on, so that the checks across files (sources, lineage, dates)
        # report their problems in the same run; a duplicate id would shift every unit's place.
        whole = len({u.id for u in model.units}) == len(model.units)
        return (_snapshot(model, path) if whole else None), _locate(path, findings, text)
    _to_cache(entry, model)
    return _snapshot(model, path), []


def _quick_json_snapshot(path: Path, text: bytes, known: _Known | None = None) -> Snapshot | None:
    """The snapshot of a JSON file whose units are plainly valid, checked in bulk and built
    on first use (see :mod:`orgmodel.records`); None when the file must be read the full way,
    which says what is wrong with it, if anything is."""
    plain = _plain_records(text, known or _Known(None, None))
    if plain is None:
        return None
    head, records = plain
    try:
        # The rest of the file, with one unit to satisfy the schema: validated the usual way.
        model = quick_validator(SnapshotFile).validate_python({**head, "units": [records.given(0)]})
    except ValidationError:
        return None
    unit_ids = records.positions if model.removed else {}  # placed only when needed
    if model.units[0] != records.unit(0) or _named_findings(model, path, unit_ids):
        return None
    return Snapshot.of_records(
        model.date,
        records,
        title=model.title,
        summary=model.summary,
        sources=model.sources,
        removed=model.removed,
        path=path,
    )


def _plain_records(text: bytes, known: _Known) -> tuple[dict[str, Any], UnitRecords] | None:
    """The keys of a JSON file besides its units, and its unit records checked in bulk, if they
    are plain. The file is decoded into typed records, whose types msgspec checks as it parses
    (kinds and sources among those ``known``); where it refuses the file, which the reading of
    JSON may yet take (a key given twice, say, its first value of the wrong type; a source the
    bibliography lacks, reported later), the file is parsed into dicts and checked as such."""
    typed = decode_typed(text, known.kinds, known.sources)
    if typed is not None:
        records = check_typed(typed.units, typed.unset, typed.sources, typed.rich)
        return None if records is None else (typed.head, records)
    data = quick_parse(text)
    records = check_rows(data.get("units") if isinstance(data, dict) else None)
    return None if records is None else (data, records)


def _raw_structure_findings(data: Any, known: list[Problem]) -> list[_Finding]:
    """The structure problems of a file whose schema failed, from the ids and parents that are
    text; none about an id or parent the schema has found a problem with already."""
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        return []
    raw = []
    for unit in units:
        if not isinstance(unit, dict) or not isinstance(unit.get("id"), str):
            return []  # positions would shift: better no structure problems than wrong ones
        parent = unit.get("parent")
        parent = parent if isinstance(parent, str) else None
        raw.append(Unit.model_construct(id=unit["id"], parent=parent))
    said = {(p.unit, word) for p in known for word in ("id", "parent") if f"{word} " in p.message}
    return [
        _Finding(("units", index, *((field,) if field else ())), message, unit)
        for index, field, unit, message in structure_problems(raw)
        # The number of roots counts every parent, and one may be behind a misspelt key.
        if (unit, field) not in said and not message.startswith(("no root", "more than one"))
    ]


def _file_findings(model: SnapshotFile, path: Path) -> list[_Finding]:
    """The checks of one snapshot file that its schema cannot make: structure, date, removals."""
    findings = [
        _Finding(("units", index, *((field,) if field else ())), message, unit)
        for index, field, unit, message in structure_problems(model.units)
    ]
    unit_ids = {u.id for u in model.units} if model.removed else set()
    return findings + _named_findings(model, path, unit_ids)


def _named_findings(
    model: SnapshotFile, path: Path, unit_ids: Mapping[str, object] | set[str]
) -> list[_Finding]:
    """The checks of a file's date against its name, and of its removals against its units
    (``unit_ids``, which need only be complete when the file lists removals)."""
    findings = []
    match = SNAPSHOT_NAME.match(path.name)
    if match and match.group(1) != model.date.isoformat():
        findings.append(
            _Finding(
                ("date",),
                f"the date inside ({model.date.isoformat()}) differs from the file name; "
                f"rename the file to {model.date.isoformat()}{path.suffix} or fix the date",
            )
        )
    for uid in model.removed:
        if uid in unit_ids:
            findings.append(
                _Finding(
                    ("removed", uid),
                    "is listed under removed but is still a unit of this snapshot; "
                    "remove one of the two",
                    uid,
                )
            )
    return findings


def _snapshot(model: SnapshotFile, path: Path) -> Snapshot:
    return Snapshot(
        model.date,
        model.units,
        title=model.title,
        summary=model.summary,
        sources=model.sources,
        removed=model.removed,
        path=path,
    )


def read_bibliography(path: str | Path) -> Bibliography:
    """Read a folder's ``sources.yaml``."""
    path = Path(path)
    text = _read_bytes(path)
    entry = file_entry(path, text)
    cached = _from_cache(Bibliography, entry)
    if cached is not None:
        return cached
    model, problems = _validate(Bibliography, _parse(path, text), path, text)
    if problems or model is None:
        raise DataError(problems)
    assert isinstance(model, Bibliography)
    _to_cache(entry, model)
    return model


@dataclass(frozen=True, slots=True)
class _Citable:
    """What the units of a folder may cite and be: the bibliography's source keys (anything,
    when the bibliography failed to load) and its kinds (anything, when it lists none)."""

    sources: Any
    kinds: Mapping[str, str] | None
    where: Path | str

    def bad_source(self, key: str) -> str:
        close = difflib.get_close_matches(key, list(self.sources), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"source '{key}' is not in {self.where}{hint}; add it there or fix the key"

    def all_known(self, units: Sequence[Unit]) -> bool:
        """Whether every source the units cite and every kind they have is known: checked in
        bulk, so that only units with lineage or leaders need a look of their own."""
        cited = set(itertools.chain.from_iterable(map(_UNIT_SOURCES, units)))
        return self.knows(cited, set(map(_UNIT_KIND, units)))

    def knows(self, cited: Iterable[str], kinds: Iterable[str]) -> bool:
        """Whether every source key in ``cited`` and every kind in ``kinds`` is known."""
        if not isinstance(self.sources, _Anything) and not set(cited).issubset(self.sources):
            return False
        return self.kinds is None or set(kinds).issubset(self.kinds)


def _records(snapshot: Snapshot) -> UnitRecords | None:
    """The checked records of a snapshot whose units are built on use, if it is one."""
    units = snapshot.units
    return units.records if isinstance(units, LazyUnits) else None


_UNIT_SOURCES = operator.attrgetter("sources")
_UNIT_KIND = operator.attrgetter("kind")


def _cross_file_findings(
    snapshots: list[Snapshot],
    bibliography: Bibliography,
    bib_path: Path | None,
    check_sources: bool = True,
    failed: Sequence[str] = (),
) -> list[Problem]:
    """Checks across files: lineage, removals, source keys, kinds. Lines found only on failure.

    ``failed`` are the dates of files that could not be read: a file after one of them is not
    judged against the files before it, which would give wrong advice (a removal "not in the
    earlier snapshot" that is in the file that failed).
    """
    # A bibliography that failed to load has been reported already; checking keys against an
    # empty one would only bury that report under a line for every citation.
    sources: Any = bibliography.sources if check_sources else _Anything()
    citable = _Citable(sources, bibliography.kinds, bib_path or BIBLIOGRAPHY_NAME)
    seen_ids = _SeenIds()
    problems: list[Problem] = []
    previous: Snapshot | None = None
    for snapshot in snapshots:
        assert snapshot.path is not None
        seen_ids.add(snapshot.units)
        date = snapshot.date.isoformat()
        earlier = previous.date.isoformat() if previous is not None else ""
        known: Any = _Anything() if any(f < date for f in failed) else seen_ids
        gap = any(earlier < f < date for f in failed)
        findings = [
            _Finding(("sources", i), citable.bad_source(key))
            for i, key in enumerate(snapshot.sources)
            if key not in sources
        ]
        findings.extend(_units_findings(snapshot, known, citable))
        findings.extend(_removal_findings(snapshot, previous, gap, citable))
        if findings:
            problems.extend(_locate(snapshot.path, findings))
        previous = snapshot
    return problems


class _SeenIds:
    """The ids of the units of the snapshots met so far, gathered when first looked in: the
    lineage checks look, and a folder of plain files, which have no lineage, never does."""

    __slots__ = ("_ids", "_waiting")

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._waiting: list[Iterable[str]] = []

    def add(self, ids: Iterable[str]) -> None:
        self._waiting.append(ids)

    def _gathered(self) -> set[str]:
        for ids in self._waiting:
            self._ids.update(ids)
        self._waiting.clear()
        return self._ids

    def __contains__(self, uid: object) -> bool:
        return uid in self._gathered()

    def __iter__(self) -> Iterator[str]:
        return iter(self._gathered())


def _removal_findings(
    snapshot: Snapshot, previous: Snapshot | None, gap: bool, citable: _Citable
) -> list[_Finding]:
    """The problems of a snapshot's removals: a unit not there before (unless a file between
    failed, a ``gap``), a unit absorbed into one that is not there, a source not known."""
    found: list[_Finding] = []
    for uid, removal in snapshot.removed.items():
        if not gap and (previous is None or uid not in previous.units):
            before = f"the snapshot of {previous.date}" if previous else "an earlier snapshot"
            message = f"is listed under removed but is not a unit of {before}; remove the entry"
            found.append(_Finding(("removed", uid), message, uid))
        if removal.into is not None and removal.into not in snapshot.units:
            message = f"absorbed into '{removal.into}', which is not a unit of this snapshot"
            found.append(_Finding(("removed", uid, "into"), message, uid))
        for i, key in enumerate(removal.sources):
            if key not in citable.sources:
                found.append(_Finding(("removed", uid, "sources", i), citable.bad_source(key), uid))
    return found


def _units_findings(snapshot: Snapshot, seen_ids: Any, citable: _Citable) -> list[_Finding]:
    records = _records(snapshot)
    if records is not None and citable.knows(records.may_cite(), records.kinds):
        # Only the units validated one by one may have lineage or leaders to check.
        return [
            finding
            for index, unit in records.validated.items()
            for finding in _unit_findings(unit, index, seen_ids, citable)
        ]
    units = list(snapshot.units.values())
    indexes: Iterable[int] = range(len(units))
    if citable.all_known(units):
        # Left to check: lineage against the ids seen so far, and the leaders' sources.
        lineage = itertools.compress(indexes, map(_UNIT_LINEAGE, units))
        leaders = itertools.compress(indexes, map(_UNIT_LEADERS, units))
        indexes = sorted({*lineage, *leaders})
    found: list[_Finding] = []
    for index in indexes:
        found.extend(_unit_findings(units[index], index, seen_ids, citable))
    return found


_UNIT_LINEAGE = operator.attrgetter("lineage")
_UNIT_LEADERS = operator.attrgetter("leaders")


def _unit_findings(unit: Unit, index: int, seen_ids: Any, citable: _Citable) -> list[_Finding]:
    loc: tuple[str | int, ...] = ("units", index)
    found: list[_Finding] = []
    for i, pred in enumerate(unit.lineage):
        if pred == unit.id:
            message = "lineage names the unit itself; remove it"
            found.append(_Finding((*loc, "lineage", i), message, unit.id))
        elif pred not in seen_ids:
            close = difflib.get_close_matches(pred, list(seen_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"lineage names '{pred}', which is in no snapshot up to this date{hint}"
            found.append(_Finding((*loc, "lineage", i), message, unit.id))
    sources = citable.sources
    for i, key in enumerate(unit.sources):
        if key not in sources:
            found.append(_Finding((*loc, "sources", i), citable.bad_source(key), unit.id))
    for j, leader in enumerate(unit.leaders):
        for i, key in enumerate(leader.sources):
            if key not in sources:
                where = (*loc, "leaders", j, "sources", i)
                found.append(_Finding(where, citable.bad_source(key), unit.id))
    kinds = citable.kinds
    if kinds is not None and unit.kind not in kinds:
        close = difflib.get_close_matches(unit.kind, list(kinds), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(kinds)
        message = f"kind '{unit.kind}' is not listed under kinds in {BIBLIOGRAPHY_NAME} ({hint})"
        found.append(_Finding((*loc, "kind"), message, unit.id))
    return found


class _FolderFiles(NamedTuple):
    """The YAML files of a snapshot folder, sorted into their roles."""

    bibliography: Path | None
    snapshots: list[Path]
    problems: list[Problem]


def _folder_files(folder: Path) -> _FolderFiles:
    suffixes = (".yaml", ".yml", JSON_SUFFIX)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)
    bib_names = (BIBLIOGRAPHY_NAME, "sources.yml")
    bib_path = next((p for p in files if p.name.lower() in bib_names), None)
    snapshot_files: list[Path] = []
    problems: list[Problem] = []
    for file in files:
        if file == bib_path:
            continue
        if SNAPSHOT_NAME.match(file.name):
            snapshot_files.append(file)
        else:
            problems.append(
                Problem(
                    file,
                    None,
                    "is neither a snapshot nor the bibliography; name snapshot files "
                    f"YYYY-MM-DD.yaml and the bibliography {BIBLIOGRAPHY_NAME}",
                )
            )
    if not snapshot_files:
        problems.append(
            Problem(folder, None, "holds no snapshot files; add files named YYYY-MM-DD.yaml")
        )
    return _FolderFiles(bib_path, snapshot_files, problems)


class _ReadSnapshots(NamedTuple):
    """The snapshots of a folder that could be read, in date order, and what went wrong."""

    snapshots: list[Snapshot]
    problems: list[Problem]
    #: The dates (from their names) of the files that could not be read at all.
    failed: list[str]


def _read_snapshots(files: list[Path], known: _Known | None = None) -> _ReadSnapshots:
    snapshots: list[Snapshot] = []
    problems: list[Problem] = []
    failed: list[str] = []
    by_date: dict[Any, Path] = {}
    for file in track(files, "Reading snapshot files"):
        snapshot, found = _read_snapshot(file, known)
        problems.extend(found)
        if snapshot is None:
            match = SNAPSHOT_NAME.match(file.name)
            failed.append(match.group(1) if match else "")
            continue
        if snapshot.date in by_date:
            same = f"has the same date as {by_date[snapshot.date].name}; keep one file per date"
            problems.extend(_locate(file, [_Finding(("date",), same)]))
            continue
        by_date[snapshot.date] = file
        snapshots.append(snapshot)
    snapshots.sort(key=lambda s: s.date)
    return _ReadSnapshots(snapshots, problems, failed)


def read_history(path: str | Path) -> History:
    """Read every snapshot file of a folder, with its ``sources.yaml``, into a :class:`History`;
    or a long table (CSV, TSV, Parquet, Excel: see :mod:`orgmodel.longtable`) given as a file,
    or a folder of such tables and no snapshot file.

    Every problem in every file is collected and raised at once as a :class:`DataError`.
    """
    folder = Path(path)
    if folder.suffix.lower() in TABLE_SUFFIXES and folder.is_file():
        return read_table_history(folder)
    if not folder.exists():
        raise DataError([Problem(folder, None, "no such folder; give a folder of snapshot files")])
    if not folder.is_dir():
        raise DataError(
            [Problem(folder, None, "is a file; give the folder that holds the snapshot files")]
        )
    bib_path, snapshot_files, problems = _folder_files(folder)
    if not snapshot_files and _holds_tables(folder):  # a table per date, say
        return read_table_history(folder)
    files = [*([bib_path] if bib_path is not None else []), *snapshot_files]
    # A folder of YAML files is kept whole. JSON files are quick to read, and their units are
    # built on first use, which pickling a history would force for every unit.
    yaml_only = all(file.suffix.lower() != JSON_SUFFIX for file in snapshot_files)
    entry = folder_entry(folder, files) if yaml_only and not problems else None
    cached = read_object(entry)
    if isinstance(cached, History):
        return cached
    history = _read_folder(folder, bib_path, snapshot_files, problems)
    # Kept only if no file changed while it was read: the entry names what was read.
    if entry is not None and folder_entry(folder, files) == entry:
        write_object(entry, history)
    return history


def _holds_tables(folder: Path) -> bool:
    """Whether ``folder`` holds long tables (asked of a folder with no snapshot file)."""
    return any(p.suffix.lower() in TABLE_SUFFIXES for p in folder.iterdir())


def _read_folder(
    folder: Path, bib_path: Path | None, snapshot_files: list[Path], problems: list[Problem]
) -> History:
    """The history of a folder's files, every problem in them raised at once."""
    bibliography = Bibliography.model_validate({})
    bibliography_ok = True
    if bib_path is not None:
        try:
            bibliography = read_bibliography(bib_path)
        except DataError as exc:
            problems.extend(exc.problems)
            bibliography_ok = False
    kinds = bibliography.kinds
    known = _Known(None if kinds is None else frozenset(kinds), frozenset(bibliography.sources))
    snapshots, found, failed = _read_snapshots(snapshot_files, known if bibliography_ok else None)
    problems.extend(found)
    if bib_path is None and any(_cites(s) for s in snapshots):
        # One line for the missing file, rather than one for every citation.
        problems.append(
            Problem(
                folder / BIBLIOGRAPHY_NAME,
                None,
                "does not exist, but the snapshots cite sources; add it with a title, "
                "publisher, date and url for each source key",
            )
        )
        bibliography_ok = False
    problems.extend(
        _cross_file_findings(snapshots, bibliography, bib_path, bibliography_ok, failed)
    )
    if problems:
        raise DataError(problems)
    return History(
        snapshots,
        sources=bibliography.sources,
        kinds=bibliography.kinds,
        title=bibliography.title,
        path=folder,
    )


def _cites(snapshot: Snapshot) -> bool:
    records = _records(snapshot)
    if records is not None:
        return bool(snapshot.sources or records.cited)
    return bool(snapshot.sources) or any(
        unit.sources or any(leader.sources for leader in unit.leaders)
        for unit in snapshot.units.values()
    )


def bundled_path() -> Path:
    """The folder of the snapshots that ship with orgmodel."""
    here = Path(__file__).resolve().parent
    # Installed, the snapshots sit inside the package; in a source checkout, beside it.
    for folder in (here / "snapshots", here.parent / "snapshots"):
        if any(folder.glob("*.yaml")):
            return folder
    return here.parent / "snapshots"


def load_history(path: str | Path | None = None) -> History:
    """Load a history: the bundled snapshots, or those of the folder ``path``.

    >>> h = load_history()  # doctest: +SKIP
    >>> h.dates[0] < h.dates[-1]  # doctest: +SKIP
    True
    """
    return read_history(bundled_path() if path is None else path)
