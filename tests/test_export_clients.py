"""Every export read back by the program its users open it in: networkx and igraph for
GraphML, networkx and graphology (Gephi Lite's library) for GEXF, the formats' own XSDs (GEXF
1.2, GraphML 1.1, checked by libxml2 through lxml), Graphviz for DOT, d3-hierarchy
for node-link JSON, ajv (strict) and jsonschema for the schemas.

The JavaScript clients are installed by ``.ci/run`` into ``.ci/node`` (``npm ci``); Graphviz by
apt. Where a client is missing on a developer's machine the test is skipped there, never in CI.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import networkx as nx
import pytest
import yaml
from lxml import etree

import orgmodel
from orgmodel.export import (
    export,
    generate_dot,
    generate_gexf,
    generate_graphml,
    generate_history_gexf,
    generate_json,
    generate_mermaid,
    select,
)
from orgmodel.schemas import schema

from .randomhistory import random_history

ROOT = Path(__file__).parent.parent
NODE_DIR = ROOT / ".ci" / "node"
IN_CI = bool(os.environ.get("CI"))

needs_node = pytest.mark.skipif(
    not (NODE_DIR / "node_modules").is_dir() and not IN_CI,
    reason="the JavaScript clients are not installed here (bash .ci/run installs them)",
)
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not IN_CI,
    reason="Graphviz is not installed here (CI installs it)",
)


@pytest.fixture(scope="module")
def history() -> orgmodel.History:
    return orgmodel.load_history()


def node(script: str, *files: tuple[str, str], tmp_path: Path) -> str:
    """Run an ES module script in .ci/node, where the clients are; ``files`` are written to
    ``tmp_path`` first and the script finds them there by name."""
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(tmp_path)],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_graphml_is_utf8_with_labels_and_igraph_reads_it(history, tmp_path):
    igraph = pytest.importorskip("igraph")
    snapshot = history.at("2023-05-18")
    text = generate_graphml(snapshot)
    assert "&#" not in text and "爱橙科技" in text
    path = tmp_path / "g.graphml"
    path.write_text(text, encoding="utf-8")
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.is_directed()
    names = {v["id"]: v["label"] for v in graph.vs}
    assert names == {uid: u.name for uid, u in snapshot.units.items()}
    edges = {(graph.vs[e.source]["id"], graph.vs[e.target]["id"]) for e in graph.es}
    assert edges == {(u.parent, u.id) for u in snapshot.units.values() if u.parent}
    assert graph["date"] == "2023-05-18"


@needs_node
def test_graphology_reads_graphml_and_gexf_with_names_as_labels(history, tmp_path):
    snapshot = history.at("2023-05-18")
    out = node(
        """
        import fs from "fs"; import Graph from "graphology";
        import gexf from "graphology-gexf"; import graphml from "graphology-graphml";
        const dir = process.argv[1];
        const read = (name) => fs.readFileSync(`${dir}/${name}`, "utf8");
        const a = graphml.parse(Graph, read("g.graphml"));
        const b = gexf.parse(Graph, read("g.gexf"));
        const labels = (g) => Object.fromEntries(g.mapNodes((n, at) => [n, at.label]));
        const zh = b.getNodeAttribute("aicheng", "name_zh");
        console.log(JSON.stringify({graphml: labels(a), gexf: labels(b), meta: b.getAttributes(),
                                    edges: [a.size, b.size], zh}));
        """,
        ("g.graphml", generate_graphml(snapshot)),
        ("g.gexf", generate_gexf(snapshot)),
        tmp_path=tmp_path,
    )
    got = json.loads(out)
    names = {uid: u.name for uid, u in snapshot.units.items()}
    assert got["graphml"] == names and got["gexf"] == names
    assert got["meta"]["description"] == snapshot.title
    assert got["meta"]["lastModifiedDate"] == "2023-05-18"
    assert got["edges"] == [len(snapshot.units) - 1] * 2
    assert got["zh"] == "爱橙科技"


def test_gexf_follows_gexf_12(history):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(generate_gexf(history.at("2023-05-18")))
    ns = "{http://www.gexf.net/1.2draft}"
    assert root.tag == f"{ns}gexf" and root.get("version") == "1.2"
    graph = root.find(f"{ns}graph")
    assert graph is not None
    # GEXF 1.2's <graph> has no name attribute (an empty one fails the XSD)
    assert set(graph.attrib) == {"defaultedgetype", "mode"}
    declared = {a.get("id") for a in graph.iter(f"{ns}attribute")}
    used = {v.get("for") for v in graph.iter(f"{ns}attvalue")}
    assert used <= declared


XSD = ROOT / "tests" / "data" / "xsd"
GRAPHML_AT = "http://graphml.graphdrawing.org/xmlns/1.1/"


class _VendoredGraphml(etree.Resolver):
    """The GraphML schema files name each other by their web addresses: read the copies in
    tests/data/xsd instead (the parser has the network off)."""

    def resolve(self, url, pubid, context):
        if url.startswith(GRAPHML_AT):
            return self.resolve_filename(str(XSD / "graphml-1.1" / url[len(GRAPHML_AT) :]), context)
        return None


@functools.cache
def _xsd(fmt: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_VendoredGraphml())
    path = XSD / ("gexf-1.2draft/gexf.xsd" if fmt == "gexf" else "graphml-1.1/graphml.xsd")
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(fmt: str, text: str) -> None:
    """The document passes the format's own XSD (GEXF 1.2, GraphML 1.1), checked by libxml2."""
    xsd = _xsd(fmt)
    document = etree.fromstring(text.encode("utf-8"), etree.XMLParser(no_network=True))
    assert xsd.validate(document), [str(error) for error in xsd.error_log][:5]


