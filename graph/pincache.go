package graph

import "sync"

// pinCache holds values that pin parsed documents (the direct executor's
// plans, selection verdicts): bounded by number, and by the text of the
// documents pinned, each counted once through the owner it is pinned by
// (an operation, a source), so that documents sent to pin memory hold at
// most what maxText allows. When either bound would be passed, every value
// is dropped.
type pinCache[K comparable, V any] struct {
	maxEntries, maxText int

	mu     sync.Mutex
	m      map[K]V
	owners map[any]bool
	text   int // bytes of the owners' documents
}

func newPinCache[K comparable, V any](maxEntries, maxText int) *pinCache[K, V] {
	return &pinCache[K, V]{maxEntries: maxEntries, maxText: maxText, m: map[K]V{}, owners: map[any]bool{}}
}

func (c *pinCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// put keeps v under k, pinning a document of text bytes through owner.
func (c *pinCache[K, V]) put(k K, owner any, text int, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	added := text
	if c.owners[owner] {
		added = 0
	}
	if len(c.m) >= c.maxEntries || c.text+added > c.maxText {
		clear(c.m)
		clear(c.owners)
		c.text, added = 0, text
	}
	c.m[k] = v
	c.owners[owner] = true
	c.text += added
}
