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
// mixed (relWordsMixed) is read whole.
func (s *Store) RelationshipTextMasks(ctx context.Context, q kg.TextQuery, types []kg.RelType, max int) ([]kg.RelTextCandidate, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	s.mu.RLock()
	g := s.g
	nums := s.relTextNums(q, types, max)
	out := make([]kg.RelTextCandidate, len(nums))
	outlines := make([]kg.Relationship, len(nums)) // one allocation for all
	sorted, at := sortedWithPlaces(nums)
	for i, t := range q.Terms {
		bit := uint64(1) << i
		w := t.Words[0]
		for _, id := range g.relRole.wordIDs(w, true) {
			eachCommon(g.relRole.lists[id], sorted, func(j int) { out[at[j]].Role |= bit })
		}
		for _, id := range g.relQuote.wordIDs(w, true) {
			eachCommon(g.relQuote.lists[id], sorted, func(j int) { out[at[j]].Quote |= bit })
		}
	}
	ends := map[uint32]uint64{} // an end's mask, once per end: hubs recur
	endMask := func(e uint32) uint64 {
		m, ok := ends[e]
		if !ok {
			m = g.namesMask(e, q)
			ends[e] = m
		}
		return m
	}
	var mixed []int // places of the candidates read whole
	for i, n := range nums {
		if g.relWords[n] != relWordsApart {
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

// namesMask returns the mask of q's terms (bit i for q.Terms[i], all bare
// words) that a name of entity e holds, as a word's start.
func (g *graph) namesMask(e uint32, q kg.TextQuery) uint64 {
	var m uint64
	for n := g.nameFirst[e]; n < g.nameEnd(e); n++ {
		folded := g.names.folded(n)
		for i, t := range q.Terms {
			if kg.HasWordPrefix(folded, t.Words[0]) {
				m |= 1 << i
			}
		}
	}
	return m
}

// sortedWithPlaces returns nums sorted, and for each the place in nums it
// came from.
func sortedWithPlaces(nums []uint32) (sorted []uint32, at []int) {
	keys := make([]uint64, len(nums))
	for i, n := range nums {
		keys[i] = uint64(n)<<32 | uint64(i)
	}
	slices.Sort(keys)
	sorted, at = make([]uint32, len(nums)), make([]int, len(nums))
	for i, k := range keys {
		sorted[i], at[i] = uint32(k>>32), int(uint32(k))
	}
	return sorted, at
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
