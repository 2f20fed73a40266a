"""Reads an export with NetworkX and prints what it found, as JSON.

    python3 networkx_check.py graphml|gexf|cytoscape FILE
    python3 networkx_check.py csv DIRECTORY     (nodes.csv and edges.csv)

The Go test compares the counts and attributes with the graph it exported.
"""
import csv
import json
import os
import sys

import networkx as nx

fmt, path = sys.argv[1], sys.argv[2]
if fmt == "graphml":
    g = nx.read_graphml(path)
elif fmt == "gexf":
    g = nx.read_gexf(path)
elif fmt == "cytoscape":
    with open(path, encoding="utf-8") as f:
        g = nx.cytoscape_graph(json.load(f))
else:
    # The CSV lists as a spreadsheet or pandas reads them: a row a node, a row an edge.
    g = nx.MultiDiGraph()
    with open(os.path.join(path, "nodes.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            g.add_node(row["Id"], label=row["Label"], **{k: v for k, v in row.items() if k not in ("Id", "Label") and v})
    with open(os.path.join(path, "edges.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            g.add_edge(row["Source"], row["Target"], key=row["Id"], id=row["Id"],
                       **{k: v for k, v in row.items() if k not in ("Id", "Source", "Target") and v})

nodes = dict(g.nodes(data=True))
edges = {}
triples = g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, None, d) for u, v, d in g.edges(data=True))
for u, v, key, data in triples:
    eid = data.get("id", key)
    edges[str(eid)] = {"source": u, "target": v, **{k: str(val) for k, val in data.items()}}
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": len(nodes),
    "edges": g.number_of_edges(),
    "node": {n: {k: str(v) for k, v in d.items()} for n, d in nodes.items()},
    "edge": edges,
}, ensure_ascii=False))
