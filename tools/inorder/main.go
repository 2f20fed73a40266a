// Command inorder rewrites gqlgen's generated executor so that object lists
// and resolver fields are resolved through the executionContext's
// marshalSlice and resolveField (graph/inorder.go), which run them in order
// on the caller's goroutine when the store is in process, and hand them to
// gqlgen's concurrent versions otherwise; so that an object without
// deferred fields builds no deferred group; and so that the marshalers of
// one entity and of one relationship try graph's fastEntity and
// fastRelationship first; and so that a query's root selection goes to
// graph's direct executor first. It also writes resolvers_table.go, for
// the direct executor: every resolver field of the generated code with its
// argument parser and resolver call, and every field of a model object with
// its generated function. go generate runs it after
// gqlgen; run again, it changes nothing.
//
//	go run ./tools/inorder graph/generated.go
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
	// A query's root selection goes to the direct executor first.
	{"data = ec._Query(ctx, opCtx.Operation.SelectionSet)", "data = ec.query(ctx, opCtx.Operation.SelectionSet)"},
	// and its answer, written already, is not copied.
	{"\t\t\tvar buf bytes.Buffer\n\t\t\tdata.MarshalGQL(&buf)\n\t\t\tresponse.Data = buf.Bytes()", "\t\t\tresponse.Data = marshalData(data)"},
}

// resolverField matches a generated resolver field: its type, name and
// object type (none at the root), the resolver call's method and
// arguments, and the Go type of its value.
var resolverField = regexp.MustCompile(`func \(ec \*executionContext\) _(\w+)_(\w+)\(ctx context\.Context, field graphql\.CollectedField(?:, obj \*model\.(\w+))?\) \(ret graphql\.Marshaler\) \{\n\treturn graphql\.ResolveField\(\n(?:.*\n){1,8}?(?:\t\t\tfc := graphql\.GetFieldContext\(ctx\)\n)?\t\t\treturn (ec\.Resolvers\.\w+\(\)\.\w+)\(ctx(?:, obj)?((?:, [^\n]*)?)\)\n\t\t\},\n\t\tnil,\n\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v ([^)]+)\) graphql\.Marshaler \{`)

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
	table := resolverTable(src)
	if table == nil {
		fmt.Fprintf(os.Stderr, "inorder: %s: no resolver field found; has gqlgen's output changed?\n", path)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "resolvers_table.go"), table, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// objectField matches the first line of a generated field of a model
// object: its type, name and object type.
var objectField = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _(\w+)_(\w+)\(ctx context\.Context, field graphql\.CollectedField, obj \*model\.(\w+)\) \(ret graphql\.Marshaler\) \{$`)

// resolverTable writes resolvers_table.go for the direct executor
// (graph/direct.go): every resolver field of the generated code, by
// "Type.field", with its argument parser and a call of its resolver; and
// every field of a model object with its generated function.
func resolverTable(src []byte) []byte {
	var b bytes.Buffer
	b.WriteString(`// Code generated by tools/inorder from generated.go. DO NOT EDIT.

package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vjkg/vjkg/graph/model"
)

// resolvers are the generated executor's resolver fields, by "Type.field":
// how to read their arguments and call their resolver.
var resolvers = map[string]resolverField{
`)
	n := 0
	for _, m := range resolverField.FindAllSubmatch(src, -1) {
		typ, field, obj, call, args, value := string(m[1]), string(m[2]), string(m[3]), string(m[4]), string(m[5]), string(m[6])
		parse := "nil"
		if bytes.Contains(src, []byte(fmt.Sprintf("func (ec *executionContext) field_%s_%s_args(", typ, field))) {
			parse = fmt.Sprintf("(*executionContext).field_%s_%s_args", typ, field)
		}
		self := ""
		if obj != "" {
			self = fmt.Sprintf(", obj.(*model.%s)", obj)
		}
		args = strings.ReplaceAll(args, "fc.Args[", "args[")
		fmt.Fprintf(&b, "\t%q: {args: %s, resolve: func(ec *executionContext, ctx context.Context, obj any, args map[string]any) (any, error) {\n", typ+"."+field, parse)
		fmt.Fprintf(&b, "\t\tv, err := %s(ctx%s%s) // %s\n\t\treturn v, err\n\t}},\n", call, self, args, value)
		n++
	}
	if n == 0 {
		return nil
	}
	b.WriteString(`}

// fieldFuncs are the generated executor's fields of model objects, by
// "Type.field": each resolves the field and marshals its value, for the
// direct executor to hand a field it does not write itself.
var fieldFuncs = map[string]func(ec *executionContext, ctx context.Context, field graphql.CollectedField, obj any) graphql.Marshaler{
`)
	for _, m := range objectField.FindAllSubmatch(src, -1) {
		typ, field, obj := string(m[1]), string(m[2]), string(m[3])
		if typ != obj {
			continue
		}
		fmt.Fprintf(&b, "\t%q: func(ec *executionContext, ctx context.Context, field graphql.CollectedField, obj any) graphql.Marshaler {\n\t\treturn ec._%s_%s(ctx, field, obj.(*model.%s))\n\t},\n", typ+"."+field, typ, field, obj)
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, "inorder: resolvers_table.go:", err)
		os.Exit(1)
	}
	return out
}
