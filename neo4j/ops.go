package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/vjkg/vjkg/kg"
)

// tx runs work in one managed transaction (read or write) and translates the
// error. The driver retries work on transient failures, so work must be
// idempotent: every function passed here only reads, or writes by id.
func (s *Store) tx(ctx context.Context, mode driver.AccessMode, work func(driver.ManagedTransaction) error) (err error) {
	if t, ok := ctx.Value(readTxKey{}).(driver.ManagedTransaction); ok && mode == driver.AccessModeRead {
		return work(t) // inside oneRead: its transaction, and its retries
	}
	if err := s.usable(); err != nil {
		return err
	}
	s.transactions.Add(1)
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: mode})
	defer func() {
		// A failed Close must not hide the error that came before it.
		if cerr := session.Close(context.WithoutCancel(ctx)); err == nil && cerr != nil {
			err = translate(cerr)
		}
	}()
	fn := driver.ExecuteRead[struct{}]
	if mode == driver.AccessModeWrite {
		fn = driver.ExecuteWrite[struct{}]
	}
	_, err = fn(ctx, session, func(t driver.ManagedTransaction) (struct{}, error) {
		return struct{}{}, work(t)
	})
	return translate(err)
}

// run sends one statement in its own transaction and returns its records.
func (s *Store) run(ctx context.Context, mode driver.AccessMode, st Statement, params map[string]any) ([]*driver.Record, error) {
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: mode})
	defer session.Close(context.WithoutCancel(ctx))
	fn := driver.ExecuteRead[[]*driver.Record]
	if mode == driver.AccessModeWrite {
		fn = driver.ExecuteWrite[[]*driver.Record]
	}
	s.transactions.Add(1)
	recs, err := fn(ctx, session, func(t driver.ManagedTransaction) ([]*driver.Record, error) {
		return s.collect(ctx, t, st, params)
	})
	return recs, translate(err)
}

// collect runs a statement inside a transaction and returns all its records.
func (s *Store) collect(ctx context.Context, t driver.ManagedTransaction, st Statement, params map[string]any) ([]*driver.Record, error) {
	s.statements.Add(1)
	res, err := t.Run(ctx, st.Cypher, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Name, err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Name, err)
	}
	return recs, nil
}

