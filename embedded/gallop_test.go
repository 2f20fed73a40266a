package embedded

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGallopIsBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := r.IntN(300) // past a few doublings
		s := make([]uint32, n)
		for i := range s {
			s[i] = uint32(r.IntN(400))
		}
		slices.Sort(s)
		s = slices.Compact(s)
		for x := uint32(0); x < 402; x++ {
			i, f := gallop(s, x)
			wi, wf := slices.BinarySearch(s, x)
			if i != wi || f != wf {
				t.Fatalf("gallop(%v, %d) = %d %v, want %d %v", s, x, i, f, wi, wf)
			}
		}
	}
}

// TestSmallestMovesTheFirstInOrder: smallest (by sorting, choosing a few,
// or quickselect) leaves the k smallest keys in order at the front and
// the others after them, with repeats, keys in order, in reverse and at
// random.
func TestSmallestMovesTheFirstInOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 3000 {
		n := 1 + r.IntN(600)
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = uint64(r.IntN(1 + n*(round%3))) // round%3 == 0: all alike
		}
		switch round % 4 {
		case 1:
			slices.Sort(keys)
		case 2:
			slices.Sort(keys)
			slices.Reverse(keys)
		}
		k := 1 + r.IntN(min(n, 2*fewSmallest))
		want := slices.Sorted(slices.Values(keys))
		got := slices.Clone(keys)
		smallest(got, k)
		if !slices.Equal(got[:k], want[:k]) {
			t.Fatalf("smallest(%v, %d): front %v, want %v", keys, k, got[:k], want[:k])
		}
		slices.Sort(got[k:])
		if rest := slices.Sorted(slices.Values(want[k:])); !slices.Equal(got[k:], rest) {
			t.Fatalf("smallest(%v, %d): the others %v, want %v", keys, k, got[k:], rest)
		}
	}
}
