// Package measure computes network measures — degree, betweenness
// centrality and PageRank — over a set of entities and the relationships
// among them, with gonum's graph algorithms.
package measure

import (
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
	index := make(map[string]int64, len(nodes))
	scores := make([]Scores, len(nodes))
	undirected, directed := simple.NewUndirectedGraph(), simple.NewDirectedGraph()
	for i, id := range nodes {
		index[id] = int64(i)
		scores[i].ID = id
		undirected.AddNode(simple.Node(i))
		directed.AddNode(simple.Node(i))
	}
	for _, r := range rels {
		from, okFrom := index[r.From]
		to, okTo := index[r.To]
		if !okFrom || !okTo || from == to {
			continue
		}
		scores[from].OutDegree++
		scores[to].InDegree++
		if !undirected.HasEdgeBetween(from, to) {
			undirected.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
		if !directed.HasEdgeFromTo(from, to) {
			directed.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
	}
	n := float64(len(nodes))
	between := network.Betweenness(undirected)
	rank := map[int64]float64{}
	if len(nodes) > 0 {
		rank = network.PageRank(directed, 0.85, 1e-8)
	}
	for i := range scores {
		s := &scores[i]
		s.Degree = s.InDegree + s.OutDegree
		// gonum counts each unordered pair twice (s→t and t→s), so
		// dividing by the ordered pairs (n-1)(n-2) gives NetworkX's
		// normalised undirected betweenness.
		if n > 2 {
			s.Betweenness = between[int64(i)] / ((n - 1) * (n - 2))
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
	return scores
}
