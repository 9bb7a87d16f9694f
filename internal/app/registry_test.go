package app

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/model"
)

func tarLayer(t testing.TB, files map[string]string) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for n, body := range files {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// countingCache counts the layer results written to a memory cache.
type countingCache struct {
	*cache.Memory
	mu   sync.Mutex
	puts map[string]int
}

func (c *countingCache) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	c.mu.Lock()
	c.puts[r.Layer.DiffID]++
	c.mu.Unlock()
	return c.Memory.Put(ctx, key, r)
}

// pushTags pushes, to a new registry, one image per tag: a shared Alpine
// base layer and a layer of its own; tag i is created i days before now.
func pushTags(t testing.TB, tags []string, now time.Time) (repo string, base v1.Hash) {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	repo = strings.TrimPrefix(srv.URL, "http://") + "/team/app"
	baseLayer := tarLayer(t, map[string]string{"etc/alpine-release": "3.19.1\n", "etc/os-release": "ID=alpine\nVERSION_ID=3.19.1\n",
		"lib/apk/db/installed": "P:musl\nV:1.2.4-r2\nA:x86_64\n\n"})
	base, _ = baseLayer.DiffID()
	for i, tag := range tags {
		img, err := mutate.AppendLayers(empty.Image, baseLayer, tarLayer(t, map[string]string{"app/version": tag}))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.CreatedAt(img, v1.Time{Time: now.Add(-time.Duration(i) * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		ref, _ := name.NewTag(repo+":"+tag, name.Insecure)
		if err := remote.Write(ref, img); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	return repo, base
}

// TestScanRepository: every selected tag gives one JSON line; the base
// layer the three tags share is analysed once for the whole run.
func TestScanRepository(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	repo, base := pushTags(t, []string{"1.0", "1.1", "2.0"}, now)
	tests := []struct {
		name  string
		ro    RepositoryOptions
		want  []string // tags scanned, in order
		bases int      // analyses of the base layer
	}{
		{"all", RepositoryOptions{}, []string{"1.0", "1.1", "2.0"}, 1},
		{"regex", RepositoryOptions{TagRegex: regexp.MustCompile(`^1\.`)}, []string{"1.0", "1.1"}, 1},
		{"limit", RepositoryOptions{Limit: 2}, []string{"1.0", "1.1"}, 1},
		{"since", RepositoryOptions{Since: now.Add(-36 * time.Hour)}, []string{"1.0", "1.1"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countingCache{Memory: cache.NewMemory(), puts: map[string]int{}}
			var out bytes.Buffer
			tt.ro.Repository = repo
			code, err := ScanRepository(context.Background(), Options{
				Insecure: true, CacheDir: t.TempDir(), Format: "json", ListAllPkgs: true, Scanners: []string{ScannerSecret},
				PkgTypes: []string{"os", "library"}, LayerCache: c, Stdout: &out, Now: func() time.Time { return now },
			}, tt.ro)
			if err != nil || code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				var r model.Report
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				got = append(got, strings.TrimPrefix(r.ArtifactName, repo+":"))
				if r.Metadata.OS == nil || r.Metadata.OS.Family != "alpine" {
					t.Errorf("%s: OS %+v", r.ArtifactName, r.Metadata.OS)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("scanned %v, want %v", got, tt.want)
			}
			if c.puts[base.String()] != tt.bases {
				t.Errorf("base layer analysed %d times, want %d", c.puts[base.String()], tt.bases)
			}
			if n := len(c.puts); n != len(tt.want)+1 {
				t.Errorf("%d layers analysed, want %d (base + one per image)", n, len(tt.want)+1)
			}
		})
	}
}
