package oci

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// sampleDBAt writes a one-record DB built at builtAt.
func sampleDBAt(t *testing.T, dir, id string, builtAt time.Time) string {
	t.Helper()
	c := store.NewContents()
	a := osv.Affected{Package: osv.Package{Ecosystem: "npm", Name: "lodash"},
		Ranges: []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}, {Fixed: "4.17.21"}}}}}
	c.Packages[store.PackageKey{Ecosystem: "npm", Name: "lodash"}] = []store.Entry{{ID: id, Affected: a}}
	c.Vulns[id] = &osv.Vulnerability{ID: id, Summary: "prototype pollution"}
	c.Meta.BuiltAt = builtAt
	p := filepath.Join(dir, id+".db")
	if err := store.Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

// tamperRegistry is an in-process registry that can answer a blob GET with
// other bytes than the ones pushed (the registry itself verifies uploads,
// so tampering has to happen on the way out).
type tamperRegistry struct {
	*httptest.Server
	mu    sync.Mutex
	blobs map[string][]byte // digest "sha256:…" → bytes served instead
}

func newTamperRegistry(t *testing.T) *tamperRegistry {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	tr := &tamperRegistry{blobs: map[string][]byte{}}
	tr.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.LastIndex(r.URL.Path, "/blobs/"); i >= 0 && r.Method == http.MethodGet {
			tr.mu.Lock()
			b, ok := tr.blobs[r.URL.Path[i+len("/blobs/"):]]
			tr.mu.Unlock()
			if ok {
				w.Write(b)
				return
			}
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(tr.Close)
	return tr
}

func (tr *tamperRegistry) ref(repo string) string {
	return "oci://" + strings.TrimPrefix(tr.URL, "http://") + "/" + repo
}

func manifestOf(t *testing.T, ref string) *v1.Manifest {
	t.Helper()
	r, err := ParseRef(ref, true)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		t.Fatal(err)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPushAnnotations: the manifest carries the build time, schema, the
// SHA-256 of the DB file, source and title.
func TestPushAnnotations(t *testing.T) {
	tr := newTamperRegistry(t)
	dir := t.TempDir()
	built := time.Date(2026, 10, 1, 6, 30, 0, 0, time.UTC)
	src := sampleDBAt(t, dir, "GHSA-1", built)
	ref := tr.ref("trawl/db:1")
	if _, err := Push(context.Background(), ref, src, Options{Insecure: true}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	want := map[string]string{
		AnnotationCreated: "2026-10-01T06:30:00Z",
		AnnotationSchema:  "3",
		AnnotationSHA256:  hex.EncodeToString(sum[:]),
		AnnotationSource:  DefaultSource,
		AnnotationTitle:   "trawl vulnerability DB",
	}
	got := manifestOf(t, ref).Annotations
	for k, v := range want {
		if got[k] != v {
			t.Errorf("annotation %s = %q, want %q", k, got[k], v)
		}
	}
}

// TestPullRefuses: a pull whose blob, annotations or age are wrong fails
// with a clear error and leaves the DB in place (and no temporary file).
func TestPullRefuses(t *testing.T) {
	now := time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)
	fresh := now.Add(-2 * time.Hour)
	old := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		name    string
		built   time.Time
		maxAge  time.Duration
		prepare func(t *testing.T, tr *tamperRegistry, ref, dir string) // after the push
		wantIs  error
		want    string // substring of the error
	}{
		{
			name: "blob replaced by another valid DB", built: fresh,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				// Push a different DB elsewhere and serve its layer for ours.
				other := tr.ref("trawl/other:1")
				if _, err := Push(context.Background(), other, sampleDBAt(t, dir, "GHSA-OTHER", fresh), Options{Insecure: true}); err != nil {
					t.Fatal(err)
				}
				tr.blobs[manifestOf(t, ref).Layers[0].Digest.String()] = layerBytes(t, other)
			},
			want: "sha256:",
		},
		{
			// Same size, same DB inside: only the layer digest tells.
			name: "blob with an altered gzip header", built: fresh,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				b := layerBytes(t, ref)
				b[9] ^= 0x01 // the OS byte: not covered by the gzip CRC
				tr.blobs[manifestOf(t, ref).Layers[0].Digest.String()] = b
			},
			want: "sha256:",
		},
		{
			name: "blob truncated", built: fresh,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				b := layerBytes(t, ref)
				tr.blobs[manifestOf(t, ref).Layers[0].Digest.String()] = b[:len(b)/2]
			},
			want: "sha256:",
		},
		{
			name: "annotation digest differs", built: fresh,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				reannotate(t, ref, map[string]string{AnnotationSHA256: strings.Repeat("0", 64)})
			},
			wantIs: ErrDigest, want: "the dev.trawl.db.sha256 annotation says 0000",
		},
		{
			name: "schema annotation of another trawl", built: fresh,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				reannotate(t, ref, map[string]string{AnnotationSchema: "2"})
			},
			wantIs: store.ErrSchema, want: "the DB has schema 2, this trawl reads schema 3",
		},
		{
			name: "older than --db-max-age", built: old, maxAge: 72 * time.Hour,
			want: "was built 2026-10-01 00:00 UTC, older than --db-max-age 72h; the publisher's pipeline may have stopped",
		},
		{
			// The annotation is only a shortcut: the DB's own metadata decides.
			name: "older than --db-max-age, annotation says fresh", built: old, maxAge: 72 * time.Hour,
			prepare: func(t *testing.T, tr *tamperRegistry, ref, dir string) {
				reannotate(t, ref, map[string]string{AnnotationCreated: fresh.Format(time.RFC3339)})
			},
			want: "was built 2026-10-01 00:00 UTC, older than --db-max-age 72h",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTamperRegistry(t)
			dir := t.TempDir()
			// The DB in place before the pull.
			cacheDir := filepath.Join(dir, "cache")
			os.MkdirAll(cacheDir, 0o755)
			dst := filepath.Join(cacheDir, "trawl.db")
			before, err := os.ReadFile(sampleDBAt(t, dir, "GHSA-BEFORE", fresh))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, before, 0o644); err != nil {
				t.Fatal(err)
			}
			ref := tr.ref("trawl/db:1")
			if _, err := Push(context.Background(), ref, sampleDBAt(t, dir, "GHSA-NEW", tt.built), Options{Insecure: true}); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, tr, ref, dir)
			}
			o := Options{Insecure: true, MaxAge: tt.maxAge, Now: func() time.Time { return now }}
			_, err = Pull(context.Background(), ref, dst, o)
			if err == nil {
				t.Fatal("pull succeeded")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if after, _ := os.ReadFile(dst); !bytes.Equal(after, before) {
				t.Error("the DB was replaced by a failed pull")
			}
			if ents, _ := os.ReadDir(cacheDir); len(ents) != 1 {
				t.Errorf("left-over files: %v", ents)
			}
			// Sanity: without the fault the same pull works.
			if tt.prepare == nil {
				o.MaxAge = 0
				if _, err := Pull(context.Background(), ref, dst, o); err != nil {
					t.Errorf("pull without --db-max-age: %v", err)
				}
			}
		})
	}
}

