// Package seed holds the seed dataset (data/*.yaml, drawn from the two news
// articles and the public facts they presuppose) and the loader that turns
// seed-format files into a validated kg.Batch.
package seed

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/vjkg/vjkg/kg"
	yaml "go.yaml.in/yaml/v3"
)

// Data is the seed dataset compiled into the binary, so that a server seeds
// itself with nothing else on disk.
//
//go:embed data/*.yaml
var Data embed.FS

// Dataset parses the embedded seed dataset.
func Dataset() (*kg.Batch, error) {
	sub, err := fs.Sub(Data, "data")
	if err != nil {
		return nil, err
	}
	b, err := ParseFS(sub)
	if err != nil {
		return nil, err
	}
	for _, src := range b.Sources {
		if text, ok := ArticleText(src.ID); ok {
			src.Text = text // so that the API can show where each quote is
		}
	}
	return b, nil
}

// Problem is one thing wrong with a seed file: where it is, which record,
// which field, and why.
type Problem struct {
	File   string
	Line   int
	Record string // the record's id, or "#n" for the n-th record of its list
	Field  string
	Reason string
}

func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", p.File, p.Line)
	if p.Record != "" {
		fmt.Fprintf(&b, ": %s", p.Record)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ": field %s", p.Field)
	}
	fmt.Fprintf(&b, ": %s", p.Reason)
	return b.String()
}

// Problems is the error Parse returns: every problem found, not only the first.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the seed files:\n  %s", len(ps), strings.Join(lines, "\n  "))
}

// File is one seed file's name and content.
type File struct {
	Name string
	Data []byte
}

// Input returns f as an Input.
func (f File) Input() Input {
	return Input{Name: f.Name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.Data)), nil }}
}

// Input is one file to read. The loader may open it more than once (once
// to check it, once per kind of record to write it), and reads it as a
// stream: a CSV file's records are never all in memory.
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// PathInput reads the file at path.
func PathInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// ParseFS parses every *.yaml file at the top of fsys, in name order.
func ParseFS(fsys fs.FS) (*kg.Batch, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var files []File
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: n, Data: data})
	}
	return Parse(files...)
}

// Parse parses and validates seed files together, so that a record may refer
// to one in another file. It returns Problems listing every problem: syntax,
// unknown fields, invalid values, duplicate ids, unknown references.
func Parse(files ...File) (*kg.Batch, error) {
	return ParseWith(Options{}, files...)
}

// Options change how files are checked.
type Options struct {
	// Known, if set, is asked about the entity and source ids the files
	// refer to but do not define (a few thousand at a time), and returns
	// those that exist (in the store the files will be imported into).
	// Without it such references are problems.
	Known func(entityIDs, sourceIDs []string) (entities, sources map[string]bool, err error)
	// MaxProblems is how many problems Check reports at most (1000 when
	// zero), so that a file wrong on every line cannot fill the memory.
	MaxProblems int
}

// ParseWith is Parse with options: it checks the files, then reads their
// records into one batch.
func ParseWith(o Options, files ...File) (*kg.Batch, error) {
	inputs := make([]Input, len(files))
	for i, f := range files {
		inputs[i] = f.Input()
	}
	if _, err := Check(context.Background(), o, inputs...); err != nil {
		return nil, err
	}
	b := &kg.Batch{}
	err := Each(context.Background(), inputs, func(r Record) error {
		switch {
		case r.Source != nil:
			b.Sources = append(b.Sources, r.Source)
		case r.Entity != nil:
			b.Entities = append(b.Entities, r.Entity)
		case r.Relationship != nil:
			b.Relationships = append(b.Relationships, r.Relationship)
		}
		return nil
	})
	return b, err
}

// Counts are how many records of each kind the files hold.
type Counts struct {
	Sources, Entities, Relationships int
}

// Total is the number of records.
func (c Counts) Total() int { return c.Sources + c.Entities + c.Relationships }

