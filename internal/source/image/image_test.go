package image_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/trawlsec/trawl/internal/source/image"
)

// legacyDockerSave hand-writes a docker-save archive in the pre-1.10 style
// layout (<id>/layer.tar, <id>/json, VERSION, repositories), with the second
// layer a symlink to the first as old Docker wrote duplicate layers.
func legacyDockerSave(t testing.TB) ([]byte, want) {
	t.Helper()
	files := map[string]string{"etc/alpine-release": "3.10.4\n"}
	layer := tarOf(t, files)
	diffID := "sha256:" + sha256Hex(layer)
	cfg := mustJSON(t, map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"config":       map[string]any{"Env": []string{"PATH=/bin"}},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{diffID, diffID}},
		"history": []map[string]any{
			{"created_by": "ADD file:x in /"},
			{"created_by": "CMD [\"/bin/sh\"]", "empty_layer": true},
			{"created_by": "RUN true"},
		},
	})
	cfgName := sha256Hex(cfg) + ".json"
	id1, id2 := strings.Repeat("a", 64), strings.Repeat("b", 64)
	manifest := mustJSON(t, []map[string]any{{
		"Config": cfgName, "RepoTags": []string{"legacy:1.0"},
		"Layers": []string{id1 + "/layer.tar", id2 + "/layer.tar"},
	}})
	b := rawTar(t, []rawEntry{
		{name: id1 + "/", typeflag: tar.TypeDir},
		{name: id1 + "/VERSION", body: []byte("1.0")},
		{name: id1 + "/json", body: []byte(`{"id":"` + id1 + `"}`)},
		{name: id1 + "/layer.tar", body: layer},
		{name: id2 + "/", typeflag: tar.TypeDir},
		{name: id2 + "/layer.tar", typeflag: tar.TypeSymlink, linkname: "../" + id1 + "/layer.tar"},
		{name: cfgName, body: cfg},
		{name: "manifest.json", body: manifest},
		{name: "repositories", body: []byte(`{"legacy":{"1.0":"` + id2 + `"}}`)},
	})
	return b, want{
		id:        "sha256:" + sha256Hex(cfg),
		diffIDs:   []string{diffID, diffID},
		createdBy: []string{"ADD file:x in /", "RUN true"},
		files:     []map[string]string{files, files},
	}
}

// docker25Save hand-writes the archive `docker save` produces since Docker
// 25: an OCI layout (index.json, blobs/sha256/…) plus a manifest.json whose
// paths point into blobs/.
func docker25Save(t testing.TB) ([]byte, want) {
	t.Helper()
	files := map[string]string{"etc/debian_version": "12.15\n"}
	layer := tarOf(t, files)
	diffID := "sha256:" + sha256Hex(layer)
	cfg := mustJSON(t, map[string]any{"architecture": "amd64", "os": "linux",
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{diffID}},
		"history": []map[string]any{{"created_by": "ADD rootfs"}}})
	ociManifest := mustJSON(t, map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg), "digest": "sha256:" + sha256Hex(cfg)},
		"layers": []any{map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(layer), "digest": diffID}}})
	index := mustJSON(t, map[string]any{"schemaVersion": 2, "manifests": []any{map[string]any{
		"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": len(ociManifest), "digest": "sha256:" + sha256Hex(ociManifest),
		"annotations": map[string]string{"io.containerd.image.name": "docker.io/library/app:25", "org.opencontainers.image.ref.name": "25"}}}})
	manifest := mustJSON(t, []map[string]any{{"Config": "blobs/sha256/" + sha256Hex(cfg), "RepoTags": []string{"app:25"},
		"Layers": []string{"blobs/sha256/" + sha256Hex(layer)}}})
	b := rawTar(t, []rawEntry{
		{name: "blobs/", typeflag: tar.TypeDir},
		{name: "blobs/sha256/", typeflag: tar.TypeDir},
		{name: "blobs/sha256/" + sha256Hex(cfg), body: cfg},
		{name: "blobs/sha256/" + sha256Hex(layer), body: layer},
		{name: "blobs/sha256/" + sha256Hex(ociManifest), body: ociManifest},
		{name: "index.json", body: index},
		{name: "manifest.json", body: manifest},
		{name: "oci-layout", body: []byte(`{"imageLayoutVersion":"1.0.0"}`)},
	})
	return b, want{id: "sha256:" + sha256Hex(cfg), diffIDs: []string{diffID}, createdBy: []string{"ADD rootfs"},
		files: []map[string]string{files}}
}

