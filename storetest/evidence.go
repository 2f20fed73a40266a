package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// EvidenceFixture is a graph planted for "according to the articles only":
// around locality:ev-a (an article's), an organisation only a legal act
// attests, one only a reference work attests but for a figure an article
// states, an event two sources attest, and a second article's locality;
// relationships cited by articles, by the legal act alone, and by the
// reference work alone.
func EvidenceFixture() *kg.Batch {
	cite := func(ids ...string) []kg.Citation {
		var out []kg.Citation
		for _, id := range ids {
			out = append(out, kg.Citation{SourceID: id, Quote: "q"})
		}
		return out
	}
	b := &kg.Batch{Sources: []*kg.Source{
		{ID: "source:ev-art1", Title: "Article 1", Language: "vi", Type: "ARTICLE"},
		{ID: "source:ev-art2", Title: "Article 2", Language: "vi", Type: "ARTICLE"},
		{ID: "source:ev-law", Title: "A decree", Language: "vi", Type: "LEGAL"},
		{ID: "source:ev-ref", Title: "ISO 3166-2", Language: "en", Type: "REFERENCE"},
	}}
	b.Entities = []*kg.Entity{
		{ID: "locality:ev-a", Kind: kg.KindLocality, Name: "Evidence A", Type: "PROVINCE", Country: "VN", Citations: cite("source:ev-art1")},
		{ID: "org:ev-law-only", Kind: kg.KindOrganization, Name: "Evidence Law Board", Type: "AGENCY", Citations: cite("source:ev-law")},
		{ID: "org:ev-figure", Kind: kg.KindOrganization, Name: "Evidence Figure Co", Type: "COMPANY", Citations: cite("source:ev-ref"),
			Figures: []kg.Figure{{Label: "staff", Value: 7, Citation: kg.Citation{SourceID: "source:ev-art2", Quote: "seven"}}}},
		{ID: "event:ev-forum", Kind: kg.KindEvent, Name: "Evidence Forum", Type: "FORUM", Citations: cite("source:ev-ref", "source:ev-art1")},
		{ID: "locality:ev-ref-only", Kind: kg.KindLocality, Name: "Evidence Ref", Type: "PROVINCE", Country: "VN", Citations: cite("source:ev-ref")},
		{ID: "locality:ev-b", Kind: kg.KindLocality, Name: "Evidence B", Type: "PROVINCE", Country: "VN", Citations: cite("source:ev-art2")},
	}
	rel := func(t kg.RelType, from, to string, sources ...string) {
		b.Relationships = append(b.Relationships, &kg.Relationship{ID: kg.RelationshipID(t, from, to, ""), Type: t, From: from, To: to,
			Citations: cite(sources...)})
	}
	rel(kg.RelLocatedIn, "org:ev-law-only", "locality:ev-a", "source:ev-art1")    // counts, but leads to an entity that does not
	rel(kg.RelLocatedIn, "org:ev-figure", "locality:ev-a", "source:ev-law")       // does not count
	rel(kg.RelCooperatesWith, "org:ev-figure", "locality:ev-a", "source:ev-art2") // counts
	rel(kg.RelHeldIn, "event:ev-forum", "locality:ev-a", "source:ev-ref", "source:ev-art1")
	rel(kg.RelConcerns, "event:ev-forum", "org:ev-law-only", "source:ev-art1")    // to an entity that does not count
	rel(kg.RelPartOf, "locality:ev-a", "locality:ev-ref-only", "source:ev-ref")   // reference data only
	rel(kg.RelBorders, "locality:ev-a", "locality:ev-b", "source:ev-law")         // the short way, by the legal act
	rel(kg.RelCooperatesWith, "org:ev-figure", "locality:ev-b", "source:ev-art2") // the long way, by the articles
	return b
}

