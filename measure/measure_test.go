package measure

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

func rel(from, to string) *kg.Relationship {
	return &kg.Relationship{ID: from + "->" + to, From: from, To: to}
}

func TestStar(t *testing.T) {
	// A star: the hub lies on every shortest path between two leaves.
	nodes := []string{"hub", "a", "b", "c", "d"}
	rels := []*kg.Relationship{rel("a", "hub"), rel("b", "hub"), rel("c", "hub"), rel("d", "hub"), rel("a", "hub")}
	got := Compute(nodes, rels, ByBetweenness)
	if got[0].ID != "hub" || got[0].Betweenness != 1 || got[0].Degree != 5 || got[0].InDegree != 5 {
		t.Errorf("hub = %+v", got[0])
	}
	for _, s := range got[1:] {
		if s.Betweenness != 0 {
			t.Errorf("leaf %s betweenness = %v", s.ID, s.Betweenness)
		}
	}
	byRank := Compute(nodes, rels, ByPageRank)
	if byRank[0].ID != "hub" {
		t.Errorf("PageRank should favour the hub every leaf points to: %+v", byRank)
	}
	sum := 0.0
	for _, s := range byRank {
		sum += s.PageRank
	}
	if math.Abs(sum-1) > 1e-6 {
		t.Errorf("PageRank sums to %v", sum)
	}
}

func TestPathGraph(t *testing.T) {
	// a – b – c: b is on the one shortest path between a and c.
	got := Compute([]string{"a", "b", "c"}, []*kg.Relationship{rel("a", "b"), rel("b", "c"), rel("c", "outside")}, ByDegree)
	if got[0].ID != "b" || got[0].Degree != 2 || got[0].Betweenness != 1 || got[1].Degree != 1 {
		t.Errorf("scores = %+v", got)
	}
}

func TestEmpty(t *testing.T) {
	if got := Compute(nil, nil, ByDegree); len(got) != 0 {
		t.Errorf("got %v", got)
	}
}

func TestComputeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	nodes := []string{"a", "b", "c"}
	if _, err := ComputeContext(ctx, nodes, []*kg.Relationship{rel("a", "b"), rel("b", "c")}, ByDegree); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
