package export

import (
	"context"
	"io"
	"slices"

	"github.com/vjkg/vjkg/kg"
)

// records is what a writer reads: the scope's entities and then its
// relationships, each in id order, a page at a time, with the sources they
// cite looked up by source (loaded before the page is handed over).
type records interface {
	entities(ctx context.Context, yield func([]*kg.Entity) error) error
	relationships(ctx context.Context, yield func([]*kg.Relationship) error) error
	source(id string) *kg.Source
	// citedSources hands over every source the records cite, in id order.
	citedSources(ctx context.Context, yield func([]*kg.Source) error) error
	// asOf is the day the relationships were read on (YYYY-MM-DD), or ""
	// for any time: with a day, each edge carries its time status.
	asOf() string
}

// memRecords are a Graph read whole: a neighbourhood or paths, which the
// bounds keep small.
type memRecords struct{ g *Graph }

func (m memRecords) entities(ctx context.Context, yield func([]*kg.Entity) error) error {
	return yield(m.g.Entities)
}

func (m memRecords) relationships(ctx context.Context, yield func([]*kg.Relationship) error) error {
	return yield(m.g.Relationships)
}

func (m memRecords) source(id string) *kg.Source { return m.g.Sources[id] }

func (m memRecords) asOf() string { return m.g.AsOf }

