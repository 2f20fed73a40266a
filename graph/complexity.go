package graph

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vjkg/vjkg/kg"
)

// complexityLimit prices an operation and refuses it above Max. It replaces
// gqlgen's extension.ComplexityLimit, whose walk expands every fragment
// spread: here a fragment is priced once per operation (its price depends
// only on the operation's variables), so pricing takes time linear in the
// document. Fields are priced by what they cost the server (see price).
// An operation that computes network measures also needs one of the slots
// for expensive work (Options.Expensive): with none free it is refused with
// TOO_MANY_REQUESTS.
type complexityLimit struct {
	Max       int
	Sizer     Sizer
	Expensive func() (release func(), ok bool)
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = complexityLimit{}

func (complexityLimit) ExtensionName() string                          { return "ComplexityLimit" }
func (complexityLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (c complexityLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	w := costWalker{vars: op.Variables, frags: op.Doc.Fragments, memo: map[string]int{}, visiting: map[string]bool{}}
	if c.Sizer != nil {
		w.entities, w.relationships = c.Sizer.Size(ctx)
	}
	cost := w.set(op.Operation.SelectionSet)
	state := stateOf(ctx)
	if state != nil {
		state.info.set(func(i *RequestInfo) { i.complexity = cost })
	}
	if cost > c.Max {
		return refusal(CodeComplexityLimit, "operation has complexity %d, which exceeds the limit of %d", cost, c.Max)
	}
	if w.expensive && c.Expensive != nil {
		release, ok := c.Expensive()
		if !ok {
			return refusal(CodeTooManyRequests, "the server is computing as many network measures, exports and imports as it allows: retry in a few seconds")
		}
		if state != nil {
			state.release = append(state.release, release)
		} else {
			release()
		}
	}
	return nil
}

// A point of complexity is about a microsecond of work: one object
// resolved, or recordsPerPoint records of a scan over the index's columns
// (a few nanoseconds each). Lists, lookups and relationship pages use the
// stores' indexes and cost indexCost; what may read a share of the whole
// graph (search's candidates, a traversal through hubs, a relationships list
// by date, network measures) is priced by the graph's size.
const (
	recordsPerPoint = 200
	indexCost       = 10
)

type costWalker struct {
	vars                    map[string]any
	frags                   ast.FragmentDefinitionList
	memo                    map[string]int
	visiting                map[string]bool
	entities, relationships int  // the graph's size, for fields that scan it
	expensive               bool // the operation computes network measures
}

func (w *costWalker) set(set ast.SelectionSet) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection and __typename: answered from the schema
			}
			total = satAdd(total, w.price(s, w.set(s.SelectionSet)))
		case *ast.InlineFragment:
			total = satAdd(total, w.set(s.SelectionSet))
		case *ast.FragmentSpread:
			total = satAdd(total, w.fragment(s.Name))
		}
	}
	return total
}

func (w *costWalker) fragment(name string) int {
	if c, ok := w.memo[name]; ok {
		return c
	}
	f := w.frags.ForName(name)
	if f == nil || w.visiting[name] { // validation refuses both; this is a guard
		return 0
	}
	w.visiting[name] = true
	c := w.set(f.SelectionSet)
	w.visiting[name] = false
	w.memo[name] = c
	return c
}

// bySources prices a sourceTypes argument: reading the sources once, and,
// in a traversal, one lookup of the reached entities' sources per hop
// (the caller multiplies by the hops).
func bySources(args map[string]any) int {
	if args["sourceTypes"] == nil {
		return 0
	}
	return indexCost
}

// textCandidates prices scoring the relationships a text search finds
// through their own text: up to kg.MaxTextCandidates, each read with its
// ends and its text folded, about candidateRecords column records' worth
// (at 1 M entities, a search for a word of many relationships' roles
// scored 20,000 in 130-300 ms). Priced as one, 60 such searches in one
// request cost 4.4 s.
func (w *costWalker) textCandidates() int {
	return scan(satMul(min(w.relationships, kg.MaxTextCandidates), candidateRecords))
}

const candidateRecords = 100

// textWords counts the distinct words of a search text as search folds
// them: those of up to three letters, and the longer ones.
func textWords(v any) (short, long int) {
	text, _ := v.(string)
	seen := map[string]bool{}
	for _, w := range strings.Fields(kg.Fold(text)) {
		if seen[w] {
			continue
		}
		seen[w] = true
		if utf8.RuneCountInString(w) <= 3 {
			short++
		} else {
			long++
		}
	}
	return short, long
}

// longWordShare is how much cheaper a word of four letters or more is to
// look up than a short one (it begins words of far fewer names).
const longWordShare = 20

// scan prices reading n records.
func scan(n int) int { return (n + recordsPerPoint - 1) / recordsPerPoint }

