package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vjkg/vjkg/internal/nornic"
)

// start runs the real server, as `go run .` would, on a free port of
// 127.0.0.1, and returns its base URL and a function that stops it and
// returns run's error.
func start(t *testing.T, env map[string]string, args ...string) (string, func() error) {
	t.Helper()
	url, _, stop := startLogged(t, env, args...)
	return url, stop
}

// startLogged is start, also returning what the server has logged so far.
func startLogged(t *testing.T, env map[string]string, args ...string) (string, func() string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	done := make(chan error, 1)
	var buf bytes.Buffer
	logs := &syncWriter{w: &buf}
	read := func() string {
		logs.mu.Lock()
		defer logs.mu.Unlock()
		return buf.String()
	}
	go func() {
		done <- run(ctx, append([]string{"-host", "127.0.0.1", "-port", "0"}, args...), func(k string) string { return env[k] }, logs, listening)
	}()
	select {
	case addr := <-listening:
		return "http://" + addr, read, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, read())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("server did not start within 30s")
	}
	return "", nil, nil
}

// syncWriter lets the test read what the server logged while it runs.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func post(t *testing.T, url, key, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServerEndToEnd starts the binary's run on port 0 with a fresh data
// directory: it seeds itself, answers queries, takes a mutation with a key,
// shuts down gracefully, and on restart still has the mutation (and does not
// seed twice).
func TestServerEndToEnd(t *testing.T) {
	dir := t.TempDir()
	const key = "e2e-key-0123456789abcdef"
	env := map[string]string{"DATA_DIR": dir, "API_KEYS": key}
	url, stop := start(t, env)

	got := post(t, url, "", `{ search(text: "hanoi", first: 1) { entity { id } } }`)
	if !strings.Contains(mustJSON(got), `"locality:ha-noi"`) {
		t.Fatalf("search on a fresh server: %s", mustJSON(got))
	}
	got = post(t, url, key, `mutation { createEntity(input: {kind: EVENT, name: "Buổi thử nghiệm", type: "MEETING", sources: [{source: "source:vj-local-forum-2025", quote: "Diễn đàn"}]}) { id } }`)
	if !strings.Contains(mustJSON(got), `"event:buoi-thu-nghiem"`) {
		t.Fatalf("mutation: %s", mustJSON(got))
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}

	url, stop = start(t, env)
	defer stop()
	got = post(t, url, "", `{ event(id: "event:buoi-thu-nghiem") { name } stats { entities } }`)
	if !strings.Contains(mustJSON(got), "Buổi thử nghiệm") {
		t.Errorf("the mutation did not survive a restart: %s", mustJSON(got))
	}
}

// TestServerDirectFlag: over the embedded store the direct executor
// answers the common reads unless -direct is false, as the request log
// says.
func TestServerDirectFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{{nil, true}, {[]string{"-direct=false"}, false}} {
		url, logs, stop := startLogged(t, map[string]string{"DATA_DIR": t.TempDir()}, c.args...)
		got := post(t, url, "", `{ localities(first: 2, filter: {country: ["JP"]}) { nodes { id name } } }`)
		if !strings.Contains(mustJSON(got), `"locality:`) {
			t.Errorf("%v: %s", c.args, mustJSON(got))
		}
		// The request's log line follows its answer.
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(logs(), "path=/graphql") && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if direct := strings.Contains(logs(), "direct=true"); direct != c.want {
			t.Errorf("%v: answered directly: %v, want %v", c.args, direct, c.want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	t.Run("Defaults", func(t *testing.T) {
		c, _, err := parseConfig("vjkg", nil, env(nil), io.Discard, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.Port != 8080 || c.DataDir != "./data" || !c.Seed || !c.API.GraphQL.Introspection || !c.API.GraphQL.Direct || c.API.RequestTimeout != 10*time.Second || c.API.GraphQL.Limits.MaxPageSize != 100 {
			t.Errorf("defaults = %+v", c)
		}
	})
	t.Run("FlagsOverEnvironment", func(t *testing.T) {
		c, _, err := parseConfig("vjkg", []string{"-port", "9000"}, env(map[string]string{"PORT": "7000", "CORS_ORIGINS": "https://a.example, https://b.example", "INTROSPECTION": "false", "DIRECT": "false"}), io.Discard, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.Port != 9000 || len(c.API.CORSOrigins) != 2 || c.API.CORSOrigins[1] != "https://b.example" || c.API.GraphQL.Introspection || c.API.GraphQL.Direct {
			t.Errorf("config = %+v", c)
		}
	})
	t.Run("ErrBadValues", func(t *testing.T) {
		_, _, err := parseConfig("vjkg", []string{"-port", "http"}, env(map[string]string{"API_KEYS": "short", "LOG_LEVEL": "loud", "REQUEST_TIMEOUT": "soon"}), io.Discard, nil, false)
		if err == nil {
			t.Fatal("bad configuration accepted")
		}
		for _, want := range []string{"-port", "-api-keys", "at least 16 characters", "-log-level", "-request-timeout"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestServerWaitsForNeo4j starts the server with NEO4J_URI pointing at a
// Bolt port where nothing listens yet: the server comes up, reports not
// ready (no crash loop), and once the database starts it connects by
// itself, seeds it and reports ready.
func TestServerWaitsForNeo4j(t *testing.T) {
	if _, ok := nornic.Binary(); !ok {
		if os.Getenv("VJKG_REQUIRE_NEO4J") != "" {
			t.Fatalf("%s is not set", nornic.EnvBinary)
		}
		t.Skipf("%s is not set (scripts/nornicdb.sh builds NornicDB)", nornic.EnvBinary)
	}
	db := nornic.Start(t, nornic.Options{Later: true})
	url, stop := start(t, map[string]string{"NEO4J_URI": db.URI(), "NEO4J_USERNAME": ""})
	defer stop()

	res, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "Neo4j") {
		t.Fatalf("/readyz with Neo4j down: %d %s", res.StatusCode, body)
	}
	got := post(t, url, "", `{ stats { entities } }`)
	if !strings.Contains(mustJSON(got), "UNAVAILABLE") {
		t.Errorf("a query with Neo4j down: %s, want UNAVAILABLE", mustJSON(got))
	}

	if err := db.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				got := post(t, url, "", `{ search(text: "hanoi", first: 1) { entity { id } } }`)
				if strings.Contains(mustJSON(got), `"locality:ha-noi"`) {
					return // connected and seeded
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not become ready and seeded within 60s of Neo4j starting")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
