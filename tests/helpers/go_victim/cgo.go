//go:build cgo

// With cgo, one call into libc makes the program dynamic, linked with
// libc: the library loads in it, and its files are still opened by Go's
// own system calls.
package main

// #include <unistd.h>
import "C"

func init() {
	_ = C.getpid()
}
