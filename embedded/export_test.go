package embedded

import (
	"path/filepath"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/vjkg/vjkg/kg"
)

// SetRareTrigram changes the threshold below which search scores every
// name containing the query, and returns a function that restores it, so
// that tests on small graphs exercise the tiers too.
func SetRareTrigram(n int) (restore func()) {
	old := rareTrigram
	rareTrigram = n
	return func() { rareTrigram = old }
}

// SetLongList changes how long a name list must be for search to walk it
// by length, and returns a function that restores it.
func SetLongList(n int) (restore func()) {
	old := longList
	longList = n
	return func() { longList = old }
}

// SetMinIntersect changes how many holders a text search's rarest word
// must have for the other words' holders to narrow its candidates, and
// returns a function that restores it.
func SetMinIntersect(n int) (restore func()) {
	old := minIntersect
	minIntersect = n
	return func() { minIntersect = old }
}

// SetRelTextBatch changes how many relationship candidates a text search
// reads at a time, and returns a function that restores it.
func SetRelTextBatch(n int) (restore func()) {
	old := relTextBatch
	relTextBatch = n
	return func() { relTextBatch = old }
}

// Warm runs the store's warm-up pass (which Open starts in the background)
// and reports whether the lists' name order and its cells' positions are
// built.
func (s *Store) Warm() (nameOrderBuilt bool) {
	s.warm()
	o := s.orders.byField[kg.OrderByName]
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.built && o.cellPos != nil
}

// DowngradeEntityRecords rewrites every entity index record of the closed
// store in dir as version 3, which holds no name as shown, as a store
// written before version 4 has them.
func DowngradeEntityRecords(dir string) error {
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntityIndex)
		type kv struct{ k, v []byte }
		var old []kv
		err := b.ForEach(func(k, v []byte) error {
			rec, err := decodeEntityRecord(v)
			if err != nil {
				return err
			}
			v4 := rec.encode()
			v3 := slices.Clone(v4[:len(v4)-len(appendString(nil, rec.label))])
			v3[0] = 3
			old = append(old, kv{slices.Clone(k), v3})
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range old {
			if err := b.Put(r.k, r.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// KnownLabels counts the live entities whose name as shown the index
// holds.
func (s *Store) KnownLabels() (n int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for e := range s.g.kind {
		if s.g.live(uint32(e)) && s.g.label(uint32(e)) != "" {
			n++
		}
	}
	return n
}

// ForgetLabels drops every name as shown from the in-memory index, as if
// none could be kept there, so that outlines read names from documents.
func (s *Store) ForgetLabels() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.g.labelLen)
}
