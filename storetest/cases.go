package storetest

import (
	"context"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

var ctx = context.Background()

func testEntities(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)

	t.Run("GetEntities", func(t *testing.T) {
		got, err := s.GetEntities(ctx, []string{"locality:ha-noi", "locality:nowhere", "event:forum"})
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "ids", sorted(ids(got)), []string{"event:forum", "locality:ha-noi"})
		for _, e := range got {
			if e.ID != "locality:ha-noi" {
				continue
			}
			if e.Name != "Hà Nội" || e.Kind != kg.KindLocality || e.Type != "CITY" || e.Country != "VN" || e.ISOCode != "VN-HN" {
				t.Errorf("Hà Nội = %+v", e)
			}
			if len(e.Aliases) != 1 || e.Aliases[0] != "Hanoi" || len(e.LocalNames) != 1 || e.LocalNames[0].Value != "ハノイ" {
				t.Errorf("names = %v %v", e.Aliases, e.LocalNames)
			}
			if len(e.Citations) != 1 || e.Citations[0].SourceID != "source:test" || e.Citations[0].Quote != "a quote" {
				t.Errorf("citations = %+v", e.Citations)
			}
		}
		for _, e := range got {
			if e.ID == "event:forum" {
				if e.Start.String() != "2025-11-25" || len(e.Figures) != 1 || e.Figures[0].Value != 800 || e.Figures[0].Qualifier != "nearly" {
					t.Errorf("forum = %+v", e)
				}
			}
		}
	})

	for _, tc := range []struct {
		name  string
		f     kg.EntityFilter
		want  []string
		total int
	}{
		{"Kinds", kg.EntityFilter{Kinds: []kg.Kind{kg.KindEvent, kg.KindAgreement}}, []string{"agreement:mou", "event:forum"}, 2},
		{"Types", kg.EntityFilter{Types: []string{"CITY"}}, []string{"locality:da-nang", "locality:ha-noi"}, 2},
		{"Countries", kg.EntityFilter{Countries: []string{"JP"}}, []string{"locality:fukuoka"}, 1},
		{"IDs", kg.EntityFilter{IDs: []string{"locality:fukuoka", "official:chinh", "x:y"}}, []string{"locality:fukuoka", "official:chinh"}, 2},
		{"TextFolded", kg.EntityFilter{Text: "ha noi"}, []string{"locality:ha-noi"}, 1},
		{"TextCompact", kg.EntityFilter{Text: "HANOI"}, []string{"locality:ha-noi"}, 1},
		{"TextAlias", kg.EntityFilter{Text: "福岡"}, []string{"locality:fukuoka"}, 1},
		{"TextLocalName", kg.EntityFilter{Text: "ハノイ"}, []string{"locality:ha-noi"}, 1},
		{"TextSubstring", kg.EntityFilter{Text: "phuc"}, []string{"locality:vinh-phuc"}, 1},
		{"TextWholeName", kg.EntityFilter{Text: "Hanoi", WholeName: true}, []string{"locality:ha-noi"}, 1},
		{"TextWholeNameNotPart", kg.EntityFilter{Text: "phuc", WholeName: true}, []string{}, 0},
		{"DateRange", kg.EntityFilter{From: "2019-01-01", To: "2020-12-31"}, []string{"agreement:mou"}, 1},
		{"DateFrom", kg.EntityFilter{From: "2025-11-25"}, []string{"event:forum"}, 1},
		{"DateToMonthPrecision", kg.EntityFilter{To: "2019-05-01"}, []string{"agreement:mou", "locality:vinh-phuc"}, 2},
		{"IDsAndText", kg.EntityFilter{IDs: []string{"locality:fukuoka", "locality:ha-noi"}, Text: "ha noi"}, []string{"locality:ha-noi"}, 1},
		{"Combined", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Countries: []string{"VN"}, Text: "a"}, []string{"locality:da-nang", "locality:ha-noi"}, 2},
		{"Page", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Offset: 1, Limit: 2}, []string{"locality:fukuoka", "locality:ha-noi"}, 5},
		{"PagePastEnd", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Offset: 10, Limit: 2}, []string{}, 5},
		{"None", kg.EntityFilter{Text: "zzz"}, []string{}, 0},
	} {
		t.Run("Find"+tc.name, func(t *testing.T) {
			got, total, err := s.FindEntities(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "ids (ordered by id)", ids(got), tc.want)
			if total != tc.total {
				t.Errorf("total = %d, want %d", total, tc.total)
			}
		})
	}
}

