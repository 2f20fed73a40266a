package graph

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// sourceSets remembers, for one request, the sources of each list of
// source types asked about, so that a query that asks "according to the
// articles" in many places reads the sources once.
type sourceSets struct {
	mu   sync.Mutex
	sets map[string]*kg.SourceSet
}

// evidence returns the set of the sources of these types (nil for none:
// every source counts), read once per request.
func (r *Resolver) evidence(ctx context.Context, types []model.SourceType) (*kg.SourceSet, error) {
	if len(types) == 0 {
		return nil, nil
	}
	names := stringsOf(types)
	slices.Sort(names)
	names = slices.Compact(names)
	key := strings.Join(names, ",")
	memo := &r.loaders(ctx).sourceSets
	memo.mu.Lock()
	defer memo.mu.Unlock()
	if set, ok := memo.sets[key]; ok {
		return set, nil
	}
	set, err := kg.SourcesOfTypes(ctx, r.Store, names)
	if err != nil {
		return nil, err
	}
	if memo.sets == nil {
		memo.sets = map[string]*kg.SourceSet{}
	}
	memo.sets[key] = set
	return set, nil
}
