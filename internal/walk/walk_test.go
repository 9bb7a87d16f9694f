package walk

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// recorder is an analyzer that wants files under a prefix and reports each
// as a one-package application whose version is the file's content.
type recorder struct {
	prefix string
	mu     sync.Mutex
	seen   []string
	fail   string // path to fail on
	panics string // path to panic on
}

func (r *recorder) Name() string { return "recorder" }
func (r *recorder) Version() int { return 1 }
func (r *recorder) Required(p string, _ fs.FileInfo) bool {
	return strings.HasPrefix(p, r.prefix)
}
func (r *recorder) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	r.mu.Lock()
	r.seen = append(r.seen, in.Path)
	r.mu.Unlock()
	switch in.Path {
	case r.fail:
		return nil, errors.New("bad content")
	case r.panics:
		panic("boom")
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{
		Type: "test", FilePath: in.Path,
		Packages: []model.Package{{Name: in.Path, Version: string(in.Content)}},
	}}}, nil
}

type entry struct {
	name, body, link string
	typ              byte
	mode             int64 // 0o644 when zero
}

func tarball(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		size := int64(len(e.body))
		if typ != tar.TypeReg {
			size = 0
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Size: size, Mode: mode, Linkname: e.link, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func versions(r *analyze.LayerResult) map[string]string {
	out := map[string]string{}
	for _, s := range r.Applications {
		for _, p := range s.Packages {
			out[p.Name] = p.Version
		}
	}
	return out
}

func TestTar(t *testing.T) {
	data := tarball(t, []entry{
		{name: "app/", typ: tar.TypeDir},
		{name: "app/a.txt", body: "1"},
		{name: "./app/b.txt", body: "2"},
		{name: "/app/abs.txt", body: "3"},
		{name: "../app/escape.txt", body: "4"},
		{name: "app/../../etc/passwd", body: "5"},
		{name: "app/link", typ: tar.TypeSymlink, link: "/etc/passwd"},
		{name: "app/hard", typ: tar.TypeLink, link: "app/a.txt"},
		{name: "app/.wh.gone", body: ""},
		{name: "etc/.wh..wh..opq", body: ""},
		{name: "other/x", body: "not wanted"},
		{name: "app/big", body: strings.Repeat("x", 100)},
		{name: "app/fail", body: "f"},
		{name: "app/panic", body: "p"},
	})
	rec := &recorder{prefix: "app/", fail: "app/fail", panics: "app/panic"}
	w := New([]analyze.Analyzer{rec}, Options{MaxFileSize: 50})
	res, err := w.Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"app/a.txt": "1", "app/b.txt": "2", "app/abs.txt": "3"}
	if diff := cmp.Diff(want, versions(res)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"app/gone"}, res.Whiteouts); diff != "" {
		t.Errorf("whiteouts: %s", diff)
	}
	if diff := cmp.Diff([]string{"etc"}, res.OpaqueDirs); diff != "" {
		t.Errorf("opaque: %s", diff)
	}
	wantFiles := []string{"app/a.txt", "app/abs.txt", "app/b.txt", "app/big", "app/fail", "app/hard", "app/link", "app/panic", "other/x"}
	if diff := cmp.Diff(wantFiles, res.Files); diff != "" {
		t.Errorf("files: %s", diff)
	}
	skipped := map[string]bool{}
	for _, n := range res.Skipped {
		skipped[n.Path] = true
	}
	for _, p := range []string{"../app/escape.txt", "app/../../etc/passwd", "app/hard", "app/big"} {
		if !skipped[p] {
			t.Errorf("%s not recorded as skipped: %+v", p, res.Skipped)
		}
	}
	if len(res.Errors) != 2 || res.Errors[0].Path != "app/fail" || res.Errors[1].Path != "app/panic" ||
		!strings.Contains(res.Errors[1].Reason, "panicked") {
		t.Errorf("errors = %+v", res.Errors)
	}
	for _, p := range rec.seen {
		if p == "app/link" || p == "other/x" {
			t.Errorf("analyzer saw %s", p)
		}
	}
}

