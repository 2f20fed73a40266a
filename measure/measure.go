// Package measure computes network measures — degree, betweenness
// centrality and PageRank — over a set of entities and the relationships
// among them, with gonum's graph algorithms.
package measure

import (
	"context"
	"math"
	"sort"

	"github.com/vjkg/vjkg/kg"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// Scores are one entity's measures.
type Scores struct {
	ID                          string
	Degree, InDegree, OutDegree int // relationships within the set, parallel ones counted
	// Betweenness is the share of shortest paths between other entities that
	// pass through this one, treating relationships as undirected and
	// normalised to [0, 1] as NetworkX does.
	Betweenness float64
	// PageRank follows relationships in their direction, damping 0.85.
	PageRank float64
}

// Field names a measure to order by.
type Field string

// The measures.
const (
	ByDegree      Field = "DEGREE"
	ByBetweenness Field = "BETWEENNESS"
	ByPageRank    Field = "PAGERANK"
)

// Compute returns the measures of every node, ordered by the field, highest
// first, ties by id. Relationships with an end outside nodes are ignored.
func Compute(nodes []string, rels []*kg.Relationship, by Field) []Scores {
	scores, _ := ComputeContext(context.Background(), nodes, rels, by)
	return scores
}

// ComputeContext is Compute that stops with ctx's error when ctx ends:
// betweenness takes time that grows with the nodes times the
// relationships, and it looks at ctx after each node's shortest paths.
func ComputeContext(ctx context.Context, nodes []string, rels []*kg.Relationship, by Field) ([]Scores, error) {
	index := make(map[string]int, len(nodes))
	scores := make([]Scores, len(nodes))
	directed := simple.NewDirectedGraph()
	for i, id := range nodes {
		index[id] = i
		scores[i].ID = id
		directed.AddNode(simple.Node(i))
	}
	// Betweenness treats relationships as undirected and parallel ones as
	// one: adjacency lists of a simple undirected graph.
	adj := make([][]int, len(nodes))
	linked := map[[2]int]bool{}
	for _, r := range rels {
		from, okFrom := index[r.From]
		to, okTo := index[r.To]
		if !okFrom || !okTo || from == to {
			continue
		}
		scores[from].OutDegree++
		scores[to].InDegree++
		if pair := [2]int{min(from, to), max(from, to)}; !linked[pair] {
			linked[pair] = true
			adj[from] = append(adj[from], to)
			adj[to] = append(adj[to], from)
		}
		if !directed.HasEdgeFromTo(int64(from), int64(to)) {
			directed.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
	}
	between, err := betweenness(ctx, adj)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := float64(len(nodes))
	rank := map[int64]float64{}
	if len(nodes) > 0 {
		rank = network.PageRank(directed, 0.85, 1e-8)
	}
	for i := range scores {
		s := &scores[i]
		s.Degree = s.InDegree + s.OutDegree
		// Brandes counts each unordered pair twice (s→t and t→s), so
		// dividing by the ordered pairs (n-1)(n-2) gives NetworkX's
		// normalised undirected betweenness.
		if n > 2 {
			s.Betweenness = between[i] / ((n - 1) * (n - 2))
		}
		s.PageRank = rank[int64(i)]
	}
	// Iterative measures carry floating-point noise that depends on the
	// order nodes are visited in; comparing at nine decimals keeps the
	// ranking, ties by id included, the same whichever store the set came from.
	key := func(s Scores) float64 {
		switch by {
		case ByBetweenness:
			return math.Round(s.Betweenness*1e9) / 1e9
		case ByPageRank:
			return math.Round(s.PageRank*1e9) / 1e9
		}
		return float64(s.Degree)
	}
	sort.SliceStable(scores, func(i, j int) bool {
		if a, b := key(scores[i]), key(scores[j]); a != b {
			return a > b
		}
		return scores[i].ID < scores[j].ID
	})
	return scores, nil
}

// betweenness is Brandes's algorithm on an unweighted undirected graph: for
// each source, a breadth-first search counts shortest paths, and their
// dependencies are summed back from the farthest nodes. It looks at ctx
// after each source.
func betweenness(ctx context.Context, adj [][]int) ([]float64, error) {
	n := len(adj)
	between := make([]float64, n)
	sigma := make([]float64, n) // shortest paths from the source
	dist := make([]int, n)
	delta := make([]float64, n)
	preds := make([][]int, n)
	order := make([]int, 0, n) // nodes in the order the search reached them
	queue := make([]int, 0, n)
	for s := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range n {
			sigma[i], dist[i], delta[i], preds[i] = 0, -1, 0, preds[i][:0]
		}
		sigma[s], dist[s] = 1, 0
		order, queue = order[:0], append(queue[:0], s)
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			order = append(order, v)
			for _, w := range adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
					preds[w] = append(preds[w], v)
				}
			}
		}
		for i := len(order) - 1; i > 0; i-- {
			w := order[i]
			for _, v := range preds[w] {
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			between[w] += delta[w]
		}
	}
	return between, nil
}
