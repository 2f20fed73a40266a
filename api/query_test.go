package api_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// The mission's example: from Fukuoka, find the agreement with Hà Nội, its
// parties, what came of it, and the quote it comes from.
func TestFukuokaHanoiAgreement(t *testing.T) {
	s := newServer(t)
	var got struct {
		Locality struct {
			Name       string
			Agreements struct {
				TotalCount int
				Edges      []struct {
					Role    string
					Sources []struct {
						Quote  string
						Source struct{ ID, Title string }
					}
					Node struct {
						ID, Name, AgreementType string
						Parties                 struct {
							Edges []struct {
								Role string
								Node struct{ ID, Name string }
							}
						}
						Outcomes struct {
							Nodes []struct{ Name string }
						}
						Sources []struct{ Quote string }
					}
				}
			}
		}
	}
	s.query(t, `query($id: ID!) {
	  locality(id: $id) {
	    name
	    agreements {
	      totalCount
	      edges {
	        role
	        sources { quote source { id title } }
	        node {
	          id name
	          ... on Agreement {
	            agreementType
	            parties { edges { role node { id name } } }
	            outcomes { nodes { name } }
	            sources { quote }
	          }
	        }
	      }
	    }
	  }
	}`, map[string]any{"id": "locality:fukuoka"}, &got)

	l := got.Locality
	if l.Name != "Fukuoka" || l.Agreements.TotalCount != 1 || len(l.Agreements.Edges) != 1 {
		t.Fatalf("Fukuoka's agreements: %+v", l)
	}
	e := l.Agreements.Edges[0]
	if e.Node.ID != "agreement:fukuoka-ha-noi-mous" || e.Node.AgreementType != "MOU" || e.Role != "signatory" {
		t.Errorf("agreement = %+v", e.Node)
	}
	var parties []string
	for _, p := range e.Node.Parties.Edges {
		parties = append(parties, p.Node.Name)
	}
	slices.Sort(parties)
	if !slices.Equal(parties, []string{"Fukuoka", "Hà Nội"}) {
		t.Errorf("parties = %v", parties)
	}
	const quote = "tỉnh Fukuoka (Nhật Bản) và thành phố Hà Nội đã ký nhiều biên bản ghi nhớ, hợp tác trong khuôn khổ các đoàn công tác cấp cao giữa hai bên"
	if len(e.Sources) != 1 || e.Sources[0].Quote != quote || e.Sources[0].Source.ID != "source:vj-local-forum-2025" {
		t.Errorf("edge sources = %+v", e.Sources)
	}
	// The article states no outcome of the memoranda (only a direction
	// both sides pursue), so outcomes is empty.
	if len(e.Node.Outcomes.Nodes) != 0 {
		t.Errorf("outcomes = %+v", e.Node.Outcomes)
	}
}

func TestSearch(t *testing.T) {
	s := newServer(t)
	type hit struct {
		Score  float64
		Entity struct{ ID, Name, Kind string }
	}
	search := func(text string, kinds ...string) []hit {
		var got struct{ Search []hit }
		vars := map[string]any{"text": text}
		if len(kinds) > 0 {
			vars["kinds"] = kinds
		}
		s.query(t, `query($text: String!, $kinds: [EntityKind!]) { search(text: $text, kinds: $kinds, first: 5) { score entity { id name kind } } }`, vars, &got)
		return got.Search
	}
	for _, tc := range []struct{ text, want string }{
		{"Ha Noi", "locality:ha-noi"},
		{"hanoi", "locality:ha-noi"},
		{"HÀ NỘI", "locality:ha-noi"},
		{"Hà Nội", "locality:ha-noi"},
		{"Vinh Phuc", "locality:vinh-phuc"},
		{"thanh hoa", "locality:thanh-hoa"},
		{"Thanh Hoá", "locality:thanh-hoa"},
		{"福岡", "locality:fukuoka"},
		{"da nang", "locality:da-nang"},
		{"NEDO", "org:nedo"},
		{"pham minh chinh", "official:pham-minh-chinh"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			hits := search(tc.text)
			if len(hits) == 0 || hits[0].Entity.ID != tc.want {
				t.Fatalf("first hit for %q = %+v, want %s", tc.text, hits, tc.want)
			}
			for _, h := range hits[1:] {
				if h.Score > hits[0].Score {
					t.Errorf("hits not ranked: %+v", hits)
				}
			}
		})
	}
	t.Run("ExactFirst", func(t *testing.T) {
		hits := search("Vĩnh Phúc")
		if len(hits) < 2 || hits[0].Score != 1 || hits[1].Score >= 1 {
			t.Errorf("the exact name should score 1 and rank alone at the top: %+v", hits)
		}
	})
	t.Run("Kinds", func(t *testing.T) {
		for _, h := range search("Ha Noi", "AGREEMENT") {
			if h.Entity.Kind != "AGREEMENT" {
				t.Errorf("kinds filter let through %+v", h)
			}
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		s.wantError(t, "", `{ search(text: "  --  ") { score } }`, nil, "BAD_USER_INPUT", "no letters or digits")
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		s.wantError(t, "", `{ search(text: "a", first: 1000) { score } }`, nil, "BAD_USER_INPUT", "first must be between")
	})
}

