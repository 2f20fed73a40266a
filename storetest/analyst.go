package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// AnalystFixture is a graph planted for the analyst's questions: for each
// relationship filter an entity it must find and entities that differ from
// it in one respect only (the other end's country, its type, the
// relationship's dates, its direction), and between two provinces a path
// through their country (the shortest) beside a longer one through an event
// and an official.
func AnalystFixture() *kg.Batch {
	cite := []kg.Citation{{SourceID: "source:analyst", Quote: "a quote"}}
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:analyst", Title: "Planted", Language: "en", Type: "DATASET"}}}
	ent := func(id string, kind kg.Kind, typ, country, start string) {
		b.Entities = append(b.Entities, &kg.Entity{ID: id, Kind: kind, Name: strings.ToUpper(id[strings.IndexByte(id, ':')+1:]),
			Type: typ, Country: country, Start: kg.MustPartialDate(start), Citations: cite})
	}
	rel := func(t kg.RelType, from, to, validFrom, validTo string, props ...string) {
		r := &kg.Relationship{ID: kg.RelationshipID(t, from, to, ""), Type: t, From: from, To: to,
			ValidFrom: kg.MustPartialDate(validFrom), ValidTo: kg.MustPartialDate(validTo), Citations: cite}
		if len(props) == 2 {
			r.Properties = map[string]string{props[0]: props[1]}
		}
		b.Relationships = append(b.Relationships, r)
	}
	ent("locality:vn", kg.KindLocality, "COUNTRY", "VN", "1945")
	ent("locality:jp", kg.KindLocality, "COUNTRY", "JP", "")
	for _, p := range []struct{ id, typ, country, start string }{
		{"locality:vn-a", "PROVINCE", "VN", "1997"}, {"locality:vn-b", "PROVINCE", "VN", "1997"},
		{"locality:vn-c", "PROVINCE", "VN", "2008"}, {"locality:vn-d", "CITY", "VN", ""},
		{"locality:jp-p", "PREFECTURE", "JP", ""}, {"locality:jp-q", "PREFECTURE", "JP", ""},
		{"locality:jp-city", "CITY", "JP", "1889"},
	} {
		ent(p.id, kg.KindLocality, p.typ, p.country, p.start)
		rel(kg.RelPartOf, p.id, "locality:"+strings.ToLower(p.country), "", "")
	}
	for i := range 6 { // communes, so that the country is the hub it is in life
		id := fmt.Sprintf("locality:vn-commune-%d", i)
		ent(id, kg.KindLocality, "COMMUNE", "VN", "2025-07-01")
		rel(kg.RelPartOf, id, "locality:vn", "2025-07-01", "")
	}
	agreements := []struct{ id, typ, start, a, b, from, to string }{
		{"agreement:a-p", "MOU", "2019", "locality:vn-a", "locality:jp-p", "", ""},          // VN province with a JP prefecture
		{"agreement:b-city", "MOU", "2021-03", "locality:vn-b", "locality:jp-city", "", ""}, // a JP city, not a prefecture
		{"agreement:c-d", "AGREEMENT", "2024", "locality:vn-c", "locality:vn-d", "", ""},    // both Vietnamese
		{"agreement:d-q", "MOU", "2023", "locality:vn-d", "locality:jp-q", "", ""},          // a Vietnamese city, not a province
		{"agreement:old", "MOU", "2005", "locality:vn-c", "locality:jp-q", "2005", "2010"},  // a prefecture, but only until 2010
	}
	for _, a := range agreements {
		ent(a.id, kg.KindAgreement, a.typ, "", a.start)
		rel(kg.RelPartyTo, a.a, a.id, a.from, a.to)
		rel(kg.RelPartyTo, a.b, a.id, a.from, a.to)
	}
	ent("event:forum-jp", kg.KindEvent, "FORUM", "", "2025-11-25")
	ent("event:forum-vn", kg.KindEvent, "FORUM", "", "2024-05")
	rel(kg.RelHeldIn, "event:forum-jp", "locality:jp-p", "", "")
	rel(kg.RelHeldIn, "event:forum-vn", "locality:vn-a", "", "")
	ent("official:x", kg.KindOfficial, "GOVERNMENT", "VN", "")
	ent("official:y", kg.KindOfficial, "GOVERNMENT", "JP", "")
	ent("official:w", kg.KindOfficial, "", "VN", "")
	ent("official:z", kg.KindOfficial, "DIPLOMAT", "JP", "")
	rel(kg.RelParticipatedIn, "official:x", "event:forum-jp", "", "") // took part in an event held in a JP prefecture
	rel(kg.RelParticipatedIn, "official:y", "event:forum-vn", "", "") // in Việt Nam
	rel(kg.RelParticipatedIn, "official:w", "event:forum-vn", "", "")
	rel(kg.RelHoldsOffice, "official:w", "locality:vn-c", "", "", kg.ReportedOnKey, "2021-11-26; 2025-11")
	rel(kg.RelHoldsOffice, "official:z", "locality:jp-q", "2020-04-01", "2024-03-31")
	ent("org:jp-bank", kg.KindOrganization, "BANK", "JP", "1950")
	rel(kg.RelInvestsIn, "org:jp-bank", "locality:vn-a", "", "")
	rel(kg.RelInvestsIn, "org:jp-bank", "locality:vn-b", "2018", "")
	return b
}

