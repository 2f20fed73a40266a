package graph

import (
	"io"
	"reflect"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// fastEntity marshals an entity whose selection asks only for what its
// record says outright (__typename, id, kind, name): the ends of a graph
// view's edges, the nodes of neighbourhoods, paths and pages. The
// generated code builds a field set, a field context and a marshaler per
// field of every object, which for such an entity costs several times what
// it writes (profiled on a neighbourhood of 100 nodes and 110 edges: half
// of the request's allocations). In order only, so that
// TestInOrderAnswersAlike compares this with the generated code, byte for
// byte; go generate makes the generated marshalers of the entity types
// call it first (tools/inorder).
func (ec *executionContext) fastEntity(sel ast.SelectionSet, v any) (graphql.Marshaler, bool) {
	if !ec.inOrder() {
		return nil, false
	}
	r, ok := v.(interface{ Record() *kg.Entity })
	if !ok || reflect.ValueOf(v).IsNil() {
		return nil, false
	}
	e := r.Record()
	if e == nil {
		return nil, false
	}
	t, known := typeOfKind[e.Kind]
	if !known {
		return nil, false
	}
	fields := graphql.CollectFields(ec.OperationContext, sel, t.implementors)
	if !onlyFields(fields, "__typename", "id", "kind", "name") {
		return nil, false
	}
	return recordFields{fields: fields, typename: t.name, id: e.ID, kind: e.Kind, name: e.Name}, true
}

// typeOfKind names the GraphQL type of each kind of entity, with its
// implementors.
var typeOfKind = map[kg.Kind]struct {
	name         string
	implementors []string
}{
	kg.KindLocality: {"Locality", localityImplementors}, kg.KindEvent: {"Event", eventImplementors},
	kg.KindOfficial: {"Official", officialImplementors}, kg.KindOrganization: {"Organization", organizationImplementors},
	kg.KindAgreement: {"Agreement", agreementImplementors},
}

// fastRelationship marshals a relationship asked only for its id, type
// and ends, each end only for its id and kind (a graph view's edge list),
// as fastEntity does an entity; the ends are written from the
// relationship, as the resolver of from and to does for such a selection.
func (ec *executionContext) fastRelationship(sel ast.SelectionSet, v *model.Relationship) (graphql.Marshaler, bool) {
	if !ec.inOrder() || v == nil || v.Relationship == nil {
		return nil, false
	}
	r := v.Relationship
	fields := graphql.CollectFields(ec.OperationContext, sel, relationshipImplementors)
	out := relationshipFields{fields: fields, r: r, ends: make([]recordFields, len(fields))}
	for i, f := range fields {
		if f.IsDeferred() {
			return nil, false
		}
		switch f.Name {
		case "__typename", "id", "type":
		case "from", "to":
			id, kind := r.From, r.FromKind
			if f.Name == "to" {
				id, kind = r.To, r.ToKind
			}
			t, known := typeOfKind[kind]
			if !known {
				return nil, false
			}
			end := graphql.CollectFields(ec.OperationContext, f.Selections, t.implementors)
			if !onlyFields(end, "__typename", "id", "kind") {
				return nil, false
			}
			out.ends[i] = recordFields{fields: end, typename: t.name, id: id, kind: kind}
		default:
			return nil, false
		}
	}
	return out, true
}

// relationshipFields writes the fields of a relationship that
// fastRelationship took.
type relationshipFields struct {
	fields []graphql.CollectedField
	r      *kg.Relationship
	ends   []recordFields // by field, for from and to
}

func (m relationshipFields) MarshalGQL(w io.Writer) {
	writeObject(w, m.fields, func(i int, f graphql.CollectedField) {
		switch f.Name {
		case "__typename":
			graphql.MarshalString("Relationship").MarshalGQL(w)
		case "id":
			graphql.MarshalID(m.r.ID).MarshalGQL(w)
		case "type":
			model.RelationType(m.r.Type).MarshalGQL(w)
		case "from", "to":
			m.ends[i].MarshalGQL(w)
		}
	})
}

// recordFields writes the fields of an entity that fastEntity took, as
// graphql.FieldSet would have: in order, each response name once.
type recordFields struct {
	fields   []graphql.CollectedField
	typename string
	id, name string
	kind     kg.Kind
}

func (m recordFields) MarshalGQL(w io.Writer) {
	writeObject(w, m.fields, func(_ int, f graphql.CollectedField) {
		switch f.Name {
		case "__typename":
			graphql.MarshalString(m.typename).MarshalGQL(w)
		case "id":
			graphql.MarshalID(m.id).MarshalGQL(w)
		case "kind":
			model.EntityKind(m.kind).MarshalGQL(w)
		case "name":
			graphql.MarshalString(m.name).MarshalGQL(w)
		}
	})
}

// writeObject writes an object as graphql.FieldSet does: its fields in
// order, each response name once, value writing field i's value.
func writeObject(w io.Writer, fields []graphql.CollectedField, value func(i int, f graphql.CollectedField)) {
	io.WriteString(w, "{")
	first := true
	for i, f := range fields {
		if writtenBefore(fields[:i], f.Alias) {
			continue
		}
		if !first {
			io.WriteString(w, ",")
		}
		first = false
		graphql.MarshalString(f.Alias).MarshalGQL(w)
		io.WriteString(w, ":")
		value(i, f)
	}
	io.WriteString(w, "}")
}

// onlyFields reports whether fields are all among names, none deferred.
func onlyFields(fields []graphql.CollectedField, names ...string) bool {
	for _, f := range fields {
		if f.IsDeferred() || !slices.Contains(names, f.Name) {
			return false
		}
	}
	return true
}

func writtenBefore(fields []graphql.CollectedField, alias string) bool {
	for _, f := range fields {
		if f.Alias == alias {
			return true
		}
	}
	return false
}