func TestPaths(t *testing.T) {
	s := newServer(t)
	var got struct {
		Paths []struct {
			Length        int
			Nodes         []struct{ ID, Name string }
			Relationships []struct {
				Type    string
				From    struct{ ID string }
				Sources []struct{ Quote string }
			}
		}
	}
	s.query(t, `{ paths(from: "locality:fukuoka", to: "locality:ha-noi") {
	  length nodes { id name } relationships { type from { id } sources { quote } } } }`, nil, &got)
	if len(got.Paths) != 1 {
		t.Fatalf("paths = %+v", got.Paths)
	}
	p := got.Paths[0]
	if p.Length != 2 || len(p.Nodes) != 3 || p.Nodes[1].ID != "agreement:fukuoka-ha-noi-mous" || p.Nodes[2].Name != "Hà Nội" {
		t.Errorf("path = %+v", p)
	}
	if p.Relationships[0].Type != "PARTY_TO" || len(p.Relationships[1].Sources) == 0 {
		t.Errorf("relationships = %+v", p.Relationships)
	}
	t.Run("RelationTypes", func(t *testing.T) {
		var got struct{ Paths []struct{ Length int } }
		s.query(t, `{ paths(from: "locality:fukuoka", to: "locality:ha-noi", relationTypes: [PART_OF, COOPERATES_WITH]) { length } }`, nil, &got)
		if len(got.Paths) != 1 || got.Paths[0].Length != 3 {
			t.Errorf("paths = %+v", got.Paths)
		}
	})
	t.Run("ErrUnknownEntity", func(t *testing.T) {
		s.wantError(t, "", `{ paths(from: "locality:fukuoka", to: "locality:atlantis") { length } }`, nil, "NOT_FOUND", "locality:atlantis")
	})
	t.Run("ErrHops", func(t *testing.T) {
		s.wantError(t, "", `{ paths(from: "locality:fukuoka", to: "locality:ha-noi", maxHops: 50) { length } }`, nil, "BAD_USER_INPUT", "maxHops")
	})
}

func TestNeighborhoodAsOf(t *testing.T) {
	s := newServer(t)
	type sub struct {
		Neighborhood struct {
			Nodes         []struct{ ID string }
			Relationships []struct{ Type string }
			Depths        []struct {
				ID    string
				Depth int
			}
			Truncated bool
		}
	}
	ids := func(g sub) []string {
		var out []string
		for _, n := range g.Neighborhood.Nodes {
			out = append(out, n.ID)
		}
		return out
	}
	q := `query($asOf: Date) { neighborhood(id: "locality:vinh-phuc", depth: 1, asOf: $asOf) { nodes { id } relationships { type } depths { id depth } truncated } }`
	var before, after sub
	s.query(t, q, map[string]any{"asOf": "2024-01-01"}, &before)
	s.query(t, q, map[string]any{"asOf": "2025-07-01"}, &after)
	if !slices.Contains(ids(before), "locality:vietnam") || slices.Contains(ids(before), "locality:phu-tho") {
		t.Errorf("as of 2024: %v", ids(before))
	}
	if slices.Contains(ids(after), "locality:vietnam") || !slices.Contains(ids(after), "locality:phu-tho") {
		t.Errorf("as of July 2025: %v", ids(after))
	}
	if d := before.Neighborhood.Depths; d[0].ID != "locality:vinh-phuc" || d[0].Depth != 0 || d[1].Depth != 1 {
		t.Errorf("depths = %+v", d)
	}
	t.Run("Kinds", func(t *testing.T) {
		var g sub
		s.query(t, `{ neighborhood(id: "locality:ha-noi", depth: 2, kinds: [AGREEMENT, LOCALITY], relationTypes: [PARTY_TO]) { nodes { id } relationships { type } depths { id depth } truncated } }`, nil, &g)
		got := ids(g)
		slices.Sort(got)
		if !slices.Equal(got, []string{"agreement:fukuoka-ha-noi-mous", "locality:fukuoka", "locality:ha-noi"}) {
			t.Errorf("nodes = %v", got)
		}
	})
	t.Run("ErrDate", func(t *testing.T) {
		s.wantError(t, "", `{ neighborhood(id: "locality:ha-noi", asOf: "2025-13-01") { truncated } }`, nil, "BAD_USER_INPUT", "not a day")
	})
	t.Run("ErrDepth", func(t *testing.T) {
		s.wantError(t, "", `{ neighborhood(id: "locality:ha-noi", depth: 9) { truncated } }`, nil, "BAD_USER_INPUT", "depth must be between")
	})
}

