package diff

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/internal/app"
)

// ent is one tar entry of a test layer or export.
type ent struct {
	name string
	typ  byte // 0: regular file
	mode int64
	uid  int
	body string
	link string
}

func tarBytes(t *testing.T, entries []ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Typeflag: e.typ, Linkname: e.link}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.body))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// imageArchive writes a docker-save archive of layers and returns its path.
func imageArchive(t *testing.T, layers ...[]ent) string {
	t.Helper()
	img := v1.Image(empty.Image)
	for _, l := range layers {
		b := tarBytes(t, l)
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "img.tar")
	ref, _ := name.NewTag("example.com/app:1.0")
	if err := tarball.WriteToFile(p, ref, img); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.tar")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func options(t *testing.T) Options {
	t.Helper()
	cache := t.TempDir()
	return Options{
		Analysis: app.Options{CacheDir: cache, CacheBackend: "memory", PkgTypes: []string{"os", "library"}},
		TempDir:  filepath.Join(cache, "tmp"),
		RunSize:  2, // spill runs of two records: the merge is what is tested
	}
}

func compare(t *testing.T, oldArg, newArg string) *Report {
	t.Helper()
	old, err := Classify(oldArg)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := Classify(newArg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(context.Background(), old, nw, options(t))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// paths lists the paths of the file changes, as "+p", "-p", "~p what".
func paths(f Files) []string {
	var out []string
	for _, e := range f.Added {
		out = append(out, "+"+e.Path)
	}
	for _, e := range f.Removed {
		out = append(out, "-"+e.Path)
	}
	for _, c := range f.Changed {
		out = append(out, "~"+c.Path+" "+strings.Join(c.What, ","))
	}
	return out
}

// TestImageVsExport: an image of two layers (the second overwriting a
// file and deleting one) against an export of its final filesystem in
// which, at run time, one file was added, one changed in content, one in
// mode and one removed: exactly those four changes.
func TestImageVsExport(t *testing.T) {
	img := imageArchive(t,
		[]ent{
			{name: "etc/", typ: tar.TypeDir, mode: 0o755},
			{name: "etc/app.conf", body: "v1"},
			{name: "etc/gone", body: "deleted by layer 2"},
			{name: "bin/", typ: tar.TypeDir, mode: 0o755},
			{name: "bin/tool", mode: 0o755, body: "tool"},
			{name: "bin/sh", typ: tar.TypeSymlink, mode: 0o777, link: "busybox"},
			{name: "var/", typ: tar.TypeDir, mode: 0o755},
			{name: "var/log", body: "x"},
		},
		[]ent{
			{name: "etc/app.conf", body: "v2"},
			{name: "etc/.wh.gone"},
		})
	export := writeFile(t, tarBytes(t, []ent{
		{name: "etc/", typ: tar.TypeDir, mode: 0o755},
		{name: "etc/app.conf", body: "v3"}, // content changed at run time
		{name: "bin/", typ: tar.TypeDir, mode: 0o755},
		{name: "bin/tool", mode: 0o4755, body: "tool"}, // mode changed
		{name: "bin/sh", typ: tar.TypeSymlink, mode: 0o777, link: "busybox"},
		{name: "var/", typ: tar.TypeDir, mode: 0o755},
		{name: "tmp/", typ: tar.TypeDir, mode: 0o755}, // added
		{name: "tmp/dropped", body: "payload"},        // added
		// var/log removed
	}))
	rep := compare(t, img, export)
	if rep.Old.Kind != KindImage || rep.New.Kind != KindExport {
		t.Fatalf("kinds %s, %s", rep.Old.Kind, rep.New.Kind)
	}
	want := []string{"+tmp", "+tmp/dropped", "-var/log", "~bin/tool mode", "~etc/app.conf content"}
	if d := cmp.Diff(want, paths(rep.Files)); d != "" {
		t.Errorf("file changes (-want +got):\n%s", d)
	}
	for _, c := range rep.Files.Changed {
		if c.Path == "etc/app.conf" && (c.Old.SHA256 != sum("v2") || c.New.SHA256 != sum("v3")) {
			t.Errorf("etc/app.conf hashes: %s → %s", c.Old.SHA256, c.New.SHA256)
		}
		if c.Path == "bin/tool" && (c.Old.Mode != 0o755 || c.New.Mode != 0o4755) {
			t.Errorf("bin/tool modes: %o → %o", c.Old.Mode, c.New.Mode)
		}
	}
	if got := rep.Files.Added[1]; got.SHA256 != sum("payload") || got.Size != 7 {
		t.Errorf("added file: %+v", got)
	}
	// The same export against itself: nothing.
	if rep := compare(t, export, export); !rep.Empty() {
		t.Errorf("export vs itself: %+v", rep)
	}
}

// TestWhiteouts: the final filesystem of an image follows the last layer
// of each path, whiteouts, opaque directories, and a file replacing a
// directory; compared against a root filesystem folder that holds exactly
// the expected tree, nothing differs.
func TestWhiteouts(t *testing.T) {
	img := imageArchive(t,
		[]ent{
			{name: "a/", typ: tar.TypeDir, mode: 0o755},
			{name: "a/keep", body: "1"},
			{name: "a/drop", body: "1"},
			{name: "opq/", typ: tar.TypeDir, mode: 0o755},
			{name: "opq/old1", body: "1"},
			{name: "opq/sub/", typ: tar.TypeDir, mode: 0o755},
			{name: "opq/sub/old2", body: "1"},
			{name: "gone/", typ: tar.TypeDir, mode: 0o755},
			{name: "gone/x", body: "1"},
			{name: "gone-not/", typ: tar.TypeDir, mode: 0o755},
			{name: "gone-not/y", body: "1"},
			{name: "dirfile/", typ: tar.TypeDir, mode: 0o755},
			{name: "dirfile/child", body: "1"},
			{name: "back/", typ: tar.TypeDir, mode: 0o755},
			{name: "back/old", body: "1"},
		},
		[]ent{
			{name: "a/.wh.drop"},
			{name: "opq/.wh..wh..opq"},
			{name: "opq/new", body: "2"},
			{name: "gone/.wh.x"}, // a whiteout of a file, then of its directory
			{name: ".wh.gone"},
			{name: "dirfile", body: "now a file"},
			{name: ".wh.back"},
		},
		[]ent{
			{name: "back/", typ: tar.TypeDir, mode: 0o755}, // recreated: the old content stays deleted
			{name: "back/new", body: "3"},
			{name: "a/keep", body: "3"},
		})
	root := t.TempDir()
	for _, d := range []string{"a", "opq", "gone-not", "back"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(root, d), 0o755)
	}
	for p, body := range map[string]string{"a/keep": "3", "opq/new": "2", "gone-not/y": "1", "dirfile": "now a file", "back/new": "3"} {
		if err := os.WriteFile(filepath.Join(root, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(root, p), 0o644)
	}
	rep := compare(t, img, root)
	// Owners differ (the folder is the test user's): only the tree matters.
	var got []string
	for _, p := range paths(rep.Files) {
		if !strings.HasSuffix(p, " owner") {
			got = append(got, p)
		}
	}
	if len(got) > 0 {
		t.Errorf("image vs its expected tree: %v", got)
	}
	if len(rep.Files.Changed) != 9 && os.Getuid() != 0 {
		t.Errorf("%d entries compared as changed (owner), want the 9 of the tree", len(rep.Files.Changed))
	}
}

// TestTruncated: a truncated export is an error naming the offset.
func TestTruncated(t *testing.T) {
	b := tarBytes(t, []ent{{name: "etc/a", body: strings.Repeat("x", 4000)}, {name: "etc/b", body: "y"}})
	trunc := writeFile(t, b[:2048])
	img := imageArchive(t, []ent{{name: "etc/a", body: "x"}})
	old, _ := Classify(img)
	nw, err := Classify(trunc)
	if err != nil || nw.Kind != KindExport {
		t.Fatalf("classify: %v %v", nw, err)
	}
	_, err = Compare(context.Background(), old, nw, options(t))
	if err == nil || !strings.Contains(err.Error(), "truncated tar at offset 2048") || !strings.Contains(err.Error(), trunc) {
		t.Fatalf("error = %v, want the truncation offset and the file", err)
	}
}

// TestTraversal: entries named "../evil" or with an absolute name, and a
// hard link out of the root, are never followed: the first is a note,
// the absolute one is taken relative to the root, the link is unreadable.
func TestTraversal(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(filepath.Dir(dir), "evil")
	oldE := writeFile(t, tarBytes(t, []ent{{name: "etc/a", body: "a"}}))
	newE := writeFile(t, tarBytes(t, []ent{
		{name: "etc/a", body: "a"},
		{name: "../evil", body: "escape"},
		{name: "etc/../../evil2", body: "escape"},
		{name: "/abs", body: "abs"},
		{name: "etc/link", typ: tar.TypeLink, link: "../../etc/shadow"},
	}))
	rep := compare(t, oldE, newE)
	if d := cmp.Diff([]string{"+abs", "+etc/link"}, paths(rep.Files)); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	var notes []string
	for _, n := range rep.Notes {
		notes = append(notes, n.Side+" "+n.Path)
	}
	if d := cmp.Diff([]string{"new ../evil", "new etc/../../evil2", "new etc/link"}, notes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	if _, err := os.Stat(outside); err == nil {
		t.Errorf("%s was written", outside)
	}
}

const apkDB = "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\nP:zlib\nV:1.2.11-r1\nA:x86_64\no:zlib\n\nP:oldpkg\nV:1.0-r0\nA:x86_64\no:oldpkg\n\n"

// TestPackages: an upgraded, a removed and an added apk package, and one
// downgraded.
func TestPackages(t *testing.T) {
	osr := ent{name: "etc/os-release", body: "ID=alpine\nVERSION_ID=3.10.4\n"}
	old := imageArchive(t, []ent{osr, {name: "lib/apk/db/installed", body: apkDB}})
	newDB := "P:musl\nV:1.1.24-r2\nA:x86_64\no:musl\n\nP:zlib\nV:1.2.11-r0\nA:x86_64\no:zlib\n\nP:newpkg\nV:2.0-r0\nA:x86_64\no:newpkg\n\n"
	nw := imageArchive(t, []ent{osr, {name: "lib/apk/db/installed", body: apkDB}}, []ent{{name: "lib/apk/db/installed", body: newDB}})
	rep := compare(t, old, nw)
	want := Packages{
		Added:      []Package{{Type: "apk", Name: "newpkg", Version: "2.0-r0"}},
		Removed:    []Package{{Type: "apk", Name: "oldpkg", Version: "1.0-r0"}},
		Upgraded:   []PackageChange{{Type: "apk", Name: "musl", OldVersion: "1.1.22-r3", NewVersion: "1.1.24-r2"}},
		Downgraded: []PackageChange{{Type: "apk", Name: "zlib", OldVersion: "1.2.11-r1", NewVersion: "1.2.11-r0"}},
	}
	if d := cmp.Diff(want, rep.Packages); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"~lib/apk/db/installed content"}, paths(rep.Files)); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
}

// TestClassify: what each kind of argument is taken for.
func TestClassify(t *testing.T) {
	root := t.TempDir()
	layout := t.TempDir()
	os.WriteFile(filepath.Join(layout, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)
	tests := []struct{ arg, want string }{
		{imageArchive(t, []ent{{name: "etc/a", body: "a"}}), KindImage},
		{writeFile(t, tarBytes(t, []ent{{name: "etc/a", body: "a"}})), KindExport},
		{writeFile(t, tarBytes(t, []ent{{name: "./", typ: tar.TypeDir}, {name: "./.dockerenv"}})), KindExport},
		{root, KindRootfs},
		{layout, KindImage},
		{"alpine:3.19", KindRegistry},
		{"registry.example.com/app@sha256:" + strings.Repeat("a", 64), KindRegistry},
	}
	for _, tt := range tests {
		got, err := Classify(tt.arg)
		if err != nil || got.Kind != tt.want {
			t.Errorf("Classify(%s) = %v, %v; want %s", tt.arg, got.Kind, err, tt.want)
		}
	}
	if _, err := Classify("./missing/dir"); err == nil {
		t.Error("a missing path is not a registry reference")
	}
}

// TestClassifyNamedLayers: a docker-save archive whose layers and config
// are not named by digest (layer0.tar, config.json, manifest.json last) is
// an image, not an export.
func TestClassifyNamedLayers(t *testing.T) {
	layer := tarBytes(t, []ent{{name: "etc/a", body: "a"}})
	p := writeFile(t, tarBytes(t, []ent{
		{name: "layer0.tar", body: string(layer)},
		{name: "config.json", body: "{}"},
		{name: "manifest.json", body: `[{"Config":"config.json","Layers":["layer0.tar"]}]`},
	}))
	if got, err := Classify(p); err != nil || got.Kind != KindImage {
		t.Errorf("Classify = %v, %v; want image", got.Kind, err)
	}
}
