package embedded_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

// TestReserveKeepsTheIndex makes room for far more records in a store that
// holds some (the id table is rehashed, every array moved) and checks that
// what it held is found as before, and that writes after it land.
func TestReserveKeepsTheIndex(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	s, g := openRandomGraph(t, rng, 300, t.TempDir())
	defer s.Close()
	var ids []string
	for _, e := range g.Entities {
		ids = append(ids, e.ID)
	}
	s.Reserve(200_000, 1_000_000)
	got, err := s.GetEntities(ctx, ids)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("after Reserve: %d of %d entities found (%v)", len(got), len(ids), err)
	}
	storetest.CheckNative(t, s, ids[:8])
	e := &kg.Entity{ID: "locality:after-reserve", Kind: kg.KindLocality, Name: "Sau khi dành chỗ", Type: "CITY", Country: "VN",
		Citations: []kg.Citation{{SourceID: "source:test", Quote: "q"}}}
	r := &kg.Relationship{ID: kg.RelationshipID(kg.RelBorders, e.ID, g.Entities[0].ID, ""), Type: kg.RelBorders,
		From: e.ID, To: g.Entities[0].ID, Citations: e.Citations}
	if g.Entities[0].Kind != kg.KindLocality {
		t.Fatalf("the first entity is a %s, want a locality (randomGraph's hubs)", g.Entities[0].Kind)
	}
	if err := s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{e}, Relationships: []*kg.Relationship{r}}); err != nil {
		t.Fatal(err)
	}
	rels, err := s.GetRelationships(ctx, []string{r.ID})
	if err != nil || len(rels) != 1 || rels[0].From != e.ID {
		t.Fatalf("the relationship written after Reserve: %v (%v)", rels, err)
	}
	hits, err := s.Search(ctx, kg.NewSearchQuery("dành chỗ"), nil, 5)
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != e.ID {
		t.Fatalf("search for the entity written after Reserve: %v (%v)", hits, err)
	}
}
