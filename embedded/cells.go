package embedded

import (
	"sort"

	"github.com/vjkg/vjkg/kg"
)

// cells count the live entities of each (kind, type, country), the values a
// plain list filter asks for, so that its totalCount is a sum over a few
// cells instead of a pass over the candidates. They are updated with the
// rest of the index after each commit and rebuilt from the records on open,
// so they are as crash-safe as the records.
type cells struct {
	codes map[uint64]uint32 // cellKey → cell
	keys  []uint64          // cell → cellKey
	live  []int             // cell → live entities in it
}

func cellKey(kind uint8, typ, country uint16) uint64 {
	return uint64(kind)<<32 | uint64(typ)<<16 | uint64(country)
}

// code returns the cell of a key, adding it if new.
func (c *cells) code(key uint64) uint32 {
	if i, ok := c.codes[key]; ok {
		return i
	}
	if c.codes == nil {
		c.codes = map[uint64]uint32{}
	}
	i := uint32(len(c.keys))
	c.codes[key] = i
	c.keys = append(c.keys, key)
	c.live = append(c.live, 0)
	return i
}

// matching returns the cells a plain filter keeps, and how many live
// entities they hold.
func (c *cells) matching(m *entityMatcher) (which []uint32, total int) {
	for i, key := range c.keys {
		if c.live[i] == 0 {
			continue
		}
		kind, typ, country := uint8(key>>32), uint16(key>>16), uint16(key)
		if (m.kinds != 0 && m.kinds&(1<<kind) == 0) ||
			(m.types != nil && (int(typ) >= len(m.types) || !m.types[typ])) ||
			(m.countries != nil && (int(country) >= len(m.countries) || !m.countries[country])) {
			continue
		}
		which = append(which, uint32(i))
		total += c.live[i]
	}
	return which, total
}

// plain reports whether a filter asks only for kinds, types and countries
// (what cells tell), in ascending order.
func plain(f *kg.EntityFilter, m *entityMatcher) bool {
	return !f.Order.Desc && len(f.IDs) == 0 && f.Needle() == "" && f.CitesSource == "" && !m.ranged && m.ev == nil &&
		(m.kinds != 0 || m.types != nil || m.countries != nil)
}

// cellPage answers a plain filter without a pass over its matches: the total
// from the cells' counts, the page from the asked order's positions of each
// cell's entities (cellPositions). ok is false for a filter that is not
// plain. The caller holds the read lock.
func (s *Store) cellPage(f *kg.EntityFilter, m *entityMatcher) (page []uint32, total int, ok bool) {
	if !plain(f, m) {
		return nil, 0, false
	}
	g := s.g
	which, total := g.cells.matching(m)
	want := total
	if f.Limit > 0 {
		want = min(total, f.Offset+f.Limit)
	}
	if f.CountOnly || f.Offset >= want {
		return nil, total, true
	}
	o := s.orders.byField[f.Order.Field]
	if o == nil {
		o = s.orders.byField[kg.OrderByID]
	}
	sorted, positions := o.cellPositions(g)
	var lists [][]uint32
	for _, c := range which {
		if int(c) < len(positions) && len(positions[c]) > 0 {
			lists = append(lists, positions[c])
		}
	}
	return mergePage(lists, sorted, f.Offset, want-f.Offset), total, true
}

// mergePage returns the entities at the positions offset to offset+n of the
// union of lists (ascending positions in sorted, disjoint). The first
// position of the page is found by bisecting on positions, counting with
// binary searches, so a deep offset costs no more than a shallow one.
func mergePage(lists [][]uint32, sorted []uint32, offset, n int) []uint32 {
	heads := make([]int, len(lists))
	if offset > 0 {
		// The smallest position p with offset entries of the union below it.
		below := func(p uint32) int {
			k := 0
			for _, l := range lists {
				k += sort.Search(len(l), func(i int) bool { return l[i] >= p })
			}
			return k
		}
		p := uint32(sort.Search(len(sorted), func(p int) bool { return below(uint32(p)+1) > offset }))
		for i, l := range lists {
			heads[i] = sort.Search(len(l), func(j int) bool { return l[j] >= p })
		}
	}
	page := make([]uint32, 0, n)
	for len(page) < n {
		best := -1
		for i, l := range lists {
			if heads[i] < len(l) && (best < 0 || l[heads[i]] < lists[best][heads[best]]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		page = append(page, sorted[lists[best][heads[best]]])
		heads[best]++
	}
	return page
}

// cellPositions returns the order's sorted entities and, for each cell, the
// positions in it of the cell's entities, ascending; built when first asked
// after the order changed. The caller holds the store's read lock.
func (o *order) cellPositions(g *graph) (sorted []uint32, positions [][]uint32) {
	o.ready(g)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cellPos == nil {
		sizes := make([]int, len(g.cells.keys))
		for _, n := range o.sorted {
			sizes[g.cell[n]]++
		}
		all := make([]uint32, len(o.sorted))
		o.cellPos = make([][]uint32, len(sizes))
		off := 0
		for c, k := range sizes {
			o.cellPos[c] = all[off : off : off+k]
			off += k
		}
		for i, n := range o.sorted {
			c := g.cell[n]
			o.cellPos[c] = append(o.cellPos[c], uint32(i))
		}
	}
	return o.sorted, o.cellPos
}
