package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// The direct executor answers, in order, queries whose root fields are
// lists of entities, single entities, neighbourhoods, paths or search. It
// writes the JSON as it walks the selection, with no field set, field
// context or marshaler per field, for what explorers and notebooks ask most:
// entities' ids, kinds, names and relationship connections, connections'
// nodes, edges, totals and page info, relationships' ids, types and ends,
// subgraphs, paths and search hits (on the nested query of the benchmark at
// 1 M entities, gqlgen's generated executor cost four times the store calls
// it made). Any other field of a model object it hands to the generated
// executor's function for that field (fieldFuncs). The resolvers are the
// generated executor's own (resolvers_table.go, written by tools/inorder),
// called under the same field contexts, one per place, so that cohorts
// batch each level as they do under gqlgen.
//
// A document with another root field or directive, @defer or a fragment on
// Node goes to the generated executor (directKnows, before anything runs),
// and so does an operation that meets an error, a null where the schema has
// none or a panic: the generated executor then answers it from the start
// (reads have no side effects, and the loaders keep what was fetched).
// TestDirectAnswersAlike and FuzzDirectAnswersAlike require both to answer
// alike, byte for byte.

// resolverField is one resolver field of the generated executor: how to
// read its arguments (nil: it has none) and call its resolver.
type resolverField struct {
	args    func(ec *executionContext, ctx context.Context, raw map[string]any) (map[string]any, error)
	resolve func(ec *executionContext, ctx context.Context, obj any, args map[string]any) (any, error)
}

// errIndirect says the direct executor leaves the operation to gqlgen's.
var errIndirect = errors.New("not answered directly")

// query answers a query's root selection: directly if it can, otherwise
// with the generated executor. go generate makes Exec call it
// (tools/inorder).
func (ec *executionContext) query(ctx context.Context, sel ast.SelectionSet) graphql.Marshaler {
	if r, ok := ec.Resolvers.(*Resolver); ok && r.Direct && r.InOrder && directKnows("Query", sel, new(int), false) {
		if data, ok := ec.direct(ctx, sel); ok {
			if st := stateOf(ctx); st != nil {
				st.info.set(func(i *RequestInfo) { i.direct = true })
			}
			return rawJSON(data)
		}
	}
	return ec._Query(ctx, sel)
}

// directRoots are the root fields the direct executor answers.
var directRoots = map[string]bool{
	"entities": true, "localities": true, "officials": true, "organizations": true, "agreements": true, "events": true,
	"entity": true, "locality": true, "official": true, "organization": true, "agreement": true, "event": true,
	"neighborhood": true, "paths": true, "search": true,
}

