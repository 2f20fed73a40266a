package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

// The history's buckets. Revisions by number; changes by position (the
// bucket's sequence is the last position); and an index from a record's id
// to the positions of its changes (id, 0, position → nothing), so that a
// record's history and its latest change are a short cursor walk.
var (
	bucketRevisions     = []byte("revisions")
	bucketChanges       = []byte("changes")
	bucketRecordChanges = []byte("record-changes")
)

var _ kg.History = (*Store)(nil)

// maxChangeScan bounds how many changes one query reads when its filters
// match rarely; the page then ends early with a cursor to go on from.
const maxChangeScan = 100_000

// revisionHeader is a revision as stored (JSON: few, small).
type revisionHeader struct {
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Message  string    `json:"message,omitempty"`
	Reverts  int64     `json:"reverts,omitempty"`
	Changes  int       `json:"changes"`
	FirstPos int64     `json:"firstPos"`
}

func seqKey(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

func recordKey(id string, pos int64) []byte {
	k := append([]byte(id), 0)
	return binary.BigEndian.AppendUint64(k, uint64(pos))
}

// encodeChange packs a change: seq, type, id, kind, before, after, each
// length-prefixed (a nil snapshot has length 0: a snapshot is never empty).
func encodeChange(c *kg.Change) []byte {
	b := binary.AppendUvarint(nil, uint64(c.Seq))
	for _, s := range [][]byte{[]byte(c.Type), []byte(c.ID), []byte(c.Kind), c.Before, c.After} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func decodeChange(pos int64, b []byte) (*kg.Change, error) {
	seq, n := binary.Uvarint(b)
	if n <= 0 {
		return nil, fmt.Errorf("change %d: bad record", pos)
	}
	b = b[n:]
	var parts [5][]byte
	for i := range parts {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return nil, fmt.Errorf("change %d: bad record", pos)
		}
		parts[i] = b[n : n+int(l)]
		b = b[n+int(l):]
	}
	c := &kg.Change{Pos: pos, Seq: int64(seq), Type: kg.RecordType(parts[0]), ID: string(parts[1]), Kind: string(parts[2])}
	if len(parts[3]) > 0 {
		c.Before = json.RawMessage(bytes.Clone(parts[3]))
	}
	if len(parts[4]) > 0 {
		c.After = json.RawMessage(bytes.Clone(parts[4]))
	}
	return c, nil
}

// Snapshots are kept in the store's compact binary form, tagged by their
// first byte ('E' an entity, 'R' a relationship with its ends' ids, so that
// it reads alone), and turned into the JSON the API shows when read: a
// third of JSON's size. Sources, which are few, stay JSON ('{').

func entitySnap(e *kg.Entity) []byte {
	if e == nil {
		return nil
	}
	return append([]byte{'E'}, encodeEntity(e)...)
}

func relSnap(r *kg.Relationship) []byte {
	if r == nil {
		return nil
	}
	b := append(make([]byte, 0, 96), 'R', docVersion, byte(relTypeIndex(r.Type)))
	b = appendString(appendString(b, r.From), r.To)
	if r.ID == kg.RelationshipID(r.Type, r.From, r.To, "") {
		b = append(b, idDerived) // the id says no more than type and ends
	} else {
		b = appendString(append(b, idCustom), r.ID)
	}
	return appendRelBody(b, r)
}

func decodeRelSnap(b []byte) (*kg.Relationship, error) {
	d := decoder{b: b}
	typ, err := d.relHeader()
	if err != nil {
		return nil, err
	}
	r := &kg.Relationship{Type: typ, From: d.string(), To: d.string()}
	switch mode := d.byte(); mode {
	case idDerived:
		r.ID = kg.RelationshipID(r.Type, r.From, r.To, "")
	case idCustom:
		r.ID = d.string()
	default:
		return nil, fmt.Errorf("id mode %d", mode)
	}
	r.FromKind, r.ToKind = kindByPrefix(r.From), kindByPrefix(r.To)
	d.relBody(r)
	return r, d.err
}

// snapshotJSON turns a stored snapshot into the JSON of kg's snapshots.
func snapshotJSON(b []byte) (json.RawMessage, error) {
	if len(b) == 0 {
		return nil, nil
	}
	switch b[0] {
	case 'E':
		e, err := decodeEntity(b[1:])
		if err != nil {
			return nil, fmt.Errorf("entity snapshot: %w", err)
		}
		return kg.EntitySnapshot(e), nil
	case 'R':
		r, err := decodeRelSnap(b[1:])
		if err != nil {
			return nil, fmt.Errorf("relationship snapshot: %w", err)
		}
		return kg.RelationshipSnapshot(r), nil
	}
	return json.RawMessage(b), nil
}

// historyChanges returns what p changes, record by record, with each
// record's state before (read from the store: the caller holds the write
// lock, so nothing else changes it meanwhile) and after. Records written
// unchanged are left out: re-importing a file records nothing.
func (s *Store) historyChanges(p *writePlan) ([]*kg.Change, error) {
	var out []*kg.Change
	add := func(t kg.RecordType, id, kind string, before, after []byte) {
		if !bytes.Equal(before, after) {
			out = append(out, &kg.Change{Type: t, ID: id, Kind: kind, Before: before, After: after})
		}
	}
	s.mu.RLock()
	var srcBefore []*kg.Source
	for _, src := range p.sources {
		srcBefore = append(srcBefore, s.sources[src.ID])
	}
	s.mu.RUnlock()
	for i, src := range p.sources {
		add(kg.RecordSource, src.ID, "", kg.SourceSnapshot(srcBefore[i]), kg.SourceSnapshot(src))
	}

	var oldEnts []uint32
	for _, e := range p.entities {
		if e.num != 0 {
			oldEnts = append(oldEnts, e.num)
		}
	}
	oldEnts = append(oldEnts, p.entityDeletes...)
	ents, err := s.readEntities(oldEnts)
	if err != nil {
		return nil, err
	}
	before := make(map[uint32]*kg.Entity, len(oldEnts))
	for i, n := range oldEnts {
		before[n] = ents[i]
	}
	for _, e := range p.entities {
		add(kg.RecordEntity, e.doc.ID, string(e.doc.Kind), entitySnap(before[e.num]), entitySnap(e.doc))
	}

	// Relationships: those replaced (upserted under an existing number) and
	// those deleted, outright or with an end.
	written := make(map[uint32]*kg.Relationship, len(p.rels))
	for _, r := range p.rels {
		if r.num != 0 {
			written[r.num] = r.doc
		}
	}
	rels, err := s.readRelationships(p.relDeletes)
	if err != nil {
		return nil, err
	}
	for i, n := range p.relDeletes {
		old := rels[i]
		if old == nil {
			continue
		}
		if _, replaced := written[n]; !replaced {
			add(kg.RecordRelationship, old.ID, string(old.Type), relSnap(old), nil)
		} else {
			written[n] = old // its state before, for the loop below
		}
	}
	for _, r := range p.rels {
		var old *kg.Relationship
		if r.num != 0 {
			old = written[r.num]
		}
		add(kg.RecordRelationship, r.doc.ID, string(r.doc.Type), relSnap(old), relSnap(r.doc))
	}

	for _, n := range p.entityDeletes {
		if e := before[n]; e != nil {
			add(kg.RecordEntity, e.ID, string(e.Kind), entitySnap(e), nil)
		}
	}
	return out, nil
}

// writeHistory records changes inside the batch's transaction: a new
// revision (its number stored in *seq), or more changes for revision *seq.
// ifLatest is checked first: each record's latest change must belong to
// the revision given.
func writeHistory(tx *bbolt.Tx, note kg.Note, seq *int64, changes []*kg.Change, ifLatest map[string]int64) error {
	revs, chs, idx := appending(tx, bucketRevisions), appending(tx, bucketChanges), appending(tx, bucketRecordChanges)
	for id, want := range ifLatest {
		got, err := latestSeq(idx, chs, id)
		if err != nil {
			return err
		}
		if got != want {
			return kg.ConflictError(id, want, got)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	var h revisionHeader
	if *seq != 0 {
		b := revs.Get(seqKey(*seq))
		if b == nil {
			return kg.Errorf(kg.ENotFound, "revision %d does not exist", *seq)
		}
		if err := json.Unmarshal(b, &h); err != nil {
			return fmt.Errorf("revision %d: %w", *seq, err)
		}
	} else {
		n, err := revs.NextSequence()
		if err != nil {
			return err
		}
		*seq = int64(n)
		h = revisionHeader{Time: time.Now().UTC(), Actor: note.Actor, Message: note.Message, Reverts: note.Reverts}
	}
	for _, c := range changes {
		pos, err := chs.NextSequence()
		if err != nil {
			return err
		}
		c.Pos, c.Seq = int64(pos), *seq
		if h.FirstPos == 0 {
			h.FirstPos = c.Pos
		}
		if err := chs.Put(seqKey(c.Pos), encodeChange(c)); err != nil {
			return err
		}
		if err := idx.Put(recordKey(c.ID, c.Pos), nil); err != nil {
			return err
		}
	}
	h.Changes += len(changes)
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return revs.Put(seqKey(*seq), b)
}

// latestSeq returns the revision of id's newest change, 0 if it has none.
func latestSeq(idx, chs *bbolt.Bucket, id string) (int64, error) {
	c := idx.Cursor()
	prefix := append([]byte(id), 0)
	k, _ := c.Seek(recordKey(id, 1<<63-1))
	if k == nil {
		k, _ = c.Last()
	} else if !bytes.Equal(k, recordKey(id, 1<<63-1)) {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return 0, nil
	}
	pos := int64(binary.BigEndian.Uint64(k[len(prefix):]))
	ch, err := decodeChange(pos, chs.Get(seqKey(pos)))
	if err != nil {
		return 0, err
	}
	return ch.Seq, nil
}

// Revision implements kg.History.
func (s *Store) Revision(ctx context.Context, seq int64) (*kg.Revision, error) {
	var rev *kg.Revision
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		rev, err = readRevision(tx.Bucket(bucketRevisions), seq)
		return err
	})
	if err == nil && rev == nil {
		err = kg.Errorf(kg.ENotFound, "revision %d does not exist", seq)
	}
	return rev, err
}

func readRevision(revs *bbolt.Bucket, seq int64) (*kg.Revision, error) {
	b := revs.Get(seqKey(seq))
	if b == nil {
		return nil, nil
	}
	var h revisionHeader
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("revision %d: %w", seq, err)
	}
	return &kg.Revision{Seq: seq, Time: h.Time, Actor: h.Actor, Message: h.Message, Reverts: h.Reverts, Changes: h.Changes}, nil
}

