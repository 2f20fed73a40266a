package hugepages

import "syscall"

// hugePage is the size of a transparent huge page with 4 KB base pages.
const hugePage = 2 << 20

// advise asks for huge pages (or, with huge false, for none) on the whole
// huge pages inside [at, at+size). The advice is a flag on the address
// range: it does not touch the memory, and the runtime may still release
// pages in it. An error (a kernel without transparent huge pages) changes
// nothing.
func advise(at, size uintptr, huge bool) {
	begin := (at + hugePage - 1) &^ (hugePage - 1)
	end := (at + size) &^ (hugePage - 1)
	if begin >= end {
		return
	}
	advice := syscall.MADV_NOHUGEPAGE
	if huge {
		advice = syscall.MADV_HUGEPAGE
	}
	syscall.Syscall(syscall.SYS_MADVISE, begin, end-begin, uintptr(advice))
}
