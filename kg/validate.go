package kg

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError is one problem with one field of a record.
type FieldError struct {
	Field  string
	Reason string
}

func (e FieldError) String() string { return e.Field + ": " + e.Reason }

// Invalid turns a list of field problems into an EInvalid *Error (nil when
// the list is empty), prefixing each with what the record is.
func Invalid(what string, problems []FieldError) error {
	if len(problems) == 0 {
		return nil
	}
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.String()
	}
	return Errorf(EInvalid, "invalid %s: %s", what, strings.Join(parts, "; "))
}

// Limits on the size of text fields; they keep one record from filling a page.
const (
	MaxIDLength    = 200
	MaxNameLength  = 300
	MaxTextLength  = 10000
	MaxListLength  = 100
	maxPropertyKey = 64
)

var (
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	isoCodePattern = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
	langPattern    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	propKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)
)

// KindOfID returns the kind an entity id names by its prefix, and whether it
// is a well-formed entity id ("locality:ha-noi").
func KindOfID(id string) (Kind, bool) {
	for _, k := range Kinds {
		if slug, ok := strings.CutPrefix(id, k.IDPrefix()); ok {
			return k, isSlug(slug) && len(id) <= MaxIDLength
		}
	}
	return "", false
}

// ValidSourceID reports whether id is a well-formed source id ("source:…").
func ValidSourceID(id string) bool {
	slug, ok := strings.CutPrefix(id, SourceIDPrefix)
	return ok && isSlug(slug) && len(id) <= MaxIDLength
}

// isSlug reports whether s matches ^[a-z0-9][a-z0-9._-]*$. It is written
// out because ids are checked for every record of an import.
func isSlug(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Slug turns a name into the last part of an id: "Hà Nội" gives "ha-noi".
func Slug(name string) string {
	return strings.ReplaceAll(Fold(name), " ", "-")
}

type checker struct{ problems []FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, FieldError{field, fmt.Sprintf(format, args...)})
}

func (c *checker) text(field, v string, max int, required bool) {
	if p := textProblem(v, max, required); p != "" {
		c.add(field, "%s", p)
	}
}

// textProblem says what is wrong with a text value, "" if nothing is. The
// checks that name a field in a list (figures[2].quote) call it first and
// format the name only for a problem: formatting it for every value was a
// tenth of an import's validation, profiled at 1 M entities.
func textProblem(v string, max int, required bool) string {
	trimmed := strings.TrimSpace(v)
	switch {
	case required && trimmed == "":
		return "is required"
	case v != trimmed:
		return "has leading or trailing spaces"
	case len(v) > max && utf8.RuneCountInString(v) > max: // a rune is at least a byte
		return "is longer than " + strconv.Itoa(max) + " characters"
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	}
	return ""
}

func (c *checker) list(field string, vs []string, max int) {
	if len(vs) > MaxListLength {
		c.add(field, "has more than %d items", MaxListLength)
	}
	seen := make(map[string]bool, len(vs))
	for i, v := range vs {
		p := textProblem(v, max, true)
		if p == "" && !seen[v] {
			seen[v] = true
			continue
		}
		f := fmt.Sprintf("%s[%d]", field, i)
		if p != "" {
			c.add(f, "%s", p)
		}
		if seen[v] {
			c.add(f, "repeats %q", v)
		}
		seen[v] = true
	}
}

func (c *checker) citations(field string, cs []Citation, required bool) {
	if required && len(cs) == 0 {
		c.add(field, "needs at least one citation (a source and the quote that supports the fact)")
	}
	if len(cs) > MaxListLength {
		c.add(field, "has more than %d citations", MaxListLength)
	}
	for i, ct := range cs {
		if ValidSourceID(ct.SourceID) && textProblem(ct.Quote, MaxTextLength, true) == "" {
			continue // nothing to say, so no field name to format
		}
		c.citation(fmt.Sprintf("%s[%d]", field, i), ct)
	}
}

func (c *checker) citation(field string, ct Citation) {
	if !ValidSourceID(ct.SourceID) {
		c.add(field+".source", "%q is not a source id (source:…)", ct.SourceID)
	}
	c.text(field+".quote", ct.Quote, MaxTextLength, true)
}

func (c *checker) interval(fromField, toField string, from, to PartialDate) {
	if !from.IsZero() && !to.IsZero() && to.Latest() < from.Earliest() {
		c.add(toField, "%s is before %s %s", to, fromField, from)
	}
}

