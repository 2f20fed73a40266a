package graph

import (
	"context"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"
)

// loader caches one request's lookups of one kind. Concurrently resolved
// requests batch through dataloadgen, which gathers the keys asked for
// within a wait; in-order ones (Resolver.InOrder) fetch at once, since the
// cohorts ask for a whole level's keys in one LoadAll and nothing else
// runs meanwhile to join a batch.
type loader[K comparable, V any] struct {
	concurrent *dataloadgen.Loader[K, V] // nil in order
	fetch      func(context.Context, []K) ([]V, []error)

	mu    sync.Mutex
	cache map[K]loaded[V]
}

type loaded[V any] struct {
	v   V
	err error
}

// maxBatch bounds the keys of one store call.
const maxBatch = 1000

func newLoader[K comparable, V any](inOrder bool, wait time.Duration, fetch func(context.Context, []K) ([]V, []error)) *loader[K, V] {
	l := &loader[K, V]{fetch: fetch}
	if inOrder {
		l.cache = map[K]loaded[V]{}
	} else {
		l.concurrent = dataloadgen.NewLoader(fetch, dataloadgen.WithWait(wait), dataloadgen.WithBatchCapacity(maxBatch))
	}
	return l
}

// Load returns the value of one key.
func (l *loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	if l.concurrent != nil {
		return l.concurrent.Load(ctx, key)
	}
	l.mu.Lock()
	got, ok := l.cache[key]
	l.mu.Unlock()
	if !ok {
		l.fill(ctx, []K{key})
		l.mu.Lock()
		got = l.cache[key]
		l.mu.Unlock()
	}
	return got.v, got.err
}

// LoadAll returns the values of keys, in their order, fetching those not
// yet cached with one store call per maxBatch keys.
func (l *loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	if l.concurrent != nil {
		return l.concurrent.LoadAll(ctx, keys)
	}
	l.fill(ctx, keys)
	out := make([]V, len(keys))
	var errs []error
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, k := range keys {
		got := l.cache[k]
		out[i] = got.v
		if got.err != nil {
			if errs == nil {
				errs = make([]error, len(keys))
			}
			errs[i] = got.err
		}
	}
	if errs != nil {
		return out, dataloadgen.ErrorSlice(errs)
	}
	return out, nil
}

// fill fetches the keys not in the cache.
func (l *loader[K, V]) fill(ctx context.Context, keys []K) {
	l.mu.Lock()
	var missing []K
	seen := make(map[K]bool, len(keys))
	for _, k := range keys {
		if _, ok := l.cache[k]; !ok && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	l.mu.Unlock()
	for len(missing) > 0 {
		n := min(len(missing), maxBatch)
		vs, errs := l.fetch(ctx, missing[:n])
		l.mu.Lock()
		for i, k := range missing[:n] {
			var got loaded[V]
			if i < len(vs) {
				got.v = vs[i]
			}
			switch {
			case len(errs) == 1:
				got.err = errs[0]
			case i < len(errs):
				got.err = errs[i]
			}
			l.cache[k] = got
		}
		l.mu.Unlock()
		missing = missing[n:]
	}
}

// Prime caches a value already known, unless the key is cached.
func (l *loader[K, V]) Prime(key K, value V) {
	if l.concurrent != nil {
		l.concurrent.Prime(key, value)
		return
	}
	l.mu.Lock()
	if _, ok := l.cache[key]; !ok {
		l.cache[key] = loaded[V]{v: value}
	}
	l.mu.Unlock()
}

// Clear forgets one key.
func (l *loader[K, V]) Clear(key K) {
	if l.concurrent != nil {
		l.concurrent.Clear(key)
		return
	}
	l.mu.Lock()
	delete(l.cache, key)
	l.mu.Unlock()
}

// ClearAll forgets every key.
func (l *loader[K, V]) ClearAll() {
	if l.concurrent != nil {
		l.concurrent.ClearAll()
		return
	}
	l.mu.Lock()
	clear(l.cache)
	l.mu.Unlock()
}
