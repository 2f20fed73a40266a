package heaplimit

import (
	"context"
	"math"
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
	for deadline := time.Now().Add(10 * time.Second); current() != math.MaxInt64; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the limit stayed %d after ctx ended", current())
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
