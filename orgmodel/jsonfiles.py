"""Reading snapshot files written as JSON: the YAML format's schema, in the format programs write.

A JSON snapshot file (``2023-01-01.json``) holds exactly what a YAML one does, and is checked the
same way (except that a key given twice in one object keeps its last value, as JSON parsers
do). A big file of plain units is decoded by msgspec straight into typed records
(:func:`decode_typed`), whose types it checks as it parses, for the bulk check of
:mod:`orgmodel.records`. Any other file is read in one step by pydantic's own JSON parser,
which builds the validated models without making Python dicts first, several times faster than
parsing YAML; only a file with a problem is parsed again, with the standard library, to say
where the problem is.

Examples
--------
>>> validated_snapshot(b'{"date": "2024-01-01", "title": "T", "units": '
...                    b'[{"id": "g", "name": "G", "kind": "holding"}]}').units[0].id
'g'
>>> validated_snapshot(b'{"date": "2024-01-01"}') is None
True
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import pydantic_core
from pydantic import ValidationError

from orgmodel.errors import DataError, Problem
from orgmodel.model import Confidence, Plan, SnapshotFile, Status, quick_validator
from orgmodel.records import ID_LIMIT, PLAIN_FIELDS, REQUIRED_FIELDS, RICH_FIELDS

__all__ = [
    "JSON_SUFFIX",
    "TypedFile",
    "decode_typed",
    "parse_json",
    "quick_parse",
    "validated_snapshot",
]

JSON_SUFFIX = ".json"


@functools.cache
def _fast_loads() -> Callable[[bytes], Any]:
    try:
        import orjson
    except ImportError:
        # pydantic's own parser (jiter): keys kept once each, as most are repeated.
        return functools.partial(pydantic_core.from_json, cache_strings="keys")
    return orjson.loads


def quick_parse(text: bytes) -> Any:
    """The values of a JSON file, parsed by the fastest parser at hand (orjson when installed,
    else pydantic-core's); None when it refuses the text, which :func:`parse_json` explains.

    Both keep the last value of a key given twice, as the standard library does; neither
    takes a text the standard library refuses, nor reads one it takes otherwise (some it takes,
    such as a byte-order mark or a lone surrogate, they refuse).
    """
    try:
        return _fast_loads()(text)
    except ValueError:
        return None


class TypedFile(NamedTuple):
    """A snapshot file decoded into typed unit records (see :func:`decode_typed`)."""

    #: The keys of the file other than its units, as given (dates and texts still unchecked).
    head: dict[str, Any]
    #: One record per unit, an attribute per field of :data:`orgmodel.records.PLAIN_FIELDS`.
    units: list[Any]
    #: The value of a field a record does not give.
    unset: object
    #: The only source keys the records may cite, if the decoder was told them and checked.
    sources: frozenset[str] | None = None
    #: Whether the records also have the fields of :data:`orgmodel.records.RICH_FIELDS`
    #: (their values as JSON gives them): some unit gives leaders, lineage or
    #: field_confidence.
    rich: bool = False


#: The fields left to validation as they are written in a file (a key written with escapes is
#: not found, and the file is read the full way).
_RICH_KEYS = tuple(f'"{name}"'.encode() for name in RICH_FIELDS)

#: The keys of a snapshot file besides its units, decoded as they are, for the model to check.
_HEAD_KEYS = ("date", "title", "summary", "sources", "removed")


#: The most words a field is typed as one of. Each word costs about 5 us to set up (once for a
#: folder) and each unit saves about 0.4 us: beyond this many, a folder of small files would
#: lose more than a big file gains.
_MOST_WORDS = 1000


def _one_of(words: frozenset[str] | None) -> Any:
    """Text, or one of ``words`` when there are any (and not too many): msgspec checks that in
    C, and gives each value as the very string object of its word, so a set of them costs no
    hashing."""
    if not words or len(words) > _MOST_WORDS:
        return str
    return Literal.__getitem__(tuple(sorted(words)))


@functools.lru_cache(maxsize=16)
def _typed_decoder(
    kinds: frozenset[str] | None = None,
    sources: frozenset[str] | None = None,
    rich: bool = False,
) -> tuple[Any, object, frozenset[str] | None]:
    """msgspec's decoder of a snapshot file whose units have only plain fields, each of the
    model's type (the kind one of ``kinds``, the sources among ``sources``, when given), and
    when ``rich`` the fields left to validation too, as JSON values; its value for a field not
    given (which tells a field left out from one given as null, as the fields a unit has set
    must); and the source keys it takes as the only ones, if any."""
    import msgspec

    unset = msgspec.UNSET
    left_out: Any = msgspec.UnsetType  # the types are values here, made when first asked for
    text = Annotated[str, msgspec.Meta(min_length=1)]  # lengths are checked in C, patterns not
    source_type = _one_of(sources)
    types: dict[str, Any] = {
        "id": Annotated[str, msgspec.Meta(max_length=ID_LIMIT)],
        "name": text,
        "name_zh": text | None | left_out,
        "note": text | None | left_out,
        "kind": _one_of(kinds),
        "status": Status | left_out,
        "plan": Plan | None | left_out,
        "confidence": Confidence | None | left_out,
        "sources": list[source_type] | left_out,  # type: ignore[valid-type]
    }
    fields = [(name, types.get(name, str)) for name in REQUIRED_FIELDS] + [
        (name, types.get(name, str | None | left_out), unset)
        for name in PLAIN_FIELDS
        if name not in REQUIRED_FIELDS
    ]
    fields += [(name, Any, unset) for name in RICH_FIELDS if rich]
    # Unknown keys refused; and no unit record is tracked by the collector (it holds no cycle).
    unit: Any = msgspec.defstruct("PlainUnit", fields, forbid_unknown_fields=True, gc=False)
    head = [(key, Any, unset) for key in _HEAD_KEYS]
    file = msgspec.defstruct(
        "PlainFile", [("units", list[unit]), *head], forbid_unknown_fields=True
    )
    return msgspec.json.Decoder(file), unset, None if source_type is str else sources


def decode_typed(
    text: bytes, kinds: frozenset[str] | None = None, sources: frozenset[str] | None = None
) -> TypedFile | None:
    """A snapshot file's units decoded by msgspec into typed records, their types checked while
    parsing; None when the text is not JSON, a key is not one a unit may have, or a value of
    a plain field is not of its type: a kind not in ``kinds`` or a source not in ``sources``
    too, when they are given (the folder's bibliography). Then :func:`quick_parse` and the
    full validation read it, and say what is wrong, if anything is. A file where some unit
    gives leaders, lineage or field_confidence is decoded again with those fields, as JSON
    values (``rich``), for validation unit by unit.

    >>> typed = decode_typed(b'{"date": "2024-01-01", "units": [{"id": "g", "name": "G", '
    ...                      b'"kind": "holding", "parent": null}]}')
    >>> typed.head, typed.units[0].parent, typed.units[0].status is typed.unset
    ({'date': '2024-01-01'}, None, True)
    >>> decode_typed(b'{"units": [{"id": "g", "name": "G", "kind": "k", "status": "x"}]}')
    """
    import msgspec

    for rich in (False, True):  # a file whose units give only plain fields decodes the first time
        decoder, unset, typed_sources = _typed_decoder(kinds, sources, rich)
        try:
            decoded = decoder.decode(text)
        except msgspec.ValidationError:
            if rich or not any(key in text for key in _RICH_KEYS):
                return None  # a wrong value, or a key no unit may have: not decoded again
            continue  # a key not among the plain fields (leaders, say)
        except msgspec.DecodeError:
            return None  # not JSON
        head = {key: value for key in _HEAD_KEYS if (value := getattr(decoded, key)) is not unset}
        return TypedFile(head, decoded.units, unset, typed_sources, rich)
    return None


def validated_snapshot(text: bytes) -> SnapshotFile | None:
    """The snapshot file ``text`` holds, validated; None when it is not valid (then
    :func:`parse_json` and the usual checks say why, and where)."""
    try:
        snapshot: SnapshotFile = quick_validator(SnapshotFile).validate_json(text)
        return snapshot
    except (ValidationError, ValueError):
        return None


def parse_json(path: Path, text: bytes) -> Any:
    """Parse a JSON file into Python values; raise :class:`DataError` at the line that is wrong."""
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(path, None, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None
    try:
        return json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise DataError(
            [
                Problem(
                    path,
                    exc.lineno,
                    f"not valid JSON: {exc.msg} (column {exc.colno}); fix the syntax there",
                )
            ]
        ) from None
