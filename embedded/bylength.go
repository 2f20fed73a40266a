package embedded

import (
	"slices"
	"strings"
	"sync"
)

// byLength keeps the long lists of one name index (byPrefix or byWord) a
// second time, ordered by compact length. Within a search tier a name's
// score only falls as its compact form gets longer, so a search that walks
// them shortest first can stop as soon as its first hits are certain,
// instead of scoring every name of a common word. Each copy is split by the
// byte that follows the key's three (of the compact form, or of each word
// under the key), so that a longer query walks only its own part: "phat"
// not the names of "phan". Lists only grow by appending, so a copy is
// brought up to date by merging in what was appended since; that happens
// when a search first needs it, under mu, as searches hold only the store's
// read lock.
type byLength struct {
	mu     sync.Mutex
	copies map[uint32]*lengthOrdered
	// fourth calls add with each byte that follows the first three of name
	// m under key (0 for none).
	fourth func(x *names, key, m uint32, add func(b byte))
}

type lengthOrdered struct {
	of   int               // how many names of the index's list it holds
	next map[byte][]uint32 // by fourth byte: ascending by (compact length, number)
}

// longList is how long a list must be to be walked by length: a shorter
// one costs less to walk whole than to keep twice.
var longList = 512

// ordered returns the parts of list (the index's list under code) by
// compact length whose fourth byte is next (all parts for next < 0), or
// false if the list is short. The caller holds the store's read lock.
func (b *byLength) ordered(x *names, code uint32, list []uint32, next int) ([][]uint32, bool) {
	if len(list) < longList {
		return nil, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.copies == nil {
		b.copies = map[uint32]*lengthOrdered{}
	}
	c := b.copies[code]
	if c == nil {
		c = &lengthOrdered{next: map[byte][]uint32{}}
		b.copies[code] = c
	}
	if c.of < len(list) {
		key := func(m uint32) uint64 { return uint64(x.clen[m])<<32 | uint64(m) }
		fresh := map[byte][]uint64{}
		var seen []byte
		for _, m := range list[c.of:] {
			seen = seen[:0]
			b.fourth(x, code, m, func(next byte) {
				if !slices.Contains(seen, next) {
					seen = append(seen, next)
					fresh[next] = append(fresh[next], key(m))
				}
			})
		}
		for next, add := range fresh {
			slices.Sort(add)
			old := c.next[next]
			merged := make([]uint32, 0, len(old)+len(add))
			i := 0
			for _, k := range add {
				for i < len(old) && key(old[i]) < k {
					merged = append(merged, old[i])
					i++
				}
				merged = append(merged, uint32(k))
			}
			c.next[next] = append(merged, old[i:]...)
		}
		c.of = len(list)
	}
	if next >= 0 {
		return [][]uint32{c.next[byte(next)]}, true
	}
	parts := make([][]uint32, 0, len(c.next))
	for _, p := range c.next {
		parts = append(parts, p)
	}
	return parts, true
}

// compactFourth is byLength.fourth for byPrefix: the compact form's fourth
// byte.
func compactFourth(x *names, _, m uint32, add func(b byte)) {
	i := 0
	for _, c := range x.arena[x.off[m] : x.off[m]+uint32(x.flen[m])] {
		if c == ' ' {
			continue
		}
		if i == 3 {
			add(c)
			return
		}
		i++
	}
	add(0)
}

// wordFourth is byLength.fourth for byWord: the fourth byte of each word
// of the name under the key.
func wordFourth(x *names, key, m uint32, add func(b byte)) {
	for w := range strings.FieldsSeq(x.folded(m)) {
		if prefix3(w) != key {
			continue
		}
		if len(w) > 3 {
			add(w[3])
		} else {
			add(0)
		}
	}
}

// walkByLength visits the names under the index's keys lo to hi: the short
// lists whole, then the long ones together, shortest compact form first,
// until done(l) says that no name of compact length l or more can change
// the answer, or visit returns false. In long lists it visits only the
// names whose fourth byte (see byLength) is next, or all for next < 0: the
// caller checks them anyway. The caller holds the store's read lock.
func (x *names) walkByLength(index map[uint32][]uint32, copies *byLength, codes []uint32, lo, hi uint32, next int,
	done func(l int) bool, visit func(m uint32) bool) {
	var long [][]uint32
	for _, code := range keysIn(index, codes, lo, hi) {
		l := index[code]
		if parts, ok := copies.ordered(x, code, l, next); ok {
			long = append(long, parts...)
			continue
		}
		for _, m := range l {
			if !visit(m) {
				return
			}
		}
	}
	heads := make([]int, len(long))
	for {
		shortest := -1
		for i, o := range long {
			if heads[i] < len(o) && (shortest < 0 || int(x.clen[o[heads[i]]]) < shortest) {
				shortest = int(x.clen[o[heads[i]]])
			}
		}
		if shortest < 0 || done(shortest) {
			return
		}
		for i, o := range long {
			for ; heads[i] < len(o) && int(x.clen[o[heads[i]]]) == shortest; heads[i]++ {
				if !visit(o[heads[i]]) {
					return
				}
			}
		}
	}
}

// keysIn returns the keys of index in [lo, hi]; codes are its keys in
// order.
func keysIn(index map[uint32][]uint32, codes []uint32, lo, hi uint32) []uint32 {
	if lo == hi {
		if _, ok := index[lo]; ok {
			return []uint32{lo}
		}
		return nil
	}
	i, _ := slices.BinarySearch(codes, lo)
	j := i
	for j < len(codes) && codes[j] <= hi {
		j++
	}
	return codes[i:j]
}
