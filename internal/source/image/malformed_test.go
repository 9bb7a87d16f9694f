package image_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/source/image"
)

// dockerSaveWith builds a minimal docker-save archive whose manifest lists
// the given config and layer paths; extra entries are appended verbatim.
func dockerSaveWith(t testing.TB, configPath string, layerPaths []string, extra ...rawEntry) []byte {
	t.Helper()
	files := map[string]string{"f": "x"}
	layer := tarOf(t, files)
	diffIDs := make([]string, len(layerPaths))
	for i := range diffIDs {
		diffIDs[i] = "sha256:" + sha256Hex(layer)
	}
	cfg := mustJSON(t, map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}})
	man := mustJSON(t, []map[string]any{{"Config": configPath, "Layers": layerPaths}})
	entries := []rawEntry{
		{name: "config.json", body: cfg},
		{name: "layer.tar", body: layer},
		{name: "manifest.json", body: man},
	}
	return rawTar(t, append(entries, extra...))
}

// ociLayoutWith writes an OCI layout whose index points at a manifest
// built from the given JSON values; blobs maps digests to content.
func ociLayoutWith(t testing.TB, dir string, index any, blobs map[string][]byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	writeFile(t, dir, "index.json", mustJSON(t, index))
	for d, b := range blobs {
		writeFile(t, filepath.Join(dir, "blobs", "sha256"), strings.TrimPrefix(d, "sha256:"), b)
	}
	return dir
}

func desc(mt string, b []byte) map[string]any {
	return map[string]any{"mediaType": mt, "size": len(b), "digest": "sha256:" + sha256Hex(b)}
}

