package kg

import "context"

// Store is what a backend implements: a small set of batched primitives.
// Everything above them (paths, neighbourhoods, search ranking, mutations) is
// written once, on top of Store, so that all backends give the same answers.
//
// Every method that takes a list of ids answers for all of them in one call,
// which is what lets a GraphQL query cost one store call per level.
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
}

// RelationshipFilter selects relationships. Empty fields do not filter.
type RelationshipFilter struct {
	IDs    []string
	Types  []RelType
	AsOf   string
	Offset int
	Limit  int // 0 means no limit
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
