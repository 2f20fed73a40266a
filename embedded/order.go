package embedded

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vjkg/vjkg/kg"
)

// order keeps every live entity (or relationship) sorted one way, with
// each one's rank in that order, so that a list query sorts only the
// numbers it matched, by rank. It is built on first use and then kept up to
// date by merging in what was written since (sorting only that), not by
// sorting everything again after each write.
type order struct {
	field kg.OrderField // for entities; orderArrowID and orderRelID are internal

	mu      sync.Mutex
	built   bool
	sorted  []uint32 // entity numbers, ascending
	rank    []uint32 // rank[n]: n's position in sorted
	group   []uint32 // group[i]: the first position holding the same key as sorted[i]
	pending []uint32 // entities written since the last merge (and, if deleted, to drop)
	// cellPos[c]: the positions in sorted of cell c's entities (nil: not
	// built since sorted last changed); see cellPositions.
	cellPos [][]uint32
	// published is rank while the order is up to date, nil while it is not
	// (current), read without mu: building or merging holds mu for up to
	// 1.9 s at 1 M entities, and a search asking whether the ranks are
	// current must not wait for them.
	published atomic.Pointer[[]uint32]
}

// The internal orders: entities by id+"->" (how a relationship id orders
// by its start), and relationships by id.
const (
	orderArrowID kg.OrderField = "id->"
	orderRelID   kg.OrderField = "rel-id"
)

// orders are the orders of lists, by field, and of relationships.
type orders struct {
	byField map[kg.OrderField]*order
	rels    *order
}

func newOrders() orders {
	o := orders{byField: map[kg.OrderField]*order{}, rels: &order{field: orderRelID}}
	for _, f := range []kg.OrderField{kg.OrderByName, kg.OrderByStart, kg.OrderByID, orderArrowID} {
		o.byField[f] = &order{field: f}
	}
	return o
}

// touched tells every entity order that entity n was written or deleted.
// The caller holds the store's write lock.
func (os orders) touched(n uint32) {
	for _, o := range os.byField {
		o.touched(n)
	}
}

func (o *order) touched(n uint32) {
	o.mu.Lock()
	if o.built {
		o.pending = append(o.pending, n)
		o.published.Store(nil)
	}
	o.mu.Unlock()
}

// compare orders a and b by the field, then by id.
func (o *order) compare(g *graph, a, b uint32) int {
	switch o.field {
	case orderRelID:
		return strings.Compare(g.relID(a), g.relID(b)) // the store sorts with ranks instead (relOrder)
	case orderArrowID:
		return compareArrow(g.entityID(a), g.entityID(b))
	case kg.OrderByName:
		if c := strings.Compare(g.sortName(a), g.sortName(b)); c != 0 {
			return c
		}
	case kg.OrderByStart:
		sa, sb := g.start[a], g.start[b]
		if (sa == 0) != (sb == 0) { // unknown starts sort last, as nulls do in Cypher
			if sa == 0 {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(sa, sb); c != 0 {
			return c
		}
	}
	return strings.Compare(g.entityID(a), g.entityID(b))
}

// sameKey reports whether a and b tie on the field (before the id).
func (o *order) sameKey(g *graph, a, b uint32) bool {
	switch o.field {
	case kg.OrderByName:
		return g.sortName(a) == g.sortName(b)
	case kg.OrderByStart:
		return g.start[a] == g.start[b]
	}
	return a == b
}

func (o *order) live(g *graph, n uint32) bool {
	if o.field == orderRelID {
		return g.liveRel(n)
	}
	return g.live(n)
}

func (o *order) size(g *graph) int {
	if o.field == orderRelID {
		return len(g.relType)
	}
	return len(g.kind)
}

// current returns the ranks if the order is up to date, without bringing
// it there (after a write, merging costs a sort of what was written and a
// pass over every entity: 160 ms at 1 M).
func (o *order) current() (rank []uint32, ok bool) {
	if p := o.published.Load(); p != nil {
		return *p, true
	}
	return nil, false
}

// ready brings the order up to date with g and returns its ranks and
// groups. The caller holds the store's read lock, so g does not change
// meanwhile.
func (o *order) ready(g *graph) (rank, group []uint32) {
	return o.readyWith(g, func(a, b uint32) int { return o.compare(g, a, b) })
}

// readyWith is ready with the comparison to sort by.
func (o *order) readyWith(g *graph, compare func(a, b uint32) int) (rank, group []uint32) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case !o.built:
		o.sorted = make([]uint32, 0, o.size(g))
		for n := range o.size(g) {
			if o.live(g, uint32(n)) {
				o.sorted = append(o.sorted, uint32(n))
			}
		}
		slices.SortFunc(o.sorted, compare)
		o.built = true
	case len(o.pending) > 0:
		o.merge(g, compare)
	default:
		return o.rank, o.group
	}
	o.cellPos = nil
	o.rank = make([]uint32, o.size(g))
	o.group = make([]uint32, len(o.sorted))
	for i, n := range o.sorted {
		o.rank[n] = uint32(i)
		if i > 0 && o.sameKey(g, o.sorted[i-1], n) {
			o.group[i] = o.group[i-1]
		} else {
			o.group[i] = uint32(i)
		}
	}
	ranks := o.rank // a new slice each time: a published one never changes
	o.published.Store(&ranks)
	return o.rank, o.group
}

// merge drops the pending entities from sorted and merges back those that
// live, sorted among themselves first.
func (o *order) merge(g *graph, compare func(a, b uint32) int) {
	slices.Sort(o.pending)
	fresh := slices.Compact(o.pending)
	kept := make([]uint32, 0, len(o.sorted)+len(fresh))
	for _, n := range o.sorted {
		if _, pending := slices.BinarySearch(fresh, n); !pending {
			kept = append(kept, n)
		}
	}
	add := fresh[:0]
	for _, n := range fresh {
		if o.live(g, n) {
			add = append(add, n)
		}
	}
	slices.SortFunc(add, compare)
	merged := make([]uint32, 0, len(kept)+len(add))
	i := 0
	for _, n := range add {
		// Copy the run of kept entities that come before n in one go.
		j := i + sort.Search(len(kept)-i, func(k int) bool { return compare(kept[i+k], n) > 0 })
		merged = append(merged, kept[i:j]...)
		merged = append(merged, n)
		i = j
	}
	o.sorted = append(merged, kept[i:]...)
	o.pending = nil
}

// sortName is what name order compares: the primary name, folded.
func (g *graph) sortName(n uint32) string {
	if g.nameCount[n] == 0 {
		return ""
	}
	return g.names.folded(g.nameFirst[n])
}

// compareArrow compares a+"->" with b+"->" without building them: that is
// how two relationship ids compare by their start (entity ids hold no '>').
func compareArrow(a, b string) int {
	n := min(len(a), len(b))
	if c := strings.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	at := func(s string, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return "->"[i-len(s)]
	}
	la, lb := len(a)+2, len(b)+2
	for i := n; i < min(la, lb); i++ {
		if x, y := at(a, i), at(b, i); x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(la, lb)
}
