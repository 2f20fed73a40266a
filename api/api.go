// Package api assembles the HTTP server's routes: the GraphQL endpoint, the
// GraphiQL page, health and readiness probes, and the middleware every
// request passes through (logging, CORS, body size, time limit, API keys).
package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/kg"
)

// Config is what the routes need to know.
type Config struct {
	// APIKeys are the keys that may call mutations (Authorization: Bearer
	// <key>). With none, mutations are refused.
	APIKeys []string
	// CORSOrigins are the browser origins allowed to call the API; "*" allows
	// any. Empty means same-origin only.
	CORSOrigins    []string
	MaxBodyBytes   int64         // largest request body accepted
	RequestTimeout time.Duration // longest a GraphQL request may run
	GraphQL        graph.Options
	Logger         *slog.Logger
}

// DefaultConfig holds the defaults a server starts with.
var DefaultConfig = Config{
	MaxBodyBytes:   1 << 20,
	RequestTimeout: 10 * time.Second,
	GraphQL:        graph.DefaultOptions,
}

// New returns the server's handler over store s.
func New(s kg.Store, c Config) http.Handler {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.GraphQL.Logger = c.Logger
	mux := http.NewServeMux()
	gql := graph.NewHandler(s, c.GraphQL)
	mux.Handle("/graphql", limitBody(c.MaxBodyBytes, withTimeout(c.RequestTimeout, authenticate(hashKeys(c.APIKeys), gql))))
	mux.Handle("GET /{$}", playground.Handler("Vietnam–Japan cooperation graph", "/graphql"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": kg.ErrorMessage(err)})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	h := http.Handler(mux)
	if len(c.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: c.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowedHeaders: []string{"Authorization", "Content-Type"},
			MaxAge:         600,
		}).Handler(h)
	}
	return logRequests(c.Logger, h)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeGraphQLError answers with a GraphQL-shaped error, for requests turned
// away before they reach the GraphQL handler.
func writeGraphQLError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]string{"code": code}}},
	})
}

// limitBody refuses bodies larger than max with 413.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, kg.EInvalid, "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds how long a request may run: store calls and traversals
// take the context and stop when it expires, and their errors reach the
// client as TIMEOUT. When the time is up before execution even starts,
// gqlgen answers "null"; the response is held back so that such a request
// gets a proper TIMEOUT error (503) instead.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		buf := &bufferedResponse{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(buf, r.WithContext(ctx))
		if ctx.Err() != nil && strings.TrimSpace(buf.body.String()) == "null" {
			writeGraphQLError(w, http.StatusServiceUnavailable, kg.ETimeout, "the request took longer than the server allows")
			return
		}
		w.WriteHeader(buf.status)
		w.Write(buf.body.Bytes())
	})
}

// bufferedResponse holds a response until the handler is done. GraphQL
// responses are single JSON documents, so nothing streams.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

func hashKeys(keys []string) [][32]byte {
	var out [][32]byte
	for _, k := range keys {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, sha256.Sum256([]byte(k)))
		}
	}
	return out
}

// authenticate marks requests that carry a valid API key. Keys are compared
// as SHA-256 digests with subtle.ConstantTimeCompare, against every key, so
// neither the key's length nor which key matched shows in the timing. A
// request without a key may still read; one with a wrong key is refused, so
// that a misconfigured client learns at once.
func authenticate(keys [][32]byte, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			writeGraphQLError(w, http.StatusUnauthorized, kg.EUnauthenticated, "the Authorization header must be: Bearer <api key>")
			return
		}
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		match := 0
		for _, k := range keys {
			match |= subtle.ConstantTimeCompare(sum[:], k[:])
		}
		if match != 1 {
			writeGraphQLError(w, http.StatusUnauthorized, kg.EUnauthenticated, "invalid API key")
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithAuthenticated(r.Context())))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// logRequests writes one structured log line per request.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}
