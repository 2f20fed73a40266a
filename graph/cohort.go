package graph

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"reflect"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vjkg/vjkg/graph/model"
)

// In order (Resolver.InOrder), gqlgen walks the response depth first on one
// goroutine, so a loader never sees more than one parent's key at a time.
// Cohorts put the batching back, breadth first: the first time a field is
// resolved at a place in the response (its path without list indices, and
// the parent types along it), it is resolved for every parent at that place
// at once, after one store call for all of them (prefetch); the other
// parents then find their value ready. The values resolved there are the
// parents of the next place down, so a query of N parents and their
// children still costs one store call per level, whatever N is.
//
// A place's parents are the values of the place above it: resolved there
// by a cohort, read from plain fields of the objects there (a
// connection's edges, an edge's node), or, at the top, the root field's
// value.

// cohorts are one request's places.
type cohorts struct {
	mu     sync.Mutex
	places map[placeID]*place
	// read are the objects of places without a cohort, read once.
	read map[placeID][]any
}

// place holds the values of one field at one place in the response, by
// parent (see parentKey): in slices, searched in turn while there are few
// (a nested query's places have 5 and 15 parents: a map for each cost a
// tenth of its allocations), through a map once there are more.
type place struct {
	keys  []parentID
	vals  []placeValue
	index map[parentID]int // keys' indices, once there are more than fewParents
	// objects are the values flattened (a list's elements): the parents of
	// the places below.
	objects []any
}

type placeValue struct {
	v   any
	err error
}

func newCohorts() *cohorts { return &cohorts{places: map[placeID]*place{}, read: map[placeID][]any{}} }

// atOnce resolves the field of ctx for self. In order, it resolves the
// field for every parent at the same place, of self's type, first calling
// prefetch with them all; otherwise (or outside a request) it resolves self
// alone, leaving batching to the loaders.
func atOnce[V any](ctx context.Context, r *Resolver, self any, prefetch func(ctx context.Context, parents []any), resolve func(parent any) (V, error)) (V, error) {
	co := r.loaders(ctx).cohorts
	fc := graphql.GetFieldContext(ctx)
	if !r.InOrder || co == nil || fc == nil || fc.Field.Field == nil {
		return resolve(self)
	}
	key := placeKey(fc)
	co.mu.Lock()
	pl := co.places[key]
	co.mu.Unlock()
	if pl == nil {
		parents := co.parentsOf(fc, self)
		prefetch(ctx, parents)
		pl = newPlace(len(parents))
		for _, p := range parents {
			k := parentKey(p)
			if _, done := pl.find(k); done {
				continue
			}
			v, err := resolve(p)
			pl.put(k, placeValue{v, err})
			if err == nil {
				pl.objects = appendObjects(pl.objects, v)
			}
		}
		co.mu.Lock()
		co.places[key] = pl
		co.mu.Unlock()
	}
	if got, ok := pl.value(self); ok {
		v, _ := got.v.(V)
		return v, got.err
	}
	// A parent the place did not know (the parents above could not be
	// read): resolve it alone.
	return resolve(self)
}

// atOnceAll is atOnce for fields whose values are built for every parent
// together, from store calls of their own rather than through a loader:
// all returns the value of each of the (distinct) parents it is given, or
// their errors (errs nil: none; vs may be nil when every parent failed). alone resolves a parent by itself, as
// outside a request or when resolving concurrently. A loader's cache cost
// a nested query more than its store calls, in map writes of keys that
// were never asked for again (profiled at 1 M entities).
func atOnceAll[V any](ctx context.Context, r *Resolver, self any, all func(parents []any) (vs []V, errs []error), alone func(parent any) (V, error)) (V, error) {
	co := r.loaders(ctx).cohorts
	fc := graphql.GetFieldContext(ctx)
	if !r.InOrder || co == nil || fc == nil || fc.Field.Field == nil {
		return alone(self)
	}
	key := placeKey(fc)
	co.mu.Lock()
	pl := co.places[key]
	co.mu.Unlock()
	if pl == nil {
		parents := co.parentsOf(fc, self)
		pl = newPlace(len(parents))
		distinct := make([]any, 0, len(parents))
		for _, p := range parents {
			k := parentKey(p)
			if _, dup := pl.find(k); dup {
				continue
			}
			pl.put(k, placeValue{})
			distinct = append(distinct, p)
		}
		vs, errs := all(distinct)
		// The objects are the next place's parents: room for all of
		// them at once, rather than a slice grown parent by parent.
		count := 0
		for i := range vs {
			count += objectCount(vs[i])
		}
		pl.objects = make([]any, 0, count)
		for i := range pl.keys {
			var got placeValue
			switch {
			case errs != nil && errs[i] != nil:
				got.err = errs[i]
			case i < len(vs):
				got.v = vs[i]
			}
			pl.vals[i] = got
			if got.err == nil {
				pl.objects = appendObjects(pl.objects, got.v)
			}
		}
		co.mu.Lock()
		co.places[key] = pl
		co.mu.Unlock()
	}
	if got, ok := pl.value(self); ok {
		v, _ := got.v.(V)
		return v, got.err
	}
	return alone(self)
}

