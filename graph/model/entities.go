package model

import "github.com/vjkg/vjkg/kg"

// entity holds what the five entity types share; each wraps a *kg.Entity
// from the store, which it must not modify.
type entity struct{ *kg.Entity }

func (e entity) GetID() string            { return e.ID }
func (e entity) Record() *kg.Entity       { return e.Entity }
func (e entity) Kind() EntityKind         { return EntityKind(e.Entity.Kind) }
func (e entity) Description() *string     { return optional(e.Entity.Description) }
func (e entity) Country() *string         { return optional(e.Entity.Country) }
func (e entity) Sources() []*Citation     { return citations(e.Citations) }
func (e entity) Aliases() []string        { return nonNil(e.Entity.Aliases) }
func (e entity) Topics() []string         { return nonNil(e.Entity.Topics) }
func (e entity) LocalNames() []*LocalName { return localNames(e.Entity.LocalNames) }
func (e entity) Figures() []*Figure       { return figures(e.Entity.Figures) }

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func localNames(ns []kg.LocalName) []*LocalName {
	out := make([]*LocalName, len(ns))
	for i, n := range ns {
		out[i] = &LocalName{Lang: n.Lang, Value: n.Value}
	}
	return out
}

func figures(fs []kg.Figure) []*Figure {
	out := make([]*Figure, len(fs))
	for i, f := range fs {
		out[i] = &Figure{
			Label: f.Label, Value: f.Value, Unit: optional(f.Unit), Qualifier: optional(f.Qualifier),
			Date:   DateValueOf(f.Date),
			Source: &Citation{SourceID: f.Citation.SourceID, Quote: f.Citation.Quote},
		}
	}
	return out
}

// Locality presents a locality.
type Locality struct{ entity }

func (Locality) IsNode()                      {}
func (Locality) IsEntity()                    {}
func (l Locality) LocalityType() LocalityType { return LocalityType(l.Type) }
func (l Locality) IsoCode() *string           { return optional(l.ISOCode) }
func (l Locality) ValidFrom() *DateValue      { return DateValueOf(l.Start) }
func (l Locality) ValidTo() *DateValue        { return DateValueOf(l.End) }

// Official presents a person.
type Official struct{ entity }

func (Official) IsNode()   {}
func (Official) IsEntity() {}

// OfficialType returns the person's type, or nil when none is recorded.
func (o Official) OfficialType() *OfficialType {
	if o.Type == "" {
		return nil
	}
	t := OfficialType(o.Type)
	return &t
}

// Organization presents an organisation.
type Organization struct{ entity }

func (Organization) IsNode()                              {}
func (Organization) IsEntity()                            {}
func (o Organization) OrganizationType() OrganizationType { return OrganizationType(o.Type) }
func (o Organization) Founded() *DateValue                { return DateValueOf(o.Start) }
func (o Organization) Dissolved() *DateValue              { return DateValueOf(o.End) }

// Agreement presents an agreement.
type Agreement struct{ entity }

func (Agreement) IsNode()                        {}
func (Agreement) IsEntity()                      {}
func (a Agreement) AgreementType() AgreementType { return AgreementType(a.Type) }
func (a Agreement) Date() *DateValue             { return DateValueOf(a.Start) }
func (a Agreement) EndDate() *DateValue          { return DateValueOf(a.End) }

// Event presents an event.
type Event struct{ entity }

func (Event) IsNode()                 {}
func (Event) IsEntity()               {}
func (e Event) EventType() EventType  { return EventType(e.Type) }
func (e Event) StartDate() *DateValue { return DateValueOf(e.Start) }
func (e Event) EndDate() *DateValue   { return DateValueOf(e.End) }

// WrapEntity presents a domain entity as the GraphQL type of its kind.
func WrapEntity(e *kg.Entity) Entity {
	if e == nil {
		return nil
	}
	base := entity{e}
	switch e.Kind {
	case kg.KindLocality:
		return &Locality{base}
	case kg.KindOfficial:
		return &Official{base}
	case kg.KindOrganization:
		return &Organization{base}
	case kg.KindAgreement:
		return &Agreement{base}
	default:
		return &Event{base}
	}
}

// WrapEntities wraps each of es (nil stays nil) as WrapEntity does, with
// an allocation per kind rather than one per entity: a nested page of 40
// entities cost 40.
func WrapEntities(es []*kg.Entity) []Entity {
	var counts [5]int
	for _, e := range es {
		if e != nil {
			counts[wrapSlot(e.Kind)]++
		}
	}
	localities, officials := make([]Locality, counts[0]), make([]Official, counts[1])
	organizations, agreements, events := make([]Organization, counts[2]), make([]Agreement, counts[3]), make([]Event, counts[4])
	out := make([]Entity, len(es))
	for i, e := range es {
		if e == nil {
			continue
		}
		switch base := (entity{e}); wrapSlot(e.Kind) {
		case 0:
			out[i] = take(&localities, Locality{base})
		case 1:
			out[i] = take(&officials, Official{base})
		case 2:
			out[i] = take(&organizations, Organization{base})
		case 3:
			out[i] = take(&agreements, Agreement{base})
		default:
			out[i] = take(&events, Event{base})
		}
	}
	return out
}

