package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// relSpec names the relationships a connection field shows: which types, in
// which direction from the entity.
type relSpec struct {
	types []kg.RelType
	dir   kg.Direction
}

// The relationship fields of each type, by the relationships they follow.
var (
	specPartOfOut   = relSpec{[]kg.RelType{kg.RelPartOf}, kg.DirOut}
	specPartOfIn    = relSpec{[]kg.RelType{kg.RelPartOf}, kg.DirIn}
	specMergedOut   = relSpec{[]kg.RelType{kg.RelMergedInto}, kg.DirOut}
	specMergedIn    = relSpec{[]kg.RelType{kg.RelMergedInto}, kg.DirIn}
	specPartyOut    = relSpec{[]kg.RelType{kg.RelPartyTo}, kg.DirOut}
	specPartyIn     = relSpec{[]kg.RelType{kg.RelPartyTo}, kg.DirIn}
	specOfficeIn    = relSpec{[]kg.RelType{kg.RelHoldsOffice}, kg.DirIn}
	specOfficeOut   = relSpec{[]kg.RelType{kg.RelHoldsOffice}, kg.DirOut}
	specPlaceEvents = relSpec{[]kg.RelType{kg.RelHeldIn, kg.RelOrganized, kg.RelParticipatedIn}, kg.DirBoth}
	specActorEvents = relSpec{[]kg.RelType{kg.RelOrganized, kg.RelParticipatedIn}, kg.DirOut}
	specPartners    = relSpec{[]kg.RelType{kg.RelCooperatesWith}, kg.DirBoth}
	specOrgPartners = relSpec{[]kg.RelType{kg.RelCooperatesWith, kg.RelInvestsIn}, kg.DirBoth}
	specInvestments = relSpec{[]kg.RelType{kg.RelInvestsIn}, kg.DirBoth}
	specSignedOrTo  = relSpec{[]kg.RelType{kg.RelSigned, kg.RelPartyTo}, kg.DirOut}
	specLocatedIn   = relSpec{[]kg.RelType{kg.RelLocatedIn}, kg.DirOut}
	specSignedIn    = relSpec{[]kg.RelType{kg.RelSigned}, kg.DirIn}
	specResultOut   = relSpec{[]kg.RelType{kg.RelResultedIn}, kg.DirOut}
	specResultIn    = relSpec{[]kg.RelType{kg.RelResultedIn}, kg.DirIn}
	specConcernsIn  = relSpec{[]kg.RelType{kg.RelConcerns}, kg.DirIn}
	specConcernsOut = relSpec{[]kg.RelType{kg.RelConcerns}, kg.DirOut}
	specHeldIn      = relSpec{[]kg.RelType{kg.RelHeldIn}, kg.DirOut}
	specOrganizers  = relSpec{[]kg.RelType{kg.RelOrganized}, kg.DirIn}
	specParticipant = relSpec{[]kg.RelType{kg.RelParticipatedIn}, kg.DirIn}
)

// related answers a fixed relationship field (agreements, officials, …).
func (r *Resolver) related(ctx context.Context, id string, spec relSpec, asOf *model.Date, sourceTypes []model.SourceType, p page) (*model.RelationshipConnection, error) {
	return r.relationships(ctx, id, spec.types, spec.dir, nil, asOf, sourceTypes, p)
}

// relationships answers every relationship connection with one page asked
// of the store through the batching loader (a page counted from the end
// first asks for the count).
func (r *Resolver) relationships(ctx context.Context, id string, types []kg.RelType, dir kg.Direction, kinds []model.EntityKind, asOf *model.Date, sourceTypes []model.SourceType, p page) (*model.RelationshipConnection, error) {
	day := model.DayOf(asOf)
	ev, err := r.evidence(ctx, sourceTypes)
	if err != nil {
		return nil, err
	}
	load := func(offset, limit int) (kg.RelPage, error) {
		return r.loaders(ctx).Relationships.Load(ctx, NewRelKey(id, types, dir, day, kindsOf(kinds), ev, offset, limit))
	}
	if countOnly(ctx) {
		if _, _, err := p.window(r.Limits.MaxPageSize, -1); err != nil {
			return nil, err
		}
		got, err := load(0, 0)
		if err != nil {
			return nil, err
		}
		return &model.RelationshipConnection{TotalCount: got.Total, PageInfo: pageInfo(0, 0, got.Total), Edges: []*model.RelationshipEdge{}}, nil
	}
	offset, limit, err := p.cut(r.Limits.MaxPageSize, func() (int, error) {
		count, err := load(0, 0)
		return count.Total, err
	})
	if err != nil {
		return nil, err
	}
	got, err := load(offset, limit)
	if err != nil {
		return nil, err
	}
	total, cut := got.Total, got.Relationships
	conn := &model.RelationshipConnection{TotalCount: total, PageInfo: pageInfo(offset, len(cut), total)}
	for i, rel := range cut {
		conn.Edges = append(conn.Edges, &model.RelationshipEdge{Cursor: encodeCursor(offset + i), Parent: id, Rel: rel, AsOf: day})
	}
	if conn.Edges == nil {
		conn.Edges = []*model.RelationshipEdge{}
	}
	return conn, nil
}

// entityTypes are the names under which a selection of an Entity may hold
// fields: every concrete type and the interfaces, so that no fragment's
// fields are missed.
var entityTypes = []string{"Locality", "Official", "Organization", "Agreement", "Event", "Entity", "Node"}