def hostile_snapshot() -> orgmodel.Snapshot:
    """Names that XML, Markdown, Mermaid and shells treat as syntax, and Chinese ones."""
    names = [
        'He said "no" & left',
        "<b>bold</b> ]]> <![CDATA[x]]>",
        "[brackets] (parens) {braces} |pipe| #hash; ;semi",
        "`tick` *star* _under_ 'single' %% comment",
        "阿里巴巴（中国）有限公司 «» — 🐉",
        "-->  --- ==> &amp; &#quot; \\back\\slash",
        "line\\nbreak #35; #quot; %%{init: {}}%%",
        "end",
    ]
    units = [orgmodel.Unit(id="g", name="Group «1»", name_zh="集团", kind="holding")]
    units += [
        orgmodel.Unit(id=f"u{i}.x-y_{i}", name=name, kind="company", parent="g")
        for i, name in enumerate(names)
    ]
    units.append(orgmodel.Unit(id="9", name="graph", kind="unit", parent="u0.x-y_0"))
    return orgmodel.Snapshot(
        dt.date(2020, 1, 1),
        units,
        title='A "title" <i>with</i> & 标题 %%{init: {"theme": "dark"}}%%',
    )


def biggest_branch(snapshot: orgmodel.Snapshot) -> str:
    """The top unit with the most below it, whatever the data names it."""
    return max(snapshot.children(snapshot.root), key=lambda u: len([*snapshot.descendants(u)]))


