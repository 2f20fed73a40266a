package embedded

import (
	"context"
	"slices"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.RelationshipTextByID = (*Store)(nil)

// relTextBatch is how many candidates RelationshipTextCandidatesByID reads
// at a time.
var relTextBatch = 256

// RelationshipTextCandidatesByID implements kg.RelationshipTextByID: the
// candidates of RelationshipTextCandidates, sorted by id through the
// relationship order's ranks, read a batch at a time until each says
// stop.
func (s *Store) RelationshipTextCandidatesByID(ctx context.Context, q kg.TextQuery, types []kg.RelType, max int,
	each func([]*kg.Relationship) bool) error {
	s.mu.RLock()
	nums := s.relTextNums(q, types, max, nil)
	s.sortRelsByID(nums)
	s.mu.RUnlock()
	for len(nums) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := nums[:min(relTextBatch, len(nums))]
		nums = nums[len(batch):]
		docs, err := s.relDocs(batch)
		if err != nil {
			return err
		}
		if !each(docs) {
			break
		}
	}
	return ctx.Err()
}

// sortRelsByID sorts relationship numbers by id: by their ranks in the
// relationship order once a list has built it, by their ids before (the
// first build sorts every relationship: seconds at five million). The
// caller holds the read lock.
func (s *Store) sortRelsByID(nums []uint32) {
	o := s.orders.rels
	o.mu.Lock()
	built := o.built
	o.mu.Unlock()
	if !built {
		type rel struct {
			id string
			n  uint32
		}
		rels := make([]rel, len(nums))
		for i, n := range nums {
			rels[i] = rel{s.g.relID(n), n}
		}
		slices.SortFunc(rels, func(a, b rel) int { return strings.Compare(a.id, b.id) })
		for i, r := range rels {
			nums[i] = r.n
		}
		return
	}
	_, rank := s.relOrder()
	keys := make([]uint64, len(nums))
	for i, n := range nums {
		keys[i] = uint64(rank[n])<<32 | uint64(n)
	}
	slices.Sort(keys)
	for i, k := range keys {
		nums[i] = uint32(k)
	}
}
