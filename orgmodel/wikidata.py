"""Reading Wikidata: a group's subsidiaries, from the result of a SPARQL query, as dated snapshots.

Wikidata records who owns what as statements: an item's *parent organization* (P749), or an
organisation's *has subsidiary* (P355), each with a *start time* (P580) and *end time* (P582)
where known; *replaces* (P1365) and *replaced by* (P1366) say which items one came from; a stock
exchange (P414, with its own start and end) that it is listed. :data:`QUERY` asks for all of it,
for one organisation and everything below it; paste it into the Wikidata Query Service
(query.wikidata.org), put your organisation's item in place of ``wd:Q1359568`` (Alibaba Group),
and download the result in any of the forms the service offers (see
:mod:`orgmodel.sparqlresults`). Other queries are read too, where their variables have the
names of :data:`_VARIABLES` (``?item``, ``?parentOrganization``).

:func:`read_wikidata` turns that result into a snapshot at every date on which a link starts or
ends (or a listing does): each unit sits under the parent whose link is in force that day, and
cites its Wikidata item. How this reads the record, where the record is silent:

- A link without a start time (or with an unknown one) is taken to hold from the first date,
  the unit's place marked ``unconfirmed`` and a note saying so; one without an end time, to
  hold still. Wikidata's query service gives year- or month-precise dates as their first
  day; the query asks for each date's precision, and the import says which dates are known
  only to the month or the year.
- A parent that is Wikidata's "unknown value" makes no link; the import says so.
- A unit with two parents in force at once (a joint venture) is put under the one whose link
  started last, with a note saying so; a unit whose parent is not in the group that day is left
  out of that snapshot, also with a note.
- A unit gone from the group is ``dissolved`` when its item has a *dissolved* date (P576) by
  then, ``absorbed`` into the item that *replaced* it when that is in the group; otherwise its
  removal names no way of going, with a note that Wikidata records only that the link ended,
  and the report says no more than the structure shows.
- Every unit's kind is ``organization``, since the query does not ask what sort each item is;
  its status is ``listed`` while a listing is in force, else ``active``.

Examples
--------
>>> result = {"head": {"vars": ["unit", "parent"]}, "results": {"bindings": [
...     {"unit": {"type": "uri", "value": "http://www.wikidata.org/entity/Q2"},
...      "parent": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"},
...      "start": {"type": "literal", "value": "2020-05-01T00:00:00Z"}}]}}
>>> imported = read_wikidata(result, retrieved="2024-01-01")
>>> [(s.date.isoformat(), [u.id for u in s.units]) for s in imported.snapshots]
[('2020-05-01', ['q1', 'q2'])]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orgmodel.errors import DataError, Problem
from orgmodel.linktrees import Link, Period, dated_snapshots, link_dates
from orgmodel.model import Bibliography, Removal, SnapshotFile, Source, Unit
from orgmodel.sparqlresults import ResultFormatError, from_rows, read_results

__all__ = ["QUERY", "WikidataImport", "read_wikidata", "read_wikidata_file"]

QUERY = """\
# The subsidiaries of one organisation through time, for `orgmodel import wikidata`.
# Put your organisation's item in place of wd:Q1359568 (Alibaba Group).
SELECT ?unit ?unitLabel ?unitLabelZh ?parent ?parentLabel ?parentLabelZh ?start ?end
       ?startPrecision ?endPrecision ?replaces ?replacedBy ?dissolved ?listedFrom ?listedUntil
       ?listed WHERE {
  VALUES ?root { wd:Q1359568 }
  ?unit (wdt:P749|^wdt:P355)+ ?root .
  { ?unit p:P749 ?link . ?link ps:P749 ?parent . }
  UNION
  { ?parent p:P355 ?link . ?link ps:P355 ?unit . }
  FILTER NOT EXISTS { ?link wikibase:rank wikibase:DeprecatedRank . }
  FILTER(?parent = ?root || EXISTS { ?parent (wdt:P749|^wdt:P355)+ ?root . })
  OPTIONAL { ?link pqv:P580 [ wikibase:timeValue ?start ;
                              wikibase:timePrecision ?startPrecision ] . }
  OPTIONAL { ?link pqv:P582 [ wikibase:timeValue ?end ; wikibase:timePrecision ?endPrecision ] . }
  OPTIONAL { ?unit wdt:P1365 ?replaces . }
  OPTIONAL { ?unit wdt:P1366 ?replacedBy . }
  OPTIONAL { ?unit wdt:P576 ?dissolved . }
  OPTIONAL { ?unit p:P414 ?listing . BIND(true AS ?listed)
             OPTIONAL { ?listing pq:P580 ?listedFrom . }
             OPTIONAL { ?listing pq:P582 ?listedUntil . } }
  OPTIONAL { ?unit rdfs:label ?unitLabel . FILTER(LANG(?unitLabel) = "en") }
  OPTIONAL { ?unit rdfs:label ?unitLabelZh .
             FILTER(LANG(?unitLabelZh) IN ("zh", "zh-hans", "zh-cn")) }
  OPTIONAL { ?parent rdfs:label ?parentLabel . FILTER(LANG(?parentLabel) = "en") }
  OPTIONAL { ?parent rdfs:label ?parentLabelZh .
             FILTER(LANG(?parentLabelZh) IN ("zh", "zh-hans", "zh-cn")) }
}
"""

KIND = "organization"
_ENTITY = re.compile(r"^https?://www\.wikidata\.org/entity/(Q\d+)$")
_TIME = re.compile(r"^\+?(\d{4})-(\d{2})-(\d{2})T")


@dataclass(frozen=True)
class WikidataImport:
    """The snapshots read from a query result, their bibliography, and notes for the reader."""

    snapshots: list[SnapshotFile]
    bibliography: Bibliography
    notes: list[str] = field(default_factory=list)


@dataclass
class _Item:
    """What the result says about one item."""

    qid: str
    #: Its labels by language, the first the result gives in each.
    labels: dict[str, str] = field(default_factory=dict)
    replaces: set[str] = field(default_factory=set)
    replaced_by: set[str] = field(default_factory=set)
    dissolved: dt.date | None = None
    listings: set[Period] = field(default_factory=set)
    #: Whether a parent of it is Wikidata's "unknown value" (a statement left out).
    unknown_parent: bool = False
    #: Notes on the dates of its links that Wikidata knows only to the month or the year.
    vague: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """Its English label; else one in another language that is not Chinese."""
        others = sorted(lang for lang in self.labels if not lang.startswith(("en", "zh")))
        return next(
            (
                self.labels[lang]
                for lang in ("en", "en-gb", "en-us", *others)
                if lang in self.labels
            ),
            None,
        )

    @property
    def name_zh(self) -> str | None:
        """Its Chinese label: of several, the plain, then the Simplified, then any other."""
        chinese = sorted(lang for lang in self.labels if lang.startswith("zh"))
        for lang in ("zh", "zh-hans", "zh-cn", *chinese):
            if lang in self.labels:
                return self.labels[lang]
        return None


def _qid(cell: Any) -> str | None:
    if isinstance(cell, dict) and cell.get("type") == "uri":
        match = _ENTITY.match(str(cell.get("value", "")))
        if match:
            return match.group(1)
    return None


def _day(cell: Any) -> dt.date | str | None:
    """A time cell as a date; None when absent or an unknown value; a message when unreadable."""
    if not isinstance(cell, dict) or cell.get("type") != "literal":
        return None  # absent, or Wikidata's "unknown value" (a blank node or a genid URI)
    text = str(cell.get("value", ""))
    match = _TIME.match(text)
    try:
        return dt.date(*map(int, match.groups())) if match else f"'{text}' is not a date"
    except ValueError:
        # A year- or month-precise date can come as day 00: read it as the period's first day.
        year, month, _ = (int(g) for g in match.groups()) if match else (0, 0, 0)
        try:
            return dt.date(year, max(month, 1), 1)
        except ValueError:
            return f"'{text}' is not a date"


def _unknown(cell: Any) -> bool:
    """Whether a cell is Wikidata's "unknown value": a blank node, or the query service's
    name for one (``http://www.wikidata.org/.well-known/genid/...``)."""
    if not isinstance(cell, dict):
        return False
    value = str(cell.get("value", ""))
    return cell.get("type") == "bnode" or (
        cell.get("type") == "uri" and "/.well-known/genid/" in value
    )


#: Wikidata's time precisions coarser than a day (11), as words.
_PRECISIONS = {10: "to the month only", 9: "to the year only"}


def _vague(cell: Any, day: dt.date | None) -> str | None:
    """How a date known to less than a day is known (``to the year only (2015)``), from its
    precision (``?startPrecision``); None for a day, or where the result does not say."""
    text = str(cell.get("value", "")) if isinstance(cell, dict) else ""
    if day is None or not text.isdigit() or int(text) >= 11:
        return None
    words = _PRECISIONS.get(int(text), "to the decade or less")
    shown = f"{day:%Y-%m}" if int(text) == 10 else f"{day:%Y}"
    return f"{words} ({shown})"


def _label(cell: Any) -> tuple[str, str] | None:
    """A label cell's text and language (empty when the result does not say)."""
    if isinstance(cell, dict) and cell.get("type") == "literal":
        text = str(cell.get("value", "")).strip()
        return (text, str(cell.get("xml:lang", "")).lower()) if text else None
    return None


def _names(item: _Item, row: Mapping[str, Any], prefix: str) -> None:
    """The item's labels in a row, by language (see :attr:`_Item.name`, :attr:`_Item.name_zh`):
    a label in Chinese is its Chinese name whichever variable holds it; a label that is only the
    item's id (what the label service gives for an item without a label) is no name."""
    for variable in (f"{prefix}Label", f"{prefix}LabelZh"):
        label = _label(row.get(variable))
        if label is None or label[0] == item.qid:
            continue
        text, lang = label
        # A label without its language (a plain download) is in the one its variable asks for.
        item.labels.setdefault(lang or ("zh" if variable.endswith("Zh") else "en"), text)


#: Names other queries give the variables this reader reads, by the name it reads.
_VARIABLES = {
    "unit": ("item", "subsidiary", "child", "company", "organization", "organisation", "org"),
    "parent": ("parentOrganization", "parentOrganisation", "parentOrg", "parentCompany"),
    "start": ("startTime", "startDate", "from", "since"),
    "end": ("endTime", "endDate", "until"),
}


def _bindings(data: Any, path: Path | None) -> list[Any]:
    if isinstance(data, list):  # the query service's "JSON file": rows of plain values
        data = from_rows(
            data, list(dict.fromkeys(k for r in data if isinstance(r, dict) for k in r))
        )
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise DataError(
            [
                Problem(
                    path,
                    None,
                    "is not a SPARQL query result (no 'results'); in the Wikidata Query "
                    "Service, download the result as JSON",
                )
            ]
        )
    bindings = data["results"].get("bindings")
    head = data.get("head")
    names = list(head.get("vars", ())) if isinstance(head, dict) else []
    renamed = _renamed(names)
    missing = [v for v in ("unit", "parent") if names and v not in {*names, *renamed.values()}]
    if not isinstance(bindings, list) or missing:
        what = f"has no variable {', '.join('?' + m for m in missing)}" if missing else "no rows"
        found = f" (its variables are {', '.join('?' + n for n in names)})" if missing else ""
        raise DataError(
            [
                Problem(
                    path,
                    None,
                    f"{what}{found}; run the query that `orgmodel import wikidata` documents",
                )
            ]
        )
    if not renamed:
        return bindings
    return [
        {renamed.get(k, k): v for k, v in row.items()} if isinstance(row, dict) else row
        for row in bindings
    ]


def _renamed(names: list[str]) -> dict[str, str]:
    """The variables to read under this reader's names (``?item`` as ``?unit``, and so its
    label ``?itemLabel`` as ``?unitLabel``), where the result lacks this reader's own."""
    renamed: dict[str, str] = {}
    for ours, others in _VARIABLES.items():
        theirs = next((o for o in others if o in names), None) if ours not in names else None
        if theirs is not None:
            for tail in ("", "Label", "LabelZh"):
                renamed[theirs + tail] = ours + tail
    return renamed


def _item(items: dict[str, _Item], qid: str) -> _Item:
    if qid not in items:
        items[qid] = _Item(qid)
    return items[qid]


def _read_row(
    row: Mapping[str, Any], number: int, path: Path | None, items: dict[str, _Item]
) -> tuple[Link | None, list[Problem]]:
    unit, parent = _qid(row.get("unit")), _qid(row.get("parent"))
    if unit is not None and _unknown(row.get("parent")):
        _item(items, unit).unknown_parent = True  # a parent Wikidata does not know: no link
        return None, []
    if unit is None or parent is None:
        which = "unit" if unit is None else "parent"
        return None, [
            Problem(path, None, f"?{which} is not a Wikidata item; fix the query", row=number)
        ]
    problems: list[Problem] = []
    days: dict[str, dt.date | None] = {}
    for name in ("start", "end", "dissolved", "listedFrom", "listedUntil"):
        day = _day(row.get(name))
        if isinstance(day, str):
            problems.append(
                Problem(path, None, f"?{name}: {day}; fix it in the result", row=number)
            )
            day = None
        days[name] = day
    for which in ("start", "end"):
        vague = _vague(row.get(f"{which}Precision"), days[which])
        if vague:
            _item(items, unit).vague[f"{which} {parent}"] = (
                f"{unit}: Wikidata gives the {which} of its link to {parent} {vague}; the change "
                f"is shown on {days[which]}, the first day of it"
            )
    for qid, prefix in ((unit, "unit"), (parent, "parent")):
        _names(_item(items, qid), row, prefix)
    item = items[unit]
    for name, into in (("replaces", item.replaces), ("replacedBy", item.replaced_by)):
        other = _qid(row.get(name))
        if other is not None:
            into.add(other)
    item.dissolved = item.dissolved or days["dissolved"]
    if row.get("listed") is not None:
        item.listings.add(Period(days["listedFrom"], days["listedUntil"]))
    return Link(unit, parent, Period(days["start"], days["end"])), problems


def _links(rows: list[Any], path: Path | None) -> tuple[dict[str, _Item], list[Link]]:
    items: dict[str, _Item] = {}
    links: set[Link] = set()
    problems: list[Problem] = []
    for number, row in enumerate(rows, 1):
        link, found = _read_row(row if isinstance(row, dict) else {}, number, path, items)
        problems.extend(found)
        if link is not None:
            links.add(link)
    if problems:
        raise DataError(problems)
    # A link given both ways (P749 on the unit, P355 on the parent) may be dated on one side only.
    dated = {(link.child, link.parent) for link in links if link.period != Period(None, None)}
    kept = [
        link
        for link in links
        if link.period != Period(None, None) or (link.child, link.parent) not in dated
    ]
    return items, sorted(kept, key=lambda k: (k.child, k.parent, str(k.period)))


def _root(
    items: Mapping[str, _Item], links: list[Link], root: str | None, path: Path | None
) -> str:
    if root is not None:
        # As an id (Q1359568), a prefixed name (wd:Q1359568) or the item's address.
        qid = re.sub(r"^(?:wd:|https?://www\.wikidata\.org/(?:entity|wiki)/)", "", root.strip())
        qid = qid.upper()
        if qid not in items:
            raise DataError([Problem(path, None, f"--root {root}: that item is not in the result")])
        return qid
    below = {link.child for link in links}
    tops = sorted({link.parent for link in links} - below)
    if len(tops) != 1:
        found = ", ".join(tops) if tops else "none (every parent is also a subsidiary)"
        raise DataError(
            [Problem(path, None, f"cannot tell which item is the group: {found}; give --root QID")]
        )
    return tops[0]


def _predecessors(qid: str, items: Mapping[str, _Item], seen: set[str]) -> list[str]:
    found = set(items[qid].replaces)
    found.update(other for other, item in items.items() if qid in item.replaced_by)
    return sorted(p.lower() for p in found if p in seen and p != qid)


def _unit(
    qid: str, link: Link | None, day: dt.date, items: Mapping[str, _Item], seen: set[str]
) -> Unit:
    item = items[qid]
    listed = any(period.holds(day) for period in item.listings)
    data: dict[str, Any] = {
        "id": qid.lower(),
        "name": item.name or item.name_zh or qid,
        "name_zh": item.name_zh,
        "kind": KIND,
        "parent": link.parent.lower() if link else None,
        "status": "listed" if listed else "active",
        "lineage": _predecessors(qid, items, seen),
        "sources": [f"wikidata-{qid}"],
    }
    if link is not None and link.period.start is None:
        # Shown from the first date because Wikidata does not say since when: not a fact.
        data["field_confidence"] = {"parent": "unconfirmed"}
    return Unit.model_validate({k: v for k, v in data.items() if v not in (None, [])})


def _reading_notes(links: list[Link], first: dt.date) -> dict[str, str]:
    """Notes on the links the result gives no start time: each is shown from the first date."""
    notes: dict[str, str] = {}
    for link in links:
        if link.period.start is None:
            notes[f"{link.child} start"] = (
                f"{link.child}: its link to {link.parent} has no start time (or an unknown one) "
                f"in Wikidata; it is shown from the first date, {first}, its place unconfirmed"
            )
    return notes


def _removal(qid: str, day: dt.date, items: Mapping[str, _Item], present: set[str]) -> Removal:
    item = items[qid]
    key = [f"wikidata-{qid}"]
    if item.dissolved is not None and item.dissolved <= day:
        return Removal.model_validate({"how": "dissolved", "sources": key})
    successor = next((q for q in sorted(item.replaced_by) if q in present), None)
    if successor is not None:
        return Removal.model_validate(
            {"how": "absorbed", "into": successor.lower(), "sources": key}
        )
    note = "Wikidata records only that its link to the group ended on this date, not how."
    return Removal.model_validate({"sources": key, "note": note})


def _bibliography(
    title: str, cited: Iterable[str], items: Mapping[str, _Item], retrieved: str
) -> Bibliography:
    sources = {
        f"wikidata-{qid}": Source.model_validate(
            {
                "title": f"{items[qid].name or qid} ({qid})",
                "publisher": "Wikidata",
                "date": retrieved,
                "url": f"https://www.wikidata.org/wiki/{qid}",
                "note": "The item as the query read it; the date is the day it was retrieved.",
            }
        )
        for qid in sorted(cited, key=lambda q: int(q[1:]))
    }
    return Bibliography.model_validate({"title": title, "sources": sources})


def read_wikidata(
    result: Any,
    *,
    path: Path | None = None,
    root: str | None = None,
    retrieved: str | None = None,
) -> WikidataImport:
    """Turn a SPARQL query result (parsed JSON) for a group's subsidiaries into snapshots.

    ``root`` is the group's item (``Q...``) when the result alone does not tell; ``retrieved``
    the day the result was fetched (YYYY-MM-DD), which the sources give as their date.
    """
    items, links = _links(_bindings(result, path), path)
    if not links:
        raise DataError([Problem(path, None, "has no rows: the query found no subsidiaries")])
    top = _root(items, links, root, path)
    days = link_dates(links, (d for item in items.values() for p in item.listings for d in p))
    if not days:
        raise DataError(
            [
                Problem(
                    path,
                    None,
                    "no link has a start or end time, so no snapshot can be dated; add P580 "
                    "qualifiers in Wikidata, or import the result as a table with a date column",
                )
            ]
        )
    notes: dict[str, str] = {}
    name = items[top].name or top
    built = dated_snapshots(
        top,
        links,
        days,
        lambda qid, link, day, seen: _unit(qid, link, day, items, seen),
        lambda qid, day, present: _removal(qid, day, items, present),
        lambda day: f"{name} on {day.isoformat()}",
        notes,
        order=lambda q: (items[q].name or q, q),
    )
    shown = set(built.cited)
    notes.update((f"{qid} {key}", note) for qid in shown for key, note in items[qid].vague.items())
    notes.update(
        (
            f"{qid} unknown",
            f"{qid}: Wikidata gives a parent organization of it as 'unknown "
            "value'; that statement is left out",
        )
        for qid in shown
        if items[qid].unknown_parent
    )
    notes.update(
        (key, note)
        for key, note in _reading_notes(links, days[0]).items()
        if key.split()[0] in shown
    )
    modified = retrieved or dt.date.today().isoformat()
    bibliography = _bibliography(f"{name} (Wikidata)", built.cited, items, modified)
    return WikidataImport(built.snapshots, bibliography, [notes[k] for k in sorted(notes)])


def read_wikidata_file(
    path: str | Path, *, root: str | None = None, retrieved: str | None = None
) -> WikidataImport:
    """:func:`read_wikidata` on a result saved as a JSON file; ``retrieved`` defaults to the
    day the file was last changed."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise DataError([Problem(file, None, f"cannot be read: {reason}")]) from None
    try:
        data = read_results(text, file.suffix)
    except ResultFormatError as exc:
        raise DataError(
            [Problem(file, exc.line, f"not valid JSON: {exc}; download the result as JSON")]
        ) from None
    if retrieved is None:
        retrieved = dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC).date().isoformat()
    return read_wikidata(data, path=file, root=root, retrieved=retrieved)