// testEvidence: every list, expansion, page and traversal keeps to the
// records the sources of the types asked attest.
func testEvidence(t *testing.T, newStore NewStore) {
	s := newStore(t)
	t.Cleanup(func() { s.Close() })
	if err := s.Apply(ctx, EvidenceFixture()); err != nil {
		t.Fatal(err)
	}
	articles, err := kg.SourcesOfTypes(ctx, s, []string{"ARTICLE"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "the articles", articles.IDs, []string{"source:ev-art1", "source:ev-art2"})
	legal, err := kg.SourcesOfTypes(ctx, s, []string{"LEGAL"})
	if err != nil {
		t.Fatal(err)
	}
	none := kg.NewSourceSet(nil)
	if _, err := kg.SourcesOfTypes(ctx, s, []string{"BLOG"}); kg.ErrorCode(err) != kg.EInvalid {
		t.Errorf("an unknown source type: %v, want %s", err, kg.EInvalid)
	}

	byID := kg.EntityOrder{Field: kg.OrderByID}
	for _, c := range []struct {
		name string
		f    kg.EntityFilter
		want []string
	}{
		{"articles", kg.EntityFilter{Evidence: articles},
			[]string{"event:ev-forum", "locality:ev-a", "locality:ev-b", "org:ev-figure"}},
		{"articles, organisations", kg.EntityFilter{Evidence: articles, Kinds: []kg.Kind{kg.KindOrganization}}, []string{"org:ev-figure"}},
		{"articles, by name", kg.EntityFilter{Evidence: articles, Text: "evidence f"}, []string{"event:ev-forum", "org:ev-figure"}},
		{"articles, ids", kg.EntityFilter{Evidence: articles, IDs: []string{"org:ev-law-only", "locality:ev-b"}}, []string{"locality:ev-b"}},
		{"articles, citing the legal act", kg.EntityFilter{Evidence: articles, CitesSource: "source:ev-law"}, nil},
		{"articles, citing article 2", kg.EntityFilter{Evidence: articles, CitesSource: "source:ev-art2"},
			[]string{"locality:ev-b", "org:ev-figure"}},
		{"legal acts", kg.EntityFilter{Evidence: legal}, []string{"org:ev-law-only"}},
		{"no source", kg.EntityFilter{Evidence: none}, nil},
	} {
		f := c.f
		f.Order = byID
		got, n, err := s.FindEntities(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		equal(t, c.name, ids(got), c.want)
		if n != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, n, len(c.want))
		}
		f.Offset, f.Limit = 1, 2
		if got, n, err := s.FindEntities(ctx, f); err != nil || n != len(c.want) || len(got) != min(2, max(len(c.want)-1, 0)) {
			t.Errorf("%s, page 2 of 2: %v of %d (%v)", c.name, ids(got), n, err)
		}
		f.Offset, f.Limit, f.CountOnly = 0, 0, true
		if _, n, err := s.FindEntities(ctx, f); err != nil || n != len(c.want) {
			t.Errorf("%s, count only: %d (%v)", c.name, n, err)
		}
	}
	desc := kg.EntityFilter{Evidence: articles, Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}}
	got, _, err := s.FindEntities(ctx, desc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "articles by name, descending", ids(got), []string{"event:ev-forum", "org:ev-figure", "locality:ev-b", "locality:ev-a"})

	for _, c := range []struct {
		name string
		f    kg.RelationshipFilter
		want []string
	}{
		{"relationships, articles", kg.RelationshipFilter{Evidence: articles}, []string{
			"rel:CONCERNS:event:ev-forum->org:ev-law-only", "rel:COOPERATES_WITH:org:ev-figure->locality:ev-a",
			"rel:COOPERATES_WITH:org:ev-figure->locality:ev-b", "rel:HELD_IN:event:ev-forum->locality:ev-a",
			"rel:LOCATED_IN:org:ev-law-only->locality:ev-a"}},
		{"relationships, articles, one type", kg.RelationshipFilter{Evidence: articles, Types: []kg.RelType{kg.RelLocatedIn}},
			[]string{"rel:LOCATED_IN:org:ev-law-only->locality:ev-a"}},
		{"relationships, legal acts", kg.RelationshipFilter{Evidence: legal}, []string{
			"rel:BORDERS:locality:ev-a->locality:ev-b", "rel:LOCATED_IN:org:ev-figure->locality:ev-a"}},
		{"relationships, by id", kg.RelationshipFilter{Evidence: articles,
			IDs: []string{"rel:BORDERS:locality:ev-a->locality:ev-b", "rel:HELD_IN:event:ev-forum->locality:ev-a"}},
			[]string{"rel:HELD_IN:event:ev-forum->locality:ev-a"}},
		{"relationships, no source", kg.RelationshipFilter{Evidence: none}, nil},
	} {
		got, n, err := s.FindRelationships(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		equal(t, c.name, ids(got), c.want)
		if n != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, n, len(c.want))
		}
		f := c.f
		f.CountOnly = true
		if _, n, err := s.FindRelationships(ctx, f); err != nil || n != len(c.want) {
			t.Errorf("%s, count only: %d (%v)", c.name, n, err)
		}
	}

	rels, err := s.Expand(ctx, kg.ExpandQuery{IDs: []string{"locality:ev-a"}, Evidence: articles})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "expand, articles", ids(rels), []string{"rel:COOPERATES_WITH:org:ev-figure->locality:ev-a",
		"rel:HELD_IN:event:ev-forum->locality:ev-a", "rel:LOCATED_IN:org:ev-law-only->locality:ev-a"})

	pages, err := kg.PageRelationships(ctx, s, []kg.RelPageQuery{
		{ID: "locality:ev-a", Evidence: articles, Offset: 1, Limit: 5},
		{ID: "locality:ev-a", Evidence: legal, Limit: 5},
		{ID: "locality:ev-a", Limit: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page, articles", ids(pages[0].Relationships), []string{"rel:HELD_IN:event:ev-forum->locality:ev-a",
		"rel:LOCATED_IN:org:ev-law-only->locality:ev-a"})
	equal(t, "page, legal acts", ids(pages[1].Relationships), []string{"rel:BORDERS:locality:ev-a->locality:ev-b",
		"rel:LOCATED_IN:org:ev-figure->locality:ev-a"})
	if pages[0].Total != 3 || pages[1].Total != 2 || pages[2].Total != 6 {
		t.Errorf("page totals %d, %d, %d; want 3, 2, 6", pages[0].Total, pages[1].Total, pages[2].Total)
	}

	for _, neighborhood := range []func(traverse.Options) (*traverse.Subgraph, error){
		func(o traverse.Options) (*traverse.Subgraph, error) {
			return traverse.Neighborhood(ctx, s, "locality:ev-a", 2, o, 0)
		},
		func(o traverse.Options) (*traverse.Subgraph, error) {
			return traverse.GenericNeighborhood(ctx, s, "locality:ev-a", 2, o, 0)
		},
	} {
		g, err := neighborhood(traverse.Options{Evidence: articles})
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "neighbourhood, articles", g.Nodes, []string{"locality:ev-a", "org:ev-figure", "event:ev-forum", "locality:ev-b"})
		equal(t, "its relationships", ids(g.Relationships), []string{"rel:COOPERATES_WITH:org:ev-figure->locality:ev-a",
			"rel:HELD_IN:event:ev-forum->locality:ev-a", "rel:COOPERATES_WITH:org:ev-figure->locality:ev-b"})
		g, err = neighborhood(traverse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Nodes) != 6 {
			t.Errorf("neighbourhood, every source: %v", g.Nodes)
		}
	}
	shortest := []func(traverse.Options) ([]traverse.Path, error){
		func(o traverse.Options) ([]traverse.Path, error) {
			return traverse.ShortestPaths(ctx, s, "locality:ev-a", "locality:ev-b", 4, o, 0)
		},
		func(o traverse.Options) ([]traverse.Path, error) {
			return traverse.GenericShortestPaths(ctx, s, "locality:ev-a", "locality:ev-b", 4, o, 0)
		},
	}
	for _, find := range shortest {
		paths, err := find(traverse.Options{})
		if err != nil || len(paths) != 1 || len(paths[0].Nodes) != 2 {
			t.Errorf("paths, every source: %v (%v), want the border", ShowPaths(paths, err), err)
		}
		paths, err = find(traverse.Options{Evidence: articles})
		if err != nil || len(paths) != 1 {
			t.Fatalf("paths, articles: %v (%v)", ShowPaths(paths, err), err)
		}
		equal(t, "path, articles", paths[0].Nodes, []string{"locality:ev-a", "org:ev-figure", "locality:ev-b"})
		paths, err = find(traverse.Options{Evidence: legal})
		if err != nil || len(paths) != 1 || len(paths[0].Nodes) != 2 {
			t.Errorf("paths, legal acts: %v (%v), want the border (the ends need no citation)", ShowPaths(paths, err), err)
		}
		if paths, err := find(traverse.Options{Evidence: none}); err != nil || len(paths) != 0 {
			t.Errorf("paths, no source: %v (%v)", ShowPaths(paths, err), err)
		}
	}
	for _, rank := range []func(context.Context, kg.Store, string, string, int, traverse.Options, int) ([]traverse.ScoredPath, error){
		traverse.RankedPaths, traverse.GenericRankedPaths,
	} {
		ranked, err := rank(ctx, s, "locality:ev-a", "locality:ev-b", 4, traverse.Options{Evidence: articles}, 0)
		var got []string
		for _, p := range ranked {
			got = append(got, strings.Join(p.Nodes, " "))
		}
		if err != nil || !slices.Equal(got, []string{"locality:ev-a org:ev-figure locality:ev-b"}) {
			t.Errorf("ranked paths, articles: %q (%v)", got, err)
		}
	}

	service := &kg.Service{Store: s}
	hits, err := service.SearchText(ctx, "evidence", nil, articles, 20)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, h := range hits {
		found = append(found, h.Entity.ID)
	}
	equal(t, "search, articles", sorted(found), []string{"event:ev-forum", "locality:ev-a", "locality:ev-b", "org:ev-figure"})
	rhits, err := service.SearchRelationships(ctx, "q", nil, legal, 20)
	if err != nil {
		t.Fatal(err)
	}
	found = nil
	for _, h := range rhits {
		found = append(found, h.Relationship.ID)
	}
	equal(t, "search relationships, legal acts", sorted(found), []string{"rel:BORDERS:locality:ev-a->locality:ev-b",
		"rel:LOCATED_IN:org:ev-figure->locality:ev-a"})
}