// LastPosition implements kg.History.
func (s *Store) LastPosition(ctx context.Context) (int64, error) {
	var pos int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		pos = int64(tx.Bucket(bucketChanges).Sequence())
		return nil
	})
	return pos, err
}

// Changes implements kg.History.
func (s *Store) Changes(ctx context.Context, q kg.ChangeQuery) (kg.ChangePage, error) {
	var page kg.ChangePage
	err := s.db.View(func(tx *bbolt.Tx) error {
		revs, chs, idx := tx.Bucket(bucketRevisions), tx.Bucket(bucketChanges), tx.Bucket(bucketRecordChanges)
		headers := map[int64]*kg.Revision{}
		revision := func(seq int64) (*kg.Revision, error) {
			if r, ok := headers[seq]; ok {
				return r, nil
			}
			r, err := readRevision(revs, seq)
			headers[seq] = r
			return r, err
		}
		// keep reads the change at pos and adds it to the page if it
		// passes; it reports whether the page is full.
		keep := func(pos int64, b []byte) (bool, error) {
			c, err := decodeChange(pos, b)
			if err != nil {
				return false, err
			}
			if q.Seq != 0 && c.Seq != q.Seq {
				return false, nil
			}
			if c.Revision, err = revision(c.Seq); err != nil {
				return false, err
			}
			if q.Matches(c, c.Revision) {
				if c.Before, err = snapshotJSON(c.Before); err != nil {
					return false, err
				}
				if c.After, err = snapshotJSON(c.After); err != nil {
					return false, err
				}
				page.Changes = append(page.Changes, c)
			}
			return q.Limit > 0 && len(page.Changes) >= q.Limit, nil
		}
		if q.Record != "" {
			return walkRecord(idx, chs, q, keep)
		}
		start := q.After + 1
		if q.Seq != 0 && !q.Desc {
			r, err := revision(q.Seq)
			if err != nil || r == nil {
				return err
			}
			b := revs.Get(seqKey(q.Seq))
			var h revisionHeader
			if err := json.Unmarshal(b, &h); err != nil {
				return err
			}
			start = max(start, h.FirstPos)
		}
		c := chs.Cursor()
		var k, v []byte
		switch {
		case q.Desc && q.After > 0:
			k, v = c.Seek(seqKey(q.After))
			if k != nil {
				k, v = c.Prev()
			} else {
				k, v = c.Last()
			}
		case q.Desc:
			k, v = c.Last()
		default:
			k, v = c.Seek(seqKey(start))
		}
		for scanned := 0; k != nil; scanned++ {
			pos := int64(binary.BigEndian.Uint64(k))
			if scanned == maxChangeScan {
				page.More = pos // go on from here: the filters matched too little
				return nil
			}
			if scanned%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			full, err := keep(pos, v)
			if err != nil || full {
				if full {
					page.More = pos
				}
				return err
			}
			if q.Desc {
				k, v = c.Prev()
			} else {
				k, v = c.Next()
			}
		}
		return nil
	})
	return page, err
}