func TestNodeAndLookups(t *testing.T) {
	s := newServer(t)
	var got struct {
		A, B, C struct {
			Typename string `json:"__typename"`
			ID       string
		}
		D *struct{ ID string }
		E struct {
			ID, LocalityType, IsoCode, Country string
			ValidTo                            struct{ Value, Precision, Latest string }
			MergedInto                         struct {
				Edges []struct {
					ValidFrom struct{ Value string }
					Node      struct{ Name string }
				}
			}
		}
	}
	s.query(t, `{
	  a: node(id: "locality:fukuoka") { __typename id }
	  b: node(id: "source:vj-local-forum-2025") { __typename id }
	  c: node(id: "rel:PARTY_TO:locality:fukuoka->agreement:fukuoka-ha-noi-mous") { __typename id }
	  d: node(id: "locality:atlantis") { id }
	  e: locality(id: "locality:vinh-phuc") {
	    id localityType isoCode country
	    validTo { value precision latest }
	    mergedInto { edges { validFrom { value } node { name } } }
	  }
	}`, nil, &got)
	if got.A.Typename != "Locality" || got.B.Typename != "Source" || got.C.Typename != "Relationship" || got.D != nil {
		t.Errorf("nodes = %+v", got)
	}
	e := got.E
	if e.LocalityType != "PROVINCE" || e.IsoCode != "VN-70" || e.Country != "VN" || e.ValidTo.Value != "2025-06-30" || e.ValidTo.Precision != "DAY" {
		t.Errorf("Vĩnh Phúc = %+v", e)
	}
	if len(e.MergedInto.Edges) != 1 || e.MergedInto.Edges[0].Node.Name != "Phú Thọ" || e.MergedInto.Edges[0].ValidFrom.Value != "2025-07-01" {
		t.Errorf("mergedInto = %+v", e.MergedInto)
	}
}

