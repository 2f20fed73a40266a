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

// letterBit is the bit of an ASCII letter or digit in graph.letters (0
// for another byte).
func letterBit(c byte) uint64 {
	switch {
	case c >= 'a' && c <= 'z':
		return 1 << (c - 'a')
	case c >= '0' && c <= '9':
		return 1 << (26 + c - '0')
	}
	return 0
}

// letters returns the letterBits of the bytes of names first to
// first+count.
func (x *names) letters(first uint32, count uint8) uint64 {
	var bits uint64
	for m := first; m < first+uint32(count); m++ {
		for _, c := range x.arena[x.off[m] : x.off[m]+uint32(x.flen[m])] {
			bits |= letterBit(c)
		}
	}
	return bits
}

// namesHold reports whether one of entity e's current names holds q. A
// letter or digit alone is looked up in the entity's letters; two bytes
// must both be there first.
func (g *graph) namesHold(e uint32, q []byte, whole bool) bool {
	if !whole && len(q) <= 2 {
		var want uint64
		for _, c := range q {
			b := letterBit(c)
			if b == 0 {
				want = 0
				break
			}
			want |= b
		}
		if want != 0 {
			if g.letters[e]&want != want {
				return false
			}
			if len(q) == 1 {
				return true
			}
		}
	}
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
