package embedded_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
	"github.com/vjkg/vjkg/storetest"
)

func mustOpen(tb testing.TB, dir string) *embedded.Store {
	tb.Helper()
	s, err := embedded.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) kg.Store { return mustOpen(t, t.TempDir()) })
}

func TestSeedConformance(t *testing.T) {
	storetest.RunSeed(t, func(t *testing.T) kg.Store { return mustOpen(t, t.TempDir()) })
}

func TestReopenKeepsWrites(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(context.Background(), &kg.Batch{DeleteEntities: []string{"event:forum"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	_, n, _ := s.FindEntities(context.Background(), kg.EntityFilter{})
	_, r, _ := s.FindRelationships(context.Background(), kg.RelationshipFilter{})
	if n != 7 || r != 4 {
		t.Errorf("after reopen: %d entities, %d relationships; want 7 and 4", n, r)
	}
	rels, _ := s.Expand(context.Background(), kg.ExpandQuery{IDs: []string{"locality:phu-tho"}})
	if len(rels) != 1 || rels[0].FromKind != kg.KindLocality {
		t.Errorf("adjacency after reopen: %+v", rels)
	}
}

// TestKill9KeepsCommittedWrites runs a child process that commits a batch,
// says so, and waits; the test kills it with SIGKILL and reopens the store.
func TestKill9KeepsCommittedWrites(t *testing.T) {
	if dir := os.Getenv("VJKG_KILL9_CHILD"); dir != "" {
		s := mustOpen(t, dir)
		if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("committed\n")
		select {} // wait to be killed
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9KeepsCommittedWrites$")
	cmd.Env = append(os.Environ(), "VJKG_KILL9_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("committed\n"))
	if _, err := out.Read(buf); err != nil || string(buf) != "committed\n" {
		t.Fatalf("child said %q, %v", buf, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no Close
		t.Fatal(err)
	}
	cmd.Wait()
	s := mustOpen(t, dir)
	defer s.Close()
	_, n, _ := s.FindEntities(context.Background(), kg.EntityFilter{})
	if n != len(storetest.Fixture().Entities) {
		t.Errorf("after kill -9: %d entities, want %d", n, len(storetest.Fixture().Entities))
	}
}

func TestSecondOpenFailsClearly(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	defer s.Close()
	if _, err := embedded.Open(dir); err == nil {
		t.Fatal("a second Open of a held store succeeded")
	}
}

func BenchmarkSeedLoad(b *testing.B) {
	batch, err := seed.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s := mustOpen(b, b.TempDir())
		if err := seed.Load(context.Background(), s, batch); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
