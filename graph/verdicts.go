package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// The checks on a field's selection (countOnly, outlineOnly,
// pageOutlineOnly, …) collect its fields with gqlgen's CollectFields, which
// allocates the collected fields, a cache key and a cache entry on every
// call: a fifth of the nested query's allocations not made by the store
// (23 of 363), asked again on every request of a document that does not
// change. What a check decides depends on the selection set alone when the
// document holds no directive (the only ones that can drop a field, @skip
// and @include, read variables), so a verdict is kept per selection set
// as parsed (the query cache keeps the parsed document of a query it has
// seen) and check.

// selectionCheck names one check.
type selectionCheck uint8

const (
	checkCountOnly selectionCheck = iota
	checkOutlineOnly
	checkIdentityOnly
	checkPageOutline
	checkRelationshipsOutline
)

// verdictKey is a selection set as parsed (its first selection and
// length) and a check. The key holds the selection, so its address is not
// reused while the verdict is kept.
type verdictKey struct {
	first *ast.Selection
	n     int
	check selectionCheck
}

// verdicts are the kept verdicts, bounded like the direct executor's
// plans (a selection holds its document's source through its position).
var verdicts = newPinCache[verdictKey, bool](maxVerdicts, maxVerdictsText)

const (
	maxVerdicts     = 4096
	maxVerdictsText = 1 << 20
)

// verdict returns what decide says of ctx's field, kept from an earlier
// request with the same parsed selection when the document allows.
func verdict(ctx context.Context, check selectionCheck, decide func(context.Context) bool) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return decide(ctx)
	}
	sel, own := fc.Field.Selections, fc.Field.Field.SelectionSet
	src := sourceOf(fc.Field.Field)
	// Only the field's own selection set, as parsed (CollectFields copies
	// it; a field merged with another of its name has more), and a
	// document with directives may select differently with other
	// variables.
	if len(own) == 0 || !slices.Equal(sel, own) || src == nil ||
		len(src.Input) > maxPlanText || !cachePlan(graphql.GetOperationContext(ctx)) {
		return decide(ctx)
	}
	key := verdictKey{first: &own[0], n: len(own), check: check}
	if v, ok := verdicts.get(key); ok {
		return v
	}
	v := decide(ctx)
	verdicts.put(key, src, len(src.Input), v)
	return v
}

// sourceOf returns the document source a field was parsed from, nil if it
// does not say.
func sourceOf(f *ast.Field) *ast.Source {
	if f.Position == nil {
		return nil
	}
	return f.Position.Src
}
