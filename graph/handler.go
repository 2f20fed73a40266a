package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vjkg/vjkg/kg"
)

// Options configure the GraphQL handler.
type Options struct {
	Limits        Limits
	Document      DocumentLimits // tokens, fields, aliases and depth, checked before validation
	MaxComplexity int            // highest price of an operation (see price)
	Introspection bool           // whether __schema and __type are answered
	LoaderWait    time.Duration  // how long loaders gather keys before one store call
	// InOrder resolves fields in order, a level's parents at once, rather
	// than concurrently through the loaders (Resolver.InOrder), as the
	// server does on either backend.
	InOrder bool
	// Direct, with InOrder, answers the queries the direct executor
	// knows without gqlgen's generated executor (direct.go).
	Direct bool
	// QueryCacheBytes bounds the memory of parsed documents (three quarters)
	// and of automatic persisted queries (a quarter).
	QueryCacheBytes int64
	// Sizer tells complexity how large the graph is; nil counts the store
	// once a minute.
	Sizer Sizer
	// Expensive, if set, hands out a slot for an operation that computes
	// network measures, or says that none is free.
	Expensive func() (release func(), ok bool)
	Logger    *slog.Logger
	// HistoryPoll is how often the change feed reads the history's last
	// position while anyone subscribes: the most a live change waits.
	HistoryPoll time.Duration
	// MaxSubscriptions bounds the live subscriptions of the process.
	MaxSubscriptions int
	// Feed, if set, is the change feed to use (HistoryPoll and
	// MaxSubscriptions then go unused): its owner closes it before the
	// store, which ends every subscription first.
	Feed *Feed
	// Authenticate checks the Authorization value a WebSocket client sends
	// in its connection_init payload (browsers cannot set headers on a
	// WebSocket): the key's name, or ok false for a wrong key. Nil accepts
	// no key.
	Authenticate func(authorization string) (actor string, ok bool)
	// OriginPatterns are the browser origins (host patterns) allowed to
	// open a WebSocket besides the server's own.
	OriginPatterns []string
}

// DefaultOptions are the options a server starts with.
var DefaultOptions = Options{
	Limits:           DefaultLimits,
	Document:         DocumentLimits{MaxTokens: 5000, MaxFields: 500, MaxAliases: 100, MaxDepth: 12},
	MaxComplexity:    100000,
	Introspection:    true,
	LoaderWait:       time.Millisecond,
	QueryCacheBytes:  32 << 20,
	Logger:           slog.Default(),
	HistoryPoll:      200 * time.Millisecond,
	MaxSubscriptions: 100,
}

// NewHandler returns the GraphQL endpoint over s: POST and GET transports,
// the document gate and a parsed-query cache bounded by bytes, automatic
// persisted queries, the limits, the error presenter, and per-request
// loaders.
func NewHandler(s kg.Store, o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Sizer == nil {
		o.Sizer = NewStoreSizer(s, time.Minute)
	}
	resolver := NewResolver(s, o.Limits)
	resolver.InOrder = o.InOrder
	resolver.Direct = o.Direct
	switch {
	case o.Feed != nil:
		resolver.feed = o.Feed
	case o.HistoryPoll > 0 && o.MaxSubscriptions > 0:
		resolver.feed = NewFeed(o.HistoryPoll, o.MaxSubscriptions, o.Logger)
	}
	es := NewExecutableSchema(Config{Resolvers: resolver})
	srv := handler.New(es)
	srv.AddTransport(websocketTransport(o))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postTransport{})
	docs := NewByteCache(o.QueryCacheBytes*3/4, documentBytes)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(o.Document.MaxTokens)
	// Persisted queries are stored before they are checked, so they come first.
	srv.Use(extension.AutomaticPersistedQuery{Cache: NewByteCache(o.QueryCacheBytes/4,
		func(hash, query string) int64 { return int64(len(hash) + len(query)) })})
	srv.Use(documentGate{schema: es.Schema(), cache: docs, limits: o.Document})
	if o.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.Use(mutationAuth{})
	srv.Use(subscriptionsOnlyOverWebsocket{})
	srv.Use(complexityLimit{Max: o.MaxComplexity, Sizer: o.Sizer, Expensive: o.Expensive})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if st := stateOf(ctx); st != nil {
			op := graphql.GetOperationContext(ctx)
			kind := ""
			if op.Operation != nil {
				kind = string(op.Operation.Operation)
			}
			st.info.set(func(i *RequestInfo) { i.operation, i.kind = op.OperationName, kind })
		}
		return next(ctx)
	})
	// A response without data is a request refused before it ran: its
	// code, not gqlgen's 200 or 422, decides the status.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if st := stateOf(ctx); st != nil && resp != nil && resp.Data == nil && len(resp.Errors) > 0 {
			code, _ := resp.Errors[0].Extensions["code"].(string)
			st.info.set(func(i *RequestInfo) { i.refused = code })
		}
		return resp
	})
	srv.SetErrorPresenter(presentError(o.Logger))
	srv.SetRecoverFunc(recoverPanic(o.Logger))
	return WithLoaders(s, o.InOrder, o.LoaderWait, withState(srv))
}

