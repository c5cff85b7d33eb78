"""Exports read back through networkx, render with Graphviz, and parse as Mermaid."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from orgmodel.export import (
    flat_attributes,
    generate_dot,
    generate_gexf,
    generate_graphml,
    generate_json,
    generate_mermaid,
)
from orgmodel.history import to_graph

DATES = ["2020", "2021", "2022", "2023"]


def _expected(snapshot):
    graph = to_graph(snapshot)
    return {n: flat_attributes(a) for n, a in graph.nodes(data=True)}, set(graph.edges)


@pytest.mark.parametrize("date", DATES)
def test_graphml_reads_back(example, tmp_path: Path, date):
    snapshot = example.at(date)
    path = tmp_path / "g.graphml"
    path.write_text(generate_graphml(snapshot), encoding="utf-8")
    back = nx.read_graphml(path)
    nodes, edges = _expected(snapshot)
    labelled = {n: {"label": a["name"], **a} for n, a in nodes.items()}
    assert dict(back.nodes(data=True)) == labelled
    assert set(back.edges) == edges
    assert (back.graph["date"], back.graph["title"]) == (snapshot.date.isoformat(), snapshot.title)


@pytest.mark.parametrize("date", DATES)
def test_gexf_reads_back(example, tmp_path: Path, date):
    snapshot = example.at(date)
    path = tmp_path / "g.gexf"
    path.write_text(generate_gexf(snapshot), encoding="utf-8")
    back = nx.read_gexf(path)
    nodes, edges = _expected(snapshot)
    labelled = {n: {**a, "label": a["name"]} for n, a in nodes.items()}
    assert dict(back.nodes(data=True)) == labelled
    assert set(back.edges) == edges


def test_json_is_node_link_with_full_attributes(example):
    data = json.loads(generate_json(example.at("2021")))
    back = nx.node_link_graph(data)  # networkx's defaults
    assert back.nodes["streaming"]["lineage"] == ["video", "music"]
    assert back.graph["date"] == "2021-01-01"
    assert set(back.edges) == set(to_graph(example.at("2021")).edges)


@pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"),
    reason="Graphviz is not installed here (CI installs it)",
)
@pytest.mark.parametrize("date", DATES)
def test_dot_renders_with_graphviz(example, date):
    result = subprocess.run(
        ["dot", "-Tsvg"],
        input=generate_dot(example.at(date)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    snapshot = example.at(date)
    for unit in snapshot.units.values():
        assert unit.name.replace("&", "&amp;") in result.stdout


def test_dot_quotes_awkward_names():
    import datetime as dt

    from orgmodel import Snapshot, Unit

    s = Snapshot(
        dt.date(2020, 1, 1),
        [Unit(id="g", name='The "Big" \\ Group', kind="holding")],
        title="T",
    )
    assert '"g" [label="The \\"Big\\" \\\\ Group\\nholding", ' in generate_dot(s)


# The flowchart subset we write: a header, quoted-label node lines and plain arrows.
MERMAID_LINE = re.compile(
    r'^    (n\d+\["[^"\n]*"\]|n\d+ --> n\d+|%% [^\n]*'
    r"|classDef \w+ [\w-]+:[^;,]+(,[\w-]+:[^;,]+)*|class n\d+(,n\d+)* \w+)$"
)


@pytest.mark.parametrize("date", DATES)
def test_mermaid_is_flowchart_syntax(example, date):
    snapshot = example.at(date)
    lines = generate_mermaid(snapshot).splitlines()
    assert lines[0] == "flowchart TD"
    assert all(MERMAID_LINE.match(line) for line in lines[1:]), lines
    declared = {line.split("[")[0].strip() for line in lines[1:] if '["' in line}
    used = {part for line in lines[1:] if "-->" in line for part in line.split(" --> ")}
    assert {u.strip() for u in used} <= declared
    assert len(declared) == len(snapshot.units)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_is_well_formed_whatever_the_text(fmt):
    """Checked text holds no control characters; a snapshot built without checks still
    exports as XML that parses."""
    import datetime as dt
    import xml.dom.minidom

    from orgmodel.export import export
    from orgmodel.model import Unit
    from orgmodel.snapshot import Snapshot

    unchecked = Unit.model_construct(
        id="a", name="A\x1b[31m\x00\udc80", kind="company", parent="g", status="active"
    )
    snapshot = Snapshot(
        dt.date(2020, 1, 1), [Unit(id="g", name="G", kind="holding"), unchecked], title="T\x07"
    )
    text = export(snapshot, fmt)
    xml.dom.minidom.parseString(text.encode("utf-8", "surrogatepass"))
    assert "A\\u001b[31m\\u0000\\udc80" in text
