package embedded

import (
	"sync"

	"github.com/vjkg/vjkg/kg"
)

// textScratch holds a text search's working arrays, kept for the next
// search (textScratches): at 20,000 candidates they come to about 1 MB,
// which was most of a search's garbage and so most of the collector's work
// while searches come in fast.
type textScratch struct {
	nums    []uint32
	masks   [3][]uint64
	matches []throughMatch
	scores  []float64
	fields  []uint8
	keys    []rankKey
	byNames []kg.EntityMasks // candidates' masks from their names
	open    []openScore      // candidates whose text may lift their score
	// The candidates whose text's masks are needed, and their places.
	textCands []uint32
	places    []int
}

var textScratches = sync.Pool{New: func() any { return new(textScratch) }}

func getTextScratch() *textScratch { return textScratches.Get().(*textScratch) }

// release keeps sc for another search; nothing of it may be used after.
func (sc *textScratch) release() { textScratches.Put(sc) }

// grown returns buf with n elements, all zero, in its own room when that
// is enough.
func grown[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
