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
// are read, however many relationships the entity has.
func (s *Store) PageRelationships(ctx context.Context, qs []kg.RelPageQuery) ([]kg.RelPage, error) {
	out := make([]kg.RelPage, len(qs))
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
		var kinds uint8
		for _, k := range q.OtherKinds {
			kinds |= 1 << kindIndex(k)
		}
		ev := g.relCiters.compile(q.Evidence)
		outs, ins := q.Direction != kg.DirIn, q.Direction != kg.DirOut
		list, runs := s.adjacencyOf(n, outs, ins, types, &buf)
		total := 0
		if runs != nil {
			segs = runSegments(segs[:0], list, runs, outs, ins, types)
		} else {
			segs = segments(segs[:0], g, list, outs, ins, types)
		}
		for _, seg := range segs {
			if asOf == 0 && kinds == 0 && ev == nil {
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
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	docs, err := s.readRelationships(want)
	if err != nil {
		return nil, err
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
// the cost of PageRelationships).
func (s *Store) adjacencyOf(n uint32, outs, ins bool, types relTypeSet, buf *[]adjEntry) ([]adjEntry, []adjRun) {
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
	slices.SortFunc(l, g.adjacencyCompare(idRanks{}))
	*buf = l
	return l, nil
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
