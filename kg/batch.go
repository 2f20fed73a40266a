package kg

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Existing is what a store holds of the records a batch touches, as far as
// Batch.Check needs to know: the kinds of existing entities, and which
// relationships and sources exist.
type Existing struct {
	Entities      map[string]Kind
	Relationships map[string]bool
	Sources       map[string]bool
}

// Needs returns the ids a store must look up to fill Existing for b.
func (b *Batch) Needs() (entities, relationships, sources []string) {
	ents, rels, srcs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range b.Entities {
		ents[e.ID] = true
		for _, c := range e.Citations {
			srcs[c.SourceID] = true
		}
		for _, f := range e.Figures {
			srcs[f.Citation.SourceID] = true
		}
	}
	for _, r := range b.Relationships {
		rels[r.ID] = true
		ents[r.From] = true
		ents[r.To] = true
		for _, c := range r.Citations {
			srcs[c.SourceID] = true
		}
	}
	for _, id := range b.DeleteEntities {
		ents[id] = true
	}
	for _, id := range b.DeleteRelationships {
		rels[id] = true
	}
	return sortedKeys(ents), sortedKeys(rels), sortedKeys(srcs)
}

func sortedKeys(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}

// Check validates every record of b and checks it against what the store
// holds: cited sources and relationship ends must exist in the store or in
// the batch, records to delete must exist, and the write mode must hold. It
// sets each relationship's FromKind and ToKind. Stores call it inside their
// write transaction, before writing anything.
func (b *Batch) Check(ex Existing) error {
	sources := map[string]bool{}
	for id, ok := range ex.Sources {
		sources[id] = ok
	}
	for i, s := range b.Sources {
		if err := Invalid(fmt.Sprintf("source %q (#%d)", s.ID, i+1), s.Validate()); err != nil {
			return err
		}
		sources[s.ID] = true
	}
	// what names a record in an error. It is made only for an error:
	// formatting it for every record was a quarter of this check's time
	// in an import, profiled at 1 M entities.
	what := func(kind, id string) string { return fmt.Sprintf("%s %q", kind, id) }
	cited := func(kind, id string, cs []Citation) error {
		for _, c := range cs {
			if !sources[c.SourceID] {
				return Errorf(ENotFound, "%s cites unknown source %q", what(kind, id), c.SourceID)
			}
		}
		return nil
	}
	kinds := make(map[string]Kind, len(ex.Entities)+len(b.Entities))
	for id, k := range ex.Entities {
		if k != "" {
			kinds[id] = k
		}
	}
	seen := make(map[string]bool, len(b.Entities))
	for _, e := range b.Entities {
		if problems := e.Validate(); len(problems) > 0 {
			return Invalid(what("entity", e.ID), problems)
		}
		if seen[e.ID] {
			return Errorf(EInvalid, "%s appears twice in one batch", what("entity", e.ID))
		}
		seen[e.ID] = true
		if err := b.checkMode("entity", e.ID, ex.Entities[e.ID] != ""); err != nil {
			return err
		}
		if err := cited("entity", e.ID, e.Citations); err != nil {
			return err
		}
		for _, f := range e.Figures {
			if err := cited("entity", e.ID, []Citation{f.Citation}); err != nil {
				return err
			}
		}
		kinds[e.ID] = e.Kind
	}
	for _, id := range b.DeleteEntities {
		if kinds[id] == "" {
			return Errorf(ENotFound, "entity %q does not exist", id)
		}
	}
	seen = make(map[string]bool, len(b.Relationships))
	for _, r := range b.Relationships {
		if problems := r.Validate(); len(problems) > 0 {
			return Invalid(what("relationship", r.ID), problems)
		}
		if seen[r.ID] {
			return Errorf(EInvalid, "%s appears twice in one batch", what("relationship", r.ID))
		}
		seen[r.ID] = true
		if err := b.checkMode("relationship", r.ID, ex.Relationships[r.ID]); err != nil {
			return err
		}
		for _, end := range []string{r.From, r.To} {
			if kinds[end] == "" {
				return Errorf(ENotFound, "%s: entity %q does not exist", what("relationship", r.ID), end)
			}
		}
		r.FromKind, r.ToKind = kinds[r.From], kinds[r.To]
		if err := cited("relationship", r.ID, r.Citations); err != nil {
			return err
		}
	}
	for _, id := range b.DeleteRelationships {
		if !ex.Relationships[id] && !seen[id] {
			return Errorf(ENotFound, "relationship %q does not exist", id)
		}
	}
	return nil
}

