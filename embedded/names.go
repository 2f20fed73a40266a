package embedded

import (
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// names is the search index: every name of every entity, folded (kg.Fold),
// with three ways in. byPrefix and byWord hold name numbers under the first
// three bytes of the compact name and of each word (prefix3), so that the
// names starting with a query, or with a word starting with it, are a few
// lists away; trigrams holds them under every three-byte run of the compact
// name, so that the names containing a query are an intersection of lists.
// Lists only grow: a name replaced by an edit stays in them and is skipped
// as stale (current says which are live).
type names struct {
	ent     []uint32 // the entity whose name it is
	off     []uint32 // folded form: arena[off : off+flen]
	flen    []uint16
	clen    []uint16 // length of the compact form (folded without spaces)
	foldKey []uint64
	arena   []byte

	byPrefix map[uint32][]uint32
	byWord   map[uint32][]uint32
	trigrams map[uint32][]uint32
	// prefixByLength and wordByLength order the long lists of byPrefix and
	// byWord by compact length, for search.
	prefixByLength, wordByLength byLength
	// prefixCodes and wordCodes are the keys of byPrefix and byWord in
	// order, for queries of one or two bytes (a range of keys), sorted when
	// such a query first needs them after a write added a key; codesDirty
	// says they lag behind the maps.
	codesMu                sync.Mutex
	prefixCodes, wordCodes []uint32
	codesDirty             bool

	// scratch and seen are add's buffers, kept from call to call (adds
	// happen under the store's write lock, or while it loads).
	scratch []byte
	seen    []uint32
}

func (x *names) init() {
	x.byPrefix = map[uint32][]uint32{}
	x.byWord = map[uint32][]uint32{}
	x.trigrams = map[uint32][]uint32{}
	x.prefixByLength.fourth = compactFourth
	x.wordByLength.fourth = wordFourth
}

func (x *names) folded(m uint32) string {
	if x.flen[m] == 0 {
		return ""
	}
	return unsafe.String(&x.arena[x.off[m]], int(x.flen[m]))
}

// compact appends name m's compact form to buf.
func (x *names) compact(buf []byte, m uint32) []byte {
	for _, c := range x.arena[x.off[m] : x.off[m]+uint32(x.flen[m])] {
		if c != ' ' {
			buf = append(buf, c)
		}
	}
	return buf
}

// add indexes entity e's names and returns where they are.
func (x *names) add(e uint32, forms []nameForm) (first uint32, count uint8) {
	first = uint32(len(x.ent))
	buf, seen := x.scratch[:0], x.seen[:0]
	defer func() { x.scratch, x.seen = buf, seen }()
	for _, f := range forms {
		m := uint32(len(x.ent))
		x.ent = append(x.ent, e)
		x.off = append(x.off, uint32(len(x.arena)))
		x.arena = append(x.arena, f.folded...)
		x.flen = append(x.flen, uint16(len(f.folded)))
		buf = x.compact(buf[:0], m)
		x.clen = append(x.clen, uint16(len(buf)))
		x.foldKey = append(x.foldKey, f.foldKey)
		if len(buf) == 0 {
			continue
		}
		x.put(x.byPrefix, prefix3(buf), m)
		seen = seen[:0]
		for w := range strings.FieldsSeq(f.folded) {
			if c := prefix3([]byte(w)); !slices.Contains(seen, c) {
				seen = append(seen, c)
				x.put(x.byWord, c, m)
			}
		}
		seen = seen[:0]
		for i := 0; i+3 <= len(buf); i++ {
			if c := trigram(buf[i:]); !slices.Contains(seen, c) {
				seen = append(seen, c)
				x.trigrams[c] = append(x.trigrams[c], m)
			}
		}
	}
	return first, uint8(len(forms))
}

func (x *names) put(index map[uint32][]uint32, code, m uint32) {
	list, ok := index[code]
	if !ok {
		x.codesMu.Lock()
		x.codesDirty = true
		x.codesMu.Unlock()
	}
	index[code] = append(list, m)
}

// reserve makes room for n names in all, of arena bytes.
func (x *names) reserve(n, arena int) {
	atLeast(&x.ent, n)
	atLeast(&x.off, n)
	atLeast(&x.flen, n)
	atLeast(&x.clen, n)
	atLeast(&x.foldKey, n)
	atLeast(&x.arena, arena)
}

// prefix3 is the key of a string's first three bytes: the bytes high to
// low, then how many there are, so that the keys of all strings starting
// with one or two given bytes form one range (folded text has no 0 byte).
func prefix3[T string | []byte](b T) uint32 {
	var c uint32
	n := min(len(b), 3)
	for i := 0; i < 3; i++ {
		c <<= 8
		if i < n {
			c |= uint32(b[i])
		}
	}
	return c<<8 | uint32(n)
}

// prefixRange returns the keys [lo, hi] of the strings starting with q
// (of one to three bytes).
func prefixRange(q []byte) (lo, hi uint32) {
	if len(q) >= 3 {
		c := prefix3(q)
		return c, c
	}
	lo = prefix3(q) &^ 0xff
	span := uint32(1)<<(8*(4-len(q))) - 1
	return lo, lo | span
}

func trigram(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

// codes returns the keys of byPrefix and byWord in order. The caller holds
// the store's read lock, so the maps do not change meanwhile.
func (x *names) codes() (prefix, word []uint32) {
	x.codesMu.Lock()
	defer x.codesMu.Unlock()
	if x.codesDirty {
		x.prefixCodes = sortedKeys(x.byPrefix)
		x.wordCodes = sortedKeys(x.byWord)
		x.codesDirty = false
	}
	return x.prefixCodes, x.wordCodes
}

func sortedKeys(m map[uint32][]uint32) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// lists returns the lists of index whose keys lie in [lo, hi].
func lists(index map[uint32][]uint32, codes []uint32, lo, hi uint32) [][]uint32 {
	var out [][]uint32
	for _, c := range keysIn(index, codes, lo, hi) {
		out = append(out, index[c])
	}
	return out
}

// containing returns the names whose compact form may contain q (three
// bytes or more): those holding every trigram of q, in ascending order.
func (x *names) containing(q []byte) []uint32 {
	out, _ := x.containingUpTo(q, -1)
	return out
}

// containingView is containing for a caller that only reads the names and
// holds the read lock meanwhile: a query of three bytes gets its trigram's
// list itself, not a copy.
func (x *names) containingView(q []byte) []uint32 {
	if len(q) == 3 {
		return x.trigrams[trigram(q)]
	}
	return x.containing(q)
}

// containingUpTo is containing that gives up, returning false, once it has
// found more than most names (most < 0: no bound), which it can tell while
// intersecting the last list: a common query costs only what it found.
func (x *names) containingUpTo(q []byte, most int) ([]uint32, bool) {
	var postings [][]uint32
	for i := 0; i+3 <= len(q); i++ {
		l, ok := x.trigrams[trigram(q[i:])]
		if !ok {
			return nil, true
		}
		postings = append(postings, l)
	}
	slices.SortFunc(postings, func(a, b []uint32) int { return len(a) - len(b) })
	if len(postings) == 1 {
		if most >= 0 && len(postings[0]) > most {
			return nil, false
		}
		return slices.Clone(postings[0]), true
	}
	out := postings[0]
	for i, l := range postings[1:] {
		bound := -1
		if i == len(postings)-2 {
			bound = most
		}
		var ok bool
		if out, ok = intersect(out, l, bound); !ok {
			return nil, false
		}
		if len(out) == 0 {
			break
		}
	}
	return out, true
}

// intersect returns the elements of a (ascending) that are in b
// (ascending), or false once there are more than most (most < 0: no
// bound). A far longer b is searched, not scanned.
func intersect(a, b []uint32, most int) ([]uint32, bool) {
	var out []uint32
	gallop := len(b) > 16*len(a)
	j := 0
	for _, v := range a {
		if gallop {
			j = seek(b, j, v)
		} else {
			for j < len(b) && b[j] < v {
				j++
			}
		}
		if j == len(b) {
			break
		}
		if b[j] == v {
			if out = append(out, v); most >= 0 && len(out) > most {
				return nil, false
			}
		}
	}
	return out, true
}

// seek returns the first index from i on of ascending l whose value is v
// or more (len(l) if none), galloping: far values cost a few steps.
func seek(l []uint32, i int, v uint32) int {
	if i >= len(l) || l[i] >= v {
		return i
	}
	lo, step := i, 1 // l[lo] < v
	for lo+step < len(l) && l[lo+step] < v {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(l)) // l[hi] >= v, or hi is the end
	for lo+1 < hi {
		mid := int(uint(lo+hi) >> 1)
		if l[mid] < v {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// rarestTrigram returns the length of the shortest list among the query's
// trigrams (0 if one has none).
func (x *names) rarestTrigram(q []byte) int {
	best := -1
	for i := 0; i+3 <= len(q); i++ {
		n := len(x.trigrams[trigram(q[i:])])
		if best < 0 || n < best {
			best = n
		}
	}
	return max(best, 0)
}

// compactHasPrefix reports whether name m's compact form starts with q,
// without building the compact form.
func (x *names) compactHasPrefix(m uint32, q []byte) bool {
	i := 0
	for _, c := range x.arena[x.off[m] : x.off[m]+uint32(x.flen[m])] {
		if i == len(q) {
			return true
		}
		if c == ' ' {
			continue
		}
		if c != q[i] {
			return false
		}
		i++
	}
	return i == len(q)
}
