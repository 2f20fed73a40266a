// Package storetest is the conformance suite every kg.Store must pass: the
// same cases run against the embedded store always and against Neo4j (over
// Bolt) whenever one is configured, so that both backends give the same
// answers.
package storetest

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// NewStore returns a new, empty store; the suite closes it.
type NewStore func(t *testing.T) kg.Store

// Run runs the whole suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Run("Entities", func(t *testing.T) { testEntities(t, newStore) })
	t.Run("Order", func(t *testing.T) { testOrder(t, newStore) })
	t.Run("Expand", func(t *testing.T) { testExpand(t, newStore) })
	t.Run("Relationships", func(t *testing.T) { testRelationships(t, newStore) })
	t.Run("Sources", func(t *testing.T) { testSources(t, newStore) })
	t.Run("Apply", func(t *testing.T) { testApply(t, newStore) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newStore) })
	t.Run("CountOnly", func(t *testing.T) { testCountOnly(t, newStore) })
	t.Run("CitesSource", func(t *testing.T) { testCitesSource(t, newStore) })
	t.Run("Analyst", func(t *testing.T) { testAnalyst(t, newStore) })
	t.Run("History", func(t *testing.T) { testHistory(t, newStore) })
	t.Run("Evidence", func(t *testing.T) { testEvidence(t, newStore) })
}

// testCitesSource: lists keep the records that cite a source, through any
// of their citations or figures.
func testCitesSource(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	other := &kg.Source{ID: "source:other", Title: "Other", Language: "en", Type: "LEGAL"}
	kanagawa := &kg.Entity{ID: "locality:kanagawa", Kind: kg.KindLocality, Name: "Kanagawa", Type: "PREFECTURE", Country: "JP",
		Citations: []kg.Citation{{SourceID: "source:test", Quote: "q"}, {SourceID: "source:other", Quote: "Kanagawa"}}}
	fig := &kg.Entity{ID: "org:figures", Kind: kg.KindOrganization, Name: "Figures Co", Type: "COMPANY",
		Citations: []kg.Citation{{SourceID: "source:test", Quote: "q"}},
		Figures:   []kg.Figure{{Label: "staff", Value: 3, Citation: kg.Citation{SourceID: "source:other", Quote: "three"}}}}
	rel := &kg.Relationship{ID: kg.RelationshipID(kg.RelBorders, "locality:kanagawa", "locality:fukuoka", ""), Type: kg.RelBorders,
		From: "locality:kanagawa", To: "locality:fukuoka", Citations: []kg.Citation{{SourceID: "source:other", Quote: "k"}}}
	if err := s.Apply(ctx, &kg.Batch{Sources: []*kg.Source{other}, Entities: []*kg.Entity{kanagawa, fig}, Relationships: []*kg.Relationship{rel}}); err != nil {
		t.Fatal(err)
	}
	got, n, err := s.FindEntities(ctx, kg.EntityFilter{CitesSource: "source:other", Order: kg.EntityOrder{Field: kg.OrderByID}})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "entities citing source:other", ids(got), []string{"locality:kanagawa", "org:figures"})
	if n != 2 {
		t.Errorf("total %d, want 2", n)
	}
	got, _, _ = s.FindEntities(ctx, kg.EntityFilter{CitesSource: "source:other", Kinds: []kg.Kind{kg.KindOrganization}})
	equal(t, "organisations citing source:other", ids(got), []string{"org:figures"})
	rels, n, err := s.FindRelationships(ctx, kg.RelationshipFilter{CitesSource: "source:other"})
	if err != nil || n != 1 || len(rels) != 1 || rels[0].ID != rel.ID {
		t.Errorf("relationships citing source:other: %d %v (%v)", n, rels, err)
	}
	// A record that no longer cites the source drops out.
	k2 := kanagawa.Clone()
	k2.Citations = k2.Citations[:1]
	if err := s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{k2}}); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.FindEntities(ctx, kg.EntityFilter{CitesSource: "source:other"})
	equal(t, "after an edit", ids(got), []string{"org:figures"})
	if _, n, _ := s.FindEntities(ctx, kg.EntityFilter{CitesSource: "source:nowhere"}); n != 0 {
		t.Errorf("an unknown source is cited by %d", n)
	}
}

