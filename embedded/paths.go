package embedded

import (
	"context"
	"slices"
	"sync"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// The two sides of a bidirectional search: from the start, and back from
// the end.
const (
	fwd = 0
	bwd = 1
)

// maxPathHops bounds a path search: a distance and one are kept in 8 bits.
const maxPathHops = 254

// pathSearch is one bidirectional breadth-first search and the walk that
// lists its paths. Searches are pooled: the marks of a million entities
// take 4 MB, and the levels of a search through a hub hundreds of KB.
type pathSearch struct {
	s    *Store
	g    *graph
	rule *stepRule
	// plain: no option restricts a step, so the loops read nothing but the
	// adjacency lists and the marks (each other read is a likely cache miss).
	plain bool
	limit int // paths wanted; 0: all
	ends  [2]uint32
	// seen holds, per entity number, epoch<<16 | (forward distance+1)<<8 |
	// (backward distance+1), a part 0 when that side has not reached it:
	// one word for both sides, so that a step learns whether its side has
	// been there and whether the other has from one memory access, which is
	// what a search through hubs costs.
	seen  []uint32
	epoch uint32
	// levels[side][d] are the nodes at distance d from that side's end, for
	// d up to radius[side]; the marks of those distances are exact (but see
	// crossing). degs are the levels' degree sums (-1: not yet summed).
	levels [2][][]uint32
	degs   [2][]int
	radius [2]int
	length int // of the shortest paths; 0 when the ends are not connected
	// parents and onPath remember what the walk learnt of the nodes it met.
	parents map[uint32][]adj
	onPath  map[uint32]bool
}

var pathSearches sync.Pool

// newPathSearch returns a search of the store's graph under rule, its
// marks cleared. The caller holds the read lock.
func newPathSearch(s *Store, rule *stepRule, limit int) *pathSearch {
	g := s.g
	ps, _ := pathSearches.Get().(*pathSearch)
	if ps == nil {
		ps = &pathSearch{parents: map[uint32][]adj{}, onPath: map[uint32]bool{}}
	}
	if len(ps.seen) < len(g.kind) {
		ps.seen, ps.epoch = make([]uint32, len(g.kind)+len(g.kind)/8), 0
	}
	ps.epoch++
	if ps.epoch >= 1<<16 {
		clear(ps.seen)
		ps.epoch = 1
	}
	ps.s, ps.g, ps.rule, ps.limit = s, g, rule, limit
	ps.plain = rule.out && rule.in && rule.relFree() && !rule.restricts()
	for side := range 2 {
		ps.levels[side], ps.degs[side] = ps.levels[side][:0], ps.degs[side][:0]
	}
	ps.radius, ps.length = [2]int{}, 0
	if len(ps.parents)+len(ps.onPath) > 4096 {
		ps.parents, ps.onPath = map[uint32][]adj{}, map[uint32]bool{} // clearing costs what the maps once held
	} else {
		clear(ps.parents)
		clear(ps.onPath)
	}
	return ps
}

func (ps *pathSearch) release() {
	ps.s, ps.g, ps.rule = nil, nil, nil
	pathSearches.Put(ps)
}

func shift(side int) uint32 { return 8 - 8*uint32(side) }

// dist returns the distance at which side reached n, -1 if it has not.
func (ps *pathSearch) dist(n uint32, side int) int {
	v := ps.seen[n]
	if v>>16 != ps.epoch {
		return -1
	}
	return int(v>>shift(side)&0xff) - 1
}

func (ps *pathSearch) mark(n uint32, side, d int) {
	v := ps.seen[n]
	if v>>16 != ps.epoch {
		v = ps.epoch << 16
	}
	ps.seen[n] = v | uint32(d+1)<<shift(side)
}

// addLevel starts level d+1 of side in a buffer left by an earlier search.
func (ps *pathSearch) addLevel(side int) []uint32 {
	l := ps.levels[side]
	if len(l) < cap(l) {
		l = l[:len(l)+1]
		l[len(l)-1] = l[len(l)-1][:0]
	} else {
		l = append(l, nil)
	}
	ps.levels[side] = l
	ps.degs[side] = append(ps.degs[side], -1)
	return l[len(l)-1]
}

// degree returns the degree sum of level d of side, the cost of
// expanding it. It only chooses the cheaper of two ways, so over a large
// level it is estimated from a sample of nodes spread along it: summing
// every node's degree would cost as many likely cache misses as the level
// has nodes.
func (ps *pathSearch) degree(side, d int) int {
	if s := ps.degs[side][d]; s >= 0 {
		return s
	}
	g, l := ps.g, ps.levels[side][d]
	step := max(1, len(l)/degreeSample)
	sum, k := 0, 0
	for i := 0; i < len(l); i += step {
		sum += len(g.out[l[i]]) + len(g.in[l[i]])
		k++
	}
	if k > 0 {
		sum = sum * len(l) / k
	}
	ps.degs[side][d] = sum
	return sum
}

const degreeSample = 1024

func (g *graph) degreeSum(ns []uint32) int {
	sum := 0
	for _, n := range ns {
		sum += len(g.out[n]) + len(g.in[n])
	}
	return sum
}

// meet runs the search from both ends, each round expanding a whole level
// of the side whose frontier has fewer relationships, until the two meet
// or maxHops is reached. The first node of a new level that the other
// side has reached settles the length: the sides' earlier levels did not
// meet, so every path is at least as long as the two radii and the new
// step, and that node is at the other side's radius. A round that can be
// the last marks nothing.
func (ps *pathSearch) meet(ctx context.Context, maxHops int) error {
	for side, end := range ps.ends {
		ps.mark(end, side, 0)
		ps.addLevel(side)
		ps.levels[side][0] = append(ps.levels[side][0], end)
	}
	for ps.radius[fwd]+ps.radius[bwd] < maxHops {
		if err := ctx.Err(); err != nil {
			return err
		}
		side := fwd
		if ps.degree(fwd, ps.radius[fwd]) > ps.degree(bwd, ps.radius[bwd]) {
			side = bwd
		}
		last := ps.radius[fwd]+ps.radius[bwd]+1 == maxHops
		n, hit := ps.expand(side, last)
		if hit >= 0 {
			ps.length = ps.radius[fwd] + ps.radius[bwd] + 1
			if ps.radius[bwd] >= 2 {
				ps.crossing(side, hit)
			}
			return nil
		}
		if last || n == 0 {
			return nil
		}
		ps.radius[side]++
	}
	return nil
}

// expand adds level radius+1 of side (unless last: then it only looks
// for the other side) and returns its size; or, when a step reaches a
// node of the other side, the index in the level of the node it left,
// leaving the new level unfinished (and not counted in the radius).
func (ps *pathSearch) expand(side int, last bool) (size, hit int) {
	g := ps.g
	own, other := shift(side), shift(1-side)
	epoch := ps.epoch
	d := ps.radius[side]
	level := ps.levels[side][d]
	next := ps.addLevel(side)
	defer func() { ps.levels[side][d+1] = next }()
	mark := uint32(d+2) << own
	if ps.plain {
		for i, n := range level {
			for _, list := range [2][]adj{g.out[n], g.in[n]} {
				for _, a := range list {
					v := ps.seen[a.other]
					switch {
					case v>>16 != epoch:
						v = epoch << 16
					case v>>other&0xff != 0:
						return 0, i
					case v>>own&0xff != 0:
						continue
					}
					if !last {
						ps.seen[a.other] = v | mark
						next = append(next, a.other)
					}
				}
			}
		}
		return len(next), -1
	}
	// A search may step onto its target (the other side's start) whatever
	// its kind; the other side reached only nodes it may step onto.
	met, target, rule := false, ps.ends[1-side], ps.rule
	for i, n := range level {
		rule.each(g, n, side == bwd, func(a adj, _ bool) bool {
			v := ps.seen[a.other]
			switch {
			case v>>16 != epoch:
				v = epoch << 16
			case v>>other&0xff != 0:
				met = true
				return false
			case v>>own&0xff != 0:
				return true
			}
			if !last && (a.other == target || rule.allows(g, a.other)) {
				ps.seen[a.other] = v | mark
				next = append(next, a.other)
			}
			return true
		})
		if met {
			return 0, i
		}
	}
	return len(next), -1
}

// crossing finishes the round in which the two sides met, from the
// level's node at index hit on, keeping only the nodes where a shortest
// path crosses from the forward side's reach to the backward side's: those
// at distance radius+1 from the start and at the backward radius from the
// end. They become the forward side's next level, so that the walk knows
// every node on a shortest path up to there by its mark, and beyond it
// looks one step back at most. Without them, a node beyond would be known
// on a path only through nodes beyond too, which through a hub means
// looking at the relationships of tens of thousands of nodes; with a
// backward radius below 2 nothing lies beyond.
func (ps *pathSearch) crossing(side, hit int) {
	g, rule := ps.g, ps.rule
	d := ps.radius[fwd]
	level := ps.levels[side][ps.radius[side]][hit:]
	var cross []uint32
	if side == fwd {
		cross = ps.levels[fwd][d+1][:0]
		if ps.plain {
			for _, n := range level {
				for _, a := range g.out[n] {
					cross = ps.cross(a.other, d+1, cross)
				}
				for _, a := range g.in[n] {
					cross = ps.cross(a.other, d+1, cross)
				}
			}
		} else {
			for _, n := range level {
				rule.each(g, n, false, func(a adj, _ bool) bool {
					cross = ps.cross(a.other, d+1, cross)
					return true
				})
			}
		}
		ps.levels[fwd][d+1], ps.degs[fwd][d+1] = cross, -1
	} else {
		// The backward level's nodes one step from the forward side's
		// last level are the crossing (not one step from the crossing
		// itself: two of them may be joined).
		cross = ps.addLevel(fwd)
		for _, n := range level {
			found := false
			rule.each(g, n, true, func(a adj, _ bool) bool {
				found = ps.dist(a.other, fwd) == d
				return !found
			})
			if found {
				ps.mark(n, fwd, d+1)
				cross = append(cross, n)
			}
		}
		ps.levels[fwd][d+1] = cross
	}
	ps.radius[fwd] = d + 1
}

// cross adds n to the crossing at distance d from the start if the
// backward side has reached it and it is not there yet.
func (ps *pathSearch) cross(n uint32, d int, cross []uint32) []uint32 {
	if v := ps.seen[n]; v>>16 == ps.epoch && v&0xff != 0 && v>>8&0xff == 0 {
		ps.seen[n] = v | uint32(d+1)<<8
		cross = append(cross, n)
	}
	return cross
}

// position returns where the nodes at position pos of a shortest path
// are known: within the forward side's radius, at distance pos from the
// start (every such node ends a shortest path from the start; at the
// crossing, the radius's last level, only those on a shortest path to the
// end are sure to be marked); beyond it, at distance length-pos from the
// end (and such a node is on a shortest path only if it has parents of its
// own).
func (ps *pathSearch) position(pos int) (side, d int) {
	if pos <= ps.radius[fwd] {
		return fwd, pos
	}
	return bwd, ps.length - pos
}

// parentsOf returns, in id order, the relationships by which node n, at
// position pos on a shortest path, is reached from a node at position
// pos-1 that is on a shortest path too: GenericShortestPaths' parents, at
// most as many as the paths wanted (the walk follows no more, since each
// parent leads to a path). The candidates come from n's relationships or
// from those of the nodes at pos-1, whichever are fewer: a path through a
// hub asks for the hub's parents.
func (ps *pathSearch) parentsOf(n uint32, pos int) []adj {
	if p, ok := ps.parents[n]; ok {
		return p
	}
	g, rule := ps.g, ps.rule
	side, d := ps.position(pos - 1)
	var cands []adj
	if ps.degree(side, d) < len(g.out[n])+len(g.in[n]) {
		for _, z := range ps.levels[side][d] {
			rule.each(g, z, false, func(a adj, _ bool) bool {
				if a.other == n {
					cands = append(cands, adj{z, a.rel})
				}
				return true
			})
		}
	} else {
		rule.each(g, n, true, func(a adj, _ bool) bool {
			if ps.dist(a.other, side) == d {
				cands = append(cands, a)
			}
			return true
		})
	}
	var r idRanks
	if len(cands) > 256 {
		r = ps.s.ranks()
	}
	less := func(a, b adj) int { return g.compareRelIDs(a.rel, b.rel, r) }
	var out []adj
	if side == fwd {
		out = leastRels(cands, ps.limit, less)
	} else {
		slices.SortFunc(cands, less)
		for _, a := range cands {
			if ps.limit > 0 && len(out) == ps.limit {
				break
			}
			if ps.reachable(a.other, pos-1) {
				out = append(out, a)
			}
		}
	}
	ps.parents[n] = out
	return out
}

// reachable reports whether node n, at position pos and beyond the forward
// side's radius, is on a shortest path from the start: whether some
// relationship reaches it from one that is. It stops at the first.
func (ps *pathSearch) reachable(n uint32, pos int) bool {
	if p, ok := ps.parents[n]; ok {
		return len(p) > 0
	}
	if ok, known := ps.onPath[n]; known {
		return ok
	}
	side, d := ps.position(pos - 1)
	found := false
	ps.rule.each(ps.g, n, true, func(a adj, _ bool) bool {
		found = ps.dist(a.other, side) == d && (side == fwd || ps.reachable(a.other, pos-1))
		return !found
	})
	ps.onPath[n] = found
	return found
}

// leastRels returns the k least of xs in order (all when k is 0),
// selecting them rather than sorting all when there are many more.
func leastRels(xs []adj, k int, cmp func(a, b adj) int) []adj {
	if k <= 0 || len(xs) <= 4*k {
		slices.SortFunc(xs, cmp)
		if k > 0 && len(xs) > k {
			return xs[:k]
		}
		return xs
	}
	best := make([]adj, 0, k)
	for _, x := range xs {
		if len(best) == k && cmp(x, best[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, x, cmp)
		if len(best) == k {
			best = best[:k-1]
		}
		best = slices.Insert(best, i, x)
	}
	return best
}

// lockPathEnds takes the read lock and returns the numbers of the
// entities a path joins. It releases the lock again when there is nothing
// to search: if either entity does not exist (ENotFound), or they are the
// same (f == t).
func (s *Store) lockPathEnds(from, to string) (f, t uint32, err error) {
	s.mu.RLock()
	f, okF := s.g.entityNum(from)
	t, okT := s.g.entityNum(to)
	switch {
	case !okF:
		err = kg.Errorf(kg.ENotFound, "entity %q does not exist", from)
	case !okT:
		err = kg.Errorf(kg.ENotFound, "entity %q does not exist", to)
	}
	if err != nil || f == t {
		s.mu.RUnlock()
	}
	return f, t, err
}

// ShortestPaths implements traverse.PathFinder with a bidirectional
// breadth-first search on the index (pathSearch.meet). The paths are then
// listed as GenericShortestPaths lists them, walking back from the end
// through each node's parents in id order; a node's parents are found
// when the walk first reaches it, so a query for a few paths looks only at
// the nodes on them. Only the paths' relationships' documents are read.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.Path, error) {
	f, t, err := s.lockPathEnds(from, to)
	switch {
	case err != nil:
		return nil, err
	case f == t:
		return []traverse.Path{{Nodes: []string{from}}}, nil
	}
	g := s.g
	rule := compileOptions(g, o)
	ps := newPathSearch(s, &rule, max(limit, 0))
	defer ps.release()
	ps.ends = [2]uint32{f, t}
	if err := ps.meet(ctx, min(maxHops, maxPathHops)); err != nil || ps.length == 0 {
		s.mu.RUnlock()
		return nil, err
	}
	var paths, nodes [][]uint32
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
		for _, a := range ps.parentsOf(n, pos) {
			walk(a.other, pos-1, append(ns, a.other), append(rs, a.rel))
		}
	}
	walk(t, ps.length, []uint32{t}, nil)
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
