package embedded

import (
	"sync/atomic"

	"github.com/vjkg/vjkg/kg"
)

// primaryAnswered counts the searches primaryNameHits answered.
var primaryAnswered atomic.Int64

// primaryNameHits answers EntityTextHits for a text whose first hits all
// score what a text scores at best, every term in the primary name (kg's
// name weight): the entities whose primary names hold every term, ranked
// by name, found by intersecting the terms' kept name sets rather than by
// gathering and scoring up to 20,000 candidates (for a text of short
// words, each of which begins most names, that was most of its search).
// ok is false when it cannot tell: a name query to score as well, a term
// without a kept set, or fewer such entities than first. The caller holds
// the read lock.
func (s *Store) primaryNameHits(q kg.TextQuery, kinds []kg.Kind, first int, sc *textScratch) (hits []kg.TextHit, ok bool) {
	if q.Names.Compact != "" || first < 1 || first > maxKth {
		return nil, false
	}
	g := s.g
	sets := make([]*bitset, 0, len(q.Terms))
	for _, t := range q.Terms {
		wn := s.wordNameLists(t.Words[0])
		if !wn.exact {
			return nil, false
		}
		// Only sets kept already: asking here would keep them at a
		// search's first ask (termNameSets asks too).
		b := s.holders.peek(holderKey{w: wn.w, byName: true}, g.namesGen)
		if b == nil {
			return nil, false
		}
		sets = append(sets, b)
	}
	primary := s.keptPrimaryNames()
	if primary == nil {
		return nil, false
	}
	all := uint64(1)<<len(q.Terms) - 1
	score, field, _ := q.MatchEntityMasks(kg.EntityMasks{Name: all})
	kindMask := kindMaskOf(kinds)
	both := getBits(len(g.names.ent))
	defer putBits(both)
	in := (*both)[:len(*primary)]
	copy(in, *primary)
	for _, b := range sets {
		for i := range in {
			in[i] &= (*b)[i]
		}
	}
	ranker := s.nameRanker()
	// In the search's working arrays: "h n" has some 100,000 such
	// entities at 1 M, a megabyte of garbage a search otherwise.
	ents, keys := sc.nums[:0], sc.keys[:0]
	defer func() { sc.nums, sc.keys = ents, keys }()
	// The sets are of this generation of the names, so each of their
	// entities is live.
	in.each(func(m uint32) {
		e := g.names.ent[m]
		if (kindMask != 0 && kindMask&(1<<g.kind[e]) == 0) || len(ents) > maxRanked {
			return
		}
		keys = append(keys, newRankKey(score, ranker.of(e), uint32(len(ents))))
		ents = append(ents, e)
	})
	if len(ents) > maxRanked {
		return nil, false
	}
	ranked := ranker.first(keys, first)
	if len(ranked) < first {
		return nil, false
	}
	primaryAnswered.Add(1)
	outlines := make([]kg.Entity, len(ranked))
	hits = make([]kg.TextHit, len(ranked))
	for k, key := range ranked {
		if !g.outlineEntity(&outlines[k], ents[key.place()]) {
			return nil, false
		}
		hits[k] = kg.TextHit{Entity: &outlines[k], Score: score, Match: kg.TextMatch{Score: score, FieldText: kg.FieldText{Field: field}}}
	}
	return hits, true
}

// keptPrimaryNames returns the set of the names that are their live
// entity's primary name, kept until the next entity write (built at the
// second ask), or nil. The caller holds the read lock.
func (s *Store) keptPrimaryNames() *bitset {
	g := s.g
	return s.keptSet(holderKey{primary: true}, len(g.names.ent), func(b *bitset) {
		for e := range g.kind {
			if g.live(uint32(e)) {
				b.set(g.nameFirst[e])
			}
		}
	})
}
