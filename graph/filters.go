package graph

import (
	"context"
	"slices"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// filter is any of the GraphQL entity filters, read: conditions on an
// entity's own fields, relationship conditions, and AND, OR, NOT over
// filters of the same type.
type filter struct {
	own kg.EntityFilter
	// sourceTypes is the filter's sourceTypes, which become
	// own.Evidence when the filter is read (query).
	sourceTypes     []model.SourceType
	some, none, all *model.RelationshipCondition
	and, or         []filter
	not             *filter
}

// typed reads a filter of one of the GraphQL filter types: its own fields,
// its relationship conditions, and AND, OR and NOT over filters of its type.
func typed[F any](f *F, own func(*F) (kg.EntityFilter, []model.SourceType), rels func(*F) [3]*model.RelationshipCondition,
	bools func(*F) (and, or []*F, not *F)) filter {
	if f == nil {
		return filter{}
	}
	read := func(x *F) filter { return typed(x, own, rels, bools) }
	r := rels(f)
	and, or, not := bools(f)
	o, st := own(f)
	out := filter{own: o, sourceTypes: st, some: r[0], none: r[1], all: r[2]}
	for _, x := range and {
		out.and = append(out.and, read(x))
	}
	for _, x := range or {
		out.or = append(out.or, read(x))
	}
	if not != nil {
		n := read(not)
		out.not = &n
	}
	return out
}

func fromEntityFilter(f *model.EntityFilter) filter {
	return typed(f, func(f *model.EntityFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Kinds: kindsOf(f.Kinds), Types: f.Type, Countries: f.Country, Text: derefString(f.Name),
			From: model.DayOf(f.DateFrom), To: model.DayOf(f.DateTo)}, f.SourceTypes
	}, func(f *model.EntityFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.EntityFilter) ([]*model.EntityFilter, []*model.EntityFilter, *model.EntityFilter) {
		return f.And, f.Or, f.Not
	})
}

func fromLocalityFilter(f *model.LocalityFilter) filter {
	return typed(f, func(f *model.LocalityFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Types: stringsOf(f.Type), Countries: f.Country, Text: derefString(f.Name),
			From: model.DayOf(f.DateFrom), To: model.DayOf(f.DateTo)}, f.SourceTypes
	}, func(f *model.LocalityFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.LocalityFilter) ([]*model.LocalityFilter, []*model.LocalityFilter, *model.LocalityFilter) {
		return f.And, f.Or, f.Not
	})
}

func fromOfficialFilter(f *model.OfficialFilter) filter {
	return typed(f, func(f *model.OfficialFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Types: stringsOf(f.Type), Countries: f.Country, Text: derefString(f.Name)}, f.SourceTypes
	}, func(f *model.OfficialFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.OfficialFilter) ([]*model.OfficialFilter, []*model.OfficialFilter, *model.OfficialFilter) {
		return f.And, f.Or, f.Not
	})
}

func fromOrganizationFilter(f *model.OrganizationFilter) filter {
	return typed(f, func(f *model.OrganizationFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Types: stringsOf(f.Type), Countries: f.Country, Text: derefString(f.Name),
			From: model.DayOf(f.DateFrom), To: model.DayOf(f.DateTo)}, f.SourceTypes
	}, func(f *model.OrganizationFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.OrganizationFilter) ([]*model.OrganizationFilter, []*model.OrganizationFilter, *model.OrganizationFilter) {
		return f.And, f.Or, f.Not
	})
}

func fromAgreementFilter(f *model.AgreementFilter) filter {
	return typed(f, func(f *model.AgreementFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Types: stringsOf(f.Type), Text: derefString(f.Name), From: model.DayOf(f.DateFrom), To: model.DayOf(f.DateTo)}, f.SourceTypes
	}, func(f *model.AgreementFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.AgreementFilter) ([]*model.AgreementFilter, []*model.AgreementFilter, *model.AgreementFilter) {
		return f.And, f.Or, f.Not
	})
}

func fromEventFilter(f *model.EventFilter) filter {
	return typed(f, func(f *model.EventFilter) (kg.EntityFilter, []model.SourceType) {
		return kg.EntityFilter{Types: stringsOf(f.Type), Text: derefString(f.Name), From: model.DayOf(f.DateFrom), To: model.DayOf(f.DateTo)}, f.SourceTypes
	}, func(f *model.EventFilter) [3]*model.RelationshipCondition {
		return [3]*model.RelationshipCondition{f.RelationshipsSome, f.RelationshipsNone, f.RelationshipsAll}
	}, func(f *model.EventFilter) ([]*model.EventFilter, []*model.EventFilter, *model.EventFilter) {
		return f.And, f.Or, f.Not
	})
}

