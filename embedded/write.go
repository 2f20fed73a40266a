package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

// Apply implements kg.Store: it checks the batch against the index, writes
// it in one bbolt transaction (fsynced on commit), then updates the index.
// Readers go on reading the index while the transaction runs; they wait
// only for the brief update after the commit.
func (s *Store) Apply(ctx context.Context, b *kg.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	s.mu.RLock()
	res := s.resolve(b)
	s.mu.RUnlock()
	if err := b.Check(res.ex); err != nil {
		return err
	}
	p := s.plan(b, res)
	changes, err := s.historyChanges(p)
	if err != nil {
		return fmt.Errorf("read records before the write: %w", err)
	}
	note := kg.NoteFrom(ctx)
	seq := b.Revision
	err = s.db.Update(func(tx *bbolt.Tx) error {
		if err := writeHistory(tx, note, &seq, changes, b.IfLatest); err != nil {
			return err
		}
		return p.write(tx)
	})
	if err != nil {
		var e *kg.Error
		if errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("write batch: %w", err)
	}
	b.Revision = seq

	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetDocs(p)
	g := s.g
	for _, src := range b.Sources {
		s.sources[src.ID] = src
	}
	for _, r := range p.relDeletes {
		if g.liveRel(r) {
			s.sortedAdj.forget(g.from[r], g.to[r])
		}
		g.deleteRel(r)
	}
	for _, e := range p.entities {
		g.putEntity(e.num, &e.rec)
		s.orders.touched(e.num)
	}
	for _, r := range p.rels {
		g.putRel(r.num, &r.rec, true)
		s.sortedAdj.forget(r.rec.from, r.rec.to)
	}
	for _, n := range p.entityDeletes {
		s.sortedAdj.forget(n)
		g.deleteEntity(n)
		s.orders.touched(n)
	}
	for _, r := range p.rels {
		s.orders.rels.touched(r.num)
	}
	for _, r := range p.relDeletes {
		s.orders.rels.touched(r)
	}
	return nil
}

// writePlan is a checked batch turned into records: what to write under
// which number (0: a number to take from the bucket's sequence) and which
// numbers to delete.
type writePlan struct {
	sources       []*kg.Source
	entities      []entityWrite
	rels          []relWrite
	relDeletes    []uint32
	entityDeletes []uint32
}

type entityWrite struct {
	num uint32
	doc *kg.Entity
	rec entityRecord
}

type relWrite struct {
	num uint32
	doc *kg.Relationship
	rec relRecord
	// newFrom and newTo are the indexes in writePlan.entities of ends that
	// are new in this batch (numbered in write), or -1.
	newFrom, newTo int
}

// resolved is what the store holds of the records a batch touches: the
// numbers of its entities and relationships, looked up once.
type resolved struct {
	entities map[string]uint32
	rels     map[string]uint32
	ex       kg.Existing
}

// resolve looks up every id b names. The caller holds the read lock.
func (s *Store) resolve(b *kg.Batch) *resolved {
	ents, rels, srcs := b.Needs()
	g := s.g
	r := &resolved{entities: make(map[string]uint32, len(ents)), rels: make(map[string]uint32, len(rels)),
		ex: kg.Existing{Entities: make(map[string]kg.Kind, len(ents)), Relationships: make(map[string]bool, len(rels)), Sources: map[string]bool{}}}
	for _, id := range ents {
		if n, ok := g.entityNum(id); ok {
			r.entities[id] = n
			r.ex.Entities[id] = g.entityKind(n)
		}
	}
	lookup := func(id string) (uint32, bool) {
		if n, ok := r.entities[id]; ok {
			return n, true
		}
		return g.entityNum(id) // an end named only by a relationship id to delete
	}
	for _, id := range rels {
		n, ok := g.relNumWith(id, lookup)
		if ok {
			r.rels[id] = n
		}
		r.ex.Relationships[id] = ok
	}
	for _, id := range srcs {
		r.ex.Sources[id] = s.sources[id] != nil
	}
	return r
}

