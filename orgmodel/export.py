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
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from orgmodel.errors import OutputError
from orgmodel.history import to_graph
from orgmodel.snapshot import Snapshot

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ExportFormat",
    "export",
    "flat_attributes",
    "format_for",
    "generate_dot",
    "generate_gexf",
    "generate_graphml",
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


def _flat_graph(snapshot: Snapshot) -> nx.DiGraph:
    import networkx as nx

    graph = to_graph(snapshot)
    flat = nx.DiGraph()
    flat.graph.update(
        {"date": snapshot.date.isoformat(), "title": snapshot.title or snapshot.date.isoformat()}
    )
    flat.add_nodes_from((node, flat_attributes(attrs)) for node, attrs in graph.nodes(data=True))
    flat.add_edges_from(graph.edges)
    return flat


def generate_graphml(snapshot: Snapshot) -> str:
    """GraphML text of the snapshot's graph, readable by ``networkx.read_graphml`` and Gephi."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(_flat_graph(snapshot))) + "\n"


def generate_gexf(snapshot: Snapshot) -> str:
    """GEXF text of the snapshot's graph, readable by ``networkx.read_gexf`` and Gephi."""
    import networkx as nx

    return "\n".join(nx.generate_gexf(_flat_graph(snapshot))) + "\n"


def generate_json(snapshot: Snapshot) -> str:
    """Node-link JSON of the snapshot's graph, with every attribute in full."""
    import networkx as nx

    graph = to_graph(snapshot)
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def generate_dot(snapshot: Snapshot) -> str:
    """Graphviz DOT text: boxes labelled with name and kind, top to bottom."""
    lines = [
        f"digraph {_dot_quote(snapshot.title or snapshot.date.isoformat())} {{",
        "    rankdir=TB;",
        f"    label={_dot_quote(f'{snapshot.title} ({snapshot.date.isoformat()})')};",
        "    labelloc=t;",
        '    node [shape=box, style="rounded", fontname="Helvetica"];',
    ]
    for unit in snapshot.units.values():
        label = f"{unit.name}\n{unit.kind}" + (
            "" if unit.status == "active" else f", {unit.status}"
        )
        style = ', style="rounded,dashed"' if unit.standing != "in_line" else ""
        lines.append(f"    {_dot_quote(unit.id)} [label={_dot_quote(label)}{style}];")
    for unit in snapshot.units.values():
        if unit.parent is not None:
            lines.append(f"    {_dot_quote(unit.parent)} -> {_dot_quote(unit.id)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    # Mermaid reads entity codes inside quoted labels; these are the characters it would
    # otherwise take as syntax.
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def generate_mermaid(snapshot: Snapshot) -> str:
    """A Mermaid flowchart. Node ids are n0, n1, ... so any unit id is safe; labels are quoted."""
    ids = {uid: f"n{i}" for i, uid in enumerate(snapshot.units)}
    heading = f"{' '.join(snapshot.title.split())}, " if snapshot.title else ""
    lines = ["flowchart TD", f"    %% {heading}snapshot of {snapshot.date.isoformat()}"]
    for unit in snapshot.units.values():
        lines.append(f'    {ids[unit.id]}["{_mermaid_label(unit.name)}"]')
    for unit in snapshot.units.values():
        if unit.parent is not None:
            lines.append(f"    {ids[unit.parent]} --> {ids[unit.id]}")
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
) -> str:
    """The snapshot (or the part :func:`select` picks) in one of :data:`FORMATS`, as text."""
    return _GENERATORS[_check_export(fmt)](select(snapshot, root=root, depth=depth, lang=lang))
