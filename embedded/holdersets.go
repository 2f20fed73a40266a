package embedded

import (
	"sync"
)

// A search term of few letters begins a word of hundreds of thousands of
// names ("co": 587,000 names at 1 M entities, "bi": 329,000), and a search
// marked them all in a bit set each time it met the term: 1.2–1.5 ms, half
// of a search for "Bí thư" or "co-organiser". Such sets depend only on the
// term and the names, so they are kept (as a search engine keeps the
// filters of its common clauses) until the next write of an entity's names.

// holderSets keeps the bit sets of the terms of many names, built while
// the names were at generation gen (graph.namesGen).
type holderSets struct {
	mu   sync.Mutex
	gen  uint64
	sets map[holderKey]*bitset
}

// A holderKey names a kept set: of the entities holding term w in a
// current name, or, byName, of the names holding it (current or not).
type holderKey struct {
	w      string
	byName bool
}

// holderSetsKept is how many sets are kept at most: 128 KB each at 1 M
// entities (names' sets about 300 KB), 20 MB at the very most.
const holderSetsKept = 64

// holderListsKept is how many names a term's lists must hold for its set to
// be kept: marking fewer costs less than the set's memory is worth.
var holderListsKept = 1 << 15

// get returns the set kept for k at generation gen, or nil.
func (h *holderSets) get(k holderKey, gen uint64) *bitset {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return nil
	}
	return h.sets[k]
}

// put keeps b for k at generation gen, forgetting every set of an earlier
// generation and, when full, one other. A forgotten set is left to the
// collector, never given back to the pool: a search that took it before a
// write may still read it (ThroughHits reads its ends' sets across the
// lock).
func (h *holderSets) put(k holderKey, gen uint64, b *bitset) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sets == nil || h.gen != gen {
		h.sets, h.gen = make(map[holderKey]*bitset), gen
	}
	if len(h.sets) >= holderSetsKept {
		for old := range h.sets {
			delete(h.sets, old)
			break
		}
	}
	h.sets[k] = b
}

// nameHolders returns the set of the entities with a current name among
// wn's that has a word starting with its term, and whether it is kept for
// other searches (then it must not be changed nor given back; otherwise the
// caller gives it back with putBits). The caller holds the read lock.
func (s *Store) nameHolders(wn wordNames) (b *bitset, kept bool) {
	g := s.g
	if wn.size() < holderListsKept {
		b = getBits(len(g.kind))
		s.markNameHolders(wn, b)
		return b, false
	}
	k := holderKey{w: wn.w}
	if b = s.holders.get(k, g.namesGen); b != nil {
		return b, true
	}
	set := newBitset(len(g.kind))
	s.markNameHolders(wn, &set)
	s.holders.put(k, g.namesGen, &set)
	return &set, true
}

// orNameHolders adds to b the entities nameHolders returns: from the kept
// set if there is one, else marked in b itself. The caller holds the read
// lock.
func (s *Store) orNameHolders(wn wordNames, b *bitset) {
	if wn.size() < holderListsKept {
		s.markNameHolders(wn, b)
		return
	}
	names, _ := s.nameHolders(wn)
	b.or(*names)
}

// namesHolding returns the set of the names (numbers in g.names) among
// wn's lists, exact ones, current or not, and whether it is kept, as
// nameHolders. The caller holds the read lock.
func (s *Store) namesHolding(wn wordNames) (b *bitset, kept bool) {
	x := &s.g.names
	mark := func(b *bitset) {
		for _, l := range wn.lists {
			b.addAll(l)
		}
	}
	if wn.size() < holderListsKept {
		b = getBits(len(x.ent))
		mark(b)
		return b, false
	}
	k := holderKey{w: wn.w, byName: true}
	if b = s.holders.get(k, s.g.namesGen); b != nil {
		return b, true
	}
	set := newBitset(len(x.ent))
	mark(&set)
	s.holders.put(k, s.g.namesGen, &set)
	return &set, true
}
