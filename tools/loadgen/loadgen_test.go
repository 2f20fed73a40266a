package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vjkg/vjkg/synth"
)

func TestReadGraph(t *testing.T) {
	dir := t.TempDir()
	g, err := synth.New(synth.Config{Entities: 2000, Relationships: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	gr, err := readGraph(filepath.Join(dir, synth.NodesFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(gr.ids) != 2000 || len(gr.common) != 20 || len(gr.rare) == 0 {
		t.Fatalf("%d ids, %d common and %d rare words", len(gr.ids), len(gr.common), len(gr.rare))
	}
	for _, p := range gr.pairs(1, 100) {
		if p[0] == p[1] {
			t.Errorf("pair of one entity: %v", p)
		}
	}
}

func TestPercentile(t *testing.T) {
	var p phaseResult
	for i := 100; i >= 1; i-- {
		p.latencies = append(p.latencies, time.Duration(i)*time.Millisecond)
	}
	if got := p.percentile(50); got != 50 {
		t.Errorf("p50 = %v", got)
	}
	if got := p.percentile(99); got != 99 {
		t.Errorf("p99 = %v", got)
	}
}

func TestCountObjects(t *testing.T) {
	// A name whose text holds `"name":` is not an object.
	data := []byte(`{"paths":[{"nodes":[{"id":"a","name":"A \"name\": x"},{"id":"b","name":"B"},{"name":"C"}],"relationships":[{"type":"X"}]}]}`)
	if n := countObjects(data); n != 3 {
		t.Errorf("got %d", n)
	}
}

func TestReport(t *testing.T) {
	results := filepath.Join(t.TempDir(), "results")
	lines := `graph 2000 10000
records 12005
request_timeout 10
generate_seconds 0.02
generate_maxrss_kb 20000
import_seconds 0.5
import_maxrss_kb 40000
ready_seconds 0.1
rss_ready_kb 30000
hwm_ready_kb 30000
load_clients 4
load_duration 1
load_min_requests 20
query nested 100 5.5 9.5 200 nested query|50 entities/answer
query typename 1000 0.3 1 4000 typename|0 entities/answer
rss_after_kb 40000
hwm_after_kb 50000
networkx 1000 0.01 0.05 100.0 0.0
`
	if err := os.WriteFile(results, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runReport([]string{"-results", results}); err != nil {
		t.Fatal(err)
	}
	// A missing measure is an error, not an empty cell.
	if err := os.WriteFile(results, []byte(strings.Replace(lines, "ready_seconds 0.1\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runReport([]string{"-results", results}); err == nil || !strings.Contains(err.Error(), "ready_seconds") {
		t.Errorf("got %v", err)
	}
	// The interleaved ratio, when measured, has a row of its own.
	if err := os.WriteFile(results, []byte(lines+"ratio 0.45 180 400 5 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := captureStdout(t, func() error { return runReport([]string{"-results", results}) })
	for _, want := range []string{
		"| Throughput ratio: nested / `__typename`, from their phases above | 0.05 (200 / 4,000 req/s) |",
		"| Throughput ratio: nested / `__typename`, interleaved (5 rounds of 2 s each, in turns) | **0.45** (180 / 400 req/s) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

// captureStdout returns what f prints to standard output.
func captureStdout(t *testing.T, f func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	ferr := f()
	os.Stdout = stdout
	w.Close()
	out := <-done
	if ferr != nil {
		t.Fatal(ferr)
	}
	return out
}

func TestFirstNumber(t *testing.T) {
	data := map[string]any{"entityFacets": map[string]any{"byKind": []any{map[string]any{"count": 3.0}}, "total": 7.0}}
	if n, ok := firstNumber(data, "total"); !ok || n != 7 {
		t.Errorf("total: %d %v", n, ok)
	}
	if _, ok := firstNumber(data, "totalCount"); ok {
		t.Error("found a number that is not there")
	}
}

// TestEncodeRequest: a caller's body, with its cached query, decodes to the
// request it was given, with and without variables, and again once cached.
func TestEncodeRequest(t *testing.T) {
	c := newCaller(nil, "http://127.0.0.1:1")
	for _, req := range []request{
		{Query: "query($c: [String!]) {\n\tlocalities(filter: {country: $c}) { nodes { name } } }", Variables: map[string]any{"c": []any{"VN"}}},
		{Query: `{ __typename }`},
		{Query: "query($c: [String!]) {\n\tlocalities(filter: {country: $c}) { nodes { name } } }", Variables: map[string]any{"c": []any{"JP \"Ōsaka\""}}},
	} {
		if err := c.encode(req); err != nil {
			t.Fatal(err)
		}
		var got request
		if err := json.Unmarshal(c.body, &got); err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		if !reflect.DeepEqual(got, req) {
			t.Errorf("body %s decodes to %#v, want %#v", c.body, got, req)
		}
	}
}
