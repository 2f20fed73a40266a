package embedded

import "github.com/vjkg/vjkg/kg"

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
