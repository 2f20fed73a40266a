package embedded

import (
	"sync"
)

// A search term of few letters begins a word of hundreds of thousands of
// names ("co": 587,000 names at 1 M entities, "bi": 329,000), and a search
// marked them all in a bit set each time it met the term: 1.2–1.5 ms, half
// of a search for "Bí thư" or "co-organiser". Such sets depend only on the
// term and the entities' names and text, so they are kept (as a search
// engine keeps the filters of its common clauses) until the next write of
// an entity, which moves graph.namesGen.

// holderSets keeps the bit sets of the terms of many names, built while
// the names were at generation gen (graph.namesGen). A set is kept the
// second time its term is asked for in a generation: while entities are
// being written between searches (an import into the running server), each
// search would otherwise build sets to keep that the next write drops,
// hundreds of kilobytes of garbage a search, where pooled sets make none.
type holderSets struct {
	mu    sync.Mutex
	gen   uint64
	sets  map[holderKey]*bitset
	asked map[holderKey]bool // asked for once in this generation
}

// A holderKey names a kept set: of the entities holding term w in a
// current name, or, byName, of the names holding it (current or not), or,
// inText, of the entities holding it in a name or their text (whole: as a
// whole word, for a phrase).
type holderKey struct {
	w             string
	byName        bool
	inText, whole bool
	primary       bool // the set of primary names (w empty)
}

// holderSetsKept is how many sets are kept at most: 128 KB each at 1 M
// entities (names' sets about 300 KB, more as renames add names), about
// 40 MB; sets dropped while a search still reads them live until it ends.
// A text of eight short words keeps some 30 (names, holders by name and by
// text, for each term): at 64, the bench's short texts evicted each
// other's.
const holderSetsKept = 128

// holderListsKept is how many names a term's lists must hold for its set to
// be kept: marking fewer costs less than the set's memory is worth. At
// 1 << 15, "e", "o" and "u" (12,000 to 22,000 names each at 1 M entities)
// were marked anew by each search for "a e i o u": 1.3 of its 5 ms.
var holderListsKept = 1 << 13

// get returns the set kept for k at generation gen, or nil and whether a
// set built now is to be kept (k was asked for before in gen).
func (h *holderSets) get(k holderKey, gen uint64) (b *bitset, keep bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sets == nil || h.gen != gen {
		h.sets, h.asked, h.gen = make(map[holderKey]*bitset), make(map[holderKey]bool), gen
	}
	if b = h.sets[k]; b != nil {
		return b, true
	}
	if !h.asked[k] {
		if len(h.asked) >= 4*holderSetsKept {
			clear(h.asked)
		}
		h.asked[k] = true
		return nil, false
	}
	return nil, true
}

// peek returns the set kept for k at generation gen, or nil, without
// counting an ask.
func (h *holderSets) peek(k holderKey, gen uint64) *bitset {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return nil
	}
	return h.sets[k]
}

// put keeps b for k at generation gen (get forgot the sets of earlier
// ones), and forgets one other when full. A forgotten set is left to the
// collector, never given back to the pool: a search that took it before a
// write may still read it (ThroughHits reads its ends' sets across the
// lock).
func (h *holderSets) put(k holderKey, gen uint64, b *bitset) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return // the names changed since get (not while the caller holds the read lock)
	}
	if _, ok := h.sets[k]; !ok && len(h.sets) >= holderSetsKept {
		for old := range h.sets {
			delete(h.sets, old)
			break
		}
	}
	h.sets[k] = b
}

// releaseSets gives back (putBits) the sets of a search that are not kept
// for others (kept nil: none is).
func releaseSets(sets []*bitset, kept []bool) {
	for i, b := range sets {
		if b != nil && (kept == nil || !kept[i]) {
			putBits(b)
		}
	}
}

// keptSet returns the set kept for k, or builds (mark, over n bits) and
// keeps one if k was asked for before in this generation, or returns nil.
// The caller holds the read lock.
func (s *Store) keptSet(k holderKey, n int, mark func(*bitset)) *bitset {
	gen := s.g.namesGen
	b, keep := s.holders.get(k, gen)
	if b != nil || !keep {
		return b
	}
	set := newBitset(n)
	mark(&set)
	s.holders.put(k, gen, &set)
	return &set
}

// nameHolders returns the set of the entities with a current name among
// wn's that has a word starting with its term, and whether it is kept for
// other searches (then it must not be changed nor given back; otherwise the
// caller gives it back with putBits). The caller holds the read lock.
func (s *Store) nameHolders(wn wordNames) (b *bitset, kept bool) {
	n := len(s.g.kind)
	mark := func(b *bitset) { s.markNameHolders(wn, b) }
	if wn.size() >= holderListsKept {
		if b := s.keptSet(holderKey{w: wn.w}, n, mark); b != nil {
			return b, true
		}
	}
	b = getBits(n)
	mark(b)
	return b, false
}

// orNameHolders adds to b the entities nameHolders returns: from the kept
// set if there is one, else marked in b itself. The caller holds the read
// lock.
func (s *Store) orNameHolders(wn wordNames, b *bitset) {
	mark := func(b *bitset) { s.markNameHolders(wn, b) }
	if wn.size() >= holderListsKept {
		if names := s.keptSet(holderKey{w: wn.w}, len(s.g.kind), mark); names != nil {
			b.or(*names)
			return
		}
	}
	mark(b)
}

// namesHolding returns the set of the names (numbers in g.names) among
// wn's lists, exact ones, current or not, and whether it is kept, as
// nameHolders. The caller holds the read lock.
func (s *Store) namesHolding(wn wordNames) (b *bitset, kept bool) {
	if b := s.keptNamesHolding(wn); b != nil {
		return b, true
	}
	b = getBits(len(s.g.names.ent))
	markNames(wn, b)
	return b, false
}

// keptNamesHolding returns namesHolding's set if it is kept for wn's term
// (built now if this is the second ask), or else nil. The caller holds the
// read lock.
func (s *Store) keptNamesHolding(wn wordNames) *bitset {
	if wn.size() < holderListsKept {
		return nil
	}
	return s.keptSet(holderKey{w: wn.w, byName: true}, len(s.g.names.ent), func(b *bitset) { markNames(wn, b) })
}

// markNames sets in b the names among wn's lists.
func markNames(wn wordNames, b *bitset) {
	for l := range wn.all() {
		b.addAll(l)
	}
}
