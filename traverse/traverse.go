// Package traverse holds the graph algorithms the API offers — shortest
// paths and neighbourhoods — written once on top of kg.Store's batched
// Expand, so that every backend answers them the same way. Each hop costs
// one Expand call for the whole frontier, never one per node.
package traverse

import (
	"context"
	"slices"
	"sort"

	"github.com/vjkg/vjkg/kg"
)

// Options restrict a traversal.
type Options struct {
	Types     []kg.RelType // relationship types to follow; all when empty
	Kinds     []kg.Kind    // kinds of entity to step onto (the start and end are always allowed); all when empty
	AsOf      string       // follow only relationships valid on this day (YYYY-MM-DD); any time when empty
	Direction kg.Direction // relative to the start; both ways when empty
	// Avoid lists entities not to step onto (the target of a path search
	// excepted): a path that explains a link should not pass through the
	// entity the analyst already knows is everywhere.
	Avoid []string
	// MaxDegree, when above 0, keeps a traversal off every entity with more
	// relationships than that (kg.Degrees: of any type, at any time), the
	// target of a path search excepted: the hubs, such as a country, through
	// which almost every locality is two hops from every other.
	MaxDegree int
	// Evidence, when not nil, makes the traversal follow only the
	// relationships that count under it and step only onto the entities
	// that count (the start, and a path's target, excepted): the answer
	// "according to the articles only" (kg.SourceSet).
	Evidence *kg.SourceSet
	// Outline says the caller needs no more of the relationships found
	// than their ids, types and ends (with the ends' kinds): a store may
	// then leave out the rest of each record rather than read it.
	Outline bool
}

// hubs returns which of ids a traversal may not step onto: those with
// more than MaxDegree relationships (none when MaxDegree is 0), in one
// store call, and those that do not count under Evidence, in one more.
func (o Options) hubs(ctx context.Context, s kg.Store, ids []string) (map[string]bool, error) {
	if o.Evidence == nil || len(ids) == 0 {
		return o.degreeHubs(ctx, s, ids)
	}
	admitted, err := kg.Admitted(ctx, s, ids, o.Evidence)
	if err != nil {
		return nil, err
	}
	out, err := o.degreeHubs(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = map[string]bool{}
	}
	for _, id := range ids {
		if !admitted[id] {
			out[id] = true
		}
	}
	return out, nil
}

