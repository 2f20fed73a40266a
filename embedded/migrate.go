package embedded

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

// The buckets of the first format, which kept every document under its id
// and rebuilt the whole index from the documents at every start.
var (
	oldEntities      = []byte("entities")
	oldRelationships = []byte("relationships")
	oldSources       = []byte("sources")
)

// migrate converts a store of the first format: it writes every record
// again through Apply (in batches, so memory stays bounded by the batch),
// then drops the old buckets in one last transaction. If the process dies
// half way, the old buckets are still there and the next open converts
// again; records already converted are overwritten with the same content.
func (s *Store) migrate() error {
	var old bool
	s.db.View(func(tx *bbolt.Tx) error {
		old = tx.Bucket(oldEntities) != nil || tx.Bucket(oldRelationships) != nil || tx.Bucket(oldSources) != nil
		return nil
	})
	if !old {
		return nil
	}
	ctx := context.Background()
	const batch = 5000
	for _, bucket := range [][]byte{oldSources, oldEntities, oldRelationships} {
		// Read a batch in a read transaction, close it, then write: a read
		// transaction left open would block the writer's file remapping.
		var after []byte
		for {
			var b kg.Batch
			var last []byte
			err := s.db.View(func(tx *bbolt.Tx) error {
				bk := tx.Bucket(bucket)
				if bk == nil {
					return nil
				}
				c := bk.Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); k != nil && string(k) == string(after) {
						k, v = c.Next()
					}
				}
				for n := 0; k != nil && n < batch; k, v = c.Next() {
					if err := decodeOld(bucket, v, &b); err != nil {
						return fmt.Errorf("%s %s: %w", bucket, k, err)
					}
					last = append(last[:0], k...)
					n++
				}
				return nil
			})
			if err != nil {
				return err
			}
			if b.Empty() {
				break
			}
			if err := s.Apply(ctx, &b); err != nil {
				return err
			}
			after = last
		}
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{oldEntities, oldRelationships, oldSources} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func decodeOld(bucket, v []byte, b *kg.Batch) error {
	switch string(bucket) {
	case string(oldSources):
		var x kg.Source
		b.Sources = append(b.Sources, &x)
		return json.Unmarshal(v, &x)
	case string(oldEntities):
		var x kg.Entity
		b.Entities = append(b.Entities, &x)
		return json.Unmarshal(v, &x)
	default:
		var x kg.Relationship
		b.Relationships = append(b.Relationships, &x)
		return json.Unmarshal(v, &x)
	}
}

// labelBatch is how many index records storeLabels writes per transaction.
const labelBatch = 10_000

// storeLabels writes, into the index records of entities written before
// record version 4, each entity's name as shown (from its document), and
// puts it in the in-memory index, so that their outlines are read from
// memory as every newer entity's are. It runs once, at the first open of
// such a store, before the store serves; a store killed half way resumes
// with the records not yet written.
func (s *Store) storeLabels() error {
	g := s.g
	var pending []uint32
	for n := range g.kind {
		if g.live(uint32(n)) && g.labelLen[n] == 0 {
			pending = append(pending, uint32(n))
		}
	}
	for len(pending) > 0 {
		batch := pending[:min(labelBatch, len(pending))]
		pending = pending[len(batch):]
		labels := make([]string, len(batch))
		err := s.db.Update(func(tx *bbolt.Tx) error {
			index, docs := tx.Bucket(bucketEntityIndex), tx.Bucket(bucketEntities)
			for i, n := range batch {
				k := key(n)
				v, doc := index.Get(k), docs.Get(k)
				if v == nil || doc == nil || v[0] >= labelVersion {
					// Gone, or a record that holds its name already (one
					// the index could not keep stays in the document).
					continue
				}
				rec, err := decodeEntityRecord(v)
				if err != nil {
					return fmt.Errorf("%s %d: %w", bucketEntityIndex, n, err)
				}
				e, err := decodeEntityOutline(doc)
				if err != nil {
					return fmt.Errorf("%s %d: %w", bucketEntities, n, err)
				}
				rec.label = e.Name
				if err := index.Put(k, rec.encode()); err != nil {
					return err
				}
				labels[i] = e.Name
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, n := range batch {
			g.setLabel(n, labels[i])
		}
	}
	return nil
}
