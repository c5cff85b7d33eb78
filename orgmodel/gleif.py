"""Reading GLEIF: who consolidates whom, from Level 2 relationship records, as dated trees.

The Global LEI Foundation publishes, for each legal entity with an LEI, a Level 1 record (its
names and status, LEI-CDF) and Level 2 relationship records (RR-CDF 2.1): which entity
*consolidates* it directly (``IS_DIRECTLY_CONSOLIDATED_BY``) and ultimately
(``IS_ULTIMATELY_CONSOLIDATED_BY``), each with its periods (``RELATIONSHIP_PERIOD``,
``ACCOUNTING_PERIOD``, ``DOCUMENT_FILING_PERIOD``) and a status (``ACTIVE``, ``INACTIVE``).
:func:`read_gleif` reads both kinds of record, in XML (the CDF files), in the Golden Copy's
JSON (values under ``"$"``) and CSV, or as the GLEIF API's JSON, and makes one dated tree per
group: a snapshot at each date a relationship period starts or ends, each entity under its
direct parent, the group's root being its ultimate parent.

How this reads the records, where they are silent:

- A relationship's dates are those of its ``RELATIONSHIP_PERIOD``; without one, it holds from
  the first date. An ``INACTIVE`` relationship without an end date cannot be dated: it is left
  out, with a note. Records whose registration is ``ANNULLED`` or ``DUPLICATE`` are ignored.
- An entity with an ultimate parent but no direct one in force sits under the ultimate parent,
  its place marked ``unconfirmed``.
- An entity that leaves a group is ``dissolved`` when its Level 1 record says it expired as
  dissolved by then, ``absorbed`` into its successor entity when that is in the group;
  otherwise its removal names no way of going, with a note that GLEIF records only that the
  consolidation ended.
- The root's kind is ``group``; every other entity's is ``legal_entity`` and its status
  ``standalone``: each is a company of its own inside the group.
- Names: the legal name, unless it is written in Chinese, Japanese or Korean, when an English
  (or transliterated) other name is used and the Chinese legal name becomes ``name_zh``.

Examples
--------
>>> rr = [{"child": "5493001KJTIIGC8Y1R12", "parent": "529900T8BM49AURSDO55",
...        "type": "IS_DIRECTLY_CONSOLIDATED_BY", "status": "ACTIVE",
...        "start": "2019-01-01", "end": None}]
>>> [s.date.isoformat() for s in read_gleif(rr, {}, retrieved="2024-01-01")[0].snapshots]
['2019-01-01']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, NamedTuple

from orgmodel.errors import DataError, Problem
from orgmodel.linktrees import Link, Period, dated_snapshots, link_dates
from orgmodel.model import Bibliography, Removal, SnapshotFile, Source, Unit

__all__ = ["GleifGroup", "read_gleif", "read_gleif_files"]

DIRECT = "IS_DIRECTLY_CONSOLIDATED_BY"
ULTIMATE = "IS_ULTIMATELY_CONSOLIDATED_BY"
_IGNORED_REGISTRATIONS = frozenset({"ANNULLED", "DUPLICATE"})
_CJK = ("zh", "ja", "ko")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_UNIX_MS = re.compile(r"^\s*\d{12,13}\s*$")


@dataclass(frozen=True)
class GleifGroup:
    """One group's snapshots, its bibliography, the LEI of its root, and notes for the reader."""

    root: str
    snapshots: list[SnapshotFile]
    bibliography: Bibliography
    notes: list[str] = field(default_factory=list)


class _Entity(NamedTuple):
    """What a Level 1 record says, as far as a tree needs it."""

    lei: str
    name: str | None
    name_zh: str | None
    expired: dt.date | None
    dissolved: bool
    successors: tuple[str, ...]


def _day(text: Any) -> dt.date | None:
    """A GLEIF date: ISO 8601 (``2018-01-01T00:00:00Z``), or Unix milliseconds as some older
    Golden Copy CSV files give them (``1514764800000``), read as a day in UTC."""
    if text and _UNIX_MS.match(str(text)):
        return dt.datetime.fromtimestamp(int(str(text).strip()) / 1000, dt.UTC).date()
    match = _DATE.match(str(text)) if text else None
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


