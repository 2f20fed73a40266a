package embedded

import (
	"context"
	"slices"
	"sync"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

var (
	_ traverse.PathFinder         = (*Store)(nil)
	_ traverse.NeighborhoodFinder = (*Store)(nil)
)

// marks records, per entity number, the distance at which one search
// reached it, packed with an epoch that tells this search's marks from
// older ones (so the array is cleared only when the epoch wraps): one
// memory access per check, which is what a search through hubs costs. They
// are pooled: a path search needs two, and a million entities make one
// 4 MB.
type marks struct {
	epoch uint32
	seen  []uint32 // epoch<<8 | distance
}

var marksPool sync.Pool

func getMarks(n int) *marks {
	m, _ := marksPool.Get().(*marks)
	if m == nil || len(m.seen) < n {
		m = &marks{seen: make([]uint32, n+n/8)}
	}
	m.epoch++
	if m.epoch >= 1<<24 {
		clear(m.seen)
		m.epoch = 1
	}
	return m
}

func (m *marks) has(n uint32) bool       { return m.seen[n]>>8 == m.epoch }
func (m *marks) at(n uint32) int         { return int(m.seen[n] & 0xff) }
func (m *marks) set(n uint32, d int)     { m.seen[n] = m.epoch<<8 | uint32(d) }
func (m *marks) is(n uint32, d int) bool { return m.seen[n] == m.epoch<<8|uint32(d) }
func (m *marks) release()                { marksPool.Put(m) }

func (o *stepRule) allows(g *graph, n uint32) bool {
	return (o.kinds == 0 || o.kinds&(1<<g.kind[n]) != 0) &&
		(o.maxDegree == 0 || len(g.out[n])+len(g.in[n]) <= o.maxDegree) && !o.avoid[n] && o.entEv.admits(n)
}

// restricts reports whether allows may say no.
func (o *stepRule) restricts() bool {
	return o.kinds != 0 || o.maxDegree != 0 || len(o.avoid) > 0 || o.entEv != nil
}

// stepRule is traverse.Options compiled against the index.
type stepRule struct {
	types   relTypeSet
	asOf    int32
	kinds   uint8 // bit per kind index of the nodes a traversal may step onto; 0: all
	out, in bool  // which lists a forward step follows
	// avoid and maxDegree keep a traversal off these entities and off
	// those with more relationships (0: no bound).
	avoid     map[uint32]bool
	maxDegree int
	// relEv and entEv keep a traversal to the relationships and entities
	// that count under traverse.Options.Evidence (nil: all).
	relEv, entEv *citeSet
}

func compileOptions(g *graph, o traverse.Options) stepRule {
	r := stepRule{types: typeMask(o.Types), asOf: day(o.AsOf), out: o.Direction != kg.DirIn, in: o.Direction != kg.DirOut,
		maxDegree: max(o.MaxDegree, 0), relEv: g.relCiters.compile(o.Evidence), entEv: g.entCiters.compile(o.Evidence)}
	for _, id := range o.Avoid {
		if n, ok := g.entityNum(id); ok {
			if r.avoid == nil {
				r.avoid = map[uint32]bool{}
			}
			r.avoid[n] = true
		}
	}
	for _, k := range o.Kinds {
		r.kinds |= 1 << kindIndex(k)
	}
	if len(o.Kinds) > 0 && r.kinds == 0 {
		r.kinds = 1 // only unknown kinds: step onto nothing
	}
	return r
}

// follows reports whether a step may follow relationship rel; it reads
// the relationship's columns only when a filter needs them (each read is a
// likely cache miss on a large graph).
func (o *stepRule) follows(g *graph, rel uint32) bool {
	return (o.types == 0 || o.types.has(g.relType[rel])) && (o.asOf == 0 || g.validOn(rel, o.asOf)) && o.relEv.admits(rel)
}

// each calls visit for every relationship a step from n may follow, in
// the forward direction (or backward, against it); visit returns false
// to stop.
func (o *stepRule) each(g *graph, n uint32, backward bool, visit func(a adj, out bool) bool) {
	out, in := o.out, o.in
	if backward {
		out, in = in, out
	}
	// Without a filter on relationships no column is read (each read is
	// a likely cache miss).
	all := o.types == 0 && o.asOf == 0 && o.relEv == nil
	if out {
		for _, a := range g.out[n] {
			if (all || o.follows(g, a.rel)) && !visit(a, true) {
				return
			}
		}
	}
	if in {
		for _, a := range g.in[n] {
			if (all || o.follows(g, a.rel)) && !visit(a, false) {
				return
			}
		}
	}
}

// ShortestPaths implements traverse.PathFinder with a bidirectional
// breadth-first search on the index: each round expands whole levels from
// the side whose frontier has fewer relationships, until the two meet.
// The paths are then listed as GenericShortestPaths lists them, walking
// back from the end through each node's parents in id order; a node's
// parents are found when the walk first reaches it, so a query for a few
// paths looks only at the nodes on them. Only the paths' relationships'
// documents are read.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.Path, error) {
	s.mu.RLock()
	g := s.g
	f, okF := g.entityNum(from)
	t, okT := g.entityNum(to)
	switch {
	case !okF:
		s.mu.RUnlock()
		return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", from)
	case !okT:
		s.mu.RUnlock()
		return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", to)
	case f == t:
		s.mu.RUnlock()
		return []traverse.Path{{Nodes: []string{from}}}, nil
	}
	rule := compileOptions(g, o)
	fw, bw := getMarks(len(g.kind)), getMarks(len(g.kind))
	defer fw.release()
	defer bw.release()
	d, err := s.meet(ctx, g, f, t, maxHops, rule, fw, bw)
	if err != nil || d.length == 0 {
		s.mu.RUnlock()
		return nil, err
	}
	var paths, nodes [][]uint32
	parents := map[uint32][]adj{}
	var walk func(n uint32, pos int, ns, rs []uint32)
	walk = func(n uint32, pos int, ns, rs []uint32) {
		if limit > 0 && len(paths) >= limit {
			return
		}
		if n == f {
			p, q := slices.Clone(ns), slices.Clone(rs)
			slices.Reverse(p)
			slices.Reverse(q)
			nodes, paths = append(nodes, p), append(paths, q)
			return
		}
		ps := s.parentsOf(g, n, pos, d, rule, fw, bw, parents)
		for _, a := range ps {
			walk(a.other, pos-1, append(ns, a.other), append(rs, a.rel))
		}
	}
	walk(t, d.length, []uint32{t}, nil)
	ids := make([][]string, len(nodes))
	for i, ns := range nodes {
		for _, n := range ns {
			ids[i] = append(ids[i], g.entityID(n))
		}
	}
	s.mu.RUnlock()
	docs, err := s.relsByNum(paths)
	if err != nil {
		return nil, err
	}
	out := make([]traverse.Path, len(paths))
	for i, p := range paths {
		out[i].Nodes = ids[i]
		for _, n := range p {
			out[i].Relationships = append(out[i].Relationships, docs[n])
		}
	}
	return out, nil
}

