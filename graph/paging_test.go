package graph

import (
	"encoding/base64"
	"strconv"
	"testing"
)

// TestCursorsRoundTrip checks the cursors made once (firstCursors) and
// those made on demand alike: each decodes to its offset and is the
// base64 of "o:" and the offset.
func TestCursorsRoundTrip(t *testing.T) {
	for _, offset := range []int{0, 1, 9, 10, 511, 1023, 1024, 1025, 99999} {
		c := encodeCursor(offset)
		if want := base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset))); c != want {
			t.Errorf("encodeCursor(%d) = %q, want %q", offset, c, want)
		}
		if got, err := decodeCursor("after", c); err != nil || got != offset {
			t.Errorf("decodeCursor(encodeCursor(%d)) = %d, %v", offset, got, err)
		}
	}
}
