package embedded

// SetRareTrigram changes the threshold below which search scores every
// name containing the query, and returns a function that restores it, so
// that tests on small graphs exercise the tiers too.
func SetRareTrigram(n int) (restore func()) {
	old := rareTrigram
	rareTrigram = n
	return func() { rareTrigram = old }
}
