package embedded

import (
	"cmp"
	"context"
	"iter"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.TextIndexed = (*Store)(nil)

// EntityTextCandidates implements kg.TextIndexed: the entities that hold
// the query's rarest term, as a word of a name or of their text. Every
// entity that matches holds every term, so it is among them.
func (s *Store) EntityTextCandidates(ctx context.Context, q kg.TextQuery, kinds []kg.Kind, max int) ([]*kg.Entity, error) {
	s.mu.RLock()
	nums := s.entityTextNums(q, kinds, max, nil)
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.entityDocs(nums)
}

// entityTextNums returns the numbers of EntityTextCandidates. The caller
// holds the read lock.
func (s *Store) entityTextNums(q kg.TextQuery, kinds []kg.Kind, max int, buf []uint32) []uint32 {
	g := s.g
	kindMask := kindMaskOf(kinds)
	// Every word of every term is in each match (a phrase's words whole),
	// so the rarest of them chooses the candidates.
	best, bestWord, bestSize := -1, "", 0
	for i, t := range q.Terms {
		for _, w := range t.Words {
			n := 0
			for _, x := range g.entTexts() {
				n += x.size(x.wordIDs(w, !t.Phrase))
			}
			n += s.wordNameLists(w).size()
			if best < 0 || n < bestSize {
				best, bestWord, bestSize = i, w, n
			}
		}
	}
	// When the rarest word is common, only the entities that hold every
	// other word too are read.
	var others []*bitset
	if bestSize > minIntersect {
		var kept []bool
		others, kept = s.entityWordHolders(q, bestWord)
		defer releaseSets(others, kept)
	}
	nums := buf[:0]
	if cap(nums) < min(bestSize, max) {
		nums = make([]uint32, 0, min(bestSize, max))
	}
	seen := newSeenSet(min(bestSize, max), len(g.kind))
	defer seen.release()
	add := func(e uint32) bool {
		if g.live(e) && (kindMask == 0 || kindMask&(1<<g.kind[e]) != 0) && holdsAll(others, e) && seen.add(e) {
			nums = append(nums, e)
		}
		return len(nums) < max
	}
	if best >= 0 {
		t, w := q.Terms[best], bestWord
		// A name holds the term, or its entity is a match only through
		// its text, and then among the text's candidates.
		x, wn := &g.names, s.wordNameLists(w)
		holds := func(m uint32) bool { return wn.holds(x, m) }
		if t.Phrase {
			holds = func(m uint32) bool { return t.Matches(strings.Fields(x.folded(m))) }
		}
	text:
		for _, x := range g.entTexts() {
			for _, id := range x.wordIDs(w, !t.Phrase) {
				for _, e := range x.lists[id] {
					if !add(e) {
						break text
					}
				}
			}
		}
	names:
		for l := range wn.all() {
			for _, m := range l {
				if len(nums) >= max {
					break names
				}
				if g.currentName(m) && holds(m) {
					add(x.ent[m])
				}
			}
		}
	}
	// In ascending order: the masks are found by merging the word lists
	// with them.
	slices.Sort(nums)
	return nums
}

// nameWordLists returns the name lists under the word prefix of w. The
// caller holds the read lock.
func (s *Store) nameWordLists(w string) [][]uint32 {
	x := &s.g.names
	_, wordCodes := x.codes()
	lo, hi := prefixRange([]byte(w))
	return lists(x.byWord, wordCodes, lo, hi)
}

// wordNames are lists of names among which are all those with a word
// starting with w. They are exact when every name listed has such a word,
// so that only stale names are to be skipped, not each name's words
// checked: "bi" is a word's start in 130,000 names at 1 M entities.
type wordNames struct {
	// Either index's lists of ids (a term with a letter), or lists (a
	// term of digits).
	index *textIndex
	ids   []uint32
	lists [][]uint32
	w     string
	exact bool
}

// all yields the lists, each once, in order: those of the words w begins
// are read in place, not gathered (a one-letter term begins thousands).
func (wn wordNames) all() iter.Seq[[]uint32] {
	return func(yield func([]uint32) bool) {
		if wn.index != nil {
			for _, id := range wn.ids {
				if !yield(wn.index.lists[id]) {
					return
				}
			}
			return
		}
		for _, l := range wn.lists {
			if !yield(l) {
				return
			}
		}
	}
}

// holds reports whether name m has a word starting with w.
func (wn wordNames) holds(x *names, m uint32) bool {
	return wn.exact || kg.HasWordPrefix(x.folded(m), wn.w)
}

// size is how many names the lists hold (a name under two of the words w
// begins, twice).
func (wn wordNames) size() int {
	n := 0
	for l := range wn.all() {
		n += len(l)
	}
	return n
}

// wordNameLists returns the lists of the names' words that w begins
// (nameWords), exact; or, for a term of digits alone, which may begin a
// long number the word lists leave out, the names under w's word prefix,
// its first three bytes (exact for three bytes or fewer), or those that
// hold every trigram of w when that is fewer. The caller holds the read
// lock.
func (s *Store) wordNameLists(w string) wordNames {
	g := s.g
	if strings.Trim(w, "0123456789") != "" {
		return wordNames{index: &g.nameWords, ids: g.nameWords.wordIDs(w, true), w: w, exact: true}
	}
	wn := wordNames{lists: s.nameWordLists(w), w: w, exact: len(w) <= 3}
	if wn.exact {
		return wn
	}
	x := &g.names
	if n := wn.size(); n > 1024 && x.rarestTrigram([]byte(w)) < n {
		wn.lists = [][]uint32{x.containing([]byte(w))}
	}
	return wn
}

// RelationshipTextCandidates implements kg.TextIndexed. A matching
// relationship holds each term in its role or quotes or in an end's name,
// so for the term with the fewest such relationships, those are the
// candidates: the ones whose own text holds it, and those of the entities
// whose names do.
func (s *Store) RelationshipTextCandidates(ctx context.Context, q kg.TextQuery, types []kg.RelType, max int) ([]*kg.Relationship, error) {
	s.mu.RLock()
	nums := s.relTextNums(q, types, max, nil)
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.relDocs(nums)
}

// relTextNums returns the numbers of RelationshipTextCandidates. The caller
// holds the read lock.
func (s *Store) relTextNums(q kg.TextQuery, types []kg.RelType, max int, buf []uint32) []uint32 {
	g := s.g
	mask := typeMask(types)
	x := &g.names
	type source struct {
		role, quote []uint32 // word ids in relRole and relQuote
		names       wordNames
	}
	// The term with the fewest relationships (the first of those tied):
	// its text's, and those of the entities its names lead to. Counting
	// the latter reads each entity's degree, scattered over memory ("co"
	// leads to 180,000 names), so the terms are counted from the one that
	// looks rarest, and a count stops once it cannot win.
	sources := make([]*source, len(q.Terms))
	order := make([]int, len(q.Terms))
	guess := make([]int, len(q.Terms))
	for i, t := range q.Terms {
		w := t.Words[0]
		sources[i] = &source{role: g.relRole.wordIDs(w, !t.Phrase), quote: g.relQuote.wordIDs(w, !t.Phrase),
			names: s.wordNameLists(w)}
		order[i] = i
		guess[i] = g.relRole.size(sources[i].role) + g.relQuote.size(sources[i].quote) + sources[i].names.size()
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(guess[a], guess[b]) })
	var best *source
	bestSize, bestAt := 0, 0
	for _, i := range order {
		src := sources[i]
		loses := func(n int) bool { return best != nil && (n > bestSize || n == bestSize && i > bestAt) }
		n := g.relRole.size(src.role) + g.relQuote.size(src.quote)
		switch sum, ok, whole := s.degreeSums.get(g, src.names.w); {
		case ok:
			n += sum
		case whole:
			sum = g.namesDegreeSum(src.names)
			s.degreeSums.put(g, src.names.w, sum)
			n += sum
		default:
		count:
			for l := range src.names.all() {
				for _, m := range l {
					if loses(n) {
						break count
					}
					e := x.ent[m]
					n += len(g.out[e]) + len(g.in[e])
				}
			}
		}
		if !loses(n) {
			best, bestSize, bestAt = src, n, i
		}
	}
	nums := buf[:0]
	if cap(nums) < min(bestSize, max) {
		nums = make([]uint32, 0, min(bestSize, max))
	}
	seen := newSeenSet(min(bestSize, max), len(g.relType))
	defer seen.release()
	add := func(r uint32) bool {
		if g.liveRel(r) && mask.has(g.relType[r]) && seen.add(r) {
			nums = append(nums, r)
		}
		return len(nums) < max
	}
	if best != nil {
	text:
		for _, x := range []struct {
			index *textIndex
			ids   []uint32
		}{{&g.relRole, best.role}, {&g.relQuote, best.quote}} {
			for _, id := range x.ids {
				for _, r := range x.index.lists[id] {
					if !add(r) {
						break text
					}
				}
			}
		}
	names:
		for l := range best.names.all() {
			for _, m := range l {
				if len(nums) >= max {
					break names // the text filled it: no more than max
				}
				if !g.currentName(m) || !best.names.holds(x, m) {
					continue
				}
				e := x.ent[m]
				for _, lst := range [][]adj{g.out[e], g.in[e]} {
					for _, a := range lst {
						if !add(a.rel) {
							break names
						}
					}
				}
			}
		}
	}
	// In ascending order: the masks are found by merging the word lists
	// with them, and a hit's relationship is the first of its best.
	slices.Sort(nums)
	return nums
}

