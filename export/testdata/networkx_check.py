"""Reads an export with NetworkX and prints what it found, as JSON.

    python3 networkx_check.py graphml|gexf FILE

The Go test compares the counts and attributes with the graph it exported.
"""
import json
import sys

import networkx as nx

fmt, path = sys.argv[1], sys.argv[2]
g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
nodes = dict(g.nodes(data=True))
edges = {}
for u, v, key, data in g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, None, d) for u, v, d in g.edges(data=True)):
    eid = data.get("id", key)
    edges[str(eid)] = {"source": u, "target": v, **{k: str(val) for k, val in data.items()}}
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": len(nodes),
    "edges": g.number_of_edges(),
    "node": {n: {k: str(v) for k, v in d.items()} for n, d in nodes.items()},
    "edge": edges,
}, ensure_ascii=False))
