package graph

import (
	"container/list"
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// ByteCache is a least-recently-used cache bounded by the bytes its entries
// hold rather than by their number: gqlgen's LRU keeps 1,000 entries of any
// size, so 120 distinct 420 KB documents held 1.4 GB. An entry larger than
// an eighth of the budget is not kept at all, so that one huge document
// cannot flush everything else.
type ByteCache[T any] struct {
	mu    sync.Mutex
	max   int64
	used  int64
	size  func(key string, value T) int64
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type cacheEntry[T any] struct {
	key   string
	value T
	size  int64
}

var _ graphql.Cache[string] = (*ByteCache[string])(nil)

// NewByteCache returns a cache that holds at most max bytes, as size
// estimates them for each entry (key included).
func NewByteCache[T any](max int64, size func(key string, value T) int64) *ByteCache[T] {
	return &ByteCache[T]{max: max, size: size, order: list.New(), items: map[string]*list.Element{}}
}

// Get implements graphql.Cache.
func (c *ByteCache[T]) Get(ctx context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheEntry[T]).value, true
	}
	var zero T
	return zero, false
}

// Add implements graphql.Cache.
func (c *ByteCache[T]) Add(ctx context.Context, key string, value T) {
	n := c.size(key, value)
	if n > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.used -= el.Value.(*cacheEntry[T]).size
		c.order.Remove(el)
		delete(c.items, key)
	}
	for c.used+n > c.max && c.order.Len() > 0 {
		last := c.order.Back()
		e := last.Value.(*cacheEntry[T])
		c.used -= e.size
		c.order.Remove(last)
		delete(c.items, e.key)
	}
	c.items[key] = c.order.PushFront(&cacheEntry[T]{key, value, n})
	c.used += n
}

// Bytes returns the bytes the cache holds, as its size function counts them.
func (c *ByteCache[T]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Len returns the number of entries.
func (c *ByteCache[T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
