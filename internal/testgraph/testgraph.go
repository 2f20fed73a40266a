// Package testgraph gives tests a real embedded store, in a temporary
// directory, loaded with the seed dataset.
package testgraph

import (
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/storetest"
)

// Seeded opens an embedded store in a temporary directory, loads the seed
// dataset into it, and closes it when the test ends.
func Seeded(tb testing.TB) *embedded.Store {
	tb.Helper()
	s := Empty(tb)
	storetest.LoadSeed(tb, s)
	return s
}

// Empty opens an empty embedded store in a temporary directory and closes it
// when the test ends.
func Empty(tb testing.TB) *embedded.Store {
	tb.Helper()
	s, err := embedded.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
