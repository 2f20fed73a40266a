//go:build !linux

package hugepages

func advise(at, size uintptr, huge bool) {}