# --- Reading the formats into plain records ------------------------------------------------
# A relationship: {"child", "parent", "type", "status", "start", "end", "registration"}.
# An entity: {"lei", "names": [(name, lang, type)], "status", "expired", "reason", "successors"}.
# A reporting exception: {"lei", "category", "reason"}: why an entity reports no such parent.


class _Records(NamedTuple):
    """What one file holds."""

    relationships: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_to_tree(element: ET.Element) -> Any:
    """An XML element in the Golden Copy JSON's shape: text under "$", attributes under "@"."""
    children = list(element)
    if not children:
        node: dict[str, Any] = {"$": (element.text or "").strip()}
    else:
        node = {}
        for child in children:
            node.setdefault(_local(child.tag), []).append(_xml_to_tree(child))
        node = {k: v[0] if len(v) == 1 else v for k, v in node.items()}
    for name, value in element.attrib.items():
        node["@" + _local(name).replace("lang", "xml:lang")] = value
    return node


def _all(node: Any) -> list[Any]:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _text(node: Any, *path: str) -> str | None:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
        if isinstance(node, list):
            node = node[0] if node else None
    if isinstance(node, dict):
        node = node.get("$")
    text = str(node).strip() if node is not None else ""
    return text or None


def _cdf_relationship(record: Any) -> dict[str, Any]:
    """A relationship record in the CDF's shape (XML, or the Golden Copy's JSON)."""
    rel = record.get("Relationship", {}) if isinstance(record, dict) else {}
    found: dict[str, Any] = {
        "child": _text(rel, "StartNode", "NodeID"),
        "parent": _text(rel, "EndNode", "NodeID"),
        "type": _text(rel, "RelationshipType"),
        "status": _text(rel, "RelationshipStatus"),
        "registration": _text(record, "Registration", "RegistrationStatus"),
        "start": None,
        "end": None,
    }
    periods = rel.get("RelationshipPeriods", {}) if isinstance(rel, dict) else {}
    for period in _all(periods.get("RelationshipPeriod") if isinstance(periods, dict) else None):
        if _text(period, "PeriodType") == "RELATIONSHIP_PERIOD":
            found["start"] = _text(period, "StartDate")
            found["end"] = _text(period, "EndDate")
    return found


def _cdf_entity(record: Any) -> dict[str, Any]:
    entity = record.get("Entity", {}) if isinstance(record, dict) else {}
    names = []
    legal = entity.get("LegalName") if isinstance(entity, dict) else None
    for node in _all(legal):
        names.append((_text(node), (node or {}).get("@xml:lang"), "LEGAL"))
    for group, item in (
        ("OtherEntityNames", "OtherEntityName"),
        ("TransliteratedOtherEntityNames", "TransliteratedOtherEntityName"),
    ):
        holder = entity.get(group) if isinstance(entity, dict) else None
        for node in _all(holder.get(item) if isinstance(holder, dict) else None):
            names.append((_text(node), node.get("@xml:lang"), node.get("@type", group)))
    successors = [
        _text(node, "SuccessorLEI")
        for node in _all(entity.get("SuccessorEntity") if isinstance(entity, dict) else None)
    ]
    return {
        "lei": _text(record, "LEI"),
        "names": names,
        "expired": _text(entity, "EntityExpirationDate"),
        "reason": _text(entity, "EntityExpirationReason"),
        "successors": [s for s in successors if s],
    }


