package traverse

import (
	"container/heap"
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

// Ranking paths by how specific they are.
//
// Between two localities the shortest paths usually run through the two
// country nodes, which touch almost every locality; the telling link, through
// a person, an event or an agreement, is often one hop longer. RankedPaths
// therefore looks at every simple path of the shortest length L and, when
// maxHops allows, of length L+1, and scores each by the entities it passes
// through (its two ends excluded):
//
//	score = 1 / (deg(v1) × deg(v2) × … × deg(vk))
//
// where deg(v) is the number of relationships v has (kg.Degrees: any type,
// any time). It is the chance that a walker who leaves each entity on the
// way by one of its relationships, chosen at random, follows this path: a
// path through two entities with 3 relationships each scores 1/9 ≈ 0.11, one
// through a country with 2,000 scores 0.0005, a single relationship scores 1.
// A longer path pays for its extra entity with its degree, so it ranks first
// only when it avoids a hub. Paths come best first; ties by length, then in
// ShortestPaths' order (by relationship ids, from the end back to the start).

// ScoredPath is a path with its score.
type ScoredPath struct {
	Path
	Score float64
}

// PathRanker is implemented by stores that rank paths themselves (a search
// on an in-memory index); their answers must be GenericRankedPaths'.
type PathRanker interface {
	RankedPaths(ctx context.Context, from, to string, maxHops int, o Options, limit int) ([]ScoredPath, error)
}

// RankedPaths returns the limit best paths (0: all) from one entity to
// another by score (see above), among the simple paths of the shortest
// length within maxHops and, if it is within maxHops too, of one hop more.
// It returns ENotFound if either entity does not exist, and no paths if they
// are not connected within maxHops. The store's own PathRanker answers when
// it has one.
func RankedPaths(ctx context.Context, s kg.Store, from, to string, maxHops int, o Options, limit int) ([]ScoredPath, error) {
	if r, ok := s.(PathRanker); ok {
		return r.RankedPaths(ctx, from, to, maxHops, o, limit)
	}
	return GenericRankedPaths(ctx, s, from, to, maxHops, o, limit)
}

// GenericRankedPaths is RankedPaths over Expand, one call per hop of a
// breadth-first search from the start, one more for the relationships into
// the target when longer paths are ranked, and one kg.Degrees call for the
// entities on the paths: the reference every PathRanker must agree with.
func GenericRankedPaths(ctx context.Context, s kg.Store, from, to string, maxHops int, o Options, limit int) ([]ScoredPath, error) {
	if err := mustExist(ctx, s, from, to); err != nil {
		return nil, err
	}
	if from == to {
		return []ScoredPath{{Path: Path{Nodes: []string{from}}, Score: 1}}, nil
	}
	level := map[string]int{from: 0}
	blocked := map[string]bool{} // hubs, once found
	up := map[string][]Step[string, *kg.Relationship]{}
	side := map[string][]Step[string, *kg.Relationship]{}
	frontier := []string{from}
	length := 0
	for hop := 1; hop <= maxHops && len(frontier) > 0 && length == 0; hop++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rels, err := s.Expand(ctx, o.query(frontier))
		if err != nil {
			return nil, err
		}
		inFrontier := setOf(frontier)
		next := map[string][]Step[string, *kg.Relationship]{}
		for _, r := range rels {
			for _, node := range []string{r.From, r.To} {
				if !inFrontier[node] {
					continue
				}
				other, ok := o.step(node, r, to)
				if !ok || blocked[other] {
					continue
				}
				switch l, seen := level[other]; {
				case !seen:
					next[other] = append(next[other], Step[string, *kg.Relationship]{From: node, Rel: r})
				case l == hop-1:
					side[other] = append(side[other], Step[string, *kg.Relationship]{From: node, Rel: r})
				}
			}
		}
		hubs, err := o.hubs(ctx, s, nonTarget(next, to))
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for n, steps := range next {
			if hubs[n] {
				blocked[n] = true
				continue
			}
			level[n], up[n] = hop, steps
			frontier = append(frontier, n)
		}
		sort.Strings(frontier)
		if _, found := next[to]; found {
			length = hop
		}
	}
	if length == 0 {
		return nil, nil
	}
	longer := length < maxHops
	if longer {
		// The steps into the target from its own level, which no expansion
		// so far has looked at: Expand from the target, against the
		// direction of the search.
		q := o.query([]string{to})
		q.Direction = reverse(o.Direction)
		rels, err := s.Expand(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			node := r.Other(to)
			if l, ok := level[node]; ok && l == length && node != to {
				if other, ok := o.step(node, r, to); ok && other == to {
					side[to] = append(side[to], Step[string, *kg.Relationship]{From: node, Rel: r})
				}
			}
		}
	}
	ranked, err := Rank(Layered[string, *kg.Relationship]{
		Start: from, Target: to, Length: length, Longer: longer,
		Level: func(n string) (int, bool) { l, ok := level[n]; return l, ok },
		Steps: func(n string) ([]Step[string, *kg.Relationship], []Step[string, *kg.Relationship]) {
			return up[n], side[n]
		},
		Degrees:     func(ns []string) ([]int, error) { return kg.Degrees(ctx, s, ns) },
		CompareRels: func(a, b *kg.Relationship) int { return strings.Compare(a.ID, b.ID) },
	}, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ScoredPath, len(ranked))
	for i, p := range ranked {
		out[i] = ScoredPath{Path: Path{Nodes: p.Nodes, Relationships: p.Rels}, Score: p.Score}
	}
	return out, nil
}

