package seed

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vjkg/vjkg/internal/csvsafe"
	"github.com/vjkg/vjkg/kg"
)

// CSV files hold nodes, edges or sources, told apart by their header (the
// columns the exporter writes, see package export):
//
//	nodes:   Id, Label, kind, type, country, iso_code, aliases, name_ja, name_en, description, start, end, topics, figures, citations
//	edges:   Id, Source, Target, Type, Label, relation, role, valid_from, valid_to, properties, key, citations
//	sources: id, title, publisher, author, url, language, published, type, note
//
// Lists (aliases, topics) are JSON arrays or ";"-separated; figures,
// properties and citations are JSON. Instead of citations, a row may give one
// citation in the columns source and quote. Columns may come in any order;
// names are case-insensitive; extra columns (such as source_titles from an
// export) are ignored only if listed in ignoredColumns.
var (
	nodeColumns   = []string{"id", "label", "name", "kind", "type", "country", "iso_code", "aliases", "name_ja", "name_en", "description", "start", "end", "topics", "figures", "citations", "source", "quote"}
	edgeColumns   = []string{"id", "source", "target", "type", "label", "relation", "role", "valid_from", "valid_to", "properties", "key", "citations", "citation_source", "quote"}
	sourceColumns = []string{"id", "title", "publisher", "author", "url", "language", "published", "type", "note"}
	// ignoredColumns are written by the exporter for people, not read back:
	// the sources' titles, and an export's time status on its asOf day
	// (export.TimeStatusAttr), which the dates it is worked out from carry.
	ignoredColumns = []string{"source_titles", "time_status"}
)

// csvRow gives access to one row's cells by column name.
type csvRow struct {
	index map[string]int
	cells []string
}

func (r csvRow) get(col string) string {
	if i, ok := r.index[col]; ok {
		return strings.TrimSpace(r.cells[i])
	}
	return ""
}

// csvFile reads a CSV file in the pass for the kind of record its header
// says it holds, a row at a time; other passes read only the header.
func (p *parser) csvFile(name string, r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<16)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if p.kind == sourceRecords {
			p.fail(name, 1, "", "", "not a CSV file with a header row: %v", err)
		}
		return
	}
	cols := make([]string, len(header))
	index := map[string]int{}
	for i, h := range header {
		cols[i] = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[cols[i]]; !dup {
			index[cols[i]] = i
		}
	}
	var allowed []string
	var each func(file string, line int, r csvRow)
	var kind recordKind
	switch {
	case hasKey(index, "source") && hasKey(index, "target"):
		allowed, each, kind = edgeColumns, p.csvEdge, relationshipRecords
	case hasKey(index, "kind") && hasKey(index, "id"):
		allowed, each, kind = nodeColumns, p.csvNode, entityRecords
	case hasKey(index, "title") && hasKey(index, "id"):
		allowed, each, kind = sourceColumns, p.csvSource, sourceRecords
	default:
		if p.kind == sourceRecords {
			p.fail(name, 1, "", "", "unrecognised header: a nodes file has Id, Label and kind; an edges file Source, Target and relation; a sources file id and title")
		}
		return
	}
	if kind != p.kind {
		return
	}
	if p.checking {
		for _, c := range cols {
			if !contains(allowed, c) && !contains(ignoredColumns, c) {
				p.fail(name, 1, "", c, "unknown column (want %s)", strings.Join(allowed, ", "))
			}
		}
	}
	for p.emitErr == nil {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			// FieldPos is only defined after a successful Read.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			p.fail(name, line, "", "", "%v", err)
			return
		}
		line, _ := cr.FieldPos(0)
		if line%4096 == 0 && p.ctx.Err() != nil {
			p.emitErr = p.ctx.Err()
			return
		}
		for i, cell := range rec {
			rec[i] = csvsafe.Unneutralize(cell) // an export of ours guards cells that look like formulas
		}
		if len(rec) != len(cols) {
			p.fail(name, line, "", "", "%d cells, but the header has %d columns", len(rec), len(cols))
			continue
		}
		each(name, line, csvRow{index: index, cells: rec})
	}
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// stringList reads a JSON array of strings or a ";"-separated list.
func stringList(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "[") {
		var out []string
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("not a JSON array of strings: %v", err)
		}
		if len(out) == 0 {
			return nil, nil // as if the column were empty
		}
		return out, nil
	}
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out, nil
}

