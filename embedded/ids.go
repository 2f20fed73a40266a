package embedded

import "hash/maphash"

// idTable maps ids to numbers without keeping a Go string per entry: an
// open-addressing table whose slots hold a number and the top 32 bits of
// its id's hash, so that a probe compares ids (kept elsewhere, in the
// index's arena) only when those bits agree. The hash seed is random per
// process, so that chosen ids cannot be made to collide.
type idTable struct {
	seed  maphash.Seed
	slots []uint64 // hash>>32 << 32 | number+1; 0 is empty
	n     int
}

func newIDTable(capacity int) idTable {
	size := 16
	for size*3 < capacity*4 {
		size *= 2
	}
	return idTable{seed: maphash.MakeSeed(), slots: make([]uint64, size)}
}

func slot(h uint64, num uint32) uint64 { return h>>32<<32 | uint64(num+1) }

func slotNum(s uint64) uint32 { return uint32(s) - 1 }

// find returns the number whose id (as told by idOf) is id.
func (t *idTable) find(id string, idOf func(uint32) string) (uint32, bool) {
	h := maphash.String(t.seed, id)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == h>>32 && idOf(slotNum(s)) == id {
			return slotNum(s), true
		}
	}
}

// insert adds num under id, which must not be in the table.
func (t *idTable) insert(id string, num uint32, idOf func(uint32) string) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(idOf)
	}
	h := maphash.String(t.seed, id)
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = slot(h, num)
	t.n++
}

// remove takes id out of the table, shifting later entries of its probe
// run back so that lookups need no tombstones.
func (t *idTable) remove(id string, idOf func(uint32) string) {
	h := maphash.String(t.seed, id)
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for {
		s := t.slots[i]
		if s == 0 {
			return
		}
		if s>>32 == h>>32 && idOf(slotNum(s)) == id {
			break
		}
		i = (i + 1) & mask
	}
	t.slots[i] = 0
	t.n--
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		s := t.slots[j]
		home := maphash.String(t.seed, idOf(slotNum(s))) & mask
		// Move s into the hole if the hole lies between its home and j.
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.slots[i], t.slots[j] = s, 0
			i = j
		}
	}
}

func (t *idTable) grow(idOf func(uint32) string) { t.resize(2*len(t.slots), idOf) }

// reserve makes room for capacity entries in all, moving the entries at
// most once.
func (t *idTable) reserve(capacity int, idOf func(uint32) string) {
	size := max(len(t.slots), 16)
	for size*3 < capacity*4 {
		size *= 2
	}
	if size > len(t.slots) {
		t.resize(size, idOf)
	}
}

// resize moves the entries to a table of size slots (a power of two).
func (t *idTable) resize(size int, idOf func(uint32) string) {
	old := t.slots
	t.slots = make([]uint64, size)
	t.n = 0
	for _, s := range old {
		if s != 0 {
			t.insert(idOf(slotNum(s)), slotNum(s), idOf)
		}
	}
}
