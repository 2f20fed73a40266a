// Package model holds the Go types behind the GraphQL schema: wrappers that
// present kg domain values as GraphQL objects, and the types gqlgen
// generates (models_gen.go).
package model

import (
	"io"
	"strconv"

	"github.com/vjkg/vjkg/kg"
)

// Date is the GraphQL Date scalar: a calendar day, YYYY-MM-DD.
type Date string

// UnmarshalGQL checks that the value is a day.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return kg.Errorf(kg.EInvalid, "a Date must be a string YYYY-MM-DD, not %T", v)
	}
	day, err := kg.ParseDay(s)
	if err != nil {
		return kg.Errorf(kg.EInvalid, "%v", err)
	}
	*d = Date(day)
	return nil
}

// MarshalGQL writes the day as a JSON string.
func (d Date) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(d))) }

// DayOf returns the day a nullable Date argument names, or "".
func DayOf(d *Date) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// DateValueOf presents a partial date, or nil when it is unknown.
func DateValueOf(d kg.PartialDate) *DateValue {
	if d.IsZero() {
		return nil
	}
	return &DateValue{
		Value:     d.String(),
		Precision: DatePrecision(d.Precision()),
		Earliest:  Date(d.Earliest()),
		Latest:    Date(d.Latest()),
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Citation is a kg.Citation; its source is loaded by a resolver.
type Citation struct {
	SourceID string
	Quote    string
}

func citations(cs []kg.Citation) []*Citation {
	out := make([]*Citation, len(cs))
	for i, c := range cs {
		out[i] = &Citation{SourceID: c.SourceID, Quote: c.Quote}
	}
	return out
}

// Source presents a kg.Source.
type Source struct{ *kg.Source }

// IsNode marks Source as a Node.
func (Source) IsNode() {}

// GetID returns the source's id (Node.id).
func (s Source) GetID() string { return s.ID }

func (s Source) Publisher() *string     { return optional(s.Source.Publisher) }
func (s Source) Author() *string        { return optional(s.Source.Author) }
func (s Source) URL() *string           { return optional(s.Source.URL) }
func (s Source) Note() *string          { return optional(s.Source.Note) }
func (s Source) Text() *string          { return optional(s.Source.Text) }
func (s Source) Published() *DateValue  { return DateValueOf(s.Source.Published) }
func (s Source) SourceType() SourceType { return SourceType(s.Source.Type) }
