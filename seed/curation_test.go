package seed

// Checks of the curated seed dataset that need judgment, and so are tests of
// this dataset rather than rules the loader imposes on every import: a
// researcher's quotes may say "the province" or "both sides", and a
// description may summarise what the researcher knows. For the seed
// dataset, drawn from two articles and a few reference sources, each rule
// holds, and each test below is shown to fail on a planted bad record.

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/vjkg/vjkg/kg"
	yaml "go.yaml.in/yaml/v3"
)

// finding is one thing a curation check found wrong with a record.
type finding struct {
	record, field, reason string
}

func (f finding) String() string { return f.record + ": " + f.field + ": " + f.reason }

// curation holds the dataset with the indexes the checks share.
type curation struct {
	b         *kg.Batch
	entities  map[string]*kg.Entity
	sources   map[string]*kg.Source
	rels      map[string][]*kg.Relationship // by either end
	nameIndex []namedEntity                 // every folded name of every entity, for finding names in text
}

type namedEntity struct {
	folded string
	id     string
}

func newCuration(b *kg.Batch) *curation {
	c := &curation{b: b, entities: map[string]*kg.Entity{}, sources: map[string]*kg.Source{}, rels: map[string][]*kg.Relationship{}}
	for _, s := range b.Sources {
		c.sources[s.ID] = s
	}
	for _, e := range b.Entities {
		c.entities[e.ID] = e
		for _, n := range e.Names() {
			// Names of three letters or fewer ("Lào", "Anh", "US") are
			// also ordinary words; they are matched only where a record
			// names its own ends (quoteNames), never searched for.
			if f := kg.Fold(n); len([]rune(f)) >= 4 {
				c.nameIndex = append(c.nameIndex, namedEntity{f, e.ID})
			}
		}
	}
	for _, r := range b.Relationships {
		c.rels[r.From] = append(c.rels[r.From], r)
		c.rels[r.To] = append(c.rels[r.To], r)
	}
	return c
}

// hasWords reports whether the folded text holds the folded phrase as whole
// words.
func hasWords(foldedText, foldedPhrase string) bool {
	return foldedPhrase != "" && strings.Contains(" "+foldedText+" ", " "+foldedPhrase+" ")
}

// namesEntity reports whether the quote names entity e: its name, an alias or a
// local name, compared folded (case and diacritics aside).
func (c *curation) namesEntity(quote string, e *kg.Entity) bool {
	q := kg.Fold(quote)
	for _, n := range e.Names() {
		if hasWords(q, kg.Fold(n)) {
			return true
		}
	}
	return false
}

// --- aliases that YAML split ---------------------------------------------------

// connectives are words that begin no name: an alias that starts with one,
// in lower case, is the tail of a longer name cut at a comma.
var connectives = map[string]bool{"and": true, "or": true, "of": true, "the": true, "for": true, "in": true,
	"và": true, "hoặc": true, "của": true, "với": true}

// splitAliases finds aliases that look like one name cut in two by YAML,
// which splits a flow sequence [a, b] at every comma outside quotes: two
// neighbouring aliases that, joined with ", ", give another name of the
// entity or a phrase of its quotes; or an alias that starts with a lower-case
// connective.
func (c *curation) splitAliases(e *kg.Entity) []finding {
	var out []finding
	// The comma is the evidence, so these compare in lower case with their
	// punctuation, not folded.
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	whole := []string{norm(e.Name)}
	for _, n := range e.LocalNames {
		whole = append(whole, norm(n.Value))
	}
	for _, a := range e.Aliases {
		whole = append(whole, norm(a))
	}
	var quotes []string
	for _, ct := range e.Citations {
		quotes = append(quotes, norm(ct.Quote))
	}
	for i, a := range e.Aliases {
		field := fmt.Sprintf("aliases[%d]", i)
		if w := strings.Fields(a); len(w) > 0 && connectives[w[0]] {
			out = append(out, finding{e.ID, field, fmt.Sprintf("%q starts with %q: the tail of a name that YAML split at a comma?", a, w[0])})
		}
		if i == 0 {
			continue
		}
		joined := norm(e.Aliases[i-1] + ", " + a)
		hit := false
		for _, w := range whole {
			hit = hit || w == joined
		}
		for _, q := range quotes {
			hit = hit || strings.Contains(q, joined)
		}
		if hit {
			out = append(out, finding{e.ID, field, fmt.Sprintf("%q and %q are one name (%q) split at its comma", e.Aliases[i-1], a, e.Aliases[i-1]+", "+a)})
		}
	}
	return out
}

