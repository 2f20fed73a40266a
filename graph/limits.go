package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// pricedSchema prices fields for gqlgen's complexity limit by their
// arguments, so that every list and traversal field is priced without a
// hand-written function each: a field that returns up to n items costs n
// times its selection.
type pricedSchema struct{ graphql.ExecutableSchema }

// Complexity implements graphql.ExecutableSchema.
func (p pricedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	n := 1
	switch {
	case typeName == "Query" && field == "paths":
		n = intArg(args, "first", 10) * intArg(args, "maxHops", 4)
	case typeName == "Query" && field == "neighborhood":
		n = intArg(args, "limit", 100)
	case typeName == "Query" && field == "nodes":
		if ids, ok := args["ids"].([]any); ok {
			n = len(ids)
		}
	case has(args, "last") && args["last"] != nil:
		n = intArg(args, "last", 20)
	case has(args, "first"):
		n = intArg(args, "first", 20)
	default:
		return 0, false // gqlgen's default: 1 + the selection
	}
	return 1 + max(n, 1)*max(child, 1), true
}

func has(args map[string]any, name string) bool {
	_, ok := args[name]
	return ok
}

func intArg(args map[string]any, name string, def int) int {
	switch v := args[name].(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return int(n)
		}
	}
	return def
}

// depthLimit rejects operations whose selections nest deeper than Max
// (introspection fields do not count, so GraphiQL's schema query passes).
type depthLimit struct{ Max int }

const codeDepthLimit = "DEPTH_LIMIT_EXCEEDED"

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (d depthLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if depth := selectionDepth(op.Operation.SelectionSet, 0); depth > d.Max {
		err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", depth, d.Max)
		errcode.Set(err, codeDepthLimit)
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, seen int) int {
	if seen > 100 { // fragment cycles are rejected by validation; this is a guard
		return seen
	}
	deepest := 0
	for _, s := range set {
		var d int
		switch s := s.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, seen+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet, seen+1)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// mutationAuth rejects mutations from callers without a valid API key. It
// runs on the parsed operation, so no resolver of a mutation ever runs for
// an anonymous caller, whatever the mutation.
type mutationAuth struct{}

func (mutationAuth) ExtensionName() string                          { return "MutationAuth" }
func (mutationAuth) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (mutationAuth) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && op.Operation.Operation == ast.Mutation && !Authenticated(ctx) {
		err := gqlerror.Errorf("mutations need an API key: send Authorization: Bearer <key>")
		errcode.Set(err, "UNAUTHENTICATED")
		return err
	}
	return nil
}

type authKey struct{}

// WithAuthenticated marks the request as carrying a valid API key.
func WithAuthenticated(ctx context.Context) context.Context {
	return context.WithValue(ctx, authKey{}, true)
}

// Authenticated reports whether the request carries a valid API key.
func Authenticated(ctx context.Context) bool {
	ok, _ := ctx.Value(authKey{}).(bool)
	return ok
}

// noIntrospection refuses __schema and __type when introspection is off,
// with a code clients can recognise (gqlgen alone reports it as an
// anonymous error).
type noIntrospection struct{}

const codeIntrospectionDisabled = "INTROSPECTION_DISABLED"

func (noIntrospection) ExtensionName() string                          { return "NoIntrospection" }
func (noIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (noIntrospection) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && asksSchema(op.Operation.SelectionSet) {
		err := gqlerror.Errorf("introspection is disabled on this server")
		errcode.Set(err, codeIntrospectionDisabled)
		return err
	}
	return nil
}

func asksSchema(set ast.SelectionSet) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if asksSchema(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && asksSchema(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}