// docs decodes the "doc" column of every record into a new T.
func docs[T any](st Statement, recs []*driver.Record) ([]*T, error) {
	out := make([]*T, 0, len(recs))
	for _, rec := range recs {
		raw, isNil, err := driver.GetRecordValue[string](rec, "doc")
		if err != nil || isNil {
			return nil, fmt.Errorf("%s: record without a doc: %v", st.Name, err)
		}
		v := new(T)
		if err := json.Unmarshal([]byte(raw), v); err != nil {
			return nil, fmt.Errorf("%s: bad doc: %w", st.Name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// count reads the "total" column of a single record, which some engines
// return as a float.
func count(st Statement, recs []*driver.Record) (int, error) {
	if len(recs) != 1 {
		return 0, fmt.Errorf("%s: %d records, want 1", st.Name, len(recs))
	}
	v, ok := recs[0].Get("total")
	if !ok {
		return 0, fmt.Errorf("%s: no total", st.Name)
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case float64:
		return int(n), nil
	}
	return 0, fmt.Errorf("%s: total is %T", st.Name, v)
}

func strs(recs []*driver.Record, key string) ([]string, error) {
	out := make([]string, 0, len(recs))
	for _, rec := range recs {
		v, isNil, err := driver.GetRecordValue[string](rec, key)
		if err != nil || isNil {
			return nil, fmt.Errorf("column %s: %v", key, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func stringList[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// byIDs runs a lookup by ids in a read transaction and decodes the docs.
func byIDs[T any](ctx context.Context, s *Store, st Statement, ids []string) ([]*T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []*T
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		recs, err := s.collect(ctx, t, st, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		out, err = docs[T](st, recs)
		return err
	})
	return out, err
}

// GetEntities implements kg.Store.
func (s *Store) GetEntities(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	return byIDs[kg.Entity](ctx, s, stmtGetEntities, ids)
}

// FindEntities implements kg.Store: the page and the total in one read
// transaction, so they agree.
func (s *Store) FindEntities(ctx context.Context, f kg.EntityFilter) ([]*kg.Entity, int, error) {
	if f.Evidence != nil {
		return s.findEntitiesByEvidence(ctx, f)
	}
	if f.CountOnly {
		f.Limit = 1 // the count statement, and a page of one that the caller drops
	}
	shape := shapeOf(f)
	params := map[string]any{
		"ids": f.IDs, "kinds": stringList(f.Kinds), "types": f.Types, "countries": f.Countries,
		"text": f.Needle(), "from": f.From, "to": f.To, "sourceKey": sourceKey([]string{f.CitesSource}),
	}
	if shape.text && params["text"] == "" {
		shape.text = false // punctuation only: matches everything, as in the embedded store
	}
	params["skip"], params["limit"] = f.Offset, f.Limit
	if f.Limit <= 0 {
		params["limit"] = noLimit
	}
	return countAndPage[kg.Entity](ctx, s, countEntities(shape), findEntities(shape, f.Order), params)
}

// countAndPage runs a list's count and page statements in one read
// transaction, so that the total and the page agree, and decodes the page.
// Each statement gets the parameters it declares from params.
func countAndPage[T any](ctx context.Context, s *Store, countSt, find Statement, params map[string]any) ([]*T, int, error) {
	var out []*T
	var total int
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		recs, err := s.collect(ctx, t, countSt, pick(params, countSt.Params))
		if err != nil {
			return err
		}
		if total, err = count(countSt, recs); err != nil {
			return err
		}
		if recs, err = s.collect(ctx, t, find, pick(params, find.Params)); err != nil {
			return err
		}
		out, err = docs[T](find, recs)
		return err
	})
	return out, total, err
}

// noLimit stands for "all rows" in a LIMIT parameter.
const noLimit = 1 << 31

// pick keeps the parameters a statement declares: sending only those keeps
// the statements and their parameters in step, which the Cypher check relies on.
func pick(params map[string]any, names []string) map[string]any {
	out := make(map[string]any, len(names))
	for _, n := range names {
		out[n] = params[n]
	}
	return out
}

// GetRelationships implements kg.Store, through the relationship id indexes
// (findRelationshipsByID).
func (s *Store) GetRelationships(ctx context.Context, ids []string) ([]*kg.Relationship, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []*kg.Relationship
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		var err error
		out, err = s.relationshipsByID(ctx, t, ids)
		return err
	})
	return out, err
}

// relationshipsByID reads the relationships with the given ids in t.
func (s *Store) relationshipsByID(ctx context.Context, t driver.ManagedTransaction, ids []string) ([]*kg.Relationship, error) {
	var out []*kg.Relationship
	err := s.findRelationshipsByID(ctx, t, ids, relationshipsByID, func(st Statement, _ kg.RelType, recs []*driver.Record) ([]string, error) {
		rels, err := docs[kg.Relationship](st, recs)
		found := make([]string, len(rels))
		for i, r := range rels {
			found[i] = r.ID
		}
		out = append(out, rels...)
		return found, err
	})
	return out, err
}

// relTypeHint returns the type an id names when it has the form
// kg.RelationshipID gives ("rel:TYPE:from->to#key") with a known TYPE.
// It is only a hint: users may choose their own ids.
func relTypeHint(id string) (kg.RelType, bool) {
	rest, ok := strings.CutPrefix(id, "rel:")
	if !ok {
		return "", false
	}
	t, _, ok := strings.Cut(rest, ":")
	if !ok {
		return "", false
	}
	_, known := kg.Rule(kg.RelType(t))
	return kg.RelType(t), known
}

// findRelationshipsByID looks relationships up by id in t. Neo4j indexes a
// relationship property per type, so each statement (made by stmt) asks one
// type's id index: first the type each id names when it has the form of
// kg.RelationshipID, which finds every id made that way in one statement per
// type present; then, for the ids not found so, every other type, since an
// id may be chosen freely (or name a type it does not have). found reports
// which ids a statement's records hold.
func (s *Store) findRelationshipsByID(ctx context.Context, t driver.ManagedTransaction, ids []string,
	stmt func(kg.RelType) Statement, found func(Statement, kg.RelType, []*driver.Record) ([]string, error)) error {
	pending := map[string]bool{}
	hinted := map[kg.RelType][]string{}
	for _, id := range ids {
		if pending[id] {
			continue
		}
		pending[id] = true
		if rt, ok := relTypeHint(id); ok {
			hinted[rt] = append(hinted[rt], id)
		}
	}
	ask := func(rt kg.RelType, batch []string) error {
		if len(batch) == 0 {
			return nil
		}
		st := stmt(rt)
		recs, err := s.collect(ctx, t, st, map[string]any{"ids": batch})
		if err != nil {
			return err
		}
		got, err := found(st, rt, recs)
		for _, id := range got {
			delete(pending, id)
		}
		return err
	}
	for _, rt := range kg.RelTypes() {
		if err := ask(rt, hinted[rt]); err != nil {
			return err
		}
	}
	rest := slices.Sorted(maps.Keys(pending))
	for _, rt := range kg.RelTypes() {
		var batch []string
		for _, id := range rest {
			if h, _ := relTypeHint(id); pending[id] && h != rt {
				batch = append(batch, id)
			}
		}
		if err := ask(rt, batch); err != nil {
			return err
		}
	}
	return nil
}

// Expand implements kg.Store. The types, direction and day are checked again
// in Go on the decoded relationships, so the answer is the embedded store's
// even where an engine is lax about a WHERE clause.
func (s *Store) Expand(ctx context.Context, q kg.ExpandQuery) ([]*kg.Relationship, error) {
	if len(q.IDs) == 0 {
		return nil, nil
	}
	dir := q.Direction
	if dir == "" {
		dir = kg.DirBoth
	}
	st := expand(dir, len(q.Types) > 0, q.AsOf != "")
	params := pick(map[string]any{"ids": q.IDs, "types": stringList(q.Types), "asOf": q.AsOf}, st.Params)
	var rels []*kg.Relationship
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		recs, err := s.collect(ctx, t, st, params)
		if err != nil {
			return err
		}
		rels, err = docs[kg.Relationship](st, recs)
		return err
	})
	if err != nil {
		return nil, err
	}
	anchors := map[string]bool{}
	for _, id := range q.IDs {
		anchors[id] = true
	}
	seen := map[string]bool{}
	var out []*kg.Relationship
	for _, r := range rels {
		touches := (dir != kg.DirIn && anchors[r.From]) || (dir != kg.DirOut && anchors[r.To])
		if seen[r.ID] || !touches || (len(q.Types) > 0 && !slices.Contains(q.Types, r.Type)) || !r.ValidOn(q.AsOf) ||
			!q.Evidence.AdmitsRelationship(r) {
			continue
		}
		seen[r.ID] = true
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// FindRelationships implements kg.Store. A filter with ids reads those
// through the id indexes and filters, orders and pages them in Go; without
// ids it reads the relationship list.
func (s *Store) FindRelationships(ctx context.Context, f kg.RelationshipFilter) ([]*kg.Relationship, int, error) {
	if f.Evidence != nil && len(f.IDs) == 0 {
		return s.findRelationshipsByEvidence(ctx, f)
	}
	if f.CountOnly {
		f.Limit = 1 // the count statement, and a page of one that the caller drops
	}
	if len(f.IDs) > 0 {
		rels, err := s.GetRelationships(ctx, f.IDs)
		if err != nil {
			return nil, 0, err
		}
		var keep []*kg.Relationship
		for _, r := range rels {
			if (len(f.Types) == 0 || slices.Contains(f.Types, r.Type)) && r.ValidOn(f.AsOf) &&
				(f.CitesSource == "" || slices.Contains(r.SourceIDs(), f.CitesSource)) && f.Evidence.AdmitsRelationship(r) {
				keep = append(keep, r)
			}
		}
		sort.Slice(keep, func(i, j int) bool { return keep[i].ID < keep[j].ID })
		total := len(keep)
		keep = keep[min(f.Offset, total):]
		if f.Limit > 0 {
			keep = keep[:min(f.Limit, len(keep))]
		}
		return keep, total, nil
	}
	shape := relFilterShape{len(f.Types) > 0, f.AsOf != "", f.CitesSource != ""}
	limit := f.Limit
	if limit <= 0 {
		limit = noLimit
	}
	params := map[string]any{"types": stringList(f.Types), "asOf": f.AsOf, "skip": f.Offset, "limit": limit,
		"sourceKey": sourceKey([]string{f.CitesSource})}
	return countAndPage[kg.Relationship](ctx, s, countRelationships(shape), findRelationships(shape), params)
}

// GetSources implements kg.Store.
func (s *Store) GetSources(ctx context.Context, ids []string) ([]*kg.Source, error) {
	return byIDs[kg.Source](ctx, s, stmtGetSources, ids)
}

// FindSources implements kg.Store.
func (s *Store) FindSources(ctx context.Context, offset, limit int) ([]*kg.Source, int, error) {
	if limit <= 0 {
		limit = noLimit
	}
	return countAndPage[kg.Source](ctx, s, stmtCountSources, stmtFindSources, map[string]any{"skip": offset, "limit": limit})
}

// Apply implements kg.Store: one write transaction reads what the batch
// touches, checks it (kg.Batch.Check), then writes sources, entities (per
// kind), relationships (per type, replacing any with the same id) and the
// deletions. An error anywhere rolls everything back.
func (s *Store) Apply(ctx context.Context, b *kg.Batch) error {
	if b.Empty() {
		return nil
	}
	note := kg.NoteFrom(ctx)
	var seq int64
	err := s.tx(ctx, driver.AccessModeWrite, func(t driver.ManagedTransaction) error {
		seq = b.Revision // again on each retry
		ex, relTypes, err := s.existing(ctx, t, b)
		if err != nil {
			return err
		}
		if err := b.Check(ex); err != nil {
			return err
		}
		if err := s.checkLatest(ctx, t, b.IfLatest); err != nil {
			return err
		}
		ents, rels, srcs, cascaded, err := s.beforeBatch(ctx, t, b)
		if err != nil {
			return err
		}
		if err := s.write(ctx, t, b, relTypes); err != nil {
			return err
		}
		return s.record(ctx, t, note, &seq, kg.BatchChanges(b, ents, rels, srcs, cascaded))
	})
	if err == nil {
		b.Revision = seq
	}
	return err
}

// existing reads what the batch touches, and the type of each existing
// relationship it touches, so that write can delete them through their
// type's id index.
func (s *Store) existing(ctx context.Context, t driver.ManagedTransaction, b *kg.Batch) (kg.Existing, map[string]kg.RelType, error) {
	ents, rels, srcs := b.Needs()
	ex := kg.Existing{Entities: map[string]kg.Kind{}, Relationships: map[string]bool{}, Sources: map[string]bool{}}
	relTypes := map[string]kg.RelType{}
	if len(ents) > 0 {
		recs, err := s.collect(ctx, t, stmtEntityKinds, map[string]any{"ids": ents})
		if err != nil {
			return ex, nil, err
		}
		ids, err := strs(recs, "id")
		if err != nil {
			return ex, nil, err
		}
		kinds, err := strs(recs, "kind")
		if err != nil {
			return ex, nil, err
		}
		for i, id := range ids {
			ex.Entities[id] = kg.Kind(kinds[i])
		}
	}
	if len(rels) > 0 {
		err := s.findRelationshipsByID(ctx, t, rels, relationshipIDs, func(_ Statement, rt kg.RelType, recs []*driver.Record) ([]string, error) {
			found, err := strs(recs, "id")
			for _, id := range found {
				ex.Relationships[id] = true
				relTypes[id] = rt
			}
			return found, err
		})
		if err != nil {
			return ex, nil, err
		}
	}
	if len(srcs) > 0 {
		recs, err := s.collect(ctx, t, stmtSourceIDs, map[string]any{"ids": srcs})
		if err != nil {
			return ex, nil, err
		}
		found, err := strs(recs, "id")
		if err != nil {
			return ex, nil, err
		}
		for _, id := range found {
			ex.Sources[id] = true
		}
	}
	return ex, relTypes, nil
}

// write sends the batch's statements; relTypes holds the type of every
// existing relationship the batch replaces or deletes.
func (s *Store) write(ctx context.Context, t driver.ManagedTransaction, b *kg.Batch, relTypes map[string]kg.RelType) error {
	exec := func(st Statement, params map[string]any) error {
		_, err := s.collect(ctx, t, st, params)
		return err
	}
	if len(b.Sources) > 0 {
		rows := make([]map[string]any, len(b.Sources))
		for i, src := range b.Sources {
			doc, err := json.Marshal(src)
			if err != nil {
				return err
			}
			rows[i] = map[string]any{"id": src.ID, "title": src.Title, "doc": string(doc)}
		}
		if err := exec(stmtUpsertSources, map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
	byKind := map[kg.Kind][]map[string]any{}
	for _, e := range b.Entities {
		row, err := entityRow(e)
		if err != nil {
			return err
		}
		byKind[e.Kind] = append(byKind[e.Kind], row)
	}
	for _, k := range kg.Kinds {
		if rows := byKind[k]; len(rows) > 0 {
			if err := exec(upsertEntities(k), map[string]any{"rows": rows}); err != nil {
				return err
			}
		}
	}
	// Relationships are replaced whole: delete the existing ones with these
	// ids (and the ones the batch deletes), each through its type's id index
	// (a replacement may change the type), then create.
	drop := map[kg.RelType][]string{}
	for _, id := range slices.Concat(ids(b.Relationships), b.DeleteRelationships) {
		if rt, ok := relTypes[id]; ok {
			drop[rt] = append(drop[rt], id)
			delete(relTypes, id) // an id both replaced and deleted is dropped once
		}
	}
	for _, rt := range kg.RelTypes() {
		if len(drop[rt]) > 0 {
			if err := exec(deleteRelationships(rt), map[string]any{"ids": drop[rt]}); err != nil {
				return err
			}
		}
	}
	byType := map[kg.RelType][]map[string]any{}
	deleted := map[string]bool{}
	for _, id := range b.DeleteRelationships {
		deleted[id] = true
	}
	for _, r := range b.Relationships {
		if deleted[r.ID] {
			continue
		}
		row, err := relationshipRow(r)
		if err != nil {
			return err
		}
		byType[r.Type] = append(byType[r.Type], row)
	}
	for _, rt := range kg.RelTypes() {
		if rows := byType[rt]; len(rows) > 0 {
			if err := exec(createRelationships(rt), map[string]any{"rows": rows}); err != nil {
				return err
			}
		}
	}
	if len(b.DeleteEntities) > 0 {
		if err := exec(stmtDeleteEntities, map[string]any{"ids": b.DeleteEntities}); err != nil {
			return err
		}
	}
	return nil
}

func ids(rels []*kg.Relationship) []string {
	out := make([]string, len(rels))
	for i, r := range rels {
		out[i] = r.ID
	}
	return out
}

// entityRow is what an entity node holds: the properties queries filter and
// sort on, and the whole entity as JSON in doc. Unknown values are left out
// rather than stored as null.
func entityRow(e *kg.Entity) (map[string]any, error) {
	doc, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	first, last := e.Span()
	row := map[string]any{
		"id": e.ID, "kind": string(e.Kind), "name": e.Name, "sortName": e.SortName(), "searchText": e.SearchText(),
		"type": e.Type, "country": e.Country, "dated": first != "", "spanFirst": first, "spanLast": last, "doc": string(doc),
		"sourceKey": sourceKey(e.SourceIDs()),
	}
	if first != "" {
		row["startKey"] = e.Start.Earliest()
	}
	return row, nil
}

// Open-ended validity is stored as the earliest and latest possible days, so
// that "valid on day" is two string comparisons on every engine.
const (
	minDay = "0000-01-01"
	maxDay = "9999-12-31"
)

func relationshipRow(r *kg.Relationship) (map[string]any, error) {
	doc, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	from, to := r.ValidFrom.Earliest(), r.ValidTo.Latest()
	if from == "" {
		from = minDay
	}
	if to == "" {
		to = maxDay
	}
	return map[string]any{"id": r.ID, "from": r.From, "to": r.To, "role": r.Role, "fromKey": from, "toKey": to,
		"sourceKey": sourceKey(r.SourceIDs()), "doc": string(doc)}, nil
}
