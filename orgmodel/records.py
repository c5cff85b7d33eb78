"""Unit records checked in bulk, and the units built from them when first read.

Validating a big snapshot unit by unit costs several times what parsing its file does, most of
it in building a pydantic object for every unit. Most big files are plain: every record has
only the usual fields, of the usual types, with nothing odd in them. :func:`check_rows` (records
parsed from JSON as dicts), :func:`check_typed` (records a typed decoder has checked the types
of) and :func:`check_columns` (the columns of a table) decide that in a few passes that run in
C -- one per field: a type check, a set of its values, a search of its text joined into one
string -- and say None at the first thing that is not plainly valid or that they do not cover
(leaders, lineage, field_confidence, a text with odd characters, units not written parents
first). All three hand their columns to the same checks. Then the caller validates the records
the full way, whose messages say what is wrong.

What they accept, the model accepts, and the :class:`Unit` each record becomes is equal to the
one validation builds (defaults filled, the same fields marked as set). It is built when first
read (see :class:`LazyUnits`), so a history of 100,000 units that is only drawn or diffed in
part never pays for the rest.

Examples
--------
>>> records = check_rows([{"id": "g", "name": "Group", "kind": "holding"},
...                       {"id": "a", "name": "A", "kind": "company", "parent": "g"}])
>>> units = LazyUnits(records)
>>> list(units), units["a"] == Unit(id="a", name="A", kind="company", parent="g")
(['g', 'a'], True)
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import Any, NamedTuple

from pydantic import ValidationError

from orgmodel.model import (
    CONFIDENCES,
    ID_PATTERN,
    KIND_PATTERN,
    PLANS,
    SOURCE_KEY_PATTERN,
    STATUSES,
    UNSAFE_IN_PROSE,
    UNSAFE_IN_TEXT,
    Unit,
    quick_validator,
)

__all__ = [
    "ID_LIMIT",
    "PLAIN_FIELDS",
    "REQUIRED_FIELDS",
    "RICH_FIELDS",
    "LazyUnits",
    "UnitRecords",
    "check_columns",
    "check_rows",
    "check_typed",
    "parents_first_tree",
]

_repeat = itertools.repeat
#: The longest id, kind and source key the model takes.
ID_LIMIT, _KIND_LIMIT, _SOURCE_LIMIT = 120, 60, 200


def _whole(pattern: str) -> re.Pattern[str]:
    # Python's "$" also matches before a final line break, pydantic-core's does not: the
    # patterns are used without their anchors, with fullmatch.
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


_KIND = _whole(KIND_PATTERN)
_SOURCE_KEY = _whole(SOURCE_KEY_PATTERN)
_ID = _whole(ID_PATTERN)
_ASCII = tuple(map(chr, range(128)))
#: The characters an id may hold after its first, and the space ids are joined by: deleted
#: from the joined ids, they leave nothing when no id holds another.
_ID_BYTES = "".join(c for c in _ASCII if _ID.fullmatch("a" + c)).encode() + b" "
#: What no id starts with (a space and a character it may hold only later), and an empty id.
_NOT_ID_START = (*(" " + c for c in _ID_BYTES.decode() if not _ID.fullmatch(c)), "  ")

#: The fields a record may have for the bulk check to take it; any other (leaders, lineage,
#: field_confidence, or a key the format does not know) sends the records the full way.
_TEXT_FIELDS = ("name_zh",)
_PROSE_FIELDS = ("note",)
_CHOICES: dict[str, frozenset[object]] = {
    "status": frozenset(STATUSES),
    "plan": frozenset((*PLANS, None)),
    "confidence": frozenset((*CONFIDENCES, None)),
}
_OPTIONAL = ("parent", "sources", *_CHOICES, *_TEXT_FIELDS, *_PROSE_FIELDS)
REQUIRED_FIELDS = _REQUIRED = ("id", "name", "kind")
#: Every field a record may have for the bulk check to take it, the required ones first.
PLAIN_FIELDS = (*_REQUIRED, *_OPTIONAL)
_FIELDS = frozenset(PLAIN_FIELDS)
#: The fields a typed record may also give, whose units are then validated one by one.
RICH_FIELDS = ("leaders", "lineage", "field_confidence")


class _Absent:
    """The value of a field a record does not give."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"

    def __bool__(self) -> bool:
        return False  # like the empty values, passed over by filter(None, ...)


ABSENT: Any = _Absent()


