package embedded

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestContainingUpTo checks the trigram intersection, bounded and not,
// against looking at every name.
func TestContainingUpTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x names
	x.init()
	parts := strings.Fields("cong ty co phan phat dat an binh tinh thanh pho ha noi ngu nguyen 12 3")
	for e := range 3000 {
		n := make([]string, 1+rng.IntN(4))
		for i := range n {
			n[i] = parts[rng.IntN(len(parts))]
		}
		x.add(uint32(e), []nameForm{{folded: strings.Join(n, " ")}})
	}
	for _, q := range []string{"con", "cong", "congty", "phat", "phatd", "tinhthanh", "nguyen12", "anbinh", "zzz", "han"} {
		var want []uint32 // the names that hold every trigram of q
	names:
		for m := range x.ent {
			c := string(x.compact(nil, uint32(m)))
			for i := 0; i+3 <= len(q); i++ {
				if !strings.Contains(c, q[i:i+3]) {
					continue names
				}
			}
			want = append(want, uint32(m))
		}
		for _, most := range []int{-1, 0, len(want) - 1, len(want), len(want) + 1, 100000} {
			got, ok := x.containingUpTo([]byte(q), most)
			switch {
			case most >= 0 && len(want) > most:
				if ok {
					t.Errorf("%q, most %d: %d names, want false (%d)", q, most, len(got), len(want))
				}
			case !ok || !slices.Equal(got, want):
				t.Errorf("%q, most %d: %v, %d names, want %d", q, most, ok, len(got), len(want))
			}
		}
	}
}

// TestNameEndPastTheCount: an entity stored with more names than the index
// counts (255; stores written before local names were bounded) still has
// all of them, and an edit's later names end where they are counted.
func TestNameEndPastTheCount(t *testing.T) {
	g := newGraph()
	put := func(n uint32, names int) {
		r := &entityRecord{kind: "LOCALITY", id: fmt.Sprintf("locality:e%d", n), label: "e"}
		for i := range names {
			r.names = append(r.names, nameForm{folded: fmt.Sprintf("name %d", i)})
		}
		g.putEntity(n, r)
	}
	put(0, 300)
	put(1, 2)
	put(2, 256)
	put(1, 3) // an edit: its names are added again, after entity 2's
	for n, want := range []uint32{300, 3, 256} {
		if got := g.nameEnd(uint32(n)) - g.nameFirst[n]; got != want {
			t.Errorf("entity %d: %d names, want %d", n, got, want)
		}
	}
}
