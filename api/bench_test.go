package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/embedded"
)

// The benchmarks go through the whole HTTP stack: a real server on
// 127.0.0.1, JSON over POST, the GraphQL handler, loaders and store.
// Each runs on both backends: the embedded store, and Neo4j over Bolt
// (NEO4J_TEST_URI, or a NornicDB from NORNICDB_BIN).
// Run: NORNICDB_BIN=$(./scripts/nornicdb.sh) go test -run '^$' -bench . -benchmem ./api/

func benchQuery(b *testing.B, query string) {
	production := func(c *api.Config) { c.GraphQL.LoaderWait = api.DefaultConfig.GraphQL.LoaderWait }
	for _, backend := range []struct {
		name string
		open func(testing.TB) *server
	}{
		{"embedded", func(tb testing.TB) *server { return newServer(tb, production) }},
		{"neo4j", func(tb testing.TB) *server { return newNeo4jServer(tb, production) }},
	} {
		b.Run(backend.name, func(b *testing.B) {
			s := backend.open(b)
			r := s.post(b, "", query, nil)
			if len(r.Errors) > 0 {
				b.Fatalf("errors: %+v", r.Errors)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.post(b, "", query, nil)
			}
		})
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

// BenchmarkSteadyLoad measures throughput under steady load: clients in
// parallel (GOMAXPROCS × 4) send a mix of the reads above, over HTTP, to one
// server on the embedded store. It is the figure the hostile-input limits
// must not lower.
func BenchmarkSteadyLoad(b *testing.B) {
	s := newServer(b, func(c *api.Config) { c.GraphQL.LoaderWait = api.DefaultConfig.GraphQL.LoaderWait })
	mix := []string{
		`{ search(text: "ha noi", first: 10) { score entity { id name kind } } }`,
		`{ neighborhood(id: "locality:fukuoka", depth: 2, limit: 500) { nodes { id name kind } relationships { id type } } }`,
		`{ localities(first: 20) { nodes { name agreements { edges { node { name } } } } } }`,
		`{ paths(from: "locality:fukuoka", to: "locality:ha-noi") { length nodes { name } } }`,
		`{ locality(id: "locality:fukuoka") { name partOf { nodes { name } } officials { edges { role node { name } } } } }`,
	}
	for _, q := range mix {
		if r := s.post(b, "", q, nil); len(r.Errors) > 0 {
			b.Fatalf("%s: %+v", q, r.Errors)
		}
	}
	b.ReportAllocs()
	b.SetParallelism(4)
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.post(b, "", mix[n.Add(1)%int64(len(mix))], nil)
		}
	})
}

// BenchmarkScaleNested sends the benchmark command's nested query (5
// provinces → 3 events each → 3 participants each) to a server over a copy
// of a large store, one request at a time, with and without the direct
// executor; its allocations per request are the figure to watch:
//
//	VJKG_BENCH_DIR=copy-of-data go test -run '^$' -bench ScaleNested -benchtime 20000x ./api/
func BenchmarkScaleNested(b *testing.B) {
	dir := os.Getenv("VJKG_BENCH_DIR")
	if dir == "" {
		b.Skip("VJKG_BENCH_DIR names a copy of a data directory (scripts/bench.sh with BENCH_KEEP=1 leaves one)")
	}
	st, err := embedded.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	for _, direct := range []bool{true, false} {
		b.Run(map[bool]string{true: "direct", false: "generated"}[direct], func(b *testing.B) {
			cfg := api.DefaultConfig
			cfg.GraphQL.InOrder, cfg.GraphQL.Direct = true, direct
			cfg.Logger = quietLog
			ts := httptest.NewServer(api.New(st, cfg))
			defer ts.Close()
			var bodies [][]byte
			for _, v := range []map[string]any{{"c": []string{"VN"}, "t": []string{"PROVINCE"}}, {"c": []string{"JP"}, "t": []string{"PREFECTURE"}}} {
				body, _ := json.Marshal(map[string]any{"query": nestedShape, "variables": v})
				bodies = append(bodies, body)
			}
			post := func(i int) {
				res, err := ts.Client().Post(ts.URL+"/graphql", "application/json", bytes.NewReader(bodies[i%2]))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
			for i := range 200 { // warm: the hubs' sorted lists, the query cache
				post(i)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				post(i)
				i++
			}
		})
	}
}
