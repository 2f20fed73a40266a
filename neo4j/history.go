package neo4j

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/vjkg/vjkg/kg"
)

// History on Neo4j: a (:Revision) node per revision, a (:Change) node per
// change, both written in the batch's own transaction, and one
// (:History {id: "history"}) node holding the last revision number and
// change position. Each writing transaction first sets a property on that
// node, which takes its write lock until the transaction ends: numbers are
// handed out in commit order, so a reader that polls for positions above
// the last it saw (another API process, a subscription) never misses a
// change that commits later with a lower number.

const historyID = "history"

// historyTime is the revision time as stored: fixed width, so that times
// compare as strings.
const historyTime = "2006-01-02T15:04:05.000000000Z"

func historySchema() []Statement {
	const scan = "schema"
	return []Statement{
		{Name: "constraint history id", Cypher: "CREATE CONSTRAINT history_id IF NOT EXISTS FOR (h:History) REQUIRE h.id IS UNIQUE", Scan: scan},
		{Name: "constraint revision seq", Cypher: "CREATE CONSTRAINT revision_seq IF NOT EXISTS FOR (r:Revision) REQUIRE r.seq IS UNIQUE", Scan: scan},
		{Name: "constraint change pos", Cypher: "CREATE CONSTRAINT change_pos IF NOT EXISTS FOR (c:Change) REQUIRE c.pos IS UNIQUE", Scan: scan},
		{Name: "index change record", Cypher: "CREATE INDEX change_record IF NOT EXISTS FOR (c:Change) ON (c.record)", Scan: scan},
		{Name: "index change seq", Cypher: "CREATE INDEX change_seq IF NOT EXISTS FOR (c:Change) ON (c.seq)", Scan: scan},
	}
}

var (
	// stmtLockHistory takes the history node's write lock (creating it the
	// first time) and reads the numbers under it.
	stmtLockHistory = Statement{Name: "lock history",
		Cypher: "MERGE (h:History {id: $id}) ON CREATE SET h.seq = 0, h.pos = 0 SET h.lockedBy = $token RETURN h.seq AS seq, h.pos AS pos",
		Params: []string{"id", "token"}}
	stmtAdvanceHistory = Statement{Name: "advance history",
		Cypher: "MATCH (h:History {id: $id}) SET h.seq = $seq, h.pos = $pos", Params: []string{"id", "seq", "pos"}}
	stmtLastPosition = Statement{Name: "last position",
		Cypher: "MATCH (h:History {id: $id}) RETURN h.pos AS pos", Params: []string{"id"}}
	stmtCreateRevision = Statement{Name: "create revision",
		Cypher: "UNWIND $rows AS row CREATE (r:Revision) SET r = row", Params: []string{"rows"},
		Scan: "creates one node and reads none"}
	stmtSetRevision = Statement{Name: "set revision",
		Cypher: "MATCH (r:Revision {seq: $seq}) SET r.doc = $doc", Params: []string{"seq", "doc"}}
	stmtGetRevisions = Statement{Name: "get revisions",
		Cypher: "MATCH (r:Revision) WHERE r.seq IN $seqs RETURN r.seq AS seq, r.doc AS doc", Params: []string{"seqs"}}
	stmtCreateChanges = Statement{Name: "create changes",
		Cypher: "UNWIND $rows AS row CREATE (c:Change) SET c = row", Params: []string{"rows"},
		Scan: "creates nodes and reads none"}
	stmtLatestChanges = Statement{Name: "latest changes",
		Cypher: "MATCH (c:Change) WHERE c.record IN $ids RETURN c.record AS record, c.pos AS pos, c.seq AS seq", Params: []string{"ids"}}
	stmtOldRevisions = Statement{Name: "old revisions",
		Cypher: "MATCH (r:Revision) WHERE r.time < $before RETURN r.seq AS seq, r.doc AS doc ORDER BY r.seq LIMIT $limit",
		Params: []string{"before", "limit"}, Scan: "compaction: the revisions older than a date, oldest first"}
	stmtChangePositions = Statement{Name: "change positions",
		Cypher: "MATCH (c:Change) WHERE c.seq = $seq RETURN c.pos AS pos ORDER BY c.pos LIMIT $limit", Params: []string{"seq", "limit"}}
	stmtDeleteChanges = Statement{Name: "delete changes",
		Cypher: "MATCH (c:Change) WHERE c.pos IN $positions DELETE c", Params: []string{"positions"}}
	stmtDeleteRevisions = Statement{Name: "delete revisions",
		Cypher: "MATCH (r:Revision) WHERE r.seq IN $seqs DELETE r", Params: []string{"seqs"}}
)