func testOrder(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	locs := []kg.Kind{kg.KindLocality}
	for _, tc := range []struct {
		name  string
		order kg.EntityOrder
		kinds []kg.Kind
		want  []string
	}{
		// Folded names: "da nang" < "fukuoka" < "ha noi" < "phu tho" < "vinh phuc".
		{"NameAsc", kg.EntityOrder{Field: kg.OrderByName}, locs, []string{"locality:da-nang", "locality:fukuoka", "locality:ha-noi", "locality:phu-tho", "locality:vinh-phuc"}},
		{"NameDesc", kg.EntityOrder{Field: kg.OrderByName, Desc: true}, locs, []string{"locality:vinh-phuc", "locality:phu-tho", "locality:ha-noi", "locality:fukuoka", "locality:da-nang"}},
		// Unknown start dates sort last ascending and first descending (Cypher's null order); ties by id.
		{"StartAsc", kg.EntityOrder{Field: kg.OrderByStart}, nil, []string{"locality:vinh-phuc", "agreement:mou", "event:forum", "locality:da-nang", "locality:fukuoka", "locality:ha-noi", "locality:phu-tho", "official:chinh"}},
		{"StartDesc", kg.EntityOrder{Field: kg.OrderByStart, Desc: true}, nil, []string{"locality:da-nang", "locality:fukuoka", "locality:ha-noi", "locality:phu-tho", "official:chinh", "event:forum", "agreement:mou", "locality:vinh-phuc"}},
		{"IDDesc", kg.EntityOrder{Field: kg.OrderByID, Desc: true}, locs, []string{"locality:vinh-phuc", "locality:phu-tho", "locality:ha-noi", "locality:fukuoka", "locality:da-nang"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := s.FindEntities(ctx, kg.EntityFilter{Kinds: tc.kinds, Order: tc.order})
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "order", ids(got), tc.want)
		})
	}
}

