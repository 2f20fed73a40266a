package storetest

import (
	"context"
	"sync"
	"time"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// Counting wraps a real store and counts the calls made to it, so that tests
// can show how many round trips an operation costs. It forwards every call
// unchanged.
type Counting struct {
	kg.Store
	mu    sync.Mutex
	calls map[string]int
}

// NewCounting wraps s.
func NewCounting(s kg.Store) *Counting { return &Counting{Store: s, calls: map[string]int{}} }

func (c *Counting) count(method string) {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
}

// Calls returns the number of calls per method since the last Reset.
func (c *Counting) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

// Total returns the number of calls of all methods since the last Reset.
func (c *Counting) Total() int {
	n := 0
	for _, v := range c.Calls() {
		n += v
	}
	return n
}

// Reset sets every count to zero.
func (c *Counting) Reset() {
	c.mu.Lock()
	c.calls = map[string]int{}
	c.mu.Unlock()
}

// GetEntities counts and forwards.
func (c *Counting) GetEntities(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	c.count("GetEntities")
	return c.Store.GetEntities(ctx, ids)
}

// FindEntities counts and forwards.
func (c *Counting) FindEntities(ctx context.Context, f kg.EntityFilter) ([]*kg.Entity, int, error) {
	c.count("FindEntities")
	return c.Store.FindEntities(ctx, f)
}

// GetRelationships counts and forwards.
func (c *Counting) GetRelationships(ctx context.Context, ids []string) ([]*kg.Relationship, error) {
	c.count("GetRelationships")
	return c.Store.GetRelationships(ctx, ids)
}

// Expand counts and forwards.
func (c *Counting) Expand(ctx context.Context, q kg.ExpandQuery) ([]*kg.Relationship, error) {
	c.count("Expand")
	return c.Store.Expand(ctx, q)
}

// FindRelationships counts and forwards.
func (c *Counting) FindRelationships(ctx context.Context, f kg.RelationshipFilter) ([]*kg.Relationship, int, error) {
	c.count("FindRelationships")
	return c.Store.FindRelationships(ctx, f)
}

// GetSources counts and forwards.
func (c *Counting) GetSources(ctx context.Context, ids []string) ([]*kg.Source, error) {
	c.count("GetSources")
	return c.Store.GetSources(ctx, ids)
}

// FindSources counts and forwards.
func (c *Counting) FindSources(ctx context.Context, offset, limit int) ([]*kg.Source, int, error) {
	c.count("FindSources")
	return c.Store.FindSources(ctx, offset, limit)
}

// Apply counts and forwards.
func (c *Counting) Apply(ctx context.Context, b *kg.Batch) error {
	c.count("Apply")
	return c.Store.Apply(ctx, b)
}

// PageRelationships counts and forwards, to the store's own pager when it
// has one.
func (c *Counting) PageRelationships(ctx context.Context, qs []kg.RelPageQuery) ([]kg.RelPage, error) {
	c.count("PageRelationships")
	return kg.PageRelationships(ctx, c.Store, qs)
}

// ShortestPaths counts and forwards, to the store's own path finder when it
// has one (so that tests through the counter exercise it), else to the
// search over Expand through the counter, whose Expand calls count too.
func (c *Counting) ShortestPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.Path, error) {
	c.count("ShortestPaths")
	if f, ok := c.Store.(traverse.PathFinder); ok {
		return f.ShortestPaths(ctx, from, to, maxHops, o, limit)
	}
	return traverse.GenericShortestPaths(ctx, c, from, to, maxHops, o, limit)
}

// Neighborhood counts and forwards, to the store's own when it has one,
// else to the traversal over Expand through the counter.
func (c *Counting) Neighborhood(ctx context.Context, id string, depth int, o traverse.Options, limit int) (*traverse.Subgraph, error) {
	c.count("Neighborhood")
	if f, ok := c.Store.(traverse.NeighborhoodFinder); ok {
		return f.Neighborhood(ctx, id, depth, o, limit)
	}
	return traverse.GenericNeighborhood(ctx, c, id, depth, o, limit)
}

// EntityOutlines counts and forwards, to the store's own when it has one,
// else to GetEntities, keeping the outlines.
func (c *Counting) EntityOutlines(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	c.count("EntityOutlines")
	if o, ok := c.Store.(kg.EntityOutliner); ok {
		return o.EntityOutlines(ctx, ids)
	}
	found, err := c.Store.GetEntities(ctx, ids)
	out := make([]*kg.Entity, len(found))
	for i, e := range found {
		out[i] = &kg.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name}
	}
	return out, err
}