// Check reads the inputs and validates every record and every reference,
// keeping in memory only the ids the files define (and no record), so that
// files of millions of records can be checked. It reads sources first, then
// entities, then relationships, whatever the order of the files, so that a
// reference always points back. It returns the counts, and Problems when
// the input is invalid.
func Check(ctx context.Context, o Options, inputs ...Input) (Counts, error) {
	p := newParser(o)
	p.ctx = ctx
	p.checking = true
	for _, kind := range []recordKind{sourceRecords, entityRecords, relationshipRecords} {
		p.kind = kind
		for _, in := range inputs {
			if err := p.input(in); err != nil {
				return p.counts, err
			}
			if p.emitErr != nil { // the store could not be asked
				return p.counts, p.emitErr
			}
		}
		if err := p.resolve(); err != nil {
			return p.counts, err
		}
	}
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool {
			a, b := p.problems[i], p.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		if p.dropped > 0 {
			p.problems = append(p.problems, Problem{Reason: fmt.Sprintf("and %d more problem(s) not listed", p.dropped)})
		}
		return p.counts, p.problems
	}
	return p.counts, nil
}

// Record is one record of a file: one of its fields is set.
type Record struct {
	Source       *kg.Source
	Entity       *kg.Entity
	Relationship *kg.Relationship
}

// Each reads the inputs and calls emit with every record: all sources, then
// all entities, then all relationships, each in file order. It checks
// nothing beyond the syntax: call Check first.
func Each(ctx context.Context, inputs []Input, emit func(Record) error) error {
	p := newParser(Options{})
	p.ctx = ctx
	p.emit = emit
	for _, kind := range []recordKind{sourceRecords, entityRecords, relationshipRecords} {
		p.kind = kind
		for _, in := range inputs {
			if err := p.input(in); err != nil {
				return err
			}
			if p.emitErr != nil {
				return p.emitErr
			}
		}
	}
	if len(p.problems) > 0 {
		return p.problems
	}
	return nil
}

// Load writes the batch to the store in one transaction. Loading the same
// batch again changes nothing, since every record is upserted by its id.
func Load(ctx context.Context, s kg.Store, b *kg.Batch) error {
	upsert := *b
	upsert.Mode = kg.Upsert
	return s.Apply(ctx, &upsert)
}

// SeedIfEmpty loads the embedded dataset into s if s holds no entity, and
// reports whether it did.
func SeedIfEmpty(ctx context.Context, s kg.Store) (bool, error) {
	_, n, err := s.FindEntities(ctx, kg.EntityFilter{CountOnly: true})
	if err != nil || n > 0 {
		return false, err
	}
	b, err := Dataset()
	if err != nil {
		return false, err
	}
	return true, Load(kg.WithNote(ctx, kg.Note{Actor: "seed", Message: "the seed dataset"}), s, b)
}

type place struct {
	file string
	line int
}

type reference struct {
	place
	record, field, id string
	source            bool // a source id rather than an entity id
}

// recordKind is the kind of record one pass over the files handles.
type recordKind int

const (
	sourceRecords recordKind = iota
	entityRecords
	relationshipRecords
)

// parser reads files one kind of record at a time. Checking, it validates
// each record and resolves each reference as it goes: against the ids the
// files define (kept as 64-bit hashes with the place they were defined),
// then, a few thousand at a time, against the store. Emitting, it hands
// each record on.
type parser struct {
	ctx      context.Context // a cancelled context stops the reading
	kind     recordKind
	checking bool
	emit     func(Record) error
	emitErr  error

	known       func(entityIDs, sourceIDs []string) (map[string]bool, map[string]bool, error)
	maxProblems int
	problems    Problems
	dropped     int
	counts      Counts

	seed     maphash.Seed
	files    []string
	entities map[uint64]filePlace
	sources  map[uint64]filePlace
	rels     map[uint64]filePlace
	// pending references wait to be asked of the store; inStore remembers
	// the answers.
	pending             []reference
	inStore, inStoreSrc map[string]bool
}

// filePlace is a place with the file as an index into parser.files.
type filePlace struct {
	file, line int32
}

func newParser(o Options) *parser {
	max := o.MaxProblems
	if max <= 0 {
		max = 1000
	}
	return &parser{known: o.Known, maxProblems: max, seed: maphash.MakeSeed(),
		entities: map[uint64]filePlace{}, sources: map[uint64]filePlace{}, rels: map[uint64]filePlace{},
		inStore: map[string]bool{}, inStoreSrc: map[string]bool{}}
}

func (p *parser) fail(file string, line int, record, field, format string, args ...any) {
	if len(p.problems) >= p.maxProblems {
		p.dropped++
		return
	}
	p.problems = append(p.problems, Problem{file, line, record, field, fmt.Sprintf(format, args...)})
}

