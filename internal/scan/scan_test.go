package scan

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/model"
)

// osRelease is a tiny analyzer that reports the ID in etc/os-release as a
// package, so a layer's result shows which content was analysed.
type osRelease struct{}

func (osRelease) Name() string                          { return "test-os-release" }
func (osRelease) Version() int                          { return 1 }
func (osRelease) Required(p string, _ fs.FileInfo) bool { return p == "etc/os-release" }
func (osRelease) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: "test", FilePath: in.Path,
		Packages: []model.Package{{Name: strings.TrimSpace(string(in.Content))}}}}}, nil
}

func layerTar(t *testing.T, id string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := []byte("ID=" + id + "\n")
	if err := tw.WriteHeader(&tar.Header{Name: "etc/os-release", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()
	return buf.Bytes()
}

// verifying opens content and fails at EOF unless it hashes to diffID, as
// the image sources do.
func verifying(content []byte, diffID string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		return io.NopCloser(&digestReader{r: bytes.NewReader(content), h: sha256.New(), want: diffID}), nil
	}
}

type digestReader struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.h.Write(p[:n])
	if err == io.EOF {
		if got := "sha256:" + hex.EncodeToString(d.h.Sum(nil)); got != d.want {
			return n, fmt.Errorf("content digest %s does not match diffID %s", got, d.want)
		}
	}
	return n, err
}

// TestForgedLayerIsNotCached: a layer whose content does not match the
// diffID it claims fails the scan and leaves nothing in the cache, so a
// later scan of the real layer analyses the real content.
func TestForgedLayerIsNotCached(t *testing.T) {
	real := layerTar(t, "debian")
	sum := sha256.Sum256(real)
	diffID := "sha256:" + hex.EncodeToString(sum[:])
	c := cache.NewMemory()
	opts := Options{Analyzers: []analyze.Analyzer{osRelease{}}, Cache: c}

	forged := Layer{Layer: model.Layer{DiffID: diffID}, Open: verifying(layerTar(t, "forged"), diffID)}
	_, err := Layers(context.Background(), []Layer{forged}, opts)
	if err == nil || !strings.Contains(err.Error(), "does not match diffID") {
		t.Fatalf("forged layer: %v", err)
	}

	genuine := Layer{Layer: model.Layer{DiffID: diffID}, Open: verifying(real, diffID)}
	inv, err := Layers(context.Background(), []Layer{genuine}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := pkgNames(inv.Applications); got != "ID=debian" {
		t.Fatalf("real layer after the forged one: %q", got)
	}

	// A verified layer is cached: a third scan does not open it.
	opened := false
	cached := Layer{Layer: model.Layer{DiffID: diffID}, Open: func() (io.ReadCloser, error) {
		opened = true
		return nil, errors.New("should come from the cache")
	}}
	inv, err = Layers(context.Background(), []Layer{cached}, opts)
	if err != nil || opened || pkgNames(inv.Applications) != "ID=debian" {
		t.Fatalf("cached layer: opened=%v err=%v", opened, err)
	}
}

func pkgNames(sets []analyze.PackageSet) string {
	var out []string
	for _, s := range sets {
		for _, p := range s.Packages {
			out = append(out, p.Name)
		}
	}
	return strings.Join(out, ",")
}
