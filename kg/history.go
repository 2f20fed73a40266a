package kg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// History: every write is a revision. A revision has a number (Seq), a
// time, an actor and an optional message, and holds one Change per record
// it touched, with the record as it was before and after. Changes also
// have a number of their own (Pos), in commit order across the whole
// graph: the change feed and its subscriptions read them by Pos, so a
// client that resumes from a position misses nothing and sees nothing
// twice, even while a long import keeps adding changes to its revision.
//
// Stores write a batch's changes in the same transaction as the batch, so
// a crash never records a change that did not happen and never loses one
// that did.

// RecordType is the type of record a change touched.
type RecordType string

// The record types.
const (
	RecordEntity       RecordType = "ENTITY"
	RecordRelationship RecordType = "RELATIONSHIP"
	RecordSource       RecordType = "SOURCE"
)

// Operation is what a change did to its record.
type Operation string

// The operations.
const (
	OpCreate Operation = "CREATE"
	OpUpdate Operation = "UPDATE"
	OpDelete Operation = "DELETE"
)

// Revision is one write: a mutation, an import, a revert.
type Revision struct {
	Seq     int64
	Time    time.Time // when its first change committed, UTC
	Actor   string
	Message string
	Reverts int64 // the revision this one reverts, or 0
	Changes int   // how many changes it holds (an import's grows while it runs)
}

// Change is what one revision did to one record. Before and After are the
// record's JSON snapshot (see Snapshot); nil when it did not exist.
type Change struct {
	Pos      int64
	Seq      int64
	Type     RecordType
	ID       string
	Kind     string // an entity's kind or a relationship's type; "" for a source
	Before   json.RawMessage
	After    json.RawMessage
	Revision *Revision // filled by the queries that return changes
}

// Op returns what the change did.
func (c *Change) Op() Operation {
	switch {
	case c.Before == nil:
		return OpCreate
	case c.After == nil:
		return OpDelete
	}
	return OpUpdate
}