// query splits a list's filter into what the store's lists filter on
// (the top level's own fields, which its indexes answer) and the Match
// for the rest (nil when there is none), and checks both: known types,
// date ranges the right way round, and the bounds on nesting.
func (r *Resolver) query(ctx context.Context, f filter, kinds ...kg.Kind) (kg.EntityFilter, *kg.Match, error) {
	ev := func(types []model.SourceType) (*kg.SourceSet, error) { return r.evidence(ctx, types) }
	own := f.own
	var err error
	if own.Evidence, err = ev(f.sourceTypes); err != nil {
		return kg.EntityFilter{}, nil, err
	}
	if len(kinds) > 0 {
		own.Kinds = kinds
	}
	f.own, f.sourceTypes = kg.EntityFilter{}, nil
	m, err := f.match(ev)
	if err != nil {
		return kg.EntityFilter{}, nil, err
	}
	if err := checkOwn(own); err != nil {
		return kg.EntityFilter{}, nil, err
	}
	if m.IsZero() {
		return own, nil, nil
	}
	depth, parts := m.Size()
	if depth > r.Limits.MaxFilterDepth {
		return kg.EntityFilter{}, nil, kg.Errorf(kg.EInvalid, "filter: nested %d deep, more than the limit of %d", depth, r.Limits.MaxFilterDepth)
	}
	if parts > r.Limits.MaxFilterParts {
		return kg.EntityFilter{}, nil, kg.Errorf(kg.EInvalid, "filter: %d filters and relationship conditions, more than the limit of %d", parts, r.Limits.MaxFilterParts)
	}
	return own, &m, nil
}

// match turns a filter into a kg.Match, checking every level's own fields;
// ev reads a level's source types.
func (f filter) match(ev func([]model.SourceType) (*kg.SourceSet, error)) (kg.Match, error) {
	if err := checkOwn(f.own); err != nil {
		return kg.Match{}, err
	}
	m := kg.Match{Filter: f.own}
	var err error
	if m.Filter.Evidence, err = ev(f.sourceTypes); err != nil {
		return kg.Match{}, err
	}
	for _, c := range []struct {
		q  kg.Quantifier
		rc *model.RelationshipCondition
	}{{kg.Some, f.some}, {kg.None, f.none}, {kg.All, f.all}} {
		if c.rc == nil {
			continue
		}
		rc := kg.RelCondition{Quantifier: c.q, Types: relTypesOf(c.rc.Types), Direction: directionOf(c.rc.Direction), AsOf: model.DayOf(c.rc.AsOf)}
		if rc.Evidence, err = ev(c.rc.SourceTypes); err != nil {
			return kg.Match{}, err
		}
		if c.rc.Node != nil {
			other, err := fromEntityFilter(c.rc.Node).match(ev)
			if err != nil {
				return kg.Match{}, err
			}
			rc.Other = &other
		}
		m.Rels = append(m.Rels, rc)
	}
	for _, sub := range f.and {
		x, err := sub.match(ev)
		if err != nil {
			return kg.Match{}, err
		}
		m.And = append(m.And, x)
	}
	for _, sub := range f.or {
		x, err := sub.match(ev)
		if err != nil {
			return kg.Match{}, err
		}
		m.Or = append(m.Or, x)
	}
	if f.not != nil {
		x, err := f.not.match(ev)
		if err != nil {
			return kg.Match{}, err
		}
		m.Not = &x
	}
	return m, nil
}

// checkOwn refuses a date range that ends before it starts and a type no
// kind has (the typed filters' enums rule that out; EntityFilter's type is
// a string, since it may name any kind's type).
func checkOwn(f kg.EntityFilter) error {
	if f.From != "" && f.To != "" && f.From > f.To {
		return kg.Errorf(kg.EInvalid, "dateFrom %s is after dateTo %s", f.From, f.To)
	}
	for _, t := range f.Types {
		known := false
		for _, k := range kg.Kinds {
			known = known || slices.Contains(kg.Subtypes[k], t)
		}
		if !known {
			return kg.Errorf(kg.EInvalid, "type: %q is not a type of any kind of entity", t)
		}
	}
	return nil
}
