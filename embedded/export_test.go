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