// price is a field's complexity given its selection's (child) and its
// arguments: one point for the field, plus what it reads from the store,
// plus its selection once per item it may return.
//
//   - A list or connection returns up to first, last or limit items (20 when
//     none is given); the top-level lists and search also scan every entity
//     (relationships: every relationship) to filter, rank and count;
//     search scans them once per word of its text, and search and
//     searchRelationships also score up to kg.MaxTextCandidates
//     relationships found by their text (textCandidates).
//   - paths and neighborhood may visit every relationship; paths returns up
//     to first paths of maxHops steps, neighborhood up to limit nodes.
//   - measures gathers up to limit entities (a neighbourhood, or the graph)
//     and computes betweenness over them, which grows with limit²; first only
//     cuts the answer.
//   - stats counts the entities, each kind, relationships and sources.
func (w *costWalker) price(f *ast.Field, child int) int {
	list := f.Definition != nil && f.Definition.Arguments.ForName("first") != nil
	typeName, field := "", f.Name
	if f.ObjectDefinition != nil {
		typeName = f.ObjectDefinition.Name
	}
	// first and last are read alone, not through the whole argument map
	// (an allocation or more per field, 13 of a nested request's 434):
	// below the root they are all a field's price needs.
	items := func(def int) int {
		if last, ok := argument(f, "last", w.vars); ok && last != nil {
			return intValue(last, def)
		}
		first, _ := argument(f, "first", w.vars)
		return intValue(first, def)
	}
	each := func(n int) int { return satMul(max(n, 1), max(child, 1)) }
	if typeName != "Query" {
		if list {
			return satAdd(1, each(items(20)))
		}
		return satAdd(1, child)
	}
	args := f.ArgumentMap(w.vars)
	// A relationship condition of a filter may walk the relationships of
	// every candidate: a scan of the relationships each.
	conditions := satMul(relConditions(args["filter"], 0), scan(w.relationships))
	switch field {
	case "entities", "localities", "officials", "organizations", "agreements", "events":
		return satAdd(satAdd(indexCost, conditions), each(items(20)))
	case "entityFacets":
		return satAdd(satAdd(indexCost+scan(w.entities), conditions), child)
	case "relationshipFacets":
		cost := indexCost + conditions
		if args["filter"] != nil {
			cost = satAdd(cost, satAdd(scan(w.entities), scan(w.relationships)))
		} else {
			ids, _ := args["ids"].([]any)
			cost = satAdd(cost, len(ids)*indexCost)
		}
		if args["sourceTypes"] != nil {
			// The cited sources are in each relationship's document: the
			// relationships around the set are read, at most all of them.
			cost = satAdd(cost, scan(w.relationships))
		}
		return satAdd(cost, child)
	case "relationships":
		cost := indexCost
		if f, _ := args["filter"].(map[string]any); f["asOf"] != nil || f["sourceTypes"] != nil {
			// A date is checked on every relationship; so are the cited
			// sources on Neo4j, which has no index on a relationship's.
			cost += scan(w.relationships)
		}
		return satAdd(cost, each(items(20)))
	case "sources":
		return satAdd(1, each(items(20)))
	case "changes":
		cost := indexCost
		for _, f := range []string{"actor", "recordTypes", "entityKinds", "relationTypes"} {
			if args[f] != nil {
				cost = indexCost + 500 // a filter may read many changes to fill a page
				break
			}
		}
		return satAdd(cost, each(items(20)))
	case "search":
		// Each word of the text is looked up among the names and the
		// entities' text: a word of up to three letters begins words of
		// many names (at 1 M entities ten of one letter took 0.53 s, nine of
		// two or three 0.17-0.2 s, nine of four or five 10-14 ms).
		short, long := textWords(args["text"])
		words := satAdd(satMul(scan(w.entities), max(short, 1)), satMul(scan(w.entities)/longWordShare, long))
		lookups := satAdd(words, 1+w.textCandidates()+bySources(args))
		return satAdd(lookups, each(intArg(args, "first", 10)))
	case "searchRelationships":
		return satAdd(1+w.textCandidates()+bySources(args), each(intArg(args, "first", 10)))
	case "nodes":
		ids, _ := args["ids"].([]any)
		return satAdd(1, each(len(ids)))
	case "paths":
		return satAdd(1+scan(w.relationships)/10+bySources(args)*intArg(args, "maxHops", 4),
			each(satMul(intArg(args, "first", 10), intArg(args, "maxHops", 4))))
	case "neighborhood":
		return satAdd(1+scan(w.relationships)/10+bySources(args)*intArg(args, "depth", 1), each(intArg(args, "limit", 100)))
	case "measures":
		w.expensive = true
		limit := max(intArg(args, "limit", 1000), 1)
		gather := scan(w.relationships)
		if args["id"] == nil {
			gather += scan(w.entities)
		}
		compute := satMul(limit, (limit+99)/100) + bySources(args)*intArg(args, "depth", 2)
		return satAdd(satAdd(1+gather, compute), each(intArg(args, "first", 20)))
	case "stats":
		return satAdd((2+len(kg.Kinds))*indexCost, child) // counts the stores keep
	}
	return satAdd(1, child)
}

