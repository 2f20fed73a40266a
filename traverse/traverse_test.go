package traverse_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
	"github.com/vjkg/vjkg/traverse"
)

var ctx = context.Background()

func openSeeded(t testing.TB) *storetest.Counting {
	t.Helper()
	return storetest.NewCounting(testgraph.Seeded(t))
}

func pathString(p traverse.Path) string {
	var b strings.Builder
	for i, n := range p.Nodes {
		if i > 0 {
			b.WriteString(" -" + string(p.Relationships[i-1].Type) + "- ")
		}
		b.WriteString(n)
	}
	return b.String()
}

func TestShortestPaths(t *testing.T) {
	s := openSeeded(t)
	t.Run("FukuokaToHanoiThroughTheirAgreement", func(t *testing.T) {
		s.Reset()
		// The generic search, over Expand (the store's own answers the same; storetest checks).
		paths, err := traverse.GenericShortestPaths(ctx, s, "locality:fukuoka", "locality:ha-noi", 4, traverse.Options{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) != 1 {
			t.Fatalf("got %d paths, want 1: %v", len(paths), paths)
		}
		want := "locality:fukuoka -PARTY_TO- agreement:fukuoka-ha-noi-mous -PARTY_TO- locality:ha-noi"
		if got := pathString(paths[0]); got != want {
			t.Errorf("path = %s\nwant   %s", got, want)
		}
		if n := s.Calls()["Expand"]; n != 2 {
			t.Errorf("a 2-hop search cost %d Expand calls, want 2 (one per hop)", n)
		}
	})
	t.Run("TooFewHops", func(t *testing.T) {
		paths, err := traverse.ShortestPaths(ctx, s, "locality:fukuoka", "locality:ha-noi", 1, traverse.Options{}, 10)
		if err != nil || len(paths) != 0 {
			t.Errorf("paths = %v, err = %v; want none", paths, err)
		}
	})
	t.Run("RelationTypes", func(t *testing.T) {
		// Without PARTY_TO, Fukuoka reaches Hà Nội only through the two countries.
		o := traverse.Options{Types: []kg.RelType{kg.RelPartOf, kg.RelCooperatesWith}}
		paths, err := traverse.ShortestPaths(ctx, s, "locality:fukuoka", "locality:ha-noi", 4, o, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := "locality:fukuoka -PART_OF- locality:japan -COOPERATES_WITH- locality:vietnam -PART_OF- locality:ha-noi"
		if len(paths) != 1 || pathString(paths[0]) != want {
			t.Errorf("paths = %v, want %s", paths, want)
		}
	})
	t.Run("AsOf", func(t *testing.T) {
		// Vĩnh Phúc reaches Phú Thọ directly only once the merger took effect.
		o := traverse.Options{Types: []kg.RelType{kg.RelMergedInto, kg.RelPartOf}}
		after, _ := traverse.ShortestPaths(ctx, s, "locality:vinh-phuc", "locality:phu-tho", 3, traverse.Options{Types: o.Types, AsOf: "2025-07-01"}, 10)
		if len(after) != 1 || len(after[0].Relationships) != 1 {
			t.Errorf("as of 2025-07-01: %v", after)
		}
		before, _ := traverse.ShortestPaths(ctx, s, "locality:vinh-phuc", "locality:phu-tho", 3, traverse.Options{Types: o.Types, AsOf: "2024-01-01"}, 10)
		if len(before) != 1 || len(before[0].Relationships) != 2 || before[0].Nodes[1] != "locality:vietnam" {
			t.Errorf("as of 2024: %v, want the path through Việt Nam", before)
		}
	})
	t.Run("Directed", func(t *testing.T) {
		paths, _ := traverse.ShortestPaths(ctx, s, "locality:ha-noi", "locality:fukuoka", 4, traverse.Options{Direction: kg.DirOut}, 10)
		if len(paths) != 0 {
			t.Errorf("following only outgoing relationships, Hà Nội should not reach Fukuoka: %v", paths)
		}
	})
	t.Run("Same", func(t *testing.T) {
		paths, _ := traverse.ShortestPaths(ctx, s, "locality:fukuoka", "locality:fukuoka", 4, traverse.Options{}, 10)
		if len(paths) != 1 || len(paths[0].Nodes) != 1 {
			t.Errorf("paths = %v", paths)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := traverse.ShortestPaths(ctx, s, "locality:fukuoka", "locality:atlantis", 4, traverse.Options{}, 10)
		if kg.ErrorCode(err) != kg.ENotFound {
			t.Errorf("err = %v, want NOT_FOUND", err)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		all, _ := traverse.ShortestPaths(ctx, s, "locality:kanagawa", "locality:tochigi", 4, traverse.Options{}, 0)
		one, _ := traverse.ShortestPaths(ctx, s, "locality:kanagawa", "locality:tochigi", 4, traverse.Options{}, 1)
		if len(all) < 2 || len(one) != 1 || pathString(one[0]) != pathString(all[0]) {
			t.Errorf("all = %d paths, limited = %v", len(all), one)
		}
		for _, p := range all {
			if len(p.Relationships) != len(all[0].Relationships) {
				t.Errorf("paths of different lengths: %v", all)
			}
		}
	})
}

func TestNeighborhood(t *testing.T) {
	s := openSeeded(t)
	t.Run("Depth1", func(t *testing.T) {
		g, err := traverse.Neighborhood(ctx, s, "locality:fukuoka", 1, traverse.Options{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(g.Nodes))
		want := []string{"agreement:fukuoka-ha-noi-mous", "locality:fukuoka", "locality:japan", "locality:kitakyushu"}
		if !slices.Equal(got, want) {
			t.Errorf("nodes = %v, want %v", got, want)
		}
		if len(g.Relationships) != 3 || g.Nodes[0] != "locality:fukuoka" || g.Depth["locality:japan"] != 1 {
			t.Errorf("subgraph = %+v", g)
		}
	})
	t.Run("Depth2OneExpandPerHop", func(t *testing.T) {
		s.Reset()
		g, err := traverse.GenericNeighborhood(ctx, s, "locality:fukuoka", 2, traverse.Options{}, 500)
		if err != nil {
			t.Fatal(err)
		}
		if g.Depth["locality:ha-noi"] != 2 || g.Depth["event:fukuoka-ha-noi-delegations"] != 2 {
			t.Errorf("depth-2 nodes missing: %v", g.Depth)
		}
		if n := s.Calls()["Expand"]; n != 2 {
			t.Errorf("Expand calls = %d, want 2", n)
		}
	})
	t.Run("Kinds", func(t *testing.T) {
		g, _ := traverse.Neighborhood(ctx, s, "locality:fukuoka", 2, traverse.Options{Kinds: []kg.Kind{kg.KindAgreement}}, 100)
		got := slices.Sorted(slices.Values(g.Nodes))
		want := []string{"agreement:fukuoka-ha-noi-mous", "locality:fukuoka"}
		if !slices.Equal(got, want) {
			t.Errorf("nodes = %v, want %v", got, want)
		}
	})
	t.Run("AsOf", func(t *testing.T) {
		before, _ := traverse.Neighborhood(ctx, s, "locality:vinh-phuc", 1, traverse.Options{AsOf: "2024-01-01"}, 100)
		after, _ := traverse.Neighborhood(ctx, s, "locality:vinh-phuc", 1, traverse.Options{AsOf: "2025-08-01"}, 100)
		if _, ok := before.Depth["locality:phu-tho"]; ok {
			t.Error("the merger shows in 2024")
		}
		if _, ok := before.Depth["locality:vietnam"]; !ok {
			t.Error("Vĩnh Phúc is not part of Việt Nam in 2024")
		}
		if _, ok := after.Depth["locality:phu-tho"]; !ok {
			t.Error("the merger is missing in August 2025")
		}
		if _, ok := after.Depth["locality:vietnam"]; ok {
			t.Error("Vĩnh Phúc is still part of Việt Nam in August 2025")
		}
	})
	t.Run("Limit", func(t *testing.T) {
		g, _ := traverse.Neighborhood(ctx, s, "locality:vietnam", 2, traverse.Options{}, 5)
		if len(g.Nodes) != 5 || !g.Truncated {
			t.Errorf("nodes = %d, truncated = %v", len(g.Nodes), g.Truncated)
		}
		for _, r := range g.Relationships {
			if _, ok := g.Depth[r.From]; !ok {
				t.Errorf("relationship %s leaves the subgraph", r.ID)
			}
			if _, ok := g.Depth[r.To]; !ok {
				t.Errorf("relationship %s leaves the subgraph", r.ID)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := traverse.Neighborhood(ctx, s, "locality:atlantis", 1, traverse.Options{}, 10)
		if kg.ErrorCode(err) != kg.ENotFound {
			t.Errorf("err = %v", err)
		}
	})
}
