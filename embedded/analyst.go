package embedded

import (
	"context"
	"math/bits"
	"slices"
	"strconv"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// The analyst's queries on the index: relationship filters, facets,
// stats, degrees and ranked paths, each the generic version's answer
// (storetest.CheckNative) computed on the columns and adjacency lists,
// reading documents only for the page or the paths returned.

var (
	_ kg.Matcher          = (*Store)(nil)
	_ kg.Faceter          = (*Store)(nil)
	_ kg.RelFaceter       = (*Store)(nil)
	_ kg.StatsReader      = (*Store)(nil)
	_ kg.DegreeCounter    = (*Store)(nil)
	_ traverse.PathRanker = (*Store)(nil)
)

// bitset is a set of entity numbers: 128 KB for a million entities, cleared
// by allocation, and one memory access per test.
type bitset []uint64

func newBitset(n int) bitset       { return make(bitset, (n+63)/64) }
func (b bitset) set(n uint32)      { b[n>>6] |= 1 << (n & 63) }
func (b bitset) has(n uint32) bool { return b[n>>6]&(1<<(n&63)) != 0 }

// or adds the members of c, which is no longer than b.
func (b bitset) or(c bitset) {
	for i, w := range c {
		b[i] |= w
	}
}

func (b bitset) addAll(ns []uint32) {
	for _, n := range ns {
		b.set(n)
	}
}

// generic reports whether an analyst query asks which sources support the
// relationships it counts or walks (evidence, or a condition's): the index
// does not hold a relationship's sources, so the generic algorithm answers,
// over Expand, which reads them.
func generic(ev *kg.SourceSet, m *kg.Match) bool {
	return ev != nil || m.HasRelEvidence()
}

// FindMatching implements kg.Matcher: MatchIDs on entity numbers, then the
// page cut as FindEntities cuts it.
func (s *Store) FindMatching(ctx context.Context, f kg.EntityFilter, m *kg.Match) ([]*kg.Entity, int, error) {
	if generic(nil, m) {
		return kg.GenericFindMatching(ctx, s, f, m)
	}
	s.mu.RLock()
	nums, err := s.matching(ctx, f.Own(), m)
	var page []uint32
	total := 0
	if err == nil {
		page, total, err = s.pageOf(ctx, &f, nums)
	}
	s.mu.RUnlock()
	if err != nil || len(page) == 0 {
		return nil, total, err
	}
	docs, err := s.entityDocs(page)
	return docs, total, err
}

// matching returns every entity that matches f's own fields and m. The
// caller holds the read lock.
func (s *Store) matching(ctx context.Context, f kg.EntityFilter, m *kg.Match) ([]uint32, error) {
	if !f.HasOwn() && m != nil {
		cand, rest, ok, err := s.seedFromRels(ctx, m)
		if err != nil {
			return nil, err
		}
		if ok {
			return s.matchNums(ctx, rest, cand)
		}
	}
	c := s.compile(&f)
	cand, err := s.ownMatches(ctx, &f, &c)
	if err != nil {
		return nil, err
	}
	return s.matchNums(ctx, m, cand)
}

// matchNums keeps the candidates that match m, in order, as kg.MatchIDs
// does with ids.
func (s *Store) matchNums(ctx context.Context, m *kg.Match, cand []uint32) ([]uint32, error) {
	if m == nil || len(cand) == 0 {
		return cand, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g := s.g
	if m.Filter.HasOwn() {
		c := s.compile(&m.Filter)
		if c.impossible {
			return nil, nil
		}
		var in bitset
		if len(m.Filter.IDs) > 0 || m.Filter.Needle() != "" || m.Filter.CitesSource != "" {
			// The ids and the names the text matches: the same list the
			// filter's own pass reads.
			own, err := s.ownMatches(ctx, &m.Filter, &c)
			if err != nil {
				return nil, err
			}
			in = newBitset(len(g.kind))
			in.addAll(own)
		}
		out := cand[:0:0]
		for _, n := range cand {
			if c.match(g, n) && (in == nil || in.has(n)) {
				out = append(out, n)
			}
		}
		cand = out
	}
	var err error
	for _, rc := range m.Rels {
		if cand, err = s.matchRel(ctx, rc, cand); err != nil || len(cand) == 0 {
			return cand, err
		}
	}
	for i := range m.And {
		if cand, err = s.matchNums(ctx, &m.And[i], cand); err != nil || len(cand) == 0 {
			return cand, err
		}
	}
	if len(m.Or) > 0 {
		matched := newBitset(len(g.kind))
		for i := range m.Or {
			rest := cand[:0:0]
			for _, n := range cand {
				if !matched.has(n) {
					rest = append(rest, n)
				}
			}
			sub, err := s.matchNums(ctx, &m.Or[i], rest)
			if err != nil {
				return nil, err
			}
			matched.addAll(sub)
		}
		cand = keepNums(cand, matched, true)
	}
	if m.Not != nil && len(cand) > 0 {
		sub, err := s.matchNums(ctx, m.Not, cand)
		if err != nil {
			return nil, err
		}
		not := newBitset(len(g.kind))
		not.addAll(sub)
		cand = keepNums(cand, not, false)
	}
	return cand, nil
}

func keepNums(ns []uint32, set bitset, want bool) []uint32 {
	out := ns[:0:0]
	for _, n := range ns {
		if set.has(n) == want {
			out = append(out, n)
		}
	}
	return out
}

// relRule is a RelCondition's choice of relationships, compiled.
type relRule struct {
	types   relTypeSet
	asOf    int32
	out, in bool
}

func compileRel(types []kg.RelType, dir kg.Direction, asOf string) relRule {
	return relRule{types: typeMask(types), asOf: day(asOf), out: dir != kg.DirIn, in: dir != kg.DirOut}
}

func (r relRule) follows(g *graph, rel uint32) bool {
	return (r.types == 0 || r.types.has(g.relType[rel])) && (r.asOf == 0 || g.validOn(rel, r.asOf))
}

// each calls visit for every relationship of n the rule looks at, with
// whether it leaves n.
func (r relRule) each(g *graph, n uint32, visit func(a adj, out bool)) {
	if r.out {
		for _, a := range g.out[n] {
			if r.follows(g, a.rel) {
				visit(a, true)
			}
		}
	}
	if r.in {
		for _, a := range g.in[n] {
			if r.follows(g, a.rel) {
				visit(a, false)
			}
		}
	}
}

// matchRel keeps the candidates whose relationships meet rc. It walks out
// from the candidates to the other ends and matches those (what
// kg.MatchIDs does); for SOME and NONE it may instead match rc.Other's own
// candidates first and walk back from the matches, when they are fewer than
// the candidates (organisations that took part in one event: from the
// event, not from every organisation). Both give the same set, since
// whether an entity matches does not depend on the others asked about.
func (s *Store) matchRel(ctx context.Context, rc kg.RelCondition, cand []uint32) ([]uint32, error) {
	g := s.g
	rule := compileRel(rc.Types, rc.Direction, rc.AsOf)
	if rc.Other == nil {
		out := cand[:0:0]
		for _, n := range cand {
			k := 0
			rule.each(g, n, func(adj, bool) { k++ })
			if rc.Quantifier.Holds(k, k) {
				out = append(out, n)
			}
		}
		return out, nil
	}
	if rc.Quantifier != kg.All && rc.Other.Filter.HasOwn() && s.fewCandidates(&rc.Other.Filter, len(cand)) {
		reached, err := s.reachedBack(ctx, rc, rule)
		if err != nil {
			return nil, err
		}
		return keepNums(cand, reached, rc.Quantifier == kg.Some), nil
	}
	seen := newBitset(len(g.kind))
	var others []uint32
	for _, n := range cand {
		rule.each(g, n, func(a adj, _ bool) {
			if !seen.has(a.other) {
				seen.set(a.other)
				others = append(others, a.other)
			}
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	matched, err := s.matchNums(ctx, rc.Other, others)
	if err != nil {
		return nil, err
	}
	good := newBitset(len(g.kind))
	good.addAll(matched)
	out := cand[:0:0]
	for _, n := range cand {
		all, ok := 0, 0
		rule.each(g, n, func(a adj, _ bool) {
			all++
			if good.has(a.other) {
				ok++
			}
		})
		if rc.Quantifier.Holds(ok, all) {
			out = append(out, n)
		}
	}
	return out, nil
}

// reachedBack returns the entities from which a relationship rule follows
// reaches an entity that matches rc.Other: found from rc.Other's own
// candidates, walking the relationships back.
func (s *Store) reachedBack(ctx context.Context, rc kg.RelCondition, rule relRule) (bitset, error) {
	g := s.g
	c := s.compile(&rc.Other.Filter)
	others, err := s.ownMatches(ctx, &rc.Other.Filter, &c)
	if err != nil {
		return nil, err
	}
	good, err := s.matchNums(ctx, rc.Other, others)
	if err != nil {
		return nil, err
	}
	back := relRule{types: rule.types, asOf: rule.asOf, out: rule.in, in: rule.out}
	reached := newBitset(len(g.kind))
	for _, o := range good {
		back.each(g, o, func(a adj, _ bool) { reached.set(a.other) })
	}
	return reached, ctx.Err()
}

// seedFromRels finds the candidates of a filter without own fields (every
// entity) from one of m's SOME conditions whose other end has few own
// candidates, walking back from those: the entities related to a country
// come from the country's adjacency, not from testing a million entities
// and then keeping the few the walk reached. It returns them in entity
// order, with m less that condition (they all meet it); ok is false when
// no condition of m qualifies.
func (s *Store) seedFromRels(ctx context.Context, m *kg.Match) (cand []uint32, rest *kg.Match, ok bool, err error) {
	g := s.g
	for i, rc := range m.Rels {
		if rc.Quantifier != kg.Some || rc.Other == nil || !rc.Other.Filter.HasOwn() || !s.fewCandidates(&rc.Other.Filter, g.liveEntities) {
			continue
		}
		reached, err := s.reachedBack(ctx, rc, compileRel(rc.Types, rc.Direction, rc.AsOf))
		if err != nil {
			return nil, nil, false, err
		}
		for w, word := range reached {
			for word != 0 {
				n := uint32(w<<6 + bits.TrailingZeros64(word))
				word &= word - 1
				if g.kind[n] != 0 { // a live entity
					cand = append(cand, n)
				}
			}
		}
		r := *m
		r.Rels = slices.Delete(slices.Clone(m.Rels), i, i+1)
		return cand, &r, true, nil
	}
	return nil, nil, false, nil
}

// fewCandidates reports whether f's own candidates (its ids, or the
// lists of its kinds, types and countries) are known to be fewer than n
// without a pass: text is not, as counting its matches is the pass.
func (s *Store) fewCandidates(f *kg.EntityFilter, n int) bool {
	if len(f.IDs) > 0 {
		return len(f.IDs) < n
	}
	if f.Needle() != "" {
		return false
	}
	c := s.compile(f)
	if c.candidates == nil {
		return false
	}
	size := 0
	for _, l := range c.candidates {
		size += len(l)
	}
	return size < n
}

// Facets implements kg.Faceter: one pass over the matches, counting the
// index's columns into arrays.
func (s *Store) Facets(ctx context.Context, f kg.EntityFilter, m *kg.Match, fields []kg.FacetField) (kg.EntityFacets, error) {
	if generic(nil, m) {
		return kg.GenericFacets(ctx, s, f, m, fields)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.g
	nums, err := s.matching(ctx, f.Own(), m)
	if err != nil {
		return kg.EntityFacets{}, err
	}
	var kinds [8]int
	types := make([]int, len(g.types.values))
	countries := make([]int, len(g.countries.values))
	var years [10000]int // by year; 0: no start date
	for _, n := range nums {
		kinds[g.kind[n]]++
		types[g.typ[n]]++
		countries[g.country[n]]++
		years[min(max(g.start[n]/10000, 0), 9999)]++
	}
	out := kg.EntityFacets{Total: len(nums), Counts: map[kg.FacetField][]kg.FacetCount{}}
	for _, field := range fields {
		counts := map[string]int{}
		switch field {
		case kg.FacetKind:
			for i, c := range kinds {
				if c > 0 {
					counts[string(kg.Kinds[i-1])] = c
				}
			}
		case kg.FacetType:
			for i, c := range types {
				if c > 0 {
					counts[g.types.values[i]] = c
				}
			}
		case kg.FacetCountry:
			for i, c := range countries {
				if c > 0 {
					counts[g.countries.values[i]] = c
				}
			}
		case kg.FacetYear:
			for y, c := range years {
				if c == 0 {
					continue
				}
				v := ""
				if y != 0 {
					v = strconv.Itoa(y)
				}
				counts[v] = c
			}
		}
		out.Counts[field] = kg.SortFacetCounts(counts)
	}
	return out, nil
}

// RelationshipFacets implements kg.RelFaceter: each member's adjacency
// lists, counted into an array by type, direction and kind.
func (s *Store) RelationshipFacets(ctx context.Context, q kg.RelFacetQuery) (kg.RelFacets, error) {
	if generic(q.Evidence, q.Match) {
		return kg.GenericRelationshipFacets(ctx, s, q)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.g
	nums, err := s.matching(ctx, q.Filter.Own(), q.Match)
	if err != nil {
		return kg.RelFacets{}, err
	}
	var counts [32][2][8]int
	rule := compileRel(q.Types, q.Direction, q.AsOf)
	for i, n := range nums {
		if i&0xffff == 0 && ctx.Err() != nil {
			return kg.RelFacets{}, ctx.Err()
		}
		rule.each(g, n, func(a adj, out bool) {
			d := 0
			if !out {
				d = 1
			}
			counts[g.relType[a.rel]][d][g.kind[a.other]]++
		})
	}
	groups := map[kg.RelFacet]int{}
	for t := range counts {
		for d, dir := range []kg.Direction{kg.DirOut, kg.DirIn} {
			for k, c := range counts[t][d] {
				if c > 0 {
					groups[kg.RelFacet{Type: relTypes[t-1], Direction: dir, OtherKind: kg.Kinds[k-1]}] = c
				}
			}
		}
	}
	return kg.SortRelFacets(len(nums), groups), nil
}

// Stats implements kg.StatsReader from the counts the index keeps.
func (s *Store) Stats(ctx context.Context) (kg.Stats, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.g
	st := kg.Stats{Entities: g.liveEntities, Relationships: g.liveRels, Sources: len(s.sources), ByKind: map[kg.Kind]int{}}
	for i, k := range kg.Kinds {
		st.ByKind[k] = g.liveByKind[i+1]
	}
	return st, ctx.Err()
}

// Degrees implements kg.DegreeCounter: the lengths of the adjacency lists.
func (s *Store) Degrees(ctx context.Context, ids []string) ([]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.g
	out := make([]int, len(ids))
	for i, id := range ids {
		if n, ok := g.entityNum(id); ok {
			out[i] = len(g.out[n]) + len(g.in[n])
		}
	}
	return out, ctx.Err()
}

// RankedPaths implements traverse.PathRanker: GenericRankedPaths'
// breadth-first search on the index (levels kept in marks, steps read
// from the adjacency lists when the ranking walks back through a node),
// ranked by the same traverse.Rank; only the paths' relationships'
// documents are read.
func (s *Store) RankedPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.ScoredPath, error) {
	f, t, err := s.lockPathEnds(from, to)
	switch {
	case err != nil:
		return nil, err
	case f == t:
		return []traverse.ScoredPath{{Path: traverse.Path{Nodes: []string{from}}, Score: 1}}, nil
	}
	g := s.g
	rule := compileOptions(g, o)
	level := getMarks(len(g.kind))
	defer level.release()
	level.set(f, 0)
	front, length := []uint32{f}, 0
	for hop := 1; hop <= maxHops && len(front) > 0 && length == 0; hop++ {
		if err := ctx.Err(); err != nil {
			s.mu.RUnlock()
			return nil, err
		}
		front = s.expandLevel(g, front, hop-1, rule, level, false, t)
		if level.has(t) {
			length = hop
		}
	}
	if length == 0 {
		s.mu.RUnlock()
		return nil, nil
	}
	longer := length < maxHops
	ranks := s.ranks()
	type step = traverse.Step[uint32, uint32]
	ranked, err := traverse.Rank(traverse.Layered[uint32, uint32]{
		Start: f, Target: t, Length: length, Longer: longer,
		Level: func(n uint32) (int, bool) { return level.at(n), level.has(n) },
		Steps: func(n uint32) (up, side []step) {
			at := level.at(n)
			sides := at < length || (n == t && longer)
			rule.each(g, n, true, func(a adj, _ bool) bool {
				if level.has(a.other) {
					switch l := level.at(a.other); {
					case l == at-1:
						up = append(up, step{From: a.other, Rel: a.rel})
					case l == at && sides:
						side = append(side, step{From: a.other, Rel: a.rel})
					}
				}
				return true
			})
			return up, side
		},
		Degrees: func(ns []uint32) ([]int, error) {
			out := make([]int, len(ns))
			for i, n := range ns {
				out[i] = len(g.out[n]) + len(g.in[n])
			}
			return out, nil
		},
		CompareRels: func(a, b uint32) int { return g.compareRelIDs(a, b, ranks) },
	}, limit)
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	nodes := make([][]string, len(ranked))
	rels := make([][]uint32, len(ranked))
	for i, p := range ranked {
		for _, n := range p.Nodes {
			nodes[i] = append(nodes[i], g.entityID(n))
		}
		rels[i] = p.Rels
	}
	s.mu.RUnlock()
	docs, err := s.relsByNum(rels)
	if err != nil {
		return nil, err
	}
	out := make([]traverse.ScoredPath, len(ranked))
	for i, p := range ranked {
		out[i] = traverse.ScoredPath{Path: traverse.Path{Nodes: nodes[i]}, Score: p.Score}
		for _, r := range p.Rels {
			out[i].Relationships = append(out[i].Relationships, docs[r])
		}
	}
	return out, nil
}
