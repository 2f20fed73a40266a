package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

const testKey = "test-key-0123456789abcdef"

// server is a real HTTP server on 127.0.0.1 over a seeded embedded store.
type server struct {
	*httptest.Server
	store   *storetest.Counting // counts the calls the API makes
	backend kg.Store            // the store under the counter
}

func newServer(t testing.TB, configure ...func(*api.Config)) *server {
	t.Helper()
	return serve(t, testgraph.Empty(t), configure...)
}

// serve loads the seed dataset into s and serves it over HTTP.
func serve(t testing.TB, s kg.Store, configure ...func(*api.Config)) *server {
	t.Helper()
	t.Cleanup(func() { s.Close() })
	storetest.LoadSeed(t, s)
	counting := storetest.NewCounting(s)
	cfg := api.DefaultConfig
	cfg.APIKeys = []string{testKey}
	cfg.CORSOrigins = []string{"https://explorer.example"}
	// Loaders wait a little longer than in production so that batching is
	// certain even on a loaded test machine; the figures this test asserts are
	// call counts, not times.
	cfg.GraphQL.LoaderWait = 20 * time.Millisecond
	// As in production (server.go): in order, the common shapes answered
	// directly, on either backend.
	cfg.GraphQL.InOrder = true
	cfg.GraphQL.Direct = true
	cfg.Logger = quietLog
	// Complexity counts the graph through the store under the counter, so
	// that its counts are not among the calls the tests count.
	cfg.GraphQL.Sizer = graph.NewStoreSizer(s, time.Minute)
	for _, c := range configure {
		c(&cfg)
	}
	// Subscriptions end before the store closes (cleanups run last first).
	cfg.GraphQL.Feed = graph.NewFeed(cfg.GraphQL.HistoryPoll, cfg.GraphQL.MaxSubscriptions, quietLog)
	t.Cleanup(cfg.GraphQL.Feed.Close)
	ts := httptest.NewServer(api.New(counting, cfg))
	t.Cleanup(ts.Close)
	return &server{Server: ts, store: counting, backend: s}
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// code returns the extensions.code of the first error, or "".
func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// send makes a request with an API key (unless key is "") and returns the
// response, its body read.
func (s *server) send(t testing.TB, method, path, key, contentType string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// post sends a GraphQL request over HTTP and decodes the answer.
func (s *server) post(t testing.TB, key, query string, vars map[string]any) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, raw := s.send(t, http.MethodPost, "/graphql", key, "application/json", bytes.NewReader(body))
	r := &response{status: res.StatusCode}
	if err := json.Unmarshal(raw, r); err != nil {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	return r
}

// query sends a read and fails the test on any error.
func (s *server) query(t testing.TB, query string, vars map[string]any, out any) {
	t.Helper()
	r := s.post(t, "", query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// wantError sends a request and checks that it fails with code.
func (s *server) wantError(t testing.TB, key, query string, vars map[string]any, code, msg string) *response {
	t.Helper()
	r := s.post(t, key, query, vars)
	if r.code() != code {
		t.Fatalf("code = %q, want %q; errors: %+v", r.code(), code, r.Errors)
	}
	if msg != "" && !strings.Contains(r.Errors[0].Message, msg) {
		t.Errorf("message %q does not mention %q", r.Errors[0].Message, msg)
	}
	return r
}

func decode(t testing.TB, r *response, out any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}
