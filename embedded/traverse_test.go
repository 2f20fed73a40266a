package embedded_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
	"github.com/vjkg/vjkg/traverse"
)

// TestTraversalsAgreeWithGeneric compares the native path search and
// neighbourhood with the generic ones on random graphs, dense with hubs and
// sparse (where paths are long and the two sides of a search meet far from
// both ends; larger, where the levels of a search hold nodes joined to
// each other), for every limit the walk treats differently (1, a few, all)
// and every number of hops.
func TestTraversalsAgreeWithGeneric(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		entities      int
		keep, hubKeep int // relationships kept, in percent, of all and of the hubs'
	}{{"dense", 300, 100, 100}, {"sparse", 300, 22, 22}, {"large", 2000, 60, 2}} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
			g := randomGraph(rng, c.entities, src.ID)
			rels := g.Relationships[:0]
			hubs := map[string]bool{}
			for _, e := range g.Entities[:5] {
				hubs[e.ID] = true
			}
			for _, r := range g.Relationships {
				keep := c.keep
				if hubs[r.From] || hubs[r.To] {
					keep = c.hubKeep
				}
				if rng.IntN(100) < keep {
					rels = append(rels, r)
				}
			}
			g.Relationships, g.Sources = rels, []*kg.Source{src}
			s := mustOpen(t, t.TempDir())
			defer s.Close()
			if err := s.Apply(ctx, g); err != nil {
				t.Fatal(err)
			}
			options := []traverse.Options{{}, {Direction: kg.DirOut}, {Kinds: []kg.Kind{kg.KindLocality, kg.KindOrganization, kg.KindEvent}},
				{Types: []kg.RelType{kg.RelPartOf, kg.RelPartyTo, kg.RelParticipatedIn, kg.RelHeldIn}}, {MaxDegree: 30}}
			for i := range 200 {
				from, to := g.Entities[rng.IntN(len(g.Entities))].ID, g.Entities[rng.IntN(len(g.Entities))].ID
				if i%10 == 0 {
					from = g.Entities[rng.IntN(5)].ID // a hub
				}
				o := options[i%len(options)]
				hops := 1 + i%6
				for _, limit := range []int{1, 2, 3, 0} {
					want, werr := traverse.GenericShortestPaths(ctx, s, from, to, hops, o, limit)
					got, gerr := traverse.ShortestPaths(ctx, s, from, to, hops, o, limit)
					if w, g := storetest.ShowPaths(want, werr), storetest.ShowPaths(got, gerr); w != g {
						t.Fatalf("paths %s → %s, %d hops, %+v, limit %d:\n native  %s\n generic %s", from, to, hops, o, limit, g, w)
					}
				}
				for _, limit := range []int{1, 5, 40, 0} {
					depth := 1 + i%3
					want, werr := traverse.GenericNeighborhood(ctx, s, from, depth, o, limit)
					got, gerr := traverse.Neighborhood(ctx, s, from, depth, o, limit)
					if w, g := storetest.ShowSubgraph(want, werr), storetest.ShowSubgraph(got, gerr); w != g {
						t.Fatalf("neighborhood of %s, depth %d, limit %d, %+v:\n native  %s\n generic %s", from, depth, limit, o, g, w)
					}
					outlined := o
					outlined.Outline = true
					short, serr := traverse.Neighborhood(ctx, s, from, depth, outlined, limit)
					if w, g := outlineOf(got, gerr), outlineOf(short, serr); w != g {
						t.Fatalf("outlined neighborhood of %s, depth %d, limit %d, %+v:\n outlined %s\n full     %s", from, depth, limit, o, g, w)
					}
				}
			}
		})
	}
}

// outlineOf shows a subgraph's nodes and its relationships' outlines.
func outlineOf(g *traverse.Subgraph, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v %v\n", g.Nodes, g.Truncated)
	for _, r := range g.Relationships {
		fmt.Fprintf(&b, "%s %s %s(%s) %s(%s)\n", r.ID, r.Type, r.From, r.FromKind, r.To, r.ToKind)
	}
	return b.String()
}

// TestPathsThroughJoinedCrossing is a graph where the backward side of the
// path search expands last and two nodes of its last level are joined: y
// is one step from the forward side's reach, y2 only through y. The walk
// must not take y2 for a node on a shortest path, though its relationship
// to b comes first.
func TestPathsThroughJoinedCrossing(t *testing.T) {
	ctx := context.Background()
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	cite := []kg.Citation{{SourceID: src.ID, Quote: "q"}}
	b := &kg.Batch{Sources: []*kg.Source{src}}
	for _, id := range []string{"f", "x", "y", "a-y2", "b", "t", "l1", "l2", "l3", "l4", "l5"} {
		b.Entities = append(b.Entities, &kg.Entity{ID: "locality:" + id, Kind: kg.KindLocality, Name: id, Type: "CITY", Country: "VN", Citations: cite})
	}
	// f–x–y–b–t is the shortest path; x's leaves make the backward side
	// the cheaper one to expand, twice; b's relationship to y comes first
	// in b's list (so y is met first) but after its relationship to y2 by
	// id.
	for _, e := range [][2]string{{"f", "x"}, {"b", "y"}, {"b", "a-y2"}, {"y", "x"}, {"a-y2", "y"}, {"t", "b"},
		{"x", "l1"}, {"x", "l2"}, {"x", "l3"}, {"x", "l4"}, {"x", "l5"}} {
		from, to := "locality:"+e[0], "locality:"+e[1]
		b.Relationships = append(b.Relationships, &kg.Relationship{ID: kg.RelationshipID(kg.RelBorders, from, to, ""),
			Type: kg.RelBorders, From: from, To: to, Citations: cite})
	}
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 2, 0} {
		want, werr := traverse.GenericShortestPaths(ctx, s, "locality:f", "locality:t", 4, traverse.Options{}, limit)
		got, gerr := traverse.ShortestPaths(ctx, s, "locality:f", "locality:t", 4, traverse.Options{}, limit)
		if w, g := storetest.ShowPaths(want, werr), storetest.ShowPaths(got, gerr); w != g || len(want) != 1 {
			t.Fatalf("limit %d:\n native  %s\n generic %s", limit, g, w)
		}
	}
}
