package embedded

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/vjkg/vjkg/kg"
)

// Relationship ids order the way kg.RelationshipID builds them: "rel:",
// the type, ":", the start's id, "->", the end's id, and "#key" when there
// is a key. So two derived ids compare by type name, then by start id
// followed by "->", then by end id, then by key; entity ids hold none of
// '#', '>' or anything below '-', which is what makes that exact. Ranks of
// the entities in those two orders turn each step into an integer
// comparison. User-given ids compare as strings.

// typeRank orders relationship types by name.
var typeRank = func() [32]uint8 {
	names := make([]string, len(relTypes))
	for i, t := range relTypes {
		names[i] = string(t)
	}
	slices.Sort(names)
	var r [32]uint8
	for i, t := range relTypes {
		r[i+1] = uint8(slices.Index(names, string(t)))
	}
	return r
}()

// idRanks are the ranks of entities by id and by id+"->".
type idRanks struct {
	plain, arrow []uint32
}

// ranks brings the two id orders up to date and returns their ranks. The
// caller holds the store's read lock.
func (s *Store) ranks() idRanks {
	plain, _ := s.orders.byField[kg.OrderByID].ready(s.g)
	arrow, _ := s.orders.byField[orderArrowID].ready(s.g)
	return idRanks{plain, arrow}
}

// compareRelIDs compares the ids of relationships a and b, by the entities'
// ranks, or by their ids when r is empty (cheaper for a few comparisons).
func (g *graph) compareRelIDs(a, b uint32, r idRanks) int {
	if g.idMode[a] == idCustom || g.idMode[b] == idCustom {
		return strings.Compare(g.relID(a), g.relID(b))
	}
	if c := cmp.Compare(typeRank[g.relType[a]], typeRank[g.relType[b]]); c != 0 {
		return c
	}
	if fa, fb := g.from[a], g.from[b]; fa != fb {
		if r.arrow == nil {
			return compareArrow(g.entityID(fa), g.entityID(fb))
		}
		return cmp.Compare(r.arrow[fa], r.arrow[fb])
	}
	if ta, tb := g.to[a], g.to[b]; ta != tb {
		if r.plain == nil {
			return strings.Compare(g.entityID(ta), g.entityID(tb))
		}
		return cmp.Compare(r.plain[ta], r.plain[tb])
	}
	return cmp.Compare(g.key(a), g.key(b))
}

// key returns relationship n's discriminating key, "" if it has none.
func (g *graph) key(n uint32) string {
	if g.idMode[n] == idDerivedKey {
		return g.extra[n]
	}
	return ""
}

// relOrder brings the order of relationships by id up to date and returns
// it with its ranks.
func (s *Store) relOrder() (sorted, rank []uint32) {
	r := s.ranks()
	o := s.orders.rels
	rank, _ = o.readyWith(s.g, func(a, b uint32) int { return s.g.compareRelIDs(a, b, r) })
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sorted, rank
}

// adjEntry is one relationship at an entity, with its direction.
type adjEntry struct {
	adj
	out bool
}

// adjacencyCompare returns kg.AdjacencyLess at entity n as a comparison:
// leaving before entering, then type name, then id. Among relationships of
// one type and direction at n, derived ids differ only in the other end
// and the key. ranks may be empty for a short list: ids are then compared
// as strings.
func (g *graph) adjacencyCompare(r idRanks) func(a, b adjEntry) int {
	return func(a, b adjEntry) int {
		if a.out != b.out {
			if a.out {
				return -1
			}
			return 1
		}
		ta, tb := g.relType[a.rel], g.relType[b.rel]
		if ta != tb {
			return cmp.Compare(typeRank[ta], typeRank[tb])
		}
		if g.idMode[a.rel] == idCustom || g.idMode[b.rel] == idCustom {
			return strings.Compare(g.relID(a.rel), g.relID(b.rel))
		}
		if a.other != b.other {
			switch {
			case a.out && r.plain != nil:
				return cmp.Compare(r.plain[a.other], r.plain[b.other])
			case a.out:
				return strings.Compare(g.entityID(a.other), g.entityID(b.other))
			case r.arrow != nil:
				return cmp.Compare(r.arrow[a.other], r.arrow[b.other])
			default:
				return compareArrow(g.entityID(a.other), g.entityID(b.other))
			}
		}
		return cmp.Compare(g.key(a.rel), g.key(b.rel))
	}
}

