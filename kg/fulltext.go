package kg

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Field names what part of a record a search hit matched, best first:
// an analyst trusts a hit on an entity's own name over one on an alias,
// over its description, over a quote that mentions it.
type Field string

// The fields search looks in.
const (
	FieldName        Field = "NAME"
	FieldAlias       Field = "ALIAS"
	FieldLocalName   Field = "LOCAL_NAME"
	FieldDescription Field = "DESCRIPTION"
	FieldFigure      Field = "FIGURE"
	FieldQuote       Field = "QUOTE"
	FieldRole        Field = "ROLE"
	FieldEnd         Field = "END_NAME" // the name of a relationship's end
	FieldTitle       Field = "TITLE"    // a source's title, publisher, author or note
)

// IsName reports whether f is one of an entity's names.
func (f Field) IsName() bool {
	return f == FieldName || f == FieldAlias || f == FieldLocalName
}

// fieldWeight scores a term found in a field when the query as a whole is
// not a name match; every weight is below the lowest name score (0.3), so
// that text hits rank after name hits.
var fieldWeight = map[Field]float64{
	FieldName: 0.29, FieldAlias: 0.28, FieldLocalName: 0.28, FieldDescription: 0.26,
	FieldFigure: 0.25, FieldQuote: 0.24, FieldRole: 0.23, FieldEnd: 0.22, FieldTitle: 0.27,
}

// TextQuery is a search text parsed for full-text search: terms that must
// all match, in any order and any field. A bare word matches any word
// that starts with it ("agri" finds "agriculture"); a "quoted phrase"
// matches those words, whole and in that order, within one field.
type TextQuery struct {
	Terms []Term
	// Names is the whole text without quotes, for matching names as
	// search always has (see SearchQuery.NameScore).
	Names SearchQuery
}

// Term is one word, or a phrase of words, folded (see Fold).
type Term struct {
	Words  []string
	Phrase bool
}

// ParseTextQuery splits text into terms. Unbalanced quotes are read as if
// closed at the end.
func ParseTextQuery(text string) TextQuery {
	var q TextQuery
	var plain []string
	parts := strings.Split(text, `"`)
	for i, part := range parts {
		words := strings.Fields(Fold(part))
		if len(words) == 0 {
			continue
		}
		if i%2 == 1 { // inside quotes
			q.Terms = append(q.Terms, Term{Words: words, Phrase: true})
		} else {
			for _, w := range words {
				q.Terms = append(q.Terms, Term{Words: []string{w}})
			}
		}
		plain = append(plain, part)
	}
	q.Names = NewSearchQuery(strings.Join(plain, " "))
	return q
}

// HasPhrase reports whether the query quotes a phrase (then names match
// only as text does, word for word).
func (q TextQuery) HasPhrase() bool {
	for _, t := range q.Terms {
		if t.Phrase {
			return true
		}
	}
	return false
}

