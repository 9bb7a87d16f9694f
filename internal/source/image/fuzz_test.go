package image_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/internal/source/image"
)

// FuzzOpenArchive feeds arbitrary bytes to the archive reader (docker-save,
// OCI archive, compressed or not) and reads every layer of whatever opens.
// It must never panic, and an opened image must be self-consistent.
func FuzzOpenArchive(f *testing.F) {
	small := makeImage(f, linuxAMD64, layerSpec{files: map[string]string{"etc/os-release": "ID=x\n"}, compression: "gzip", createdBy: "a"},
		layerSpec{files: map[string]string{"z": "zstd"}, compression: "zstd"})
	save := writeDockerSave(f, "fuzz:1", small)
	legacy, _ := legacyDockerSave(f)
	layoutDir := filepath.Join(f.TempDir(), "layout")
	writeLayout(f, layoutDir, small, "fuzz:1")
	oci := tarDir(f, layoutDir)
	for _, seed := range [][]byte{save, legacy, oci, gzipOf(f, save), zstdOf(f, legacy), save[:len(save)/2], nil, []byte("garbage")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		in := writeFile(t, dir, "in.tar", data)
		img, err := image.Open(context.Background(), "", image.Options{
			Input: in, TempDir: dir, MaxJSONSize: 1 << 20, MaxArchiveSize: 64 << 20,
		})
		if err != nil {
			return
		}
		defer img.Close()
		if img.ConfigFile() == nil || len(img.Layers()) != len(img.ConfigFile().RootFS.DiffIDs) {
			t.Fatalf("inconsistent image: %d layers", len(img.Layers()))
		}
		for _, l := range img.Layers() {
			rc, err := l.Open()
			if err != nil {
				continue
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(rc, 8<<20))
			rc.Close()
		}
	})
}
