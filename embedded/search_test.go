package embedded_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
)

// TestSearchAgreesWithBruteForce ranks a graph whose names share a few
// words, at many lengths, against scoring every entity, before and after
// writes that rename, delete and add entities (so that the lists walked by
// length are merged with what was appended since and hold stale names).
func TestSearchAgreesWithBruteForce(t *testing.T) {
	defer embedded.SetRareTrigram(-1)()
	defer embedded.SetLongList(8)()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	words := strings.Fields("Tỉnh tinh Thành phố Hà Nội Hanoi Công ty Cổ phần Nguyễn Ngũ Biên bản hợp tác Fukuoka Fuku 福岡 An a Phát phần Pháp pha phạm")
	name := func() string {
		var ws []string
		for range 1 + rng.IntN(5) {
			ws = append(ws, words[rng.IntN(len(words))])
		}
		if rng.IntN(2) == 0 {
			ws = append(ws, fmt.Sprint(rng.IntN(1000)))
		}
		return strings.Join(ws, " ")
	}
	entity := func(i int) *kg.Entity {
		k := kg.Kinds[rng.IntN(len(kg.Kinds))]
		e := &kg.Entity{ID: fmt.Sprintf("%ss-%d", k.IDPrefix(), i), Kind: k, Name: name(),
			Type: kg.Subtypes[k][0], Country: "VN", Citations: []kg.Citation{{SourceID: src.ID, Quote: "q"}}}
		if rng.IntN(3) == 0 {
			e.Aliases = []string{name()}
		}
		return e
	}
	all := map[string]*kg.Entity{}
	b := &kg.Batch{Sources: []*kg.Source{src}}
	for i := range 1500 {
		b.Entities = append(b.Entities, entity(i))
	}
	apply := func(b *kg.Batch) {
		t.Helper()
		if err := s.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		for _, e := range b.Entities {
			all[e.ID] = e
		}
		for _, id := range b.DeleteEntities {
			delete(all, id)
		}
	}
	queries := []string{"tinh", "tỉnh", "ti", "t", "thanh pho", "thanh p", "ha noi", "ha", "h", "hanoi", "cong ty", "co",
		"nguyen", "ngu", "ng", "bien ban hop tac", "hop", "hop tac", "fuku", "fukuoka", "福岡", "福", "an", "a", "a 1", "12", "inh", "oka", "phat", "pha", "phan", "phap", "pham", "ph", "phat d", "cong ty co phan phat",
		"ng n", "nh t", "an p", "u n", "n 1", "en ng", "inh th"}
	checkTiers := func(step string) {
		t.Helper()
		for _, text := range queries {
			q := kg.NewSearchQuery(text)
			for _, kinds := range [][]kg.Kind{nil, {kg.KindLocality}, {kg.KindOrganization, kg.KindEvent}} {
				for _, limit := range []int{1, 3, 10, 0} {
					got, err := s.Search(ctx, q, kinds, limit)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := showScored(got), bruteForce(all, q, kinds, limit); g != w {
						t.Fatalf("%s: search %q, kinds %v, limit %d:\n got  %s\n want %s", step, text, kinds, limit, g, w)
					}
				}
			}
		}
	}
	check := func(step string) {
		t.Helper()
		// Tier by tier, and (for queries of three bytes or more) all the
		// names that contain the query scored in one pass.
		for _, rare := range []int{-1, 1 << 30} {
			embedded.SetRareTrigram(rare)
			checkTiers(fmt.Sprintf("%s, rare trigram %d", step, rare))
		}
	}
	apply(b)
	check("written")

	edit := &kg.Batch{}
	i := 0
	for id, e := range all {
		switch i++; i % 10 {
		case 0:
			c := e.Clone()
			c.Name = name()
			edit.Entities = append(edit.Entities, c)
		case 1:
			edit.DeleteEntities = append(edit.DeleteEntities, id)
		}
	}
	for j := range 300 {
		edit.Entities = append(edit.Entities, entity(2000+j))
	}
	apply(edit)
	check("edited")
}

// bruteForce scores every entity, as search ranks: best first, ties by
// sort name and then id.
func bruteForce(all map[string]*kg.Entity, q kg.SearchQuery, kinds []kg.Kind, limit int) string {
	var hits []kg.SearchHit
	for _, e := range all {
		if len(kinds) > 0 && !slices.Contains(kinds, e.Kind) {
			continue
		}
		if score := math.Round(q.Score(e)*1000) / 1000; score > 0 {
			hits = append(hits, kg.SearchHit{Entity: e, Score: score})
		}
	}
	slices.SortFunc(hits, func(a, b kg.SearchHit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Entity.SortName(), b.Entity.SortName()),
			strings.Compare(a.Entity.ID, b.Entity.ID))
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return showScored(hits)
}

func showScored(hits []kg.SearchHit) string {
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "%s=%.3f ", h.Entity.ID, h.Score)
	}
	return b.String()
}

// TestDeletedOrRenamedNamesAreNotFound: a store whose names are all
// current skips checking each name it walks; the first delete or rename
// must end that, in every way search finds names.
func TestDeletedOrRenamedNamesAreNotFound(t *testing.T) {
	ctx := context.Background()
	for _, change := range []string{"delete", "rename"} {
		t.Run(change, func(t *testing.T) {
			s := mustOpen(t, t.TempDir())
			defer s.Close()
			cited := []kg.Citation{{SourceID: "source:a", Quote: "x"}}
			b := &kg.Batch{Sources: []*kg.Source{{ID: "source:a", Title: "A", Language: "en", Type: "ARTICLE"}}}
			for i := range 30 {
				b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%02d", i), Kind: kg.KindOrganization,
					Type: "COMPANY", Name: fmt.Sprintf("Zephyrine Quartz %02d", i), Citations: cited})
			}
			b.Relationships = []*kg.Relationship{{ID: kg.RelationshipID(kg.RelCooperatesWith, "org:o01", "org:o02", ""),
				Type: kg.RelCooperatesWith, From: "org:o01", To: "org:o02", Role: "zephyrine partner", Citations: cited}}
			if err := s.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			gone := &kg.Batch{}
			if change == "delete" {
				gone.DeleteEntities = []string{"org:o07"}
			} else {
				renamed := *b.Entities[7]
				renamed.Name = "Other Name"
				gone.Entities = []*kg.Entity{&renamed}
			}
			if err := s.Apply(ctx, gone); err != nil {
				t.Fatal(err)
			}
			svc := &kg.Service{Store: s}
			for _, text := range []string{"Zephyrine Quartz 07", "zephyrine", "quartz 07", "zep"} {
				hits, err := svc.Search(ctx, text, nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				text2, err := svc.SearchText(ctx, text, nil, nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					if h.Entity.ID == "org:o07" {
						t.Errorf("Search %q finds org:o07 after its %s", text, change)
					}
				}
				for _, h := range text2 {
					if h.Entity.ID == "org:o07" {
						t.Errorf("SearchText %q finds org:o07 after its %s", text, change)
					}
				}
				if len(hits) == 0 && !strings.HasSuffix(text, "07") {
					t.Errorf("Search %q finds nothing", text)
				}
			}
		})
	}
}