// changeShape is which of a change query's conditions a statement has.
type changeShape struct {
	anchor             string // "record", "seq" or "" (the feed, by position)
	desc               bool
	actor, types, kind bool
}

func changeShapes() []changeShape {
	var out []changeShape
	for _, a := range []string{"record", "seq", ""} {
		for bits := 0; bits < 16; bits++ {
			out = append(out, changeShape{a, bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0})
		}
	}
	return out
}

// findChanges reads one page of changes: the anchor first (Neo4j starts
// from its index), then the position bound and the filters.
func findChanges(s changeShape) Statement {
	var conds []string
	params := []string{}
	switch s.anchor {
	case "record":
		conds, params = append(conds, "c.record = $record"), append(params, "record")
	case "seq":
		conds, params = append(conds, "c.seq = $seq"), append(params, "seq")
	}
	if s.desc {
		conds, params = append(conds, "c.pos <= $to"), append(params, "to")
	} else {
		conds, params = append(conds, "c.pos >= $from"), append(params, "from")
	}
	if s.actor {
		conds, params = append(conds, "c.actor = $actor"), append(params, "actor")
	}
	if s.types {
		conds, params = append(conds, "c.type IN $types"), append(params, "types")
	}
	if s.kind {
		conds, params = append(conds, "c.kind IN $kinds"), append(params, "kinds")
	}
	order := "c.pos"
	if s.desc {
		order += " DESC"
	}
	name := fmt.Sprintf("find changes (%s desc=%v actor=%v types=%v kinds=%v)", s.anchor, s.desc, s.actor, s.types, s.kind)
	return Statement{Name: name, Params: append(params, "limit"),
		Cypher: "MATCH (c:Change) WHERE " + strings.Join(conds, " AND ") + " RETURN c.pos AS pos, c.doc AS doc ORDER BY " + order + " LIMIT $limit"}
}

func historyStatements() []Statement {
	out := []Statement{stmtLockHistory, stmtAdvanceHistory, stmtLastPosition, stmtCreateRevision, stmtSetRevision,
		stmtGetRevisions, stmtCreateChanges, stmtLatestChanges, stmtOldRevisions, stmtChangePositions, stmtDeleteChanges,
		stmtDeleteRevisions}
	for _, s := range changeShapes() {
		out = append(out, findChanges(s))
	}
	return out
}

var _ kg.History = (*Store)(nil)

// revisionDoc is a revision as its node's doc holds it.
type revisionDoc struct {
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Message string    `json:"message,omitempty"`
	Reverts int64     `json:"reverts,omitempty"`
	Changes int       `json:"changes"`
}