// relsByNum reads the documents of every relationship in lists.
func (s *Store) relsByNum(lists [][]uint32) (map[uint32]*kg.Relationship, error) {
	var nums []uint32
	for _, l := range lists {
		nums = append(nums, l...)
	}
	slices.Sort(nums)
	nums = slices.Compact(nums)
	docs, err := s.readRelationships(nums)
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]*kg.Relationship, len(nums))
	for i, n := range nums {
		if docs[i] == nil {
			return nil, kg.Errorf(kg.EUnavailable, "the graph changed during the search; try again")
		}
		out[n] = docs[i]
	}
	return out, nil
}

// meeting is where a bidirectional search met: the shortest paths' length,
// and how far each side searched (its marks are exact distances up to
// there).
type meeting struct {
	length, forward, backward int
}

// meet runs the bidirectional search from f and t and returns where the
// two sides met; length 0 if t is not within maxHops.
func (s *Store) meet(ctx context.Context, g *graph, f, t uint32, maxHops int, rule stepRule, fw, bw *marks) (meeting, error) {
	fw.set(f, 0)
	bw.set(t, 0)
	front, back := []uint32{f}, []uint32{t}
	var m meeting
	for m.forward+m.backward < maxHops && len(front) > 0 && len(back) > 0 {
		if err := ctx.Err(); err != nil {
			return meeting{}, err
		}
		forward := g.degreeSum(front) <= g.degreeSum(back)
		var next []uint32
		other := bw
		if forward {
			next = s.expandLevel(g, front, m.forward, rule, fw, false, t)
			m.forward++
			front = next
		} else {
			next = s.expandLevel(g, back, m.backward, rule, bw, true, f)
			m.backward++
			back, other = next, fw
		}
		// The new level's nodes the other side has reached: the shortest
		// paths pass through those closest to the other end.
		best := -1
		for _, n := range next {
			if other.has(n) && (best < 0 || other.at(n) < best) {
				best = other.at(n)
			}
		}
		if best >= 0 {
			if forward {
				m.length = m.forward + best
			} else {
				m.length = m.backward + best
			}
			return m, nil
		}
	}
	return meeting{}, nil
}

