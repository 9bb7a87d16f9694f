package walk

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// viewer is a random-access analyzer of files under a prefix: it reads
// each file through Input.View and reports it as a package whose version
// is the content, noting which files came through a ReaderAt.
type viewer struct {
	prefix string
	max    int64
	mu     sync.Mutex
	viaAt  []string
}

func (*viewer) Name() string                            { return "viewer" }
func (*viewer) Version() int                            { return 1 }
func (v *viewer) MaxRandomAccessSize() int64            { return v.max }
func (v *viewer) Required(p string, _ fs.FileInfo) bool { return strings.HasPrefix(p, v.prefix) }
func (v *viewer) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	r, size := in.View()
	b := make([]byte, size)
	if _, err := r.ReadAt(b, 0); err != nil {
		return nil, err
	}
	if in.ReaderAt != nil {
		if in.Content != nil {
			return nil, fmt.Errorf("%s: both Content and ReaderAt", in.Path)
		}
		v.mu.Lock()
		v.viaAt = append(v.viaAt, in.Path)
		v.mu.Unlock()
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{
		Type: "view", FilePath: in.Path,
		Packages: []model.Package{{Name: in.Path, Version: string(b)}},
	}}}, nil
}

// tree is the file set the FS/Dir equivalence test walks.
var tree = map[string]string{
	"app/a":                       "1",
	"app/sub/b":                   "2",
	"app/big":                     strings.Repeat("B", 100), // over MaxFileSize: random access only
	"app/node_modules/x/c":        "skipped dir",
	"app/skip.pem":                "skipped file",
	"app/x.post":                  "p",
	"app/lock":                    "q r",
	"app/manifest":                "q",
	"bin/huge":                    strings.Repeat("H", 300), // over the viewer's own cap
	"other/not-wanted-by-anybody": "z",
}

func treeWalker(v *viewer) *Walker {
	return New([]analyze.Analyzer{&recorder{prefix: "app/"}, v, &poster{}, joiner{}},
		Options{MaxFileSize: 50, SkipDirs: []string{"**/node_modules"}, SkipFiles: []string{"**/*.pem"}})
}

