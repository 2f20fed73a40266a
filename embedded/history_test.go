package embedded_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

// TestKill9KeepsHistoryWithWrites kills a process in the middle of a run
// of writes, each an update of one entity to the next number. After
// reopening, the entity holds some number n at least as high as the last
// write acknowledged, and its history holds exactly the updates 1…n, in
// order: no acknowledged change is lost, and no change is recorded that
// did not happen.
func TestKill9KeepsHistoryWithWrites(t *testing.T) {
	const id = "locality:ha-noi"
	if dir := os.Getenv("VJKG_KILL9_HISTORY_CHILD"); dir != "" {
		s := mustOpen(t, dir)
		ctx := kg.WithNote(context.Background(), kg.Note{Actor: "writer"})
		svc := &kg.Service{Store: s}
		if err := s.Apply(ctx, storetest.Fixture()); err != nil {
			t.Fatal(err)
		}
		for i := 1; ; i++ {
			if _, err := svc.UpdateEntity(ctx, id, func(e *kg.Entity) error {
				e.Description = strconv.Itoa(i)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("%d\n", i)
		}
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9KeepsHistoryWithWrites$")
	cmd.Env = append(os.Environ(), "VJKG_KILL9_HISTORY_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	lines := bufio.NewScanner(out)
	for acked < 40 && lines.Scan() {
		if n, err := strconv.Atoi(lines.Text()); err == nil {
			acked = n
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL, mid-write
		t.Fatal(err)
	}
	cmd.Wait()
	if acked < 40 {
		t.Fatalf("the writer acknowledged %d writes before it stopped", acked)
	}

	s := mustOpen(t, dir)
	defer s.Close()
	got, err := s.GetEntities(context.Background(), []string{id})
	if err != nil || len(got) != 1 {
		t.Fatalf("after kill -9: %v (%v)", got, err)
	}
	n, _ := strconv.Atoi(got[0].Description)
	if n < acked {
		t.Fatalf("after kill -9 the entity holds write %d, but %d was acknowledged", n, acked)
	}
	page, err := s.Changes(context.Background(), kg.ChangeQuery{Record: id})
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, c := range page.Changes {
		if c.Op() == kg.OpUpdate {
			e, err := kg.EntityFromSnapshot(c.After)
			if err != nil {
				t.Fatal(err)
			}
			updates = append(updates, e.Description)
			if c.Revision == nil || c.Revision.Actor != "writer" {
				t.Errorf("change %d has revision %+v", c.Pos, c.Revision)
			}
		}
	}
	if len(updates) != n {
		t.Fatalf("the history holds %d updates, the entity is at %d", len(updates), n)
	}
	for i, d := range updates {
		if d != strconv.Itoa(i+1) {
			t.Fatalf("update %d of the history sets %q", i+1, d)
		}
	}
}

// BenchmarkUpdateEntity is one mutation, one write transaction: with
// history, its revision and change are written in the same transaction.
func BenchmarkUpdateEntity(b *testing.B) {
	s := mustOpen(b, b.TempDir())
	defer s.Close()
	if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
		b.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	i := 0
	for b.Loop() {
		i++
		if _, err := svc.UpdateEntity(context.Background(), "locality:ha-noi", func(e *kg.Entity) error {
			e.Description = strconv.Itoa(i)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
