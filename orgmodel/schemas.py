"""JSON Schemas of what orgmodel reads and writes, for editors and for other programs.

``snapshot``
    A snapshot file (YAML or JSON), for editors that check a file as it is written.
``sources``
    A folder's ``sources.yaml``. A source's ``date`` may be written ``2023`` (YAML reads it as a
    number), ``2023-05`` or ``2023-05-18`` (YAML may read it as a date), as orgmodel accepts.
``events``
    The document ``orgmodel diff --format json`` (and ``log``, ``lineage``) prints:
    ``{"a", "b", "events"}``, each event tagged by its ``kind``.

Each schema is JSON Schema draft 2020-12 with ``$schema`` and ``$id``, and keeps to the standard
vocabulary (no OpenAPI ``discriminator``), so strict validators such as ajv accept it.

>>> s = schema("events")
>>> s["$schema"], s["required"]
('https://json-schema.org/draft/2020-12/schema', ['a', 'b', 'events'])
"""

from __future__ import annotations

import copy
from typing import Any, Final, Literal

from orgmodel.errors import OutputError

__all__ = ["DIALECT", "SCHEMAS", "SchemaName", "schema", "schema_id"]

SchemaName = Literal["snapshot", "sources", "events"]
SCHEMAS: Final[tuple[SchemaName, ...]] = ("snapshot", "sources", "events")
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_TITLES: Final[dict[str, str]] = {
    "snapshot": "orgmodel snapshot file",
    "sources": "orgmodel sources.yaml",
    "events": "orgmodel events document",
}


def schema_id(name: str) -> str:
    """The ``$id`` of a schema: a URN, since the schemas are printed, not served."""
    return f"urn:orgmodel:schema:{name}"


def _strip_discriminators(node: Any) -> Any:
    """The schema without OpenAPI's ``discriminator`` keyword, which is no JSON Schema: each
    event's ``kind`` is a ``const``, so ``oneOf`` already picks one class."""
    if isinstance(node, dict):
        return {k: _strip_discriminators(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_strip_discriminators(v) for v in node]
    return node


def _partial_dates(node: Any) -> None:
    """Let a source's date be a year as a number, as YAML reads ``date: 2023``."""
    source = node.get("$defs", {}).get("Source", {}).get("properties", {})
    date = source.get("date")
    if date is not None:
        text = {k: v for k, v in date.items() if k not in ("title", "description")}
        source["date"] = {
            "anyOf": [text, {"type": "integer", "minimum": 1000, "maximum": 9999}],
            "title": date.get("title", "Date"),
            "description": date.get("description", ""),
        }


def _events_document() -> dict[str, Any]:
    from orgmodel.events import events_json_schema

    events = _strip_discriminators(events_json_schema())
    defs = events.pop("$defs", {})
    date = {"type": ["string", "null"], "format": "date"}
    return {
        "type": "object",
        "properties": {
            "a": {**date, "description": "The date of the earlier snapshot used."},
            "b": {**date, "description": "The date of the later snapshot used."},
            "unit": {"type": "string", "description": "With lineage: the unit followed."},
            "present_in": {
                "type": "array",
                "items": {"type": "string", "format": "date"},
                "description": "With lineage: the dates of the snapshots that hold the unit.",
            },
            "events": {**events, "description": "The events, in time order."},
        },
        "required": ["a", "b", "events"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (one of :data:`SCHEMAS`), as a new dict."""
    if name == "events":
        body = _events_document()
    elif name in ("snapshot", "sources"):
        from orgmodel.model import Bibliography, SnapshotFile

        model = SnapshotFile if name == "snapshot" else Bibliography
        body = copy.deepcopy(model.model_json_schema())
        _partial_dates(body)
    else:
        raise OutputError(f"unknown schema '{name}'; use one of {', '.join(SCHEMAS)}")
    return {"$schema": DIALECT, "$id": schema_id(name), **body, "title": _TITLES[name]}
