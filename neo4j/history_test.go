package neo4j

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/vjkg/vjkg/internal/nornic"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

// TestKill9KeepsHistoryWithWrites kills the database (SIGKILL) in the
// middle of a run of writes, each an update of one entity to the next
// number, and starts it again on the same files. The entity then holds
// some number n, and its history holds exactly the updates 1…n, in order:
// a write and its revision commit together or not at all; and n is at
// least the last write acknowledged.
func TestKill9KeepsHistoryWithWrites(t *testing.T) {
	needNornic(t)
	const id = "locality:ha-noi"
	srv := nornic.Start(t, nornic.Options{})
	s := open(t, Config{URI: srv.URI(), Logger: quiet, Timeout: time.Second, MaxRetryTime: time.Second})
	ctx := kg.WithNote(context.Background(), kg.Note{Actor: "writer"})
	if err := s.Apply(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	acked := make(chan int, 1000)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; ; i++ {
			if _, err := svc.UpdateEntity(ctx, id, func(e *kg.Entity) error {
				e.Description = strconv.Itoa(i)
				return nil
			}); err != nil {
				return // the database is gone
			}
			acked <- i
		}
	}()
	last := 0
	for last < 15 {
		select {
		case last = <-acked:
		case <-time.After(60 * time.Second):
			t.Fatalf("only %d writes acknowledged in a minute", last)
		}
	}
	srv.Kill()
	<-done
	for len(acked) > 0 {
		last = <-acked
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	var got []*kg.Entity
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if got, err = s.GetEntities(context.Background(), []string{id}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database did not come back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != 1 {
		t.Fatalf("after the kill: %v", got)
	}
	n, _ := strconv.Atoi(got[0].Description)
	t.Logf("acknowledged up to %d; after the kill the entity holds %d", last, n)
	if n < last {
		t.Errorf("write %d was acknowledged, but after the kill the entity holds %d", last, n)
	}
	page, err := s.Changes(context.Background(), kg.ChangeQuery{Record: id})
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, c := range page.Changes {
		if c.Op() != kg.OpUpdate {
			continue
		}
		e, err := kg.EntityFromSnapshot(c.After)
		if err != nil {
			t.Fatal(err)
		}
		updates = append(updates, e.Description)
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
