package graph

import (
	"context"
	"slices"

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
func (r *Resolver) related(ctx context.Context, parent model.Entity, spec relSpec, asOf *model.Date, sourceTypes []model.SourceType, p page) (*model.RelationshipConnection, error) {
	return r.relationships(ctx, parent, spec.types, spec.dir, nil, asOf, sourceTypes, p)
}

// relationships answers every relationship connection with one page asked
// of the store (a page counted from the end first asks for the count). In
// order, the pages of every parent at the same place are asked for in one
// store call (atOnceAll, relationshipPages); resolving concurrently, through
// the batching loader.
func (r *Resolver) relationships(ctx context.Context, parent model.Entity, types []kg.RelType, dir kg.Direction, kinds []model.EntityKind, asOf *model.Date, sourceTypes []model.SourceType, p page) (*model.RelationshipConnection, error) {
	if got, ok := resolvedAt(ctx, r, parent); ok {
		// Resolved with the other parents at this place: what follows
		// would only be thrown away (a tenth of a nested query's time).
		v, _ := got.v.(*model.RelationshipConnection)
		return v, got.err
	}
	day := model.DayOf(asOf)
	ev, err := r.evidence(ctx, sourceTypes)
	if err != nil {
		return nil, err
	}
	counted := countOnly(ctx)
	// The key of one parent's page differs from another's only by id and
	// window.
	template := NewRelKey("", types, dir, day, kindsOf(kinds), ev, 0, 0)
	key := func(id string, offset, limit int) RelKey {
		k := template
		k.ID, k.Offset, k.Limit = id, offset, limit
		return k
	}
	all := func(parents []any) ([]*model.RelationshipConnection, []error) {
		ids := make([]string, len(parents))
		for i, parent := range parents {
			ids[i] = entityID(parent)
		}
		q := template.query()
		q.Outline = pageOutlineOnly(ctx)
		return r.relationshipPages(ctx, ids, q, counted, day, p)
	}
	return atOnceAll(ctx, r, any(parent), all, func(parent any) (*model.RelationshipConnection, error) {
		return r.relationshipPage(ctx, entityID(parent), counted, key, day, p)
	})
}

// relationshipPages answers the relationship connections of entities ids
// (distinct) at once: one store call, two for a page counted from its end
// (the totals first), or one for the totals alone when counted. q says
// which relationships; its id and window are set here. It answers as
// relationshipPage does for each id.
func (r *Resolver) relationshipPages(ctx context.Context, ids []string, q kg.RelPageQuery, counted bool, day string, p page) ([]*model.RelationshipConnection, []error) {
	n := len(ids)
	out := make([]*model.RelationshipConnection, n)
	queries := make([]kg.RelPageQuery, 0, n)
	ask := func(id string, offset, limit int) {
		k := q
		k.ID, k.Offset, k.Limit = id, offset, limit
		queries = append(queries, k)
	}
	// The totals, the offsets and the indices of the ids asked for, in
	// one allocation.
	ints := make([]int, 3*n)
	totals, offsets, asked := ints[:n:n], ints[n:2*n:2*n], ints[2*n:2*n]
	if counted || p.backward() {
		total := 0 // as page.cut checks a backward page before it counts
		if counted {
			total = -1
		}
		if _, _, err := p.window(r.Limits.MaxPageSize, total); err != nil {
			return nil, failAll(n, err)
		}
		for _, id := range ids {
			ask(id, 0, 0)
		}
		got, err := kg.PageRelationships(ctx, r.Store, queries)
		if err != nil {
			return nil, failAll(n, err)
		}
		for i := range ids {
			totals[i] = got[i].Total
		}
		if counted {
			for i := range ids {
				out[i] = &model.RelationshipConnection{TotalCount: totals[i], PageInfo: pageInfo(0, 0, totals[i]), Edges: []*model.RelationshipEdge{}}
			}
			return out, nil
		}
		queries = queries[:0]
	}
	var errs []error
	for i, id := range ids {
		total := -1
		if p.backward() {
			total = totals[i]
		}
		offset, limit, err := p.window(r.Limits.MaxPageSize, total)
		if err != nil {
			if errs == nil {
				errs = make([]error, n)
			}
			errs[i] = err
			continue
		}
		offsets[i] = offset
		asked = append(asked, i)
		ask(id, offset, limit)
	}
	got, err := kg.PageRelationships(ctx, r.Store, queries)
	if err != nil {
		return nil, failAll(n, err)
	}
	edgeCount := 0
	for j := range asked {
		edgeCount += len(got[j].Relationships)
	}
	// One allocation for all the pages' edges, one for their pointers, and
	// one each for the connections and their page infos.
	edges := make([]model.RelationshipEdge, edgeCount)
	pointers := make([]*model.RelationshipEdge, edgeCount)
	conns := make([]model.RelationshipConnection, len(asked))
	infos := make([]model.PageInfo, len(asked))
	for j, i := range asked {
		page, offset := got[j], offsets[i]
		infos[j] = pageInfoOf(offset, len(page.Relationships), page.Total)
		conn := &conns[j]
		conn.TotalCount, conn.PageInfo = page.Total, &infos[j]
		conn.Edges = pointers[:len(page.Relationships):len(page.Relationships)]
		for k, rel := range page.Relationships {
			edges[k] = model.RelationshipEdge{Cursor: encodeCursor(offset + k), Parent: ids[i], Rel: rel, AsOf: day}
			conn.Edges[k] = &edges[k]
		}
		edges, pointers = edges[len(page.Relationships):], pointers[len(page.Relationships):]
		out[i] = conn
	}
	return out, errs
}

// relationshipPage answers one entity's relationship connection.
func (r *Resolver) relationshipPage(ctx context.Context, id string, counted bool, key func(id string, offset, limit int) RelKey, day string, p page) (*model.RelationshipConnection, error) {
	load := func(offset, limit int) (kg.RelPage, error) {
		return r.loaders(ctx).Relationships.Load(ctx, key(id, offset, limit))
	}
	if counted {
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
	// One allocation for the page's edges, not one each.
	edges := make([]model.RelationshipEdge, len(cut))
	conn.Edges = make([]*model.RelationshipEdge, len(cut))
	for i, rel := range cut {
		edges[i] = model.RelationshipEdge{Cursor: encodeCursor(offset + i), Parent: id, Rel: rel, AsOf: day}
		conn.Edges[i] = &edges[i]
	}
	return conn, nil
}

// entityID is the id of an entity presented by the API.
func entityID(e any) string {
	if n, ok := e.(interface{ GetID() string }); ok {
		return n.GetID()
	}
	return ""
}

// entityTypes are the names under which a selection of an Entity may hold
// fields: every concrete type and the interfaces, so that no fragment's
// fields are missed.
var entityTypes = []string{"Locality", "Official", "Organization", "Agreement", "Event", "Entity", "Node"}

// end resolves one end of a relationship, or an edge's node, for parent.
// When the query asks for no more than the end's id and kind (a graph
// view's edge list), the relationship already says both, and the entity is
// not loaded. In order, the ends of every parent at the same place are
// loaded at once.
func (r *Resolver) end(ctx context.Context, parent any, which func(parent any) (string, kg.Kind)) (model.Entity, error) {
	if id, kind := which(parent); kind != "" && identityOnly(ctx) {
		// An entity the request has read already serves as well as a
		// new one holding only the id and kind, and costs less.
		if e, ok := r.loaders(ctx).Entities.Cached(id); ok && e != nil {
			return model.WrapEntity(e), nil
		}
		return model.WrapEntity(&kg.Entity{ID: id, Kind: kind}), nil
	}
	all := func(parents []any) ([]model.Entity, []error) {
		ids := make([]string, len(parents))
		for i, p := range parents {
			ids[i], _ = which(p)
		}
		got, err := r.readEntities(ctx, ids)
		if err != nil {
			return nil, failAll(len(parents), err)
		}
		found := alignEntities(ids, got)
		out := make([]model.Entity, len(parents))
		var errs []error
		for i, id := range ids {
			if e := found[i]; e != nil {
				out[i] = model.WrapEntity(e)
				continue
			}
			if errs == nil {
				errs = make([]error, len(parents))
			}
			errs[i] = kg.Errorf(kg.ENotFound, "entity %q does not exist", id)
		}
		return out, errs
	}
	return atOnceAll(ctx, r, parent, all, func(p any) (model.Entity, error) {
		id, _ := which(p)
		return r.mustEntity(ctx, id)
	})
}

// The ends end can resolve: a relationship's from and to, an edge's node.
func fromEnd(p any) (string, kg.Kind) {
	rel := p.(*model.Relationship)
	return rel.From, rel.FromKind
}

func toEnd(p any) (string, kg.Kind) {
	rel := p.(*model.Relationship)
	return rel.To, rel.ToKind
}

func otherEnd(p any) (string, kg.Kind) {
	e := p.(*model.RelationshipEdge)
	if other := e.OtherID(); other == e.Rel.From {
		return other, e.Rel.FromKind
	}
	return e.Rel.To, e.Rel.ToKind
}

// connectionNodes resolves the nodes of a relationship connection: the
// other end of each edge, loaded for every connection at the same place at
// once in order.
func (r *Resolver) connectionNodes(ctx context.Context, conn *model.RelationshipConnection) ([]model.Entity, error) {
	others := func(c any) []string {
		edges := c.(*model.RelationshipConnection).Edges
		ids := make([]string, len(edges))
		for i, e := range edges {
			ids[i] = e.OtherID()
		}
		return ids
	}
	// A place holds each parent's nodes as a pointer into one array of
	// them: a slice held as an interface would cost an allocation per
	// parent (a nested query's third of a level's allocations).
	all := func(parents []any) ([]*[]model.Entity, []error) {
		// Parent i's entities are ids[ends[i-1]:ends[i]]; they are read,
		// wrapped and handed out from one slice each.
		ends := make([]int, len(parents))
		count := 0
		for _, p := range parents {
			count += len(p.(*model.RelationshipConnection).Edges)
		}
		ids := make([]string, 0, count)
		for i, p := range parents {
			for _, e := range p.(*model.RelationshipConnection).Edges {
				ids = append(ids, e.OtherID())
			}
			ends[i] = len(ids)
		}
		got, err := r.readEntities(ctx, ids)
		if err != nil {
			return nil, failAll(len(parents), err)
		}
		found := alignEntities(ids, got)
		wrapped := model.WrapEntities(found)
		nodes := make([][]model.Entity, len(parents))
		out := make([]*[]model.Entity, len(parents))
		var errs []error
		start := 0
		for i, end := range ends {
			if k := slices.Index(found[start:end], nil); k >= 0 {
				if errs == nil {
					errs = make([]error, len(parents))
				}
				errs[i] = kg.Errorf(kg.ENotFound, "entity %q does not exist", ids[start+k])
			} else {
				nodes[i] = wrapped[start:end:end]
				out[i] = &nodes[i]
			}
			start = end
		}
		return out, errs
	}
	got, err := atOnceAll(ctx, r, any(conn), all, func(p any) (*[]model.Entity, error) {
		nodes, err := r.entitiesByID(ctx, others(p))
		return &nodes, err
	})
	if got == nil {
		return nil, err
	}
	return *got, err
}

// alignEntities returns found, a store's entities for ids, in the order of
// ids, nil where an id was not found. The embedded store answers in the
// order asked, which is checked and then costs no map, and no copy when
// every id was found.
func alignEntities(ids []string, found []*kg.Entity) []*kg.Entity {
	if aligned(ids, found) {
		return found
	}
	out := make([]*kg.Entity, len(ids))
	j := 0
	for i, id := range ids {
		if j < len(found) && found[j].ID == id {
			out[i] = found[j]
			j++
		}
	}
	if j == len(found) && !slices.Contains(out, nil) {
		return out
	}
	byID := make(map[string]*kg.Entity, len(found))
	for _, e := range found {
		byID[e.ID] = e
	}
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out
}

// aligned reports whether found holds the entities of ids, in their order.
func aligned(ids []string, found []*kg.Entity) bool {
	if len(found) != len(ids) {
		return false
	}
	for i, e := range found {
		if e == nil || e.ID != ids[i] {
			return false
		}
	}
	return true
}

// wrapAll presents the entities of ids, aligned with them (alignEntities);
// an id not found is an error, as in entitiesByID.
func wrapAll(found []*kg.Entity, ids []string) ([]model.Entity, error) {
	out := make([]model.Entity, len(ids))
	for i, e := range found {
		if e == nil {
			return nil, kg.Errorf(kg.ENotFound, "entity %q does not exist", ids[i])
		}
		out[i] = model.WrapEntity(e)
	}
	return out, nil
}

// outlineFields are the fields of a Relationship its outline answers
// (traverse.Options.Outline), and entityOutlineFields those of an entity
// (kg.EntityOutliner).
var (
	outlineFields       = map[string]bool{"id": true, "type": true, "from": true, "to": true, "__typename": true}
	entityOutlineFields = map[string]bool{"id": true, "kind": true, "name": true, "__typename": true}
)

// outlineSuffices reports whether the query asks no more of the
// relationships under the relationships field of ctx's object (a
// subgraph) than their outlines answer.
func outlineSuffices(ctx context.Context) bool {
	return verdict(ctx, checkRelationshipsOutline, func(ctx context.Context) bool {
		return selectsOnly(ctx, "relationships", []string{"Relationship", "Node"}, outlineFields)
	})
}

// selectsOnly reports whether the query asks no more of the objects (of
// types) under the field named field of ctx's object than fields allowed.
func selectsOnly(ctx context.Context, field string, types []string, allowed map[string]bool) bool {
	oc := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name != field {
			continue
		}
		for _, sub := range graphql.CollectFields(oc, f.Selections, types) {
			if !allowed[sub.Name] {
				return false
			}
		}
	}
	return true
}

// subgraphNodes loads the nodes of a neighbourhood or paths: only their
// outlines when the query asks no more of them under field and the store
// can read outlines, else whole, through the loader.
func (r *Resolver) subgraphNodes(ctx context.Context, field string, ids []string) ([]model.Entity, error) {
	o, ok := r.Store.(kg.EntityOutliner)
	if !ok || !selectsOnly(ctx, field, entityTypes, entityOutlineFields) {
		return r.entitiesByID(ctx, ids)
	}
	found, err := o.EntityOutlines(ctx, ids)
	if err != nil {
		return nil, err
	}
	return wrapAll(alignEntities(ids, found), ids)
}

// edgeOutlineFields are the fields of a RelationshipEdge that a
// relationship's outline answers (its node is the other end, by id).
var edgeOutlineFields = map[string]bool{"cursor": true, "node": true, "direction": true, "type": true, "__typename": true}

// pageOutlineOnly reports whether the query asks no more of the
// relationships of ctx's connection than their outlines answer: their
// other ends (nodes, edges' nodes), the edges' cursors, directions and
// types, and the page's counts. At 1 M entities, just after a start with
// the page cache dropped, the names of 20 neighbours of random entities
// came 2.5-3.5 times as fast with the page's outlines as with its
// documents (1,970-2,760 against 551-1,099 req/s). An edge's fields here
// need no relationship id (its cursor is its offset), so the outlines hold
// none: building derived ids took the nested query of the benchmark from
// 427 to 472 allocations.
func pageOutlineOnly(ctx context.Context) bool {
	return verdict(ctx, checkPageOutline, pageOutlineOnlyNow)
}

func pageOutlineOnlyNow(ctx context.Context) bool {
	oc := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"RelationshipConnection"}) {
		switch f.Name {
		case "nodes", "pageInfo", "totalCount", "__typename":
		case "edges":
			for _, sub := range graphql.CollectFields(oc, f.Selections, []string{"RelationshipEdge"}) {
				if !edgeOutlineFields[sub.Name] {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// readEntities reads the entities of ids for the field of ctx, in one
// store call: only their outlines when the field asks no more of them than
// an outline answers and the store can read outlines, else whole. The
// outlines come from the store's index, whole entities from documents: at
// 1 M entities, the names of 20 neighbours of a random entity, just after a
// start with the page cache dropped, came 1,613–1,657 req/s (p50 1.85 ms)
// against 789–1,151 (p50 2.5–3.9 ms) read whole; with the documents cached,
// alike.
func (r *Resolver) readEntities(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	if o, ok := r.Store.(kg.EntityOutliner); ok && outlineOnly(ctx) {
		return o.EntityOutlines(ctx, ids)
	}
	return r.Store.GetEntities(ctx, ids)
}

// outlineOnly reports whether the query asks no more of the entity or
// entities of ctx's field than their outlines answer, and identityOnly no
// more than their ids and kinds.
func outlineOnly(ctx context.Context) bool {
	return verdict(ctx, checkOutlineOnly, func(ctx context.Context) bool { return entityAsksOnly(ctx, entityOutlineFields) })
}

func identityOnly(ctx context.Context) bool {
	return verdict(ctx, checkIdentityOnly, func(ctx context.Context) bool { return entityAsksOnly(ctx, identityFields) })
}

var identityFields = map[string]bool{"id": true, "kind": true, "__typename": true}

// entityAsksOnly reports whether every field the query asks of the entity
// or entities of ctx's field is in allowed.
func entityAsksOnly(ctx context.Context, allowed map[string]bool) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, entityTypes) {
		if !allowed[f.Name] {
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
func countOnly(ctx context.Context) bool { return verdict(ctx, checkCountOnly, countOnlyNow) }

func countOnlyNow(ctx context.Context) bool {
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