// degreeHubs returns which of ids have more than MaxDegree relationships
// (none when MaxDegree is 0), in one store call.
func (o Options) degreeHubs(ctx context.Context, s kg.Store, ids []string) (map[string]bool, error) {
	if o.MaxDegree <= 0 || len(ids) == 0 {
		return nil, nil
	}
	degrees, err := kg.Degrees(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for i, d := range degrees {
		if d > o.MaxDegree {
			out[ids[i]] = true
		}
	}
	return out, nil
}

func (o Options) query(ids []string) kg.ExpandQuery {
	return kg.ExpandQuery{IDs: ids, Types: o.Types, Direction: o.Direction, AsOf: o.AsOf, Evidence: o.Evidence}
}

// kindOf returns the kind of the end of r that is not id.
func kindOf(r *kg.Relationship, id string) kg.Kind {
	if r.From == id {
		return r.ToKind
	}
	return r.FromKind
}

// step reports whether a traversal at node may follow r, and to where. In a
// directed traversal, r must leave node (OUT) or enter it (IN).
func (o Options) step(node string, r *kg.Relationship, target string) (string, bool) {
	switch {
	case o.Direction == kg.DirOut && r.From != node:
		return "", false
	case o.Direction == kg.DirIn && r.To != node:
		return "", false
	}
	next := r.Other(node)
	if next == node {
		return "", false
	}
	if next != target && ((len(o.Kinds) > 0 && !slices.Contains(o.Kinds, kindOf(r, node))) || slices.Contains(o.Avoid, next)) {
		return "", false
	}
	return next, true
}

// Path is a walk between two entities: Nodes[i] and Nodes[i+1] are joined by
// Relationships[i], in either direction.
type Path struct {
	Nodes         []string
	Relationships []*kg.Relationship
}

// PathFinder is implemented by stores that find shortest paths themselves
// (an in-memory index, Cypher's shortestPath), faster than a breadth-first
// search over Expand. Their answers must equal GenericShortestPaths', path
// for path and in the same order; the conformance suite checks it.
type PathFinder interface {
	ShortestPaths(ctx context.Context, from, to string, maxHops int, o Options, limit int) ([]Path, error)
}

// NeighborhoodFinder is implemented by stores that collect neighbourhoods
// themselves; their answers must equal GenericNeighborhood's.
type NeighborhoodFinder interface {
	Neighborhood(ctx context.Context, id string, depth int, o Options, limit int) (*Subgraph, error)
}

// ShortestPaths returns the shortest paths from one entity to another of at
// most maxHops relationships, at most limit of them (0: all), in a stable
// order: by the ids of their relationships read from the end back to the
// start. It returns ENotFound if either entity does not exist, and no paths
// (not an error) if they are not connected within maxHops. The store's own
// PathFinder answers when it has one.
func ShortestPaths(ctx context.Context, s kg.Store, from, to string, maxHops int, o Options, limit int) ([]Path, error) {
	if f, ok := s.(PathFinder); ok {
		return f.ShortestPaths(ctx, from, to, maxHops, o, limit)
	}
	return GenericShortestPaths(ctx, s, from, to, maxHops, o, limit)
}

// GenericShortestPaths is ShortestPaths by breadth-first search over
// Expand, one call per hop: the reference every PathFinder must agree with.
func GenericShortestPaths(ctx context.Context, s kg.Store, from, to string, maxHops int, o Options, limit int) ([]Path, error) {
	if err := mustExist(ctx, s, from, to); err != nil {
		return nil, err
	}
	if from == to {
		return []Path{{Nodes: []string{from}}}, nil
	}
	// parents[n] lists every relationship by which n is reached on a shortest
	// path from `from`; levels grow one Expand call at a time.
	parents := map[string][]*kg.Relationship{from: nil}
	frontier := []string{from}
	for hop := 1; hop <= maxHops && len(frontier) > 0; hop++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rels, err := s.Expand(ctx, o.query(frontier))
		if err != nil {
			return nil, err
		}
		inFrontier := setOf(frontier)
		next := map[string][]*kg.Relationship{}
		for _, r := range rels {
			for _, node := range []string{r.From, r.To} {
				if !inFrontier[node] {
					continue
				}
				other, ok := o.step(node, r, to)
				if !ok {
					continue
				}
				if _, seen := parents[other]; seen {
					continue
				}
				next[other] = append(next[other], r)
			}
		}
		hubs, err := o.hubs(ctx, s, nonTarget(next, to))
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for n, rs := range next {
			if hubs[n] {
				parents[n] = nil // never stepped onto; and never asked about again
				continue
			}
			parents[n] = rs
			frontier = append(frontier, n)
		}
		sort.Strings(frontier)
		if _, found := next[to]; found {
			return unwind(parents, from, to, limit), nil
		}
	}
	return nil, nil
}

// unwind enumerates the shortest paths recorded in parents, walking back
// from `to`, in the order of relationship ids.
func unwind(parents map[string][]*kg.Relationship, from, to string, limit int) []Path {
	var out []Path
	var walk func(node string, nodes []string, rels []*kg.Relationship)
	walk = func(node string, nodes []string, rels []*kg.Relationship) {
		if limit > 0 && len(out) >= limit {
			return
		}
		if node == from {
			p := Path{Nodes: slices.Clone(nodes), Relationships: slices.Clone(rels)}
			slices.Reverse(p.Nodes)
			slices.Reverse(p.Relationships)
			out = append(out, p)
			return
		}
		ps := slices.Clone(parents[node])
		sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
		for _, r := range ps {
			prev := r.Other(node)
			walk(prev, append(nodes, prev), append(rels, r))
		}
	}
	walk(to, []string{to}, nil)
	return out
}

