package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vjkg/vjkg/kg"
)

// mutationAuth rejects mutations from callers without a valid API key. It
// runs on the parsed operation, so no resolver of a mutation ever runs for
// an anonymous caller, whatever the mutation.
type mutationAuth struct{}

func (mutationAuth) ExtensionName() string                          { return "MutationAuth" }
func (mutationAuth) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (mutationAuth) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && op.Operation.Operation == ast.Mutation && !Authenticated(ctx) {
		return refusal(kg.EUnauthenticated, "mutations need an API key: send Authorization: Bearer <key>")
	}
	return nil
}

type authKey struct{}

// WithAuthenticated marks the request as carrying a valid API key, the
// one named actor (the name revisions record).
func WithAuthenticated(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, authKey{}, actor)
}

// Authenticated reports whether the request carries a valid API key.
func Authenticated(ctx context.Context) bool {
	_, ok := ctx.Value(authKey{}).(string)
	return ok
}

// Actor returns the name of the request's API key; "anonymous" without one.
func Actor(ctx context.Context) string {
	if name, ok := ctx.Value(authKey{}).(string); ok {
		return name
	}
	return "anonymous"
}

// noIntrospection refuses __schema and __type when introspection is off,
// with a code clients can recognise (gqlgen alone reports it as an
// anonymous error).
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                          { return "NoIntrospection" }
func (noIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (noIntrospection) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && asksSchema(op.Operation.SelectionSet, map[string]bool{}) {
		return refusal(CodeIntrospectionDisabled, "introspection is disabled on this server")
	}
	return nil
}

// asksSchema reports whether set selects __schema or __type. Each fragment
// is looked into once (seen), however often it is spread.
func asksSchema(set ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if asksSchema(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if asksSchema(s.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}
