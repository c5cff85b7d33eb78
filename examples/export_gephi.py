"""Export the structure in force on a date to GraphML, for Gephi or any graph tool.

Writes ``alibaba-2023-06-01.graphml`` (into the folder given as the first argument, or ``out/``)
and reads it back with networkx to show what Gephi will see: one node per unit with its name,
kind, status and depth as attributes, one edge per parent -> child.
"""

import sys
from pathlib import Path

import networkx as nx

import orgmodel
from orgmodel.export import generate_graphml
from orgmodel.output import write_atomic

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")
out.mkdir(parents=True, exist_ok=True)

history = orgmodel.load_history()
snapshot = history.at("2023-06-01")
path = write_atomic(out / f"alibaba-{snapshot.date}.graphml", generate_graphml(snapshot))

graph = nx.read_graphml(path)
print(
    f"{path}: snapshot of {snapshot.date}, {graph.number_of_nodes()} units, "
    f"{graph.number_of_edges()} edges"
)
kinds: dict[str, int] = {}
for _, attrs in graph.nodes(data=True):
    kinds[attrs["kind"]] = kinds.get(attrs["kind"], 0) + 1
for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
    print(f"  {count:>3} {kind}")
