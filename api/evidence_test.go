package api_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vjkg/vjkg/storetest"
)

// TestAccordingToSources asks questions "according to the articles only"
// over HTTP, on the seed graph with storetest.EvidenceFixture planted in
// it, on both backends: lists, connections, neighbourhoods, paths and
// search keep the records an article attests and leave out those only a
// legal act or a reference work does.
func TestAccordingToSources(t *testing.T) {
	t.Run("Embedded", func(t *testing.T) { testAccordingToSources(t, newServer(t)) })
	t.Run("Neo4j", func(t *testing.T) { testAccordingToSources(t, newNeo4jServer(t)) })
}

type nodeIDs []struct{ ID string }

func (ns nodeIDs) ids() []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func testAccordingToSources(t *testing.T, s *server) {
	if err := s.backend.Apply(context.Background(), storetest.EvidenceFixture()); err != nil {
		t.Fatal(err)
	}
	warmUp(t, s)
	t.Run("Planted", func(t *testing.T) {
		var got struct {
			Entities, All struct {
				TotalCount int
				Nodes      nodeIDs
			}
			Organizations struct{ Nodes nodeIDs }
			Locality      struct {
				Relationships, Legal struct {
					TotalCount int
					Edges      []struct{ Relationship struct{ ID string } }
				}
				Partners struct{ TotalCount int }
			}
			Neighborhood struct{ Nodes nodeIDs }
			Paths        []struct{ Nodes nodeIDs }
			Search       []struct{ Entity struct{ ID string } }
			// The relationships around ev-a, counted.
			RelationshipFacets, LegalFacets, AllFacets struct{ Total int }
			// Relationship conditions by source type.
			ByLegal, NoArticle struct{ Nodes nodeIDs }
			LegalCount         struct{ Total int }
		}
		s.query(t, `query($a: [SourceType!]) {
			entities(filter: {name: "Evidence", sourceTypes: $a}, orderBy: {field: ID}) { totalCount nodes { id } }
			all: entities(filter: {name: "Evidence"}, orderBy: {field: ID}) { totalCount nodes { id } }
			organizations(filter: {name: "Evidence", sourceTypes: $a}) { nodes { id } }
			locality(id: "locality:ev-a") {
				relationships(sourceTypes: $a) { totalCount edges { relationship { id } } }
				legal: relationships(sourceTypes: [LEGAL]) { totalCount edges { relationship { id } } }
				partners(sourceTypes: [LEGAL]) { totalCount }
			}
			neighborhood(id: "locality:ev-a", depth: 2, sourceTypes: $a) { nodes { id } }
			paths(from: "locality:ev-a", to: "locality:ev-b", sourceTypes: $a) { nodes { id } }
			search(text: "evidence", sourceTypes: $a, first: 20) { entity { id } }
			relationshipFacets(ids: ["locality:ev-a"], sourceTypes: $a) { total }
			legalFacets: relationshipFacets(ids: ["locality:ev-a"], sourceTypes: [LEGAL]) { total }
			allFacets: relationshipFacets(ids: ["locality:ev-a"]) { total }
			byLegal: entities(filter: {name: "Evidence", relationships_SOME: {sourceTypes: [LEGAL]}}, orderBy: {field: ID}) { nodes { id } }
			noArticle: entities(filter: {name: "Evidence", relationships_NONE: {sourceTypes: $a}}, orderBy: {field: ID}) { nodes { id } }
			legalCount: entityFacets(filter: {name: "Evidence", relationships_SOME: {sourceTypes: [LEGAL], node: {kinds: [LOCALITY]}}}) { total }
		}`, map[string]any{"a": []string{"ARTICLE"}}, &got)
		articles := []string{"event:ev-forum", "locality:ev-a", "locality:ev-b", "org:ev-figure"}
		equalIDs(t, "entities", got.Entities.Nodes.ids(), articles)
		if got.Entities.TotalCount != 4 || got.All.TotalCount != 6 {
			t.Errorf("totals %d and %d, want 4 (articles) and 6 (all)", got.Entities.TotalCount, got.All.TotalCount)
		}
		equalIDs(t, "organisations", got.Organizations.Nodes.ids(), []string{"org:ev-figure"})
		var rels []string
		for _, e := range got.Locality.Relationships.Edges {
			rels = append(rels, e.Relationship.ID)
		}
		equalIDs(t, "relationships", rels, []string{"rel:COOPERATES_WITH:org:ev-figure->locality:ev-a",
			"rel:HELD_IN:event:ev-forum->locality:ev-a", "rel:LOCATED_IN:org:ev-law-only->locality:ev-a"})
		if got.Locality.Relationships.TotalCount != 3 || got.Locality.Legal.TotalCount != 2 || got.Locality.Partners.TotalCount != 0 {
			t.Errorf("relationship totals %d (articles), %d (legal), %d (legal partners); want 3, 2, 0",
				got.Locality.Relationships.TotalCount, got.Locality.Legal.TotalCount, got.Locality.Partners.TotalCount)
		}
		if got.RelationshipFacets.Total != 3 || got.LegalFacets.Total != 2 || got.AllFacets.Total < 4 {
			t.Errorf("relationshipFacets totals %d (articles), %d (legal), %d (all); want 3, 2 and more than 3",
				got.RelationshipFacets.Total, got.LegalFacets.Total, got.AllFacets.Total)
		}
		// The legal act supports org:ev-figure -> ev-a and ev-a -> ev-b; the
		// articles touch every entity but ev-ref-only.
		equalIDs(t, "a relationship the legal act supports", got.ByLegal.Nodes.ids(), []string{"locality:ev-a", "locality:ev-b", "org:ev-figure"})
		equalIDs(t, "no relationship an article supports", got.NoArticle.Nodes.ids(), []string{"locality:ev-ref-only"})
		if got.LegalCount.Total != 3 {
			t.Errorf("entityFacets of entities with a legal relationship to a locality: %d, want 3", got.LegalCount.Total)
		}
		equalIDs(t, "neighbourhood", got.Neighborhood.Nodes.ids(), []string{"locality:ev-a", "org:ev-figure", "event:ev-forum", "locality:ev-b"})
		if len(got.Paths) != 1 {
			t.Fatalf("paths: %+v, want one", got.Paths)
		}
		equalIDs(t, "path", got.Paths[0].Nodes.ids(), []string{"locality:ev-a", "org:ev-figure", "locality:ev-b"})
		var hits []string
		for _, h := range got.Search {
			hits = append(hits, h.Entity.ID)
		}
		slices.Sort(hits)
		equalIDs(t, "search", hits, articles)
	})
	t.Run("HaNoi", func(t *testing.T) {
		// The seed's Hà Nội: its neighbourhood according to the articles is
		// smaller than its whole one, and every entity in it (Hà Nội aside)
		// cites an article, directly or through a figure.
		type node struct {
			ID      string
			Sources []struct{ Source struct{ SourceType string } }
			Figures []struct {
				Source struct{ Source struct{ SourceType string } }
			}
		}
		var got struct {
			Articles, All struct {
				Nodes         []node
				Relationships []struct {
					Sources []struct{ Source struct{ SourceType string } }
				}
			}
		}
		s.query(t, `fragment n on Entity { id sources { source { sourceType } } figures { source { source { sourceType } } } }
		{
			articles: neighborhood(id: "locality:ha-noi", sourceTypes: [ARTICLE]) { nodes { ...n } relationships { sources { source { sourceType } } } }
			all: neighborhood(id: "locality:ha-noi") { nodes { ...n } relationships { sources { source { sourceType } } } }
		}`, nil, &got)
		if len(got.Articles.Nodes) < 2 || len(got.Articles.Nodes) >= len(got.All.Nodes) {
			t.Errorf("Hà Nội's neighbourhood: %d entities by the articles, %d in all; want fewer, and some", len(got.Articles.Nodes), len(got.All.Nodes))
		}
		for _, n := range got.Articles.Nodes[1:] {
			ok := false
			for _, c := range n.Sources {
				ok = ok || c.Source.SourceType == "ARTICLE"
			}
			for _, f := range n.Figures {
				ok = ok || f.Source.Source.SourceType == "ARTICLE"
			}
			if !ok {
				t.Errorf("%s is in the articles' neighbourhood but cites no article", n.ID)
			}
		}
		for i, r := range got.Articles.Relationships {
			ok := false
			for _, c := range r.Sources {
				ok = ok || c.Source.SourceType == "ARTICLE"
			}
			if !ok {
				t.Errorf("relationship %d of the articles' neighbourhood cites no article", i)
			}
		}
	})
	t.Run("UnknownType", func(t *testing.T) {
		s.wantError(t, "", `{ entities(filter: {sourceTypes: [BLOG]}) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED", "")
	})
}

func equalIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}
