package embedded

import (
	"context"
	"slices"

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
	nums := s.relTextNums(q, types, max)
	if len(nums) > 0 {
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
