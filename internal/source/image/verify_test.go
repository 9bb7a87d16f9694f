package image_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/trawlsec/trawl/internal/source/image"
)

// ociLayoutWithLayer writes an OCI layout directory whose one layer blob is
// stored as blob (compressed or not) under digest, with a descriptor that
// claims size, and whose config claims diffID.
func ociLayoutWithLayer(t *testing.T, blob []byte, digest string, size int64, diffID string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := mustJSON(t, map[string]any{"architecture": "amd64", "os": "linux",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}}})
	man := mustJSON(t, map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg), "digest": "sha256:" + sha256Hex(cfg)},
		"layers": []any{map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": size, "digest": digest}}})
	idx := mustJSON(t, map[string]any{"schemaVersion": 2, "manifests": []any{map[string]any{
		"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": len(man), "digest": "sha256:" + sha256Hex(man)}}})
	blobs := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		filepath.Join(blobs, sha256Hex(cfg)):                        cfg,
		filepath.Join(blobs, sha256Hex(man)):                        man,
		filepath.Join(blobs, strings.TrimPrefix(digest, "sha256:")): blob,
		filepath.Join(dir, "index.json"):                            idx,
		filepath.Join(dir, "oci-layout"):                            []byte(`{"imageLayoutVersion":"1.0.0"}`),
	} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gzipLevel(t *testing.T, b []byte, level int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestLayerVerification: every layer is checked against its diffID and,
// where the source names them, the stored blob's digest and size — also
// when the tar inside ends early and data follows it.
func TestLayerVerification(t *testing.T) {
	layer := tarOf(t, map[string]string{"etc/os-release": "ID=alpine\n"})
	diffID := "sha256:" + sha256Hex(layer)
	good := gzipLevel(t, layer, gzip.BestCompression)
	goodDigest := "sha256:" + sha256Hex(good)
	// The same uncompressed content compressed otherwise: the diffID
	// matches, the blob digest does not.
	other := gzipLevel(t, layer, gzip.BestSpeed)
	padded := append(bytes.Clone(layer), make([]byte, 4096)...)
	appended := append(bytes.Clone(layer), []byte("not part of the diffID")...)

	for _, tc := range []struct {
		name    string
		dir     func(t *testing.T) string
		openErr string // error from image.Open
		readErr string // error reading the layer to EOF
	}{
		{name: "valid", dir: func(t *testing.T) string { return ociLayoutWithLayer(t, good, goodDigest, int64(len(good)), diffID) }},
		{name: "blob digest mismatch", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, other, goodDigest, int64(len(other)), diffID)
		}, readErr: "blob digest sha256:" + sha256Hex(other) + " does not match the manifest's " + goodDigest},
		{name: "blob larger than its descriptor", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, good, goodDigest, int64(len(good))-1, diffID)
		}, openErr: "the manifest says"},
		{name: "trailing data after the gzip stream", dir: func(t *testing.T) string {
			b := append(bytes.Clone(good), make([]byte, 100)...)
			return ociLayoutWithLayer(t, b, "sha256:"+sha256Hex(b), int64(len(b)), diffID)
		}, readErr: "gzip"},
		{name: "data after the tar end blocks", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, appended, "sha256:"+sha256Hex(appended), int64(len(appended)), diffID)
		}, readErr: "does not match diffID " + diffID},
		{name: "zero padding counts toward the diffID", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, padded, "sha256:"+sha256Hex(padded), int64(len(padded)), diffID)
		}, readErr: "does not match diffID"},
		{name: "diff_id of another algorithm", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, good, goodDigest, int64(len(good)), "md5:d41d8cd98f00b204e9800998ecf8427e")
		}, openErr: "md5"},
		{name: "diff_id in upper-case hex", dir: func(t *testing.T) string {
			return ociLayoutWithLayer(t, good, goodDigest, int64(len(good)), strings.ToUpper(diffID))
		}, openErr: "corrupt image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := image.Open(context.Background(), "", image.Options{Input: tc.dir(t)})
			if tc.openErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.openErr) {
					t.Fatalf("Open: %v, want %q", err, tc.openErr)
				}
				errIs(t, err, image.ErrCorrupt)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer img.Close()
			_, err = readLayer(img.Layers()[0])
			if tc.readErr == "" {
				if err != nil {
					t.Fatalf("valid layer: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.readErr) {
				t.Fatalf("read: %v, want %q", err, tc.readErr)
			}
			errIs(t, err, image.ErrCorrupt)
		})
	}
}

// TestDockerSaveBlobDigest: Docker 25+ archives store layers under their
// digest; a layer file whose name does not match its content is refused
// even when the config's diffID was forged to match the content.
func TestDockerSaveBlobDigest(t *testing.T) {
	layer := tarOf(t, map[string]string{"etc/debian_version": "12.15\n"})
	diffID := "sha256:" + sha256Hex(layer)
	claimed := strings.Repeat("c", 64)
	cfg := mustJSON(t, map[string]any{"architecture": "amd64", "os": "linux",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}}})
	manifest := mustJSON(t, []map[string]any{{"Config": "blobs/sha256/" + sha256Hex(cfg), "Layers": []string{"blobs/sha256/" + claimed}}})
	b := rawTar(t, []rawEntry{
		{name: "blobs/sha256/" + sha256Hex(cfg), body: cfg},
		{name: "blobs/sha256/" + claimed, body: layer},
		{name: "manifest.json", body: manifest},
	})
	img, err := image.Open(context.Background(), "", image.Options{Input: writeFile(t, t.TempDir(), "d.tar", b)})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	_, err = readLayer(img.Layers()[0])
	if err == nil || !strings.Contains(err.Error(), "sha256:"+claimed) {
		t.Fatalf("read: %v, want a digest mismatch naming sha256:%s", err, claimed)
	}
}

// TestIndexFanOut: nested indexes whose entries all name the same index
// again are expanded once each (without that, four levels of 1000 entries
// are 10^12 visits), and an index listing more manifests than any real one
// is refused.
func TestIndexFanOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "layout")
	writeLayout(t, dir, threeLayers(t), "fan")
	var top struct {
		Manifests []map[string]any `json:"manifests"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &top); err != nil || len(top.Manifests) != 1 {
		t.Fatalf("index.json: %v", err)
	}
	writeBlob := func(b []byte) map[string]any {
		if err := os.WriteFile(filepath.Join(dir, "blobs", "sha256", sha256Hex(b)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return map[string]any{"mediaType": "application/vnd.oci.image.index.v1+json", "size": len(b), "digest": "sha256:" + sha256Hex(b)}
	}
	repeat := func(d map[string]any, n int) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = d
		}
		return out
	}
	level := top.Manifests[0]
	for range 3 {
		level = writeBlob(mustJSON(t, map[string]any{"schemaVersion": 2, "manifests": repeat(level, 1000)}))
	}
	writeIndex := func(entries []map[string]any) {
		if err := os.WriteFile(filepath.Join(dir, "index.json"), mustJSON(t, map[string]any{"schemaVersion": 2, "manifests": entries}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeIndex(repeat(level, 1000))
	img, err := image.Open(context.Background(), "", image.Options{Input: dir})
	if err != nil {
		t.Fatalf("fanned-out index: %v", err)
	}
	img.Close()

	// More distinct entries than the limit.
	var many []map[string]any
	for i := range 10_001 {
		many = append(many, map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 2,
			"digest": "sha256:" + sha256Hex([]byte(strconv.Itoa(i)))})
	}
	writeIndex(many)
	_, err = image.Open(context.Background(), "", image.Options{Input: dir})
	errIs(t, err, image.ErrTooLarge)
}
