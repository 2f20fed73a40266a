package embedded_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestPhraseSearchPastTheCandidateBound plants more entities whose text
// holds a phrase's first word than full-text search reads as candidates
// (kg.MaxTextCandidates), ahead of the entities whose names hold the
// phrase: a phrase is still found in names first, ranked as names.
func TestPhraseSearchPastTheCandidateBound(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	cite := []kg.Citation{{SourceID: "source:test", Quote: "trích"}}
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:test", Title: "Test", Language: "vi", Type: "ARTICLE"}}}
	for i := range kg.MaxTextCandidates + 500 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%d", i), Kind: kg.KindOrganization, Type: "COMPANY",
			Name: fmt.Sprintf("Công ty %d", i), Description: "Hội viên của hiệp hội đàm phán", Citations: cite})
	}
	for i := range 30 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("event:e%d", i), Kind: kg.KindEvent, Type: "MEETING",
			Name: fmt.Sprintf("Hội đàm Hà Nội – Fukuoka %d", i), Citations: cite})
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	for _, c := range []struct {
		text     string
		minScore float64
	}{
		{`"Hội đàm"`, 0.3},   // a name match, scored as names are
		{`"Fukuoka 7"`, 0.3}, // the same, rare
		// The words apart in the name: every term is in it, scored as
		// names are when the query is not a name match (0.29).
		{`"hội đàm" fukuoka`, 0.29},
	} {
		hits, err := svc.SearchText(ctx, c.text, nil, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Errorf("%s: no hits", c.text)
		}
		for _, h := range hits {
			if !strings.HasPrefix(h.Entity.ID, "event:") || !h.Match.Field.IsName() || h.Score < c.minScore {
				t.Errorf("%s: hit %s %s %.3f, want a name hit scored %.2f or more", c.text, h.Entity.ID, h.Match.Field, h.Score, c.minScore)
			}
		}
	}
	// Words of the phrase apart, or out of order, are no phrase.
	hits, err := svc.SearchText(ctx, `"đàm hội"`, nil, nil, 10)
	if err != nil || len(hits) != 0 {
		t.Errorf(`"đàm hội": %d hits (%v), want none`, len(hits), err)
	}
}
