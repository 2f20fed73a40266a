package export

import (
	"bytes"
	"context"
	"testing"

	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// TestStreamedEqualsWhole writes the whole graph and a list both ways: read
// whole (Collect) and streamed from the store in pages of 7 records, so that
// every page boundary is crossed. The files must be the same, byte for byte.
func TestStreamedEqualsWhole(t *testing.T) {
	ctx := context.Background()
	s := testgraph.Seeded(t)
	for _, sc := range []Scope{
		{},
		{What: "list", Filter: kg.EntityFilter{Countries: []string{"JP"}, Order: kg.EntityOrder{Field: kg.OrderByID}}},
		{What: "list", Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}}, Traverse: traverse.Options{AsOf: "2025-07-01"}},
	} {
		g, err := Collect(ctx, s, sc, DefaultBounds)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range FormatNames() {
			for _, raw := range []bool{false, true} {
				var whole, streamed bytes.Buffer
				if err := write(ctx, &whole, format, memRecords{g}, WriteOptions{Raw: raw}); err != nil {
					t.Fatal(err)
				}
				rs := newStoreRecords(s, sc.Filter, sc.Traverse.AsOf, sc.What == "list", 7)
				if err := write(ctx, &streamed, format, rs, WriteOptions{Raw: raw}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
					t.Errorf("%s %q: streamed %d bytes, whole %d", format, sc.What, streamed.Len(), whole.Len())
				}
			}
		}
	}
}