// ChangedFields returns the top-level fields whose values differ between
// Before and After, in name order: every field of the record for a
// creation or a deletion.
func (c *Change) ChangedFields() []string {
	var before, after map[string]json.RawMessage
	_ = json.Unmarshal(c.Before, &before)
	_ = json.Unmarshal(c.After, &after)
	var out []string
	for k, v := range before {
		if w, ok := after[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Note says who makes a write and why. The API sets it from the API key's
// name and the mutation's message; the CLI from its flags.
type Note struct {
	Actor   string
	Message string
	Reverts int64
}

type noteKey struct{}

// WithNote returns ctx carrying n; writes made with it record n.
func WithNote(ctx context.Context, n Note) context.Context {
	return context.WithValue(ctx, noteKey{}, n)
}

// NoteFrom returns the note ctx carries; the actor is "system" when none
// is set (the seed, a migration).
func NoteFrom(ctx context.Context) Note {
	n, _ := ctx.Value(noteKey{}).(Note)
	if n.Actor == "" {
		n.Actor = "system"
	}
	return n
}

// Bounds of what a note may hold.
const (
	MaxActorLen   = 64
	MaxMessageLen = 1000
)

// CheckNote returns EInvalid for a message or actor too long to record.
func CheckNote(n Note) error {
	if len(n.Actor) > MaxActorLen {
		return Errorf(EInvalid, "actor is longer than %d bytes", MaxActorLen)
	}
	if len(n.Message) > MaxMessageLen {
		return Errorf(EInvalid, "message is longer than %d bytes", MaxMessageLen)
	}
	return nil
}

// ChangeQuery selects changes, in position order (Desc: newest first).
type ChangeQuery struct {
	Record      string // only this record's changes
	Seq         int64  // only this revision's changes
	After       int64  // positions above this one (below it when Desc)
	Actor       string
	RecordTypes []RecordType
	Kinds       []string // entity kinds or relationship types
	Desc        bool
	Limit       int // at most this many; 0: no limit
}

// Matches reports whether c (with its revision) passes q's filters other
// than Record, Seq and After.
func (q *ChangeQuery) Matches(c *Change, rev *Revision) bool {
	return (q.Actor == "" || rev != nil && rev.Actor == q.Actor) &&
		(len(q.RecordTypes) == 0 || slices.Contains(q.RecordTypes, c.Type)) &&
		(len(q.Kinds) == 0 || slices.Contains(q.Kinds, c.Kind))
}

// ChangePage is a page of changes. More, when not 0, is the position to
// go on from (as ChangeQuery.After): the page is full, or the store read
// as many changes as one query may without filling it.
type ChangePage struct {
	Changes []*Change
	More    int64
}

// History is implemented by stores that record revisions.
type History interface {
	// Changes returns the changes q selects, each with its revision.
	Changes(ctx context.Context, q ChangeQuery) (ChangePage, error)
	// Revision returns the revision numbered seq; ENotFound if there is
	// none (or it was compacted away).
	Revision(ctx context.Context, seq int64) (*Revision, error)
	// LastPosition returns the position of the newest change, 0 when the
	// history is empty.
	LastPosition(ctx context.Context) (int64, error)
	// CompactHistory deletes the revisions (and their changes) that began
	// before t, and returns how many it deleted.
	CompactHistory(ctx context.Context, before time.Time) (int, error)
}

// A Batch's history fields, set by the caller and read by Apply:
//
//   - Revision: 0 records the batch as a new revision, whose number Apply
//     stores here; an import's later batches pass that number to add their
//     changes to the same revision.
//   - IfLatest: for each record id, the revision that must be its latest
//     change; Apply fails with ECONFLICT otherwise (a revert checks this
//     in the same transaction as its write).

// ConflictError makes the ECONFLICT a revert gets when a later revision
// touched one of its records.
func ConflictError(id string, want, got int64) error {
	if got == 0 {
		return Errorf(EConflict, "%s has no recorded change (its history was compacted?), expected revision %d", id, want)
	}
	return Errorf(EConflict, "revision %d changed %s after revision %d: revert %d first, or edit by hand", got, id, want, got)
}

// Snapshots: a record's JSON in a change, with the field names of the
// GraphQL schema and the import format.

type entitySnapshot struct {
	ID          string             `json:"id"`
	Kind        Kind               `json:"kind"`
	Name        string             `json:"name"`
	Aliases     []string           `json:"aliases,omitempty"`
	LocalNames  []localNameSnap    `json:"localNames,omitempty"`
	Description string             `json:"description,omitempty"`
	Type        string             `json:"type,omitempty"`
	Country     string             `json:"country,omitempty"`
	ISOCode     string             `json:"isoCode,omitempty"`
	Topics      []string           `json:"topics,omitempty"`
	Start       PartialDate        `json:"start,omitzero"`
	End         PartialDate        `json:"end,omitzero"`
	Figures     []figureSnapshot   `json:"figures,omitempty"`
	Citations   []citationSnapshot `json:"citations,omitempty"`
}

type localNameSnap struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type figureSnapshot struct {
	Label     string           `json:"label"`
	Value     float64          `json:"value"`
	Unit      string           `json:"unit,omitempty"`
	Qualifier string           `json:"qualifier,omitempty"`
	Date      PartialDate      `json:"date,omitzero"`
	Citation  citationSnapshot `json:"citation"`
}

type citationSnapshot struct {
	Source string `json:"source"`
	Quote  string `json:"quote"`
}

type relationshipSnapshot struct {
	ID         string             `json:"id"`
	Type       RelType            `json:"type"`
	From       string             `json:"from"`
	To         string             `json:"to"`
	FromKind   Kind               `json:"fromKind,omitempty"`
	ToKind     Kind               `json:"toKind,omitempty"`
	Role       string             `json:"role,omitempty"`
	Properties map[string]string  `json:"properties,omitempty"`
	ValidFrom  PartialDate        `json:"validFrom,omitzero"`
	ValidTo    PartialDate        `json:"validTo,omitzero"`
	Citations  []citationSnapshot `json:"citations,omitempty"`
}

type sourceSnapshot struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Publisher string      `json:"publisher,omitempty"`
	Author    string      `json:"author,omitempty"`
	URL       string      `json:"url,omitempty"`
	Language  string      `json:"language,omitempty"`
	Published PartialDate `json:"published,omitzero"`
	Type      string      `json:"type,omitempty"`
	Note      string      `json:"note,omitempty"`
	Text      string      `json:"text,omitempty"`
}

func citationsSnap(cs []Citation) []citationSnapshot {
	var out []citationSnapshot
	for _, c := range cs {
		out = append(out, citationSnapshot{c.SourceID, c.Quote})
	}
	return out
}

func citationsOf(cs []citationSnapshot) []Citation {
	var out []Citation
	for _, c := range cs {
		out = append(out, Citation{c.Source, c.Quote})
	}
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("snapshot: %v", err)) // plain structs of strings and numbers
	}
	return b
}

// EntitySnapshot returns e's JSON as a change records it; nil for nil.
func EntitySnapshot(e *Entity) json.RawMessage {
	if e == nil {
		return nil
	}
	s := entitySnapshot{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases, Description: e.Description,
		Type: e.Type, Country: e.Country, ISOCode: e.ISOCode, Topics: e.Topics, Start: e.Start, End: e.End,
		Citations: citationsSnap(e.Citations)}
	for _, n := range e.LocalNames {
		s.LocalNames = append(s.LocalNames, localNameSnap(n))
	}
	for _, f := range e.Figures {
		s.Figures = append(s.Figures, figureSnapshot{f.Label, f.Value, f.Unit, f.Qualifier, f.Date,
			citationSnapshot{f.Citation.SourceID, f.Citation.Quote}})
	}
	return mustJSON(s)
}

