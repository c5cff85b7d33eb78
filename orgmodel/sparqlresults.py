"""Reading SPARQL query results in every form the Wikidata Query Service downloads them.

The query service's *Download* menu offers the result as "JSON file (verbose)" (the SPARQL 1.1
JSON results format: typed terms), "JSON file" (a list of rows, each value as plain text),
"CSV file" (plain text), "TSV file (verbose)" (SPARQL TSV: ``<uri>``, ``"text"@lang``,
``"text"^^<type>``, ``_:blank``) and "TSV file" (plain text). :func:`read_results` reads any of
them as the verbose JSON, so the reader of a result never has to know which was downloaded:
a plain value is a ``uri`` when it is a web address, a ``bnode`` when it is one of the query
service's blank-node names (``t123``: Wikidata's "unknown value"), else a ``literal``.

Examples
--------
>>> text = '[{"item": "http://www.wikidata.org/entity/Q1", "itemLabel": "A"}]'
>>> rows = read_results(text, ".json")
>>> rows["head"]["vars"], rows["results"]["bindings"][0]["item"]["type"]
(['item', 'itemLabel'], 'uri')
>>> read_results('?item\\n<http://www.wikidata.org/entity/Q1>\\n', ".tsv")["results"]["bindings"]
[{'item': {'type': 'uri', 'value': 'http://www.wikidata.org/entity/Q1'}}]
"""

from __future__ import annotations

import csv
import json
import re
from typing import Any, Final

__all__ = ["ResultFormatError", "from_rows", "read_results", "term"]

_BLANK: Final = re.compile(r"^t\d+$")
_TSV_TERM: Final = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[\w-]+)|\^\^<[^>]*>)?$')


class ResultFormatError(ValueError):
    """The text is in none of the forms; the message says what it is instead."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def term(value: str) -> dict[str, str]:
    """A plain value (from "JSON file", CSV or simple TSV) as a typed SPARQL JSON term."""
    if value.startswith(("http://", "https://")):
        return {"type": "uri", "value": value}
    if _BLANK.match(value):
        return {"type": "bnode", "value": value}
    return {"type": "literal", "value": value}


def _tsv_term(cell: str) -> dict[str, str] | None:
    """A SPARQL TSV cell as a typed term; a cell in no RDF syntax as a plain value."""
    if not cell:
        return None
    if cell.startswith("<") and cell.endswith(">"):
        return {"type": "uri", "value": cell[1:-1]}
    if cell.startswith("_:"):
        return {"type": "bnode", "value": cell[2:]}
    match = _TSV_TERM.match(cell)
    if match is None:
        return term(cell)
    text = json.loads(f'"{match.group("text")}"')
    found = {"type": "literal", "value": text}
    if match.group("lang"):
        found["xml:lang"] = match.group("lang")
    return found


def from_rows(rows: list[Any], names: list[str]) -> dict[str, Any]:
    """Rows of plain values (the query service's "JSON file") as SPARQL JSON results."""
    bindings = [
        {k: term(str(v)) for k, v in row.items() if v not in (None, "")}
        for row in rows
        if isinstance(row, dict)
    ]
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def _plain(cell: str) -> dict[str, str] | None:
    return term(cell) if cell else None


def _table_rows(lines: list[list[str]]) -> dict[str, Any]:
    """CSV or TSV lines, the header first, as SPARQL JSON results. SPARQL TSV names its
    variables with their ``?`` and writes each value as an RDF term."""
    header = lines[0] if lines else []
    names = [name.removeprefix("?") for name in header]
    read = _tsv_term if header[:1] != names[:1] else _plain
    bindings = [
        {name: found for name, cell in zip(names, line, strict=False) if (found := read(cell))}
        for line in lines[1:]
        if any(line)
    ]
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def read_results(text: str, suffix: str) -> Any:
    """A downloaded result (its text, and its file's suffix) as SPARQL 1.1 JSON results; JSON
    that is not a list of rows is given back as parsed, for the reader to judge."""
    suffix = suffix.lower()
    if suffix in (".csv", ".tsv", ".tab", ".txt"):
        lines = (
            list(csv.reader(text.splitlines()))
            if suffix == ".csv"
            else [line.split("\t") for line in text.splitlines()]  # the service drops tabs
        )
        return _table_rows(lines)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFormatError(exc.msg, exc.lineno) from None
    if isinstance(data, list):
        names = list(dict.fromkeys(k for row in data if isinstance(row, dict) for k in row))
        return from_rows(data, names)
    return data
