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
// reached it; an epoch tells this search's marks from older ones, so the
// arrays are cleared only when the epoch wraps. They are pooled: one
// search needs two, and a million entities make them 5 MB each.
type marks struct {
	epoch uint32
	seen  []uint32
	dist  []uint8
}

var marksPool sync.Pool

func getMarks(n int) *marks {
	m, _ := marksPool.Get().(*marks)
	if m == nil || len(m.seen) < n {
		m = &marks{seen: make([]uint32, n+n/8), dist: make([]uint8, n+n/8)}
	}
	m.epoch++
	if m.epoch == 0 {
		clear(m.seen)
		m.epoch = 1
	}
	return m
}

func (m *marks) has(n uint32) bool       { return m.seen[n] == m.epoch }
func (m *marks) at(n uint32) int         { return int(m.dist[n]) }
func (m *marks) set(n uint32, d int)     { m.seen[n], m.dist[n] = m.epoch, uint8(d) }
func (m *marks) is(n uint32, d int) bool { return m.seen[n] == m.epoch && int(m.dist[n]) == d }
func (m *marks) release()                { marksPool.Put(m) }
func (o stepRule) allows(g *graph, n uint32) bool {
	return o.kinds == 0 || o.kinds&(1<<g.kind[n]) != 0
}

// stepRule is traverse.Options compiled against the index.
type stepRule struct {
	types   relTypeSet
	asOf    int32
	kinds   uint8 // bit per kind index of the nodes a traversal may step onto; 0: all
	out, in bool  // which lists a forward step follows
}

func compileOptions(o traverse.Options) stepRule {
	r := stepRule{types: typeMask(o.Types), asOf: day(o.AsOf), out: o.Direction != kg.DirIn, in: o.Direction != kg.DirOut}
	for _, k := range o.Kinds {
		r.kinds |= 1 << kindIndex(k)
	}
	if len(o.Kinds) > 0 && r.kinds == 0 {
		r.kinds = 1 // only unknown kinds: step onto nothing
	}
	return r
}

func (o stepRule) follows(g *graph, rel uint32) bool {
	return o.types.has(g.relType[rel]) && g.validOn(rel, o.asOf)
}

// each calls visit for every relationship a step from n may follow, in
// the forward direction (or backward, against it); visit returns false
// to stop.
func (o stepRule) each(g *graph, n uint32, backward bool, visit func(a adj, out bool) bool) {
	out, in := o.out, o.in
	if backward {
		out, in = in, out
	}
	if out {
		for _, a := range g.out[n] {
			if o.follows(g, a.rel) && !visit(a, true) {
				return
			}
		}
	}
	if in {
		for _, a := range g.in[n] {
			if o.follows(g, a.rel) && !visit(a, false) {
				return
			}
		}
	}
}

// ShortestPaths implements traverse.PathFinder with a bidirectional
// breadth-first search on the index: each round expands whole levels from
// the side whose frontier has fewer relationships, until the two meet.
// From the meeting level it rebuilds the relationships by which
// GenericShortestPaths would reach each node of a shortest path, and lists
// the paths the same way; only their relationships' documents are read.
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
	rule := compileOptions(o)
	fw, bw := getMarks(len(g.kind)), getMarks(len(g.kind))
	defer fw.release()
	defer bw.release()
	parents, err := s.shortestDAG(ctx, g, f, t, maxHops, rule, fw, bw)
	if err != nil || parents == nil {
		s.mu.RUnlock()
		return nil, err
	}
	var r idRanks
	if len(parents) > 256 {
		r = s.ranks()
	}
	var paths [][]uint32 // relationship numbers, from the start
	var nodes [][]uint32
	var walk func(n uint32, ns, rs []uint32)
	walk = func(n uint32, ns, rs []uint32) {
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
		ps := parents[n]
		slices.SortFunc(ps, func(a, b adj) int { return g.compareRelIDs(a.rel, b.rel, r) })
		for _, a := range ps {
			walk(a.other, append(ns, a.other), append(rs, a.rel))
		}
	}
	walk(t, []uint32{t}, nil)
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

// shortestDAG finds the length of the shortest paths from f to t and
// returns, for every node on one of them but f, the relationships from the
// previous position on a shortest path (as adj entries whose other end is
// that previous node): GenericShortestPaths' parents, restricted to the
// nodes its unwinding visits. It returns nil if t is not within maxHops.
func (s *Store) shortestDAG(ctx context.Context, g *graph, f, t uint32, maxHops int, rule stepRule, fw, bw *marks) (map[uint32][]adj, error) {
	fw.set(f, 0)
	bw.set(t, 0)
	front, back := []uint32{f}, []uint32{t}
	df, db := 0, 0
	var meet []uint32
	length := 0
	for df+db < maxHops && len(front) > 0 && len(back) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		forward := g.degreeSum(front) <= g.degreeSum(back)
		var next []uint32
		if forward {
			next = s.expandLevel(g, front, df, rule, fw, false, t)
			df++
			front = next
		} else {
			next = s.expandLevel(g, back, db, rule, bw, true, f)
			db++
			back = next
		}
		// The nodes of the new level the other side has reached: the
		// shortest paths pass through those with the least total distance.
		best := -1
		meet = meet[:0]
		other := bw
		if !forward {
			other = fw
		}
		for _, n := range next {
			if !other.has(n) {
				continue
			}
			d := other.at(n)
			switch {
			case best < 0 || d < best:
				best, meet = d, append(meet[:0], n)
			case d == best:
				meet = append(meet, n)
			}
		}
		if best >= 0 {
			if forward {
				length = df + best
			} else {
				length = db + best
			}
			// meet is the level at position df (forward) or length-db.
			pos := df
			if !forward {
				pos = length - db
			}
			return s.rebuild(g, f, t, length, pos, meet, rule, fw, bw), nil
		}
	}
	return nil, nil
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

// rebuild returns the parents of every node on a shortest path of the
// given length. meet holds the nodes at position pos (from f) on such
// paths; before them the forward marks are exact distances from f; after
// them, a node at position j is on a shortest path if the backward marks
// put it at length-j from t and a node at j-1 on a path steps onto it.
func (s *Store) rebuild(g *graph, f, t uint32, length, pos int, meet []uint32, rule stepRule, fw, bw *marks) map[uint32][]adj {
	parents := map[uint32][]adj{}
	// Back from the meeting level to f, through the forward marks.
	level := meet
	for p := pos; p > 0; p-- {
		var prev []uint32
		for _, n := range level {
			rule.each(g, n, true, func(a adj, _ bool) bool {
				if fw.is(a.other, p-1) {
					if _, listed := parents[a.other]; !listed && a.other != f {
						parents[a.other] = []adj{}
						prev = append(prev, a.other)
					}
					parents[n] = append(parents[n], a)
				}
				return true
			})
		}
		level = prev
	}
	// On from the meeting level to t, through the backward marks.
	level = meet
	for p := pos + 1; p <= length; p++ {
		var next []uint32
		onPath := map[uint32]bool{}
		for _, n := range level {
			onPath[n] = true
		}
		for _, n := range level {
			rule.each(g, n, false, func(a adj, _ bool) bool {
				y := a.other
				if !bw.is(y, length-p) || (y != t && !rule.allows(g, y)) {
					return true
				}
				if _, listed := parents[y]; !listed {
					next = append(next, y)
				}
				parents[y] = append(parents[y], adj{n, a.rel})
				return true
			})
		}
		level = next
	}
	return parents
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
	rule := compileOptions(o)
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
				if seenRel[a.rel] || (rule.kinds != 0 && !rule.allows(g, a.other)) {
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
