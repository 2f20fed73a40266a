package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	if r, ok := ec.Resolvers.(*Resolver); !ok || !r.Direct || !r.InOrder {
		return ec._Query(ctx, sel)
	}
	plan := ec.plan(sel)
	if plan != nil || directKnows("Query", sel, new(int), false) {
		if data, ok := ec.direct(ctx, sel, plan); ok {
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

func (ec *executionContext) direct(ctx context.Context, sel ast.SelectionSet, plan *directPlan) (data []byte, ok bool) {
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
	d := directRun{ec: ec, out: answerBuffer(min(lastDirectSize.Load()+lastDirectSize.Load()/8+64, 1<<20))}
	if plan == nil {
		// Built for this operation alone (see plan).
		plan = &directPlan{}
		root, err := plan.node(ec, sel, "Query", []string{"Query"})
		if err != nil {
			return nil, false
		}
		plan.root = root
		if oc := ec.OperationContext; operationSelection(oc, sel) && cachePlan(oc) {
			keepPlan(directPlans, oc.Operation, plan, len(oc.RawQuery))
		}
	}
	d.plan = plan
	d.state = make([]fieldState, plan.fieldCount())
	if err := d.object(ctx, plan.root, nil); err != nil {
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
	ec    *executionContext
	out   []byte
	plan  *directPlan
	state []fieldState // by nodeField.index
}

// fieldState is what one operation keeps of a field of its plan.
type fieldState struct {
	ctx context.Context       // the field's context at this place, once made
	fc  *graphql.FieldContext // ctx's field context
	// cohort is the place of cohort.go that resolved the field for every
	// object here, once one has.
	cohort *place
}

// at returns the state of df in this run.
func (d *directRun) at(df *nodeField) *fieldState {
	if df.index >= len(d.state) { // a node built by this run
		d.state = append(d.state, make([]fieldState, df.index+1-len(d.state))...)
	}
	return &d.state[df.index]
}

// A directPlan is the tree of nodes of one operation (see directNode),
// kept with the operation's parsed document (directPlans), so that the
// operation's next answers do not collect its fields again: collecting
// them, place by place, was an eighth of the direct executor's work on the
// benchmark's nested query, and a tenth of its allocations. Nodes are
// added as answers first reach their place, under mu; readers see a
// node's children through an atomic pointer.
type directPlan struct {
	root   *directNode
	mu     sync.Mutex
	fields atomic.Int64 // nodeFields made so far, the next one's index
}

func (p *directPlan) fieldCount() int { return int(p.fields.Load()) }

// plan returns the plan kept for the operation of ec, nil if none is.
func (ec *executionContext) plan(sel ast.SelectionSet) *directPlan {
	if !operationSelection(ec.OperationContext, sel) {
		return nil
	}
	plan, _ := directPlans.get(ec.OperationContext.Operation)
	return plan
}

// operationSelection reports whether sel is the root selection of the
// operation of oc, under which its plan is kept.
func operationSelection(oc *graphql.OperationContext, sel ast.SelectionSet) bool {
	op := oc.Operation
	return op != nil && len(sel) > 0 && len(op.SelectionSet) == len(sel) && &op.SelectionSet[0] == &sel[0]
}

// cachePlan reports whether the plan of an operation may serve its later
// answers: whether its fields are the same whatever the variables, which
// they are unless a directive (@skip or @include, the only ones the
// direct executor takes) is in the document.
func cachePlan(oc *graphql.OperationContext) bool {
	return oc.Doc != nil && !strings.Contains(oc.RawQuery, "@")
}

// directPlans are the plans of recent operations, by the operation as the
// query cache parsed it: a document that leaves that cache and comes back
// is parsed anew, and gets a new plan. A plan holds its document, so they
// are bounded by the size of their documents' text as well as by number
// (all dropped when either is reached): documents sent to pin memory hold
// at most a few tens of megabytes. A document of more than maxPlanText
// bytes gets a plan of its own each time.
var directPlans = newPinCache[*ast.OperationDefinition, *directPlan](maxDirectPlans, maxPlansText)

const (
	maxDirectPlans = 1024
	maxPlansText   = 1 << 20
	maxPlanText    = 64 << 10
)

// keepPlan keeps the plan of op, whose document has text bytes, in c,
// unless the document is larger than maxPlanText.
func keepPlan(c *pinCache[*ast.OperationDefinition, *directPlan], op *ast.OperationDefinition, p *directPlan, text int) {
	if text <= maxPlanText {
		c.put(op, op, text, p)
	}
}

// answerBuffers are direct answers' buffers, given back once the answer is
// written (recycleAnswer).
var answerBuffers sync.Pool

// answerBuffer returns an empty buffer with room for size bytes.
func answerBuffer(size int64) []byte {
	if b, ok := answerBuffers.Get().(*[]byte); ok && int64(cap(*b)) >= size {
		return (*b)[:0]
	}
	return make([]byte, 0, size)
}

// recycleAnswer gives an answer's buffer back for the next direct answer,
// once the answer is written and nothing holds it: a nested query's
// 3 KB answer otherwise cost an allocation and its collection on every
// request. Buffers of more than maxPooledAnswer bytes are left to the
// collector.
func recycleAnswer(data []byte) {
	if c := cap(data); c >= minPooledAnswer && c <= maxPooledAnswer {
		data = data[:0]
		answerBuffers.Put(&data)
	}
}

const minPooledAnswer, maxPooledAnswer = 512, 64 << 10

// lastDirectSize is the size of the last direct answer, which the next
// starts with room for: answers of one client's queries are alike, and
// growing from nothing cost a copy per doubling.
var lastDirectSize atomic.Int64

// A directNode is a selection set at one place in the response (its path
// without list indices), for objects of one type: the fields asked, read
// once for all the objects there. The nodes of one operation form a tree,
// built as the walk first reaches each place, so that what a field needs
// (how it is written, its resolver, its field context, its cohort) is
// found once per place rather than looked up for every object (map
// lookups by place and selection were a fifth of a nested query's walk).
type directNode struct {
	typ       string
	collected []graphql.CollectedField
	fields    []*nodeField
	// identity: the fields are only __typename, id and kind, which a
	// relationship says of its ends.
	identity bool
}

// nodeField is a field of a node.
type nodeField struct {
	graphql.CollectedField
	key []byte // the quoted response name and a colon
	how fieldHow
	rf  *resolverField
	fn  func(ec *executionContext, ctx context.Context, field graphql.CollectedField, obj any) graphql.Marshaler
	// rawArgs are the field's arguments as written, when they take no
	// variable: the same for every answer of the plan, read once (the
	// generated argument functions only read them). Nil otherwise.
	rawArgs map[string]any
	// index numbers the field in its plan: its place in directRun.state.
	index int
	// children are the nodes below, one per object type, added under
	// the plan's lock.
	children atomic.Pointer[[]*directNode]
}

// fieldHow is how the direct executor writes a field.
type fieldHow uint8

const (
	howTypename fieldHow = iota
	howID                // an entity's, from its record
	howName
	howKind
	howEnd      // a relationship's from or to
	howResolver // through its resolver
	howPlain    // a field of the model object
	howHanded   // by the generated executor's field
)

// node returns a new node of sel for objects of type typ, its fields
// numbered in plan p. The caller holds p.mu, or has p to itself.
func (p *directPlan) node(ec *executionContext, sel ast.SelectionSet, typ string, implementors []string) (*directNode, error) {
	n := &directNode{typ: typ}
	if len(sel) > 0 {
		n.collected = graphql.CollectFields(ec.OperationContext, sel, implementors)
	}
	n.identity = onlyFields(n.collected, "__typename", "id", "kind")
	entity := isEntityType(typ)
	// CollectFields merged the fields of one response name. The fields
	// and their keys are made in one allocation each.
	n.fields = make([]*nodeField, len(n.collected))
	fields := make([]nodeField, len(n.collected))
	var keys []byte
	for _, f := range n.collected {
		keys = append(appendQuoted(keys, f.Alias), ':')
	}
	for i, f := range n.collected {
		if f.IsDeferred() || f.Definition == nil && f.Name != "__typename" {
			return nil, errIndirect
		}
		df := &fields[i]
		df.index = int(p.fields.Add(1) - 1)
		size := len(f.Alias) + 3 // quotes and a colon: a GraphQL name has nothing to escape
		df.CollectedField, df.key, keys = f, keys[:size:size], keys[size:]
		switch {
		case f.Name == "__typename":
			df.how = howTypename
		case entity && f.Name == "id":
			df.how = howID
		case entity && f.Name == "name":
			df.how = howName
		case entity && f.Name == "kind":
			df.how = howKind
		case typ == "Relationship" && (f.Name == "from" || f.Name == "to"):
			df.how = howEnd
		case !directField(typ, f.Name, f.Definition.Type.Name()):
			df.how = howHanded
		default:
			df.how = howPlain
		}
		if df.how != howTypename {
			if rf, ok := resolvers[typ+"."+f.Name]; ok {
				df.rf = &rf
			}
			df.fn = fieldFuncs[typ+"."+f.Name]
			if df.rf != nil && df.rf.args != nil && !takesVariables(f.Arguments) {
				df.rawArgs = f.ArgumentMap(nil)
			}
			if df.how == howPlain && df.rf != nil {
				df.how = howResolver
			}
		}
		n.fields[i] = df
	}
	return n, nil
}

// takesVariables reports whether any of args is or holds a variable.
func takesVariables(args ast.ArgumentList) bool {
	for _, a := range args {
		if holdsVariable(a.Value) {
			return true
		}
	}
	return false
}

func holdsVariable(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if holdsVariable(c.Value) {
			return true
		}
	}
	return false
}

// child returns the node below df for objects of type typ.
func (d *directRun) child(df *nodeField, typ string, implementors []string) (*directNode, error) {
	if n := childOf(df, typ); n != nil {
		return n, nil
	}
	p := d.plan
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := childOf(df, typ); n != nil { // added meanwhile
		return n, nil
	}
	n, err := p.node(d.ec, df.Selections, typ, implementors)
	if err != nil {
		return nil, err
	}
	var children []*directNode
	if c := df.children.Load(); c != nil {
		children = slices.Clone(*c)
	}
	children = append(children, n)
	df.children.Store(&children)
	return n, nil
}

// childOf returns the node below df for objects of type typ, nil if there
// is none yet.
func childOf(df *nodeField, typ string) *directNode {
	if c := df.children.Load(); c != nil {
		for _, n := range *c {
			if n.typ == typ {
				return n
			}
		}
	}
	return nil
}

// fieldContext returns the context of df below ctx, with its arguments
// read (once per place).
func (d *directRun) fieldContext(ctx context.Context, object string, df *nodeField) (context.Context, *graphql.FieldContext, error) {
	st := d.at(df)
	if st.ctx != nil {
		return st.ctx, st.fc, nil
	}
	rf := df.rf
	fc := &graphql.FieldContext{Object: object, Field: df.CollectedField, IsMethod: rf != nil, IsResolver: rf != nil}
	c := graphql.WithFieldContext(ctx, fc)
	if rf != nil && rf.args != nil {
		raw := df.rawArgs
		if raw == nil {
			raw = df.ArgumentMap(d.ec.Variables)
		}
		args, err := rf.args(d.ec, c, raw)
		if err != nil {
			return nil, nil, errIndirect
		}
		fc.Args = args
	}
	st.ctx, st.fc = c, fc
	return c, fc, nil
}

// object writes the fields node n asks of obj.
func (d *directRun) object(ctx context.Context, n *directNode, obj any) error {
	d.out = append(d.out, '{')
	for i, df := range n.fields {
		if i > 0 {
			d.out = append(d.out, ',')
		}
		d.out = append(d.out, df.key...)
		if err := d.field(ctx, n.typ, df, obj); err != nil {
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

// field writes the value of field df of obj, of type typ.
func (d *directRun) field(ctx context.Context, typ string, df *nodeField, obj any) error {
	switch df.how {
	case howTypename:
		d.out = appendQuoted(d.out, typ)
		return nil
	case howID, howName, howKind:
		// An entity's own fields come from its record.
		if rec, ok := obj.(interface{ Record() *kg.Entity }); ok {
			e := rec.Record()
			switch df.how {
			case howID:
				d.out = appendQuoted(d.out, e.ID)
			case howName:
				d.out = appendQuoted(d.out, e.Name)
			default:
				d.out = strconv.AppendQuote(d.out, model.EntityKind(e.Kind).String())
			}
			return nil
		}
	case howEnd:
		if r, ok := obj.(*model.Relationship); ok {
			if done, err := d.end(r, df); done || err != nil {
				return err
			}
		}
	case howHanded:
		// Handed to the generated executor's field, which resolves and
		// writes it (and records any error, which sends the operation
		// to gqlgen).
		if df.fn == nil {
			return errIndirect
		}
		m := df.fn(d.ec, ctx, df.CollectedField, obj)
		if m == graphql.Null && df.Definition.Type.NonNull {
			return errIndirect
		}
		m.MarshalGQL(d)
		return nil
	}
	if df.rf != nil {
		c, fc, err := d.fieldContext(ctx, typ, df)
		if err != nil {
			return err
		}
		if got, ok := d.resolvedAt(c, df, obj); ok {
			// Resolved with the other parents at this place (cohort.go).
			if got.err != nil {
				return errIndirect
			}
			return d.value(c, df, df.Definition.Type, got.v)
		}
		v, err := df.rf.resolve(d.ec, c, obj, fc.Args)
		if err != nil {
			return errIndirect
		}
		fc.Result = v
		return d.value(c, df, df.Definition.Type, v)
	}
	v, ok := plainField(typ, df.Name, obj)
	if !ok {
		return errIndirect
	}
	if df.Selections == nil {
		return d.value(ctx, df, df.Definition.Type, v)
	}
	c, fc, err := d.fieldContext(ctx, typ, df)
	if err != nil {
		return err
	}
	fc.Result = v
	return d.value(c, df, df.Definition.Type, v)
}

// resolvedAt returns the value a cohort resolved for obj at the place of
// df, once one has: a nested query's later parents then cost a map lookup
// each, not a resolver call that finds its place again.
func (d *directRun) resolvedAt(ctx context.Context, df *nodeField, obj any) (placeValue, bool) {
	st := d.at(df)
	if st.cohort == nil {
		co := d.ec.Resolvers.(*Resolver).loaders(ctx).cohorts
		if co == nil {
			return placeValue{}, false
		}
		if st.cohort = co.placeAt(st.fc); st.cohort == nil {
			return placeValue{}, false
		}
	}
	return st.cohort.value(obj)
}

// end writes the end of r that df asks for, when df asks only for what r
// says of it (its id and kind), as fastRelationship does; false when df
// asks for more, for the resolver to load the entity.
func (d *directRun) end(r *model.Relationship, df *nodeField) (bool, error) {
	id, kind := r.From, r.FromKind
	if df.Name == "to" {
		id, kind = r.To, r.ToKind
	}
	t, known := typeOfKind[kind]
	if !known {
		return false, nil
	}
	n, err := d.child(df, t.name, t.implementors)
	if err != nil || !n.identity {
		return false, err
	}
	d.identityObject(n, id, kind)
	return true, nil
}

// identityObject writes the fields of n, an identity node (__typename, id
// and kind), of the entity id of kind kind: straight into the answer, as
// a relationship's ends are written thousands of times a second.
func (d *directRun) identityObject(n *directNode, id string, kind kg.Kind) {
	d.out = append(d.out, '{')
	for i, df := range n.fields {
		if i > 0 {
			d.out = append(d.out, ',')
		}
		d.out = append(d.out, df.key...)
		switch df.how {
		case howTypename:
			d.out = appendQuoted(d.out, n.typ)
		case howID:
			d.out = appendQuoted(d.out, id)
		default: // howKind
			d.out = strconv.AppendQuote(d.out, model.EntityKind(kind).String())
		}
	}
	d.out = append(d.out, '}')
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
func (d *directRun) value(ctx context.Context, df *nodeField, t *ast.Type, v any) error {
	rv := reflect.ValueOf(v)
	if t.Elem != nil && rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Slice {
		rv = rv.Elem() // a list a place holds by pointer (connectionNodes)
	}
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
			if err := d.value(ctx, df, t.Elem, rv.Index(i).Interface()); err != nil {
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
		return d.objectAt(ctx, df, "PageInfo", pageInfoImplementors, v)
	case "RelationshipConnection":
		return d.objectAt(ctx, df, "RelationshipConnection", relationshipConnectionImplementors, v)
	case "RelationshipEdge":
		return d.objectAt(ctx, df, "RelationshipEdge", relationshipEdgeImplementors, v)
	case "Relationship":
		return d.objectAt(ctx, df, "Relationship", relationshipImplementors, v)
	case "Subgraph":
		return d.objectAt(ctx, df, "Subgraph", subgraphImplementors, v)
	case "Path":
		return d.objectAt(ctx, df, "Path", pathImplementors, v)
	case "SearchHit":
		return d.objectAt(ctx, df, "SearchHit", searchHitImplementors, v)
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
		return d.objectAt(ctx, df, t.NamedType, []string{t.NamedType}, v)
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
		return d.objectAt(ctx, df, et.name, et.implementors, v)
	}
	return errIndirect
}

// objectAt writes v, an object of type typ, as the value of df.
func (d *directRun) objectAt(ctx context.Context, df *nodeField, typ string, implementors []string, v any) error {
	n, err := d.child(df, typ, implementors)
	if err != nil {
		return err
	}
	return d.object(ctx, n, v)
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
