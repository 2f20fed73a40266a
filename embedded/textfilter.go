package embedded

import "bytes"

// The name filter of lists (kg.EntityFilter.Text) keeps the entities one of
// whose names' compact forms holds the text. A text of one or two bytes has
// no trigram to look up, and may be in most names ("a": 96% of them), so
// its matches are tested entity by entity (an entity's current names are
// one run), in their folded form with spaces skipped, with no copy and no
// map of those seen.

// holds reports whether name m's compact form contains q (is q, when
// whole).
func (x *names) holds(m uint32, q []byte, whole bool) bool {
	if whole {
		return int(x.clen[m]) == len(q) && x.compactHasPrefix(m, q)
	}
	if int(x.clen[m]) < len(q) {
		return false
	}
	return compactContains(x.arena[x.off[m]:x.off[m]+uint32(x.flen[m])], q)
}

// compactContains reports whether folded, without its spaces, contains q
// (which has none).
func compactContains(folded, q []byte) bool {
	if len(q) == 0 {
		return true
	}
	if bytes.Contains(folded, q) {
		return true
	}
	if len(q) == 1 || bytes.IndexByte(folded, ' ') < 0 {
		return false
	}
	// A match across spaces: from each q[0], compare skipping spaces.
	for i := 0; i < len(folded); i++ {
		j := bytes.IndexByte(folded[i:], q[0])
		if j < 0 {
			return false
		}
		i += j
		k, p := 1, i+1
		for k < len(q) && p < len(folded) {
			if folded[p] == ' ' {
				p++
				continue
			}
			if folded[p] != q[k] {
				break
			}
			k, p = k+1, p+1
		}
		if k == len(q) {
			return true
		}
	}
	return false
}

// namesHold reports whether one of entity e's current names holds q.
func (g *graph) namesHold(e uint32, q []byte, whole bool) bool {
	first := g.nameFirst[e]
	for m := first; m < first+uint32(g.nameCount[e]); m++ {
		if g.names.holds(m, q, whole) {
			return true
		}
	}
	return false
}

// entitiesHolding returns the live entities, ascending, with a name that
// holds q, among those keep admits (nil: all).
func (g *graph) entitiesHolding(q []byte, keep func(e uint32) bool) []uint32 {
	var out []uint32
	for e := range uint32(len(g.kind)) {
		if g.kind[e] != 0 && (keep == nil || keep(e)) && g.namesHold(e, q, false) {
			out = append(out, e)
		}
	}
	return out
}
