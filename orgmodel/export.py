"""Exporting a snapshot's graph: GraphML, GEXF, JSON, Graphviz DOT and Mermaid.

Each ``generate_*`` function returns the text of the file. GraphML and GEXF hold only scalar
attributes, so lists (leaders, lineage, sources) travel as JSON text and empty values are left
out; :func:`flat_attributes` is exactly what those formats carry, and what networkx's readers
give back.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> s = Snapshot(dt.date(2020, 1, 1), [Unit(id="g", name="Group", kind="holding"),
...                                     Unit(id="a-b", name='A "B"', kind="company", parent="g")])
>>> print(generate_mermaid(s), end="")
flowchart TD
    %% snapshot of 2020-01-01
    n0["Group"]
    n1["A #quot;B#quot;"]
    n0 --> n1
    classDef kind0 fill:#b2d5e8,stroke:#222222
    classDef kind1 fill:#cce8f8,stroke:#222222
    classDef standalone stroke-dasharray:6 3
    classDef outside stroke-dasharray:2 2
    classDef listed stroke-width:3px
    class n0 kind0
    class n1 kind1
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

from orgmodel.errors import OutputError
from orgmodel.history import to_graph
from orgmodel.model import Unit
from orgmodel.snapshot import Snapshot

if TYPE_CHECKING:
    import networkx as nx

    from orgmodel.history import History

__all__ = [
    "DYNAMIC_FIELDS",
    "FORMATS",
    "GEXF_NS",
    "SUFFIXES",
    "ExportFormat",
    "Exported",
    "export",
    "export_text",
    "flat_attributes",
    "format_for",
    "generate_dot",
    "generate_gexf",
    "generate_graphml",
    "generate_history_gexf",
    "generate_json",
    "generate_mermaid",
    "select",
]

ExportFormat = Literal["graphml", "gexf", "json", "dot", "mermaid"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("graphml", "gexf", "json", "dot", "mermaid")
#: The file suffixes that name each format, the usual one first.
SUFFIXES: Final[dict[ExportFormat, tuple[str, ...]]] = {
    "graphml": (".graphml",),
    "gexf": (".gexf",),
    "json": (".json",),
    "dot": (".dot", ".gv"),
    "mermaid": (".mmd", ".mermaid"),
}


def format_for(path: str | Path | None, fmt: str | None = None) -> ExportFormat:
    """The export format for a file: ``fmt`` if given, else the one its suffix names, else
    GraphML when there is no file. A format that disagrees with the suffix is an error, so
    that a file never holds something other than its name says.

    >>> format_for("a.gexf"), format_for(None), format_for("a.txt", "dot")
    ('gexf', 'graphml', 'dot')
    """
    named = _check_export(fmt) if fmt is not None else None
    if path is None:
        return named or "graphml"
    suffix = Path(path).suffix.lower()
    by_suffix = next((f for f, ends in SUFFIXES.items() if suffix in ends), None)
    if named is not None:
        if by_suffix is not None and by_suffix != named:
            raise OutputError(
                f"{path}: the suffix '{suffix}' is for {by_suffix}, not {named}; name the file "
                f"{Path(path).with_suffix(SUFFIXES[named][0])} or leave out --format"
            )
        return named
    if by_suffix is None:
        known = ", ".join(ends[0] for ends in SUFFIXES.values())
        raise OutputError(
            f"{path}: cannot tell the format from '{suffix or '(no suffix)'}'; use one of "
            f"{known}, or give --format"
        )
    return by_suffix


def _check_export(fmt: str) -> ExportFormat:
    for known in FORMATS:
        if fmt == known:
            return known
    raise OutputError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")


def flat_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """Node attributes as GraphML and GEXF carry them: scalars only, empty values left out."""
    flat: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None or value == () or value == [] or value == {}:
            continue
        if isinstance(value, list | tuple | dict):
            flat[key] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        else:
            flat[key] = value
    return flat


#: What XML 1.0 cannot hold even escaped. Checked text never has these; a snapshot built
#: without checks might, and the file must still be well-formed XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_value(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value


def _flat_graph(snapshot: Snapshot) -> nx.DiGraph:
    import networkx as nx

    graph = to_graph(snapshot)
    flat = nx.DiGraph()
    title = snapshot.title or snapshot.date.isoformat()
    flat.graph.update({"date": snapshot.date.isoformat(), "title": _xml_value(title)})
    # ``label`` is what Gephi, yEd, graphology and sigma.js show on a node: the unit's name.
    flat.add_nodes_from(
        (
            node,
            {
                k: _xml_value(v)
                for k, v in {"label": attrs["name"], **flat_attributes(attrs)}.items()
            },
        )
        for node, attrs in graph.nodes(data=True)
    )
    flat.add_edges_from(graph.edges)
    return flat


def _xml_text(write: Any, graph: nx.DiGraph) -> str:
    """What a networkx XML writer writes, as text: UTF-8 with its declaration, so Chinese names
    stay characters instead of becoming ``&#NNNNN;`` references."""
    import io

    buffer = io.BytesIO()
    write(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


def generate_graphml(snapshot: Snapshot) -> str:
    """GraphML text of the snapshot's graph: a ``label`` (the name) and every field of each
    unit, the snapshot's date and title on the graph; read by networkx, igraph, yEd, Gephi and
    graphology."""
    import networkx as nx

    return _xml_text(nx.write_graphml_xml, _flat_graph(snapshot))


GEXF_NS: Final = "http://www.gexf.net/1.2draft"
_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"


def _gexf_root(date: str, title: str) -> Any:
    """The ``<gexf>`` element of GEXF 1.2, with its meta: who wrote it, the date, the title."""
    import xml.etree.ElementTree as ET

    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{GEXF_NS} http://www.gexf.net/1.2draft/gexf.xsd",
            "version": "1.2",
        },
    )
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": date})
    ET.SubElement(meta, "creator").text = "orgmodel"
    ET.SubElement(meta, "description").text = title
    return root