func TestTarTruncated(t *testing.T) {
	data := tarball(t, []entry{{name: "app/a", body: strings.Repeat("a", 4096)}})
	w := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{})
	_, err := w.Tar(context.Background(), bytes.NewReader(data[:1024]))
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("want truncated error, got %v", err)
	}
	if _, err := w.Tar(context.Background(), strings.NewReader("this is not a tar archive at all, just some text padding it to more than 512 bytes"+strings.Repeat(".", 600))); err == nil {
		t.Fatal("want error for non-tar input")
	}
}

// A header claiming a 10 GB file with no content behind it must fail fast
// as truncated, not allocate or hang.
func TestTarHugeHeader(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "app/huge", Typeflag: tar.TypeReg, Size: 10 << 30, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	w := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{})
	res, err := w.Tar(context.Background(), bytes.NewReader(buf.Bytes()))
	if err == nil {
		t.Fatalf("want error, got result %+v", res)
	}
}

// zeros is an endless stream of zero bytes, standing in for a decompression
// bomb: the walker must stop at MaxLayerSize.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestTarBomb(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "bomb", Typeflag: tar.TypeReg, Size: 1 << 40, Mode: 0o644})
	tw.Flush()
	r := io.MultiReader(bytes.NewReader(buf.Bytes()), zeros{})
	w := New(nil, Options{MaxLayerSize: 8 << 20})
	_, err := w.Tar(context.Background(), r)
	if !errors.Is(err, ErrLayerTooLarge) {
		t.Fatalf("want ErrLayerTooLarge, got %v", err)
	}
}

func TestTarExactLimit(t *testing.T) {
	data := tarball(t, []entry{{name: "a", body: "x"}})
	w := New(nil, Options{MaxLayerSize: int64(len(data))})
	if _, err := w.Tar(context.Background(), bytes.NewReader(data)); err != nil {
		t.Fatalf("a layer exactly at the limit must pass: %v", err)
	}
}

// bulk is a recorder that reads files in bulk, like the secret scanner.
type bulk struct{ recorder }

func (*bulk) Bulk() bool { return true }

func TestTarTotalLimit(t *testing.T) {
	data := tarball(t, []entry{{name: "app/a", body: "aaaa"}, {name: "app/b", body: "bbbb"}})
	// A package-database-like analyzer is never starved by the budget.
	res, err := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{MaxTotalSize: 6}).Tar(context.Background(), bytes.NewReader(data))
	if err != nil || len(versions(res)) != 2 {
		t.Fatalf("non-bulk analyzer under the budget: %v %v", err, versions(res))
	}
	w := New([]analyze.Analyzer{&bulk{recorder{prefix: "app/"}}}, Options{MaxTotalSize: 6})
	res, err = w.Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := versions(res); len(got) != 1 || got["app/a"] != "aaaa" {
		t.Errorf("got %v", got)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Path != "app/b" {
		t.Errorf("skipped = %+v", res.Skipped)
	}
}

func TestSkipGlobs(t *testing.T) {
	data := tarball(t, []entry{
		{name: "app/keep.txt", body: "1"},
		{name: "app/node_modules/x/package.json", body: "2"},
		{name: "app/secret.pem", body: "3"},
	})
	w := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{SkipDirs: []string{"**/node_modules"}, SkipFiles: []string{"/app/*.pem"}})
	res, err := w.Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"app/keep.txt": "1"}, versions(res)); diff != "" {
		t.Error(diff)
	}
	if err := ValidatePatterns([]string{"[unclosed"}); err == nil {
		t.Error("want invalid pattern error")
	}
}