// RelationshipSnapshot returns r's JSON as a change records it; nil for nil.
func RelationshipSnapshot(r *Relationship) json.RawMessage {
	if r == nil {
		return nil
	}
	return mustJSON(relationshipSnapshot{ID: r.ID, Type: r.Type, From: r.From, To: r.To, FromKind: r.FromKind,
		ToKind: r.ToKind, Role: r.Role, Properties: r.Properties, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo,
		Citations: citationsSnap(r.Citations)})
}

// SourceSnapshot returns s's JSON as a change records it; nil for nil.
func SourceSnapshot(s *Source) json.RawMessage {
	if s == nil {
		return nil
	}
	return mustJSON(sourceSnapshot{s.ID, s.Title, s.Publisher, s.Author, s.URL, s.Language, s.Published, s.Type, s.Note, s.Text})
}

// EntityFromSnapshot reads an entity snapshot back.
func EntityFromSnapshot(b json.RawMessage) (*Entity, error) {
	var s entitySnapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("entity snapshot: %w", err)
	}
	e := &Entity{ID: s.ID, Kind: s.Kind, Name: s.Name, Aliases: s.Aliases, Description: s.Description, Type: s.Type,
		Country: s.Country, ISOCode: s.ISOCode, Topics: s.Topics, Start: s.Start, End: s.End, Citations: citationsOf(s.Citations)}
	for _, n := range s.LocalNames {
		e.LocalNames = append(e.LocalNames, LocalName(n))
	}
	for _, f := range s.Figures {
		e.Figures = append(e.Figures, Figure{f.Label, f.Value, f.Unit, f.Qualifier, f.Date, Citation{f.Citation.Source, f.Citation.Quote}})
	}
	return e, nil
}

// RelationshipFromSnapshot reads a relationship snapshot back.
func RelationshipFromSnapshot(b json.RawMessage) (*Relationship, error) {
	var s relationshipSnapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("relationship snapshot: %w", err)
	}
	return &Relationship{ID: s.ID, Type: s.Type, From: s.From, To: s.To, FromKind: s.FromKind, ToKind: s.ToKind,
		Role: s.Role, Properties: s.Properties, ValidFrom: s.ValidFrom, ValidTo: s.ValidTo, Citations: citationsOf(s.Citations)}, nil
}

// SourceFromSnapshot reads a source snapshot back.
func SourceFromSnapshot(b json.RawMessage) (*Source, error) {
	var s sourceSnapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("source snapshot: %w", err)
	}
	return &Source{s.ID, s.Title, s.Publisher, s.Author, s.URL, s.Language, s.Published, s.Type, s.Note, s.Text}, nil
}

// BatchChanges returns the changes b makes, given the records it touches
// as they were before (ents, rels, srcs by id; absent: did not exist) and
// the relationships that deleting b's entities deletes with them. Records
// written unchanged make no change. The order is the embedded store's:
// sources, entities written, relationships deleted, relationships
// written, entities deleted.
func BatchChanges(b *Batch, ents map[string]*Entity, rels map[string]*Relationship, srcs map[string]*Source, cascaded []*Relationship) []*Change {
	var out []*Change
	add := func(t RecordType, id, kind string, before, after json.RawMessage) {
		if !bytes.Equal(before, after) {
			out = append(out, &Change{Type: t, ID: id, Kind: kind, Before: before, After: after})
		}
	}
	for _, s := range b.Sources {
		add(RecordSource, s.ID, "", SourceSnapshot(srcs[s.ID]), SourceSnapshot(s))
	}
	doomed := map[string]bool{}
	for _, id := range b.DeleteEntities {
		doomed[id] = true
	}
	for _, e := range b.Entities {
		if !doomed[e.ID] {
			add(RecordEntity, e.ID, string(e.Kind), EntitySnapshot(ents[e.ID]), EntitySnapshot(e))
		}
	}
	gone := map[string]bool{}
	var goneRels []*Relationship
	drop := func(id string) {
		if r := rels[id]; r != nil && !gone[id] {
			gone[id] = true
			goneRels = append(goneRels, r)
		}
	}
	for _, id := range b.DeleteRelationships {
		drop(id)
	}
	var written []*Relationship
	for _, r := range b.Relationships {
		if doomed[r.From] || doomed[r.To] || slices.Contains(b.DeleteRelationships, r.ID) {
			drop(r.ID)
			continue
		}
		written = append(written, r)
	}
	for _, r := range cascaded {
		if !gone[r.ID] {
			gone[r.ID] = true
			goneRels = append(goneRels, r)
		}
	}
	for _, r := range goneRels {
		add(RecordRelationship, r.ID, string(r.Type), RelationshipSnapshot(r), nil)
	}
	for _, r := range written {
		add(RecordRelationship, r.ID, string(r.Type), RelationshipSnapshot(rels[r.ID]), RelationshipSnapshot(r))
	}
	for _, id := range b.DeleteEntities {
		if e := ents[id]; e != nil {
			add(RecordEntity, id, string(e.Kind), EntitySnapshot(e), nil)
		}
	}
	return out
}
