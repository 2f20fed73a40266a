package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// gqlgen's executor resolves each element of an object list, and each
// object's second and later resolver fields, on a goroutine of its own, so
// that the loaders can gather a level's keys while the resolvers wait. Over
// Neo4j that saves round trips. With the store in process, goroutine start
// and stack growth cost more than the fields they resolve (profiled on the
// neighbourhood query at 1 M entities: runtime.newstack alone 18%), and a
// level is gathered without them (cohort.go). go generate therefore rewrites
// the generated code (tools/inorder) to call the two methods below, which
// resolve in order on the caller's goroutine when Resolver.InOrder is set.

// marshalSlice is graphql.MarshalSliceConcurrently, run in order when the
// resolver asks for it: each element still gets its own field context, and a
// panic nulls only that element.
func (ec *executionContext) marshalSlice(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if !ec.inOrder() {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	indices := make([]int, length)
	for i := range length {
		indices[i] = i
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &indices[i]})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		ret[i] = marshalRecovering(childCtx, i, marshalElement)
	}
	return ret
}

func marshalRecovering(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}

// resolveField is FieldSet.ResolveConcurrently, or, in order, the field
// resolved at once: its value is stored at i and counted against
// out.Invalids as Dispatch would. A deferred field still goes to the
// deferred group.
func (ec *executionContext) resolveField(ctx context.Context, out *graphql.FieldSet, field graphql.CollectedField,
	deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler) {
	if field.IsDeferred() || !ec.inOrder() {
		out.ResolveConcurrently(ec.OperationContext, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	v := resolveRecovering(ctx, ec.OperationContext, recoverFromPanic, resolve)
	out.Values[i] = v
	invalid := graphql.Marshaler(graphql.RequiredNull)
	if nonNull {
		invalid = graphql.Null
	}
	if v == invalid {
		atomic.AddUint32(&out.Invalids, 1)
	}
}

func resolveRecovering(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool, resolve func(ctx context.Context) graphql.Marshaler) (m graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				m = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}

func (ec *executionContext) inOrder() bool {
	r, ok := ec.Resolvers.(*Resolver)
	return ok && r.InOrder
}

// newDeferredGroup is graphql.NewDeferredGroup for an object whose fields
// are fields, built only when one of them is deferred: the group computes
// the object's path, which costs allocations for every object of every
// response otherwise (11% of a nested query's, profiled).
func newDeferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{Context: ctx}
}