// plan resolves ids to numbers. Deleting an entity deletes its
// relationships, including any the batch upserts; a relationship both
// upserted and deleted is deleted.
func (s *Store) plan(b *kg.Batch, res *resolved) *writePlan {
	p := &writePlan{sources: b.Sources}
	doomed := map[string]bool{}
	for _, id := range b.DeleteEntities {
		doomed[id] = true
	}
	dropRel := map[string]bool{}
	for _, id := range b.DeleteRelationships {
		dropRel[id] = true
	}
	s.mu.RLock()
	g := s.g
	relGone := map[uint32]bool{}
	for id := range doomed {
		if n, ok := res.entities[id]; ok {
			p.entityDeletes = append(p.entityDeletes, n)
			for _, a := range g.out[n] {
				relGone[a.rel] = true
			}
			for _, a := range g.in[n] {
				relGone[a.rel] = true
			}
		}
	}
	for id := range dropRel {
		if n, ok := res.rels[id]; ok {
			relGone[n] = true
		}
	}
	newNums := map[string]int{} // entity id → index in p.entities, for relationships to new entities
	for _, e := range b.Entities {
		if doomed[e.ID] {
			continue
		}
		n := res.entities[e.ID]
		newNums[e.ID] = len(p.entities)
		p.entities = append(p.entities, entityWrite{num: n, doc: e})
	}
	for _, r := range b.Relationships {
		n, exists := res.rels[r.ID]
		if doomed[r.From] || doomed[r.To] || dropRel[r.ID] {
			if exists {
				relGone[n] = true
			}
			continue
		}
		if exists {
			// Replaced under the same number: unlinked from its old ends first.
			p.relDeletes = append(p.relDeletes, n)
		}
		w := relWrite{num: n, doc: r, newFrom: -1, newTo: -1}
		w.rec.from, w.rec.to = res.entities[r.From], res.entities[r.To]
		p.rels = append(p.rels, w)
	}
	s.mu.RUnlock()
	for n := range relGone {
		p.relDeletes = append(p.relDeletes, n)
	}
	for i := range p.entities {
		p.entities[i].rec = newEntityRecord(p.entities[i].doc)
	}
	// Ends that are new in this batch get their numbers in write, once the
	// entities have them.
	for i := range p.rels {
		r := &p.rels[i]
		from, to := r.rec.from, r.rec.to
		r.rec = newRelRecord(r.doc, from, to)
		if j, ok := newNums[r.doc.From]; ok && p.entities[j].num == 0 {
			r.newFrom = j
		}
		if j, ok := newNums[r.doc.To]; ok && p.entities[j].num == 0 {
			r.newTo = j
		}
	}
	return p
}

// write runs inside the bbolt transaction. It takes numbers for new records
// from the buckets' sequences, which commit with the transaction.
func (p *writePlan) write(tx *bbolt.Tx) error {
	for _, src := range p.sources {
		if err := putJSON(tx.Bucket(bucketSources), []byte(src.ID), src); err != nil {
			return err
		}
	}
	entIdx, entDocs := appending(tx, bucketEntityIndex), appending(tx, bucketEntities)
	for i := range p.entities {
		e := &p.entities[i]
		if e.num == 0 {
			seq, err := entIdx.NextSequence()
			if err != nil {
				return err
			}
			if seq >= 1<<32-1 {
				return fmt.Errorf("the store holds its limit of entities")
			}
			e.num = uint32(seq)
		}
		if err := entIdx.Put(key(e.num), e.rec.encode()); err != nil {
			return err
		}
		if err := entDocs.Put(key(e.num), encodeEntity(e.doc)); err != nil {
			return err
		}
	}
	relIdx, relDocs := appending(tx, bucketRelIndex), appending(tx, bucketRelationships)
	for _, n := range p.relDeletes {
		if err := relIdx.Delete(key(n)); err != nil {
			return err
		}
		if err := relDocs.Delete(key(n)); err != nil {
			return err
		}
	}
	for i := range p.rels {
		r := &p.rels[i]
		if r.newFrom >= 0 {
			r.rec.from = p.entities[r.newFrom].num
		}
		if r.newTo >= 0 {
			r.rec.to = p.entities[r.newTo].num
		}
		if r.num == 0 {
			seq, err := relIdx.NextSequence()
			if err != nil {
				return err
			}
			if seq >= 1<<32-1 {
				return fmt.Errorf("the store holds its limit of relationships")
			}
			r.num = uint32(seq)
		}
		if err := relIdx.Put(key(r.num), r.rec.encode()); err != nil {
			return err
		}
		if err := relDocs.Put(key(r.num), encodeRelationship(r.doc, &r.rec)); err != nil {
			return err
		}
	}
	for _, n := range p.entityDeletes {
		if err := entIdx.Delete(key(n)); err != nil {
			return err
		}
		if err := entDocs.Delete(key(n)); err != nil {
			return err
		}
	}
	return nil
}

// appending returns a bucket whose new keys mostly come after the others
// (record numbers, positions): its pages are filled to 95% rather than
// bbolt's 50% when they split, which nearly halves the file of an import.
func appending(tx *bbolt.Tx, name []byte) *bbolt.Bucket {
	b := tx.Bucket(name)
	b.FillPercent = 0.95
	return b
}

func putJSON(b *bbolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

// forgetDocs drops the cached documents of every record p wrote or
// deleted, before the index shows the new ones.
func (s *Store) forgetDocs(p *writePlan) {
	var ents, rels []uint32
	for _, e := range p.entities {
		ents = append(ents, e.num)
	}
	ents = append(ents, p.entityDeletes...)
	for _, r := range p.rels {
		rels = append(rels, r.num)
	}
	rels = append(rels, p.relDeletes...)
	s.entityCache.forget(ents...)
	s.relCache.forget(rels...)
}
