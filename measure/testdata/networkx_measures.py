"""Computes degree, betweenness and PageRank of a GraphML file with NetworkX.

    python3 networkx_measures.py FILE.graphml

Prints {"node id": [degree, betweenness, pagerank], ...} as JSON.
"""
import json
import sys

import networkx as nx
import scipy  # noqa: F401  nx.pagerank needs it; named here so scripts/test.sh installs it

g = nx.read_graphml(sys.argv[1])
betweenness = nx.betweenness_centrality(nx.Graph(g))
rank = nx.pagerank(nx.DiGraph(g), alpha=0.85, tol=1e-10)
print(json.dumps({n: [g.degree(n), betweenness[n], rank[n]] for n in g.nodes}))
