package embedded

import (
	"context"
	"slices"
	"sync"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// neighborhood is one Neighborhood traversal. Once it holds limit nodes
// it keeps only relationships between them, but must still look at every
// relationship of the nodes it steps from, in order: through a hub, tens
// of thousands of candidates for a hundred nodes. Small bit sets of the
// nodes and relationships kept answer most of those "not kept" from the
// first-level cache; the marks and the map say for sure. Scratch space is
// pooled.
type neighborhood struct {
	s         *Store
	g         *graph
	rule      *stepRule
	plain     bool // as pathSearch.plain
	limit     int
	keptDeg   int // the degree sum of the nodes kept once the limit is reached; -1: not summed
	seen      *marks
	nodes     []uint32
	rels      []uint32
	relSeen   map[uint32]bool
	nodeBits  bitFilter
	relBits   bitFilter
	buf       []adjEntry // a small node's relationships, when not cached sorted
	truncated bool
}

// bitFilter is a one-hash Bloom filter of record numbers: 64 Kbit, 8 KB.
type bitFilter [1024]uint64

func filterSlot(n uint32) uint32 { return (n * 0x9E3779B1) >> 16 }

func (f *bitFilter) add(n uint32) { i := filterSlot(n); f[i>>6] |= 1 << (i & 63) }

// may reports whether n may have been added; false is sure.
func (f *bitFilter) may(n uint32) bool { i := filterSlot(n); return f[i>>6]&(1<<(i&63)) != 0 }

var neighborhoods sync.Pool

func newNeighborhood(s *Store, rule *stepRule, limit int) *neighborhood {
	nb, _ := neighborhoods.Get().(*neighborhood)
	if nb == nil {
		nb = &neighborhood{relSeen: map[uint32]bool{}}
	}
	nb.s, nb.g, nb.rule, nb.limit, nb.keptDeg = s, s.g, rule, limit, -1
	nb.plain = rule.out && rule.in && rule.relFree() && !rule.restricts()
	nb.seen = getMarks(len(s.g.kind))
	nb.nodes, nb.rels, nb.truncated = nb.nodes[:0], nb.rels[:0], false
	if len(nb.relSeen) > 4096 {
		nb.relSeen = map[uint32]bool{} // clearing costs what the map once held
	} else {
		clear(nb.relSeen)
	}
	clear(nb.nodeBits[:])
	clear(nb.relBits[:])
	return nb
}

func (nb *neighborhood) release() {
	nb.seen.release()
	nb.s, nb.g, nb.rule, nb.seen = nil, nil, nil, nil
	neighborhoods.Put(nb)
}

func (nb *neighborhood) keep(n uint32, hop int) {
	nb.seen.set(n, hop)
	nb.nodeBits.add(n)
	nb.nodes = append(nb.nodes, n)
}

func (nb *neighborhood) kept(n uint32) bool { return nb.nodeBits.may(n) && nb.seen.has(n) }

func (nb *neighborhood) relKept(r uint32) bool { return nb.relBits.may(r) && nb.relSeen[r] }

func (nb *neighborhood) keepRel(r uint32) {
	nb.relSeen[r] = true
	nb.relBits.add(r)
	nb.rels = append(nb.rels, r)
}

func (nb *neighborhood) full() bool { return nb.limit > 0 && len(nb.nodes) >= nb.limit }

// step follows the relationships of n, reached hop-1 steps from the start,
// in kg.AdjacencyLess order, and appends the nodes it newly keeps to next.
func (nb *neighborhood) step(n uint32, hop int, next []uint32) []uint32 {
	g, rule := nb.g, nb.rule
	if nb.full() {
		deg := len(g.out[n]) + len(g.in[n])
		if nb.keptDeg < 0 {
			nb.keptDeg = g.degreeSum(nb.nodes)
		}
		switch {
		case nb.keptDeg-deg < deg && g.loops == 0 && (nb.plain || nb.truncated):
			nb.stepToKept(n)
			return next
		case deg < minSortedDegree:
			nb.stepFull(n)
			return next
		}
	}
	restricts := rule.restricts()
	for _, a := range nb.s.adjacencyInto(n, &nb.buf) {
		if (a.out && !rule.out) || (!a.out && !rule.in) || !rule.follows(g, a.rel) {
			continue
		}
		if nb.relKept(a.rel) || (restricts && !rule.allows(g, a.other)) {
			continue
		}
		if !nb.kept(a.other) {
			if nb.full() {
				nb.truncated = true
				continue
			}
			nb.keep(a.other, hop)
			next = append(next, a.other)
		}
		nb.keepRel(a.rel)
	}
	return next
}

// stepFull is step once the limit is reached, for a node whose list is not
// kept sorted: it picks the relationships to nodes already kept, and sorts
// only those.
func (nb *neighborhood) stepFull(n uint32) {
	g, rule := nb.g, nb.rule
	restricts := rule.restricts()
	cands := nb.buf[:0]
	for _, dir := range [2]bool{true, false} {
		list := g.out[n]
		if !dir {
			list = g.in[n]
		}
		if (dir && !rule.out) || (!dir && !rule.in) {
			continue
		}
		for _, a := range list {
			if !rule.follows(g, a.rel) || (restricts && !rule.allows(g, a.other)) {
				continue
			}
			if !nb.kept(a.other) {
				nb.truncated = true
				continue
			}
			cands = append(cands, adjEntry{a, dir})
		}
	}
	nb.keepSorted(cands)
}

// stepToKept is step once the limit is reached, for a node with more
// relationships than all the other nodes kept: it finds the relationships
// between them from the other nodes' side (so only while no relationship
// joins an entity to itself, which only n's own lists show). Whether
// n has others, which truncate the traversal, it can tell only when no
// option restricts a step (by their number); otherwise it is called only
// once truncated.
func (nb *neighborhood) stepToKept(n uint32) {
	g, rule := nb.g, nb.rule
	cands := nb.buf[:0]
	for _, k := range nb.nodes {
		if k == n {
			continue
		}
		// A relationship k→n leaves n against its direction, n→k along it.
		for _, a := range g.out[k] {
			if a.other == n && rule.in && rule.follows(g, a.rel) {
				cands = append(cands, adjEntry{adj{k, a.rel}, false})
			}
		}
		for _, a := range g.in[k] {
			if a.other == n && rule.out && rule.follows(g, a.rel) {
				cands = append(cands, adjEntry{adj{k, a.rel}, true})
			}
		}
	}
	if rule.restricts() {
		cands = slices.DeleteFunc(cands, func(a adjEntry) bool { return !rule.allows(g, a.other) })
	}
	if len(cands) < len(g.out[n])+len(g.in[n]) && nb.plain {
		nb.truncated = true
	}
	nb.keepSorted(cands)
}

// keepSorted keeps, in kg.AdjacencyLess order, the relationships of cands
// not kept yet; cands is scratch space.
func (nb *neighborhood) keepSorted(cands []adjEntry) {
	var r idRanks
	if len(cands) > 64 {
		r = nb.s.ranks()
	}
	slices.SortFunc(cands, nb.g.adjacencyCompare(r))
	for _, a := range cands {
		if !nb.relKept(a.rel) {
			nb.keepRel(a.rel)
		}
	}
	nb.buf = cands
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
	nb := newNeighborhood(s, &rule, limit)
	defer nb.release()
	nb.keep(start, 0)
	frontier := []uint32{start}
	for hop := 1; hop <= depth && len(frontier) > 0 && !nb.truncated; hop++ {
		if err := ctx.Err(); err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		var next []uint32
		for _, n := range frontier {
			next = nb.step(n, hop, next)
		}
		frontier = next
	}
	sub := &traverse.Subgraph{Depth: make(map[string]int, len(nb.nodes)), Truncated: nb.truncated}
	for _, n := range nb.nodes {
		id := g.entityID(n)
		sub.Nodes = append(sub.Nodes, id)
		sub.Depth[id] = nb.seen.at(n)
	}
	if o.Outline {
		// The outlines in one allocation, not one each.
		outlines := make([]kg.Relationship, len(nb.rels))
		sub.Relationships = make([]*kg.Relationship, len(nb.rels))
		for i, n := range nb.rels {
			g.outlineInto(&outlines[i], n)
			sub.Relationships[i] = &outlines[i]
		}
		s.mu.RUnlock()
		return sub, nil
	}
	rels := slices.Clone(nb.rels)
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
