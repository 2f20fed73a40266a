package kg

import (
	"context"
	"slices"
	"sort"
)

// Store is what a backend implements: a small set of batched primitives.
// Everything above them (paths, neighbourhoods, search ranking, mutations) is
// written once, on top of Store, so that all backends give the same answers.
//
// Every method that takes a list of ids answers for all of them in one call,
// which is what lets a GraphQL query cost one store call per level.
// EntityOutliner is a Store that reads entities' ids, kinds and names alone
// for less than their whole records: for answers that show no more (the
// nodes of a neighbourhood drawn as a graph). Like GetEntities, it returns
// them in no particular order and leaves unknown ids out; every other field
// of the entities it returns is empty.
type EntityOutliner interface {
	EntityOutlines(ctx context.Context, ids []string) ([]*Entity, error)
}

// FoldedNamer is a Store that keeps every entity's names folded (Fold) in
// memory: full-text search matches relationships' ends by them without
// reading the ends' documents (at 1 M entities, reading them was a third
// of a search for a word of many relationships' roles). It returns, aligned
// with ids, each entity's names folded, nil for an unknown id.
type FoldedNamer interface {
	FoldedNames(ctx context.Context, ids []string) ([][]string, error)
}

type Store interface {
	// GetEntities returns the entities with the given ids, in no particular
	// order. Unknown ids are left out; they are not an error.
	GetEntities(ctx context.Context, ids []string) ([]*Entity, error)

	// FindEntities returns one page of the entities that match f, in f's
	// order, and the number of entities that match f in all.
	FindEntities(ctx context.Context, f EntityFilter) ([]*Entity, int, error)

	// GetRelationships returns the relationships with the given ids, in no
	// particular order; unknown ids are left out.
	GetRelationships(ctx context.Context, ids []string) ([]*Relationship, error)

	// Expand returns the relationships that touch any of q.IDs in q.Direction,
	// of q.Types (all types when empty), valid on q.AsOf (at any time when
	// empty). A relationship between two of q.IDs is returned once.
	Expand(ctx context.Context, q ExpandQuery) ([]*Relationship, error)

	// FindRelationships returns one page of the relationships that match f,
	// ordered by id, and their number in all.
	FindRelationships(ctx context.Context, f RelationshipFilter) ([]*Relationship, int, error)

	// GetSources returns the sources with the given ids; unknown ids are left out.
	GetSources(ctx context.Context, ids []string) ([]*Source, error)

	// FindSources returns one page of all sources, ordered by id, and their number.
	FindSources(ctx context.Context, offset, limit int) ([]*Source, int, error)

	// Apply writes a batch in one transaction: all of it lands or none of it
	// does. It returns ENOTFOUND if a relationship's end, a cited source or a
	// record to update or delete does not exist (in the store or in the batch),
	// and ECONFLICT if the batch creates a record whose id exists.
	Apply(ctx context.Context, b *Batch) error

	// Ping returns nil when the store can serve requests, EUnavailable if not.
	Ping(ctx context.Context) error

	// Close releases the store's resources.
	Close() error
}

// EntityFilter selects entities. Empty fields do not filter.
type EntityFilter struct {
	IDs       []string
	Kinds     []Kind
	Types     []string
	Countries []string
	// Text keeps entities one of whose names contains Compact(Text).
	Text string
	// WholeName makes Text match only a whole name (alias, local name):
	// "hanoi" finds Hà Nội but not "Hanoi Company".
	WholeName bool
	// From and To (YYYY-MM-DD) keep entities whose dates overlap the range;
	// entities without a start date are left out when either is set.
	From, To string
	Order    EntityOrder
	Offset   int
	Limit    int // 0 means no limit
	// CountOnly says only the total is wanted: the store may skip reading
	// the page (and callers ignore any records it returns).
	CountOnly bool
	// CitesSource keeps entities one of whose citations (or figures')
	// cites this source.
	CitesSource string
	// Evidence keeps the entities that count under it (see SourceSet);
	// nil keeps all.
	Evidence *SourceSet
}