func mustExist(ctx context.Context, s kg.Store, ids ...string) error {
	found, err := s.GetEntities(ctx, ids)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range found {
		have[e.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			return kg.Errorf(kg.ENotFound, "entity %q does not exist", id)
		}
	}
	return nil
}

// Subgraph is a set of entities and the relationships between them that a
// traversal followed, ready for a graph view.
type Subgraph struct {
	Nodes         []string       // in the order they were reached: the start first
	Depth         map[string]int // hops from the start
	Relationships []*kg.Relationship
	Truncated     bool // the node limit cut the traversal short
}

// Neighborhood returns the entities within depth hops of id, and the
// relationships followed to reach them, keeping at most limit nodes (0: no
// limit). Each hop looks at the nodes reached by the previous one in the
// order they were reached, and at each node's relationships in
// kg.AdjacencyLess order; a relationship between two nodes already kept is
// kept too, until the limit cuts the traversal short. It returns ENotFound
// if id does not exist. The store's own NeighborhoodFinder answers when it
// has one.
func Neighborhood(ctx context.Context, s kg.Store, id string, depth int, o Options, limit int) (*Subgraph, error) {
	if f, ok := s.(NeighborhoodFinder); ok {
		return f.Neighborhood(ctx, id, depth, o, limit)
	}
	return GenericNeighborhood(ctx, s, id, depth, o, limit)
}

// GenericNeighborhood is Neighborhood over Expand, one call per hop: the
// reference every NeighborhoodFinder must agree with.
func GenericNeighborhood(ctx context.Context, s kg.Store, id string, depth int, o Options, limit int) (*Subgraph, error) {
	if err := mustExist(ctx, s, id); err != nil {
		return nil, err
	}
	g := &Subgraph{Nodes: []string{id}, Depth: map[string]int{id: 0}}
	seenRel := map[string]bool{}
	frontier := []string{id}
	for hop := 1; hop <= depth && len(frontier) > 0 && !g.Truncated; hop++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rels, err := s.Expand(ctx, o.query(frontier))
		if err != nil {
			return nil, err
		}
		inFrontier := setOf(frontier)
		at := map[string][]*kg.Relationship{}
		others := map[string]bool{}
		for _, r := range rels {
			for _, node := range []string{r.From, r.To} {
				if inFrontier[node] && (node == r.From || r.From != r.To) {
					at[node] = append(at[node], r)
					others[r.Other(node)] = true
				}
			}
		}
		hubs, err := o.hubs(ctx, s, nonTarget(others, ""))
		if err != nil {
			return nil, err
		}
		var next []string
		for _, node := range frontier {
			rs := at[node]
			sort.Slice(rs, func(i, j int) bool { return kg.AdjacencyLess(node, rs[i], rs[j]) })
			for _, r := range rs {
				if seenRel[r.ID] {
					continue
				}
				other, ok := o.step(node, r, "")
				if !ok || hubs[other] {
					continue
				}
				if _, seen := g.Depth[other]; !seen {
					if limit > 0 && len(g.Nodes) >= limit {
						g.Truncated = true
						continue
					}
					g.Depth[other] = hop
					g.Nodes = append(g.Nodes, other)
					next = append(next, other)
				}
				seenRel[r.ID] = true
				g.Relationships = append(g.Relationships, r)
			}
		}
		frontier = next
	}
	return g, nil
}

// nonTarget returns the keys of next other than target, sorted.
func nonTarget[V any](next map[string]V, target string) []string {
	out := make([]string, 0, len(next))
	for n := range next {
		if n != target {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func setOf(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}
