package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"runtime"
	"testing"
)

// buildTar writes name/content pairs (in order) as a tar.
func buildTar(t testing.TB, kv ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		if err := tw.WriteHeader(&tar.Header{Name: kv[i], Mode: 0o644, Size: int64(len(kv[i+1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(kv[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seedArchives returns a small docker-save and a small OCI archive.
func seedArchives(t testing.TB) [][]byte {
	layer := string(buildTar(t, "etc/os-release", "ID=fuzz\n"))
	sum := sha256.Sum256([]byte(layer))
	diffID := "sha256:" + hex.EncodeToString(sum[:])
	cfg, _ := json.Marshal(map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{diffID}},
		"history": []map[string]any{{"created_by": "ADD x"}}})
	man, _ := json.Marshal([]map[string]any{{"Config": "c.json", "RepoTags": []string{"f:1"}, "Layers": []string{"l/layer.tar"}}})
	docker := buildTar(t, "c.json", string(cfg), "l/layer.tar", layer, "manifest.json", string(man))

	digest := func(b string) string { s := sha256.Sum256([]byte(b)); return "sha256:" + hex.EncodeToString(s[:]) }
	desc := func(mt, b string) map[string]any {
		return map[string]any{"mediaType": mt, "size": len(b), "digest": digest(b)}
	}
	m, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": desc("application/vnd.oci.image.config.v1+json", string(cfg)),
		"layers": []any{desc("application/vnd.oci.image.layer.v1.tar", layer)}})
	idx, _ := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": []any{
		map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": len(m), "digest": digest(string(m)),
			"annotations": map[string]string{refNameAnnotation: "f:1"}, "platform": map[string]string{"os": "linux", "architecture": "amd64"}}}})
	blob := func(b string) string { return "blobs/sha256/" + digest(b)[7:] }
	oci := buildTar(t, "oci-layout", `{"imageLayoutVersion":"1.0.0"}`, "index.json", string(idx),
		blob(string(m)), string(m), blob(string(cfg)), string(cfg), blob(layer), layer)
	return [][]byte{docker, oci}
}

// TestSeedArchives makes sure the fuzz seeds are valid images, so that the
// fuzzer starts from inputs that reach the manifest and layer code.
func TestSeedArchives(t *testing.T) {
	for i, seed := range seedArchives(t) {
		img, err := openBytes(context.Background(), seed)
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		if len(img.Layers()) != 1 || img.Layers()[0].CreatedBy != "ADD x" {
			t.Errorf("seed %d: layers %+v", i, img.Layers())
		}
		rc, err := img.Layers()[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			t.Errorf("seed %d: %v", i, err)
		}
		rc.Close()
	}
}

// openBytes opens an in-memory (uncompressed) archive without touching disk.
func openBytes(ctx context.Context, data []byte) (*Image, error) {
	st := &tarStore{path: "fuzz.tar", ra: bytes.NewReader(data), size: int64(len(data))}
	if err := st.index(ctx, slog.New(slog.DiscardHandler)); err != nil {
		return nil, err
	}
	return openStore(ctx, st, "fuzz", selector{}, Options{MaxJSONSize: 1 << 20})
}

// FuzzArchive fuzzes the in-memory archive reader: tar indexing, docker-save
// and OCI manifests, index/platform resolution and layer decompression. It
// checks that nothing panics, that opening an image allocates memory
// bounded by the input (not by what the input claims), and that a layer
// read to EOF without error hashes to its diffID: a stream that does not
// match is never handed on as good.
func FuzzArchive(f *testing.F) {
	for _, s := range seedArchives(f) {
		f.Add(s)
	}
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, err := openBytes(context.Background(), data)
		runtime.ReadMemStats(&after)
		// Documents are parsed at most a few times each; the bound is
		// generous but linear in the input.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64*uint64(len(data))+64<<20 {
			t.Fatalf("opening %d bytes allocated %d bytes", len(data), grew)
		}
		if err != nil {
			return
		}
		if len(img.Layers()) != len(img.ConfigFile().RootFS.DiffIDs) {
			t.Fatalf("%d layers, %d diff_ids", len(img.Layers()), len(img.ConfigFile().RootFS.DiffIDs))
		}
		for _, l := range img.Layers() {
			rc, err := l.Open()
			if err != nil {
				continue
			}
			h := sha256.New()
			n, err := io.Copy(h, io.LimitReader(rc, 4<<20))
			rc.Close()
			if err != nil || n == 4<<20 {
				continue // refused, or too long to finish here
			}
			if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != l.DiffID {
				t.Fatalf("layer read to EOF without error hashes to %s, its diffID is %s", got, l.DiffID)
			}
		}
	})
}
