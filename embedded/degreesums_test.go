package embedded_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
)

// TestRelationshipCountsFollowWrites: the candidates of a search through
// relationships are those of the term with the fewest relationships, and
// the counts of a term's names' relationships are kept between searches.
// A write of a relationship or an entity must drop them: each step below
// turns which term has fewer, and the candidates must follow.
func TestRelationshipCountsFollowWrites(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	tie := func(from, to string) *kg.Relationship {
		return &kg.Relationship{ID: kg.RelationshipID(kg.RelCooperatesWith, from, to, ""),
			Type: kg.RelCooperatesWith, From: from, To: to, Citations: citedA}
	}
	b := &kg.Batch{Sources: []*kg.Source{sourceA}, Entities: []*kg.Entity{
		org("org:alpha", "Alphonse Works", ""), org("org:beta", "Bettina Works", "")}}
	for i := range 8 {
		b.Entities = append(b.Entities, org(fmt.Sprintf("org:o%d", i), fmt.Sprintf("Plain %d", i), ""))
	}
	// alphonse: 1 relationship, bettina: 3, the hub 4.
	b.Entities = append(b.Entities, org("org:hub", "Plain hub", ""))
	b.Relationships = []*kg.Relationship{tie("org:alpha", "org:o0"), tie("org:beta", "org:o1"), tie("org:beta", "org:o2"), tie("org:beta", "org:o3")}
	for i := 4; i < 8; i++ {
		b.Relationships = append(b.Relationships, tie("org:hub", fmt.Sprintf("org:o%d", i)))
	}
	apply := func(b *kg.Batch) {
		t.Helper()
		if err := s.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	apply(b)
	q := kg.ParseTextQuery("alphonse bettina")
	candidates := func(step string, want ...string) {
		t.Helper()
		for i := range 3 { // counted, then kept, then read from what is kept
			rels, err := s.RelationshipTextCandidates(ctx, q, nil, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rels {
				got = append(got, r.From)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%s, search %d: candidates from %v, want %v", step, i+1, got, want)
			}
		}
		if embedded.DegreeSumsKept(s) == 0 {
			t.Fatalf("%s: no count kept", step)
		}
	}
	candidates("written", "org:alpha")

	// alphonse: 5 relationships.
	more := []*kg.Relationship{tie("org:alpha", "org:o4"), tie("org:alpha", "org:o5"), tie("org:alpha", "org:o6"), tie("org:alpha", "org:o7")}
	apply(&kg.Batch{Relationships: more})
	candidates("relationships added", "org:beta", "org:beta", "org:beta")

	// alphonse: 1 again.
	del := &kg.Batch{}
	for _, r := range more {
		del.DeleteRelationships = append(del.DeleteRelationships, r.ID)
	}
	apply(del)
	candidates("relationships deleted", "org:alpha")

	// alphonse: the hub's 4 as well.
	apply(&kg.Batch{Entities: []*kg.Entity{org("org:hub", "Alphonse Hub", "")}})
	candidates("renamed", "org:beta", "org:beta", "org:beta")
}
