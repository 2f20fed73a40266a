// Package coverage reports how much of its source articles a dataset
// covers: every sentence of each article, with the facts (entities, their
// figures and dates, relationships) whose quotes fall in it, and, for each
// sentence that nothing cites, the reason it is left out (an excuse). A
// sentence that is neither cited nor excused is a problem, and so is an
// excuse that no longer applies, so the report cannot silently rot.
//
// `vjkg coverage` writes the report for the seed dataset; the package's
// test fails when the committed report (docs/seed-coverage.md) is not what
// the command writes, or when the report lists a problem.
package coverage

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vjkg/vjkg/kg"
	yaml "go.yaml.in/yaml/v3"
)

// Article is a source whose text is held.
type Article struct {
	SourceID string
	Title    string
	Text     string
}

// Sentence is one sentence of an article: its line (1-based) in the file,
// and where it lies in the article's text with every run of white space
// made one space (the form quotes are compared in).
type Sentence struct {
	Line       int
	Start, End int // byte offsets in the normalized text
	Text       string
}

// normalize makes every run of white space one space, as quotes are
// compared (a quote may be copied across a line break).
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// abbreviations end with a full stop inside a sentence ("TP. Đà Nẵng").
var abbreviations = []string{"TP.", "Tp.", "TS.", "ThS.", "PGS.", "GS.", "St.", "No."}

// Split returns the sentences of text, line by line (a line of the page is
// a paragraph, a headline or a caption): a sentence ends at '.', '!', '?' or
// '…' (with any closing quotes or brackets) followed by a space and a
// capital letter, a digit or an opening quote; a line with no such end is
// one sentence.
func Split(text string) (normalized string, sentences []Sentence) {
	var b strings.Builder
	for n, raw := range strings.Split(text, "\n") {
		line := normalize(raw)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		offset := b.Len()
		b.WriteString(line)
		start := 0
		for _, end := range sentenceEnds(line) {
			if s := strings.TrimSpace(line[start:end]); s != "" {
				sentences = append(sentences, Sentence{Line: n + 1, Start: offset + start, End: offset + end, Text: s})
			}
			start = end + 1 // past the space
		}
		if start < len(line) {
			sentences = append(sentences, Sentence{Line: n + 1, Start: offset + start, End: offset + len(line), Text: line[start:]})
		}
	}
	return b.String(), sentences
}

