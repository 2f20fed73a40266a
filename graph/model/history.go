package model

import (
	"time"

	"github.com/vjkg/vjkg/kg"
)

// Revision is one write, as the schema shows it.
type Revision struct{ *kg.Revision }

// Time is when the revision began, in RFC 3339.
func (r Revision) Time() string { return r.Revision.Time.UTC().Format(time.RFC3339Nano) }

// Message is the revision's message, or nil.
func (r Revision) Message() *string {
	if r.Revision.Message == "" {
		return nil
	}
	return &r.Revision.Message
}

// Reverts is the revision a revert undoes, or nil.
func (r Revision) Reverts() *int {
	if r.Revision.Reverts == 0 {
		return nil
	}
	n := int(r.Revision.Reverts)
	return &n
}

// Seq is the revision's number.
func (r Revision) Seq() int { return int(r.Revision.Seq) }

// ChangeCount is how many records the revision changed.
func (r Revision) ChangeCount() int { return r.Changes }

// Change is what a revision did to one record.
type Change struct{ *kg.Change }

// Position is the change's place in the whole history.
func (c Change) Position() int { return int(c.Pos) }

// Revision is the change's revision.
func (c Change) Revision() *Revision { return &Revision{c.Change.Revision} }

// RecordType is the type of record the change touched.
func (c Change) RecordType() RecordType { return RecordType(c.Type) }

// RecordID is the record's id.
func (c Change) RecordID() string { return c.ID }

// Kind is the entity's kind or the relationship's type, or nil.
func (c Change) Kind() *string {
	if c.Change.Kind == "" {
		return nil
	}
	return &c.Change.Kind
}

// Operation is what the change did.
func (c Change) Operation() ChangeOperation { return ChangeOperation(c.Op()) }

// Before is the record's JSON before the change, or nil.
func (c Change) Before() any {
	if c.Change.Before == nil {
		return nil
	}
	return c.Change.Before
}

// After is the record's JSON after the change, or nil.
func (c Change) After() any {
	if c.Change.After == nil {
		return nil
	}
	return c.Change.After
}