// splitFlowAliases reads the seed files as YAML nodes and finds, in an
// aliases list written [a, b, c], an unquoted item followed by an item that
// starts with a lower-case Latin letter with no diacritic: what YAML leaves
// of "Forum session on trade and investment, high-quality agriculture" once
// it has cut it at the comma. (Vietnamese aliases that start in lower case,
// "tỉnh Tochigi", carry diacritics; an English alias starts with a capital.)
func splitFlowAliases(fsys fs.FS) ([]finding, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	var out []finding
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
		var walk func(n *yaml.Node, id string)
		walk = func(n *yaml.Node, id string) {
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == "id" {
						id = n.Content[i+1].Value
					}
				}
				for i := 0; i+1 < len(n.Content); i += 2 {
					k, v := n.Content[i], n.Content[i+1]
					if k.Value == "aliases" && v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0 {
						for j := 1; j < len(v.Content); j++ {
							prev, item := v.Content[j-1], v.Content[j]
							if prev.Style == 0 && startsWithPlainLower(item.Value) {
								out = append(out, finding{id, fmt.Sprintf("aliases[%d]", j),
									fmt.Sprintf("%s:%d: %q follows the unquoted %q: one alias that YAML split at a comma? (quote it)", name, item.Line, item.Value, prev.Value)})
							}
						}
					}
					walk(v, id)
				}
				return
			}
			for _, ch := range n.Content {
				walk(ch, id)
			}
		}
		walk(&doc, "")
	}
	return out, nil
}