// csvCitations reads the citations column (JSON), and one more citation
// from the quote column and sourceColumn (source in a nodes file; in an
// edges file, where source is the start, citation_source). A quote without
// its source is a problem, not a dropped fact.
func (p *parser) csvCitations(file string, line int, rec string, r csvRow, sourceColumn string) []kg.Citation {
	var cs []citationRecord
	if js := r.get("citations"); js != "" {
		var err error
		if cs, err = parseCitations(js); err != nil {
			p.fail(file, line, rec, "citations", "not a JSON array of {source, quote}: %v", err)
			return nil
		}
	}
	if src := r.get(sourceColumn); src != "" {
		cs = append(cs, citationRecord{Source: src, Quote: r.get("quote")})
	} else if r.get("quote") != "" {
		p.fail(file, line, rec, "quote", "a quote needs its source, in the %s column", sourceColumn)
	}
	return p.citations(file, line, rec, "citations", cs)
}

func (p *parser) csvNode(file string, line int, r csvRow) {
	name := r.get("label")
	if name == "" {
		name = r.get("name")
	}
	rec := label("entity", r.get("id"), 0)
	e := &kg.Entity{
		ID: r.get("id"), Kind: kg.Kind(strings.ToUpper(r.get("kind"))), Name: name, Type: strings.ToUpper(r.get("type")),
		Country: r.get("country"), ISOCode: r.get("iso_code"), Description: r.get("description"),
		Start: p.date(file, line, rec, "start", r.get("start")), End: p.date(file, line, rec, "end", r.get("end")),
	}
	var err error
	if e.Aliases, err = stringList(r.get("aliases")); err != nil {
		p.fail(file, line, rec, "aliases", "%v", err)
	}
	if e.Topics, err = stringList(r.get("topics")); err != nil {
		p.fail(file, line, rec, "topics", "%v", err)
	}
	for _, lang := range []string{"ja", "en"} {
		if v := r.get("name_" + lang); v != "" {
			e.LocalNames = append(e.LocalNames, kg.LocalName{Lang: lang, Value: v})
		}
	}
	if js := r.get("figures"); js != "" && js != "[]" {
		var figs []figureRecord
		if err := json.Unmarshal([]byte(js), &figs); err != nil {
			p.fail(file, line, rec, "figures", "not a JSON array of figures: %v", err)
		}
		for i, f := range figs {
			field := fmt.Sprintf("figures[%d]", i)
			e.Figures = append(e.Figures, kg.Figure{Label: f.Label, Value: f.Value, Unit: f.Unit, Qualifier: f.Qualifier,
				Date: p.date(file, line, rec, field+".date", f.Date), Citation: kg.Citation{SourceID: f.Source, Quote: f.Quote}})
			p.ref(reference{place{file, line}, rec, field + ".source", f.Source, true})
		}
	}
	e.Citations = p.csvCitations(file, line, rec, r, "source")
	p.addEntity(file, line, rec, e)
}

func (p *parser) csvEdge(file string, line int, r csvRow) {
	t := kg.RelType(strings.ToUpper(r.get("relation")))
	if t == "" {
		t = kg.RelType(strings.ToUpper(r.get("label")))
	}
	if d := strings.ToLower(r.get("type")); d != "" && d != "directed" {
		p.fail(file, line, label("relationship", r.get("id"), 0), "type", "%q: relationships are directed (Type is Directed)", r.get("type"))
	}
	id := r.get("id")
	if id == "" {
		id = kg.RelationshipID(t, r.get("source"), r.get("target"), r.get("key"))
	}
	rec := label("relationship", id, 0)
	rel := &kg.Relationship{
		ID: id, Type: t, From: r.get("source"), To: r.get("target"), Role: r.get("role"),
		ValidFrom: p.date(file, line, rec, "valid_from", r.get("valid_from")),
		ValidTo:   p.date(file, line, rec, "valid_to", r.get("valid_to")),
	}
	if js := r.get("properties"); js != "" && js != "{}" {
		if err := json.Unmarshal([]byte(js), &rel.Properties); err != nil {
			p.fail(file, line, rec, "properties", "not a JSON object of strings: %v", err)
		}
	}
	// In an edges file, "source" is the edge's start; a single citation's
	// source goes in the citations column, or in citation_source.
	rel.Citations = p.csvCitations(file, line, rec, r, "citation_source")
	p.addRelationship(file, line, rec, rel)
}

func (p *parser) csvSource(file string, line int, r csvRow) {
	rec := label("source", r.get("id"), 0)
	s := &kg.Source{
		ID: r.get("id"), Title: r.get("title"), Publisher: r.get("publisher"), Author: r.get("author"), URL: r.get("url"),
		Language: r.get("language"), Type: strings.ToUpper(r.get("type")), Note: r.get("note"),
		Published: p.date(file, line, rec, "published", r.get("published")),
	}
	p.addSource(file, line, rec, s)
}
