"""NetworkX's shortest paths on the benchmark's graph, as a yardstick for `paths`.

Usage: nx_paths.py NODES_CSV EDGES_CSV PAIRS RESULTS

Loads the generated graph into an undirected nx.Graph (not timed), then times
nx.bidirectional_shortest_path in-process for each pair of PAIRS (one "from to"
a line, the pairs the load generator sent to `paths`) and appends to RESULTS:
"networkx PAIRS P50_MS P99_MS FOUND_PERCENT LOAD_SECONDS".
"""

import csv
import sys
import time

import networkx as nx


def column(header, name):
    lowered = [h.strip().lower() for h in header]
    return lowered.index(name.lower())


def main(nodes_csv, edges_csv, pairs_file, results):
    start = time.perf_counter()
    graph = nx.Graph()
    with open(nodes_csv, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        i = column(next(rows), "Id")
        graph.add_nodes_from(row[i] for row in rows)
    with open(edges_csv, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        s, t = column(header, "Source"), column(header, "Target")
        graph.add_edges_from((row[s], row[t]) for row in rows)
    loaded = time.perf_counter() - start
    print(f"networkx: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges loaded in {loaded:.1f} s",
          file=sys.stderr)

    with open(pairs_file, encoding="utf-8") as f:
        pairs = [line.split() for line in f if line.strip()]
    times, found = [], 0
    for a, b in pairs:
        t0 = time.perf_counter()
        try:
            nx.bidirectional_shortest_path(graph, a, b)
            found += 1
        except nx.NetworkXNoPath:
            pass
        times.append(time.perf_counter() - t0)
    if not times:
        sys.exit("networkx: no pairs")
    times.sort()

    def percentile(q):  # nearest rank, as the load generator computes it
        return times[max((len(times) * q + 99) // 100 - 1, 0)] * 1000

    line = f"networkx {len(times)} {percentile(50):.4f} {percentile(99):.4f} {100 * found / len(times):.1f} {loaded:.1f}"
    print(line, file=sys.stderr)
    with open(results, "a", encoding="utf-8") as f:
        print(line, file=f)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