// input reads one file for the current pass.
func (p *parser) input(in Input) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	rc, err := in.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	defer rc.Close()
	p.file(in.Name, rc)
	return nil
}

func (p *parser) fileIndex(name string) int32 {
	if n := len(p.files); n > 0 && p.files[n-1] == name {
		return int32(n - 1)
	}
	p.files = append(p.files, name)
	return int32(len(p.files) - 1)
}

func (p *parser) placeOf(fp filePlace) place { return place{p.files[fp.file], int(fp.line)} }

func (p *parser) file(name string, r io.Reader) {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		p.csvFile(name, r)
		return
	case ".yaml", ".yml":
	default:
		if p.kind == sourceRecords { // say it once, not in every pass
			p.fail(name, 0, "", "", "unknown file type: want .yaml or .yml (seed format) or .csv (nodes, edges or sources)")
		}
		return
	}
	data, err := io.ReadAll(r)
	if err != nil {
		p.fail(name, 0, "", "", "%v", err)
		return
	}
	f := File{Name: name, Data: data}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Data, &doc); err != nil {
		if p.kind == sourceRecords {
			p.fail(f.Name, 0, "", "", "not valid YAML: %v", err)
		}
		return
	}
	if len(doc.Content) == 0 {
		return // an empty file holds no records
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		if p.kind == sourceRecords {
			p.fail(f.Name, top.Line, "", "", "the top level must be a mapping with sources, entities and relationships")
		}
		return
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, list := top.Content[i], top.Content[i+1]
		var each func(string, *yaml.Node, int)
		var kind recordKind
		switch key.Value {
		case "sources":
			each, kind = p.source, sourceRecords
		case "entities":
			each, kind = p.entity, entityRecords
		case "relationships":
			each, kind = p.relationship, relationshipRecords
		default:
			if p.kind == sourceRecords {
				p.fail(f.Name, key.Line, "", key.Value, "unknown section (want sources, entities or relationships)")
			}
			continue
		}
		if kind != p.kind {
			continue
		}
		if list.Kind != yaml.SequenceNode {
			if list.Tag != "!!null" {
				p.fail(f.Name, list.Line, "", key.Value, "must be a list")
			}
			continue
		}
		for n, item := range list.Content {
			each(f.Name, item, n+1)
		}
	}
}

// decode checks node's keys against out's struct (recursively) and decodes
// it. Unknown keys are reported but do not stop the record, so that one typo
// does not cascade into "unknown entity" problems elsewhere; it returns false
// only when the record cannot be decoded at all.
func (p *parser) decode(file string, node *yaml.Node, record string, out any) bool {
	if node.Kind != yaml.MappingNode {
		p.fail(file, node.Line, record, "", "must be a mapping of fields")
		return false
	}
	p.checkKeys(file, node, record, "", reflect.TypeOf(out).Elem())
	if err := node.Decode(out); err != nil {
		p.fail(file, node.Line, record, "", "%v", strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  "))
		return false
	}
	return true
}

// nodeLabel names a record in problems before it is decoded: by its id when
// it has one (a relationship's derived id otherwise), or by its position.
func nodeLabel(kind string, node *yaml.Node, n int) string {
	fields := map[string]string{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		if v := node.Content[i+1]; v.Kind == yaml.ScalarNode {
			fields[node.Content[i].Value] = v.Value
		}
	}
	id := fields["id"]
	if id == "" && kind == "relationship" && fields["type"] != "" && fields["from"] != "" && fields["to"] != "" {
		id = kg.RelationshipID(kg.RelType(strings.ToUpper(fields["type"])), fields["from"], fields["to"], fields["key"])
	}
	return label(kind, id, n)
}

func (p *parser) checkKeys(file string, node *yaml.Node, record, prefix string, t reflect.Type) {
	allowed := map[string]reflect.Type{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		allowed[tag] = t.Field(i).Type
		names = append(names, tag)
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		ft, known := allowed[k.Value]
		if !known {
			p.fail(file, k.Line, record, prefix+k.Value, "unknown field (want one of %s)", strings.Join(names, ", "))
			continue
		}
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && v.Kind == yaml.SequenceNode {
			for j, item := range v.Content {
				if item.Kind == yaml.MappingNode {
					p.checkKeys(file, item, record, fmt.Sprintf("%s%s[%d].", prefix, k.Value, j), ft.Elem())
				}
			}
		}
	}
}

// label names a record in problems. It runs for every record, problem or
// not, so it avoids fmt.
func label(kind string, id string, n int) string {
	switch {
	case id != "":
		if printableASCII(id) {
			return kind + ` "` + id + `"` // strconv.Quote's result, in one allocation
		}
		return kind + " " + strconv.Quote(id)
	case n == 0:
		return kind + " without an id"
	}
	return kind + " #" + strconv.Itoa(n)
}

// printableASCII reports whether strconv.Quote(s) is s in quotes. Every
// record's label is made as it is read, and almost none is ever shown:
// quoting ids through strconv was a tenth of an import's parsing, profiled
// at 1 M entities.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (p *parser) date(file string, line int, record, field, s string) kg.PartialDate {
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		p.fail(file, line, record, field, "%v", err)
	}
	return d
}