def _xml(root: Any) -> str:
    import xml.etree.ElementTree as ET

    ET.indent(root)
    body = str(_xml_value(ET.tostring(root, encoding="unicode")))  # well-formed, whatever the data
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _gexf_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    return "string"


def _gexf_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def generate_gexf(snapshot: Snapshot) -> str:
    """GEXF 1.2 text of the snapshot's graph, for Gephi and Gephi Lite: each node labelled with
    the unit's name, every field as a declared attribute, the date and title in the meta."""
    import xml.etree.ElementTree as ET

    flat = _flat_graph(snapshot)
    root = _gexf_root(snapshot.date.isoformat(), snapshot.title or snapshot.date.isoformat())
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    types: dict[str, str] = {}
    for _, attrs in flat.nodes(data=True):
        for key, value in attrs.items():
            if key != "label":
                types.setdefault(key, _gexf_type(value))
    declared = ET.SubElement(graph, "attributes", {"class": "node", "mode": "static"})
    ids = {key: str(i) for i, key in enumerate(types)}
    for key, kind in types.items():
        ET.SubElement(declared, "attribute", {"id": ids[key], "title": key, "type": kind})
    nodes = ET.SubElement(graph, "nodes")
    for node, attrs in flat.nodes(data=True):
        element = ET.SubElement(nodes, "node", {"id": node, "label": attrs["label"]})
        values = ET.SubElement(element, "attvalues")
        for key, value in attrs.items():
            if key != "label":
                ET.SubElement(values, "attvalue", {"for": ids[key], "value": _gexf_value(value)})
    edges = ET.SubElement(graph, "edges")
    for i, (source, target) in enumerate(flat.edges):
        ET.SubElement(edges, "edge", {"id": str(i), "source": source, "target": target})
    return _xml(root)


#: The unit fields a dynamic GEXF carries as attributes that change over time.
DYNAMIC_FIELDS: Final = ("name", "name_zh", "kind", "parent", "status", "plan", "confidence")


def _spans(history: History, present: list[int]) -> list[tuple[str, str | None]]:
    """The periods (first day, last day or None while it lasts) covered by the snapshots at
    the positions ``present``, consecutive ones joined; days are inclusive, as GEXF reads them."""
    spans: list[tuple[str, str | None]] = []
    start = previous = None
    for index in [*present, None]:
        if start is not None and previous is not None and index != previous + 1:
            nxt = previous + 1
            end = history.dates[nxt] - dt.timedelta(days=1) if nxt < len(history.dates) else None
            spans.append((history.dates[start].isoformat(), end.isoformat() if end else None))
            start = None
        if index is not None and start is None:
            start = index
        previous = index
    return spans


def _spells(element: Any, spans: list[tuple[str, str | None]]) -> None:
    import xml.etree.ElementTree as ET

    spells = ET.SubElement(element, "spells")
    for start, end in spans:
        ET.SubElement(spells, "spell", {"start": start, **({"end": end} if end else {})})