// Search counts and forwards, to the store's own search index when it has
// one, else to the search over FindEntities through the counter.
func (c *Counting) Search(ctx context.Context, q kg.SearchQuery, kinds []kg.Kind, limit int) ([]kg.SearchHit, error) {
	c.count("Search")
	if x, ok := c.Store.(kg.Searcher); ok {
		return x.Search(ctx, q, kinds, limit)
	}
	return kg.GenericSearch(ctx, c, q, kinds, limit)
}

// FindMatching counts and forwards, to the store's own matcher when it has
// one, else to the evaluation over FindEntities and Expand through the
// counter.
func (c *Counting) FindMatching(ctx context.Context, f kg.EntityFilter, m *kg.Match) ([]*kg.Entity, int, error) {
	c.count("FindMatching")
	if x, ok := c.Store.(kg.Matcher); ok {
		return x.FindMatching(ctx, f, m)
	}
	return kg.GenericFindMatching(ctx, c, f, m)
}

// Facets counts and forwards, as FindMatching does.
func (c *Counting) Facets(ctx context.Context, f kg.EntityFilter, m *kg.Match, fields []kg.FacetField) (kg.EntityFacets, error) {
	c.count("Facets")
	if x, ok := c.Store.(kg.Faceter); ok {
		return x.Facets(ctx, f, m, fields)
	}
	return kg.GenericFacets(ctx, c, f, m, fields)
}

// RelationshipFacets counts and forwards, as FindMatching does.
func (c *Counting) RelationshipFacets(ctx context.Context, q kg.RelFacetQuery) (kg.RelFacets, error) {
	c.count("RelationshipFacets")
	if x, ok := c.Store.(kg.RelFaceter); ok {
		return x.RelationshipFacets(ctx, q)
	}
	return kg.GenericRelationshipFacets(ctx, c, q)
}

// Stats counts and forwards, as FindMatching does.
func (c *Counting) Stats(ctx context.Context) (kg.Stats, error) {
	c.count("Stats")
	if x, ok := c.Store.(kg.StatsReader); ok {
		return x.Stats(ctx)
	}
	return kg.GenericStats(ctx, c)
}

// Degrees counts and forwards, as FindMatching does.
func (c *Counting) Degrees(ctx context.Context, ids []string) ([]int, error) {
	c.count("Degrees")
	if x, ok := c.Store.(kg.DegreeCounter); ok {
		return x.Degrees(ctx, ids)
	}
	return kg.GenericDegrees(ctx, c, ids)
}

// RankedPaths counts and forwards, as FindMatching does.
func (c *Counting) RankedPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.ScoredPath, error) {
	c.count("RankedPaths")
	if x, ok := c.Store.(traverse.PathRanker); ok {
		return x.RankedPaths(ctx, from, to, maxHops, o, limit)
	}
	return traverse.GenericRankedPaths(ctx, c, from, to, maxHops, o, limit)
}

// The history passes through uncounted: it is not a read of the graph.

func (c *Counting) history() (kg.History, error) {
	h, ok := c.Store.(kg.History)
	if !ok {
		return nil, kg.Errorf(kg.EUnavailable, "this store keeps no history")
	}
	return h, nil
}

// Changes implements kg.History.
func (c *Counting) Changes(ctx context.Context, q kg.ChangeQuery) (kg.ChangePage, error) {
	h, err := c.history()
	if err != nil {
		return kg.ChangePage{}, err
	}
	return h.Changes(ctx, q)
}

// Revision implements kg.History.
func (c *Counting) Revision(ctx context.Context, seq int64) (*kg.Revision, error) {
	h, err := c.history()
	if err != nil {
		return nil, err
	}
	return h.Revision(ctx, seq)
}

// LastPosition implements kg.History.
func (c *Counting) LastPosition(ctx context.Context) (int64, error) {
	h, err := c.history()
	if err != nil {
		return 0, err
	}
	return h.LastPosition(ctx)
}

// CompactHistory implements kg.History.
func (c *Counting) CompactHistory(ctx context.Context, before time.Time) (int, error) {
	h, err := c.history()
	if err != nil {
		return 0, err
	}
	return h.CompactHistory(ctx, before)
}
