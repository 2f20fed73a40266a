package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vjkg/vjkg/kg"
)

// testHistory: every write is a revision with its actor, message and each
// record's state before and after; an import's batches join one revision;
// a revert restores the state before and refuses when a later revision
// touched the same records; compaction deletes old revisions.
func testHistory(t *testing.T, newStore NewStore) {
	s := Open(t, newStore)
	h, ok := s.(kg.History)
	if !ok {
		t.Fatalf("%T keeps no history", s)
	}
	svc := &kg.Service{Store: s}
	as := func(actor, msg string) context.Context {
		return kg.WithNote(ctx, kg.Note{Actor: actor, Message: msg})
	}
	start, err := h.LastPosition(ctx)
	if err != nil || start == 0 {
		t.Fatalf("the fixture's load is recorded: last position %d (%v)", start, err)
	}
	cite := []kg.Citation{{SourceID: "source:test", Quote: "q"}}

	// 1. A creation, then an update by someone else.
	acme := &kg.Entity{ID: "org:acme", Kind: kg.KindOrganization, Name: "Acme", Type: "COMPANY", Citations: cite}
	b1 := &kg.Batch{Mode: kg.CreateOnly, Entities: []*kg.Entity{acme}}
	if err := s.Apply(as("alice", "add Acme"), b1); err != nil {
		t.Fatal(err)
	}
	if b1.Revision == 0 {
		t.Fatal("Apply did not report the revision")
	}
	if _, err := svc.UpdateEntity(as("bob", ""), "org:acme", func(e *kg.Entity) error {
		e.Description = "A maker of everything."
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page, err := h.Changes(ctx, kg.ChangeQuery{Record: "org:acme", Desc: true})
	if err != nil || len(page.Changes) != 2 {
		t.Fatalf("org:acme's history: %d changes (%v), want 2", len(page.Changes), err)
	}
	upd, created := page.Changes[0], page.Changes[1]
	if created.Seq != b1.Revision || created.Op() != kg.OpCreate || created.Revision.Actor != "alice" || created.Revision.Message != "add Acme" {
		t.Errorf("creation: seq %d op %s actor %q message %q", created.Seq, created.Op(), created.Revision.Actor, created.Revision.Message)
	}
	if upd.Seq <= created.Seq || upd.Op() != kg.OpUpdate || upd.Revision.Actor != "bob" || upd.Kind != "ORGANIZATION" {
		t.Errorf("update: seq %d op %s actor %q kind %q", upd.Seq, upd.Op(), upd.Revision.Actor, upd.Kind)
	}
	equal(t, "changed fields", upd.ChangedFields(), []string{"description"})
	if time.Since(upd.Revision.Time) > time.Minute || upd.Revision.Time.Location() != time.UTC {
		t.Errorf("revision time %v", upd.Revision.Time)
	}

	// A write that fails records nothing: the history is written in the
	// write's transaction.
	before, _ := h.LastPosition(ctx)
	dup := &kg.Batch{Mode: kg.CreateOnly, Entities: []*kg.Entity{acme.Clone()}}
	if err := s.Apply(as("alice", ""), dup); kg.ErrorCode(err) != kg.EConflict {
		t.Errorf("creating org:acme twice: %v", err)
	}
	if after, _ := h.LastPosition(ctx); after != before || dup.Revision != 0 {
		t.Errorf("a failed write moved the history from %d to %d (revision %d)", before, after, dup.Revision)
	}

	// 2. Writing the same record unchanged records nothing.
	same := &kg.Batch{Entities: []*kg.Entity{acme.Clone()}}
	same.Entities[0].Description = "A maker of everything."
	if err := s.Apply(ctx, same); err != nil || same.Revision != 0 {
		t.Errorf("an unchanged write made revision %d (%v)", same.Revision, err)
	}

	// 3. Reverting the creation conflicts with bob's later update, and
	// writes nothing.
	if _, err := svc.Revert(as("carol", ""), created.Seq); kg.ErrorCode(err) != kg.EConflict {
		t.Errorf("revert under a later change: %v, want CONFLICT", err)
	}
	if got, _ := s.GetEntities(ctx, []string{"org:acme"}); len(got) != 1 {
		t.Fatal("a refused revert changed the store")
	}
	// Reverting the update restores the description and is itself a
	// revision that says what it reverts.
	rev, err := svc.Revert(as("carol", ""), upd.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Reverts != upd.Seq || rev.Actor != "carol" || rev.Changes != 1 {
		t.Errorf("revert revision: %+v", rev)
	}
	if got, _ := s.GetEntities(ctx, []string{"org:acme"}); len(got) != 1 || got[0].Description != "" {
		t.Errorf("after the revert: %+v", got)
	}
	// Reverting it again changes nothing: a conflict, since the revert is
	// now the latest change.
	if _, err := svc.Revert(ctx, upd.Seq); kg.ErrorCode(err) != kg.EConflict {
		t.Errorf("second revert: %v, want CONFLICT", err)
	}

	// 4. An entity deleted with its relationship: both are changes of one
	// revision, and reverting it brings both back.
	rel := &kg.Relationship{ID: kg.RelationshipID(kg.RelLocatedIn, "org:acme", "locality:ha-noi", ""), Type: kg.RelLocatedIn,
		From: "org:acme", To: "locality:ha-noi", Citations: cite}
	if err := s.Apply(as("alice", ""), &kg.Batch{Relationships: []*kg.Relationship{rel}}); err != nil {
		t.Fatal(err)
	}
	del := &kg.Batch{DeleteEntities: []string{"org:acme"}}
	if err := s.Apply(as("dave", "remove"), del); err != nil {
		t.Fatal(err)
	}
	dp, err := h.Changes(ctx, kg.ChangeQuery{Seq: del.Revision})
	if err != nil {
		t.Fatal(err)
	}
	var what []string
	for _, c := range dp.Changes {
		what = append(what, string(c.Op())+" "+c.ID)
	}
	equal(t, "a deletion's changes", sorted(what), sorted([]string{"DELETE " + rel.ID, "DELETE org:acme"}))
	if _, err := svc.Revert(ctx, del.Revision); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetRelationships(ctx, []string{rel.ID}); len(got) != 1 || got[0].From != "org:acme" {
		t.Errorf("the relationship is not back: %v", got)
	}

	// 5. Reverting a creation when a later revision joined a relationship
	// to the created entity: refused, since the relationship would go too.
	beta := &kg.Entity{ID: "org:beta", Kind: kg.KindOrganization, Name: "Beta", Type: "COMPANY", Citations: cite}
	cb := &kg.Batch{Entities: []*kg.Entity{beta}}
	if err := s.Apply(ctx, cb); err != nil {
		t.Fatal(err)
	}
	br := &kg.Relationship{ID: kg.RelationshipID(kg.RelLocatedIn, "org:beta", "locality:ha-noi", ""), Type: kg.RelLocatedIn,
		From: "org:beta", To: "locality:ha-noi", Citations: cite}
	if err := s.Apply(ctx, &kg.Batch{Relationships: []*kg.Relationship{br}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Revert(ctx, cb.Revision); kg.ErrorCode(err) != kg.EConflict {
		t.Errorf("revert of a creation with a later relationship: %v, want CONFLICT", err)
	}

	// A relationship with an id of its own and properties reads back whole
	// from its history.
	custom := &kg.Relationship{ID: "rel:custom-history", Type: kg.RelLocatedIn, From: "org:beta", To: "locality:fukuoka",
		Role: "branch", Properties: map[string]string{"amount": "5"}, ValidFrom: kg.MustPartialDate("2024-03"), Citations: cite}
	if err := s.Apply(ctx, &kg.Batch{Relationships: []*kg.Relationship{custom}}); err != nil {
		t.Fatal(err)
	}
	changed := custom.Clone()
	changed.Properties = map[string]string{"amount": "6"}
	if err := s.Apply(ctx, &kg.Batch{Relationships: []*kg.Relationship{changed}}); err != nil {
		t.Fatal(err)
	}
	cp, err := h.Changes(ctx, kg.ChangeQuery{Record: custom.ID})
	if err != nil || len(cp.Changes) != 2 {
		t.Fatalf("%s's history: %d changes (%v)", custom.ID, len(cp.Changes), err)
	}
	was, err := kg.RelationshipFromSnapshot(cp.Changes[1].Before)
	if err != nil {
		t.Fatal(err)
	}
	if was.ID != custom.ID || was.From != "org:beta" || was.Role != "branch" || was.Properties["amount"] != "5" ||
		was.ValidFrom.String() != "2024-03" || len(was.Citations) != 1 || was.FromKind != kg.KindOrganization {
		t.Errorf("the relationship before its update: %+v", was)
	}
	equal(t, "its changed fields", cp.Changes[1].ChangedFields(), []string{"properties"})

	// 6. An import: batches that pass the revision number join it.
	imp := &kg.Batch{Entities: []*kg.Entity{{ID: "org:i1", Kind: kg.KindOrganization, Name: "I1", Type: "COMPANY", Citations: cite}}}
	if err := s.Apply(as("cli", "import"), imp); err != nil {
		t.Fatal(err)
	}
	more := &kg.Batch{Revision: imp.Revision, Entities: []*kg.Entity{
		{ID: "org:i2", Kind: kg.KindOrganization, Name: "I2", Type: "COMPANY", Citations: cite},
		{ID: "org:i3", Kind: kg.KindOrganization, Name: "I3", Type: "COMPANY", Citations: cite}}}
	if err := s.Apply(as("cli", "import"), more); err != nil || more.Revision != imp.Revision {
		t.Fatalf("joined batch: revision %d, want %d (%v)", more.Revision, imp.Revision, err)
	}
	r, err := h.Revision(ctx, imp.Revision)
	if err != nil || r.Changes != 3 || r.Actor != "cli" {
		t.Errorf("import revision: %+v (%v)", r, err)
	}

	// 7. The feed: positions in commit order, resumable, filterable.
	feed, err := h.Changes(ctx, kg.ChangeQuery{After: start})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(feed.Changes); i++ {
		if feed.Changes[i].Pos <= feed.Changes[i-1].Pos {
			t.Fatalf("feed out of order at %d", i)
		}
	}
	last := feed.Changes[len(feed.Changes)-1].Pos
	if lp, _ := h.LastPosition(ctx); lp != last {
		t.Errorf("last position %d, feed ends at %d", lp, last)
	}
	half := feed.Changes[len(feed.Changes)/2].Pos
	rest, _ := h.Changes(ctx, kg.ChangeQuery{After: half})
	if len(rest.Changes) == 0 || rest.Changes[0].Pos <= half || rest.Changes[len(rest.Changes)-1].Pos != last {
		t.Errorf("resuming after %d: %d changes", half, len(rest.Changes))
	}
	paged, _ := h.Changes(ctx, kg.ChangeQuery{After: start, Limit: 2})
	if len(paged.Changes) != 2 || paged.More != paged.Changes[1].Pos {
		t.Errorf("a page of 2: %d changes, more %d", len(paged.Changes), paged.More)
	}
	bobs, _ := h.Changes(ctx, kg.ChangeQuery{Actor: "bob"})
	if len(bobs.Changes) != 1 || bobs.Changes[0].ID != "org:acme" {
		t.Errorf("bob's changes: %d", len(bobs.Changes))
	}
	rels, _ := h.Changes(ctx, kg.ChangeQuery{After: start, RecordTypes: []kg.RecordType{kg.RecordRelationship}})
	for _, c := range rels.Changes {
		if c.Type != kg.RecordRelationship || c.Kind != string(kg.RelLocatedIn) {
			t.Errorf("relationship filter let through %s %s", c.Type, c.ID)
		}
	}
	if len(rels.Changes) < 4 {
		t.Errorf("relationship changes: %d, want at least 4", len(rels.Changes))
	}

	// 8. Compaction: everything before now goes; positions do not restart.
	n, err := h.CompactHistory(ctx, time.Now().Add(time.Second))
	if err != nil || n == 0 {
		t.Fatalf("compacted %d (%v)", n, err)
	}
	if _, err := h.Revision(ctx, b1.Revision); kg.ErrorCode(err) != kg.ENotFound {
		t.Errorf("a compacted revision: %v, want NOT_FOUND", err)
	}
	if left, _ := h.Changes(ctx, kg.ChangeQuery{}); len(left.Changes) != 0 {
		t.Errorf("%d changes left after compaction", len(left.Changes))
	}
	if lp, _ := h.LastPosition(ctx); lp != last {
		t.Errorf("last position after compaction %d, want %d", lp, last)
	}
	next := &kg.Batch{Entities: []*kg.Entity{{ID: "org:after", Kind: kg.KindOrganization, Name: "After", Type: "COMPANY", Citations: cite}}}
	if err := s.Apply(ctx, next); err != nil {
		t.Fatal(err)
	}
	np, _ := h.Changes(ctx, kg.ChangeQuery{After: last})
	if len(np.Changes) != 1 || np.Changes[0].Pos != last+1 || np.Changes[0].Revision.Actor != "system" {
		t.Errorf("after compaction: %+v", np.Changes)
	}
	if !slices.Contains([]int64{next.Revision}, np.Changes[0].Seq) {
		t.Errorf("seq %d, want %d", np.Changes[0].Seq, next.Revision)
	}
}
