package walk

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
)

// entryRecorder wants every directory, device and FIFO except those under
// "skip-me" (through RequiredEntry) and records each with its mode; it
// wants no regular file.
type entryRecorder struct {
	mu   sync.Mutex
	seen []string
}

func (*entryRecorder) Name() string                      { return "entries" }
func (*entryRecorder) Version() int                      { return 1 }
func (*entryRecorder) Required(string, fs.FileInfo) bool { return false }
func (*entryRecorder) Analyze(context.Context, analyze.Input) (*analyze.Result, error) {
	return nil, nil
}
func (*entryRecorder) RequiredEntry(p string, _ fs.FileInfo) bool { return p != "refused" }
func (r *entryRecorder) AnalyzeEntry(_ context.Context, p string, info fs.FileInfo) (*analyze.Result, error) {
	if p == "fails" {
		return nil, fmt.Errorf("bad entry %s", p)
	}
	r.mu.Lock()
	r.seen = append(r.seen, p+" "+info.Mode().String())
	r.mu.Unlock()
	return nil, nil
}

// TestTarEntries: directories, character/block devices and FIFOs reach
// an EntryAnalyzer with their mode (sticky bit included); regular files,
// symlinks, skipped directories and entries it refuses do not. Devices
// and FIFOs are files of the layer (a later whiteout may delete them),
// directories are not. Before the hook, the walker dropped all of them.
func TestTarEntries(t *testing.T) {
	data := tarball(t, []entry{
		{name: "data/", typ: tar.TypeDir, mode: 0o777},
		{name: "tmp/", typ: tar.TypeDir, mode: 0o777 | 0o1000},
		{name: "usr/lib/x", typ: tar.TypeChar, mode: 0o666},
		{name: "dev/sda", typ: tar.TypeBlock, mode: 0o660},
		{name: "run/fifo", typ: tar.TypeFifo, mode: 0o600},
		{name: "etc/os-release", body: "ID=x\n"},
		{name: "etc/link", typ: tar.TypeSymlink, link: "os-release"},
		{name: "skipped/", typ: tar.TypeDir, mode: 0o777},
		{name: "skipped/dev", typ: tar.TypeChar, mode: 0o666},
		{name: "refused", typ: tar.TypeChar, mode: 0o666},
		{name: "fails", typ: tar.TypeChar, mode: 0o666},
	})
	rec := &entryRecorder{}
	w := New([]analyze.Analyzer{rec}, Options{SkipDirs: []string{"skipped"}})
	res, err := w.Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rec.seen)
	want := []string{
		"data drwxrwxrwx",
		"dev/sda Drw-rw----",
		"run/fifo prw-------",
		"tmp dtrwxrwxrwx",
		"usr/lib/x Dcrw-rw-rw-",
	}
	if diff := cmp.Diff(want, rec.seen); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantFiles := []string{"dev/sda", "etc/link", "etc/os-release", "fails", "refused", "run/fifo", "skipped/dev", "usr/lib/x"}
	if diff := cmp.Diff(wantFiles, res.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(res.Errors) != 1 || res.Errors[0].Path != "fails" || res.Errors[0].Analyzer != "entries" || !strings.Contains(res.Errors[0].Reason, "bad entry") {
		t.Errorf("errors = %+v", res.Errors)
	}
}

// TestFSEntries: the FS walker hands directories and devices of the tree
// to the EntryAnalyzer too (the root itself excepted).
func TestFSEntries(t *testing.T) {
	fsys := fstest.MapFS{
		"data":      {Mode: fs.ModeDir | 0o777},
		"data/file": {Data: []byte("x")},
		"usr/lib/x": {Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666},
		"skipped":   {Mode: fs.ModeDir | 0o777},
		"skipped/d": {Mode: fs.ModeDevice | 0o666},
	}
	rec := &entryRecorder{}
	w := New([]analyze.Analyzer{rec}, Options{SkipDirs: []string{"skipped"}})
	if _, err := w.FS(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	sort.Strings(rec.seen)
	want := []string{"data drwxrwxrwx", "usr d" + (fs.FileMode(0o555)).String()[1:], "usr/lib d" + (fs.FileMode(0o555)).String()[1:], "usr/lib/x Dcrw-rw-rw-"}
	if diff := cmp.Diff(want, rec.seen); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}
