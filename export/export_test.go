package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/export"
	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/internal/csvsafe"
	"github.com/vjkg/vjkg/internal/external"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
	"github.com/vjkg/vjkg/traverse"
)

var ctx = context.Background()

func seeded(t *testing.T) kg.Store { return testgraph.Seeded(t) }

func collect(t *testing.T, s kg.Store, sc export.Scope) *export.Graph {
	t.Helper()
	g, err := export.Collect(ctx, s, sc, export.DefaultBounds)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func write(t *testing.T, format string, g *export.Graph) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(&buf, format, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// networkx reads a file with NetworkX (Debian's python3-networkx) and
// returns what it saw.
func networkx(t *testing.T, format string, data []byte) map[string]any {
	t.Helper()
	python := external.Python(t)
	file := filepath.Join(t.TempDir(), "graph."+format)
	if format == "csv" { // a zip of nodes.csv, edges.csv and sources.csv: unpack it
		file = filepath.Dir(file)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			r, _ := f.Open()
			var buf bytes.Buffer
			buf.ReadFrom(r)
			r.Close()
			if err := os.WriteFile(filepath.Join(file, f.Name), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	} else if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := external.Output(exec.Command(python, filepath.Join("testdata", "networkx_check.py"), format, file))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

const (
	fukuokaMOU = "rel:PARTY_TO:locality:fukuoka->agreement:fukuoka-ha-noi-mous"
	mouQuote   = "tỉnh Fukuoka (Nhật Bản) và thành phố Hà Nội đã ký nhiều biên bản ghi nhớ"
)

// TestNetworkXReadsEveryFormat loads each export into NetworkX (the CSV
// lists through Python's csv module) and compares node and edge counts and
// a few attributes with the exported graph.
func TestNetworkXReadsEveryFormat(t *testing.T) {
	s := seeded(t)
	g := collect(t, s, export.Scope{})
	if len(g.Entities) < 150 || len(g.Relationships) < 200 {
		t.Fatalf("export of everything: %d entities, %d relationships", len(g.Entities), len(g.Relationships))
	}
	for _, format := range []string{"graphml", "gexf", "cytoscape", "csv"} {
		t.Run(format, func(t *testing.T) {
			got := networkx(t, format, write(t, format, g))
			if got["directed"] != true || int(got["nodes"].(float64)) != len(g.Entities) || int(got["edges"].(float64)) != len(g.Relationships) {
				t.Fatalf("NetworkX read %v nodes and %v edges (directed %v); exported %d and %d",
					got["nodes"], got["edges"], got["directed"], len(g.Entities), len(g.Relationships))
			}
			fukuoka := got["node"].(map[string]any)["locality:fukuoka"].(map[string]any)
			if fukuoka["label"] != "Fukuoka" || fukuoka["kind"] != "LOCALITY" || fukuoka["name_ja"] != "福岡県" || fukuoka["iso_code"] != "JP-40" {
				t.Errorf("Fukuoka's attributes: %v", fukuoka)
			}
			if !strings.Contains(fukuoka["citations"].(string), "source:vj-local-forum-2025") {
				t.Errorf("Fukuoka's citations: %v", fukuoka["citations"])
			}
			vp := got["node"].(map[string]any)["locality:vinh-phuc"].(map[string]any)
			if vp["end"] != "2025-06-30" {
				t.Errorf("Vĩnh Phúc's end date: %v", vp["end"])
			}
			var mou, merger map[string]any
			for _, e := range got["edge"].(map[string]any) {
				e := e.(map[string]any)
				if e["source"] == "locality:fukuoka" && e["relation"] == "PARTY_TO" {
					mou = e
				}
				if e["source"] == "locality:vinh-phuc" && e["relation"] == "MERGED_INTO" {
					merger = e
				}
			}
			if mou == nil || mou["target"] != "agreement:fukuoka-ha-noi-mous" || !strings.Contains(mou["citations"].(string), mouQuote) || mou["role"] != "signatory" {
				t.Errorf("Fukuoka's PARTY_TO edge: %v", mou)
			}
			if merger == nil || merger["valid_from"] != "2025-07-01" || merger["target"] != "locality:phu-tho" || !strings.Contains(merger["properties"].(string), "202/2025/QH15") {
				t.Errorf("Vĩnh Phúc's MERGED_INTO edge: %v", merger)
			}
		})
	}
}

func TestCytoscapeJSON(t *testing.T) {
	g := collect(t, seeded(t), export.Scope{What: "neighborhood", ID: "locality:fukuoka", Depth: 1})
	var doc struct {
		Elements struct {
			Nodes []struct{ Data map[string]string }
			Edges []struct{ Data map[string]string }
		}
	}
	if err := json.Unmarshal(write(t, "cytoscape", g), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Elements.Nodes) != 4 || len(doc.Elements.Edges) != 3 {
		t.Fatalf("Fukuoka's neighbourhood: %d nodes, %d edges; want 4 and 3", len(doc.Elements.Nodes), len(doc.Elements.Edges))
	}
	for _, e := range doc.Elements.Edges {
		if e.Data["id"] == fukuokaMOU && (e.Data["source"] != "locality:fukuoka" || e.Data["interaction"] != "PARTY_TO" || !strings.Contains(e.Data["citations"], mouQuote)) {
			t.Errorf("edge = %v", e.Data)
		}
	}
}

func readZipCSV(t *testing.T, zr *zip.Reader, name string) [][]string {
	t.Helper()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCSVRoundTrip exports everything as raw CSV (formulas kept, as files
// meant to be imported again are written), imports it into an empty store,
// exports that again and requires the same GraphML.
// TestCSVRoundTrip imports an export again, of the whole graph and of the
// graph as of a day (whose edges carry a time_status column the importer
// must accept and leave).
func TestCSVRoundTrip(t *testing.T) {
	t.Run("AnyTime", func(t *testing.T) { testCSVRoundTrip(t, export.Scope{}) })
	t.Run("AsOf", func(t *testing.T) { testCSVRoundTrip(t, export.Scope{Traverse: traverse.Options{AsOf: "2025-07-01"}}) })
}

func testCSVRoundTrip(t *testing.T, sc export.Scope) {
	s := seeded(t)
	g := collect(t, s, sc)
	var raw bytes.Buffer
	if err := export.WriteWith(&raw, "csv", g, export.WriteOptions{Raw: true}); err != nil {
		t.Fatal(err)
	}
	data := raw.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := readZipCSV(t, zr, "nodes.csv"), readZipCSV(t, zr, "edges.csv")
	if len(nodes)-1 != len(g.Entities) || len(edges)-1 != len(g.Relationships) {
		t.Fatalf("CSV rows: %d nodes, %d edges", len(nodes)-1, len(edges)-1)
	}
	if strings.Join(nodes[0][:3], ",") != "Id,Label,kind" || strings.Join(edges[0][:5], ",") != "Id,Source,Target,Type,Label" {
		t.Errorf("headers: %v / %v", nodes[0], edges[0])
	}
	if status := slices.Contains(edges[0], export.TimeStatusAttr); status != (sc.Traverse.AsOf != "") {
		t.Errorf("edges header %v: time_status there %v, want it exactly with asOf %q", edges[0], status, sc.Traverse.AsOf)
	}

	var files []seed.File
	for _, name := range []string{"sources.csv", "nodes.csv", "edges.csv"} {
		f, _ := zr.Open(name)
		var buf bytes.Buffer
		buf.ReadFrom(f)
		f.Close()
		files = append(files, seed.File{Name: name, Data: buf.Bytes()})
	}
	empty := testgraph.Empty(t)
	in := importer.Files(files...)
	if _, err := importer.Check(ctx, empty, in...); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.Import(ctx, empty, in, importer.Options{BatchSize: 50}); err != nil {
		t.Fatal(err)
	}
	again := collect(t, empty, sc)
	if a, b := write(t, "graphml", g), write(t, "graphml", again); !bytes.Equal(a, b) {
		t.Errorf("GraphML differs after a CSV round trip (%d vs %d bytes)", len(a), len(b))
	}
}

func TestScopes(t *testing.T) {
	s := seeded(t)
	t.Run("Paths", func(t *testing.T) {
		g := collect(t, s, export.Scope{What: "paths", From: "locality:fukuoka", To: "locality:ha-noi"})
		if len(g.Entities) != 3 || len(g.Relationships) != 2 {
			t.Errorf("paths: %d entities, %d relationships", len(g.Entities), len(g.Relationships))
		}
	})
	t.Run("NeighborhoodAsOf", func(t *testing.T) {
		g := collect(t, s, export.Scope{What: "neighborhood", ID: "locality:vinh-phuc", Traverse: traverse.Options{AsOf: "2025-07-01"}})
		for _, r := range g.Relationships {
			if r.Type == kg.RelPartOf {
				t.Errorf("as of July 2025, Vĩnh Phúc is no longer part of Việt Nam: %s", r.ID)
			}
		}
	})
	t.Run("List", func(t *testing.T) {
		g := collect(t, s, export.Scope{What: "list", Filter: kg.EntityFilter{Countries: []string{"JP"}, Kinds: []kg.Kind{kg.KindLocality}}})
		for _, r := range g.Relationships {
			if r.FromKind != kg.KindLocality || r.ToKind != kg.KindLocality {
				t.Errorf("a list export holds only relationships among the listed entities: %s", r.ID)
			}
		}
		if len(g.Entities) < 8 || len(g.Relationships) < 8 {
			t.Errorf("Japanese localities: %d entities, %d relationships", len(g.Entities), len(g.Relationships))
		}
	})
	t.Run("ErrBounds", func(t *testing.T) {
		_, err := export.Collect(ctx, s, export.Scope{What: "neighborhood", ID: "locality:fukuoka", Depth: 9}, export.DefaultBounds)
		if kg.ErrorCode(err) != kg.EInvalid {
			t.Errorf("depth 9: %v", err)
		}
		_, err = export.Collect(ctx, s, export.Scope{What: "paths", From: "locality:fukuoka", To: "locality:atlantis"}, export.DefaultBounds)
		if kg.ErrorCode(err) != kg.ENotFound {
			t.Errorf("unknown entity: %v", err)
		}
	})
}

// TestCSVNeutralisesFormulas writes entities whose names and descriptions
// are spreadsheet formulas: the CSV cells get a leading apostrophe (OWASP),
// Unneutralize gives back every value exactly, and raw=true keeps them.
func TestCSVNeutralisesFormulas(t *testing.T) {
	hostile := []string{`=cmd|' /C calc'!A0`, "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", `=HYPERLINK("http://evil.example","x")`, "'quoted", "''twice", "plain", ""}
	g := &export.Graph{Sources: map[string]*kg.Source{}}
	for i, v := range hostile {
		g.Entities = append(g.Entities, &kg.Entity{ID: fmt.Sprintf("org:x%02d", i), Kind: kg.KindOrganization, Name: "n" + v, Description: v})
	}
	for _, raw := range []bool{false, true} {
		var buf bytes.Buffer
		if err := export.WriteWith(&buf, "nodes.csv", g, export.WriteOptions{Raw: raw}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		desc := slices.Index(export.NodeHeader, "description")
		for i, v := range hostile {
			cell := rows[i+1][desc]
			switch {
			case raw && cell != v:
				t.Errorf("raw: %q written as %q", v, cell)
			case !raw && v != "" && (strings.ContainsRune("=+-@\t\r'", rune(v[0]))) && cell != "'"+v:
				t.Errorf("%q written as %q, want a leading apostrophe", v, cell)
			case !raw && csvsafe.Unneutralize(cell) != v:
				t.Errorf("Unneutralize(%q) = %q, want %q", cell, csvsafe.Unneutralize(cell), v)
			}
		}
	}
}

func FuzzNeutralizeRoundTrip(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''", "'", "-", "plain", "\t", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := csvsafe.Neutralize(s)
		if csvsafe.Unneutralize(n) != s {
			t.Fatalf("Unneutralize(Neutralize(%q)) = %q", s, csvsafe.Unneutralize(n))
		}
		if n != "" && strings.ContainsRune("=+-@\t\r", rune(n[0])) {
			t.Fatalf("Neutralize(%q) = %q still begins with a formula character", s, n)
		}
	})
}
