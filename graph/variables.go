package graph

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// checkVariables holds variable values for Int to the rule GraphQL holds
// literals to: a whole number that fits 32 bits. gqlparser alone accepts the
// string "10" for an Int and words a refused 1.5 as "cannot use value 0 as
// Int"; here both get the message a literal gets ("Int cannot represent
// non-integer value: …"), with the variable named, and the code of every
// other variable error (GRAPHQL_VALIDATION_FAILED). Other types are left to
// gqlparser, whose checks are right.
func checkVariables(schema *ast.Schema, doc *ast.QueryDocument, operation string, vars map[string]any) *gqlerror.Error {
	op := doc.Operations.ForName(operation)
	if op == nil || len(vars) == 0 {
		return nil // gqlgen reports a missing operation
	}
	for _, def := range op.VariableDefinitions {
		if v, ok := vars[def.Variable]; ok {
			norm, msg := checkValue(schema, def.Type, v, 0)
			if msg != "" {
				return refusal(CodeValidationFailed, "Variable \"$%s\" got invalid value %s; %s", def.Variable, shortJSON(v), msg)
			}
			vars[def.Variable] = norm
		}
	}
	return nil
}

// maxInputNesting stops the walk of a hostile, deeply nested value (the
// body limit bounds its size; this bounds the recursion).
const maxInputNesting = 64

// checkValue returns why v cannot be a value of type t ("" if it can), and
// v with every Int written as a plain integer: JSON's 1e3 is the Int 1000,
// which gqlparser would refuse as written.
func checkValue(schema *ast.Schema, t *ast.Type, v any, depth int) (any, string) {
	if v == nil || depth > maxInputNesting {
		return v, ""
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value is coerced to a list of one
			return checkValue(schema, t.Elem, v, depth+1)
		}
		for i, x := range list {
			var msg string
			if list[i], msg = checkValue(schema, t.Elem, x, depth+1); msg != "" {
				return v, msg
			}
		}
		return v, ""
	}
	if t.NamedType == "Int" {
		return checkInt(v)
	}
	def := schema.Types[t.NamedType]
	obj, ok := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || !ok {
		return v, ""
	}
	for _, f := range def.Fields {
		if x, ok := obj[f.Name]; ok {
			var msg string
			if obj[f.Name], msg = checkValue(schema, f.Type, x, depth+1); msg != "" {
				return v, msg
			}
		}
	}
	return v, ""
}

// checkInt returns v as a json.Number integer, or why it is not a GraphQL Int.
func checkInt(v any) (any, string) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		if _, err := strconv.ParseInt(string(n), 10, 32); err == nil {
			return v, ""
		}
		var err error
		if f, err = n.Float64(); err != nil {
			return v, fmt.Sprintf("Int cannot represent non-integer value: %s", shortJSON(v))
		}
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	default:
		return v, fmt.Sprintf("Int cannot represent non-integer value: %s", shortJSON(v))
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) {
		return v, fmt.Sprintf("Int cannot represent non-integer value: %s", shortJSON(v))
	}
	if f < math.MinInt32 || f > math.MaxInt32 {
		return v, fmt.Sprintf("Int cannot represent non 32-bit signed integer value: %s", shortJSON(v))
	}
	return json.Number(strconv.FormatInt(int64(f), 10)), ""
}

// shortJSON writes v as JSON, cut to a length fit for a message.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return Truncate(string(b), 64)
}