func startsWithPlainLower(s string) bool {
	w, _, _ := strings.Cut(s, " ")
	if w == "" || !unicode.IsLower([]rune(w)[0]) {
		return false
	}
	for _, r := range w {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// --- quotes that name neither end ------------------------------------------------

// quoteNames finds citations of a relationship whose quote names neither of
// the entities it joins: such a quote supports some other fact.
func (c *curation) quoteNames(r *kg.Relationship) []finding {
	from, to := c.entities[r.From], c.entities[r.To]
	if from == nil || to == nil {
		return nil // the loader reports unknown ends
	}
	var out []finding
	for i, ct := range r.Citations {
		if !c.namesEntity(ct.Quote, from) && !c.namesEntity(ct.Quote, to) {
			out = append(out, finding{r.ID, fmt.Sprintf("sources[%d].quote", i),
				fmt.Sprintf("%q names neither %s (%s) nor %s (%s)", ct.Quote, r.From, from.Name, r.To, to.Name)})
		}
	}
	return out
}

// --- descriptions that no citation supports ----------------------------------------

var (
	numberPattern   = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
	sentenceEndings = regexp.MustCompile(`[.;!?]\s+`)
)

// numbers returns the numbers in s with their separators dropped, so that
// "68,000" (English) and "68.000" (Vietnamese) compare equal.
func numbers(s string) []string {
	var out []string
	for _, n := range numberPattern.FindAllString(s, -1) {
		n = strings.NewReplacer(".", "", ",", "").Replace(n)
		if v, err := strconv.Atoi(n); err == nil {
			n = strconv.Itoa(v) // "07" and "7" are one month
		}
		out = append(out, n)
	}
	return out
}

func dateNumbers(d kg.PartialDate) []string {
	if d.IsZero() {
		return nil
	}
	return numbers(strings.ReplaceAll(d.String(), "-", " "))
}

// support is what a description may rest on: the entity's names and
// quotes (its citations and figures), the quotes of its relationships and
// the names of the entities they join, the names of its country, the dates
// the records carry (which dateContradictions checks against the quotes),
// and the dates of the sources it cites (published, or inferred in a note).
type support struct {
	text    string          // folded
	numbers map[string]bool // as numbers returns them
}

func (c *curation) supportOf(e *kg.Entity) support {
	var texts []string
	nums := map[string]bool{}
	addText := func(s string) {
		texts = append(texts, kg.Fold(s))
		for _, n := range numbers(s) {
			nums[n] = true
		}
	}
	addDate := func(d kg.PartialDate) {
		for _, n := range dateNumbers(d) {
			nums[n] = true
		}
	}
	addCitation := func(ct kg.Citation) {
		addText(ct.Quote)
		if s := c.sources[ct.SourceID]; s != nil {
			// A description may date a fact by its source: the year it
			// was published, or the dates its note infers (the sidebars'
			// "November 2024").
			addDate(s.Published)
			for _, n := range numbers(s.Note) {
				nums[n] = true
			}
		}
	}
	addNames := func(e *kg.Entity) {
		for _, n := range e.Names() {
			addText(n)
		}
	}
	addNames(e)
	for _, x := range c.b.Entities {
		if x.Type == "COUNTRY" && x.Country == e.Country && e.Country != "" {
			addNames(x) // "Việt Nam's Ministry of …": the record's own country
		}
	}
	for _, ct := range e.Citations {
		addCitation(ct)
	}
	for _, f := range e.Figures {
		addCitation(f.Citation)
		addDate(f.Date)
	}
	addDate(e.Start)
	addDate(e.End)
	for _, r := range c.rels[e.ID] {
		for _, ct := range r.Citations {
			addCitation(ct)
		}
		if other := c.entities[r.Other(e.ID)]; other != nil {
			addNames(other) // the relationship, cited, is a fact about e
		}
		addDate(r.ValidFrom)
		addDate(r.ValidTo)
	}
	return support{text: strings.Join(texts, " | "), numbers: nums}
}

// descriptionSentences splits a description into its sentences (and the
// clauses between semicolons), keeping "No. 3" whole.
func descriptionSentences(d string) []string {
	var out []string
	glue := false
	for _, s := range sentenceEndings.Split(d, -1) {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case glue && len(out) > 0:
			out[len(out)-1] += ". " + s
		default:
			out = append(out, s)
		}
		glue = strings.HasSuffix(s, " No") || s == "No"
	}
	return out
}

// unsupportedDescription finds description sentences that state a number,
// or name an entity, that nothing the entity rests on (support) states:
// a description is reduced to what the citations say. It cannot read
// meaning across languages (the descriptions are English, the articles
// Vietnamese), so it checks what can be checked word for word: numbers and
// names.
func (c *curation) unsupportedDescription(e *kg.Entity) []finding {
	if e.Description == "" {
		return nil
	}
	sup := c.supportOf(e)
	var out []finding
	for _, sentence := range descriptionSentences(e.Description) {
		var missing []string
		for _, n := range numbers(sentence) {
			if !sup.numbers[n] {
				missing = append(missing, "the number "+n)
			}
		}
		folded := kg.Fold(sentence)
		seen := map[string]bool{}
		for _, ne := range c.nameIndex {
			if ne.id == e.ID || seen[ne.id] || !hasWords(folded, ne.folded) {
				continue
			}
			seen[ne.id] = true
			named := c.entities[ne.id]
			ok := false
			for _, n := range named.Names() {
				ok = ok || hasWords(sup.text, kg.Fold(n))
			}
			if !ok {
				missing = append(missing, fmt.Sprintf("%s (%s)", named.Name, ne.id))
			}
		}
		if len(missing) > 0 {
			out = append(out, finding{e.ID, "description", fmt.Sprintf("%q: no citation of the entity or of its relationships states %s", sentence, strings.Join(missing, ", "))})
		}
	}
	return out
}

// --- dates that contradict a cited source ---------------------------------------

// statedDate is a date a quote states: day and month, and the year when
// the quote gives it (0 otherwise); a bare year has day and month 0.
type statedDate struct{ day, month, year int }

var (
	dayRange = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})\s*-\s*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?:[^\d/]|$)`)
	dayMonth = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?:[^\d/]|$)`)
	bareYear = regexp.MustCompile(`(?:^|[^\d/.,])((?:19|20)\d{2})(?:[^\d/.,]|$)`)
)

