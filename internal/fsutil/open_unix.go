//go:build unix

package fsutil

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without blocking on a FIFO (whose
// open waits for a writer) or a device.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