// Validate returns the problems with e, or nil if there are none.
func (e *Entity) Validate() []FieldError {
	var c checker
	kind, ok := KindOfID(e.ID)
	switch {
	case !e.Kind.Valid():
		c.add("kind", "unknown kind %q (want one of %s)", e.Kind, joinKinds())
	case !ok || kind != e.Kind:
		c.add("id", "%q is not a %s id: want %s followed by lower-case letters, digits, '.', '_' or '-'", e.ID, strings.ToLower(string(e.Kind)), e.Kind.IDPrefix())
	}
	c.text("name", e.Name, MaxNameLength, true)
	c.list("aliases", e.Aliases, MaxNameLength)
	if len(e.LocalNames) > MaxListLength {
		// The index keeps at most 255 names of an entity (the name,
		// aliases and local names).
		c.add("localNames", "has more than %d items", MaxListLength)
	}
	for i, n := range e.LocalNames {
		f := fmt.Sprintf("localNames[%d]", i)
		if !langPattern.MatchString(n.Lang) {
			c.add(f+".lang", "%q is not a language tag (vi, ja, en)", n.Lang)
		}
		c.text(f+".value", n.Value, MaxNameLength, true)
	}
	c.text("description", e.Description, MaxTextLength, false)
	switch {
	case e.Type == "" && e.Kind != KindOfficial && e.Kind.Valid():
		c.add("type", "is required for a %s (one of %s)", strings.ToLower(string(e.Kind)), strings.Join(Subtypes[e.Kind], ", "))
	case e.Type != "" && e.Kind.Valid() && !ValidSubtype(e.Kind, e.Type):
		c.add("type", "unknown %s type %q (want one of %s)", strings.ToLower(string(e.Kind)), e.Type, strings.Join(Subtypes[e.Kind], ", "))
	}
	if e.Country != "" && !countryPattern.MatchString(e.Country) {
		c.add("country", "%q is not an ISO 3166-1 alpha-2 code (VN, JP)", e.Country)
	}
	if e.ISOCode != "" {
		switch {
		case e.Kind != KindLocality:
			c.add("isoCode", "only localities have ISO 3166-2 codes")
		case !isoCodePattern.MatchString(e.ISOCode):
			c.add("isoCode", "%q is not an ISO 3166-2 code (VN-HN, JP-40)", e.ISOCode)
		case e.Country != "" && !strings.HasPrefix(e.ISOCode, e.Country+"-"):
			c.add("isoCode", "%q does not belong to country %s", e.ISOCode, e.Country)
		}
	}
	if e.Kind == KindLocality && e.Country == "" && e.Type != "REGION" {
		c.add("country", "is required for a locality")
	}
	c.list("topics", e.Topics, MaxNameLength)
	c.interval("start", "end", e.Start, e.End)
	if len(e.Figures) > MaxListLength {
		c.add("figures", "has more than %d items", MaxListLength)
	}
	for i, f := range e.Figures {
		field := fmt.Sprintf("figures[%d]", i)
		c.text(field+".label", f.Label, MaxNameLength, true)
		c.text(field+".unit", f.Unit, 50, false)
		switch f.Qualifier {
		case "", "about", "over", "under", "nearly", "exactly":
		default:
			c.add(field+".qualifier", "unknown qualifier %q (want about, over, under, nearly or exactly)", f.Qualifier)
		}
		c.citation(field+".source", f.Citation)
	}
	c.citations("sources", e.Citations, true)
	return c.problems
}

// Validate returns the problems with r, or nil if there are none. It checks
// the ends' kinds from their ids; whether the ends exist is the store's check.
func (r *Relationship) Validate() []FieldError {
	var c checker
	rule, known := Rule(r.Type)
	if !known {
		c.add("type", "unknown relationship type %q", r.Type)
	}
	if !strings.HasPrefix(r.ID, "rel:") || len(r.ID) > MaxIDLength*3 {
		c.add("id", "%q is not a relationship id (rel:…)", r.ID)
	}
	fromKind, okFrom := KindOfID(r.From)
	toKind, okTo := KindOfID(r.To)
	if !okFrom {
		c.add("from", "%q is not an entity id", r.From)
	}
	if !okTo {
		c.add("to", "%q is not an entity id", r.To)
	}
	if okFrom && okTo && r.From == r.To {
		c.add("to", "a relationship cannot join %s to itself", r.From)
	}
	if known && okFrom && !hasKind(rule.From, fromKind) {
		c.add("from", "a %s relationship cannot start at a %s (allowed: %s)", r.Type, strings.ToLower(string(fromKind)), kindList(rule.From))
	}
	if known && okTo && !hasKind(rule.To, toKind) {
		c.add("to", "a %s relationship cannot end at a %s (allowed: %s)", r.Type, strings.ToLower(string(toKind)), kindList(rule.To))
	}
	c.text("role", r.Role, MaxNameLength, false)
	if len(r.Properties) > MaxListLength {
		c.add("properties", "has more than %d keys", MaxListLength)
	}
	for k, v := range r.Properties {
		if !propKeyPattern.MatchString(k) || len(k) > maxPropertyKey {
			c.add("properties", "key %q must be a letter followed by letters, digits or '_'", k)
		}
		c.text("properties."+k, v, MaxTextLength, true)
	}
	c.interval("validFrom", "validTo", r.ValidFrom, r.ValidTo)
	c.citations("sources", r.Citations, true)
	return c.problems
}

// Validate returns the problems with s, or nil if there are none.
func (s *Source) Validate() []FieldError {
	var c checker
	if !ValidSourceID(s.ID) {
		c.add("id", "%q is not a source id: want source: followed by lower-case letters, digits, '.', '_' or '-'", s.ID)
	}
	c.text("title", s.Title, MaxNameLength*2, true)
	c.text("publisher", s.Publisher, MaxNameLength, false)
	c.text("author", s.Author, MaxNameLength, false)
	c.text("url", s.URL, 2000, false)
	c.text("note", s.Note, MaxTextLength, false)
	c.text("text", s.Text, MaxSourceText, false)
	if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
		c.add("url", "%q is not an http(s) URL", s.URL)
	}
	if !langPattern.MatchString(s.Language) {
		c.add("language", "%q is not a language tag (vi, ja, en)", s.Language)
	}
	ok := false
	for _, t := range SourceTypes {
		ok = ok || s.Type == t
	}
	if !ok {
		c.add("type", "unknown source type %q (want one of %s)", s.Type, strings.Join(SourceTypes, ", "))
	}
	return c.problems
}

func hasKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func kindList(ks []Kind) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = strings.ToLower(string(k))
	}
	return strings.Join(parts, ", ")
}

func joinKinds() string { return kindList(Kinds) }