def _defaults() -> dict[str, Any]:
    """Every field of a unit in the model's order, with its default (required ones: None)."""
    values: dict[str, Any] = {}
    for name, info in Unit.model_fields.items():
        values[name] = None if info.is_required() else info.get_default()
    return values


_DEFAULTS = _defaults()


def _build(given: dict[str, Any]) -> Unit:
    """The unit a checked record stands for: what validating it builds, without validating.

    The fields given are those the record had; the rest take their defaults (a fresh dict for
    field_confidence, as its default factory gives), and lists become the tuples of the model.
    """
    values = _DEFAULTS.copy()
    values.update(given)
    values["field_confidence"] = {}
    sources = values["sources"]
    if type(sources) is not tuple:
        values["sources"] = tuple(sources)
    unit = Unit.__new__(Unit)
    object.__setattr__(unit, "__dict__", values)
    object.__setattr__(unit, "__pydantic_fields_set__", set(given))
    object.__setattr__(unit, "__pydantic_extra__", None)
    object.__setattr__(unit, "__pydantic_private__", None)
    return unit


class UnitRecords:
    """The checked records of one snapshot's units, in written order: their ids, their
    parents, the source keys and kinds they use (for the checks across files), and the unit
    each one stands for, built on request.

    ``cited`` is the set of source keys cited, or what gathers it when first asked for (when a
    decoder has checked the keys against ``among``, a set known to hold every one of them).
    """

    __slots__ = (
        "_cited", "_positions", "_record", "among", "ids", "kinds", "parents", "raw", "validated"
    )  # fmt: skip

    def __init__(
        self,
        ids: list[str],
        parents: list[str | None],
        record: Callable[[int], dict[str, Any]],
        cited: frozenset[str] | Callable[[], frozenset[str]],
        kinds: frozenset[str],
        raw: list[Any] | None = None,
        among: frozenset[str] | None = None,
        validated: Mapping[int, Unit] | None = None,
    ) -> None:
        self.ids = ids
        self.parents = parents
        self._positions: dict[str, int] | None = None
        self._cited = cited
        self.among = among
        self.kinds = kinds
        self._record = record
        #: The records as given, one object per unit that is equal to another exactly when
        #: the two give the same fields with the same values (dicts, typed records); None
        #: when the records are not such objects (the rows of a table).
        self.raw = raw
        #: The units of the records that give leaders, lineage or field_confidence, by place:
        #: validated one by one (the checks across files look at them too).
        self.validated: Mapping[int, Unit] = validated or {}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def cited(self) -> frozenset[str]:
        """The source keys the records cite."""
        if callable(self._cited):
            self._cited = self._cited()
        return self._cited

    def may_cite(self) -> frozenset[str]:
        """A set holding every source key the records cite, without gathering them when it is
        known from decoding."""
        return self.cited if self.among is None else self.among

    @property
    def positions(self) -> dict[str, int]:
        """Each unit's place, by id: made when first asked for (reading a file needs none),
        and kept."""
        if self._positions is None:
            self._positions = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._positions

    def given(self, index: int) -> dict[str, Any]:
        """The fields the record at ``index`` gives, as a dict (it may be the record itself:
        do not change it)."""
        return self._record(index)

    def unit(self, index: int) -> Unit:
        """The unit of the record at ``index``: a new object each time, but for a unit
        validated on its own, which is that one."""
        unit = self.validated.get(index)
        return _build(self._record(index)) if unit is None else unit