// EntityOrder is the order of a list of entities. Ties are broken by id, so
// pages never overlap.
type EntityOrder struct {
	Field OrderField
	Desc  bool
}

// OrderField names what entities are ordered by.
type OrderField string

// The fields entities can be ordered by.
const (
	OrderByName  OrderField = "NAME"  // folded name (SortName)
	OrderByStart OrderField = "START" // start date; entities without one come last
	OrderByID    OrderField = "ID"
)

// ExpandQuery is a one-hop expansion from many nodes at once.
type ExpandQuery struct {
	IDs       []string
	Types     []RelType // empty: all types
	Direction Direction // relative to IDs; "" means DirBoth
	AsOf      string    // YYYY-MM-DD, or "" for any time
	// Evidence keeps the relationships that count under it; nil keeps all.
	Evidence *SourceSet
}

// RelationshipFilter selects relationships. Empty fields do not filter.
type RelationshipFilter struct {
	IDs    []string
	Types  []RelType
	AsOf   string
	Offset int
	Limit  int // 0 means no limit
	// CountOnly says only the total is wanted, as for EntityFilter.
	CountOnly bool
	// CitesSource keeps relationships one of whose citations cites this
	// source.
	CitesSource string
	// Evidence keeps the relationships that count under it; nil keeps all.
	Evidence *SourceSet
}

// Batch is a set of writes that lands whole or not at all. Entities,
// relationships and sources are upserted (replaced whole by id); deletions run
// after the upserts. Deleting an entity deletes its relationships.
type Batch struct {
	Sources             []*Source
	Entities            []*Entity
	Relationships       []*Relationship
	DeleteEntities      []string
	DeleteRelationships []string
	// Mode says whether upserted records must be new, must exist, or either.
	Mode WriteMode
	// Revision is the revision the batch's changes are recorded in: 0 for
	// a new one, whose number Apply stores here; an import's later batches
	// pass the number back to add to the same revision.
	Revision int64
	// IfLatest maps record ids to the revision that must hold each one's
	// latest change; Apply fails with ECONFLICT, writing nothing, if one
	// does not (a revert checks this in its own transaction).
	IfLatest map[string]int64
}

// WriteMode is how Apply treats an upserted record that exists already.
type WriteMode int

// The write modes.
const (
	Upsert     WriteMode = iota // create or replace
	CreateOnly                  // ECONFLICT if any upserted entity or relationship exists
	UpdateOnly                  // ENOTFOUND if any upserted entity or relationship does not exist
)

// Empty reports whether the batch writes nothing.
func (b *Batch) Empty() bool {
	return len(b.Sources)+len(b.Entities)+len(b.Relationships)+len(b.DeleteEntities)+len(b.DeleteRelationships) == 0
}