def _api_relationship(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """A relationship record as the GLEIF API gives it (``relationship-records``)."""
    rel = attributes.get("relationship", {})
    found = {
        "child": (rel.get("startNode") or {}).get("id"),
        "parent": (rel.get("endNode") or {}).get("id"),
        "type": rel.get("type"),
        "status": rel.get("status"),
        "registration": (attributes.get("registration") or {}).get("status"),
        "start": None,
        "end": None,
    }
    for period in rel.get("periods") or ():
        if period.get("type") == "RELATIONSHIP_PERIOD":
            found["start"], found["end"] = period.get("startDate"), period.get("endDate")
    return found


def _api_entity(attributes: Mapping[str, Any]) -> dict[str, Any]:
    entity = attributes.get("entity", {})
    legal = entity.get("legalName") or {}
    names = [(legal.get("name"), legal.get("language"), "LEGAL")]
    for key in ("otherNames", "transliteratedOtherNames"):
        names += [
            (n.get("name"), n.get("language"), n.get("type", key)) for n in entity.get(key) or ()
        ]
    expiration = entity.get("expiration") or {}
    return {
        "lei": attributes.get("lei"),
        "names": names,
        "expired": expiration.get("date"),
        "reason": expiration.get("reason"),
        "successors": _api_successors(entity),
    }


def _api_successors(entity: Mapping[str, Any]) -> list[str]:
    """The API names a successor as ``successorEntity`` (one) and ``successorEntities``."""
    found = [entity.get("successorEntity") or {}, *(entity.get("successorEntities") or ())]
    return list(dict.fromkeys(s["lei"] for s in found if isinstance(s, dict) and s.get("lei")))


def _csv_records(lines: Iterable[str]) -> _Records:
    """Golden Copy CSV files: relationship rows (``Relationship.*`` columns), entity rows, or
    reporting exceptions (``Exception.Category``).

    The column names are those of GLEIF's Golden Copy files (``rr.csv``: for instance
    ``Relationship.Period.1.startDate``; ``lei2.csv``: ``Entity.LegalName.xmllang``;
    ``repex.csv``: ``Exception.Reason.1``), matched without regard to case. A row the file
    marks as deleted (``DeletedAt``, in the files of changes) is left out.
    """
    found = _Records([], [], [])
    rows = iter(lines)
    first = next(rows, "")
    # A Golden Copy file opened and saved again in a European Excel has ';' between its cells.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for original in csv.DictReader(itertools.chain([first], rows), delimiter=delimiter):
        row = {(k or "").lower(): v for k, v in original.items()}
        if row.get("deletedat"):
            continue
        if "relationship.startnode.nodeid" in row:
            found.relationships.append(_csv_relationship(row))
        elif "exception.category" in row:
            found.exceptions.append(
                {
                    "lei": row.get("lei"),
                    "category": row.get("exception.category"),
                    "reason": row.get("exception.reason.1"),
                }
            )
        elif "lei" in row:
            found.entities.append(_csv_entity(row))
    return found


def _csv_relationship(row: Mapping[str, Any]) -> dict[str, Any]:
    found = {
        "child": row.get("relationship.startnode.nodeid"),
        "parent": row.get("relationship.endnode.nodeid"),
        "type": row.get("relationship.relationshiptype"),
        "status": row.get("relationship.relationshipstatus"),
        "registration": row.get("registration.registrationstatus"),
        "start": None,
        "end": None,
    }
    for key, value in row.items():
        match = re.fullmatch(r"relationship\.period\.(\d+)\.periodtype", key)
        if match and value == "RELATIONSHIP_PERIOD":
            n = match.group(1)
            found["start"] = row.get(f"relationship.period.{n}.startdate")
            found["end"] = row.get(f"relationship.period.{n}.enddate")
    return found


def _csv_entity(row: Mapping[str, Any]) -> dict[str, Any]:
    names = [(row.get("entity.legalname"), row.get("entity.legalname.xmllang"), "LEGAL")]
    for key, value in row.items():
        match = re.fullmatch(r"entity\.(transliterated)?otherentitynames?\.(\w+)\.(\d+)", key)
        if match and value:
            names.append((value, row.get(f"{key}.xmllang"), row.get(f"{key}.type", "")))
    return {
        "lei": row.get("lei"),
        "names": names,
        "expired": row.get("entity.entityexpirationdate"),
        "reason": row.get("entity.entityexpirationreason"),
        "successors": [v for k, v in row.items() if v and "successorlei" in k],
    }


def _xml_records(stream: IO[bytes], path: Path) -> _Records:
    """The records of a CDF file, read element by element (a Golden Copy file is gigabytes)."""
    found = _Records([], [], [])
    try:
        for _, element in ET.iterparse(stream, events=("end",)):
            name = _local(element.tag)
            if name == "RelationshipRecord":
                found.relationships.append(_cdf_relationship(_xml_to_tree(element)))
            elif name == "LEIRecord":
                found.entities.append(_cdf_entity(_xml_to_tree(element)))
            elif name == "Exception" and _text(_xml_to_tree(element), "ExceptionCategory"):
                tree = _xml_to_tree(element)  # RepEx: why an entity reports no parent
                found.exceptions.append(
                    {
                        "lei": _text(tree, "LEI"),
                        "category": _text(tree, "ExceptionCategory"),
                        "reason": _text(tree, "ExceptionReason"),
                    }
                )
            else:
                continue
            element.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise DataError([Problem(path, line, f"not valid XML: {exc}")]) from None
    return found


def _json_records(data: Any) -> _Records:
    found = _Records([], [], [])
    if isinstance(data, dict) and isinstance(data.get("data"), list | dict):  # the GLEIF API
        for item in _all(data["data"]):
            kind, attributes = item.get("type"), item.get("attributes") or {}
            if kind == "relationship-records":
                found.relationships.append(_api_relationship(attributes))
            elif kind == "lei-records":
                found.entities.append(_api_entity(attributes))
            elif kind == "reporting-exceptions":
                found.exceptions.append(
                    {k: attributes.get(k) for k in ("lei", "category", "reason")}
                )
        return found
    records = _all(data.get("relations") or data.get("records")) if isinstance(data, dict) else []
    for record in records:
        if isinstance(record, dict) and "RelationshipRecord" in record:
            found.relationships.append(_cdf_relationship(record["RelationshipRecord"]))
        elif isinstance(record, dict) and "LEI" in record:
            found.entities.append(_cdf_entity(record))
    for record in _all(data.get("exceptions")) if isinstance(data, dict) else []:
        if isinstance(record, dict):
            found.exceptions.append(
                {
                    "lei": _text(record, "LEI"),
                    "category": _text(record, "ExceptionCategory"),
                    "reason": _text(record, "ExceptionReason"),
                }
            )
    return found


_FORMS = (".xml", ".json", ".csv")


def _file_records(path: Path) -> _Records:
    """The records of a file, or of the files in a zip archive (as GLEIF publishes them)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            found = _zip_records(path)
        elif suffix in _FORMS:
            with path.open("rb") as stream:
                found = _stream_records(stream, suffix, path)
        else:
            raise DataError(
                [
                    Problem(
                        path,
                        None,
                        "is not .xml, .json, .csv or a .zip of them; give GLEIF files in one "
                        "of those",
                    )
                ]
            )
    except OSError as exc:
        raise DataError([Problem(path, None, f"cannot be read: {exc.strerror or exc}")]) from None
    if not (found.relationships or found.entities or found.exceptions):
        raise DataError(
            [
                Problem(
                    path,
                    None,
                    "holds no GLEIF relationship or LEI records; give RR-CDF (Level 2) and "
                    "LEI-CDF (Level 1) files",
                )
            ]
        )
    return found


def _zip_records(path: Path) -> _Records:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError([Problem(path, None, "is not a zip archive that can be read")]) from None
    found = _Records([], [], [])
    with archive:
        for member in archive.namelist():
            suffix = Path(member).suffix.lower()
            if suffix in _FORMS:
                with archive.open(member) as stream:
                    part = _stream_records(stream, suffix, path)
                for into, more in zip(found, part, strict=True):
                    into.extend(more)
    return found


def _stream_records(stream: IO[bytes], suffix: str, path: Path) -> _Records:
    """The records of one file in one of the forms, read from ``stream``; a CSV file row by
    row, so that a Golden Copy file of millions of rows is never held whole."""
    if suffix == ".csv":
        with io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="") as text:
            return _csv_records(text)
    if suffix == ".xml":
        return _xml_records(stream, path)
    raw = stream.read()
    try:
        return _json_records(json.loads(raw.decode("utf-8-sig")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise DataError([Problem(path, line, f"not valid JSON: {exc}")]) from None


_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")


def _entity(record: Mapping[str, Any]) -> _Entity:
    names = [(n, (lang or "").lower(), t) for n, lang, t in record["names"] if n]
    legal = next(((n, lang) for n, lang, t in names if t == "LEGAL"), (None, ""))
    chinese = next((n for n, lang, _ in names if lang.startswith("zh")), None)
    english = next((n for n, lang, t in names if t != "LEGAL" and lang.startswith("en")), None)
    latin = next((n for n, _, t in names if "TRANSLITERATED" in str(t).upper()), None)
    name = legal[0]
    if legal[1].startswith(_CJK):
        name = english or latin or legal[0]
    reason = str(record.get("reason") or "").upper()
    return _Entity(
        lei=str(record["lei"]).strip().upper(),
        name=name,
        name_zh=chinese if chinese != name else None,
        expired=_day(record.get("expired")),
        dissolved=reason == "DISSOLVED",
        successors=tuple(s.strip().upper() for s in record.get("successors") or ()),
    )


def _links(
    relationships: Sequence[Mapping[str, Any]], notes: dict[str, str]
) -> tuple[list[Link], list[Problem]]:
    links: list[Link] = []
    problems: list[Problem] = []
    for number, rel in enumerate(relationships, 1):
        kind, status, registration = (
            str(rel.get(k) or "").strip().upper() for k in ("type", "status", "registration")
        )
        if kind not in (DIRECT, ULTIMATE) or registration in _IGNORED_REGISTRATIONS:
            continue
        child, parent = (str(rel.get(k) or "").strip().upper() for k in ("child", "parent"))
        bad = [k for k, v in (("start node", child), ("end node", parent)) if not _LEI.match(v)]
        if bad:
            problems.append(
                Problem(
                    rel.get("path"),
                    None,
                    f"relationship record {number}: the {bad[0]} is not an LEI "
                    f"('{child if bad[0] == 'start node' else parent}'); give LEI-to-LEI records",
                )
            )
            continue
        period = Period(_day(rel.get("start")), _day(rel.get("end")))
        if status == "INACTIVE" and period.end is None:
            notes[child + kind] = (
                f"{child}: an inactive {kind} relationship without an end date is left out"
            )
            continue
        links.append(Link(child, parent, period, 0 if kind == DIRECT else 1))
    # A direct and an ultimate link of one pair often differ only in an open end date.
    key = lambda link: (link.child, link.parent, link.period.sort_key(), link.rank)  # noqa: E731
    return sorted(set(links), key=key), problems


def _groups(links: list[Link]) -> dict[str, list[Link]]:
    """The links of each group, keyed by its root: the one entity of it that is nobody's child."""
    parent_of: dict[str, str] = {}

    def find(x: str) -> str:
        while parent_of.get(x, x) != x:
            x = parent_of[x]
        return x

    for link in links:
        a, b = find(link.child), find(link.parent)
        if a != b:
            parent_of[a] = b
    children = {link.child for link in links}
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(find(link.child), []).append(link)
    found: dict[str, list[Link]] = {}
    for members in groups.values():
        tops = sorted({link.parent for link in members} - children)
        top = tops[0] if tops else members[0].parent
        found[top] = members
    return found


def _unit(lei: str, link: Link | None, entities: Mapping[str, _Entity]) -> Unit:
    # A successor named in Level 1 took the entity in (see _removal); that does not make it a
    # unit formed from it, so no lineage is given.
    entity = entities.get(lei)
    data: dict[str, Any] = {
        "id": lei.lower(),
        "name": (entity.name if entity else None) or lei,
        "kind": "group" if link is None else "legal_entity",
        "status": "active" if link is None else "standalone",
        "sources": [f"lei-{lei}"],
    }
    if entity is not None and entity.name_zh:
        data["name_zh"] = entity.name_zh
    if link is not None:
        data["parent"] = link.parent.lower()
        if link.rank:
            data["field_confidence"] = {"parent": "unconfirmed"}
            data["note"] = "Placed under its ultimate parent: no direct parent is reported."
    return Unit.model_validate(data)


def _removal(lei: str, day: dt.date, entities: Mapping[str, _Entity], present: set[str]) -> Removal:
    entity = entities.get(lei)
    key = [f"lei-{lei}"]
    if entity is not None and entity.dissolved and entity.expired and entity.expired <= day:
        return Removal.model_validate({"how": "dissolved", "sources": key})
    successor = next((s for s in entity.successors if s in present), None) if entity else None
    if successor is not None:
        return Removal.model_validate(
            {"how": "absorbed", "into": successor.lower(), "sources": key}
        )
    note = "GLEIF records only that its consolidation into the group ended, not how."
    return Removal.model_validate({"sources": key, "note": note})


def _bibliography(
    title: str, cited: Iterable[str], entities: Mapping[str, _Entity], retrieved: str
) -> Bibliography:
    sources = {}
    for lei in sorted(cited):
        entity = entities.get(lei)
        name = entity.name if entity and entity.name else lei
        sources[f"lei-{lei}"] = Source.model_validate(
            {
                "title": f"LEI record {lei}: {name}",
                "publisher": "GLEIF",
                "date": retrieved,
                "url": f"https://search.gleif.org/#/record/{lei}",
                "note": "Its Level 1 record and its Level 2 relationship records; the date is "
                "the day they were retrieved.",
            }
        )
    return Bibliography.model_validate({"title": title, "sources": sources})


_PARENTS = {
    "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": "direct",
    "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": "ultimate",
}


def _exception_notes(exceptions: Sequence[Mapping[str, Any]], cited: set[str]) -> dict[str, str]:
    """A note for each reporting exception of an entity in the tree: which parent it reports
    none of, and why (as GLEIF words it, e.g. ``NATURAL_PERSONS``)."""
    notes = {}
    for record in exceptions:
        lei = str(record.get("lei") or "").strip().upper()
        which = _PARENTS.get(str(record.get("category") or "").upper())
        if lei in cited and which:
            why = f" ({record['reason']})" if record.get("reason") else ""
            notes[f"{lei} {which}"] = (
                f"{lei}: its reporting exception says it reports no {which} accounting "
                f"consolidation parent{why}"
            )
    return notes


def _title(name: str, day: dt.date) -> str:
    return f"{name} on {day.isoformat()}"


def read_gleif(
    relationships: Sequence[Mapping[str, Any]],
    entities: Mapping[str, Mapping[str, Any]],
    *,
    retrieved: str,
    exceptions: Sequence[Mapping[str, Any]] = (),
    roots: Sequence[str] = (),
    at_most: int | None = None,
) -> list[GleifGroup]:
    """One dated tree per group from relationship records, Level 1 records (by LEI) and
    reporting exceptions, as plain records (what :func:`read_gleif_files` reads from files).

    ``roots`` keeps only the groups that hold one of those LEIs (its root or any member);
    ``at_most`` refuses more groups than that when no ``roots`` are given, naming the largest,
    so that a whole Golden Copy is not turned into a folder per group of the world.
    """
    where = _where(relationships)
    notes: dict[str, str] = {}
    links, problems = _links(relationships, notes)
    if problems:
        raise DataError(problems)
    if not links:
        raise DataError(
            [
                Problem(
                    where,
                    None,
                    "no consolidation relationship (IS_DIRECTLY_CONSOLIDATED_BY or "
                    "IS_ULTIMATELY_CONSOLIDATED_BY) between two LEIs was found",
                )
            ]
        )
    chosen = _chosen(_groups(links), roots, at_most, where)
    wanted = {lei for members in chosen.values() for link in members for lei in link[:2]}
    known = {
        lei.upper(): _entity(record) for lei, record in entities.items() if lei.upper() in wanted
    }
    return [
        _group(root, members, known, exceptions, retrieved, [*notes.values()], where)
        for root, members in sorted(chosen.items())
    ]


def _where(relationships: Sequence[Mapping[str, Any]]) -> Path | None:
    """The file the relationships come from, when they all come from one."""
    files = {rel.get("path") for rel in relationships}
    return next(iter(files)) if len(files) == 1 else None


def _chosen(
    groups: dict[str, list[Link]], roots: Sequence[str], at_most: int | None, where: Path | None
) -> dict[str, list[Link]]:
    if roots:
        asked = {lei.strip().upper() for lei in roots}
        found = {
            root: members
            for root, members in groups.items()
            if asked & {lei for link in members for lei in link[:2]}
        }
        missing = sorted(asked - {lei for m in found.values() for link in m for lei in link[:2]})
        if missing:
            raise DataError(
                [
                    Problem(
                        where,
                        None,
                        f"--root {', '.join(missing)}: no relationship record names "
                        f"{'it' if len(missing) == 1 else 'them'}; check the LEI",
                    )
                ]
            )
        return found
    if at_most is not None and len(groups) > at_most:
        largest = sorted(groups, key=lambda root: (-len(groups[root]), root))[:3]
        raise DataError(
            [
                Problem(
                    where,
                    None,
                    f"the relationships make {len(groups)} groups (the largest are rooted at "
                    f"{', '.join(largest)}); choose yours with --root LEI (any LEI of the "
                    "group)",
                )
            ]
        )
    return groups


def _group(
    root: str,
    members: list[Link],
    known: Mapping[str, _Entity],
    exceptions: Sequence[Mapping[str, Any]],
    retrieved: str,
    notes: list[str],
    where: Path | None,
) -> GleifGroup:
    days = link_dates(members)
    if not days:
        raise DataError(
            [
                Problem(
                    where,
                    None,
                    f"no relationship of the group of {root} has a dated RELATIONSHIP_PERIOD, so "
                    "no snapshot can be dated; give the relationship records with their periods",
                )
            ]
        )
    name = (known[root].name if root in known else None) or root
    group_notes: dict[str, str] = {}
    built = dated_snapshots(
        root,
        members,
        days,
        lambda lei, link, day, gone: _unit(lei, link, known),
        lambda lei, day, present: _removal(lei, day, known, present),
        partial(_title, name),
        group_notes,
        order=lambda lei: ((known[lei].name or lei) if lei in known else lei, lei),
    )
    unnamed = sorted(built.cited - set(known))
    if unnamed:
        group_notes["~"] = f"no Level 1 record for {', '.join(unnamed)}: named by LEI"
    group_notes.update(_exception_notes(exceptions, built.cited))
    bib = _bibliography(f"{name} (GLEIF)", built.cited, known, retrieved)
    kept = [group_notes[k] for k in sorted(group_notes)]
    return GleifGroup(root, built.snapshots, bib, [*notes, *kept])


def read_gleif_files(
    paths: Sequence[str | Path],
    *,
    retrieved: str | None = None,
    roots: Sequence[str] = (),
    at_most: int | None = None,
) -> list[GleifGroup]:
    """:func:`read_gleif` on files: RR-CDF, LEI-CDF and RepEx XML, the Golden Copy's JSON or
    CSV (or a zip of them, as GLEIF publishes them), or the GLEIF API's JSON, in any mix;
    ``retrieved`` defaults to the newest file's date; ``roots`` and ``at_most`` choose the
    groups, as for :func:`read_gleif`."""
    files = list(map(Path, paths))
    relationships: list[dict[str, Any]] = []
    entities: dict[str, dict[str, Any]] = {}
    exceptions: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            found = _file_records(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        relationships.extend({**rel, "path": path} for rel in found.relationships)
        entities.update({str(r["lei"]).upper(): r for r in found.entities if r.get("lei")})
        exceptions.extend(found.exceptions)
    if problems:
        raise DataError(problems)
    if not relationships:
        where = files[0] if len(files) == 1 else None
        names = "" if where else ", ".join(p.name for p in files) + ": "
        raise DataError(
            [
                Problem(
                    where,
                    None,
                    f"{names}no relationship records (Level 2, RR-CDF) are given, only "
                    f"{_what(entities, exceptions)}; give the relationship file (rr) as well",
                )
            ]
        )
    if retrieved is None:
        newest = max(p.stat().st_mtime for p in files)
        retrieved = dt.datetime.fromtimestamp(newest, dt.UTC).date().isoformat()
    return read_gleif(
        relationships,
        entities,
        retrieved=retrieved,
        exceptions=exceptions,
        roots=roots,
        at_most=at_most,
    )


def _what(entities: Mapping[str, Any], exceptions: Sequence[Any]) -> str:
    kinds = [
        *(["LEI records (Level 1)"] if entities else []),
        *(["reporting exceptions (RepEx)"] if exceptions else []),
    ]
    return " and ".join(kinds)