func reverse(d kg.Direction) kg.Direction {
	switch d {
	case kg.DirOut:
		return kg.DirIn
	case kg.DirIn:
		return kg.DirOut
	}
	return kg.DirBoth
}

// Step is one relationship by which a breadth-first search reaches a node
// from another, From.
type Step[N comparable, R any] struct {
	From N
	Rel  R
}

// Layered is a finished breadth-first search from Start that reached Target
// at level Length: what Rank needs of it, over the search's own handles for
// nodes (N) and relationships (R), so that a store can rank on its index.
type Layered[N comparable, R any] struct {
	Start, Target N
	Length        int
	// Longer says whether paths of Length+1 are ranked too.
	Longer bool
	// Level returns the level at which the search reached a node (its
	// distance from Start), and false for a node it did not reach.
	Level func(N) (int, bool)
	// Steps returns the steps the search may take into n: up, from nodes one
	// level closer to the start; side, from nodes of n's own level (needed
	// only when Longer, and for the Target only from level Length).
	Steps func(n N) (up, side []Step[N, R])
	// Degrees returns each node's degree (kg.Degrees), in one call.
	Degrees func([]N) ([]int, error)
	// CompareRels orders relationships by id.
	CompareRels func(a, b R) int
}

// Ranked is one path Rank found.
type Ranked[N comparable, R any] struct {
	Nodes []N
	Rels  []R
	Score float64
}

