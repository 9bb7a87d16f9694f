package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/pkg/model"
)

func sampleReport() *model.Report {
	return &model.Report{SchemaVersion: 2, ArtifactName: "x", Results: []model.Result{{Target: "t", Class: model.ClassSecret}}}
}

func TestWriteOutputRegularFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	os.WriteFile(p, []byte("old"), 0o600)
	if err := WriteOutput(p, nil, "json", sampleReport(), report.Options{}, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), `"ArtifactName": "x"`) {
		t.Errorf("content %q", b)
	}
	// Through a symlink: the link stays a link, its target gets the report.
	link := filepath.Join(dir, "link.json")
	real := filepath.Join(dir, "real.json")
	os.WriteFile(real, nil, 0o644)
	os.Symlink(real, link)
	if err := WriteOutput(link, nil, "json", sampleReport(), report.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if b, _ := os.ReadFile(real); len(b) == 0 {
		t.Error("the symlink's target was not written")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".trawl-report-") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
	if err := WriteOutput(dir, nil, "json", sampleReport(), report.Options{}, false); err == nil {
		t.Error("writing to a directory must fail")
	}
}

// TestWriteOutputNamedPipe checks that a path that is not a regular file
// (here a FIFO; /dev/null is the everyday case) is written in place, never
// renamed over.
func TestWriteOutputNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	if err := WriteOutput(fifo, nil, "json", sampleReport(), report.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Contains(b, []byte(`"SchemaVersion": 2`)) {
		t.Errorf("read from the pipe: %q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}

// TestWriteOutputKeepsMode checks that replacing a report keeps the
// existing file's permission bits (a private 0600 report stays private),
// also through a symlink, and that a new report is 0644.
func TestWriteOutputKeepsMode(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		existing os.FileMode // 0: no file yet
		link     bool
		want     os.FileMode
	}{
		{"new file", 0, false, 0o644},
		{"private report", 0o600, false, 0o600},
		{"group-readable report", 0o640, false, 0o640},
		{"private report behind a symlink", 0o600, true, 0o600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			out := p
			if tc.existing != 0 {
				if err := os.WriteFile(p, []byte("old"), tc.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, tc.existing); err != nil { // whatever the umask
					t.Fatal(err)
				}
			}
			if tc.link {
				out = p + ".link"
				if err := os.Symlink(p, out); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteOutput(out, nil, "json", sampleReport(), report.Options{}, false); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tc.want {
				t.Errorf("mode %v, want %v", got, tc.want)
			}
		})
	}
}

// TestConvertBoundedInput: convert reads at most MaxReportSize bytes of its
// input; an endless stream (here a pipe that never stops sending one JSON
// string) is an error naming the input, not an out-of-memory crash.
func TestConvertBoundedInput(t *testing.T) {
	defer func(n int64) { maxReportSize = n }(maxReportSize)
	maxReportSize = 1 << 20
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		w.Write([]byte(`{"SchemaVersion":2,"ArtifactName":"`))
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for range 64 { // 4 MiB, four times the limit
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	_, err := Convert(ConvertOptions{Input: fifo, Format: "json", Stdout: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "larger than the 1048576-byte limit") || !strings.Contains(err.Error(), fifo) {
		t.Fatalf("convert of an endless stream: %v", err)
	}
}
