// tmpguard tests — go_victim PATH: a Go program, which makes its system
// calls itself (no libc wrapper the library could interpose): creates PATH
// with os.OpenFile(O_WRONLY|O_CREATE|O_TRUNC, 0666), the unsafe form, and
// writes VICTIM-DATA; prints "OK", or "ERR <error>" and exits 1. Built
// static (CGO_ENABLED=0), or with cgo.go, a dynamic program linked with
// libc (tg_go_build in tests/lib.sh).
package main

import (
	"fmt"
	"os"
)

func main() {
	f, err := os.OpenFile(os.Args[1], os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0666)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	f.WriteString("VICTIM-DATA\n")
	f.Close()
	fmt.Println("OK")
}