// Rank returns the limit best paths (0: all) of the search, scored as the
// package comment says. Every simple path of length L or L+1 between the
// ends is a walk up the levels with at most one step within a level (a
// path of L+1 steps cannot lose more than one level to a step that does
// not climb, or it would be shorter than L), so Rank walks back from the
// target through the steps into each node, once with one side step left and
// once with none, and scores the nodes met. It then finds the best paths
// best first: each partial path, from a node back to the target, is ranked
// by the best score any completion can reach (computed beforehand, level by
// level, from the start), so the first complete paths found are the best.
func Rank[N comparable, R any](l Layered[N, R], limit int) ([]Ranked[N, R], error) {
	// The nodes on some path, and their steps, walking back from the target.
	type step struct {
		from int // the node's index
		rel  R
	}
	type node struct {
		id       N
		level    int
		up, side []step
		weight   float64 // 1/degree; 1 for the ends
		best     [2]float64
		reach    [2]bool // on a walk back from the target with (1) or without (0) a side step left
	}
	index := map[N]int{}
	var nodes []*node
	add := func(n N) int {
		if i, ok := index[n]; ok {
			return i
		}
		lv, _ := l.Level(n)
		index[n] = len(nodes)
		nodes = append(nodes, &node{id: n, level: lv, weight: 1})
		return len(nodes) - 1
	}
	type state struct {
		at   int
		side int
	}
	t := add(l.Target)
	var queue []state
	mark := func(at, side int) {
		if !nodes[at].reach[side] {
			nodes[at].reach[side] = true
			queue = append(queue, state{at, side})
		}
	}
	mark(t, 0)
	if l.Longer {
		mark(t, 1)
	}
	stepped := map[int]bool{}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		n := nodes[st.at]
		if !stepped[st.at] {
			stepped[st.at] = true
			up, side := l.Steps(n.id)
			slices.SortFunc(up, func(a, b Step[N, R]) int { return l.CompareRels(a.Rel, b.Rel) })
			slices.SortFunc(side, func(a, b Step[N, R]) int { return l.CompareRels(a.Rel, b.Rel) })
			for _, s := range up {
				n.up = append(n.up, step{add(s.From), s.Rel})
			}
			if l.Longer {
				for _, s := range side {
					n.side = append(n.side, step{add(s.From), s.Rel})
				}
			}
		}
		for _, s := range n.up {
			mark(s.from, st.side)
		}
		if st.side == 1 {
			for _, s := range n.side {
				mark(s.from, 0)
			}
		}
	}
	// Degrees of the nodes between the ends, in one call.
	var inner []N
	var at []int
	for i, n := range nodes {
		if n.id != l.Start && n.id != l.Target {
			inner, at = append(inner, n.id), append(at, i)
		}
	}
	degrees, err := l.Degrees(inner)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		nodes[i].weight = weight(degrees[j])
	}
	// best[s] of a node: the best product of weights along a path from the
	// start to it (the start excluded, the node included) with s side steps;
	// levels in order, and within a level the paths without a side step
	// before those with one, which may end in a side step from the level.
	order := make([]int, len(nodes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return nodes[order[a]].level < nodes[order[b]].level })
	for lo := 0; lo < len(order); {
		hi := lo
		for hi < len(order) && nodes[order[hi]].level == nodes[order[lo]].level {
			hi++
		}
		for _, i := range order[lo:hi] {
			n := nodes[i]
			if n.id == l.Start {
				n.best[0] = 1
				continue
			}
			for _, s := range n.up {
				n.best[0] = max(n.best[0], nodes[s.from].best[0]*n.weight)
			}
		}
		for _, i := range order[lo:hi] {
			n := nodes[i]
			for _, s := range n.up {
				n.best[1] = max(n.best[1], nodes[s.from].best[1]*n.weight)
			}
			for _, s := range n.side {
				n.best[1] = max(n.best[1], nodes[s.from].best[0]*n.weight)
			}
		}
		lo = hi
	}
	// Best first, back from the target. A partial path is a chain of
	// entries; its bound is the best complete score it can still reach.
	type entry struct {
		at, side int
		suffix   float64 // product of the weights after `at`, to the target
		via      step    // the step taken into the node after `at` (unset at the target)
		next     int     // the entry of the node after `at`; -1 at the target
	}
	var entries []entry
	pq := &boundQueue{}
	push := func(e entry) {
		bound := e.suffix * nodes[e.at].best[e.side]
		if bound <= 0 {
			return
		}
		entries = append(entries, e)
		heap.Push(pq, bounded{bound: bound, entry: len(entries) - 1})
	}
	push(entry{at: t, side: 0, suffix: 1, next: -1})
	if l.Longer {
		push(entry{at: t, side: 1, suffix: 1, next: -1})
	}
	var found []Ranked[N, R]
	var lengths []int
	worst := 0.0
	for pq.Len() > 0 {
		b := heap.Pop(pq).(bounded)
		// Enough paths, and nothing left that can tie the worst of them:
		// stop (a bound within rounding of it may still tie it).
		if limit > 0 && len(found) >= limit && b.bound < worst*(1-1e-9) {
			break
		}
		if limit > 0 && len(found) >= 4*limit+64 {
			break // ties beyond any use: enough to order the first limit
		}
		e := entries[b.entry]
		n := nodes[e.at]
		if n.id == l.Start {
			var p Ranked[N, R]
			p.Nodes = append(p.Nodes, n.id)
			for x := e; x.next >= 0; x = entries[x.next] {
				p.Rels = append(p.Rels, x.via.rel)
				p.Nodes = append(p.Nodes, nodes[entries[x.next].at].id)
			}
			p.Score = roundScore(e.suffix)
			found = append(found, p)
			lengths = append(lengths, len(p.Rels))
			if limit > 0 && len(found) == limit {
				worst = e.suffix
			}
			continue
		}
		suffix := e.suffix * n.weight // the target weighs 1
		for _, s := range n.up {
			push(entry{at: s.from, side: e.side, suffix: suffix, via: s, next: b.entry})
		}
		if e.side == 1 {
			for _, s := range n.side {
				push(entry{at: s.from, side: 0, suffix: suffix, via: s, next: b.entry})
			}
		}
	}
	// Score first, then length, then ShortestPaths' order: relationship
	// ids compared from the end of the path back.
	idx := make([]int, len(found))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := found[idx[a]], found[idx[b]]
		switch {
		case pa.Score != pb.Score:
			return pa.Score > pb.Score
		case lengths[idx[a]] != lengths[idx[b]]:
			return lengths[idx[a]] < lengths[idx[b]]
		}
		for i, j := len(pa.Rels)-1, len(pb.Rels)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
			if c := l.CompareRels(pa.Rels[i], pb.Rels[j]); c != 0 {
				return c < 0
			}
		}
		return false
	})
	out := make([]Ranked[N, R], 0, len(idx))
	for _, i := range idx {
		out = append(out, found[i])
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// PathScore is the score of a path through entities of these degrees, in
// path order (its ends excluded), computed as Rank computes it: the
// weights multiplied from the end of the path back, then rounded.
func PathScore(degrees []int) float64 {
	s := 1.0
	for i := len(degrees) - 1; i >= 0; i-- {
		s *= weight(degrees[i])
	}
	return roundScore(s)
}

// weight is an entity's factor in the score of a path through it.
func weight(degree int) float64 { return 1 / float64(max(degree, 1)) }

// roundScore keeps a score to 12 significant digits, so that the same
// product reached in another order of multiplication compares equal.
func roundScore(x float64) float64 {
	if x == 0 {
		return 0
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil || math.IsNaN(v) {
		return x
	}
	return v
}

// bounded is a partial path in the queue, with its bound.
type bounded struct {
	bound float64
	entry int
}

// boundQueue pops the highest bound first; among equal bounds, the entry
// made first, so that the order never depends on the heap's own.
type boundQueue []bounded

func (q boundQueue) Len() int { return len(q) }
func (q boundQueue) Less(i, j int) bool {
	if q[i].bound != q[j].bound {
		return q[i].bound > q[j].bound
	}
	return q[i].entry < q[j].entry
}
func (q boundQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *boundQueue) Push(x any)   { *q = append(*q, x.(bounded)) }
func (q *boundQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