def test_the_xsd_check_rejects_what_the_schemas_forbid(history):
    """The validators are not vacuous: the defects the exports once had fail them."""
    gexf = generate_gexf(history.at("2023-05-18"))
    with pytest.raises(AssertionError):
        assert_valid("gexf", gexf.replace('<graph defaultedgetype="directed"', '<graph name=""', 1))
    with pytest.raises(AssertionError):
        assert_valid("gexf", gexf.replace('for="0"', 'for="0" colour="red"', 1))
    graphml = generate_graphml(history.at("2023-05-18"))
    with pytest.raises(AssertionError):
        assert_valid("graphml", graphml.replace('edgedefault="directed"', "", 1))
    with pytest.raises(AssertionError):
        assert_valid("graphml", graphml.replace('target="', 'target="missing-', 1))


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_every_bundled_snapshot_exports_valid_against_the_xsd(history, fmt):
    for snapshot in history.snapshots:
        assert_valid(fmt, export(snapshot, fmt))


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_parts_and_languages_export_valid_against_the_xsd(history, fmt):
    snapshot = history.at("2023-05-18")
    branch = biggest_branch(snapshot)
    for options in [{"lang": "zh"}, {"root": branch, "depth": 1}, {"depth": 0}]:
        assert_valid(fmt, export(snapshot, fmt, **options))


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_hostile_names_export_valid_and_read_back_unchanged(fmt):
    snapshot = hostile_snapshot()
    text = export(snapshot, fmt)
    assert_valid(fmt, text)
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    back = read(io.BytesIO(text.encode("utf-8")))
    assert {n: back.nodes[n]["label"] for n in back} == {
        uid: u.name for uid, u in snapshot.units.items()
    }


def test_dynamic_gexf_of_histories_is_valid_against_the_xsd(history):
    assert_valid("gexf", generate_history_gexf(history))
    assert_valid("gexf", generate_history_gexf(random_history(80, 12, seed=7)))
    hostile = hostile_snapshot()
    later = orgmodel.Snapshot(
        dt.date(2021, 6, 30), [u for u in hostile.units.values() if u.id != "9"], title="<later>"
    )
    assert_valid("gexf", generate_history_gexf(orgmodel.History([hostile, later], title="&")))


def test_dynamic_gexf_plays_the_history(history):
    back = nx.read_gexf(io.BytesIO(generate_history_gexf(history).encode("utf-8")))
    assert back.graph["mode"] == "dynamic"
    assert set(back.nodes) == history.unit_ids()
    aicheng = back.nodes["aicheng"]
    assert aicheng["label"] == "Aicheng Technology"
    # a stand-alone company from its carve-out to the day before its return
    assert aicheng["status"] == [
        ("standalone", "2023-05-10", "2023-11-15"),
        ("active", "2023-11-16", "None"),
    ]
    hema_jishi = back.nodes["hema-jishi"]["spells"]
    # launched as Hema Youxuan in October 2020, taken into the MMC group on 2021-03-01
    assert hema_jishi == [("2020-10-31", "2021-02-28")]
    assert set(back.edges) == {
        (u.parent, u.id) for s in history.snapshots for u in s.units.values() if u.parent
    }


def test_node_link_json_reads_with_networkx_defaults(history):
    snapshot = history.at("2023-05-18")
    back = nx.node_link_graph(json.loads(generate_json(snapshot)))
    assert back.is_directed()
    assert set(back.edges) == {(u.parent, u.id) for u in snapshot.units.values() if u.parent}
    assert back.nodes["aicheng"]["name_zh"] == "爱橙科技"


@needs_node
def test_node_link_json_is_stratified_by_d3_with_its_defaults(history, tmp_path):
    snapshot = history.at("2023-05-18")
    out = node(
        """
        import fs from "fs"; import {stratify} from "d3-hierarchy";
        const data = JSON.parse(fs.readFileSync(`${process.argv[1]}/g.json`, "utf8"));
        const root = stratify()(data.nodes);
        console.log(JSON.stringify({root: root.id, count: root.descendants().length,
                                    height: root.height, links: data.links.length}));
        """,
        ("g.json", generate_json(snapshot)),
        tmp_path=tmp_path,
    )
    got = json.loads(out)
    depth = max(snapshot.depth(uid) for uid in snapshot.units)
    assert got == {
        "root": snapshot.root,
        "count": len(snapshot.units),
        "height": depth,
        "links": len(snapshot.units) - 1,
    }


MMDC = NODE_DIR / "node_modules" / ".bin" / "mmdc"
needs_mmdc = pytest.mark.skipif(
    not MMDC.exists() and not IN_CI,
    reason="the Mermaid CLI is not installed here (bash .ci/run installs it)",
)
#: A diagram the Mermaid CLI must refuse: it proves that a parse error fails the test.
BROKEN_MERMAID = 'flowchart TD\n    n0["unclosed] --> n1\n'


