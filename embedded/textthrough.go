package embedded

import (
	"container/heap"
	"context"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.ThroughRanker = (*Store)(nil)

// ThroughHits implements kg.ThroughRanker on entity numbers: each
// candidate is scored from its masks (kg.TextQuery.MatchMasks; those of
// a relationship indexed with its words mixed from its document's text,
// read with the lock released), each entity keeps its best, and the first are chosen by a heap ordered as SearchText
// ranks (score, then the primary name folded, which is kg's SortName, then
// id), so that only they are made into outlines.
func (s *Store) ThroughHits(ctx context.Context, q kg.TextQuery, kinds []kg.Kind, max, first int) ([]kg.TextHit, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	var kindMask uint8
	for _, k := range kinds {
		kindMask |= 1 << kindIndex(k)
	}
	s.mu.RLock()
	g := s.g
	nums := s.relTextNums(q, nil, max)
	role, quote := g.relTermMasks(q, nums)
	endMask := s.endMasker(q, len(nums))
	masks := make([]kg.RelTextCandidate, len(nums))
	var mixed []int // places of the candidates whose documents tell
	for i, n := range nums {
		if g.relWords[n] != wordsApart {
			mixed = append(mixed, i)
			continue
		}
		masks[i] = kg.RelTextCandidate{Role: role[i], Quote: quote[i], From: endMask(g.from[n]), To: endMask(g.to[n])}
	}
	s.mu.RUnlock()
	var docs []*kg.Relationship
	if len(mixed) > 0 {
		mixedNums := make([]uint32, len(mixed))
		for k, i := range mixed {
			mixedNums[k] = nums[i]
		}
		var err error
		if docs, err = s.readRelationships(mixedNums); err != nil {
			return nil, false, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, i := range mixed {
		if d, n := docs[k], nums[i]; d != nil && g.liveRel(n) {
			masks[i] = kg.RelTextCandidate{Role: q.TermsIn(d.Role), Quote: q.TermsIn(kg.RelationshipQuotes(d)...),
				From: endMask(g.from[n]), To: endMask(g.to[n])}
		}
	}
	type found struct {
		score float64 // the entity's
		cand  int     // the relationship's place in nums
		match kg.MaskMatch
	}
	best := make(map[uint32]found, len(nums)) // sized once: growing it was a fifth of a search
	for i, n := range nums {
		m, ok := q.MatchMasks(masks[i])
		if !ok || !g.liveRel(n) {
			continue
		}
		f := found{kg.ThroughScore(m.Score), i, m}
		for k, e := range [2]uint32{g.from[n], g.to[n]} {
			if through := [2]bool{m.ThroughFrom, m.ThroughTo}[k]; !through || (kindMask != 0 && kindMask&(1<<g.kind[e]) == 0) {
				continue
			}
			if old, ok := best[e]; !ok || f.score > old.score {
				best[e] = f
			}
		}
	}
	entries := make([]rankEntry, 0, len(best))
	for e, f := range best {
		entries = append(entries, rankEntry{e, f.score})
	}
	ranked := s.firstRanked(entries, first)
	out := make([]kg.TextHit, len(ranked))
	ents, rels := make([]kg.Entity, len(out)), make([]kg.Relationship, len(out))
	for i, x := range ranked {
		e := x.e
		f := best[e]
		if !g.outlineEntity(&ents[i], e) {
			return nil, false, nil // a name the index could not keep
		}
		g.outlineInto(&rels[i], nums[f.cand])
		out[i] = kg.TextHit{Entity: &ents[i], Relationship: &rels[i], Score: f.score,
			Match: kg.TextMatch{Score: f.match.Score, FieldText: kg.FieldText{Field: f.match.Field}}}
	}
	return out, true, nil
}

// rankEntry is an entity and its score, to rank.
type rankEntry struct {
	e     uint32
	score float64
}

// firstRanked returns the first `first` of entries (all, for first <= 0),
// best first as search ranks: by score, then the primary name folded (kg's
// SortName), then id, which is the name order's rank. A heap keeps the
// first found so far, with the last of them on top. The caller holds the
// read lock.
func (s *Store) firstRanked(entries []rankEntry, first int) []rankEntry {
	// Ranks, not names: comparing names that share long prefixes was a
	// sixth of a search for a word of many roles.
	rank, _ := s.orders.byField[kg.OrderByName].ready(s.g)
	h := &rankHeap{rank: rank}
	for _, x := range entries {
		if first <= 0 || h.Len() < first {
			heap.Push(h, x)
		} else if h.less(x, h.entries[0]) {
			h.entries[0] = x
			heap.Fix(h, 0)
		}
	}
	out := make([]rankEntry, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(rankEntry)
	}
	return out
}

// outlineEntity writes into e entity n's outline: its id, kind and name as
// shown; false if the index could not keep the name.
func (g *graph) outlineEntity(e *kg.Entity, n uint32) bool {
	label := g.label(n)
	*e = kg.Entity{ID: g.entityID(n), Kind: g.entityKind(n), Name: label}
	return label != ""
}

type rankHeap struct {
	rank    []uint32 // the name order's
	entries []rankEntry
}

// less reports whether a ranks before b.
func (h *rankHeap) less(a, b rankEntry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return h.rank[a.e] < h.rank[b.e]
}

func (h *rankHeap) Len() int           { return len(h.entries) }
func (h *rankHeap) Less(i, j int) bool { return h.less(h.entries[j], h.entries[i]) } // the last on top
func (h *rankHeap) Swap(i, j int)      { h.entries[i], h.entries[j] = h.entries[j], h.entries[i] }
func (h *rankHeap) Push(x any)         { h.entries = append(h.entries, x.(rankEntry)) }
func (h *rankHeap) Pop() any {
	x := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	return x
}
