package heaplimit

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, other uint64
		want        int64
	}{
		{0, 0, Floor},
		{20 * mib, 10 * mib, 20*mib + Floor + 10*mib},     // small heap: the floor
		{850 * mib, 30 * mib, 850*mib + 425*mib + 30*mib}, // large heap: half of live
		{math.MaxUint64 / 2, math.MaxUint64 / 2, math.MaxInt64},
	} {
		if got := Limit(c.live, c.other); got != c.want {
			t.Errorf("Limit(%d, %d) = %d, want %d", c.live, c.other, got, c.want)
		}
	}
}

func TestEnabled(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	if !Enabled(env(nil)) {
		t.Error("not enabled without GOMEMLIMIT or GOGC")
	}
	if Enabled(env(map[string]string{"GOMEMLIMIT": "1GiB"})) || Enabled(env(map[string]string{"GOGC": "50"})) {
		t.Error("enabled although the operator set GOMEMLIMIT or GOGC")
	}
}

// current is the runtime's soft memory limit, unchanged.
func current() int64 { return debug.SetMemoryLimit(-1) }

func TestFollowSetsAndLiftsTheLimit(t *testing.T) {
	defer debug.SetMemoryLimit(current())
	debug.SetMemoryLimit(math.MaxInt64)

	Follow(context.Background(), func(string) string { return "1GiB" })
	if got := current(); got != math.MaxInt64 {
		t.Fatalf("with GOMEMLIMIT set, the limit became %d", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	Follow(ctx, func(string) string { return "" })
	live, other := read()
	if got := current(); got < Floor || got > Limit(live, other)+Floor {
		t.Fatalf("limit %d, want about %d (live %d, other %d)", got, Limit(live, other), live, other)
	}
	cancel()
	waitFor(t, "the limit lifted after ctx ended", func() bool { return current() == math.MaxInt64 })
	runtime.GC()
	runtime.GC()
	if got := current(); got != math.MaxInt64 {
		t.Fatalf("a collection after ctx ended set the limit to %d", got)
	}
}

// keep holds memory live across collections.
var keep []byte

func TestFollowMovesTheLimitAfterACollection(t *testing.T) {
	defer debug.SetMemoryLimit(current())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runtime.GC()
	Follow(ctx, func(string) string { return "" })
	before := current()

	const grown = 64 << 20
	keep = make([]byte, grown)
	for i := 0; i < len(keep); i += 4096 {
		keep[i] = 1 // resident, not only reserved
	}
	runtime.GC()
	waitFor(t, "the limit up by the live heap's growth", func() bool { return current() >= before+grown*9/10 })

	keep = nil
	runtime.GC()
	runtime.GC()
	waitFor(t, "the limit back down once the memory is free", func() bool { return current() < before+grown/2 })
}

// waitFor polls cond for up to 10 s: a collection's cleanups run on a
// goroutine of their own, after it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not %s: limit %d", what, current())
		}
	}
}

func TestWhileBuildingTightensAndRestores(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	done := WhileBuilding(func(string) string { return "" })
	if got := debug.SetGCPercent(BuildPercent); got != BuildPercent {
		t.Fatalf("while building, GOGC is %d, want %d", got, BuildPercent)
	}
	done()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("after building, GOGC is %d, want 100 back", got)
	}

	done = WhileBuilding(func(k string) string { return map[string]string{"GOGC": "80"}[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("with GOGC set, WhileBuilding changed it to %d", got)
	}
	done()
}
