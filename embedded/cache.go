package embedded

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Cache sizes: the documents most recently read stay decoded, so that the
// records a workload keeps returning (a hub, the localities of a country)
// cost no JSON decoding. A cached entity costs about a kilobyte.
const (
	cachedEntities      = 50_000
	cachedRelationships = 100_000
)

// docCache holds decoded documents by record number. Cached documents are
// shared: callers must not change them (kg.Store returns them read-only).
//
// A reader that read a document from bbolt just before a write committed
// must not cache that old version after the write dropped it: every write
// bumps gen, and a reader caches only if gen is still what it was when the
// reader began.
type docCache[T any] struct {
	mu  sync.Mutex
	gen uint64
	lru *simplelru.LRU[uint32, *T]
}

func newDocCache[T any](size int) *docCache[T] {
	l, err := simplelru.NewLRU[uint32, *T](size, nil)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &docCache[T]{lru: l}
}

// get returns the cached documents of nums, aligned with them (nil where
// not cached), and the generation to pass to put.
func (c *docCache[T]) get(nums []uint32) ([]*T, uint64) {
	out := make([]*T, len(nums))
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, n := range nums {
		out[i], _ = c.lru.Get(n)
	}
	return out, c.gen
}

// put caches documents read when the generation was gen.
func (c *docCache[T]) put(gen uint64, nums []uint32, docs []*T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	for i, n := range nums {
		if docs[i] != nil {
			c.lru.Add(n, docs[i])
		}
	}
}

// forget drops the documents of records a write changed or deleted.
func (c *docCache[T]) forget(nums ...uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, n := range nums {
		c.lru.Remove(n)
	}
}
