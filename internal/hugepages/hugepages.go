// Package hugepages lets a large in-memory build be faulted in 2 MB at a
// time rather than 4 KB.
//
// Why: on the machines this project is measured on (Firecracker VMs whose
// kernel hands out no zero page), the first touch of memory costs about
// 3 ms per MB in 4 KB page faults, and opening the embedded store at a
// million entities touches a gigabyte of heap: 250,000 page faults, a
// quarter of the open's CPU. Linux's default for transparent huge pages
// is "madvise" (only memory that asks gets them), and Go's runtime does
// not ask for its heap. Prime asks, for the stretch of heap a build is
// about to fill: the open then made 18,000 faults instead of 310,000 and
// took 5.6–6.3 s instead of 7.3–7.8 s (see the README's Benchmarks).
package hugepages

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"
)

// minBytes is the least size primed: below a few huge pages there is
// little to gain.
const minBytes = 64 << 20

// Prime asks for huge pages on about size bytes of the heap's address
// space before a build fills it, and returns done, to call when the build
// is over.
//
// It allocates one untouched array of that size (fresh memory from the
// OS is not cleared, so nothing is touched), advises its pages, and lets
// the collector free it at once: the heap keeps those addresses and hands
// them out before any above them (Go's page allocator takes the lowest
// free address), so the build's allocations, small ones too, land there.
// Memory never touched stays address space. done withdraws the advice:
// the kernel's khugepaged would otherwise, over time, fill whole 2 MB
// ranges of which the heap uses a page, undoing what the runtime gives
// back. Prime does nothing unless the kernel's mode is "madvise" ("always"
// needs no asking, "never" refuses), nor on 32-bit platforms or under
// strict overcommit, where address space that is never touched is not
// free.
func Prime(size int) (done func()) {
	if size < minBytes || strconv.IntSize < 64 || !madviseMode() || strictOvercommit() {
		return func() {}
	}
	// An address, not a pointer: a pointer kept would keep the array.
	at := uintptr(unsafe.Pointer(unsafe.SliceData(make([]byte, size))))
	advise(at, uintptr(size), true)
	runtime.GC()
	return func() { advise(at, uintptr(size), false) }
}

// modeFile says when transparent huge pages are used: "always",
// "madvise" or "never", the one in force in brackets.
const modeFile = "/sys/kernel/mm/transparent_hugepage/enabled"

func madviseMode() bool {
	b, err := os.ReadFile(modeFile)
	return err == nil && strings.Contains(string(b), "[madvise]")
}

// strictOvercommit reports whether the kernel counts every mapping
// against a commit limit (vm.overcommit_memory 2), as if it were used.
func strictOvercommit() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && strings.TrimSpace(string(b)) == "2"
}