func (m memRecords) citedSources(ctx context.Context, yield func([]*kg.Source) error) error {
	out := make([]*kg.Source, 0, len(m.g.Sources))
	for _, id := range keysOf(m.g.Sources) {
		out = append(out, m.g.Sources[id])
	}
	return yield(out)
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// PageSize is how many entities an export reads from the store at once
// (and whose relationships it then expands). The records are the store's
// own; what a page costs is their attributes as they are written, a few MB.
const PageSize = 5000

// maxCachedSources bounds the sources an export keeps for their titles;
// beyond it the cache starts again (a page's sources are always loaded).
const maxCachedSources = 10000

// storeRecords read the whole graph, or the entities a filter selects and
// the relationships among them, from the store a page at a time.
type storeRecords struct {
	s      kg.Store
	filter kg.EntityFilter
	day    string          // asOf
	ev     *kg.SourceSet   // keep only relationships that count under it (nil: all)
	among  bool            // keep only relationships between listed entities
	listed map[string]bool // with among: the entities read so far
	read   bool            // with among: every entity has been read
	loaded map[string]*kg.Source
	cited  map[string]bool
	size   int // records per page
}

func newStoreRecords(s kg.Store, f kg.EntityFilter, asOf string, among bool, size int) *storeRecords {
	f.Order, f.Offset, f.Limit = kg.EntityOrder{Field: kg.OrderByID}, 0, size
	return &storeRecords{s: s, filter: f, day: asOf, among: among, listed: map[string]bool{},
		loaded: map[string]*kg.Source{}, cited: map[string]bool{}, size: size}
}

// entityPages hands fn the scope's entities a page at a time, noting
// which are listed.
func (r *storeRecords) entityPages(ctx context.Context, fn func([]*kg.Entity) error) error {
	f := r.filter
	for f.Offset = 0; ; f.Offset += r.size {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, _, err := r.s.FindEntities(ctx, f)
		if err != nil {
			return err
		}
		if r.among {
			for _, e := range page {
				r.listed[e.ID] = true
			}
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if len(page) < r.size {
			r.read = true
			return nil
		}
	}
}

func (r *storeRecords) entities(ctx context.Context, yield func([]*kg.Entity) error) error {
	return r.entityPages(ctx, func(page []*kg.Entity) error {
		var ids []string
		for _, e := range page {
			ids = append(ids, citedBy(e)...)
		}
		if err := r.load(ctx, ids); err != nil {
			return err
		}
		return yield(page)
	})
}

// relationships expands each page of entities outwards: every relationship
// leaves one entity, so each comes once, found through the store's
// adjacency rather than by paging all relationships in id order (which the
// embedded store sorts whole for every page). They come ordered by the
// entity they leave, then by id.
func (r *storeRecords) relationships(ctx context.Context, yield func([]*kg.Relationship) error) error {
	if r.among && !r.read { // edges.csv alone: learn which entities are listed first
		if err := r.entityPages(ctx, func([]*kg.Entity) error { return nil }); err != nil {
			return err
		}
	}
	return r.entityPages(ctx, func(page []*kg.Entity) error {
		from := make([]string, len(page))
		for i, e := range page {
			from[i] = e.ID
		}
		rels, err := r.s.Expand(ctx, kg.ExpandQuery{IDs: from, Direction: kg.DirOut, AsOf: r.day, Evidence: r.ev})
		if err != nil {
			return err
		}
		if r.among {
			rels = slices.DeleteFunc(rels, func(rel *kg.Relationship) bool { return !r.listed[rel.To] })
		}
		sortRelationships(rels)
		var ids []string
		for _, rel := range rels {
			ids = append(ids, citedByRel(rel)...)
		}
		if err := r.load(ctx, ids); err != nil {
			return err
		}
		if len(rels) == 0 {
			return nil
		}
		return yield(rels)
	})
}

// load fetches the cited sources not yet loaded, in one call.
func (r *storeRecords) load(ctx context.Context, ids []string) error {
	missing := map[string]bool{}
	for _, id := range ids {
		r.cited[id] = true
		if _, ok := r.loaded[id]; !ok {
			missing[id] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if len(r.loaded)+len(missing) > maxCachedSources {
		clear(r.loaded)
		for _, id := range ids {
			missing[id] = true
		}
	}
	found, err := r.s.GetSources(ctx, keys(missing))
	if err != nil {
		return err
	}
	for id := range missing {
		r.loaded[id] = nil // not in the store: remembered as such
	}
	for _, src := range found {
		r.loaded[src.ID] = src
	}
	return nil
}

func (r *storeRecords) source(id string) *kg.Source { return r.loaded[id] }

func (r *storeRecords) asOf() string { return r.day }

func (r *storeRecords) citedSources(ctx context.Context, yield func([]*kg.Source) error) error {
	ids := make([]string, 0, len(r.cited))
	for id := range r.cited {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for len(ids) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := ids[:min(r.size, len(ids))]
		ids = ids[len(chunk):]
		found, err := r.s.GetSources(ctx, chunk)
		if err != nil {
			return err
		}
		slices.SortFunc(found, func(a, b *kg.Source) int { return compareIDs(a.ID, b.ID) })
		if err := yield(found); err != nil {
			return err
		}
	}
	return nil
}

func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Export is an export whose scope has been checked, ready to be written.
type Export struct {
	records  records
	entities int
}

// Prepare checks sc against b and reads what must be known before the first
// byte is written, so that every error it can foresee (EInvalid,
// ENotFound, EUnavailable) comes before a response has begun: a
// neighbourhood or paths whole (the bounds keep them small), a small list
// whole, and for the whole graph or a large list only their size; those
// are read a page at a time as they are written.
func Prepare(ctx context.Context, s kg.Store, sc Scope, b Bounds) (*Export, error) {
	ev, err := kg.SourcesOfTypes(ctx, s, sc.SourceTypes)
	if err != nil {
		return nil, err
	}
	var f kg.EntityFilter
	switch sc.What {
	case "", "all":
	case "list":
		f = sc.Filter
	default:
		g, err := Collect(ctx, s, sc, b)
		if err != nil {
			return nil, err
		}
		return &Export{records: memRecords{g}, entities: len(g.Entities)}, nil
	}
	f.Offset, f.Limit, f.Evidence = 0, 1, ev
	_, total, err := s.FindEntities(ctx, f)
	if err != nil {
		return nil, err
	}
	if sc.What == "list" && total <= PageSize {
		g, err := Collect(ctx, s, sc, b)
		if err != nil {
			return nil, err
		}
		return &Export{records: memRecords{g}, entities: len(g.Entities)}, nil
	}
	// With evidence, a relationship that counts may lead to an entity that
	// does not: the whole graph keeps, as a list does, only edges among
	// the entities written.
	records := newStoreRecords(s, f, sc.Traverse.AsOf, sc.What == "list" || ev != nil, PageSize)
	records.ev = ev
	return &Export{records: records, entities: total}, nil
}

// Entities returns how many entities the export holds (as counted when it
// was prepared).
func (x *Export) Entities() int { return x.entities }

// Write writes the export in the named format, reading from the store as it
// goes. It stops with ctx's error when ctx ends.
func (x *Export) Write(ctx context.Context, w io.Writer, format string, o WriteOptions) error {
	return write(ctx, w, format, x.records, o)
}