def generate_history_gexf(history: History) -> str:
    """A dynamic GEXF 1.2 of the whole history, which Gephi's timeline plays: each unit a node
    present in the periods its snapshots are in force (``spells``, days inclusive), labelled
    with its latest name; its name, kind, parent, status, plan and confidence as attributes
    whose values change over time; each parent -> child edge present while it holds."""
    import xml.etree.ElementTree as ET

    last = history.snapshots[-1]
    root = _gexf_root(last.date.isoformat(), history.title or "history")
    graph = ET.SubElement(
        root,
        "graph",
        {
            "defaultedgetype": "directed",
            "mode": "dynamic",
            "timeformat": "date",
            "start": history.dates[0].isoformat(),
        },
    )
    declared = ET.SubElement(graph, "attributes", {"class": "node", "mode": "dynamic"})
    for i, field in enumerate(DYNAMIC_FIELDS):
        ET.SubElement(declared, "attribute", {"id": str(i), "title": field, "type": "string"})
    held: dict[str, list[int]] = {}
    values: dict[str, dict[str, list[tuple[str, list[int]]]]] = {}
    edges: dict[tuple[str, str], list[int]] = {}
    latest: dict[str, str] = {}
    for index, snapshot in enumerate(history.snapshots):
        for unit in snapshot.units.values():
            held.setdefault(unit.id, []).append(index)
            latest[unit.id] = unit.name
            fields = values.setdefault(unit.id, {})
            for field in DYNAMIC_FIELDS:
                value = getattr(unit, field)
                runs = fields.setdefault(field, [])
                if value is None:
                    continue
                if runs and runs[-1][0] == str(value) and runs[-1][1][-1] == index - 1:
                    runs[-1][1].append(index)
                else:
                    runs.append((str(value), [index]))
            if unit.parent is not None:
                edges.setdefault((unit.parent, unit.id), []).append(index)
    nodes = ET.SubElement(graph, "nodes")
    for uid, present in held.items():
        element = ET.SubElement(nodes, "node", {"id": uid, "label": latest[uid]})
        attvalues = ET.SubElement(element, "attvalues")
        for i, field in enumerate(DYNAMIC_FIELDS):
            for value, run in values[uid][field]:
                for start, end in _spans(history, run):
                    span = {"start": start, **({"end": end} if end else {})}
                    ET.SubElement(attvalues, "attvalue", {"for": str(i), "value": value, **span})
        _spells(element, _spans(history, present))
    edge_list = ET.SubElement(graph, "edges")
    for i, ((source, target), present) in enumerate(edges.items()):
        element = ET.SubElement(
            edge_list, "edge", {"id": str(i), "source": source, "target": target}
        )
        _spells(element, _spans(history, present))
    return _xml(root)


def generate_json(snapshot: Snapshot) -> str:
    """Node-link JSON of the snapshot's graph, with every attribute in full.

    It reads back with the defaults of both ecosystems: ``networkx.node_link_graph(data)``
    (which reads ``edges`` since networkx 3.6, ``links`` before) and d3's force layout
    (``links``) and ``d3.stratify()(data.nodes)`` (each node has ``id`` and ``parentId``).
    """
    import networkx as nx

    graph = to_graph(snapshot)
    data = nx.node_link_data(graph, edges="edges")
    for node in data["nodes"]:
        node["parentId"] = node.get("parent")
    data["links"] = data["edges"]
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dot_quote(text: str) -> str:
    # Graphviz expands HTML entities in labels (a name's "&amp;" would show as "&"), so "&" is
    # written as one; backslashes and quotes are escaped, a line break is Graphviz's \n.
    escaped = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


#: How a unit's standing shows in DOT and Mermaid, as on the org chart: a stand-alone company
#: dashed, a unit outside the group dotted.
STANDING_LINES: Final[dict[str, tuple[str, str]]] = {
    "in_line": ("solid", ""),
    "standalone": ("dashed", "stroke-dasharray: 6 3"),
    "outside": ("dotted", "stroke-dasharray: 2 2"),
}


def _tint(colour: str, amount: float = 0.7) -> str:
    """``colour`` (``#rrggbb``) mixed with white, for a fill that keeps black text readable."""
    parts = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in parts)


def _colours(snapshot: Snapshot, kinds: Iterable[str] | None) -> dict[str, str]:
    from orgmodel.drawing._style import kind_colours

    present = tuple(dict.fromkeys(u.kind for u in snapshot.units.values()))
    colours = kind_colours(tuple(kinds) if kinds else None, present)
    return {kind: colours[kind] for kind in present}  # as in the pictures, but only those used


