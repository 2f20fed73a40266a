package embedded

import (
	"context"
	"slices"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.RelationshipTextMasker = (*Store)(nil)

// RelationshipTextMasks implements kg.RelationshipTextMasker. Which of a
// candidate's fields hold a term is read off the word lists, found by
// intersecting each of the term's lists with the candidates (sorted); the
// ends' names are the name index's. A relationship indexed with its words
// mixed (wordsMixed) is read whole.
func (s *Store) RelationshipTextMasks(ctx context.Context, q kg.TextQuery, types []kg.RelType, max int) ([]kg.RelTextCandidate, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	s.mu.RLock()
	g := s.g
	nums := s.relTextNums(q, types, max)
	out := make([]kg.RelTextCandidate, len(nums))
	outlines := make([]kg.Relationship, len(nums)) // one allocation for all
	role, quote := g.relTermMasks(q, nums)
	endMask, done := s.endMasker(q, len(nums))
	defer done()
	for i := range out {
		out[i].Role, out[i].Quote = role[i], quote[i]
	}
	var mixed []int // places of the candidates read whole
	for i, n := range nums {
		if g.relWords[n] != wordsApart {
			mixed = append(mixed, i)
			continue
		}
		g.outlineInto(&outlines[i], n)
		out[i].Relationship = &outlines[i]
		out[i].From, out[i].To = endMask(g.from[n]), endMask(g.to[n])
	}
	wholeNums := make([]uint32, len(mixed))
	for k, i := range mixed {
		wholeNums[k] = nums[i]
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if len(mixed) > 0 {
		docs, err := s.readRelationships(wholeNums)
		if err != nil {
			return nil, false, err
		}
		for k, i := range mixed {
			out[i] = kg.RelTextCandidate{Relationship: docs[k], Whole: true}
		}
		// A relationship deleted since it was found is left out.
		out = slices.DeleteFunc(out, func(c kg.RelTextCandidate) bool { return c.Relationship == nil })
	}
	return out, true, nil
}

// relTermMasks returns, aligned with nums, the masks of q's terms (bit i
// for q.Terms[i], all bare words) in each relationship's role and in its
// quotes. The caller holds the read lock.
func (g *graph) relTermMasks(q kg.TextQuery, nums []uint32) (role, quote []uint64) {
	m := termMasks(q, nums, &g.relRole, &g.relQuote)
	return m[0], m[1]
}

// termMasks returns, for each index and aligned with nums (ascending, as
// the candidates are), the masks of q's terms (all bare words) that the
// index lists each record under: each of a term's lists is intersected
// with the records.
func termMasks(q kg.TextQuery, nums []uint32, indexes ...*textIndex) [][]uint64 {
	out := make([][]uint64, len(indexes))
	for k, x := range indexes {
		masks := make([]uint64, len(nums))
		for i, t := range q.Terms {
			bit := uint64(1) << i
			for _, id := range x.wordIDs(t.Words[0], true) {
				eachCommon(x.lists[id], nums, func(j int) { masks[j] |= bit })
			}
		}
		out[k] = masks
	}
	return out
}

// endListsShort is how many names a term's lists may hold, for the ends of
// n relationships, to be looked up among the entities they hold: beyond,
// gathering those entities costs more than looking at each end.
var endListsShort = func(n int) int { return 4*n + 1024 }

// endMasker returns a function that gives the mask of q's terms (all bare
// words) that a name of an entity holds as a word's start, for the ends of
// n relationships, and a function to call once done with it. A term whose
// name lists are short is looked up among the entities they hold (sorted);
// one whose lists are long but exact (a word's start of three bytes or
// fewer: "co" starts a word of 180,000 names) in a bit set of the entities
// they hold; any other ("nguyen") in each end's names. The caller holds the
// read lock.
func (s *Store) endMasker(q kg.TextQuery, n int) (mask func(e uint32) uint64, done func()) {
	g := s.g
	x := &g.names
	holders := make([][]uint32, len(q.Terms)) // nil: see holderBits
	holderBits := make([]*bitset, len(q.Terms))
	current := func(m uint32) (uint32, bool) {
		e := x.ent[m]
		return e, g.staleNames == 0 || g.live(e) && m >= g.nameFirst[e] && m < g.nameEnd(e)
	}
	for i, t := range q.Terms {
		wn := s.wordNameLists(t.Words[0])
		if wn.size() > endListsShort(n) {
			if wn.exact {
				b := getBits(len(g.kind))
				for _, l := range wn.lists {
					for _, m := range l {
						if e, ok := current(m); ok {
							b.set(e)
						}
					}
				}
				holderBits[i] = b
			}
			continue
		}
		es := []uint32{}
		for _, l := range wn.lists {
			for _, m := range l {
				if e, ok := current(m); ok && wn.holds(x, m) {
					es = append(es, e)
				}
			}
		}
		slices.Sort(es)
		holders[i] = slices.Compact(es)
	}
	// The letters and digits of each term, which an entity's names must
	// all hold (graph.letters) for one to hold the term.
	want := make([]uint64, len(q.Terms))
	for i, t := range q.Terms {
		for _, c := range []byte(t.Words[0]) {
			want[i] |= letterBit(c)
		}
	}
	mask = func(e uint32) uint64 {
		var mask uint64
		for i, t := range q.Terms {
			switch {
			case holders[i] != nil:
				if _, found := slices.BinarySearch(holders[i], e); found {
					mask |= 1 << i
				}
				continue
			case holderBits[i] != nil:
				if holderBits[i].has(e) {
					mask |= 1 << i
				}
				continue
			}
			end := g.nameEnd(e)
			if g.letters[e]&want[i] != want[i] && end == g.nameFirst[e]+uint32(g.nameCount[e]) {
				continue // letters cover the names up to nameCount
			}
			for m := g.nameFirst[e]; m < end; m++ {
				if kg.HasWordPrefix(x.folded(m), t.Words[0]) {
					mask |= 1 << i
					break
				}
			}
		}
		return mask
	}
	done = func() {
		for _, b := range holderBits {
			if b != nil {
				putBits(b)
			}
		}
	}
	return mask, done
}

// eachCommon calls fn with the place in c of each number of c that l holds
// too; both are ascending, c without repeats. It looks up the numbers of
// the shorter in the longer, so that a word of millions of relationships
// costs a lookup per candidate.
func eachCommon(l, c []uint32, fn func(j int)) {
	if len(l) < len(c) {
		lo := 0
		for _, x := range l {
			j, found := slices.BinarySearch(c[lo:], x)
			lo += j
			if found {
				fn(lo)
			}
		}
		return
	}
	lo := 0
	for j, x := range c {
		k, found := slices.BinarySearch(l[lo:], x)
		lo += k
		if found {
			fn(j)
		}
	}
}
