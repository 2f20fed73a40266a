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
	nums := s.relTextNums(q, types, max, nil)
	out := make([]kg.RelTextCandidate, len(nums))
	outlines := make([]kg.Relationship, len(nums)) // one allocation for all
	role, quote := g.relTermMasks(q, nums, nil)
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
// quotes, in bufs' room where they have it (bufs may be nil). The caller
// holds the read lock.
func (g *graph) relTermMasks(q kg.TextQuery, nums []uint32, bufs [][]uint64) (role, quote []uint64) {
	m := termMasks(q, nums, bufs, &g.relRole, &g.relQuote)
	return m[0], m[1]
}

// termMasks returns, for each index and aligned with nums (ascending, as
// the candidates are), the masks of q's terms (all bare words) that the
// index lists each record under: each of a term's lists is intersected
// with the records. The k-th is in bufs[k]'s room where it has it.
func termMasks(q kg.TextQuery, nums []uint32, bufs [][]uint64, indexes ...*textIndex) [][]uint64 {
	out := make([][]uint64, len(indexes))
	for k, x := range indexes {
		var buf []uint64
		if k < len(bufs) {
			buf = bufs[k]
		}
		masks := grown(buf, len(nums))
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

// endMasker returns a function that gives the mask of q's terms (all bare
// words, each with a letter: kg.TextQuery.Indexable) that a name of an
// entity holds as a word's start, for the ends of n relationships, and a
// function to call once done with it. A term's holders are gathered in a
// bit set from its name lists, which are exact for such a term
// (wordNameLists), unless they are so long ("nguyen": 386,000 names at 1 M
// entities) that looking at each end's names costs less. An entity the
// sets do not cover (made since they were gathered: the caller may release
// the lock and take it again) is looked at too. The caller holds the read
// lock.
func (s *Store) endMasker(q kg.TextQuery, n int) (mask func(e uint32) uint64, done func()) {
	g := s.g
	x := &g.names
	holders := make([]*bitset, len(q.Terms)) // nil: look at the end's names
	kept := make([]bool, len(q.Terms))
	covered := uint32(len(g.kind))
	// named: the terms some name holds. A role's word is often in none
	// ("host", "signatory"), and its empty set was cleared and read for
	// each candidate's ends.
	var named uint64
	for i, t := range q.Terms {
		wn := s.wordNameLists(t.Words[0])
		switch size := wn.size(); {
		case size == 0:
			continue
		case size > endListsShort(n):
			named |= 1 << i
			continue
		}
		named |= 1 << i
		holders[i], kept[i] = s.nameHolders(wn)
	}
	mask = func(e uint32) uint64 {
		if named == 0 && e < covered {
			return 0
		}
		var mask uint64
		for i, t := range q.Terms {
			if named&(1<<i) == 0 && e < covered {
				continue
			}
			if b := holders[i]; b != nil && e < covered {
				if b.has(e) {
					mask |= 1 << i
				}
				continue
			}
			for m := g.nameFirst[e]; m < g.nameEnd(e); m++ {
				if kg.HasWordPrefix(x.folded(m), t.Words[0]) {
					mask |= 1 << i
					break
				}
			}
		}
		return mask
	}
	done = func() { releaseSets(holders, kept) }
	return mask, done
}

// endListsShort is how many names a term's lists may hold, for the ends of
// n relationships, to be gathered in a set: beyond, looking at each end's
// names costs less.
var endListsShort = func(n int) int { return 64*n + 4096 }

// eachCommon calls fn with the place in c of each number of c that l holds
// too; both are ascending, c without repeats. It looks up the numbers of
// the shorter in the longer, galloping from the last place found (the next
// is usually near), so that a word of millions of relationships costs a
// few steps per candidate.
func eachCommon(l, c []uint32, fn func(j int)) {
	if len(l) < len(c) {
		lo := 0
		for _, x := range l {
			j, found := gallop(c[lo:], x)
			lo += j
			if found {
				fn(lo)
			}
		}
		return
	}
	lo := 0
	for j, x := range c {
		k, found := gallop(l[lo:], x)
		lo += k
		if found {
			fn(j)
		}
	}
}

// gallopNear is how many of the first gallop looks at one by one.
const gallopNear = 8

// gallop is slices.BinarySearch(s, x) for an x likely near the start of s:
// it looks at the first few, then doubles a step until it passes x, and
// searches the last step.
func gallop(s []uint32, x uint32) (int, bool) {
	// The next few are looked at one by one: a word of a million
	// relationships lists a handful between two candidates.
	for i := range min(len(s), gallopNear) {
		if s[i] >= x {
			return i, s[i] == x
		}
	}
	if len(s) <= gallopNear {
		return len(s), false
	}
	lo, hi := gallopNear, gallopNear // all before lo are below x
	for hi < len(s) && s[hi] < x {
		lo, hi = hi+1, 2*hi
	}
	hi = min(hi+1, len(s))
	i, found := slices.BinarySearch(s[lo:hi], x)
	return lo + i, found
}