class LazyUnits(Mapping[str, Unit]):
    """A read-only mapping of unit ids to units, in written order, whose units are built from
    their checked records when first read, and kept.

    A unit whose record is equal to one of an earlier snapshot's (see :func:`share_records`)
    is that snapshot's unit, the very same object, built there when first read here.
    """

    __slots__ = ("_built", "_owners", "_places", "records")

    def __init__(self, records: UnitRecords) -> None:
        self.records = records
        self._built: list[Unit | None] = [None] * len(records)
        # Where the units not built from these records come from: _owners[i] (None for a
        # unit of its own) at the place _places[i]. An owner's unit there is its own.
        self._owners: list[LazyUnits | None] | None = None
        self._places: list[int] = []

    def _at(self, index: int) -> Unit:
        unit = self._built[index]
        if unit is None:
            owner = None if self._owners is None else self._owners[index]
            unit = self.records.unit(index) if owner is None else owner._at(self._places[index])
            self._built[index] = unit
        return unit

    def _sources(
        self, places: list[int], same: list[bool]
    ) -> tuple[list[LazyUnits | None], list[int]]:
        """For the places of some of these units (where ``same`` is true), the mapping whose
        own unit each is, and its place there: the owners and places of a mapping sharing
        them. Elsewhere the owner is None."""
        owners, at = self._owners, self._places
        if owners is None:
            return [self if s else None for s in same], places
        return (
            [(owners[p] if owners[p] is not None else self) if s else None
             for p, s in zip(places, same, strict=True)],
            [at[p] if owners[p] is not None else p for p in places],
        )  # fmt: skip

    def __getitem__(self, unit_id: str) -> Unit:
        return self._at(self.records.positions[unit_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self.records.ids)

    def __len__(self) -> int:
        return len(self.records.ids)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.records.positions

    def values(self) -> ValuesView[Unit]:
        return _Values(self)

    def __repr__(self) -> str:
        return f"LazyUnits({len(self)} units)"


class _Values(ValuesView[Unit]):
    """The units of a :class:`LazyUnits`, in order, each built once."""

    _mapping: LazyUnits

    def __iter__(self) -> Iterator[Unit]:
        return map(self._mapping._at, range(len(self._mapping)))


def parents_first_tree(ids: Sequence[str], parents: Sequence[str | None]) -> bool:
    """Whether the units are one tree written parents first: distinct ids, one root (the
    first unit), and each parent listed before its children. Such a list has none of the
    structure problems looked for (a parent met before its child cannot be below it), and
    telling takes a few passes that run in C, with no map of every id to its place."""
    size = len(ids)
    if not size or parents[0] is not None or parents.count(None) != 1 or len(set(ids)) != size:
        return False
    # Each parent comes before all its children if it comes before the first.
    first: dict[Any, int] = dict(zip(reversed(parents), range(size - 1, -1, -1), strict=True))
    del first[None]
    # Written depth first, each parent comes just before its first child: one look each.
    if list(map(ids.__getitem__, map(operator.sub, first.values(), _repeat(1)))) == list(first):
        return True
    # Else the few distinct parents are found among the ids, in one pass.
    is_parent = list(map(first.__contains__, ids))
    places = itertools.compress(range(size), is_parent)
    place = dict(zip(itertools.compress(ids, is_parent), places, strict=True))
    if len(place) != len(first):  # a parent that is not one of the ids
        return False
    return all(map(operator.lt, map(place.__getitem__, first), first.values()))


def _types(values: Sequence[Any], allowed: tuple[type, ...]) -> bool:
    return set(map(type, values)).issubset(allowed)


def _plain_ids(ids: list[Any], lengths_checked: bool = False) -> bool:
    """Whether every id is text matching the id pattern, checked on all ids at once (their
    lengths too, unless ``lengths_checked``)."""
    if not ids:
        return False
    try:
        joined = " " + " ".join(ids)  # and a value that is not text fails here
    except TypeError:
        return False
    if not joined.isascii() or joined.encode("ascii").translate(None, _ID_BYTES):
        return False
    if not lengths_checked and max(map(len, ids)) > ID_LIMIT:
        return False
    # Each id follows a space, and holds none: none starts with a character it may hold only
    # later ('.', '_', '-'), and none is empty (two spaces, or a space at the end).
    if joined.count(" ") != len(ids) or joined.endswith(" "):
        return False
    return not any(map(joined.__contains__, _NOT_ID_START))


class _TextRule(NamedTuple):
    """What a text field may hold: the characters it refuses, and, among those of ASCII, the
    ones it takes and the white space among them (which must not start or end a value)."""

    unsafe: re.Pattern[str]
    ascii_kept: bytes
    ascii_spaces: tuple[str, ...]


def _text_rule(unsafe: re.Pattern[str]) -> _TextRule:
    kept = [c for c in _ASCII if not unsafe.match(c)]
    return _TextRule(unsafe, "".join(kept).encode(), tuple(c for c in kept if c.isspace()))


_TEXT, _PROSE = _text_rule(UNSAFE_IN_TEXT), _text_rule(UNSAFE_IN_PROSE)


def _plain_text(values: Sequence[Any], rule: _TextRule) -> bool:
    """Whether every value is non-empty text with nothing to strip and no character the model
    refuses: so validation keeps each value as it is."""
    if not values:
        return True
    try:
        # NUL, which no text holds, marks where each value starts and ends; and a value that
        # is not text fails here.
        joined = "\0" + "\0".join(values) + "\0"
    except TypeError:
        return False
    if "\0\0" in joined:  # an empty value
        return False
    if joined.isascii():
        # Deleting what a value may hold leaves only the NULs, if no value holds anything else.
        if len(joined.encode("ascii").translate(None, rule.ascii_kept)) != len(values) + 1:
            return False
        return not any(
            f"\0{space}" in joined or f"{space}\0" in joined for space in rule.ascii_spaces
        )
    # str.strip removes every character pydantic's stripping does, and more.
    if list(map(str.strip, values)) != values:
        return False
    return rule.unsafe.search(" ".join(values)) is None


def _plain_words(values: set[Any], pattern: re.Pattern[str], limit: int) -> bool:
    """Whether every one of a few distinct values is text of the pattern and length."""
    return all(type(v) is str and len(v) <= limit and pattern.fullmatch(v) for v in values)


def _distinct(values: Iterable[Any]) -> set[Any] | None:
    try:
        return set(values)
    except TypeError:  # an unhashable value, a list say
        return None


def _cited(column: Sequence[Any], absent: object, lists: bool = False) -> frozenset[str] | None:
    """The source keys a column of source lists cites, if each is a list of keys (or
    ``absent``, which stands for a field not given; the values are known to be one or the
    other when ``lists``)."""
    if not lists and not _types(column, (list, tuple, type(absent))):
        return None
    cited = _distinct(itertools.chain.from_iterable(filter(None, column)))
    if cited is None or not _plain_words(cited, _SOURCE_KEY, _SOURCE_LIMIT):
        return None
    return frozenset(cited)


def _plain_fields(fields: Mapping[str, Iterable[Any]], absent: object) -> bool:
    """Whether the choices (status, plan, confidence) are among their values and the optional
    texts plainly valid; ``absent`` stands for a field not given."""
    for name, allowed in _CHOICES.items():
        if name in fields:
            values = _distinct(fields[name])
            if values is None or not values.issubset(allowed | {absent}):
                return False
    for name, rule in (("name_zh", _TEXT), ("note", _PROSE)):
        column = fields.get(name, ())
        given = [v for v in column if v is not None and v is not absent]
        if given and not _plain_text(given, rule):
            return False
    return True


class _Cited(NamedTuple):
    """The source keys records cite, or what gathers them; and a set known to hold them all,
    if there is one."""

    keys: frozenset[str] | Callable[[], frozenset[str]]
    among: frozenset[str] | None


def _checked(
    ids: list[Any],
    parents: list[Any],
    fields: Mapping[str, Iterable[Any]],
    record: Callable[[int], dict[str, Any]],
    absent: object,
    raw: list[Any] | None = None,
    decoded: bool = False,
    cited: _Cited | None = None,
    validated: Mapping[int, Unit] | None = None,
) -> UnitRecords | None:
    """The records as checked columns, if every column is plainly valid; else None. ``absent``
    stands for a field the record does not give; a field without a column is not given by any
    record. The columns of names, sources and optional texts are lists; the others (kinds and
    choices) may be iterators, read once. When ``decoded``, a typed decoder has checked the
    ids' lengths and that each record's sources are a list; ``cited``, that the keys are the
    bibliography's own (then the column of sources is not read); ``validated``, the units of
    the records that give more than the plain fields, validated one by one."""
    if not _plain_ids(ids, decoded):  # lengths checked by the decoder
        return None
    try:
        tree = parents_first_tree(ids, parents)  # parents exist, so they are ids too
    except TypeError:  # a parent that cannot be a key
        return None
    if not tree or not _plain_text(list(fields["name"]), _TEXT):
        return None
    kinds = _distinct(fields["kind"])
    if kinds is None or not _plain_words(kinds, _KIND, _KIND_LIMIT):
        return None
    if cited is None:
        keys = _cited(list(fields.get("sources", ())), absent, lists=decoded)
        if keys is None:
            return None
        cited = _Cited(keys, None)
    if not _plain_fields(fields, absent):
        return None
    kinds_used = frozenset(kinds)
    return UnitRecords(ids, parents, record, cited.keys, kinds_used, raw, cited.among, validated)


def check_rows(rows: Any) -> UnitRecords | None:
    """Unit records parsed from JSON (a list of dicts), if they are plainly valid; else None.

    Only what validating ``{"units": rows}`` accepts is taken, and each record's unit is what
    that builds; None says only that the records must be validated the full way.
    """
    if type(rows) is not list or not rows:
        return None
    try:
        # A record that is not a dict fails one of these (a list or text has no key "id").
        present = set(itertools.chain.from_iterable(rows))
        if not present.issuperset(_REQUIRED) or not present.issubset(_FIELDS):
            return None
        ids, names = list(map(_GET_ID, rows)), list(map(_GET_NAME, rows))
    except (KeyError, TypeError):
        return None
    fields: dict[str, Iterable[Any]] = {"name": names, "kind": map(dict.get, rows, _KIND_KEY)}
    for name in present.difference(_REQUIRED, ("parent",)):
        default = () if name == "sources" else ABSENT
        fields[name] = map(dict.get, rows, _repeat(name), _repeat(default))
    parents = list(map(dict.get, rows, _repeat("parent")))
    return _checked(ids, parents, fields, rows.__getitem__, ABSENT, rows)


_GET_ID, _GET_NAME = operator.itemgetter("id"), operator.itemgetter("name")
_KIND_KEY = _repeat("kind")


def check_columns(columns: Mapping[str, list[Any]]) -> UnitRecords | None:
    """Unit fields given as columns (``columns["name"][i]`` is the name of unit i; None or a
    missing column for a field not given), if they are plainly valid; else None.

    A unit's fields are those of its row that are not None, as a record built from the row with
    the empty cells left out would have.
    """
    if not set(columns).issubset((*_REQUIRED, *_OPTIONAL)) or not set(_REQUIRED) <= set(columns):
        return None
    ids = columns["id"]
    parents = columns.get("parent") or [None] * len(ids)
    fields = {name: column for name, column in columns.items() if name not in ("id", "parent")}
    names = list(columns)
    cells = list(columns.values())

    def record(index: int) -> dict[str, Any]:
        values = map(operator.itemgetter(index), cells)
        return {k: v for k, v in zip(names, values, strict=True) if v is not None}

    return _checked(ids, parents, fields, record, None)


_TYPED_COLUMNS = {name: operator.attrgetter(name) for name in PLAIN_FIELDS}
#: The fields check_typed reads of every record, in the order it takes them (the sources
#: only when it must check their keys).
_READ_TYPED = tuple(_TYPED_COLUMNS[name] for name in ("id", "parent", "name", "kind", "sources"))
#: How many records are read at a time: few enough that they stay in the processor's cache
#: while each of their fields is read.
_CHUNK = 2048


def _columns(records: list[Any], getters: Sequence[Callable[[Any], Any]]) -> list[list[Any]]:
    """The values each getter gives of the records, one list per getter, read a chunk of
    records at a time (reading one field of 100,000 records after another costs a third more)."""
    columns: list[list[Any]] = [[] for _ in getters]
    for start in range(0, len(records), _CHUNK):
        part = records[start : start + _CHUNK]
        for values, get in zip(columns, getters, strict=True):
            values += map(get, part)
    return columns


def check_typed(
    units: Any, unset: object, sources: frozenset[str] | None = None, rich: bool = False
) -> UnitRecords | None:
    """Unit records a typed decoder has made (msgspec's, see :mod:`orgmodel.jsonfiles`), if
    they are plainly valid; else None.

    Each record has one attribute per field of :data:`PLAIN_FIELDS`, which the decoder has
    checked to be of the model's type (text, name_zh and note not empty; text or null; one of
    the model's choices; a list of texts), and ``unset`` for a field the record does not give.
    So the choices need no check; the rest (ids, the tree, text, kinds, source keys) is
    checked as for :func:`check_rows`, and each record's unit is the one validating it builds.
    ``sources``, if given, are the only source keys the decoder took: the keys cited are then
    gathered only when asked for. When ``rich``, the records also have the attributes of
    :data:`RICH_FIELDS`, as decoded from JSON; the unit of each record that gives one is
    validated on its own (the rest of the records still in bulk).
    """
    if type(units) is not list or not units:
        return None
    column = _TYPED_COLUMNS
    ids, parents, names, kinds, *rest = _columns(units, _READ_TYPED[: 4 if sources else 5])
    if parents[0] is unset:  # the root (first, or the tree check fails) without a parent given:
        parents[0] = None  # as if given as null
    fields: dict[str, Iterable[Any]] = {"name": names, "kind": kinds}
    if rest:
        fields["sources"] = rest[0]
    for name in (*_TEXT_FIELDS, *_PROSE_FIELDS):
        if any(map(column[name], units)):  # some record gives it as text (none gives "")
            fields[name] = list(map(column[name], units))

    getters = (column | _RICH_COLUMNS).items() if rich else column.items()

    def record(index: int) -> dict[str, Any]:
        typed = units[index]
        return {name: value for name, get in getters if (value := get(typed)) is not unset}

    validated = _validated_one_by_one(units, unset, record) if rich else {}
    if validated is None:
        return None
    cited = None if not sources else _Cited(functools.partial(_gather_cited, units), sources)
    return _checked(
        ids, parents, fields, record, unset, units, decoded=True, cited=cited, validated=validated
    )


_RICH_COLUMNS = {name: operator.attrgetter(name) for name in RICH_FIELDS}


def _validated_one_by_one(
    units: list[Any], unset: object, record: Callable[[int], dict[str, Any]]
) -> dict[int, Unit] | None:
    """The unit of each typed record that gives leaders, lineage or field_confidence,
    validated from the JSON of what it gives, as the full reading validates it; None if one
    fails."""
    places: set[int] = set()
    for get in _RICH_COLUMNS.values():
        given = map(operator.is_not, map(get, units), _repeat(unset))
        places.update(itertools.compress(range(len(units)), given))
    order = sorted(places)
    try:
        built = quick_validator(list[Unit]).validate_json(json.dumps(list(map(record, order))))
    except ValidationError:
        return None
    return dict(zip(order, built, strict=True))


def _gather_cited(units: list[Any]) -> frozenset[str]:
    """The source keys typed records cite."""
    return frozenset(itertools.chain.from_iterable(filter(None, map(_SOURCES_OF, units))))


_SOURCES_OF = operator.attrgetter("sources")


#: The units of b that are new or whose values are not a's, as (place in b, id, a's unit or
#: None, b's unit), in b's order (what :class:`orgmodel.snapshot.Step` records).
Touched = list[tuple[int, str, Unit | None, Unit]]


class SharedUnits(NamedTuple):
    """The units of a snapshot sharing the unchanged ones of the snapshot before, and what a
    walk from one to the other finds (see :func:`orgmodel.snapshot.walk`)."""

    units: LazyUnits
    touched: Touched
    gone: list[str]
    in_order: bool


class _NoRecord:
    """Stands for the record of a unit that was not there: equal to no record, and each of
    its fields to no field."""

    def __getattr__(self, name: str) -> object:
        return self


_NO_RECORD = _NoRecord()
_PLAIN_VALUES = operator.attrgetter(*PLAIN_FIELDS)


def _same_records(a: UnitRecords, b: UnitRecords, places: list[int]) -> list[bool]:
    """Whether each record of ``b`` equals the record of ``a`` at its place (-1: none),
    compared in C."""
    assert a.raw is not None and b.raw is not None
    earlier = [*a.raw, _NO_RECORD]
    previous = map(earlier.__getitem__, places)
    first, other = a.raw[0], b.raw[0]
    if type(first) is type(other) or not all(
        hasattr(type(r), "__struct_fields__") for r in (first, other)
    ):
        return list(map(operator.eq, previous, b.raw))
    # Typed records decoded with and without the fields left to validation (one file has a
    # unit with leaders, say): their plain fields are compared, and a unit validated on its
    # own, on either side, as a unit.
    same = list(map(operator.eq, map(_PLAIN_VALUES, previous), map(_PLAIN_VALUES, b.raw)))
    for index in b.validated:
        same[index] = False
    for index in itertools.compress(range(len(places)), map(a.validated.__contains__, places)):
        same[index] = False
    return same


def share_records(before: LazyUnits, after: LazyUnits) -> SharedUnits | None:
    """The units of ``after`` with each one whose record equals ``before``'s taken from
    ``before`` (built there when first read), compared record by record: so no unit is built
    but those whose records differ. None when the records are not objects to compare."""
    a, b = before.records, after.records
    if a.raw is None or b.raw is None:
        return None
    places = list(map(a.positions.get, b.ids, _repeat(-1)))  # -1: not a unit of before
    same = _same_records(a, b, places)
    shared = LazyUnits(b)
    touched: Touched = []
    for index in list(itertools.compress(range(len(b)), map(operator.not_, same))):
        place = places[index]
        old = None if place < 0 else before._at(place)
        new = b.unit(index)
        if old is not None and old.__dict__ == new.__dict__:
            same[index] = True  # equal values, though given otherwise: the unit is shared
        else:
            shared._built[index] = new
            touched.append((index, b.ids[index], old, new))
    shared._owners, shared._places = before._sources(places, same)
    kept = [place for place in places if place >= 0]
    in_order = all(map(operator.lt, kept, itertools.islice(kept, 1, None)))
    gone = list(itertools.filterfalse(b.positions.__contains__, a.ids))
    return SharedUnits(shared, touched, gone, in_order)
