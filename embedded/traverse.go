package embedded

import (
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

func (m *marks) has(n uint32) bool   { return m.seen[n]>>8 == m.epoch }
func (m *marks) at(n uint32) int     { return int(m.seen[n] & 0xff) }
func (m *marks) set(n uint32, d int) { m.seen[n] = m.epoch<<8 | uint32(d) }
func (m *marks) release()            { marksPool.Put(m) }

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

// relFree reports whether a step may follow every relationship.
func (o *stepRule) relFree() bool { return o.types == 0 && o.asOf == 0 && o.relEv == nil }

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
	all := o.relFree()
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

// expandLevel marks the nodes one step beyond level d of a search and
// returns them. A search may step onto its target whatever its kind.
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