// TestFSMatchesDir: FS over an fstest.MapFS gives the LayerResult Dir gives
// over the same files on disk, symlinks and a fifo included, and both hand
// files over the in-memory cap to the random-access analyzer in place.
func TestFSMatchesDir(t *testing.T) {
	root := t.TempDir()
	mapfs := fstest.MapFS{}
	for name, body := range tree {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		mapfs[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	}
	if err := os.Symlink("a", filepath.Join(root, "app", "link")); err != nil {
		t.Fatal(err)
	}
	mapfs["app/link"] = &fstest.MapFile{Data: []byte("a"), Mode: fs.ModeSymlink | 0o777}
	mapfs["app/fifo"] = &fstest.MapFile{Mode: fs.ModeNamedPipe | 0o644}

	vd := &viewer{prefix: "", max: 200}
	fromDir, err := treeWalker(vd).Dir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	vf := &viewer{prefix: "", max: 200}
	fromFS, err := treeWalker(vf).FS(context.Background(), mapfs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromDir, fromFS); diff != "" {
		t.Errorf("FS differs from Dir (-dir +fs):\n%s", diff)
	}
	for _, v := range []*viewer{vd, vf} {
		if diff := cmp.Diff([]string{"app/big"}, v.viaAt); diff != "" {
			t.Errorf("files read through ReaderAt (-want +got):\n%s", diff)
		}
	}
	// The result itself, so that both cannot be wrong the same way.
	got := map[string]string{}
	for _, s := range fromFS.Applications {
		for _, p := range s.Packages {
			got[s.Type+" "+p.Name] = p.Version
		}
	}
	want := map[string]string{
		"test app/a": "1", "test app/sub/b": "2", "test app/x.post": "p", "test app/lock": "q r", "test app/manifest": "q",
		"view app/a": "1", "view app/sub/b": "2", "view app/x.post": "p", "view app/lock": "q r", "view app/manifest": "q",
		"view app/big": strings.Repeat("B", 100), "view other/not-wanted-by-anybody": "z",
		"post app/x.post": "p", "joined q": "1", "joined r": "1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	var skipped []string
	for _, n := range fromFS.Skipped {
		skipped = append(skipped, n.Path+" "+n.Analyzer+": "+n.Reason)
	}
	wantSkipped := []string{
		"app/big recorder: size 100 bytes exceeds the 50-byte file limit",
		"bin/huge : size 300 bytes exceeds the 50-byte file limit and the 200-byte random-access limit",
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

// noReaderAt hides the ReadAt of the files of an fs.FS, as a file system
// that can only stream (a git blob) would.
type noReaderAt struct{ fsys fs.FS }

func (n noReaderAt) Open(name string) (fs.File, error) {
	f, err := n.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return struct{ fs.File }{f}, nil
}

func (n noReaderAt) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(n.fsys, name) }

// TestRandomAccessSpill: a large file from a layer stream, or from a file
// system whose files cannot ReadAt, is spilled to Options.TempDir and read
// back through a ReaderAt; nothing is left in TempDir afterwards. A TempDir
// that cannot be written is an error of that file, not of the walk.
func TestRandomAccessSpill(t *testing.T) {
	big := strings.Repeat("0123456789", 30)
	data := tarball(t, []entry{{name: "bin/tool", body: big}, {name: "bin/small", body: "s"}})
	mapfs := noReaderAt{fstest.MapFS{"bin/tool": {Data: []byte(big)}, "bin/small": {Data: []byte("s")}}}
	walks := []struct {
		name string
		walk func(*Walker) (*analyze.LayerResult, error)
	}{
		{"tar", func(w *Walker) (*analyze.LayerResult, error) {
			return w.Tar(context.Background(), bytes.NewReader(data))
		}},
		{"fs", func(w *Walker) (*analyze.LayerResult, error) { return w.FS(context.Background(), mapfs) }},
	}
	for _, tt := range walks {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			v := &viewer{prefix: "bin/", max: 1 << 20}
			res, err := tt.walk(New([]analyze.Analyzer{v}, Options{MaxFileSize: 100, TempDir: tmp}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"bin/tool": big, "bin/small": "s"}, versions(res)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"bin/tool"}, v.viaAt); diff != "" {
				t.Errorf("read through ReaderAt (-want +got):\n%s", diff)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("temp files left behind: %v", left)
			}
			res, err = tt.walk(New([]analyze.Analyzer{&viewer{prefix: "bin/", max: 1 << 20}}, Options{MaxFileSize: 100, TempDir: filepath.Join(tmp, "missing")}))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) != 1 || res.Errors[0].Path != "bin/tool" || !strings.Contains(res.Errors[0].Reason, "temp file") {
				t.Errorf("errors = %+v", res.Errors)
			}
			if diff := cmp.Diff(map[string]string{"bin/small": "s"}, versions(res)); diff != "" {
				t.Errorf("packages with no temp dir (-want +got):\n%s", diff)
			}
		})
	}
}

// holder is an analyzer that measures the file content being analysed at
// once, across every walk it is part of.
type holder struct {
	mu         sync.Mutex
	held, peak int64
	files      int
}

func (*holder) Name() string                      { return "holder" }
func (*holder) Version() int                      { return 1 }
func (*holder) Required(string, fs.FileInfo) bool { return true }
func (h *holder) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	n := int64(len(in.Content))
	h.mu.Lock()
	h.held += n
	h.peak = max(h.peak, h.held)
	h.files++
	h.mu.Unlock()
	// Hold the content a little, so that walks overlap (this only makes
	// an overlap likely; the assertion does not depend on timing).
	time.Sleep(200 * time.Microsecond)
	runtime.Gosched()
	h.mu.Lock()
	h.held -= n
	h.mu.Unlock()
	return nil, nil
}

// layers returns n layer tarballs of files files of size bytes each.
func layers(t *testing.T, n, files, size int) [][]byte {
	var out [][]byte
	for l := range n {
		var entries []entry
		for f := range files {
			entries = append(entries, entry{name: fmt.Sprintf("l%d/f%d", l, f), body: strings.Repeat("x", size)})
		}
		out = append(out, tarball(t, entries))
	}
	return out
}