func TestListsFilterOrderPage(t *testing.T) {
	s := newServer(t)
	type page struct {
		Localities struct {
			TotalCount int
			Nodes      []struct{ ID, Name string }
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    string
			}
		}
	}
	q := `query($after: String, $filter: LocalityFilter, $order: EntityOrder) {
	  localities(filter: $filter, orderBy: $order, first: 3, after: $after) {
	    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`
	filter := map[string]any{"country": []string{"JP"}, "type": []string{"PREFECTURE"}}
	var seen []string
	var after any
	for i := 0; ; i++ {
		var p page
		s.query(t, q, map[string]any{"after": after, "filter": filter}, &p)
		if p.Localities.TotalCount != 47 {
			t.Fatalf("totalCount = %d, want the 47 Japanese prefectures", p.Localities.TotalCount)
		}
		if p.Localities.PageInfo.HasPreviousPage != (i > 0) {
			t.Errorf("page %d: hasPreviousPage = %v", i, p.Localities.PageInfo.HasPreviousPage)
		}
		for _, n := range p.Localities.Nodes {
			seen = append(seen, n.Name)
		}
		if !p.Localities.PageInfo.HasNextPage {
			break
		}
		after = p.Localities.PageInfo.EndCursor
	}
	// Every prefecture once, in name order (the seed holds all 47).
	if len(seen) != 47 || !slices.IsSorted(seen) || seen[0] != "Aichi" || seen[46] != "Yamanashi" || len(slices.Compact(slices.Clone(seen))) != 47 {
		t.Errorf("pages gave %v, want the 47 prefectures from Aichi to Yamanashi", seen)
	}

	t.Run("Backward", func(t *testing.T) {
		type back struct {
			Localities struct {
				Nodes    []struct{ Name string }
				PageInfo struct {
					HasNextPage, HasPreviousPage bool
					StartCursor                  string
				}
			}
		}
		q := `query($before: String) { localities(filter: {country: ["JP"], type: [PREFECTURE]}, last: 2, before: $before) {
		  nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor } } }`
		var p back
		s.query(t, q, nil, &p)
		if names(p.Localities.Nodes) != "Yamaguchi,Yamanashi" || p.Localities.PageInfo.HasNextPage || !p.Localities.PageInfo.HasPreviousPage {
			t.Fatalf("last 2: %+v", p.Localities)
		}
		s.query(t, q, map[string]any{"before": p.Localities.PageInfo.StartCursor}, &p)
		if names(p.Localities.Nodes) != "Wakayama,Yamagata" || !p.Localities.PageInfo.HasNextPage || !p.Localities.PageInfo.HasPreviousPage {
			t.Errorf("the 2 before those: %+v", p.Localities)
		}
		back2 := []string{"Yamaguchi", "Yamanashi", "Wakayama", "Yamagata"}
		for p.Localities.PageInfo.HasPreviousPage && len(back2) < 60 {
			s.query(t, q, map[string]any{"before": p.Localities.PageInfo.StartCursor}, &p)
			for _, n := range p.Localities.Nodes {
				back2 = append(back2, n.Name)
			}
		}
		if len(back2) != len(seen) || back2[len(back2)-1] != "Aichi" {
			t.Errorf("paging back gave %d prefectures, ending %q; want %d ending Aichi", len(back2), back2[len(back2)-1], len(seen))
		}
		s.query(t, q, map[string]any{"before": p.Localities.PageInfo.StartCursor}, &p)
		if names(p.Localities.Nodes) != "" || p.Localities.PageInfo.HasPreviousPage {
			t.Errorf("before the first: %+v", p.Localities)
		}
		var rel struct {
			Locality struct {
				Relationships struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
		}
		s.query(t, `{ locality(id: "locality:vietnam") { relationships(last: 3) { totalCount edges { node { id } } } } }`, nil, &rel)
		if len(rel.Locality.Relationships.Edges) != 3 || rel.Locality.Relationships.TotalCount < 50 {
			t.Errorf("Việt Nam's last 3 relationships: %+v", rel.Locality.Relationships)
		}
		s.wantError(t, "", `{ localities(first: 2, last: 2) { totalCount } }`, nil, "BAD_USER_INPUT", "not both")
		s.wantError(t, "", `{ sources(last: 500) { totalCount } }`, nil, "BAD_USER_INPUT", "last must be between")
	})
	t.Run("OrderDesc", func(t *testing.T) {
		var p page
		s.query(t, q, map[string]any{"filter": filter, "order": map[string]any{"field": "NAME", "direction": "DESC"}}, &p)
		if p.Localities.Nodes[0].Name != "Yamanashi" {
			t.Errorf("first by name descending = %+v", p.Localities.Nodes)
		}
	})
	t.Run("DiacriticOrder", func(t *testing.T) {
		var p page
		s.query(t, q, map[string]any{"filter": map[string]any{"name": "da nang"}}, &p)
		if p.Localities.TotalCount != 1 || p.Localities.Nodes[0].Name != "Đà Nẵng" {
			t.Errorf("name filter: %+v", p.Localities)
		}
	})
	t.Run("EventsByDate", func(t *testing.T) {
		var got struct {
			Events struct {
				TotalCount int
				Nodes      []struct {
					Name      string
					StartDate struct{ Value string }
				}
			}
		}
		s.query(t, `{ events(filter: {dateFrom: "2025-01-01", dateTo: "2025-12-31", type: [FORUM]}, orderBy: {field: START}) { totalCount nodes { name startDate { value } } } }`, nil, &got)
		if got.Events.TotalCount != 1 || got.Events.Nodes[0].StartDate.Value != "2025-11-25" {
			t.Errorf("2025 forums = %+v", got.Events)
		}
	})
	t.Run("ErrPageSize", func(t *testing.T) {
		s.wantError(t, "", `{ localities(first: 101) { totalCount } }`, nil, "BAD_USER_INPUT", "first must be between 0 and 100")
	})
	t.Run("ErrCursor", func(t *testing.T) {
		s.wantError(t, "", `{ localities(after: "bogus") { totalCount } }`, nil, "BAD_USER_INPUT", "not a cursor")
	})
	t.Run("ErrEnum", func(t *testing.T) {
		r := s.post(t, "", `{ localities(filter: {type: [PLANET]}) { totalCount } }`, nil)
		if r.code() != "GRAPHQL_VALIDATION_FAILED" || r.status != 422 {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
	})
}

func TestStatsAndTypes(t *testing.T) {
	s := newServer(t)
	var got struct {
		Stats struct {
			Entities, Relationships, Sources int
			ByKind                           []struct {
				Kind  string
				Count int
			}
		}
		RelationTypes []struct {
			Type    string
			ToKinds []string
		}
	}
	s.query(t, `{ stats { entities relationships sources byKind { kind count } } relationTypes { type toKinds } }`, nil, &got)
	sum := 0
	for _, k := range got.Stats.ByKind {
		sum += k.Count
	}
	if got.Stats.Entities < 100 || sum != got.Stats.Entities || got.Stats.Sources < 5 || len(got.RelationTypes) != 14 {
		t.Errorf("stats = %+v, %d relation types", got.Stats, len(got.RelationTypes))
	}
}

func TestMeasures(t *testing.T) {
	s := newServer(t)
	var got struct {
		Measures []struct {
			Entity      struct{ ID string }
			Degree      int
			Betweenness float64
			PageRank    float64
		}
	}
	s.query(t, `{ measures(first: 3) { entity { id } degree betweenness pageRank } }`, nil, &got)
	if len(got.Measures) != 3 || got.Measures[0].Entity.ID != "locality:vietnam" || got.Measures[0].Degree < got.Measures[1].Degree {
		t.Errorf("measures by degree: %+v", got.Measures)
	}
	s.query(t, `{ measures(id: "locality:fukuoka", orderBy: BETWEENNESS, first: 1) { entity { id } degree betweenness pageRank } }`, nil, &got)
	if len(got.Measures) != 1 || got.Measures[0].Entity.ID != "locality:japan" || got.Measures[0].Betweenness <= 0 || got.Measures[0].Betweenness > 1 {
		t.Errorf("Fukuoka's neighbourhood by betweenness: %+v", got.Measures)
	}
	s.wantError(t, "", `{ measures(limit: 10) { degree } }`, nil, "BAD_USER_INPUT", "give an id")
	s.wantError(t, "", `{ measures(id: "locality:atlantis") { degree } }`, nil, "NOT_FOUND", "")
}

func names(ns []struct{ Name string }) string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return strings.Join(out, ",")
}

