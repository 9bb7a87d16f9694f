//go:build !unix

package diff

import "io/fs"

// owner returns 0, 0 where the OS has no numeric owners.
func owner(fs.FileInfo) (int, int) { return 0, 0 }
