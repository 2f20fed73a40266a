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
	t.Run("Analyst", func(t *testing.T) { testAnalyst(t, newStore) })
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