// relConditions counts the relationship conditions in a filter argument,
// at any depth (inside AND, OR, NOT and the conditions' own node filters).
func relConditions(v any, depth int) int {
	f, ok := v.(map[string]any)
	if !ok || depth > 32 {
		return 0
	}
	n := 0
	for k, x := range f {
		switch k {
		case "relationships_SOME", "relationships_NONE", "relationships_ALL":
			if c, ok := x.(map[string]any); ok {
				n = satAdd(n, 1+relConditions(c["node"], depth+1))
			}
		case "AND", "OR":
			list, _ := x.([]any)
			for _, y := range list {
				n = satAdd(n, relConditions(y, depth+1))
			}
		case "NOT":
			n = satAdd(n, relConditions(x, depth+1))
		}
	}
	return n
}

// argument returns a field's argument as ArgumentMap would have it: the
// value given (a variable's, when the operation has it), else the
// schema's default; ok is false when there is neither.
func argument(f *ast.Field, name string, vars map[string]any) (v any, ok bool) {
	if f.Definition == nil {
		return nil, false
	}
	def := f.Definition.Arguments.ForName(name)
	if def == nil {
		return nil, false
	}
	if a := f.Arguments.ForName(name); a != nil && a.Value != nil {
		if a.Value.Kind == ast.Variable {
			v, ok = vars[a.Value.Raw]
		} else if x, err := a.Value.Value(vars); err == nil {
			v, ok = x, true
		}
	}
	if !ok && def.DefaultValue != nil {
		if x, err := def.DefaultValue.Value(nil); err == nil {
			v, ok = x, true
		}
	}
	return v, ok
}

func intArg(args map[string]any, name string, def int) int {
	return intValue(args[name], def)
}

// intValue reads an integer argument's value, def when it is none.
func intValue(v any, def int) int {
	switch v := v.(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return int(n)
		}
	}
	return def
}

const maxInt = int(^uint(0) >> 1)

// satAdd adds without overflowing, ignoring negative operands: a hostile
// query must not wrap its price around to a small number.
func satAdd(a, b int) int {
	a, b = max(a, 0), max(b, 0)
	if a > maxInt-b {
		return maxInt
	}
	return a + b
}

func satMul(a, b int) int {
	a, b = max(a, 0), max(b, 0)
	if a != 0 && b > maxInt/a {
		return maxInt
	}
	return a * b
}

// Sizer tells the complexity limit how large the graph is, so that fields
// that scan it are priced by what they read.
type Sizer interface {
	Size(ctx context.Context) (entities, relationships int)
}

// StoreSizer counts a store's entities and relationships, at most once per
// MaxAge: the request that finds the count stale takes a new one (inside
// its own context, so that no count outlives the server); the others use
// the last count meanwhile.
type StoreSizer struct {
	Store  kg.Store
	MaxAge time.Duration

	mu                      sync.Mutex
	entities, relationships int
	at                      time.Time
	counting                bool
}

// NewStoreSizer returns a sizer over s that counts again after maxAge.
func NewStoreSizer(s kg.Store, maxAge time.Duration) *StoreSizer {
	return &StoreSizer{Store: s, MaxAge: maxAge}
}

// Size implements Sizer. When the store cannot count (Neo4j not reachable
// yet), it answers the last count (0 at first) and tries again later.
func (z *StoreSizer) Size(ctx context.Context) (int, int) {
	z.mu.Lock()
	first, stale := z.at.IsZero(), time.Since(z.at) > z.MaxAge
	start := stale && !z.counting
	if start {
		z.counting = true
	}
	e, r := z.entities, z.relationships
	z.mu.Unlock()
	if start || first {
		return z.count(ctx)
	}
	return e, r
}

func (z *StoreSizer) count(ctx context.Context) (int, int) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, e, err := z.Store.FindEntities(ctx, kg.EntityFilter{CountOnly: true})
	var r int
	if err == nil {
		_, r, err = z.Store.FindRelationships(ctx, kg.RelationshipFilter{CountOnly: true})
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	z.counting = false
	if err != nil {
		z.at = time.Now().Add(-z.MaxAge + time.Second) // try again in a second
		return z.entities, z.relationships
	}
	z.entities, z.relationships, z.at = e, r, time.Now()
	return e, r
}
