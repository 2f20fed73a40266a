package storetest

import (
	"context"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

// RunSeed loads the real seed dataset (twice, to show that loading is
// idempotent) and checks facts the mission's example questions rely on.
func RunSeed(t *testing.T, newStore NewStore) {
	s := newStore(t)
	t.Cleanup(func() { s.Close() })
	b := LoadSeed(t, s)
	_, n, _ := s.FindEntities(ctx, kg.EntityFilter{})
	_, r, _ := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if n != len(b.Entities) || r != len(b.Relationships) {
		t.Fatalf("loaded %d entities and %d relationships, want %d and %d", n, r, len(b.Entities), len(b.Relationships))
	}
	b2, _ := seed.Dataset()
	if err := seed.Load(ctx, s, b2); err != nil {
		t.Fatal(err)
	}
	_, n2, _ := s.FindEntities(ctx, kg.EntityFilter{})
	_, r2, _ := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if n2 != n || r2 != r {
		t.Errorf("a second load changed the counts: %d→%d entities, %d→%d relationships", n, n2, r, r2)
	}

	t.Run("NativeAgreesWithGeneric", func(t *testing.T) {
		all, _, err := s.FindEntities(ctx, kg.EntityFilter{Order: kg.EntityOrder{Field: kg.OrderByID}})
		if err != nil {
			t.Fatal(err)
		}
		var sample []string
		for i := 0; i < len(all); i += 7 {
			sample = append(sample, all[i].ID)
		}
		sample = append(sample, "locality:fukuoka", "locality:ha-noi", "locality:vietnam", "locality:vinh-phuc", "locality:atlantis")
		CheckNative(t, s, sample)
	})
	t.Run("FukuokaHanoiAgreement", func(t *testing.T) {
		rels, err := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:fukuoka"}, Types: []kg.RelType{kg.RelPartyTo}, Direction: kg.DirOut})
		if err != nil {
			t.Fatal(err)
		}
		if len(rels) != 1 || rels[0].To != "agreement:fukuoka-ha-noi-mous" {
			t.Fatalf("Fukuoka's agreements: %+v", rels)
		}
		parties, err := s.Expand(ctx, kg.ExpandQuery{IDs: []string{rels[0].To}, Types: []kg.RelType{kg.RelPartyTo}, Direction: kg.DirIn})
		if err != nil {
			t.Fatal(err)
		}
		var from []string
		for _, p := range parties {
			from = append(from, p.From)
		}
		equal(t, "parties", sorted(from), []string{"locality:fukuoka", "locality:ha-noi"})
	})
	t.Run("SearchVinhPhuc", func(t *testing.T) {
		got, _, err := s.FindEntities(ctx, kg.EntityFilter{Text: "Vinh Phuc"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range got {
			found = found || e.ID == "locality:vinh-phuc"
		}
		if !found {
			t.Errorf("Vinh Phuc found %q, not locality:vinh-phuc", ids(got))
		}
	})
	t.Run("Merger", func(t *testing.T) {
		got, err := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, Types: []kg.RelType{kg.RelMergedInto}, AsOf: "2025-07-01"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].To != "locality:phu-tho" {
			t.Errorf("Vĩnh Phúc's successor: %+v", got)
		}
		before, _ := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, Types: []kg.RelType{kg.RelMergedInto}, AsOf: "2025-06-30"})
		if len(before) != 0 {
			t.Errorf("the merger shows before it took effect: %+v", before)
		}
	})
}

// LoadSeed loads the seed dataset into s and returns it.
func LoadSeed(tb testing.TB, s kg.Store) *kg.Batch {
	tb.Helper()
	b, err := seed.Dataset()
	if err != nil {
		tb.Fatal(err)
	}
	if err := seed.Load(kg.WithNote(context.Background(), kg.Note{Actor: "seed"}), s, b); err != nil {
		tb.Fatal(err)
	}
	return b
}
