package graph

import (
	"slices"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestAlignEntities puts a store's answer in the order asked, whatever
// order the store answered in: the order asked (walked without a map),
// another order, without repeats, or without unknown ids.
func TestAlignEntities(t *testing.T) {
	a, b, c := &kg.Entity{ID: "a"}, &kg.Entity{ID: "b"}, &kg.Entity{ID: "c"}
	for _, tc := range []struct {
		ids   []string
		found []*kg.Entity
		want  []*kg.Entity
	}{
		{[]string{"a", "b", "c"}, []*kg.Entity{a, b, c}, []*kg.Entity{a, b, c}},
		{[]string{"a", "b", "c"}, []*kg.Entity{c, a, b}, []*kg.Entity{a, b, c}},
		{[]string{"a", "b", "a"}, []*kg.Entity{a, b, a}, []*kg.Entity{a, b, a}},
		{[]string{"a", "b", "a"}, []*kg.Entity{a, b}, []*kg.Entity{a, b, a}}, // a store that drops repeats
		{[]string{"a", "x", "c"}, []*kg.Entity{a, c}, []*kg.Entity{a, nil, c}},
		{[]string{"x"}, nil, []*kg.Entity{nil}},
		{nil, nil, []*kg.Entity{}},
	} {
		if got := alignEntities(tc.ids, tc.found); !slices.Equal(got, tc.want) {
			t.Errorf("alignEntities(%v, %v) = %v, want %v", tc.ids, ids(tc.found), ids(got), ids(tc.want))
		}
	}
}

func ids(es []*kg.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		if e != nil {
			out[i] = e.ID
		}
	}
	return out
}
