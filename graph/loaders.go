package graph

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vjkg/vjkg/kg"
)

// Loaders batch and cache the store calls of one request, so that a query
// with N parents and their children costs one store call per level, not
// one per parent: concurrently, every Load made while one level resolves is
// gathered into one call; in order, the cohorts ask for a level's keys in
// one LoadAll (cohort.go).
type Loaders struct {
	Entities      *loader[string, *kg.Entity]
	Sources       *loader[string, *kg.Source]
	Relationships *loader[RelKey, kg.RelPage]
	// Around holds every relationship of an entity, for what needs them
	// all (provenance): one Expand for the entities of a level.
	Around *loader[string, []*kg.Relationship]
	// cohorts resolve a field for all parents at a place at once, when
	// the resolver runs in order.
	cohorts *cohorts
	// sourceSets are the sources of the source types the request asks
	// about (Resolver.evidence).
	sourceSets sourceSets
}

// RelKey asks for one page of one entity's relationships (see
// kg.RelPageQuery) in a comparable form: Types and Kinds are sorted and
// comma-joined ("" for all). Limit 0 asks for the count only.
type RelKey struct {
	ID            string
	Types         string
	Direction     kg.Direction
	AsOf          string
	Kinds         string
	Evidence      string // kg.SourceSet.Key
	Offset, Limit int
}

// NewRelKey builds a RelKey with types and kinds in canonical order.
func NewRelKey(id string, types []kg.RelType, dir kg.Direction, asOf string, kinds []kg.Kind, ev *kg.SourceSet, offset, limit int) RelKey {
	if dir == "" {
		dir = kg.DirBoth
	}
	return RelKey{ID: id, Types: joinSorted(types), Direction: dir, AsOf: asOf, Kinds: joinSorted(kinds), Evidence: ev.Key(),
		Offset: offset, Limit: limit}
}

func joinSorted[T ~string](xs []T) string {
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	slices.Sort(ss)
	return strings.Join(slices.Compact(ss), ",")
}

func splitList[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	var out []T
	for _, x := range strings.Split(s, ",") {
		out = append(out, T(x))
	}
	return out
}

func (k RelKey) query() kg.RelPageQuery {
	return kg.RelPageQuery{ID: k.ID, Types: splitList[kg.RelType](k.Types), Direction: k.Direction, AsOf: k.AsOf,
		OtherKinds: splitList[kg.Kind](k.Kinds), Evidence: kg.SourceSetOfKey(k.Evidence), Offset: k.Offset, Limit: k.Limit}
}

// sameQuery reports whether a and b differ at most in id and window.
func sameQuery(a, b RelKey) bool {
	a.ID, a.Offset, a.Limit = b.ID, b.Offset, b.Limit
	return a == b
}

// NewLoaders returns fresh loaders on s; wait is how long a loader collects
// keys before it calls the store, and in order they fetch at once instead
// (see loader).
func NewLoaders(s kg.Store, inOrder bool, wait time.Duration) *Loaders {
	return &Loaders{
		cohorts: newCohorts(),
		Entities: newLoader(inOrder, wait, func(ctx context.Context, ids []string) ([]*kg.Entity, []error) {
			found, err := s.GetEntities(ctx, ids)
			return byIDs(ids, found, err, func(e *kg.Entity) string { return e.ID })
		}),
		Sources: newLoader(inOrder, wait, func(ctx context.Context, ids []string) ([]*kg.Source, []error) {
			found, err := s.GetSources(ctx, ids)
			return byIDs(ids, found, err, func(src *kg.Source) string { return src.ID })
		}),
		Relationships: newLoader(inOrder, wait, func(ctx context.Context, keys []RelKey) ([]kg.RelPage, []error) {
			qs := make([]kg.RelPageQuery, len(keys))
			for i, k := range keys {
				if i > 0 && sameQuery(k, keys[i-1]) {
					// A level's keys differ only in id and window:
					// their lists are split once.
					qs[i] = qs[i-1]
					qs[i].ID, qs[i].Offset, qs[i].Limit = k.ID, k.Offset, k.Limit
					continue
				}
				qs[i] = k.query()
			}
			pages, err := kg.PageRelationships(ctx, s, qs)
			if err != nil {
				return make([]kg.RelPage, len(keys)), failAll(len(keys), err)
			}
			return pages, nil
		}),
		Around: newLoader(inOrder, wait, func(ctx context.Context, ids []string) ([][]*kg.Relationship, []error) {
			out := make([][]*kg.Relationship, len(ids))
			rels, err := s.Expand(ctx, kg.ExpandQuery{IDs: ids})
			if err != nil {
				return out, failAll(len(ids), err)
			}
			at := make(map[string]int, len(ids))
			for i, id := range ids {
				at[id] = i
			}
			for _, r := range rels {
				for _, end := range []string{r.From, r.To} {
					if i, ok := at[end]; ok && (end == r.From || r.To != r.From) {
						out[i] = append(out[i], r)
					}
				}
			}
			return out, nil
		}),
	}
}

// failAll is the same error for each of n keys.
func failAll(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// byIDs lines found up with ids: a nil value (and no error) where an id
// was not found, since a missing entity is an answer, not a failure.
func byIDs[T any](ids []string, found []*T, err error, id func(*T) string) ([]*T, []error) {
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

type loadersKey struct{}

// WithLoaders returns middleware that gives each request its own loaders,
// so that nothing cached outlives the request.
func WithLoaders(s kg.Store, inOrder bool, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s, inOrder, wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	return l
}
