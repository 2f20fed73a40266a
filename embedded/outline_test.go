package embedded_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestEntityOutlinesAgreeWithGetEntities reads the outlines of entities
// whose documents are cached, not cached, and of unknown ids, and compares
// them with the whole entities GetEntities reads.
func TestEntityOutlinesAgreeWithGetEntities(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	g := randomGraph(rng, 400, src.ID)
	g.Sources = []*kg.Source{src}
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	if err := s.Apply(ctx, g); err != nil {
		t.Fatal(err)
	}
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
	rng := rand.New(rand.NewPCG(7, 8))
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	g := randomGraph(rng, 200, src.ID)
	g.Sources = []*kg.Source{src}
	dir := t.TempDir()
	s := mustOpen(t, dir)
	if err := s.Apply(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	if !s.Warm() {
		t.Error("the name order is not built after the warm-up pass")
	}
}