// seenSet tells which numbers were seen: a map for a few, a bit set over
// all of them for many (a map of thousands cost more to grow than a bit set
// of millions to clear, and a bit set of millions more than a map of a few).
// The bit sets are kept for the next search (getBits).
type seenSet struct {
	few  map[uint32]struct{}
	many *bitset
}

func newSeenSet(expected, all int) seenSet {
	if expected < all/512 {
		return seenSet{few: make(map[uint32]struct{}, expected)}
	}
	return seenSet{many: getBits(all)}
}

// release gives the bit set back for another search.
func (s seenSet) release() {
	if s.many != nil {
		putBits(s.many)
	}
}

// bitsetPools hold bit sets given back clear (putBits), by the bit length
// of their size in words, so that sets of entities and of relationships
// do not take each other's place: one over 5 M relationships is 625 KB,
// and was a third of a search's garbage.
var bitsetPools [65]sync.Pool

// getBits returns a clear bit set of n bits at least.
func getBits(n int) *bitset {
	words := (n + 63) / 64
	if b, ok := bitsetPools[bits.Len(uint(words))].Get().(*bitset); ok && len(*b) >= words {
		return b
	}
	b := newBitset(n)
	return &b
}

// putBits clears b and keeps it for getBits.
func putBits(b *bitset) {
	clear(*b)
	bitsetPools[bits.Len(uint(len(*b)))].Put(b)
}

// add adds n and reports whether it was not there.
func (s seenSet) add(n uint32) bool {
	if s.few != nil {
		if _, ok := s.few[n]; ok {
			return false
		}
		s.few[n] = struct{}{}
		return true
	}
	if s.many.has(n) {
		return false
	}
	s.many.set(n)
	return true
}