// TestFullTextSearch: beyond names, search finds what the graph says of an
// entity (its description, quotes) and the relationships that name it,
// says where it matched, and marks the query's words in a snippet.
func TestFullTextSearch(t *testing.T) {
	s := newServer(t)
	type hit struct {
		Score        float64
		Field        string
		Snippet      string
		Highlights   []struct{ Start, End int }
		Entity       struct{ ID string }
		Relationship *struct{ ID string }
		Citation     *struct{ Source struct{ ID string } }
	}
	search := func(text string) []hit {
		var got struct{ Search []hit }
		s.query(t, `query($text: String!) { search(text: $text, first: 10) { score field snippet highlights { start end }
			entity { id } relationship { id } citation { source { id } } } }`, map[string]any{"text": text}, &got)
		return got.Search
	}
	find := func(hits []hit, id string) *hit {
		for i := range hits {
			if hits[i].Entity.ID == id {
				return &hits[i]
			}
		}
		return nil
	}
	t.Run("RoleAndPlace", func(t *testing.T) {
		// No name holds "governor": the description and the office do.
		h := find(search("governor Kanagawa"), "official:kuroiwa-yuji")
		if h == nil || h.Field != "DESCRIPTION" {
			t.Fatalf("the governor of Kanagawa: %+v", h)
		}
		for _, m := range h.Highlights {
			r := []rune(h.Snippet)
			if w := strings.ToLower(string(r[m.Start:m.End])); w != "governor" && w != "kanagawa" {
				t.Errorf("highlight %q in %q", w, h.Snippet)
			}
		}
	})
	t.Run("QuoteHit", func(t *testing.T) {
		h := find(search("Thống đốc tỉnh Tochigi"), "official:fukuda-tomikazu")
		if h == nil || h.Field != "QUOTE" || h.Citation == nil || h.Citation.Source.ID == "" {
			t.Fatalf("a word held only in a quote: %+v", h)
		}
	})
	t.Run("Phrase", func(t *testing.T) {
		if h := find(search(`"thống đốc tỉnh Kanagawa"`), "official:kuroiwa-yuji"); h == nil || h.Field != "QUOTE" {
			t.Errorf("the phrase in order: %+v", h)
		}
		if h := find(search(`"tỉnh thống đốc Kanagawa"`), "official:kuroiwa-yuji"); h != nil {
			t.Errorf("the words out of order match as a phrase: %+v", h)
		}
	})
	t.Run("NamesFirst", func(t *testing.T) {
		hits := search("Kanagawa")
		if len(hits) < 2 || hits[0].Entity.ID != "locality:kanagawa" || hits[0].Field != "NAME" {
			t.Fatalf("hits = %+v", hits)
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Errorf("not best first: %+v", hits)
			}
		}
	})
	t.Run("Relationships", func(t *testing.T) {
		var got struct {
			SearchRelationships []struct {
				Field        string
				Relationship struct{ ID string }
			}
		}
		s.query(t, `{ searchRelationships(text: "governor kanagawa", types: [HOLDS_OFFICE]) { field relationship { id } } }`, nil, &got)
		if len(got.SearchRelationships) != 1 || got.SearchRelationships[0].Relationship.ID != "rel:HOLDS_OFFICE:official:kuroiwa-yuji->locality:kanagawa" ||
			got.SearchRelationships[0].Field != "ROLE" {
			t.Errorf("got %+v", got.SearchRelationships)
		}
	})
}