func testExpand(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	id := kg.RelationshipID
	for _, tc := range []struct {
		name string
		q    kg.ExpandQuery
		want []string
	}{
		{"Both", kg.ExpandQuery{IDs: []string{"locality:ha-noi"}},
			[]string{id(kg.RelHeldIn, "event:forum", "locality:ha-noi", ""), id(kg.RelPartyTo, "locality:ha-noi", "agreement:mou", "")}},
		{"Out", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, Direction: kg.DirOut},
			[]string{id(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", ""), id(kg.RelMergedInto, "locality:vinh-phuc", "locality:phu-tho", "")}},
		{"In", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, Direction: kg.DirIn}, []string{}},
		{"Types", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc", "locality:fukuoka"}, Types: []kg.RelType{kg.RelPartyTo, kg.RelMergedInto}},
			[]string{id(kg.RelMergedInto, "locality:vinh-phuc", "locality:phu-tho", ""), id(kg.RelPartyTo, "locality:fukuoka", "agreement:mou", "")}},
		{"ManyOnceEach", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc", "locality:fukuoka"}, Types: []kg.RelType{kg.RelCooperatesWith}},
			[]string{id(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", "")}},
		{"AsOfBefore", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, AsOf: "2021-01-01"},
			[]string{id(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", "")}},
		{"AsOfAfter", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, AsOf: "2025-07-01"},
			[]string{id(kg.RelMergedInto, "locality:vinh-phuc", "locality:phu-tho", "")}},
		{"AsOfYearPrecision", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, AsOf: "2019-01-01"},
			[]string{id(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", "")}},
		{"AsOfLastDay", kg.ExpandQuery{IDs: []string{"locality:vinh-phuc"}, AsOf: "2025-06-30"},
			[]string{id(kg.RelCooperatesWith, "locality:vinh-phuc", "locality:fukuoka", "")}},
		{"Unknown", kg.ExpandQuery{IDs: []string{"locality:nowhere"}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Expand(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "relationships", sorted(ids(got)), sorted(tc.want))
		})
	}
	t.Run("Fields", func(t *testing.T) {
		got, err := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:phu-tho"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d relationships", len(got))
		}
		r := got[0]
		if r.Type != kg.RelMergedInto || r.From != "locality:vinh-phuc" || r.To != "locality:phu-tho" ||
			r.FromKind != kg.KindLocality || r.ToKind != kg.KindLocality || r.ValidFrom.String() != "2025-07-01" ||
			!r.ValidTo.IsZero() || len(r.Citations) != 1 || r.Citations[0].Quote != "a quote" {
			t.Errorf("relationship = %+v", r)
		}
	})
}

func testRelationships(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	all, total, err := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 || len(all) != 6 {
		t.Fatalf("total = %d, len = %d, want 6", total, len(all))
	}
	equal(t, "ordered by id", ids(all), sorted(ids(all)))
	got, total, err := s.FindRelationships(ctx, kg.RelationshipFilter{Types: []kg.RelType{kg.RelPartyTo}, Offset: 1, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "party-to page", ids(got), []string{kg.RelationshipID(kg.RelPartyTo, "locality:ha-noi", "agreement:mou", "")})
	if total != 2 {
		t.Errorf("total = %d, want 2", total)
	}
	_, total, err = s.FindRelationships(ctx, kg.RelationshipFilter{AsOf: "2020-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 {
		t.Errorf("as of 2020: total = %d, want 5 (all but the 2025 merger)", total)
	}
	one := kg.RelationshipID(kg.RelHeldIn, "event:forum", "locality:ha-noi", "")
	got, err = s.GetRelationships(ctx, []string{one, "rel:none"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "get", ids(got), []string{one})
}

func testSources(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	got, err := s.GetSources(ctx, []string{"source:test", "source:none"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Title != "Test source" || got[0].Published.String() != "2025-11" || got[0].Language != "vi" {
		t.Fatalf("sources = %+v", got)
	}
	all, total, err := s.FindSources(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(all) != 1 {
		t.Errorf("FindSources: %d of %d", len(all), total)
	}
}

func testApply(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	cite := []kg.Citation{{SourceID: "source:test", Quote: "q"}}
	newEntity := func(id, name string) *kg.Entity {
		return &kg.Entity{ID: id, Kind: kg.KindOrganization, Name: name, Type: "COMPANY", Citations: cite}
	}
	count := func() int {
		_, n, err := s.FindEntities(ctx, kg.EntityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()

	t.Run("OK", func(t *testing.T) {
		err := s.Apply(ctx, &kg.Batch{Mode: kg.CreateOnly, Entities: []*kg.Entity{newEntity("org:acme", "Acme")},
			Relationships: []*kg.Relationship{{ID: kg.RelationshipID(kg.RelLocatedIn, "org:acme", "locality:ha-noi", ""), Type: kg.RelLocatedIn, From: "org:acme", To: "locality:ha-noi", Citations: cite}}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"org:acme"}})
		if len(got) != 1 || got[0].ToKind != kg.KindLocality || got[0].FromKind != kg.KindOrganization {
			t.Errorf("expand = %+v", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		err := s.Apply(ctx, &kg.Batch{Mode: kg.CreateOnly, Entities: []*kg.Entity{newEntity("locality:ha-noi", "x")}})
		wantCode(t, "create existing", err, kg.EInvalid) // wrong kind for the id prefix
		err = s.Apply(ctx, &kg.Batch{Mode: kg.CreateOnly, Entities: []*kg.Entity{newEntity("org:acme", "Acme again")}})
		wantCode(t, "create existing", err, kg.EConflict)
	})
	t.Run("ErrNotFoundOnUpdate", func(t *testing.T) {
		err := s.Apply(ctx, &kg.Batch{Mode: kg.UpdateOnly, Entities: []*kg.Entity{newEntity("org:ghost", "Ghost")}})
		wantCode(t, "update missing", err, kg.ENotFound)
	})
	t.Run("ErrUnknownEnd", func(t *testing.T) {
		err := s.Apply(ctx, &kg.Batch{Relationships: []*kg.Relationship{{ID: kg.RelationshipID(kg.RelLocatedIn, "org:acme", "locality:nowhere", ""), Type: kg.RelLocatedIn, From: "org:acme", To: "locality:nowhere", Citations: cite}}})
		wantCode(t, "unknown end", err, kg.ENotFound)
	})
	t.Run("ErrUnknownSource", func(t *testing.T) {
		e := newEntity("org:cited", "Cited")
		e.Citations = []kg.Citation{{SourceID: "source:none", Quote: "q"}}
		wantCode(t, "unknown source", s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{e}}), kg.ENotFound)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		e := newEntity("org:bad", "")
		wantCode(t, "no name", s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{e}}), kg.EInvalid)
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		n := count()
		err := s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{newEntity("org:first", "First")},
			Relationships: []*kg.Relationship{{ID: kg.RelationshipID(kg.RelLocatedIn, "org:first", "locality:nowhere", ""), Type: kg.RelLocatedIn, From: "org:first", To: "locality:nowhere", Citations: cite}}})
		wantCode(t, "bad batch", err, kg.ENotFound)
		if got := count(); got != n {
			t.Errorf("a failed batch wrote something: %d entities, want %d", got, n)
		}
	})
	t.Run("UpsertReplaces", func(t *testing.T) {
		e := newEntity("org:acme", "Acme Corporation")
		e.Aliases = []string{"ACME"}
		if err := s.Apply(ctx, &kg.Batch{Mode: kg.UpdateOnly, Entities: []*kg.Entity{e}}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetEntities(ctx, []string{"org:acme"})
		if len(got) != 1 || got[0].Name != "Acme Corporation" || len(got[0].Aliases) != 1 {
			t.Fatalf("after update: %+v", got)
		}
		found, _, _ := s.FindEntities(ctx, kg.EntityFilter{Text: "acme corp"})
		equal(t, "search sees the new name", ids(found), []string{"org:acme"})
	})
	t.Run("ChosenRelationshipIDs", func(t *testing.T) {
		// Ids need not have kg.RelationshipID's form, and one that has it may
		// name another type and other ends: every store finds them by id.
		rel := func(id string, typ kg.RelType, to string) *kg.Relationship {
			return &kg.Relationship{ID: id, Type: typ, From: "org:acme", To: to, Citations: cite}
		}
		own, misleading := "rel:acme-office", kg.RelationshipID(kg.RelPartOf, "org:acme", "locality:fukuoka", "")
		err := s.Apply(ctx, &kg.Batch{Mode: kg.CreateOnly, Relationships: []*kg.Relationship{
			rel(own, kg.RelLocatedIn, "locality:da-nang"), rel(misleading, kg.RelInvestsIn, "locality:phu-tho")}})
		if err != nil {
			t.Fatal(err)
		}
		get := func() []string {
			got, err := s.GetRelationships(ctx, []string{own, misleading, "rel:none"})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range got {
				out = append(out, r.ID+" "+string(r.Type)+" "+r.To)
			}
			return sorted(out)
		}
		equal(t, "get", get(), []string{misleading + " INVESTS_IN locality:phu-tho", own + " LOCATED_IN locality:da-nang"})
		err = s.Apply(ctx, &kg.Batch{Mode: kg.CreateOnly, Relationships: []*kg.Relationship{rel(misleading, kg.RelInvestsIn, "locality:phu-tho")}})
		wantCode(t, "create again", err, kg.EConflict)
		// Replacing may change the type: the old relationship goes.
		if err := s.Apply(ctx, &kg.Batch{Relationships: []*kg.Relationship{rel(own, kg.RelCooperatesWith, "locality:da-nang")}}); err != nil {
			t.Fatal(err)
		}
		equal(t, "after replace", get(), []string{misleading + " INVESTS_IN locality:phu-tho", own + " COOPERATES_WITH locality:da-nang"})
		found, total, err := s.FindRelationships(ctx, kg.RelationshipFilter{IDs: []string{own, misleading}, Types: []kg.RelType{kg.RelCooperatesWith}})
		if err != nil || total != 1 || len(found) != 1 || found[0].ID != own {
			t.Errorf("find by ids and type: %v of %d, %v", ids(found), total, err)
		}
		if err := s.Apply(ctx, &kg.Batch{DeleteRelationships: []string{own, misleading}}); err != nil {
			t.Fatal(err)
		}
		equal(t, "after delete", get(), nil)
	})
	t.Run("Idempotent", func(t *testing.T) {
		n := count()
		rels := func() int { _, n, _ := s.FindRelationships(ctx, kg.RelationshipFilter{}); return n }
		r := rels()
		for i := 0; i < 2; i++ {
			if err := s.Apply(ctx, Fixture()); err != nil {
				t.Fatal(err)
			}
		}
		if count() != n || rels() != r {
			t.Errorf("reloading the fixture changed the counts: %d→%d entities, %d→%d relationships", n, count(), r, rels())
		}
	})
	if count() != before+1 {
		t.Errorf("entities: %d, want %d (fixture plus org:acme)", count(), before+1)
	}
}

func testDelete(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	err := s.Apply(ctx, &kg.Batch{DeleteEntities: []string{"agreement:mou"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetEntities(ctx, []string{"agreement:mou"})
	if len(got) != 0 {
		t.Errorf("deleted entity still there")
	}
	rels, _ := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:ha-noi", "locality:fukuoka"}, Types: []kg.RelType{kg.RelPartyTo}})
	if len(rels) != 0 {
		t.Errorf("deleting an entity left its relationships: %v", ids(rels))
	}
	_, total, _ := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if total != 4 {
		t.Errorf("relationships after delete: %d, want 4", total)
	}
	one := kg.RelationshipID(kg.RelHeldIn, "event:forum", "locality:ha-noi", "")
	if err := s.Apply(ctx, &kg.Batch{DeleteRelationships: []string{one}}); err != nil {
		t.Fatal(err)
	}
	if rels, _ := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"event:forum"}}); len(rels) != 1 {
		t.Errorf("forum relationships after delete: %v", ids(rels))
	}
	wantCode(t, "delete missing entity", s.Apply(ctx, &kg.Batch{DeleteEntities: []string{"agreement:mou"}}), kg.ENotFound)
	wantCode(t, "delete missing relationship", s.Apply(ctx, &kg.Batch{DeleteRelationships: []string{one}}), kg.ENotFound)
}