func TestOpenSources(t *testing.T) {
	ctx := context.Background()
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	dir := t.TempDir()

	save := writeDockerSave(t, "example.com/app:1.0", img)
	layoutDir := filepath.Join(dir, "layout")
	writeLayout(t, layoutDir, img, "app:1.0")
	ociTar := tarDir(t, layoutDir)
	manifestDigest, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	legacy, legacyWant := legacyDockerSave(t)
	d25, d25Want := docker25Save(t)

	tests := []struct {
		name       string
		input      string
		w          want
		repoTags   []string
		wantDigest bool
	}{
		{"docker-save tar", writeFile(t, dir, "save.tar", save), w, []string{"example.com/app:1.0"}, false},
		{"docker-save tar.gz", writeFile(t, dir, "save.tgz.bin", gzipOf(t, save)), w, []string{"example.com/app:1.0"}, false},
		{"docker-save tar.zst", writeFile(t, dir, "save.tar.zst", zstdOf(t, save)), w, []string{"example.com/app:1.0"}, false},
		{"legacy docker-save", writeFile(t, dir, "legacy.tar", legacy), legacyWant, []string{"legacy:1.0"}, false},
		{"legacy docker-save gz", writeFile(t, dir, "legacy.tar.gz", gzipOf(t, legacy)), legacyWant, []string{"legacy:1.0"}, false},
		{"docker 25 save", writeFile(t, dir, "d25.tar", d25), d25Want, []string{"app:25"}, false},
		{"docker 25 save as OCI", filepath.Join(dir, "d25.tar") + ":25", d25Want, nil, true},
		{"oci layout", layoutDir, w, nil, true},
		{"oci layout:tag", layoutDir + ":1.0", w, nil, true},
		{"oci layout@digest", layoutDir + "@" + manifestDigest.String(), w, nil, true},
		{"oci archive", writeFile(t, dir, "oci.tar", ociTar), w, nil, true},
		{"oci archive gz", writeFile(t, dir, "oci.tar.gz", gzipOf(t, ociTar)), w, nil, true},
		{"oci archive:tag", filepath.Join(dir, "oci.tar") + ":1.0", w, nil, true},
		{"oci archive@digest", filepath.Join(dir, "oci.tar") + "@" + manifestDigest.String(), w, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := image.Open(ctx, "", image.Options{Input: tt.input, TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			if got.Name() != tt.input {
				t.Errorf("Name() = %q, want %q", got.Name(), tt.input)
			}
			if fmt.Sprint(got.RepoTags()) != fmt.Sprint(tt.repoTags) {
				t.Errorf("RepoTags() = %v, want %v", got.RepoTags(), tt.repoTags)
			}
			for i, l := range got.Layers() {
				if (l.Digest != "") != tt.wantDigest {
					t.Errorf("layer %d Digest = %q, want known=%v", i, l.Digest, tt.wantDigest)
				}
			}
			check(t, got, tt.w)
		})
	}

	t.Run("layer after close", func(t *testing.T) {
		got, err := image.Open(ctx, "", image.Options{Input: filepath.Join(dir, "save.tar")})
		if err != nil {
			t.Fatal(err)
		}
		if err := got.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := got.Layers()[0].Open(); err == nil {
			t.Error("Layer.Open after Close succeeded")
		}
	})

	// A reference given with --input selects the image of that name (and
	// names the report after it); one the archive does not hold is an
	// error, never a label for another image.
	for _, ref := range []string{"example.com/app:1.0", "app:1.0"} {
		t.Run("selected by "+ref, func(t *testing.T) {
			got, err := image.Open(ctx, ref, image.Options{Input: filepath.Join(dir, "save.tar")})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			if got.Name() != ref {
				t.Errorf("Name() = %q", got.Name())
			}
		})
	}
	for _, input := range []string{"save.tar", "layout"} {
		t.Run("unknown name with "+input, func(t *testing.T) {
			_, err := image.Open(ctx, "alpine:3.19", image.Options{Input: filepath.Join(dir, input)})
			errIs(t, err, image.ErrNotFound)
			if err == nil || !strings.Contains(err.Error(), "alpine:3.19") {
				t.Errorf("error = %v", err)
			}
		})
	}
}

// TestLayerDigests checks that OCI sources report the stored blob digests.
func TestLayerDigests(t *testing.T) {
	img := threeLayers(t)
	dir := filepath.Join(t.TempDir(), "layout")
	writeLayout(t, dir, img, "x")
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	got, err := image.Open(context.Background(), "", image.Options{Input: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	for i, l := range got.Layers() {
		if l.Digest != m.Layers[i].Digest.String() || l.Size != m.Layers[i].Size {
			t.Errorf("layer %d = %s/%d, want %s/%d", i, l.Digest, l.Size, m.Layers[i].Digest, m.Layers[i].Size)
		}
	}
}

// multiPlatform builds an index of linux/amd64 and linux/arm64/v8 images.
func multiPlatform(t testing.TB) (v1.ImageIndex, map[string]want) {
	t.Helper()
	amdSpec := layerSpec{files: map[string]string{"arch": "amd64"}, compression: "gzip", createdBy: "amd"}
	armSpec := layerSpec{files: map[string]string{"arch": "arm64"}, compression: "zstd", createdBy: "arm"}
	arm := v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	amdImg := makeImage(t, linuxAMD64, amdSpec)
	armImg := makeImage(t, arm, armSpec)
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex),
		mutate.IndexAddendum{Add: amdImg, Descriptor: v1.Descriptor{Platform: &linuxAMD64}},
		mutate.IndexAddendum{Add: armImg, Descriptor: v1.Descriptor{Platform: &arm}},
	)
	return idx, map[string]want{"amd64": wantOf(t, amdImg, amdSpec), "arm64": wantOf(t, armImg, armSpec)}
}

func TestPlatformSelection(t *testing.T) {
	ctx := context.Background()
	idx, wants := multiPlatform(t)
	dir := t.TempDir()

	// Flat: index.json lists the platform manifests directly.
	flat := filepath.Join(dir, "flat")
	if _, err := layout.Write(flat, idx); err != nil {
		t.Fatal(err)
	}
	// Nested: index.json → image index → platform manifests.
	nested := filepath.Join(dir, "nested")
	p, err := layout.Write(nested, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "multi"})); err != nil {
		t.Fatal(err)
	}
	nestedTar := writeFile(t, dir, "nested.tar", tarDir(t, nested))

	for _, src := range []string{flat, nested, nested + ":multi", nestedTar} {
		for _, tt := range []struct {
			platform string
			arch     string
		}{
			{"", "amd64"},
			{"linux/amd64", "amd64"},
			{"linux/arm64", "arm64"},
			{"linux/arm64/v8", "arm64"},
		} {
			t.Run(filepath.Base(src)+" "+tt.platform, func(t *testing.T) {
				got, err := image.Open(ctx, "", image.Options{Input: src, Platform: tt.platform})
				if err != nil {
					t.Fatal(err)
				}
				defer got.Close()
				check(t, got, wants[tt.arch])
				if got.ConfigFile().Architecture != tt.arch {
					t.Errorf("Architecture = %s", got.ConfigFile().Architecture)
				}
			})
		}
		t.Run(filepath.Base(src)+" missing platform", func(t *testing.T) {
			_, err := image.Open(ctx, "", image.Options{Input: src, Platform: "linux/s390x"})
			var pe *image.PlatformError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a PlatformError", err)
			}
			const msg = "image index has no linux/s390x manifest (available: linux/amd64, linux/arm64/v8)"
			if !strings.HasSuffix(err.Error(), msg) || !strings.Contains(err.Error(), filepath.Base(strings.TrimSuffix(src, ":multi"))) {
				t.Errorf("error = %q, want it to name the input and end in %q", err, msg)
			}
		})
	}

	t.Run("invalid platform", func(t *testing.T) {
		_, err := image.Open(ctx, "", image.Options{Input: flat, Platform: "linux"})
		if err == nil || !strings.Contains(err.Error(), "invalid platform") {
			t.Fatalf("error = %v", err)
		}
	})
}

