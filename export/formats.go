package export

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"

	"github.com/vjkg/vjkg/internal/csvsafe"
	"github.com/vjkg/vjkg/kg"
)

// Every writer streams: it writes the entities and then the relationships
// as records hands them over, a page at a time, so that an export of the
// whole graph holds one page in memory, not the graph.

// Formats lists the formats Write knows, with their content types and file
// extensions.
var Formats = map[string]struct{ ContentType, Ext string }{
	"graphml":   {"application/graphml+xml; charset=utf-8", "graphml"},
	"gexf":      {"application/gexf+xml; charset=utf-8", "gexf"},
	"cytoscape": {"application/json; charset=utf-8", "cyjs"},
	"csv":       {"application/zip", "zip"},
	"nodes.csv": {"text/csv; charset=utf-8", "nodes.csv"},
	"edges.csv": {"text/csv; charset=utf-8", "edges.csv"},
}

// FormatNames lists the format names in a stable order, for messages.
func FormatNames() []string {
	return []string{"graphml", "gexf", "cytoscape", "csv", "nodes.csv", "edges.csv"}
}

// WriteOptions change how an export is written.
type WriteOptions struct {
	// Raw writes CSV cells as they are, formulas included (see Neutralize):
	// for files meant to be imported again rather than opened in a
	// spreadsheet.
	Raw bool
}

// Write writes g in the named format, with CSV cells neutralised.
func Write(w io.Writer, format string, g *Graph) error {
	return WriteWith(w, format, g, WriteOptions{})
}

// WriteWith writes g in the named format, as o says.
func WriteWith(w io.Writer, format string, g *Graph, o WriteOptions) error {
	return write(context.Background(), w, format, memRecords{g}, o)
}

// WriteGraphML writes g as GraphML.
func WriteGraphML(w io.Writer, g *Graph) error {
	return write(context.Background(), w, "graphml", memRecords{g}, WriteOptions{})
}