def _standing(snapshot: Snapshot, unit: Unit) -> str:
    """The unit's standing as drawn: the root is never drawn as stand-alone."""
    return "in_line" if unit.id == snapshot.root else unit.standing


def _facts(unit: Unit) -> str:
    """The kind, and the status and plan where they say more than 'active'."""
    facts = [unit.kind] + ([unit.status] if unit.status != "active" else [])
    return ", ".join(facts + ([unit.plan.replace("_", " ")] if unit.plan else []))


def _direction(snapshot: Snapshot) -> str:
    """``LR`` for a tree much wider than it is deep (a root with dozens of units under it would
    render as a strip twenty times wider than high top to bottom), else ``TB``."""
    leaves = sum(1 for uid in snapshot.units if not snapshot.children(uid))
    depth = max(snapshot.depth(uid) for uid in snapshot.units)
    return "LR" if leaves > 3 * (depth + 1) else "TB"


def generate_dot(snapshot: Snapshot, kinds: Iterable[str] | None = None) -> str:
    """Graphviz DOT text: boxes labelled with name, kind, status and plan, filled by kind,
    bordered by standing (dashed: stand-alone; dotted: outside the group; thick: listed); a
    wide, shallow tree is laid out left to right so that it renders readably."""
    colours = _colours(snapshot, kinds)
    direction = _direction(snapshot)
    lines = [
        f"digraph {_dot_quote(snapshot.title or snapshot.date.isoformat())} {{",
        f"    rankdir={direction};",
        f"    label={_dot_quote(f'{snapshot.title} ({snapshot.date.isoformat()})')};",
        "    labelloc=t;",
        '    fontname="Helvetica";',
        '    node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    ]
    if direction == "LR":
        lines.append("    ranksep=0.4; nodesep=0.12;")
    for unit in snapshot.units.values():
        line, _ = STANDING_LINES[_standing(snapshot, unit)]
        attrs = [
            f"label={_dot_quote(f'{unit.name}{chr(10)}{_facts(unit)}')}",
            f'style="rounded,filled,{line}"',
            f'fillcolor="{_tint(colours[unit.kind])}"',
        ]
        if unit.status == "listed":
            attrs.append("penwidth=2.5")
        lines.append(f"    {_dot_quote(unit.id)} [{', '.join(attrs)}];")
    for unit in snapshot.units.values():
        if unit.parent is not None:
            lines.append(f"    {_dot_quote(unit.parent)} -> {_dot_quote(unit.id)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: What a quoted Mermaid label cannot hold as itself, written as the entity codes Mermaid
#: decodes there: ``#`` (it starts a code), the quote that would end the label, ``&`` and
#: ``<``/``>`` that would become HTML, the backtick that opens a Markdown string, the
#: backslash of ``\n``, where Mermaid would break the line, and ``%``: Mermaid drops a
#: ``%%{...}%%`` directive wherever it stands, inside a label too.
_MERMAID_CODES: Final = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "\\": "#92;",
    "%": "#37;",
}
_MERMAID_SYNTAX: Final = re.compile("|".join(re.escape(char) for char in _MERMAID_CODES))


def _mermaid_label(text: str) -> str:
    return _MERMAID_SYNTAX.sub(lambda m: _MERMAID_CODES[m.group()], text)


def generate_mermaid(snapshot: Snapshot, kinds: Iterable[str] | None = None) -> str:
    """A Mermaid flowchart, left to right where the tree is much wider than deep (as DOT's).
    Node ids are n0, n1, ... so any unit id is safe; labels are quoted.
    Each kind is a class filled with the org chart's colour for it; a stand-alone unit's border
    is dashed, an outside one's dotted, a listed one's thick, as on the org chart."""
    colours = _colours(snapshot, kinds)
    ids = {uid: f"n{i}" for i, uid in enumerate(snapshot.units)}
    # a comment, on one line, without the ``%`` of a directive Mermaid would obey
    title = " ".join((snapshot.title or "").replace("%", " ").split())
    heading = f"{title}, " if title else ""
    # top-down as an org chart reads, unless the tree is so wide that it would be a strip
    direction = "LR" if _direction(snapshot) == "LR" else "TD"
    lines = [f"flowchart {direction}", f"    %% {heading}snapshot of {snapshot.date.isoformat()}"]
    for unit in snapshot.units.values():
        lines.append(f'    {ids[unit.id]}["{_mermaid_label(unit.name)}"]')
    for unit in snapshot.units.values():
        if unit.parent is not None:
            lines.append(f"    {ids[unit.parent]} --> {ids[unit.id]}")
    kind_class = {kind: f"kind{i}" for i, kind in enumerate(colours)}
    for kind, name in kind_class.items():
        lines.append(f"    classDef {name} fill:{_tint(colours[kind])},stroke:#222222")
    lines.append("    classDef standalone stroke-dasharray:6 3")
    lines.append("    classDef outside stroke-dasharray:2 2")
    lines.append("    classDef listed stroke-width:3px")
    groups: dict[str, list[str]] = {}
    for unit in snapshot.units.values():
        groups.setdefault(kind_class[unit.kind], []).append(ids[unit.id])
        standing = _standing(snapshot, unit)
        if standing != "in_line":
            groups.setdefault(standing, []).append(ids[unit.id])
        if unit.status == "listed":
            groups.setdefault("listed", []).append(ids[unit.id])
    for name, members in groups.items():
        lines.append(f"    class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


_GENERATORS = {
    "graphml": generate_graphml,
    "gexf": generate_gexf,
    "json": generate_json,
    "dot": generate_dot,
    "mermaid": generate_mermaid,
}


def select(
    snapshot: Snapshot, *, root: str | None = None, depth: int | None = None, lang: str = "en"
) -> Snapshot:
    """The part of ``snapshot`` below ``root`` (the whole by default), ``depth`` levels deep,
    with the Chinese names as names where ``lang`` is ``zh`` and a unit has one; the snapshot
    itself when nothing is asked."""
    if root is None and depth is None and lang == "en":
        return snapshot
    start = root if root is not None else snapshot.root
    if start not in snapshot.units:
        from orgmodel.finding import unknown_unit

        raise unknown_unit(snapshot, start)
    top = snapshot.depth(start)
    kept = [start, *snapshot.descendants(start)]
    if depth is not None:
        kept = [uid for uid in kept if snapshot.depth(uid) - top <= depth]
    units = []
    for uid in kept:
        unit = snapshot.units[uid]
        update: dict[str, Any] = {"parent": None} if uid == start else {}
        if lang == "zh" and unit.name_zh:
            update["name"] = unit.name_zh
        units.append(unit.model_copy(update=update) if update else unit)
    return Snapshot(
        snapshot.date,
        units,
        title=snapshot.title,
        summary=snapshot.summary,
        sources=snapshot.sources,
    )


def export(
    snapshot: Snapshot,
    fmt: ExportFormat,
    *,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    kinds: Iterable[str] | None = None,
) -> str:
    """The snapshot (or the part :func:`select` picks) in one of :data:`FORMATS`, as text;
    ``kinds`` (a history's list of kinds) keeps DOT's and Mermaid's colours those of the org
    chart."""
    chosen = _check_export(fmt)
    part = select(snapshot, root=root, depth=depth, lang=lang)
    if chosen == "dot":
        return generate_dot(part, kinds)
    if chosen == "mermaid":
        return generate_mermaid(part, kinds)
    return _GENERATORS[chosen](part)


class Exported(NamedTuple):
    """An export's text, its format, and which snapshots it used, in words."""

    text: str
    format: ExportFormat
    used: str


def export_text(
    history: History,
    date: str | None,
    *,
    whole: bool = False,
    fmt: str | None = None,
    path: str | Path | None = None,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
) -> Exported:
    """What ``orgmodel export`` writes: the snapshot in force on ``date`` in the format that
    ``fmt`` or the suffix of ``path`` names (see :func:`format_for`), or with ``whole`` the
    dynamic GEXF of the whole history (:func:`generate_history_gexf`)."""
    if whole:
        if date is not None or root is not None or depth is not None or lang != "en":
            raise OutputError(
                "--history exports every unit of every snapshot; give no DATE, --root, "
                "--depth or --lang with it"
            )
        if format_for(path, fmt or "gexf") != "gexf":
            raise OutputError(
                "--history is written as GEXF only; use --format gexf or a .gexf file"
            )
        first, last = history.dates[0].isoformat(), history.dates[-1].isoformat()
        return Exported(generate_history_gexf(history), "gexf", f"snapshots of {first} -> {last}")
    if date is None:
        raise OutputError("give a DATE to export the structure in force on it, or --history")
    chosen = format_for(path, fmt)
    snapshot = history.at(date)
    text = export(snapshot, chosen, root=root, depth=depth, lang=lang, kinds=history.kind_order)
    return Exported(text, chosen, f"snapshot of {snapshot.date.isoformat()}")