func (g *graph) degreeSum(ns []uint32) int {
	sum := 0
	for _, n := range ns {
		sum += len(g.out[n]) + len(g.in[n])
	}
	return sum
}

// expandLevel marks the nodes one step beyond level d of a search and
// returns them. A search may step onto its target (the other search's
// start) whatever its kind.
func (s *Store) expandLevel(g *graph, level []uint32, d int, rule stepRule, m *marks, backward bool, target uint32) []uint32 {
	var next []uint32
	for _, n := range level {
		rule.each(g, n, backward, func(a adj, _ bool) bool {
			if !m.has(a.other) && (a.other == target || rule.allows(g, a.other)) {
				m.set(a.other, d+1)
				next = append(next, a.other)
			}
			return true
		})
	}
	return next
}

// parentsOf returns, in id order, the relationships by which node n, at
// position pos on a shortest path, is reached from a node at position
// pos-1 that is on a shortest path too: GenericShortestPaths' parents.
// Within the forward search's reach, its marks are exact distances from
// the start; beyond it, a node at position p lies at exactly length-p from
// the end by the backward marks, and is on a shortest path if it has
// parents of its own (found the same way, and kept in memo).
func (s *Store) parentsOf(g *graph, n uint32, pos int, d meeting, rule stepRule, fw, bw *marks, memo map[uint32][]adj) []adj {
	if ps, ok := memo[n]; ok {
		return ps
	}
	var ps []adj
	rule.each(g, n, true, func(a adj, _ bool) bool {
		z := a.other
		switch {
		case pos-1 <= d.forward:
			if fw.is(z, pos-1) {
				ps = append(ps, a)
			}
		case bw.is(z, d.length-(pos-1)):
			if len(s.parentsOf(g, z, pos-1, d, rule, fw, bw, memo)) > 0 {
				ps = append(ps, a)
			}
		}
		return true
	})
	var r idRanks
	if len(ps) > 256 {
		r = s.ranks()
	}
	slices.SortFunc(ps, func(a, b adj) int { return g.compareRelIDs(a.rel, b.rel, r) })
	memo[n] = ps
	return ps
}

// Neighborhood implements traverse.NeighborhoodFinder on the index, in
// GenericNeighborhood's order; only the followed relationships' documents
// are read.
func (s *Store) Neighborhood(ctx context.Context, id string, depth int, o traverse.Options, limit int) (*traverse.Subgraph, error) {
	s.mu.RLock()
	g := s.g
	start, ok := g.entityNum(id)
	if !ok {
		s.mu.RUnlock()
		return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", id)
	}
	rule := compileOptions(g, o)
	seen := getMarks(len(g.kind))
	defer seen.release()
	seen.set(start, 0)
	nodes := []uint32{start}
	seenRel := map[uint32]bool{}
	var rels []uint32
	truncated := false
	frontier := []uint32{start}
	for hop := 1; hop <= depth && len(frontier) > 0 && !truncated; hop++ {
		if err := ctx.Err(); err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		var next []uint32
		for _, n := range frontier {
			at := s.adjacency(n)
			for _, a := range at {
				if (a.out && !rule.out) || (!a.out && !rule.in) || !rule.follows(g, a.rel) {
					continue
				}
				if seenRel[a.rel] || (rule.restricts() && !rule.allows(g, a.other)) {
					continue
				}
				if !seen.has(a.other) {
					if limit > 0 && len(nodes) >= limit {
						truncated = true
						continue
					}
					seen.set(a.other, hop)
					nodes = append(nodes, a.other)
					next = append(next, a.other)
				}
				seenRel[a.rel] = true
				rels = append(rels, a.rel)
			}
		}
		frontier = next
	}
	sub := &traverse.Subgraph{Depth: make(map[string]int, len(nodes)), Truncated: truncated}
	for _, n := range nodes {
		id := g.entityID(n)
		sub.Nodes = append(sub.Nodes, id)
		sub.Depth[id] = seen.at(n)
	}
	s.mu.RUnlock()
	docs, err := s.relsByNum([][]uint32{rels})
	if err != nil {
		return nil, err
	}
	for _, n := range rels {
		sub.Relationships = append(sub.Relationships, docs[n])
	}
	return sub, nil
}
