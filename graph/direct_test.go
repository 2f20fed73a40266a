package graph

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestDirectKnowsIsBounded checks that the direct executor's look at a
// document stops at maxDirectSelections, however often its fragments
// spread each other (the document gate refuses such a document first; this
// holds without it), and still knows a small chain of the same shape.
func TestDirectKnowsIsBounded(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	chain := func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "query{...F%d} fragment F0 on Query{localities(first: 1){totalCount}}", n-1)
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, " fragment F%d on Query{...F%d ...F%d}", i, i-1, i-1)
		}
		return b.String()
	}
	for _, c := range []struct {
		n    int
		want bool
	}{{3, true}, {20, false}} {
		doc, err := gqlparser.LoadQuery(schema, chain(c.n))
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		if got := directKnows("Query", doc.Operations[0].SelectionSet, &seen, false); got != c.want {
			t.Errorf("chain of %d: directKnows = %v, want %v", c.n, got, c.want)
		}
		if seen > maxDirectSelections+2 {
			t.Errorf("chain of %d: looked at %d selections", c.n, seen)
		}
	}
}

// TestPlanCacheIsBounded checks that the plans kept with documents stay
// within their number and the size of their documents' text, and that a
// large document's plan is not kept.
func TestPlanCacheIsBounded(t *testing.T) {
	c := newPinCache[*ast.OperationDefinition, *directPlan](maxDirectPlans, maxPlansText)
	for i := range 3 * maxDirectPlans {
		keepPlan(c, &ast.OperationDefinition{}, &directPlan{}, 100)
		if len(c.m) > maxDirectPlans || c.text > maxPlansText {
			t.Fatalf("after %d plans: %d kept, %d bytes of text", i+1, len(c.m), c.text)
		}
	}
	for i := range 100 {
		keepPlan(c, &ast.OperationDefinition{}, &directPlan{}, maxPlanText)
		if c.text > maxPlansText {
			t.Fatalf("after %d large plans: %d bytes of text", i+1, c.text)
		}
	}
	large := &ast.OperationDefinition{}
	keepPlan(c, large, &directPlan{}, maxPlanText+1)
	if _, ok := c.get(large); ok {
		t.Error("the plan of a document over maxPlanText bytes was kept")
	}
	small := &ast.OperationDefinition{}
	keepPlan(c, small, &directPlan{}, 10)
	if _, ok := c.get(small); !ok {
		t.Error("the plan of a small document was not kept")
	}
}
