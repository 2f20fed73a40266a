// Package heaplimit keeps a large Go heap from doubling between
// collections.
//
// With the default GOGC=100 the collector lets the heap grow to twice what
// was live after the last collection. For a server whose live heap is
// mostly a large, long-lived index (1 M entities hold about 850 MB), that
// doubling is hundreds of megabytes of garbage kept resident for nothing.
// Follow sets the runtime's soft memory limit a fixed share above what is
// live, and moves it as the live heap grows or shrinks: a large heap is
// collected at 1.5× live, a small one (below a floor) as GOGC says.
package heaplimit

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Floor is the least headroom given above the live heap: below it, GOGC's
// own target (twice live) is the smaller and the limit never binds.
const Floor = 256 << 20

// Limit returns the soft memory limit for a runtime that has live bytes of
// live heap and other bytes of memory outside the heap (stacks, runtime
// metadata): live plus half of it, at least Floor, plus other.
func Limit(live, other uint64) int64 {
	total := uint64(0)
	for _, part := range []uint64{live, max(live/2, Floor), other} {
		if part > math.MaxInt64-total {
			return math.MaxInt64
		}
		total += part
	}
	return int64(total)
}

// Enabled reports whether Follow would set limits: not when the operator
// chose GOMEMLIMIT or GOGC, whose settings stand.
func Enabled(getenv func(string) string) bool {
	return getenv("GOMEMLIMIT") == "" && getenv("GOGC") == ""
}

// Follow sets the soft memory limit from the live heap now and after
// every collection until ctx is done, then lifts it. It does nothing unless
// Enabled.
//
// It follows collections rather than a clock: the live heap changes only
// when one ends, and an idle server then wakes no thread. A one-second
// ticker did; on this project's VM each tick of a 1 M-entity server
// stalled the machine 13–16 ms (a no-op tick 6–9 ms), measured with a 1 ms
// sleeper beside it. After a collection the limit moves at once, where a
// ticker left a fast-growing heap (an import into the running server)
// collected at the old limit until its next tick.
func Follow(ctx context.Context, getenv func(string) string) {
	if !Enabled(getenv) {
		return
	}
	f := &follower{ctx: ctx}
	f.mu.Lock()
	debug.SetMemoryLimit(Limit(read()))
	f.mu.Unlock()
	arm(f)
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		f.stopped = true
		debug.SetMemoryLimit(math.MaxInt64)
	}()
}

// A follower moves the limit after each collection until stopped.
type follower struct {
	ctx     context.Context
	mu      sync.Mutex // orders a move after a collection with the lift at the end
	stopped bool
}

// sentinel is allocated unreachable so that the next collection frees it
// and runs its cleanup. It holds a pointer and is larger than 16 bytes:
// the runtime may batch small pointer-free objects in one block, whose
// cleanups then wait for all of them.
type sentinel struct {
	_ *byte
	_ [3]uintptr
}

// arm registers a cleanup that runs after the next collection: it moves
// the limit and arms again, until f is stopped.
func arm(f *follower) {
	runtime.AddCleanup(new(sentinel), func(f *follower) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.stopped || f.ctx.Err() != nil {
			return
		}
		debug.SetMemoryLimit(Limit(read()))
		arm(f)
	}, f)
}

// samples are the runtime metrics read: the heap live after the last
// collection, all memory mapped by the runtime, and the heap's share of
// it (objects, unused and free spans, released pages).
var samples = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes",
}

// read returns the live heap and the runtime's memory outside the heap.
func read() (live, other uint64) {
	s := make([]metrics.Sample, len(samples))
	for i, name := range samples {
		s[i].Name = name
	}
	metrics.Read(s)
	v := func(i int) uint64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s[i].Value.Uint64()
	}
	heap := v(2) + v(3) + v(4) + v(5)
	if total := v(1); total > heap {
		other = total - heap
	}
	return v(0), other
}

// BuildPercent is the GOGC percentage while a large index is built (see
// WhileBuilding).
const BuildPercent = 25

// WhileBuilding collects the heap at 1.25× live until done is called: a
// store opening builds its index, dropping decoded records as it goes,
// and a tight target makes that garbage reuse the pages of the last
// rather than touch new ones. On a VM that hands out no zero pages a first
// touch costs about 3 ms per MB: at 1 M entities the open then made 14%
// fewer page faults and was ready 10% sooner (8.9–10.4 s against 10.3–11.6
// s, in turn), for a little more collection. It does nothing unless
// Enabled.
func WhileBuilding(getenv func(string) string) (done func()) {
	if !Enabled(getenv) {
		return func() {}
	}
	old := debug.SetGCPercent(BuildPercent)
	return func() { debug.SetGCPercent(old) }
}