func (p *parser) problemsOf(file string, line int, record string, fes []kg.FieldError) {
	for _, fe := range fes {
		p.fail(file, line, record, fe.Field, "%s", fe.Reason)
	}
}

// duplicate records id as defined at file:line, and reports whether it
// was defined before.
func (p *parser) duplicate(seen map[uint64]filePlace, file string, line int, record, id string) bool {
	h := maphash.String(p.seed, id)
	if prev, dup := seen[h]; dup {
		p.fail(file, line, record, "id", "duplicate id %q (first defined at %s:%d)", id, p.files[prev.file], prev.line)
		return true
	}
	seen[h] = filePlace{p.fileIndex(file), int32(line)}
	return false
}

func (p *parser) citations(file string, line int, record, field string, cs []citationRecord) []kg.Citation {
	out := make([]kg.Citation, len(cs))
	for i, c := range cs {
		out[i] = kg.Citation{SourceID: c.Source, Quote: strings.TrimSpace(c.Quote)}
		at := field + "[" + strconv.Itoa(i) + "]"
		p.ref(reference{place{file, line}, record, at + ".source", c.Source, true})
		if text, ok := ArticleText(c.Source); ok && p.checking && !strings.Contains(text, out[i].Quote) {
			// A quote is anchored in its article by where it occurs: one
			// that is not there word for word has nothing to anchor.
			p.fail(file, line, record, at+".quote", "the quote is not in the text of %s, word for word", c.Source)
		}
	}
	return out
}

// ref checks a reference: at once if the files define its id (they have
// been read up to the kind it names), else with the store, later, in a
// batch.
func (p *parser) ref(r reference) {
	if !p.checking || r.id == "" { // a missing id is reported as a required field
		return
	}
	defined, asked := p.entities, p.inStore
	if r.source {
		defined, asked = p.sources, p.inStoreSrc
	}
	if _, ok := defined[maphash.String(p.seed, r.id)]; ok || asked[r.id] {
		return
	}
	p.pending = append(p.pending, r)
	if len(p.pending) >= 5000 {
		p.emitErr = p.resolve()
	}
}

// resolve asks the store about the pending references, and reports those
// that neither the files nor the store define.
func (p *parser) resolve() error {
	if len(p.pending) == 0 {
		return nil
	}
	if p.known != nil {
		ents, srcs := map[string]bool{}, map[string]bool{}
		for _, r := range p.pending {
			if r.source {
				if _, asked := p.inStoreSrc[r.id]; !asked {
					srcs[r.id] = true
				}
			} else if _, asked := p.inStore[r.id]; !asked {
				ents[r.id] = true
			}
		}
		if len(ents)+len(srcs) > 0 {
			knownEntities, knownSources, err := p.known(sortedSet(ents), sortedSet(srcs))
			if err != nil {
				return err
			}
			for id := range ents {
				p.inStore[id] = knownEntities[id]
			}
			for id := range srcs {
				p.inStoreSrc[id] = knownSources[id]
			}
		}
	}
	for _, r := range p.pending {
		what, ok := "entity", p.inStore[r.id]
		if r.source {
			what, ok = "source", p.inStoreSrc[r.id]
		}
		if !ok {
			p.fail(r.file, r.line, r.record, r.field, "unknown %s %q", what, r.id)
		}
	}
	p.pending = p.pending[:0]
	return nil
}