// take sets the first element of *pool to v, and hands it out.
func take[T any](pool *[]T, v T) *T {
	p := &(*pool)[0]
	*p, *pool = v, (*pool)[1:]
	return p
}

// wrapSlot is the kind's slot in WrapEntities, in WrapEntity's order (any
// other kind is an event).
func wrapSlot(k kg.Kind) int {
	switch k {
	case kg.KindLocality:
		return 0
	case kg.KindOfficial:
		return 1
	case kg.KindOrganization:
		return 2
	case kg.KindAgreement:
		return 3
	}
	return 4
}

// Relationship presents a relationship; its ends are loaded by resolvers.
type Relationship struct {
	*kg.Relationship
	// AsOf is the day the relationship was found with (the asOf of a list,
	// a path search, a neighbourhood or a connection), which Status reads
	// when no day is given.
	AsOf string
}

func (Relationship) IsNode()                    {}
func (r Relationship) GetID() string            { return r.ID }
func (r Relationship) Type() RelationType       { return RelationType(r.Relationship.Type) }
func (r Relationship) Role() *string            { return optional(r.Relationship.Role) }
func (r Relationship) Properties() []*Property  { return properties(r.Relationship) }
func (r Relationship) ValidFrom() *DateValue    { return DateValueOf(r.Relationship.ValidFrom) }
func (r Relationship) ValidTo() *DateValue      { return DateValueOf(r.Relationship.ValidTo) }
func (r Relationship) Sources() []*Citation     { return citations(r.Citations) }
func (r Relationship) ReportedOn() []*DateValue { return reportedOn(r.Relationship) }

// Status is what the relationship's dates say about on, or else about the
// day it was found with; nil when there is neither.
func (r Relationship) Status(on *Date) *TimeStatus {
	day := r.AsOf
	if on != nil {
		day = string(*on)
	}
	return statusOn(r.Relationship, day)
}

func statusOn(r *kg.Relationship, day string) *TimeStatus {
	if day == "" {
		return nil
	}
	s := TimeStatus(r.StatusOn(day))
	return &s
}

func reportedOn(r *kg.Relationship) []*DateValue {
	ds := r.ReportedOn()
	out := make([]*DateValue, len(ds))
	for i, d := range ds {
		out[i] = DateValueOf(d)
	}
	return out
}

func properties(r *kg.Relationship) []*Property {
	keys := r.PropertyKeys()
	out := make([]*Property, len(keys))
	for i, k := range keys {
		out[i] = &Property{Key: k, Value: r.Properties[k]}
	}
	return out
}

// RelationshipEdge is one relationship seen from one of its ends (Parent);
// its node, the other end, is loaded by a resolver.
type RelationshipEdge struct {
	Cursor string
	Parent string
	Rel    *kg.Relationship
	AsOf   string // the connection's asOf, "" without one
}

// OtherID returns the id of the end that is not Parent.
func (e *RelationshipEdge) OtherID() string { return e.Rel.Other(e.Parent) }

func (e *RelationshipEdge) Direction() Direction {
	if e.Rel.From == e.Parent {
		return DirectionOut
	}
	return DirectionIn
}
func (e *RelationshipEdge) Type() RelationType      { return RelationType(e.Rel.Type) }
func (e *RelationshipEdge) Role() *string           { return optional(e.Rel.Role) }
func (e *RelationshipEdge) Properties() []*Property { return properties(e.Rel) }
func (e *RelationshipEdge) ValidFrom() *DateValue   { return DateValueOf(e.Rel.ValidFrom) }
func (e *RelationshipEdge) ValidTo() *DateValue     { return DateValueOf(e.Rel.ValidTo) }
func (e *RelationshipEdge) Sources() []*Citation    { return citations(e.Rel.Citations) }
func (e *RelationshipEdge) Relationship() *Relationship {
	return &Relationship{Relationship: e.Rel, AsOf: e.AsOf}
}
func (e *RelationshipEdge) ReportedOn() []*DateValue { return reportedOn(e.Rel) }
func (e *RelationshipEdge) Status() *TimeStatus      { return statusOn(e.Rel, e.AsOf) }

// RelationshipConnection is one page of an entity's relationships.
type RelationshipConnection struct {
	Edges      []*RelationshipEdge
	PageInfo   *PageInfo
	TotalCount int
}
