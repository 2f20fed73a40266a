package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// DocumentLimits bound a GraphQL document before it is validated or run.
// They hold before gqlparser's validation because some of its rules take
// time quadratic in the fields of a selection (1,000 aliases took 17 s and
// 1 GB) and because fragments spread within fragments multiply: 40 of them,
// each spreading the previous one twice, select 2^40 fields in 1.6 KB.
type DocumentLimits struct {
	// MaxTokens is gqlparser's parser token limit: the parser stops there.
	MaxTokens int
	// MaxFields bounds the fields an operation selects, counting a
	// fragment's fields at every spread of it, and the fields the document
	// writes down in all.
	MaxFields int
	// MaxAliases bounds the aliased fields of the document: aliases are how
	// one costly field is asked for many times.
	MaxAliases int
	// MaxDepth bounds how deep selections nest, counted in hops: a
	// connection's edges and node, or its nodes, add no depth to the
	// field they page (agreements { edges { node { … } } } is one level,
	// as agreements { nodes { … } } is), so that a question four
	// relationships deep fits while complexity bounds what it costs.
	// Introspection fields do not count either, so GraphiQL's schema query
	// passes.
	MaxDepth int
}

// documentGate admits a document: it parses it with the token limit,
// measures its shape in time linear in its length (each fragment is
// measured once, however often it is spread), checks the limits, and only
// then validates it against the schema and puts it in the query cache,
// where gqlgen finds it. Every request's variables are checked too, since
// they change per request.
type documentGate struct {
	schema *ast.Schema
	cache  graphql.Cache[*ast.QueryDocument]
	limits DocumentLimits
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = documentGate{}

func (documentGate) ExtensionName() string                          { return "DocumentGate" }
func (documentGate) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
// It runs before gqlgen parses the document.
func (g documentGate) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	doc, ok := g.cache.Get(ctx, p.Query)
	if !ok {
		var err *gqlerror.Error
		if doc, err = g.admit(p.Query); err != nil || doc == nil {
			return err
		}
		g.cache.Add(ctx, p.Query, doc)
	}
	return checkVariables(g.schema, doc, p.OperationName, p.Variables)
}

// admit parses and checks a document that is not in the cache. It returns
// the document once it is valid; nil and no error when it is within the
// limits but invalid, so that gqlgen reports every validation error (it
// parses again, which the limits keep cheap).
func (g documentGate) admit(query string) (*ast.QueryDocument, *gqlerror.Error) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, g.limits.MaxTokens)
	if err != nil {
		msg := err.Error()
		if gqlErr, ok := err.(*gqlerror.Error); ok {
			msg = gqlErr.Message
		}
		if strings.HasPrefix(msg, "exceeded token limit") {
			return nil, refusal(CodeQueryTooLarge, "the document has more than %d tokens, the limit", g.limits.MaxTokens)
		}
		return nil, refusal(CodeParseFailed, "%s", msg)
	}
	if len(doc.Operations) == 0 {
		return nil, refusal(CodeValidationFailed, "no operation provided")
	}
	sh := measureShape(doc, g.limits.MaxFields)
	switch {
	case sh.cycle != "":
		return nil, refusal(CodeValidationFailed, "Cannot spread fragment %q within itself.", sh.cycle)
	case sh.fields > g.limits.MaxFields:
		return nil, refusal(CodeQueryTooLarge, "the document selects more than %d fields (a fragment's fields count at each spread), the limit", g.limits.MaxFields)
	case sh.aliases > g.limits.MaxAliases:
		return nil, refusal(CodeQueryTooLarge, "the document has %d aliases, more than the limit of %d", sh.aliases, g.limits.MaxAliases)
	case sh.depth > g.limits.MaxDepth:
		return nil, refusal(CodeDepthLimit, "operation has depth %d, which exceeds the limit of %d", sh.depth, g.limits.MaxDepth)
	}
	if errs := validator.ValidateWithRules(g.schema, doc, nil); len(errs) > 0 {
		return nil, nil
	}
	return doc, nil
}

// shape is what the limits look at in a document.
type shape struct {
	fields  int    // the most fields an operation selects, fragments expanded; or the fields written, if more
	aliases int    // aliased fields written in the document
	depth   int    // the deepest operation
	cycle   string // a fragment that spreads itself, directly or not
	nodes   int    // fields, arguments and fragments written: what the parsed document holds
}