func (p *parser) source(file string, node *yaml.Node, n int) {
	var r sourceRecord
	if !p.decode(file, node, nodeLabel("source", node, n), &r) {
		return
	}
	rec := label("source", r.ID, n)
	s := &kg.Source{
		ID: r.ID, Title: r.Title, Publisher: r.Publisher, Author: r.Author, URL: r.URL,
		Language: r.Language, Type: strings.ToUpper(r.Type), Note: strings.TrimSpace(r.Note),
		Published: p.date(file, node.Line, rec, "published", r.Published),
	}
	p.addSource(file, node.Line, rec, s)
}

func (p *parser) addSource(file string, line int, rec string, s *kg.Source) {
	if !p.checking {
		p.hand(Record{Source: s})
		return
	}
	p.problemsOf(file, line, rec, s.Validate())
	p.duplicate(p.sources, file, line, rec, s.ID)
	p.counts.Sources++
}

// hand passes a record on, unless an earlier one failed to go.
func (p *parser) hand(r Record) {
	if p.emitErr == nil {
		p.emitErr = p.emit(r)
	}
}

func (p *parser) entity(file string, node *yaml.Node, n int) {
	var r entityRecord
	if !p.decode(file, node, nodeLabel("entity", node, n), &r) {
		return
	}
	rec := label("entity", r.ID, n)
	e := &kg.Entity{
		ID: r.ID, Kind: kg.Kind(strings.ToUpper(r.Kind)), Name: r.Name, Aliases: r.Aliases,
		Description: strings.TrimSpace(r.Description), Type: strings.ToUpper(r.Type),
		Country: r.Country, ISOCode: r.ISO, Topics: r.Topics,
		Start:     p.date(file, node.Line, rec, "start", r.Start),
		End:       p.date(file, node.Line, rec, "end", r.End),
		Citations: p.citations(file, node.Line, rec, "sources", r.Sources),
	}
	langs := make([]string, 0, len(r.Names))
	for lang := range r.Names {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		e.LocalNames = append(e.LocalNames, kg.LocalName{Lang: lang, Value: r.Names[lang]})
	}
	for i, f := range r.Figures {
		field := fmt.Sprintf("figures[%d]", i)
		e.Figures = append(e.Figures, kg.Figure{
			Label: f.Label, Value: f.Value, Unit: f.Unit, Qualifier: f.Qualifier,
			Date:     p.date(file, node.Line, rec, field+".date", f.Date),
			Citation: kg.Citation{SourceID: f.Source, Quote: strings.TrimSpace(f.Quote)},
		})
		p.ref(reference{place{file, node.Line}, rec, field + ".source", f.Source, true})
	}
	p.addEntity(file, node.Line, rec, e)
}

func (p *parser) addEntity(file string, line int, rec string, e *kg.Entity) {
	if !p.checking {
		p.hand(Record{Entity: e})
		return
	}
	p.problemsOf(file, line, rec, e.Validate())
	p.duplicate(p.entities, file, line, rec, e.ID)
	p.counts.Entities++
}

func (p *parser) relationship(file string, node *yaml.Node, n int) {
	var r relationshipRecord
	if !p.decode(file, node, nodeLabel("relationship", node, n), &r) {
		return
	}
	t := kg.RelType(strings.ToUpper(r.Type))
	id := r.ID
	if id == "" {
		id = kg.RelationshipID(t, r.From, r.To, r.Key)
	}
	rec := label("relationship", id, n)
	rel := &kg.Relationship{
		ID: id, Type: t, From: r.From, To: r.To, Role: r.Role, Properties: r.Properties,
		ValidFrom: p.date(file, node.Line, rec, "validFrom", r.ValidFrom),
		ValidTo:   p.date(file, node.Line, rec, "validTo", r.ValidTo),
		Citations: p.citations(file, node.Line, rec, "sources", r.Sources),
	}
	p.addRelationship(file, node.Line, rec, rel)
}

func (p *parser) addRelationship(file string, line int, rec string, rel *kg.Relationship) {
	rel.FromKind, _ = kg.KindOfID(rel.From)
	rel.ToKind, _ = kg.KindOfID(rel.To)
	if !p.checking {
		p.hand(Record{Relationship: rel})
		return
	}
	p.problemsOf(file, line, rec, rel.Validate())
	p.ref(reference{place{file, line}, rec, "from", rel.From, false})
	p.ref(reference{place{file, line}, rec, "to", rel.To, false})
	p.duplicate(p.rels, file, line, rec, rel.ID)
	p.counts.Relationships++
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