// statedDates returns the dates a Vietnamese quote states: "25/11",
// "29/5/2020", "4 - 7/12/2024" (both ends), "năm 2019".
func statedDates(q string) []statedDate {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	var out []statedDate
	add := func(d, m int, y string) {
		if d >= 1 && d <= 31 && m >= 1 && m <= 12 {
			out = append(out, statedDate{d, m, atoi(y)})
		}
	}
	for _, m := range dayRange.FindAllStringSubmatch(q, -1) {
		add(atoi(m[1]), atoi(m[3]), m[4])
		add(atoi(m[2]), atoi(m[3]), m[4])
	}
	for _, m := range dayMonth.FindAllStringSubmatch(q, -1) {
		add(atoi(m[1]), atoi(m[2]), m[3])
	}
	for _, m := range bareYear.FindAllStringSubmatch(q, -1) {
		out = append(out, statedDate{year: atoi(m[1])})
	}
	return out
}

// agrees reports whether a record's date may be the stated one: they agree
// on every part both give.
func agrees(d kg.PartialDate, s statedDate) bool {
	if s.year != 0 && s.year != d.Year {
		return false
	}
	if s.month != 0 && d.Month != 0 && s.month != d.Month {
		return false
	}
	if s.day != 0 && d.Day != 0 && s.day != d.Day {
		return false
	}
	return s.year != 0 || d.Month != 0 // a day and month say nothing of a date known to the year only
}

