package image_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/zstd"

	"github.com/trawlsec/trawl/internal/source/image"
)

// tarOf builds an uncompressed tar holding files (name → content), sorted.
func tarOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawEntry is one member of a hand-made tar.
type rawEntry struct {
	name     string
	body     []byte
	typeflag byte
	linkname string
}

// rawTar writes entries verbatim (no name sanitising), for hostile inputs.
func rawTar(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		tf := e.typeflag
		if tf == 0 {
			tf = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: tf, Linkname: e.linkname, Format: tar.FormatPAX}
		if tf == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if len(e.body) > 0 {
			if _, err := tw.Write(e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdOf(t testing.TB, b []byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// layerSpec describes one test layer.
type layerSpec struct {
	files       map[string]string
	compression string // "gzip", "zstd" or "none"
	createdBy   string
}

func makeLayer(t testing.TB, s layerSpec) v1.Layer {
	t.Helper()
	b := tarOf(t, s.files)
	opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	var l v1.Layer
	var err error
	switch s.compression {
	case "zstd":
		l, err = tarball.LayerFromOpener(opener, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))
	case "none":
		l = static.NewLayer(b, types.OCIUncompressedLayer)
	default:
		l, err = tarball.LayerFromOpener(opener, tarball.WithMediaType(types.OCILayer))
	}
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// makeImage builds an OCI image from layers; an empty_layer history entry
// is inserted after the first layer so CreatedBy mapping is exercised.
func makeImage(t testing.TB, plat v1.Platform, specs ...layerSpec) v1.Image {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, s := range specs {
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: makeLayer(t, s), History: v1.History{CreatedBy: s.createdBy}})
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = plat.OS, plat.Architecture, plat.Variant
	if len(cf.History) > 0 {
		h := append([]v1.History{cf.History[0], {CreatedBy: "ENV A=b", EmptyLayer: true}}, cf.History[1:]...)
		cf.History = h
	}
	cf.Config.Env = []string{"PATH=/bin"}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

var linuxAMD64 = v1.Platform{OS: "linux", Architecture: "amd64"}

// threeLayers is the standard test image: gzip, zstd and uncompressed layers.
func threeLayers(t testing.TB) v1.Image {
	return makeImage(t, linuxAMD64, threeSpecs()...)
}

// writeDockerSave writes img as a docker-save tarball and returns its bytes.
func writeDockerSave(t testing.TB, tag string, img v1.Image) []byte {
	t.Helper()
	ref, err := name.NewTag(tag)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tarball.Write(ref, img, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeLayout writes img to a new OCI layout directory with a ref.name.
func writeLayout(t testing.TB, dir string, img v1.Image, refName string) {
	t.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": refName})); err != nil {
		t.Fatal(err)
	}
}

// tarDir tars a directory tree (an OCI archive when dir is a layout).
func tarDir(t testing.TB, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(fi, "")
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			_, err = tw.Write(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readLayer reads a layer's tar stream to the end and returns its regular
// files; any error (including a diffID mismatch at EOF) is returned.
func readLayer(l image.Layer) (map[string]string, error) {
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	files := map[string]string{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 1<<20))
		if err != nil {
			return nil, err
		}
		files[h.Name] = string(b)
	}
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return nil, err
	}
	return files, nil
}

// want is what an opened image must look like.
type want struct {
	id        string
	diffIDs   []string
	createdBy []string
	files     []map[string]string
}

func wantOf(t testing.TB, img v1.Image, specs ...layerSpec) want {
	t.Helper()
	cn, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	w := want{id: cn.String()}
	for _, d := range cf.RootFS.DiffIDs {
		w.diffIDs = append(w.diffIDs, d.String())
	}
	for _, s := range specs {
		w.createdBy = append(w.createdBy, s.createdBy)
		w.files = append(w.files, s.files)
	}
	return w
}

func threeSpecs() []layerSpec {
	return []layerSpec{
		{files: map[string]string{"etc/os-release": "ID=test\n", "bin/sh": "#!"}, compression: "gzip", createdBy: "ADD rootfs"},
		{files: map[string]string{"usr/lib/zstd.txt": "zstd layer"}, compression: "zstd", createdBy: "RUN zstd"},
		{files: map[string]string{"app/plain.txt": "plain layer"}, compression: "none", createdBy: "COPY plain"},
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// check compares an opened image with w.
func check(t *testing.T, got *image.Image, w want) {
	t.Helper()
	if got.ID() != w.id {
		t.Errorf("ID() = %s, want %s", got.ID(), w.id)
	}
	if d := sha256Hex(got.RawConfig()); "sha256:"+d != w.id {
		t.Errorf("RawConfig digest = %s, want %s", d, w.id)
	}
	if got.ConfigFile() == nil || len(got.ConfigFile().RootFS.DiffIDs) != len(w.diffIDs) {
		t.Fatalf("ConfigFile() diff_ids wrong: %+v", got.ConfigFile())
	}
	ls := got.Layers()
	if len(ls) != len(w.diffIDs) {
		t.Fatalf("%d layers, want %d", len(ls), len(w.diffIDs))
	}
	for i, l := range ls {
		if l.DiffID != w.diffIDs[i] {
			t.Errorf("layer %d DiffID = %s, want %s", i, l.DiffID, w.diffIDs[i])
		}
		if i < len(w.createdBy) && l.CreatedBy != w.createdBy[i] {
			t.Errorf("layer %d CreatedBy = %q, want %q", i, l.CreatedBy, w.createdBy[i])
		}
		if l.Size <= 0 {
			t.Errorf("layer %d Size = %d", i, l.Size)
		}
		if i < len(w.files) {
			files, err := readLayer(l)
			if err != nil {
				t.Fatalf("layer %d: %v", i, err)
			}
			if !mapsEqual(files, w.files[i]) {
				t.Errorf("layer %d files = %v, want %v", i, files, w.files[i])
			}
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// errIs checks err against a sentinel and that it is one line.
func errIs(t *testing.T, err, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", target)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("error %q is not %v", err, target)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}
