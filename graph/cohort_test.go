package graph

import (
	"fmt"
	"testing"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// TestPlaceFindsEveryParent puts parents in a place, a few (searched in
// turn) and many (through the index), and finds each one's value, and
// none for a parent it was not given.
func TestPlaceFindsEveryParent(t *testing.T) {
	for _, n := range []int{0, 1, fewParents, fewParents + 1, 100} {
		pl := newPlace(n)
		parents := make([]any, n)
		for i := range parents {
			parents[i] = model.WrapEntity(&kg.Entity{ID: fmt.Sprint("e", i), Kind: kg.KindLocality})
			pl.put(parentKey(parents[i]), placeValue{v: i})
		}
		if (pl.index != nil) != (n > fewParents) {
			t.Errorf("%d parents: index %v", n, pl.index != nil)
		}
		for i := range parents {
			// The same entity, wrapped anew, is the same parent.
			again := model.WrapEntity(&kg.Entity{ID: fmt.Sprint("e", i), Kind: kg.KindLocality})
			if got, ok := pl.value(again); !ok || got.v != i {
				t.Errorf("%d parents: parent %d has %v, %v", n, i, got.v, ok)
			}
		}
		if _, ok := pl.value(model.WrapEntity(&kg.Entity{ID: "other", Kind: kg.KindLocality})); ok {
			t.Errorf("%d parents: found a parent never put", n)
		}
	}
}
