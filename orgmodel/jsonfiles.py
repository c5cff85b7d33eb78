"""Reading snapshot files written as JSON: the YAML format's schema, in the format programs write.

A JSON snapshot file (``2023-01-01.json``) holds exactly what a YAML one does, and is checked the
same way (except that a key given twice in one object keeps its last value, as JSON parsers
do). It is read in one step by pydantic's own JSON parser, which builds the validated models
without making Python dicts first, several times faster than parsing YAML; only a file with a
problem is parsed again, with the standard library, to say where the problem is.

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
from typing import Any

import pydantic_core
from pydantic import ValidationError

from orgmodel.errors import DataError, Problem
from orgmodel.model import SnapshotFile, quick_validator

__all__ = ["JSON_SUFFIX", "parse_json", "quick_parse", "validated_snapshot"]

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
