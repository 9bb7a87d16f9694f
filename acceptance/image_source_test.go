package acceptance

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/source/image"
)

// savedImage is what a test reads independently from an image input.
type savedImage struct {
	configDigest string   // sha256 of the config bytes
	diffIDs      []string // from the config
	createdBy    []string // history, empty_layer entries skipped
	repoTags     []string // docker-save only
	layerDigests []string // OCI only
	layerSizes   []int64  // OCI only
	layerPaths   []string // docker-save only: members named in manifest.json
	manifest     string   // OCI only: manifest digest from index.json
}

type configDoc struct {
	RootFS struct {
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []struct {
		CreatedBy  string `json:"created_by"`
		EmptyLayer bool   `json:"empty_layer"`
	} `json:"history"`
}

func fromConfig(t *testing.T, raw []byte) savedImage {
	t.Helper()
	var c configDoc
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(raw)
	si := savedImage{configDigest: "sha256:" + hex.EncodeToString(s[:]), diffIDs: c.RootFS.DiffIDs}
	for _, h := range c.History {
		if !h.EmptyLayer {
			si.createdBy = append(si.createdBy, h.CreatedBy)
		}
	}
	return si
}

// tarMembers reads all regular members of a (possibly gzipped) tar whose
// names are wanted; with wanted nil it reads only manifest.json first.
func tarMembers(t *testing.T, p string, wanted func(string) bool) map[string][]byte {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	var magic [2]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if magic == [2]byte{0x1f, 0x8b} {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out := map[string][]byte{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag == tar.TypeReg && wanted(name) {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = b
		}
	}
}

// readDockerSave reads manifest.json and the config of a docker-save tar.
func readDockerSave(t *testing.T, p string) savedImage {
	t.Helper()
	m := tarMembers(t, p, func(n string) bool { return n == "manifest.json" })
	var man []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(m["manifest.json"], &man); err != nil || len(man) != 1 {
		t.Fatalf("%s: manifest.json: %v (%d images)", p, err, len(man))
	}
	cfgName := path.Clean(man[0].Config)
	c := tarMembers(t, p, func(n string) bool { return n == cfgName })
	si := fromConfig(t, c[cfgName])
	if len(man[0].Layers) != len(si.diffIDs) {
		t.Fatalf("%s: %d layers vs %d diff_ids", p, len(man[0].Layers), len(si.diffIDs))
	}
	si.repoTags = man[0].RepoTags
	for _, l := range man[0].Layers {
		si.layerPaths = append(si.layerPaths, path.Clean(l))
	}
	return si
}

// readOCILayout follows index.json → manifest → config in a layout dir.
func readOCILayout(t *testing.T, dir string) savedImage {
	t.Helper()
	type desc struct {
		Digest string
		Size   int64
	}
	blob := func(d string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, "blobs", strings.Replace(d, ":", string(filepath.Separator), 1)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ib, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct{ Manifests []desc }
	if err := json.Unmarshal(ib, &idx); err != nil || len(idx.Manifests) != 1 {
		t.Fatalf("index.json: %v (%d manifests)", err, len(idx.Manifests))
	}
	var man struct {
		Config desc
		Layers []desc
	}
	if err := json.Unmarshal(blob(idx.Manifests[0].Digest), &man); err != nil {
		t.Fatal(err)
	}
	si := fromConfig(t, blob(man.Config.Digest))
	si.manifest = idx.Manifests[0].Digest
	if si.configDigest != man.Config.Digest {
		t.Fatalf("config digest %s vs manifest %s", si.configDigest, man.Config.Digest)
	}
	for _, l := range man.Layers {
		si.layerDigests = append(si.layerDigests, l.Digest)
		si.layerSizes = append(si.layerSizes, l.Size)
	}
	return si
}

// streamDigest hashes a layer's uncompressed stream independently.
func streamDigest(t *testing.T, l image.Layer) string {
	t.Helper()
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatalf("layer %s: %v", l.DiffID, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func compareImage(t *testing.T, img *image.Image, want savedImage, hashLayers func(i int) bool) {
	t.Helper()
	if img.ID() != want.configDigest {
		t.Errorf("ID() = %s, want %s", img.ID(), want.configDigest)
	}
	if !slices.Equal(img.RepoTags(), want.repoTags) {
		t.Errorf("RepoTags() = %v, want %v", img.RepoTags(), want.repoTags)
	}
	layers := img.Layers()
	if len(layers) != len(want.diffIDs) {
		t.Fatalf("%d layers, want %d", len(layers), len(want.diffIDs))
	}
	for i, l := range layers {
		if l.DiffID != want.diffIDs[i] {
			t.Errorf("layer %d DiffID = %s, want %s", i, l.DiffID, want.diffIDs[i])
		}
		if i < len(want.createdBy) && l.CreatedBy != want.createdBy[i] {
			t.Errorf("layer %d CreatedBy = %q, want %q", i, l.CreatedBy, want.createdBy[i])
		}
		if want.layerDigests != nil && (l.Digest != want.layerDigests[i] || l.Size != want.layerSizes[i]) {
			t.Errorf("layer %d = %s/%d, want %s/%d", i, l.Digest, l.Size, want.layerDigests[i], want.layerSizes[i])
		}
		if hashLayers(i) {
			if got := streamDigest(t, l); got != want.diffIDs[i] {
				t.Errorf("layer %d stream digest %s, want diffID %s", i, got, want.diffIDs[i])
			}
		}
	}
}

func TestImageSourceAlpine(t *testing.T) {
	for _, name := range []string{"alpine-310.tar.gz", "alpine-311.tar.gz"} {
		t.Run(name, func(t *testing.T) {
			p := corpus(t, "images", name)
			want := readDockerSave(t, p)
			tmp := t.TempDir()
			img, err := image.Open(context.Background(), "", image.Options{Input: p, TempDir: tmp})
			if err != nil {
				t.Fatal(err)
			}
			compareImage(t, img, want, func(int) bool { return true })
			if img.ConfigFile().OS != "linux" {
				t.Errorf("config OS = %q", img.ConfigFile().OS)
			}
			if err := img.Close(); err != nil {
				t.Fatal(err)
			}
			if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
				t.Errorf("temp files left after Close: %v", ents)
			}
		})
	}
}

func TestImageSourceDebianTarAndOCI(t *testing.T) {
	tarPath := corpus(t, "images", "debian12-app.tar")
	ociPath := corpus(t, "images", "debian12-app.oci")
	ctx := context.Background()

	wantTar := readDockerSave(t, tarPath)
	fromTar, err := image.Open(ctx, "", image.Options{Input: tarPath})
	if err != nil {
		t.Fatal(err)
	}
	defer fromTar.Close()
	compareImage(t, fromTar, wantTar, func(int) bool { return true })
	for i, l := range fromTar.Layers() {
		if l.Digest != "" {
			t.Errorf("docker-save layer %d reports Digest %s; the archive does not record it", i, l.Digest)
		}
	}

	wantOCI := readOCILayout(t, ociPath)
	for _, input := range []string{ociPath, ociPath + ":latest", ociPath + "@" + wantOCI.manifest} {
		fromOCI, err := image.Open(ctx, "", image.Options{Input: input})
		if err != nil {
			t.Fatal(err)
		}
		// Hash only the small last layer here; the tar pass hashed them all.
		last := len(wantOCI.diffIDs) - 1
		compareImage(t, fromOCI, wantOCI, func(i int) bool { return i == last })

		// The same image written twice: identical config and layers.
		if fromOCI.ID() != fromTar.ID() {
			t.Errorf("OCI ID %s != tar ID %s", fromOCI.ID(), fromTar.ID())
		}
		if !bytes.Equal(fromOCI.RawConfig(), fromTar.RawConfig()) {
			t.Error("OCI and tar configs differ")
		}
		var a, b []string
		for _, l := range fromOCI.Layers() {
			a = append(a, l.DiffID)
		}
		for _, l := range fromTar.Layers() {
			b = append(b, l.DiffID)
		}
		if !slices.Equal(a, b) {
			t.Errorf("diffIDs differ: OCI %v, tar %v", a, b)
		}
		fromOCI.Close()
	}

	// Docker-save layer sizes are the sizes of the members in the archive.
	sizes := map[string]int64{}
	f, err := os.Open(tarPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		sizes[path.Clean(h.Name)] = h.Size
	}
	var got []int64
	for _, l := range fromTar.Layers() {
		got = append(got, l.Size)
	}
	var wantSizes []int64
	for _, p := range wantTar.layerPaths {
		wantSizes = append(wantSizes, sizes[p])
	}
	if fmt.Sprint(got) != fmt.Sprint(wantSizes) {
		t.Errorf("docker-save layer sizes %v, want %v", got, wantSizes)
	}
}
