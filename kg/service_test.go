package kg_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
)

// TestSearchFindsTheExactNameInAFlood puts more substring matches than a
// search ranks ahead of the exact name in name order; the exact name must
// still come first.
func TestSearchFindsTheExactNameInAFlood(t *testing.T) {
	s, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cite := []kg.Citation{{SourceID: "source:s", Quote: "q"}}
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:s", Title: "S", Language: "en", Type: "DATASET"}}}
	for i := range kg.MaxSearchCandidates + 100 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:a-%05d", i), Kind: kg.KindOrganization,
			Name: fmt.Sprintf("Aaa Hanoi Trading %05d", i), Type: "COMPANY", Citations: cite})
	}
	b.Entities = append(b.Entities, &kg.Entity{ID: "locality:ha-noi", Kind: kg.KindLocality, Name: "Hà Nội",
		Aliases: []string{"Hanoi"}, Type: "CITY", Country: "VN", Citations: cite})
	if err := s.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	hits, err := svc.Search(context.Background(), "hanoi", nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 5 || hits[0].Entity.ID != "locality:ha-noi" {
		t.Fatalf("first hit = %+v", hits[0].Entity.ID)
	}
	if hits[1].Score >= hits[0].Score {
		t.Errorf("hits not ranked: %v then %v", hits[0].Score, hits[1].Score)
	}
}

// TestNamesAreBounded: an entity holds at most MaxListLength aliases and
// as many local names, so that its names (with its name, 201 at most) fit
// the 255 the embedded index keeps of one entity.
func TestNamesAreBounded(t *testing.T) {
	e := &kg.Entity{ID: "locality:many-names", Kind: kg.KindLocality, Name: "Many", Type: "PROVINCE", Country: "VN"}
	has := func() bool {
		for _, f := range e.Validate() {
			if f.Field == "localNames" {
				return true
			}
		}
		return false
	}
	for i := range kg.MaxListLength {
		e.LocalNames = append(e.LocalNames, kg.LocalName{Lang: "ja", Value: fmt.Sprintf("名前 %d", i)})
	}
	if has() {
		t.Errorf("%d local names refused: %v", len(e.LocalNames), e.Validate())
	}
	e.LocalNames = append(e.LocalNames, kg.LocalName{Lang: "ja", Value: "もう一つ"})
	if !has() {
		t.Errorf("%d local names accepted: %v", len(e.LocalNames), e.Validate())
	}
}
