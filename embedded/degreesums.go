package embedded

import "sync"

// A search through relationships starts from the term with the fewest
// relationships (relTextNums), and for a term that begins many names that
// count is the degrees of their entities, read one by one, scattered over
// memory: the five terms of "a e i o u" spent 2.4 ms of a 5 ms search
// counting them at 1 M entities. The count depends only on the term, the
// names and the relationships, so it is kept until the next write of an
// entity or a relationship (graph.namesGen, graph.relsGen).

// degreeSums keeps, for terms, the sum of the degrees of the entities of
// the names in the term's lists (each name's entity once per name, current
// or not, as relTextNums counts them).
type degreeSums struct {
	mu       sync.Mutex
	namesGen uint64
	relsGen  uint64
	sums     map[string]int
	asked    map[string]bool // asked for once at these generations
}

// degreeSumsKept bounds the terms kept (and asked for) at once.
const degreeSumsKept = 4096

// get returns the sum kept for term w at the graph's generations, or
// whether the caller is to count it whole and put it: as holderSets keeps
// sets, a term is counted whole the second time it is asked for, so that
// searches between writes (an import into the running server) count no
// more than they did before.
func (d *degreeSums) get(g *graph, w string) (sum int, ok, whole bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sums == nil || d.namesGen != g.namesGen || d.relsGen != g.relsGen {
		d.sums, d.asked = make(map[string]int), make(map[string]bool)
		d.namesGen, d.relsGen = g.namesGen, g.relsGen
	}
	if sum, ok = d.sums[w]; ok {
		return sum, true, false
	}
	if !d.asked[w] {
		if len(d.asked) >= degreeSumsKept {
			clear(d.asked)
		}
		d.asked[w] = true
		return 0, false, false
	}
	return 0, false, true
}

// put keeps sum for w, counted at the graph's generations (the caller holds
// the read lock since get).
func (d *degreeSums) put(g *graph, w string, sum int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.namesGen != g.namesGen || d.relsGen != g.relsGen {
		return
	}
	if len(d.sums) >= degreeSumsKept {
		clear(d.sums)
	}
	d.sums[w] = sum
}

// namesDegreeSum is what degreeSums keeps for wn's term. The caller holds the
// read lock.
func (g *graph) namesDegreeSum(wn wordNames) int {
	sum := 0
	for l := range wn.all() {
		for _, m := range l {
			e := g.names.ent[m]
			sum += len(g.out[e]) + len(g.in[e])
		}
	}
	return sum
}
