package kg

import (
	"context"
	"slices"
	"strings"
)

// SourceSet is the set of sources an "according to" question trusts: the
// ids of every source of the types asked for (the articles, say). A record
// counts under it when at least one of its citations (or, for an entity,
// its figures' citations) cites one of them. A nil *SourceSet trusts every
// source and keeps every record; an empty one keeps none.
//
// Lists keep the records that count; traversals follow only relationships
// that count and step only onto entities that count (the entities they
// start from, and a path's target, excepted, as with kinds); searches
// return only records that count.
type SourceSet struct {
	IDs []string // sorted, each once
}

// NewSourceSet returns the set of ids, sorted and each once.
func NewSourceSet(ids []string) *SourceSet {
	out := slices.Clone(ids)
	slices.Sort(out)
	return &SourceSet{IDs: slices.Compact(out)}
}

// Has reports whether id is in the set; a nil set holds every source.
func (s *SourceSet) Has(id string) bool {
	if s == nil {
		return true
	}
	_, ok := slices.BinarySearch(s.IDs, id)
	return ok
}

// Admits reports whether a record citing these sources counts.
func (s *SourceSet) Admits(sourceIDs []string) bool {
	if s == nil {
		return true
	}
	for _, id := range sourceIDs {
		if s.Has(id) {
			return true
		}
	}
	return false
}

// AdmitsEntity reports whether e counts: one of its citations or its
// figures' cites a source of the set.
func (s *SourceSet) AdmitsEntity(e *Entity) bool { return s == nil || s.Admits(e.SourceIDs()) }

// AdmitsRelationship reports whether r counts: one of its citations cites
// a source of the set.
func (s *SourceSet) AdmitsRelationship(r *Relationship) bool {
	return s == nil || s.Admits(r.SourceIDs())
}

// Key is the set in a comparable form, for cache and loader keys: "" for
// nil (every source), otherwise "=" and the ids joined by commas.
func (s *SourceSet) Key() string {
	if s == nil {
		return ""
	}
	return "=" + strings.Join(s.IDs, ",")
}

// SourceSetOfKey is the inverse of Key.
func SourceSetOfKey(key string) *SourceSet {
	if key == "" {
		return nil
	}
	if key == "=" {
		return &SourceSet{IDs: []string{}}
	}
	return &SourceSet{IDs: strings.Split(key[1:], ",")}
}

// Equal reports whether two sets hold the same sources (nil only equals nil).
func (s *SourceSet) Equal(o *SourceSet) bool { return s.Key() == o.Key() }

// SourcesOfTypes returns the set of the sources of the given types (ARTICLE,
// LEGAL, REFERENCE, DATASET, OTHER), read with one FindSources call: the
// sources are few and the records many, so a question "according to the
// articles" becomes one about a handful of source ids, which every store
// answers from its citation index. No types: nil, every source.
func SourcesOfTypes(ctx context.Context, s Store, types []string) (*SourceSet, error) {
	if len(types) == 0 {
		return nil, nil
	}
	for _, t := range types {
		if !slices.Contains(SourceTypes, t) {
			return nil, Errorf(EInvalid, "unknown source type %q", t)
		}
	}
	all, _, err := s.FindSources(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, src := range all {
		if slices.Contains(types, src.Type) {
			ids = append(ids, src.ID)
		}
	}
	return NewSourceSet(ids), nil
}

// Admitted returns which of ids are entities that count under ev (all of
// those that exist, for a nil ev), with one FindEntities call.
func Admitted(ctx context.Context, s Store, ids []string, ev *SourceSet) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	found, _, err := s.FindEntities(ctx, EntityFilter{IDs: ids, Evidence: ev, Order: EntityOrder{Field: OrderByID}})
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		out[e.ID] = true
	}
	return out, nil
}
