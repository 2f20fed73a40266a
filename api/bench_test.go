package api_test

import (
	"testing"

	"github.com/vjkg/vjkg/api"
)

// The benchmarks go through the whole HTTP stack: a real server on
// 127.0.0.1, JSON over POST, the GraphQL handler, loaders and store.
// Run: go test -run '^$' -bench . -benchmem ./api/

func benchQuery(b *testing.B, query string) {
	s := newServer(b, func(c *api.Config) { c.GraphQL.LoaderWait = api.DefaultConfig.GraphQL.LoaderWait })
	r := s.post(b, "", query, nil)
	if len(r.Errors) > 0 {
		b.Fatalf("errors: %+v", r.Errors)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.post(b, "", query, nil)
	}
}

func BenchmarkSearch(b *testing.B) {
	benchQuery(b, `{ search(text: "ha noi", first: 10) { score entity { id name kind } } }`)
}

func BenchmarkNeighborhood2Hops(b *testing.B) {
	benchQuery(b, `{ neighborhood(id: "locality:fukuoka", depth: 2, limit: 500) {
	  nodes { id name kind } relationships { id type from { id } to { id } } truncated } }`)
}

func BenchmarkNestedList(b *testing.B) {
	benchQuery(b, `{ localities(first: 50) { nodes { name
	  agreements { edges { role node { name ... on Agreement { parties { edges { node { name } } } } } } }
	  officials { edges { role node { name } } } } } }`)
}

func BenchmarkPaths(b *testing.B) {
	benchQuery(b, `{ paths(from: "locality:fukuoka", to: "locality:ha-noi") { length nodes { name } } }`)
}