// layerBytes returns the compressed layer of the artifact at ref.
func layerBytes(t *testing.T, ref string) []byte {
	t.Helper()
	r, err := ParseRef(ref, true)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ls[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reannotate rewrites the manifest at ref with extra annotations (the
// blobs stay the same).
func reannotate(t *testing.T, ref string, anns map[string]string) {
	t.Helper()
	r, err := ParseRef(ref, true)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, mutate.Annotations(img, anns).(v1.Image)); err != nil {
		t.Fatal(err)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		72 * time.Hour:                     "72h",
		90 * time.Minute:                   "1h30m",
		24*time.Hour + 30*time.Second:      "24h0m30s",
		45 * time.Second:                   "45s",
		2*time.Hour + 15*time.Minute:       "2h15m",
		36*time.Hour + 1*time.Minute:       "36h1m",
		30 * time.Minute:                   "30m",
		3*time.Hour + 500*time.Millisecond: "3h0m0.5s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestPushPullWithDockerLogin: credentials come from the docker config
// (what `docker login` writes, at $DOCKER_CONFIG), as the publishing
// workflow logs in; without them the registry answers 401.
func TestPushPullWithDockerLogin(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bot" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref := "oci://" + host + "/trawl/db:1"
	dir := t.TempDir()
	src := sampleDBAt(t, dir, "GHSA-1", time.Now())

	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, "empty-config"))
	if _, err := Push(context.Background(), ref, src, Options{Insecure: true}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("push without credentials: %v, want a 401", err)
	}

	cfg := filepath.Join(dir, "docker-config")
	os.MkdirAll(cfg, 0o700)
	auth := base64.StdEncoding.EncodeToString([]byte("bot:s3cret"))
	if err := os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"auths":{"`+host+`":{"auth":"`+auth+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfg)
	if _, err := Push(context.Background(), ref, src, Options{Insecure: true}); err != nil {
		t.Fatalf("push with docker login: %v", err)
	}
	if _, err := Pull(context.Background(), ref, filepath.Join(dir, "out", "trawl.db"), Options{Insecure: true}); err != nil {
		t.Fatalf("pull with docker login: %v", err)
	}
}