// directKnows reports whether the direct executor knows every field sel
// may ask of an object of type typ, whatever the variables: it is checked
// before anything runs, so that a document it does not know costs no store
// call twice. A field under @skip counts as asked. A field it does not
// write itself it hands to the generated executor's field (fieldFuncs),
// whose selection is only checked for directives (handed). seen counts
// the selections looked at: the document gate bounds them (fragments count
// at each spread), and beyond maxDirectSelections the document is left to
// gqlgen rather than walked further.
func directKnows(typ string, sel ast.SelectionSet, seen *int, handed bool) bool {
	*seen += len(sel)
	if *seen > maxDirectSelections {
		return false
	}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if !onlyConditions(s.Directives) {
				return false
			}
			if s.Name == "__typename" {
				continue
			}
			if s.Definition == nil {
				return false
			}
			of, inner := s.Definition.Type.Name(), handed
			if !handed {
				switch {
				case directField(typ, s.Name, of):
				case handedField(typ, s.Name):
					inner = true
				default:
					return false
				}
			}
			if len(s.SelectionSet) > 0 && !directKnows(of, s.SelectionSet, seen, inner) {
				return false
			}
		case *ast.InlineFragment:
			on := s.TypeCondition
			if on == "" {
				on = typ
			}
			if !onlyConditions(s.Directives) || !directKnows(on, s.SelectionSet, seen, handed) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !onlyConditions(s.Directives) ||
				!directKnows(s.Definition.TypeCondition, s.Definition.SelectionSet, seen, handed) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// handedField reports whether the generated executor has field name of
// every object type typ may be.
func handedField(typ, name string) bool {
	if typ != "Entity" {
		_, ok := fieldFuncs[typ+"."+name]
		return ok
	}
	for _, t := range typeOfKind {
		if _, ok := fieldFuncs[t.name+"."+name]; !ok {
			return false
		}
	}
	return true
}

// maxDirectSelections bounds the selections directKnows looks at.
const maxDirectSelections = 10000

// onlyConditions reports whether directives are only @skip and @include.
func onlyConditions(directives ast.DirectiveList) bool {
	for _, d := range directives {
		if d.Name != "skip" && d.Name != "include" {
			return false
		}
	}
	return true
}

// directField reports whether the direct executor writes field name, of
// GraphQL type of, of an object of type typ.
func directField(typ, name, of string) bool {
	switch {
	case typ == "Query":
		return directRoots[name]
	case typ == "Entity" || isEntityType(typ):
		return name == "id" || name == "kind" || name == "name" || of == "RelationshipConnection"
	case entityConnection(typ):
		return name == "edges" || name == "nodes" || name == "pageInfo" || name == "totalCount"
	case entityEdge(typ):
		return name == "cursor" || name == "node"
	case typ == "RelationshipConnection":
		return name == "edges" || name == "nodes" || name == "pageInfo" || name == "totalCount"
	case typ == "RelationshipEdge":
		return name == "cursor" || name == "node" || name == "direction" || name == "type" || name == "role"
	case typ == "PageInfo":
		return name == "hasNextPage" || name == "hasPreviousPage" || name == "startCursor" || name == "endCursor"
	case typ == "Subgraph":
		return name == "nodes" || name == "relationships" || name == "truncated"
	case typ == "Path":
		return name == "nodes" || name == "relationships" || name == "length" || name == "score"
	case typ == "SearchHit":
		return name == "entity" || name == "score"
	case typ == "Relationship":
		return name == "id" || name == "type" || name == "from" || name == "to"
	}
	return false
}

// rawJSON is an answer written already.
type rawJSON []byte

func (j rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(j) }

// marshalData writes a query's data, or returns it if it is written
// already. go generate makes Exec call it (tools/inorder).
func marshalData(data graphql.Marshaler) []byte {
	if j, ok := data.(rawJSON); ok {
		return j
	}
	var buf bytes.Buffer
	data.MarshalGQL(&buf)
	return buf.Bytes()
}

func (ec *executionContext) direct(ctx context.Context, sel ast.SelectionSet) (data []byte, ok bool) {
	defer func() {
		// The generated executor answers again, and reports the panic
		// as it does.
		if recover() != nil {
			ok = false
		}
	}()
	// Errors a resolver adds go to a response of their own, dropped with
	// the answer if the operation goes to the generated executor.
	ctx = graphql.WithFreshResponseContext(ctx)
	d := directRun{ec: ec, places: map[directPlace]context.Context{}, collected: map[collectKey][]graphql.CollectedField{},
		cohorts: map[*graphql.FieldContext]*place{},
		out:     make([]byte, 0, min(lastDirectSize.Load()+lastDirectSize.Load()/8+64, 1<<20))}
	if err := d.object(ctx, sel, "Query", []string{"Query"}, nil); err != nil {
		return nil, false
	}
	if len(graphql.GetErrors(ctx)) > 0 {
		return nil, false
	}
	lastDirectSize.Store(int64(len(d.out)))
	return d.out, true
}

// directRun is one operation's direct answer.
type directRun struct {
	ec  *executionContext
	out []byte
	// places are the contexts of the fields resolved so far, one per
	// place (parent field, field, type): the cohorts find a place's
	// parents through them, as through gqlgen's field contexts.
	places map[directPlace]context.Context
	// collected are the fields of each selection set by type: a list's
	// objects of one type ask for the same.
	collected map[collectKey][]graphql.CollectedField
	// cohorts are the places of cohort.go, by field context, once known.
	cohorts map[*graphql.FieldContext]*place
}

type collectKey struct {
	sel *ast.Selection
	typ string
}

// lastDirectSize is the size of the last direct answer, which the next
// starts with room for: answers of one client's queries are alike, and
// growing from nothing cost a copy per doubling.
var lastDirectSize atomic.Int64

type directPlace struct {
	parent *graphql.FieldContext
	field  *ast.Field
	object string
}

// fieldContext returns the context of field f of an object of type
// object, below ctx, with its arguments read (once per place).
func (d *directRun) fieldContext(ctx context.Context, object string, f graphql.CollectedField, rf *resolverField) (context.Context, *graphql.FieldContext, error) {
	key := directPlace{graphql.GetFieldContext(ctx), f.Field, object}
	if c, ok := d.places[key]; ok {
		return c, graphql.GetFieldContext(c), nil
	}
	fc := &graphql.FieldContext{Object: object, Field: f, IsMethod: rf != nil, IsResolver: rf != nil}
	c := graphql.WithFieldContext(ctx, fc)
	if rf != nil && rf.args != nil {
		args, err := rf.args(d.ec, c, f.ArgumentMap(d.ec.Variables))
		if err != nil {
			return nil, nil, errIndirect
		}
		fc.Args = args
	}
	d.places[key] = c
	return c, fc, nil
}

// object writes the fields sel asks of obj, whose type is typ.
func (d *directRun) object(ctx context.Context, sel ast.SelectionSet, typ string, implementors []string, obj any) error {
	fields := d.collect(sel, typ, implementors)
	d.out = append(d.out, '{')
	// CollectFields merged the fields of one response name.
	for i, f := range fields {
		if f.IsDeferred() || f.Definition == nil && f.Name != "__typename" {
			return errIndirect
		}
		if i > 0 {
			d.out = append(d.out, ',')
		}
		d.out = appendQuoted(d.out, f.Alias)
		d.out = append(d.out, ':')
		if f.Name == "__typename" {
			d.out = appendQuoted(d.out, typ)
			continue
		}
		if err := d.field(ctx, typ, f, obj); err != nil {
			return err
		}
	}
	d.out = append(d.out, '}')
	return nil
}

// Write appends p to the answer: the generated executor's fields write
// into it.
func (d *directRun) Write(p []byte) (int, error) {
	d.out = append(d.out, p...)
	return len(p), nil
}

// collect returns the fields sel asks of an object of type typ, once per
// selection and type.
func (d *directRun) collect(sel ast.SelectionSet, typ string, implementors []string) []graphql.CollectedField {
	if len(sel) == 0 {
		return nil
	}
	k := collectKey{&sel[0], typ}
	fields, ok := d.collected[k]
	if !ok {
		fields = graphql.CollectFields(d.ec.OperationContext, sel, implementors)
		d.collected[k] = fields
	}
	return fields
}

// field writes the value of field f of obj.
func (d *directRun) field(ctx context.Context, typ string, f graphql.CollectedField, obj any) error {
	if rec, ok := obj.(interface{ Record() *kg.Entity }); ok {
		// An entity's own fields come from its record.
		e := rec.Record()
		switch f.Name {
		case "id":
			d.out = appendQuoted(d.out, e.ID)
			return nil
		case "name":
			d.out = appendQuoted(d.out, e.Name)
			return nil
		case "kind":
			d.out = strconv.AppendQuote(d.out, model.EntityKind(e.Kind).String())
			return nil
		}
	}
	if r, ok := obj.(*model.Relationship); ok && (f.Name == "from" || f.Name == "to") && d.end(r, f) {
		return nil
	}
	if !directField(typ, f.Name, f.Definition.Type.Name()) {
		// Handed to the generated executor's field, which resolves and
		// writes it (and records any error, which sends the operation
		// to gqlgen).
		fn, ok := fieldFuncs[typ+"."+f.Name]
		if !ok {
			return errIndirect
		}
		m := fn(d.ec, ctx, f, obj)
		if m == graphql.Null && f.Definition.Type.NonNull {
			return errIndirect
		}
		m.MarshalGQL(d)
		return nil
	}
	rf, isResolver := resolvers[typ+"."+f.Name]
	var v any
	if isResolver {
		c, fc, err := d.fieldContext(ctx, typ, f, &rf)
		if err != nil {
			return err
		}
		if got, ok := d.resolvedAt(c, fc, obj); ok {
			// Resolved with the other parents at this place (cohort.go).
			if got.err != nil {
				return errIndirect
			}
			return d.value(c, f, f.Definition.Type, got.v)
		}
		if v, err = rf.resolve(d.ec, c, obj, fc.Args); err != nil {
			return errIndirect
		}
		fc.Result = v
		return d.value(c, f, f.Definition.Type, v)
	}
	v, ok := plainField(typ, f.Name, obj)
	if !ok {
		return errIndirect
	}
	if f.Selections == nil {
		return d.value(ctx, f, f.Definition.Type, v)
	}
	c, fc, err := d.fieldContext(ctx, typ, f, nil)
	if err != nil {
		return err
	}
	fc.Result = v
	return d.value(c, f, f.Definition.Type, v)
}

// resolvedAt returns the value a cohort resolved for obj at the place of
// fc, once one has: a nested query's later parents then cost a map lookup
// each, not a resolver call that finds its place again.
func (d *directRun) resolvedAt(ctx context.Context, fc *graphql.FieldContext, obj any) (placeValue, bool) {
	pl, ok := d.cohorts[fc]
	if !ok {
		co := d.ec.Resolvers.(*Resolver).loaders(ctx).cohorts
		if co == nil {
			return placeValue{}, false
		}
		if pl = co.placeAt(fc); pl == nil {
			return placeValue{}, false
		}
		d.cohorts[fc] = pl
	}
	return pl.value(obj)
}

// end writes the end of r that f asks for, when f asks only for what r
// says of it (its id and kind), as fastRelationship does; false when f
// asks for more, for the resolver to load the entity.
func (d *directRun) end(r *model.Relationship, f graphql.CollectedField) bool {
	id, kind := r.From, r.FromKind
	if f.Name == "to" {
		id, kind = r.To, r.ToKind
	}
	t, known := typeOfKind[kind]
	if !known {
		return false
	}
	fields := d.collect(f.Selections, t.name, t.implementors)
	if !onlyFields(fields, "__typename", "id", "kind") {
		return false
	}
	recordFields{fields: fields, typename: t.name, id: id, kind: kind}.MarshalGQL(d)
	return true
}

// plainField reads a field without a resolver of the types the direct
// executor writes.
func plainField(typ, name string, obj any) (any, bool) {
	switch o := obj.(type) {
	case *model.RelationshipConnection:
		switch name {
		case "edges":
			return o.Edges, true
		case "pageInfo":
			return o.PageInfo, true
		case "totalCount":
			return o.TotalCount, true
		}
		return nil, false
	case *model.RelationshipEdge:
		switch name {
		case "cursor":
			return o.Cursor, true
		case "direction":
			return o.Direction(), true
		case "type":
			return o.Type(), true
		case "role":
			return o.Role(), true
		}
		return nil, false
	case *model.Subgraph:
		switch name {
		case "nodes":
			return o.Nodes, true
		case "relationships":
			return o.Relationships, true
		case "truncated":
			return o.Truncated, true
		}
		return nil, false
	case *model.Path:
		switch name {
		case "nodes":
			return o.Nodes, true
		case "relationships":
			return o.Relationships, true
		case "length":
			return o.Length, true
		case "score":
			return o.Score, true
		}
		return nil, false
	case *model.SearchHit:
		switch name {
		case "entity":
			return o.Entity, true
		case "score":
			return o.Score, true
		}
		return nil, false
	case *model.Relationship:
		switch name {
		case "id":
			return o.ID, true
		case "type":
			return o.Type(), true
		}
		return nil, false
	case *model.PageInfo:
		switch name {
		case "hasNextPage":
			return o.HasNextPage, true
		case "hasPreviousPage":
			return o.HasPreviousPage, true
		case "startCursor":
			return o.StartCursor, true
		case "endCursor":
			return o.EndCursor, true
		}
		return nil, false
	}
	if !entityConnection(typ) && !entityEdge(typ) {
		return nil, false
	}
	switch name {
	case "edges", "nodes", "pageInfo", "totalCount", "cursor", "node":
		return readField(obj, name)
	}
	return nil, false
}

// entityConnection reports whether typ is a page of entities (of one kind
// or any), entityEdge whether it is one of its edges.
func entityConnection(typ string) bool {
	k, ok := strings.CutSuffix(typ, "Connection")
	return ok && (k == "Entity" || isEntityType(k))
}

func entityEdge(typ string) bool {
	k, ok := strings.CutSuffix(typ, "Edge")
	return ok && (k == "Entity" || isEntityType(k))
}

func isEntityType(name string) bool {
	for _, t := range typeOfKind {
		if t.name == name {
			return true
		}
	}
	return false
}

// value writes v, of GraphQL type t, as the answer to f.
func (d *directRun) value(ctx context.Context, f graphql.CollectedField, t *ast.Type, v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface || rv.Kind() == reflect.Slice) && rv.IsNil() {
		if t.NonNull {
			return errIndirect // gqlgen reports the null and nulls the parent
		}
		d.out = append(d.out, "null"...)
		return nil
	}
	if t.Elem != nil {
		if rv.Kind() != reflect.Slice {
			return errIndirect
		}
		d.out = append(d.out, '[')
		for i := range rv.Len() {
			if i > 0 {
				d.out = append(d.out, ',')
			}
			if err := d.value(ctx, f, t.Elem, rv.Index(i).Interface()); err != nil {
				return err
			}
		}
		d.out = append(d.out, ']')
		return nil
	}
	switch t.NamedType {
	case "String", "ID":
		s, ok := v.(string)
		if !ok {
			if p, isPtr := v.(*string); isPtr {
				s, ok = *p, true
			}
		}
		if !ok {
			return errIndirect
		}
		d.out = appendQuoted(d.out, s)
		return nil
	case "Int":
		n, ok := v.(int)
		if !ok {
			return errIndirect
		}
		d.out = strconv.AppendInt(d.out, int64(n), 10)
		return nil
	case "Float":
		x, ok := v.(float64)
		if !ok || math.IsInf(x, 0) || math.IsNaN(x) {
			return errIndirect
		}
		d.out = strconv.AppendFloat(d.out, x, 'g', -1, 64) // as graphql.MarshalFloatContext's %g
		return nil
	case "Boolean":
		b, ok := v.(bool)
		if !ok {
			return errIndirect
		}
		d.out = strconv.AppendBool(d.out, b)
		return nil
	case "PageInfo":
		return d.object(ctx, f.Selections, "PageInfo", pageInfoImplementors, v)
	case "RelationshipConnection":
		return d.object(ctx, f.Selections, "RelationshipConnection", relationshipConnectionImplementors, v)
	case "RelationshipEdge":
		return d.object(ctx, f.Selections, "RelationshipEdge", relationshipEdgeImplementors, v)
	case "Relationship":
		return d.object(ctx, f.Selections, "Relationship", relationshipImplementors, v)
	case "Subgraph":
		return d.object(ctx, f.Selections, "Subgraph", subgraphImplementors, v)
	case "Path":
		return d.object(ctx, f.Selections, "Path", pathImplementors, v)
	case "SearchHit":
		return d.object(ctx, f.Selections, "SearchHit", searchHitImplementors, v)
	}
	if def := d.ec.Schema().Types[t.NamedType]; def != nil && def.Kind == ast.Enum {
		// gqlgen's enums write the quoted name of their value.
		e, ok := v.(fmt.Stringer)
		if !ok {
			return errIndirect
		}
		d.out = strconv.AppendQuote(d.out, e.String())
		return nil
	}
	if entityConnection(t.NamedType) || entityEdge(t.NamedType) {
		return d.object(ctx, f.Selections, t.NamedType, []string{t.NamedType}, v)
	}
	if t.NamedType == "Entity" || isEntityType(t.NamedType) {
		rec, ok := v.(interface{ Record() *kg.Entity })
		if !ok || rec.Record() == nil {
			return errIndirect
		}
		et, known := typeOfKind[rec.Record().Kind]
		if !known {
			return errIndirect
		}
		return d.object(ctx, f.Selections, et.name, et.implementors, v)
	}
	return errIndirect
}

// appendQuoted appends s as a JSON string, as graphql.MarshalString writes
// it: control characters, quotes and backslashes escaped, the rest as is.
func appendQuoted(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		out = append(out, s[start:i]...)
		switch c {
		case '\t':
			out = append(out, `\t`...)
		case '\r':
			out = append(out, `\r`...)
		case '\n':
			out = append(out, `\n`...)
		case '\\':
			out = append(out, `\\`...)
		case '"':
			out = append(out, `\"`...)
		default:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}
