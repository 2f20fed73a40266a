package embedded

import (
	"slices"
	"strings"
	"sync"
)

// textIndex is a full-text index of what is not a name: the words of one
// kind of field (entities' descriptions, figure labels or quotes,
// relationships' roles or quotes; kg.TextWords), each word with the records
// that hold it (one index for each kind, so that search knows which field
// holds a word). Lists only grow; a record whose text changed stays under
// its old words, and is scored from its document until the next open
// (graph.relWords, graph.entWords). Words are found whole, or by their
// first three bytes for a longer prefix.
type textIndex struct {
	vocab    map[string]uint32 // word → id
	words    []string
	byPrefix map[uint32][]uint32 // prefix3 of a word → ids of the words with it
	lists    [][]uint32          // word id → record numbers, ascending

	// codes are byPrefix's keys in order, for words of one or two bytes
	// typed as prefixes (a range of keys); sorted when first needed after a
	// write added a key.
	codesMu    sync.Mutex
	codes      []uint32
	codesDirty bool
	// begun keeps wordIDs' answers of many words (a one-letter term
	// begins thousands, gathered for each of the 3–5 lookups of a search:
	// 7% of searches of short words at 1 M entities, profiled), until a
	// word is added; begunIDs counts the ids it holds. Under codesMu.
	begun    map[string][]uint32
	begunIDs int
}

// Bounds of textIndex.begun: answers of fewer words are not kept, and at
// most begunKept are.
var begunWords = 256 // a variable for tests

// begunKept answers of at most begunIDsKept ids in all (4 MB) per index.
const (
	begunKept    = 64
	begunIDsKept = 1 << 20
)

func (t *textIndex) init() {
	t.vocab = map[string]uint32{}
	t.byPrefix = map[uint32][]uint32{}
}

func (t *textIndex) id(w string) uint32 {
	if id, ok := t.vocab[w]; ok {
		return id
	}
	id := uint32(len(t.words))
	w = strings.Clone(w) // not the text it was cut from, kept alive by it
	t.vocab[w] = id
	t.words = append(t.words, w)
	t.lists = append(t.lists, nil)
	c := prefix3([]byte(w))
	_, known := t.byPrefix[c]
	t.codesMu.Lock()
	t.codesDirty = t.codesDirty || !known
	t.begun, t.begunIDs = nil, 0 // a prefix may begin this word too
	t.codesMu.Unlock()
	t.byPrefix[c] = append(t.byPrefix[c], id)
	return id
}

// add indexes a record's words. The caller holds the store's write lock
// (or is loading).
func (t *textIndex) add(n uint32, words []string) {
	for _, w := range words {
		t.addWord(n, w)
	}
}

// addWord indexes one word of record n.
func (t *textIndex) addWord(n uint32, w string) {
	id := t.id(w)
	t.lists[id] = appendNum(t.lists[id], n)
}

// appendNum adds n to an ascending list, in place when it is the largest
// (new records always are).
func appendNum(l []uint32, n uint32) []uint32 {
	if len(l) == 0 || l[len(l)-1] < n {
		return append(l, n)
	}
	if i, found := slices.BinarySearch(l, n); !found {
		return slices.Insert(l, i, n)
	}
	return l
}

// wordIDs returns the ids of the words a term's word matches: the word
// itself, and, as the last word of a query typed so far, the words it
// begins (for three bytes or more). The answer may be shared: it is read,
// never changed.
func (t *textIndex) wordIDs(w string, prefix bool) []uint32 {
	if !prefix {
		if id, ok := t.vocab[w]; ok {
			return []uint32{id}
		}
		return nil
	}
	t.codesMu.Lock()
	if ids, ok := t.begun[w]; ok {
		t.codesMu.Unlock()
		return ids
	}
	if t.codesDirty {
		t.codes = sortedKeys(t.byPrefix)
		t.codesDirty = false
	}
	codes := t.codes
	t.codesMu.Unlock()
	lo, hi := prefixRange([]byte(w))
	var out []uint32
	for _, l := range lists(t.byPrefix, codes, lo, hi) {
		for _, id := range l {
			if strings.HasPrefix(t.words[id], w) {
				out = append(out, id)
			}
		}
	}
	if len(out) >= begunWords {
		out = slices.Clip(out) // shared: an append makes a copy
		t.codesMu.Lock()
		if t.begun == nil || len(t.begun) >= begunKept || t.begunIDs+len(out) > begunIDsKept {
			t.begun, t.begunIDs = map[string][]uint32{}, 0
		}
		t.begun[strings.Clone(w)] = out
		t.begunIDs += len(out)
		t.codesMu.Unlock()
	}
	return out
}

// size is how many records the lists of ids hold, counting repeats.
func (t *textIndex) size(ids []uint32) int {
	n := 0
	for _, id := range ids {
		n += len(t.lists[id])
	}
	return n
}
