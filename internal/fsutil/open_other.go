//go:build !unix

package fsutil

import "os"

// openNonBlocking opens path for reading; systems without FIFOs in the
// filesystem need no special flag.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
