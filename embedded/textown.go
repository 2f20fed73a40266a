package embedded

import (
	"context"
	"math"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.EntityTextRanker = (*Store)(nil)

// EntityTextHits implements kg.EntityTextRanker: each candidate is scored
// from the word lists of its description, figures and quotes and from its
// names in the name index (kg.TextQuery.MatchEntityMasks), and the first
// are chosen as firstRanked chooses. An entity indexed with its words mixed
// (changed since the store was opened, or written before record version 6)
// is read whole and matched.
func (s *Store) EntityTextHits(ctx context.Context, q kg.TextQuery, kinds []kg.Kind, max, first int) ([]kg.TextHit, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	s.mu.RLock()
	g := s.g
	nums := s.entityTextNums(q, kinds, max)
	texts := g.entTexts()
	masks := termMasks(q, nums, texts[0], texts[1], texts[2])
	var entries []rankEntry
	fields := map[uint32]kg.Field{} // of the entities scored from the index
	var mixed []uint32
	for i, e := range nums {
		if g.entWords[e] != wordsApart {
			mixed = append(mixed, e)
			continue
		}
		m := kg.EntityMasks{Description: masks[0][i], Figure: masks[1][i], Quote: masks[2][i]}
		g.nameMasks(e, q, &m)
		if score, field, ok := q.MatchEntityMasks(m); ok {
			// Rounded as search ranks hits (a name's score is not).
			score = math.Round(score*1000) / 1000
			entries = append(entries, rankEntry{e, score})
			fields[e] = field
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	whole := map[uint32]kg.TextHit{}
	if len(mixed) > 0 {
		docs, err := s.readEntities(mixed)
		if err != nil {
			return nil, false, err
		}
		for i, d := range docs {
			if d == nil {
				continue // deleted since
			}
			if m, ok := q.Match(kg.EntityFields(d)); ok {
				whole[mixed[i]] = kg.TextHit{Entity: d, Score: m.Score, Match: m}
				entries = append(entries, rankEntry{mixed[i], m.Score})
			}
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Entities deleted since they were scored are left out.
	live := entries[:0]
	for _, x := range entries {
		if g.live(x.e) {
			live = append(live, x)
		}
	}
	ranked := s.firstRanked(live, first)
	out := make([]kg.TextHit, len(ranked))
	outlines := make([]kg.Entity, len(out))
	for i, x := range ranked {
		if h, ok := whole[x.e]; ok {
			out[i] = h
			continue
		}
		if !g.outlineEntity(&outlines[i], x.e) {
			return nil, false, nil // a name the index could not keep
		}
		match := kg.TextMatch{Score: x.score, FieldText: kg.FieldText{Field: fields[x.e]}}
		out[i] = kg.TextHit{Entity: &outlines[i], Score: x.score, Match: match}
	}
	return out, true, nil
}

// nameMasks sets m's name fields for entity n: how well its best name
// matches q as a name, and which terms (all bare words) its primary name
// and its other names hold as a word's start. The caller holds the read
// lock.
func (g *graph) nameMasks(n uint32, q kg.TextQuery, m *kg.EntityMasks) {
	x := &g.names
	first := g.nameFirst[n]
	for k := first; k < g.nameEnd(n); k++ {
		folded := x.folded(k)
		if s := q.Names.NameScore(folded, x.foldKey[k], k == first); s > m.NameScore {
			m.NameScore = s
		}
		for i, t := range q.Terms {
			if kg.HasWordPrefix(folded, t.Words[0]) {
				if k == first {
					m.Name |= 1 << i
				} else {
					m.OtherNames |= 1 << i
				}
			}
		}
	}
}
