//go:build unix

package boltsafe

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestFIFO: a FIFO is refused without being opened for reading (which
// would block until a writer comes).
func TestFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo.db")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := Check(p); err == nil || errors.Is(err, ErrDamaged) {
		t.Errorf("Check(FIFO) = %v, want a non-damaged error", err)
	}
	for _, ro := range []bool{false, true} {
		if _, err := Open(p, 0o600, &bolt.Options{ReadOnly: ro}); err == nil || errors.Is(err, ErrDamaged) {
			t.Errorf("Open(FIFO, ro=%v) = %v, want a non-damaged error", ro, err)
		}
	}
}