// testCountOnly: a count-only list gives the same total as a full one.
func testCountOnly(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	for _, f := range []kg.EntityFilter{{}, {Kinds: []kg.Kind{kg.KindLocality}}, {Countries: []string{"VN"}, Text: "nh"}} {
		all, total, err := s.FindEntities(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		f.CountOnly = true
		if _, n, err := s.FindEntities(ctx, f); err != nil || n != total || n != len(all) {
			t.Errorf("%+v: count only %d (%v), full list %d of %d", f, n, err, len(all), total)
		}
	}
	for _, f := range []kg.RelationshipFilter{{}, {Types: []kg.RelType{kg.RelPartyTo}}, {AsOf: "2020-01-01"}} {
		all, total, err := s.FindRelationships(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		f.CountOnly = true
		if _, n, err := s.FindRelationships(ctx, f); err != nil || n != total || n != len(all) {
			t.Errorf("%+v: count only %d (%v), full list %d of %d", f, n, err, len(all), total)
		}
	}
}

// Fixture is a small graph in which every filter has something to find.
func Fixture() *kg.Batch {
	cite := []kg.Citation{{SourceID: "source:test", Quote: "a quote"}}
	ent := func(id string, kind kg.Kind, name, typ, country, start string, aliases ...string) *kg.Entity {
		return &kg.Entity{ID: id, Kind: kind, Name: name, Type: typ, Country: country,
			Start: kg.MustPartialDate(start), Aliases: aliases, Citations: cite}
	}
	rel := func(t kg.RelType, from, to, validFrom, validTo string) *kg.Relationship {
		return &kg.Relationship{ID: kg.RelationshipID(t, from, to, ""), Type: t, From: from, To: to,
			ValidFrom: kg.MustPartialDate(validFrom), ValidTo: kg.MustPartialDate(validTo), Citations: cite}
	}
	hanoi := ent("locality:ha-noi", kg.KindLocality, "Hà Nội", "CITY", "VN", "", "Hanoi")
	hanoi.ISOCode = "VN-HN"
	hanoi.LocalNames = []kg.LocalName{{Lang: "ja", Value: "ハノイ"}}
	forum := ent("event:forum", kg.KindEvent, "Diễn đàn", "FORUM", "", "2025-11-25")
	forum.Figures = []kg.Figure{{Label: "delegates", Value: 800, Unit: "people", Qualifier: "nearly", Citation: cite[0]}}
	mou := ent("agreement:mou", kg.KindAgreement, "Biên bản ghi nhớ", "MOU", "", "2019-05")
	mou.Topics = []string{"agriculture"}
	return &kg.Batch{
		Sources: []*kg.Source{{ID: "source:test", Title: "Test source", Language: "vi", Type: "ARTICLE", Published: kg.MustPartialDate("2025-11")}},
		Entities: []*kg.Entity{
			hanoi,
			ent("locality:fukuoka", kg.KindLocality, "Fukuoka", "PREFECTURE", "JP", "", "福岡県"),
			ent("locality:vinh-phuc", kg.KindLocality, "Vĩnh Phúc", "PROVINCE", "VN", "1997"),
			ent("locality:phu-tho", kg.KindLocality, "Phú Thọ", "PROVINCE", "VN", ""),
			ent("locality:da-nang", kg.KindLocality, "Đà Nẵng", "CITY", "VN", ""),
			ent("official:chinh", kg.KindOfficial, "Phạm Minh Chính", "", "VN", ""),
			mou, forum,
		},
		Relationships: []*kg.Relationship{
			rel(kg.RelPartyTo, "locality:fukuoka", "agreement:mou", "", ""),
			rel(kg.RelPartyTo, "locality:ha-noi", "agreement:mou", "", ""),
			rel(kg.RelMergedInto, "locality:vinh-phuc", "locality:phu-tho", "2025-07-01", ""),
			rel(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", "2019", "2025-06-30"),
			rel(kg.RelParticipatedIn, "official:chinh", "event:forum", "", ""),
			rel(kg.RelHeldIn, "event:forum", "locality:ha-noi", "", ""),
		},
	}
}

// Open returns a store from newStore loaded with Fixture.
func Open(t *testing.T, newStore NewStore) kg.Store {
	t.Helper()
	s := newStore(t)
	t.Cleanup(func() { s.Close() })
	if err := s.Apply(context.Background(), Fixture()); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	return s
}

func ids[T interface {
	*kg.Entity | *kg.Relationship | *kg.Source
}](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		switch v := any(x).(type) {
		case *kg.Entity:
			out[i] = v.ID
		case *kg.Relationship:
			out[i] = v.ID
		case *kg.Source:
			out[i] = v.ID
		}
	}
	return out
}

func sorted(xs []string) []string {
	xs = slices.Clone(xs)
	sort.Strings(xs)
	return xs
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := kg.ErrorCode(err); got != code {
		t.Errorf("%s: error code = %q (%v), want %q", what, got, err, code)
	}
}
