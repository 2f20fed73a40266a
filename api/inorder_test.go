package api_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/vjkg/vjkg/api"
)

// inOrderQueries reach the places where in-order resolution gathers a
// level's parents (graph/cohort.go): connections under lists, fragments on
// some of a list's types, aliases of one field with other arguments, pages
// from the end, ends of relationships, citations' sources, provenance, and
// a field that fails for some parents.
var inOrderQueries = []string{
	nestedQuery,
	`{ localities(first: 20, filter: {country: ["VN"]}) { nodes { id
	     a: relationships(first: 2) { totalCount nodes { id ... on Event { participants(first: 2) { nodes { id name } } } } }
	     b: relationships(last: 3, direction: IN) { pageInfo { startCursor hasPreviousPage } edges { cursor role node { id kind } } }
	     events(first: 3) { nodes { id name ... on Event { participants(first: 3) { nodes { id name } } organizers { totalCount } } } } } } }`,
	`{ events(first: 30) { nodes { id provenance { citations source { id title } } sources { quote source { id sourceType } }
	     participants { edges { sources { source { id } } node { name provenance { source { id } } } } } } } }`,
	`{ relationships(first: 60) { nodes { id type from { id name kind } to { name ... on Locality { localityType partOf { nodes { name } } } } sources { source { title } } } } }`,
	`{ neighborhood(id: "locality:fukuoka", depth: 2, limit: 80) { nodes { id name } relationships { id from { id } to { id name } } } }`,
	`{ paths(from: "locality:fukuoka", to: "locality:ha-noi", first: 5) { nodes { id name ... on Locality { officials { nodes { name } } } } relationships { from { name } to { id } } } }`,
	`{ search(text: "Ha Noi", first: 10) { entity { id ... on Locality { agreements { nodes { name ... on Agreement { parties { nodes { id } } } } } } } } }`,
	`{ localities(first: 10) { nodes { id events(first: 2, after: "not a cursor") { totalCount } partners(first: 2) { nodes { id } } } } }`,
	`{ a: locality(id: "locality:fukuoka") { agreements { nodes { id } } } b: locality(id: "locality:ha-noi") { agreements(first: 1) { nodes { id } } } }`,
	// Entities asked only for what their records say outright (fastEntity).
	`{ neighborhood(id: "locality:ha-noi", depth: 2, limit: 60) { nodes { __typename a: id id name k: kind kind ... on Event { name } ... on Locality { n: name } }
	   relationships { from { __typename id } to { id kind name } } } }`,
	`{ localities(first: 5) { nodes { id name } edges { node { kind name } } } paths(from: "locality:fukuoka", to: "locality:ha-noi") { nodes { id name kind } } }`,
	`{ search(text: "Fukuoka", first: 5) { entity { id name ... on Entity { kind } } } locality(id: "locality:fukuoka") { id name } }`,
	// Relationships asked only for their outlines (fastRelationship).
	`{ neighborhood(id: "locality:fukuoka", depth: 2) { relationships { __typename i: id id type t: type from { id k: kind } to { __typename id } } }
	   relationships(first: 20) { nodes { id type from { id } to { id } } } }`,
}

// TestInOrderAnswersAlike sends the same documents to the API over the same
// embedded store resolved in order and concurrently, and requires the same
// JSON, byte for byte: data and errors alike.
func TestInOrderAnswersAlike(t *testing.T) {
	inOrder := newServer(t)
	concurrent := newServer(t, func(c *api.Config) { c.GraphQL.InOrder = false })
	for _, q := range append(append([]string{}, sameAnswerQueries...), inOrderQueries...) {
		a, b := inOrder.post(t, "", q, nil), concurrent.post(t, "", q, nil)
		// Concurrently, errors are listed in the order their fields
		// finished.
		ja, _ := json.Marshal(map[string]any{"data": a.Data, "errors": sortedErrors(a.Errors)})
		jb, _ := json.Marshal(map[string]any{"data": b.Data, "errors": sortedErrors(b.Errors)})
		if !bytes.Equal(ja, jb) {
			t.Errorf("answers differ for\n%s\nin order:     %.1500s\nconcurrently: %.1500s", q, ja, jb)
		}
		if len(a.Data) < 20 && len(a.Errors) == 0 {
			t.Errorf("suspiciously empty answer for %s: %s", q, a.Data)
		}
	}
}

func sortedErrors(errs []gqlError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		b, _ := json.Marshal(e)
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}

// TestInOrderOneStoreCallPerLevel counts the store calls of queries whose
// levels in-order resolution gathers from several places: a
// relationship's two ends, citations' sources, provenance.
func TestInOrderOneStoreCallPerLevel(t *testing.T) {
	s := newServer(t)
	warmUp(t, s)
	for _, c := range []struct {
		query string
		want  map[string]int
	}{
		{ // FindRelationships, then the from ends, then the to ends, names alone: outlines.
			`{ relationships(first: 60) { nodes { from { name } to { name } } } }`,
			map[string]int{"FindRelationships": 1, "EntityOutlines": 2},
		},
		{ // The same, with a field an outline does not hold: whole entities.
			`{ relationships(first: 60) { nodes { from { name aliases } to { name } } } }`,
			map[string]int{"FindRelationships": 1, "GetEntities": 1, "EntityOutlines": 1},
		},
		{ // FindEntities; the events' participants; their ends; the ends' citations' sources.
			`{ events(first: 30) { nodes { participants { nodes { name sources { source { title } } } } } } }`,
			map[string]int{"FindEntities": 1, "PageRelationships": 1, "GetEntities": 1, "GetSources": 1},
		},
		{ // FindEntities; every relationship of each event, then their sources.
			`{ events(first: 30) { nodes { provenance { citations source { title } } } } }`,
			map[string]int{"FindEntities": 1, "Expand": 1, "GetSources": 1},
		},
	} {
		s.store.Reset()
		r := s.post(t, "", c.query, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", c.query, r.Errors)
		}
		calls := s.store.Calls()
		total := 0
		for m, n := range c.want {
			total += n
			if calls[m] != n {
				t.Errorf("%s\n%s calls = %d, want %d (all calls: %v)", c.query, m, calls[m], n, calls)
			}
		}
		if s.store.Total() != total {
			t.Errorf("%s\ntotal store calls = %d, want %d: %v", c.query, s.store.Total(), total, calls)
		}
	}
}