// sentenceEnds returns the byte offsets in line just after each sentence
// but the last.
func sentenceEnds(line string) []int {
	var ends []int
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		i += size
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		end := i
		for end < len(line) {
			c, n := utf8.DecodeRuneInString(line[end:])
			if !strings.ContainsRune(".!?…\"”’)]", c) {
				break
			}
			end += n
		}
		if end >= len(line) || line[end] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(line[end+1:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("\"“‘(", next) {
			continue
		}
		abbreviation := false
		for _, a := range abbreviations {
			abbreviation = abbreviation || strings.HasSuffix(line[:end], " "+a) || line[:end] == a
		}
		if !abbreviation {
			ends = append(ends, end)
		}
		i = end
	}
	return ends
}

// Excuse says why a sentence of an article is left out of the dataset.
type Excuse struct {
	Source   string `yaml:"source"`
	Sentence string `yaml:"sentence"`
	Reason   string `yaml:"reason"`
}

// Reasons are the kinds of excuse; an excuse's reason starts with one, then
// a colon and a few words.
var Reasons = []string{
	"opinion",      // a judgment, wish or exhortation, not a fact
	"duplicate",    // states a fact already modelled from another sentence
	"out of scope", // a fact the graph does not model (a general statement, an unnamed actor)
	"not a claim",  // page furniture: navigation, bylines, photo credits, link lists
}

// ParseExcuses reads an excuses file: a YAML mapping with a list
// "excuses" of {source, sentence, reason}.
func ParseExcuses(data []byte) ([]Excuse, error) {
	var f struct {
		Excuses []Excuse `yaml:"excuses"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("excuses: %w", err)
	}
	for i, e := range f.Excuses {
		if e.Source == "" || e.Sentence == "" || reasonKind(e.Reason) == "" {
			return nil, fmt.Errorf("excuses[%d]: want a source, a sentence and a reason that starts with one of %q and a colon: %+v", i, Reasons, e)
		}
	}
	return f.Excuses, nil
}

func reasonKind(reason string) string {
	for _, r := range Reasons {
		if rest, ok := strings.CutPrefix(reason, r+":"); ok && strings.TrimSpace(rest) != "" {
			return r
		}
	}
	return ""
}

// Fact is a record, or part of one, whose quote falls in a sentence.
type Fact struct {
	Kind   string // entity, figure or relationship
	Record string // the entity's or relationship's id
	Text   string // what the fact says, for the report
}

// Row is one sentence of an article with what cites it or why nothing does.
type Row struct {
	Sentence
	Facts  []Fact
	Excuse string // the reason, when nothing cites it and it is excused
}

// ArticleReport is the coverage of one article.
type ArticleReport struct {
	Article
	Rows []Row
}

// Report is the coverage of every article.
type Report struct {
	Articles []ArticleReport
	// Problems are sentences neither cited nor excused, excuses that match
	// no sentence or excuse a cited one, and quotes not in their article.
	Problems []string
}

// Build computes the coverage of the articles by the batch's citations.
func Build(b *kg.Batch, articles []Article, excuses []Excuse) *Report {
	facts := map[string][]citedFact{} // by source id
	add := func(c kg.Citation, f Fact) {
		facts[c.SourceID] = append(facts[c.SourceID], citedFact{normalize(c.Quote), f})
	}
	for _, e := range b.Entities {
		for _, c := range e.Citations {
			add(c, Fact{"entity", e.ID, entityText(e)})
		}
		for _, f := range e.Figures {
			add(f.Citation, Fact{"figure", e.ID, figureText(f)})
		}
	}
	for _, r := range b.Relationships {
		for _, c := range r.Citations {
			add(c, Fact{"relationship", r.ID, relationshipText(r)})
		}
	}
	excused := map[[2]string]string{}
	used := map[[2]string]bool{}
	for _, e := range excuses {
		excused[[2]string{e.Source, normalize(e.Sentence)}] = e.Reason
	}
	rep := &Report{}
	for _, a := range articles {
		text, sentences := Split(a.Text)
		ar := ArticleReport{Article: a, Rows: make([]Row, len(sentences))}
		for i, s := range sentences {
			ar.Rows[i].Sentence = s
		}
		for _, cf := range facts[a.SourceID] {
			found := false
			for from := 0; cf.quote != ""; {
				at := strings.Index(text[from:], cf.quote)
				if at < 0 {
					break
				}
				found = true
				start, end := from+at, from+at+len(cf.quote)
				for i := range ar.Rows {
					if r := &ar.Rows[i]; r.Start < end && start < r.End && !hasFact(r.Facts, cf.fact) {
						r.Facts = append(r.Facts, cf.fact)
					}
				}
				from = start + 1
			}
			if !found {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s: quote not in the article's text: %q", a.SourceID, cf.fact.Record, cf.quote))
			}
		}
		for i := range ar.Rows {
			r := &ar.Rows[i]
			key := [2]string{a.SourceID, r.Text}
			reason, ok := excused[key]
			switch {
			case ok && len(r.Facts) > 0:
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s:%d: excused (%s) but cited by %s: drop the excuse", a.SourceID, r.Line, reason, r.Facts[0].Record))
			case ok:
				r.Excuse = reason
			case len(r.Facts) == 0:
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s:%d: neither cited nor excused: %q", a.SourceID, r.Line, r.Text))
			}
			used[key] = used[key] || ok
		}
		rep.Articles = append(rep.Articles, ar)
	}
	for _, e := range excuses {
		if !used[[2]string{e.Source, normalize(e.Sentence)}] {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the excused sentence is not in the article: %q", e.Source, e.Sentence))
		}
	}
	return rep
}

type citedFact struct {
	quote string
	fact  Fact
}

func hasFact(fs []Fact, f Fact) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func entityText(e *kg.Entity) string {
	s := e.Name
	if !e.Start.IsZero() {
		s += ", from " + e.Start.String()
	}
	if !e.End.IsZero() {
		s += ", to " + e.End.String()
	}
	return s
}

func figureText(f kg.Figure) string {
	s := f.Label + ": "
	if f.Qualifier != "" {
		s += f.Qualifier + " "
	}
	s += strconv.FormatFloat(f.Value, 'f', -1, 64)
	if f.Unit != "" {
		s += " " + f.Unit
	}
	if !f.Date.IsZero() {
		s += " (" + f.Date.String() + ")"
	}
	return s
}

func relationshipText(r *kg.Relationship) string {
	s := fmt.Sprintf("%s %s → %s", r.Type, r.From, r.To)
	if r.Role != "" {
		s += " (" + r.Role + ")"
	}
	if !r.ValidFrom.IsZero() || !r.ValidTo.IsZero() {
		s += fmt.Sprintf(", valid %s–%s", r.ValidFrom, r.ValidTo)
	}
	return s
}

// Counts are an article's sentences: cited, excused by each reason, and
// neither.
type Counts struct {
	Sentences, Cited, Uncovered int
	Excused                     map[string]int
}

// Counts counts the article's rows.
func (a ArticleReport) Counts() Counts {
	c := Counts{Sentences: len(a.Rows), Excused: map[string]int{}}
	for _, r := range a.Rows {
		switch {
		case len(r.Facts) > 0:
			c.Cited++
		case r.Excuse != "":
			c.Excused[reasonKind(r.Excuse)]++
		default:
			c.Uncovered++
		}
	}
	return c
}

// WriteMarkdown writes the report as Markdown: a summary, then every
// sentence of each article in order, with what cites it or why nothing does.
func (r *Report) WriteMarkdown(w io.Writer, command string) error {
	var b strings.Builder
	b.WriteString("# Coverage of the seed articles\n\n")
	fmt.Fprintf(&b, "Generated by `%s`; do not edit. Every sentence of the two articles (main text and sidebars, as\n", command)
	b.WriteString("`seed/articles/` holds them), with the records of `seed/data/` whose quotes fall in it: entities (with their\n")
	b.WriteString("dates), figures and relationships. A sentence that nothing cites carries the reason it is left out, from\n")
	b.WriteString("`seed/articles/excuses.yaml`. `go test ./coverage/` fails when a sentence is neither cited nor excused, when an\n")
	b.WriteString("excuse no longer applies, or when this file is not what the command writes.\n\n")
	b.WriteString("| article | sentences | cited |")
	for _, reason := range Reasons {
		fmt.Fprintf(&b, " %s |", reason)
	}
	b.WriteString(" neither |\n|---|---|---|")
	for range Reasons {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	for _, a := range r.Articles {
		c := a.Counts()
		fmt.Fprintf(&b, "| `%s` | %d | %d |", a.SourceID, c.Sentences, c.Cited)
		for _, reason := range Reasons {
			fmt.Fprintf(&b, " %d |", c.Excused[reason])
		}
		fmt.Fprintf(&b, " %d |\n", c.Uncovered)
	}
	if len(r.Problems) > 0 {
		b.WriteString("\n## Problems\n\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	for _, a := range r.Articles {
		fmt.Fprintf(&b, "\n## %s — %s\n", a.SourceID, a.Title)
		for _, row := range a.Rows {
			fmt.Fprintf(&b, "\n- **line %d**: %s\n", row.Line, row.Text)
			facts := append([]Fact(nil), row.Facts...)
			sort.SliceStable(facts, func(i, j int) bool { return kindOrder(facts[i].Kind) < kindOrder(facts[j].Kind) })
			for _, f := range facts {
				if f.Kind == "relationship" {
					fmt.Fprintf(&b, "  - relationship %s\n", f.Text)
				} else {
					fmt.Fprintf(&b, "  - %s `%s`: %s\n", f.Kind, f.Record, f.Text)
				}
			}
			switch {
			case row.Excuse != "":
				fmt.Fprintf(&b, "  - left out, %s\n", row.Excuse)
			case len(row.Facts) == 0:
				b.WriteString("  - **neither cited nor excused**\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func kindOrder(k string) int {
	switch k {
	case "entity":
		return 0
	case "figure":
		return 1
	}
	return 2
}
