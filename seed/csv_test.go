package seed

import (
	"errors"
	"strings"
	"testing"
)

const (
	sourcesCSV = "id,title,language,type,published\nsource:notes,Field notes,en,dataset,2026-01\n"
	nodesCSV   = "Id,Label,kind,type,country,aliases,name_ja,start,source,quote\n" +
		"locality:saga,Saga,locality,prefecture,JP,Saga-ken;佐賀,佐賀県,,source:notes,Saga is a prefecture\n" +
		"org:x,Công ty X,organization,company,VN,[],,2019-05,source:notes,X is a company\n"
	edgesCSV = "Source,Target,relation,role,valid_from,properties,citations\n" +
		`org:x,locality:saga,INVESTS_IN,investor,2020,"{""projects"":""3""}","[{""source"":""source:notes"",""quote"":""X invests in Saga""}]"` + "\n"
)

func TestParseCSV(t *testing.T) {
	b, err := Parse(File{"sources.csv", []byte(sourcesCSV)}, File{"nodes.csv", []byte(nodesCSV)}, File{"edges.csv", []byte(edgesCSV)})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sources) != 1 || len(b.Entities) != 2 || len(b.Relationships) != 1 {
		t.Fatalf("got %d sources, %d entities, %d relationships", len(b.Sources), len(b.Entities), len(b.Relationships))
	}
	saga := b.Entities[0]
	if saga.Type != "PREFECTURE" || len(saga.Aliases) != 2 || saga.Aliases[1] != "佐賀" || saga.LocalNames[0].Value != "佐賀県" ||
		saga.Citations[0].Quote != "Saga is a prefecture" {
		t.Errorf("Saga = %+v", saga)
	}
	if x := b.Entities[1]; x.Aliases != nil || x.Start.String() != "2019-05" {
		t.Errorf("X = %+v", x)
	}
	r := b.Relationships[0]
	if r.ID != "rel:INVESTS_IN:org:x->locality:saga" || r.Properties["projects"] != "3" || r.ValidFrom.String() != "2020" || r.Citations[0].SourceID != "source:notes" {
		t.Errorf("relationship = %+v", r)
	}
}

func TestParseCSVProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
		want             []string
	}{
		{"ErrUnknownColumn", "nodes.csv", strings.Replace(nodesCSV, "aliases", "colour", 1),
			[]string{"nodes.csv:1", "field colour", "unknown column"}},
		{"ErrBadDate", "nodes.csv", strings.Replace(nodesCSV, "2019-05", "2019-13", 1),
			[]string{"nodes.csv:3", `entity "org:x"`, "field start", "not a date"}},
		{"ErrUnknownReference", "edges.csv", strings.Replace(edgesCSV, "locality:saga", "locality:atlantis", 1),
			[]string{"edges.csv:2", "field to", `unknown entity "locality:atlantis"`}},
		{"ErrBadJSON", "edges.csv", strings.Replace(edgesCSV, `""projects"":""3""`, `projects`, 1),
			[]string{"edges.csv:2", "field properties", "not a JSON object"}},
		{"ErrKind", "nodes.csv", strings.Replace(nodesCSV, "organization,company", "spaceship,company", 1),
			[]string{"nodes.csv:3", "field kind", `unknown kind "SPACESHIP"`}},
		{"ErrCells", "nodes.csv", nodesCSV + "locality:y,Y\n",
			[]string{"nodes.csv:4", "2 cells, but the header has 10 columns"}},
		{"ErrHeader", "nodes.csv", "a,b\n1,2\n",
			[]string{"nodes.csv:1", "unrecognised header"}},
		{"ErrFileType", "nodes.txt", nodesCSV,
			[]string{"nodes.txt", "unknown file type"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]File{"sources.csv": {"sources.csv", []byte(sourcesCSV)}, "nodes.csv": {"nodes.csv", []byte(nodesCSV)}, "edges.csv": {"edges.csv", []byte(edgesCSV)}}
			delete(files, tc.file)
			files[tc.file] = File{tc.file, []byte(tc.data)}
			var list []File
			for _, f := range files {
				list = append(list, f)
			}
			_, err := Parse(list...)
			wantProblem(t, err, tc.want...)
		})
	}
}

// A file cut off inside a quoted cell is a problem on its line, not a panic.
func TestParseCSVUnterminatedQuote(t *testing.T) {
	_, err := Parse(File{"nodes.csv", []byte("Id,kind\n\"")})
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 2 {
		t.Fatalf("problems = %v", err)
	}
}

// Cells that an export guarded against spreadsheet formulas read back as
// they were.
func TestParseCSVUnneutralizes(t *testing.T) {
	b, err := Parse(File{"sources.csv", []byte(sourcesCSV)}, File{"nodes.csv", []byte(
		"Id,Label,kind,type,source,quote\norg:x,'=SUM(A1),organization,company,source:notes,'-5 says 'hi'\n")})
	if err != nil {
		t.Fatal(err)
	}
	if e := b.Entities[0]; e.Name != "=SUM(A1)" || e.Citations[0].Quote != "-5 says 'hi'" {
		t.Errorf("name %q, quote %q", e.Name, e.Citations[0].Quote)
	}
}

// An edges file gives one citation in citation_source and quote; a quote
// without its source is a problem.
func TestParseCSVEdgeQuote(t *testing.T) {
	edges := "Source,Target,relation,citation_source,quote\norg:x,locality:saga,INVESTS_IN,source:notes,X invests in Saga\n"
	b, err := Parse(File{"sources.csv", []byte(sourcesCSV)}, File{"nodes.csv", []byte(nodesCSV)}, File{"edges.csv", []byte(edges)})
	if err != nil {
		t.Fatal(err)
	}
	if c := b.Relationships[0].Citations; len(c) != 1 || c[0].Quote != "X invests in Saga" || c[0].SourceID != "source:notes" {
		t.Errorf("citations = %+v", c)
	}
	bad := "Source,Target,relation,quote\norg:x,locality:saga,INVESTS_IN,X invests in Saga\n"
	_, err = Parse(File{"sources.csv", []byte(sourcesCSV)}, File{"nodes.csv", []byte(nodesCSV)}, File{"edges.csv", []byte(bad)})
	if err == nil || !strings.Contains(err.Error(), "citation_source") {
		t.Errorf("a quote without its source: %v", err)
	}
}
