package embedded_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
	"github.com/vjkg/vjkg/traverse"
)

// TestTraversalsAgreeWithGeneric compares the native path search and
// neighbourhood with the generic ones on random graphs, dense with hubs and
// sparse (where paths are long and the two sides of a search meet far from
// both ends), for every limit the walk treats differently (1, a few, all)
// and every number of hops.
func TestTraversalsAgreeWithGeneric(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		keep int // relationships kept, in percent
	}{{"dense", 100}, {"sparse", 22}} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
			g := randomGraph(rng, 300, src.ID)
			rels := g.Relationships[:0]
			for _, r := range g.Relationships {
				if rng.IntN(100) < c.keep {
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
			for i := range 150 {
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
				}
			}
		})
	}
}
