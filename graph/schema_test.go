package graph_test

import (
	"testing"

	"github.com/vjkg/vjkg/graph"
)

// TestSchemaIsDocumented fails for every type, field, argument, input field
// and enum value of schema.graphqls without a description: the schema is
// the API's documentation (GraphiQL, GET /schema.graphql, generated
// clients), so a new field must say what it means when it is added.
func TestSchemaIsDocumented(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	missing := 0
	report := func(what string) {
		t.Errorf("no description: %s", what)
		missing++
	}
	for name, def := range s.Types {
		if def.BuiltIn {
			continue
		}
		if def.Description == "" {
			report(string(def.Kind) + " " + name)
		}
		for _, f := range def.Fields {
			if isIntrospection(f.Name) {
				continue
			}
			if f.Description == "" {
				report(name + "." + f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					report(name + "." + f.Name + "(" + a.Name + ":)")
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				report(name + "." + v.Name)
			}
		}
	}
	for name, d := range s.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		if d.Description == "" {
			report("directive @" + name)
		}
	}
	if missing > 0 {
		t.Logf("%d descriptions missing in schema.graphqls", missing)
	}
}

func isIntrospection(field string) bool {
	return field == "__schema" || field == "__type" || field == "__typename"
}