// sortedAdjacency caches the adjacency lists of the entities with many
// relationships in kg.AdjacencyLess order, so that a hub's list is sorted
// once, not by every query that passes through it. A write drops the
// lists of the entities it touches; the whole cache is dropped when it
// grows past maxSortedEntries.
type sortedAdjacency struct {
	mu    sync.Mutex
	lists map[uint32]sortedList
	size  int
}

// sortedList is a hub's sorted adjacency list, with its runs of one
// direction and type in order: a page of one type is then a slice of the
// list, found without a binary search through the hub's relationships,
// each step of which reads a relationship's type at random (profiled: a
// third of a nested page's store time).
type sortedList struct {
	entries []adjEntry
	runs    []adjRun
}

// adjRun is entries[lo:hi] of a sorted list: the relationships of one
// type in one direction.
type adjRun struct {
	out    bool
	typ    uint8
	lo, hi int32
}

// listRuns cuts a sorted list into its runs.
func listRuns(g *graph, l []adjEntry) []adjRun {
	var runs []adjRun
	for i, a := range l {
		t := g.relType[a.rel]
		if k := len(runs) - 1; k >= 0 && runs[k].out == a.out && runs[k].typ == t {
			runs[k].hi = int32(i + 1)
			continue
		}
		runs = append(runs, adjRun{out: a.out, typ: t, lo: int32(i), hi: int32(i + 1)})
	}
	return runs
}

// runSegments is segments for a list cut into runs.
func runSegments(out [][]adjEntry, list []adjEntry, runs []adjRun, outs, ins bool, types relTypeSet) [][]adjEntry {
	for _, r := range runs {
		if (r.out && outs || !r.out && ins) && (types == 0 || types.has(r.typ)) {
			out = append(out, list[r.lo:r.hi])
		}
	}
	return out
}

// The adjacency lists of entities with at least minSortedDegree
// relationships are kept sorted, up to maxSortedEntries entries or as many
// as the graph has relationships, whichever is more (the hubs of 5,000,000
// relationships hold about 2.4 M; 12 bytes each).
const (
	minSortedDegree  = 128
	maxSortedEntries = 4 << 20
)

// adjacencyInto returns every relationship of entity n, leaving before
// entering, each direction by type and id, using *buf (if not nil) for the
// list of an entity with few relationships (which it does not cache). The
// caller holds the read lock.
func (s *Store) adjacencyInto(n uint32, buf *[]adjEntry) []adjEntry {
	l, _ := s.adjacencyRuns(n, buf)
	return l
}

// adjacencyRuns is adjacencyInto, with the runs of a hub's list (nil for
// an entity with few relationships).
func (s *Store) adjacencyRuns(n uint32, buf *[]adjEntry) ([]adjEntry, []adjRun) {
	g := s.g
	deg := len(g.out[n]) + len(g.in[n])
	if deg >= minSortedDegree {
		s.sortedAdj.mu.Lock()
		l, ok := s.sortedAdj.lists[n]
		s.sortedAdj.mu.Unlock()
		if ok {
			return l.entries, l.runs
		}
	}
	var l []adjEntry
	if buf != nil && deg < minSortedDegree {
		l = (*buf)[:0]
		defer func() { *buf = l }()
	} else {
		l = make([]adjEntry, 0, deg)
	}
	for _, a := range g.out[n] {
		l = append(l, adjEntry{a, true})
	}
	for _, a := range g.in[n] {
		l = append(l, adjEntry{a, false})
	}
	var r idRanks
	if deg > 64 {
		r = s.ranks()
	}
	slices.SortFunc(l, g.adjacencyCompare(r))
	if deg < minSortedDegree {
		return l, nil
	}
	runs := listRuns(g, l)
	c := &s.sortedAdj
	c.mu.Lock()
	if c.lists == nil || c.size+deg > max(maxSortedEntries, g.liveRels) {
		c.lists, c.size = map[uint32]sortedList{}, 0
	}
	if _, ok := c.lists[n]; !ok {
		c.lists[n] = sortedList{l, runs}
		c.size += deg
	}
	c.mu.Unlock()
	return l, runs
}

// forget drops the cached lists of entities whose relationships changed.
// The caller holds the write lock.
func (c *sortedAdjacency) forget(ns ...uint32) {
	c.mu.Lock()
	for _, n := range ns {
		if l, ok := c.lists[n]; ok {
			c.size -= len(l.entries)
			delete(c.lists, n)
		}
	}
	c.mu.Unlock()
}
