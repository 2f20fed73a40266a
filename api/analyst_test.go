package api_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/vjkg/vjkg/storetest"
)

// TestAnalystQueries asks the analyst's questions over HTTP, on the seed
// graph with storetest.AnalystFixture planted in it, on both backends. Each
// answer is checked against what the test works out itself from plain
// lists and connections (the join a client had to make before), and
// against the planted entities a filter must find and those it must not.
func TestAnalystQueries(t *testing.T) {
	t.Run("Embedded", func(t *testing.T) { testAnalystQueries(t, newServer(t)) })
	t.Run("Neo4j", func(t *testing.T) { testAnalystQueries(t, newNeo4jServer(t)) })
}

type idsAnswer struct {
	TotalCount int
	Nodes      []struct{ ID string }
}

func (a idsAnswer) ids() []string {
	out := make([]string, len(a.Nodes))
	for i, n := range a.Nodes {
		out[i] = n.ID
	}
	return out
}

func testAnalystQueries(t *testing.T, s *server) {
	if err := s.backend.Apply(context.Background(), storetest.AnalystFixture()); err != nil {
		t.Fatal(err)
	}
	warmUp(t, s)
	t.Run("ProvincesWithAnAgreementWithAJapanesePrefecture", func(t *testing.T) {
		// The join a client made before: every Vietnamese province, its
		// agreements, their parties.
		var all struct {
			Localities struct {
				TotalCount int
				Nodes      []struct {
					ID         string
					Agreements struct {
						TotalCount int
						Edges      []struct {
							ValidTo *struct{ Value string }
							Node    struct {
								Parties struct {
									TotalCount int
									Edges      []struct {
										ValidTo *struct{ Value string }
										Node    struct{ Country, LocalityType string }
									}
								}
							}
						}
					}
				}
			}
		}
		s.query(t, `{ localities(filter: {country: ["VN"], type: [PROVINCE]}, first: 100) { totalCount nodes { id agreements(first: 8) { totalCount edges { validTo { value }
		  node { ... on Agreement { parties(first: 8) { totalCount edges { validTo { value } node { ... on Locality { country localityType } } } } } } } } } } }`, nil, &all)
		if l := all.Localities; l.TotalCount > len(l.Nodes) {
			t.Fatalf("the join is cut short: %d of %d provinces", len(l.Nodes), l.TotalCount)
		}
		want := map[string][]string{} // with and without a day that rules out what ended by 2010
		for _, l := range all.Localities.Nodes {
			if l.Agreements.TotalCount > len(l.Agreements.Edges) {
				t.Fatalf("the join is cut short at %s's agreements", l.ID)
			}
			for _, a := range l.Agreements.Edges {
				if a.Node.Parties.TotalCount > len(a.Node.Parties.Edges) {
					t.Fatalf("the join is cut short at an agreement's parties")
				}
				for _, p := range a.Node.Parties.Edges {
					if p.Node.Country == "JP" && p.Node.LocalityType == "PREFECTURE" {
						want[""] = append(want[""], l.ID)
						if (a.ValidTo == nil || a.ValidTo.Value >= "2024") && (p.ValidTo == nil || p.ValidTo.Value >= "2024") {
							want["2024-01-01"] = append(want["2024-01-01"], l.ID)
						}
					}
				}
			}
		}
		for day, w := range want {
			slices.Sort(w)
			want[day] = slices.Compact(w)
		}
		if !slices.Contains(want[""], "locality:vn-a") || !slices.Contains(want[""], "locality:vn-c") || slices.Contains(want["2024-01-01"], "locality:vn-c") {
			t.Fatalf("the planted answers are not where the test expects them: %v", want)
		}
		for _, day := range []string{"", "2024-01-01"} {
			var asOf any
			if day != "" {
				asOf = day
			}
			var got struct{ Localities idsAnswer }
			s.store.Reset()
			s.query(t, `query($asOf: Date) { localities(first: 100, orderBy: {field: ID}, filter: {country: ["VN"], type: [PROVINCE],
			  relationships_SOME: {types: [PARTY_TO], direction: OUT, asOf: $asOf, node: {
			    relationships_SOME: {types: [PARTY_TO], direction: IN, asOf: $asOf, node: {country: ["JP"], type: ["PREFECTURE"]}}}}}) {
			  totalCount nodes { id } } }`, map[string]any{"asOf": asOf}, &got)
			if !slices.Equal(got.Localities.ids(), want[day]) || got.Localities.TotalCount != len(want[day]) {
				t.Errorf("asOf %q: %v (total %d), want %v", day, got.Localities.ids(), got.Localities.TotalCount, want[day])
			}
			if calls := s.store.Calls(); calls["FindMatching"] != 1 || s.store.Total() != 1 {
				t.Errorf("asOf %q: store calls %v, want one FindMatching", day, calls)
			}
		}
	})
	t.Run("OfficialsAtEventsHeldInAJapanesePrefecture", func(t *testing.T) {
		var all struct {
			Officials struct {
				TotalCount int
				Nodes      []struct {
					ID     string
					Events struct {
						TotalCount int
						Nodes      []struct {
							Place struct {
								TotalCount int
								Nodes      []struct{ Country, LocalityType string }
							}
						}
					}
				}
			}
		}
		s.query(t, `{ officials(first: 100) { totalCount nodes { id events(first: 10) { totalCount nodes { ... on Event { place(first: 3) { totalCount nodes { ... on Locality { country localityType } } } } } } } } }`, nil, &all)
		if all.Officials.TotalCount > len(all.Officials.Nodes) {
			t.Fatalf("the join is cut short: %d of %d officials", len(all.Officials.Nodes), all.Officials.TotalCount)
		}
		var want []string
		for _, o := range all.Officials.Nodes {
			found := false
			if o.Events.TotalCount > len(o.Events.Nodes) {
				t.Fatalf("the join is cut short at %s's events", o.ID)
			}
			for _, e := range o.Events.Nodes {
				if e.Place.TotalCount > len(e.Place.Nodes) {
					t.Fatalf("the join is cut short at an event's places")
				}
				for _, p := range e.Place.Nodes {
					found = found || (p.Country == "JP" && p.LocalityType == "PREFECTURE")
				}
			}
			if found {
				want = append(want, o.ID)
			}
		}
		sort.Strings(want)
		var got struct{ Officials idsAnswer }
		s.query(t, `{ officials(first: 100, orderBy: {field: ID}, filter: {relationships_SOME: {types: [PARTICIPATED_IN, ORGANIZED], direction: OUT,
		  node: {relationships_SOME: {types: [HELD_IN], direction: OUT, node: {country: ["JP"], type: ["PREFECTURE"]}}}}}) { totalCount nodes { id } } }`, nil, &got)
		if !slices.Equal(got.Officials.ids(), want) || !slices.Contains(want, "official:x") || slices.Contains(want, "official:y") {
			t.Errorf("officials %v, want %v (official:x in, official:y out)", got.Officials.ids(), want)
		}
	})
	t.Run("NoneAllAndOrNot", func(t *testing.T) {
		var got struct {
			None, All idsAnswer
			Either    idsAnswer `json:"either"`
		}
		s.query(t, `{
		  None: officials(first: 100, filter: {name: "", country: ["JP"], relationships_NONE: {types: [PARTICIPATED_IN, ORGANIZED]}}) { totalCount nodes { id } }
		  All: officials(first: 100, filter: {relationships_SOME: {types: [HOLDS_OFFICE]}, relationships_ALL: {types: [HOLDS_OFFICE], node: {country: ["JP"]}}}) { totalCount nodes { id } }
		  either: entities(first: 100, orderBy: {field: ID}, filter: {kinds: [LOCALITY], OR: [{relationships_SOME: {types: [INVESTS_IN], direction: IN, node: {country: ["JP"], kinds: [ORGANIZATION]}}}, {type: ["PREFECTURE"], country: ["JP"], name: "jp-"}],
		    NOT: {relationships_SOME: {types: [HELD_IN], direction: IN}}}) { totalCount nodes { id } }
		}`, nil, &got)
		if !slices.Contains(got.None.ids(), "official:z") || slices.Contains(got.None.ids(), "official:y") {
			t.Errorf("NONE: %v, want official:z and not official:y", got.None.ids())
		}
		if !slices.Contains(got.All.ids(), "official:z") || slices.Contains(got.All.ids(), "official:w") || slices.Contains(got.All.ids(), "official:x") {
			t.Errorf("ALL with SOME: %v, want official:z, not official:w (office in VN) nor official:x (no office)", got.All.ids())
		}
		for _, id := range []string{"locality:jp-q", "locality:vn-b"} {
			if !slices.Contains(got.Either.ids(), id) {
				t.Errorf("OR and NOT: %v, want %s", got.Either.ids(), id)
			}
		}
		for _, id := range []string{"locality:vn-a", "locality:jp-p", "locality:jp-city"} {
			if slices.Contains(got.Either.ids(), id) {
				t.Errorf("OR and NOT: %v holds %s", got.Either.ids(), id)
			}
		}
	})
	t.Run("FacetsAgreeWithCounts", func(t *testing.T) {
		var got struct {
			EntityFacets struct {
				Total                     int
				ByCountry, ByType, ByYear []struct {
					Value *string
					Count int
				}
			}
			Localities struct{ TotalCount int }
		}
		s.store.Reset()
		s.query(t, `{ entityFacets(filter: {kinds: [LOCALITY]}) { total byCountry { value count } byType { value count } byYear { value count } }
		  localities { totalCount } }`, nil, &got)
		if calls := s.store.Calls(); calls["Facets"] != 1 {
			t.Errorf("facets cost %v, want one Facets call", calls)
		}
		f := got.EntityFacets
		if f.Total != got.Localities.TotalCount {
			t.Errorf("facets count %d localities, the list %d", f.Total, got.Localities.TotalCount)
		}
		for name, counts := range map[string][]struct {
			Value *string
			Count int
		}{"country": f.ByCountry, "type": f.ByType} {
			sum := 0
			for _, c := range counts {
				sum += c.Count
				if c.Value == nil {
					continue
				}
				var list struct{ Localities struct{ TotalCount int } }
				value := fmt.Sprintf("%q", *c.Value)
				if name == "type" {
					value = *c.Value // an enum
				}
				s.query(t, fmt.Sprintf(`{ localities(filter: {%s: [%s]}) { totalCount } }`, name, value), nil, &list)
				if list.Localities.TotalCount != c.Count {
					t.Errorf("%s %s: facet %d, list %d", name, *c.Value, c.Count, list.Localities.TotalCount)
				}
			}
			if sum != f.Total {
				t.Errorf("by %s the counts add up to %d, not %d", name, sum, f.Total)
			}
		}
		// Agreements with a Japanese party, by year, counted from the list.
		const filter = `{kinds: [AGREEMENT], relationships_SOME: {types: [PARTY_TO], direction: IN, node: {country: ["JP"]}}}`
		var years struct {
			EntityFacets struct {
				Total  int
				ByYear []struct {
					Value *string
					Count int
				}
			}
			Entities struct {
				Nodes []struct{ Date *struct{ Value string } }
			}
		}
		s.query(t, `{ entityFacets(filter: `+filter+`) { total byYear { value count } } entities(first: 100, filter: `+filter+`) { nodes { ... on Agreement { date { value } } } } }`, nil, &years)
		want := map[string]int{}
		for _, n := range years.Entities.Nodes {
			y := ""
			if n.Date != nil {
				y = n.Date.Value[:4]
			}
			want[y]++
		}
		gotYears := map[string]int{}
		for _, c := range years.EntityFacets.ByYear {
			v := ""
			if c.Value != nil {
				v = *c.Value
			}
			gotYears[v] = c.Count
		}
		if fmt.Sprint(gotYears) != fmt.Sprint(want) || years.EntityFacets.Total != len(years.Entities.Nodes) || want["2019"] == 0 {
			t.Errorf("agreements with a Japanese party by year: %v (total %d), counted %v", gotYears, years.EntityFacets.Total, want)
		}
	})
	t.Run("RelationshipFacetsAgreeWithConnections", func(t *testing.T) {
		for _, id := range []string{"locality:fukuoka", "locality:vn", "official:pham-minh-chinh"} {
			var got struct {
				RelationshipFacets struct {
					Entities, Total int
					Groups          []struct {
						Type, Direction, OtherKind string
						Count                      int
					}
					ByType []struct {
						Type  string
						Count int
					}
				}
				Entity struct{ Relationships struct{ TotalCount int } }
			}
			s.query(t, `query($id: ID!) { relationshipFacets(ids: [$id]) { entities total groups { type direction otherKind count } byType { type count } }
			  entity(id: $id) { relationships { totalCount } } }`, map[string]any{"id": id}, &got)
			f := got.RelationshipFacets
			if f.Entities != 1 || f.Total != got.Entity.Relationships.TotalCount || len(f.Groups) == 0 {
				t.Errorf("%s: %d relationships in facets, %d in the connection", id, f.Total, got.Entity.Relationships.TotalCount)
			}
			for _, g := range f.Groups {
				var c struct {
					Entity struct{ Relationships struct{ TotalCount int } }
				}
				s.query(t, fmt.Sprintf(`query($id: ID!) { entity(id: $id) { relationships(types: [%s], direction: %s, kinds: [%s]) { totalCount } } }`,
					g.Type, g.Direction, g.OtherKind), map[string]any{"id": id}, &c)
				if c.Entity.Relationships.TotalCount != g.Count {
					t.Errorf("%s %s %s %s: facet %d, connection %d", id, g.Type, g.Direction, g.OtherKind, g.Count, c.Entity.Relationships.TotalCount)
				}
			}
		}
	})
	t.Run("SpecificPathRanksAboveTheHub", func(t *testing.T) {
		var got struct {
			Shortest, Specific []struct {
				Score float64
				Nodes []struct{ ID string }
			}
		}
		s.query(t, `{ Shortest: paths(from: "locality:vn-a", to: "locality:vn-c") { score nodes { id } }
		  Specific: paths(from: "locality:vn-a", to: "locality:vn-c", rank: SPECIFIC, first: 2) { score nodes { id } } }`, nil, &got)
		show := func(ps []struct {
			Score float64
			Nodes []struct{ ID string }
		}) (out []string) {
			for _, p := range ps {
				var ids []string
				for _, n := range p.Nodes {
					ids = append(ids, n.ID)
				}
				out = append(out, fmt.Sprint(p.Score, ids))
			}
			return out
		}
		hub := "0.1 [locality:vn-a locality:vn locality:vn-c]"
		specific := "0.166666666667 [locality:vn-a event:forum-vn official:w locality:vn-c]"
		if g := show(got.Shortest); !slices.Equal(g, []string{hub}) {
			t.Errorf("shortest: %v, want %s", g, hub)
		}
		if g := show(got.Specific); !slices.Equal(g, []string{specific, hub}) {
			t.Errorf("specific: %v, want %s then %s", g, specific, hub)
		}
	})
	t.Run("TimeStatus", func(t *testing.T) {
		var got struct {
			W struct {
				Offices struct {
					Edges []struct {
						Status       *string
						ReportedOn   []struct{ Value string }
						Relationship struct{ Status, Then *string }
					}
				}
			}
			Z struct {
				Offices struct{ Edges []struct{ Status *string } }
			}
		}
		s.query(t, `{ W: official(id: "official:w") { offices(asOf: "2030-01-01") { edges { status reportedOn { value } relationship { status Then: status(on: "2021-11-26") } } } }
		  Z: official(id: "official:z") { offices(asOf: "2022-06-01") { edges { status } } } }`, nil, &got)
		if len(got.W.Offices.Edges) != 1 || len(got.Z.Offices.Edges) != 1 {
			t.Fatalf("offices: %+v", got)
		}
		w := got.W.Offices.Edges[0]
		if *w.Status != "UNKNOWN" || *w.Relationship.Status != "UNKNOWN" || *w.Relationship.Then != "HOLDS" || fmt.Sprint(w.ReportedOn) != "[{2021-11-26} {2025-11}]" {
			t.Errorf("an office known by its reports, in 2030: %s, %s, on a report day %s, reported %v", *w.Status, *w.Relationship.Status, *w.Relationship.Then, w.ReportedOn)
		}
		if z := got.Z.Offices.Edges[0].Status; z == nil || *z != "HOLDS" {
			t.Errorf("an office with dates, within them: %v", z)
		}
	})
	t.Run("OneStoreCallEach", func(t *testing.T) {
		var list struct{ Localities idsAnswer }
		s.query(t, `{ localities(first: 40, orderBy: {field: ID}) { nodes { id } } }`, nil, &list)
		ids := append(list.Localities.ids(), "locality:atlantis")
		s.store.Reset()
		var got struct{ Nodes []*struct{ ID string } }
		s.query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}, &got)
		if calls := s.store.Calls(); calls["GetEntities"] != 1 || s.store.Total() != 1 {
			t.Errorf("nodes of %d ids: store calls %v, want one GetEntities", len(ids), calls)
		}
		if len(got.Nodes) != len(ids) || got.Nodes[len(ids)-1] != nil || got.Nodes[3].ID != ids[3] {
			t.Errorf("nodes: %d, last %v", len(got.Nodes), got.Nodes[len(ids)-1])
		}
		s.store.Reset()
		var stats struct{ Stats struct{ Entities int } }
		s.query(t, `{ stats { entities relationships sources byKind { kind count } } }`, nil, &stats)
		if calls := s.store.Calls(); calls["Stats"] != 1 || s.store.Total() != 1 {
			t.Errorf("stats: store calls %v, want one Stats", calls)
		}
		s.store.Reset()
		var count struct {
			Locality struct{ Relationships struct{ TotalCount int } }
		}
		s.query(t, `{ locality(id: "locality:vn") { relationships { totalCount } } }`, nil, &count)
		if calls := s.store.Calls(); calls["PageRelationships"] != 1 || count.Locality.Relationships.TotalCount != 10 {
			t.Errorf("a count-only connection: %d, store calls %v", count.Locality.Relationships.TotalCount, calls)
		}
	})
	t.Run("FourHopsPassTheDepthLimit", func(t *testing.T) {
		var got struct{ Localities struct{ Edges []any } }
		s.query(t, `{ localities(first: 3, filter: {country: ["JP"]}) { edges { node { agreements(first: 5) { edges { node { ... on Agreement {
		  parties(first: 5) { edges { node { ... on Locality { officials(first: 5) { edges { node { name ... on Official { offices(first: 5) { edges { role } } } } } } } } } } } } } } } } } }`, nil, &got)
		if len(got.Localities.Edges) == 0 {
			t.Error("no answer")
		}
	})
}