// RequestInfo is what the GraphQL handler tells the request log about an
// operation: its name, kind (query or mutation) and complexity, or the code
// it was refused with. It is safe to read while the handler still runs
// (after a timeout, the log is written before the work has stopped).
type RequestInfo struct {
	mu         sync.Mutex
	operation  string
	kind       string
	complexity int
	refused    string
	direct     bool // answered by the direct executor
}

func (i *RequestInfo) set(f func(*RequestInfo)) {
	i.mu.Lock()
	defer i.mu.Unlock()
	f(i)
}

// LogAttrs returns what the request log shows of the operation: nothing
// for a request that was not GraphQL.
func (i *RequestInfo) LogAttrs() []any {
	i.mu.Lock()
	defer i.mu.Unlock()
	var attrs []any
	if i.kind != "" {
		attrs = append(attrs, "operation", i.operation, "kind", i.kind, "complexity", i.complexity)
	}
	if i.direct {
		attrs = append(attrs, "direct", true)
	}
	if i.refused != "" {
		attrs = append(attrs, "refused", i.refused)
	}
	return attrs
}

// Refused returns the code the request was refused with, or "".
func (i *RequestInfo) Refused() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.refused
}

type requestInfoKey struct{}

// WithRequestInfo returns a context in which the GraphQL handler records
// what it ran into info.
func WithRequestInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

// requestState is what the handler keeps per request: the log's info and
// the expensive slots to give back when the work is done.
type requestState struct {
	info    *RequestInfo
	release []func()
}

type stateKey struct{}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(stateKey{}).(*requestState)
	return st
}

// withState gives each request its state, sets the status of a refused
// request from its code, and returns the request's expensive slots once
// gqlgen is done with it (not when the client is answered: work that
// outlives a timeout keeps its slot).
func withState(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := r.Context().Value(requestInfoKey{}).(*RequestInfo)
		if info == nil {
			info = &RequestInfo{}
		}
		st := &requestState{info: info}
		defer func() {
			for _, release := range st.release {
				release()
			}
		}()
		next.ServeHTTP(&statusWriter{ResponseWriter: w, info: info}, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	})
}

// statusWriter holds gqlgen's status until the body comes, by when the
// refusal's code is known, and answers with the status of that code. A
// few of gqlgen's transport errors (a GET whose variables are not JSON, a
// mutation over GET, an unknown content type) come without a code: they
// get BAD_USER_INPUT, so that every refusal has one.
type statusWriter struct {
	http.ResponseWriter
	info   *RequestInfo
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if code < 200 { // 101 Switching Protocols: a WebSocket, answered at once
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.status == 0 {
		w.status = code
	}
}

// Unwrap lets a WebSocket upgrade reach the connection to hijack.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.wrote {
		return w.ResponseWriter.Write(p)
	}
	w.wrote = true
	written := len(p)
	status := max(w.status, http.StatusOK)
	code := w.info.Refused()
	if code == "" && status >= 400 {
		code, p = withCode(p, status)
		w.info.set(func(i *RequestInfo) { i.refused = code })
	}
	if s, ok := statuses[code]; ok {
		status = s
		SetRefusalHeaders(w.Header(), code)
	}
	w.ResponseWriter.WriteHeader(status)
	if _, err := w.ResponseWriter.Write(p); err != nil {
		return 0, err
	}
	return written, nil
}

// withCode gives the errors of a response body written without codes the
// code its status stands for.
func withCode(body []byte, status int) (string, []byte) {
	code := kg.EInvalid
	if status >= 500 {
		code = kg.EInternal
	}
	var resp struct {
		Errors []map[string]any `json:"errors"`
	}
	if json.Unmarshal(body, &resp) != nil || len(resp.Errors) == 0 {
		resp.Errors = []map[string]any{{"message": Truncate(string(body), maxMessageBytes)}}
	}
	for _, e := range resp.Errors {
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if _, ok := ext["code"]; !ok {
			ext["code"] = code
		}
		if m, ok := e["message"].(string); ok {
			e["message"] = Truncate(m, maxMessageBytes)
		}
	}
	out, err := json.Marshal(resp)
	if err != nil {
		return code, body
	}
	return code, out
}

// SetRefusalHeaders adds what a refusal's status calls for: how to
// authenticate (401), when to retry (429, 503).
func SetRefusalHeaders(h http.Header, code string) {
	switch statuses[code] {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="vjkg"`)
	case http.StatusTooManyRequests:
		if h.Get("Retry-After") == "" {
			h.Set("Retry-After", "1")
		}
	}
}
