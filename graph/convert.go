package graph

import (
	"strings"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// dateArg parses an optional partial-date argument, naming the field in the
// error.
func dateArg(field string, s *string) (kg.PartialDate, error) {
	if s == nil {
		return kg.PartialDate{}, nil
	}
	d, err := kg.ParsePartialDate(*s)
	if err != nil {
		return d, kg.Errorf(kg.EInvalid, "%s: %v", field, err)
	}
	return d, nil
}

func citationsIn(cs []*model.CitationInput) []kg.Citation {
	out := make([]kg.Citation, len(cs))
	for i, c := range cs {
		out[i] = kg.Citation{SourceID: c.Source, Quote: strings.TrimSpace(c.Quote)}
	}
	return out
}

func localNamesIn(ns []*model.LocalNameInput) []kg.LocalName {
	out := make([]kg.LocalName, len(ns))
	for i, n := range ns {
		out[i] = kg.LocalName{Lang: n.Lang, Value: n.Value}
	}
	return out
}

func figuresIn(fs []*model.FigureInput) ([]kg.Figure, error) {
	out := make([]kg.Figure, len(fs))
	for i, f := range fs {
		d, err := dateArg("figures.date", f.Date)
		if err != nil {
			return nil, err
		}
		out[i] = kg.Figure{Label: f.Label, Value: f.Value, Unit: derefString(f.Unit), Qualifier: derefString(f.Qualifier), Date: d}
		if f.Source != nil {
			out[i].Citation = kg.Citation{SourceID: f.Source.Source, Quote: strings.TrimSpace(f.Source.Quote)}
		}
	}
	return out, nil
}

func propertiesIn(ps []*model.PropertyInput) map[string]string {
	if len(ps) == 0 {
		return nil
	}
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.Key] = p.Value
	}
	return out
}

// entityIn builds the entity a createEntity input describes.
func entityIn(in model.CreateEntityInput) (*kg.Entity, error) {
	e := &kg.Entity{
		ID: derefString(in.ID), Kind: kg.Kind(in.Kind), Name: strings.TrimSpace(in.Name),
		Type: derefString(in.Type), Aliases: in.Aliases, LocalNames: localNamesIn(in.LocalNames),
		Description: derefString(in.Description), Country: derefString(in.Country), ISOCode: derefString(in.IsoCode),
		Topics: in.Topics, Citations: citationsIn(in.Sources),
	}
	var err error
	if e.Start, err = dateArg("start", in.Start); err != nil {
		return nil, err
	}
	if e.End, err = dateArg("end", in.End); err != nil {
		return nil, err
	}
	if e.Figures, err = figuresIn(in.Figures); err != nil {
		return nil, err
	}
	return e, nil
}

// applyEntityUpdate changes e as an updateEntity input says: fields left out
// keep their values.
func applyEntityUpdate(e *kg.Entity, in model.UpdateEntityInput) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&e.Name, in.Name)
	set(&e.Type, in.Type)
	set(&e.Description, in.Description)
	set(&e.Country, in.Country)
	set(&e.ISOCode, in.IsoCode)
	if in.Aliases != nil {
		e.Aliases = in.Aliases
	}
	if in.LocalNames != nil {
		e.LocalNames = localNamesIn(in.LocalNames)
	}
	if in.Topics != nil {
		e.Topics = in.Topics
	}
	if in.Sources != nil {
		e.Citations = citationsIn(in.Sources)
	}
	var err error
	if in.Start != nil {
		if e.Start, err = dateArg("start", in.Start); err != nil {
			return err
		}
	}
	if in.End != nil {
		if e.End, err = dateArg("end", in.End); err != nil {
			return err
		}
	}
	if in.Figures != nil {
		if e.Figures, err = figuresIn(in.Figures); err != nil {
			return err
		}
	}
	return nil
}

// relationshipIn builds the relationship a createRelationship input describes.
func relationshipIn(in model.CreateRelationshipInput) (*kg.Relationship, error) {
	r := &kg.Relationship{
		Type: kg.RelType(in.Type), From: in.From, To: in.To, Role: strings.TrimSpace(derefString(in.Role)),
		Properties: propertiesIn(in.Properties), Citations: citationsIn(in.Sources),
	}
	var err error
	if r.ValidFrom, err = dateArg("validFrom", in.ValidFrom); err != nil {
		return nil, err
	}
	if r.ValidTo, err = dateArg("validTo", in.ValidTo); err != nil {
		return nil, err
	}
	return r, nil
}

func applyRelationshipUpdate(r *kg.Relationship, in model.UpdateRelationshipInput) error {
	if in.Role != nil {
		r.Role = strings.TrimSpace(*in.Role)
	}
	if in.Properties != nil {
		r.Properties = propertiesIn(in.Properties)
	}
	if in.Sources != nil {
		r.Citations = citationsIn(in.Sources)
	}
	var err error
	if in.ValidFrom != nil {
		if r.ValidFrom, err = dateArg("validFrom", in.ValidFrom); err != nil {
			return err
		}
	}
	if in.ValidTo != nil {
		if r.ValidTo, err = dateArg("validTo", in.ValidTo); err != nil {
			return err
		}
	}
	return nil
}

func sourceIn(in model.SourceInput) (*kg.Source, error) {
	s := &kg.Source{
		ID: in.ID, Title: strings.TrimSpace(in.Title), Publisher: derefString(in.Publisher), Author: derefString(in.Author),
		URL: derefString(in.URL), Language: in.Language, Type: string(in.SourceType), Note: derefString(in.Note),
	}
	var err error
	s.Published, err = dateArg("published", in.Published)
	return s, err
}
