package graph

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vikstrous/dataloadgen"
	"github.com/vjkg/vjkg/kg"
)

// Loaders batch the store calls of one request: every Load made while
// resolving one level of a query is collected and sent to the store as one
// call, so a query with N parents and their children costs one store call
// per level, not one per parent.
type Loaders struct {
	Entities      *dataloadgen.Loader[string, *kg.Entity]
	Sources       *dataloadgen.Loader[string, *kg.Source]
	Relationships *dataloadgen.Loader[RelKey, []*kg.Relationship]
}

// RelKey asks for one entity's relationships of some types, in one
// direction, valid on one day. Types is the sorted, comma-joined list of
// types ("" for all), so that the key is comparable.
type RelKey struct {
	ID        string
	Types     string
	Direction kg.Direction
	AsOf      string
}

// NewRelKey builds a RelKey with types in canonical order.
func NewRelKey(id string, types []kg.RelType, dir kg.Direction, asOf string) RelKey {
	ts := make([]string, len(types))
	for i, t := range types {
		ts[i] = string(t)
	}
	slices.Sort(ts)
	if dir == "" {
		dir = kg.DirBoth
	}
	return RelKey{ID: id, Types: strings.Join(slices.Compact(ts), ","), Direction: dir, AsOf: asOf}
}

func (k RelKey) types() []kg.RelType {
	if k.Types == "" {
		return nil
	}
	var out []kg.RelType
	for _, t := range strings.Split(k.Types, ",") {
		out = append(out, kg.RelType(t))
	}
	return out
}

// matcher returns a function that reports whether a relationship answers
// key k; the key's types are parsed once, not once per relationship.
func (k RelKey) matcher() func(*kg.Relationship) bool {
	types := k.types()
	return func(r *kg.Relationship) bool {
		switch {
		case k.Direction == kg.DirOut && r.From != k.ID:
			return false
		case k.Direction == kg.DirIn && r.To != k.ID:
			return false
		case r.From != k.ID && r.To != k.ID:
			return false
		case len(types) > 0 && !slices.Contains(types, r.Type):
			return false
		}
		return r.ValidOn(k.AsOf)
	}
}

// NewLoaders returns fresh loaders on s; wait is how long a loader collects
// keys before it calls the store.
func NewLoaders(s kg.Store, wait time.Duration) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait), dataloadgen.WithBatchCapacity(1000)}
	return &Loaders{
		Entities: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*kg.Entity, []error) {
			found, err := s.GetEntities(ctx, ids)
			return inOrder(ids, found, err, func(e *kg.Entity) string { return e.ID })
		}, opts...),
		Sources: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*kg.Source, []error) {
			found, err := s.GetSources(ctx, ids)
			return inOrder(ids, found, err, func(src *kg.Source) string { return src.ID })
		}, opts...),
		Relationships: dataloadgen.NewLoader(func(ctx context.Context, keys []RelKey) ([][]*kg.Relationship, []error) {
			return expandKeys(ctx, s, keys)
		}, opts...),
	}
}

// inOrder lines found up with ids: a nil value (and no error) where an id
// was not found, since a missing entity is an answer, not a failure.
func inOrder[T any](ids []string, found []*T, err error, id func(*T) string) ([]*T, []error) {
	out := make([]*T, len(ids))
	if err != nil {
		errs := make([]error, len(ids))
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	byID := make(map[string]*T, len(found))
	for _, x := range found {
		byID[id(x)] = x
	}
	for i, k := range ids {
		out[i] = byID[k]
	}
	return out, nil
}

// expandKeys answers many RelKeys with one Expand call: it asks for the
// union of their types in both directions (and on their common day, if they
// share one), then hands each key the relationships it wants.
func expandKeys(ctx context.Context, s kg.Store, keys []RelKey) ([][]*kg.Relationship, []error) {
	q := kg.ExpandQuery{Direction: kg.DirBoth, AsOf: keys[0].AsOf}
	allTypes := false
	typeSet := map[kg.RelType]bool{}
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k.ID] {
			seen[k.ID] = true
			q.IDs = append(q.IDs, k.ID)
		}
		if k.AsOf != q.AsOf {
			q.AsOf = "" // mixed days: fetch all and filter below
		}
		if k.Types == "" {
			allTypes = true
		}
		for _, t := range k.types() {
			typeSet[t] = true
		}
	}
	if !allTypes {
		for t := range typeSet {
			q.Types = append(q.Types, t)
		}
		slices.Sort(q.Types)
	}
	rels, err := s.Expand(ctx, q)
	out := make([][]*kg.Relationship, len(keys))
	if err != nil {
		errs := make([]error, len(keys))
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	// Index the answer by entity, so each key looks only at its own.
	byID := map[string][]*kg.Relationship{}
	for _, r := range rels {
		byID[r.From] = append(byID[r.From], r)
		if r.To != r.From {
			byID[r.To] = append(byID[r.To], r)
		}
	}
	for i, k := range keys {
		wants := k.matcher()
		for _, r := range byID[k.ID] {
			if wants(r) {
				out[i] = append(out[i], r)
			}
		}
	}
	return out, nil
}

type loadersKey struct{}

// WithLoaders returns middleware that gives each request its own loaders,
// so that nothing cached outlives the request.
func WithLoaders(s kg.Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s, wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	return l
}