func TestDir(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "app", "sub"), 0o755))
	must(os.WriteFile(filepath.Join(root, "app", "a"), []byte("1"), 0o644))
	must(os.WriteFile(filepath.Join(root, "app", "sub", "b"), []byte("2"), 0o644))
	must(os.WriteFile(filepath.Join(outside, "secret"), []byte("outside"), 0o644))
	must(os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "app", "link")))
	must(os.Symlink(outside, filepath.Join(root, "app", "dirlink")))
	w := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{})
	res, err := w.Dir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"app/a": "1", "app/sub/b": "2"}, versions(res)); diff != "" {
		t.Error(diff)
	}
	if len(res.Files) != 0 {
		t.Errorf("a directory walk lists no files (it is one layer): %v", res.Files)
	}
	// A single file as the target.
	res, err = New([]analyze.Analyzer{&recorder{prefix: "a"}}, Options{}).Dir(context.Background(), filepath.Join(root, "app", "a"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"a": "1"}, versions(res)); diff != "" {
		t.Error(diff)
	}
	if _, err := w.Dir(context.Background(), filepath.Join(root, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("want error naming the missing path, got %v", err)
	}
}

func TestCleanPath(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"etc/os-release", "etc/os-release", true},
		{"./etc/os-release", "etc/os-release", true},
		{"/etc/os-release", "etc/os-release", true},
		{"etc//x/./y", "etc/x/y", true},
		{"../etc/passwd", "", false},
		{"a/../../b", "", false},
		{"a/..", "", false},
		{"..", "", false},
		{"./", "", false},
		{"a/b/../c", "a/c", true},
	}
	for _, tt := range tests {
		got, ok := cleanPath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cleanPath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzTar(f *testing.F) {
	f.Add(tarball(f, []entry{{name: "app/a", body: "1"}, {name: "app/.wh.b"}, {name: "../x", body: "y"}}))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w := New([]analyze.Analyzer{&recorder{prefix: "app/"}}, Options{MaxFileSize: 1 << 16, MaxLayerSize: 1 << 20})
		res, err := w.Tar(context.Background(), bytes.NewReader(data))
		if err == nil {
			for _, p := range res.Files {
				if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") {
					t.Fatalf("insecure path %q reported", p)
				}
			}
		}
	})
}

// joiner reports "lock" files as one package per line and marks the names
// listed in the "manifest" beside them as direct.
type joiner struct{}

func (joiner) Name() string                          { return "joiner" }
func (joiner) Version() int                          { return 1 }
func (joiner) Required(p string, _ fs.FileInfo) bool { return strings.HasSuffix(p, "/lock") }
func (joiner) PackageType() string                   { return "joined" }
func (joiner) Companion() string                     { return "manifest" }
func (joiner) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	var pkgs []model.Package
	for _, n := range strings.Fields(string(in.Content)) {
		pkgs = append(pkgs, model.Package{Name: n, Version: "1"})
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: "joined", FilePath: in.Path, Packages: pkgs}}}, nil
}
func (joiner) Join(set *analyze.PackageSet, companion []byte) error {
	direct := map[string]bool{}
	for _, n := range strings.Fields(string(companion)) {
		direct[n] = true
	}
	analyze.MarkDirect(set.Packages, direct, nil)
	return nil
}

func TestJoinCompanions(t *testing.T) {
	data := tarball(t, []entry{
		{name: "a/lock", body: "x y"},
		{name: "a/manifest", body: "x"}, // after the lockfile in the stream
		{name: "b/manifest", body: "z"}, // before it
		{name: "b/lock", body: "z w"},
		{name: "c/lock", body: "q"}, // no manifest: relationships unknown
		{name: "c/node_modules/manifest", body: "q"},
	})
	res, err := New([]analyze.Analyzer{joiner{}}, Options{}).Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range res.Applications {
		for _, p := range s.Packages {
			got[s.FilePath+" "+p.Name] = p.Relationship
		}
	}
	want := map[string]string{
		"a/lock x": "direct", "a/lock y": "indirect",
		"b/lock z": "direct", "b/lock w": "indirect",
		"c/lock q": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relationships (-want +got):\n%s", diff)
	}
}

// poster is a post-analyzer of "*.post" files: one package set holding
// every collected file (version = content, FilePath = the joined paths),
// proving it saw them together.
type poster struct {
	calls int
	fail  bool
}

