package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/internal/hostile"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/seed"
)

// FuzzGraphQLHandler sends arbitrary documents and variables to the whole
// handler (middleware, gate, gqlgen, resolvers, store): every answer must
// come within a bounded time, be JSON, and give every error a code.
// `go test` runs the seeds; `go test -fuzz FuzzGraphQLHandler ./api/`
// searches further.
func FuzzGraphQLHandler(f *testing.F) {
	for _, q := range sameAnswerQueries {
		f.Add(q, "")
	}
	for _, q := range []string{hostile.FragmentChain(40), hostile.Aliases(200), hostile.DuplicateFields(300),
		`query($n: Int) { search(text: "ha noi", first: $n) { score } }`, `mutation { deleteEntity(id: "x") { id } }`,
		`{ __schema { types { name } } }`, `{`, ``, `query A { stats { entities } } query A { stats { entities } }`} {
		f.Add(q, `{"n": "10"}`)
	}
	f.Add(`query($f: LocalityFilter) { localities(filter: $f) { totalCount } }`, `{"f": {"country": ["JP"], "dateFrom": "2020"}}`)
	s := testgraph.Seeded(f)
	f.Add(nestedShape, `{"c": ["VN"], "t": ["PROVINCE"]}`)
	cfg := api.DefaultConfig
	cfg.Logger = quietLog
	// As the server runs over the embedded store (server.go).
	cfg.GraphQL.InOrder, cfg.GraphQL.Direct = true, true
	h := api.New(s, cfg)
	f.Fuzz(func(t *testing.T, query, variables string) {
		raw, ok := fuzzBody(query, variables)
		if !ok {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("answered after %v", took)
		}
		var resp struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("status %d, not JSON: %.300q", rec.Code, rec.Body.String())
		}
		for _, e := range resp.Errors {
			if _, ok := e.Extensions["code"].(string); !ok {
				t.Fatalf("an error without a code: %q (status %d)", e.Message, rec.Code)
			}
			if len(e.Message) > 1024 {
				t.Fatalf("a %d-byte message", len(e.Message))
			}
		}
		if rec.Code != 200 && len(resp.Errors) == 0 {
			t.Fatalf("status %d without an error", rec.Code)
		}
	})
}

// fuzzBody is the JSON body of a fuzzed request; false for variables that
// are not JSON, which cannot be sent in a JSON body.
func fuzzBody(query, variables string) ([]byte, bool) {
	body := map[string]any{"query": query}
	if variables != "" {
		body["variables"] = json.RawMessage(variables)
	}
	raw, err := json.Marshal(body)
	return raw, err == nil
}

// FuzzImportParsers feeds the import parsers (seed.Parse, which the import
// endpoint and command run) arbitrary CSV and YAML: no panic, and any
// failure is a list of problems, each with its file and a reason.
func FuzzImportParsers(f *testing.F) {
	nodes, edges := testgraph.SyntheticCSV(3)
	f.Add("nodes.csv", string(nodes))
	f.Add("edges.csv", string(edges))
	f.Add("nodes.csv", "Id,Label,kind\nlocality:x,\"unterminated,locality\n")
	f.Add("nodes.csv", "Id,Label,kind,figures\norg:x,X,organization,\"[{\"\"label\"\":1}]\"\n")
	f.Add("data.yaml", "entities:\n  - id: org:x\n    kind: organization\n    name: X\n    sources: [{source: source:s, quote: q}]\n")
	f.Add("data.yaml", "entities: &a [*a]\n")
	f.Add("data.yaml", "relationships:\n  - {type: PART_OF, from: a, to: b, validFrom: 2023-13}\n")
	f.Fuzz(func(t *testing.T, name, data string) {
		if !strings.HasSuffix(name, ".csv") && !strings.HasSuffix(name, ".yaml") {
			name += ".csv"
		}
		_, err := seed.Parse(seed.File{Name: name, Data: []byte(data)})
		var problems seed.Problems
		if err != nil && !errors.As(err, &problems) {
			t.Fatalf("not a list of problems: %v", err)
		}
		for _, p := range problems {
			if p.File != name || p.Reason == "" {
				t.Fatalf("a problem without its file or reason: %+v", p)
			}
		}
	})
}
