package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vjkg/vjkg/internal/hostile"
	"github.com/vjkg/vjkg/kg"
)

func parse(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestMeasureShape(t *testing.T) {
	t.Run("FragmentChainInMicroseconds", func(t *testing.T) {
		doc := parse(t, hostile.FragmentChain(40))
		start := time.Now()
		sh := measureShape(doc, 500)
		if took := time.Since(start); took > 100*time.Millisecond {
			t.Errorf("measuring 40 chained fragments took %v: the walk expands them", took)
		}
		if sh.fields <= 500 || sh.depth != 2 || sh.cycle != "" {
			t.Errorf("shape = %+v, want more than 500 fields, depth 2", sh)
		}
	})
	t.Run("Counts", func(t *testing.T) {
		sh := measureShape(parse(t, `query { a: stats { entities } b: stats { entities } ...F } fragment F on Query { search(text: "x") { score entity { id } } }`), 500)
		// a, entities, b, entities, search, score, entity, id
		if sh.fields != 8 || sh.aliases != 2 || sh.depth != 3 {
			t.Errorf("shape = %+v, want 8 fields, 2 aliases, depth 3", sh)
		}
	})
	t.Run("IntrospectionHasNoDepth", func(t *testing.T) {
		if sh := measureShape(parse(t, `{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`), 500); sh.depth != 0 {
			t.Errorf("depth = %d", sh.depth)
		}
	})
	t.Run("ConnectionsCountInHops", func(t *testing.T) {
		for _, c := range []struct {
			q     string
			depth int
		}{
			// four hops through connections: localities, agreements, parties, officials, name
			{`{ localities { edges { node { agreements { edges { node { ... on Agreement { parties { edges { node { ... on Locality {
				officials { edges { node { name } } } } } } } } } } } } } } }`, 5},
			{`{ localities { nodes { agreements { nodes { name } } } } }`, 3},
			{`{ paths(from: "a", to: "b") { nodes { id } relationships { id } } }`, 3},
			// plumbing in plumbing, which the schema has not, counts every level
			{`{ edges { edges { edges { node { node { nodes { id } } } } } } }`, 6},
			// through fragments: measured where they are spread
			{`{ localities { ...E } } fragment E on LocalityConnection { edges { ...N } } fragment N on LocalityEdge { node { id } }`, 2},
			{`{ localities { edges { ...E } } } fragment E on LocalityConnection { edges { ...N } } fragment N on LocalityEdge { node { id } }`, 4},
		} {
			if sh := measureShape(parse(t, c.q), 500); sh.depth != c.depth {
				t.Errorf("depth %d, want %d: %s", sh.depth, c.depth, c.q)
			}
		}
	})
	t.Run("ErrCycle", func(t *testing.T) {
		sh := measureShape(parse(t, `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`), 500)
		if sh.cycle == "" {
			t.Error("a fragment cycle was not found")
		}
	})
}

func TestByteCache(t *testing.T) {
	ctx := context.Background()
	c := NewByteCache(1000, func(k, v string) int64 { return int64(len(k) + len(v)) })
	for i := range 20 {
		c.Add(ctx, fmt.Sprintf("k%02d", i), strings.Repeat("v", 97))
	}
	if c.Bytes() > 1000 || c.Len() != 10 {
		t.Errorf("holds %d bytes in %d entries; want at most 1000 bytes, 10 entries", c.Bytes(), c.Len())
	}
	if _, ok := c.Get(ctx, "k00"); ok {
		t.Error("the oldest entry was kept")
	}
	if _, ok := c.Get(ctx, "k19"); !ok {
		t.Error("the newest entry was dropped")
	}
	c.Add(ctx, "huge", strings.Repeat("v", 200)) // more than an eighth of the budget
	if _, ok := c.Get(ctx, "huge"); ok {
		t.Error("an entry larger than an eighth of the budget was kept")
	}
}

// TestDocumentBytesEstimate checks documentBytes against what parsed
// documents really hold: the cache's byte bound is only as good as it.
func TestDocumentBytesEstimate(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	queries := []string{
		`{ stats { entities } }`,
		`{ localities(first: 50) { nodes { name agreements { edges { role node { name ... on Agreement { parties { edges { node { name } } } } } } } } } }`,
		`query Q($id: ID!) { locality(id: $id) { name aliases localNames { lang value } isoCode country validFrom { value } agreements { totalCount edges { cursor role sources { quote source { id title } } node { id name } } } } }`,
		"{ stats { entities } }" + strings.Repeat(" # a long comment that the parser skips\n", 2000),
	}
	for _, q := range queries {
		const n = 200
		docs := make([]*ast.QueryDocument, n)
		texts := make([]string, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range docs {
			texts[i] = q + fmt.Sprintf(" # %d", i) // distinct strings, as distinct documents are
			docs[i] = parse(t, texts[i])
			if errs := validator.ValidateWithRules(schema, docs[i], nil); len(errs) > 0 {
				t.Fatal(errs)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		real := float64(after.HeapAlloc-before.HeapAlloc) / n
		est := float64(documentBytes(texts[0], docs[0]))
		t.Logf("%d-byte document: holds %.0f bytes, estimated %.0f", len(q), real, est)
		if est < real*0.8 || est > real*8 {
			t.Errorf("%.40q…: estimated %.0f bytes, holds %.0f", q, est, real)
		}
		runtime.KeepAlive(docs)
		runtime.KeepAlive(texts)
	}
}

func TestCheckInt(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string // "" for accepted
	}{
		{json.Number("10"), ""},
		{json.Number("1e3"), ""},
		{json.Number("-5"), ""},
		{"10", `Int cannot represent non-integer value: "10"`},
		{json.Number("1.5"), "Int cannot represent non-integer value: 1.5"},
		{json.Number("3000000000"), "Int cannot represent non 32-bit signed integer value: 3000000000"},
		{true, "Int cannot represent non-integer value: true"},
		{[]any{1.0}, "Int cannot represent non-integer value: [1]"},
	} {
		norm, msg := checkInt(tc.v)
		if msg != tc.want {
			t.Errorf("checkInt(%#v) = %q, want %q", tc.v, msg, tc.want)
		}
		if msg == "" {
			if _, err := norm.(json.Number).Int64(); err != nil {
				t.Errorf("checkInt(%#v) gave %v, not a plain integer", tc.v, norm)
			}
		}
	}
}

func TestComplexityIsLinear(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	doc := parse(t, hostile.FragmentChain(40))
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	w := costWalker{frags: doc.Fragments, memo: map[string]int{}, visiting: map[string]bool{}, entities: 50000, relationships: 100000}
	start := time.Now()
	cost := w.set(doc.Operations[0].SelectionSet)
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("pricing 40 chained fragments took %v", took)
	}
	if cost < 1<<40 {
		t.Errorf("cost = %d, want more than 2^40: each of the 2^40 stats costs a scan", cost)
	}
}

// TestRelationshipConditionsArePriced: each relationship condition of a
// filter, at any depth, costs a pass over relationships, so a filter of
// many conditions on a large graph is refused by complexity; entity and
// relationship facets cost a scan.
func TestRelationshipConditionsArePriced(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	price := func(query string) int {
		t.Helper()
		doc := parse(t, query)
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
		w := costWalker{frags: doc.Fragments, memo: map[string]int{}, visiting: map[string]bool{}, entities: 1_000_000, relationships: 5_000_000}
		return w.set(doc.Operations[0].SelectionSet)
	}
	plain := price(`{ localities(first: 1) { nodes { id } } }`)
	one := price(`{ localities(first: 1, filter: {relationships_SOME: {types: [PARTY_TO]}}) { nodes { id } } }`)
	nested := price(`{ localities(first: 1, filter: {OR: [{relationships_SOME: {node: {relationships_NONE: {}}}}, {NOT: {relationships_ALL: {}}}]}) { nodes { id } } }`)
	perCondition := 5_000_000 / recordsPerPoint
	if one-plain != perCondition || nested-plain != 3*perCondition {
		t.Errorf("prices: plain %d, one condition %d, three nested %d; want +%d per condition", plain, one, nested, perCondition)
	}
	var many strings.Builder
	many.WriteString(`{ localities(first: 1, filter: {AND: [`)
	for range 24 {
		many.WriteString(`{relationships_SOME: {}}`)
	}
	many.WriteString(`]}) { nodes { id } } }`)
	if nested > DefaultOptions.MaxComplexity {
		t.Errorf("three conditions over 5M relationships cost %d, beyond the limit %d", nested, DefaultOptions.MaxComplexity)
	}
	if got := price(many.String()); got <= DefaultOptions.MaxComplexity {
		t.Errorf("24 relationship conditions over 5M relationships cost %d, within the limit %d", got, DefaultOptions.MaxComplexity)
	}
	if f := price(`{ entityFacets { total } }`); f < 1_000_000/recordsPerPoint {
		t.Errorf("entityFacets costs %d, less than a scan of the entities", f)
	}
}

// TestArgumentIsArgumentMaps checks that the pricing's reading of one
// argument gives what ast.Field.ArgumentMap gives for it, on every field of
// documents that write first and last as literals, as variables given and
// missing, and not at all (the schema's default), through fragments.
func TestArgumentIsArgumentMaps(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	docs := []string{
		`query($n: Int, $m: Int) { localities(first: $n) { nodes { id events(first: 3) { nodes { id } } agreements(last: $m) { totalCount } } } }`,
		`query($n: Int = 7) { events { nodes { participants(first: $n) { nodes { ...F } } relationships(last: 2, first: 9) { totalCount } } } }
		 fragment F on Entity { id relationships { totalCount } }`,
		`{ entity(id: "x") { id relationships(first: 0) { nodes { id } } } search(text: "a") { score } }`,
	}
	varSets := []map[string]any{{}, {"n": int64(4)}, {"n": int64(5), "m": nil}, {"m": int64(11)}}
	checked := 0
	for _, q := range docs {
		doc, err := gqlparser.LoadQuery(schema, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var walk func(ast.SelectionSet)
		walk = func(set ast.SelectionSet) {
			for _, sel := range set {
				switch s := sel.(type) {
				case *ast.Field:
					for _, vars := range varSets {
						want := s.ArgumentMap(vars)
						for _, name := range []string{"first", "last", "limit", "id"} {
							got, ok := argument(s, name, vars)
							w, wok := want[name]
							if ok != wok || fmt.Sprint(got) != fmt.Sprint(w) {
								t.Errorf("%s(%s) with %v: argument = %v, %v; ArgumentMap has %v, %v", s.Name, name, vars, got, ok, w, wok)
							}
							checked++
						}
					}
					walk(s.SelectionSet)
				case *ast.InlineFragment:
					walk(s.SelectionSet)
				case *ast.FragmentSpread:
					walk(s.Definition.SelectionSet)
				}
			}
		}
		walk(doc.Operations[0].SelectionSet)
	}
	if checked < 100 {
		t.Fatalf("checked %d arguments only", checked)
	}
}

// TestTextSearchIsPriced: a text search scores up to kg.MaxTextCandidates
// relationships, each read and folded, so on a large graph it costs a
// tenth of the limit: a few in one request are answered, sixty (4.4 s of
// CPU at 1 M entities when priced as one each) are refused. On a small
// graph it costs what its relationships do.
func TestTextSearchIsPriced(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	price := func(query string, entities, relationships int) int {
		t.Helper()
		doc := parse(t, query)
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
		w := costWalker{frags: doc.Fragments, memo: map[string]int{}, visiting: map[string]bool{}, entities: entities, relationships: relationships}
		return w.set(doc.Operations[0].SelectionSet)
	}
	aliases := func(field string, n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, ` a%d: %s(text: "speaker %d") { score }`, i, field, i)
		}
		return b.String() + "}"
	}
	for _, field := range []string{"search", "searchRelationships"} {
		one := price(aliases(field, 1), 1_000_000, 5_000_000)
		if want := kg.MaxTextCandidates * candidateRecords / recordsPerPoint; one < want {
			t.Errorf("%s at 1 M entities costs %d, less than scoring its candidates (%d)", field, one, want)
		}
		if few := price(aliases(field, 3), 1_000_000, 5_000_000); few > DefaultOptions.MaxComplexity {
			t.Errorf("3 %s at 1 M entities cost %d, beyond the limit %d", field, few, DefaultOptions.MaxComplexity)
		}
		if many := price(aliases(field, 60), 1_000_000, 5_000_000); many <= DefaultOptions.MaxComplexity {
			t.Errorf("60 %s at 1 M entities cost %d, within the limit %d", field, many, DefaultOptions.MaxComplexity)
		}
		if small := price(aliases(field, 1), 176, 300); small > 200 {
			t.Errorf("%s of the seed graph costs %d, want at most 200", field, small)
		}
	}
	// Each word of a search's text is looked up among every name.
	one := price(`{ search(text: "b") { score } }`, 1_000_000, 5_000_000)
	ten := price(`{ search(text: "b c d f g, h-k l m \"n\"") { score } }`, 1_000_000, 5_000_000)
	if want := 9 * 1_000_000 / recordsPerPoint; ten-one != want {
		t.Errorf("a search of ten words costs %d, of one %d: want %d more", ten, one, want)
	}
	if ten > DefaultOptions.MaxComplexity {
		t.Errorf("a search of ten words at 1 M entities costs %d, beyond the limit %d", ten, DefaultOptions.MaxComplexity)
	}
	if two := price(`{ a: search(text: "b c d f g h k l m n") { score } b: search(text: "b c d f g h k l m n") { score } }`, 1_000_000, 5_000_000); two <= DefaultOptions.MaxComplexity {
		t.Errorf("two searches of ten words at 1 M entities cost %d, within the limit %d", two, DefaultOptions.MaxComplexity)
	}
	// A word counts once; a long word, which begins words of few names,
	// costs a twentieth of a short one: a pasted title of nineteen words
	// is answered, as the explorer asks for it.
	if again := price(`{ search(text: "b b B b") { score } }`, 1_000_000, 5_000_000); again != one {
		t.Errorf("a search of one word four times costs %d, of it once %d", again, one)
	}
	long := price(`{ search(text: "hanoi") { score } }`, 1_000_000, 5_000_000)
	longer := price(`{ search(text: "hanoi fukuoka") { score } }`, 1_000_000, 5_000_000)
	if want := 1_000_000 / recordsPerPoint / longWordShare; longer-long != want {
		t.Errorf("a second word of four letters costs %d, want %d", longer-long, want)
	}
	title := `query { search(text: "Hiệp định giữa Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam và Chính phủ Nhật Bản về hợp tác", first: 12) {
	  score entity { id name kind ... on Locality { country } } } }`
	if got := price(title, 1_000_000, 5_000_000); got > DefaultOptions.MaxComplexity {
		t.Errorf("a search for a 21-word title at 1 M entities costs %d, beyond the limit %d", got, DefaultOptions.MaxComplexity)
	}
}
