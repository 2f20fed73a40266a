package embedded

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestFirstDistinct checks that an entity reached through many candidates
// counts once, by its best key, and that the first are found even when
// one entity's keys fill them.
func TestFirstDistinct(t *testing.T) {
	// Entity of rank 7 through places 0..9 at score 0.2, and through
	// place 10 at 0.21; rank 3 and rank 9 once each at 0.2.
	var keys []rankKey
	for p := range uint32(10) {
		keys = append(keys, newRankKey(0.2, 7, p))
	}
	keys = append(keys, newRankKey(0.21, 7, 10), newRankKey(0.2, 9, 11), newRankKey(0.2, 3, 12))
	got := func(first int) (out [][2]uint32) {
		for _, k := range firstDistinct(slices.Clone(keys), first) {
			out = append(out, [2]uint32{k.rank(), k.place()})
		}
		return out
	}
	want := [][2]uint32{{7, 10}, {3, 12}, {9, 11}}
	for _, first := range []int{0, 1, 2, 3, 4} {
		w := want
		if first > 0 {
			w = want[:min(first, len(want))]
		}
		if g := got(first); !slices.Equal(g, w) {
			t.Errorf("firstDistinct(first %d) = %v, want %v", first, g, w)
		}
	}
}

func TestThroughMatchPacks(t *testing.T) {
	for _, m := range []kg.MaskMatch{
		{Score: 0.23, Field: kg.FieldRole, ThroughFrom: true},
		{Score: 0.227, Field: kg.FieldQuote, ThroughTo: true},
		{Score: 0.22, Field: kg.FieldEnd, ThroughFrom: true, ThroughTo: true},
	} {
		p := packThrough(m, true)
		if p.score() != m.Score || p.field() != m.Field || p.through(0) != m.ThroughFrom || p.through(1) != m.ThroughTo {
			t.Errorf("%+v packed reads %v %v %v %v", m, p.score(), p.field(), p.through(0), p.through(1))
		}
	}
	if packThrough(kg.MaskMatch{Score: 0.23, Field: kg.FieldRole}, false) != 0 {
		t.Error("no match packs to a match")
	}
}

// TestEndMaskerCoversNewEntities: ThroughHits takes the read lock again to
// score relationships from their documents, and such a relationship may
// meanwhile end at an entity made since the ends' sets were gathered.
func TestEndMaskerCoversNewEntities(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cited := []kg.Citation{{SourceID: "source:a", Quote: "x"}}
	batch := func(from, to int, name string) *kg.Batch {
		b := &kg.Batch{Sources: []*kg.Source{{ID: "source:a", Title: "A", Language: "en", Type: "ARTICLE"}}}
		for i := from; i < to; i++ {
			b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%03d", i), Kind: kg.KindOrganization,
				Type: "COMPANY", Name: fmt.Sprintf("%s %d", name, i), Citations: cited})
		}
		return b
	}
	if err := s.Apply(ctx, batch(0, 3, "Kanagawa Trading")); err != nil {
		t.Fatal(err)
	}
	// Long lists are looked at name by name; "zebu" is in no name when
	// the sets are gathered, and then in the new entities' names.
	for i, c := range []struct {
		long       bool
		text, name string
		old, new   uint64
	}{
		{false, "kanagawa trading", "Kanagawa Trading", 3, 3},
		{true, "kanagawa trading", "Kanagawa Trading", 3, 3},
		{false, "kanagawa trading zebu", "Kanagawa Trading Zebu", 3, 7},
		{false, "zebra", "Zebra", 0, 1},
	} {
		restore := func() {}
		if c.long {
			restore = SetNameListsLong()
		}
		q := kg.ParseTextQuery(c.text)
		s.mu.RLock()
		mask, done := s.endMasker(q, 1)
		s.mu.RUnlock()
		first := 200 * (i + 1)
		if err := s.Apply(ctx, batch(first, first+200, c.name)); err != nil {
			t.Fatal(err)
		}
		s.mu.RLock()
		for id, want := range map[string]uint64{"org:o001": c.old, fmt.Sprintf("org:o%03d", first+199): c.new} {
			n, _ := s.g.entityNum(id)
			if got := mask(n); got != want {
				t.Errorf("%q, long lists %v: mask of %s = %b, want %b", c.text, c.long, id, got, want)
			}
		}
		s.mu.RUnlock()
		done()
		restore()
	}
}
