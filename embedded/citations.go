package embedded

import (
	"slices"

	"github.com/vjkg/vjkg/kg"
)

// citers records which entities (or relationships) cite each source: a
// list per source, and per record the sources it cites (the first in a
// column, any others in a map, since most records cite one). Lists only
// grow; a record that stopped citing a source stays in its list, and
// readers check the record's current sources.
type citers struct {
	codes map[string]uint32 // source id → code
	first []uint32          // record → its first source's code+1 (0: none)
	more  map[uint32][]uint32
	lists map[uint32][]uint32 // code → records, ascending
}

func (c *citers) init() {
	c.codes = map[string]uint32{}
	c.more = map[uint32][]uint32{}
	c.lists = map[uint32][]uint32{}
}

// put records that record n now cites sources. The caller holds the write
// lock (or is loading).
func (c *citers) put(n uint32, sources []string) {
	for int(n) >= len(c.first) {
		c.first = append(c.first, 0)
	}
	c.first[n] = 0
	delete(c.more, n)
	for i, id := range sources {
		code, ok := c.codes[id]
		if !ok {
			code = uint32(len(c.codes))
			c.codes[id] = code
		}
		if i == 0 {
			c.first[n] = code + 1
		} else {
			c.more[n] = append(c.more[n], code)
		}
		c.lists[code] = appendNum(c.lists[code], n)
	}
}

// reserve makes room for n records in all.
func (c *citers) reserve(n int) { atLeast(&c.first, n) }

// list returns the records that may cite source id (check each with cites).
func (c *citers) list(id string) (code uint32, records []uint32, ok bool) {
	code, ok = c.codes[id]
	if !ok {
		return 0, nil, false
	}
	return code, c.lists[code], true
}

// cites reports whether record n cites the source of this code now.
func (c *citers) cites(n, code uint32) bool {
	if int(n) >= len(c.first) {
		return false
	}
	return c.first[n] == code+1 || slices.Contains(c.more[n], code)
}

// citeSet is a kg.SourceSet compiled against one citers index: which
// source codes it holds. A nil *citeSet admits every record.
type citeSet struct {
	c     *citers
	in    []bool   // by source code
	codes []uint32 // the codes of the set's sources the index knows
}

// compile returns ev against c; nil for a nil ev. The caller holds the
// read lock while it uses the set.
func (c *citers) compile(ev *kg.SourceSet) *citeSet {
	if ev == nil {
		return nil
	}
	cs := &citeSet{c: c, in: make([]bool, len(c.codes))}
	for _, id := range ev.IDs {
		if code, ok := c.codes[id]; ok {
			cs.in[code] = true
			cs.codes = append(cs.codes, code)
		}
	}
	return cs
}

// admits reports whether record n cites one of the set's sources now.
func (cs *citeSet) admits(n uint32) bool {
	if cs == nil {
		return true
	}
	c := cs.c
	if int(n) >= len(c.first) {
		return false
	}
	if f := c.first[n]; f != 0 && int(f-1) < len(cs.in) && cs.in[f-1] {
		return true
	}
	for _, code := range c.more[n] {
		if int(code) < len(cs.in) && cs.in[code] {
			return true
		}
	}
	return false
}

// lists returns the lists of the records that may cite one of the set's
// sources (check each with admits): the candidates of a list by evidence.
func (cs *citeSet) lists() [][]uint32 {
	out := make([][]uint32, len(cs.codes))
	for i, code := range cs.codes {
		out[i] = cs.c.lists[code]
	}
	return out
}