// end resolves one end of a relationship. When the query asks for no more
// than the end's id and kind (a graph view's edge list), the relationship
// already says both, and the entity is not loaded.
func (r *Resolver) end(ctx context.Context, id string, kind kg.Kind) (model.Entity, error) {
	if kind != "" && identityOnly(ctx) {
		return model.WrapEntity(&kg.Entity{ID: id, Kind: kind}), nil
	}
	return r.mustEntity(ctx, id)
}

func identityOnly(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, entityTypes) {
		switch f.Name {
		case "id", "kind", "__typename":
		default:
			return false
		}
	}
	return true
}

// entity loads one entity through the loader; nil if it does not exist.
func (r *Resolver) entity(ctx context.Context, id string) (*kg.Entity, error) {
	return r.loaders(ctx).Entities.Load(ctx, id)
}

// mustEntity loads an entity that a relationship or path refers to; a
// missing one means the store is inconsistent.
func (r *Resolver) mustEntity(ctx context.Context, id string) (model.Entity, error) {
	e, err := r.entity(ctx, id)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", id)
	}
	return model.WrapEntity(e), nil
}

// entitiesByID loads many entities at once, in the order of ids.
func (r *Resolver) entitiesByID(ctx context.Context, ids []string) ([]model.Entity, error) {
	found, err := r.loaders(ctx).Entities.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.Entity, 0, len(found))
	for i, e := range found {
		if e == nil {
			return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", ids[i])
		}
		out = append(out, model.WrapEntity(e))
	}
	return out, nil
}

// prime tells the entity loader about entities a list already fetched, so
// that resolving them again costs no store call.
func (r *Resolver) prime(ctx context.Context, es []*kg.Entity) {
	l := r.loaders(ctx)
	for _, e := range es {
		l.Entities.Prime(e.ID, e)
	}
}

// findEntities runs one list query and returns the page with its offset and
// total. A page counted from the end (last without before) first asks for
// the total, to know where the end is; a connection asked only for its
// totalCount asks for the count alone. m (nil: none) adds relationship
// filters and AND, OR, NOT to f.
func (r *Resolver) findEntities(ctx context.Context, f kg.EntityFilter, m *kg.Match, orderBy *model.EntityOrder, p page) ([]*kg.Entity, int, int, error) {
	f.Order = kg.EntityOrder{Field: kg.OrderByName}
	if orderBy != nil {
		f.Order = kg.EntityOrder{Field: kg.OrderField(orderBy.Field), Desc: orderBy.Direction == model.OrderDirectionDesc}
	}
	if err := checkOwn(f); err != nil {
		return nil, 0, 0, err
	}
	count := func() (int, error) {
		c := f
		c.CountOnly = true
		_, total, err := kg.FindMatching(ctx, r.Store, c, m)
		return total, err
	}
	if countOnly(ctx) {
		if _, _, err := p.window(r.Limits.MaxPageSize, -1); err != nil {
			return nil, 0, 0, err
		}
		total, err := count()
		return nil, 0, total, err
	}
	offset, limit, err := p.cut(r.Limits.MaxPageSize, count)
	if err != nil {
		return nil, 0, 0, err
	}
	// Limit 0 would mean "no limit" to a store; ask for one row and drop it.
	f.Offset, f.Limit = offset, max(limit, 1)
	found, total, err := kg.FindMatching(ctx, r.Store, f, m)
	if err != nil {
		return nil, 0, 0, err
	}
	found = found[:min(limit, len(found))]
	r.prime(ctx, found)
	return found, offset, total, nil
}

// countOnly reports whether a connection is asked for its totalCount alone
// (and __typename), so that no page need be read.
func countOnly(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name != "totalCount" && f.Name != "__typename" {
			return false
		}
	}
	return true
}

// edges builds the edges and nodes of a typed entity connection.
func edges[N any, E any](found []*kg.Entity, offset int, wrap func(*kg.Entity) N, edge func(string, N) E) ([]E, []N) {
	es, ns := make([]E, len(found)), make([]N, len(found))
	for i, e := range found {
		ns[i] = wrap(e)
		es[i] = edge(encodeCursor(offset+i), ns[i])
	}
	return es, ns
}

func kindsOf(ks []model.EntityKind) []kg.Kind {
	out := make([]kg.Kind, len(ks))
	for i, k := range ks {
		out[i] = kg.Kind(k)
	}
	return out
}

func relTypesOf(ts []model.RelationType) []kg.RelType {
	out := make([]kg.RelType, len(ts))
	for i, t := range ts {
		out[i] = kg.RelType(t)
	}
	return out
}

func stringsOf[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func directionOf(d *model.Direction) kg.Direction {
	if d == nil {
		return kg.DirBoth
	}
	return kg.Direction(*d)
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// snippetWidth is about how many characters of a matched field a search
// hit shows.
const snippetWidth = 120

func textRanges(marks [][2]int) []*model.TextRange {
	out := make([]*model.TextRange, len(marks))
	for i, m := range marks {
		out[i] = &model.TextRange{Start: m[0], End: m[1]}
	}
	return out
}

func citationOf(c *kg.Citation) *model.Citation {
	if c == nil {
		return nil
	}
	return &model.Citation{SourceID: c.SourceID, Quote: c.Quote}
}