// walkAll runs Tar on every layer at once with one Walker, as scan.Layers
// does.
func walkAll(t *testing.T, w *Walker, data [][]byte) {
	t.Helper()
	errs := make([]error, len(data))
	var wg sync.WaitGroup
	for i, d := range data {
		wg.Go(func() { _, errs[i] = w.Tar(context.Background(), bytes.NewReader(d)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestMemoryBudgetShared: many layers walked at once by one Walker never
// hold more file content than its budget, whatever each layer's own
// parallelism.
func TestMemoryBudgetShared(t *testing.T) {
	const budget = 64 << 10
	h := &holder{}
	w := New([]analyze.Analyzer{h}, Options{MemoryBudget: budget, Parallel: 8})
	walkAll(t, w, layers(t, 8, 16, 16<<10))
	if h.files != 8*16 {
		t.Fatalf("analysed %d files, want %d", h.files, 8*16)
	}
	if h.peak > budget {
		t.Errorf("analyzers held %d bytes at once, over the %d-byte budget", h.peak, budget)
	}
	if w.budget.peak > budget || w.budget.held != 0 {
		t.Errorf("budget peak %d (max %d), held at the end %d", w.budget.peak, budget, w.budget.held)
	}
}

// TestMemoryBudgetLargerFile: a file larger than the whole budget is still
// analysed (alone) while other layers compete for the budget, and nothing
// deadlocks.
func TestMemoryBudgetLargerFile(t *testing.T) {
	const budget = 4 << 10
	h := &holder{}
	w := New([]analyze.Analyzer{h}, Options{MemoryBudget: budget, Parallel: 4})
	data := layers(t, 4, 8, 1<<10)
	data = append(data, tarball(t, []entry{{name: "big/a", body: strings.Repeat("a", 3*budget)}, {name: "big/b", body: "b"}, {name: "big/c", body: strings.Repeat("c", 2*budget)}}))
	walkAll(t, w, data)
	if h.files != 4*8+3 {
		t.Fatalf("analysed %d files, want %d", h.files, 4*8+3)
	}
	if h.peak > 3*budget {
		t.Errorf("analyzers held %d bytes at once; the largest file is %d", h.peak, 3*budget)
	}
	if w.budget.held != 0 {
		t.Errorf("budget still holds %d bytes", w.budget.held)
	}
}

// FuzzFS walks a MapFS built from the fuzz input ("name\x00content\x00…"):
// no panic, no hang, only valid relative paths reported.
func FuzzFS(f *testing.F) {
	f.Add([]byte("app/a\x001\x00app/sub/b\x002\x00app/big\x00" + strings.Repeat("x", 80)))
	f.Add([]byte("../x\x00y\x00app/./a\x00z\x00/abs\x00q"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parts := strings.Split(string(data), "\x00")
		mapfs := fstest.MapFS{}
		for i := 0; i+1 < len(parts); i += 2 {
			if !fs.ValidPath(parts[i]) {
				continue // not a name an fs.FS can list (and MapFS recurses on some)
			}
			mode := fs.FileMode(0o644)
			if len(parts[i+1]) > 0 && parts[i+1][0] == 'L' {
				mode = fs.ModeSymlink | 0o777
			}
			mapfs[parts[i]] = &fstest.MapFile{Data: []byte(parts[i+1]), Mode: mode}
		}
		w := New([]analyze.Analyzer{&recorder{prefix: "app/"}, &viewer{prefix: "app/", max: 1 << 10}, &poster{}, joiner{}},
			Options{MaxFileSize: 64, TempDir: t.TempDir(), MemoryBudget: 256})
		res, err := w.FS(context.Background(), mapfs)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Applications {
			paths := []string{s.FilePath}
			if s.Type == "post" { // FilePath joins the files' paths
				paths = paths[:0]
				for _, p := range s.Packages {
					paths = append(paths, p.Name)
				}
			}
			for _, p := range paths {
				if !fs.ValidPath(p) || p == "." {
					t.Fatalf("invalid path %q reported", p)
				}
			}
		}
	})
}

// TestTarLargeEntryNoRandomAccess: without a random-access analyzer a
// large file is skipped with one note, as before.
func TestTarLargeEntryNoRandomAccess(t *testing.T) {
	data := tarball(t, []entry{{name: "app/big", body: strings.Repeat("x", 100)}, {name: "app/big.post", body: strings.Repeat("y", 100)}})
	res, err := New([]analyze.Analyzer{&recorder{prefix: "app/"}, &poster{}}, Options{MaxFileSize: 50}).Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range res.Skipped {
		got = append(got, n.Path+" "+n.Analyzer+": "+n.Reason)
	}
	want := []string{"app/big : size 100 bytes exceeds the 50-byte file limit", "app/big.post : size 100 bytes exceeds the 50-byte file limit"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}
