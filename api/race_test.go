//go:build race

package api_test

// Under the race detector the code runs several times slower: the tests
// that need a large graph make it smaller.
const raceEnabled = true