// resolvedAt returns what atOnce resolved already for self at the place
// of ctx's field, if it did: a resolver asks first to skip the set-up of a
// call whose answer is known.
func resolvedAt(ctx context.Context, r *Resolver, self any) (placeValue, bool) {
	co := r.loaders(ctx).cohorts
	fc := graphql.GetFieldContext(ctx)
	if !r.InOrder || co == nil || fc == nil || fc.Field.Field == nil {
		return placeValue{}, false
	}
	return co.placeAt(fc).value(self)
}

// placeAt returns the place of fc's field, nil if no cohort resolved it.
func (co *cohorts) placeAt(fc *graphql.FieldContext) *place {
	co.mu.Lock()
	defer co.mu.Unlock()
	return co.places[placeKey(fc)]
}

// value returns what the place resolved for parent p, if it did.
func (pl *place) value(p any) (placeValue, bool) {
	if pl == nil {
		return placeValue{}, false
	}
	if i, ok := pl.find(parentKey(p)); ok {
		return pl.vals[i], true
	}
	return placeValue{}, false
}

// fewParents is the most parents a place searches in turn.
const fewParents = 16

func newPlace(parents int) *place {
	return &place{keys: make([]parentID, 0, parents), vals: make([]placeValue, 0, parents)}
}

// find returns the index of parent k's value.
func (pl *place) find(k parentID) (int, bool) {
	if pl.index != nil {
		i, ok := pl.index[k]
		return i, ok
	}
	for i := range pl.keys {
		if pl.keys[i] == k {
			return i, true
		}
	}
	return 0, false
}

// put adds parent k's value, which find has not found.
func (pl *place) put(k parentID, v placeValue) {
	pl.keys = append(pl.keys, k)
	pl.vals = append(pl.vals, v)
	switch {
	case pl.index != nil:
		pl.index[k] = len(pl.keys) - 1
	case len(pl.keys) > fewParents:
		pl.index = make(map[parentID]int, cap(pl.keys))
		for i, k := range pl.keys {
			pl.index[k] = i
		}
	}
}

// parentKey identifies a parent within a place: an entity or relationship
// by its id (the same entity twice has the same value), anything else by
// itself. A struct rather than an any holding the id, which would cost an
// allocation per lookup.
func parentKey(p any) parentID {
	if c, ok := p.(*model.Citation); ok {
		return parentID{id: "source:" + c.SourceID}
	}
	if n, ok := p.(interface{ GetID() string }); ok {
		return parentID{id: n.GetID()}
	}
	return parentID{obj: p}
}

// parentID is a parent's key: its id, or the parent itself.
type parentID struct {
	id  string
	obj any
}

// parentsOf returns the parents at fc's place of the same type as self,
// with self among them; just self when they cannot be known.
func (co *cohorts) parentsOf(fc *graphql.FieldContext, self any) []any {
	all, ok := co.objectsAt(parentField(fc), 0)
	if !ok {
		return []any{self}
	}
	t := reflect.TypeOf(self)
	selfKey := parentKey(self)
	out := make([]any, 0, len(all))
	found := false
	for _, p := range all {
		if reflect.TypeOf(p) != t {
			continue
		}
		out = append(out, p)
		found = found || parentKey(p) == selfKey
	}
	if !found {
		return []any{self}
	}
	return out
}

// maxPlaceDepth bounds how far up objectsAt looks for a place it can read.
const maxPlaceDepth = 64

