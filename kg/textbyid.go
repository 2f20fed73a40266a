package kg

import (
	"context"
	"math"
)

// RelationshipTextByID is implemented by stores that can give the
// candidates of RelationshipTextCandidates in order of id, a batch at a
// time (until each returns false). Hits rank by score, then id, and no
// relationship scores above the best field weight, so once a search for
// its first limit hits has that many at that score, no later candidate can
// displace them: it reads no more, and the answer is the one it would give
// after reading them all.
type RelationshipTextByID interface {
	RelationshipTextCandidatesByID(ctx context.Context, q TextQuery, types []RelType, max int, each func([]*Relationship) bool) error
}

// topRelWeight is the best score a relationship hit can have: a quote's
// weight, for every term.
var topRelWeight = max(fieldWeight[FieldQuote], fieldWeight[FieldRole], fieldWeight[FieldEnd])

// relationshipsByID returns the relationship hits of SearchRelationships,
// enough of them for its first limit: all of them when the store scores
// them from its index (RelationshipTextMasker), which costs less than
// reading even a batch; else reading candidates by id when the store can
// give them so (all of them otherwise).
func (s *Service) relationshipsByID(ctx context.Context, q TextQuery, types []RelType, ev *SourceSet, limit int) ([]relHit, error) {
	x, ok := s.Store.(RelationshipTextByID)
	if _, masks := s.Store.(RelationshipTextMasker); !ok || limit <= 0 || (masks && ev == nil && q.Indexable()) {
		return s.relationshipHits(ctx, q, types, ev, MaxTextCandidates)
	}
	var hits []relHit
	top := 0
	var failed error
	err := x.RelationshipTextCandidatesByID(ctx, q, types, MaxTextCandidates, func(rels []*Relationship) bool {
		found, err := s.scoreRelationships(ctx, q, rels, ev)
		if err != nil {
			failed = err
			return false
		}
		for _, h := range found {
			if math.Round(h.Score*1000)/1000 >= topRelWeight {
				top++
			}
		}
		hits = append(hits, found...)
		return top < limit
	})
	if failed != nil {
		return nil, failed
	}
	return hits, err
}