// TestSourceReading: a source held with its text lists every record citing
// it in the order of their quotes, each quote anchored where it is in the
// text; an entity's provenance counts its sources.
func TestSourceReading(t *testing.T) {
	s := newServer(t)
	type edge struct {
		Entity       *struct{ ID string }
		Relationship *struct{ ID string }
		Quotes       []struct {
			Text       string
			Start, End *int
		}
	}
	var got struct {
		Source struct {
			Text      string
			Citations struct {
				TotalCount int
				Edges      []edge
			}
		}
	}
	s.query(t, `{ source(id: "source:vj-local-forum-2025") { text citations(first: 100) { totalCount
		edges { entity { id } relationship { id } quotes { text start end } } } } }`, nil, &got)
	src := got.Source
	if src.Text == "" || src.Citations.TotalCount < 50 || len(src.Citations.Edges) != 100 {
		t.Fatalf("text %d bytes, %d citing records, %d edges", len(src.Text), src.Citations.TotalCount, len(src.Citations.Edges))
	}
	runes := []rune(src.Text)
	last := -1
	for _, e := range src.Citations.Edges {
		if (e.Entity == nil) == (e.Relationship == nil) {
			t.Fatalf("an edge is not one record: %+v", e)
		}
		for i, q := range e.Quotes {
			if q.Start == nil || string(runes[*q.Start:*q.End]) != q.Text {
				t.Fatalf("quote %q is not at %v–%v", q.Text, q.Start, q.End)
			}
			if i == 0 {
				if *q.Start < last {
					t.Errorf("records out of text order at %q", q.Text)
				}
				last = *q.Start
			}
		}
	}

	var prov struct {
		Locality struct {
			Sources    []struct{ Source struct{ ID string } }
			Provenance []struct {
				Source    struct{ ID string }
				Citations int
			}
			Relationships struct {
				Edges []struct {
					Sources []struct{ Source struct{ ID string } }
				}
			}
		}
	}
	s.query(t, `{ locality(id: "locality:fukuoka") { sources { source { id } } provenance { source { id } citations }
		relationships(first: 100) { edges { sources { source { id } } } } } }`, nil, &prov)
	want := map[string]int{}
	for _, c := range prov.Locality.Sources {
		want[c.Source.ID]++
	}
	for _, e := range prov.Locality.Relationships.Edges {
		for _, c := range e.Sources {
			want[c.Source.ID]++
		}
	}
	got2 := map[string]int{}
	for i, p := range prov.Locality.Provenance {
		got2[p.Source.ID] = p.Citations
		if i > 0 && p.Citations > prov.Locality.Provenance[i-1].Citations {
			t.Errorf("provenance not most first: %+v", prov.Locality.Provenance)
		}
	}
	if !maps.Equal(got2, want) {
		t.Errorf("provenance %v, counted %v", got2, want)
	}
}
