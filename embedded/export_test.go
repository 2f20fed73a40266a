package embedded

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