func TestMalformedInputs(t *testing.T) {
	dir := t.TempDir()
	save := writeDockerSave(t, "x:y", threeLayers(t))
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[0] = 'R' // not a gzip/zstd magic

	// A header claiming a 10 GB member in a tiny file.
	var huge bytes.Buffer
	tw := tar.NewWriter(&huge)
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Typeflag: tar.TypeReg, Size: 10 << 30, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	huge.Write(bytes.Repeat([]byte{'x'}, 2048))

	// An OCI layout with a manifest whose layer blob is absent, one with a
	// malformed layer digest, and one whose config does not match its digest.
	layer := tarOf(t, map[string]string{"a": "b"})
	cfg := mustJSON(t, map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + sha256Hex(layer)}}})
	mkManifest := func(layerDesc map[string]any, cfgDesc map[string]any) []byte {
		return mustJSON(t, map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
			"config": cfgDesc, "layers": []any{layerDesc}})
	}
	layerDesc := desc("application/vnd.oci.image.layer.v1.tar", layer)
	cfgDesc := desc("application/vnd.oci.image.config.v1+json", cfg)
	indexOf := func(m []byte) any {
		return map[string]any{"schemaVersion": 2, "manifests": []any{desc("application/vnd.oci.image.manifest.v1+json", m)}}
	}
	mMissing := mkManifest(layerDesc, cfgDesc)
	missingLayer := ociLayoutWith(t, filepath.Join(dir, "missing-layer"), indexOf(mMissing),
		map[string][]byte{"sha256:" + sha256Hex(mMissing): mMissing, "sha256:" + sha256Hex(cfg): cfg})
	badDigest := map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": 3, "digest": "sha256:../../../../etc/passwd"}
	mBad := mkManifest(badDigest, cfgDesc)
	malformedDigest := ociLayoutWith(t, filepath.Join(dir, "bad-digest"), indexOf(mBad),
		map[string][]byte{"sha256:" + sha256Hex(mBad): mBad, "sha256:" + sha256Hex(cfg): cfg})
	mCfg := mkManifest(layerDesc, cfgDesc)
	cfgMismatch := ociLayoutWith(t, filepath.Join(dir, "cfg-mismatch"), indexOf(mCfg),
		map[string][]byte{"sha256:" + sha256Hex(mCfg): mCfg, "sha256:" + sha256Hex(cfg): bytes.Replace(cfg, []byte("amd64"), []byte("amd65"), 1),
			"sha256:" + sha256Hex(layer): layer})
	missingManifest := ociLayoutWith(t, filepath.Join(dir, "missing-manifest"), indexOf(mCfg), nil)
	notLayout := filepath.Join(dir, "plain-dir")
	if err := os.Mkdir(notLayout, 0o755); err != nil {
		t.Fatal(err)
	}

	// A layout whose layer blob is a symlink leaving the layout.
	escDir := ociLayoutWith(t, filepath.Join(dir, "symlink-blob"), indexOf(mCfg),
		map[string][]byte{"sha256:" + sha256Hex(mCfg): mCfg, "sha256:" + sha256Hex(cfg): cfg})
	outside := writeFile(t, dir, "outside-layer", layer)
	if err := os.Symlink(outside, filepath.Join(escDir, "blobs", "sha256", sha256Hex(layer))); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		input  string
		opts   image.Options
		target error
		msg    string
	}{
		{"missing file", filepath.Join(dir, "nope.tar"), image.Options{}, image.ErrNotFound, "nope.tar"},
		{"random bytes", writeFile(t, dir, "random.bin", random), image.Options{}, image.ErrNotImage, "not a tar archive"},
		{"empty file", writeFile(t, dir, "empty.tar", nil), image.Options{}, image.ErrNotImage, "no manifest.json or index.json"},
		{"tar without manifest", writeFile(t, dir, "plain.tar", tarOf(t, map[string]string{"etc/passwd": "root"})), image.Options{}, image.ErrNotImage, "no manifest.json or index.json"},
		{"truncated tar", writeFile(t, dir, "trunc.tar", save[:len(save)/2+100]), image.Options{}, image.ErrCorrupt, "truncated tar"},
		{"truncated gzip", writeFile(t, dir, "trunc.tar.gz", func() []byte { g := gzipOf(t, save); return g[:len(g)/2] }()), image.Options{}, image.ErrCorrupt, "truncated gzip"},
		{"missing layer", writeFile(t, dir, "ml.tar", dockerSaveWith(t, "config.json", []string{"nothere/layer.tar"})), image.Options{}, image.ErrCorrupt, "nothere/layer.tar"},
		{"layer ../../etc/passwd", writeFile(t, dir, "dotdot.tar", dockerSaveWith(t, "config.json", []string{"../../etc/passwd"})), image.Options{}, image.ErrUnsafePath, "../../etc/passwd"},
		{"layer /etc/passwd", writeFile(t, dir, "abs.tar", dockerSaveWith(t, "config.json", []string{"/etc/passwd"})), image.Options{}, image.ErrUnsafePath, "/etc/passwd"},
		{"config ../c.json", writeFile(t, dir, "cfgdotdot.tar", dockerSaveWith(t, "../c.json", []string{"layer.tar"})), image.Options{}, image.ErrUnsafePath, "../c.json"},
		{"layer symlink to /etc/passwd", writeFile(t, dir, "symabs.tar", dockerSaveWith(t, "config.json", []string{"evil.tar"},
			rawEntry{name: "evil.tar", typeflag: tar.TypeSymlink, linkname: "/etc/passwd"})), image.Options{}, image.ErrUnsafePath, "links outside"},
		{"layer symlink escaping", writeFile(t, dir, "symrel.tar", dockerSaveWith(t, "config.json", []string{"d/evil.tar"},
			rawEntry{name: "d/evil.tar", typeflag: tar.TypeSymlink, linkname: "../../../etc/passwd"})), image.Options{}, image.ErrUnsafePath, "links outside"},
		{"layer hardlink escaping", writeFile(t, dir, "hard.tar", dockerSaveWith(t, "config.json", []string{"h.tar"},
			rawEntry{name: "h.tar", typeflag: tar.TypeLink, linkname: "../etc/passwd"})), image.Options{}, image.ErrUnsafePath, "links outside"},
		{"symlink loop", writeFile(t, dir, "loop.tar", dockerSaveWith(t, "config.json", []string{"a.tar"},
			rawEntry{name: "a.tar", typeflag: tar.TypeSymlink, linkname: "b.tar"},
			rawEntry{name: "b.tar", typeflag: tar.TypeSymlink, linkname: "a.tar"})), image.Options{}, image.ErrCorrupt, "too many levels"},
		{"layer count mismatch", writeFile(t, dir, "count.tar", rawTar(t, []rawEntry{
			{name: "config.json", body: cfg},
			{name: "layer.tar", body: layer},
			{name: "manifest.json", body: mustJSON(t, []map[string]any{{"Config": "config.json", "Layers": []string{"layer.tar", "layer.tar"}}})},
		})), image.Options{}, image.ErrCorrupt, "2 layers but the config has 1"},
		{"invalid manifest.json", writeFile(t, dir, "badjson.tar", rawTar(t, []rawEntry{{name: "manifest.json", body: []byte("{not json")}})), image.Options{}, image.ErrNotImage, "manifest.json"},
		{"empty manifest.json", writeFile(t, dir, "emptyman.tar", rawTar(t, []rawEntry{{name: "manifest.json", body: []byte("[]")}})), image.Options{}, image.ErrNotImage, "no images"},
		{"oversized manifest.json", writeFile(t, dir, "bigman.tar", rawTar(t, []rawEntry{{name: "manifest.json", body: bytes.Repeat([]byte(" "), 4096)}})), image.Options{MaxJSONSize: 1024}, image.ErrTooLarge, "manifest.json"},
		{"gzip bomb", writeFile(t, dir, "bomb.tar.gz", gzipOf(t, make([]byte, 8<<20))), image.Options{MaxArchiveSize: 1 << 20}, image.ErrTooLarge, "more than 1048576 bytes"},
		{"10 GB entry header", writeFile(t, dir, "huge.tar", huge.Bytes()), image.Options{}, image.ErrCorrupt, "claims 10737418240 bytes"},
		{"oci missing layer blob", missingLayer, image.Options{}, image.ErrCorrupt, "missing"},
		{"oci malformed digest", malformedDigest, image.Options{}, image.ErrCorrupt, "non-hex character"},
		{"oci config digest mismatch", cfgMismatch, image.Options{}, image.ErrCorrupt, "does not match"},
		{"oci missing manifest", missingManifest, image.Options{}, image.ErrCorrupt, "not in the layout"},
		{"oci blob symlink outside", escDir, image.Options{}, image.ErrCorrupt, "missing"},
		{"directory without layout", notLayout, image.Options{}, image.ErrNotImage, "plain-dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Input = tt.input
			tt.opts.TempDir = t.TempDir()
			img, err := image.Open(context.Background(), "", tt.opts)
			if err == nil {
				img.Close()
			}
			errIs(t, err, tt.target)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			if !strings.Contains(err.Error(), filepath.Base(tt.input)) {
				t.Errorf("error %q does not name the input", err)
			}
			if ents, _ := os.ReadDir(tt.opts.TempDir); len(ents) != 0 {
				t.Errorf("temp files left behind: %v", ents)
			}
		})
	}
}

