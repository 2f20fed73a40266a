package embedded

import "hash/maphash"

// idTable maps entity ids to entity numbers without keeping a Go string
// per entity: an open-addressing table of numbers whose ids are compared
// in the index's id arena. The hash seed is random per process, so that
// chosen ids cannot be made to collide.
type idTable struct {
	seed  maphash.Seed
	slots []uint32 // number+1; 0 is empty
	n     int
}

func newIDTable(capacity int) idTable {
	size := 16
	for size*3 < capacity*4 {
		size *= 2
	}
	return idTable{seed: maphash.MakeSeed(), slots: make([]uint32, size)}
}

// find returns the number whose id (as told by idOf) is id.
func (t *idTable) find(id string, idOf func(uint32) string) (uint32, bool) {
	mask := uint64(len(t.slots) - 1)
	for i := maphash.String(t.seed, id) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if idOf(s-1) == id {
			return s - 1, true
		}
	}
}

// insert adds num under id, which must not be in the table.
func (t *idTable) insert(id string, num uint32, idOf func(uint32) string) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(idOf)
	}
	mask := uint64(len(t.slots) - 1)
	i := maphash.String(t.seed, id) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = num + 1
	t.n++
}

// remove takes id out of the table, shifting later entries of its probe
// run back so that lookups need no tombstones.
func (t *idTable) remove(id string, idOf func(uint32) string) {
	mask := uint64(len(t.slots) - 1)
	i := maphash.String(t.seed, id) & mask
	for {
		s := t.slots[i]
		if s == 0 {
			return
		}
		if idOf(s-1) == id {
			break
		}
		i = (i + 1) & mask
	}
	t.slots[i] = 0
	t.n--
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		s := t.slots[j]
		home := maphash.String(t.seed, idOf(s-1)) & mask
		// Move s into the hole if the hole lies between its home and j.
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.slots[i], t.slots[j] = s, 0
			i = j
		}
	}
}

func (t *idTable) grow(idOf func(uint32) string) {
	old := t.slots
	t.slots = make([]uint32, 2*len(old))
	t.n = 0
	for _, s := range old {
		if s != 0 {
			t.insert(idOf(s-1), s-1, idOf)
		}
	}
}