// measureShape measures doc in one pass over what it writes down: each
// fragment's expanded size and depth are computed once and reused at every
// spread. Counts saturate above limit, so that a fragment bomb's 2^40 is
// neither computed nor overflows.
func measureShape(doc *ast.QueryDocument, limit int) shape {
	m := shaper{frags: map[string]*ast.FragmentDefinition{}, memo: map[fragmentAt]span{}, visiting: map[string]bool{}, cap: limit + 1}
	for _, f := range doc.Fragments {
		m.frags[f.Name] = f
	}
	var sh shape
	for _, op := range doc.Operations {
		s := m.set(op.SelectionSet, underField)
		sh.fields = max(sh.fields, s.fields)
		sh.depth = max(sh.depth, s.depth)
		m.written(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		m.fragment(f.Name, underField)
		m.written(f.SelectionSet)
	}
	sh.fields = max(sh.fields, m.fieldsWritten)
	sh.aliases, sh.cycle, sh.nodes = m.aliases, m.cycle, m.nodes
	return sh
}

// span is the expanded size and depth of a selection set.
type span struct{ fields, depth int }

// under is what a selection set sits in, which decides whether a
// connection's plumbing adds depth: edges and nodes add none directly
// under a field, node none directly under edges. Anything else nesting
// plumbing in plumbing (edges { edges { … } }, which the schema has not)
// counts each level, so a document cannot hide its depth there.
type under int

const (
	underField under = iota // an ordinary field, or the operation
	underEdges              // edges counted as no level
	underNode               // node or nodes, or plumbing out of place
)

// fragmentAt is a fragment measured in one place: its depth depends on
// what its spread sits under.
type fragmentAt struct {
	name  string
	under under
}

type shaper struct {
	frags         map[string]*ast.FragmentDefinition
	memo          map[fragmentAt]span
	visiting      map[string]bool
	cycle         string
	cap           int
	fieldsWritten int
	aliases       int
	nodes         int
}

func (m *shaper) set(set ast.SelectionSet, at under) span {
	var out span
	for _, sel := range set {
		var child span
		switch s := sel.(type) {
		case *ast.Field:
			inner, level := underField, 1
			switch s.Name {
			case "edges":
				inner = underNode // a misplaced edges: what it holds counts every level
				if at == underField {
					inner, level = underEdges, 0
				}
			case "nodes", "node":
				inner = underNode
				if (s.Name == "nodes" && at == underField) || (s.Name == "node" && at == underEdges) {
					level = 0
				}
			}
			child = m.set(s.SelectionSet, inner)
			child.fields++
			if strings.HasPrefix(s.Name, "__") {
				child.depth = 0 // introspection: answered from the schema
			} else {
				child.depth += level
			}
		case *ast.InlineFragment:
			child = m.set(s.SelectionSet, at)
		case *ast.FragmentSpread:
			child = m.fragment(s.Name, at)
		}
		out.fields = min(out.fields+child.fields, m.cap)
		out.depth = max(out.depth, child.depth)
	}
	return out
}

func (m *shaper) fragment(name string, at under) span {
	key := fragmentAt{name, at}
	if s, ok := m.memo[key]; ok {
		return s
	}
	f := m.frags[name]
	if f == nil { // an unknown fragment: validation reports it
		return span{}
	}
	if m.visiting[name] {
		if m.cycle == "" {
			m.cycle = name
		}
		return span{}
	}
	m.visiting[name] = true
	s := m.set(f.SelectionSet, at)
	m.visiting[name] = false
	m.memo[key] = s
	return s
}

// written counts what a selection set writes down, fragments not expanded.
func (m *shaper) written(set ast.SelectionSet) {
	for _, sel := range set {
		m.nodes++
		switch s := sel.(type) {
		case *ast.Field:
			m.fieldsWritten++
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases++
			}
			m.nodes += len(s.Arguments) + len(s.Directives)
			m.written(s.SelectionSet)
		case *ast.InlineFragment:
			m.written(s.SelectionSet)
		}
	}
}

// documentBytes estimates what a parsed document holds in memory: its text
// and about bytesPerNode for each field, argument and fragment (measured
// with TestDocumentBytesEstimate).
func documentBytes(query string, doc *ast.QueryDocument) int64 {
	return int64(len(query)) + int64(measureShape(doc, 0).nodes)*bytesPerNode + 512
}

const bytesPerNode = 256
