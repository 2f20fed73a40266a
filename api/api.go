// Package api assembles the HTTP server's routes: the GraphQL endpoint, the
// GraphiQL page, the explorer, exports and imports, health and readiness
// probes, and the middleware every request passes through (logging, CORS,
// body size, time limit, API keys).
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vjkg/vjkg/explorer"
	"github.com/vjkg/vjkg/export"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

// Config is what the routes need to know.
type Config struct {
	// APIKeys are the keys that may call mutations (Authorization: Bearer
	// <key>). With none, mutations are refused.
	APIKeys []string
	// CORSOrigins are the browser origins allowed to call the API; "*" allows
	// any. Empty means same-origin only.
	CORSOrigins    []string
	MaxBodyBytes   int64         // largest GraphQL request body accepted
	MaxImportBytes int64         // largest upload POST /import accepts
	RequestTimeout time.Duration // longest a GraphQL request may run
	GraphQL        graph.Options
	Logger         *slog.Logger
	// Ready, if set, is asked by /readyz after the store answers: a non-nil
	// error (such as "loading the seed dataset") means not ready.
	Ready func(context.Context) error
}

// DefaultConfig holds the defaults a server starts with.
var DefaultConfig = Config{
	MaxBodyBytes:   1 << 20,
	MaxImportBytes: 64 << 20,
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
	mux.Handle("GET "+explorer.Prefix, explorer.Handler())
	mux.Handle("GET /export", withTimeout(c.RequestTimeout, exportHandler(s)))
	mux.Handle("POST /import", authenticate(hashKeys(c.APIKeys), importHandler(s, c.MaxImportBytes, c.Logger)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		err := s.Ping(ctx)
		if err == nil && c.Ready != nil {
			err = c.Ready(ctx)
		}
		if err != nil {
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

// exportHandler serves GET /export?format=…&scope=…: the graph or a part of
// it as a file (see package export). Reads are open, like GraphQL queries.
func exportHandler(s kg.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format, scope, opts, err := export.ParseQuery(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		x, err := export.Prepare(r.Context(), s, scope, export.DefaultBounds)
		if err != nil {
			writeError(w, err)
			return
		}
		f := export.Formats[format]
		name := "vjkg"
		if scope.What != "" {
			name += "-" + scope.What
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, f.Ext))
		if err := x.Write(r.Context(), w, format, opts); err != nil {
			slog.ErrorContext(r.Context(), "export", "err", err)
		}
	})
}

// importHandler serves POST /import: seed-format YAML and CSV files, as
// multipart/form-data (any number of files) or as the request body with
// ?name=file.csv. It needs an API key. Everything is validated before
// anything is written; invalid input gets 400 and every problem with its
// file, line and reason.
func importHandler(s kg.Store, maxBytes int64, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !graph.Authenticated(r.Context()) {
			writeGraphQLError(w, http.StatusUnauthorized, kg.EUnauthenticated, "imports need an API key: send Authorization: Bearer <key>")
			return
		}
		files, err := readUploads(w, r, maxBytes)
		if err != nil {
			writeError(w, err)
			return
		}
		batch, err := importer.Check(r.Context(), s, files...)
		var problems seed.Problems
		if errors.As(err, &problems) {
			out := make([]map[string]any, len(problems))
			for i, p := range problems {
				out[i] = map[string]any{"message": p.String(), "extensions": map[string]any{"code": kg.EInvalid,
					"file": p.File, "line": p.Line, "record": p.Record, "field": p.Field, "reason": p.Reason}}
			}
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": out})
			return
		}
		if err != nil {
			writeError(w, err)
			return
		}
		sum, err := importer.Import(r.Context(), s, batch, importer.Options{})
		if err != nil {
			log.ErrorContext(r.Context(), "import failed", "err", err)
			writeError(w, err)
			return
		}
		log.InfoContext(r.Context(), "import", "summary", sum.String())
		writeJSON(w, http.StatusOK, map[string]any{"summary": sum.String(), "sources": sum.Sources,
			"entities": sum.Entities, "relationships": sum.Relationships, "batches": sum.Batches})
	})
}

func readUploads(w http.ResponseWriter, r *http.Request, maxBytes int64) ([]seed.File, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return kg.Errorf(kg.EInvalid, "upload larger than %d bytes", maxBytes)
		}
		return kg.Errorf(kg.EInvalid, "cannot read the upload: %v", err)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, kg.Errorf(kg.EInvalid, "bad multipart body: %v", err)
		}
		var files []seed.File
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, tooLarge(err)
			}
			if part.FileName() == "" {
				continue
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, tooLarge(err)
			}
			files = append(files, seed.File{Name: part.FileName(), Data: data})
		}
		if len(files) == 0 {
			return nil, kg.Errorf(kg.EInvalid, "no files in the upload")
		}
		return files, nil
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		return nil, kg.Errorf(kg.EInvalid, "send files as multipart/form-data, or the body with ?name=nodes.csv (or .yaml)")
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, tooLarge(err)
	}
	return []seed.File{{Name: name, Data: data}}, nil
}

// writeError answers a non-GraphQL endpoint's failure with the same error
// shape and codes as GraphQL, and a matching HTTP status.
func writeError(w http.ResponseWriter, err error) {
	status := map[string]int{
		kg.EInvalid: http.StatusBadRequest, kg.ENotFound: http.StatusNotFound, kg.EConflict: http.StatusConflict,
		kg.EUnauthenticated: http.StatusUnauthorized, kg.EUnavailable: http.StatusServiceUnavailable,
	}[kg.ErrorCode(err)]
	code, msg := kg.ErrorCode(err), kg.ErrorMessage(err)
	if errors.Is(err, context.DeadlineExceeded) {
		status, code, msg = http.StatusServiceUnavailable, kg.ETimeout, "the request took longer than the server allows"
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeGraphQLError(w, status, code, msg)
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

// logRequests writes one structured log line per request, with a request
// id (the caller's X-Request-ID, or a new one, echoed in the response) and,
// for GraphQL, the operation's name, kind and complexity.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 128 {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		info := &graph.RequestInfo{}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(graph.WithRequestInfo(r.Context(), info)))
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		attrs := []any{"id", id, "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds()) / 1000}
		if info.Kind != "" {
			attrs = append(attrs, "operation", info.Operation, "kind", info.Kind, "complexity", info.Complexity)
		}
		log.Log(r.Context(), level, "request", attrs...)
	})
}
