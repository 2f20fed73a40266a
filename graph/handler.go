package graph

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vjkg/vjkg/kg"
)

// Options configure the GraphQL handler.
type Options struct {
	Limits        Limits
	MaxComplexity int           // gqlgen's complexity limit, with fields priced by pricedSchema
	MaxDepth      int           // deepest selection allowed
	Introspection bool          // whether __schema and __type are answered
	LoaderWait    time.Duration // how long loaders gather keys before one store call
	Logger        *slog.Logger
}

// DefaultOptions are the options a server starts with.
var DefaultOptions = Options{
	Limits:        DefaultLimits,
	MaxComplexity: 100000,
	MaxDepth:      12,
	Introspection: true,
	LoaderWait:    time.Millisecond,
	Logger:        slog.Default(),
}

// NewHandler returns the GraphQL endpoint over s: POST and GET transports,
// a parsed-query cache, automatic persisted queries, the limits, the error
// presenter, and per-request loaders.
func NewHandler(s kg.Store, o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	es := pricedSchema{NewExecutableSchema(Config{Resolvers: NewResolver(s, o.Limits)})}
	srv := handler.New(es)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if o.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.Use(mutationAuth{})
	srv.Use(depthLimit{Max: o.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if info, ok := ctx.Value(requestInfoKey{}).(*RequestInfo); ok {
			op := graphql.GetOperationContext(ctx)
			info.Operation = op.OperationName
			if op.Operation != nil {
				info.Kind = string(op.Operation.Operation)
			}
			if stats := extension.GetComplexityStats(ctx); stats != nil {
				info.Complexity = stats.Complexity
			}
		}
		return next(ctx)
	})
	srv.SetErrorPresenter(presentError(o.Logger))
	srv.SetRecoverFunc(recoverPanic(o.Logger))
	return WithLoaders(s, o.LoaderWait, srv)
}

// RequestInfo is what the GraphQL handler tells the request log about an
// operation: its name, kind (query or mutation) and complexity.
type RequestInfo struct {
	Operation  string
	Kind       string
	Complexity int
}

type requestInfoKey struct{}

// WithRequestInfo returns a context in which the GraphQL handler records
// what it ran into info.
func WithRequestInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}
