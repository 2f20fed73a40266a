package graph

import (
	"testing"

	"github.com/vjkg/vjkg/internal/hostile"
	"github.com/vjkg/vjkg/kg"
)

// FuzzPartialDate feeds the date parser every argument a client can send
// as a date (dateArg is how resolvers call it): it must not panic, and a
// date it accepts must read back the same, with its earliest day no later
// than its latest.
func FuzzPartialDate(f *testing.F) {
	for _, s := range []string{"2023", "2023-11", "2023-11-27", "2024-02-29", "2023-02-29", "0000", "9999-12-31",
		"2023-13", "2023-1-5", "-2023", "+2023", "２０２３", "2023-11-27T00:00:00Z", " 2023", "", "20231127", "2023--11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dateArg("start", &s)
		if err != nil {
			if kg.ErrorCode(err) != kg.EInvalid {
				t.Fatalf("%q: error %v is not BAD_USER_INPUT", s, err)
			}
			return
		}
		again, err := kg.ParsePartialDate(d.String())
		if err != nil || again != d {
			t.Fatalf("%q parsed as %v, which reads back as %v (%v)", s, d, again, err)
		}
		if d.Earliest() > d.Latest() {
			t.Fatalf("%q: earliest %s after latest %s", s, d.Earliest(), d.Latest())
		}
	})
}

// FuzzDocumentGate sends arbitrary documents through the gate's parse and
// shape measurement: no panic, and a document it measures is measured in
// bounded counts.
func FuzzDocumentGate(f *testing.F) {
	for _, q := range []string{`{ stats { entities } }`, hostile.FragmentChain(10), `query { ...A } fragment A on Query { ...A }`,
		`{ a: search(text: "x") { score } b: search(text: "y") { score } }`, `{`, `query($n: Int = 1.5) { search(text: "x", first: $n) { score } }`} {
		f.Add(q)
	}
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	g := documentGate{schema: schema, cache: NewByteCache(1<<20, documentBytes), limits: DefaultOptions.Document}
	f.Fuzz(func(t *testing.T, q string) {
		doc, err := g.admit(q)
		if err != nil {
			if code, _ := err.Extensions["code"].(string); HTTPStatus(code) != 422 {
				t.Fatalf("%q refused with code %q", q, code)
			}
			return
		}
		if doc != nil {
			sh := measureShape(doc, g.limits.MaxFields)
			if sh.fields > g.limits.MaxFields || sh.depth > g.limits.MaxDepth || sh.aliases > g.limits.MaxAliases {
				t.Fatalf("%q admitted beyond the limits: %+v", q, sh)
			}
		}
	})
}
