// Command inorder rewrites gqlgen's generated executor so that object lists
// and resolver fields are resolved through the executionContext's
// marshalSlice and resolveField (graph/inorder.go), which run them in order
// on the caller's goroutine when the store is in process, and hand them to
// gqlgen's concurrent versions otherwise; and so that an object without
// deferred fields builds no deferred group. go generate runs it after
// gqlgen.
//
//	go run ./tools/inorder graph/generated.go
package main

import (
	"bytes"
	"fmt"
	"os"
)

// rewrites are the calls replaced, each with the number of times it must
// appear at least (so that a gqlgen upgrade that changes them fails here,
// not silently).
var rewrites = []struct{ from, to string }{
	{"graphql.MarshalSliceConcurrently(ctx,", "ec.marshalSlice(ctx,"},
	{"out.ResolveConcurrently(ec.OperationContext, &deferred, i,", "ec.resolveField(ctx, out, field, &deferred, i,"},
	// An object's deferred group, with its path, is built only when one of
	// its fields is deferred.
	{"deferred := graphql.NewDeferredGroup(ctx)", "deferred := newDeferredGroup(ctx, fields)"},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inorder GENERATED.go")
		os.Exit(2)
	}
	path := os.Args[1]
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, r := range rewrites {
		n := bytes.Count(src, []byte(r.from))
		if n == 0 && !bytes.Contains(src, []byte(r.to)) {
			fmt.Fprintf(os.Stderr, "inorder: %s: no call %q to rewrite; has gqlgen's output changed?\n", path, r.from)
			os.Exit(1)
		}
		src = bytes.ReplaceAll(src, []byte(r.from), []byte(r.to))
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
