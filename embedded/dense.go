package embedded

import (
	"context"
	"math/bits"

	"github.com/vjkg/vjkg/kg"
)

// densePage pages a filter that keeps a large share of the graph (a kind
// and a country: a sixth of it; dates; a name filter of a letter or two)
// without gathering and ranking its matches: one pass over the candidates
// counts them, then the asked order is walked from its start (or end),
// keeping matches until the page is full: a few entries per match, where
// ranking every match would allocate for each. The pass marks the matches
// in a bit set, from which a sparse filter's are ranked. A name filter of
// one or two bytes (no trigram to look up) tests the names in that pass.
// ok is false for a filter of another shape. The caller holds the read
// lock.
func (s *Store) densePage(ctx context.Context, f *kg.EntityFilter, m *entityMatcher) (page []uint32, total int, ok bool) {
	const dense = 64       // a filter keeping 1/64 of the graph or more
	const deepest = 10_000 // offsets beyond which walking costs more than ranking
	g := s.g
	q := []byte(kg.Compact(f.Text))
	text := len(q) > 0
	if len(f.IDs) > 0 || f.CitesSource != "" || (text && (f.WholeName || len(q) >= 3)) {
		return nil, 0, false
	}
	size := 0
	for _, l := range m.candidates {
		size += len(l)
	}
	if !text && (f.Limit <= 0 || f.Offset > deepest || (m.candidates != nil && size*dense < g.liveEntities)) {
		return nil, 0, false
	}
	in := newBitset(len(g.kind)) // the matches: an entity may be in two candidate lists
	keep := func(n uint32) {
		if !in.has(n) && m.match(g, n) && (!text || g.namesHold(n, q, false)) {
			in.set(n)
			total++
		}
	}
	if m.candidates == nil {
		for n := range uint32(len(g.kind)) {
			if n&0xffff == 0 && ctx.Err() != nil {
				return nil, 0, true
			}
			keep(n)
		}
	} else {
		for _, l := range m.candidates {
			if ctx.Err() != nil {
				return nil, 0, true
			}
			for _, n := range l {
				keep(n)
			}
		}
	}
	want := total
	if f.Limit > 0 {
		want = min(total, f.Offset+f.Limit)
	}
	if f.CountOnly || f.Offset >= want {
		return nil, total, true
	}
	if f.Limit <= 0 || f.Offset > deepest || total*dense < g.liveEntities {
		matches := make([]uint32, 0, total)
		in.each(func(n uint32) { matches = append(matches, n) })
		page, _, _ = s.pageOf(ctx, f, matches)
		return page, total, true
	}
	page = make([]uint32, 0, want-f.Offset)
	seen := 0
	s.walkOrder(f.Order, func(n uint32) bool {
		if in.has(n) {
			if seen >= f.Offset {
				page = append(page, n)
			}
			seen++
		}
		return seen < want
	})
	return page, total, true
}

// walkOrder visits every live entity in the order, until visit returns
// false. Descending, groups of equal keys come in reverse, each in its own
// (ascending by id) order, as pageOf ranks them. The caller holds the read
// lock.
func (s *Store) walkOrder(by kg.EntityOrder, visit func(n uint32) bool) {
	o := s.orders.byField[by.Field]
	if o == nil {
		o = s.orders.byField[kg.OrderByID]
	}
	_, group := o.ready(s.g)
	o.mu.Lock()
	sorted := o.sorted
	o.mu.Unlock()
	if !by.Desc {
		for _, n := range sorted {
			if !visit(n) {
				return
			}
		}
		return
	}
	for i := len(sorted); i > 0; {
		start := int(group[i-1])
		for _, n := range sorted[start:i] {
			if !visit(n) {
				return
			}
		}
		i = start
	}
}

// each calls f with the members of b, ascending.
func (b bitset) each(f func(n uint32)) {
	for i, w := range b {
		for w != 0 {
			f(uint32(i*64 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}