func (*poster) Name() string                          { return "poster" }
func (*poster) Version() int                          { return 1 }
func (*poster) Required(p string, _ fs.FileInfo) bool { return strings.HasSuffix(p, ".post") }
func (p *poster) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	return analyze.AnalyzeOne(ctx, p, in)
}
func (p *poster) PostAnalyze(_ context.Context, files fs.FS) (*analyze.Result, error) {
	p.calls++
	if p.fail {
		panic("post boom")
	}
	var names []string
	var pkgs []model.Package
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		names = append(names, name)
		pkgs = append(pkgs, model.Package{Name: name, Version: string(b)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: "post", FilePath: strings.Join(names, ","), Packages: pkgs}}}, nil
}

func TestPostAnalyzerTar(t *testing.T) {
	data := tarball(t, []entry{
		{name: "a/x.post", body: "1"},
		{name: "a/lock", body: "q"}, // a per-file analyzer alongside
		{name: "b/y.post", body: "22"},
		{name: "b/big.post", body: strings.Repeat("z", 100)},       // over the file cap
		{name: "c/z.post", body: strings.Repeat("w", 38)},          // over the post cap
		{name: "d/link.post", typ: tar.TypeLink, link: "a/x.post"}, // hard link: not kept
		{name: "e/sym.post", typ: tar.TypeSymlink, link: "a/x.post"},
	})
	p := &poster{}
	res, err := New([]analyze.Analyzer{p, joiner{}}, Options{MaxFileSize: 50, MaxPostSize: 40}).Tar(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if p.calls != 1 {
		t.Errorf("PostAnalyze called %d times, want once per layer", p.calls)
	}
	got := map[string]string{}
	for _, s := range res.Applications {
		for _, pk := range s.Packages {
			got[s.Type+" "+s.FilePath+" "+pk.Name] = pk.Version
		}
	}
	want := map[string]string{
		"post a/x.post,b/y.post a/x.post": "1",
		"post a/x.post,b/y.post b/y.post": "22",
		"joined a/lock q":                 "1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var skipped []string
	for _, n := range res.Skipped {
		skipped = append(skipped, n.Path+" "+n.Analyzer)
	}
	if diff := cmp.Diff([]string{"b/big.post ", "c/z.post poster", "d/link.post "}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

func TestPostAnalyzerDir(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{"m/pom.post": "a", "m/sub/c.post": "b", "m/other": "c"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := New([]analyze.Analyzer{&poster{}}, Options{}).Dir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applications) != 1 || res.Applications[0].FilePath != "m/pom.post,m/sub/c.post" {
		t.Errorf("applications = %+v", res.Applications)
	}
	// A failing post-analyzer is an error of the layer, not of the walk.
	res, err = New([]analyze.Analyzer{&poster{fail: true}}, Options{}).Dir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Analyzer != "poster" || res.Errors[0].Path != "m/pom.post" {
		t.Errorf("errors = %+v", res.Errors)
	}
	// A single file as the target; no files wanted: no call.
	p := &poster{}
	res, err = New([]analyze.Analyzer{p}, Options{}).Dir(context.Background(), filepath.Join(root, "m", "pom.post"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applications) != 1 || res.Applications[0].FilePath != "pom.post" {
		t.Errorf("single file: %+v", res.Applications)
	}
	p = &poster{}
	if _, err := New([]analyze.Analyzer{p}, Options{}).Dir(context.Background(), filepath.Join(root, "m", "other")); err != nil || p.calls != 0 {
		t.Errorf("no wanted files: calls %d, err %v", p.calls, err)
	}
	// AnalyzeOne hands the one file over.
	r, err := p.Analyze(context.Background(), analyze.Input{Path: "x/y.post", Content: []byte("9")})
	if err != nil || r.Applications[0].Packages[0].Version != "9" {
		t.Errorf("AnalyzeOne: %+v %v", r, err)
	}
}
