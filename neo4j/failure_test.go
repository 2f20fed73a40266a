package neo4j

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vjkg/vjkg/internal/nornic"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

// These tests control the server process, so they run against NornicDB
// only, never against NEO4J_TEST_URI.
func needNornic(t *testing.T) {
	t.Helper()
	if _, ok := nornic.Binary(); !ok {
		target(t) // skips or fails as the suite does
	}
}

func waitReady(t *testing.T, s *Store, within time.Duration) {
	t.Helper()
	select {
	case <-s.Ready():
	case <-time.After(within):
		t.Fatalf("store not ready within %s: %v", within, s.Ping(context.Background()))
	}
}

func TestUnreachableAtStartThenServes(t *testing.T) {
	needNornic(t)
	srv := nornic.Start(t, nornic.Options{Later: true})
	s, err := Open(Config{URI: srv.URI(), Logger: quiet, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	err = s.Ping(context.Background())
	if kg.ErrorCode(err) != kg.EUnavailable {
		t.Fatalf("Ping before Neo4j is up: %v, want UNAVAILABLE", err)
	}
	_, err = s.GetEntities(context.Background(), []string{"locality:ha-noi"})
	if kg.ErrorCode(err) != kg.EUnavailable {
		t.Errorf("a read before Neo4j is up: %v, want UNAVAILABLE", err)
	}

	if err := srv.Restart(); err != nil { // starts it for the first time
		t.Fatal(err)
	}
	waitReady(t, s, 40*time.Second)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping once Neo4j is up: %v", err)
	}
	if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatalf("write once Neo4j is up: %v", err)
	}
}

func TestLostMidRunFailsFastAndResumes(t *testing.T) {
	needNornic(t)
	srv := nornic.Start(t, nornic.Options{})
	s := open(t, Config{URI: srv.URI(), Logger: quiet, Timeout: time.Second, MaxRetryTime: time.Second})
	ctx := context.Background()
	if err := s.Apply(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}

	srv.Kill()
	start := time.Now()
	_, _, err := s.FindEntities(ctx, kg.EntityFilter{})
	if kg.ErrorCode(err) != kg.EUnavailable {
		t.Fatalf("read with Neo4j down: %v, want UNAVAILABLE", err)
	}
	t.Logf("a read with Neo4j down failed with UNAVAILABLE after %s", time.Since(start).Round(time.Millisecond))
	cite := []kg.Citation{{SourceID: "source:test", Quote: "q"}}
	lost := &kg.Batch{Entities: []*kg.Entity{{ID: "org:lost", Kind: kg.KindOrganization, Name: "Lost", Type: "COMPANY", Citations: cite}}}
	if err := s.Apply(ctx, lost); kg.ErrorCode(err) != kg.EUnavailable {
		t.Fatalf("write with Neo4j down: %v, want UNAVAILABLE", err)
	}
	if err := s.Ping(ctx); kg.ErrorCode(err) != kg.EUnavailable {
		t.Errorf("Ping with Neo4j down: %v, want UNAVAILABLE", err)
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	// The same store, not reopened, serves again once Neo4j is back.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, n, err := s.FindEntities(ctx, kg.EntityFilter{})
		if err == nil {
			if n != len(storetest.Fixture().Entities) {
				t.Errorf("after the restart: %d entities, want %d", n, len(storetest.Fixture().Entities))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing 30s after Neo4j came back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	got, err := s.GetEntities(ctx, []string{"org:lost"})
	if err != nil || len(got) != 0 {
		t.Errorf("the write refused during the outage is there after all: %v %v", got, err)
	}
}

func TestWrongCredentials(t *testing.T) {
	needNornic(t)
	srv := nornic.Start(t, nornic.Options{Password: "the-right-password"})
	s, err := Open(Config{URI: srv.URI(), Username: "admin", Password: "a-wrong-password", Logger: quiet, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := s.Ping(context.Background())
		if strings.Contains(kg.ErrorMessage(err), "credentials") {
			if kg.ErrorCode(err) != kg.EUnavailable {
				t.Errorf("code = %s", kg.ErrorCode(err))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no clear message about the credentials: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// With the right password the same server answers.
	good := open(t, Config{URI: srv.URI(), Username: "admin", Password: "the-right-password", Logger: quiet})
	if err := good.Ping(context.Background()); err != nil {
		t.Errorf("right credentials: %v", err)
	}
}

// TestRoutingScheme connects with neo4j:// (the routing scheme clusters and
// Aura use) and writes and reads through it.
func TestRoutingScheme(t *testing.T) {
	needNornic(t)
	srv := nornic.Start(t, nornic.Options{})
	s := open(t, Config{URI: strings.Replace(srv.URI(), "bolt://", "neo4j://", 1), Logger: quiet})
	if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEntities(context.Background(), []string{"locality:ha-noi"})
	if err != nil || len(got) != 1 || got[0].Name != "Hà Nội" {
		t.Errorf("read over neo4j://: %v %v", got, err)
	}
}