def _mermaid_labels(svg: Path) -> dict[str, tuple[str, set[str]]]:
    """Each flowchart node of a Mermaid SVG: its id (n0, n1, ...) -> the text it shows, and its
    classes."""
    tree = etree.parse(str(svg), etree.XMLParser(no_network=True, huge_tree=True))
    found = {}
    for group in tree.iter("{http://www.w3.org/2000/svg}g"):
        classes = set((group.get("class") or "").split())
        match = re.search(r"-(n\d+)-\d+$", group.get("id") or "")
        if match and "node" in classes:
            found[match.group(1)] = ("".join(group.itertext()), classes)
    return found


def _mmdc(diagrams: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Render every diagram with one Mermaid CLI process (one browser), from a Markdown file:
    out-1.svg, out-2.svg, ... in tmp_path. Chromium is the system's (.ci/run installs it)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium is not None, "the Mermaid CLI needs Chromium (.ci/run installs it)"
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": chromium, "args": args}), encoding="utf-8")
    blocks = "".join(f"```mermaid\n{text}```\n\n" for text in diagrams)
    (tmp_path / "in.md").write_text(blocks, encoding="utf-8")
    return subprocess.run(
        [str(MMDC), "-p", str(config), "-i", "in.md", "-o", "out.md", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@needs_mmdc
def test_mermaid_cli_renders_every_label_as_written(history, tmp_path):
    """Bundled snapshots (English and Chinese, whole and in part) and hostile names, drawn by
    the Mermaid CLI: every node shows the unit's name exactly, with its kind's class and its
    standing's; the broken diagram at the end fails with Mermaid's parse error."""
    first, crisis, last = history.snapshots[0], history.at("2023-05-18"), history.snapshots[-1]
    kinds = tuple(history.kinds or ())
    parts = [
        first,
        history.at("2015-12-07"),
        crisis,
        select(crisis, lang="zh"),
        select(crisis, root=biggest_branch(crisis), depth=1),
        last,
        hostile_snapshot(),
    ]
    diagrams = [generate_mermaid(s, kinds) for s in parts]
    # no directive (``%%{init: ...}%%``) from a title or a name reaches Mermaid
    assert "%%{" not in diagrams[-1] and "%%{" in parts[-1].title
    result = _mmdc([*diagrams, BROKEN_MERMAID], tmp_path)
    assert result.returncode != 0 and "unclosed" in result.stderr, result.stderr
    for number, snapshot in enumerate(parts, start=1):
        shown = _mermaid_labels(tmp_path / f"out-{number}.svg")
        ids = {f"n{i}": uid for i, uid in enumerate(snapshot.units)}
        assert {n: text for n, (text, _) in shown.items()} == {
            n: snapshot.units[uid].name for n, uid in ids.items()
        }
        for n, (_, classes) in shown.items():
            unit = snapshot.units[ids[n]]
            assert ("listed" in classes) == (unit.status == "listed"), (unit.id, classes)
            assert any(c.startswith("kind") for c in classes), (unit.id, classes)
    assert not (tmp_path / f"out-{len(parts) + 1}.svg").exists()
    # the whole trees read as pictures, not as a strip (wide ones are drawn left to right)
    for number in (1, 2, 3, 4, 6):
        width, height = _svg_size(tmp_path / f"out-{number}.svg")
        assert max(width / height, height / width) < 4, (number, width, height)


def _svg_size(svg: Path) -> tuple[float, float]:
    box = etree.parse(str(svg), etree.XMLParser(huge_tree=True)).getroot().get("viewBox")
    _, _, width, height = (float(v) for v in box.split())
    return width, height


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@needs_dot
def test_dot_of_every_bundled_snapshot_renders_readably(history):
    for snapshot in history.snapshots:
        result = subprocess.run(
            ["dot", "-Tpng"],
            input=generate_dot(snapshot, tuple(history.kinds or ())).encode(),
            capture_output=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        width, height = _png_size(result.stdout)
        assert max(width / height, height / width) < 2.5, (snapshot.date, width, height)


@needs_dot
def test_graphviz_shows_every_name_as_written(history):
    """Graphviz's own SVG of the DOT: each node's first line is the unit's name, exactly
    (Graphviz expands entities and backslash escapes in labels; the export must not let it)."""
    ns = {"s": "http://www.w3.org/2000/svg"}
    for snapshot in [
        history.at("2023-05-18"),
        select(history.at("2023-05-18"), lang="zh"),
        hostile_snapshot(),
    ]:
        svg = subprocess.run(
            ["dot", "-Tsvg"], input=generate_dot(snapshot).encode(), capture_output=True, check=True
        ).stdout
        shown = {
            group.findtext("s:title", namespaces=ns): group.findtext("s:text", namespaces=ns)
            for group in etree.fromstring(svg).iterfind(".//s:g[@class='node']", ns)
        }
        # SVG keeps a run of spaces as no-break spaces
        assert {uid: text.replace("\xa0", " ") for uid, text in shown.items()} == {
            uid: unit.name for uid, unit in snapshot.units.items()
        }


class _NoTimestamps(yaml.SafeLoader):
    """YAML as a YAML language server checks it against a schema: dates stay text."""


_NoTimestamps.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoTimestamps)


def test_bundled_files_pass_their_schemas_with_jsonschema():
    import jsonschema

    folder = ROOT / "snapshots"
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    sources = jsonschema.Draft202012Validator(schema("sources"), format_checker=checker)
    sources.validate(_yaml(folder / "sources.yaml"))
    # what orgmodel accepts, the schema accepts: a year written as a YAML number
    unquoted = "sources:\n  r: {title: T, publisher: P, date: 2023}\n"
    data = yaml.load(unquoted, Loader=_NoTimestamps)
    assert data["sources"]["r"]["date"] == 2023
    sources.validate(data)
    orgmodel.Bibliography.model_validate(data)
    with pytest.raises(jsonschema.ValidationError):
        sources.validate(yaml.load(unquoted.replace("2023", "23"), Loader=_NoTimestamps))
    snapshots = jsonschema.Draft202012Validator(schema("snapshot"), format_checker=checker)
    for path in sorted(folder.glob("*.yaml")):
        if path.name != "sources.yaml":
            snapshots.validate(_yaml(path))


@needs_node
def test_schemas_compile_under_ajv_strict_and_accept_what_orgmodel_writes(history, tmp_path):
    from orgmodel.report import changes_report, diff_report, history_names

    names = history_names(history)
    diff = diff_report(history.diff("2023", "2025"), names, "json")
    steps = changes_report(history.changes(), history.dates[0], history.dates[-1], names, "json")
    files = [(f"{n}.schema.json", json.dumps(schema(n))) for n in ("events", "snapshot", "sources")]
    out = node(
        """
        import fs from "fs"; import Ajv2020 from "ajv/dist/2020.js";
        import addFormats from "ajv-formats";
        const dir = process.argv[1];
        const read = (name) => JSON.parse(fs.readFileSync(`${dir}/${name}`, "utf8"));
        const ajv = new Ajv2020({strict: true, allErrors: true}); addFormats(ajv);
        const events = ajv.compile(read("events.schema.json"));
        ajv.compile(read("snapshot.schema.json")); ajv.compile(read("sources.schema.json"));
        const diff = read("diff.json");
        const bad = {...diff, events: [{...diff.events[0], kind: "teleported"}]};
        console.log(JSON.stringify([events(diff), events(read("log.json")), events(bad)]));
        """,
        *files,
        ("diff.json", diff),
        ("log.json", steps),
        tmp_path=tmp_path,
    )
    assert json.loads(out) == [True, True, False]
