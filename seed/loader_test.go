package seed

import (
	"errors"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

const goodFile = `
sources:
  - id: source:a
    title: A
    language: vi
    type: article
entities:
  - id: locality:x
    kind: locality
    name: Xã X
    type: province
    country: VN
    sources: [{source: source:a, quote: "x"}]
  - id: locality:y
    kind: locality
    name: Y
    type: province
    country: VN
    start: 2020-02
    sources: [{source: source:a, quote: "y"}]
relationships:
  - type: borders
    from: locality:x
    to: locality:y
    validFrom: 2021
    sources: [{source: source:a, quote: "x y"}]
`

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		b, err := Parse(File{"good.yaml", []byte(goodFile)})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Sources) != 1 || len(b.Entities) != 2 || len(b.Relationships) != 1 {
			t.Fatalf("got %d sources, %d entities, %d relationships", len(b.Sources), len(b.Entities), len(b.Relationships))
		}
		r := b.Relationships[0]
		if r.ID != "rel:BORDERS:locality:x->locality:y" || r.FromKind != kg.KindLocality || r.ValidFrom.String() != "2021" {
			t.Errorf("relationship = %+v", r)
		}
		if got := b.Entities[1].Start.String(); got != "2020-02" {
			t.Errorf("start = %q, want 2020-02", got)
		}
	})

	for _, tc := range []struct {
		name, from, to string
		want           []string // substrings of one problem line
	}{
		{"ErrUnknownReference", "to: locality:y", "to: locality:nowhere",
			[]string{"bad.yaml:", `relationship "rel:BORDERS:locality:x->locality:nowhere"`, "field to", `unknown entity "locality:nowhere"`}},
		{"ErrDuplicateID", "id: locality:y", "id: locality:x",
			[]string{"bad.yaml:14", `entity "locality:x"`, "field id", "duplicate id", "first defined at bad.yaml:8"}},
		{"ErrBadDate", "start: 2020-02", "start: 2020-13",
			[]string{`entity "locality:y"`, "field start", `"2020-13" is not a date`}},
		{"ErrUnknownKind", "kind: locality\n    name: Y", "kind: planet\n    name: Y",
			[]string{`entity "locality:y"`, "field kind", `unknown kind "PLANET"`}},
		{"ErrUnknownType", "type: borders", "type: LOVES",
			[]string{"field type", `unknown relationship type "LOVES"`}},
		{"ErrUnknownField", "country: VN\n    start", "country: VN\n    colour: red\n    start",
			[]string{"bad.yaml:19", `entity "locality:y"`, "field colour", "unknown field"}},
		{"ErrUnknownSource", "source: source:a, quote: \"y\"", "source: source:b, quote: \"y\"",
			[]string{`entity "locality:y"`, "sources[0].source", `unknown source "source:b"`}},
		{"ErrMissingCitation", `sources: [{source: source:a, quote: "x y"}]`, `sources: []`,
			[]string{"field sources", "needs at least one citation"}},
		{"ErrWrongEndKind", "from: locality:x", "from: event:x",
			[]string{"field from", "cannot start at a event"}},
		{"ErrSyntax", "entities:", "entities: [",
			[]string{"bad.yaml:0", "not valid YAML"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(goodFile, tc.from, tc.to, 1)
			if bad == goodFile {
				t.Fatalf("replacement %q not found", tc.from)
			}
			_, err := Parse(File{"bad.yaml", []byte(bad)})
			wantProblem(t, err, tc.want...)
		})
	}
}

func TestParseAcrossFiles(t *testing.T) {
	sources := "sources:\n  - {id: source:a, title: A, language: vi, type: article}\n"
	ents := "entities:\n  - {id: event:e, kind: event, name: E, type: forum, sources: [{source: source:a, quote: q}]}\n"
	if _, err := Parse(File{"1.yaml", []byte(sources)}, File{"2.yaml", []byte(ents)}); err != nil {
		t.Fatalf("a record may cite a source in another file: %v", err)
	}
}

// wantProblem checks that err is Problems and that one problem's line
// contains every one of want.
func wantProblem(t *testing.T, err error, want ...string) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	for _, p := range ps {
		line, all := p.String(), true
		for _, w := range want {
			all = all && strings.Contains(line, w)
		}
		if all {
			return
		}
	}
	t.Errorf("no problem contains all of %q; got:\n%v", want, err)
}

// A quote citing one of the seed articles must be in its text, word for
// word: that is where the API anchors it.
func TestQuoteNotInArticleText(t *testing.T) {
	file := File{"x.yaml", []byte(`sources:
  - {id: source:vj-local-forum-2025, title: Forum, language: vi, type: article}
entities:
  - id: locality:somewhere
    kind: locality
    name: Somewhere
    type: province
    country: VN
    sources: [{source: source:vj-local-forum-2025, quote: "words the article never printed"}]
`)}
	_, err := Parse(file)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "sources[0].quote" || ps[0].Line != 4 {
		t.Fatalf("problems = %v", err)
	}
}
