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
	v       V
	err     error
	pending *fillCall // being fetched by this fill
}

// fillCall marks the keys one fill fetches.
type fillCall struct{ _ byte }

// maxBatch bounds the keys of one store call.
const maxBatch = 1000

func newLoader[K comparable, V any](inOrder bool, wait time.Duration, fetch func(context.Context, []K) ([]V, []error)) *loader[K, V] {
	l := &loader[K, V]{fetch: fetch}
	if !inOrder {
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
	if !ok || got.pending != nil {
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
	if len(l.cache) == 0 {
		// Sized for the first level's keys, rather than grown from
		// nothing key by key.
		l.cache = make(map[K]loaded[V], len(keys))
	}
	var missing []K
	me := &fillCall{}
	for _, k := range keys {
		if got, ok := l.cache[k]; !ok || (got.pending != nil && got.pending != me) {
			// Marked, so that a key twice among keys is fetched once;
			// the fetch below replaces the mark. A key another fill
			// (another root field's) is fetching is fetched again
			// rather than waited for.
			l.cache[k] = loaded[V]{pending: me}
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

// Cached returns the value of key if it is cached, without fetching it;
// ok is false otherwise (and always when resolving concurrently).
func (l *loader[K, V]) Cached(key K) (v V, ok bool) {
	if l.concurrent != nil {
		return v, false
	}
	l.mu.Lock()
	got, found := l.cache[key]
	l.mu.Unlock()
	if !found || got.pending != nil || got.err != nil {
		return v, false
	}
	return got.v, true
}

// Prime caches a value already known, unless the key is cached.
func (l *loader[K, V]) Prime(key K, value V) {
	if l.concurrent != nil {
		l.concurrent.Prime(key, value)
		return
	}
	l.mu.Lock()
	if l.cache == nil {
		l.cache = map[K]loaded[V]{}
	}
	if got, ok := l.cache[key]; !ok || got.pending != nil {
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
