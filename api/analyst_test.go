package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
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
	t.Run("AsOfAlikeEverywhere", func(t *testing.T) {
		// On 2030-01-01, official:w's office (known only by reports from
		// 2021 and 2025) is UNKNOWN and kept; official:z's (2020–2024) and
		// agreement:old's parties (2005–2010) are OUTSIDE and left out. A
		// list, a traversal, paths, measures and every export path must
		// agree.
		const day = "2030-01-01"
		unknown, outside := "rel:HOLDS_OFFICE:official:w->locality:vn-c", "rel:HOLDS_OFFICE:official:z->locality:jp-q"
		old := "rel:PARTY_TO:locality:vn-c->agreement:old"
		var got struct {
			Relationships struct{ Nodes []struct{ ID, Status string } }
			Neighborhood  struct{ Nodes, Relationships []struct{ ID string } }
			W, Z          []struct{ Nodes []struct{ ID string } }
			Measures      []struct {
				Entity struct{ ID string }
				Degree int
			}
		}
		s.query(t, `query($day: Date) { relationships(first: 100, filter: {types: [HOLDS_OFFICE], asOf: $day}) { nodes { id status } }
		  neighborhood(id: "locality:vn-c", depth: 1, asOf: $day) { nodes { id } relationships { id } }
		  W: paths(from: "official:w", to: "locality:vn-c", maxHops: 1, asOf: $day) { nodes { id } }
		  Z: paths(from: "official:z", to: "locality:jp-q", maxHops: 1, asOf: $day) { nodes { id } }
		  measures(id: "locality:vn-c", depth: 1, asOf: $day, first: 100) { entity { id } degree } }`, map[string]any{"day": day}, &got)
		var listed []string
		for _, r := range got.Relationships.Nodes {
			listed = append(listed, r.ID+" "+r.Status)
		}
		if !slices.Contains(listed, unknown+" UNKNOWN") || slices.ContainsFunc(listed, func(s string) bool { return strings.HasPrefix(s, outside) }) {
			t.Errorf("list: %v, want %s UNKNOWN and not %s", listed, unknown, outside)
		}
		var near, nearRels []string
		for _, n := range got.Neighborhood.Nodes {
			near = append(near, n.ID)
		}
		for _, r := range got.Neighborhood.Relationships {
			nearRels = append(nearRels, r.ID)
		}
		if !slices.Contains(near, "official:w") || slices.Contains(near, "agreement:old") || !slices.Contains(nearRels, unknown) {
			t.Errorf("neighbourhood: %v, want official:w and not agreement:old", near)
		}
		if len(got.W) != 1 || len(got.Z) != 0 {
			t.Errorf("paths: %d through the UNKNOWN office (want 1), %d through the OUTSIDE one (want 0)", len(got.W), len(got.Z))
		}
		measured := map[string]int{}
		for _, m := range got.Measures {
			measured[m.Entity.ID] = m.Degree
		}
		if _, ok := measured["official:w"]; !ok || measured["agreement:old"] != 0 || measured["locality:vn-c"] != len(nearRels) {
			t.Errorf("measures: %v, want official:w, not agreement:old, and locality:vn-c of degree %d", measured, len(nearRels))
		}
		// Exports: a neighbourhood and a small list (read whole), the whole
		// graph (streamed), in CSV and GraphML; each edge carries its status.
		for _, q := range []string{"scope=neighborhood&id=locality:vn-c", "scope=list&kinds=OFFICIAL,LOCALITY", "scope=all"} {
			_, body := s.get(t, "/export?format=edges.csv&asOf="+day+"&"+q)
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("%s: %v %.200s", q, err, body)
			}
			col := slices.Index(rows[0], "time_status")
			statuses := map[string]string{}
			for _, r := range rows[1:] {
				if col >= 0 {
					statuses[r[0]] = r[col]
				}
			}
			if statuses[unknown] != "UNKNOWN" || statuses[outside] != "" || statuses[old] != "" || slices.Contains(slices.Collect(maps.Values(statuses)), "OUTSIDE") {
				t.Errorf("%s as of %s: %s is %q (want UNKNOWN), %s %q and %s %q (want left out); header %v",
					q, day, unknown, statuses[unknown], outside, statuses[outside], old, statuses[old], rows[0])
			}
			if q == "scope=all" && statuses["rel:PART_OF:locality:vn-commune-0->locality:vn"] != "HOLDS" {
				t.Errorf("a commune part of the country since 2025-07-01, in 2030: %q, want HOLDS", statuses["rel:PART_OF:locality:vn-commune-0->locality:vn"])
			}
		}
		_, graphml := s.get(t, "/export?format=graphml&scope=neighborhood&id=locality:vn-c&asOf="+day)
		if !bytes.Contains(graphml, []byte(`attr.name="time_status"`)) || !bytes.Contains(graphml, []byte(">UNKNOWN</data>")) {
			t.Errorf("GraphML as of a day lacks the time status: %.400s", graphml)
		}
		_, anyTime := s.get(t, "/export?format=edges.csv&scope=neighborhood&id=locality:vn-c")
		if bytes.Contains(anyTime, []byte("time_status")) || !bytes.Contains(anyTime, []byte(old)) {
			t.Errorf("without a day: the old agreement is there and no time status: %.300s", anyTime)
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