func (b *Batch) checkMode(kind, id string, exists bool) error {
	switch {
	case b.Mode == CreateOnly && exists:
		return Errorf(EConflict, "%s %q already exists", kind, id)
	case b.Mode == UpdateOnly && !exists:
		return Errorf(ENotFound, "%s %q does not exist", kind, id)
	}
	return nil
}

// Clone returns a deep copy of e, for callers that change an entity they got
// from a store (whose values are shared and must not be modified).
func (e *Entity) Clone() *Entity {
	c := *e
	c.Aliases = slices.Clone(e.Aliases)
	c.LocalNames = slices.Clone(e.LocalNames)
	c.Topics = slices.Clone(e.Topics)
	c.Figures = slices.Clone(e.Figures)
	c.Citations = slices.Clone(e.Citations)
	return &c
}

// Clone returns a deep copy of r.
func (r *Relationship) Clone() *Relationship {
	c := *r
	c.Properties = maps.Clone(r.Properties)
	c.Citations = slices.Clone(r.Citations)
	return &c
}

// PropertyKeys returns r's property keys in order, for stable output.
func (r *Relationship) PropertyKeys() []string {
	keys := make([]string, 0, len(r.Properties))
	for k := range r.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Span returns the first and last day an entity's dates may cover, for date
// range filters: [Start.Earliest, End.Latest], or up to Start.Latest when the
// end is unknown. Both are "" when the start is unknown.
func (e *Entity) Span() (first, last string) {
	if e.Start.IsZero() {
		return "", ""
	}
	if e.End.IsZero() {
		return e.Start.Earliest(), e.Start.Latest()
	}
	return e.Start.Earliest(), e.End.Latest()
}

// InRange reports whether e's span overlaps [from, to] (YYYY-MM-DD, either
// may be empty for an open end). An entity without dates never matches a
// range.
func (e *Entity) InRange(from, to string) bool {
	if from == "" && to == "" {
		return true
	}
	first, last := e.Span()
	if first == "" {
		return false
	}
	return (to == "" || first <= to) && (from == "" || last >= from)
}

// Needle is what Text becomes in a test against an entity's SearchText:
// its compact form, wrapped in "|" when the whole name must match. It is ""
// when Text has no letters or digits (no text filter).
func (f *EntityFilter) Needle() string {
	n := Compact(f.Text)
	if n != "" && f.WholeName {
		n = "|" + n + "|"
	}
	return n
}

// Matcher returns a function that reports whether an entity (with its
// SearchText) passes the filter's conditions, not its order or paging.
// Stores that filter in memory use it; stores that filter in a query
// language must agree with it, and the conformance suite checks that.
func (f *EntityFilter) Matcher() func(e *Entity, searchText string) bool {
	needle := f.Needle()
	return func(e *Entity, searchText string) bool {
		switch {
		case len(f.IDs) > 0 && !slices.Contains(f.IDs, e.ID),
			len(f.Kinds) > 0 && !slices.Contains(f.Kinds, e.Kind),
			len(f.Types) > 0 && !slices.Contains(f.Types, e.Type),
			len(f.Countries) > 0 && !slices.Contains(f.Countries, e.Country),
			needle != "" && !strings.Contains(searchText, needle),
			f.CitesSource != "" && !slices.Contains(e.SourceIDs(), f.CitesSource),
			!f.Evidence.AdmitsEntity(e):
			return false
		}
		return e.InRange(f.From, f.To)
	}
}

// Sort orders entities as o says, ties broken by id. Unknown start dates
// sort last in ascending order and first in descending order, as nulls do
// in Cypher. Each entity's key is computed once.
func (o EntityOrder) Sort(es []*Entity) {
	keys := make(map[*Entity]string, len(es))
	for _, e := range es {
		switch o.Field {
		case OrderByName:
			keys[e] = e.SortName()
		case OrderByStart:
			keys[e] = e.Start.Earliest()
		default:
			keys[e] = e.ID
		}
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		ka, kb := keys[a], keys[b]
		if o.Field == OrderByStart && (ka == "") != (kb == "") {
			return (ka == "") == o.Desc // null is "greatest"
		}
		if ka != kb {
			return (ka < kb) != o.Desc
		}
		return a.ID < b.ID
	})
}

// SourceIDs returns the sources e's citations and figures cite, each once,
// in the order first cited.
func (e *Entity) SourceIDs() []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, c := range e.Citations {
		add(c.SourceID)
	}
	for _, f := range e.Figures {
		add(f.Citation.SourceID)
	}
	return out
}

// SourceIDs returns the sources r's citations cite, each once.
func (r *Relationship) SourceIDs() []string {
	var out []string
	for _, c := range r.Citations {
		if c.SourceID != "" && !slices.Contains(out, c.SourceID) {
			out = append(out, c.SourceID)
		}
	}
	return out
}
