// Package graph is the GraphQL layer: the gqlgen executable schema
// (generated.go), thin resolvers that turn arguments into one domain or
// loader call, the per-request loaders, and the handler with its limits.
package graph

//go:generate go tool gqlgen generate
//go:generate go run ../tools/inorder generated.go

import (
	"context"
	"log/slog"
	"time"

	"github.com/vjkg/vjkg/kg"
)

// Limits bound what one request may ask for. Arguments beyond them are
// rejected with BAD_USER_INPUT rather than silently clamped, so clients
// learn the bound.
type Limits struct {
	MaxPageSize          int // first: on every list and connection
	MaxSearchResults     int // search(first:)
	MaxPathHops          int // paths(maxHops:)
	MaxPaths             int // paths(first:)
	MaxNeighborhoodDepth int // neighborhood(depth:)
	MaxNeighborhoodNodes int // neighborhood(limit:)
	MaxIDs               int // nodes(ids:)
	// MaxFilterDepth bounds how deep entity filters nest (a relationship
	// condition's node, AND, OR and NOT each go one deeper), and
	// MaxFilterParts how many filters and relationship conditions one
	// filter holds: each is a pass over a set of entities.
	MaxFilterDepth int
	MaxFilterParts int
}

// DefaultLimits are the limits a server starts with.
var DefaultLimits = Limits{
	MaxPageSize:          100,
	MaxSearchResults:     100,
	MaxPathHops:          6,
	MaxPaths:             50,
	MaxNeighborhoodDepth: 3,
	MaxNeighborhoodNodes: 1000,
	MaxIDs:               100,
	MaxFilterDepth:       6,
	MaxFilterParts:       24,
}

// Resolver holds the resolvers' dependencies.
type Resolver struct {
	Store   kg.Store
	Service *kg.Service
	Limits  Limits
	// InOrder resolves a query's fields in order on one goroutine, each
	// field once for all its parents at the same place (cohort.go),
	// instead of concurrently through the loaders' wait, which a loaded
	// machine can outlast, splitting a level into two store calls.
	InOrder bool
	// Direct, in order, answers the queries the direct executor knows
	// without gqlgen's generated executor (direct.go).
	Direct bool
	feed   *Feed
}

// NewResolver returns a Resolver over s with the given limits, and a
// change feed polling every 200 ms for at most 100 subscribers.
func NewResolver(s kg.Store, limits Limits) *Resolver {
	r := &Resolver{Store: s, Service: &kg.Service{Store: s}, Limits: limits}
	r.feed = NewFeed(200*time.Millisecond, 100, slog.Default())
	return r
}

// loaders returns the request's loaders, or fresh unbatched ones when the
// resolver runs outside the handler (as in a unit test).
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l := For(ctx); l != nil {
		return l
	}
	return NewLoaders(r.Store, r.InOrder, 0)
}
