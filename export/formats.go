package export

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
)

// WriteGraphML writes g as GraphML: a directed graph whose nodes are
// entities and edges relationships, every attribute declared as a string key.
func WriteGraphML(w io.Writer, g *Graph) error {
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
	type graph struct {
		ID          string `xml:"id,attr"`
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []node `xml:"node"`
		Edges       []edge `xml:"edge"`
	}
	type graphml struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   graph    `xml:"graph"`
	}
	doc := graphml{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graph{ID: "vjkg", EdgeDefault: "directed"}}
	doc.Keys = append(doc.Keys, key{"n_label", "node", "label", "string"})
	for i, a := range NodeAttrs {
		doc.Keys = append(doc.Keys, key{fmt.Sprintf("n%d", i), "node", a, "string"})
	}
	doc.Keys = append(doc.Keys, key{"e_label", "edge", "label", "string"})
	for i, a := range EdgeAttrs {
		doc.Keys = append(doc.Keys, key{fmt.Sprintf("e%d", i), "edge", a, "string"})
	}
	for _, e := range g.Entities {
		n := node{ID: e.ID, Data: []data{{"n_label", e.Name}}}
		for i, v := range g.nodeAttrs(e) {
			if v != "" {
				n.Data = append(n.Data, data{fmt.Sprintf("n%d", i), v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, r := range g.Relationships {
		ed := edge{ID: r.ID, Source: r.From, Target: r.To, Data: []data{{"e_label", string(r.Type)}}}
		for i, v := range g.edgeAttrs(r) {
			if v != "" {
				ed.Data = append(ed.Data, data{fmt.Sprintf("e%d", i), v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ed)
	}
	return writeXML(w, doc)
}

func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteGEXF writes g as GEXF 1.2 (Gephi): a static directed graph with
// declared string attributes.
func WriteGEXF(w io.Writer, g *Graph) error {
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
	type graph struct {
		DefaultEdgeType string       `xml:"defaultedgetype,attr"`
		Mode            string       `xml:"mode,attr"`
		Attributes      []attributes `xml:"attributes"`
		Nodes           []node       `xml:"nodes>node"`
		Edges           []edge       `xml:"edges>edge"`
	}
	type meta struct {
		Creator     string `xml:"creator"`
		Description string `xml:"description"`
	}
	type gexf struct {
		XMLName xml.Name `xml:"gexf"`
		XMLNS   string   `xml:"xmlns,attr"`
		Version string   `xml:"version,attr"`
		Meta    meta     `xml:"meta"`
		Graph   graph    `xml:"graph"`
	}
	doc := gexf{XMLNS: "http://www.gexf.net/1.2draft", Version: "1.2",
		Meta:  meta{"vjkg", "Vietnam–Japan local cooperation knowledge graph"},
		Graph: graph{DefaultEdgeType: "directed", Mode: "static"}}
	na, ea := attributes{Class: "node"}, attributes{Class: "edge"}
	for i, a := range NodeAttrs {
		na.Attrs = append(na.Attrs, attribute{fmt.Sprintf("n%d", i), a, "string"})
	}
	for i, a := range EdgeAttrs {
		ea.Attrs = append(ea.Attrs, attribute{fmt.Sprintf("e%d", i), a, "string"})
	}
	doc.Graph.Attributes = []attributes{na, ea}
	doc.Graph.Nodes, doc.Graph.Edges = []node{}, []edge{}
	for _, e := range g.Entities {
		n := node{ID: e.ID, Label: e.Name}
		for i, v := range g.nodeAttrs(e) {
			if v != "" {
				n.AttValues = append(n.AttValues, attvalue{fmt.Sprintf("n%d", i), v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, r := range g.Relationships {
		ed := edge{ID: r.ID, Source: r.From, Target: r.To, Label: string(r.Type)}
		for i, v := range g.edgeAttrs(r) {
			if v != "" {
				ed.AttValues = append(ed.AttValues, attvalue{fmt.Sprintf("e%d", i), v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ed)
	}
	return writeXML(w, doc)
}

// WriteCytoscape writes g as Cytoscape.js JSON ({"elements": {"nodes",
// "edges"}}), which Cytoscape desktop imports as .cyjs. The "directed",
// "multigraph", node "value" and edge "key" fields make it readable by
// NetworkX's cytoscape_graph as well.
func WriteCytoscape(w io.Writer, g *Graph) error {
	type element struct {
		Data map[string]string `json:"data"`
	}
	out := struct {
		Data       map[string]string `json:"data"`
		Directed   bool              `json:"directed"`
		Multigraph bool              `json:"multigraph"`
		Elements   struct {
			Nodes []element `json:"nodes"`
			Edges []element `json:"edges"`
		} `json:"elements"`
	}{Data: map[string]string{"name": "vjkg"}, Directed: true, Multigraph: true}
	out.Elements.Nodes, out.Elements.Edges = []element{}, []element{}
	for _, e := range g.Entities {
		d := map[string]string{"id": e.ID, "value": e.ID, "label": e.Name, "name": e.Name}
		for i, v := range g.nodeAttrs(e) {
			d[NodeAttrs[i]] = v
		}
		out.Elements.Nodes = append(out.Elements.Nodes, element{d})
	}
	for _, r := range g.Relationships {
		d := map[string]string{"id": r.ID, "key": r.ID, "source": r.From, "target": r.To, "label": string(r.Type), "interaction": string(r.Type)}
		for i, v := range g.edgeAttrs(r) {
			d[EdgeAttrs[i]] = v
		}
		out.Elements.Edges = append(out.Elements.Edges, element{d})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
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

// WriteNodesCSV writes one row per entity.
func WriteNodesCSV(w io.Writer, g *Graph) error {
	cw := csv.NewWriter(w)
	cw.Write(NodeHeader)
	for _, e := range g.Entities {
		cw.Write(append([]string{e.ID, e.Name}, g.nodeAttrs(e)...))
	}
	cw.Flush()
	return cw.Error()
}

// WriteEdgesCSV writes one row per relationship.
func WriteEdgesCSV(w io.Writer, g *Graph) error {
	cw := csv.NewWriter(w)
	cw.Write(EdgeHeader)
	for _, r := range g.Relationships {
		cw.Write(append([]string{r.ID, r.From, r.To, "Directed", string(r.Type)}, g.edgeAttrs(r)...))
	}
	cw.Flush()
	return cw.Error()
}

// WriteSourcesCSV writes one row per cited source.
func WriteSourcesCSV(w io.Writer, g *Graph) error {
	cw := csv.NewWriter(w)
	cw.Write(SourceHeader)
	for _, id := range keysOf(g.Sources) {
		s := g.Sources[id]
		cw.Write([]string{s.ID, s.Title, s.Publisher, s.Author, s.URL, s.Language, s.Published.String(), s.Type, s.Note})
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVZip writes a zip archive of nodes.csv, edges.csv and sources.csv.
func WriteCSVZip(w io.Writer, g *Graph) error {
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(io.Writer, *Graph) error
	}{{"nodes.csv", WriteNodesCSV}, {"edges.csv", WriteEdgesCSV}, {"sources.csv", WriteSourcesCSV}} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if err := f.write(fw, g); err != nil {
			return err
		}
	}
	return zw.Close()
}

func keysOf[V any](m map[string]V) []string {
	set := make(map[string]bool, len(m))
	for k := range m {
		set[k] = true
	}
	return keys(set)
}