// analystCase is a question with the answer planted for it.
type analystCase struct {
	name string
	f    kg.EntityFilter
	m    kg.Match
	want []string // sorted
}

func some(types []kg.RelType, dir kg.Direction, other *kg.Match) kg.RelCondition {
	return kg.RelCondition{Quantifier: kg.Some, Types: types, Direction: dir, Other: other}
}

func types(ts ...kg.RelType) []kg.RelType { return ts }

var analystCases = []analystCase{
	{
		name: "ProvincesWithAnAgreementWithAJapanesePrefecture",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Types: []string{"PROVINCE"}, Countries: []string{"VN"}},
		m: kg.Match{Rels: []kg.RelCondition{some(types(kg.RelPartyTo), kg.DirOut, &kg.Match{Rels: []kg.RelCondition{
			some(types(kg.RelPartyTo), kg.DirIn, &kg.Match{Filter: kg.EntityFilter{Types: []string{"PREFECTURE"}, Countries: []string{"JP"}}})}})}},
		want: []string{"locality:vn-a", "locality:vn-c"},
	},
	{
		name: "TheSameOnADayThatRulesOutTheOldAgreement",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Types: []string{"PROVINCE"}, Countries: []string{"VN"}},
		m: kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: types(kg.RelPartyTo), Direction: kg.DirOut, AsOf: "2024-01-01",
			Other: &kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: types(kg.RelPartyTo), Direction: kg.DirIn, AsOf: "2024-01-01",
				Other: &kg.Match{Filter: kg.EntityFilter{Types: []string{"PREFECTURE"}, Countries: []string{"JP"}}}}}}}}},
		want: []string{"locality:vn-a"},
	},
	{
		name: "OfficialsAtEventsHeldInAJapanesePrefecture",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindOfficial}},
		m: kg.Match{Rels: []kg.RelCondition{some(types(kg.RelParticipatedIn), kg.DirOut, &kg.Match{Rels: []kg.RelCondition{
			some(types(kg.RelHeldIn), kg.DirOut, &kg.Match{Filter: kg.EntityFilter{Countries: []string{"JP"}, Types: []string{"PREFECTURE"}}})}})}},
		want: []string{"official:x"},
	},
	{
		name: "OfficialsAtNoEvent",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindOfficial}},
		m:    kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.None, Types: types(kg.RelParticipatedIn, kg.RelOrganized)}}},
		want: []string{"official:z"},
	},
	{
		name: "WrongDirectionFindsNothing",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindOfficial}},
		m:    kg.Match{Rels: []kg.RelCondition{some(types(kg.RelParticipatedIn), kg.DirIn, nil)}},
		want: []string{},
	},
	{
		name: "LocalitiesWithAgreementsAllOfThemMOUs",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Countries: []string{"VN"}, Types: []string{"PROVINCE", "CITY"}},
		m: kg.Match{Rels: []kg.RelCondition{some(types(kg.RelPartyTo), kg.DirOut, nil), {Quantifier: kg.All, Types: types(kg.RelPartyTo), Direction: kg.DirOut,
			Other: &kg.Match{Filter: kg.EntityFilter{Types: []string{"MOU"}}}}}},
		want: []string{"locality:vn-a", "locality:vn-b"}, // vn-c and vn-d are parties to c-d, an AGREEMENT
	},
	{
		name: "NoneInsideAll",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Countries: []string{"VN"}, Types: []string{"PROVINCE", "CITY"}},
		m: kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.All, Types: types(kg.RelPartyTo), Direction: kg.DirOut,
			Other: &kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.None, Types: types(kg.RelPartyTo), Direction: kg.DirIn,
				Other: &kg.Match{Filter: kg.EntityFilter{Countries: []string{"JP"}}}}}}}}},
		want: []string{}, // every one of them has an agreement with a Japanese party
	},
	{
		name: "AllWithoutAnyIsTrue",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindOfficial}},
		m:    kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.All, Types: types(kg.RelHoldsOffice), Other: &kg.Match{Filter: kg.EntityFilter{Countries: []string{"JP"}}}}}},
		want: []string{"official:x", "official:y", "official:z"}, // w's office is in Việt Nam; x and y hold none
	},
	{
		name: "OrAndNot",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}},
		m: kg.Match{
			Or: []kg.Match{
				{Rels: []kg.RelCondition{some(types(kg.RelInvestsIn), kg.DirIn, nil)}},
				{Filter: kg.EntityFilter{Types: []string{"PREFECTURE"}}},
			},
			Not: &kg.Match{Rels: []kg.RelCondition{some(types(kg.RelHeldIn), kg.DirIn, nil)}},
		},
		want: []string{"locality:jp-q", "locality:vn-b"}, // vn-a and jp-p have an event
	},
	{
		name: "AndOfTwoConditionsOnOneType",
		f:    kg.EntityFilter{},
		m: kg.Match{And: []kg.Match{
			{Rels: []kg.RelCondition{some(types(kg.RelPartyTo), kg.DirIn, &kg.Match{Filter: kg.EntityFilter{Countries: []string{"JP"}}})}},
			{Rels: []kg.RelCondition{some(types(kg.RelPartyTo), kg.DirIn, &kg.Match{Filter: kg.EntityFilter{Types: []string{"CITY"}}})}},
		}},
		want: []string{"agreement:b-city", "agreement:d-q"},
	},
	{
		name: "OwnFieldsInsideAMatchAndText",
		f:    kg.EntityFilter{},
		m:    kg.Match{Filter: kg.EntityFilter{Text: "forum", Kinds: []kg.Kind{kg.KindEvent}}, Rels: []kg.RelCondition{some(nil, kg.DirOut, &kg.Match{Filter: kg.EntityFilter{IDs: []string{"locality:vn-a"}}})}},
		want: []string{"event:forum-vn"},
	},
	{
		// No own fields: the embedded store finds the candidates from the
		// country (seedFromRels), and the other condition must still hold.
		name: "AnyEntityRelatedToACountryWithoutAnEventHeldThere",
		f:    kg.EntityFilter{},
		m: kg.Match{Rels: []kg.RelCondition{
			{Quantifier: kg.None, Types: types(kg.RelHeldIn), Direction: kg.DirIn},
			some(nil, kg.DirBoth, &kg.Match{Filter: kg.EntityFilter{Types: []string{"COUNTRY"}, Countries: []string{"JP"}}}),
		}},
		want: []string{"locality:jp-city", "locality:jp-q"}, // jp-p held forum-jp
	},
	{
		name: "ByDayTheInvestmentSince2018",
		f:    kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}},
		m:    kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: types(kg.RelInvestsIn), AsOf: "2017-06-01"}}},
		want: []string{"locality:vn-a"},
	},
}