// objectsAt returns every object the field of fc resolved to, over all of
// its parents: from the field's cohort, from the root field's value, or
// read from the fields of the objects one place up.
func (co *cohorts) objectsAt(fc *graphql.FieldContext, depth int) ([]any, bool) {
	if fc == nil || fc.Field.Field == nil || depth > maxPlaceDepth {
		return nil, false
	}
	key := placeKey(fc)
	co.mu.Lock()
	pl, read := co.places[key], co.read[key]
	co.mu.Unlock()
	if pl != nil {
		return pl.objects, true
	}
	if read != nil {
		return read, true
	}
	up := parentField(fc)
	if up == nil {
		// A root field: its one value.
		return appendObjects(nil, fc.Result), fc.Result != nil
	}
	parents, ok := co.objectsAt(up, depth+1)
	if !ok {
		return nil, false
	}
	out := []any{}
	for _, p := range parents {
		v, ok := readField(p, fc.Field.Name)
		if !ok {
			return nil, false
		}
		out = appendObjects(out, v)
	}
	co.mu.Lock()
	co.read[key] = out
	co.mu.Unlock()
	return out, true
}

// readField reads a plain field of a model object: the exported struct
// field or method without arguments named like the GraphQL field. Fields
// with resolvers are not read this way: they have cohorts.
func readField(obj any, name string) (any, bool) {
	v := reflect.ValueOf(obj)
	if !v.IsValid() {
		return nil, false
	}
	r, size := utf8.DecodeRuneInString(name)
	goName := string(unicode.ToUpper(r)) + name[size:]
	if m := v.MethodByName(goName); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		return m.Call(nil)[0].Interface(), true
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil, true
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, false
	}
	f := v.FieldByName(goName)
	if !f.IsValid() || !f.CanInterface() {
		return nil, false
	}
	return f.Interface(), true
}

// objectCount is the number of objects appendObjects adds for v, a value
// atOnceAll resolved: a connection's nodes (connectionNodes), or one.
func objectCount[V any](v V) int {
	if nodes, ok := any(v).(*[]model.Entity); ok {
		if nodes == nil {
			return 0
		}
		return len(*nodes)
	}
	return 1
}

// appendObjects appends v to out, or v's elements when it is a list; nil
// values are left out.
func appendObjects(out []any, v any) []any {
	switch v := v.(type) {
	case []model.Entity: // a connection's nodes
		return appendEntities(out, v)
	case *[]model.Entity: // a connection's nodes, as a place holds them
		if v == nil {
			return out
		}
		return appendEntities(out, *v)
	case *model.RelationshipConnection:
		if v == nil {
			return out
		}
		return append(out, v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Invalid:
		return out
	case reflect.Slice, reflect.Array:
		out = slices.Grow(out, rv.Len())
		for i := range rv.Len() {
			out = appendObjects(out, rv.Index(i).Interface())
		}
		return out
	case reflect.Pointer, reflect.Interface, reflect.Map:
		if rv.IsNil() {
			return out
		}
		if rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Slice {
			return appendObjects(out, rv.Elem().Interface())
		}
	}
	return append(out, v)
}

// appendEntities appends the entities of nodes to out, leaving out nils.
func appendEntities(out []any, nodes []model.Entity) []any {
	out = slices.Grow(out, len(nodes))
	for _, e := range nodes {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// parentField is the field context of the field whose value holds fc's
// parent object, skipping list elements' contexts; nil for a root field.
func parentField(fc *graphql.FieldContext) *graphql.FieldContext {
	for p := fc.Parent; p != nil; p = p.Parent {
		if p.Field.Field != nil {
			return p
		}
	}
	return nil
}

// placeID names a place: a hash of the fields on the way down to it (each
// a node of the query document, whatever the list indices) and of their
// parent types. Hashing spares the allocations of a path string on every
// resolution (9% of a nested query's, profiled).
type placeID uint64

var placeSeed = maphash.MakeSeed()

// placeKey names fc's place.
func placeKey(fc *graphql.FieldContext) placeID {
	var h maphash.Hash
	h.SetSeed(placeSeed)
	var buf [8]byte
	for p := fc; p != nil; p = p.Parent {
		if p.Field.Field == nil {
			continue
		}
		binary.LittleEndian.PutUint64(buf[:], uint64(uintptr(unsafe.Pointer(p.Field.Field))))
		h.Write(buf[:])
		h.WriteString(p.Object)
		h.WriteByte(0)
	}
	return placeID(h.Sum64())
}
