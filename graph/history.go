package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// The history's GraphQL side: revisions and changes read from the store's
// kg.History, the notes mutations write with, and the change feed.

// noted returns ctx carrying the note a mutation writes with: the API
// key's name as the actor, and the mutation's message.
func noted(ctx context.Context, message *string) (context.Context, error) {
	n := kg.Note{Actor: Actor(ctx), Message: strings.TrimSpace(derefString(message))}
	if err := kg.CheckNote(n); err != nil {
		return nil, err
	}
	return kg.WithNote(ctx, n), nil
}

// Change cursors are positions, opaque like the others ("p:41").
const changeCursorPrefix = "p:"

func encodeChangeCursor(pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(changeCursorPrefix + strconv.FormatInt(pos, 10)))
}

func decodeChangeCursor(c *string) (int64, error) {
	if c == nil {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*c)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), changeCursorPrefix); ok {
			if pos, err := strconv.ParseInt(n, 10, 64); err == nil && pos >= 0 {
				return pos, nil
			}
		}
	}
	return 0, kg.Errorf(kg.EInvalid, "after: %q is not a cursor of a change list", *c)
}

func (r *Resolver) history() (kg.History, error) {
	return r.Service.History()
}

// changePage answers a change connection: q selects, first and after page.
// since, for a newest-first list, is a lower bound the page stops at.
func (r *Resolver) changePage(ctx context.Context, q kg.ChangeQuery, first *int, after *string, since int64) (*model.ChangeConnection, error) {
	h, err := r.history()
	if err != nil {
		return nil, err
	}
	n := 20
	if first != nil {
		n = *first
	}
	if n < 0 || n > r.Limits.MaxPageSize {
		return nil, kg.Errorf(kg.EInvalid, "first must be between 0 and %d, got %d", r.Limits.MaxPageSize, n)
	}
	cursor, err := decodeChangeCursor(after)
	if err != nil {
		return nil, err
	}
	if cursor > 0 {
		q.After = cursor
	}
	out := &model.ChangeConnection{Nodes: []*model.Change{}, PageInfo: &model.PageInfo{HasPreviousPage: cursor > 0}}
	if n == 0 {
		return out, nil
	}
	q.Limit = n + 1 // one more says whether a next page exists
	p, err := h.Changes(ctx, q)
	if err != nil {
		return nil, err
	}
	changes := p.Changes
	if q.Desc && since > 0 {
		for i, c := range changes {
			if c.Pos <= since {
				changes, p.More = changes[:i], 0
				break
			}
		}
	}
	if len(changes) > n {
		changes = changes[:n]
		out.PageInfo.HasNextPage = true
	} else if p.More != 0 && len(changes) < n {
		// The store read as far as one query may without filling the
		// page: go on from where it stopped.
		out.PageInfo.HasNextPage = true
		end := encodeChangeCursor(p.More)
		out.PageInfo.EndCursor = &end
	}
	for _, c := range changes {
		out.Nodes = append(out.Nodes, &model.Change{Change: c})
	}
	if len(changes) > 0 {
		start, end := encodeChangeCursor(changes[0].Pos), encodeChangeCursor(changes[len(changes)-1].Pos)
		out.PageInfo.StartCursor = &start
		if out.PageInfo.EndCursor == nil {
			out.PageInfo.EndCursor = &end
		}
	}
	return out, nil
}

// changeFilter reads the change feed's filters.
func changeFilter(actor *string, recordTypes []model.RecordType, kinds []model.EntityKind, types []model.RelationType) kg.ChangeQuery {
	q := kg.ChangeQuery{Actor: derefString(actor)}
	for _, t := range recordTypes {
		q.RecordTypes = append(q.RecordTypes, kg.RecordType(t))
	}
	for _, k := range kinds {
		q.Kinds = append(q.Kinds, string(k))
	}
	for _, t := range types {
		q.Kinds = append(q.Kinds, string(t))
	}
	return q
}

// recordRevisions is a record's history, newest first.
func (r *Resolver) recordRevisions(ctx context.Context, id string, first *int, after *string) (*model.ChangeConnection, error) {
	return r.changePage(ctx, kg.ChangeQuery{Record: id, Desc: true}, first, after, 0)
}

// revision returns revision seq, or nil when there is none.
func (r *Resolver) revision(ctx context.Context, seq int) (*model.Revision, error) {
	h, err := r.history()
	if err != nil {
		return nil, err
	}
	rev, err := h.Revision(ctx, int64(seq))
	if kg.ErrorCode(err) == kg.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &model.Revision{Revision: rev}, nil
}

// changes answers Query.changes.
func (r *Resolver) changes(ctx context.Context, since *int, first *int, after *string, newestFirst *bool, q kg.ChangeQuery) (*model.ChangeConnection, error) {
	var lower int64
	if since != nil {
		if *since < 0 {
			return nil, kg.Errorf(kg.EInvalid, "since must not be negative, got %d", *since)
		}
		lower = int64(*since)
	}
	q.Desc = newestFirst != nil && *newestFirst
	if !q.Desc {
		q.After = lower
	}
	return r.changePage(ctx, q, first, after, lower)
}

// revert answers Mutation.revert.
func (r *Resolver) revert(ctx context.Context, seq int, message *string) (*model.Revision, error) {
	ctx, err := noted(ctx, message)
	if err != nil {
		return nil, err
	}
	if seq < 1 {
		return nil, kg.Errorf(kg.EInvalid, "revision must be at least 1, got %d", seq)
	}
	rev, err := r.Service.Revert(ctx, int64(seq))
	if err != nil {
		return nil, err
	}
	r.loaders(ctx).Entities.ClearAll()
	r.loaders(ctx).Relationships.ClearAll()
	r.loaders(ctx).Sources.ClearAll()
	return &model.Revision{Revision: rev}, nil
}
