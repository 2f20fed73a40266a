package embedded

import (
	"context"
	"slices"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.RelationshipPager = (*Store)(nil)

// PageRelationships implements kg.RelationshipPager: each page is cut from
// the entity's adjacency lists in the index, and only the page's documents
// are read, however many relationships the entity has.
func (s *Store) PageRelationships(ctx context.Context, qs []kg.RelPageQuery) ([]kg.RelPage, error) {
	out := make([]kg.RelPage, len(qs))
	pages := make([][]uint32, len(qs))
	var want []uint32
	s.mu.RLock()
	g := s.g
	var ranks idRanks
	for i, q := range qs {
		n, ok := g.entityNum(q.ID)
		if !ok {
			continue
		}
		types := typeMask(q.Types)
		asOf := day(q.AsOf)
		var kinds uint8
		for _, k := range q.OtherKinds {
			kinds |= 1 << kindIndex(k)
		}
		var matches []adjEntry
		collect := func(list []adj, out bool) {
			for _, a := range list {
				if types.has(g.relType[a.rel]) && g.validOn(a.rel, asOf) && (kinds == 0 || kinds&(1<<g.kind[a.other]) != 0) {
					matches = append(matches, adjEntry{a, out})
				}
			}
		}
		if q.Direction != kg.DirIn {
			collect(g.out[n], true)
		}
		if q.Direction != kg.DirOut {
			collect(g.in[n], false)
		}
		out[i].Total = len(matches)
		end := min(len(matches), q.Offset+q.Limit)
		if q.Limit <= 0 || q.Offset >= end {
			continue
		}
		// Long lists compare by rank, short ones by id strings.
		r := idRanks{}
		if len(matches) > 64 {
			if ranks.plain == nil {
				ranks = s.ranks()
			}
			r = ranks
		}
		compare := g.adjacencyCompare(r)
		if end < len(matches)/4 {
			matches = smallestFunc(matches, end, compare)
		} else {
			slices.SortFunc(matches, compare)
		}
		for _, m := range matches[q.Offset:end] {
			pages[i] = append(pages[i], m.rel)
			want = append(want, m.rel)
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	docs, err := readDocs[kg.Relationship](s, bucketRelationships, want)
	if err != nil {
		return nil, err
	}
	byNum := make(map[uint32]*kg.Relationship, len(docs))
	for j, n := range want {
		if docs[j] != nil { // nil: deleted since
			byNum[n] = docs[j]
		}
	}
	for i := range qs {
		for _, n := range pages[i] {
			if r := byNum[n]; r != nil {
				out[i].Relationships = append(out[i].Relationships, r)
			}
		}
	}
	return out, nil
}

// smallestFunc returns the k smallest of xs by compare, in order, keeping
// a sorted window of k while scanning once.
func smallestFunc[T any](xs []T, k int, compare func(a, b T) int) []T {
	top := make([]T, 0, k+1)
	for _, x := range xs {
		if len(top) == k && compare(x, top[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, x, compare)
		top = slices.Insert(top, i, x)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}
