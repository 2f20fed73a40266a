package embedded

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGallopIsBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := r.IntN(40)
		s := make([]uint32, n)
		for i := range s {
			s[i] = uint32(r.IntN(60))
		}
		slices.Sort(s)
		s = slices.Compact(s)
		for x := uint32(0); x < 62; x++ {
			i, f := gallop(s, x)
			wi, wf := slices.BinarySearch(s, x)
			if i != wi || f != wf {
				t.Fatalf("gallop(%v, %d) = %d %v, want %d %v", s, x, i, f, wi, wf)
			}
		}
	}
}