// Matches reports whether the term occurs in text, folded into words.
func (t Term) Matches(words []string) bool {
	if !t.Phrase {
		for _, w := range words {
			if strings.HasPrefix(w, t.Words[0]) {
				return true
			}
		}
		return false
	}
	for i := 0; i+len(t.Words) <= len(words); i++ {
		ok := true
		for j, w := range t.Words {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// FieldText is one field of a record as search sees it.
type FieldText struct {
	Field    Field
	Text     string    // as stored
	Citation *Citation // the citation a quote belongs to
}

// TextMatch is how a record matches a query: its score, the field that
// decided it (the weakest of the fields the terms were found in, or the
// name that matched), that field's text, and the citation of a quote.
type TextMatch struct {
	Score float64
	FieldText
}

// Match scores a record's fields against the query (nil and false when a
// term is found in none of them). Names are tried first as names; then
// every term must occur in some field, and the score is the mean of the
// weights of the best field each term was found in.
func (q TextQuery) Match(fields []FieldText) (TextMatch, bool) {
	return q.matchWords(fields, foldWords)
}

// foldWords is a text folded into words, as terms are matched against.
func foldWords(text string) []string { return strings.Fields(Fold(text)) }

// wordMemo folds texts into words once each: a search that looks at a
// record's fields twice, or at the same end of many relationships, folds
// them once.
type wordMemo map[string][]string

func (m wordMemo) words(text string) []string {
	w, ok := m[text]
	if !ok {
		w = foldWords(text)
		m[text] = w
	}
	return w
}

// matchWords is Match with the folding of fields into words given.
func (q TextQuery) matchWords(fields []FieldText, words func(string) []string) (TextMatch, bool) {
	if len(q.Terms) == 0 {
		return TextMatch{}, false
	}
	if !q.HasPhrase() {
		var best TextMatch
		primary := true
		for _, f := range fields {
			if f.Field != FieldName && f.Field != FieldAlias && f.Field != FieldLocalName {
				continue
			}
			s := q.Names.NameScore(Fold(f.Text), FoldKey(f.Text), primary && f.Field == FieldName)
			if f.Field == FieldName {
				primary = false
			}
			if s > best.Score {
				best = TextMatch{Score: s, FieldText: f}
			}
		}
		if best.Score > 0 {
			return best, true
		}
	}
	folded := make([][]string, len(fields))
	for i, f := range fields {
		folded[i] = words(f.Text)
	}
	sum := 0.0
	var weakest *FieldText
	for _, t := range q.Terms {
		w := 0.0
		var at *FieldText
		for i := range fields {
			if fw := fieldWeight[fields[i].Field]; fw > w && t.Matches(folded[i]) {
				w, at = fw, &fields[i]
			}
		}
		if at == nil {
			return TextMatch{}, false
		}
		sum += w
		if weakest == nil || w < fieldWeight[weakest.Field] {
			weakest = at
		}
	}
	return TextMatch{Score: math.Round(sum/float64(len(q.Terms))*1000) / 1000, FieldText: *weakest}, true
}

// EntityFields returns the fields of e that search looks in.
func EntityFields(e *Entity) []FieldText {
	out := []FieldText{{Field: FieldName, Text: e.Name}}
	for _, a := range e.Aliases {
		out = append(out, FieldText{Field: FieldAlias, Text: a})
	}
	for _, n := range e.LocalNames {
		out = append(out, FieldText{Field: FieldLocalName, Text: n.Value})
	}
	if e.Description != "" {
		out = append(out, FieldText{Field: FieldDescription, Text: e.Description})
	}
	for _, f := range e.Figures {
		out = append(out, FieldText{Field: FieldFigure, Text: f.Label})
		if f.Citation.Quote != "" {
			c := f.Citation
			out = append(out, FieldText{Field: FieldQuote, Text: c.Quote, Citation: &c})
		}
	}
	for i := range e.Citations {
		if e.Citations[i].Quote != "" {
			out = append(out, FieldText{Field: FieldQuote, Text: e.Citations[i].Quote, Citation: &e.Citations[i]})
		}
	}
	return out
}

// RelationshipFields returns the fields of r that search looks in: its
// role, its quotes, and the names of its ends (given, since a relationship
// holds only their ids).
func RelationshipFields(r *Relationship, from, to *Entity) []FieldText {
	var out []FieldText
	if r.Role != "" {
		out = append(out, FieldText{Field: FieldRole, Text: r.Role})
	}
	for i := range r.Citations {
		if r.Citations[i].Quote != "" {
			out = append(out, FieldText{Field: FieldQuote, Text: r.Citations[i].Quote, Citation: &r.Citations[i]})
		}
	}
	for _, e := range []*Entity{from, to} {
		if e != nil {
			for _, n := range e.Names() {
				out = append(out, FieldText{Field: FieldEnd, Text: n})
			}
		}
	}
	return out
}

// Snippet returns up to about width runes of text around the first place a
// term occurs, with the ranges (in runes of the snippet) where the query's
// terms occur, so that a client can mark them without parsing markup.
func (q TextQuery) Snippet(text string, width int) (string, [][2]int) {
	runes := []rune(text)
	// Fold rune by rune, so that positions in the folded words map back.
	type word struct {
		folded     string
		start, end int // in runes of text
	}
	var words []word
	var cur strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			words = append(words, word{cur.String(), start, end})
			cur.Reset()
			start = -1
		}
	}
	for i, r := range runes {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark belongs to the letter before it
		}
		f := Fold(string(r))
		if f == "" || !(unicode.IsLetter(r) || unicode.IsNumber(r)) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
		cur.WriteString(f)
	}
	flush(len(runes))
	var marks [][2]int
	for _, t := range q.Terms {
		for i := 0; i+len(t.Words) <= len(words); i++ {
			ok := true
			for j, w := range t.Words {
				last := j == len(t.Words)-1
				if !(words[i+j].folded == w || (!t.Phrase && last && strings.HasPrefix(words[i+j].folded, w))) {
					ok = false
					break
				}
			}
			if ok {
				marks = append(marks, [2]int{words[i].start, words[i+len(t.Words)-1].end})
			}
		}
	}
	slices.SortFunc(marks, func(a, b [2]int) int { return a[0] - b[0] })
	from, to := 0, len(runes)
	if len(runes) > width {
		center := 0
		if len(marks) > 0 {
			center = marks[0][0]
		}
		from = max(0, min(center-width/3, len(runes)-width))
		// Start at a word: back to the space before, if it is near.
		for i := from; i > 0 && i > from-12; i-- {
			if unicode.IsSpace(runes[i-1]) {
				from = i
				break
			}
		}
		to = min(from+width, len(runes))
	}
	var out [][2]int
	for _, m := range marks {
		if m[0] >= from && m[1] <= to {
			out = append(out, [2]int{m[0] - from, m[1] - from})
		}
	}
	snippet := string(runes[from:to])
	if from > 0 {
		snippet = "…" + snippet
		for i := range out {
			out[i][0]++
			out[i][1]++
		}
	}
	if to < len(runes) {
		snippet += "…"
	}
	return snippet, out
}

// TextWords returns the distinct folded words of texts that a full-text
// index keeps: numbers longer than four digits (serial numbers, not years)
// are left out, since nobody searches for them by word.
func TextWords(texts ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		for _, w := range strings.Fields(Fold(t)) {
			if seen[w] || LongNumber(w) {
				continue
			}
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// LongNumber reports whether a folded word is a number of more than four
// digits, which word indexes leave out (TextWords).
func LongNumber(w string) bool { return len(w) > 4 && strings.Trim(w, "0123456789") == "" }

// EntityTexts is the text of an entity's fields other than its names: its
// description, its figures' labels, and its quotes (figures' and
// citations').
func EntityTexts(e *Entity) (description, figures, quotes []string) {
	if e.Description != "" {
		description = []string{e.Description}
	}
	for _, f := range e.Figures {
		figures = append(figures, f.Label)
		quotes = append(quotes, f.Citation.Quote)
	}
	for _, c := range e.Citations {
		quotes = append(quotes, c.Quote)
	}
	return description, figures, quotes
}

// RelationshipQuotes is the text of a relationship's quotes (its other own
// field is its role).
func RelationshipQuotes(r *Relationship) []string {
	out := make([]string, 0, len(r.Citations))
	for _, c := range r.Citations {
		out = append(out, c.Quote)
	}
	return out
}
