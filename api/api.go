// Package api assembles the HTTP server's routes: the GraphQL endpoint, the
// GraphiQL page (served from the binary), the schema as SDL, the explorer, exports and import jobs, health and
// readiness probes, and the middleware every request passes through
// (logging, security headers, a per-client rate limit, CORS, API keys, body
// size, time limit).
//
// Every refusal, on every route, is a GraphQL-shaped error whose
// extensions.code decides the HTTP status, through graph.HTTPStatus: one
// table for the whole server.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/rs/cors"
	"github.com/vjkg/vjkg/explorer"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/kg"
)

// Config is what the routes need to know.
type Config struct {
	// APIKeys are the keys that may call mutations and imports, and make
	// large exports (Authorization: Bearer <key>). With none, mutations and
	// imports are refused.
	APIKeys []string
	// CORSOrigins are the browser origins allowed to call the API; "*" allows
	// any. Empty means same-origin only.
	CORSOrigins      []string
	MaxBodyBytes     int64         // largest GraphQL request body accepted
	MaxImportBytes   int64         // largest upload POST /import accepts
	MaxResponseBytes int64         // largest GraphQL response sent
	RequestTimeout   time.Duration // longest a GraphQL request may run
	// ExportTimeout is the longest an export may take to be read, and
	// ImportTimeout the longest an upload may take to arrive and its job to
	// run: both are long transfers the request timeout would cut.
	ExportTimeout time.Duration
	ImportTimeout time.Duration
	// MaxExpensive bounds the exports, import jobs and network-measure
	// queries running at once; beyond it they get 429 with Retry-After.
	MaxExpensive int
	// AnonymousExportLimit is the most entities an export without an API
	// key may hold; larger ones need a key.
	AnonymousExportLimit int
	// RateLimit is the requests per second one client (an API key, else an
	// IP address) may make, with bursts of RateBurst; 0 means no limit.
	RateLimit float64
	RateBurst int
	GraphQL   graph.Options
	Logger    *slog.Logger
	// Ready, if set, is asked by /readyz after the store answers: a non-nil
	// error (such as "loading the seed dataset") means not ready.
	Ready func(context.Context) error
}

// DefaultConfig holds the defaults a server starts with; the command's
// flags take their defaults from it.
var DefaultConfig = Config{
	MaxBodyBytes:         1 << 20,
	MaxImportBytes:       64 << 20,
	MaxResponseBytes:     16 << 20,
	RequestTimeout:       10 * time.Second,
	ExportTimeout:        5 * time.Minute,
	ImportTimeout:        30 * time.Minute,
	MaxExpensive:         4,
	AnonymousExportLimit: 10000,
	RateBurst:            20,
	GraphQL:              graph.DefaultOptions,
}

// NewHTTPServer returns the http.Server for h as the command runs it. Its
// timeouts hold every connection to what an ordinary request needs: the
// headers within 5 s, the body and the response within the request timeout
// and 5 s more (exports and imports move their own connection's deadlines,
// as they take longer), an idle connection two minutes.
func NewHTTPServer(h http.Handler, c Config) *http.Server {
	logger := c.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(5*time.Second, c.RequestTimeout),
		ReadTimeout:       c.RequestTimeout + 5*time.Second,
		WriteTimeout:      c.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// New returns the server's handler over store s.
func New(s kg.Store, c Config) http.Handler {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.GraphQL.Logger = c.Logger
	expensive := newSlots(c.MaxExpensive)
	c.GraphQL.Expensive = expensive.tryAcquire
	keys := hashKeys(c.APIKeys)
	jobs := newJobs(s, c.Logger)

	mux := http.NewServeMux()
	c.GraphQL.Authenticate = func(token string) (string, bool) { return keyName(keys, token) }
	c.GraphQL.OriginPatterns = c.CORSOrigins
	gql := graph.NewHandler(s, c.GraphQL)
	queries := authenticate(keys, limitBody(c.MaxBodyBytes, withTimeout(c.RequestTimeout, c.MaxResponseBytes, gql)))
	// A WebSocket carries subscriptions, which live as long as the client
	// wants: no request timeout, no buffered response, and no connection
	// deadlines once upgraded. The feed bounds how many there are.
	subscriptions := authenticate(keys, longLived(gql))
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if graph.IsWebsocket(r) {
			subscriptions.ServeHTTP(w, r.WithContext(graph.WithWebsocket(r.Context())))
			return
		}
		queries.ServeHTTP(w, r)
	}))
	page, files := graphiQL()
	mux.Handle("GET /{$}", page)
	mux.Handle("GET "+graphiQLPrefix, files)
	mux.Handle("GET /schema.graphql", schemaHandler(c.GraphQL.Introspection))
	mux.Handle("GET "+explorer.Prefix, explorer.Handler())
	mux.Handle("GET /export", authenticate(keys, exportHandler(s, expensive, c)))
	mux.Handle("POST /import", authenticate(keys, importHandler(jobs, expensive, c)))
	mux.Handle("GET /import/{id}", authenticate(keys, jobHandler(jobs)))
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
	if c.RateLimit > 0 {
		h = rateLimit(newRateLimiter(c.RateLimit, c.RateBurst, 10000), keys, h)
	}
	return logRequests(c.Logger, secureHeaders(h))
}
