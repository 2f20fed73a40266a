package embedded

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortPrefix requires the first k entries sortPrefix leaves to be those
// of a full sort, and the list to stay a permutation of itself, for lists
// with repeats, k from none to past the end, and in any starting order.
func TestSortPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := r.IntN(60)
		l := make([]int, n)
		for i := range l {
			l[i] = r.IntN(20) // repeats
		}
		if r.IntN(4) == 0 {
			slices.Sort(l) // already in order
		} else if r.IntN(4) == 0 {
			slices.Sort(l)
			slices.Reverse(l)
		}
		want := slices.Sorted(slices.Values(l))
		k := r.IntN(n+3) - 1 // -1 (all) to past the end
		got := slices.Clone(l)
		sortPrefix(got, k, cmp.Compare[int])
		prefix := len(got)
		if k >= 0 && k < prefix {
			prefix = k
		}
		if !slices.Equal(got[:prefix], want[:prefix]) {
			t.Fatalf("k %d of %v: prefix %v, want %v", k, l, got[:prefix], want[:prefix])
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), want) {
			t.Fatalf("k %d of %v: %v is not a permutation", k, l, got)
		}
	}
}
