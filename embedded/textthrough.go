package embedded

import (
	"container/heap"
	"context"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.ThroughRanker = (*Store)(nil)

// ThroughHits implements kg.ThroughRanker on entity numbers: each
// candidate is scored from its masks (kg.TextQuery.MatchMasks), each entity
// keeps its best, and the first are chosen by a heap ordered as SearchText
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
	defer s.mu.RUnlock()
	g := s.g
	nums := s.relTextNums(q, nil, max)
	role, quote := g.relTermMasks(q, nums)
	endMask := s.endMasker(q, len(nums))
	type found struct {
		score float64 // the entity's
		cand  int     // the relationship's place in nums
		match kg.MaskMatch
	}
	best := map[uint32]found{}
	for i, n := range nums {
		if g.relWords[n] != relWordsApart {
			return nil, false, nil
		}
		from, to := g.from[n], g.to[n]
		m, ok := q.MatchMasks(kg.RelTextCandidate{Role: role[i], Quote: quote[i], From: endMask(from), To: endMask(to)})
		if !ok {
			continue
		}
		f := found{kg.ThroughScore(m.Score), i, m}
		for k, e := range [2]uint32{from, to} {
			if through := [2]bool{m.ThroughFrom, m.ThroughTo}[k]; !through || (kindMask != 0 && kindMask&(1<<g.kind[e]) == 0) {
				continue
			}
			if old, ok := best[e]; !ok || f.score > old.score {
				best[e] = f
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	ranked := &throughHeap{g: g}
	for e, f := range best {
		x := throughEntry{e: e, score: f.score}
		if first <= 0 || ranked.Len() < first {
			heap.Push(ranked, x)
		} else if ranked.less(x, ranked.entries[0]) {
			ranked.entries[0] = x
			heap.Fix(ranked, 0)
		}
	}
	out := make([]kg.TextHit, ranked.Len())
	ents, rels := make([]kg.Entity, len(out)), make([]kg.Relationship, len(out))
	for i := len(out) - 1; i >= 0; i-- {
		e := heap.Pop(ranked).(throughEntry).e
		f := best[e]
		label := g.label(e)
		if label == "" {
			return nil, false, nil // a name the index could not keep
		}
		ents[i] = kg.Entity{ID: g.entityID(e), Kind: g.entityKind(e), Name: label}
		g.outlineInto(&rels[i], nums[f.cand])
		out[i] = kg.TextHit{Entity: &ents[i], Relationship: &rels[i], Score: f.score,
			Match: kg.TextMatch{Score: f.match.Score, FieldText: kg.FieldText{Field: f.match.Field}}}
	}
	return out, true, nil
}

// throughEntry is an entity found through a relationship, and its score.
type throughEntry struct {
	e     uint32
	score float64
}

// throughHeap holds the first entities found so far with the last of them
// on top, so that a better one replaces it.
type throughHeap struct {
	g       *graph
	entries []throughEntry
}

// less reports whether a ranks before b: higher score, then name, then id.
func (h *throughHeap) less(a, b throughEntry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if c := strings.Compare(h.g.sortName(a.e), h.g.sortName(b.e)); c != 0 {
		return c < 0
	}
	return h.g.entityID(a.e) < h.g.entityID(b.e)
}

func (h *throughHeap) Len() int           { return len(h.entries) }
func (h *throughHeap) Less(i, j int) bool { return h.less(h.entries[j], h.entries[i]) } // the last on top
func (h *throughHeap) Swap(i, j int)      { h.entries[i], h.entries[j] = h.entries[j], h.entries[i] }
func (h *throughHeap) Push(x any)         { h.entries = append(h.entries, x.(throughEntry)) }
func (h *throughHeap) Pop() any {
	x := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	return x
}
