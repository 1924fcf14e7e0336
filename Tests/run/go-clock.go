// Prints time.Now().Unix(): Go's runtime calls the vDSO it finds through
// AT_SYSINFO_EHDR by itself (no libc).
package main

import (
	"fmt"
	"time"
)

func main() { fmt.Println(time.Now().Unix()) }
