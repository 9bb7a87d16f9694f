package report

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestTemplateFileRefusesUnboundedFiles: --template @FILE naming a device
// (through a symlink, since the name must end in .tpl), a FIFO with no
// writer, a directory or an oversized (sparse) file fails at once with an
// error naming it.
func TestTemplateFileRefusesUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.tpl")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.tpl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.tpl")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.tpl")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxTemplateSize+1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{zero, "template " + zero + ": not a regular file"},
		{fifo, "template " + fifo + ": not a regular file"},
		{sub, "template " + sub + ": not a regular file"},
		{huge, "template " + huge + ": 4194305 bytes, larger than the 4194304-byte limit for templates"},
	} {
		err := WriteTemplate(&bytes.Buffer{}, testReport(), Options{Template: "@" + tc.path})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
	}
}
