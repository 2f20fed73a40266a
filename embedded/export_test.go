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

// SetNameListsLong makes every term's name lists too long to gather what
// they hold in a set: ends' and entities' masks look for the term in each
// end's or candidate's names.
func SetNameListsLong() (restore func()) {
	oldEnds, oldNames := endListsShort, nameSetsShort
	endListsShort = func(int) int { return -1 }
	nameSetsShort = func(int) int { return -1 }
	return func() { endListsShort, nameSetsShort = oldEnds, oldNames }
}

// SetNoNameRanks makes searches choose their first hits by comparing names,
// as they do while the name order is behind the writes.
func SetNoNameRanks() (restore func()) {
	noNameRanks = true
	return func() { noNameRanks = false }
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
func DowngradeEntityRecords(dir string) error { return downgradeEntities(dir, 3) }

// DowngradeEntityWords rewrites every entity index record of the closed
// store in dir as version 5, which keeps the words of an entity's text
// mixed, as a store written before version 6 has them.
func DowngradeEntityWords(dir string) error { return downgradeEntities(dir, 5) }

func downgradeEntities(dir string, version byte) error {
	return rewriteRecords(dir, bucketEntityIndex, func(v []byte) ([]byte, error) {
		rec, err := decodeEntityRecord(v)
		if err != nil {
			return nil, err
		}
		w := rec.words
		rec.words, rec.apart = entityWords{mixed: union(w.desc, w.figures, w.quotes, w.mixed)}, false
		old := rec.encode() // version 5, with the words mixed
		if version < labelVersion {
			old = slices.Clone(old[:len(old)-len(appendString(nil, rec.label))])
		}
		old[0] = version
		return old, nil
	})
}

// union is the words of lists, each once, in order.
func union(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, w := range l {
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// DowngradeRelRecords rewrites every relationship index record of the
// closed store in dir as version 4, which keeps the words of a
// relationship's role and quotes mixed, as a store written before version 5
// has them.
func DowngradeRelRecords(dir string) error {
	return rewriteRecords(dir, bucketRelIndex, func(v []byte) ([]byte, error) {
		rec, err := decodeRelRecord(v)
		if err != nil {
			return nil, err
		}
		rec.mixedWords, rec.apart = union(rec.roleWords, rec.quoteWords, rec.mixedWords), false
		return rec.encode(), nil // version 4, with the words mixed
	})
}

// rewriteRecords replaces every value of a bucket of the closed store in
// dir with what rewrite makes of it.
func rewriteRecords(dir string, bucket []byte, rewrite func(v []byte) ([]byte, error)) error {
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucket)
		type kv struct{ k, v []byte }
		var out []kv
		err := b.ForEach(func(k, v []byte) error {
			w, err := rewrite(v)
			out = append(out, kv{slices.Clone(k), w})
			return err
		})
		if err != nil {
			return err
		}
		for _, r := range out {
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

// RelWordsApart counts the live relationships whose words the index keeps
// apart (search scores them without reading their documents).
func (s *Store) RelWordsApart() (n int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for r := range s.g.relType {
		if s.g.liveRel(uint32(r)) && s.g.relWords[r] == wordsApart {
			n++
		}
	}
	return n
}

// SetHolderListsKept changes how many names a term's lists must hold for
// its sets to be kept for other searches (0: every term's), and returns a
// function that restores it.
func SetHolderListsKept(n int) (restore func()) {
	old := holderListsKept
	holderListsKept = n
	return func() { holderListsKept = old }
}

// KeptHolderSets returns how many holder sets are kept for the names as
// they are now.
func (s *Store) KeptHolderSets() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h := &s.holders
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != s.g.namesGen {
		return 0
	}
	return len(h.sets)
}

// HoldNameOrder holds the name order's lock, as building or merging it
// does, until release is called.
func (s *Store) HoldNameOrder() (release func()) {
	o := s.orders.byField[kg.OrderByName]
	o.mu.Lock()
	return o.mu.Unlock
}

// BoundMissed is how many text searches found their bound on text scores
// failed and read every candidate whole instead.
func BoundMissed() int64 { return boundMissed.Load() }

// SetBegunWords changes how many words a prefix must begin for the text
// indexes to keep their ids, and returns a function that restores it.
func SetBegunWords(n int) (restore func()) {
	old := begunWords
	begunWords = n
	return func() { begunWords = old }
}

// TextCut is how many candidates' text masks the names' bound has spared
// so far.
func TextCut() int64 { return textCut.Load() }

// SetBetweenTextLocks sets what EntityTextHits runs between its scoring
// and its ranking (nil: nothing), and returns a function that restores it.
func SetBetweenTextLocks(f func()) (restore func()) {
	old := betweenTextLocks
	betweenTextLocks = f
	return func() { betweenTextLocks = old }
}

// PrimaryAnswered is how many text searches the entities whose primary
// names hold every term answered.
func PrimaryAnswered() int64 { return primaryAnswered.Load() }

// DegreeSumsKept returns how many terms' relationship counts s keeps.
func DegreeSumsKept(s *Store) int {
	s.degreeSums.mu.Lock()
	defer s.degreeSums.mu.Unlock()
	return len(s.degreeSums.sums)
}