// changeDoc is a change as its node's doc holds it.
type changeDoc struct {
	Seq    int64           `json:"seq"`
	Type   kg.RecordType   `json:"type"`
	ID     string          `json:"id"`
	Kind   string          `json:"kind,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// beforeBatch reads, inside the write transaction t, every record b
// touches as it is now, and the relationships deleting b's entities takes
// with them.
func (s *Store) beforeBatch(ctx context.Context, t driver.ManagedTransaction, b *kg.Batch) (map[string]*kg.Entity, map[string]*kg.Relationship, map[string]*kg.Source, []*kg.Relationship, error) {
	ents, rels, srcs := map[string]*kg.Entity{}, map[string]*kg.Relationship{}, map[string]*kg.Source{}
	var entIDs, relIDs, srcIDs []string
	for _, e := range b.Entities {
		entIDs = append(entIDs, e.ID)
	}
	entIDs = append(entIDs, b.DeleteEntities...)
	for _, r := range b.Relationships {
		relIDs = append(relIDs, r.ID)
	}
	relIDs = append(relIDs, b.DeleteRelationships...)
	for _, src := range b.Sources {
		srcIDs = append(srcIDs, src.ID)
	}
	if len(entIDs) > 0 {
		recs, err := s.collect(ctx, t, stmtGetEntities, map[string]any{"ids": entIDs})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		found, err := docs[kg.Entity](stmtGetEntities, recs)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, e := range found {
			ents[e.ID] = e
		}
	}
	if len(relIDs) > 0 {
		found, err := s.relationshipsByID(ctx, t, relIDs)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, r := range found {
			rels[r.ID] = r
		}
	}
	if len(srcIDs) > 0 {
		recs, err := s.collect(ctx, t, stmtGetSources, map[string]any{"ids": srcIDs})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		found, err := docs[kg.Source](stmtGetSources, recs)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, src := range found {
			srcs[src.ID] = src
		}
	}
	var cascaded []*kg.Relationship
	if len(b.DeleteEntities) > 0 {
		st := expand(kg.DirBoth, false, false)
		recs, err := s.collect(ctx, t, st, map[string]any{"ids": b.DeleteEntities})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		found, err := docs[kg.Relationship](st, recs)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		seen := map[string]bool{}
		for _, r := range found {
			touches := slices.Contains(b.DeleteEntities, r.From) || slices.Contains(b.DeleteEntities, r.To)
			if touches && !seen[r.ID] {
				seen[r.ID] = true
				cascaded = append(cascaded, r)
			}
		}
		slices.SortFunc(cascaded, func(a, b *kg.Relationship) int { return strings.Compare(a.ID, b.ID) })
	}
	return ents, rels, srcs, cascaded, nil
}

// checkLatest fails with ECONFLICT if a record's latest change is not in
// the revision ifLatest gives for it.
func (s *Store) checkLatest(ctx context.Context, t driver.ManagedTransaction, ifLatest map[string]int64) error {
	if len(ifLatest) == 0 {
		return nil
	}
	ids := make([]string, 0, len(ifLatest))
	for id := range ifLatest {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	recs, err := s.collect(ctx, t, stmtLatestChanges, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	latestPos, latestSeq := map[string]int64{}, map[string]int64{}
	for _, rec := range recs {
		id, _ := rec.Get("record")
		pos, _ := rec.Get("pos")
		seq, _ := rec.Get("seq")
		k, _ := id.(string)
		p, _ := pos.(int64)
		if p > latestPos[k] {
			latestPos[k] = p
			latestSeq[k], _ = seq.(int64)
		}
	}
	for _, id := range ids {
		if latestSeq[id] != ifLatest[id] {
			return kg.ConflictError(id, ifLatest[id], latestSeq[id])
		}
	}
	return nil
}

// record writes changes as revision *seq (a new one when 0) inside t.
func (s *Store) record(ctx context.Context, t driver.ManagedTransaction, note kg.Note, seq *int64, changes []*kg.Change) error {
	if len(changes) == 0 {
		return nil
	}
	recs, err := s.collect(ctx, t, stmtLockHistory, map[string]any{"id": historyID, "token": strconv.FormatInt(time.Now().UnixNano(), 36)})
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("lock history: %d rows", len(recs))
	}
	lastSeq, lastPos := int64Of(recs[0], "seq"), int64Of(recs[0], "pos")
	var rev revisionDoc
	if *seq == 0 {
		*seq = lastSeq + 1
		lastSeq = *seq
		rev = revisionDoc{Time: time.Now().UTC(), Actor: note.Actor, Message: note.Message, Reverts: note.Reverts}
	} else {
		found, err := s.revisionDocs(ctx, t, []int64{*seq})
		if err != nil {
			return err
		}
		r, ok := found[*seq]
		if !ok {
			return kg.Errorf(kg.ENotFound, "revision %d does not exist", *seq)
		}
		rev = r
	}
	rows := make([]map[string]any, len(changes))
	for i, c := range changes {
		lastPos++
		c.Pos, c.Seq = lastPos, *seq
		doc, err := json.Marshal(changeDoc{c.Seq, c.Type, c.ID, c.Kind, c.Before, c.After})
		if err != nil {
			return err
		}
		rows[i] = map[string]any{"pos": c.Pos, "seq": c.Seq, "type": string(c.Type), "record": c.ID, "kind": c.Kind,
			"actor": rev.Actor, "doc": string(doc)}
	}
	for chunk := range slices.Chunk(rows, 1000) {
		if _, err := s.collect(ctx, t, stmtCreateChanges, map[string]any{"rows": chunk}); err != nil {
			return err
		}
	}
	isNew := rev.Changes == 0
	rev.Changes += len(changes)
	doc, err := json.Marshal(rev)
	if err != nil {
		return err
	}
	if isNew {
		row := map[string]any{"seq": *seq, "time": rev.Time.Format(historyTime), "doc": string(doc)}
		if _, err := s.collect(ctx, t, stmtCreateRevision, map[string]any{"rows": []map[string]any{row}}); err != nil {
			return err
		}
	} else if _, err := s.collect(ctx, t, stmtSetRevision, map[string]any{"seq": *seq, "doc": string(doc)}); err != nil {
		return err
	}
	_, err = s.collect(ctx, t, stmtAdvanceHistory, map[string]any{"id": historyID, "seq": lastSeq, "pos": lastPos})
	return err
}

func int64Of(rec *driver.Record, key string) int64 {
	v, _ := rec.Get(key)
	n, _ := v.(int64)
	return n
}

func (s *Store) revisionDocs(ctx context.Context, t driver.ManagedTransaction, seqs []int64) (map[int64]revisionDoc, error) {
	recs, err := s.collect(ctx, t, stmtGetRevisions, map[string]any{"seqs": seqs})
	if err != nil {
		return nil, err
	}
	out := map[int64]revisionDoc{}
	for _, rec := range recs {
		v, _ := rec.Get("doc")
		str, _ := v.(string)
		var r revisionDoc
		if err := json.Unmarshal([]byte(str), &r); err != nil {
			return nil, fmt.Errorf("revision %d: %w", int64Of(rec, "seq"), err)
		}
		out[int64Of(rec, "seq")] = r
	}
	return out, nil
}

func toRevision(seq int64, r revisionDoc) *kg.Revision {
	return &kg.Revision{Seq: seq, Time: r.Time, Actor: r.Actor, Message: r.Message, Reverts: r.Reverts, Changes: r.Changes}
}

// Revision implements kg.History.
func (s *Store) Revision(ctx context.Context, seq int64) (*kg.Revision, error) {
	var out *kg.Revision
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		found, err := s.revisionDocs(ctx, t, []int64{seq})
		if r, ok := found[seq]; ok {
			out = toRevision(seq, r)
		}
		return err
	})
	if err == nil && out == nil {
		err = kg.Errorf(kg.ENotFound, "revision %d does not exist", seq)
	}
	return out, err
}

// LastPosition implements kg.History.
func (s *Store) LastPosition(ctx context.Context) (int64, error) {
	var pos int64
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		recs, err := s.collect(ctx, t, stmtLastPosition, map[string]any{"id": historyID})
		if len(recs) > 0 {
			pos = int64Of(recs[0], "pos")
		}
		return err
	})
	return pos, err
}

// Changes implements kg.History. A page is at most maxChangePage changes.
func (s *Store) Changes(ctx context.Context, q kg.ChangeQuery) (kg.ChangePage, error) {
	var page kg.ChangePage
	sh := changeShape{desc: q.Desc, actor: q.Actor != "", types: len(q.RecordTypes) > 0, kind: len(q.Kinds) > 0}
	switch {
	case q.Record != "":
		sh.anchor = "record"
	case q.Seq != 0:
		sh.anchor = "seq"
	}
	limit := q.Limit
	if limit <= 0 || limit > maxChangePage {
		limit = maxChangePage
	}
	to := int64(1<<63 - 1)
	if q.Desc && q.After > 0 {
		to = q.After - 1
	}
	st := findChanges(sh)
	params := pick(map[string]any{"record": q.Record, "seq": q.Seq, "from": q.After + 1, "to": to, "actor": q.Actor,
		"types": stringList(q.RecordTypes), "kinds": q.Kinds, "limit": limit}, st.Params)
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		page = kg.ChangePage{}
		recs, err := s.collect(ctx, t, st, params)
		if err != nil {
			return err
		}
		var seqs []int64
		for _, rec := range recs {
			v, _ := rec.Get("doc")
			str, _ := v.(string)
			var d changeDoc
			if err := json.Unmarshal([]byte(str), &d); err != nil {
				return fmt.Errorf("change %d: %w", int64Of(rec, "pos"), err)
			}
			page.Changes = append(page.Changes, &kg.Change{Pos: int64Of(rec, "pos"), Seq: d.Seq, Type: d.Type, ID: d.ID,
				Kind: d.Kind, Before: d.Before, After: d.After})
			if !slices.Contains(seqs, d.Seq) {
				seqs = append(seqs, d.Seq)
			}
		}
		revs, err := s.revisionDocs(ctx, t, seqs)
		if err != nil {
			return err
		}
		for _, c := range page.Changes {
			if r, ok := revs[c.Seq]; ok {
				c.Revision = toRevision(c.Seq, r)
			}
		}
		return nil
	})
	// Stores may sort within a page themselves (NornicDB may not keep
	// ORDER BY); the page's order is by position either way.
	slices.SortFunc(page.Changes, func(a, b *kg.Change) int {
		if q.Desc {
			return cmp.Compare(b.Pos, a.Pos)
		}
		return cmp.Compare(a.Pos, b.Pos)
	})
	if q.Limit > 0 && len(page.Changes) >= q.Limit {
		page.More = page.Changes[len(page.Changes)-1].Pos
	} else if q.Limit <= 0 && len(page.Changes) == maxChangePage {
		page.More = page.Changes[len(page.Changes)-1].Pos
	}
	return page, err
}

// maxChangePage bounds one read of changes.
const maxChangePage = 10_000

// CompactHistory implements kg.History, in transactions of at most
// compactChunk changes.
func (s *Store) CompactHistory(ctx context.Context, before time.Time) (int, error) {
	const compactChunk = 5000
	deleted := 0
	for {
		done, gone := false, false
		err := s.tx(ctx, driver.AccessModeWrite, func(t driver.ManagedTransaction) error {
			done, gone = false, false
			recs, err := s.collect(ctx, t, stmtOldRevisions, map[string]any{"before": before.UTC().Format(historyTime), "limit": 1})
			if err != nil || len(recs) == 0 {
				done = true
				return err
			}
			seq := int64Of(recs[0], "seq")
			pos, err := s.collect(ctx, t, stmtChangePositions, map[string]any{"seq": seq, "limit": compactChunk})
			if err != nil {
				return err
			}
			positions := make([]int64, len(pos))
			for i, rec := range pos {
				positions[i] = int64Of(rec, "pos")
			}
			if len(positions) > 0 {
				if _, err := s.collect(ctx, t, stmtDeleteChanges, map[string]any{"positions": positions}); err != nil {
					return err
				}
			}
			if len(positions) < compactChunk {
				_, err = s.collect(ctx, t, stmtDeleteRevisions, map[string]any{"seqs": []int64{seq}})
				gone = true
			}
			return err
		})
		if err != nil || done {
			return deleted, err
		}
		if gone {
			deleted++
		}
		if err := ctx.Err(); err != nil {
			return deleted, err
		}
	}
}
