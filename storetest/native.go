package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// CheckNative requires a store's own traversals and relationship pages
// (traverse.PathFinder, traverse.NeighborhoodFinder, kg.RelationshipPager),
// where it has them, to give exactly the answers of the generic versions
// over Expand, for every pair of the given entities and several options.
func CheckNative(t *testing.T, s kg.Store, ids []string) {
	t.Helper()
	ctx := context.Background()
	options := []traverse.Options{
		{},
		{Direction: kg.DirOut},
		{Direction: kg.DirIn},
		{Types: []kg.RelType{kg.RelPartyTo, kg.RelPartOf, kg.RelParticipatedIn}},
		{Kinds: []kg.Kind{kg.KindLocality, kg.KindAgreement, kg.KindEvent}},
		{AsOf: "2024-01-01"},
		{AsOf: "2025-07-01", Types: []kg.RelType{kg.RelPartOf, kg.RelMergedInto, kg.RelHeldIn}},
	}
	if _, ok := s.(traverse.PathFinder); ok {
		for _, o := range options {
			for i, from := range ids {
				for _, to := range ids[i:] {
					for _, limit := range []int{0, 3} {
						want, werr := traverse.GenericShortestPaths(ctx, s, from, to, 4, o, limit)
						got, gerr := traverse.ShortestPaths(ctx, s, from, to, 4, o, limit)
						if w, g := showPaths(want, werr), showPaths(got, gerr); w != g {
							t.Fatalf("paths %s → %s, %+v, limit %d:\n native  %s\n generic %s", from, to, o, limit, g, w)
						}
					}
				}
			}
		}
	}
	if _, ok := s.(traverse.NeighborhoodFinder); ok {
		for _, o := range options {
			for _, id := range ids {
				for _, c := range []struct{ depth, limit int }{{1, 0}, {2, 0}, {2, 10}, {3, 25}} {
					want, werr := traverse.GenericNeighborhood(ctx, s, id, c.depth, o, c.limit)
					got, gerr := traverse.Neighborhood(ctx, s, id, c.depth, o, c.limit)
					if w, g := showSubgraph(want, werr), showSubgraph(got, gerr); w != g {
						t.Fatalf("neighborhood of %s, depth %d, limit %d, %+v:\n native  %s\n generic %s", id, c.depth, c.limit, o, g, w)
					}
				}
			}
		}
	}
	if _, ok := s.(kg.RelationshipPager); ok {
		var qs []kg.RelPageQuery
		for _, id := range ids {
			for _, o := range options {
				for _, p := range [][2]int{{0, 0}, {0, 3}, {2, 5}, {0, 100}} {
					qs = append(qs, kg.RelPageQuery{ID: id, Types: o.Types, Direction: o.Direction, AsOf: o.AsOf,
						OtherKinds: o.Kinds, Offset: p[0], Limit: p[1]})
				}
			}
		}
		want, werr := kg.PageByExpand(ctx, s, qs)
		got, gerr := kg.PageRelationships(ctx, s, qs)
		if werr != nil || gerr != nil {
			t.Fatalf("pages: native error %v, generic error %v", gerr, werr)
		}
		for i := range qs {
			if w, g := showPage(want[i]), showPage(got[i]); w != g {
				t.Fatalf("page %+v:\n native  %s\n generic %s", qs[i], g, w)
			}
		}
	}
}

func showPaths(ps []traverse.Path, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(strings.Join(p.Nodes, ","))
		for _, r := range p.Relationships {
			b.WriteString(" " + r.ID)
		}
		b.WriteString("; ")
	}
	return b.String()
}

func showSubgraph(g *traverse.Subgraph, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "%s@%d ", n, g.Depth[n])
	}
	for _, r := range g.Relationships {
		b.WriteString(r.ID + " ")
	}
	fmt.Fprintf(&b, "truncated=%v", g.Truncated)
	return b.String()
}

func showPage(p kg.RelPage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", p.Total)
	for _, r := range p.Relationships {
		b.WriteString(" " + r.ID)
	}
	return b.String()
}