// AdjacencyLess is the order of the relationships around one entity, at:
// those leaving it before those entering it, then by type, then by id. It
// is the order of every relationship connection and the order in which
// traversals look at an entity's relationships, on every backend.
func AdjacencyLess(at string, a, b *Relationship) bool {
	if (a.From == at) != (b.From == at) {
		return a.From == at
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.ID < b.ID
}

// RelPageQuery asks for one page of one entity's relationships, in
// AdjacencyLess order at ID.
type RelPageQuery struct {
	ID         string
	Types      []RelType // empty: all types
	Direction  Direction // relative to ID; "" means DirBoth
	AsOf       string    // YYYY-MM-DD, or "" for any time
	OtherKinds []Kind    // keep only relationships whose other end is of these kinds; all when empty
	// Evidence keeps only the relationships that count under it (their
	// other ends are not asked about); nil keeps all.
	Evidence *SourceSet
	Offset   int
	Limit    int // 0: count only
	// Outline says the caller reads no more of the page's relationships
	// than their types and ends (with the ends' kinds): a store may then
	// leave every other field empty, the id included (the embedded store
	// cuts them from its index: no document read, no derived id built), or
	// fill them.
	Outline bool
}

// RelPage is one page of relationships and how many match in all.
type RelPage struct {
	Relationships []*Relationship
	Total         int
}

// RelationshipPager is implemented by stores that cut pages of an entity's
// relationships themselves, without reading the relationships outside the
// page. PageRelationships is the reference they must agree with.
type RelationshipPager interface {
	PageRelationships(ctx context.Context, qs []RelPageQuery) ([]RelPage, error)
}

// PageRelationships answers every query in one store call: the store's own
// when it is a RelationshipPager, otherwise one Expand over all the queries'
// entities, cut in Go.
func PageRelationships(ctx context.Context, s Store, qs []RelPageQuery) ([]RelPage, error) {
	if p, ok := s.(RelationshipPager); ok {
		return p.PageRelationships(ctx, qs)
	}
	return PageByExpand(ctx, s, qs)
}

// PageByExpand is PageRelationships over Expand alone: the reference every
// RelationshipPager must agree with.
func PageByExpand(ctx context.Context, s Store, qs []RelPageQuery) ([]RelPage, error) {
	if len(qs) == 0 {
		return nil, nil
	}
	q := ExpandQuery{Direction: DirBoth, AsOf: qs[0].AsOf, Evidence: qs[0].Evidence}
	allTypes := false
	typeSet := map[RelType]bool{}
	seen := map[string]bool{}
	for _, k := range qs {
		if !seen[k.ID] {
			seen[k.ID] = true
			q.IDs = append(q.IDs, k.ID)
		}
		if k.AsOf != q.AsOf {
			q.AsOf = "" // mixed days: fetch all and filter below
		}
		if !k.Evidence.Equal(q.Evidence) {
			q.Evidence = nil // mixed sets: fetch all and filter below
		}
		if len(k.Types) == 0 {
			allTypes = true
		}
		for _, t := range k.Types {
			typeSet[t] = true
		}
	}
	if !allTypes {
		for t := range typeSet {
			q.Types = append(q.Types, t)
		}
		slices.Sort(q.Types)
	}
	rels, err := s.Expand(ctx, q)
	if err != nil {
		return nil, err
	}
	byID := map[string][]*Relationship{}
	for _, r := range rels {
		byID[r.From] = append(byID[r.From], r)
		if r.To != r.From {
			byID[r.To] = append(byID[r.To], r)
		}
	}
	out := make([]RelPage, len(qs))
	for i, k := range qs {
		var keep []*Relationship
		for _, r := range byID[k.ID] {
			if k.Matches(r) {
				keep = append(keep, r)
			}
		}
		sort.Slice(keep, func(a, b int) bool { return AdjacencyLess(k.ID, keep[a], keep[b]) })
		out[i].Total = len(keep)
		if k.Limit > 0 && k.Offset < len(keep) {
			out[i].Relationships = keep[k.Offset:min(k.Offset+k.Limit, len(keep))]
		}
	}
	return out, nil
}

// Matches reports whether r is one of the relationships q asks for
// (ignoring paging).
func (q *RelPageQuery) Matches(r *Relationship) bool {
	switch {
	case q.Direction == DirOut && r.From != q.ID:
		return false
	case q.Direction == DirIn && r.To != q.ID:
		return false
	case r.From != q.ID && r.To != q.ID:
		return false
	case len(q.Types) > 0 && !slices.Contains(q.Types, r.Type):
		return false
	case len(q.OtherKinds) > 0:
		other := r.ToKind
		if r.To == q.ID {
			other = r.FromKind
		}
		if !slices.Contains(q.OtherKinds, other) {
			return false
		}
	}
	return r.ValidOn(q.AsOf) && q.Evidence.AdmitsRelationship(r)
}

// Reserver is implemented by stores that can make room ahead of a large
// write: an import, having counted its files' records, tells the store how
// many entities and relationships it will hold at least.
type Reserver interface {
	Reserve(entities, relationships int)
}
