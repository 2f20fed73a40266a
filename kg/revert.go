package kg

import (
	"context"
	"fmt"
	"slices"
)

// MaxRevertChanges bounds the revisions Revert takes back in one write; a
// larger one (a whole import) is taken back by importing the data again.
const MaxRevertChanges = 50_000

// History returns the store's history, or EUnavailable when it keeps none.
func (s *Service) History() (History, error) {
	h, ok := s.Store.(History)
	if !ok {
		return nil, Errorf(EUnavailable, "this store keeps no history")
	}
	return h, nil
}

// Revert writes a new revision that restores every record revision seq
// touched to its state before seq: records it created are deleted, records
// it changed or deleted are written back as they were. It fails with
// ECONFLICT, changing nothing, when a later revision changed one of those
// records, or when deleting an entity seq created would also delete
// relationships added to it since. Sources cannot be deleted: a source seq
// created stays.
func (s *Service) Revert(ctx context.Context, seq int64) (*Revision, error) {
	h, err := s.History()
	if err != nil {
		return nil, err
	}
	rev, err := h.Revision(ctx, seq)
	if err != nil {
		return nil, err
	}
	if rev.Changes > MaxRevertChanges {
		return nil, Errorf(EInvalid, "revision %d holds %d changes; at most %d can be reverted at once", seq, rev.Changes, MaxRevertChanges)
	}
	var changes []*Change
	for after := int64(0); ; {
		page, err := h.Changes(ctx, ChangeQuery{Seq: seq, After: after, Limit: 5000})
		if err != nil {
			return nil, err
		}
		changes = append(changes, page.Changes...)
		if page.More == 0 {
			break
		}
		after = page.More
	}
	b, err := revertBatch(seq, changes)
	if err != nil {
		return nil, err
	}
	// Deleting an entity deletes its relationships: only those seq itself
	// recorded may go.
	if len(b.DeleteEntities) > 0 {
		rels, err := s.Store.Expand(ctx, ExpandQuery{IDs: b.DeleteEntities})
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if _, ok := b.IfLatest[r.ID]; !ok {
				return nil, Errorf(EConflict, "reverting revision %d deletes %s, which %s joins since a later revision: delete or revert that first", seq, r.From+" or "+r.To, r.ID)
			}
		}
	}
	note := NoteFrom(ctx)
	note.Reverts = seq
	if note.Message == "" {
		note.Message = fmt.Sprintf("revert revision %d", seq)
	}
	if err := s.Store.Apply(WithNote(ctx, note), b); err != nil {
		return nil, err
	}
	if b.Revision == 0 {
		return nil, Errorf(EConflict, "revision %d changes nothing any more", seq)
	}
	return h.Revision(ctx, b.Revision)
}

// revertBatch builds the write that undoes changes (all of revision seq):
// each record goes back to its state before its first change in seq, on
// condition that seq holds its latest change.
func revertBatch(seq int64, changes []*Change) (*Batch, error) {
	b := &Batch{IfLatest: map[string]int64{}}
	for _, c := range changes {
		if _, seen := b.IfLatest[c.ID]; seen {
			continue // its first change in seq has its state before
		}
		b.IfLatest[c.ID] = seq
		switch c.Type {
		case RecordEntity:
			if c.Before == nil {
				b.DeleteEntities = append(b.DeleteEntities, c.ID)
				continue
			}
			e, err := EntityFromSnapshot(c.Before)
			if err != nil {
				return nil, err
			}
			b.Entities = append(b.Entities, e)
		case RecordRelationship:
			if c.Before == nil {
				b.DeleteRelationships = append(b.DeleteRelationships, c.ID)
				continue
			}
			r, err := RelationshipFromSnapshot(c.Before)
			if err != nil {
				return nil, err
			}
			b.Relationships = append(b.Relationships, r)
		case RecordSource:
			if c.Before == nil {
				delete(b.IfLatest, c.ID) // stays: sources are never deleted
				continue
			}
			src, err := SourceFromSnapshot(c.Before)
			if err != nil {
				return nil, err
			}
			b.Sources = append(b.Sources, src)
		}
	}
	// A relationship restored to an entity that the same revert deletes
	// cannot be: the entity was created by seq, after the relationship.
	b.Relationships = slices.DeleteFunc(b.Relationships, func(r *Relationship) bool {
		return slices.Contains(b.DeleteEntities, r.From) || slices.Contains(b.DeleteEntities, r.To)
	})
	return b, nil
}