// snapshot lists every path under root.
func snapshot(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestHostileEntriesTouchNothing opens archives carrying "../", absolute
// and link entries, reads every layer, and proves that nothing was written
// anywhere under the test's root except the temp file, removed by Close.
func TestHostileEntriesTouchNothing(t *testing.T) {
	base := t.TempDir()
	in, tmp := filepath.Join(base, "in"), filepath.Join(base, "tmp")
	for _, d := range []string{in, tmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hostile := []rawEntry{
		{name: "../escape.txt", body: []byte("escape")},
		{name: "../../escape2.txt", body: []byte("escape")},
		{name: "/tmp/trawl-abs-escape.txt", body: []byte("abs")},
		{name: "etc", typeflag: tar.TypeSymlink, linkname: "/etc"},
		{name: "etc/passwd", body: []byte("root::0:0")},
		{name: "pw", typeflag: tar.TypeLink, linkname: "/etc/passwd"},
	}
	raw := dockerSaveWith(t, "config.json", []string{"layer.tar"}, hostile...)
	writeFile(t, in, "hostile.tar", raw)
	writeFile(t, in, "hostile.tar.gz", gzipOf(t, raw))
	before := snapshot(t, base)

	for _, name := range []string{"hostile.tar", "hostile.tar.gz"} {
		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, nil))
		img, err := image.Open(context.Background(), "", image.Options{Input: filepath.Join(in, name), TempDir: tmp, Logger: logger})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, l := range img.Layers() {
			if _, err := readLayer(l); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := img.Close(); err != nil {
			t.Fatal(err)
		}
		for _, e := range []string{"../escape.txt", "../../escape2.txt", "/tmp/trawl-abs-escape.txt"} {
			q, _ := json.Marshal(e)
			if !bytes.Contains(logs.Bytes(), q) {
				t.Errorf("%s: no warning about %s in %s", name, e, logs.String())
			}
		}
	}
	after := snapshot(t, base)
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Errorf("files changed under %s:\nbefore %v\nafter  %v", base, before, after)
	}
	if _, err := os.Lstat("/tmp/trawl-abs-escape.txt"); err == nil {
		t.Error("/tmp/trawl-abs-escape.txt was created")
	}
}
