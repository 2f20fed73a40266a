package synth

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// rng draws numbers from a PCG stream. Only the generator's raw Uint64
// output is used, with our own reductions below, because math/rand/v2 fixes
// PCG's output but not how its helper methods (IntN, Float64, Shuffle) use
// it: files must stay byte-identical across Go releases.
type rng struct{ src *rand.PCG }

func newRNG(seed, stream uint64) *rng { return &rng{rand.NewPCG(seed, stream)} }

// n returns a number in [0, n): the high word of a 64×64-bit product
// (Lemire's method without the rejection step; its bias, below 2⁻³², does not
// matter here).
func (r *rng) n(n int) int {
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// float returns a number in [0, 1) with 53 random bits.
func (r *rng) float() float64 { return float64(r.src.Uint64()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// weighted returns an index of weights, each chosen in proportion to its
// weight (the sum must be positive).
func (r *rng) weighted(weights []int, sum int) int {
	x := r.n(sum)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// zipf returns a rank in [0, n), rank k with a probability roughly
// proportional to (k+1)^-s.
func (r *rng) zipf(n int, s float64) int { return newPowerLaw(n, s).draw(r) }

// powerLaw draws ranks in [0, n) with P(k) ∝ (k+1)^-s by inverting the
// distribution function of the continuous power law on [1, n+1). Unlike
// math/rand's Zipf it allows s ≤ 1, which gives the heavy but not extreme
// skew of real networks: with s = 0.9 and 50,000 candidates the first one
// draws 3.7% of the picks and the first hundred 30%.
type powerLaw struct {
	n       int
	a, top  float64 // 1 - s, and (n+1)^(1-s)
	inverse float64 // 1 / (1 - s)
}

func newPowerLaw(n int, s float64) powerLaw {
	if s == 1 {
		s = 0.999 // the formula divides by 1 - s; the difference is invisible
	}
	a := 1 - s
	return powerLaw{n: n, a: a, top: math.Pow(float64(n+1), a), inverse: 1 / a}
}

func (p powerLaw) draw(r *rng) int {
	// The explicit conversion keeps the compiler from fusing the multiply
	// and the add into one FMA instruction, which would round differently
	// on some architectures and change the files.
	x := math.Pow(float64(r.float()*(p.top-1))+1, p.inverse)
	k := int(x) - 1
	return min(max(k, 0), p.n-1)
}
