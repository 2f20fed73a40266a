package embedded

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

// Documents are read from bbolt by number, in one read transaction per
// call, into a slice aligned with the numbers asked. A document deleted
// since its number was looked up is nil there; the kg.Store methods leave
// it out, as if the lookup had come a moment later.

// readDocs reads and decodes the documents of nums; decode may use the
// index (it is called with the read lock held).
func readDocs[T any](s *Store, bucket []byte, cache *docCache[T], nums []uint32, decode func([]byte, *graph) (*T, error)) ([]*T, error) {
	out, gen := cache.get(nums)
	var missing []uint32
	var at []int
	for i, d := range out {
		if d == nil {
			missing, at = append(missing, nums[i]), append(at, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read := make([]*T, len(missing))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucket)
		s.mu.RLock()
		defer s.mu.RUnlock()
		for i, n := range missing {
			v := b.Get(key(n))
			if v == nil {
				continue
			}
			doc, err := decode(v, s.g)
			if err != nil {
				return fmt.Errorf("%s %d: %w", bucket, n, err)
			}
			read[i] = doc
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cache.put(gen, missing, read)
	for j, i := range at {
		out[i] = read[j]
	}
	return out, nil
}

func (s *Store) readEntities(nums []uint32) ([]*kg.Entity, error) {
	return readDocs(s, bucketEntities, s.entityCache, nums, func(b []byte, _ *graph) (*kg.Entity, error) { return decodeEntity(b) })
}

func (s *Store) readRelationships(nums []uint32) ([]*kg.Relationship, error) {
	return readDocs(s, bucketRelationships, s.relCache, nums, decodeRelationship)
}

func (s *Store) entityDocs(nums []uint32) ([]*kg.Entity, error) {
	docs, err := s.readEntities(nums)
	return withoutNil(docs), err
}

func (s *Store) relDocs(nums []uint32) ([]*kg.Relationship, error) {
	docs, err := s.readRelationships(nums)
	return withoutNil(docs), err
}

func withoutNil[T any](xs []*T) []*T {
	out := xs[:0]
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

// GetEntities implements kg.Store.
func (s *Store) GetEntities(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	nums, err := s.entityNums(ctx, ids)
	if err != nil {
		return nil, err
	}
	return s.entityDocs(nums)
}

// entityNums returns the numbers of the live entities among ids.
func (s *Store) entityNums(ctx context.Context, ids []string) ([]uint32, error) {
	s.mu.RLock()
	nums := make([]uint32, 0, len(ids))
	for _, id := range ids {
		if n, ok := s.g.entityNum(id); ok {
			nums = append(nums, n)
		}
	}
	s.mu.RUnlock()
	return nums, ctx.Err()
}

var _ kg.FoldedNamer = (*Store)(nil)

// FoldedNames implements kg.FoldedNamer from the name index, which holds
// every name of every entity folded.
func (s *Store) FoldedNames(ctx context.Context, ids []string) ([][]string, error) {
	out := make([][]string, len(ids))
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.g
	// The names are copied out of the index (a write may grow it once the
	// lock is released) into one string, and sliced from it: two
	// allocations in all rather than one per name.
	type span struct{ first, end uint32 } // of an entity's names; empty: unknown
	spans := make([]span, len(ids))
	found, count, size := make([]bool, len(ids)), 0, 0
	for i, id := range ids {
		n, ok := g.entityNum(id)
		if !ok || !g.live(n) {
			continue
		}
		found[i], spans[i] = true, span{g.nameFirst[n], g.nameEnd(n)}
		for m := spans[i].first; m < spans[i].end; m++ {
			count++
			size += len(g.names.folded(m))
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, sp := range spans {
		for m := sp.first; m < sp.end; m++ {
			b.WriteString(g.names.folded(m))
		}
	}
	text, all := b.String(), make([]string, 0, count)
	for i, sp := range spans {
		if !found[i] {
			continue
		}
		start := len(all)
		for m := sp.first; m < sp.end; m++ {
			l := len(g.names.folded(m))
			all, text = append(all, text[:l]), text[l:]
		}
		out[i] = all[start:len(all):len(all)] // not nil, even with no names
	}
	return out, ctx.Err()
}

// nameEnd returns where entity n's names end in the name index: where
// nameCount says, unless an entity stored before its names were bounded had
// more than it holds (the names of one add are contiguous, and the latest
// add of n is the one nameFirst points to).
func (g *graph) nameEnd(n uint32) uint32 {
	end := g.nameFirst[n] + uint32(g.nameCount[n])
	for int(end) < len(g.names.ent) && g.names.ent[end] == n {
		end++
	}
	return end
}

// EntityOutlines implements kg.EntityOutliner: ids, kinds and names come
// from the in-memory index (older stores are converted at open,
// storeLabels); a name the index could not keep is read from the front of
// its document (or a decoded one in the cache), and the rest is not
// decoded.
// Reading the documents was a quarter of a 2-hop neighbourhood's CPU at
// 1 M entities, and its page faults once the file had left the page cache.
func (s *Store) EntityOutlines(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	out := make([]*kg.Entity, 0, len(ids))
	// One allocation for the outlines read from memory, the usual case.
	outlines := make([]kg.Entity, len(ids))
	var unknown []uint32 // numbers whose names are in documents only
	var slots []int      // and their places in out
	s.mu.RLock()
	g := s.g
	for _, id := range ids {
		n, ok := g.entityNum(id)
		if !ok {
			continue
		}
		if name := g.label(n); name != "" {
			e := &outlines[len(out)]
			e.ID, e.Kind, e.Name = g.entityID(n), g.entityKind(n), name
			out = append(out, e)
			continue
		}
		unknown, slots = append(unknown, n), append(slots, len(out))
		out = append(out, nil)
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil || len(unknown) == 0 {
		return out, err
	}
	cached, _ := s.entityCache.get(unknown)
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntities)
		for i, n := range unknown {
			if e := cached[i]; e != nil {
				out[slots[i]] = &kg.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name}
				continue
			}
			v := b.Get(key(n))
			if v == nil {
				continue // deleted since
			}
			e, err := decodeEntityOutline(v)
			if err != nil {
				return fmt.Errorf("%s %d: %w", bucketEntities, n, err)
			}
			out[slots[i]] = e
		}
		return nil
	})
	return slices.DeleteFunc(out, func(e *kg.Entity) bool { return e == nil }), err
}

// GetRelationships implements kg.Store.
func (s *Store) GetRelationships(ctx context.Context, ids []string) ([]*kg.Relationship, error) {
	s.mu.RLock()
	nums := make([]uint32, 0, len(ids))
	for _, id := range ids {
		if n, ok := s.g.relNum(id); ok {
			nums = append(nums, n)
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.relDocs(nums)
}

// entityMatcher is an EntityFilter compiled against the index's columns.
type entityMatcher struct {
	kinds              uint8 // bit per kind index; 0: all
	types, countries   []bool
	from, to           int32
	ranged, impossible bool
	// candidates are the lists of the most selective of the kinds, types,
	// countries and evidence asked for (nil: no such filter): only the
	// entities in them can match.
	candidates [][]uint32
	// ev keeps the entities that cite one of the evidence's sources; nil
	// keeps all.
	ev *citeSet
}

func (s *Store) compile(f *kg.EntityFilter) entityMatcher {
	g := s.g
	m := entityMatcher{from: day(f.From), to: day(f.To), ranged: f.From != "" || f.To != ""}
	for _, k := range f.Kinds {
		if i := kindIndex(k); i > 0 {
			m.kinds |= 1 << i
		} else {
			m.impossible = true
		}
	}
	if len(f.Kinds) > 0 && m.kinds == 0 {
		m.impossible = true
	}
	set := func(in *interner, values []string) []bool {
		if len(values) == 0 {
			return nil
		}
		ok := make([]bool, len(in.values))
		any := false
		for _, v := range values {
			if c, found := in.lookup(v); found {
				ok[c], any = true, true
			}
		}
		if !any {
			m.impossible = true
		}
		return ok
	}
	m.types = set(&g.types, f.Types)
	m.countries = set(&g.countries, f.Countries)
	best := -1
	consider := func(lists [][]uint32, ok func(code int) bool) {
		var chosen [][]uint32
		size := 0
		for code, l := range lists {
			if ok(code) {
				chosen, size = append(chosen, l), size+len(l)
			}
		}
		if best < 0 || size < best {
			best, m.candidates = size, chosen
		}
	}
	if m.kinds != 0 {
		consider(g.byKind, func(c int) bool { return m.kinds&(1<<c) != 0 })
	}
	if m.types != nil {
		consider(g.byType, func(c int) bool { return c < len(m.types) && m.types[c] })
	}
	if m.countries != nil {
		consider(g.byCountry, func(c int) bool { return c < len(m.countries) && m.countries[c] })
	}
	if m.ev = g.entCiters.compile(f.Evidence); m.ev != nil {
		if len(m.ev.codes) == 0 {
			m.impossible = true
		}
		consider(m.ev.lists(), func(int) bool { return true })
	}
	return m
}

func (m *entityMatcher) match(g *graph, n uint32) bool {
	k := g.kind[n]
	switch {
	case k == 0,
		m.kinds != 0 && m.kinds&(1<<k) == 0,
		m.types != nil && !m.types[g.typ[n]],
		m.countries != nil && !m.countries[g.country[n]],
		!m.ev.admits(n):
		return false
	case !m.ranged:
		return true
	}
	first, last := g.spanFirst[n], g.spanLast[n]
	if first == 0 {
		return false
	}
	return (m.to == 0 || first <= m.to) && (m.from == 0 || last >= m.from)
}

// FindEntities implements kg.Store: one pass over the candidates (all
// entities, the given ids, or the names the text matches) counts the
// matches and keeps them; the page is cut from them by their rank in the
// asked order.
func (s *Store) FindEntities(ctx context.Context, f kg.EntityFilter) ([]*kg.Entity, int, error) {
	s.mu.RLock()
	nums, total, err := s.findEntities(ctx, &f)
	s.mu.RUnlock()
	if err != nil || len(nums) == 0 {
		return nil, total, err
	}
	docs, err := s.entityDocs(nums)
	return docs, total, err
}

// findEntities returns the numbers of one page and the total. The caller
// holds the read lock.
func (s *Store) findEntities(ctx context.Context, f *kg.EntityFilter) ([]uint32, int, error) {
	g := s.g
	m := s.compile(f)
	if m.impossible {
		return nil, 0, nil
	}
	if len(f.IDs) == 0 && f.Needle() == "" && m.kinds == 0 && m.types == nil && m.countries == nil && !m.ranged && m.ev == nil &&
		f.CitesSource == "" {
		if f.CountOnly {
			return nil, g.liveEntities, ctx.Err()
		}
		return s.pageAll(f), g.liveEntities, ctx.Err()
	}
	if page, total, ok := s.cellPage(f, &m); ok {
		return page, total, ctx.Err()
	}
	if page, total, ok := s.densePage(ctx, f, &m); ok {
		return page, total, ctx.Err()
	}
	matches, err := s.ownMatches(ctx, f, &m)
	if err != nil {
		return nil, 0, err
	}
	return s.pageOf(ctx, f, matches)
}

// ownMatches returns the numbers of every entity that matches f, compiled
// as m, each once: one pass over the candidates (all entities, the given
// ids, the names the text matches, or the lists of the kinds, types and
// countries asked for). The caller holds the read lock.
func (s *Store) ownMatches(ctx context.Context, f *kg.EntityFilter, m *entityMatcher) ([]uint32, error) {
	g := s.g
	if m.impossible {
		return nil, nil
	}
	var matches []uint32
	switch {
	case len(f.IDs) > 0:
		var named map[uint32]bool // with a text too, the ids must match it
		if f.Needle() != "" {
			named = map[uint32]bool{}
			for _, n := range s.textMatches(kg.Compact(f.Text), f.WholeName) {
				named[n] = true
			}
		}
		code, _, cited := g.entCiters.list(f.CitesSource)
		seen := make(map[uint32]bool, len(f.IDs)) // many ids: a list of matches, each once
		for _, id := range f.IDs {
			if n, ok := g.entityNum(id); ok && !seen[n] && m.match(g, n) && (named == nil || named[n]) &&
				(f.CitesSource == "" || (cited && g.entCiters.cites(n, code))) {
				seen[n] = true
				matches = append(matches, n)
			}
		}
	case f.CitesSource != "":
		code, list, ok := g.entCiters.list(f.CitesSource)
		if !ok {
			break
		}
		needle := kg.Compact(f.Text)
		var text map[uint32]bool
		if f.Needle() != "" {
			text = map[uint32]bool{}
			for _, n := range s.textMatches(needle, f.WholeName) {
				text[n] = true
			}
		}
		for _, n := range list {
			if m.match(g, n) && g.entCiters.cites(n, code) && (text == nil || text[n]) {
				matches = append(matches, n)
			}
		}
	case f.Needle() != "":
		for _, n := range s.textMatches(kg.Compact(f.Text), f.WholeName) {
			if m.match(g, n) {
				matches = append(matches, n)
			}
		}
	case m.candidates != nil:
		for _, l := range m.candidates {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			for _, n := range l {
				if m.match(g, n) {
					matches = append(matches, n)
				}
			}
		}
		if len(m.candidates) > 1 { // an entity may sit in two lists if its value changed
			slices.Sort(matches)
			matches = slices.Compact(matches)
		}
	default:
		for n := range g.kind {
			if n&0xffff == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if m.match(g, uint32(n)) {
				matches = append(matches, uint32(n))
			}
		}
	}
	return matches, ctx.Err()
}

// pageOf cuts f's page from matches, by their rank in f's order, and
// returns it with the total. The caller holds the read lock.
func (s *Store) pageOf(ctx context.Context, f *kg.EntityFilter, matches []uint32) ([]uint32, int, error) {
	g := s.g
	total := len(matches)
	want := total
	if f.Limit > 0 {
		want = min(total, f.Offset+f.Limit)
	}
	if f.Offset >= want || f.CountOnly {
		return nil, total, ctx.Err()
	}
	o := s.orders.byField[f.Order.Field]
	if o == nil {
		o = s.orders.byField[kg.OrderByID]
	}
	rank, group := o.ready(g)
	keys := make([]uint64, len(matches))
	for i, n := range matches {
		r := uint64(rank[n])
		if f.Order.Desc {
			// Descending by key, ties still by id: groups of equal keys in
			// reverse, each in its own (ascending) order.
			keys[i] = uint64(len(group)-int(group[r]))<<32 | r
		} else {
			keys[i] = r
		}
	}
	smallest(keys, want)
	o.mu.Lock()
	sorted := o.sorted
	o.mu.Unlock()
	out := make([]uint32, 0, want-f.Offset)
	for _, k := range keys[f.Offset:want] {
		out = append(out, sorted[uint32(k)])
	}
	return out, total, ctx.Err()
}

// pageAll cuts a page from every entity, in order, without a pass.
func (s *Store) pageAll(f *kg.EntityFilter) []uint32 {
	o := s.orders.byField[f.Order.Field]
	if o == nil {
		o = s.orders.byField[kg.OrderByID]
	}
	o.ready(s.g)
	o.mu.Lock()
	sorted := o.sorted
	o.mu.Unlock()
	end := len(sorted)
	if f.Limit > 0 {
		end = min(end, f.Offset+f.Limit)
	}
	if f.Offset >= end {
		return nil
	}
	if !f.Order.Desc {
		return slices.Clone(sorted[f.Offset:end])
	}
	var out []uint32
	seen := 0
	s.walkOrder(f.Order, func(n uint32) bool {
		if seen >= f.Offset {
			out = append(out, n)
		}
		seen++
		return seen < end
	})
	return out
}

// smallest moves the k smallest keys to the front of keys, in order.
func smallest[K ~uint64](keys []K, k int) {
	if k <= 0 {
		return
	}
	if k >= len(keys)/8 {
		slices.Sort(keys)
		return
	}
	if k <= fewSmallest {
		smallestFew(keys, k)
		return
	}
	// Quickselect the k smallest, then sort them.
	lo, hi := 0, len(keys)-1
	for lo < hi {
		p := keys[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for keys[i] < p {
				i++
			}
			for keys[j] > p {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			lo = hi
		}
	}
	slices.Sort(keys[:k])
}

// fewSmallest is the most keys smallestFew chooses.
const fewSmallest = 32

// smallestFew is smallest for 0 < k <= fewSmallest: one pass keeps the k
// smallest met so far, in order, and refuses most keys by one comparison
// with the largest of them (a search's first 10 of 40,000 keys: a third of
// quickselect's time); then they are moved to the front.
func smallestFew[K ~uint64](keys []K, k int) {
	var buf [fewSmallest]K
	top := buf[:0]
	for _, x := range keys {
		if len(top) == k {
			if x >= top[k-1] {
				continue
			}
			top = top[:k-1]
		}
		i, _ := slices.BinarySearch(top, x)
		top = slices.Insert(top, i, x)
	}
	// The keys below the largest kept to the front, then as many equal to
	// it as make k: the front holds what top holds, and takes its order.
	last, j := top[k-1], 0
	for i, x := range keys {
		if x < last {
			keys[i], keys[j] = keys[j], x
			j++
		}
	}
	for i := j; j < k; i++ {
		if keys[i] == last {
			keys[i], keys[j] = keys[j], keys[i]
			j++
		}
	}
	copy(keys, top)
}

// Expand implements kg.Store.
func (s *Store) Expand(ctx context.Context, q kg.ExpandQuery) ([]*kg.Relationship, error) {
	s.mu.RLock()
	g := s.g
	types := typeMask(q.Types)
	asOf := day(q.AsOf)
	ev := g.relCiters.compile(q.Evidence)
	seen := map[uint32]bool{}
	var nums []uint32
	add := func(list []adj) {
		for _, a := range list {
			if !seen[a.rel] && types.has(g.relType[a.rel]) && g.validOn(a.rel, asOf) && ev.admits(a.rel) {
				seen[a.rel] = true
				nums = append(nums, a.rel)
			}
		}
	}
	for _, id := range q.IDs {
		n, ok := g.entityNum(id)
		if !ok {
			continue
		}
		if q.Direction != kg.DirIn {
			add(g.out[n])
		}
		if q.Direction != kg.DirOut {
			add(g.in[n])
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rels, err := s.relDocs(nums)
	sort.Slice(rels, func(i, j int) bool { return rels[i].ID < rels[j].ID })
	return rels, err
}

// relTypeSet is a set of relationship types as a bit mask of their
// indexes; the empty set stands for all types.
type relTypeSet uint32

func typeMask(ts []kg.RelType) relTypeSet {
	var m relTypeSet
	for _, t := range ts {
		m |= 1 << relTypeIndex(t)
	}
	if len(ts) > 0 && m&^1 == 0 {
		return 1 // only unknown types: a set that matches nothing
	}
	return m
}

func (m relTypeSet) has(t uint8) bool { return m == 0 || m&(1<<t) != 0 }

// FindRelationships implements kg.Store.
func (s *Store) FindRelationships(ctx context.Context, f kg.RelationshipFilter) ([]*kg.Relationship, int, error) {
	s.mu.RLock()
	g := s.g
	types := typeMask(f.Types)
	asOf := day(f.AsOf)
	ev := g.relCiters.compile(f.Evidence)
	var matches []uint32
	total := 0
	switch {
	case len(f.IDs) > 0:
		code, _, cited := g.relCiters.list(f.CitesSource)
		for _, id := range f.IDs {
			if n, ok := g.relNum(id); ok && types.has(g.relType[n]) && g.validOn(n, asOf) && !slices.Contains(matches, n) &&
				(f.CitesSource == "" || (cited && g.relCiters.cites(n, code))) && ev.admits(n) {
				matches = append(matches, n)
			}
		}
		total = len(matches)
	case f.CitesSource != "":
		matches = []uint32{}
		if code, list, ok := g.relCiters.list(f.CitesSource); ok {
			for _, n := range list {
				if g.liveRel(n) && types.has(g.relType[n]) && g.validOn(n, asOf) && g.relCiters.cites(n, code) && ev.admits(n) {
					matches = append(matches, n)
				}
			}
		}
		total = len(matches)
	case ev != nil:
		// The relationships that cite the set's sources, each once (a
		// relationship may cite two of them).
		matches = []uint32{}
		for _, list := range ev.lists() {
			for _, n := range list {
				if g.liveRel(n) && types.has(g.relType[n]) && g.validOn(n, asOf) && ev.admits(n) {
					matches = append(matches, n)
				}
			}
		}
		slices.Sort(matches)
		matches = slices.Compact(matches)
		total = len(matches)
	case asOf == 0 && types == 0:
		total = g.liveRels
	case asOf == 0 && types != 1:
		for t, n := range g.relsByType {
			if types&(1<<t) != 0 {
				total += n
			}
		}
	default:
		for n, t := range g.relType {
			if n&0xffff == 0 && ctx.Err() != nil {
				s.mu.RUnlock()
				return nil, 0, ctx.Err()
			}
			if t != 0 && types.has(t) && g.validOn(uint32(n), asOf) {
				matches = append(matches, uint32(n))
			}
		}
		total = len(matches)
	}
	want := total
	if f.Limit > 0 {
		want = min(total, f.Offset+f.Limit)
	}
	var page []uint32
	if f.Offset < want && !f.CountOnly {
		sorted, rank := s.relOrder()
		switch {
		case matches == nil && types == 0 && len(sorted) == g.liveRels:
			// Every relationship matches, and the order holds them all:
			// the page is where it is. A page at the end (last: 100) walked
			// and copied every relationship before it, 5 M at 1 M entities:
			// 54-137 ms and 20 MB per request.
			page = slices.Clone(sorted[min(f.Offset, len(sorted)):min(want, len(sorted))])
		case matches == nil:
			// Every relationship of the types matches: walk the order,
			// counting the ones before the page rather than keeping them.
			skip := f.Offset
			for _, n := range sorted {
				if !g.liveRel(n) || !types.has(g.relType[n]) {
					continue
				}
				if skip > 0 {
					skip--
					continue
				}
				if len(page) == want-f.Offset {
					break
				}
				page = append(page, n)
			}
		default:
			keys := make([]uint64, len(matches))
			for i, n := range matches {
				keys[i] = uint64(rank[n])
			}
			smallest(keys, want)
			for _, k := range keys[f.Offset:want] {
				page = append(page, sorted[k])
			}
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil || len(page) == 0 {
		return nil, total, err
	}
	rels, err := s.relDocs(page)
	return rels, total, err
}

// GetSources implements kg.Store.
func (s *Store) GetSources(ctx context.Context, ids []string) ([]*kg.Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*kg.Source, 0, len(ids))
	for _, id := range ids {
		if src, ok := s.sources[id]; ok {
			out = append(out, src)
		}
	}
	return out, ctx.Err()
}

// FindSources implements kg.Store.
func (s *Store) FindSources(ctx context.Context, offset, limit int) ([]*kg.Source, int, error) {
	s.mu.RLock()
	all := make([]*kg.Source, 0, len(s.sources))
	for _, src := range s.sources {
		all = append(all, src)
	}
	s.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	total := len(all)
	if offset >= total {
		return nil, total, ctx.Err()
	}
	all = all[offset:]
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all, total, ctx.Err()
}

// textMatches returns the entities one of whose names contains the compact
// text (or is it, when whole), each once. The caller holds the read lock.
func (s *Store) textMatches(text string, whole bool) []uint32 {
	g := s.g
	x := &g.names
	q := []byte(text)
	var cands []uint32
	several := false // cands joins several lists: an entity may come twice apart
	switch {
	case whole:
		lo, hi := prefixRange(q)
		prefixCodes, _ := x.codes()
		ls := lists(x.byPrefix, prefixCodes, lo, hi)
		several = len(ls) > 1
		for _, l := range ls {
			cands = append(cands, l...)
		}
	case len(q) >= 3:
		cands = x.containing(q)
	default:
		return g.entitiesHolding(q, nil)
	}
	// In a list, ascending, an entity's current names are one run: a
	// repeat follows its first.
	var out []uint32
	for _, m := range cands {
		e := x.ent[m]
		if (len(out) > 0 && out[len(out)-1] == e) || !g.currentName(m) || !x.holds(m, q, whole) {
			continue
		}
		out = append(out, e)
	}
	if several {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

// currentName reports whether name m belongs to its entity as it is now.
func (g *graph) currentName(m uint32) bool {
	if g.staleNames == 0 {
		return true
	}
	e := g.names.ent[m]
	return g.live(e) && m >= g.nameFirst[e] && m < g.nameEnd(e)
}