// testAnalyst checks relationship filters, facets, relationship facets,
// stats, degrees and ranked paths on AnalystFixture, each against an answer
// planted in the data or counted here from the fixture itself.
func testAnalyst(t *testing.T, newStore NewStore) {
	s := newStore(t)
	t.Cleanup(func() { s.Close() })
	b := AnalystFixture()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	for _, tc := range analystCases {
		t.Run("Match"+tc.name, func(t *testing.T) {
			for name, find := range map[string]func(kg.EntityFilter, *kg.Match) ([]*kg.Entity, int, error){
				"store": func(f kg.EntityFilter, m *kg.Match) ([]*kg.Entity, int, error) { return kg.FindMatching(ctx, s, f, m) },
				"generic": func(f kg.EntityFilter, m *kg.Match) ([]*kg.Entity, int, error) {
					return kg.GenericFindMatching(ctx, s, f, m)
				},
			} {
				f := tc.f
				f.Order = kg.EntityOrder{Field: kg.OrderByID}
				got, total, err := find(f, &tc.m)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				equal(t, name, ids(got), tc.want)
				if total != len(tc.want) {
					t.Errorf("%s: total %d, want %d", name, total, len(tc.want))
				}
				if len(tc.want) > 1 { // a page of the matches, in a descending order
					f.Order.Desc, f.Offset, f.Limit = true, 1, 1
					got, total, err = find(f, &tc.m)
					if err != nil || total != len(tc.want) || len(got) != 1 || got[0].ID != tc.want[len(tc.want)-2] {
						t.Errorf("%s: second of %v, descending: %q of %d (%v)", name, tc.want, ids(got), total, err)
					}
				}
			}
		})
	}
	t.Run("Facets", func(t *testing.T) {
		cases := []struct {
			f kg.EntityFilter
			m *kg.Match
			// keep says which fixture entities are counted, as the test reads them
			keep func(e *kg.Entity) bool
		}{
			{kg.EntityFilter{}, nil, func(*kg.Entity) bool { return true }},
			{kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Countries: []string{"VN"}}, nil,
				func(e *kg.Entity) bool { return e.Kind == kg.KindLocality && e.Country == "VN" }},
			{kg.EntityFilter{Kinds: []kg.Kind{kg.KindAgreement}}, &analystCases[9].m,
				func(e *kg.Entity) bool { return e.ID == "agreement:b-city" || e.ID == "agreement:d-q" }},
			{kg.EntityFilter{}, &analystCases[11].m,
				func(e *kg.Entity) bool { return e.ID == "locality:jp-city" || e.ID == "locality:jp-q" }},
		}
		for _, c := range cases {
			want := map[kg.FacetField]map[string]int{}
			n := 0
			for _, e := range b.Entities {
				if !c.keep(e) {
					continue
				}
				n++
				for _, field := range kg.FacetFields {
					if want[field] == nil {
						want[field] = map[string]int{}
					}
					want[field][field.Of(e)]++
				}
			}
			for name, facets := range map[string]func() (kg.EntityFacets, error){
				"store":   func() (kg.EntityFacets, error) { return kg.Facets(ctx, s, c.f, c.m, kg.FacetFields) },
				"generic": func() (kg.EntityFacets, error) { return kg.GenericFacets(ctx, s, c.f, c.m, kg.FacetFields) },
			} {
				got, err := facets()
				if err != nil {
					t.Fatal(err)
				}
				if got.Total != n {
					t.Errorf("%s %+v: total %d, want %d", name, c.f, got.Total, n)
				}
				for _, field := range kg.FacetFields {
					if g, w := showFacet(got.Counts[field]), showFacet(kg.SortFacetCounts(want[field])); g != w {
						t.Errorf("%s %+v by %s:\n got  %s\n want %s", name, c.f, field, g, w)
					}
				}
			}
		}
	})
	t.Run("RelationshipFacets", func(t *testing.T) {
		for _, q := range []kg.RelFacetQuery{
			{Filter: kg.EntityFilter{IDs: []string{"locality:vn-a"}}},
			{Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}, Countries: []string{"VN"}}, Direction: kg.DirIn},
			{Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindOfficial}}, Types: types(kg.RelHoldsOffice, kg.RelParticipatedIn), AsOf: "2023-01-01"},
			{Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindAgreement}}, Match: &analystCases[9].m},
		} {
			set := map[string]bool{}
			all, _, err := kg.GenericFindMatching(ctx, s, q.Filter, q.Match)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range all {
				set[e.ID] = true
			}
			counts := map[kg.RelFacet]int{}
			for _, r := range b.Relationships {
				if (len(q.Types) > 0 && !slices.Contains(q.Types, r.Type)) || !r.ValidOn(q.AsOf) {
					continue
				}
				if q.Direction != kg.DirIn && set[r.From] {
					counts[kg.RelFacet{Type: r.Type, Direction: kg.DirOut, OtherKind: kindIn(b, r.To)}]++
				}
				if q.Direction != kg.DirOut && set[r.To] {
					counts[kg.RelFacet{Type: r.Type, Direction: kg.DirIn, OtherKind: kindIn(b, r.From)}]++
				}
			}
			want := kg.SortRelFacets(len(set), counts)
			for name, facets := range map[string]func() (kg.RelFacets, error){
				"store":   func() (kg.RelFacets, error) { return kg.RelationshipFacets(ctx, s, q) },
				"generic": func() (kg.RelFacets, error) { return kg.GenericRelationshipFacets(ctx, s, q) },
			} {
				got, err := facets()
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s %+v:\n got  %v\n want %v", name, q, got, want)
				}
			}
		}
	})
	t.Run("Stats", func(t *testing.T) {
		want := kg.Stats{Entities: len(b.Entities), Relationships: len(b.Relationships), Sources: len(b.Sources), ByKind: map[kg.Kind]int{}}
		for _, e := range b.Entities {
			want.ByKind[e.Kind]++
		}
		for _, k := range kg.Kinds {
			want.ByKind[k] += 0
		}
		for name, read := range map[string]func() (kg.Stats, error){
			"store":   func() (kg.Stats, error) { return kg.ReadStats(ctx, s) },
			"generic": func() (kg.Stats, error) { return kg.GenericStats(ctx, s) },
		} {
			got, err := read()
			if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %v (%v), want %v", name, got, err, want)
			}
		}
	})
	t.Run("Degrees", func(t *testing.T) {
		ids := []string{"locality:vn", "official:w", "locality:atlantis", "agreement:old"}
		want := make([]int, len(ids))
		for i, id := range ids {
			for _, r := range b.Relationships {
				if r.From == id || r.To == id {
					want[i]++
				}
			}
		}
		for name, degrees := range map[string]func() ([]int, error){
			"store":   func() ([]int, error) { return kg.Degrees(ctx, s, ids) },
			"generic": func() ([]int, error) { return kg.GenericDegrees(ctx, s, ids) },
		} {
			got, err := degrees()
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%s: %v (%v), want %v", name, got, err, want)
			}
		}
	})
	t.Run("RankedPaths", func(t *testing.T) {
		const from, to = "locality:vn-a", "locality:vn-c"
		short, err := traverse.ShortestPaths(ctx, s, from, to, 4, traverse.Options{}, 10)
		if err != nil || len(short) != 1 || short[0].Nodes[1] != "locality:vn" {
			t.Fatalf("the shortest path should run through the country: %v (%v)", short, err)
		}
		// The country has 10 relationships: 1/10. Through the forum (3)
		// and the official (2): 1/6 ≈ 0.167, one hop longer.
		want := []string{
			"0.166666666667 locality:vn-a,event:forum-vn,official:w,locality:vn-c",
			"0.1 locality:vn-a,locality:vn,locality:vn-c",
		}
		for name, rank := range map[string]func(traverse.Options, int) ([]traverse.ScoredPath, error){
			"store": func(o traverse.Options, k int) ([]traverse.ScoredPath, error) {
				return traverse.RankedPaths(ctx, s, from, to, 4, o, k)
			},
			"generic": func(o traverse.Options, k int) ([]traverse.ScoredPath, error) {
				return traverse.GenericRankedPaths(ctx, s, from, to, 4, o, k)
			},
		} {
			got, err := rank(traverse.Options{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if g := showScored(got); !slices.Equal(g[:min(2, len(g))], want) {
				t.Errorf("%s: ranked paths\n got  %q\n want %q first", name, g, want)
			}
			for _, o := range []traverse.Options{{Avoid: []string{"locality:vn"}}, {MaxDegree: 5}} {
				got, err := rank(o, 1)
				if err != nil || len(got) != 1 || showScored(got)[0] != want[0] {
					t.Errorf("%s %+v: %q (%v), want %q", name, o, showScored(got), err, want[0])
				}
				paths, err := traverse.ShortestPaths(ctx, s, from, to, 4, o, 10)
				if err != nil || len(paths) != 1 || len(paths[0].Nodes) != 4 {
					t.Errorf("%s %+v: shortest paths %v (%v), want the one through the forum", name, o, paths, err)
				}
			}
		}
	})
	t.Run("TimeStatus", func(t *testing.T) {
		rels, err := s.GetRelationships(ctx, []string{
			kg.RelationshipID(kg.RelHoldsOffice, "official:w", "locality:vn-c", ""),
			kg.RelationshipID(kg.RelHoldsOffice, "official:z", "locality:jp-q", ""),
			kg.RelationshipID(kg.RelPartOf, "locality:vn-a", "locality:vn", ""),
			kg.RelationshipID(kg.RelInvestsIn, "org:jp-bank", "locality:vn-b", ""),
		})
		if err != nil || len(rels) != 4 {
			t.Fatalf("relationships: %v (%v)", rels, err)
		}
		status := map[string]string{}
		for _, r := range rels {
			var s []string
			for _, day := range []string{"1990-01-01", "2018-06-01", "2019-01-01", "2021-11-26", "2022-01-01", "2025-11-30", "2030-01-01"} {
				s = append(s, string(r.StatusOn(day)))
			}
			status[r.From+">"+r.To] = strings.Join(s, " ")
		}
		for k, want := range map[string]string{
			// reported on 2021-11-26 and in 2025-11: holds then, unknown on every other day
			"official:w>locality:vn-c":  "UNKNOWN UNKNOWN UNKNOWN HOLDS UNKNOWN HOLDS UNKNOWN",
			"official:z>locality:jp-q":  "OUTSIDE OUTSIDE OUTSIDE HOLDS HOLDS OUTSIDE OUTSIDE",
			"locality:vn-a>locality:vn": "UNKNOWN UNKNOWN UNKNOWN UNKNOWN UNKNOWN UNKNOWN UNKNOWN",
			// from 2018, known to the year: unknown within 2018, holds after
			"org:jp-bank>locality:vn-b": "OUTSIDE UNKNOWN HOLDS HOLDS HOLDS HOLDS HOLDS",
		} {
			if status[k] != want {
				t.Errorf("%s: %s, want %s", k, status[k], want)
			}
		}
	})
}

func kindIn(b *kg.Batch, id string) kg.Kind {
	for _, e := range b.Entities {
		if e.ID == id {
			return e.Kind
		}
	}
	return ""
}

func showFacet(cs []kg.FacetCount) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s=%d ", c.Value, c.Count)
	}
	return b.String()
}

func showScored(ps []traverse.ScoredPath) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%v %s", p.Score, strings.Join(p.Nodes, ","))
	}
	return out
}