// walkRecord reads one record's changes through the record index.
func walkRecord(idx, chs *bbolt.Bucket, q kg.ChangeQuery, keep func(int64, []byte) (bool, error)) error {
	prefix := append([]byte(q.Record), 0)
	c := idx.Cursor()
	var k []byte
	switch {
	case q.Desc:
		from := int64(1<<63 - 1)
		if q.After > 0 {
			from = q.After
		}
		k, _ = c.Seek(recordKey(q.Record, from))
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	default:
		k, _ = c.Seek(recordKey(q.Record, q.After+1))
	}
	for k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8 {
		pos := int64(binary.BigEndian.Uint64(k[len(prefix):]))
		full, err := keep(pos, chs.Get(seqKey(pos)))
		if err != nil || full {
			return err
		}
		if q.Desc {
			k, _ = c.Prev()
		} else {
			k, _ = c.Next()
		}
	}
	return nil
}

// compactChunk is how many changes one compaction transaction deletes, so
// that a large import's revision goes in commits of bounded size.
const compactChunk = 20_000

// CompactHistory implements kg.History: it deletes the revisions that
// began before t, oldest first, with their changes and index entries.
func (s *Store) CompactHistory(ctx context.Context, before time.Time) (int, error) {
	deleted := 0
	for {
		done := false
		err := s.db.Update(func(tx *bbolt.Tx) error {
			revs, chs, idx := tx.Bucket(bucketRevisions), tx.Bucket(bucketChanges), tx.Bucket(bucketRecordChanges)
			k, v := revs.Cursor().First()
			if k == nil {
				done = true
				return nil
			}
			var h revisionHeader
			if err := json.Unmarshal(v, &h); err != nil {
				return err
			}
			if !h.Time.Before(before) {
				done = true
				return nil
			}
			seq := int64(binary.BigEndian.Uint64(k))
			c := chs.Cursor()
			n := 0
			ck, cv := c.Seek(seqKey(h.FirstPos))
			for ; ck != nil && h.Changes > 0 && n < compactChunk; n++ {
				pos := int64(binary.BigEndian.Uint64(ck))
				ch, err := decodeChange(pos, cv)
				if err != nil {
					return err
				}
				if ch.Seq != seq {
					ck, cv = c.Next()
					continue
				}
				if err := idx.Delete(recordKey(ch.ID, pos)); err != nil {
					return err
				}
				if err := c.Delete(); err != nil {
					return err
				}
				h.Changes--
				ck, cv = c.Seek(seqKey(pos + 1))
			}
			if h.Changes > 0 && ck != nil {
				h.FirstPos = int64(binary.BigEndian.Uint64(ck))
				b, err := json.Marshal(h)
				if err != nil {
					return err
				}
				return revs.Put(k, b)
			}
			deleted++
			return revs.Delete(k)
		})
		if err != nil || done {
			return deleted, err
		}
		if err := ctx.Err(); err != nil {
			return deleted, err
		}
	}
}
