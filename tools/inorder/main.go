// Command inorder rewrites gqlgen's generated executor so that object lists
// and resolver fields are resolved through the executionContext's
// marshalSlice and resolveField (graph/inorder.go), which run them in order
// on the caller's goroutine when the store is in process, and hand them to
// gqlgen's concurrent versions otherwise; so that an object without
// deferred fields builds no deferred group; and so that the marshalers of
// one entity and of one relationship try graph's fastEntity and
// fastRelationship first. go generate runs it after gqlgen; run again, it
// changes nothing.
//
//	go run ./tools/inorder graph/generated.go
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
)

// rewrites are the calls replaced. Each must appear (or its replacement,
// on a second run), so that a gqlgen upgrade that changes them fails here
// rather than silently.
var rewrites = []struct{ from, to string }{
	{"graphql.MarshalSliceConcurrently(ctx,", "ec.marshalSlice(ctx,"},
	{"out.ResolveConcurrently(ec.OperationContext, &deferred, i,", "ec.resolveField(ctx, out, field, &deferred, i,"},
	// An object's deferred group, with its path, is built only when one of
	// its fields is deferred.
	{"deferred := graphql.NewDeferredGroup(ctx)", "deferred := newDeferredGroup(ctx, fields)"},
}

// entityMarshaler matches the first line of a generated marshaler of one
// entity (not of a list), unless fastEntity is already called there.
var entityMarshaler = regexp.MustCompile(`func \(ec \*executionContext\) marshal[NO](Entity|Locality|Event|Official|Organization|Agreement)2[^(]*\(ctx context\.Context, sel ast\.SelectionSet, v (model\.Entity|\*model\.(Locality|Event|Official|Organization|Agreement))\) graphql\.Marshaler \{(\n\tif m, ok := ec\.fastEntity)?`)

// relationshipMarshaler matches the first line of a generated marshaler of
// one relationship, likewise for fastRelationship.
var relationshipMarshaler = regexp.MustCompile(`func \(ec \*executionContext\) marshal[NO]Relationship2ᚖ[^(]*\(ctx context\.Context, sel ast\.SelectionSet, v \*model\.Relationship\) graphql\.Marshaler \{(\n\tif m, ok := ec\.fastRelationship)?`)

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
	// The marshalers of one entity, by interface or concrete type, try
	// fastEntity first.
	n := 0
	src = entityMarshaler.ReplaceAllFunc(src, func(m []byte) []byte {
		if bytes.HasSuffix(m, []byte("ec.fastEntity")) {
			return m // rewritten already
		}
		n++
		return append(bytes.Clone(m), []byte("\n\tif m, ok := ec.fastEntity(sel, v); ok {\n\t\treturn m\n\t}")...)
	})
	if n == 0 && !bytes.Contains(src, []byte("ec.fastEntity(sel, v)")) {
		fmt.Fprintf(os.Stderr, "inorder: %s: no entity marshaler to rewrite; has gqlgen's output changed?\n", path)
		os.Exit(1)
	}
	n = 0
	src = relationshipMarshaler.ReplaceAllFunc(src, func(m []byte) []byte {
		if bytes.HasSuffix(m, []byte("ec.fastRelationship")) {
			return m
		}
		n++
		return append(bytes.Clone(m), []byte("\n\tif m, ok := ec.fastRelationship(sel, v); ok {\n\t\treturn m\n\t}")...)
	})
	if n == 0 && !bytes.Contains(src, []byte("ec.fastRelationship(sel, v)")) {
		fmt.Fprintf(os.Stderr, "inorder: %s: no relationship marshaler to rewrite; has gqlgen's output changed?\n", path)
		os.Exit(1)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