func write(ctx context.Context, w io.Writer, format string, rs records, o WriteOptions) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "graphml":
		err = writeGraphML(ctx, bw, rs)
	case "gexf":
		err = writeGEXF(ctx, bw, rs)
	case "cytoscape":
		err = writeCytoscape(ctx, bw, rs)
	case "csv":
		err = writeCSVZip(ctx, bw, rs, o)
	case "nodes.csv":
		err = writeNodesCSV(ctx, bw, rs, o)
	case "edges.csv":
		err = writeEdgesCSV(ctx, bw, rs, o)
	default:
		return kg.Errorf(kg.EInvalid, "format %q: want one of %v", format, FormatNames())
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// eachEntity hands fn every entity of rs, in order.
func eachEntity(ctx context.Context, rs records, fn func(*kg.Entity) error) error {
	return rs.entities(ctx, func(page []*kg.Entity) error {
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachRelationship hands fn every relationship of rs, in order.
func eachRelationship(ctx context.Context, rs records, fn func(*kg.Relationship) error) error {
	return rs.relationships(ctx, func(page []*kg.Relationship) error {
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// numbered calls add with each non-empty attribute and its key: the
// prefix and the attribute's index (n0, n1, …; e0, e1, …).
func numbered(prefix string, attrs []string, add func(key, value string)) {
	for i, v := range attrs {
		if v != "" {
			add(fmt.Sprintf("%s%d", prefix, i), v)
		}
	}
}

// xmlWriter writes an indented XML document element by element.
type xmlWriter struct {
	enc  *xml.Encoder
	open []xml.StartElement
}

func newXMLWriter(w io.Writer) (*xmlWriter, error) {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return nil, err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return &xmlWriter{enc: enc}, nil
}

func (x *xmlWriter) start(name string, attrs ...string) error {
	el := xml.StartElement{Name: xml.Name{Local: name}}
	for i := 0; i+1 < len(attrs); i += 2 {
		el.Attr = append(el.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
	}
	x.open = append(x.open, el)
	return x.enc.EncodeToken(el)
}

func (x *xmlWriter) end() error {
	el := x.open[len(x.open)-1]
	x.open = x.open[:len(x.open)-1]
	return x.enc.EncodeToken(el.End())
}

func (x *xmlWriter) element(name string, v any) error {
	return x.enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
}

func (x *xmlWriter) close(w io.Writer) error {
	for len(x.open) > 0 {
		if err := x.end(); err != nil {
			return err
		}
	}
	if err := x.enc.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeGraphML writes GraphML: a directed graph whose nodes are entities
// and edges relationships, every attribute declared as a string key.
func writeGraphML(ctx context.Context, w io.Writer, rs records) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type node struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type edge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Data   []data `xml:"data"`
	}
	x, err := newXMLWriter(w)
	if err != nil {
		return err
	}
	if err := x.start("graphml", "xmlns", "http://graphml.graphdrawing.org/xmlns"); err != nil {
		return err
	}
	keys := []key{{"n_label", "node", "label", "string"}}
	for i, a := range NodeAttrs {
		keys = append(keys, key{fmt.Sprintf("n%d", i), "node", a, "string"})
	}
	keys = append(keys, key{"e_label", "edge", "label", "string"})
	for i, a := range edgeAttrNames(rs.asOf()) {
		keys = append(keys, key{fmt.Sprintf("e%d", i), "edge", a, "string"})
	}
	for _, k := range keys {
		if err := x.element("key", k); err != nil {
			return err
		}
	}
	if err := x.start("graph", "id", "vjkg", "edgedefault", "directed"); err != nil {
		return err
	}
	find := sourceLookup(rs.source)
	err = eachEntity(ctx, rs, func(e *kg.Entity) error {
		n := node{ID: e.ID, Data: []data{{"n_label", e.Name}}}
		numbered("n", find.nodeAttrs(e), func(k, v string) { n.Data = append(n.Data, data{k, v}) })
		return x.element("node", n)
	})
	if err != nil {
		return err
	}
	err = eachRelationship(ctx, rs, func(r *kg.Relationship) error {
		ed := edge{ID: r.ID, Source: r.From, Target: r.To, Data: []data{{"e_label", string(r.Type)}}}
		numbered("e", find.edgeAttrs(r, rs.asOf()), func(k, v string) { ed.Data = append(ed.Data, data{k, v}) })
		return x.element("edge", ed)
	})
	if err != nil {
		return err
	}
	return x.close(w)
}

// writeGEXF writes GEXF 1.2 (Gephi): a static directed graph with declared
// string attributes.
func writeGEXF(ctx context.Context, w io.Writer, rs records) error {
	type attvalue struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	}
	type attribute struct {
		ID    string `xml:"id,attr"`
		Title string `xml:"title,attr"`
		Type  string `xml:"type,attr"`
	}
	type attributes struct {
		Class string      `xml:"class,attr"`
		Attrs []attribute `xml:"attribute"`
	}
	type node struct {
		ID        string     `xml:"id,attr"`
		Label     string     `xml:"label,attr"`
		AttValues []attvalue `xml:"attvalues>attvalue"`
	}
	type edge struct {
		ID        string     `xml:"id,attr"`
		Source    string     `xml:"source,attr"`
		Target    string     `xml:"target,attr"`
		Label     string     `xml:"label,attr"`
		AttValues []attvalue `xml:"attvalues>attvalue"`
	}
	type meta struct {
		Creator     string `xml:"creator"`
		Description string `xml:"description"`
	}
	x, err := newXMLWriter(w)
	if err != nil {
		return err
	}
	if err := x.start("gexf", "xmlns", "http://www.gexf.net/1.2draft", "version", "1.2"); err != nil {
		return err
	}
	if err := x.element("meta", meta{"vjkg", "Vietnam–Japan local cooperation knowledge graph"}); err != nil {
		return err
	}
	if err := x.start("graph", "defaultedgetype", "directed", "mode", "static"); err != nil {
		return err
	}
	na, ea := attributes{Class: "node"}, attributes{Class: "edge"}
	for i, a := range NodeAttrs {
		na.Attrs = append(na.Attrs, attribute{fmt.Sprintf("n%d", i), a, "string"})
	}
	for i, a := range edgeAttrNames(rs.asOf()) {
		ea.Attrs = append(ea.Attrs, attribute{fmt.Sprintf("e%d", i), a, "string"})
	}
	for _, a := range []attributes{na, ea} {
		if err := x.element("attributes", a); err != nil {
			return err
		}
	}
	find := sourceLookup(rs.source)
	if err := x.start("nodes"); err != nil {
		return err
	}
	err = eachEntity(ctx, rs, func(e *kg.Entity) error {
		n := node{ID: e.ID, Label: e.Name}
		numbered("n", find.nodeAttrs(e), func(k, v string) { n.AttValues = append(n.AttValues, attvalue{k, v}) })
		return x.element("node", n)
	})
	if err != nil {
		return err
	}
	if err := x.end(); err != nil {
		return err
	}
	if err := x.start("edges"); err != nil {
		return err
	}
	err = eachRelationship(ctx, rs, func(r *kg.Relationship) error {
		ed := edge{ID: r.ID, Source: r.From, Target: r.To, Label: string(r.Type)}
		numbered("e", find.edgeAttrs(r, rs.asOf()), func(k, v string) { ed.AttValues = append(ed.AttValues, attvalue{k, v}) })
		return x.element("edge", ed)
	})
	if err != nil {
		return err
	}
	return x.close(w)
}

// writeCytoscape writes Cytoscape.js JSON ({"elements": {"nodes",
// "edges"}}), which Cytoscape desktop imports as .cyjs. The "directed",
// "multigraph", node "value" and edge "key" fields make it readable by
// NetworkX's cytoscape_graph as well. It is laid out as
// json.Encoder.SetIndent("", " ") lays out the whole document, element by
// element.
func writeCytoscape(ctx context.Context, w io.Writer, rs records) error {
	type element struct {
		Data map[string]string `json:"data"`
	}
	n := 0
	put := func(d map[string]string) error {
		b, err := json.MarshalIndent(element{d}, "   ", " ")
		if err != nil {
			return err
		}
		sep := ",\n   "
		if n == 0 {
			sep = "\n   "
		}
		n++
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	closeList := func(tail string) error {
		if n > 0 {
			tail = "\n  ]" + tail
		} else {
			tail = "]" + tail
		}
		n = 0
		_, err := io.WriteString(w, tail)
		return err
	}
	if _, err := io.WriteString(w, "{\n \"data\": {\n  \"name\": \"vjkg\"\n },\n \"directed\": true,\n \"multigraph\": true,\n \"elements\": {\n  \"nodes\": ["); err != nil {
		return err
	}
	find := sourceLookup(rs.source)
	err := eachEntity(ctx, rs, func(e *kg.Entity) error {
		d := map[string]string{"id": e.ID, "value": e.ID, "label": e.Name, "name": e.Name}
		for i, v := range find.nodeAttrs(e) {
			d[NodeAttrs[i]] = v
		}
		return put(d)
	})
	if err != nil {
		return err
	}
	if err := closeList(",\n  \"edges\": ["); err != nil {
		return err
	}
	err = eachRelationship(ctx, rs, func(r *kg.Relationship) error {
		d := map[string]string{"id": r.ID, "key": r.ID, "source": r.From, "target": r.To, "label": string(r.Type), "interaction": string(r.Type)}
		names := edgeAttrNames(rs.asOf())
		for i, v := range find.edgeAttrs(r, rs.asOf()) {
			d[names[i]] = v
		}
		return put(d)
	})
	if err != nil {
		return err
	}
	return closeList("\n }\n}\n")
}

// The CSV headers. Id, Label, Source, Target and Type are the columns Gephi's
// spreadsheet import recognises (Type is the edge direction); the
// relationship type is in "relation". The bulk importer reads these same
// files back.
var (
	NodeHeader   = append([]string{"Id", "Label"}, NodeAttrs...)
	EdgeHeader   = append([]string{"Id", "Source", "Target", "Type", "Label"}, EdgeAttrs...)
	SourceHeader = []string{"id", "title", "publisher", "author", "url", "language", "published", "type", "note"}
)

// csvWriter writes rows, neutralising formulas unless raw.
type csvWriter struct {
	w   *csv.Writer
	raw bool
}

func (c csvWriter) row(cells []string) error {
	if !c.raw {
		for i, v := range cells {
			cells[i] = csvsafe.Neutralize(v)
		}
	}
	return c.w.Write(cells)
}

func (c csvWriter) done() error {
	c.w.Flush()
	return c.w.Error()
}

func newCSV(w io.Writer, o WriteOptions, header []string) (csvWriter, error) {
	c := csvWriter{csv.NewWriter(w), o.Raw}
	return c, c.w.Write(header)
}

// writeNodesCSV writes one row per entity.
func writeNodesCSV(ctx context.Context, w io.Writer, rs records, o WriteOptions) error {
	c, err := newCSV(w, o, NodeHeader)
	if err != nil {
		return err
	}
	find := sourceLookup(rs.source)
	err = eachEntity(ctx, rs, func(e *kg.Entity) error {
		return c.row(append([]string{e.ID, e.Name}, find.nodeAttrs(e)...))
	})
	if err != nil {
		return err
	}
	return c.done()
}

// writeEdgesCSV writes one row per relationship.
func writeEdgesCSV(ctx context.Context, w io.Writer, rs records, o WriteOptions) error {
	c, err := newCSV(w, o, append(slices.Clip(EdgeHeader), edgeAttrNames(rs.asOf())[len(EdgeAttrs):]...))
	if err != nil {
		return err
	}
	find := sourceLookup(rs.source)
	err = eachRelationship(ctx, rs, func(r *kg.Relationship) error {
		return c.row(append([]string{r.ID, r.From, r.To, "Directed", string(r.Type)}, find.edgeAttrs(r, rs.asOf())...))
	})
	if err != nil {
		return err
	}
	return c.done()
}

// writeSourcesCSV writes one row per cited source.
func writeSourcesCSV(ctx context.Context, w io.Writer, rs records, o WriteOptions) error {
	c, err := newCSV(w, o, SourceHeader)
	if err != nil {
		return err
	}
	err = rs.citedSources(ctx, func(page []*kg.Source) error {
		for _, s := range page {
			if err := c.row([]string{s.ID, s.Title, s.Publisher, s.Author, s.URL, s.Language, s.Published.String(), s.Type, s.Note}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.done()
}

// writeCSVZip writes a zip archive of nodes.csv, edges.csv and sources.csv.
func writeCSVZip(ctx context.Context, w io.Writer, rs records, o WriteOptions) error {
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(context.Context, io.Writer, records, WriteOptions) error
	}{{"nodes.csv", writeNodesCSV}, {"edges.csv", writeEdgesCSV}, {"sources.csv", writeSourcesCSV}} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if err := f.write(ctx, fw, rs, o); err != nil {
			return err
		}
	}
	return zw.Close()
}
