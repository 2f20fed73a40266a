package embedded

import (
	"context"
	"slices"
	"sort"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.RelationshipPager = (*Store)(nil)

// PageRelationships implements kg.RelationshipPager: each page is cut from
// the entity's adjacency lists in the index, and only the page's documents
// are read, however many relationships the entity has; none when every
// query asks for outlines (types and ends only).
func (s *Store) PageRelationships(ctx context.Context, qs []kg.RelPageQuery) ([]kg.RelPage, error) {
	out := make([]kg.RelPage, len(qs))
	outline := true
	for _, q := range qs {
		outline = outline && q.Outline
	}
	// The pages' relationships, query after query: query i's are
	// want[ends[i-1]:ends[i]], one slice for all rather than one each.
	ends := make([]int, len(qs))
	var want []uint32
	var buf []adjEntry
	var segs [][]adjEntry
	s.mu.RLock()
	g := s.g
	for i, q := range qs {
		n, ok := g.entityNum(q.ID)
		if !ok {
			ends[i] = len(want)
			continue
		}
		types := typeMask(q.Types)
		asOf := day(q.AsOf)
		kinds := kindMaskOf(q.OtherKinds)
		ev := g.relCiters.compile(q.Evidence)
		outs, ins := q.Direction != kg.DirIn, q.Direction != kg.DirOut
		plain := asOf == 0 && kinds == 0 && ev == nil
		need := -1 // every entry in order
		if plain && q.Offset >= 0 && q.Limit >= 0 && q.Offset+q.Limit >= 0 {
			need = q.Offset + q.Limit
		}
		list, runs := s.adjacencyOf(n, outs, ins, types, need, &buf)
		if runs == nil && need >= 0 && need < len(list) {
			// A short list whose first need entries only are in order:
			// every entry matches, so the page is cut from them.
			for _, a := range list[min(q.Offset, need):need] {
				want = append(want, a.rel)
			}
			out[i].Total = len(list)
			ends[i] = len(want)
			continue
		}
		total := 0
		if runs != nil {
			segs = runSegments(segs[:0], list, runs, outs, ins, types)
		} else {
			segs = segments(segs[:0], g, list, outs, ins, types)
		}
		for _, seg := range segs {
			if plain {
				// Every entry of the segment matches: take the page's part
				// of it without looking at the others.
				from := min(max(q.Offset-total, 0), len(seg))
				to := min(max(q.Offset+q.Limit-total, from), len(seg))
				for _, a := range seg[from:to] {
					want = append(want, a.rel)
				}
				total += len(seg)
				continue
			}
			for _, a := range seg {
				if !g.validOn(a.rel, asOf) || (kinds != 0 && kinds&(1<<g.kind[a.other]) == 0) || !ev.admits(a.rel) {
					continue
				}
				if total >= q.Offset && total < q.Offset+q.Limit {
					want = append(want, a.rel)
				}
				total++
			}
		}
		out[i].Total = total
		ends[i] = len(want)
	}
	var docs []*kg.Relationship
	if outline {
		// Types and ends, in one allocation, not one each. No id: a
		// derived one is a new string, and building them was 45 of the 472
		// allocations of the benchmark's nested query, which reads none.
		outlines := make([]kg.Relationship, len(want))
		docs = make([]*kg.Relationship, len(want))
		for i, n := range want {
			g.endsInto(&outlines[i], n)
			docs[i] = &outlines[i]
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !outline {
		var err error
		if docs, err = s.readRelationships(want); err != nil {
			return nil, err
		}
	}
	start := 0
	for i := range qs {
		// A nil document was deleted since: left out.
		if page := withoutNil(docs[start:ends[i]:ends[i]]); len(page) > 0 {
			out[i].Relationships = page
		}
		start = ends[i]
	}
	return out, nil
}

// adjacencyOf returns the relationships of entity n in the given
// directions and of the given types, in adjacency order: a hub's from its
// sorted list, with the list's runs of one direction and type; a short
// list's filtered first and then sorted, in *buf (and no runs), so
// that a page of one type is not paid for with a sort of every other
// (profiled on nested pages at 1 M entities: sorting short lists was half
// the cost of PageRelationships). Of a short list, with need ≥ 0, only the
// first need entries are put in order (sortPrefix), the rest after them
// in any order: a first page of 3 then costs a pass over the list, not a
// sort of it (the sort was 3% of a nested query's CPU).
func (s *Store) adjacencyOf(n uint32, outs, ins bool, types relTypeSet, need int, buf *[]adjEntry) ([]adjEntry, []adjRun) {
	g := s.g
	if len(g.out[n])+len(g.in[n]) >= minSortedDegree {
		return s.adjacencyRuns(n, nil)
	}
	l := (*buf)[:0]
	if outs {
		for _, a := range g.out[n] {
			if types.has(g.relType[a.rel]) {
				l = append(l, adjEntry{a, true})
			}
		}
	}
	if ins {
		for _, a := range g.in[n] {
			if types.has(g.relType[a.rel]) {
				l = append(l, adjEntry{a, false})
			}
		}
	}
	sortPrefix(l, need, g.adjacencyCompare(idRanks{}))
	*buf = l
	return l, nil
}

// maxPrefix is the longest prefix sortPrefix sorts by insertion: it costs
// a comparison per entry and an insertion per entry that enters the
// prefix, which for long prefixes a sort beats.
const maxPrefix = 16

// sortPrefix puts the first k entries of l in order (all of them when k is
// negative or at least len(l)), the others after them in any order: l
// stays a permutation of itself. cmp must be a total order.
func sortPrefix[T any](l []T, k int, cmp func(a, b T) int) {
	if k < 0 || k >= len(l) || k > maxPrefix {
		slices.SortFunc(l, cmp)
		return
	}
	if k == 0 {
		return
	}
	insert := func(i int) { // l[i] into the sorted l[:i]
		for ; i > 0 && cmp(l[i], l[i-1]) < 0; i-- {
			l[i], l[i-1] = l[i-1], l[i]
		}
	}
	for i := 1; i < k; i++ {
		insert(i)
	}
	for j := k; j < len(l); j++ {
		if cmp(l[j], l[k-1]) < 0 {
			l[j], l[k-1] = l[k-1], l[j]
			insert(k - 1)
		}
	}
}

// segments cuts an entity's sorted adjacency list (leaving before
// entering, then by type) into the runs a page query wants, in order: one
// run per direction and type asked for, found by binary search, appended
// to out.
func segments(out [][]adjEntry, g *graph, list []adjEntry, outs, ins bool, types relTypeSet) [][]adjEntry {
	split, _ := slices.BinarySearchFunc(list, false, func(a adjEntry, _ bool) int {
		if a.out {
			return -1
		}
		return 1
	})
	add := func(half []adjEntry) {
		if types == 0 {
			if len(half) > 0 {
				out = append(out, half)
			}
			return
		}
		for lo := 0; lo < len(half); {
			t := g.relType[half[lo].rel]
			hi := lo + sort.Search(len(half)-lo, func(k int) bool { return typeRank[g.relType[half[lo+k].rel]] > typeRank[t] })
			if types.has(t) {
				out = append(out, half[lo:hi])
			}
			lo = hi
		}
	}
	if outs {
		add(list[:split])
	}
	if ins {
		add(list[split:])
	}
	return out
}