// TestSingleImageWithPlatform: a lone manifest whose descriptor records a
// platform other than the requested one is refused, as Docker does.
func TestSingleImageWithPlatform(t *testing.T) {
	arm := v1.Platform{OS: "linux", Architecture: "arm64"}
	img := makeImage(t, arm, layerSpec{files: map[string]string{"a": "b"}})
	dir := filepath.Join(t.TempDir(), "l")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithPlatform(arm)); err != nil {
		t.Fatal(err)
	}
	_, err = image.Open(context.Background(), "", image.Options{Input: dir})
	var pe *image.PlatformError
	if !errors.As(err, &pe) || pe.Want != "linux/amd64" || fmt.Sprint(pe.Available) != "[linux/arm64]" {
		t.Fatalf("error = %v", err)
	}
	got, err := image.Open(context.Background(), "", image.Options{Input: dir, Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	got.Close()
}

// TestOCISelectors covers tag and digest selection in a layout with two
// images, and the errors when the selection is missing or ambiguous.
func TestOCISelectors(t *testing.T) {
	ctx := context.Background()
	specA := layerSpec{files: map[string]string{"a": "A"}, createdBy: "a"}
	specB := layerSpec{files: map[string]string{"b": "B"}, createdBy: "b"}
	imgA, imgB := makeImage(t, linuxAMD64, specA), makeImage(t, linuxAMD64, specB)
	dir := filepath.Join(t.TempDir(), "two")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		img v1.Image
		ref string
	}{{imgA, "repo/a:latest"}, {imgB, "b"}} {
		if err := p.AppendImage(x.img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": x.ref})); err != nil {
			t.Fatal(err)
		}
	}
	dB, _ := imgB.Digest()

	for _, tt := range []struct {
		input string
		w     want
	}{
		{dir + ":latest", wantOf(t, imgA, specA)},
		{dir + ":b", wantOf(t, imgB, specB)},
		{dir + "@" + dB.String(), wantOf(t, imgB, specB)},
	} {
		t.Run(filepath.Base(tt.input), func(t *testing.T) {
			got, err := image.Open(ctx, "", image.Options{Input: tt.input})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			check(t, got, tt.w)
		})
	}
	for _, tt := range []struct {
		input  string
		target error
		msg    string
	}{
		{dir, image.ErrNotImage, "holds 2 images"},
		{dir + ":nope", image.ErrNotFound, `no image tagged "nope" (available: repo/a:latest, b)`},
		{dir + "@sha256:" + strings.Repeat("0", 64), image.ErrNotFound, "no manifest with digest"},
	} {
		t.Run("error "+filepath.Base(tt.input), func(t *testing.T) {
			_, err := image.Open(ctx, "", image.Options{Input: tt.input})
			errIs(t, err, tt.target)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestConcurrentLayerReads(t *testing.T) {
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	dir := t.TempDir()
	in := writeFile(t, dir, "save.tar.gz", gzipOf(t, writeDockerSave(t, "x:y", img)))
	got, err := image.Open(context.Background(), "", image.Options{Input: in, TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 10 {
		for i, l := range got.Layers() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				files, err := readLayer(l)
				if err == nil && !mapsEqual(files, w.files[i]) {
					err = fmt.Errorf("layer %d: files %v", i, files)
				}
				if err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCloseRemovesTemp checks that the decompressed copy of a gzipped
// archive lives in TempDir only until Close.
func TestCloseRemovesTemp(t *testing.T) {
	in := writeFile(t, t.TempDir(), "save.tar.gz", gzipOf(t, writeDockerSave(t, "x:y", threeLayers(t))))
	tmp := t.TempDir()
	got, err := image.Open(context.Background(), "", image.Options{Input: in, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 1 {
		t.Errorf("temp dir holds %d files while open, want 1", len(ents))
	}
	if err := got.Close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temp dir holds %v after Close", ents)
	}
}

// TestDiffIDMismatch: a layer whose content does not hash to its diffID is
// reported when read to the end.
func TestDiffIDMismatch(t *testing.T) {
	b, _ := legacyDockerSave(t)
	// Flip one byte of the file content inside the layer tar.
	i := bytes.Index(b, []byte("3.10.4\n"))
	if i < 0 {
		t.Fatal("fixture content not found")
	}
	b = bytes.Clone(b)
	b[i] = '4'
	in := writeFile(t, t.TempDir(), "bad.tar", b)
	got, err := image.Open(context.Background(), "", image.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	_, err = readLayer(got.Layers()[0])
	errIs(t, err, image.ErrCorrupt)
	if !strings.Contains(err.Error(), "does not match diffID") {
		t.Errorf("error = %v", err)
	}
}

// TestTruncatedLayer: a layer blob cut short is reported when read.
func TestTruncatedLayer(t *testing.T) {
	files := map[string]string{"big": strings.Repeat("0123456789abcdef", 4096)}
	layer := gzipOf(t, tarOf(t, files))
	diffID := "sha256:" + sha256Hex(tarOf(t, files))
	cfg := mustJSON(t, map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}}})
	man := mustJSON(t, []map[string]any{{"Config": "c.json", "Layers": []string{"l.tar.gz"}}})
	b := rawTar(t, []rawEntry{
		{name: "c.json", body: cfg},
		{name: "l.tar.gz", body: layer[:len(layer)/2]},
		{name: "manifest.json", body: man},
	})
	in := writeFile(t, t.TempDir(), "t.tar", b)
	got, err := image.Open(context.Background(), "", image.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	_, err = readLayer(got.Layers()[0])
	errIs(t, err, image.ErrCorrupt)
	if !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), "l.tar.gz") {
		t.Errorf("error = %v", err)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := image.Open(ctx, "", image.Options{Input: "whatever"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
}

func TestNoInput(t *testing.T) {
	if _, err := image.Open(context.Background(), "", image.Options{}); err == nil {
		t.Fatal("want an error")
	}
}
