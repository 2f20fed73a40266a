package embedded_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
)

// TestEntityOutlinesAgreeWithGetEntities reads the outlines of entities
// whose documents are cached, not cached, and of unknown ids, and compares
// them with the whole entities GetEntities reads.
func TestEntityOutlinesAgreeWithGetEntities(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	s, g := openRandomGraph(t, rng, 400, t.TempDir())
	defer s.Close()
	var ids []string
	for i, e := range g.Entities {
		if i%3 == 0 {
			ids = append(ids, e.ID)
		}
	}
	// Half of them decoded whole, and so cached, first.
	if _, err := s.GetEntities(ctx, ids[:len(ids)/2]); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, "locality:nowhere", "event:never")
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	outlines, err := s.EntityOutlines(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := s.GetEntities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	show := func(es []*kg.Entity, outline bool) string {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = fmt.Sprintf("%s %s %q", e.ID, e.Kind, e.Name)
			if outline && (e.Description != "" || e.Citations != nil || e.Aliases != nil) {
				lines[i] += " (more than an outline)"
			}
		}
		slices.Sort(lines)
		return strings.Join(lines, "\n")
	}
	if w, o := show(whole, false), show(outlines, true); w != o || len(whole) != len(ids)-2 {
		t.Errorf("outlines differ from the entities (%d of %d ids found):\n%s\n---\n%s", len(whole), len(ids), o, w)
	}
}

// TestWarmBuildsTheListOrder checks that the warm-up pass leaves the
// lists' default order built, so that the first list after a start does not
// sort every entity.
func TestWarmBuildsTheListOrder(t *testing.T) {
	dir := t.TempDir()
	s, _ := openRandomGraph(t, rand.New(rand.NewPCG(7, 8)), 200, dir)
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	if !s.Warm() {
		t.Error("the name order is not built after the warm-up pass")
	}
}

// TestEntityOutlinesKeepNames checks the names outlines take from the
// index: after a rename, after reopening, in a store whose records predate
// names in the index (version 3, converted on open), and when the index
// does not hold them (read from the documents).
func TestEntityOutlinesKeepNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, g := openRandomGraph(t, rand.New(rand.NewPCG(9, 10)), 120, dir)
	var ids []string
	for _, e := range g.Entities {
		ids = append(ids, e.ID)
	}
	agree := func(s *embedded.Store, when string) {
		t.Helper()
		outlines, err := s.EntityOutlines(ctx, append(slices.Clone(ids), "event:never"))
		if err != nil {
			t.Fatal(err)
		}
		whole, err := s.GetEntities(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, e := range whole {
			names[e.ID] = e.Name
		}
		if len(outlines) != len(whole) || len(whole) != len(ids) {
			t.Fatalf("%s: %d outlines, %d entities, %d ids", when, len(outlines), len(whole), len(ids))
		}
		for i, o := range outlines {
			if o.ID != ids[i] || o.Name != names[o.ID] || o.Name == "" {
				t.Fatalf("%s: outline %d is %s %q, want %s %q", when, i, o.ID, o.Name, ids[i], names[ids[i]])
			}
		}
	}
	rename := func(s *embedded.Store, every int, suffix string) {
		t.Helper()
		var b kg.Batch
		for i, e := range g.Entities {
			if i%every == 0 {
				e.Name += suffix
				b.Entities = append(b.Entities, e)
			}
		}
		if err := s.Apply(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.KnownLabels(); n != len(ids) {
		t.Fatalf("%d names in the index, want %d", n, len(ids))
	}
	agree(s, "new")
	rename(s, 3, " (mới)")
	agree(s, "renamed")
	s.Close()
	s = mustOpen(t, dir)
	agree(s, "reopened")
	s.Close()

	if err := embedded.DowngradeEntityRecords(dir); err != nil {
		t.Fatal(err)
	}
	// The first open stores the names in the records again.
	s = mustOpen(t, dir)
	if n := s.KnownLabels(); n != len(ids) {
		t.Fatalf("%d names in the index after opening version 3 records, want %d", n, len(ids))
	}
	agree(s, "version 3, opened")
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	agree(s, "version 3, opened twice")

	// Names the index does not hold are read from the documents.
	s.ForgetLabels()
	agree(s, "names forgotten")
	rename(s, 5, " 2")
	if n := s.KnownLabels(); n != (len(ids)+4)/5 {
		t.Fatalf("%d names in the index after %d records were written again", n, (len(ids)+4)/5)
	}
	agree(s, "names forgotten, some renamed")
}

// openRandomGraph opens a store in dir holding a random graph of n
// entities (randomGraph) and its source.
func openRandomGraph(t *testing.T, rng *rand.Rand, n int, dir string) (*embedded.Store, *kg.Batch) {
	t.Helper()
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	g := randomGraph(rng, n, src.ID)
	g.Sources = []*kg.Source{src}
	s := mustOpen(t, dir)
	if err := s.Apply(context.Background(), g); err != nil {
		s.Close()
		t.Fatal(err)
	}
	return s, g
}
