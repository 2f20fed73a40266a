package embedded

import (
	"context"

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
		outs, ins := q.Direction != kg.DirIn, q.Direction != kg.DirOut
		total := 0
		for _, a := range s.adjacency(n) {
			if (a.out && !outs) || (!a.out && !ins) || !types.has(g.relType[a.rel]) || !g.validOn(a.rel, asOf) ||
				(kinds != 0 && kinds&(1<<g.kind[a.other]) == 0) {
				continue
			}
			if total >= q.Offset && total < q.Offset+q.Limit {
				pages[i] = append(pages[i], a.rel)
				want = append(want, a.rel)
			}
			total++
		}
		out[i].Total = total
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	docs, err := s.readRelationships(want)
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