// dateContradictions finds a date of a record that none of the dates its
// quotes state agrees with, when they state any: a typo, or a date taken
// from the wrong sentence. Dates that the quotes do not state (inferred,
// and said so in a description or a source's note) are not checked.
func dateContradictions(record string, quotes []string, dates map[string]kg.PartialDate) []finding {
	var stated []statedDate
	for _, q := range quotes {
		stated = append(stated, statedDates(q)...)
	}
	if len(stated) == 0 {
		return nil
	}
	fields := make([]string, 0, len(dates))
	for f := range dates {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var out []finding
	for _, f := range fields {
		d := dates[f]
		if d.IsZero() {
			continue
		}
		ok := false
		for _, s := range stated {
			ok = ok || agrees(d, s)
		}
		if !ok {
			out = append(out, finding{record, f, fmt.Sprintf("%s agrees with no date its quotes state (%v)", d, stated)})
		}
	}
	return out
}

func quotesOf(cs []kg.Citation) []string {
	out := make([]string, len(cs))
	for i, ct := range cs {
		out[i] = ct.Quote
	}
	return out
}

// dates runs dateContradictions on every dated record.
func (c *curation) dates() []finding {
	var out []finding
	for _, e := range c.b.Entities {
		out = append(out, dateContradictions(e.ID, quotesOf(e.Citations), map[string]kg.PartialDate{"start": e.Start, "end": e.End})...)
		for i, f := range e.Figures {
			out = append(out, dateContradictions(e.ID, []string{f.Citation.Quote}, map[string]kg.PartialDate{fmt.Sprintf("figures[%d].date", i): f.Date})...)
		}
	}
	for _, r := range c.b.Relationships {
		out = append(out, dateContradictions(r.ID, quotesOf(r.Citations), map[string]kg.PartialDate{"validFrom": r.ValidFrom, "validTo": r.ValidTo})...)
	}
	return out
}

// check runs every curation check on the batch.
func (c *curation) check() []finding {
	var out []finding
	for _, e := range c.b.Entities {
		out = append(out, c.splitAliases(e)...)
		out = append(out, c.unsupportedDescription(e)...)
	}
	for _, r := range c.b.Relationships {
		out = append(out, c.quoteNames(r)...)
	}
	return append(out, c.dates()...)
}

// TestSeedCuration runs the curation checks on the seed dataset.
func TestSeedCuration(t *testing.T) {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	found := newCuration(b).check()
	split, err := splitFlowAliases(mustSub(t, Data, "data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(found, split...) {
		t.Error(f)
	}
}

func mustSub(t *testing.T, fsys fs.FS, dir string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// TestCurationChecksCatchPlantedRecords plants one bad record of each kind
// in a small valid file and requires the check for that kind to catch it.
func TestCurationChecksCatchPlantedRecords(t *testing.T) {
	const good = `
sources:
  - {id: source:a, title: A, language: vi, type: article, published: 2021-11-26, note: "Sidebar items date from November 2024."}
entities:
  - id: locality:kanagawa
    kind: locality
    name: Kanagawa
    aliases: ["Kanagawa Prefecture", "tỉnh Kanagawa"]
    type: PREFECTURE
    country: JP
    description: "Prefecture of Japan that borders Tokyo."
    sources: [{source: source:a, quote: "Kanagawa là tỉnh thuộc vùng Kanto - vùng trung tâm của Nhật Bản, tiếp giáp Thủ đô Tokyo về phía Bắc"}]
  - id: locality:tokyo
    kind: locality
    name: Tokyo
    type: PREFECTURE
    country: JP
    sources: [{source: source:a, quote: "Thủ đô Tokyo"}]
  - id: locality:japan
    kind: locality
    name: Nhật Bản
    aliases: [Japan]
    type: COUNTRY
    country: JP
    sources: [{source: source:a, quote: "Nhật Bản"}]
  - id: event:forum
    kind: event
    name: Diễn đàn
    type: FORUM
    start: 2025-11-25
    description: "Forum held on 25 November 2025."
    sources: [{source: source:a, quote: "sáng 25/11, tại Quảng Ninh"}]
relationships:
  - type: BORDERS
    from: locality:kanagawa
    to: locality:tokyo
    sources: [{source: source:a, quote: "tiếp giáp Thủ đô Tokyo về phía Bắc"}]
`
	run := func(t *testing.T, file string) []finding {
		t.Helper()
		b, err := Parse(File{"planted.yaml", []byte(file)})
		if err != nil {
			t.Fatal(err)
		}
		found, err := splitFlowAliases(fstestFS("planted.yaml", file))
		if err != nil {
			t.Fatal(err)
		}
		return append(newCuration(b).check(), found...)
	}
	if found := run(t, good); len(found) > 0 {
		t.Fatalf("the good file has findings: %v", found)
	}
	for _, tc := range []struct {
		name, from, to string
		want           []string // substrings of one finding
	}{
		{"AliasSplitAtComma", `aliases: ["Kanagawa Prefecture", "tỉnh Kanagawa"]`,
			`aliases: [Kanagawa, a prefecture, "tỉnh Kanagawa"]` + "\n    names: {en: \"Kanagawa, a prefecture\"}",
			[]string{"locality:kanagawa", "aliases[1]", `"Kanagawa" and "a prefecture" are one name`}},
		{"AliasStartsWithConnective", `aliases: ["Kanagawa Prefecture", "tỉnh Kanagawa"]`, `aliases: ["Kanagawa Prefecture", "and Tokyo"]`,
			[]string{"locality:kanagawa", "aliases[1]", `starts with "and"`}},
		{"AliasListSplitByYAML", `aliases: ["Kanagawa Prefecture", "tỉnh Kanagawa"]`, `aliases: [Prefecture of Kanagawa, south of Tokyo]`,
			[]string{"locality:kanagawa", "aliases[1]", "planted.yaml:", `follows the unquoted "Prefecture of Kanagawa"`}},
		{"QuoteNamesNeitherEnd", `quote: "tiếp giáp Thủ đô Tokyo về phía Bắc"`, `quote: "tiếp giáp về phía Bắc"`,
			[]string{"rel:BORDERS:locality:kanagawa->locality:tokyo", "sources[0].quote", "names neither locality:kanagawa"}},
		{"DescriptionNamesWhatNoCitationSays", `description: "Prefecture of Japan that borders Tokyo."`, `description: "Prefecture of Japan. It hosted the Diễn đàn."`,
			[]string{"locality:kanagawa", "description", `"It hosted the Diễn đàn.": no citation`, "Diễn đàn (event:forum)"}},
		{"DescriptionStatesUnquotedNumber", `description: "Forum held on 25 November 2025."`, `description: "Forum of 800 delegates, held on 25 November 2025."`,
			[]string{"event:forum", "description", "the number 800"}},
		{"DateContradictsQuote", "start: 2025-11-25", "start: 2025-11-26",
			[]string{"event:forum", "start", "2025-11-26 agrees with no date its quotes state"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			if bad == good {
				t.Fatalf("replacement %q not found", tc.from)
			}
			for _, f := range run(t, bad) {
				line, all := f.String(), true
				for _, w := range tc.want {
					all = all && strings.Contains(line, w)
				}
				if all {
					return
				}
			}
			t.Errorf("no finding contains all of %q; got %v", tc.want, run(t, bad))
		})
	}
}

func fstestFS(name, data string) fs.FS {
	return fstest.MapFS{name: &fstest.MapFile{Data: []byte(data)}}
}
