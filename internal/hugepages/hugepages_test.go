package hugepages

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestPrimeAdvisesTheHeapItFrees checks the three things Prime relies on:
// the primed array is freed (the heap does not hold it), a large
// allocation made after it lands in the advised range, and done
// withdraws the advice. It reads the kernel's flags for the range
// (VmFlags in /proc/self/smaps: hg asked for huge pages, nh refused), not
// whether huge pages were found, which depends on the machine's memory.
func TestPrimeAdvisesTheHeapItFrees(t *testing.T) {
	if runtime.GOOS != "linux" || !madviseMode() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	const size = 256 << 20
	done := Prime(size)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc >= size/2 {
		t.Fatalf("after Prime the heap holds %d bytes: the primed array was kept", m.HeapAlloc)
	}
	build := make([]byte, 64<<20)
	at := uintptr(unsafe.Pointer(unsafe.SliceData(build))) + 32<<20 // a huge page well inside it
	if flags := vmFlags(t, at); !strings.Contains(flags, " hg") {
		t.Fatalf("an allocation after Prime is not in an advised range: VmFlags%s", flags)
	}
	done()
	if flags := vmFlags(t, at); strings.Contains(flags, " hg") || !strings.Contains(flags, " nh") {
		t.Fatalf("done did not withdraw the advice: VmFlags%s", flags)
	}
	runtime.KeepAlive(build)
}

func TestPrimeIgnoresSmallSizes(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Prime(minBytes - 1)()
	runtime.ReadMemStats(&after)
	if after.NumGC != before.NumGC {
		t.Fatalf("Prime of less than %d bytes ran a collection", minBytes)
	}
}

// vmFlags returns the VmFlags line of the mapping that holds address at.
func vmFlags(t *testing.T, at uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	inside := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			inside = lo <= at && at < hi
			continue
		}
		if inside {
			if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok {
				return flags
			}
		}
	}
	t.Fatalf("no mapping holds %#x", at)
	return ""
}

// mappingRange parses the first line of a mapping in smaps: "lo-hi perms ...".
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, found := strings.Cut(line, " ")
	a, b, dash := strings.Cut(r, "-")
	if !found || !dash {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
