// Package seed holds the seed dataset (data/*.yaml, drawn from the two news
// articles and the public facts they presuppose) and the loader that turns
// seed-format files into a validated kg.Batch.
package seed

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
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
	return ParseFS(sub)
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
	// Known, if set, is asked once about the entity and source ids the files
	// refer to but do not define, and returns those that exist (in the store
	// the files will be imported into). Without it such references are
	// problems.
	Known func(entityIDs, sourceIDs []string) (entities, sources map[string]bool, err error)
}

// ParseWith is Parse with options.
func ParseWith(o Options, files ...File) (*kg.Batch, error) {
	p := &parser{
		known:    o.Known,
		batch:    &kg.Batch{},
		entities: map[string]place{},
		sources:  map[string]place{},
		rels:     map[string]place{},
	}
	for _, f := range files {
		p.file(f)
	}
	if err := p.checkReferences(); err != nil {
		return nil, err
	}
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return p.batch, nil
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
	_, n, err := s.FindEntities(ctx, kg.EntityFilter{Limit: 1})
	if err != nil || n > 0 {
		return false, err
	}
	b, err := Dataset()
	if err != nil {
		return false, err
	}
	return true, Load(ctx, s, b)
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

type parser struct {
	known    func(entityIDs, sourceIDs []string) (map[string]bool, map[string]bool, error)
	batch    *kg.Batch
	problems Problems
	entities map[string]place
	sources  map[string]place
	rels     map[string]place
	refs     []reference
}

func (p *parser) fail(file string, line int, record, field, format string, args ...any) {
	p.problems = append(p.problems, Problem{file, line, record, field, fmt.Sprintf(format, args...)})
}

func (p *parser) file(f File) {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".csv":
		p.csvFile(f)
		return
	case ".yaml", ".yml":
	default:
		p.fail(f.Name, 0, "", "", "unknown file type: want .yaml or .yml (seed format) or .csv (nodes, edges or sources)")
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Data, &doc); err != nil {
		p.fail(f.Name, 0, "", "", "not valid YAML: %v", err)
		return
	}
	if len(doc.Content) == 0 {
		return // an empty file holds no records
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		p.fail(f.Name, top.Line, "", "", "the top level must be a mapping with sources, entities and relationships")
		return
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, list := top.Content[i], top.Content[i+1]
		var each func(string, *yaml.Node, int)
		switch key.Value {
		case "sources":
			each = p.source
		case "entities":
			each = p.entity
		case "relationships":
			each = p.relationship
		default:
			p.fail(f.Name, key.Line, "", key.Value, "unknown section (want sources, entities or relationships)")
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

func label(kind string, id string, n int) string {
	switch {
	case id != "":
		return fmt.Sprintf("%s %q", kind, id)
	case n == 0:
		return kind + " without an id"
	}
	return fmt.Sprintf("%s #%d", kind, n)
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

func (p *parser) duplicate(seen map[string]place, file string, line int, record, id string) bool {
	if prev, dup := seen[id]; dup {
		p.fail(file, line, record, "id", "duplicate id %q (first defined at %s:%d)", id, prev.file, prev.line)
		return true
	}
	seen[id] = place{file, line}
	return false
}

func (p *parser) citations(file string, line int, record, field string, cs []citationRecord) []kg.Citation {
	out := make([]kg.Citation, len(cs))
	for i, c := range cs {
		out[i] = kg.Citation{SourceID: c.Source, Quote: strings.TrimSpace(c.Quote)}
		p.refs = append(p.refs, reference{place{file, line}, record, fmt.Sprintf("%s[%d].source", field, i), c.Source, true})
	}
	return out
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
	p.problemsOf(file, line, rec, s.Validate())
	if !p.duplicate(p.sources, file, line, rec, s.ID) {
		p.batch.Sources = append(p.batch.Sources, s)
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
		p.refs = append(p.refs, reference{place{file, node.Line}, rec, field + ".source", f.Source, true})
	}
	p.addEntity(file, node.Line, rec, e)
}

func (p *parser) addEntity(file string, line int, rec string, e *kg.Entity) {
	p.problemsOf(file, line, rec, e.Validate())
	if !p.duplicate(p.entities, file, line, rec, e.ID) {
		p.batch.Entities = append(p.batch.Entities, e)
	}
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
	p.problemsOf(file, line, rec, rel.Validate())
	p.refs = append(p.refs,
		reference{place{file, line}, rec, "from", rel.From, false},
		reference{place{file, line}, rec, "to", rel.To, false})
	if !p.duplicate(p.rels, file, line, rec, rel.ID) {
		p.batch.Relationships = append(p.batch.Relationships, rel)
	}
}

func (p *parser) checkReferences() error {
	knownEntities, knownSources := map[string]bool{}, map[string]bool{}
	if p.known != nil {
		ents, srcs := map[string]bool{}, map[string]bool{}
		for _, r := range p.refs {
			switch {
			case r.id == "":
			case r.source && p.sources[r.id] == (place{}):
				srcs[r.id] = true
			case !r.source && p.entities[r.id] == (place{}):
				ents[r.id] = true
			}
		}
		if len(ents)+len(srcs) > 0 {
			var err error
			knownEntities, knownSources, err = p.known(sortedSet(ents), sortedSet(srcs))
			if err != nil {
				return err
			}
		}
	}
	for _, r := range p.refs {
		if r.id == "" {
			continue // already reported as a required field
		}
		known, elsewhere, what := p.entities, knownEntities, "entity"
		if r.source {
			known, elsewhere, what = p.sources, knownSources, "source"
		}
		if _, ok := known[r.id]; !ok && !elsewhere[r.id] {
			p.fail(r.file, r.line, r.record, r.field, "unknown %s %q", what, r.id)
		}
	}
	sort.SliceStable(p.problems, func(i, j int) bool {
		a, b := p.problems[i], p.problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return nil
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
