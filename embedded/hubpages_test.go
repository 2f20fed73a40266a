package embedded_test

import (
	"math/rand/v2"
	"testing"

	"github.com/vjkg/vjkg/storetest"
)

// TestHubPagesAgreeWithGeneric checks the pages, traversals and
// neighbourhoods of hubs (entities with enough relationships for their
// sorted lists to be cached, with their runs of one direction and type)
// against the generic implementations, under directions, types, kinds and
// dates, on a fresh store and again after a reopen.
func TestHubPagesAgreeWithGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	dir := t.TempDir()
	s, g := openRandomGraph(t, rng, 400, dir)
	degree := map[string]int{}
	for _, r := range g.Relationships {
		degree[r.From]++
		degree[r.To]++
	}
	var hubs []string
	for _, e := range g.Entities[:5] { // randomGraph's hubs
		if degree[e.ID] >= 150 { // above the sorted lists' threshold (128)
			hubs = append(hubs, e.ID)
		}
	}
	if len(hubs) < 3 {
		t.Fatalf("only %d hubs of 150 relationships or more", len(hubs))
	}
	ids := append(hubs, g.Entities[10].ID, g.Entities[20].ID)
	storetest.CheckNative(t, s, ids)
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	storetest.CheckNative(t, s, ids)
}
